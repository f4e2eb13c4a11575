import Fastify, { FastifyInstance } from 'fastify';
import fastify from 'fastify';
import http from 'node:http';
import type { Server } from 'node:http';

interface AppConfig {
  port: number;
  requestTimeoutMs: number;
}

export function buildApp(config: AppConfig): FastifyInstance {
  // bkgen: expect server-timeout
  const app = Fastify({ logger: true, requestTimeout: 0 });
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}

export function buildLegacy(): FastifyInstance {
  // bkgen: expect server-timeout
  return fastify<Server>({ connectionTimeout: 0, bodyLimit: 1_048_576 });
}

export function buildTuned(config: AppConfig): FastifyInstance {
  // bkgen: ok server-timeout
  return Fastify({ logger: true, connectionTimeout: 10_000, requestTimeout: config.requestTimeoutMs });
}

export function startRaw(handler: http.RequestListener): Server {
  // bkgen: expect server-timeout
  const server: Server = http.createServer({ headersTimeout: 0 }, handler);
  // bkgen: expect server-timeout
  server.requestTimeout = 0;
  server.listen(8080);
  return server;
}

export class HttpHost {
  private server?: Server;

  start(handler: http.RequestListener, config: AppConfig): void {
    this.server = http.createServer(handler);
    // bkgen: expect server-timeout
    this.server.setTimeout(0);
    // bkgen: ok server-timeout
    this.server.headersTimeout = config.requestTimeoutMs;
    this.server.listen(config.port);
  }
}

// A plain timer is not a server.
// bkgen: ok server-timeout
setTimeout(() => process.exit(0), 0);
