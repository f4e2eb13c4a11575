// Entry point: `serve` (default) or `migrate`. Graceful shutdown on
// SIGTERM/SIGINT: readiness turns 503, the server drains, the worker stops,
// the pool closes.
import { pathToFileURL } from "node:url";
import { SignJWT } from "jose";
import { resolve } from "node:path";
import { ConfigError, loadConfig } from "./config.js";
import { createDb, createPool, runMigrations } from "./db.js";
import { buildApp } from "./app.js";
import { OutboxWorker } from "./outbox.js";
import { startTelemetry } from "./telemetry.js";

async function main(argv: string[]): Promise<number> {
  const cmd = argv[0] ?? "serve";
  const cfg = loadConfig();
  if (cmd === "migrate") {
    const pool = createPool(cfg);
    try {
      await runMigrations(createDb(pool), resolve(cfg.MIGRATIONS_DIR));
      process.stdout.write("migrations applied\n");
    } finally {
      await pool.end();
    }
    return 0;
  }
  if (cmd === "token") {
    // A development token for the tour in README.md, signed with JWT_SECRET.
    const jwt = await new SignJWT({ scope: argv[2] ?? "payments:read payments:write" })
      .setProtectedHeader({ alg: "HS256" }).setSubject(argv[1] ?? "merchant_1").setAudience(cfg.JWT_AUDIENCE)
      .setIssuedAt().setExpirationTime("1h")
      .sign(new TextEncoder().encode(cfg.JWT_SECRET));
    process.stdout.write(`${jwt}\n`);
    return 0;
  }
  if (cmd !== "serve") {
    process.stderr.write(`usage: acme-payments [serve|migrate|token [SUB] [SCOPES]]\n`);
    return 2;
  }
  const telemetry = await startTelemetry(cfg);
  const state = { shuttingDown: false };
  const pool = createPool(cfg);
  const app = await buildApp(cfg, pool, state, telemetry);
  pool.on("error", (err) => app.log.warn({ err: err.message }, "idle database connection failed"));
  const worker = new OutboxWorker(cfg, createDb(pool), app.log);
  await app.listen({ port: cfg.PORT, host: cfg.BIND_ADDRESS });
  worker.start();
  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      if (state.shuttingDown) return;
      state.shuttingDown = true;
      app.log.info({ signal }, "shutting down");
      const force = setTimeout(() => {
        app.log.error({}, "drain timeout; exiting");
        process.exit(1);
      }, cfg.SHUTDOWN_DRAIN_TIMEOUT_S * 1000 + 5000);
      force.unref();
      void (async () => {
        await worker.stop();
        await app.close();
        await pool.end();
        await telemetry?.shutdown();
        done();
      })();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
