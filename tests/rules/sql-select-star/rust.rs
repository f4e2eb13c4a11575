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

pub async fn site_activity(conn: &mut Conn, interval: &str) -> QueryResult<Activity> {
    // a set-returning SQL function has the columns it declares
    // bkgen: ok sql-select-star
    sql_query(format!("select * from r.site_aggregates_activity('{}')", interval))
        .get_result::<Activity>(conn)
        .await
}

pub async fn copy_aggregates(conn: &mut Conn, table: &str, function_name: &str) -> QueryResult<usize> {
    // bkgen: ok sql-select-star
    sql_query(format!("CREATE TEMP TABLE {table} AS SELECT * FROM r.{function_name}('{}')", "1 week"))
        .execute(conn)
        .await
}

pub fn deduplicated(inner: &str, order: &str) -> String {
    // SELECT * over a derived table whose columns were chosen in `inner`
    // bkgen: ok sql-select-star
    format!("SELECT * FROM ({inner}) f ORDER BY f.timestamp {order}")
}

pub async fn create_article(pool: &PgPool, slug: &str) -> sqlx::Result<Article> {
    sqlx::query_as!(
        Article,
        // bkgen: ok sql-select-star
        r#"
            with inserted_article as (
                insert into article (slug) values ($1)
                returning slug, title, created_at
            )
            select inserted_article.*, false "favorited!"
            from inserted_article
        "#,
        slug
    )
    .fetch_one(pool)
    .await
}

pub fn dump_query(table: &str) -> String {
    // bkgen: expect sql-select-star
    format!("select * from {table}")
}
