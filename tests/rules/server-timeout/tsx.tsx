import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { renderToString } from 'react-dom/server';
import React from 'react';

function Page({ title }: { title: string }) {
  return <html><body><h1>{title}</h1></body></html>;
}

// bkgen: expect server-timeout
const app = Fastify({ requestTimeout: 0, logger: { level: 'info' } });

// bkgen: ok server-timeout
const preview = Fastify({ requestTimeout: 30_000, connectionTimeout: 10_000 });

app.register(fastifyStatic, { root: '/srv/public' });

app.get('/', async (_req, reply) => {
  reply.type('text/html');
  return renderToString(<Page title="Home" />);
});

const server = app.server;
// bkgen: expect server-timeout
server.setTimeout(0);

// bkgen: ok server-timeout
server.headersTimeout = 65_000;

app.listen({ port: 3000 });
preview.listen({ port: 3001 });
