import itertools

from django.db.models import Prefetch
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shop.models import Author, Book, Order, User
from shop.db import get_conn


def order_report(session: Session, shop_id: int) -> list[dict]:
    orders = session.scalars(select(Order).where(Order.shop_id == shop_id)).all()
    report = []
    for order in orders:
        # bkgen: expect n-plus-one
        user = session.get(User, order.user_id)
        report.append({"id": order.id, "email": user.email})
    return report


def totals(session: Session, user_ids: list[int]) -> dict[int, int]:
    return {
        # bkgen: expect n-plus-one
        uid: session.scalar(select(func.count(Order.id)).where(Order.user_id == uid))
        for uid in user_ids
    }


def book_titles(books):
    # bkgen: expect n-plus-one
    return [f"{b.title} by {Author.objects.get(pk=b.author_id).name}" for b in books]


def restock(items):
    with get_conn() as conn, conn.cursor() as cur:
        for item in items:
            # bkgen: expect n-plus-one
            cur.execute("UPDATE stock SET qty = qty + %s WHERE sku = %s", (item.qty, item.sku))


async def enrich(conn, events):
    for ev in events:
        # bkgen: expect n-plus-one
        ev["user"] = await conn.fetchrow("SELECT * FROM users WHERE id = $1", ev["user_id"])
    return events


def legacy(db, order_ids):
    i = 0
    while i < len(order_ids):
        # bkgen: expect n-plus-one
        order = db.session.query(Order).filter_by(id=order_ids[i]).one()
        order.archived = True
        i += 1


def emails(session, ids):
    # bkgen: expect n-plus-one
    return list(map(lambda i: session.get(User, i).email, ids))


# --- not N+1 ---------------------------------------------------------------


def order_report_batched(session: Session, shop_id: int) -> list[dict]:
    # bkgen: ok n-plus-one
    orders = session.scalars(
        select(Order).where(Order.shop_id == shop_id).options(selectinload(Order.user))
    ).all()
    return [{"id": o.id, "email": o.user.email} for o in orders]


def users_for(session: Session, orders):
    ids = {o.user_id for o in orders}
    # bkgen: ok n-plus-one
    users = session.scalars(select(User).where(User.id.in_(ids))).all()
    return {u.id: u for u in users}


def book_titles_batched(books):
    # bkgen: ok n-plus-one
    authors = Author.objects.in_bulk([b.author_id for b in books])
    return [f"{b.title} by {authors[b.author_id].name}" for b in books]


def titles_prefetched():
    # bkgen: ok n-plus-one
    for book in Book.objects.select_related("author").all():
        print(book.title, book.author.name)


def archive_chunks(chunks):
    for chunk in chunks:
        # bkgen: ok n-plus-one
        Order.objects.filter(id__in=chunk).update(archived=True)


def restock_batched(cur, items):
    # bkgen: ok n-plus-one
    cur.executemany("UPDATE stock SET qty = qty + %s WHERE sku = %s", [(i.qty, i.sku) for i in items])


def sync_prices(cur, batches):
    for batch in batches:
        # bkgen: ok n-plus-one
        cur.execute("UPDATE products SET price = p.price FROM unnest(%s, %s) AS p(id, price) WHERE products.id = p.id", batch)


def insert_batched(cur, rows):
    for batch in itertools.batched(rows, 500):
        values = ",".join(cur.mogrify("(%s, %s)", r).decode() for r in batch)
        # bkgen: ok n-plus-one
        cur.execute("INSERT INTO events (kind, payload) VALUES " + values)


def make_handlers(session, kinds):
    handlers = {}
    for kind in kinds:
        # bkgen: ok n-plus-one
        def handler(event_id, kind=kind):
            return session.execute(select(Event).where(Event.id == event_id, Event.kind == kind))
        handlers[kind] = handler
    return handlers


async def fetch_pages(client, urls):
    for url in urls:
        # bkgen: ok n-plus-one
        resp = await client.session.get(url, timeout=10)
        print(resp.status)


def consume(conn):
    while True:
        # bkgen: ok n-plus-one
        row = conn.execute("DELETE FROM queue WHERE id = (SELECT id FROM queue LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *").fetchone()
        if row is None:
            break
        handle(row)


# Repository objects: `self.repos.recipes.get_one(slug)`.
class RecipeBulkService:
    def __init__(self, repos):
        self.repos = repos

    def assign_tags(self, slugs, tags):
        for slug in slugs:
            # bkgen: expect n-plus-one
            recipe = self.repos.recipes.get_one(slug)
            recipe.tags += tags
            # bkgen: expect n-plus-one
            self.repos.recipes.update(slug, recipe)

    def assign_tags_batched(self, slugs, tags):
        # bkgen: ok n-plus-one
        recipes = self.repos.recipes.get_many(slugs)
        for recipe in recipes:
            recipe.tags += tags
        # bkgen: ok n-plus-one
        self.repos.recipes.update_many(recipes)


REF_TABLES = ["long_live_tokens", "password_reset_tokens", "recipe_comments"]


def restore(connection, meta, data):
    # one statement per table of the schema, or of a fixed list, is bounded by the schema
    # bkgen: ok n-plus-one
    dump = {t.name: connection.execute(t.select()).all() for t in meta.sorted_tables}
    for table_name in REF_TABLES:
        # bkgen: ok n-plus-one
        connection.execute(text(f"DELETE FROM {table_name} WHERE user_id IS NULL"))
    for kind in ("daily", "weekly"):
        # bkgen: ok n-plus-one
        connection.execute(text("DELETE FROM reports WHERE kind = :k"), {"k": kind})
    for table in meta.sorted_tables:
        # DDL is schema work, not data access
        # bkgen: ok n-plus-one
        connection.execute(DropTable(table))
    for row in data:
        # bkgen: expect n-plus-one
        connection.execute(text("DELETE FROM sessions WHERE user_id = :u"), {"u": row.id})
    return dump
