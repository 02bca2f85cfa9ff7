//! A loopback webhook/result receiver for tests and the demo: records every
//! POST (raw body and `X-KopoKopo-Signature`) and answers 200. Bodies over
//! [`MAX_BODY`] are refused with 413 before they are buffered: the signature
//! can only be checked once the whole body is in memory, so an unauthenticated
//! client must not be able to make a receiver buffer an unbounded body.

use std::sync::mpsc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;

/// Largest body the receiver accepts (1 MiB); larger ones get 413.
pub const MAX_BODY: usize = 1 << 20;

/// One received delivery.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Request path.
    pub path: String,
    /// Raw body bytes, exactly as received.
    pub body: Vec<u8>,
    /// The `X-KopoKopo-Signature` header, if any.
    pub signature: Option<String>,
}

/// A running receiver.
pub struct Receiver {
    url: String,
    rx: mpsc::Receiver<Delivery>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

async fn record(
    State(tx): State<mpsc::Sender<Delivery>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> &'static str {
    let signature = headers
        .get(kopokopo::webhooks::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let _ = tx.send(Delivery {
        path: uri.path().to_string(),
        body: body.to_vec(),
        signature,
    });
    "ok"
}

impl Receiver {
    /// Starts a receiver on 127.0.0.1 (any free port).
    pub fn start() -> std::io::Result<Receiver> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let url = format!("http://{}", listener.local_addr()?);
        let (tx, rx) = mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name("k2-receiver".into()).spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                let Ok(l) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let app = Router::new()
                    .fallback(record)
                    .layer(DefaultBodyLimit::max(MAX_BODY))
                    .with_state(tx);
                let _ = axum::serve(l, app)
                    .with_graceful_shutdown(async {
                        let _ = stop_rx.await;
                    })
                    .await;
            });
        })?;
        Ok(Receiver {
            url,
            rx,
            shutdown: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// Base URL (`http://127.0.0.1:PORT`); any path is accepted.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits for the next delivery.
    pub fn next(&self, timeout: Duration) -> Option<Delivery> {
        self.rx.recv_timeout(timeout).ok()
    }

    /// Waits for the next delivery to `path`, skipping others.
    pub fn next_at(&self, path: &str, timeout: Duration) -> Option<Delivery> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let d = self.rx.recv_timeout(left).ok()?;
            if d.path == path {
                return Some(d);
            }
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
