// GET /health/live and /health/ready (SELECT 1 with a short bound).
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { problemBody } from "../problem.js";

export function healthRoutes(app: FastifyInstance, pool: pg.Pool, state: { shuttingDown: boolean }): void {
  app.get("/health/live", { config: { rateLimit: false } }, async () => ({ status: "ok" }));

  app.get("/health/ready", { config: { rateLimit: false } }, async (req, reply) => {
    const started = performance.now();
    let error = state.shuttingDown ? "shutting down" : "";
    if (!error) {
      try {
        await Promise.race([
          pool.query("SELECT 1"),
          new Promise((_, reject) => setTimeout(() => reject(new Error("readiness check timed out")), 2500).unref()),
        ]);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    const latency = Math.round((performance.now() - started) * 10) / 10;
    if (!error) return { status: "ready", checks: { database: { status: "up", latency_ms: latency } } };
    const down = state.shuttingDown ? "up" : "down";
    return reply.code(503).header("retry-after", "1").type("application/problem+json").send(
      problemBody(503, "not-ready", "Not ready", `not ready: ${error}`, req.url.split("?")[0] ?? "", req.id,
        { checks: { database: { status: down, latency_ms: latency, error } } }));
  });
}
