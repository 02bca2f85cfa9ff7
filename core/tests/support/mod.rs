//! A small HTTP/1.1 server on 127.0.0.1 for the client tests (std
//! `TcpListener` + one thread per connection, `Connection: close`), shared by
//! the test files (`suite/main.rs` and `fault_matrix.rs`, as `mod support;`).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const CLIENT_ID: &str = "loopback-client-id";
pub const CLIENT_SECRET: &str = "loopback-CLIENT-SECRET-7f3a9c";
pub const API_KEY: &str = "loopback-API-KEY-b81d20";
pub const TOKEN_PREFIX: &str = "loopback-TOKEN-e55c1";
pub const ID: &str = "a652f86f-f2aa-4d70-baa2-ccfe4b78f4fc";

#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
    pub fn is_token(&self) -> bool {
        self.method == "POST" && self.path == "/oauth/token"
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Resp {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Resp {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn after(mut self, d: Duration) -> Resp {
        self.delay = d;
        self
    }
}

pub type Handler = dyn Fn(&Req) -> Resp + Send + Sync;

pub struct Server {
    pub port: u16,
    pub log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    /// A server answering token requests itself (`token_delay` each) and
    /// everything else with `api`.
    pub fn start(token_delay: Duration, api: impl Fn(&Req) -> Resp + Send + Sync + 'static) -> Server {
        let issued = AtomicUsize::new(0);
        Server::start_raw(move |r: &Req| {
            if r.is_token() {
                let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
                Resp::new(
                    200,
                    format!(
                        r#"{{"access_token":"{TOKEN_PREFIX}-{n}","token_type":"Bearer","expires_in":3600,"created_at":"2026-04-27T00:09:15+03:00"}}"#
                    ),
                )
                .header("Content-Type", "application/json")
                .after(token_delay)
            } else {
                api(r)
            }
        })
    }

    /// A server whose handler also answers token requests.
    pub fn start_raw(handler: impl Fn(&Req) -> Resp + Send + Sync + 'static) -> Server {
        let handler: Arc<Handler> = Arc::new(handler);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let log2 = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let handler = handler.clone();
                let log = log2.clone();
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Server { port, log }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }

    pub fn api_requests(&self) -> Vec<Req> {
        self.requests().into_iter().filter(|r| !r.is_token()).collect()
    }

    pub fn token_requests(&self) -> usize {
        self.requests().iter().filter(|r| r.is_token()).count()
    }
}

pub fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Req>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            return;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; len];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let req = Req {
        method,
        path,
        headers,
        body,
    };
    log.lock().unwrap().push(req.clone());
    let resp = handler(&req);
    std::thread::sleep(resp.delay);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        resp.status,
        resp.body.len()
    );
    for (k, v) in &resp.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&resp.body);
    let _ = stream.flush();
}

/// The shared fixtures folder, `tests/fixtures/` at the repository root.
pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("tests/fixtures")
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(name)).unwrap()
}
