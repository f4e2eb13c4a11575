use std::net::SocketAddr;

use axum::{
    extract::State,
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;

#[derive(Clone)]
struct AppState {
    db: sqlx::PgPool,
}

#[derive(Deserialize)]
struct NewNote {
    body: String,
}

#[derive(Serialize)]
struct Note {
    id: i64,
    body: String,
}

async fn health() -> &'static str {
    "ok"
}

async fn create_note(State(state): State<AppState>, Json(input): Json<NewNote>) -> Json<Note> {
    let id: i64 = sqlx::query_scalar("INSERT INTO notes (body) VALUES ($1) RETURNING id")
        .bind(&input.body)
        .fetch_one(&state.db)
        .await
        .expect("insert note");
    Json(Note { id, body: input.body })
}

async fn serve_admin(addr: SocketAddr) -> anyhow::Result<()> {
    let admin = Router::new().route("/health", get(health));
    let listener = TcpListener::bind(addr).await?;
    // bkgen: expect server-timeout
    axum::serve(listener, admin)
        .with_graceful_shutdown(async { tokio::signal::ctrl_c().await.ok(); })
        .await?;
    Ok(())
}

async fn serve_static(addr: SocketAddr) {
    // Another framework's serve() is not axum's.
    // bkgen: ok server-timeout
    warp::serve(warp::fs::dir("public")).run(addr).await;
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let db = sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?;
    let app = Router::new()
        .route("/health", get(health))
        .route("/notes", post(create_note))
        .with_state(AppState { db });

    tokio::spawn(serve_admin(SocketAddr::from(([127, 0, 0, 1], 9090))));
    let addr = SocketAddr::from(([0, 0, 0, 0], 8080));
    let listener = TcpListener::bind(addr).await?;
    // bkgen: expect server-timeout
    axum::serve(listener, app).await?;
    Ok(())
}
