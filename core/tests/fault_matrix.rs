//! The fault matrix: the blocking `Client` against a hostile server on
//! 127.0.0.1, one case per way a network, a server or the environment can
//! misbehave. Each case asserts its outcome and prints one row: the outcome,
//! the longest call against its deadline, and how many token requests the
//! server saw (the figures quoted in SECURITY.md, "How it is tested").
//!
//! One test in its own binary: the proxy case sets process environment
//! variables, which no other test thread may read at the same time.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use kopokopo::{Client, Config, Error, Proxy};
use support::*;

const DEADLINE: Duration = Duration::from_secs(1);

fn client_for(url: &str) -> Client {
    Client::new(
        Config::builder(CLIENT_ID, CLIENT_SECRET)
            .base_url(url)
            .timeout(DEADLINE)
            .build()
            .unwrap(),
    )
}

/// Runs `n` status calls at once; returns each outcome with its duration.
fn concurrently(client: &Arc<Client>, n: usize) -> Vec<(Result<String, Error>, Duration)> {
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let c = client.clone();
            let b = barrier.clone();
            std::thread::spawn(move || {
                b.wait();
                let t = Instant::now();
                let r = c.incoming_payments().status(ID).map(|p| p.status);
                (r, t.elapsed())
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn token(body: &str) -> Resp {
    Resp::new(200, body.to_string()).header("Content-Type", "application/json")
}

fn status_ok() -> Resp {
    Resp::new(200, fixture("response.incoming_payment.status.success.json")).header("Content-Type", "application/json")
}

fn outcome<T>(r: &Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => match e.http_status() {
            Some(s) => format!("{} {s}", e.code()),
            None => e.code().to_string(),
        },
    }
}

struct Row {
    case: &'static str,
    outcome: String,
    longest: Duration,
    tokens: usize,
}

/// A listener that counts connections and records what arrives, answering
/// nothing useful (a stand-in for a proxy or a redirect target).
struct Recorder {
    port: u16,
    connections: Arc<AtomicUsize>,
    first_line: Arc<std::sync::Mutex<String>>,
}

impl Recorder {
    fn start() -> Recorder {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let first_line = Arc::new(std::sync::Mutex::new(String::new()));
        let (c, f) = (connections.clone(), first_line.clone());
        std::thread::spawn(move || {
            for s in l.incoming() {
                let Ok(mut s) = s else { continue };
                c.fetch_add(1, Ordering::SeqCst);
                let mut buf = [0u8; 512];
                let n = s.read(&mut buf).unwrap_or(0);
                let text = String::from_utf8_lossy(&buf[..n]);
                *f.lock().unwrap() = text.lines().next().unwrap_or("").to_string();
                let _ = s.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        Recorder {
            port,
            connections,
            first_line,
        }
    }
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
    fn count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// 8 concurrent status calls against a token endpoint answering `token`:
/// each fails as `expected` says, by its deadline (+0.5 s of scheduling
/// slack), and the server sees at most 2 token requests.
fn eight_callers(
    case: &'static str,
    token: impl Fn() -> Resp + Send + Sync + 'static,
    expected: impl Fn(&Error) -> bool,
) -> Row {
    let server = Server::start_raw(move |r| if r.is_token() { token() } else { status_ok() });
    let c = Arc::new(client_for(&server.url()));
    let results = concurrently(&c, 8);
    let longest = results.iter().map(|r| r.1).max().unwrap();
    for (r, d) in &results {
        assert!(r.as_ref().is_err_and(&expected), "{case}: {r:?}");
        assert!(*d <= DEADLINE + Duration::from_millis(500), "{case}: a call took {d:?}");
    }
    let tokens = server.token_requests();
    assert!(tokens <= 2, "{case}: {tokens} token requests");
    Row {
        case,
        outcome: outcome(&results[0].0),
        longest,
        tokens,
    }
}

type Status = Result<kopokopo::IncomingPayment, Error>;

/// Two status calls against a token endpoint answering `token_body`: the
/// server, the client, both outcomes and how long the two took.
fn two_calls(token_body: &'static str) -> (Server, Client, Status, Status, Duration) {
    let server = Server::start_raw(move |r| if r.is_token() { token(token_body) } else { status_ok() });
    let c = client_for(&server.url());
    let t = Instant::now();
    let first = c.incoming_payments().status(ID);
    let second = c.incoming_payments().status(ID);
    let longest = t.elapsed();
    (server, c, first, second, longest)
}

#[test]
fn fault_matrix() {
    let mut rows = Vec::new();

    // 1. The token endpoint hangs: 8 callers, one fetch, every call ends by its deadline.
    rows.push(eight_callers(
        "token endpoint hangs (8 callers)",
        || Resp::new(200, "").after(Duration::from_secs(10)),
        |e| e.code() == "timeout",
    ));
    // 2. The token endpoint answers 503 slowly (400 ms), retries on: the
    //    deadline cuts the retries short.
    rows.push(eight_callers(
        "token endpoint 503 after 400 ms (8 callers)",
        || Resp::new(503, "").after(Duration::from_millis(400)),
        |e| e.http_status() == Some(503) || e.code() == "timeout",
    ));
    // 3. The token endpoint answers 503 at once: one fetch (retried once,
    //    whatever max_retries) serves all 8 callers, its error shared.
    rows.push(eight_callers(
        "token endpoint 503 at once (8 callers)",
        || Resp::new(503, ""),
        |e| e.http_status() == Some(503),
    ));

    // 4. expires_in of 2^64-1: no overflow, the token is cached (24 h at most).
    {
        let (server, _, first, second, longest) =
            two_calls(r#"{"access_token":"t1","token_type":"Bearer","expires_in":18446744073709551615}"#);
        assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
        assert_eq!(server.token_requests(), 1);
        rows.push(Row {
            case: "expires_in = 2^64-1 (2 calls)",
            outcome: outcome(&second),
            longest,
            tokens: server.token_requests(),
        });
    }

    // 5. A token with CR/LF: a decode error, never cached nor sent.
    {
        let (server, c, first, second, longest) =
            two_calls(r#"{"access_token":"t1\r\nX-Injected: 1","token_type":"Bearer","expires_in":3600}"#);
        assert_eq!(first.as_ref().unwrap_err().code(), "decode_error");
        assert_eq!(second.as_ref().unwrap_err().code(), "decode_error");
        assert!(server.api_requests().is_empty(), "the token was never used");
        rows.push(Row {
            case: "access_token with CR/LF (2 calls)",
            outcome: outcome(&first),
            longest,
            tokens: server.token_requests(),
        });
        std::thread::sleep(kopokopo::TOKEN_FAILURE_HOLD);
        let third = c.incoming_payments().status(ID);
        assert_eq!(third.unwrap_err().code(), "decode_error");
        assert_eq!(
            server.token_requests(),
            2,
            "not cached: asked again once the failure hold passed"
        );
    }

    // 6. A status GET answered 302: not followed, an API error; the other
    //    location receives nothing.
    {
        let elsewhere = Recorder::start();
        let target = format!("{}/api/v2/incoming_payments/{ID}", elsewhere.url());
        let server = Server::start(Duration::ZERO, move |_| Resp::new(302, "").header("Location", &target));
        let c = client_for(&server.url());
        let t = Instant::now();
        let r = c.incoming_payments().status(ID);
        let longest = t.elapsed();
        assert_eq!(r.as_ref().unwrap_err().http_status(), Some(302), "{r:?}");
        assert_eq!(elsewhere.count(), 0, "the redirect was followed");
        rows.push(Row {
            case: "status answered 302 elsewhere",
            outcome: outcome(&r),
            longest,
            tokens: server.token_requests(),
        });
    }

    // 7. A 17 MiB status body: refused once, not fetched again.
    {
        let server = Server::start(Duration::ZERO, |_| Resp::new(200, vec![b' '; 17 << 20]));
        let c = client_for(&server.url());
        let t = Instant::now();
        let r = c.incoming_payments().status(ID);
        let longest = t.elapsed();
        assert_eq!(r.as_ref().unwrap_err().code(), "decode_error", "{r:?}");
        assert_eq!(server.api_requests().len(), 1, "an oversized body is not retried");
        rows.push(Row {
            case: "17 MiB status body",
            outcome: outcome(&r),
            longest,
            tokens: server.token_requests(),
        });
    }

    // 8. Proxy variables set: never used for a loopback API, HTTP_PROXY never
    //    read; HTTPS_PROXY is honoured for an https API (the CONNECT reaches
    //    the loopback proxy; nothing leaves the machine).
    {
        let proxy = Recorder::start();
        // SAFETY: this test binary runs this one test; no other thread reads
        // the environment while it is changed.
        unsafe {
            std::env::set_var("HTTP_PROXY", proxy.url());
            std::env::set_var("HTTPS_PROXY", proxy.url());
            std::env::set_var("ALL_PROXY", proxy.url());
            std::env::remove_var("NO_PROXY");
            std::env::remove_var("no_proxy");
        }
        let server = Server::start(Duration::ZERO, |_| status_ok());
        let c = client_for(&server.url());
        let t = Instant::now();
        let r = c.incoming_payments().status(ID);
        let longest = t.elapsed();
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(proxy.count(), 0, "a loopback API went through the proxy");
        rows.push(Row {
            case: "HTTP(S)_PROXY, ALL_PROXY set; loopback API",
            outcome: outcome(&r),
            longest,
            tokens: server.token_requests(),
        });

        // An explicit proxy is not used for loopback either.
        let explicit = Client::new(
            Config::builder(CLIENT_ID, CLIENT_SECRET)
                .base_url(server.url())
                .proxy(Proxy::Url(proxy.url()))
                .build()
                .unwrap(),
        );
        assert!(explicit.incoming_payments().status(ID).is_ok());
        assert_eq!(proxy.count(), 0);

        // For an https API the environment's HTTPS_PROXY is used.
        let remote = Client::new(
            Config::builder(CLIENT_ID, CLIENT_SECRET)
                .base_url("https://api.example.test")
                .timeout(DEADLINE)
                .max_retries(0)
                .build()
                .unwrap(),
        );
        let t = Instant::now();
        let r = remote.tokens().request();
        let longest = t.elapsed();
        assert!(r.is_err());
        assert_eq!(proxy.count(), 1);
        assert_eq!(
            *proxy.first_line.lock().unwrap(),
            "CONNECT api.example.test:443 HTTP/1.1"
        );
        rows.push(Row {
            case: "HTTPS_PROXY set; https API (CONNECT seen)",
            outcome: outcome(&r),
            longest,
            tokens: 0,
        });

        // With only HTTP_PROXY set (httpoxy), nothing is proxied.
        unsafe {
            std::env::remove_var("HTTPS_PROXY");
            std::env::remove_var("ALL_PROXY");
        }
        assert_eq!(
            Proxy::Environment.resolve("https://api.example.test", |k| std::env::var(k).ok()),
            None
        );
        unsafe { std::env::remove_var("HTTP_PROXY") };
    }

    println!();
    println!("| case | outcome | longest call / deadline | token requests |");
    println!("|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} ms / {} ms | {} |",
            r.case,
            r.outcome,
            r.longest.as_millis(),
            DEADLINE.as_millis(),
            r.tokens
        );
    }
}
