//! The blocking [`Client`]: configuration, token cache, retries and one
//! method per endpoint, grouped like the API.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::api::{self, Auth, Context, Operation};
use crate::config::{Config, Secret};
use crate::error::{Error, Result};
use crate::http::HttpResponse;
pub use crate::operations::groups::Webhooks;
use crate::results::AccessToken;
use crate::transport::{Transport, UreqTransport};
use crate::webhooks::{self, CallbackResult, Webhook};

struct CachedToken {
    token: Secret,
    refresh_at: Instant,
    generation: u64,
}

/// The longest token lifetime the cache believes: a larger `expires_in` (up
/// to 2^64-1 from a broken or hostile server) is cached for 24 hours.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// How long a failed token fetch is answered to callers that arrive after it
/// without a new request (so a burst against a failing token endpoint costs
/// one request per second, not one per caller).
pub const TOKEN_FAILURE_HOLD: Duration = Duration::from_secs(1);

/// The token fetch in flight, and how the last one ended.
#[derive(Default)]
struct Flight {
    fetching: bool,
    landed: u64,
    failure: Option<(Instant, Error)>,
}

/// Token cache with single-flight refresh: many threads asking at once cause
/// one token request; the others wait for it (each until its own deadline)
/// and take its result, the token or the error.
#[derive(Default)]
struct TokenCache {
    current: Mutex<Option<CachedToken>>,
    flight: Mutex<Flight>,
    landed: Condvar,
    generation: AtomicU64,
    requests: AtomicU64,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the cache inconsistent
    // (it holds plain values), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Ends the flight however the fetch ends (a panic included), so that
/// waiters are never left waiting for a fetch that will not land. Until the
/// fetch returns, its outcome is the failure a panic would leave.
struct Landing<'a> {
    cache: &'a TokenCache,
    failure: Option<Error>,
}

impl Drop for Landing<'_> {
    fn drop(&mut self) {
        let mut f = lock(&self.cache.flight);
        f.fetching = false;
        f.landed += 1;
        f.failure = self.failure.take().map(|e| (Instant::now(), e));
        drop(f);
        self.cache.landed.notify_all();
    }
}

impl TokenCache {
    fn valid(&self) -> Option<(Secret, u64)> {
        self.valid_at(Instant::now())
    }

    /// The cached token if it is still fresh at `now` (the clock is a
    /// parameter so that tests can check the refresh timing exactly).
    fn valid_at(&self, now: Instant) -> Option<(Secret, u64)> {
        let g = lock(&self.current);
        g.as_ref()
            .filter(|c| now < c.refresh_at)
            .map(|c| (c.token.clone(), c.generation))
    }

    fn get(
        &self,
        margin: Duration,
        deadline: Instant,
        fetch: impl FnOnce() -> Result<AccessToken>,
    ) -> Result<(Secret, u64)> {
        if let Some(t) = self.valid() {
            return Ok(t);
        }
        let mut f = lock(&self.flight);
        loop {
            if let Some(t) = self.valid() {
                return Ok(t);
            }
            if let Some((at, e)) = &f.failure
                && at.elapsed() < TOKEN_FAILURE_HOLD
            {
                return Err(e.clone());
            }
            if !f.fetching {
                break;
            }
            // Another caller is fetching: wait for it to land, or for our deadline.
            let seen = f.landed;
            while f.landed == seen {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::timeout("timed out waiting for an access token"));
                }
                f = self.landed.wait_timeout(f, left).unwrap_or_else(|p| p.into_inner()).0;
            }
        }
        f.fetching = true;
        drop(f);
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut landing = Landing {
            cache: self,
            failure: Some(Error::internal("the token fetch did not complete")),
        };
        let outcome = fetch().map(|fresh| self.store(fresh, margin));
        landing.failure = outcome.as_ref().err().cloned();
        outcome
    }

    fn store(&self, fresh: AccessToken, margin: Duration) -> (Secret, u64) {
        self.store_at(fresh, margin, Instant::now())
    }

    /// Caches `fresh`, received at `now`.
    fn store_at(&self, fresh: AccessToken, margin: Duration, now: Instant) -> (Secret, u64) {
        let lifetime = Duration::from_secs(fresh.expires_in).min(MAX_TOKEN_LIFETIME);
        // Refresh shortly before expiry: the configured margin, but never more
        // than a tenth of the lifetime (so one-second tokens are still reused).
        let margin = margin.min(lifetime / 10);
        let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
        let token = Secret::new(fresh.access_token);
        *lock(&self.current) = Some(CachedToken {
            token: token.clone(),
            refresh_at: now + lifetime.saturating_sub(margin),
            generation,
        });
        (token, generation)
    }

    fn invalidate(&self, generation: u64) {
        let mut g = lock(&self.current);
        if g.as_ref().is_some_and(|c| c.generation == generation) {
            *g = None;
        }
    }

    fn clear(&self) {
        *lock(&self.current) = None;
    }
}

/// A blocking Kopo Kopo client. `Send + Sync`: share one (for example in an
/// `Arc`) between threads; it pools connections and caches the access token.
///
/// ```no_run
/// use kopokopo::{Client, Config, IncomingPaymentRequest, Amount};
///
/// let client = Client::new(
///     Config::builder("client-id", "client-secret").api_key("api-key").build()?,
/// );
/// let created = client.incoming_payments().create(&IncomingPaymentRequest {
///     till_number: "K000000".into(),
///     phone_number: "0712345678".into(),
///     amount: Amount::parse("100")?,
///     callback_url: "https://example.com/k2/result".into(),
///     ..Default::default()
/// })?;
/// let payment = client.incoming_payments().status(&created.location)?;
/// println!("{} is {}", payment.id, payment.status);
/// # Ok::<(), kopokopo::Error>(())
/// ```
pub struct Client {
    config: Config,
    transport: Arc<dyn Transport>,
    tokens: TokenCache,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn jitter_fraction() -> f64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    (h.finish() % 10_000) as f64 / 10_000.0
}

/// The wait before retry `attempt + 1`: `base * 2^attempt`, capped at `max`,
/// with "equal jitter" (half fixed, half `jitter` in `[0, 1)` of it).
fn backoff_delay(base: Duration, max: Duration, attempt: u32, jitter: f64) -> Duration {
    let base = base.as_secs_f64() * 2f64.powi(attempt.min(30) as i32);
    let capped = base.min(max.as_secs_f64());
    Duration::from_secs_f64(capped / 2.0 + capped / 2.0 * jitter)
}

impl Client {
    /// A client with the default ureq transport.
    pub fn new(config: Config) -> Client {
        let transport = UreqTransport::for_config(&config);
        Client::with_transport(config, Arc::new(transport))
    }

    /// A client with your own [`Transport`].
    pub fn with_transport(config: Config, transport: Arc<dyn Transport>) -> Client {
        Client {
            config,
            transport,
            tokens: TokenCache::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// How many token requests this client has made (for tests and metrics).
    pub fn token_requests(&self) -> u64 {
        self.tokens.requests.load(Ordering::Relaxed)
    }

    /// Runs any [`Operation`]: validation, token, retries, 401 refresh.
    ///
    /// The configured timeout is the call's deadline: the wait for a token,
    /// every attempt and every backoff together end by then.
    pub fn execute<O: Operation>(&self, op: &O) -> Result<O::Output> {
        let out = self.execute_until(op, Instant::now() + self.config.timeout(), self.config.max_retries())?;
        if let Some(token) = O::issued_token(&out) {
            self.tokens.requests.fetch_add(1, Ordering::Relaxed);
            self.tokens.store(token.clone(), self.config.token_refresh_margin());
        }
        if op.revokes_token() {
            self.tokens.clear();
        }
        Ok(out)
    }

    /// `retries` caps the configured retries (a shared token fetch retries at most once).
    fn execute_until<O: Operation>(&self, op: &O, deadline: Instant, retries: u32) -> Result<O::Output> {
        let retries = if op.retry_safe() { retries } else { 0 };
        match op.auth() {
            Auth::ClientCredentials => {
                let ctx = Context::new(&self.config);
                let req = op.build(&ctx, None)?;
                let resp = self.send_with_retries(&req, retries, deadline)?;
                op.parse(&resp)
            }
            Auth::Bearer => {
                let ctx = Context::new(&self.config);
                // Validate before fetching a token: bad input never causes I/O.
                op.build(&ctx, Some(""))?;
                let (token, generation) = self.cached_token(deadline)?;
                let req = op.build(&ctx, Some(token.expose()))?;
                let resp = self.send_with_retries(&req, retries, deadline)?;
                if resp.status != 401 {
                    return op.parse(&resp);
                }
                // The token was refused (revoked or expired early): drop it,
                // fetch a new one and send this call once more. A 401 means
                // the API did not act on the request, so this is safe for POSTs.
                self.tokens.invalidate(generation);
                let (token, _) = self.cached_token(deadline)?;
                let req = op.build(&ctx, Some(token.expose()))?;
                let resp = self.send_with_retries(&req, retries, deadline)?;
                op.parse(&resp)
            }
        }
    }

    fn cached_token(&self, deadline: Instant) -> Result<(Secret, u64)> {
        self.tokens.get(self.config.token_refresh_margin(), deadline, || {
            // One fetch serves every waiting caller: a token endpoint that fails
            // twice in a row is down, and the failure hold takes over from here.
            self.execute_until(&api::RequestToken, deadline, self.config.max_retries().min(1))
        })
    }

    fn backoff(&self, attempt: u32) -> Duration {
        backoff_delay(
            self.config.retry_base_delay(),
            self.config.retry_max_delay(),
            attempt,
            jitter_fraction(),
        )
    }

    fn send_with_retries(&self, req: &crate::http::HttpRequest, max: u32, deadline: Instant) -> Result<HttpResponse> {
        let mut attempt = 0;
        loop {
            let outcome = self.transport.send_until(req, deadline);
            let retry_in = match &outcome {
                Ok(r) if r.status == 429 => {
                    let wait = api::retry_after(r).unwrap_or_else(|| self.backoff(attempt));
                    (wait <= self.config.retry_max_delay()).then_some(wait)
                }
                Ok(r) if matches!(r.status, 500 | 502 | 503 | 504) => Some(self.backoff(attempt)),
                Ok(_) => None,
                Err(e) if e.is_retryable() => Some(self.backoff(attempt)),
                Err(_) => None,
            };
            match retry_in {
                // Only if the wait and another attempt still fit before the deadline.
                Some(wait) if attempt < max && Instant::now() + wait < deadline => {
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }

    /// A valid access token from the cache (fetching one if needed).
    pub fn access_token(&self) -> Result<Secret> {
        self.cached_token(Instant::now() + self.config.timeout())
            .map(|(t, _)| t)
    }
}

/// Verification and parsing of received webhooks and results.
impl Webhooks<'_> {
    fn api_key(&self) -> Result<&str> {
        self.0
            .config
            .api_key()
            .map(Secret::expose)
            .ok_or_else(|| Error::invalid("api_key", "is required to verify webhooks; set it in the Config"))
    }
    /// Whether `signature` matches `body` under the configured API key.
    pub fn verify(&self, body: &[u8], signature: Option<&str>) -> Result<bool> {
        Ok(webhooks::verify_signature(body, signature, self.api_key()?))
    }
    /// Verifies, then parses a webhook.
    pub fn parse_webhook(&self, body: &[u8], signature: Option<&str>) -> Result<Webhook> {
        webhooks::parse_webhook(body, signature, self.api_key()?)
    }
    /// Verifies, then parses an async result.
    pub fn parse_result(&self, body: &[u8], signature: Option<&str>) -> Result<CallbackResult> {
        webhooks::parse_result(body, signature, self.api_key()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn _assert_send_sync() {
        fn is<T: Send + Sync>() {}
        is::<Client>();
    }

    fn token(text: &str, expires_in: u64) -> AccessToken {
        AccessToken {
            access_token: text.into(),
            token_type: "Bearer".into(),
            expires_in,
            created_at: None,
        }
    }

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn token_refreshes_a_margin_before_expiry() {
        let cache = TokenCache::default();
        let t0 = Instant::now();
        // One hour, 60 s margin: reused until 3540 s, refreshed from then on.
        let (t, generation) = cache.store_at(token("hour", 3600), Duration::from_secs(60), t0);
        assert_eq!((t.expose(), generation), ("hour", 1));
        let fresh_until = t0 + Duration::from_secs(3540);
        assert_eq!(
            cache
                .valid_at(fresh_until - MS)
                .map(|(t, g)| (t.expose().to_string(), g)),
            Some(("hour".into(), 1))
        );
        // `now < refresh_at`: at the refresh instant the token is no longer used.
        assert!(cache.valid_at(fresh_until).is_none());
        assert!(cache.valid_at(fresh_until + MS).is_none());
    }

    #[test]
    fn short_tokens_keep_nine_tenths_of_their_lifetime() {
        // The margin is capped at a tenth of the lifetime: a one-second token
        // with a 60 s margin is still reused for 900 ms.
        let cache = TokenCache::default();
        let t0 = Instant::now();
        cache.store_at(token("second", 1), Duration::from_secs(60), t0);
        assert!(cache.valid_at(t0).is_some());
        assert!(cache.valid_at(t0 + 899 * MS).is_some());
        assert!(cache.valid_at(t0 + 900 * MS).is_none());
        // A 100 s token with a 5 s margin: the margin (< 10 s) applies as configured.
        cache.store_at(token("hundred", 100), Duration::from_secs(5), t0);
        assert!(cache.valid_at(t0 + Duration::from_secs(95) - MS).is_some());
        assert!(cache.valid_at(t0 + Duration::from_secs(95)).is_none());
        // A zero-lifetime token is never reused.
        cache.store_at(token("zero", 0), Duration::from_secs(60), t0);
        assert!(cache.valid_at(t0).is_none());
    }

    #[test]
    fn huge_lifetimes_are_capped() {
        assert_eq!(MAX_TOKEN_LIFETIME, Duration::from_secs(86_400));
        let cache = TokenCache::default();
        let t0 = Instant::now();
        cache.store_at(token("forever", u64::MAX), Duration::from_secs(60), t0);
        let refresh = t0 + MAX_TOKEN_LIFETIME - Duration::from_secs(60);
        assert!(cache.valid_at(refresh - MS).is_some());
        assert!(cache.valid_at(refresh).is_none());
    }

    #[test]
    fn generations_invalidate_and_clear() {
        let cache = TokenCache::default();
        let t0 = Instant::now();
        let margin = Duration::from_secs(60);
        assert!(cache.valid().is_none());
        assert_eq!(cache.store_at(token("a", 3600), margin, t0).1, 1);
        assert_eq!(cache.store_at(token("b", 3600), margin, t0).1, 2);
        // `store` uses the real clock: a fresh token is valid now.
        let (b, g) = cache.valid().unwrap();
        assert_eq!((b.expose(), g), ("b", 2));
        // A stale generation does not drop the newer token; the current one does.
        cache.invalidate(1);
        assert_eq!(cache.valid_at(t0).unwrap().1, 2);
        cache.invalidate(2);
        assert!(cache.valid_at(t0).is_none());
        assert_eq!(cache.store(token("c", 3600), margin).1, 3);
        assert_eq!(cache.valid().unwrap().0.expose(), "c");
        cache.clear();
        assert!(cache.valid_at(t0).is_none());
        assert!(cache.valid().is_none());
    }

    #[test]
    fn token_fetch_failure_is_held_then_retried() {
        let cache = TokenCache::default();
        let margin = Duration::from_secs(60);
        let deadline = Instant::now() + Duration::from_secs(5);
        let err = cache.get(margin, deadline, || Err(Error::timeout("down"))).unwrap_err();
        assert_eq!(err.code(), "timeout");
        // Within the hold the failure is answered without a new fetch.
        let held = cache
            .get(margin, deadline, || panic!("fetched during the hold"))
            .unwrap_err();
        assert_eq!(held.code(), "timeout");
        assert_eq!(cache.requests.load(Ordering::Relaxed), 1);
        std::thread::sleep(TOKEN_FAILURE_HOLD + 50 * MS);
        let (t, g) = cache.get(margin, deadline, || Ok(token("t", 3600))).unwrap();
        assert_eq!((t.expose(), g), ("t", 1));
        assert_eq!(cache.requests.load(Ordering::Relaxed), 2);
        // Cached now: no further fetch.
        let (t, _) = cache
            .get(margin, deadline, || panic!("fetched a cached token"))
            .unwrap();
        assert_eq!(t.expose(), "t");
    }

    #[test]
    fn backoff_schedule() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(10);
        let at = |attempt, jitter| backoff_delay(base, max, attempt, jitter);
        // Doubling from the base, half fixed and half jitter.
        assert_eq!(at(0, 0.0), Duration::from_millis(50));
        assert_eq!(at(0, 0.5), Duration::from_millis(75));
        assert_eq!(at(0, 0.9999), Duration::from_secs_f64(0.05 + 0.05 * 0.9999));
        assert_eq!(at(1, 0.0), Duration::from_millis(100));
        assert_eq!(at(3, 0.0), Duration::from_millis(400));
        assert_eq!(at(3, 0.5), Duration::from_millis(600));
        // Capped at the maximum (and large attempts do not overflow).
        assert_eq!(at(7, 0.0), Duration::from_secs(5));
        assert_eq!(at(7, 0.5), Duration::from_millis(7500));
        assert_eq!(at(40, 0.0), Duration::from_secs(5));
        assert_eq!(at(u32::MAX, 0.5), Duration::from_millis(7500));
    }

    #[test]
    fn jitter_is_a_varying_fraction() {
        let draws: Vec<f64> = (0..64).map(|_| jitter_fraction()).collect();
        assert!(draws.iter().all(|j| (0.0..1.0).contains(j)), "{draws:?}");
        let first = draws[0];
        assert!(draws.iter().any(|j| *j != first), "jitter is constant: {draws:?}");
    }

    fn client() -> Client {
        Client::new(
            Config::builder("my-client-id", "my-client-secret")
                .api_key("my-api-key")
                .base_url("https://k2.example.com")
                .retry_backoff(Duration::from_millis(100), Duration::from_millis(300))
                .build()
                .unwrap(),
        )
    }

    #[test]
    fn client_backoff_uses_the_configuration() {
        let c = client();
        for _ in 0..16 {
            let first = c.backoff(0);
            assert!(
                first >= Duration::from_millis(50) && first < Duration::from_millis(100),
                "{first:?}"
            );
            let capped = c.backoff(5);
            assert!(
                capped >= Duration::from_millis(150) && capped < Duration::from_millis(300),
                "{capped:?}"
            );
        }
    }

    /// Answers each request with the next scripted outcome.
    struct Script(Mutex<Vec<Result<HttpResponse>>>);

    impl Transport for Script {
        fn send(&self, _: &crate::http::HttpRequest) -> Result<HttpResponse> {
            lock(&self.0).remove(0)
        }
    }

    fn scripted(outcomes: Vec<Result<HttpResponse>>) -> (Client, Arc<Script>) {
        let script = Arc::new(Script(Mutex::new(outcomes)));
        let config = Config::builder("id", "secret")
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
            .max_retries(2)
            .build()
            .unwrap();
        (Client::with_transport(config, script.clone()), script)
    }

    const TOKEN_BODY: &str = r#"{"access_token":"tok","token_type":"Bearer","expires_in":3600,"created_at":"1"}"#;

    #[test]
    fn retryable_transport_errors_are_retried_final_ones_are_not() {
        let (c, script) = scripted(vec![
            Err(Error::transport("reset")),
            Ok(HttpResponse::new(503, "")),
            Ok(HttpResponse::new(200, TOKEN_BODY)),
        ]);
        assert_eq!(c.execute(&api::RequestToken).unwrap().access_token, "tok");
        assert!(lock(&script.0).is_empty());
        // The issued token is cached: no further request.
        assert_eq!(c.access_token().unwrap().expose(), "tok");
        assert_eq!(c.token_requests(), 1);
        // Retries are capped: a third failure is returned.
        let (c, script) = scripted(vec![
            Err(Error::transport("reset")),
            Err(Error::transport("reset")),
            Err(Error::transport("reset")),
            Ok(HttpResponse::new(200, TOKEN_BODY)),
        ]);
        assert_eq!(c.execute(&api::RequestToken).unwrap_err().code(), "transport_error");
        assert_eq!(lock(&script.0).len(), 1);
        let (c, script) = scripted(vec![
            Err(Error::transport_final("tls")),
            Ok(HttpResponse::new(200, TOKEN_BODY)),
        ]);
        assert_eq!(c.execute(&api::RequestToken).unwrap_err().code(), "transport_error");
        assert_eq!(lock(&script.0).len(), 1);
    }

    #[test]
    fn no_retry_when_the_wait_would_pass_the_deadline() {
        let script = Arc::new(Script(Mutex::new(vec![
            Ok(HttpResponse::new(503, "")),
            Ok(HttpResponse::new(200, TOKEN_BODY)),
        ])));
        let config = Config::builder("id", "secret")
            .timeout(Duration::from_millis(300))
            .retry_backoff(Duration::from_secs(2), Duration::from_secs(4))
            .build()
            .unwrap();
        let c = Client::with_transport(config, script.clone());
        let start = Instant::now();
        // The first backoff (1 to 2 s) does not fit in 300 ms: the 503 is the answer, at once.
        assert_eq!(c.execute(&api::RequestToken).unwrap_err().code(), "api_error");
        assert!(start.elapsed() < Duration::from_millis(250), "{:?}", start.elapsed());
        assert_eq!(lock(&script.0).len(), 1);
    }

    #[test]
    fn debug_shows_the_configuration_but_no_secret() {
        let c = client();
        let text = format!("{c:?}");
        assert!(text.starts_with("Client"), "{text}");
        assert!(text.contains("my-client-id"), "{text}");
        assert!(text.contains("https://k2.example.com"), "{text}");
        assert!(text.contains("[REDACTED]"), "{text}");
        assert!(!text.contains("my-client-secret"), "{text}");
        assert!(!text.contains("my-api-key"), "{text}");
        // A cached token is not shown either.
        c.tokens.store(token("my-bearer-token", 3600), Duration::from_secs(60));
        assert!(!format!("{c:?}").contains("my-bearer-token"));
    }

    #[test]
    fn webhooks_need_the_api_key() {
        let c = client();
        let body = br#"{"topic":"x"}"#;
        let sig = webhooks::sign(body, "my-api-key");
        assert!(c.webhooks().verify(body, Some(&sig)).unwrap());
        assert!(!c.webhooks().verify(body, Some(&webhooks::sign(body, "other"))).unwrap());
        let result = &include_bytes!("../../tests/fixtures/result.polling.success.json")[..];
        let signed = webhooks::sign(result, "my-api-key");
        assert_eq!(
            c.webhooks().parse_result(result, Some(&signed)).unwrap().kind(),
            "polling"
        );
        assert_eq!(
            c.webhooks().parse_result(result, Some(&sig)).unwrap_err().code(),
            "signature_invalid"
        );
        let event = &include_bytes!("../../tests/fixtures/webhook.b2b_transaction_received.k2.json")[..];
        let signed = webhooks::sign(event, "my-api-key");
        assert!(c.webhooks().parse_webhook(event, Some(&signed)).is_ok());
        assert_eq!(
            c.webhooks().parse_webhook(event, Some(&sig)).unwrap_err().code(),
            "signature_invalid"
        );
        let no_key = Client::new(Config::builder("id", "secret").build().unwrap());
        assert_eq!(
            no_key.webhooks().verify(body, Some(&sig)).unwrap_err().code(),
            "invalid_argument"
        );
    }
}
