// POST/GET /v1/payments, GET /v1/payments/{id}, POST /v1/payments/{id}/refunds.
import type { FastifyInstance } from "fastify";
import { sql } from "drizzle-orm";
import { type Deps, ctxOf, idempotent, principal } from "../context.js";
import { mapDbError } from "../db.js";
import { decide, statusFor } from "../fraud.js";
import { record } from "../journal.js";
import { PAYMENT_COLUMNS, REFUND_COLUMNS, UUID, paymentJson, refundJson, type PaymentRow, type RefundRow } from "../model.js";
import { ProblemError, problems } from "../problem.js";
import { decodeCursor, encodeCursor } from "../crypto.js";
import { parseBody, paymentCreate, refundCreate } from "../validate.js";

export function paymentRoutes(app: FastifyInstance, deps: Deps): void {
  const { cfg, db } = deps;

  app.post("/v1/payments", { config: { scope: "payments:write" } }, async (req, reply) => {
    const idemKey = req.headers["idempotency-key"];
    const input = parseBody(paymentCreate, req.body);
    if (input.amount > cfg.PAYMENT_MAX_AMOUNT) {
      throw problems.validation([{ field: "amount", message: `must be at most ${cfg.PAYMENT_MAX_AMOUNT}` }]);
    }
    if (!cfg.currencies.has(input.currency)) {
      throw problems.validation([{ field: "currency", message: `must be one of ${cfg.CURRENCIES}` }],
        `currency ${input.currency} is not allowed`);
    }
    req.log.debug({ idempotency_key: idemKey }, "create payment");
    const merchant = principal(req).merchant;
    return idempotent(deps, req, reply, async (tx) => {
      // Serialises this customer's payments so the velocity count cannot race.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${merchant} || '/' || ${input.customer_id}))`);
      const facts = await tx.execute<{ recent: number; blocked: boolean }>(sql`
        SELECT (SELECT count(*)::int FROM payments
                 WHERE merchant_id = ${merchant} AND customer_id = ${input.customer_id}
                   AND created_at > now() - interval '60 seconds') AS recent,
               EXISTS (SELECT 1 FROM blocked_customers WHERE customer_id = ${input.customer_id}) AS blocked`);
      const f = facts.rows[0] ?? { recent: 0, blocked: false };
      const { decision, reasons } = decide(
        { amount: input.amount, recentCount: f.recent, blocked: f.blocked },
        { reviewAmount: cfg.FRAUD_REVIEW_AMOUNT, maxPerMinute: cfg.FRAUD_MAX_PER_MINUTE });
      const status = statusFor(decision);
      const inserted = await tx.execute<PaymentRow>(sql`
        INSERT INTO payments (merchant_id, customer_id, amount, currency, metadata, status, decision,
                              decision_reasons, captured_amount)
        VALUES (${merchant}, ${input.customer_id}, ${input.amount}, ${input.currency},
                ${JSON.stringify(input.metadata ?? {})}::jsonb, ${status}, ${decision},
                ${JSON.stringify(reasons)}::jsonb, ${status === "captured" ? input.amount : 0})
        RETURNING ${PAYMENT_COLUMNS}`);
      const row = inserted.rows[0];
      if (!row) throw new Error("insert returned no row");
      const payment = paymentJson(row);
      await record(tx, ctxOf(req), "payment.create", "payment", payment.id, "payment.created", payment);
      return { status: 201, body: payment, headers: { location: `/v1/payments/${payment.id}` } };
    });
  });

  app.get("/v1/payments", { config: { scope: "payments:read" } }, async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const merchant = principal(req).merchant;
    let limit = 20;
    if (q["limit"] !== undefined) {
      if (!/^[0-9]{1,3}$/.test(q["limit"]) || Number(q["limit"]) < 1 || Number(q["limit"]) > 100) {
        throw new ProblemError(400, "validation-error", "Invalid query parameter", "limit must be an integer from 1 to 100",
          { errors: [{ field: "limit", message: "must be an integer from 1 to 100" }] });
      }
      limit = Number(q["limit"]);
    }
    const scope = `payments:${merchant}`;
    let after = sql``;
    if (q["cursor"] !== undefined) {
      const pos = q["cursor"].length <= 256 ? decodeCursor(cfg.JWT_SECRET, scope, q["cursor"]) : null;
      if (!pos || !UUID.test(pos.i)) {
        throw new ProblemError(400, "validation-error", "Invalid cursor", "the cursor is not valid for this listing",
          { errors: [{ field: "cursor", message: "invalid cursor" }] });
      }
      after = sql`AND (created_at, id) < (${pos.t}::timestamptz, ${pos.i}::uuid)`;
    }
    try {
      const page = await db.execute<PaymentRow>(sql`
        SELECT ${PAYMENT_COLUMNS} FROM payments
         WHERE merchant_id = ${merchant} ${after}
         ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`);
      const rows = page.rows.slice(0, limit);
      const last = rows[rows.length - 1];
      const next = page.rows.length > limit && last ? encodeCursor(cfg.JWT_SECRET, scope, { t: last.created_at, i: last.id }) : null;
      return { data: rows.map(paymentJson), next_cursor: next };
    } catch (err) {
      throw mapDbError(err);
    }
  });

  app.get("/v1/payments/:id", { config: { scope: "payments:read" } }, async (req) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) throw problems.notFound("no such payment");
    try {
      const r = await db.execute<PaymentRow>(sql`
        SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = ${id}::uuid AND merchant_id = ${principal(req).merchant}`);
      const row = r.rows[0];
      if (!row) throw problems.notFound("no such payment");
      return paymentJson(row);
    } catch (err) {
      throw mapDbError(err);
    }
  });

  app.post("/v1/payments/:id/refunds", { config: { scope: "payments:write" } }, async (req, reply) => {
    const idemKey = req.headers["idempotency-key"];
    const { id } = req.params as { id: string };
    const input = parseBody(refundCreate, req.body);
    req.log.debug({ idempotency_key: idemKey }, "create refund");
    if (!UUID.test(id)) throw problems.notFound("no such payment");
    const merchant = principal(req).merchant;
    return idempotent(deps, req, reply, async (tx) => {
      const locked = await tx.execute<{ status: string; captured: string; refunded: string; currency: string }>(sql`
        SELECT status, captured_amount::text AS captured, refunded_amount::text AS refunded, currency
          FROM payments WHERE id = ${id}::uuid AND merchant_id = ${merchant} FOR UPDATE`);
      const p = locked.rows[0];
      if (!p) throw problems.notFound("no such payment");
      if (p.status !== "captured") {
        throw new ProblemError(422, "payment-not-refundable", "Payment not refundable",
          `only a captured payment can be refunded; this one is ${p.status}`);
      }
      const remaining = Number(p.captured) - Number(p.refunded);
      if (input.amount > remaining) {
        throw new ProblemError(422, "refund-exceeds-captured", "Refund exceeds captured amount",
          `at most ${remaining} remains to be refunded`, { errors: [{ field: "amount", message: `must be at most ${remaining}` }] });
      }
      const r = await tx.execute<RefundRow>(sql`
        WITH upd AS (UPDATE payments SET refunded_amount = refunded_amount + ${input.amount}, updated_at = now()
                      WHERE id = ${id}::uuid)
        INSERT INTO refunds (payment_id, merchant_id, amount, currency, reason)
        VALUES (${id}::uuid, ${merchant}, ${input.amount}, ${p.currency}, ${input.reason ?? null})
        RETURNING ${REFUND_COLUMNS}`);
      const row = r.rows[0];
      if (!row) throw new Error("insert returned no row");
      const refund = refundJson(row);
      await record(tx, ctxOf(req), "refund.create", "refund", refund.id, "refund.created", refund);
      return { status: 201, body: refund };
    });
  });
}
