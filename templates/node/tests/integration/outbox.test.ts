// The outbox worker against loopback receivers: signed deliveries, retries
// with backoff, timeouts, dead letters.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { signWebhook } from "../../src/crypto.js";
import { createDb } from "../../src/db.js";
import { OutboxWorker } from "../../src/outbox.js";
import { OUTBOX_SECRET, type Service, config, http, receiver, startService, token } from "./helpers.js";

let svc: Service;
let W: string;
const quiet = { info: () => undefined, warn: () => undefined };

const createPayment = async (customer: string) => (await http(svc.base, "POST", "/v1/payments", {
  headers: { "content-type": "application/json", authorization: `Bearer ${W}`, "idempotency-key": randomUUID(),
    traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
  body: JSON.stringify({ amount: 100, currency: "EUR", customer_id: customer }),
})).json as { id: string };

async function drain(worker: OutboxWorker, ids: string[]): Promise<void> {
  const until = Date.now() + 20000;
  while (Date.now() < until) {
    await worker.runOnce();
    const r = await svc.pool.query("SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND aggregate_id = ANY($1)", [ids]);
    if (r.rows[0].n === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("outbox did not drain");
}

before(async () => {
  svc = await startService();
  W = await token("merchant-outbox", "payments:read payments:write");
});
after(async () => svc.close());

test("events are delivered signed, retried after a failure, with the trace", async () => {
  const p = await createPayment("cus_ob1");
  const seen = new Set<string>();
  const rx = await receiver((req) => {
    const id = String(req.headers["webhook-id"]);
    if (seen.has(id)) return 204;
    seen.add(id);
    return 503; // every event fails once
  });
  try {
    const worker = new OutboxWorker(config({ OUTBOX_URL: rx.url }), createDb(svc.pool), quiet);
    await drain(worker, [p.id]);
    const row = (await svc.pool.query("SELECT status, attempts, delivered_at IS NOT NULL AS d FROM outbox WHERE aggregate_id = $1", [p.id])).rows[0];
    assert.deepEqual(row, { status: "delivered", attempts: 2, d: true });
    const mine = rx.got.filter((g) => JSON.parse(g.body).data.id === p.id);
    assert.equal(mine.length, 2);
    const last = mine[1]!;
    const body = JSON.parse(last.body);
    assert.equal(body.type, "payment.created");
    assert.equal(last.headers["webhook-id"], body.id);
    const ts = Number(last.headers["webhook-timestamp"]);
    assert.equal(last.headers["webhook-signature"], signWebhook(OUTBOX_SECRET, ts, last.body));
    assert.match(String(last.headers["traceparent"]), /^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
  } finally {
    await rx.close();
  }
});

test("an endpoint that keeps failing dead-letters the event", async () => {
  const p = await createPayment("cus_ob2");
  const rx = await receiver(() => 500);
  try {
    const worker = new OutboxWorker(config({ OUTBOX_URL: rx.url, OUTBOX_MAX_ATTEMPTS: "3" }), createDb(svc.pool), quiet);
    await drain(worker, [p.id]);
    const row = (await svc.pool.query("SELECT status, attempts, last_error FROM outbox WHERE aggregate_id = $1", [p.id])).rows[0];
    assert.deepEqual(row, { status: "dead", attempts: 3, last_error: "HTTP 500" });
  } finally {
    await rx.close();
  }
});

test("a receiver that never answers times out", async () => {
  const p = await createPayment("cus_ob3");
  const rx = await receiver(() => 0);
  try {
    const worker = new OutboxWorker(config({ OUTBOX_URL: rx.url, OUTBOX_MAX_ATTEMPTS: "1", OUTBOX_TIMEOUT_MS: "200" }),
      createDb(svc.pool), quiet);
    await drain(worker, [p.id]);
    const row = (await svc.pool.query("SELECT status, last_error FROM outbox WHERE aggregate_id = $1", [p.id])).rows[0];
    assert.equal(row.status, "dead");
    assert.match(row.last_error, /TimeoutError/);
  } finally {
    await rx.close();
  }
});

test("the background loop delivers on its own and stops cleanly", async () => {
  const rx = await receiver(() => 200);
  const worker = new OutboxWorker(config({ OUTBOX_URL: rx.url, OUTBOX_POLL_INTERVAL_MS: "20" }), createDb(svc.pool), quiet);
  worker.start();
  try {
    const p = await createPayment("cus_ob4");
    const until = Date.now() + 10000;
    while (Date.now() < until && !rx.got.some((g) => JSON.parse(g.body).data.id === p.id)) await new Promise((r) => setTimeout(r, 50));
    assert.ok(rx.got.some((g) => JSON.parse(g.body).data.id === p.id));
  } finally {
    await worker.stop();
    await rx.close();
  }
});
