"""Order repository.

The old implementation ran SELECT * FROM orders on every request.
"""
import sqlite3


def load(conn: sqlite3.Connection, order_id: int):
    """Return one order (this used to be SELECT * FROM orders)."""
    # bkgen: expect sql-select-star
    cur = conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,))
    return cur.fetchone()


def load_with_lines(conn, order_id):
    cur = conn.execute(
        """
        -- bkgen: expect sql-select-star
        SELECT o.*, l.sku, l.qty
          FROM orders o
          JOIN order_lines l ON l.order_id = o.id
         WHERE o.id = ?
        """,
        (order_id,),
    )
    return cur.fetchall()


def dump(conn, table):
    # bkgen: expect sql-select-star
    return conn.execute(f"select * from {table}").fetchall()


def count(conn):
    # bkgen: ok sql-select-star
    return conn.execute("SELECT count(*) FROM orders").fetchone()[0]


def customers_with_orders(conn):
    # bkgen: ok sql-select-star
    return conn.execute(
        "SELECT id, name FROM customers c "
        "WHERE EXISTS (SELECT * FROM orders o WHERE o.customer_id = c.id)"
    ).fetchall()


def recent(conn, days):
    # bkgen: expect sql-select-star
    query = ("SELECT * "
             "FROM orders WHERE created_at > date('now', ?)")
    return conn.execute(query, (f"-{days} days",)).fetchall()


def totals(conn):
    # bkgen: ok sql-select-star
    return conn.execute('SELECT id, total FROM orders ORDER BY total DESC').fetchall()


# bkgen: ok sql-select-star
HELP = "Type select * from the menu to export everything"
