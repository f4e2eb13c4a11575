//! Persistence for the inventory service: sqlx and tokio-postgres.
use sqlx::{PgPool, Postgres};
use tokio_postgres::Client;

const LOW_STOCK: &str = "SELECT sku, qty FROM stock WHERE qty < $1 ORDER BY qty";
static RESTOCK: &str = r#"UPDATE stock SET qty = qty + $2 WHERE sku = $1 AND note <> 'say "hi"'"#;

pub struct Item {
    pub sku: String,
    pub qty: i32,
}

pub async fn item(pool: &PgPool, sku: &str) -> sqlx::Result<Item> {
    sqlx::query_as!(
        Item,
        r#"SELECT sku, qty AS "qty!" FROM stock WHERE sku = $1"#,
        sku
    )
    .fetch_one(pool)
    .await
}

pub async fn total(pool: &PgPool) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("SELECT sum(qty) FROM stock").fetch_one(pool).await
}

pub async fn remove(pool: &PgPool, sku: &str) -> sqlx::Result<()> {
    query!("DELETE FROM stock \
            WHERE sku = $1", sku)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn low(pool: &PgPool, limit: i32) -> sqlx::Result<Vec<(String, i32)>> {
    sqlx::query_as::<Postgres, (String, i32)>(LOW_STOCK)
        .bind(limit)
        .fetch_all(pool)
        .await
}

pub async fn count(pool: &PgPool) -> sqlx::Result<i64> {
    let n: (i64,) = sqlx::query_as("SELECT count(*) FROM stock\nWHERE qty > 0").fetch_one(pool).await?;
    sqlx::query("INSERT INTO audit (what) VALUES ($1)").bind("count").execute(pool).await?;
    Ok(n.0)
}

pub async fn restock(client: &Client, sku: &str, n: i32) -> Result<u64, tokio_postgres::Error> {
    client.execute(RESTOCK, &[&sku, &n]).await
}

pub async fn names(client: &Client) -> Result<Vec<String>, tokio_postgres::Error> {
    let stmt = client.prepare("SELECT name FROM warehouses WHERE active").await?;
    let rows = client.query(&stmt, &[]).await?;
    let one = client.query_one("SELECT name FROM warehouses LIMIT 1", &[]).await?;
    let _ = client.query_opt("SELECT name FROM warehouses WHERE id = $1", &[&1i32]).await?;
    let _ = one;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub async fn dynamic(client: &Client, table: &str) -> Result<u64, tokio_postgres::Error> {
    client.execute(&format!("DELETE FROM {} WHERE expired", table), &[]).await?;
    let sql = format!("SELECT * FROM {table}");
    client.execute(sql.as_str(), &[]).await
}

pub fn traps(map: &std::collections::HashMap<String, String>, q: &str) {
    let _ = map.get("SELECT");
    let _ = url::form_urlencoded::parse(q.as_bytes()).query("a=1");
    let _ = sqlx::query(q);
}
