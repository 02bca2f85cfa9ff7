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

    // ureq's `maybe_await_input` (input already buffered, else this) needs
    // no override: every wait comes here and flushes first.
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
        // Looking up other hosts keeps the entries still fresh.
        resolve(&r, "https://sandbox.kopokopo.com/c");
        assert_eq!(lookups(&r), 3);
        assert_eq!(lock(&r.cache).len(), 3);

        // Once the time to live has passed, the host is looked up again.
        let expired = CachingResolver::new(Counting::default(), Duration::ZERO);
        resolve(&expired, "https://sandbox.kopokopo.com/a");
        resolve(&expired, "https://sandbox.kopokopo.com/a");
        assert_eq!(lookups(&expired), 2);
        assert_eq!(lock(&expired.cache).len(), 1, "expired entries are dropped");
    }

    /// A connection that records every write and answers every wait.
    #[derive(Debug)]
    struct FakeWire {
        buffers: ureq::unversioned::transport::LazyBuffers,
        writes: std::sync::Arc<Mutex<Vec<Vec<u8>>>>,
        tls: bool,
        open: bool,
    }

    impl Wire for FakeWire {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> std::result::Result<(), ureq::Error> {
            let bytes = self.buffers.output()[..amount].to_vec();
            lock(&self.writes).push(bytes);
            Ok(())
        }
        fn await_input(&mut self, _: NextTimeout) -> std::result::Result<bool, ureq::Error> {
            Ok(true)
        }
        fn is_open(&mut self) -> bool {
            self.open
        }
        fn is_tls(&self) -> bool {
            self.tls
        }
    }

    type Writes = std::sync::Arc<Mutex<Vec<Vec<u8>>>>;

    fn coalesced(output_size: usize, tls: bool, open: bool) -> (Coalesced, Writes) {
        let writes = Writes::default();
        let inner = FakeWire {
            buffers: ureq::unversioned::transport::LazyBuffers::new(1024, output_size),
            writes: std::sync::Arc::clone(&writes),
            tls,
            open,
        };
        let c = Coalesced {
            inner: Box::new(inner),
            pending: Vec::new(),
        };
        (c, writes)
    }

    /// What ureq does to write: fill the output buffer, then transmit it.
    fn write(c: &mut Coalesced, bytes: &[u8]) {
        c.buffers().output()[..bytes.len()].copy_from_slice(bytes);
        c.transmit_output(bytes.len(), NextTimeout::default()).unwrap();
    }

    fn bytes(n: usize, seed: u8) -> Vec<u8> {
        (0..n).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
    }

    #[test]
    fn head_and_body_leave_in_one_write() {
        let (mut c, writes) = coalesced(128 * 1024, false, true);
        // A large head (a long bearer token) and a body are held...
        let (head, body) = (bytes(2_000, 1), bytes(3_000, 2));
        write(&mut c, &head);
        write(&mut c, &body);
        assert!(lock(&writes).is_empty(), "nothing is written before the wait");
        // ...until the response is awaited: then one write of both.
        assert!(c.await_input(NextTimeout::default()).unwrap());
        assert_eq!(*lock(&writes), [[head, body].concat()]);
        // Nothing is held any more, so nothing is written twice.
        c.await_input(NextTimeout::default()).unwrap();
        assert_eq!(lock(&writes).len(), 1);
        // ureq's own check before a read goes through the same flush.
        write(&mut c, b"x");
        c.maybe_await_input(NextTimeout::default()).unwrap();
        assert_eq!(lock(&writes).last().unwrap(), b"x");
    }

    #[test]
    fn large_writes_are_not_held() {
        // A first write of the limit or more goes straight out.
        let (mut c, writes) = coalesced(128 * 1024, false, true);
        let big = bytes(COALESCE_LIMIT, 3);
        write(&mut c, &big);
        assert_eq!(*lock(&writes), [big]);
        // Held bytes that reach the limit are written at once, in order.
        let (mut c, writes) = coalesced(128 * 1024, false, true);
        let (a, b) = (bytes(COALESCE_LIMIT - 10, 4), bytes(10, 5));
        write(&mut c, &a);
        assert!(lock(&writes).is_empty());
        write(&mut c, &b);
        assert_eq!(*lock(&writes), [[a, b].concat()]);
    }

    #[test]
    fn held_bytes_are_written_in_buffer_sized_pieces() {
        let (mut c, writes) = coalesced(1_000, false, true);
        let parts = [bytes(900, 6), bytes(900, 7), bytes(900, 8)];
        for p in &parts {
            write(&mut c, p);
        }
        c.await_input(NextTimeout::default()).unwrap();
        let sizes: Vec<usize> = lock(&writes).iter().map(Vec::len).collect();
        assert_eq!(sizes, [1_000, 1_000, 700]);
        assert_eq!(lock(&writes).concat(), parts.concat());
    }

    #[test]
    fn the_connection_state_is_the_inner_one() {
        let (mut c, _) = coalesced(1_000, true, false);
        assert!(c.is_tls() && !c.is_open());
        let (mut c, _) = coalesced(1_000, false, true);
        assert!(!c.is_tls() && c.is_open());
    }

    #[test]
    fn ureq_errors_map_to_timeouts_transport_and_decode_errors() {
        use crate::error::ErrorKind;
        let io = |kind| map_error(ureq::Error::Io(std::io::Error::new(kind, "x")));
        for (e, kind, retryable) in [
            (io(std::io::ErrorKind::TimedOut), ErrorKind::Timeout, true),
            (io(std::io::ErrorKind::WouldBlock), ErrorKind::Timeout, true),
            (io(std::io::ErrorKind::InvalidData), ErrorKind::Transport, false),
            (io(std::io::ErrorKind::ConnectionReset), ErrorKind::Transport, true),
            (io(std::io::ErrorKind::ConnectionRefused), ErrorKind::Transport, true),
            (
                map_error(ureq::Error::Timeout(ureq::Timeout::Global)),
                ErrorKind::Timeout,
                true,
            ),
            (map_error(ureq::Error::BodyExceedsLimit(5)), ErrorKind::Decode, false),
            (map_error(ureq::Error::InvalidProxyUrl), ErrorKind::Transport, false),
            (map_error(ureq::Error::TooManyRedirects), ErrorKind::Transport, false),
        ] {
            assert_eq!((e.kind(), e.is_retryable()), (kind, retryable), "{e}");
        }
    }

    /// Serves one `GET` on 127.0.0.1 with a body of `len` bytes, after `delay`.
    fn serve_once(len: usize, delay: Duration) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/x", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let Ok((mut s, _)) = listener.accept() else { return };
            let mut head = [0u8; 4096];
            let _ = s.read(&mut head);
            std::thread::sleep(delay);
            let _ = s.write_all(format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n\r\n").as_bytes());
            let _ = s.write_all(&vec![b'a'; len]);
        });
        url
    }

    fn get(url: &str) -> HttpRequest {
        HttpRequest {
            method: crate::http::Method::Get,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn bodies_up_to_16_mib_are_read() {
        let t = UreqTransport::new(Duration::from_secs(20), Duration::from_secs(5));
        assert_eq!(format!("{t:?}"), "UreqTransport");
        let limit = 16 * 1024 * 1024;
        let r = t.send(&get(&serve_once(limit, Duration::ZERO))).unwrap();
        assert_eq!(r.body.len(), limit);
        let e = t.send(&get(&serve_once(limit + 1, Duration::ZERO))).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Decode, "{e}");
    }

    #[test]
    fn a_nearer_deadline_cuts_the_attempt_short() {
        // The agent would wait 20 s; the call's deadline is 300 ms away.
        let t = UreqTransport::new(Duration::from_secs(20), Duration::from_secs(5));
        let started = Instant::now();
        let e = t
            .send_until(
                &get(&serve_once(2, Duration::from_millis(1_500))),
                started + Duration::from_millis(300),
            )
            .unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Timeout, "{e}");
        assert!(
            started.elapsed() < Duration::from_millis(1_200),
            "{:?}",
            started.elapsed()
        );
        // Also when it is nearer than the slack itself.
        let e = t
            .send_until(
                &get(&serve_once(2, Duration::from_millis(1_500))),
                Instant::now() + Duration::from_millis(20),
            )
            .unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Timeout, "{e}");
        // A deadline already passed sends nothing.
        let e = t.send_until(&get("http://127.0.0.1:9/x"), Instant::now()).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Timeout);
    }
}
