// Outbox worker: claims due events (FOR UPDATE SKIP LOCKED, leased), POSTs
// them signed to OUTBOX_URL with a timeout, and records the outcomes in one
// statement: delivered, retried with exponential backoff and jitter, or
// dead-lettered after OUTBOX_MAX_ATTEMPTS. Once a minute it also deletes
// expired idempotency keys.
import { sql } from "drizzle-orm";
import type { Config } from "./config.js";
import type { Db } from "./db.js";
import { signWebhook } from "./crypto.js";

interface Event {
  [key: string]: unknown;
  id: string; event_type: string; payload: unknown; traceparent: string | null; attempts: number; created_at: string;
}

interface Outcome {
  id: string; status: "pending" | "delivered" | "dead"; attempts: number; delayMs: number; error: string | null;
}

export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2)); // "equal jitter"
}

export interface Logger {
  info: (o: object, m: string) => void;
  warn: (o: object, m: string) => void;
}

export class OutboxWorker {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lastCleanup = 0;

  constructor(private readonly cfg: Config, private readonly db: Db, private readonly log: Logger) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let busy = false;
      try {
        busy = (await this.runOnce()) > 0;
        await this.cleanup();
      } catch (err) {
        this.log.warn({ err: err instanceof Error ? err.message : String(err) }, "outbox round failed");
      }
      if (!busy && !this.stopped) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, this.cfg.OUTBOX_POLL_INTERVAL_MS);
        });
      }
    }
  }

  /** Deletes expired idempotency keys, at most once a minute. */
  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60000) return;
    this.lastCleanup = Date.now();
    await this.db.execute(sql`DELETE FROM idempotency_keys WHERE expires_at < now()`);
  }

  /** One round; returns the number of events handled. */
  async runOnce(): Promise<number> {
    const url = this.cfg.OUTBOX_URL;
    if (!url) return 0;
    const lease = this.cfg.OUTBOX_TIMEOUT_MS + 30000;
    const claimed = await this.db.execute<Event>(sql`
      UPDATE outbox SET next_attempt_at = now() + make_interval(secs => ${lease / 1000})
       WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()
                     ORDER BY next_attempt_at LIMIT ${this.cfg.OUTBOX_BATCH_SIZE} FOR UPDATE SKIP LOCKED)
      RETURNING id, event_type, payload, traceparent, attempts,
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`);
    if (claimed.rows.length === 0) return 0;
    const outcomes = await Promise.all(claimed.rows.map((e) => this.deliver(url, e)));
    await this.db.execute(sql`
      UPDATE outbox o
         SET status = r.status, attempts = r.attempts, last_error = r.error,
             next_attempt_at = now() + r.delay_ms * interval '1 millisecond',
             delivered_at = CASE WHEN r.status = 'delivered' THEN now() END
        FROM unnest(${`{${outcomes.map((o) => o.id).join(",")}}`}::uuid[],
                    ${toPgArray(outcomes.map((o) => o.status))}::text[],
                    ${`{${outcomes.map((o) => o.attempts).join(",")}}`}::int[],
                    ${`{${outcomes.map((o) => o.delayMs).join(",")}}`}::bigint[],
                    ${toPgArray(outcomes.map((o) => o.error))}::text[])
             AS r(id, status, attempts, delay_ms, error)
       WHERE o.id = r.id`);
    return outcomes.length;
  }

  private async deliver(url: string, e: Event): Promise<Outcome> {
    const attempts = e.attempts + 1;
    const body = JSON.stringify({ id: e.id, type: e.event_type, created_at: e.created_at, data: e.payload });
    const ts = Math.floor(Date.now() / 1000);
    let error: string;
    try {
      const res = await fetch(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": e.id,
          "webhook-timestamp": String(ts),
          "webhook-signature": signWebhook(this.cfg.OUTBOX_SECRET, ts, body),
          ...(e.traceparent ? { traceparent: e.traceparent } : {}),
        },
        signal: AbortSignal.timeout(this.cfg.OUTBOX_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (res.ok) {
        this.log.info({ event_id: e.id, attempts }, "outbox event delivered");
        return { id: e.id, status: "delivered", attempts, delayMs: 0, error: null };
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    if (attempts >= this.cfg.OUTBOX_MAX_ATTEMPTS) {
      this.log.warn({ event_id: e.id, attempts, error }, "outbox event dead-lettered");
      return { id: e.id, status: "dead", attempts, delayMs: 0, error };
    }
    const delayMs = backoffMs(attempts, this.cfg.OUTBOX_BACKOFF_BASE_MS, this.cfg.OUTBOX_BACKOFF_MAX_MS);
    this.log.warn({ event_id: e.id, attempts, error, retry_in_ms: delayMs }, "outbox delivery failed");
    return { id: e.id, status: "pending", attempts, delayMs, error };
  }
}

function toPgArray(values: (string | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${v.replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}
