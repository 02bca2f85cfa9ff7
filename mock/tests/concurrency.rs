//! 64 threads share one client against `k2 mock` with one-second tokens for
//! 20 seconds: no request fails, and the simulator issues about one token per
//! expiry, not one per thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kopokopo::{Amount, Client, Config, IncomingPaymentRequest};
use kopokopo_mock::{DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MockConfig, MockServer};

#[test]
fn sixty_four_threads_one_second_tokens() {
    let seconds: u64 = std::env::var("K2_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let server = MockServer::start(MockConfig {
        token_ttl: Duration::from_secs(1),
        callback_delay: Duration::from_millis(10),
        ..MockConfig::default()
    })
    .unwrap();
    let client = Arc::new(Client::new(
        Config::builder(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            .api_key(DEFAULT_API_KEY)
            .base_url(server.base_url())
            .build()
            .unwrap(),
    ));
    let created = client
        .incoming_payments()
        .create(&IncomingPaymentRequest {
            till_number: "K000000".into(),
            phone_number: "0712345678".into(),
            amount: Amount::from_units(10),
            callback_url: "http://127.0.0.1:9/unused".into(),
            ..Default::default()
        })
        .unwrap();
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..64)
        .map(|_| {
            let (client, ok, failed, id) = (
                Arc::clone(&client),
                Arc::clone(&ok),
                Arc::clone(&failed),
                created.id.clone(),
            );
            std::thread::spawn(move || {
                while Instant::now() < deadline {
                    match client.incoming_payments().status(&id) {
                        Ok(_) => ok.fetch_add(1, Ordering::Relaxed),
                        Err(e) => {
                            eprintln!("request failed: {e}");
                            failed.fetch_add(1, Ordering::Relaxed)
                        }
                    };
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let counters: serde_json::Value = ureq::get(&format!("{}/__admin/counters", server.base_url()))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let issued = counters["tokens_issued"].as_u64().unwrap();
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!(
        "concurrency: {seconds}s, 64 threads, {ok} requests ok, {failed} failed, {issued} token requests \
         (simulator), {} (client), expiries ~{seconds}",
        client.token_requests()
    );
    assert_eq!(failed, 0);
    assert!(ok > 64 * seconds, "made progress: {ok}");
    // One token per expiry (refreshed at 90% of the 1 s lifetime): ~1.1 per
    // second, never one per thread.
    assert!(
        issued >= seconds / 2 && issued <= seconds * 2 + 2,
        "tokens issued: {issued}"
    );
}
