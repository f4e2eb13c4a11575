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

async fn serve_legacy(addr: SocketAddr, app: Router) -> anyhow::Result<()> {
    // axum <= 0.6 re-exports hyper 0.14's Server.
    // bkgen: expect server-timeout
    axum::Server::bind(&addr)
        .serve(app.into_make_service())
        .await?;
    Ok(())
}

async fn serve_tls(addr: SocketAddr, app: Router, tls: axum_server::tls_rustls::RustlsConfig) {
    // bkgen: expect server-timeout
    axum_server::bind_rustls(addr, tls)
        .serve(app.into_make_service())
        .await
        .unwrap();
}

async fn serve_one(stream: tokio::net::TcpStream, svc: Router) {
    let io = hyper_util::rt::TokioIo::new(stream);
    let svc = hyper_util::service::TowerToHyperService::new(svc);
    // bkgen: expect server-timeout
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(io, svc);
    conn.await.ok();
}

// A function of this crate that happens to be called serve: not axum's.
async fn serve(port: u16) {
    let _ = port;
}

async fn start_local() {
    // bkgen: ok server-timeout
    serve(8080).await;
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // A pool's acquire_timeout bounds waiting for a connection, not the server.
    let db = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
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
