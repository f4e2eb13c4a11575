// The HTTP application: Fastify with request ids, trace context, JWT
// auth, rate limiting, RFC 9457 errors for everything, and the routes.
import Fastify, { type FastifyInstance, type FastifyError, type FastifyRequest } from "fastify";
import rateLimit from "@fastify/rate-limit";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Config } from "./config.js";
import { createDb, mapDbError } from "./db.js";
import { makeVerifier } from "./auth.js";
import { nextTraceparent } from "./crypto.js";
import { ProblemError, problemBody, problems } from "./problem.js";
import { paymentRoutes } from "./routes/payments.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { healthRoutes } from "./routes/health.js";
import type { Span } from "@opentelemetry/api";
import type { Telemetry } from "./telemetry.js";

declare module "fastify" {
  interface FastifyRequest {
    rawBody?: string;
    otelSpan?: Span;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

// Known paths and their methods, for 405 + Allow.
const ROUTES: [RegExp, string][] = [
  [/^\/v1\/payments$/, "GET, HEAD, POST"],
  [/^\/v1\/payments\/[^/]+$/, "GET, HEAD"],
  [/^\/v1\/payments\/[^/]+\/refunds$/, "POST"],
  [/^\/v1\/webhooks\/provider$/, "POST"],
  [/^\/health\/(live|ready)$/, "GET, HEAD"],
];

export interface AppState {
  shuttingDown: boolean;
}

export async function buildApp(
  cfg: Config, pool: pg.Pool, state: AppState = { shuttingDown: false }, telemetry?: Telemetry,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: cfg.LOG_LEVEL,
      redact: ["req.headers.authorization", "req.headers[\"webhook-signature\"]"],
      formatters: { level: (label) => ({ level: label }) },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
    },
    requestIdLogLabel: "request_id",
    requestIdHeader: false,
    genReqId: (req) => {
      const h = req.headers["x-request-id"];
      return typeof h === "string" && REQUEST_ID.test(h) ? h : randomUUID();
    },
    bodyLimit: cfg.HTTP_MAX_BODY_BYTES,
    connectionTimeout: cfg.HTTP_CONNECTION_TIMEOUT_S * 1000,
    requestTimeout: cfg.HTTP_REQUEST_TIMEOUT_S * 1000,
    keepAliveTimeout: 5000,
    return503OnClosing: true,
  });
  const db = createDb(pool);
  const deps = { cfg, db };
  const verify = makeVerifier(cfg);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req: FastifyRequest, body, done) => {
    req.rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(problems.malformed(`the body is not valid JSON: ${err instanceof Error ? err.message : "parse error"}`), undefined);
    }
  });

  app.decorateRequest("traceparent", "");
  app.addHook("onRequest", async (req, reply) => {
    const incoming = typeof req.headers.traceparent === "string" ? req.headers.traceparent : undefined;
    if (telemetry) {
      const started = telemetry.startRequest(`${req.method} ${req.routeOptions.url ?? "unmatched"}`, incoming);
      req.otelSpan = started.span;
      req.traceparent = started.traceparent || nextTraceparent(incoming);
    } else {
      req.traceparent = nextTraceparent(incoming);
    }
    reply.header("x-request-id", req.id).header("traceparent", req.traceparent);
    const scope = req.routeOptions.config?.scope;
    if (!scope) return;
    req.principal = await verify(req.headers.authorization);
    if (!req.principal.scopes.has(scope)) throw problems.forbidden(scope);
  });
  app.addHook("onResponse", async (req, reply) => {
    if (telemetry && req.otelSpan) telemetry.endRequest(req.otelSpan, reply.statusCode);
  });
  app.addHook("preValidation", async (req) => {
    if (req.method === "POST" && req.body === undefined) {
      throw new ProblemError(415, "unsupported-media-type", "Unsupported media type", "the body must be application/json");
    }
  });

  await app.register(rateLimit, {
    global: true,
    hook: "preHandler",
    max: cfg.RATE_LIMIT_BURST,
    timeWindow: Math.ceil((cfg.RATE_LIMIT_BURST / cfg.RATE_LIMIT_RPS) * 1000),
    enableDraftSpec: true,
    keyGenerator: (req) => req.principal?.merchant ?? req.ip,
    errorResponseBuilder: (_req, ctx) =>
      new ProblemError(429, "rate-limited", "Too many requests", `rate limit of ${ctx.max} requests exceeded`, {
        headers: { "retry-after": String(Math.max(1, Math.ceil(ctx.ttl / 1000))) },
      }),
  });

  app.setErrorHandler((error: FastifyError | ProblemError, req, reply) => {
    const mapped = mapDbError(error);
    const p = toProblem(mapped instanceof Error ? (mapped as FastifyError) : error);
    if (p.status >= 500) req.log.error({ err: error }, "request failed");
    for (const [k, v] of Object.entries(p.extra.headers ?? {})) reply.header(k, v);
    return reply.code(p.status).type("application/problem+json").send(
      problemBody(p.status, p.slug, p.title, p.message, req.url.split("?")[0] ?? "", req.id,
        p.extra.errors ? { errors: p.extra.errors } : {}));
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    const known = ROUTES.find(([re]) => re.test(path));
    const p = known
      ? new ProblemError(405, "method-not-allowed", "Method not allowed", `${req.method} is not allowed on ${path}`)
      : problems.notFound(`no route for ${req.method} ${path}`);
    if (known) reply.header("allow", known[1]);
    return reply.code(p.status).type("application/problem+json").send(
      problemBody(p.status, p.slug, p.title, p.message, path, req.id));
  });

  healthRoutes(app, pool, state);
  paymentRoutes(app, deps);
  webhookRoutes(app, deps);
  return app;
}

function toProblem(err: FastifyError | ProblemError): ProblemError {
  if (err instanceof ProblemError) return err;
  const status = (err as FastifyError).statusCode ?? 500;
  switch (status) {
    case 413: return new ProblemError(413, "payload-too-large", "Payload too large", "the request body is too large");
    case 415: return new ProblemError(415, "unsupported-media-type", "Unsupported media type", "the body must be application/json");
    case 400: return problems.malformed(err.message);
    case 408: return new ProblemError(408, "request-timeout", "Request timeout", "the request took too long");
    case 503: return problems.unavailable();
    default:
      return status >= 400 && status < 500
        ? new ProblemError(status, "malformed-request", "Bad request", err.message)
        : new ProblemError(500, "internal-error", "Internal error", "unexpected failure; see the logs under this request id");
  }
}
