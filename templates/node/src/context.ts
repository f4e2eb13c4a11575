// What every route handler gets: configuration, the database, and the
// per-request principal and trace context set by the hooks in app.ts.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "./config.js";
import type { Db, Tx } from "./db.js";
import { mapDbError } from "./db.js";
import type { Principal } from "./auth.js";
import { requestHash } from "./crypto.js";
import { claimKey, completeKey, readKey, releaseKey } from "./idempotency.js";
import type { Ctx } from "./journal.js";

export interface Deps {
  cfg: Config;
  db: Db;
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
    traceparent: string;
  }
  interface FastifyContextConfig {
    scope?: string;
  }
}

export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error("route without authentication");
  return req.principal;
}

export function ctxOf(req: FastifyRequest): Ctx {
  return { actor: principal(req).merchant, requestId: req.id, traceparent: req.traceparent };
}

export interface Outcome {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Runs an idempotent POST: claims the Idempotency-Key, runs `work` in one
 * transaction that also stores the response, replays completed responses,
 * and frees the key when `work` fails.
 */
export async function idempotent(
  deps: Deps, req: FastifyRequest, reply: FastifyReply, work: (tx: Tx) => Promise<Outcome>,
): Promise<FastifyReply> {
  const key = readKey(req.headers["idempotency-key"]);
  const merchant = principal(req).merchant;
  const hash = requestHash(req.method, req.url.split("?")[0] ?? req.url, req.body);
  try {
    const claim = await claimKey(deps.db, merchant, key, hash, deps.cfg.IDEMPOTENCY_TTL_HOURS);
    if (claim.kind === "replay") {
      return reply.code(claim.status).header("idempotent-replayed", "true")
        .type("application/json").send(claim.body);
    }
    try {
      const out = await deps.db.transaction(async (tx) => {
        const o = await work(tx);
        await completeKey(tx, claim.claim, o.status, JSON.stringify(o.body));
        return o;
      });
      return reply.code(out.status).headers(out.headers ?? {}).send(out.body);
    } catch (err) {
      await releaseKey(deps.db, claim.claim).catch((e: unknown) =>
        req.log.warn({ err: e instanceof Error ? e.message : String(e) }, "could not release idempotency key"));
      throw err;
    }
  } catch (err) {
    throw mapDbError(err);
  }
}
