// hyper's header_read_timeout (30 s by default) fires only with a timer.
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::time::Duration;

async fn serve_one(stream: tokio::net::TcpStream, svc: Svc) {
    // bkgen: ok server-timeout
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(5))
        .serve_connection(TokioIo::new(stream), svc);
    conn.await.ok();
}

async fn serve_untimed(stream: tokio::net::TcpStream, svc: Svc) {
    // A header_read_timeout without a timer never fires.
    // bkgen: expect server-timeout
    let conn = http1::Builder::new()
        .header_read_timeout(Duration::from_secs(5))
        .serve_connection(TokioIo::new(stream), svc);
    conn.await.ok();
}
