"""Data access for the billing service (psycopg, asyncpg, SQLAlchemy)."""
import sqlite3

import asyncpg
import psycopg
from sqlalchemy import text

ACTIVE_ACCOUNTS = """
    SELECT id, email
      FROM accounts
     WHERE status = %(status)s
"""

INSERT_INVOICE = ("INSERT INTO invoices (account_id, amount) "
                  "VALUES (%s, %s) RETURNING id")

TABLE = "invoices"


def active(conn, status):
    with conn.cursor() as cur:
        cur.execute(ACTIVE_ACCOUNTS, {"status": status})
        return cur.fetchall()


def bill(conn, account_id, amount):
    with conn.cursor() as cur:
        cur.execute(INSERT_INVOICE, (account_id, amount))
        cur.executemany("UPDATE accounts SET billed_at = now() WHERE id = %s", [(account_id,)])
        print(cur.mogrify(r"SELECT '\d+' ~ %s", ("42",)))


def percent_literal(cur):
    cur.execute("SELECT * FROM accounts WHERE email LIKE 'a%%' AND id = %s", (1,))


def local_sqlite(path):
    db = sqlite3.connect(path)
    db.execute('DELETE FROM cache WHERE key = ? AND expires < ?', ("k", 0))
    db.execute("select name from sqlite_master where name = :name", {"name": "x"})


async def fetch_account(pool, account_id):
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM accounts WHERE id = $1", account_id)
        total = await conn.fetchval(
            '''SELECT coalesce(sum(amount), 0)
                 FROM invoices
                WHERE account_id = $1''', account_id)
        await conn.execute("UPDATE accounts SET seen = true WHERE id = $1", account_id)
        return row, total


def orm(session, since):
    stmt = text("SELECT id FROM invoices WHERE created_at >= :since AND amount > :min")
    return session.execute(stmt, {"since": since, "min": 0})


def dynamic(cur, table, column, value):
    cur.execute(f"SELECT * FROM {table} WHERE id = %s", (value,))
    cur.execute("SELECT %s FROM invoices" % column)
    cur.execute("SELECT * FROM {} WHERE id = %s".format(table), (value,))
    cur.execute("DELETE FROM " + table + " WHERE id = %s", (value,))
    cur.execute(f"SELECT count(*) FROM invoices")  # no interpolation: a plain string


def traps(cur, query, redis, executor):
    cur.execute(query)                 # a parameter: nothing to report
    redis.execute("FLUSHALL")          # not SQL
    executor.execute(lambda: None)
    cur.execute("SET statement_timeout = 0")  # not a statement we explain
