//! The `Transport` trait and its default implementation on ureq (rustls,
//! connection pooling, timeouts).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport as Wire,
};

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};

/// Sends one request and returns the response, whatever its status.
///
/// Implement it to use your own HTTP stack (or a recorder in tests). It must
/// return `Err` only when no complete response arrived: a 4xx or 5xx is an
/// `Ok(HttpResponse)`. Report timeouts as [`Error::Timeout`] and every other
/// failure as [`Error::Transport`]; never put request headers (they carry the
/// token) in an error message.
pub trait Transport: Send + Sync {
    /// Sends the request.
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse> {
        (**self).send(request)
    }
}

/// The default transport: a ureq agent with rustls.
///
/// - Keep-alive connections are pooled (up to 64 idle per host) and checked
///   before reuse.
/// - A host name's addresses are reused for 30 seconds; IP literals are never
///   looked up. (ureq alone looks the host up, in a new thread, on every request.)
/// - A request's head and body leave in one write.
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl std::fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UreqTransport")
    }
}

/// Largest response body read (API responses are small).
const MAX_BODY: u64 = 16 * 1024 * 1024;

impl UreqTransport {
    /// An agent with a whole-request timeout and a connect timeout.
    pub fn new(timeout: Duration, connect_timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(connect_timeout))
            .http_status_as_error(false)
            .max_idle_connections_per_host(64)
            .max_idle_connections(128)
            .user_agent(ureq::config::AutoHeaderValue::None)
            .accept_encoding(ureq::config::AutoHeaderValue::None)
            .build();
        UreqTransport {
            agent: ureq::Agent::with_parts(
                config,
                DefaultConnector::new().chain(Coalesce),
                CachingResolver::default(),
            ),
        }
    }
}

/// Wraps each connection (plain or TLS) so that the request head and a small
/// body leave in one write: ureq transmits them separately, and a server
/// wakes up for the head only to wait for the body.
#[derive(Debug)]
struct Coalesce;

/// Bytes held back at most before they are written anyway.
const COALESCE_LIMIT: usize = 64 * 1024;

impl Connector<Box<dyn Wire>> for Coalesce {
    type Out = Coalesced;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<Box<dyn Wire>>,
    ) -> std::result::Result<Option<Coalesced>, ureq::Error> {
        Ok(chained.map(|inner| Coalesced {
            inner,
            pending: Vec::new(),
        }))
    }
}

/// A connection whose writes are held until it is read from (or the held
/// bytes reach [`COALESCE_LIMIT`]): every byte is on the wire before ureq
/// waits for the answer, so nothing can deadlock.
#[derive(Debug)]
struct Coalesced {
    inner: Box<dyn Wire>,
    pending: Vec<u8>,
}

impl Coalesced {
    fn flush(&mut self, timeout: NextTimeout) -> std::result::Result<(), ureq::Error> {
        let mut sent = 0;
        while sent < self.pending.len() {
            let output = self.inner.buffers().output();
            let n = output.len().min(self.pending.len() - sent);
            output[..n].copy_from_slice(&self.pending[sent..sent + n]);
            self.inner.transmit_output(n, timeout)?;
            sent += n;
        }
        self.pending.clear();
        Ok(())
    }
}

impl Wire for Coalesced {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> std::result::Result<(), ureq::Error> {
        if self.pending.is_empty() && amount >= COALESCE_LIMIT {
            return self.inner.transmit_output(amount, timeout);
        }
        let output = &self.inner.buffers().output()[..amount];
        self.pending.extend_from_slice(output);
        if self.pending.len() >= COALESCE_LIMIT {
            self.flush(timeout)?;
        }
        Ok(())
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> std::result::Result<bool, ureq::Error> {
        self.flush(timeout)?;
        self.inner.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> std::result::Result<bool, ureq::Error> {
        self.flush(timeout)?;
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

/// How long a resolved host name is reused (the JVM's default DNS cache time).
const RESOLVE_TTL: Duration = Duration::from_secs(30);

/// ureq resolves the host of every request before it looks in its connection
/// pool, and with a timeout set its default resolver spawns a thread to do so:
/// one thread and one DNS lookup per request, even on a pooled connection.
/// This resolver answers IP literals directly and reuses a host's addresses
/// for [`RESOLVE_TTL`]; only a miss goes to ureq's resolver (which still
/// enforces the resolve timeout).
#[derive(Debug, Default)]
struct CachingResolver {
    fallback: DefaultResolver,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

/// The host and port of a URL (the scheme's default port when none is given).
fn host_and_port(uri: &ureq::http::Uri) -> Option<(&str, u16)> {
    let port = uri.port_u16().or(match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    })?;
    Some((uri.host()?, port))
}

/// The address of an IP-literal host (`127.0.0.1`, `[::1]`), which needs no lookup.
fn literal_addr(host: &str, port: u16) -> Option<SocketAddr> {
    let literal = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    literal.parse::<IpAddr>().ok().map(|ip| SocketAddr::new(ip, port))
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> std::result::Result<ResolvedSocketAddrs, ureq::Error> {
        let Some((host, port)) = host_and_port(uri) else {
            return self.fallback.resolve(uri, config, timeout);
        };
        if let Some(addr) = literal_addr(host, port) {
            let mut addrs = self.empty();
            addrs.push(addr);
            return Ok(addrs);
        }
        let key = format!("{host}:{port}");
        let now = Instant::now();
        if let Ok(cache) = self.cache.lock() {
            if let Some((at, addrs)) = cache.get(&key) {
                if now.duration_since(*at) < RESOLVE_TTL {
                    return Ok(addrs.clone());
                }
            }
        }
        let addrs = self.fallback.resolve(uri, config, timeout)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|_, (at, _)| now.duration_since(*at) < RESOLVE_TTL);
            cache.insert(key, (now, addrs.clone()));
        }
        Ok(addrs)
    }
}

fn map_error(e: ureq::Error) -> Error {
    match e {
        ureq::Error::Timeout(t) => Error::Timeout {
            message: format!("request timed out ({t})"),
        },
        ureq::Error::Io(io)
            if io.kind() == std::io::ErrorKind::TimedOut || io.kind() == std::io::ErrorKind::WouldBlock =>
        {
            Error::Timeout {
                message: format!("request timed out: {io}"),
            }
        }
        other => Error::Transport {
            message: other.to_string(),
        },
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse> {
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url);
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let req = builder.body(request.body.clone()).map_err(|e| Error::Transport {
            message: format!("could not build the HTTP request: {e}"),
        })?;
        let mut resp = self.agent.run(req).map_err(map_error)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(map_error)?;
        Ok(HttpResponse { status, headers, body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> ureq::http::Uri {
        s.parse().unwrap()
    }

    #[test]
    fn ip_literals_need_no_lookup() {
        let (v4, v6, name) = (
            uri("http://127.0.0.1:8080/x"),
            uri("https://[::1]/x"),
            uri("http://sandbox.kopokopo.com/x"),
        );
        let (h, p) = host_and_port(&v4).unwrap();
        assert_eq!(literal_addr(h, p), Some("127.0.0.1:8080".parse().unwrap()));
        let (h, p) = host_and_port(&v6).unwrap();
        assert_eq!(literal_addr(h, p), Some("[::1]:443".parse().unwrap()));
        let (h, p) = host_and_port(&name).unwrap();
        assert_eq!((h, p), ("sandbox.kopokopo.com", 80));
        assert_eq!(literal_addr(h, p), None);
        assert_eq!(host_and_port(&uri("/relative")), None);
    }
}
