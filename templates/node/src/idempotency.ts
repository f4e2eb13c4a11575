// Idempotency keys: claim a key (one statement, safe under concurrency),
// replay a completed response, refuse reuse with a different request or
// while the first request runs, release the key when the request fails.
import { sql } from "drizzle-orm";
import type { Db, Tx } from "./db.js";
import { ProblemError, problems } from "./problem.js";

const KEY = /^[\x20-\x7e]{1,255}$/;
const LOCK_SECONDS = 30;

export interface Claim {
  principal: string;
  key: string;
}

export type ClaimResult = { kind: "run"; claim: Claim } | { kind: "replay"; status: number; body: string };

export function readKey(header: string | string[] | undefined): string {
  if (typeof header !== "string" || !KEY.test(header)) throw problems.missingKey();
  return header;
}

export async function claimKey(db: Db, principal: string, key: string, hash: string, ttlHours: number): Promise<ClaimResult> {
  const claimed = await db.execute<{ claimed: boolean }>(sql`
    INSERT INTO idempotency_keys (principal, idem_key, request_hash, locked_until, expires_at)
    VALUES (${principal}, ${key}, ${hash}, now() + make_interval(secs => ${LOCK_SECONDS}),
            now() + make_interval(hours => ${ttlHours}))
    ON CONFLICT (principal, idem_key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, locked_until = EXCLUDED.locked_until,
           expires_at = EXCLUDED.expires_at, completed_at = NULL, response_status = NULL,
           response_body = NULL, created_at = now()
     WHERE idempotency_keys.expires_at < now()
        OR (idempotency_keys.completed_at IS NULL AND idempotency_keys.locked_until < now())
    RETURNING true AS claimed`);
  if (claimed.rows.length > 0) return { kind: "run", claim: { principal, key } };
  const existing = await db.execute<{
    request_hash: string; completed: boolean; response_status: number | null; response_body: string | null; wait_s: number;
  }>(sql`
    SELECT request_hash, completed_at IS NOT NULL AS completed, response_status, response_body,
           GREATEST(1, ceil(extract(epoch FROM locked_until - now())))::int AS wait_s
      FROM idempotency_keys WHERE principal = ${principal} AND idem_key = ${key}`);
  const row = existing.rows[0];
  if (!row) return claimKey(db, principal, key, hash, ttlHours); // expired and deleted meanwhile
  if (row.request_hash !== hash) {
    throw new ProblemError(409, "idempotency-key-reused", "Idempotency-Key reused",
      "this Idempotency-Key was used with a different request");
  }
  if (row.completed && row.response_status !== null && row.response_body !== null) {
    return { kind: "replay", status: row.response_status, body: row.response_body };
  }
  throw new ProblemError(409, "idempotency-key-in-flight", "Request in flight",
    "the first request with this Idempotency-Key is still running", { headers: { "retry-after": String(row.wait_s) } });
}

/** Stores the response, inside the transaction of the state change. */
export async function completeKey(tx: Tx, claim: Claim, status: number, body: string): Promise<void> {
  await tx.execute(sql`
    UPDATE idempotency_keys SET completed_at = now(), response_status = ${status}, response_body = ${body}
     WHERE principal = ${claim.principal} AND idem_key = ${claim.key}`);
}

/** Frees the key after a failed request so the client can retry. */
export async function releaseKey(db: Db, claim: Claim): Promise<void> {
  await db.execute(sql`
    DELETE FROM idempotency_keys
     WHERE principal = ${claim.principal} AND idem_key = ${claim.key} AND completed_at IS NULL`);
}
