// `serve` imported from axum and called bare.
use axum::{routing::get, serve, Router};
use tokio::net::TcpListener;

async fn health() -> &'static str {
    "ok"
}

pub async fn launch(listener: TcpListener, router: Router) -> std::io::Result<()> {
    // The router is built in another file: axum::serve still reads headers
    // without a deadline, and no timeout layer is in sight.
    // bkgen: expect server-timeout
    serve(listener, router.into_make_service()).await
}

pub async fn launch_metrics(listener: TcpListener) -> std::io::Result<()> {
    let router = Router::new().route("/health", get(health));
    // bkgen: expect server-timeout
    serve(listener, router).await
}
