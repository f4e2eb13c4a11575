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
  // bkgen: expect sql-select-star
  const { rows } = await pool.query(`
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

module.exports = { findUser, findUserWithOrders, countUsers, usersWithOrders, listSessions, listAudit, emails, HELP, ARITH };
