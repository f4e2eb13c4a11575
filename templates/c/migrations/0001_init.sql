-- Payments, refunds, the audit log, the outbox, idempotency keys, provider
-- webhook events and the customer block list. Applied by
-- `acme-payments migrate` inside one transaction with its
-- schema_migrations row.

CREATE TABLE payments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    merchant_id      text NOT NULL,
    customer_id      text NOT NULL,
    amount           bigint NOT NULL CHECK (amount > 0),
    currency         char(3) NOT NULL,
    metadata         jsonb NOT NULL DEFAULT '{}',
    status           text NOT NULL CHECK (status IN ('captured', 'requires_review', 'declined', 'failed')),
    decision         text NOT NULL CHECK (decision IN ('approved', 'review', 'declined')),
    decision_reasons jsonb NOT NULL DEFAULT '[]',
    captured_amount  bigint NOT NULL DEFAULT 0,
    refunded_amount  bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (refunded_amount >= 0 AND refunded_amount <= captured_amount)
);
-- GET /v1/payments: keyset pagination per merchant, newest first.
CREATE INDEX payments_merchant_created_idx ON payments (merchant_id, created_at DESC, id DESC);
-- Fraud velocity: the customer's payments in the last minute.
CREATE INDEX payments_customer_created_idx ON payments (merchant_id, customer_id, created_at);

CREATE TABLE refunds (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    payment_id  uuid NOT NULL REFERENCES payments (id),
    merchant_id text NOT NULL,
    amount      bigint NOT NULL CHECK (amount > 0),
    currency    char(3) NOT NULL,
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_payment_idx ON refunds (payment_id);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   text NOT NULL,
    request_id  text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, occurred_at);

CREATE TABLE outbox (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type      text NOT NULL,
    aggregate_id    text NOT NULL,
    payload         jsonb NOT NULL,
    traceparent     text,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
-- The worker's claim: due pending events, oldest first.
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE idempotency_keys (
    principal       text NOT NULL,
    idem_key        text NOT NULL,
    request_hash    text NOT NULL,
    locked_until    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    response_status integer,
    response_body   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, idem_key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

CREATE TABLE webhook_events (
    event_id    text PRIMARY KEY,
    event_type  text NOT NULL,
    payload     jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blocked_customers (
    customer_id text PRIMARY KEY,
    reason      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
