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

export async function attribution(db: Db, eventQuery: string): Promise<Row[]> {
  // the CTE `results` is defined in this literal; WITH comes from eventQuery
  // bkgen: ok sql-select-star
  return db.rawQuery(`
    ${eventQuery},
    results AS (
      select referrer, count(distinct session_id) as "value"
      from model
      group by 1)
    SELECT *
    FROM results
    WHERE name != ''`);
}

export function revenueJoin(filtered: boolean): string {
  return filtered
    ? `join (
        -- bkgen: expect sql-select-star
        select *
        from website_event
        where website_id = {{websiteId::uuid}}) website_event
      on website_event.session_id = revenue.session_id`
    : '';
}

export async function withSupabase(client: SupabaseClient): Promise<unknown> {
  // bkgen: expect sql-select-star
  const { data } = await client.from('invoices').select('inv.*');
  // bkgen: ok sql-select-star
  const { data: ids } = await client.from('invoices').select('id, total');
  return [data, ids];
}

// bkgen: expect sql-select-star
export const EXPORT_SQL = "SELECT *, row_number() OVER (ORDER BY id) AS rn FROM invoices";
