//! Sans-IO operations: one value per endpoint that builds an [`HttpRequest`]
//! and parses the [`HttpResponse`]. The blocking [`crate::Client`] runs them
//! over a [`crate::Transport`]; any other runtime can run them too.
//!
//! ```
//! use kopokopo::api::{Operation, Context, IncomingPaymentStatus};
//! use kopokopo::{Config, HttpResponse};
//!
//! let config = Config::builder("client-id", "client-secret").build()?;
//! let ctx = Context::new(&config);
//! let op = IncomingPaymentStatus::new("247b1bd8-f5a0-4b71-a898-f62f67b8ae1c")?;
//! let req = op.build(&ctx, Some("access-token"))?;
//! assert_eq!(req.url, "https://sandbox.kopokopo.com/api/v2/incoming_payments/247b1bd8-f5a0-4b71-a898-f62f67b8ae1c");
//! assert_eq!(req.header("authorization"), Some("Bearer access-token"));
//! # Ok::<(), kopokopo::Error>(())
//! ```

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::results::{
    AccessToken, CancelledPaymentLink, Created, Resource, TokenInfo, TokenIntrospection, flatten_messages,
};
use crate::validate;
use crate::webhooks::decode_resource;

/// What an operation needs from the configuration.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Base URL without trailing slash.
    pub base_url: &'a str,
    /// User-Agent header value.
    pub user_agent: &'a str,
    /// Client id.
    pub client_id: &'a str,
    /// Client secret (for token, revoke and introspect).
    pub client_secret: &'a str,
}

impl<'a> Context<'a> {
    /// A context from a configuration.
    pub fn new(config: &'a Config) -> Self {
        Context {
            base_url: config.base_url(),
            user_agent: config.user_agent(),
            client_id: config.client_id(),
            client_secret: config.client_secret().expose(),
        }
    }
}

/// How an operation authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Client credentials in a form body (token, revoke, introspect).
    ClientCredentials,
    /// `Authorization: Bearer <access token>`.
    Bearer,
}

/// One API call, sans-IO.
pub trait Operation {
    /// The typed result.
    type Output;
    /// Method (GETs are retried on transient failures; POSTs only if [`Operation::retry_safe`]).
    fn method(&self) -> Method;
    /// How the call authenticates.
    fn auth(&self) -> Auth {
        Auth::Bearer
    }
    /// Whether the library may send this request again after a transient
    /// failure: GETs and token requests only. Payments, transfers, reversals
    /// and links are never re-sent.
    fn retry_safe(&self) -> bool {
        self.method() == Method::Get
    }
    /// Validates the parameters and builds the request. `token` is the bearer
    /// token for [`Auth::Bearer`] operations.
    fn build(&self, ctx: &Context<'_>, token: Option<&str>) -> Result<HttpRequest>;
    /// Parses the response (any status).
    fn parse(&self, response: &HttpResponse) -> Result<Self::Output>;
    /// The access token a successful call issued, which [`Client::execute`](crate::Client::execute)
    /// caches (`POST /oauth/token`).
    #[doc(hidden)]
    fn issued_token(_output: &Self::Output) -> Option<&AccessToken> {
        None
    }
    /// Whether a successful call revokes the cached token (`POST /oauth/revoke`).
    #[doc(hidden)]
    fn revokes_token(&self) -> bool {
        false
    }
}

fn form_encode(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, k);
        out.push('=');
        percent_encode_into(&mut out, v);
    }
    out.into_bytes()
}

fn percent_encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push_str(&format!("{b:02X}"));
            }
        }
    }
}

fn base_headers(ctx: &Context<'_>) -> Vec<(String, String)> {
    vec![
        ("accept".into(), "application/json".into()),
        ("user-agent".into(), ctx.user_agent.to_string()),
    ]
}

pub(crate) fn bearer_request(
    ctx: &Context<'_>,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> Result<HttpRequest> {
    let token = token.ok_or_else(|| Error::Authentication {
        http_status: 0,
        message: "no access token".into(),
    })?;
    let mut headers = base_headers(ctx);
    headers.push(("authorization".into(), format!("Bearer {token}")));
    let body = match body {
        Some(b) => {
            headers.push(("content-type".into(), "application/json".into()));
            b
        }
        None => Vec::new(),
    };
    Ok(HttpRequest {
        method,
        url: format!("{}{}", ctx.base_url, path),
        headers,
        body,
    })
}

fn form_request(ctx: &Context<'_>, path: &str, extra: &[(&str, &str)]) -> HttpRequest {
    let mut pairs: Vec<(&str, &str)> = vec![("client_id", ctx.client_id), ("client_secret", ctx.client_secret)];
    pairs.extend_from_slice(extra);
    let mut headers = base_headers(ctx);
    headers.push(("content-type".into(), "application/x-www-form-urlencoded".into()));
    HttpRequest {
        method: Method::Post,
        url: format!("{}{}", ctx.base_url, path),
        headers,
        body: form_encode(&pairs),
    }
}

/// Parses `Retry-After` (delta-seconds; HTTP dates are not used by the API).
pub fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let v = response.header("retry-after")?.trim();
    v.parse::<u64>().ok().map(Duration::from_secs).or_else(|| {
        v.parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0 && *s < 86_400.0)
            .map(Duration::from_secs_f64)
    })
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error_code: Option<Value>,
    #[serde(default)]
    error_message: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    error_description: Option<Value>,
    #[serde(default)]
    message: Option<Value>,
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        410 => "Gone",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "HTTP error",
    }
}

/// Turns a non-2xx response into the matching [`Error`]. The body may be
/// absent, carry `error_message` as a string or, for reversals, an array of
/// strings (docs/api-notes.md, "Error bodies"): arrays are joined with "; ".
pub fn error_from_response(response: &HttpResponse) -> Error {
    let parsed: Option<ErrorBody> = serde_json::from_slice(&response.body).ok();
    let (code, messages) = match &parsed {
        Some(b) => {
            let code = b.error_code.as_ref().or(b.error.as_ref()).and_then(|c| match c {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            let msg_val = b
                .error_message
                .as_ref()
                .or(b.error_description.as_ref())
                .or(b.message.as_ref());
            (code, flatten_messages(msg_val))
        }
        None => (None, Vec::new()),
    };
    let message = if messages.is_empty() {
        reason_phrase(response.status).to_string()
    } else {
        messages.join("; ")
    };
    match response.status {
        401 => Error::Authentication {
            http_status: 401,
            message,
        },
        429 => Error::RateLimited {
            retry_after: retry_after(response),
            message,
        },
        status => Error::Api {
            http_status: status,
            error_code: code,
            error_message: message,
            error_messages: messages,
        },
    }
}

fn expect_status(response: &HttpResponse) -> Result<()> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from_response(response))
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(response: &HttpResponse, what: &str) -> Result<T> {
    expect_status(response)?;
    serde_json::from_slice(&response.body).map_err(|e| Error::decode(format!("{what}: {e}")))
}

/// Parses a `201 Created` answer: the `Location` header and the id in it.
pub fn parse_created(response: &HttpResponse) -> Result<Created> {
    expect_status(response)?;
    let location = response
        .header("location")
        .ok_or_else(|| Error::decode("201 response without a Location header"))?
        .trim()
        .to_string();
    let id = validate::resource_id("location", &location)
        .map_err(|_| Error::decode("Location header does not end in a resource id"))?;
    Ok(Created { location, id })
}

pub(crate) fn parse_resource<R: Resource>(response: &HttpResponse, what: &str) -> Result<R> {
    expect_status(response)?;
    decode_resource(&response.body, what)
}

// ------------------------------------------------------------------- OAuth

/// `POST /oauth/token`.
#[derive(Debug, Clone, Default)]
pub struct RequestToken;

impl Operation for RequestToken {
    type Output = AccessToken;
    fn method(&self) -> Method {
        Method::Post
    }
    fn auth(&self) -> Auth {
        Auth::ClientCredentials
    }
    fn retry_safe(&self) -> bool {
        true
    }
    fn build(&self, ctx: &Context<'_>, _token: Option<&str>) -> Result<HttpRequest> {
        Ok(form_request(
            ctx,
            "/oauth/token",
            &[("grant_type", "client_credentials")],
        ))
    }
    fn parse(&self, response: &HttpResponse) -> Result<AccessToken> {
        if response.status == 400 || response.status == 401 {
            // Wrong credentials come back as 401 (or 400 invalid_client in OAuth servers).
            let e = error_from_response(response);
            return Err(Error::Authentication {
                http_status: response.status,
                message: match e {
                    Error::Authentication { message, .. } => message,
                    Error::Api { error_message, .. } => error_message,
                    other => other.to_string(),
                },
            });
        }
        let t: AccessToken = parse_json(response, "token response")?;
        if t.access_token.is_empty() {
            return Err(Error::decode("token response has an empty access_token"));
        }
        // It goes into an `Authorization` header: visible ASCII only (RFC 6750
        // b64token is narrower still). A CR/LF could inject headers.
        if !t.access_token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::decode(
                "token response has an access_token with characters not allowed in a header",
            ));
        }
        Ok(t)
    }
    fn issued_token(output: &AccessToken) -> Option<&AccessToken> {
        Some(output)
    }
}

/// `POST /oauth/revoke`.
#[derive(Clone)]
pub struct RevokeToken {
    token: String,
}

impl RevokeToken {
    /// Revokes `token`.
    pub fn new(token: &str) -> Result<Self> {
        validate::required("token", token)?;
        Ok(RevokeToken {
            token: token.to_string(),
        })
    }
}

impl std::fmt::Debug for RevokeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevokeToken { token: [REDACTED] }")
    }
}

impl Operation for RevokeToken {
    type Output = ();
    fn method(&self) -> Method {
        Method::Post
    }
    fn auth(&self) -> Auth {
        Auth::ClientCredentials
    }
    fn retry_safe(&self) -> bool {
        true
    }
    fn build(&self, ctx: &Context<'_>, _token: Option<&str>) -> Result<HttpRequest> {
        Ok(form_request(ctx, "/oauth/revoke", &[("token", &self.token)]))
    }
    fn parse(&self, response: &HttpResponse) -> Result<()> {
        expect_status(response)
    }
    fn revokes_token(&self) -> bool {
        true
    }
}

/// `POST /oauth/introspect`.
#[derive(Clone)]
pub struct IntrospectToken {
    token: String,
}

impl IntrospectToken {
    /// Introspects `token`.
    pub fn new(token: &str) -> Result<Self> {
        validate::required("token", token)?;
        Ok(IntrospectToken {
            token: token.to_string(),
        })
    }
}

impl std::fmt::Debug for IntrospectToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IntrospectToken { token: [REDACTED] }")
    }
}

impl Operation for IntrospectToken {
    type Output = TokenIntrospection;
    fn method(&self) -> Method {
        Method::Post
    }
    fn auth(&self) -> Auth {
        Auth::ClientCredentials
    }
    fn retry_safe(&self) -> bool {
        true
    }
    fn build(&self, ctx: &Context<'_>, _token: Option<&str>) -> Result<HttpRequest> {
        Ok(form_request(ctx, "/oauth/introspect", &[("token", &self.token)]))
    }
    fn parse(&self, response: &HttpResponse) -> Result<TokenIntrospection> {
        parse_json(response, "introspection response")
    }
}

/// `GET /oauth/token/info` for the bearer token.
#[derive(Debug, Clone, Default)]
pub struct TokenInfoRequest;

impl Operation for TokenInfoRequest {
    type Output = TokenInfo;
    fn method(&self) -> Method {
        Method::Get
    }
    fn build(&self, ctx: &Context<'_>, token: Option<&str>) -> Result<HttpRequest> {
        bearer_request(ctx, Method::Get, "/oauth/token/info", token, None)
    }
    fn parse(&self, response: &HttpResponse) -> Result<TokenInfo> {
        parse_json(response, "token info response")
    }
}

// ------------------------------------------- create (POST) and status (GET)
//
// The operation table (`crate::operations`) defines one struct per create and
// status operation with these two macros, from its own line: name, request
// or result type, and path. Only operations with their own behaviour (OAuth,
// cancel) are written out below.

/// A create operation: `POST path` with the request's JSON body, answered
/// `201 Created` with a `Location`.
macro_rules! create_op {
    ($name:ident, $req:ty, $path:expr, $doc:expr) => {
        #[doc = concat!("`POST ", $path, "`: ", $doc)]
        #[derive(Debug, Clone)]
        pub struct $name(pub $req);

        impl $crate::api::Operation for $name {
            type Output = $crate::results::Created;
            fn method(&self) -> $crate::http::Method {
                $crate::http::Method::Post
            }
            fn build(
                &self,
                ctx: &$crate::api::Context<'_>,
                token: Option<&str>,
            ) -> $crate::error::Result<$crate::http::HttpRequest> {
                self.0.validate()?;
                $crate::api::bearer_request(
                    ctx,
                    $crate::http::Method::Post,
                    $path,
                    token,
                    Some(self.0.to_wire()),
                )
            }
            fn parse(&self, response: &$crate::http::HttpResponse) -> $crate::error::Result<$crate::results::Created> {
                $crate::api::parse_created(response)
            }
        }
    };
}
pub(crate) use create_op;

/// A status operation: `GET path` with `{id}` from an id or a `Location`
/// URL, answered with the resource document.
macro_rules! status_op {
    ($name:ident, $out:ty, $path:expr, $doc:expr) => {
        #[doc = concat!("`GET ", $path, "`: ", $doc)]
        #[derive(Debug, Clone)]
        pub struct $name {
            target: $crate::api::Target,
        }

        impl $name {
            /// From an id or the `Location` URL returned at creation.
            pub fn new(id_or_location: &str) -> $crate::error::Result<Self> {
                Ok($name {
                    target: $crate::api::Target::new(id_or_location, $crate::api::collection($path))?,
                })
            }
            /// The resource id.
            pub fn id(&self) -> &str {
                &self.target.id
            }
        }

        impl $crate::api::Operation for $name {
            type Output = $out;
            fn method(&self) -> $crate::http::Method {
                $crate::http::Method::Get
            }
            fn build(
                &self,
                ctx: &$crate::api::Context<'_>,
                token: Option<&str>,
            ) -> $crate::error::Result<$crate::http::HttpRequest> {
                let path = self.target.path(ctx, $crate::api::collection($path), "")?;
                $crate::api::bearer_request(ctx, $crate::http::Method::Get, &path, token, None)
            }
            fn parse(&self, response: &$crate::http::HttpResponse) -> $crate::error::Result<$out> {
                $crate::api::parse_resource(response, concat!("GET ", $path, " response"))
            }
        }
    };
}
pub(crate) use status_op;

pub use crate::operations::ops::*;

/// The collection of a `.../{id}...` path: everything before `/{id}`.
pub(crate) fn collection(path: &'static str) -> &'static str {
    path.find("/{id}").map_or(path, |i| &path[..i])
}

/// An id, or a Location URL checked against the collection (now) and the
/// configured API's origin (when the request is built, before any I/O).
#[derive(Debug, Clone)]
pub(crate) struct Target {
    input: String,
    pub(crate) id: String,
}

impl Target {
    pub(crate) fn new(input: &str, collection: &str) -> Result<Self> {
        Ok(Target {
            input: input.trim().to_string(),
            id: validate::location_id("id", input, Some(collection))?,
        })
    }

    pub(crate) fn path(&self, ctx: &Context<'_>, collection: &str, suffix: &str) -> Result<String> {
        validate::same_origin("id", &self.input, ctx.base_url)?;
        Ok(format!("{collection}/{}{suffix}", self.id))
    }
}

/// `POST /api/v2/payment_links/{payment_link_reference}/cancel`.
#[derive(Debug, Clone)]
pub struct CancelPaymentLink {
    target: Target,
}

impl CancelPaymentLink {
    /// From an id or the `Location` URL.
    pub fn new(id_or_location: &str) -> Result<Self> {
        Ok(CancelPaymentLink {
            target: Target::new(id_or_location, "/api/v2/payment_links")?,
        })
    }
}

impl Operation for CancelPaymentLink {
    type Output = CancelledPaymentLink;
    fn method(&self) -> Method {
        Method::Post
    }
    fn build(&self, ctx: &Context<'_>, token: Option<&str>) -> Result<HttpRequest> {
        // No body is documented; we send an empty JSON object
        // (docs/api-notes.md, "Resource ids").
        let path = self.target.path(ctx, "/api/v2/payment_links", "/cancel")?;
        bearer_request(ctx, Method::Post, &path, token, Some(b"{}".to_vec()))
    }
    fn parse(&self, response: &HttpResponse) -> Result<CancelledPaymentLink> {
        expect_status(response)?;
        CancelledPaymentLink::from_body(&response.body).map_err(|e| Error::decode(format!("cancel response: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding() {
        assert_eq!(
            form_encode(&[("a", "b c"), ("k", "x+y/=&")]),
            b"a=b+c&k=x%2By%2F%3D%26".to_vec()
        );
    }

    #[test]
    fn error_bodies() {
        let r = HttpResponse::new(
            400,
            r#"{"error_code":400,"error_message":["You cannot reverse","twice"]}"#,
        );
        match error_from_response(&r) {
            Error::Api {
                http_status,
                error_code,
                error_message,
                error_messages,
            } => {
                assert_eq!(http_status, 400);
                assert_eq!(error_code.as_deref(), Some("400"));
                assert_eq!(error_message, "You cannot reverse; twice");
                assert_eq!(error_messages, ["You cannot reverse", "twice"]);
            }
            e => panic!("{e:?}"),
        }
        let r = HttpResponse::new(503, "");
        assert_eq!(
            error_from_response(&r).to_string(),
            "API error (HTTP 503): Service Unavailable"
        );
        let r = HttpResponse::new(429, "").with_header("Retry-After", "7");
        assert_eq!(error_from_response(&r).retry_after(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn token_revocation_and_introspection() {
        let secret = "tok-SECRET-91c2";
        let revoke = RevokeToken::new(secret).unwrap();
        let introspect = IntrospectToken::new(secret).unwrap();
        // Debug names the operation and hides the token.
        assert_eq!(format!("{revoke:?}"), "RevokeToken { token: [REDACTED] }");
        assert_eq!(format!("{introspect:?}"), "IntrospectToken { token: [REDACTED] }");
        // Both are safe to retry (they move no money); revoking forgets the cached token.
        assert!(revoke.retry_safe() && introspect.retry_safe());
        assert!(revoke.revokes_token());
        assert!(!introspect.revokes_token());
        assert!(RevokeToken::new(" ").is_err() && IntrospectToken::new("").is_err());
        // A refused revocation is an error, not a silent success.
        assert!(revoke.parse(&HttpResponse::new(200, "")).is_ok());
        let e = revoke.parse(&HttpResponse::new(401, "")).unwrap_err();
        assert_eq!(e.http_status(), Some(401));
    }

    #[test]
    fn an_empty_error_body_gets_the_status_reason() {
        for (status, phrase) in [
            (400, "Bad Request"),
            (401, "Unauthorized"),
            (403, "Forbidden"),
            (404, "Not Found"),
            (405, "Method Not Allowed"),
            (406, "Not Acceptable"),
            (409, "Conflict"),
            (410, "Gone"),
            (422, "Unprocessable Entity"),
            (429, "Too Many Requests"),
            (500, "Internal Server Error"),
            (502, "Bad Gateway"),
            (503, "Service Unavailable"),
            (504, "Gateway Timeout"),
            (418, "HTTP error"),
        ] {
            let e = error_from_response(&HttpResponse::new(status, ""));
            assert!(e.to_string().ends_with(phrase), "{status}: {e}");
            assert_eq!(e.http_status(), Some(status));
        }
    }

    #[test]
    fn retry_after_values() {
        let wait = |v: &str| retry_after(&HttpResponse::new(429, "").with_header("Retry-After", v));
        assert_eq!(wait("7"), Some(Duration::from_secs(7)));
        assert_eq!(wait(" 0 "), Some(Duration::ZERO));
        assert_eq!(wait("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(wait("86399.5"), Some(Duration::from_secs_f64(86_399.5)));
        // A fraction must be finite, not negative and under a day.
        for bad in ["-1", "-0.5", "86400.0", "1e9", "inf", "NaN", "soon", ""] {
            assert_eq!(wait(bad), None, "{bad}");
        }
        assert_eq!(retry_after(&HttpResponse::new(429, "")), None);
    }
}
