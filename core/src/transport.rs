//! The `Transport` trait and its default implementation on ureq (rustls,
//! connection pooling, timeouts).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport as Wire,
};

use crate::client::lock;
use crate::config::{Config, MAX_TIMEOUT};
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

    /// Sends the request, giving up at `deadline` with [`Error::Timeout`].
    /// The [`crate::Client`] calls this with each call's deadline. The default
    /// only refuses to start once the deadline has passed and otherwise
    /// relies on `send`'s own timeout; override it to honour the deadline.
    fn send_until(&self, request: &HttpRequest, deadline: Instant) -> Result<HttpResponse> {
        if Instant::now() >= deadline {
            return Err(Error::timeout("the call's deadline passed before the request was sent"));
        }
        self.send(request)
    }
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse> {
        (**self).send(request)
    }
    fn send_until(&self, request: &HttpRequest, deadline: Instant) -> Result<HttpResponse> {
        (**self).send_until(request, deadline)
    }
}

/// The default transport: a ureq agent with rustls.
///
/// - Keep-alive connections are pooled (up to 64 idle per host) and checked
///   before reuse.
/// - A host name's addresses are reused for 30 seconds; IP literals are never
///   looked up. (ureq alone looks the host up, in a new thread, on every request.)
/// - A request's head and body leave in one write.
/// - Redirects are never followed (the API does not redirect; a 3xx comes back
///   as a response, which the client reports as an API error).
/// - Response bodies over 16 MiB are refused (a decode error, not retried).
/// - Proxies: only the one given to [`UreqTransport::for_config`]; `HTTP_PROXY`
///   and the other variables ureq reads by default are ignored.
pub struct UreqTransport {
    agent: ureq::Agent,
    timeout: Duration,
}

impl std::fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UreqTransport")
    }
}

/// How far past a call's deadline an attempt may run rather than copy the
/// agent's configuration for a request-level timeout.
const DEADLINE_SLACK: Duration = Duration::from_millis(50);

/// Largest response body read (API responses are small).
const MAX_BODY: u64 = 16 * 1024 * 1024;

impl UreqTransport {
    /// An agent with a whole-request timeout and a connect timeout, connecting
    /// directly (no proxy).
    pub fn new(timeout: Duration, connect_timeout: Duration) -> Self {
        Self::build(timeout, connect_timeout, None)
    }

    /// The transport a [`crate::Client`] uses for `config`: its timeouts, and
    /// the proxy its [`crate::Proxy`] setting resolves to for its base URL
    /// (never one for a loopback host).
    pub fn for_config(config: &Config) -> Self {
        let proxy = config
            .proxy()
            .resolve(config.base_url(), |name| std::env::var(name).ok())
            .and_then(|url| ureq::Proxy::new(&url).ok());
        Self::build(config.timeout(), config.connect_timeout(), proxy)
    }

    fn build(timeout: Duration, connect_timeout: Duration, proxy: Option<ureq::Proxy>) -> Self {
        let timeout = timeout.min(MAX_TIMEOUT);
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(connect_timeout.min(MAX_TIMEOUT)))
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(proxy)
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
            timeout,
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
/// for `ttl` ([`RESOLVE_TTL`]); only a miss goes to `lookup` (ureq's
/// resolver, which still enforces the resolve timeout).
#[derive(Debug)]
struct CachingResolver<R = DefaultResolver> {
    lookup: R,
    ttl: Duration,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl Default for CachingResolver {
    fn default() -> Self {
        CachingResolver::new(DefaultResolver::default(), RESOLVE_TTL)
    }
}

impl<R> CachingResolver<R> {
    fn new(lookup: R, ttl: Duration) -> Self {
        CachingResolver {
            lookup,
            ttl,
            cache: Mutex::new(HashMap::new()),
        }
    }
}

/// `host:port` of a URL (ureq's own spelling, with the scheme's default port),
/// which is also a socket address when the host is an IP literal.
fn lookup_key(uri: &ureq::http::Uri) -> Option<String> {
    DefaultResolver::host_and_port(uri.scheme()?, uri.authority()?)
}

impl<R: Resolver> Resolver for CachingResolver<R> {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> std::result::Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(key) = lookup_key(uri) else {
            return self.lookup.resolve(uri, config, timeout);
        };
        // An IP literal (`127.0.0.1:8080`, `[::1]:443`) needs no lookup.
        if let Ok(addr) = key.parse::<SocketAddr>() {
            let mut addrs = self.empty();
            addrs.push(addr);
            return Ok(addrs);
        }
        let now = Instant::now();
        if let Some((at, addrs)) = lock(&self.cache).get(&key)
            && now.duration_since(*at) < self.ttl
        {
            return Ok(addrs.clone());
        }
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        let mut cache = lock(&self.cache);
        cache.retain(|_, (at, _)| now.duration_since(*at) < self.ttl);
        cache.insert(key, (now, addrs.clone()));
        Ok(addrs)
    }
}

fn map_error(e: ureq::Error) -> Error {
    match e {
        ureq::Error::Timeout(t) => Error::timeout(format!("request timed out ({t})")),
        ureq::Error::Io(io)
            if io.kind() == std::io::ErrorKind::TimedOut || io.kind() == std::io::ErrorKind::WouldBlock =>
        {
            Error::timeout(format!("request timed out: {io}"))
        }
        ureq::Error::BodyExceedsLimit(limit) => {
            Error::decode(format!("response body is larger than {limit} bytes; not read"))
        }
        // TLS and certificate failures (rustls reports them as InvalidData I/O
        // errors), bad proxies and requests that cannot be built: sending the
        // same request again cannot cure them.
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            Error::transport_final(format!("TLS or protocol failure: {io}"))
        }
        e @ (ureq::Error::Tls(_)
        | ureq::Error::Rustls(_)
        | ureq::Error::Pem(_)
        | ureq::Error::InvalidProxyUrl
        | ureq::Error::Http(_)
        | ureq::Error::BadUri(_)
        | ureq::Error::RedirectFailed
        | ureq::Error::TooManyRedirects) => Error::transport_final(e.to_string()),
        other => Error::transport(other.to_string()),
    }
}

impl UreqTransport {
    fn run(&self, request: &HttpRequest, timeout: Duration) -> Result<HttpResponse> {
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url);
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let req = builder
            .body(request.body.clone())
            .map_err(|e| Error::transport_final(format!("could not build the HTTP request: {e}")))?;
        // A request-level timeout copies the agent's configuration: only pay
        // for it when the call's deadline is meaningfully nearer than the
        // agent's own timeout (the first attempt of most calls is not).
        let req = if timeout + DEADLINE_SLACK < self.timeout {
            self.agent.configure_request(req).timeout_global(Some(timeout)).build()
        } else {
            req
        };
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

impl Transport for UreqTransport {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse> {
        self.run(request, self.timeout)
    }

    fn send_until(&self, request: &HttpRequest, deadline: Instant) -> Result<HttpResponse> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::timeout("the call's deadline passed before the request was sent"));
        }
        self.run(request, left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> ureq::http::Uri {
        s.parse().unwrap()
    }

    /// Answers every host with 10.0.0.1 and counts the lookups.
    #[derive(Debug, Default)]
    struct Counting(std::sync::atomic::AtomicUsize);

    impl Resolver for Counting {
        fn resolve(
            &self,
            uri: &ureq::http::Uri,
            _config: &ureq::config::Config,
            _timeout: NextTimeout,
        ) -> std::result::Result<ResolvedSocketAddrs, ureq::Error> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut addrs = self.empty();
            let port = lookup_key(uri)
                .and_then(|k| k.rsplit(':').next()?.parse().ok())
                .unwrap();
            addrs.push(SocketAddr::new([10, 0, 0, 1].into(), port));
            Ok(addrs)
        }
    }

    fn resolve<R: Resolver>(r: &CachingResolver<R>, url: &str) -> Vec<SocketAddr> {
        let config = ureq::Agent::config_builder().build();
        r.resolve(&uri(url), &config, NextTimeout::default()).unwrap().to_vec()
    }

    fn lookups(r: &CachingResolver<Counting>) -> usize {
        r.lookup.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    #[test]
    fn ip_literals_need_no_lookup() {
        let r = CachingResolver::new(Counting::default(), RESOLVE_TTL);
        assert_eq!(
            resolve(&r, "http://127.0.0.1:8080/x"),
            ["127.0.0.1:8080".parse().unwrap()]
        );
        assert_eq!(resolve(&r, "https://[::1]/x"), ["[::1]:443".parse().unwrap()]);
        assert_eq!(lookups(&r), 0);
        assert_eq!(
            lookup_key(&uri("http://sandbox.kopokopo.com/x")).as_deref(),
            Some("sandbox.kopokopo.com:80")
        );
        assert_eq!(lookup_key(&uri("/relative")), None);
    }

    #[test]
    fn a_host_is_looked_up_once_per_ttl() {
        let r = CachingResolver::new(Counting::default(), RESOLVE_TTL);
        let addr: SocketAddr = "10.0.0.1:443".parse().unwrap();
        assert_eq!(resolve(&r, "https://sandbox.kopokopo.com/a"), [addr]);
        assert_eq!(resolve(&r, "https://sandbox.kopokopo.com/b"), [addr]);
        assert_eq!(lookups(&r), 1);
        // Another host (or port) is another lookup.
        resolve(&r, "https://api.kopokopo.com/a");
        resolve(&r, "http://api.kopokopo.com/a");
        assert_eq!(lookups(&r), 3);

        // Once the time to live has passed, the host is looked up again.
        let expired = CachingResolver::new(Counting::default(), Duration::ZERO);
        resolve(&expired, "https://sandbox.kopokopo.com/a");
        resolve(&expired, "https://sandbox.kopokopo.com/a");
        assert_eq!(lookups(&expired), 2);
        assert_eq!(lock(&expired.cache).len(), 1, "expired entries are dropped");
    }
}
