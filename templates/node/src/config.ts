// Configuration: every setting comes from the environment, is validated
// once at start-up, and a bad value stops the process with a clear message.
import { z } from "zod";

const int = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const schema = z.object({
  PORT: int(8080, 1, 65535),
  BIND_ADDRESS: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  DB_POOL_SIZE: int(10, 2, 200),
  DB_ACQUIRE_TIMEOUT_MS: int(2000, 10, 60000),
  DB_STATEMENT_TIMEOUT_MS: int(3000, 100, 600000),
  HTTP_CONNECTION_TIMEOUT_S: int(15, 1, 3600),
  HTTP_REQUEST_TIMEOUT_S: int(30, 1, 3600),
  HTTP_MAX_BODY_BYTES: int(65536, 256, 16777216),
  SHUTDOWN_DRAIN_TIMEOUT_S: int(20, 0, 600),
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters"),
  JWT_AUDIENCE: z.string().default("acme-payments"),
  JWT_ISSUER: z.string().default(""),
  RATE_LIMIT_RPS: int(20, 1, 1000000),
  RATE_LIMIT_BURST: int(40, 1, 1000000),
  PAYMENT_MAX_AMOUNT: int(1000000, 1, 1000000000000),
  CURRENCIES: z.string().regex(/^[A-Z]{3}(,[A-Z]{3})*$/).default("USD,EUR,GBP"),
  FRAUD_REVIEW_AMOUNT: int(100000, 1, 1000000000000),
  FRAUD_MAX_PER_MINUTE: int(5, 1, 100000),
  WEBHOOK_SECRET: z.string().min(8, "WEBHOOK_SECRET must be at least 8 characters"),
  WEBHOOK_TOLERANCE_S: int(300, 1, 3600),
  OUTBOX_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  OUTBOX_SECRET: z.string().default(""),
  OUTBOX_MAX_ATTEMPTS: int(8, 1, 100),
  OUTBOX_BACKOFF_BASE_MS: int(1000, 1, 3600000),
  OUTBOX_BACKOFF_MAX_MS: int(300000, 1, 86400000),
  OUTBOX_POLL_INTERVAL_MS: int(1000, 10, 60000),
  OUTBOX_BATCH_SIZE: int(10, 1, 1000),
  OUTBOX_TIMEOUT_MS: int(5000, 100, 60000),
  IDEMPOTENCY_TTL_HOURS: int(24, 1, 8760),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  MIGRATIONS_DIR: z.string().default("migrations"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
});

export type Config = z.infer<typeof schema> & { currencies: Set<string> };

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const c = parsed.data;
  if (c.OUTBOX_URL && c.OUTBOX_SECRET.length < 8) {
    throw new ConfigError("invalid configuration:\n  OUTBOX_SECRET: required (8+ characters) with OUTBOX_URL");
  }
  return { ...c, currencies: new Set(c.CURRENCIES.split(",")) };
}
