// Rate limiting, the command line (migrate, config errors, serve and
// graceful shutdown), and readiness while PostgreSQL stops and restarts.
// Runs last: it takes the database away.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import { ENV, type Service, http, pgctl, receiver, startService, token, waitFor } from "./helpers.js";

let svc: Service;
let W: string;

before(async () => {
  svc = await startService({ RATE_LIMIT_BURST: "3", RATE_LIMIT_RPS: "1" });
  W = await token("merchant-rl", "payments:read payments:write");
});
after(async () => svc.close());

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const a = s.address();
    s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
  });
});

test("rate limit: 429 with Retry-After and RateLimit headers; health is not limited", async () => {
  const list = () => http(svc.base, "GET", "/v1/payments", { headers: { authorization: `Bearer ${W}` } });
  const first = await list();
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("ratelimit-limit"), "3");
  assert.ok(first.headers.get("ratelimit-remaining") !== null);
  assert.ok(first.headers.get("ratelimit-reset") !== null);
  await list();
  await list();
  const r = await list();
  assert.equal(r.status, 429);
  assert.equal(r.headers.get("content-type")?.split(";")[0], "application/problem+json");
  assert.ok(String(r.json.type).endsWith("/rate-limited"));
  assert.ok(Number(r.headers.get("retry-after")) >= 1);
  // another client has its own bucket; health is never limited
  const other = await token("merchant-rl-2", "payments:read");
  assert.equal((await http(svc.base, "GET", "/v1/payments", { headers: { authorization: `Bearer ${other}` } })).status, 200);
  for (const _ of [1, 2, 3, 4, 5]) assert.equal((await http(svc.base, "GET", "/health/live")).status, 200);
});

test("migrate from the command line is repeatable", () => {
  for (const _ of [1, 2]) {
    const r = spawnSync("node", ["dist/src/main.js", "migrate"], { env: { ...process.env, ...ENV }, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
});

test("invalid configuration stops the process with a message", () => {
  const r = spawnSync("node", ["dist/src/main.js", "serve"], { env: { ...process.env, ...ENV, PORT: "99999" }, encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /PORT/);
});

test("serve answers, logs JSON with request ids, and shuts down on SIGTERM", async () => {
  const port = await freePort();
  const child = spawn("node", ["dist/src/main.js", "serve"], {
    env: { ...process.env, ...ENV, PORT: String(port), BIND_ADDRESS: "127.0.0.1", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  await waitFor("the service", async () => (await http(base, "GET", "/health/ready")).status === 200);
  await http(base, "GET", "/health/live", { headers: { "x-request-id": "it-log-check" } });
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  const line = out.split("\n").find((l) => l.includes("it-log-check"));
  assert.ok(line, "no log line with the request id");
  assert.equal(JSON.parse(line).request_id, "it-log-check");
});

test("with OTEL_EXPORTER_OTLP_ENDPOINT, request spans are exported over OTLP/HTTP", async () => {
  const rx = await receiver(() => 200);
  const port = await freePort();
  const child = spawn("node", ["dist/src/main.js", "serve"], {
    env: { ...process.env, ...ENV, PORT: String(port), BIND_ADDRESS: "127.0.0.1", OTEL_EXPORTER_OTLP_ENDPOINT: rx.url.replace(/\/events$/, "") },
    stdio: "ignore",
  });
  try {
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await waitFor("the service", async () => (await http(base, "GET", "/health/live")).status === 200);
    const r = await http(base, "GET", "/health/live", { headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } });
    assert.match(r.headers.get("traceparent") ?? "", /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    child.kill("SIGTERM"); // shutdown flushes the batch
    assert.equal(await exited, 0);
    const spans = rx.got.filter((g) => g.body.includes("0af7651916cd43dd8448eb211c80319c"));
    assert.ok(spans.length > 0, `no span exported (${rx.got.length} requests)`);
  } finally {
    child.kill();
    await rx.close();
  }
});

test("readiness is 503 while PostgreSQL is down and recovers after its restart", async () => {
  assert.equal((await http(svc.base, "GET", "/health/ready")).status, 200);
  pgctl("stop");
  try {
    const r = await http(svc.base, "GET", "/health/ready");
    assert.equal(r.status, 503);
    assert.equal(r.headers.get("content-type")?.split(";")[0], "application/problem+json");
    assert.equal(r.json.checks.database.status, "down");
    const other = await token("merchant-down", "payments:read payments:write");
    const p = await http(svc.base, "POST", "/v1/payments", {
      headers: { "content-type": "application/json", authorization: `Bearer ${other}`, "idempotency-key": randomUUID() },
      body: JSON.stringify({ amount: 1, currency: "EUR", customer_id: "c" }),
    });
    assert.equal(p.status, 503, p.text);
    assert.ok(String(p.json.type).endsWith("/service-unavailable"));
  } finally {
    pgctl("restart");
  }
  await waitFor("readiness", async () => (await http(svc.base, "GET", "/health/ready")).status === 200);
});
