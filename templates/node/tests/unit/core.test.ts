import { test } from "node:test";
import assert from "node:assert/strict";
import { decide, statusFor } from "../../src/fraud.js";
import { canonicalJson, decodeCursor, encodeCursor, nextTraceparent, requestHash, signWebhook, verifyWebhook } from "../../src/crypto.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { backoffMs } from "../../src/outbox.js";
import { readKey } from "../../src/idempotency.js";
import { parseBody, paymentCreate } from "../../src/validate.js";
import { ProblemError } from "../../src/problem.js";

const policy = { reviewAmount: 1000, maxPerMinute: 3 };
const baseEnv = { DATABASE_URL: "postgresql:///x", JWT_SECRET: "s".repeat(32), WEBHOOK_SECRET: "whsec-123" };

test("fraud: a small payment is approved and captured", () => {
  assert.deepEqual(decide({ amount: 10, recentCount: 0, blocked: false }, policy), { decision: "approved", reasons: [] });
  assert.equal(statusFor("approved"), "captured");
});

test("fraud: above the review threshold goes to review", () => {
  const d = decide({ amount: 1001, recentCount: 0, blocked: false }, policy);
  assert.deepEqual(d, { decision: "review", reasons: ["amount_above_review_threshold"] });
  assert.equal(statusFor(d.decision), "requires_review");
});

test("fraud: the strongest outcome wins and every rule is listed", () => {
  const d = decide({ amount: 5000, recentCount: 3, blocked: true }, policy);
  assert.equal(d.decision, "declined");
  assert.deepEqual(d.reasons, ["amount_above_review_threshold", "velocity_exceeded", "customer_blocked"]);
});

test("canonical JSON sorts keys at every depth", () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }), '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  assert.equal(requestHash("POST", "/p", { a: 1, b: 2 }), requestHash("POST", "/p", { b: 2, a: 1 }));
  assert.notEqual(requestHash("POST", "/p", { a: 1 }), requestHash("POST", "/q", { a: 1 }));
});

test("webhook signatures: valid, rotated, stale, wrong", () => {
  const now = 1_700_000_000;
  const sig = signWebhook("secret", now, "{}");
  assert.ok(verifyWebhook("secret", String(now), sig, "{}", 300, now));
  assert.ok(verifyWebhook("secret", String(now), `v1=${"0".repeat(64)},${sig}`, "{}", 300, now));
  assert.ok(!verifyWebhook("secret", String(now - 301), signWebhook("secret", now - 301, "{}"), "{}", 300, now));
  assert.ok(!verifyWebhook("other", String(now), sig, "{}", 300, now));
  assert.ok(!verifyWebhook("secret", String(now), sig, "{ }", 300, now));
  assert.ok(!verifyWebhook("secret", undefined, sig, "{}", 300, now));
  assert.ok(!verifyWebhook("secret", String(now), "v2=abc", "{}", 300, now));
});

test("cursors round-trip and reject tampering or another scope", () => {
  const c = encodeCursor("k", "m1", { t: "2024-01-01T00:00:00.000001Z", i: "abc" });
  assert.deepEqual(decodeCursor("k", "m1", c), { t: "2024-01-01T00:00:00.000001Z", i: "abc" });
  assert.equal(decodeCursor("k", "m2", c), null);
  assert.equal(decodeCursor("k", "m1", `x${c}`), null);
  assert.equal(decodeCursor("k", "m1", "garbage"), null);
});

test("traceparent is continued or started", () => {
  const inc = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const out = nextTraceparent(inc);
  assert.match(out, /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
  assert.notEqual(out, inc);
  assert.match(nextTraceparent("bogus"), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
});

test("config: defaults, and bad values are refused", () => {
  const cfg = loadConfig(baseEnv);
  assert.equal(cfg.PORT, 8080);
  assert.equal(cfg.PAYMENT_MAX_AMOUNT, 1000000);
  assert.ok(cfg.currencies.has("EUR"));
  assert.throws(() => loadConfig({ ...baseEnv, PORT: "70000" }), ConfigError);
  assert.throws(() => loadConfig({ ...baseEnv, JWT_SECRET: "short" }), ConfigError);
  assert.throws(() => loadConfig({ ...baseEnv, OUTBOX_URL: "http://x/", OUTBOX_SECRET: "" }), ConfigError);
  assert.throws(() => loadConfig({ JWT_SECRET: "s".repeat(32), WEBHOOK_SECRET: "whsec-123" }), ConfigError);
});

test("backoff doubles, is capped, and jitters", () => {
  assert.equal(backoffMs(1, 100, 1000, () => 1), 100);
  assert.equal(backoffMs(3, 100, 1000, () => 1), 400);
  assert.equal(backoffMs(10, 100, 1000, () => 1), 1000);
  assert.equal(backoffMs(3, 100, 1000, () => 0), 200);
});

test("Idempotency-Key: 1-255 printable ASCII", () => {
  assert.equal(readKey("abc"), "abc");
  assert.throws(() => readKey(undefined), ProblemError);
  assert.throws(() => readKey("x".repeat(256)), ProblemError);
  assert.throws(() => readKey("caf\u00e9"), ProblemError);
});

test("payment validation lists every field error", () => {
  try {
    parseBody(paymentCreate, { amount: 0, currency: "eur", extra: 1 });
    assert.fail("no error");
  } catch (err) {
    assert.ok(err instanceof ProblemError);
    assert.equal(err.status, 422);
    const fields = (err.extra.errors ?? []).map((e) => e.field).sort();
    assert.deepEqual(fields, ["amount", "currency", "customer_id", "extra"]);
  }
});
