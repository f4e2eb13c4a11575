import { PrismaClient, Prisma } from "@prisma/client";
import { drizzle } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";

const prisma = new PrismaClient();
const db = drizzle(process.env.DATABASE_URL!);

export async function topCustomers(minTotal: number): Promise<{ id: number }[]> {
  return prisma.$queryRaw<{ id: number }[]>`
    SELECT c.id
      FROM customers c
      JOIN orders o ON o.customer_id = c.id
     GROUP BY c.id
    HAVING sum(o.total) > ${minTotal}`;
}

export async function touch(id: number): Promise<number> {
  return prisma.$executeRaw`UPDATE customers SET touched_at = now() WHERE id = ${id}`;
}

export async function unsafeLookup(email: string) {
  return prisma.$queryRawUnsafe("SELECT * FROM customers WHERE email = $1", email);
}

export async function unsafeDelete(id: number) {
  return prisma.$executeRawUnsafe('DELETE FROM sessions WHERE customer_id = $1', id);
}

export async function drizzleRaw(status: string) {
  return db.execute(sql`SELECT id FROM invoices WHERE status = ${status} LIMIT 50`);
}

export async function drizzleFragment(id: number) {
  // a where() fragment, not a statement: skipped
  return db.select().from(invoices).where(sql`${invoices.id} = ${id}`);
}

export async function joinedFragment(ids: number[]) {
  return prisma.$queryRaw`SELECT * FROM customers WHERE id IN (${Prisma.join(ids)})`;
}

export async function rawFragment(col: string) {
  return prisma.$queryRaw`SELECT ${Prisma.raw(col)} FROM customers`;
}

export async function interpolatedUnsafe(table: string) {
  return prisma.$queryRawUnsafe(`SELECT count(*) FROM ${table}`);
}

const REPORT: string = `SELECT region, sum(total) FROM sales GROUP BY region`;

export async function report() {
  return prisma.$queryRawUnsafe(REPORT);
}

export function notSql(cmd: { execute(s: string): void }) {
  cmd.execute("npm run build");
}
