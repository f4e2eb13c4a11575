use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{db::Db, handlers, models::{NewOrder, Order, Payment}};

#[derive(Clone)]
pub struct AppState {
    db: Db,
}

#[derive(Deserialize)]
pub struct NewPayment {
    amount_cents: i64,
}

async fn list_orders(State(state): State<AppState>) -> Json<Vec<Order>> {
    Json(state.db.list_orders().await)
}

async fn create_order(State(state): State<AppState>, Json(input): Json<NewOrder>) -> (StatusCode, Json<Order>) {
    let order = state.db.insert_order(input).await;
    (StatusCode::CREATED, Json(order))
}

async fn create_payment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(input): Json<NewPayment>,
) -> Result<(StatusCode, Json<Payment>), StatusCode> {
    let key = headers
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Uuid::parse_str(v).ok())
        .ok_or(StatusCode::BAD_REQUEST)?;
    if let Some(done) = state.db.payment_by_key(key).await {
        return Ok((StatusCode::OK, Json(done)));
    }
    let payment = state.db.insert_payment(key, input.amount_cents).await;
    Ok((StatusCode::CREATED, Json(payment)))
}

async fn cancel_order(State(state): State<AppState>, Path(id): Path<i64>) -> StatusCode {
    state.db.cancel_order(id).await;
    StatusCode::NO_CONTENT
}

async fn add_comment(State(state): State<AppState>, Path(id): Path<i64>, body: String) -> StatusCode {
    sqlx::query!(r#"insert into order_comment (order_id, body) values ($1, $2)"#, id, body)
        .execute(&state.db.pool)
        .await
        .ok();
    StatusCode::CREATED
}

async fn favorite_article(State(state): State<AppState>, Path(slug): Path<String>) -> StatusCode {
    sqlx::query!(
        r#"insert into article_favorite (article_slug, user_id) values ($1, $2) on conflict do nothing"#,
        slug,
        state.db.current_user()
    )
    .execute(&state.db.pool)
    .await
    .ok();
    StatusCode::OK
}

async fn login_user(State(state): State<AppState>, body: String) -> Result<String, StatusCode> {
    state.db.create_session(body).await.ok_or(StatusCode::UNAUTHORIZED)
}

pub fn router(state: AppState) -> Router {
    Router::new()
        // bkgen: expect missing-idempotency
        .route("/orders", get(list_orders).post(create_order))
        // bkgen: ok missing-idempotency
        .route("/payments", post(create_payment))
        // Cancelling twice leaves the order cancelled.
        // bkgen: ok missing-idempotency
        .route("/orders/{id}/cancel", post(cancel_order))
        // bkgen: expect missing-idempotency
        .route("/orders/{id}/comments", post(add_comment))
        // bkgen: ok missing-idempotency
        .route("/articles/{slug}/favorite", post(favorite_article))
        // bkgen: ok missing-idempotency
        .route("/users/login", post(login_user))
        // bkgen: expect missing-idempotency
        .route(
            "/orders/{id}/notes",
            post(|Path(id): Path<i64>, State(state): State<AppState>, body: String| async move {
                state.db.add_note(id, body).await;
                StatusCode::CREATED
            }),
        )
        // The handler lives in another module and its name says nothing:
        // not checked from here.
        // bkgen: ok missing-idempotency
        .route("/carts/totals", post(handlers::cart_totals))
        // bkgen: ok missing-idempotency
        .route("/orders/{id}", get(|| async { StatusCode::OK }))
        .with_state(state)
}

/// The v1 API still runs on actix-web while it is being migrated.
pub mod legacy {
    use actix_web::{get, post, web, App, HttpResponse, Responder};

    #[get("/v1/orders")]
    async fn list_orders() -> impl Responder {
        HttpResponse::Ok().json(Vec::<String>::new())
    }

    // bkgen: expect missing-idempotency
    #[post("/v1/orders")]
    #[tracing::instrument]
    async fn create_order(body: web::Json<serde_json::Value>) -> impl Responder {
        HttpResponse::Created().json(body.into_inner())
    }

    // bkgen: ok missing-idempotency
    #[post("/v1/payments")]
    async fn create_payment(req: actix_web::HttpRequest, body: web::Bytes) -> impl Responder {
        match req.headers().get("Idempotency-Key") {
            Some(_) => HttpResponse::Created().body(body),
            None => HttpResponse::BadRequest().body("Idempotency-Key header required"),
        }
    }

    #[idempotent(ttl_hours = 24)]
    // bkgen: ok missing-idempotency
    #[post("/v1/refunds")]
    async fn create_refund(body: web::Bytes) -> impl Responder {
        HttpResponse::Created().body(body)
    }

    async fn create_comment(db: web::Data<crate::db::Db>, body: String) -> impl Responder {
        HttpResponse::Created().json(db.insert_comment(body).await)
    }

    async fn cancel_order(path: web::Path<i64>) -> impl Responder {
        HttpResponse::NoContent().body(path.into_inner().to_string())
    }

    pub fn app() -> App<impl actix_web::dev::ServiceFactory<actix_web::dev::ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>> {
        App::new()
            .service(list_orders)
            .service(create_order)
            .service(create_payment)
            .service(create_refund)
            // bkgen: ok missing-idempotency
            .route("/v1/orders/{id}/cancel", web::post().to(cancel_order))
            // bkgen: expect missing-idempotency
            .service(web::resource("/v1/comments").wrap(RateLimit::comments()).route(web::post().to(create_comment)))
            // The handler is in another crate, and its name says it creates.
            // bkgen: expect missing-idempotency
            .service(web::resource("/v1/posts").route(web::post().to(api_crud::create_post)))
            // bkgen: ok missing-idempotency
            .route("/v1/orders/{id}", web::get().to(list_orders))
    }
}
