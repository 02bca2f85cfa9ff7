//! The blocking `Client` against a small HTTP/1.1 server on 127.0.0.1
//! (std `TcpListener` + one thread per connection, `Connection: close`).
//!
//! Covers the headers sent, the token cache and its single flight, the 401
//! refresh, the retry rules (GETs and token requests only; never a POST that
//! moves money), `Retry-After`, validation before any I/O, timeouts, and that
//! no secret ever shows up in a `Debug` or an error.

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use crate::support::*;
use kopokopo::{Amount, Client, Config, Error, IncomingPaymentRequest, SendMoneyRequest};

fn status_ok() -> Resp {
    Resp::new(200, fixture("response.incoming_payment.status.success.json")).header("Content-Type", "application/json")
}

/// A `201` with a relative Location (the test server's origin is only known
/// once it listens; a Location of another origin is refused by `status`).
fn created(path: &str) -> Resp {
    Resp::new(201, "").header("Location", &format!("{path}/{ID}"))
}

fn config(server: &Server) -> kopokopo::ConfigBuilder {
    Config::builder(CLIENT_ID, CLIENT_SECRET)
        .api_key(API_KEY)
        .base_url(server.url())
        .retry_backoff(Duration::from_millis(10), Duration::from_secs(2))
}

fn client(server: &Server) -> Client {
    Client::new(config(server).build().unwrap())
}

fn stk() -> IncomingPaymentRequest {
    IncomingPaymentRequest {
        till_number: "K000000".into(),
        phone_number: "0712345678".into(),
        amount: Amount::parse("150.50").unwrap(),
        callback_url: "https://example.com/k2/results".into(),
        ..Default::default()
    }
}

/// Asserts no secret appears in `text`.
fn assert_no_secrets(what: &str, text: &str) {
    for secret in [CLIENT_SECRET, API_KEY, TOKEN_PREFIX] {
        assert!(!text.contains(secret), "{what} leaks a secret ({secret}): {text}");
    }
}

fn assert_error_clean(e: &Error) {
    assert_no_secrets("error Display", &e.to_string());
    assert_no_secrets("error Debug", &format!("{e:?}"));
}

// ------------------------------------------------------------------- tests

#[test]
fn sends_the_documented_headers() {
    let server = Server::start(Duration::ZERO, |r| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/api/v2/incoming_payments") => created("/api/v2/incoming_payments"),
        ("GET", p) if p.starts_with("/api/v2/incoming_payments/") => status_ok(),
        _ => Resp::new(404, ""),
    });
    let c = client(&server);
    let made = c.incoming_payments().create(&stk()).unwrap();
    assert_eq!(made.id, ID);
    let payment = c.incoming_payments().status(&made.location).unwrap();
    assert_eq!(payment.status, "Success");

    let reqs = server.requests();
    assert_eq!(reqs.len(), 3, "{reqs:?}");
    let token = &reqs[0];
    assert!(token.is_token());
    assert_eq!(token.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(token.header("accept"), Some("application/json"));
    assert_eq!(token.header("authorization"), None, "credentials go in the form body");
    let form = String::from_utf8(token.body.clone()).unwrap();
    assert!(form.contains("grant_type=client_credentials"), "{form}");
    assert!(form.contains(&format!("client_id={CLIENT_ID}")), "{form}");

    let post = &reqs[1];
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", "/api/v2/incoming_payments")
    );
    assert_eq!(
        post.header("authorization"),
        Some(format!("Bearer {TOKEN_PREFIX}-1").as_str())
    );
    assert_eq!(post.header("accept"), Some("application/json"));
    assert_eq!(post.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(body["subscriber"]["phone_number"], "+254712345678");
    assert_eq!(body["amount"]["value"], serde_json::json!(150.5));
    assert_eq!(body["_links"]["callback_url"], "https://example.com/k2/results");

    let get = &reqs[2];
    assert_eq!(get.method, "GET");
    assert_eq!(get.path, format!("/api/v2/incoming_payments/{ID}"));
    assert_eq!(
        get.header("authorization"),
        Some(format!("Bearer {TOKEN_PREFIX}-1").as_str())
    );
    assert_eq!(get.header("accept"), Some("application/json"));
    for r in &reqs {
        let ua = r.header("user-agent").unwrap_or("");
        assert!(ua.starts_with("kopokopo/"), "user-agent {ua:?}");
    }
}

#[test]
fn token_is_cached_across_calls() {
    let server = Server::start(Duration::ZERO, |_| status_ok());
    let c = client(&server);
    for _ in 0..5 {
        c.incoming_payments().status(ID).unwrap();
    }
    assert_eq!(server.token_requests(), 1);
    assert_eq!(c.token_requests(), 1);
    assert_eq!(server.api_requests().len(), 5);
    assert!(
        server
            .api_requests()
            .iter()
            .all(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN_PREFIX}-1")))
    );
}

#[test]
fn concurrent_callers_share_one_token_request() {
    let server = Server::start(Duration::from_millis(200), |_| status_ok());
    let c = Arc::new(client(&server));
    let barrier = Arc::new(Barrier::new(32));
    let threads: Vec<_> = (0..32)
        .map(|_| {
            let c = c.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                c.incoming_payments().status(ID).map(|p| p.status)
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap(), "Success");
    }
    assert_eq!(server.token_requests(), 1, "single flight");
    assert_eq!(c.token_requests(), 1);
    assert_eq!(server.api_requests().len(), 32);
}

#[test]
fn a_401_drops_the_token_refreshes_and_retries_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let calls2 = calls.clone();
    let server = Server::start(Duration::ZERO, move |_| {
        if calls2.fetch_add(1, Ordering::SeqCst) == 0 {
            Resp::new(401, r#"{"error_code":401,"error_message":"Unauthorized"}"#)
        } else {
            status_ok()
        }
    });
    let c = client(&server);
    assert_eq!(c.incoming_payments().status(ID).unwrap().status, "Success");
    let api = server.api_requests();
    assert_eq!(api.len(), 2);
    assert_eq!(
        api[0].header("authorization"),
        Some(format!("Bearer {TOKEN_PREFIX}-1").as_str())
    );
    assert_eq!(
        api[1].header("authorization"),
        Some(format!("Bearer {TOKEN_PREFIX}-2").as_str())
    );
    assert_eq!(server.token_requests(), 2);
    // The new token is cached.
    c.incoming_payments().status(ID).unwrap();
    assert_eq!(server.token_requests(), 2);
    assert_eq!(
        server.api_requests()[2].header("authorization"),
        Some(format!("Bearer {TOKEN_PREFIX}-2").as_str())
    );
}

#[test]
fn a_401_on_a_create_is_retried_once_too() {
    // A 401 means the API did not act on the request, so resending is safe.
    let calls = Arc::new(AtomicUsize::new(0));
    let calls2 = calls.clone();
    let server = Server::start(Duration::ZERO, move |_| {
        if calls2.fetch_add(1, Ordering::SeqCst) == 0 {
            Resp::new(401, "")
        } else {
            created("/api/v2/incoming_payments")
        }
    });
    let c = client(&server);
    assert_eq!(c.incoming_payments().create(&stk()).unwrap().id, ID);
    assert_eq!(server.api_requests().len(), 2);
    assert_eq!(server.token_requests(), 2);
}

#[test]
fn a_second_401_is_an_authentication_error() {
    let server = Server::start(Duration::ZERO, |_| {
        Resp::new(401, r#"{"error_code":401,"error_message":"Unauthorized"}"#)
    });
    let c = client(&server);
    let e = c.incoming_payments().status(ID).unwrap_err();
    assert_eq!(e.code(), "authentication_failed");
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(server.api_requests().len(), 2, "one refresh, one retry, no more");
    assert_error_clean(&e);
}

#[test]
fn a_get_answered_503_is_retried() {
    let calls = Arc::new(AtomicUsize::new(0));
    let calls2 = calls.clone();
    let server = Server::start(Duration::ZERO, move |_| {
        if calls2.fetch_add(1, Ordering::SeqCst) == 0 {
            Resp::new(503, "")
        } else {
            status_ok()
        }
    });
    let c = client(&server);
    assert_eq!(c.incoming_payments().status(ID).unwrap().status, "Success");
    let api = server.api_requests();
    assert_eq!(api.len(), 2);
    assert!(api.iter().all(|r| r.method == "GET"));
}

#[test]
fn a_get_gives_up_after_max_retries() {
    let server = Server::start(Duration::ZERO, |_| Resp::new(500, ""));
    let c = Client::new(config(&server).max_retries(2).build().unwrap());
    let e = c.incoming_payments().status(ID).unwrap_err();
    assert_eq!(e.code(), "api_error");
    assert_eq!(e.http_status(), Some(500));
    assert_eq!(server.api_requests().len(), 3, "1 try + 2 retries");
}

#[test]
fn a_create_answered_503_is_not_retried() {
    let server = Server::start(Duration::ZERO, |_| Resp::new(503, ""));
    let c = client(&server);
    let e = c.incoming_payments().create(&stk()).unwrap_err();
    assert_eq!(e.code(), "api_error");
    assert_eq!(e.http_status(), Some(503));
    let api = server.api_requests();
    assert_eq!(api.len(), 1, "a payment is never sent twice: {api:?}");
    assert_eq!(api[0].method, "POST");

    let e = c
        .send_money()
        .create(&SendMoneyRequest {
            callback_url: "https://example.com/k2/results".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.http_status(), Some(503));
    assert_eq!(server.api_requests().len(), 2, "send money not retried either");
}

#[test]
fn a_get_answered_429_waits_for_retry_after() {
    let calls = Arc::new(AtomicUsize::new(0));
    let calls2 = calls.clone();
    let server = Server::start(Duration::ZERO, move |_| {
        if calls2.fetch_add(1, Ordering::SeqCst) == 0 {
            Resp::new(429, "").header("Retry-After", "1")
        } else {
            status_ok()
        }
    });
    let c = client(&server);
    c.access_token().unwrap();
    let start = Instant::now();
    assert_eq!(c.incoming_payments().status(ID).unwrap().status, "Success");
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(950), "waited only {waited:?}");
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
    assert_eq!(server.api_requests().len(), 2);
}

#[test]
fn a_post_answered_429_is_rate_limited_and_not_retried() {
    let server = Server::start(Duration::ZERO, |_| {
        Resp::new(
            429,
            r#"{"error_code":429,"error_message":"Request threshold has been exceeded"}"#,
        )
        .header("Retry-After", "1")
    });
    let c = client(&server);
    c.access_token().unwrap();
    let start = Instant::now();
    let e = c.incoming_payments().create(&stk()).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_millis(900),
        "did not wait: {:?}",
        start.elapsed()
    );
    assert_eq!(e.code(), "rate_limited");
    assert!(matches!(e, Error::RateLimited { .. }));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(e.http_status(), Some(429));
    assert_eq!(server.api_requests().len(), 1);
    assert_error_clean(&e);
}

#[test]
fn invalid_input_sends_nothing() {
    let server = Server::start(Duration::ZERO, |_| status_ok());
    let c = client(&server);
    let mut bad = stk();
    bad.phone_number = "+255712345678".into();
    let e = c.incoming_payments().create(&bad).unwrap_err();
    assert_eq!((e.code(), e.field()), ("invalid_argument", Some("phone_number")));
    let mut bad = stk();
    bad.amount = Amount::ZERO;
    assert_eq!(c.incoming_payments().create(&bad).unwrap_err().field(), Some("amount"));
    let mut bad = stk();
    bad.callback_url = "http://example.com/cb".into();
    assert_eq!(
        c.incoming_payments().create(&bad).unwrap_err().field(),
        Some("callback_url")
    );
    assert_eq!(c.incoming_payments().status("../x").unwrap_err().field(), Some("id"));
    assert_eq!(c.payment_links().cancel("").unwrap_err().field(), Some("id"));
    assert_eq!(c.tokens().revoke("").unwrap_err().field(), Some("token"));
    let e = kopokopo::dynamic::execute_text(&c, "create_polling", &serde_json::json!({"scope": "region"})).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    std::thread::sleep(Duration::from_millis(50));
    assert!(
        server.requests().is_empty(),
        "no request at all: {:?}",
        server.requests()
    );
    assert_eq!(c.token_requests(), 0);
}

#[test]
fn a_slow_server_is_a_timeout() {
    let server = Server::start(Duration::ZERO, |_| status_ok().after(Duration::from_millis(1500)));
    let c = Client::new(
        config(&server)
            .timeout(Duration::from_millis(300))
            .max_retries(0)
            .build()
            .unwrap(),
    );
    let start = Instant::now();
    let e = c.incoming_payments().status(ID).unwrap_err();
    assert_eq!(e.code(), "timeout", "{e:?}");
    assert!(start.elapsed() < Duration::from_millis(1400), "{:?}", start.elapsed());
    assert_error_clean(&e);
}

#[test]
fn a_refused_connection_is_a_transport_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::new(
        Config::builder(CLIENT_ID, CLIENT_SECRET)
            .api_key(API_KEY)
            .base_url(format!("http://127.0.0.1:{port}"))
            .retry_backoff(Duration::from_millis(10), Duration::from_secs(2))
            .build()
            .unwrap(),
    );
    let e = c.incoming_payments().status(ID).unwrap_err();
    assert_eq!(e.code(), "transport_error", "{e:?}");
    assert_error_clean(&e);
}

#[test]
fn wrong_credentials_are_an_authentication_error() {
    let refusing = Server::start_raw(|r| {
        if r.is_token() {
            Resp::new(
                401,
                r#"{"error":"invalid_client","error_description":"Client authentication failed due to unknown client."}"#,
            )
        } else {
            status_ok()
        }
    });
    let c = client(&refusing);
    let e = c.incoming_payments().status(ID).unwrap_err();
    assert_eq!(e.code(), "authentication_failed");
    assert_eq!(e.http_status(), Some(401));
    assert!(e.to_string().contains("Client authentication failed"), "{e}");
    assert!(refusing.api_requests().is_empty(), "no API call without a token");
    assert_eq!(refusing.token_requests(), 1, "a refused token request is not retried");
    assert_error_clean(&e);
}

#[test]
fn secrets_never_appear_in_debug_or_errors() {
    let server = Server::start(Duration::ZERO, |r| match r.path.as_str() {
        "/api/v2/incoming_payments" => Resp::new(
            400,
            r#"{"error_code":400,"error_message":"Till number can't be blank"}"#,
        ),
        "/api/v2/send_money" => Resp::new(429, "").header("Retry-After", "30"),
        p if p.starts_with("/api/v2/polling/") => Resp::new(200, "not json"),
        _ => Resp::new(503, ""),
    });
    let c = client(&server);
    // Fetch a token so the client holds one, then look at its Debug.
    let token = c.access_token().unwrap();
    assert!(token.expose().starts_with(TOKEN_PREFIX));
    assert_no_secrets("Client Debug", &format!("{c:?}"));
    assert_no_secrets("Config Debug", &format!("{:?}", c.config()));
    assert_no_secrets("Secret Debug", &format!("{token:?} {token}"));

    let mut errors = vec![
        c.incoming_payments().create(&stk()).unwrap_err(),
        c.send_money()
            .create(&SendMoneyRequest {
                callback_url: "https://example.com/k2/results".into(),
                ..Default::default()
            })
            .unwrap_err(),
        c.polling().status(ID).unwrap_err(),
        c.reversals().status(ID).unwrap_err(),
        c.webhooks().parse_webhook(b"{}", Some("00")).unwrap_err(),
        c.webhooks().parse_result(b"{}", None).unwrap_err(),
    ];
    let mut bad = stk();
    bad.phone_number = CLIENT_SECRET.into();
    errors.push(c.incoming_payments().create(&bad).unwrap_err());
    errors.push(c.incoming_payments().status(API_KEY).unwrap_err());
    let codes: Vec<&str> = errors.iter().map(Error::code).collect();
    assert_eq!(
        codes,
        [
            "api_error",
            "rate_limited",
            "decode_error",
            "api_error",
            "signature_invalid",
            "signature_invalid",
            "invalid_argument",
            "api_error"
        ]
    );
    for e in &errors {
        assert_error_clean(e);
    }
    assert_no_secrets("Client Debug after errors", &format!("{c:?}"));
}

#[test]
fn a_token_request_answered_503_is_retried() {
    let calls = Arc::new(AtomicUsize::new(0));
    let calls2 = calls.clone();
    let server = Server::start_raw(move |r| {
        if r.is_token() {
            if calls2.fetch_add(1, Ordering::SeqCst) == 0 {
                return Resp::new(503, "");
            }
            return Resp::new(
                200,
                format!(r#"{{"access_token":"{TOKEN_PREFIX}-x","token_type":"Bearer","expires_in":3600}}"#),
            );
        }
        status_ok()
    });
    let c = client(&server);
    assert_eq!(c.incoming_payments().status(ID).unwrap().status, "Success");
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.api_requests().len(), 1);
}

#[test]
fn a_retry_after_longer_than_the_max_delay_is_not_waited_for() {
    let server = Server::start(Duration::ZERO, |_| Resp::new(429, "").header("Retry-After", "30"));
    let c = client(&server);
    c.access_token().unwrap();
    let start = Instant::now();
    let e = c.incoming_payments().status(ID).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    assert_eq!(e.code(), "rate_limited");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(server.api_requests().len(), 1);
}

#[test]
fn operations_by_name_return_the_typed_result_as_exact_json() {
    use kopokopo::dynamic::{AmountStyle, execute_json, execute_json_with, execute_text};
    let body = r#"{"data":{"id":"x","type":"payment_link","attributes":{"amount":"12345678901234567.89"}}}"#;
    let server = Server::start(Duration::ZERO, move |_| Resp::new(200, body));
    let c = client(&server);
    let text = execute_json(&c, "payment_links.status", r#"{"id":"x"}"#).unwrap();
    assert!(text.contains("\"amount\":12345678901234567.89"), "{text}");
    assert_eq!(kopokopo::dynamic::json_get(&text, "id").unwrap().as_deref(), Some("x"));
    let strings = execute_json_with(&c, "payment_links.status", r#"{"id":"x"}"#, AmountStyle::String).unwrap();
    assert_eq!(
        strings,
        text.replace("12345678901234567.89", "\"12345678901234567.89\"")
    );
    assert_eq!(
        execute_text(&c, "payment_links.status", &serde_json::json!({"id": "x"})).unwrap(),
        text
    );
    // Parameters are checked before anything is sent.
    let before = server.api_requests().len();
    assert_eq!(
        execute_json(&c, "payment_links.status", "").unwrap_err().field(),
        Some("id")
    );
    assert_eq!(
        execute_json(&c, "payment_links.status", "{").unwrap_err().field(),
        Some("params")
    );
    assert_eq!(server.api_requests().len(), before);
}
