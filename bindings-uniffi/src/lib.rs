//! UniFFI bindings of `kopokopo` for Kotlin (JVM, Android) and Swift (iOS, macOS).
//!
//! This crate is thin: it converts UniFFI records to the core's typed
//! requests, calls the core [`kopokopo::Client`], and converts the typed
//! results and errors back. Every validation rule, HTTP detail and retry
//! policy lives in the core crate.
//!
//! The records and the one-method-per-operation part of [`KopoKopoClient`]
//! are generated from the core's schema (`schema/kopokopo.json`) into
//! `generated.rs` by `scripts/codegen.py`; by hand here: client construction
//! and configuration, the webhook/result entry points (`events.rs`) and the
//! error mapping (`error.rs`).
//!
//! Generate bindings with the pinned generator (library mode):
//!
//! ```text
//! cargo build -p kopokopo-uniffi
//! cargo run -p uniffi-bindgen -- generate --library target/debug/libkopokopo_uniffi.so \
//!     --language kotlin --out-dir out/
//! ```
//!
//! The names (`com.kopokopo.sdk`, `KopoKopo`, `KopoKopoFFI`) come from the
//! repository-root `uniffi.toml` (this crate's `uniffi.toml` links to it).

use std::fmt;
use std::sync::Arc;

mod background;
mod convert;
mod error;
mod events;
// Generated from schema/kopokopo.json by scripts/codegen.py: the request and
// result records and one `KopoKopoClient` method per operation.
#[rustfmt::skip]
mod generated;

pub use convert::{JsonNumber, MetadataValue, Money, Timeout, Timestamp};
pub use error::KopoKopoError;
pub use events::{CallbackResult, WebhookEvent};
pub use generated::*;

uniffi::setup_scaffolding!();

/// The version of this library (and of the core it wraps).
#[uniffi::export]
pub fn library_version() -> String {
    kopokopo::VERSION.to_string()
}

/// The sandbox API base URL (the default).
#[uniffi::export]
pub fn sandbox_url() -> String {
    kopokopo::SANDBOX_URL.to_string()
}

/// The production API base URL.
#[uniffi::export]
pub fn production_url() -> String {
    kopokopo::PRODUCTION_URL.to_string()
}

/// The documented mobile network, `Safaricom` (for `network` of wallets,
/// recipients and destinations; any other non-empty network is sent as given).
#[uniffi::export]
pub fn network_safaricom() -> String {
    kopokopo::requests::NETWORK_SAFARICOM.to_string()
}

/// The STK push payment channel, `M-PESA STK Push` (the default `payment_channel`
/// of an incoming payment).
#[uniffi::export]
pub fn payment_channel_stk_push() -> String {
    kopokopo::requests::PAYMENT_CHANNEL_STK_PUSH.to_string()
}

/// The payment channel `M-PESA`, as the documentation's table names it (any
/// other non-empty channel is sent as given).
#[uniffi::export]
pub fn payment_channel_mpesa() -> String {
    kopokopo::requests::PAYMENT_CHANNEL_MPESA.to_string()
}

/// Every webhook topic this version types, e.g. `buygoods_transaction_received`,
/// `m2m_transaction_received` (a webhook of another topic still parses, with
/// `resourceKind` `unknown`).
#[uniffi::export]
pub fn known_webhook_topics() -> Vec<String> {
    kopokopo::webhooks::Topic::KNOWN
        .iter()
        .map(|t| t.as_str().to_string())
        .collect()
}

/// Client configuration. `toString()` / `description` never show the client
/// secret or the API key.
#[derive(uniffi::Record, Clone)]
#[uniffi::export(Display)]
pub struct ClientConfig {
    /// OAuth client id of your Kopo Kopo application.
    pub client_id: String,
    /// OAuth client secret (never printed).
    pub client_secret: String,
    /// API key, needed to verify webhooks and results (never printed).
    #[uniffi(default = None)]
    pub api_key: Option<String>,
    /// API base URL; `None` for the sandbox. `http://` only for loopback hosts.
    #[uniffi(default = None)]
    pub base_url: Option<String>,
    /// Whole-request timeout (default 30 s, at most an hour).
    #[uniffi(default = None)]
    pub timeout: Option<Timeout>,
    /// Connect timeout (default 10 s, at most an hour).
    #[uniffi(default = None)]
    pub connect_timeout: Option<Timeout>,
    /// Retries of GET and token requests (default 2, not negative; payments are never retried).
    #[uniffi(default = None)]
    pub max_retries: Option<i32>,
    /// Appended to the User-Agent in parentheses, e.g. `kotlin/0.1.0; JVM 17`.
    /// The Kotlin and Swift packages fill it in (`kotlin/<version>`, `swift/<version>`).
    #[uniffi(default = None)]
    pub user_agent_suffix: Option<String>,
    /// HTTP proxy: absent (`null` / `nil`) or `"env"` reads `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY`
    /// from the environment (never `HTTP_PROXY`; never for loopback hosts),
    /// `"none"` connects directly, anything else is a proxy URL
    /// (`http://` or `https://`, credentials allowed; never printed).
    #[uniffi(default = None)]
    pub proxy: Option<String>,
}

fn redacted(v: &Option<String>) -> &'static str {
    match v {
        Some(_) => "[REDACTED]",
        None => "null",
    }
}

impl fmt::Display for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ClientConfig(clientId={}, clientSecret=[REDACTED], apiKey={}, baseUrl={}, timeout={}, \
             connectTimeout={}, maxRetries={}, userAgentSuffix={}, proxy={:?})",
            self.client_id,
            redacted(&self.api_key),
            self.base_url.as_deref().unwrap_or("null"),
            opt(&self.timeout.map(|d| format!("{}ms", d.0))),
            opt(&self.connect_timeout.map(|d| format!("{}ms", d.0))),
            opt(&self.max_retries),
            self.user_agent_suffix.as_deref().unwrap_or("null"),
            // The core's Debug hides credentials in a proxy URL.
            kopokopo::Proxy::from_option(self.proxy.as_deref()),
        )
    }
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "null".to_string(), |x| x.to_string())
}

impl ClientConfig {
    fn to_core(&self) -> Result<kopokopo::Config, KopoKopoError> {
        let mut b = kopokopo::Config::builder(self.client_id.clone(), self.client_secret.clone());
        if let Some(k) = &self.api_key {
            b = b.api_key(k.clone());
        }
        if let Some(u) = &self.base_url {
            b = b.base_url(u.clone());
        }
        if let Some(t) = self.timeout {
            b = b.timeout(t.to_duration());
        }
        if let Some(t) = self.connect_timeout {
            b = b.connect_timeout(t.to_duration());
        }
        if let Some(n) = self.max_retries {
            let n = u32::try_from(n)
                .map_err(|_| kopokopo::Error::invalid_argument("max_retries", "must not be negative"))?;
            b = b.max_retries(n);
        }
        // The Kotlin and Swift helpers pass `kotlin/<version>` / `swift/<version>`;
        // a config built by hand still says it came through these bindings.
        let suffix = match &self.user_agent_suffix {
            Some(s) => s.clone(),
            None => format!("uniffi/{}", kopokopo::VERSION),
        };
        b = b.user_agent_suffix(suffix);
        b = b.proxy(kopokopo::Proxy::from_option(self.proxy.as_deref()));
        Ok(b.build()?)
    }
}

/// A Kopo Kopo client. Thread-safe: share one instance; it pools connections
/// and caches the access token. Every method blocks until the API answers
/// (call it off the main/UI thread).
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct KopoKopoClient {
    inner: Arc<kopokopo::Client>,
}

impl fmt::Display for KopoKopoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.inner.config();
        write!(
            f,
            "KopoKopoClient(clientId={}, baseUrl={})",
            c.client_id(),
            c.base_url()
        )
    }
}

pub(crate) type R<T> = Result<T, KopoKopoError>;

/// The one boundary of every exported call: runs `f` (conversions and the core
/// call) and turns a panic into `KopoKopoError::Internal` (through
/// `kopokopo::Error::catch_panic`), so that a bug surfaces as
/// `KopoKopoException.Internal` / `KopoKopoError.Internal` with code
/// `internal`, never as UniFFI's generic internal exception (a crash in Swift).
pub(crate) fn guarded<T>(f: impl FnOnce() -> R<T>) -> R<T> {
    kopokopo::Error::catch_panic(|| Ok(f())).unwrap_or_else(|e| Err(e.into()))
}

#[uniffi::export]
impl KopoKopoClient {
    /// Builds a client; an invalid configuration is `InvalidArgument`.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> R<Arc<Self>> {
        guarded(|| {
            Ok(Arc::new(KopoKopoClient {
                inner: Arc::new(kopokopo::Client::new(config.to_core()?)),
            }))
        })
        .map_err(|e| e.in_request(None))
    }

    /// The User-Agent header this client sends.
    pub fn user_agent(&self) -> String {
        self.inner.config().user_agent().to_string()
    }

    /// The API base URL in use.
    pub fn base_url(&self) -> String {
        self.inner.config().base_url().to_string()
    }

    /// How many token requests this client has made.
    pub fn token_requests(&self) -> i64 {
        convert::int(self.inner.token_requests())
    }

    // -------------------------------------- webhooks and results received
    // (the API operations are in generated.rs)

    /// Whether `signature` matches the raw `body` under the configured API key.
    pub fn verify_webhook_signature(&self, body: Vec<u8>, signature: Option<String>) -> R<bool> {
        guarded(|| Ok(self.inner.webhooks().verify(&body, signature.as_deref())?)).map_err(|e| e.in_request(None))
    }

    /// Verifies (configured API key) and parses a webhook.
    pub fn parse_webhook(&self, body: Vec<u8>, signature: Option<String>) -> R<WebhookEvent> {
        guarded(|| WebhookEvent::from_core(self.inner.webhooks().parse_webhook(&body, signature.as_deref())?))
            .map_err(|e| e.in_request(None))
    }

    /// Verifies (configured API key) and parses an async result.
    pub fn parse_result(&self, body: Vec<u8>, signature: Option<String>) -> R<CallbackResult> {
        guarded(|| CallbackResult::from_core(self.inner.webhooks().parse_result(&body, signature.as_deref())?))
            .map_err(|e| e.in_request(None))
    }
}

// ------------------------------------------------------- free functions

/// The signature Kopo Kopo would send for `body` (hex HMAC-SHA256 keyed with `api_key`).
#[uniffi::export]
pub fn sign(body: Vec<u8>, api_key: String) -> String {
    kopokopo::webhooks::sign(&body, &api_key)
}

/// Whether `signature` (the `X-KopoKopo-Signature` header; `null` when missing)
/// matches the raw `body`. Never throws.
#[uniffi::export]
pub fn verify_signature(body: Vec<u8>, signature: Option<String>, api_key: String) -> bool {
    // Never throws: a panic (a bug) counts as "not verified".
    guarded(|| {
        Ok(kopokopo::webhooks::verify_signature(
            &body,
            signature.as_deref(),
            &api_key,
        ))
    })
    .unwrap_or(false)
}

/// Verifies the signature over the raw body, then parses the webhook
/// (K2Connect or Daraja structure).
#[uniffi::export]
pub fn parse_webhook(body: Vec<u8>, signature: Option<String>, api_key: String) -> R<WebhookEvent> {
    guarded(|| {
        WebhookEvent::from_core(kopokopo::webhooks::parse_webhook(
            &body,
            signature.as_deref(),
            &api_key,
        )?)
    })
    .map_err(|e| e.in_request(None))
}

/// `parse_webhook`, giving the core's normalised event as JSON text (the
/// same JSON in every language: what the shared test vectors compare).
#[uniffi::export]
pub fn parse_webhook_json(body: Vec<u8>, signature: Option<String>, api_key: String) -> R<String> {
    guarded(|| {
        Ok(convert::json(&kopokopo::webhooks::parse_webhook(
            &body,
            signature.as_deref(),
            &api_key,
        )?))
    })
    .map_err(|e| e.in_request(None))
}

/// `parse_result`, giving the core's normalised result as JSON text.
#[uniffi::export]
pub fn parse_result_json(body: Vec<u8>, signature: Option<String>, api_key: String) -> R<String> {
    guarded(|| {
        Ok(convert::json(&kopokopo::webhooks::parse_result(
            &body,
            signature.as_deref(),
            &api_key,
        )?))
    })
    .map_err(|e| e.in_request(None))
}

/// Verifies the signature over the raw body, then parses an async result
/// POSTed to a `callback_url`.
#[uniffi::export]
pub fn parse_result(body: Vec<u8>, signature: Option<String>, api_key: String) -> R<CallbackResult> {
    guarded(|| CallbackResult::from_core(kopokopo::webhooks::parse_result(&body, signature.as_deref(), &api_key)?))
        .map_err(|e| e.in_request(None))
}

/// **Test hook, not part of the API.** Panics inside the same guard as every
/// other export, so that tests can check that a panic surfaces as
/// `KopoKopoException.Internal` / `KopoKopoError.Internal` (code `internal`)
/// and that the library stays usable afterwards. Has no other effect.
#[doc(hidden)]
#[uniffi::export]
pub fn force_panic_for_tests() -> R<()> {
    guarded(|| panic!("forced panic (force_panic_for_tests test hook)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ClientConfig {
        ClientConfig {
            client_id: "id".into(),
            client_secret: "SECRET".into(),
            api_key: Some("APIKEY".into()),
            base_url: None,
            timeout: None,
            connect_timeout: None,
            max_retries: None,
            user_agent_suffix: None,
            proxy: None,
        }
    }

    #[test]
    fn config_display_redacts() {
        let s = config().to_string();
        assert!(!s.contains("SECRET") && !s.contains("APIKEY"), "{s}");
        assert!(s.contains("clientId=id"));
    }

    #[test]
    fn user_agent_suffix() {
        let c = KopoKopoClient::new(config()).unwrap();
        assert_eq!(c.user_agent(), format!("kopokopo/{0} (uniffi/{0})", kopokopo::VERSION));
        let c = KopoKopoClient::new(ClientConfig {
            user_agent_suffix: Some("kotlin/0.1.0".into()),
            ..config()
        })
        .unwrap();
        assert!(c.user_agent().ends_with("(kotlin/0.1.0)"));
    }

    #[test]
    fn config_errors_are_mapped() {
        let e = KopoKopoClient::new(ClientConfig {
            timeout: Some(Timeout(-5)),
            ..config()
        })
        .err()
        .unwrap();
        assert_eq!(
            e,
            KopoKopoError::InvalidArgument {
                field: "timeout".into(),
                reason: "must be greater than zero".into()
            }
        );
        assert_eq!(error::error_code(e), "invalid_argument");
    }

    #[test]
    fn amounts_name_their_field() {
        let r = SendMoneyRequest {
            callback_url: "https://example.com/cb".into(),
            destinations: vec![Destination::Till {
                till_number: "1".into(),
                amount: Money("ten".into()),
                description: "x".into(),
                nickname: None,
                favourite: None,
            }],
            source_identifier: None,
            currency: None,
            metadata: None,
        };
        match r.into_core("") {
            Err(KopoKopoError::InvalidArgument { field, .. }) => assert_eq!(field, "destinations[0].amount"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_core_error_kind_maps_to_its_variant() {
        use kopokopo::Error as E;
        let cases = vec![
            (
                E::InvalidArgument {
                    field: "f".into(),
                    reason: "r".into(),
                },
                "invalid_argument",
            ),
            (
                E::Authentication {
                    http_status: 401,
                    message: "m".into(),
                },
                "authentication_failed",
            ),
            (
                E::Api {
                    http_status: 400,
                    error_code: None,
                    error_message: "m".into(),
                    error_messages: vec!["m".into()],
                },
                "api_error",
            ),
            (
                E::RateLimited {
                    retry_after: Some(std::time::Duration::from_secs(3)),
                    message: "m".into(),
                },
                "rate_limited",
            ),
            (E::transport("m"), "transport_error"),
            (E::transport_final("m"), "transport_error"),
            (E::Timeout { message: "m".into() }, "timeout"),
            (E::SignatureInvalid { reason: "r".into() }, "signature_invalid"),
            (E::Decode { message: "m".into() }, "decode_error"),
            (E::internal("m"), "internal"),
        ];
        // Every kind of the core is covered (none falls through to the catch-all arm).
        let covered: std::collections::HashSet<_> = cases.iter().map(|(e, _)| e.kind()).collect();
        assert_eq!(covered.len(), kopokopo::ErrorKind::ALL.len());
        for (core, code) in cases {
            assert_eq!(core.code(), code);
            let mapped = KopoKopoError::from(core.clone());
            assert_eq!(mapped.code(), code);
            assert_eq!(mapped.to_string(), core.to_string());
        }
    }

    #[test]
    fn api_errors_keep_every_message() {
        let e = KopoKopoError::from(kopokopo::Error::Api {
            http_status: 400,
            error_code: Some("400".into()),
            error_message: "first; second".into(),
            error_messages: vec!["first".into(), "second".into()],
        });
        assert_eq!(
            e,
            KopoKopoError::Api {
                http_status: 400,
                error_code: Some("400".into()),
                error_message: "first; second".into(),
                error_messages: vec!["first".into(), "second".into()],
            }
        );
        assert_eq!(e.to_string(), "API error (HTTP 400, code 400): first; second");
    }

    #[test]
    fn request_constants_are_the_cores() {
        assert_eq!(network_safaricom(), "Safaricom");
        assert_eq!(payment_channel_stk_push(), "M-PESA STK Push");
        assert_eq!(payment_channel_mpesa(), "M-PESA");
        assert_eq!(
            kopokopo::IncomingPaymentRequest::default().payment_channel,
            payment_channel_stk_push()
        );
        let topics = known_webhook_topics();
        assert_eq!(topics.len(), kopokopo::webhooks::Topic::KNOWN.len());
        assert!(topics.iter().any(|t| t == "m2m_transaction_received"), "{topics:?}");
    }

    #[test]
    fn version_1_results_are_send_money_results() {
        for (body, data_type) in [
            (
                &include_bytes!("../../tests/fixtures/live/result.payment.v1.json")[..],
                "payment",
            ),
            (
                &include_bytes!(
                    "../../tests/fixtures/variants/response.send_money.status.legacy_settlement_transfer.json"
                )[..],
                "settlement_transfer",
            ),
        ] {
            let r = CallbackResult::from_core(kopokopo::webhooks::decode_result(body).unwrap()).unwrap();
            match &r {
                CallbackResult::SendMoneyResult { value } => assert_eq!(value.kind, data_type),
                other => panic!("{other:?}"),
            }
            assert!(!r.id().is_empty());
        }
    }

    #[test]
    fn every_known_topic_has_a_case() {
        assert_eq!(events::TYPED_TOPICS, &kopokopo::webhooks::Topic::KNOWN[..]);
    }

    #[test]
    fn negative_retries_are_refused() {
        match KopoKopoClient::new(ClientConfig {
            max_retries: Some(-1),
            ..config()
        }) {
            // In Kotlin's and Swift's case, like the parameter.
            Err(KopoKopoError::InvalidArgument { field, .. }) => assert_eq!(field, "maxRetries"),
            other => panic!("{:?}", other.err()),
        }
    }

    #[test]
    fn a_panic_is_an_internal_error() {
        let e = force_panic_for_tests().unwrap_err();
        assert_eq!(e.code(), "internal");
        match &e {
            KopoKopoError::Internal { detail } => assert!(detail.contains("forced panic"), "{detail}"),
            other => panic!("{other:?}"),
        }
        // Inside any export: the same helper.
        let e = guarded::<u8>(|| panic!("{}", String::from("owned message"))).unwrap_err();
        assert!(e.to_string().contains("owned message"), "{e}");
        assert_eq!(guarded(|| Ok(7)), Ok(7));
        // Still usable afterwards.
        assert!(KopoKopoClient::new(config()).is_ok());
    }

    #[test]
    fn proxy_option() {
        for (proxy, want) in [
            (None, kopokopo::Proxy::Environment),
            (Some("env"), kopokopo::Proxy::Environment),
            (Some("none"), kopokopo::Proxy::Disabled),
            (
                Some("http://proxy.example:3128"),
                kopokopo::Proxy::Url("http://proxy.example:3128".into()),
            ),
        ] {
            let c = KopoKopoClient::new(ClientConfig {
                proxy: proxy.map(String::from),
                ..config()
            })
            .unwrap();
            assert_eq!(c.inner.config().proxy(), &want);
        }
        let e = KopoKopoClient::new(ClientConfig {
            proxy: Some("ftp://proxy.example".into()),
            ..config()
        })
        .err()
        .unwrap();
        assert!(
            matches!(&e, KopoKopoError::InvalidArgument { field, .. } if field == "proxy"),
            "{e:?}"
        );
        // Credentials in a proxy URL are never printed.
        let s = ClientConfig {
            proxy: Some("http://user:PROXYPASS@proxy.example:3128".into()),
            ..config()
        }
        .to_string();
        assert!(!s.contains("PROXYPASS") && s.contains("proxy.example"), "{s}");
    }

    #[test]
    fn timeouts_over_an_hour_are_refused() {
        for (cfg, field) in [
            (
                ClientConfig {
                    timeout: Some(Timeout(7_200_000)),
                    ..config()
                },
                "timeout",
            ),
            (
                ClientConfig {
                    connect_timeout: Some(Timeout(7_200_000)),
                    ..config()
                },
                "connectTimeout",
            ),
        ] {
            match KopoKopoClient::new(cfg) {
                Err(KopoKopoError::InvalidArgument { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{:?}", other.err()),
            }
        }
    }

    #[test]
    fn access_token_display_redacts() {
        let t = AccessToken {
            access_token: "TOKEN".into(),
            token_type: "Bearer".into(),
            expires_in: 3600,
            created_at: None,
        };
        assert!(!t.to_string().contains("TOKEN"));
        assert!(!format!("{t:?}").contains("TOKEN"));
    }
}
