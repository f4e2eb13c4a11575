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
