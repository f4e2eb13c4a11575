use sqlx::PgPool;

#[derive(sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub user_id: i64,
}

pub async fn by_token(pool: &PgPool, token: &str) -> sqlx::Result<Session> {
    // bkgen: expect sql-select-star
    sqlx::query_as::<_, Session>("SELECT * FROM sessions WHERE token = $1")
        .bind(token)
        .fetch_one(pool)
        .await
}

pub async fn for_user(pool: &PgPool, user_id: i64) -> sqlx::Result<Vec<Session>> {
    // bkgen: expect sql-select-star
    sqlx::query_as!(Session, r#"SELECT s.* FROM sessions s WHERE s.user_id = $1"#, user_id)
        .fetch_all(pool)
        .await
}

pub async fn active(pool: &PgPool) -> sqlx::Result<i64> {
    // bkgen: ok sql-select-star
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE expires_at > now()")
        .fetch_one(pool)
        .await?;
    Ok(n)
}

pub async fn ids(pool: &PgPool) -> sqlx::Result<Vec<(i64,)>> {
    // bkgen: ok sql-select-star
    sqlx::query_as("SELECT id FROM sessions s WHERE EXISTS (SELECT * FROM users u WHERE u.id = s.user_id)")
        .fetch_all(pool)
        .await
}

pub fn dump_query(table: &str) -> String {
    // bkgen: expect sql-select-star
    format!("select * from {table}")
}
