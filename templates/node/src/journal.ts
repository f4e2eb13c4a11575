// Audit log and outbox rows, always written inside the caller's transaction.
import { sql } from "drizzle-orm";
import type { Tx } from "./db.js";

export interface Ctx {
  actor: string;
  requestId: string;
  traceparent: string;
}

export async function record(
  tx: Tx, ctx: Ctx, action: string, entityType: string, entityId: string, eventType: string, payload: unknown,
): Promise<void> {
  const json = JSON.stringify(payload);
  // One statement writes both rows.
  await tx.execute(sql`
    WITH audit AS (
      INSERT INTO audit_log (actor, action, entity_type, entity_id, request_id, details)
      VALUES (${ctx.actor}, ${action}, ${entityType}, ${entityId}, ${ctx.requestId}, ${json}::jsonb)
    )
    INSERT INTO outbox (event_type, aggregate_id, payload, traceparent)
    VALUES (${eventType}, ${entityId}, ${json}::jsonb, ${ctx.traceparent})`);
}
