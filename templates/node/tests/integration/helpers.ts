// Shared by the integration suites: configuration, tokens, HTTP, and the
// service under test started in-process on a loopback port.
import { SignJWT } from "jose";
import { execFileSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { loadConfig, type Config } from "../../src/config.js";
import { createDb, createPool, runMigrations } from "../../src/db.js";
import { buildApp } from "../../src/app.js";

export const JWT_SECRET = "it-secret-0123456789abcdef0123456789";
export const WEBHOOK_SECRET = "whsec-it-0123456789";
export const OUTBOX_SECRET = "outbox-it-secret";

export const ENV: Record<string, string> = {
  DATABASE_URL: process.env["DATABASE_URL"] ?? "",
  JWT_SECRET, WEBHOOK_SECRET, OUTBOX_SECRET,
  RATE_LIMIT_RPS: "100", RATE_LIMIT_BURST: "1000", FRAUD_MAX_PER_MINUTE: "3", FRAUD_REVIEW_AMOUNT: "50000",
  PAYMENT_MAX_AMOUNT: "1000000", HTTP_MAX_BODY_BYTES: "4096", DB_ACQUIRE_TIMEOUT_MS: "1000",
  OUTBOX_MAX_ATTEMPTS: "3", OUTBOX_BACKOFF_BASE_MS: "50", OUTBOX_BACKOFF_MAX_MS: "200", LOG_LEVEL: "error",
};

export function config(over: Record<string, string> = {}): Config {
  return loadConfig({ ...ENV, ...over });
}

export interface Service {
  app: FastifyInstance;
  pool: pg.Pool;
  base: string;
  close(): Promise<void>;
}

export async function startService(over: Record<string, string> = {}): Promise<Service> {
  const cfg = config(over);
  const pool = createPool(cfg);
  await runMigrations(createDb(pool), "migrations");
  const app = await buildApp(cfg, pool);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return { app, pool, base: `http://127.0.0.1:${port}`, close: async () => { await app.close(); await pool.end(); } };
}

export async function token(sub: string, scope: string, claims: Record<string, unknown> = {}, secret = JWT_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope, ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub).setAudience((claims["aud"] as string | undefined) ?? "acme-payments")
    .setIssuedAt(now).setExpirationTime((claims["exp"] as number | undefined) ?? now + 600)
    .sign(new TextEncoder().encode(secret));
}

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function http(base: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const res = await fetch(base + path, {
    method, headers: opts.headers ?? {}, body: opts.body ?? null, signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch (err) {
    json = { unparsed: text, err: String(err) };
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Stops or restarts the throwaway PostgreSQL that tests/integration/run.sh started. */
export function pgctl(action: "stop" | "restart"): void {
  execFileSync("bash", [process.env["PGTMP_SH"] ?? "tests/pgtmp.sh", action], { stdio: "inherit" });
}

export async function waitFor(what: string, fn: () => Promise<boolean>, seconds = 15): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A loopback webhook receiver; `answer` decides the status for each delivery. */
export async function receiver(answer: (req: IncomingMessage, body: string) => number) {
  const got: { headers: IncomingMessage["headers"]; body: string; status: number }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => { body += c.toString(); });
    req.on("end", () => {
      const status = answer(req, body);
      got.push({ headers: req.headers, body, status });
      if (status > 0) res.writeHead(status).end(); // 0: never answer

    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/events`, got, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}
