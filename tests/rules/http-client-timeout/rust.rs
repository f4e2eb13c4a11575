use std::time::Duration;

use reqwest::Client;
use serde::Deserialize;

const CATALOG_URL: &str = "http://catalog:8080/v1/products";

#[derive(Deserialize)]
pub struct Product {
    pub id: u64,
    pub name: String,
}

pub async fn fetch_products() -> reqwest::Result<Vec<Product>> {
    // bkgen: expect http-client-timeout
    let resp = reqwest::get(CATALOG_URL).await?;
    resp.json().await
}

pub fn default_client() -> Client {
    // bkgen: expect http-client-timeout
    Client::new()
}

pub fn pooled_client() -> reqwest::Client {
    // bkgen: expect http-client-timeout
    reqwest::Client::new()
}

pub fn configured_client() -> reqwest::Result<Client> {
    // bkgen: expect http-client-timeout
    Client::builder()
        .user_agent("catalog-sync/2.1")
        .pool_max_idle_per_host(16)
        .build()
}

pub fn bounded_client() -> reqwest::Result<Client> {
    // bkgen: ok http-client-timeout
    Client::builder()
        .user_agent("catalog-sync/2.1")
        .timeout(Duration::from_secs(5))
        .build()
}

pub fn bounded_client_from_config(cfg: &Config) -> reqwest::Result<Client> {
    // bkgen: ok http-client-timeout
    reqwest::Client::builder().connect_timeout(cfg.connect).timeout(cfg.total).build()
}

pub struct Config {
    pub connect: Duration,
    pub total: Duration,
}

pub async fn fetch_one(client: &Client, id: u64) -> reqwest::Result<Product> {
    // bkgen: ok http-client-timeout
    let resp = client.get(format!("{CATALOG_URL}/{id}")).send().await?;
    resp.json().await
}

pub fn blocking_fetch() -> reqwest::Result<String> {
    // bkgen: ok http-client-timeout
    reqwest::blocking::get(CATALOG_URL)?.text()
}

pub fn cache() -> std::collections::HashMap<u64, Product> {
    // bkgen: ok http-client-timeout
    std::collections::HashMap::new()
}

pub async fn fetch_usage(token: &str) -> reqwest::Result<String> {
    // The timeout is set on the request builder.
    // bkgen: ok http-client-timeout
    reqwest::Client::new()
        .get(CATALOG_URL)
        .bearer_auth(token)
        .timeout(Duration::from_secs(10))
        .send()
        .await?
        .text()
        .await
}

pub async fn send_hook(url: &str, body: String) {
    // bkgen: ok http-client-timeout
    let client = reqwest::Client::new();
    let _ = client.post(url).timeout(Duration::from_secs(5)).body(body).send().await;
}

pub async fn fetch_bounded() -> Option<String> {
    // bkgen: ok http-client-timeout
    let resp = tokio::time::timeout(Duration::from_secs(5), reqwest::get(CATALOG_URL)).await.ok()?;
    resp.ok()?.text().await.ok()
}

pub async fn send_unbounded(url: &str, body: String) {
    // bkgen: expect http-client-timeout
    let client = reqwest::Client::new();
    let _ = client.post(url).body(body).send().await;
}

pub fn stream_events(url: String) -> impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> {
    async_stream::stream! {
        // A macro body is tokens to the parser, not calls.
        // bkgen: expect http-client-timeout
        let client = reqwest::Client::new();
        let resp = client.post(url).send().await?;
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            yield chunk;
        }
    }
}

pub fn stream_events_bounded(url: String) -> impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> {
    async_stream::stream! {
        // bkgen: ok http-client-timeout
        let client = reqwest::Client::new();
        let resp = client.post(url).timeout(Duration::from_secs(30)).send().await?;
        yield resp.bytes().await;
    }
}
