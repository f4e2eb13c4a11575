// POST /v1/webhooks/provider: HMAC-signed provider events, recorded once.
import type { FastifyInstance } from "fastify";
import { sql } from "drizzle-orm";
import type { Deps } from "../context.js";
import { mapDbError } from "../db.js";
import { verifyWebhook } from "../crypto.js";
import { record } from "../journal.js";
import { PAYMENT_COLUMNS, UUID, paymentJson, type PaymentRow } from "../model.js";
import { ProblemError } from "../problem.js";
import { parseBody, providerEvent } from "../validate.js";

const TRANSITIONS: Record<string, { status: string; captured: boolean }> = {
  "payment.captured": { status: "captured", captured: true },
  "payment.failed": { status: "failed", captured: false },
};

export function webhookRoutes(app: FastifyInstance, deps: Deps): void {
  app.post("/v1/webhooks/provider", { config: { rateLimit: false } }, async (req) => {
    // The event id, not an Idempotency-Key, deduplicates provider events;
    // a key sent anyway is only logged.
    const idemKey = req.headers["idempotency-key"];
    const ts = req.headers["webhook-timestamp"];
    const sig = req.headers["webhook-signature"];
    if (!verifyWebhook(deps.cfg.WEBHOOK_SECRET, typeof ts === "string" ? ts : undefined,
      typeof sig === "string" ? sig : undefined, req.rawBody ?? "", deps.cfg.WEBHOOK_TOLERANCE_S)) {
      throw new ProblemError(401, "invalid-signature", "Invalid signature",
        "Webhook-Timestamp/Webhook-Signature missing, stale or not matching");
    }
    const event = parseBody(providerEvent, req.body);
    req.log.info({ event_id: event.id, event_type: event.type, idempotency_key: idemKey }, "provider event");
    const transition = TRANSITIONS[event.type];
    const paymentId = event.data?.payment_id;
    try {
      return await deps.db.transaction(async (tx) => {
        const fresh = await tx.execute(sql`
          INSERT INTO webhook_events (event_id, event_type, payload) VALUES (${event.id}, ${event.type}, ${JSON.stringify(event)}::jsonb)
          ON CONFLICT (event_id) DO NOTHING RETURNING event_id`);
        if (fresh.rows.length === 0) return { status: "duplicate" };
        if (!transition || !paymentId || !UUID.test(paymentId)) return { status: "ignored" };
        const moved = await tx.execute<PaymentRow>(sql`
          UPDATE payments SET status = ${transition.status}, updated_at = now(),
                 captured_amount = CASE WHEN ${transition.captured} THEN amount ELSE 0 END
           WHERE id = ${paymentId}::uuid AND status = 'requires_review'
          RETURNING ${PAYMENT_COLUMNS}`);
        const row = moved.rows[0];
        if (!row) return { status: "ignored" };
        const payment = paymentJson(row);
        await record(tx, { actor: "provider", requestId: req.id, traceparent: req.traceparent },
          event.type, "payment", payment.id, event.type, payment);
        return { status: "processed" };
      });
    } catch (err) {
      throw mapDbError(err);
    }
  });
}
