// hyper 0.14 takes a header-read timeout on the server builder.
use std::time::Duration;

async fn run(addr: std::net::SocketAddr, make_svc: MakeSvc) -> hyper::Result<()> {
    // bkgen: ok server-timeout
    hyper::Server::bind(&addr)
        .http1_header_read_timeout(Duration::from_secs(5))
        .serve(make_svc)
        .await
}

async fn run_plain(addr: std::net::SocketAddr, make_svc: MakeSvc) -> hyper::Result<()> {
    // bkgen: expect server-timeout
    hyper::Server::bind(&addr).serve(make_svc).await
}
