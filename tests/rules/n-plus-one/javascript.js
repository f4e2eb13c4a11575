'use strict';

const express = require('express');
const pLimit = require('p-limit');
const DataLoader = require('dataloader');
const { pool } = require('./db');
const knex = require('./knex');
const { User, Order } = require('./models');
const logger = require('./logger');
const format = require('pg-format');
const _ = require('lodash');

const router = express.Router();

// GET /orders: attaches the customer to every order.
router.get('/orders', async (req, res) => {
  const { rows: orders } = await pool.query('SELECT * FROM orders WHERE shop_id = $1', [req.shopId]);
  for (const order of orders) {
    // bkgen: expect n-plus-one
    const { rows } = await pool.query('SELECT * FROM customers WHERE id = $1', [order.customer_id]);
    order.customer = rows[0];
  }
  res.json(orders);
});

async function loadLines(client, orderIds) {
  const lines = [];
  for (let i = 0; i < orderIds.length; i++) {
    // bkgen: expect n-plus-one
    const res = await client.query({ text: 'SELECT * FROM order_lines WHERE order_id = $1', values: [orderIds[i]] });
    lines.push(...res.rows);
  }
  return lines;
}

async function enrich(posts) {
  return Promise.all(posts.map(async (post) => {
    // bkgen: expect n-plus-one
    const author = await knex('users').where({ id: post.author_id }).first();
    return { ...post, author };
  }));
}

async function markShipped(db, shipments) {
  shipments.forEach(async (s) => {
    // bkgen: expect n-plus-one
    await db.none('UPDATE orders SET status = $1 WHERE id = $2', ['shipped', s.orderId]);
  });
}

async function totals(customers) {
  let i = 0;
  while (i < customers.length) {
    // bkgen: expect n-plus-one
    customers[i].orders = await Order.findAll({ where: { customerId: customers[i].id } });
    i++;
  }
}

async function owners(pets) {
  for (const pet of pets) {
    // bkgen: expect n-plus-one
    pet.owner = await User.findByPk(pet.ownerId);
  }
}

async function tags(db, articles) {
  for (const a of articles) {
    // bkgen: expect n-plus-one
    a.tags = await db.collection('tags').find({ articleId: a._id }).toArray();
  }
}

// --- not N+1 ---------------------------------------------------------------

async function withCustomers(shopId) {
  const { rows: orders } = await pool.query('SELECT * FROM orders WHERE shop_id = $1', [shopId]);
  const ids = orders.map((o) => o.customer_id);
  // bkgen: ok n-plus-one
  const { rows: customers } = await pool.query('SELECT * FROM customers WHERE id = ANY($1)', [ids]);
  const byId = new Map(customers.map((c) => [c.id, c]));
  return orders.map((o) => ({ ...o, customer: byId.get(o.customer_id) }));
}

async function exportJobs() {
  // bkgen: ok n-plus-one
  for (const job of (await pool.query('SELECT id, payload FROM jobs WHERE done = false')).rows) {
    logger.info({ id: job.id }, 'exporting');
  }
}

async function archive(groups) {
  for (const group of groups) {
    // bkgen: ok n-plus-one
    await knex('orders').whereIn('id', group.orderIds).update({ archived: true });
  }
}

async function importRows(rows) {
  for (const chunk of _.chunk(rows, 1000)) {
    // bkgen: ok n-plus-one
    await pool.query(format('INSERT INTO events (kind, payload) VALUES %L', chunk.map((r) => [r.kind, r.payload])));
  }
}

function registerReports(app, reports) {
  for (const report of reports) {
    // bkgen: ok n-plus-one
    app.get(`/reports/${report.slug}`, async (req, res) => {
      const { rows } = await pool.query(report.sql, [req.shopId]);
      res.json(rows);
    });
  }
}

const userLoader = new DataLoader(async (ids) => {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = ANY($1)', [ids]);
  return ids.map((id) => rows.find((u) => u.id === id));
});

async function resolveAuthors(posts) {
  // bkgen: ok n-plus-one
  return Promise.all(posts.map((p) => userLoader.load(p.authorId)));
}

async function worker() {
  while (true) {
    // bkgen: ok n-plus-one
    const { rows } = await pool.query('SELECT * FROM jobs WHERE done = false FOR UPDATE SKIP LOCKED LIMIT 1');
    if (rows.length === 0) break;
    await handle(rows[0]);
  }
}

async function lookupAll(client, ids) {
  for (const id of ids) {
    // bkgen: ok n-plus-one
    const r = await client.query({ query: USER_QUERY, variables: { id } });
    logger.debug(r.data);
  }
}

// redbean-node, used through its `R` facade
const { R } = require('redbean-node');

async function statusPageHeartbeats(monitorIDList) {
  const result = {};
  for (const monitorID of monitorIDList) {
    // bkgen: expect n-plus-one
    result[monitorID] = await R.getAll('SELECT status, time FROM heartbeat WHERE monitor_id = ? ORDER BY time DESC LIMIT 100', [monitorID]);
  }
  return result;
}

async function linkNotifications(monitorID, notificationIDs) {
  for (const notificationID of notificationIDs) {
    const relation = R.dispense('monitor_notification');
    relation.monitor_id = monitorID;
    relation.notification_id = notificationID;
    // bkgen: expect n-plus-one
    await R.store(relation);
  }
}

async function latestBeats(monitorIDList) {
  // bkgen: ok n-plus-one
  const rows = await R.getAll(`SELECT monitor_id, status FROM heartbeat WHERE monitor_id IN (${monitorIDList.map(() => '?').join(',')})`, monitorIDList);
  for (const id of monitorIDList) {
    // R.find and R.count are left out: Ramda's `R` has them too
    // bkgen: ok n-plus-one
    R.find((r) => r.monitor_id === id, rows);
  }
  return rows;
}

async function resetCounters() {
  // a loop over a fixed list of tables is bounded by the list
  for (const table of ['stat_minutely', 'stat_hourly', 'stat_daily']) {
    // bkgen: ok n-plus-one
    await db.query(`UPDATE ${table} SET count = 0`);
  }
  for (const kind of EVENT_KINDS) {
    // bkgen: ok n-plus-one
    await db.query('DELETE FROM events WHERE kind = $1', [kind]);
  }
}

module.exports = { statusPageHeartbeats, linkNotifications, latestBeats, resetCounters,
  router, importRows, loadLines, enrich, markShipped, totals, owners, tags, withCustomers, exportJobs, archive, registerReports, resolveAuthors, worker, lookupAll };
