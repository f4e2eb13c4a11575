'use strict';

const express = require('express');
const { pool } = require('./db');
const cache = require('./cache');
const logger = require('./logger');

const router = express.Router();

async function invalidateUser(userId) {
  // bkgen: expect silent-catch
  try { await cache.del(`user:${userId}`); } catch (err) {}
}

async function parsePrefs(raw) {
  let prefs = {};
  try {
    prefs = JSON.parse(raw);
    // a comment that says why is intent
    // bkgen: expect silent-catch-strict
    // bkgen: ok silent-catch
  } catch {
    // malformed prefs, whatever
  }
  return prefs;
}

router.post('/signup', async (req, res) => {
  const user = await createUser(req.body);
  // bkgen: expect silent-catch
  sendWelcomeEmail(user).catch(() => {});
  // bkgen: expect silent-catch
  analytics.track('signup', { id: user.id }).catch(function () {});
  // bkgen: expect silent-catch
  audit.record('signup', user.id).then(() => logger.debug('audited'), () => {});
  res.status(201).json(user);
});

async function transfer(from, to, amount) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
    await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
    await client.query('COMMIT');
  // bkgen: ok silent-catch
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, from, to }, 'transfer failed');
    throw err;
  } finally {
    client.release();
  }
}

async function loadConfig(path) {
  // bkgen: ok silent-catch
  try { return JSON.parse(await fs.readFile(path, 'utf8')); } catch (err) { return DEFAULTS; }
}

async function dropTempTable(client) {
  // bkgen: ok silent-catch
  try { await client.query('DROP TABLE tmp_import'); } catch { /* bkgen-ignore: silent-catch -- table may not exist yet */ }
}

function notify(user) {
  // bkgen: ok silent-catch
  mailer.send(user.email).catch((err) => logger.warn({ err }, 'mail failed'));
  // bkgen: ok silent-catch
  const count = redis.incr('hits').catch(() => 0);
  // bkgen: ok silent-catch
  queue.push(job).then(() => {}, (err) => logger.error({ err }, 'enqueue failed'));
  return count;
}

async function closeSocket(socket) {
  try {
    socket.close();
    // bkgen: expect silent-catch-strict
    // bkgen: ok silent-catch
  } catch (err) {
    // Ignore errors during cleanup
  }
}

async function checkCertificate(monitor) {
  try {
    const cert = await fetchCertificate(monitor.url);
    await db.query('DELETE FROM cert_notifications WHERE monitor_id = $1', [monitor.id]);
    return cert;
    // a to-do marker is not a reason
    // bkgen: expect silent-catch
  } catch (e) {
    // TODO
  }
}

function flushBeacon(payload) {
  // bkgen: expect silent-catch-strict
  // bkgen: ok silent-catch
  send(payload).catch(() => { /* fire and forget: the next beacon carries it */ });
}

module.exports = { router, invalidateUser, parsePrefs, transfer, loadConfig, dropTempTable, notify,
  closeSocket, checkCertificate, flushBeacon };
