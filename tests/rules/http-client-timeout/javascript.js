// Payment gateway client used by the checkout service.
const axios = require('axios');
const { logger } = require('../lib/logger');

const GATEWAY_URL = process.env.GATEWAY_URL;

// bkgen: expect http-client-timeout
const gateway = axios.create({
  baseURL: GATEWAY_URL,
  headers: { 'X-Api-Key': process.env.GATEWAY_KEY },
});

// bkgen: ok http-client-timeout
const ledger = axios.create({ baseURL: process.env.LEDGER_URL, timeout: 5000 });

// bkgen: expect http-client-timeout
const bare = axios.create();

async function loadExchangeRates() {
  // bkgen: expect http-client-timeout
  const res = await fetch(`${GATEWAY_URL}/rates`);
  return res.json();
}

async function charge(order) {
  // bkgen: expect http-client-timeout
  const res = await fetch(`${GATEWAY_URL}/charges`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ amount: order.total, currency: order.currency }),
  });
  if (!res.ok) throw new Error(`charge failed: ${res.status}`);
  return res.json();
}

async function refund(chargeId, init) {
  // bkgen: ok http-client-timeout
  const res = await fetch(`${GATEWAY_URL}/charges/${chargeId}/refund`, init);
  return res.json();
}

async function capture(chargeId) {
  // bkgen: ok http-client-timeout
  const res = await fetch(`${GATEWAY_URL}/charges/${chargeId}/capture`, {
    method: 'POST',
    signal: AbortSignal.timeout(5000),
  });
  return res.json();
}

async function status(chargeId, signal) {
  // bkgen: ok http-client-timeout
  const res = await globalThis.fetch(`${GATEWAY_URL}/charges/${chargeId}`, { signal });
  return res.json();
}

async function withDefaults(path, defaults) {
  // bkgen: ok http-client-timeout
  return fetch(`${GATEWAY_URL}${path}`, { ...defaults, method: 'GET' });
}

async function viaRequest(path, ctrl) {
  // bkgen: ok http-client-timeout
  return fetch(new Request(`${GATEWAY_URL}${path}`, { signal: ctrl.signal }));
}

async function notifyWebhook(hook, payload) {
  try {
    // bkgen: expect http-client-timeout
    await axios.post(hook.url, payload);
  } catch (err) {
    logger.warn({ err }, 'webhook failed');
  }
}

async function fetchCustomer(id) {
  // bkgen: expect http-client-timeout
  const { data } = await axios.get(`/customers/${id}`, { headers: { Accept: 'application/json' } });
  // bkgen: ok http-client-timeout
  const { data: prefs } = await axios.get(`/customers/${id}/prefs`, { timeout: 2000 });
  return { ...data, prefs };
}

async function syncInvoices(config) {
  // bkgen: ok http-client-timeout
  await axios.post('/invoices/sync', { since: Date.now() - 3600e3 }, config);
  // bkgen: expect http-client-timeout
  await axios({ method: 'delete', url: '/invoices/stale' });
  // bkgen: ok http-client-timeout
  await axios({ method: 'delete', url: '/invoices/draft', timeout: 3000 });
  // bkgen: ok http-client-timeout
  await gateway.get('/health');
}

// An unrelated method that happens to be called fetch.
class Repo {
  // bkgen: ok http-client-timeout
  async load(id) { return this.fetch(id); }
}

module.exports = { loadExchangeRates, charge, refund, capture, status, withDefaults, viaRequest, notifyWebhook, fetchCustomer, syncInvoices, Repo };
