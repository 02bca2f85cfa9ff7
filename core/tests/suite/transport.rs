//! The default transport (`UreqTransport`) against a raw keep-alive server on
//! 127.0.0.1: each request leaves in one write (head and body together),
//! large bodies arrive intact, connections are pooled, and host names are
//! resolved (then reused) as well as IP literals.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kopokopo::{HttpRequest, Method, Transport, UreqTransport};

/// One request as the server saw it: its bytes, and how many of them the
/// first `read` returned.
#[derive(Debug, Clone)]
struct Seen {
    bytes: Vec<u8>,
    first_read: usize,
}

struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<Mutex<usize>>,
}

/// Answers every request on a connection with `204`, keeping it open.
fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(Mutex::new(0));
    let (s, c) = (Arc::clone(&seen), Arc::clone(&connections));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            *c.lock().unwrap() += 1;
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                loop {
                    // The first read alone, to see what one write delivered.
                    let mut first = vec![0u8; 1 << 20];
                    let n = match stream.read(&mut first) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    first.truncate(n);
                    let mut reader = BufReader::new(std::io::Cursor::new(first.clone()).chain(&stream));
                    let mut head = Vec::new();
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        head.extend_from_slice(line.as_bytes());
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap();
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0u8; length];
                    reader.read_exact(&mut body).unwrap();
                    head.extend_from_slice(&body);
                    s.lock().unwrap().push(Seen {
                        bytes: head,
                        first_read: n,
                    });
                    let mut out = reader.into_inner().into_inner().1;
                    let _ = out.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n");
                }
            });
        }
    });
    Server {
        port,
        seen,
        connections,
    }
}

fn post(url: String, body: Vec<u8>) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url,
        headers: vec![("content-type".into(), "application/json".into())],
        body,
    }
}

fn transport() -> UreqTransport {
    UreqTransport::new(Duration::from_secs(10), Duration::from_secs(5))
}

#[test]
fn head_and_small_body_leave_in_one_write() {
    let server = start();
    let t = transport();
    let body = br#"{"payment_channel":"M-PESA STK Push","till_number":"K000000"}"#.to_vec();
    for _ in 0..3 {
        let r = t.send(&post(
            format!("http://127.0.0.1:{}/api/v2/incoming_payments", server.port),
            body.clone(),
        ));
        assert_eq!(r.unwrap().status, 204);
    }
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert!(s.bytes.ends_with(&body), "body arrived intact");
        // One write of a few hundred bytes on loopback arrives in one read.
        assert_eq!(s.first_read, s.bytes.len(), "head and body came in one write");
    }
    assert_eq!(*server.connections.lock().unwrap(), 1, "the connection is pooled");
}

#[test]
fn a_large_body_arrives_intact() {
    let server = start();
    let t = transport();
    let body: Vec<u8> = (0..300 * 1024u32).map(|i| b'a' + (i % 26) as u8).collect();
    let r = t.send(&post(format!("http://127.0.0.1:{}/big", server.port), body.clone()));
    assert_eq!(r.unwrap().status, 204);
    let r = t.send(&post(format!("http://127.0.0.1:{}/small", server.port), b"{}".to_vec()));
    assert_eq!(r.unwrap().status, 204);
    let seen = server.seen.lock().unwrap().clone();
    assert!(seen[0].bytes.ends_with(&body));
    assert!(seen[1].bytes.ends_with(b"{}"));
    assert_eq!(*server.connections.lock().unwrap(), 1);
}

#[test]
fn host_names_are_resolved_and_pooled() {
    let server = start();
    let t = transport();
    for _ in 0..3 {
        let r = t.send(&post(format!("http://localhost:{}/x", server.port), b"{}".to_vec()));
        assert_eq!(r.unwrap().status, 204);
    }
    assert_eq!(server.seen.lock().unwrap().len(), 3);
    assert_eq!(*server.connections.lock().unwrap(), 1);
}
