'use strict';

const logger = require('./logger');

function normaliseAddress(dest) {
  let addr = dest;
  try {
    addr = new URL(`http://${dest}`).hostname;
    // bkgen: expect silent-catch-strict
  } catch (e) {
    // ignore: not a URL, keep it as written
  }
  return addr;
}

async function closeAll(sockets) {
  for (const s of sockets) {
    // bkgen: expect silent-catch-strict
    s.close().catch(() => { /* already closed by the peer */ });
  }
}

async function refresh(cache, key) {
  try {
    await cache.refresh(key);
    // broad and truly empty: silent-catch reports it, not this rule
    // bkgen: ok silent-catch-strict
  } catch (err) {}
}

async function warm(cache) {
  try {
    await cache.warm();
    // a to-do marker is not a reason: left to silent-catch
    // bkgen: ok silent-catch-strict
  } catch (err) {
    // TODO
  }
}

async function drop(client) {
  try {
    await client.query('DROP TABLE tmp_import');
    // bkgen: ok silent-catch-strict
  } catch (err) {
    // bkgen-ignore: silent-catch-strict -- the table may not exist yet
  }
}

async function save(repo, order) {
  try {
    await repo.save(order);
    // bkgen: ok silent-catch-strict
  } catch (err) {
    logger.error({ err }, 'save failed');
    throw err;
  }
}

module.exports = { normaliseAddress, closeAll, refresh, warm, drop, save };
