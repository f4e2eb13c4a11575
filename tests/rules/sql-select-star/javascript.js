// User repository (node-postgres).
const { Pool } = require('pg');
const sql = require('./sql-tag');

const pool = new Pool();

async function findUser(id) {
  // bkgen: expect sql-select-star
  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}

async function findUserWithOrders(id) {
  const { rows } = await pool.query(`
    -- bkgen: expect sql-select-star
    SELECT u.*, o.id AS order_id, o.total
    FROM users u
    JOIN orders o ON o.user_id = u.id
    WHERE u.id = $1`, [id]);
  return rows;
}

async function countUsers() {
  // bkgen: ok sql-select-star
  const { rows } = await pool.query('SELECT count(*) AS n FROM users');
  return Number(rows[0].n);
}

async function usersWithOrders() {
  // bkgen: ok sql-select-star
  const { rows } = await pool.query(
    'SELECT id, email FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)');
  return rows;
}

async function listSessions(userId) {
  // bkgen: expect sql-select-star
  return sql`select * from sessions where user_id = ${userId}`;
}

async function listAudit(table, since) {
  // bkgen: expect sql-select-star
  const q = "SELECT * " +
    `FROM ${table} WHERE created_at > $1`;
  return pool.query(q, [since]);
}

async function emails() {
  // bkgen: ok sql-select-star
  const { rows } = await pool.query('SELECT id, email, created_at FROM users ORDER BY id');
  return rows;
}

// bkgen: ok sql-select-star
const HELP = 'Select * from the list to include every column in the export.';

// bkgen: ok sql-select-star
const ARITH = 'SELECT price * quantity AS total FROM order_lines';

async function activeUsers(knex) {
  // query builders select every column the same way
  // bkgen: expect sql-select-star
  return knex('users').select('*').where({ active: true });
}

async function activeUserEmails(knex) {
  // bkgen: ok sql-select-star
  return knex('users').select('id', 'email').where({ active: true });
}

async function recentTotals(since) {
  // SELECT * over a CTE of the same statement: its columns are chosen there
  // bkgen: ok sql-select-star
  const { rows } = await pool.query(`
    WITH recent AS (SELECT id, total FROM orders WHERE created_at > $1)
    SELECT * FROM recent ORDER BY total DESC`, [since]);
  return rows;
}

async function usersSince(since) {
  // a CTE does not excuse a SELECT * over a real table
  const { rows } = await pool.query(`
    WITH recent AS (SELECT user_id FROM orders WHERE created_at > $1)
    -- bkgen: expect sql-select-star
    SELECT * FROM users WHERE id IN (SELECT user_id FROM recent)`, [since]);
  return rows;
}

async function markSeen(ids) {
  // a set-returning function and a VALUES list have the columns they are given
  // bkgen: ok sql-select-star
  await pool.query('INSERT INTO seen (document_id) SELECT * FROM unnest($1::uuid[]) ON CONFLICT DO NOTHING', [ids]);
  // bkgen: ok sql-select-star
  await pool.query('SELECT * FROM (VALUES (1, \'a\'), (2, \'b\')) AS v(id, name)');
}

async function funnel(levelQuery, sumQuery) {
  // bkgen: ok sql-select-star
  return pool.query(`
    WITH level0 AS (SELECT session_id, created_at FROM website_event)
    ${levelQuery}
    select *
    from (
      ${sumQuery}
    ) ORDER BY level`);
}

async function journey(sequenceQuery) {
  // the CTE list ends in an interpolated fragment that defines `sequences`
  // bkgen: ok sql-select-star
  return pool.query(`
    WITH events AS (SELECT visit_id, event FROM website_event),
    ${sequenceQuery}
    select *
    from sequences
    order by count desc`);
}

async function eventData(websiteId) {
  return pool.query(`
    select event_name, count(*) as total
    from event_data
    any left join (
          -- bkgen: expect sql-select-star
          select *
          from website_event
          where website_id = {websiteId:UUID}) website_event
    on website_event.event_id = event_data.event_id
    group by event_name`);
}

module.exports = { activeUsers, activeUserEmails, recentTotals, usersSince, markSeen, funnel, journey, eventData,
  findUser, findUserWithOrders, countUsers, usersWithOrders, listSessions, listAudit, emails, HELP, ARITH };
