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
  .post(async (req, res) => res.status(202).json(await orders.createExport(req.body)));

// ---- what a POST does decides ------------------------------------------

// A template-literal path is a path too.
// bkgen: expect missing-idempotency
app.post(`/v1/orders`, async (req, res) => res.status(201).json(await orders.insert(req.body)));

// Only reads: an RPC-style POST that lists, echoes or searches.
// bkgen: ok missing-idempotency
app.post('/orders.search', async (req, res) => res.json(await orders.findAll(req.body.query)));

// bkgen: ok missing-idempotency
app.post('/echo', (req, res) => res.send(req.body));

// Named for a read although its body would look like a write.
// bkgen: ok missing-idempotency
app.post('/orders.list', async (req, res) => res.json(await orders.createCursor(req.body)));

// Set semantics: updates, deletes, membership, follow/favorite.
// bkgen: ok missing-idempotency
app.post('/orders.update', async (req, res) => res.json(await orders.save(req.body)));

// bkgen: ok missing-idempotency
app.post('/articles/:slug/favorite', requireAuth, async (req, res) => {
  await orders.addFavorite(req.user.id, req.params.slug);
  res.sendStatus(204);
});

// bkgen: ok missing-idempotency
app.post('/collections.add_user', async (req, res) => res.json(await orders.addMember(req.body)));

// ... but a set-like name that changes a quantity repeats it on retry.
// bkgen: expect missing-idempotency
app.post('/carts/:id/lines/remove', async (req, res) => {
  res.json(await orders.save({ id: req.params.id, quantity: orders.decrementQuantity(req.body) }));
});

// Upserts and find-or-create leave the same state when repeated.
// bkgen: ok missing-idempotency
app.post('/stars', async (req, res) => {
  const [star] = await Star.findOrCreate({ where: { userId: req.user.id, docId: req.body.docId } });
  res.json(star);
});

// bkgen: ok missing-idempotency
app.post('/subscriptions/create', async (req, res) => {
  await db.query('INSERT INTO subscription (user_id, doc_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [req.user.id, req.body.docId]);
  res.sendStatus(204);
});

// bkgen: expect missing-idempotency
app.post('/audit', async (req, res) => {
  await db.query('INSERT INTO audit (actor, action) VALUES ($1, $2)', [req.user.id, req.body.action]);
  res.sendStatus(204);
});

// Authentication flows: a retried login, logout or token request creates nothing to duplicate.
// bkgen: ok missing-idempotency
app.post('/users/login', async (req, res) => res.json(await sessions.create(req.body)));

// bkgen: ok missing-idempotency
app.post('/oauth/token', async (req, res) => res.json(await tokens.issue(req.body)));

// bkgen: ok missing-idempotency
app.post('/password-reset', async (req, res) => res.json(await mailer.sendResetLink(req.body.email)));

// A helper of this file does the write.
function storeLine(body) {
  return orders.insert(body);
}
async function addLine(req, res) {
  res.status(201).json(await storeLine(req.body));
}
// bkgen: expect missing-idempotency
app.post('/orders/:id/lines', addLine);

// An outbound POST is a side effect a retry repeats.
// bkgen: expect missing-idempotency
app.post('/notify', async (req, res) => {
  await fetch(process.env.HOOK_URL, { method: 'POST', body: JSON.stringify(req.body) });
  res.sendStatus(202);
});

// The handler is elsewhere, but its name says it creates.
// bkgen: expect missing-idempotency
app.post('/invoices/bulk', requireAuth, billing.createInvoices);

// A request id the handler requires and de-duplicates on is a key.
// bkgen: ok missing-idempotency
app.post('/transfers', async (req, res) => {
  const requestId = req.get('x-requestid');
  if (!requestId) return res.status(400).end();
  res.json(await billing.runIdentified(requestId, () => billing.createTransfer(req.body)));
});

// ... a request id only logged is not.
// bkgen: expect missing-idempotency
app.post('/refund-requests', async (req, res) => {
  log.info({ requestId: req.get('x-request-id') });
  res.json(await billing.createRefund(req.body));
});

function requireAuth(req, res, next) {
  if (!req.user) return res.sendStatus(401);
  next();
}

app.use('/admin', admin);
app.use('/reports', reports);
app.listen(3000);
