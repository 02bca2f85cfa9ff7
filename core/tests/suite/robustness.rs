//! Robustness promises (SECURITY.md, docs/robustness.md) that need no hostile
//! server: absurd configuration, proxy rules, Locations of another server or
//! collection, panics turned into errors, and the retry classification.
//! The hostile-server cases are in `fault_matrix.rs`.

use std::time::Duration;

use crate::support::*;
use kopokopo::{Client, Config, Error, MAX_TIMEOUT, Proxy};

fn builder() -> kopokopo::ConfigBuilder {
    Config::builder(CLIENT_ID, CLIENT_SECRET)
}

#[test]
fn absurd_timeouts_are_refused_with_the_field_named() {
    for (field, b) in [
        ("timeout", builder().timeout(Duration::from_secs(u64::MAX))),
        ("timeout", builder().timeout(Duration::from_secs_f64(1e19))),
        ("timeout", builder().timeout(MAX_TIMEOUT + Duration::from_nanos(1))),
        ("connect_timeout", builder().connect_timeout(Duration::from_secs(7200))),
        (
            "retry_max_delay",
            builder().retry_backoff(Duration::from_millis(1), Duration::from_secs(u64::MAX)),
        ),
        (
            "retry_base_delay",
            builder().retry_backoff(Duration::from_secs(u64::MAX), Duration::from_secs(1)),
        ),
        ("token_refresh_margin", builder().token_refresh_margin(Duration::MAX)),
    ] {
        let e = b.build().unwrap_err();
        assert_eq!(e.field(), Some(field), "{e}");
        assert!(e.to_string().contains("one hour"), "{e}");
    }
    // One hour itself is accepted.
    assert!(
        builder()
            .timeout(MAX_TIMEOUT)
            .connect_timeout(MAX_TIMEOUT)
            .build()
            .is_ok()
    );
}

#[test]
fn proxy_from_the_environment() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    };
    let api = "https://api.kopokopo.com";
    let p = Proxy::Environment;
    assert_eq!(p.resolve(api, env(&[])), None);
    assert_eq!(
        p.resolve(api, env(&[("HTTPS_PROXY", "http://proxy:3128")])).as_deref(),
        Some("http://proxy:3128")
    );
    assert_eq!(
        p.resolve(api, env(&[("https_proxy", "http://lower:3128")])).as_deref(),
        Some("http://lower:3128")
    );
    assert_eq!(
        p.resolve(api, env(&[("ALL_PROXY", "http://all:3128")])).as_deref(),
        Some("http://all:3128")
    );
    assert_eq!(
        p.resolve(
            api,
            env(&[("ALL_PROXY", "http://all:1"), ("HTTPS_PROXY", "http://https:1")])
        )
        .as_deref(),
        Some("http://https:1"),
        "HTTPS_PROXY wins over ALL_PROXY"
    );
    // httpoxy: HTTP_PROXY is never read.
    assert_eq!(p.resolve(api, env(&[("HTTP_PROXY", "http://evil:1")])), None);
    assert_eq!(p.resolve(api, env(&[("http_proxy", "http://evil:1")])), None);
    // NO_PROXY: exact host, a parent domain, a leading dot or `*.`, `*`, ports ignored.
    for no in [
        "api.kopokopo.com",
        "kopokopo.com",
        ".kopokopo.com",
        "*.kopokopo.com",
        "*",
        "x, KOPOKOPO.com:443",
    ] {
        let vars: &'static [(&'static str, &'static str)] =
            Box::leak(vec![("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", no)].into_boxed_slice());
        assert_eq!(p.resolve(api, env(vars)), None, "NO_PROXY={no}");
    }
    assert!(
        p.resolve(api, env(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", "opokopo.com")]))
            .is_some(),
        "a suffix must match at a dot"
    );
    // Loopback hosts are never proxied, even with an explicit proxy.
    for local in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2"] {
        assert_eq!(
            p.resolve(
                local,
                env(&[("HTTPS_PROXY", "http://p:1"), ("ALL_PROXY", "http://p:1")])
            ),
            None
        );
        assert_eq!(Proxy::Url("http://p:1".into()).resolve(local, env(&[])), None);
    }
    assert_eq!(
        Proxy::Disabled.resolve(api, env(&[("HTTPS_PROXY", "http://p:1")])),
        None
    );
    assert_eq!(
        Proxy::Url("http://p:1".into()).resolve(api, env(&[])).as_deref(),
        Some("http://p:1")
    );
}

#[test]
fn proxy_option_spelling_and_validation() {
    assert_eq!(Proxy::from_option(None), Proxy::Environment);
    assert_eq!(Proxy::from_option(Some("env")), Proxy::Environment);
    assert_eq!(Proxy::from_option(Some("none")), Proxy::Disabled);
    assert_eq!(
        Proxy::from_option(Some("http://u:p@proxy:3128")),
        Proxy::Url("http://u:p@proxy:3128".into())
    );
    for bad in ["ftp://proxy", "proxy:3128", "http://", "http://a b", "http://x\r\n"] {
        let e = builder().proxy(Proxy::Url(bad.into())).build().unwrap_err();
        assert_eq!(e.field(), Some("proxy"), "{bad}: {e}");
    }
    let c = builder()
        .proxy(Proxy::Url("http://user:hunter2@proxy:3128".into()))
        .build()
        .unwrap();
    let debug = format!("{c:?}");
    assert!(!debug.contains("hunter2"), "proxy credentials leak: {debug}");
    assert!(debug.contains("proxy:3128"), "{debug}");
}

#[test]
fn a_location_of_another_server_or_collection_is_refused_before_any_io() {
    let server = Server::start(Duration::ZERO, |_| {
        Resp::new(200, fixture("response.incoming_payment.status.success.json"))
    });
    let client = Client::new(builder().base_url(server.url()).build().unwrap());
    let refused = |r: Result<kopokopo::IncomingPayment, Error>| {
        let e = r.unwrap_err();
        assert_eq!(e.code(), "invalid_argument", "{e}");
        assert_eq!(e.field(), Some("id"));
    };
    let ip = client.incoming_payments();
    refused(ip.status(&format!("https://evil.example/api/v2/incoming_payments/{ID}")));
    refused(ip.status(&format!("http://127.0.0.1:1/api/v2/incoming_payments/{ID}")));
    refused(ip.status(&format!("{}/api/v2/send_money/{ID}", server.url())));
    refused(ip.status(&format!("/api/v2/send_money/{ID}")));
    assert_eq!(server.requests().len(), 0, "nothing was sent");
    assert!(
        client
            .send_money()
            .status(&format!("/api/v2/incoming_payments/{ID}"))
            .is_err()
    );
    assert!(
        client
            .payment_links()
            .cancel(&format!("/api/v2/reversals/{ID}"))
            .is_err()
    );
    assert_eq!(server.requests().len(), 0, "nothing was sent");

    // The same origin (any spelling of it) and relative Locations are fine.
    let same = server.url().replace("http://", "HTTP://");
    assert!(ip.status(&format!("{same}/api/v2/incoming_payments/{ID}")).is_ok());
    assert!(ip.status(&format!("/api/v2/incoming_payments/{ID}")).is_ok());
    assert!(ip.status(ID).is_ok());
    let last = server.api_requests().pop().unwrap();
    assert_eq!(last.path, format!("/api/v2/incoming_payments/{ID}"));
}

#[test]
fn a_panic_becomes_an_internal_error() {
    let e = Error::catch_panic::<()>(|| panic!("boom {}", 42)).unwrap_err();
    assert_eq!(e.code(), "internal");
    assert!(e.to_string().contains("boom 42"), "{e}");
    let e = Error::catch_panic::<()>(|| std::panic::panic_any(7u8)).unwrap_err();
    assert_eq!(e.code(), "internal");
    assert_eq!(Error::catch_panic(|| Ok(5)).unwrap(), 5);
}

#[test]
fn retry_classification() {
    assert!(Error::transport("reset").is_retryable());
    assert!(!Error::transport_final("certificate").is_retryable());
    assert!(Error::timeout("t").is_retryable());
    assert!(!Error::internal("bug").is_retryable());
}

#[test]
fn a_tls_failure_is_not_retried() {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // A plain-HTTP listener behind an https:// base URL: the TLS handshake fails.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let client = Client::new(
        builder()
            .base_url(format!("https://127.0.0.1:{port}"))
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
            .build()
            .unwrap(),
    );
    let e = client.tokens().request().unwrap_err();
    assert_eq!(e.code(), "transport_error", "{e}");
    assert!(!e.is_retryable(), "{e}");
    assert_eq!(connections.load(Ordering::SeqCst), 1, "a TLS failure was retried");
}
