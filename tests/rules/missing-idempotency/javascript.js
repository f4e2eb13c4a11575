'use strict';

const express = require('express');
const axios = require('axios');
const { idempotency } = require('express-idempotency');
const { asyncHandler } = require('./lib/async-handler');
const orders = require('./services/orders');
const billing = require('./services/billing');

const app = express();
app.use(express.json());

// bkgen: expect missing-idempotency
app.post('/orders', async (req, res) => {
  const order = await orders.create(req.user.id, req.body);
  res.status(201).json(order);
});

// bkgen: ok missing-idempotency
app.post('/payments', async (req, res) => {
  const key = req.get('Idempotency-Key');
  if (!key) return res.status(400).json({ error: 'Idempotency-Key header is required' });
  const cached = await billing.findByKey(key);
  if (cached) return res.status(cached.status).json(cached.body);
  res.status(201).json(await billing.charge(key, req.body));
});

// bkgen: ok missing-idempotency
app.get('/orders/:id', async (req, res) => {
  res.json(await orders.get(req.params.id));
});

async function createRefund(req, res) {
  const refund = await billing.refund(req.params.id, req.body.amount);
  res.status(201).json(refund);
}

// A named handler defined in this file that never reads the key.
// bkgen: expect missing-idempotency
app.post('/payments/:id/refunds', requireAuth, createRefund);

const createInvoice = asyncHandler(async (req, res) => {
  const key = req.headers['idempotency-key'];
  res.status(201).json(await billing.invoiceOnce(key, req.body));
});

// The handler is defined above and reads the header.
// bkgen: ok missing-idempotency
app.post('/invoices', requireAuth, createInvoice);

// bkgen: expect missing-idempotency
app.post('/carts/:id/checkout', requireAuth, asyncHandler(async (req, res) => {
  res.status(201).json(await orders.checkout(req.params.id));
}));

// Stripe retries webhooks: this receiver dedupes on the event id.
// bkgen: ok missing-idempotency
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = billing.verify(req.body, req.get('Stripe-Signature'));
  if (await billing.seen(event.id)) return res.sendStatus(200);
  await billing.apply(event);
  res.sendStatus(200);
});

// The handler lives in another module: it cannot be checked from here.
// bkgen: ok missing-idempotency
app.post('/subscriptions', requireAuth, billing.subscribe);

// Outbound HTTP calls are not routes.
// bkgen: ok missing-idempotency
axios.post('/internal/audit', { action: 'boot' }).catch(() => {});

// A router with idempotency middleware registered on it.
const admin = express.Router();
admin.use(idempotency({ ttlSeconds: 24 * 60 * 60 }));
// bkgen: ok missing-idempotency
admin.post('/credits', async (req, res) => {
  res.status(201).json(await billing.grantCredit(req.body));
});

// A router mounted on an app that applies idempotency middleware first.
const internalApi = express();
const jobs = express.Router();
internalApi.use(idempotency());
internalApi.use('/jobs', jobs);
// bkgen: ok missing-idempotency
jobs.post('/', async (req, res) => res.status(202).json(await orders.enqueue(req.body)));

// The middleware is on `admin`, not on this router.
const reports = express.Router();
reports
  .route('/exports')
  .get((req, res) => res.json([]))
  // bkgen: expect missing-idempotency
  .post(async (req, res) => res.status(202).json(await orders.export(req.body)));

function requireAuth(req, res, next) {
  if (!req.user) return res.sendStatus(401);
  next();
}

app.use('/admin', admin);
app.use('/reports', reports);
app.listen(3000);
