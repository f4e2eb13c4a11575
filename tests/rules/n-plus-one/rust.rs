use futures::{stream, StreamExt, TryStreamExt};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

use crate::entities::{author, post};

pub async fn with_customers(pool: &PgPool, orders: &mut [Order]) -> sqlx::Result<()> {
    for order in orders.iter_mut() {
        // bkgen: expect n-plus-one
        let name: String = sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
            .bind(order.customer_id)
            .fetch_one(pool)
            .await?;
        order.customer_name = name;
    }
    Ok(())
}

pub async fn authors(db: &DatabaseConnection, posts: Vec<post::Model>) -> Result<Vec<(post::Model, Option<author::Model>)>, DbErr> {
    let mut out = Vec::with_capacity(posts.len());
    for p in posts {
        // bkgen: expect n-plus-one
        let a = author::Entity::find_by_id(p.author_id).one(db).await?;
        out.push((p, a));
    }
    Ok(out)
}

pub async fn mark_paid(pool: &PgPool, ids: &[i64]) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let mut i = 0;
    while i < ids.len() {
        // bkgen: expect n-plus-one
        sqlx::query!("UPDATE invoices SET paid = true WHERE id = $1", ids[i])
            .execute(&mut *tx)
            .await?;
        i += 1;
    }
    tx.commit().await
}

pub async fn lines(pool: &PgPool, order_ids: Vec<i64>) -> Vec<Vec<Line>> {
    let futs = order_ids.into_iter().map(|id| async move {
        // bkgen: expect n-plus-one
        sqlx::query_as::<_, Line>("SELECT * FROM order_lines WHERE order_id = $1")
            .bind(id)
            .fetch_all(pool)
            .await
            .unwrap_or_default()
    });
    futures::future::join_all(futs).await
}

pub fn stock_levels(conn: &mut PgConnection, skus: &[String]) -> QueryResult<Vec<i32>> {
    skus.iter()
        .map(|sku| {
            // bkgen: expect n-plus-one
            stock::table.filter(stock::sku.eq(sku)).select(stock::qty).first::<i32>(conn)
        })
        .collect()
}

pub async fn reindex(client: &tokio_postgres::Client, ids: &[i64]) -> Result<(), tokio_postgres::Error> {
    for id in ids {
        // bkgen: expect n-plus-one
        client.execute("UPDATE docs SET indexed_at = now() WHERE id = $1", &[id]).await?;
    }
    Ok(())
}

// --- not N+1 ---------------------------------------------------------------

pub async fn with_customers_batched(pool: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    // bkgen: ok n-plus-one
    sqlx::query_as("SELECT id, name FROM customers WHERE id = ANY($1)")
        .bind(ids)
        .fetch_all(pool)
        .await
}

pub async fn authors_batched(db: &DatabaseConnection, posts: &[post::Model]) -> Result<Vec<author::Model>, DbErr> {
    let ids: Vec<i32> = posts.iter().map(|p| p.author_id).collect();
    // bkgen: ok n-plus-one
    author::Entity::find().filter(author::Column::Id.is_in(ids)).all(db).await
}

pub async fn export(pool: &PgPool, tx: Sender<i64>) -> sqlx::Result<()> {
    // bkgen: ok n-plus-one
    let mut rows = sqlx::query("SELECT id FROM jobs WHERE done = false").fetch(pool);
    while let Some(row) = rows.try_next().await? {
        tx.send(row.get::<i64, _>(0)).await.ok();
    }
    Ok(())
}

pub async fn insert_chunks(pool: &PgPool, items: &[Item]) -> sqlx::Result<()> {
    for chunk in items.chunks(1000) {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new("INSERT INTO items (sku, qty) ");
        qb.push_values(chunk, |mut b, it| {
            b.push_bind(&it.sku).push_bind(it.qty);
        });
        // bkgen: ok n-plus-one
        qb.build().execute(pool).await?;
    }
    Ok(())
}

pub async fn poll(pool: &PgPool) -> sqlx::Result<()> {
    loop {
        // bkgen: ok n-plus-one
        let job: Option<Job> = sqlx::query_as("SELECT * FROM jobs WHERE done = false LIMIT 1 FOR UPDATE SKIP LOCKED")
            .fetch_optional(pool)
            .await?;
        match job {
            Some(j) => handle(j).await,
            None => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}

pub fn first_name(names: &[String]) -> Option<&String> {
    let total = names.iter().count();
    // bkgen: ok n-plus-one
    for n in names.iter() {
        if n.len() > total {
            return names.first();
        }
    }
    None
}

pub fn handlers(pool: PgPool, kinds: &[&'static str]) -> Vec<Box<dyn Fn(i64) -> BoxFuture<'static, ()>>> {
    let mut out: Vec<Box<dyn Fn(i64) -> BoxFuture<'static, ()>>> = Vec::new();
    for kind in kinds {
        let pool = pool.clone();
        // bkgen: ok n-plus-one
        out.push(Box::new(move |id| {
            let pool = pool.clone();
            Box::pin(async move {
                sqlx::query("DELETE FROM events WHERE id = $1 AND kind = $2").bind(id).bind(*kind).execute(&pool).await.ok();
            })
        }));
    }
    out
}

// Model types with an associated function taking the connection first.
pub async fn mention_people(context: &Context, names: Vec<String>) -> Result<Vec<Person>, Error> {
    let mut persons = vec![];
    for name in names {
        // bkgen: expect n-plus-one
        if let Ok(Some(p)) = Person::read_from_name(&mut context.pool(), &name, false).await {
            persons.push(p);
        }
    }
    Ok(persons)
}

pub async fn mention_people_batched(context: &Context, names: Vec<String>) -> Result<Vec<Person>, Error> {
    // bkgen: ok n-plus-one
    Person::read_from_names(&mut context.pool(), &names).await
}

pub async fn repos(pool: &PgPool, tenants: &[Tenant]) -> Vec<Repo> {
    // a constructor that takes the pool runs no query
    // bkgen: ok n-plus-one
    tenants.iter().map(|t| Repo::new(pool, t.id)).collect()
}

pub async fn rank_in_batches(conn: &mut AsyncPgConnection) -> Result<(), Error> {
    // keyset pagination: the body fetches the next batch and sets the cursor
    let mut next = Some(Utc::now());
    while let Some(after) = next {
        // bkgen: ok n-plus-one
        let rows = sql_query("UPDATE post SET rank = 0 WHERE published_at > $1 LIMIT 1000 RETURNING published_at")
            .bind::<Timestamptz, _>(after)
            .get_results::<Row>(conn)
            .await?;
        next = rows.last().map(|r| r.published_at);
    }
    Ok(())
}

pub async fn drain(pool: &PgPool, queue: &mut Vec<i64>) -> Result<(), Error> {
    while let Some(id) = queue.pop() {
        // bkgen: expect n-plus-one
        sqlx::query("DELETE FROM jobs WHERE id = $1").bind(id).execute(pool).await?;
    }
    Ok(())
}

pub async fn reset(pool: &PgPool) -> Result<(), Error> {
    for table in TABLES {
        // bkgen: ok n-plus-one
        sqlx::query(&format!("DELETE FROM {table}")).execute(pool).await?;
    }
    Ok(())
}
