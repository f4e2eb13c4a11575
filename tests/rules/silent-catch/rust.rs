use sqlx::PgPool;
use std::io;
use tracing::{error, warn};

pub async fn mark_seen(pool: &PgPool, id: i64) {
    let res = sqlx::query("UPDATE sessions SET seen_at = now() WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await;
    match res {
        Ok(_) => {}
        // bkgen: expect silent-catch
        Err(_) => {}
    }
}

pub fn notify(tx: &std::sync::mpsc::Sender<Event>, ev: Event) {
    match tx.send(ev) {
        Ok(()) => (),
        // bkgen: expect silent-catch
        Err(e) => (),
    }
}

pub async fn evict(cache: &Cache, key: &str) {
    // bkgen: expect silent-catch
    if let Err(_) = cache.invalidate(key).await {}
}

pub fn flush(w: &mut impl io::Write) {
    match w.flush() {
        Ok(()) => {}
        // a to-do marker is not a reason
        // bkgen: expect silent-catch
        Err(err) => {
            // TODO
        }
    }
}

pub async fn save(pool: &PgPool, order: &Order) -> Result<(), AppError> {
    match repo::insert(pool, order).await {
        Ok(_) => Ok(()),
        // bkgen: ok silent-catch
        Err(e) => {
            error!(order_id = %order.id, error = %e, "insert failed");
            Err(AppError::from(e))
        }
    }
}

pub fn cleanup(path: &std::path::Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        // bkgen: ok silent-catch
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => warn!(?e, "cleanup failed"),
    }
}

pub fn drop_guard(tx: &Sender<()>) {
    match tx.send(()) {
        Ok(()) => {}
        // bkgen: ok silent-catch
        Err(_) => {
            // bkgen-ignore: silent-catch -- receiver gone means shutdown already started
        }
    }
}

pub async fn request(settings: &Settings) -> Result<Reply, Error> {
    match send(settings).await {
        Ok(resp) => return Ok(resp),
        Err(err) if !settings.autostart => return Err(err),
        Err(err) if !should_retry(&err) => return Err(err),
        // the guarded arms return every error but the retryable ones
        // bkgen: expect silent-catch-strict
        // bkgen: ok silent-catch
        Err(_) => {}
    }
    restart(settings).await?;
    send(settings).await
}

pub fn remove(path: &std::path::Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        // an empty guarded arm handles nothing: the rest is still swallowed
        // bkgen: expect silent-catch
        Err(_) => {}
    }
}

pub fn shutdown(tx: &Sender<()>) {
    match tx.send(()) {
        Ok(()) => {}
        // bkgen: expect silent-catch-strict
        // bkgen: ok silent-catch
        Err(_) => {
            // receiver gone: shutdown already started
        }
    }
}
