// Every endpoint and error of openapi.yaml against a real PostgreSQL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { signWebhook } from "../../src/crypto.js";
import { type Res, type Service, WEBHOOK_SECRET, http, startService, token } from "./helpers.js";

let svc: Service;
let W: string; // merchant-a, read + write
let R: string; // merchant-a, read only
let B: string; // merchant-b, read + write

const json = { "content-type": "application/json" };
const auth = (t: string) => ({ authorization: `Bearer ${t}` });
const post = (path: string, t: string, key: string | undefined, body: unknown, extra: Record<string, string> = {}) =>
  http(svc.base, "POST", path, {
    headers: { ...json, ...auth(t), ...(key === undefined ? {} : { "idempotency-key": key }), ...extra },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const pay = (t: string, body: unknown, key: string = randomUUID()) => post("/v1/payments", t, key, body);
const get = (path: string, t?: string, extra: Record<string, string> = {}) =>
  http(svc.base, "GET", path, { headers: { ...(t ? auth(t) : {}), ...extra } });
const q = async (text: string, params: unknown[] = []) => (await svc.pool.query(text, params)).rows;

function isProblem(r: Res, status: number, slug: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get("content-type")?.split(";")[0], "application/problem+json");
  assert.ok(String(r.json.type).endsWith(`/${slug}`), `type ${r.json.type}, want ${slug}`);
  assert.equal(r.json.status, status);
  for (const k of ["title", "detail", "instance", "request_id"]) assert.ok(r.json[k], `problem lacks ${k}`);
}

before(async () => {
  svc = await startService();
  W = await token("merchant-a", "payments:read payments:write");
  R = await token("merchant-a", "payments:read");
  B = await token("merchant-b", "payments:read payments:write");
});
after(async () => svc.close());

describe("health and routing", () => {
  test("live and ready", async () => {
    assert.deepEqual((await get("/health/live")).json, { status: "ok" });
    const r = await get("/health/ready");
    assert.equal(r.status, 200);
    assert.equal(r.json.status, "ready");
    assert.equal(r.json.checks.database.status, "up");
    assert.equal((await http(svc.base, "HEAD", "/health/live")).status, 200);
  });
  test("request id is echoed when valid, generated otherwise", async () => {
    assert.equal((await get("/health/live", undefined, { "x-request-id": "abc.DEF-1_2" })).headers.get("x-request-id"), "abc.DEF-1_2");
    const gen = (await get("/health/live", undefined, { "x-request-id": "bad id!" })).headers.get("x-request-id");
    assert.ok(gen && gen !== "bad id!");
  });
  test("traceparent is continued", async () => {
    const r = await get("/health/live", undefined, { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
    assert.match(r.headers.get("traceparent") ?? "", /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
  });
  test("unknown route is a 404 problem", async () => isProblem(await get("/nope"), 404, "not-found"));
  test("wrong method is a 405 problem with Allow", async () => {
    const r = await http(svc.base, "DELETE", "/v1/payments");
    isProblem(r, 405, "method-not-allowed");
    assert.equal(r.headers.get("allow"), "GET, HEAD, POST");
  });
});

describe("authentication", () => {
  test("no token: 401 with WWW-Authenticate", async () => {
    const r = await get("/v1/payments");
    isProblem(r, 401, "unauthorized");
    assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/);
  });
  test("wrong signature, expired, wrong audience: 401", async () => {
    isProblem(await get("/v1/payments", await token("m", "payments:read", {}, "x".repeat(40))), 401, "unauthorized");
    isProblem(await get("/v1/payments", await token("m", "payments:read", { exp: Math.floor(Date.now() / 1000) - 120 })), 401, "unauthorized");
    isProblem(await get("/v1/payments", await token("m", "payments:read", { aud: "someone-else" })), 401, "unauthorized");
    isProblem(await get("/v1/payments", "not.a.jwt"), 401, "unauthorized");
  });
  test("missing scope: 403", async () => isProblem(await pay(R, { amount: 1, currency: "EUR", customer_id: "c" }), 403, "forbidden"));
});

describe("validation", () => {
  test("missing Idempotency-Key: 400", async () =>
    isProblem(await post("/v1/payments", W, undefined, { amount: 1, currency: "EUR", customer_id: "c" }), 400, "missing-idempotency-key"));
  test("malformed JSON: 400", async () => isProblem(await pay(W, "{nope"), 400, "malformed-request"));
  test("not JSON: 415", async () =>
    isProblem(await post("/v1/payments", W, "k-415", "a=1", { "content-type": "text/plain" }), 415, "unsupported-media-type"));
  test("body too large: 413", async () =>
    isProblem(await pay(W, { amount: 1, currency: "EUR", customer_id: "c", metadata: { a: "x".repeat(5000) } }), 413, "payload-too-large"));
  test("field errors: 422 with errors[]", async () => {
    const r = await pay(W, { amount: 0, currency: "eur", customer_id: "bad id", extra: true });
    isProblem(r, 422, "validation-error");
    assert.deepEqual(r.json.errors.map((e: { field: string }) => e.field).sort(), ["amount", "currency", "customer_id", "extra"]);
  });
  test("currency not allowed and amount over the maximum: 422", async () => {
    isProblem(await pay(W, { amount: 1, currency: "JPY", customer_id: "c" }), 422, "validation-error");
    isProblem(await pay(W, { amount: 1000001, currency: "EUR", customer_id: "c" }), 422, "validation-error");
  });
});

describe("payments", () => {
  test("create, then get; another merchant gets 404", async () => {
    const r = await pay(W, { amount: 2500, currency: "EUR", customer_id: "cus_1", metadata: { order: "A-1" } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, "captured");
    assert.equal(r.json.captured_amount, 2500);
    assert.match(r.json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(r.headers.get("location"), `/v1/payments/${r.json.id}`);
    const g = await get(`/v1/payments/${r.json.id}`, R);
    assert.equal(g.status, 200);
    assert.deepEqual(g.json, r.json);
    isProblem(await get(`/v1/payments/${r.json.id}`, B), 404, "not-found");
    isProblem(await get("/v1/payments/not-a-uuid", R), 404, "not-found");
  });
  test("audit row and outbox event are written with the payment", async () => {
    const r = await pay(W, { amount: 10, currency: "USD", customer_id: "cus_audit" });
    const audit = await q("SELECT action, actor FROM audit_log WHERE entity_id = $1", [r.json.id]);
    assert.deepEqual(audit, [{ action: "payment.create", actor: "merchant-a" }]);
    const ev = await q("SELECT event_type FROM outbox WHERE aggregate_id = $1", [r.json.id]);
    assert.deepEqual(ev, [{ event_type: "payment.created" }]);
  });
});

describe("idempotency", () => {
  test("same key and body replays; different body is 409", async () => {
    const body = { amount: 700, currency: "EUR", customer_id: "cus_idem" };
    const a = await pay(W, body, "key-replay");
    const b = await pay(W, { customer_id: "cus_idem", currency: "EUR", amount: 700 }, "key-replay");
    assert.equal(b.status, 201);
    assert.equal(b.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(b.json, a.json);
    isProblem(await pay(W, { ...body, amount: 701 }, "key-replay"), 409, "idempotency-key-reused");
    // keys are per merchant
    assert.equal((await pay(B, body, "key-replay")).headers.get("idempotent-replayed"), null);
  });
  test("20 concurrent POSTs with one key create one payment", async () => {
    const body = { amount: 900, currency: "GBP", customer_id: "cus_conc" };
    const rs = await Promise.all(Array.from({ length: 20 }, () => pay(W, body, "key-concurrent")));
    const ok = rs.filter((r) => r.status === 201);
    assert.ok(ok.length >= 1);
    for (const r of rs) if (r.status !== 201) isProblem(r, 409, "idempotency-key-in-flight");
    assert.equal(new Set(ok.map((r) => r.json.id)).size, 1);
    const n = await q("SELECT count(*)::int AS n FROM payments WHERE customer_id = 'cus_conc'");
    assert.equal(n[0].n, 1);
  });
  test("a key whose request is still running: 409 in flight with Retry-After", async () => {
    const body = { amount: 5, currency: "EUR", customer_id: "c" };
    const { requestHash } = await import("../../src/crypto.js");
    await q(`INSERT INTO idempotency_keys (principal, idem_key, request_hash, locked_until, expires_at)
             VALUES ('merchant-a', 'key-busy', $1, now() + interval '20 seconds', now() + interval '1 day')`,
    [requestHash("POST", "/v1/payments", body)]);
    const r = await pay(W, body, "key-busy");
    isProblem(r, 409, "idempotency-key-in-flight");
    assert.ok(Number(r.headers.get("retry-after")) >= 1);
  });
  test("a failed request frees its key", async () => {
    const p = await pay(W, { amount: 100, currency: "EUR", customer_id: "cus_free" });
    isProblem(await post(`/v1/payments/${p.json.id}/refunds`, W, "key-free", { amount: 101 }), 422, "refund-exceeds-captured");
    assert.equal((await post(`/v1/payments/${p.json.id}/refunds`, W, "key-free", { amount: 100 })).status, 201);
  });
});

describe("fraud rules", () => {
  test("above the review threshold: requires_review", async () => {
    const r = await pay(W, { amount: 60000, currency: "EUR", customer_id: "cus_big" });
    assert.equal(r.status, 201);
    assert.equal(r.json.status, "requires_review");
    assert.deepEqual(r.json.decision_reasons, ["amount_above_review_threshold"]);
  });
  test("velocity: the fourth payment in a minute is declined", async () => {
    for (const _ of [1, 2, 3]) assert.equal((await pay(W, { amount: 1, currency: "EUR", customer_id: "cus_fast" })).json.decision, "approved");
    const r = await pay(W, { amount: 1, currency: "EUR", customer_id: "cus_fast" });
    assert.equal(r.status, 201);
    assert.equal(r.json.status, "declined");
    assert.deepEqual(r.json.decision_reasons, ["velocity_exceeded"]);
  });
  test("blocked customer: declined", async () => {
    await q("INSERT INTO blocked_customers (customer_id, reason) VALUES ('cus_bad', 'chargebacks')");
    const r = await pay(W, { amount: 1, currency: "EUR", customer_id: "cus_bad" });
    assert.equal(r.json.decision, "declined");
    assert.deepEqual(r.json.decision_reasons, ["customer_blocked"]);
  });
});

describe("pagination", () => {
  test("pages are newest first, complete and without duplicates", async () => {
    const C = await token("merchant-pages", "payments:read payments:write");
    const made: string[] = [];
    for (const i of [1, 2, 3, 4, 5]) made.push((await pay(C, { amount: i, currency: "EUR", customer_id: `p${i}` })).json.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: Res = await get(`/v1/payments?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, C);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.json.data.map((p: { id: string }) => p.id));
      cursor = r.json.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, made.reverse());
  });
  test("bad limit, altered cursor, another merchant's cursor: 400", async () => {
    isProblem(await get("/v1/payments?limit=0", R), 400, "validation-error");
    isProblem(await get("/v1/payments?limit=abc", R), 400, "validation-error");
    const page = await get("/v1/payments?limit=1", R);
    const c = page.json.next_cursor as string;
    isProblem(await get(`/v1/payments?cursor=${encodeURIComponent(`x${c}`)}`, R), 400, "validation-error");
    isProblem(await get(`/v1/payments?cursor=${encodeURIComponent(c)}`, B), 400, "validation-error");
  });
});

describe("refunds", () => {
  test("partial refunds up to the captured amount, audited", async () => {
    const p = await pay(W, { amount: 1000, currency: "EUR", customer_id: "cus_ref" });
    const r = await post(`/v1/payments/${p.json.id}/refunds`, W, randomUUID(), { amount: 400, reason: "damaged" });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, "succeeded");
    assert.equal(r.json.payment_id, p.json.id);
    assert.equal(r.json.reason, "damaged");
    isProblem(await post(`/v1/payments/${p.json.id}/refunds`, W, randomUUID(), { amount: 601 }), 422, "refund-exceeds-captured");
    assert.equal((await get(`/v1/payments/${p.json.id}`, R)).json.refunded_amount, 400);
    assert.equal((await q("SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1", [r.json.id]))[0].n, 1);
  });
  test("concurrent refunds never exceed the captured amount", async () => {
    const p = await pay(W, { amount: 1000, currency: "EUR", customer_id: "cus_ref2" });
    const rs = await Promise.all(Array.from({ length: 8 }, () =>
      post(`/v1/payments/${p.json.id}/refunds`, W, randomUUID(), { amount: 300 })));
    assert.equal(rs.filter((r) => r.status === 201).length, 3);
    assert.equal((await get(`/v1/payments/${p.json.id}`, R)).json.refunded_amount, 900);
  });
  test("not captured: 422; unknown payment: 404; bad body: 422", async () => {
    const p = await pay(W, { amount: 70000, currency: "EUR", customer_id: "cus_rev" });
    isProblem(await post(`/v1/payments/${p.json.id}/refunds`, W, randomUUID(), { amount: 1 }), 422, "payment-not-refundable");
    isProblem(await post(`/v1/payments/${randomUUID()}/refunds`, W, randomUUID(), { amount: 1 }), 404, "not-found");
    isProblem(await post(`/v1/payments/${p.json.id}/refunds`, W, randomUUID(), { amount: -1 }), 422, "validation-error");
    isProblem(await post(`/v1/payments/${p.json.id}/refunds`, W, undefined, { amount: 1 }), 400, "missing-idempotency-key");
  });
});

describe("provider webhooks", () => {
  const send = (body: string, ts = Math.floor(Date.now() / 1000), sig?: string) =>
    http(svc.base, "POST", "/v1/webhooks/provider", {
      headers: { ...json, "webhook-timestamp": String(ts), "webhook-signature": sig ?? signWebhook(WEBHOOK_SECRET, ts, body) },
      body,
    });
  test("bad, stale or missing signature: 401", async () => {
    const body = JSON.stringify({ id: "evt_x", type: "x" });
    isProblem(await send(body, undefined, `v1=${"0".repeat(64)}`), 401, "invalid-signature");
    const old = Math.floor(Date.now() / 1000) - 400;
    isProblem(await send(body, old), 401, "invalid-signature");
    isProblem(await http(svc.base, "POST", "/v1/webhooks/provider", { headers: json, body }), 401, "invalid-signature");
  });
  test("payment.captured moves a reviewed payment; replays are duplicates", async () => {
    const p = await pay(W, { amount: 80000, currency: "EUR", customer_id: "cus_wh" });
    const body = JSON.stringify({ id: `evt_${p.json.id}`, type: "payment.captured", data: { payment_id: p.json.id } });
    const r = await send(body, undefined, `v1=${"1".repeat(64)},${signWebhook(WEBHOOK_SECRET, Math.floor(Date.now() / 1000), body)}`);
    assert.deepEqual(r.json, { status: "processed" });
    const g = await get(`/v1/payments/${p.json.id}`, R);
    assert.equal(g.json.status, "captured");
    assert.equal(g.json.captured_amount, 80000);
    assert.deepEqual((await send(body)).json, { status: "duplicate" });
    const ev = await q("SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY created_at", [p.json.id]);
    assert.deepEqual(ev.map((e) => e.event_type), ["payment.created", "payment.captured"]);
  });
  test("payment.failed, unknown types and invalid events", async () => {
    const p = await pay(W, { amount: 90000, currency: "EUR", customer_id: "cus_wh2" });
    assert.deepEqual((await send(JSON.stringify({ id: `f_${p.json.id}`, type: "payment.failed", data: { payment_id: p.json.id } }))).json, { status: "processed" });
    assert.equal((await get(`/v1/payments/${p.json.id}`, R)).json.status, "failed");
    assert.deepEqual((await send(JSON.stringify({ id: "evt_other", type: "customer.updated" }))).json, { status: "ignored" });
    isProblem(await send(JSON.stringify({ type: "x" })), 422, "validation-error");
    isProblem(await send("{oops"), 400, "malformed-request");
  });
});
