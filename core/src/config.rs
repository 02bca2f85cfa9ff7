//! Client configuration. Secrets are held in [`Secret`], whose `Debug` and
//! `Display` never show the value.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::validate;

/// The sandbox API host (the default).
pub const SANDBOX_URL: &str = "https://sandbox.kopokopo.com";
/// The production API host. The documentation never states it; its example
/// payloads link to this host (docs/api-notes.md, "Production base URL").
pub const PRODUCTION_URL: &str = "https://api.kopokopo.com";
/// This crate's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The longest `timeout`, `connect_timeout` or retry delay accepted (one hour).
/// A longer value is refused by [`ConfigBuilder::build`]: it is always a
/// mistake (a unit confused, a sentinel such as `1e19`) and would overflow the
/// clock arithmetic of the transport.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

/// Which HTTP proxy the client uses. See `docs/robustness.md`.
///
/// - [`Proxy::Environment`] (the default): `HTTPS_PROXY` / `https_proxy`, else
///   `ALL_PROXY` / `all_proxy`, unless the API host matches `NO_PROXY` /
///   `no_proxy`. `HTTP_PROXY` is never read (the API is only reached over
///   https, and a CGI-style `HTTP_PROXY` can be set by a request header:
///   "httpoxy").
/// - [`Proxy::Disabled`]: connect directly.
/// - [`Proxy::Url`]: this proxy (`http://`, `https://`; credentials in the URL).
///
/// Loopback hosts (`localhost`, `127.0.0.0/8`, `::1`, e.g. `k2 mock`) are
/// never proxied, whatever the setting.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Proxy {
    /// From the environment (the default).
    #[default]
    Environment,
    /// No proxy.
    Disabled,
    /// This proxy URL.
    Url(String),
}

impl Proxy {
    /// The option as the bindings spell it: absent or `"env"` → from the
    /// environment, `"none"` → disabled, anything else → a proxy URL.
    pub fn from_option(value: Option<&str>) -> Proxy {
        match value.map(str::trim) {
            None | Some("env") => Proxy::Environment,
            Some("none") | Some("") => Proxy::Disabled,
            Some(url) => Proxy::Url(url.to_string()),
        }
    }

    /// The proxy URL to use for `base_url`, if any. `env` looks up an
    /// environment variable (tests pass their own).
    pub fn resolve(&self, base_url: &str, env: impl Fn(&str) -> Option<String>) -> Option<String> {
        let host = validate::split_url(base_url).map(|p| p.host.to_ascii_lowercase())?;
        if validate::is_loopback_host(&host) {
            return None;
        }
        match self {
            Proxy::Disabled => None,
            Proxy::Url(u) => Some(u.clone()),
            Proxy::Environment => {
                let var = |names: &[&str]| {
                    names
                        .iter()
                        .find_map(|n| env(n).map(|v| v.trim().to_string()).filter(|v| !v.is_empty()))
                };
                let url = var(&["HTTPS_PROXY", "https_proxy"]).or_else(|| var(&["ALL_PROXY", "all_proxy"]))?;
                let no_proxy = var(&["NO_PROXY", "no_proxy"]).unwrap_or_default();
                if no_proxy_matches(&no_proxy, &host) {
                    None
                } else {
                    Some(url)
                }
            }
        }
    }
}

/// `NO_PROXY` matching as curl does it: `*` matches everything; an entry
/// matches the host itself and its subdomains (a leading `.` or `*.` is
/// ignored); ports are ignored. IPv6 addresses match with or without
/// brackets (`host` is as `split_url` gives it: `[fe80::1]`).
fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    list.split(',').map(str::trim).filter(|e| !e.is_empty()).any(|entry| {
        if entry == "*" {
            return true;
        }
        let entry = entry.trim_start_matches('*').trim_start_matches('.');
        let entry = match entry.rsplit_once(':') {
            // `name:port` or `[v6]:port`; a bare IPv6 address keeps its colons.
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) && (!h.contains(':') || h.ends_with(']')) => h,
            _ => entry,
        };
        let entry = entry.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        !entry.is_empty() && (host == entry || host.ends_with(&format!(".{entry}")))
    })
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::Environment => f.write_str("Environment"),
            Proxy::Disabled => f.write_str("Disabled"),
            // A proxy URL may carry credentials.
            Proxy::Url(u) => match u.split_once('@') {
                Some((_, host)) => write!(f, "Url([REDACTED]@{host})"),
                None => write!(f, "Url({u})"),
            },
        }
    }
}

/// A secret string (client secret, API key, access token).
/// `Debug`/`Display` print `[REDACTED]`; read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret value. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

/// Everything a [`crate::Client`] needs. Build it with [`Config::builder`].
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) api_key: Option<Secret>,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) max_retries: u32,
    pub(crate) token_refresh_margin: Duration,
    pub(crate) retry_base_delay: Duration,
    pub(crate) retry_max_delay: Duration,
    pub(crate) proxy: Proxy,
}

impl Config {
    /// A builder with the sandbox URL and default timeouts.
    pub fn builder(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> ConfigBuilder {
        ConfigBuilder {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            api_key: None,
            base_url: SANDBOX_URL.to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent_suffix: None,
            max_retries: 2,
            token_refresh_margin: Duration::from_secs(60),
            retry_base_delay: Duration::from_millis(200),
            retry_max_delay: Duration::from_secs(10),
            proxy: Proxy::Environment,
        }
    }

    /// The client id (not a secret).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
    /// The client secret.
    pub fn client_secret(&self) -> &Secret {
        &self.client_secret
    }
    /// The API key used to verify webhook signatures, if configured.
    pub fn api_key(&self) -> Option<&Secret> {
        self.api_key.as_ref()
    }
    /// The API base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// The proxy setting.
    pub fn proxy(&self) -> &Proxy {
        &self.proxy
    }
    /// Each call's deadline: token wait, every attempt and every backoff
    /// together never take longer than this.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }
    /// The `User-Agent` header sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
    /// How many times a GET or token request is retried.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }
    /// How long before expiry a cached token is refreshed.
    pub fn token_refresh_margin(&self) -> Duration {
        self.token_refresh_margin
    }
    /// First retry delay (doubled per attempt, with jitter).
    pub fn retry_base_delay(&self) -> Duration {
        self.retry_base_delay
    }
    /// Longest wait between retries; a longer `Retry-After` is not waited for.
    pub fn retry_max_delay(&self) -> Duration {
        self.retry_max_delay
    }
}

/// Builder for [`Config`].
#[derive(Debug, Clone)]
pub struct ConfigBuilder {
    client_id: String,
    client_secret: Secret,
    api_key: Option<Secret>,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent_suffix: Option<String>,
    max_retries: u32,
    token_refresh_margin: Duration,
    retry_base_delay: Duration,
    retry_max_delay: Duration,
    proxy: Proxy,
}

impl ConfigBuilder {
    /// The API key (needed to verify webhooks and results).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        let k = key.into();
        self.api_key = if k.is_empty() { None } else { Some(k) };
        self
    }
    /// The API base URL: [`SANDBOX_URL`] (default), [`PRODUCTION_URL`], or any
    /// `https://` URL; `http://` only for loopback hosts (tests, `k2 mock`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }
    /// Use the production API.
    pub fn production(self) -> Self {
        self.base_url(PRODUCTION_URL)
    }
    /// The HTTP proxy (default: [`Proxy::Environment`]).
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = proxy;
        self
    }
    /// Each call's deadline (default 30 s, at most [`MAX_TIMEOUT`]): the wait
    /// for a token, every attempt and every backoff together.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    /// The connect timeout (default 10 s, at most [`MAX_TIMEOUT`]).
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }
    /// Text appended to the User-Agent in parentheses, set by each binding:
    /// `kopokopo/0.1.0 (python/0.1.0; CPython 3.11)`.
    pub fn user_agent_suffix(mut self, s: impl Into<String>) -> Self {
        let s = s.into();
        self.user_agent_suffix = if s.trim().is_empty() { None } else { Some(s) };
        self
    }
    /// Retries for GET and token requests (default 2; POSTs are never retried).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n.min(10);
        self
    }
    /// How long before `expires_in` runs out a cached token is replaced (default 60 s).
    pub fn token_refresh_margin(mut self, d: Duration) -> Self {
        self.token_refresh_margin = d;
        self
    }

    /// Backoff: first delay and the longest wait (defaults 200 ms and 10 s).
    /// A `Retry-After` longer than `max` is returned as an error instead of waited for.
    pub fn retry_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.retry_base_delay = base;
        self.retry_max_delay = max;
        self
    }

    /// Validates and builds the configuration.
    pub fn build(self) -> Result<Config> {
        validate::required("client_id", &self.client_id)?;
        if self.client_secret.expose().trim().is_empty() {
            return Err(Error::invalid("client_secret", "is required and must not be blank"));
        }
        let base = self.base_url.trim().trim_end_matches('/').to_string();
        validate::secure_url("base_url", &base)?;
        let parts =
            validate::split_url(&base).ok_or_else(|| Error::invalid("base_url", "must be an absolute http(s) URL"))?;
        if parts.rest.contains(['?', '#']) {
            return Err(Error::invalid("base_url", "must not contain a query or fragment"));
        }
        for (field, d) in [("timeout", self.timeout), ("connect_timeout", self.connect_timeout)] {
            if d.is_zero() {
                return Err(Error::invalid(field, "must be greater than zero"));
            }
            if d > MAX_TIMEOUT {
                return Err(Error::invalid(field, "must be at most one hour (3600 s)"));
            }
        }
        for (field, d) in [
            ("retry_base_delay", self.retry_base_delay),
            ("retry_max_delay", self.retry_max_delay),
            ("token_refresh_margin", self.token_refresh_margin),
        ] {
            if d > MAX_TIMEOUT {
                return Err(Error::invalid(field, "must be at most one hour (3600 s)"));
            }
        }
        if let Proxy::Url(u) = &self.proxy {
            validate_proxy_url(u)?;
        }
        let suffix = match &self.user_agent_suffix {
            Some(s) => {
                if s.chars().any(|c| c.is_control()) {
                    return Err(Error::invalid(
                        "user_agent_suffix",
                        "must not contain control characters",
                    ));
                }
                format!(" ({s})")
            }
            None => " (rust)".to_string(),
        };
        Ok(Config {
            client_id: self.client_id,
            client_secret: self.client_secret,
            api_key: self.api_key,
            base_url: base,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            user_agent: format!("kopokopo/{VERSION}{suffix}"),
            max_retries: self.max_retries,
            token_refresh_margin: self.token_refresh_margin,
            retry_base_delay: self.retry_base_delay,
            retry_max_delay: self.retry_max_delay.max(self.retry_base_delay),
            proxy: self.proxy,
        })
    }
}

fn validate_proxy_url(url: &str) -> Result<()> {
    let bad = || Error::invalid("proxy", "must be an http:// or https:// proxy URL, \"env\" or \"none\"");
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err(bad());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    // The host without its port (`proxy:3128`, `[fd00::1]:3128`): ureq takes `http://:3128`.
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    if host.is_empty() || url.chars().any(|c| c.is_control() || c == ' ') {
        return Err(bad());
    }
    ureq::Proxy::new(url).map(|_| ()).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let c = Config::builder("id", "topsecret-value")
            .api_key("apikey-value")
            .build()
            .unwrap();
        let d = format!("{c:?}");
        assert!(!d.contains("topsecret-value"));
        assert!(!d.contains("apikey-value"));
        assert!(d.contains("[REDACTED]"));
    }

    #[test]
    fn base_url_rules() {
        let ok = |u: &str| Config::builder("i", "s").base_url(u).build();
        assert_eq!(
            ok("https://api.kopokopo.com/").unwrap().base_url(),
            "https://api.kopokopo.com"
        );
        assert!(ok("http://127.0.0.1:3000").is_ok());
        assert!(ok("http://localhost:3000").is_ok());
        let e = ok("http://sandbox.kopokopo.com").unwrap_err();
        assert_eq!(e.field(), Some("base_url"));
        assert!(ok("sandbox.kopokopo.com").is_err());
        assert_eq!(Config::builder("i", "s").build().unwrap().base_url(), SANDBOX_URL);
        assert_eq!(
            Config::builder("i", "s").production().build().unwrap().base_url(),
            PRODUCTION_URL
        );
    }

    #[test]
    fn user_agent() {
        let c = Config::builder("i", "s")
            .user_agent_suffix("python/0.1.0; CPython 3.11")
            .build()
            .unwrap();
        assert_eq!(
            c.user_agent(),
            format!("kopokopo/{VERSION} (python/0.1.0; CPython 3.11)")
        );
    }

    #[test]
    fn secrets_and_accessors() {
        let s = Secret::from(String::from("sk-9f2"));
        assert_eq!(s.expose(), "sk-9f2");
        assert!(!s.is_empty() && Secret::default().is_empty());
        assert_eq!(
            (format!("{s}"), format!("{s:?}")),
            ("[REDACTED]".into(), "[REDACTED]".into())
        );
        let c = Config::builder("id-1", "sk-9f2")
            .proxy(Proxy::Disabled)
            .token_refresh_margin(Duration::from_secs(5))
            .retry_backoff(Duration::from_millis(50), Duration::from_millis(70))
            .max_retries(3)
            .build()
            .unwrap();
        assert_eq!((c.client_id(), c.client_secret().expose()), ("id-1", "sk-9f2"));
        assert_eq!(c.api_key(), None);
        assert_eq!(c.proxy(), &Proxy::Disabled);
        assert_eq!(c.token_refresh_margin(), Duration::from_secs(5));
        assert_eq!(
            (c.retry_base_delay(), c.retry_max_delay()),
            (Duration::from_millis(50), Duration::from_millis(70))
        );
        assert_eq!(c.max_retries(), 3);
    }

    #[test]
    fn proxy_urls() {
        let check = |u: &str| {
            Config::builder("i", "s")
                .proxy(Proxy::Url(u.into()))
                .build()
                .map(|_| ())
        };
        for ok in [
            "http://proxy.internal:3128",
            "https://user:pw@proxy.internal:8443/",
            "http://[fd00::1]:3128",
            "HTTP://proxy",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        // ureq itself takes the first three; a Unicode control character is
        // refused like an ASCII one.
        for bad in [
            "http://:3128",
            "http://u@:3128",
            "http://[]:3128",
            "http://proxy:3128/a\u{85}",
            "socks5://proxy:1080",
        ] {
            assert_eq!(check(bad).unwrap_err().field(), Some("proxy"), "{bad}");
        }
    }

    #[test]
    fn one_hour_is_the_longest_delay_accepted() {
        let hour = MAX_TIMEOUT;
        let c = Config::builder("i", "s")
            .retry_backoff(hour, hour)
            .token_refresh_margin(hour)
            .build()
            .unwrap();
        assert_eq!(
            (c.retry_base_delay(), c.retry_max_delay(), c.token_refresh_margin()),
            (hour, hour, hour)
        );
    }

    #[test]
    fn no_proxy_entries() {
        for (list, host, hit) in [
            ("*", "api.kopokopo.com", true),
            ("kopokopo.com", "api.kopokopo.com", true),
            (".kopokopo.com", "api.kopokopo.com", true),
            ("*.kopokopo.com:443", "api.kopokopo.com", true),
            ("notkopokopo.com", "kopokopo.com", false),
            ("kopokopo.com", "kopokopo.com.evil", false),
            // An IPv6 address is not cut at its last colon as if it were a
            // port, and matches the bracketed host of a URL.
            ("::1", "[::1]", true),
            ("fe80::1", "[fe80::1]", true),
            ("[fe80::1]", "[fe80::1]", true),
            ("[fe80::1]:8080", "[fe80::1]", true),
            ("fe80::1", "[fe80::2]", false),
            ("fe80::1", "[fe80::1:1]", false),
            // A colon not followed by a port is part of the name.
            ("example.com:abc", "example.com", false),
            (" , ,", "example.com", false),
        ] {
            assert_eq!(no_proxy_matches(list, host), hit, "{list} / {host}");
        }
        // Through `resolve`, as a client sees it.
        let env = |no_proxy: &'static str| {
            move |name: &str| match name {
                "HTTPS_PROXY" => Some("http://proxy.internal:3128".to_string()),
                "NO_PROXY" => Some(no_proxy.to_string()),
                _ => None,
            }
        };
        let url = "https://[fe80::1]:8443";
        assert_eq!(Proxy::Environment.resolve(url, env("fe80::1")), None);
        assert_eq!(
            Proxy::Environment.resolve(url, env("example.com")).as_deref(),
            Some("http://proxy.internal:3128")
        );
    }

    #[test]
    fn required_credentials() {
        assert_eq!(Config::builder("", "s").build().unwrap_err().field(), Some("client_id"));
        assert_eq!(
            Config::builder("i", " ").build().unwrap_err().field(),
            Some("client_secret")
        );
    }
}
