//! Robustness of `k2` itself: the admin endpoints refuse cross-site and
//! DNS-rebinding requests, `k2 mock` never prints a secret, `k2 sign`/`verify`
//! take the API key from `K2_API_KEY`, and result callbacks do not follow
//! redirects.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kopokopo::{Amount, Client, Config, IncomingPaymentRequest, webhooks};
use kopokopo_mock::{DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MockConfig, MockServer};
use serde_json::Value;

const K2: &str = env!("CARGO_BIN_EXE_k2");

fn start() -> MockServer {
    MockServer::start(MockConfig {
        callback_delay: Duration::from_millis(50),
        ..MockConfig::default()
    })
    .expect("simulator starts")
}

fn port_of(server: &MockServer) -> u16 {
    server.base_url().rsplit(':').next().unwrap().parse().unwrap()
}

/// Sends one raw HTTP/1.1 request (full control over Host, Origin and
/// Content-Type) and returns the status and body.
fn raw(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("Connection: close\r\n\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {resp:?}"));
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn token_status(port: u16, host: &str, origin: Option<&str>) -> u16 {
    let form =
        format!("grant_type=client_credentials&client_id={DEFAULT_CLIENT_ID}&client_secret={DEFAULT_CLIENT_SECRET}");
    let mut headers = vec![("Host", host), ("Content-Type", "application/x-www-form-urlencoded")];
    if let Some(o) = origin {
        headers.push(("Origin", o));
    }
    raw(port, "POST", "/oauth/token", &headers, &form).0
}

#[test]
fn admin_endpoints_refuse_cross_site_and_rebinding_requests() {
    let server = start();
    let port = port_of(&server);
    let host = format!("127.0.0.1:{port}");
    let host = host.as_str();
    let local = format!("localhost:{port}");
    let local = local.as_str();
    let evil_port = format!("evil.example:{port}");
    let fault = r#"{"mode":"503","count":5,"path":"/oauth/token"}"#;
    let json = ("Content-Type", "application/json");

    // The request from the issue: a page's `fetch(..., {mode: "no-cors"})`
    // after DNS rebinding. Refused on the Host alone.
    let (st, body) = raw(
        port,
        "POST",
        "/__admin/faults",
        &[
            ("Host", "evil.example"),
            ("Origin", "https://evil.example"),
            ("Content-Type", "text/plain"),
        ],
        fault,
    );
    assert_eq!(st, 403, "{body}");
    // Each protection on its own, everything else being proper.
    let refusals: [(&[(&str, &str)], u16); 10] = [
        (&[("Host", host), ("Content-Type", "text/plain")], 415),
        (&[("Host", host), ("Content-Type", "text/plain;charset=UTF-8")], 415),
        (
            &[("Host", host), ("Content-Type", "application/x-www-form-urlencoded")],
            415,
        ),
        (
            &[("Host", host), ("Content-Type", "multipart/form-data; boundary=x")],
            415,
        ),
        (&[("Host", host)], 415), // a body without any Content-Type
        (&[("Host", host), ("Origin", "https://evil.example"), json], 403),
        (&[("Host", host), ("Origin", "null"), json], 403),
        (
            &[("Host", host), ("Origin", "http://localhost.evil.example"), json],
            403,
        ),
        (&[("Host", evil_port.as_str()), json], 403),
        (&[("Host", "127.0.0.1.evil.example"), json], 403),
    ];
    for (headers, want) in refusals {
        let (st, body) = raw(port, "POST", "/__admin/faults", headers, fault);
        assert_eq!(st, want, "{headers:?}: {body}");
        assert!(body.contains("error_message"), "{body}");
    }
    // Requests without a Host header are refused too (HTTP/1.1 requires one).
    assert_eq!(raw(port, "POST", "/__admin/faults", &[json], fault).0, 403);
    // Bodyless admin requests are guarded as well.
    assert_eq!(
        raw(port, "POST", "/__admin/reset", &[("Host", "evil.example")], "").0,
        403
    );
    assert_eq!(
        raw(
            port,
            "POST",
            "/__admin/expire-tokens",
            &[("Host", host), ("Origin", "https://evil.example")],
            ""
        )
        .0,
        403
    );
    assert_eq!(
        raw(
            port,
            "POST",
            "/__admin/reset",
            &[("Host", host), ("Content-Type", "text/plain")],
            ""
        )
        .0,
        415
    );
    assert_eq!(
        raw(port, "GET", "/__admin/counters", &[("Host", "evil.example")], "").0,
        403
    );
    assert_eq!(
        raw(
            port,
            "GET",
            "/__admin/counters",
            &[("Host", host), ("Origin", "https://evil.example")],
            ""
        )
        .0,
        403
    );

    // None of the refused requests installed the fault, and the simulated API
    // itself still answers whatever Host and Origin it is sent.
    assert_eq!(token_status(port, host, None), 200);
    assert_eq!(token_status(port, "api.example", Some("https://evil.example")), 200);

    // Proper requests still work: curl-style (no Origin), from a loopback page,
    // with any loopback Host spelling, and bodyless POSTs without Content-Type.
    let (st, body) = raw(port, "GET", "/__admin/counters", &[("Host", host)], "");
    assert_eq!(st, 200, "{body}");
    let counters: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(counters["tokens_issued"], 2, "{counters}");
    assert_eq!(raw(port, "POST", "/__admin/reset", &[("Host", host)], "").0, 200);
    assert_eq!(
        raw(port, "POST", "/__admin/expire-tokens", &[("Host", local)], "").0,
        200
    );
    let (st, body) = raw(
        port,
        "POST",
        "/__admin/faults",
        &[
            ("Host", local),
            ("Origin", "http://localhost:5173"),
            ("Content-Type", "application/json; charset=utf-8"),
        ],
        fault,
    );
    assert_eq!(st, 200, "{body}");
    assert_eq!(token_status(port, host, None), 503, "the accepted fault is in force");
    let (st, body) = raw(
        port,
        "POST",
        "/__admin/reset",
        &[("Host", "[::1]"), ("Origin", "http://127.0.0.1:8080"), json],
        "{}",
    );
    assert_eq!(st, 200, "{body}");
    assert_eq!(token_status(port, host, None), 200, "reset cleared the fault");
}

/// Reads a line from the child's stdout, failing after a timeout.
fn first_lines(child: &mut std::process::Child, n: usize) -> Vec<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (0..n)
        .map(|_| rx.recv_timeout(Duration::from_secs(20)).expect("k2 mock start line"))
        .collect()
}

#[test]
fn k2_mock_start_output_shows_no_secret() {
    const SECRET: &str = "start-line-secret-7f3a91";
    const API_KEY: &str = "start-line-api-key-c0ffee";
    for (args, secrets) in [
        (vec![], [DEFAULT_CLIENT_SECRET, DEFAULT_API_KEY]),
        (vec!["--client-secret", SECRET, "--api-key", API_KEY], [SECRET, API_KEY]),
    ] {
        let mut child = Command::new(K2)
            .args(["mock", "--port", "0"])
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = first_lines(&mut child, 2);
        let _ = child.kill();
        let _ = child.wait();
        assert!(lines[0].starts_with("http://127.0.0.1:"), "{lines:?}");
        assert!(lines[1].contains("client_id=k2-mock-client-id"), "{lines:?}");
        for line in &lines {
            for s in secrets {
                assert!(!line.contains(s), "start output shows a secret: {line}");
            }
        }
        let wanted = if args.is_empty() {
            "default test value"
        } else {
            "not shown"
        };
        assert!(lines[1].contains(wanted), "{lines:?}");
    }
}

fn run_k2(args: &[&str], env_key: Option<&str>, stdin: &[u8]) -> std::process::Output {
    let mut cmd = Command::new(K2);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("K2_API_KEY");
    if let Some(k) = env_key {
        cmd.env("K2_API_KEY", k);
    }
    let mut child = cmd.spawn().unwrap();
    // A usage error exits before reading stdin: the write may then meet a
    // closed pipe, which is not a failure of the command under test.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

#[test]
fn k2_sign_and_verify_take_the_api_key_from_the_environment() {
    let body = br#"{"topic":"customer_created","id":"c1"}"#;
    let signed = run_k2(&["sign"], Some("env-key-1234"), body);
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    let sig = String::from_utf8(signed.stdout).unwrap().trim().to_string();
    assert_eq!(sig, webhooks::sign(body, "env-key-1234"));

    let ok = run_k2(&["verify", "--signature", &sig], Some("env-key-1234"), body);
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "valid");
    let bad = run_k2(&["verify", "--signature", &sig], Some("another-key"), body);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&bad.stdout).trim(), "invalid");

    // The flag still works, and wins over the environment.
    let flag = run_k2(&["sign", "--api-key", "flag-key"], Some("env-key-1234"), body);
    assert_eq!(
        String::from_utf8_lossy(&flag.stdout).trim(),
        webhooks::sign(body, "flag-key")
    );
    let flag = run_k2(
        &["verify", "--api-key", "env-key-1234", "--signature", &sig],
        Some("another-key"),
        body,
    );
    assert_eq!(flag.status.code(), Some(0));

    // Neither (or an empty variable): a usage error naming the variable.
    for env in [None, Some("")] {
        for args in [&["sign"][..], &["verify", "--signature", &sig][..]] {
            let out = run_k2(args, env, body);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            assert!(out.stdout.is_empty());
            assert!(String::from_utf8_lossy(&out.stderr).contains("K2_API_KEY"));
        }
    }
    for cmd in ["sign", "verify"] {
        let help = Command::new(K2).args([cmd, "--help"]).output().unwrap();
        assert!(
            String::from_utf8_lossy(&help.stdout).contains("K2_API_KEY"),
            "{cmd} --help"
        );
    }
}

/// A loopback HTTP listener answering every request with `response` and
/// recording each request line.
fn listener(response: String) -> (u16, Arc<Mutex<Vec<String>>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = Arc::clone(&seen);
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut conn) = conn else { continue };
            let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some((k, v)) = h.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen2.lock().unwrap().push(request_line.trim().to_string());
            let _ = conn.write_all(response.as_bytes());
        }
    });
    (port, seen)
}

/// Needs the core's `UreqTransport` to never follow redirects.
#[test]
fn result_callbacks_do_not_follow_redirects() {
    let (landing_port, landing) =
        listener("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".into());
    let (redirect_port, redirected) = listener(format!(
        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{landing_port}/landing\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    ));
    let server = start();
    let client = Client::new(
        Config::builder(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            .api_key(DEFAULT_API_KEY)
            .base_url(server.base_url())
            .build()
            .unwrap(),
    );
    client
        .incoming_payments()
        .create(&IncomingPaymentRequest {
            till_number: "K000000".into(),
            phone_number: "0712345678".into(),
            amount: Amount::from_units(10),
            callback_url: format!("http://127.0.0.1:{redirect_port}/k2/results"),
            ..Default::default()
        })
        .unwrap();
    // Wait until the simulator has finished delivering the result.
    let deadline = Instant::now() + Duration::from_secs(15);
    let counters = loop {
        let mut resp = ureq::get(&format!("{}/__admin/counters", server.base_url()))
            .call()
            .unwrap();
        let c: Value = resp.body_mut().read_json().unwrap();
        let done = c["callbacks_sent"].as_u64().unwrap_or(0) + c["callbacks_failed"].as_u64().unwrap_or(0);
        if done >= 1 || Instant::now() > deadline {
            break c;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(200));
    let redirected = redirected.lock().unwrap().clone();
    assert_eq!(redirected, ["POST /k2/results HTTP/1.1"], "{counters}");
    assert!(
        landing.lock().unwrap().is_empty(),
        "the redirect was followed: {:?}",
        landing.lock().unwrap()
    );
    // A 302 is not an acknowledgement.
    assert_eq!(counters["callbacks_failed"], 1, "{counters}");
    assert_eq!(counters["callbacks_sent"], 0, "{counters}");
}
