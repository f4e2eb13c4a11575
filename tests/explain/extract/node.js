// An Express service talking to PostgreSQL through several drivers.
const { Pool } = require("pg");
const postgres = require("postgres");
const knex = require("knex")({ client: "pg" });

const pool = new Pool();
const sql = postgres();

const FIND_USER = "SELECT id, name FROM users WHERE id = $1";
const ORDERS_BY_USER =
  "SELECT o.id, o.total " +
  "FROM orders o " +
  "WHERE o.user_id = $1";

async function findUser(id) {
  const { rows } = await pool.query(FIND_USER, [id]);
  return rows[0];
}

async function orders(userId) {
  return pool.query(ORDERS_BY_USER, [userId]);
}

async function search(name, limit) {
  return pool.query(
    `SELECT id, name
       FROM users
      WHERE name ILIKE $1
      LIMIT $2`,
    [name, limit]
  );
}

async function named(id) {
  return pool.query({ name: "fetch-user", text: "SELECT * FROM users WHERE id = $1", values: [id] });
}

async function legacy(id) {
  // mysql-style placeholders are normalised too
  return pool.query("UPDATE users SET seen_at = now() WHERE id = ? AND org = ?", [id, 1]);
}

async function byEmail(email) {
  return sql`SELECT * FROM users WHERE email = ${email} AND deleted_at IS NULL`;
}

async function insertEvent(kind, payload) {
  await sql`
    INSERT INTO events (kind, payload)
    VALUES (${kind}, ${sql.json(payload)})
  `;
}

async function sorted(column) {
  return sql`SELECT * FROM users ORDER BY ${sql(column)}`;
}

async function page(cursor) {
  let after = sql``;
  if (cursor) after = sql`AND id > ${cursor}`;
  return sql`SELECT * FROM users WHERE active ${after} ORDER BY id LIMIT 20`;
}

async function unsafeCount() {
  return sql.unsafe("SELECT count(*) FROM users WHERE active = $1", [true]);
}

async function knexReport(from) {
  await knex.raw("SELECT date_trunc('day', created_at) AS d, count(*) FROM orders WHERE created_at > ? GROUP BY 1", [from]);
  return knex("users").whereRaw("age > ?", [18]);
}

async function dynamicTable(table) {
  return pool.query("SELECT * FROM " + table + " WHERE id = $1", [1]);
}

async function dynamicTemplate(table, id) {
  return pool.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
}

async function escapes() {
  return pool.query('SELECT \'it\'\'s\' AS quote, E\'a\\tb\' AS tab\nFROM dual');
}

// Traps: none of these is SQL.
async function traps(text, cache, req) {
  await pool.query(text);             // a parameter: nothing to say
  await cache.query("users:recent");  // not SQL
  document.querySelector("div").execute;
  await worker.execute("reindex-search");
  return req.query;
}
