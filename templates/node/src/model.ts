// Rows as the API returns them. Timestamps are formatted by PostgreSQL
// (RFC 3339, UTC, microseconds) so no precision is lost on the way.
import { sql } from "drizzle-orm";

export const PAYMENT_COLUMNS = sql.raw(`id, amount::text AS amount, currency, customer_id, metadata, status, decision,
  decision_reasons, captured_amount::text AS captured_amount, refunded_amount::text AS refunded_amount,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`);

export const REFUND_COLUMNS = sql.raw(`id, payment_id, amount::text AS amount, currency, reason,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`);

export interface PaymentRow {
  [key: string]: unknown;
  id: string; amount: string; currency: string; customer_id: string; metadata: Record<string, string>;
  status: string; decision: string; decision_reasons: string[]; captured_amount: string;
  refunded_amount: string; created_at: string;
}

export interface RefundRow {
  [key: string]: unknown;
  id: string; payment_id: string; amount: string; currency: string; reason: string | null; created_at: string;
}

export function paymentJson(r: PaymentRow) {
  return {
    id: r.id, amount: Number(r.amount), currency: r.currency.trim(), customer_id: r.customer_id,
    metadata: r.metadata, status: r.status, decision: r.decision, decision_reasons: r.decision_reasons,
    captured_amount: Number(r.captured_amount), refunded_amount: Number(r.refunded_amount), created_at: r.created_at,
  };
}

export function refundJson(r: RefundRow) {
  return {
    id: r.id, payment_id: r.payment_id, amount: Number(r.amount), currency: r.currency.trim(),
    reason: r.reason, status: "succeeded" as const, created_at: r.created_at,
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
