// The schema as Drizzle sees it, for drizzle-kit (`npm run db:generate`
// diffs it against migrations/meta to write the next migration) and for
// typed queries. migrations/0000_init.sql is the reviewed SQL it produced
// the baseline from; keep the two in step.
import { sql } from "drizzle-orm";
import {
  bigint, char, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const payments = pgTable("payments", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  merchantId: text("merchant_id").notNull(),
  customerId: text("customer_id").notNull(),
  amount: bigint("amount", { mode: "number" }).notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  metadata: jsonb("metadata").notNull().default({}),
  status: text("status").notNull(),
  decision: text("decision").notNull(),
  decisionReasons: jsonb("decision_reasons").notNull().default([]),
  capturedAmount: bigint("captured_amount", { mode: "number" }).notNull().default(0),
  refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [
  check("payments_amount_check", sql`${t.amount} > 0`),
  check("payments_status_check", sql`${t.status} IN ('captured', 'requires_review', 'declined', 'failed')`),
  check("payments_decision_check", sql`${t.decision} IN ('approved', 'review', 'declined')`),
  check("payments_check", sql`${t.refundedAmount} >= 0 AND ${t.refundedAmount} <= ${t.capturedAmount}`),
  index("payments_merchant_created_idx").on(t.merchantId, t.createdAt.desc(), t.id.desc()),
  index("payments_customer_created_idx").on(t.merchantId, t.customerId, t.createdAt),
]);

export const refunds = pgTable("refunds", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  paymentId: uuid("payment_id").notNull().references(() => payments.id),
  merchantId: text("merchant_id").notNull(),
  amount: bigint("amount", { mode: "number" }).notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  reason: text("reason"),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [
  check("refunds_amount_check", sql`${t.amount} > 0`),
  index("refunds_payment_idx").on(t.paymentId),
]);

export const auditLog = pgTable("audit_log", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  occurredAt: ts("occurred_at").notNull().defaultNow(),
  actor: text("actor").notNull(),
  action: text("action").notNull(),
  entityType: text("entity_type").notNull(),
  entityId: text("entity_id").notNull(),
  requestId: text("request_id").notNull(),
  details: jsonb("details").notNull().default({}),
}, (t) => [index("audit_log_entity_idx").on(t.entityType, t.entityId, t.occurredAt)]);

export const outbox = pgTable("outbox", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  eventType: text("event_type").notNull(),
  aggregateId: text("aggregate_id").notNull(),
  payload: jsonb("payload").notNull(),
  traceparent: text("traceparent"),
  status: text("status").notNull().default("pending"),
  attempts: integer("attempts").notNull().default(0),
  nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
  lastError: text("last_error"),
  createdAt: ts("created_at").notNull().defaultNow(),
  deliveredAt: ts("delivered_at"),
}, (t) => [
  check("outbox_status_check", sql`${t.status} IN ('pending', 'delivered', 'dead')`),
  index("outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
]);

export const idempotencyKeys = pgTable("idempotency_keys", {
  principal: text("principal").notNull(),
  idemKey: text("idem_key").notNull(),
  requestHash: text("request_hash").notNull(),
  lockedUntil: ts("locked_until").notNull(),
  expiresAt: ts("expires_at").notNull(),
  completedAt: ts("completed_at"),
  responseStatus: integer("response_status"),
  responseBody: text("response_body"),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.principal, t.idemKey] }),
  index("idempotency_keys_expires_idx").on(t.expiresAt),
]);

export const webhookEvents = pgTable("webhook_events", {
  eventId: text("event_id").primaryKey(),
  eventType: text("event_type").notNull(),
  payload: jsonb("payload").notNull(),
  receivedAt: ts("received_at").notNull().defaultNow(),
});

export const blockedCustomers = pgTable("blocked_customers", {
  customerId: text("customer_id").primaryKey(),
  reason: text("reason").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});
