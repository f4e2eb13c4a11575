import { Knex } from 'knex';

export interface Invoice {
  id: string;
  total: number;
}

export class InvoiceRepo {
  constructor(private readonly db: Knex) {}

  async byTenant(tenantId: string): Promise<Invoice[]> {
    // bkgen: expect sql-select-star
    const { rows } = await this.db.raw<{ rows: Invoice[] }>('SELECT * FROM invoices WHERE tenant_id = ?', [tenantId]);
    return rows;
  }

  async unpaid(tenantId: string): Promise<Invoice[]> {
    // bkgen: ok sql-select-star
    const { rows } = await this.db.raw<{ rows: Invoice[] }>(
      `SELECT i.id, i.total
         FROM invoices i
        WHERE i.tenant_id = ?
          AND NOT EXISTS (
            SELECT * FROM payments p WHERE p.invoice_id = i.id
          )`,
      [tenantId],
    );
    return rows;
  }

  async latest(): Promise<Invoice | undefined> {
    // bkgen: expect sql-select-star
    const q: string = `SELECT DISTINCT inv.* FROM invoices inv ORDER BY inv.created_at DESC LIMIT 1`;
    const { rows } = await this.db.raw<{ rows: Invoice[] }>(q);
    return rows[0];
  }

  async total(): Promise<number> {
    // bkgen: ok sql-select-star
    const { rows } = await this.db.raw<{ rows: { n: number }[] }>('SELECT COUNT(*) AS n FROM invoices');
    return rows[0].n;
  }
}

// bkgen: expect sql-select-star
export const EXPORT_SQL = "SELECT *, row_number() OVER (ORDER BY id) AS rn FROM invoices";
