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

// Options passed by name are judged when this file shows what they are.
const STATUS_REQUEST = { method: 'GET', url: `${GATEWAY_URL}/status` };

async function gatewayStatus() {
  // bkgen: expect http-client-timeout
  return axios(STATUS_REQUEST);
}

async function pageOnCall(event) {
  const options = {
    method: 'POST',
    url: process.env.PAGER_URL,
    data: event,
  };
  if (event.critical) options.headers = { Urgency: 'high' };
  // bkgen: expect http-client-timeout
  return axios.request(options);
}

async function pageOnCallBounded(event) {
  const options = { method: 'POST', url: process.env.PAGER_URL, data: event };
  options.timeout = 5000;
  // bkgen: ok http-client-timeout
  return axios.request(options);
}

async function notifyChat(hook, payload) {
  let config = { headers: { 'Content-Type': 'application/json' } };
  // A helper that adds a proxy agent to the options it is given.
  config = withProxy(config);
  // bkgen: expect http-client-timeout
  await axios.post(hook.url, payload, config);
}

async function notifyChatBounded(hook, payload) {
  const config = withProxy({ headers: { 'Content-Type': 'application/json' }, timeout: 5000 });
  // bkgen: ok http-client-timeout
  await axios.post(hook.url, payload, config);
}

async function lookup(name) {
  const requestConfig = withProxy({});
  // bkgen: expect http-client-timeout
  return axios.get(`${GATEWAY_URL}/lookup/${name}`, requestConfig);
}

async function lookupForTenant(name, tenant) {
  // Built from something else by a helper this file does not show: not judged.
  const requestConfig = configFor(tenant);
  // bkgen: ok http-client-timeout
  return axios.get(`${GATEWAY_URL}/lookup/${name}`, requestConfig);
}

async function ping() {
  // bkgen: expect http-client-timeout
  await axios.request(`${GATEWAY_URL}/ping`);
  const healthUrl = `${GATEWAY_URL}/health`;
  // bkgen: expect http-client-timeout
  await axios.request(healthUrl);
}

async function pingBounded() {
  // bkgen: ok http-client-timeout
  await axios.request({ url: `${GATEWAY_URL}/ping`, timeout: 2000 });
}

async function postForm(url, form) {
  const init = { method: 'POST', body: form };
  // bkgen: expect http-client-timeout
  return fetch(url, init);
}

async function postFormBounded(url, form) {
  const init = { method: 'POST', body: form, signal: AbortSignal.timeout(5000) };
  // bkgen: ok http-client-timeout
  return fetch(url, init);
}

async function forward(opts) {
  // A parameter: the caller decides.
  // bkgen: ok http-client-timeout
  return axios(opts);
}

module.exports = { loadExchangeRates, charge, refund, capture, status, withDefaults, viaRequest, notifyWebhook, fetchCustomer, syncInvoices, Repo, gatewayStatus, pageOnCall, pageOnCallBounded,
  notifyChat, notifyChatBounded, lookup, lookupForTenant, ping, pingBounded, postForm, postFormBounded, forward };
