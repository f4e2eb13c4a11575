use std::io;

pub async fn emit(settings: &Settings, event: Event) {
    match Client::connect(settings).await {
        Ok(mut client) => {
            let _ = client.send(event).await;
            return;
        }
        Err(e) if !settings.autostart || !should_retry(&e) => {
            tracing::debug!(?e, "daemon not available");
            return;
        }
        // bkgen: expect silent-catch-strict
        Err(_) => {}
    }
    start_and_retry(settings).await;
}

pub fn stop(tx: &Sender<()>) {
    // bkgen: expect silent-catch-strict
    if let Err(_) = tx.send(()) {
        // receiver gone: shutdown already under way
    }
}

pub fn save(repo: &Repo, order: &Order) {
    match repo.save(order) {
        Ok(_) => {}
        // broad and empty: silent-catch reports it, not this rule
        // bkgen: ok silent-catch-strict
        Err(_) => {}
    }
}

pub fn cleanup(path: &std::path::Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        // bkgen: ok silent-catch-strict
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(?e, "cleanup failed"),
    }
}
