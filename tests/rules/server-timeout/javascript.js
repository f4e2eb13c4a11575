'use strict';

const http = require('http');
const https = require('https');
const fs = require('fs');
const express = require('express');

const app = express();
app.get('/healthz', (req, res) => res.sendStatus(204));

// bkgen: expect server-timeout
const server = http.createServer({ requestTimeout: 0 }, app);

const tlsOptions = { key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem') };
// bkgen: expect server-timeout
const httpsServer = https.createServer({ ...tlsOptions, headersTimeout: 0, keepAliveTimeout: 5000 }, app);

// Long uploads were timing out, so someone switched the timeout off entirely.
// bkgen: expect server-timeout
server.setTimeout(0);

// bkgen: expect server-timeout
httpsServer.requestTimeout = 0;

// bkgen: expect server-timeout
this.httpServer.headersTimeout = 0;

// bkgen: ok server-timeout
const internal = http.createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, app);

// A timeout taken from configuration, even if it may be 0 at run time, is not a literal 0.
const REQUEST_TIMEOUT_MS = Number(process.env.REQUEST_TIMEOUT_MS || 30000);
// bkgen: ok server-timeout
internal.requestTimeout = REQUEST_TIMEOUT_MS;

// Socket-level idle timeouts on a single connection are a different knob.
server.on('connection', (socket) => {
  // bkgen: ok server-timeout
  socket.setTimeout(0);
});

// A client request timeout of 0 is a different rule's business.
// bkgen: ok server-timeout
const req = http.request({ host: 'api.internal', path: '/v1/ping', timeout: 0 });
req.end();

// A database driver's requestTimeout is not the HTTP server's.
const dbConfig = { server: 'sql.internal', database: 'orders', options: { encrypt: true } };
// bkgen: ok server-timeout
dbConfig.requestTimeout = 0;

// bkgen: ok server-timeout
internal.setTimeout(30_000, () => console.warn('request timed out'));

// Fastify via require('fastify')(...)
// bkgen: expect server-timeout
const fastifyApp = require('fastify')({ logger: true, connectionTimeout: 0 });

// bkgen: ok server-timeout
const fastifyOk = require('fastify')({ logger: true, connectionTimeout: 10_000, requestTimeout: 30_000 });

server.listen(8080);
httpsServer.listen(8443);
internal.listen(9090);
