// PostgreSQL: one pg pool (statement timeout on every connection, bounded
// wait for a free connection) wrapped by Drizzle; migrations by Drizzle's
// migrator from ./migrations.
import pg from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type { Config } from "./config.js";
import { problems } from "./problem.js";

export type Db = NodePgDatabase<Record<string, never>>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export function createPool(cfg: Config, log?: { warn: (o: object, m: string) => void }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: cfg.DATABASE_URL,
    max: cfg.DB_POOL_SIZE,
    connectionTimeoutMillis: cfg.DB_ACQUIRE_TIMEOUT_MS,
    idleTimeoutMillis: 30000,
    statement_timeout: cfg.DB_STATEMENT_TIMEOUT_MS,
    lock_timeout: cfg.DB_STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: cfg.DB_STATEMENT_TIMEOUT_MS * 4,
    query_timeout: cfg.DB_STATEMENT_TIMEOUT_MS + 1000,
    application_name: "acme-payments",
  });
  // An idle client that loses its server must not crash the process.
  pool.on("error", (err) => log?.warn({ err: err.message }, "idle database connection failed"));
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool);
}

export async function runMigrations(db: Db, folder: string): Promise<void> {
  await migrate(db, { migrationsFolder: folder });
}

// Errors that mean "the database is not there right now": answered 503.
const UNAVAILABLE_CODES = new Set(["57014", "55P03", "57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004", "53300"]);

export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
  if (code && ["ECONNREFUSED", "ENOENT", "ECONNRESET", "EPIPE", "ETIMEDOUT"].includes(code)) return true;
  return /timeout|Connection terminated|connect|ECONNREFUSED|not queryable/i.test(err.message);
}

export function mapDbError(err: unknown): unknown {
  const cause = (err as { cause?: unknown }).cause ?? err;
  if (isUnavailable(cause) || isUnavailable(err)) return problems.unavailable();
  return err;
}
