//! The one error type of the library, with stable kinds and string codes.
//!
//! Every binding maps [`Error`] to its own idiomatic type in one place, using
//! [`Error::code`] (a stable string) and the accessors below. No variant ever
//! carries a client secret, API key or access token: messages are built from
//! field names, HTTP statuses and the server's `error_message` only.

use std::fmt;
use std::time::Duration;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The kind of an [`Error`]; `code()` gives the stable string form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Input was rejected before any request was sent.
    InvalidArgument,
    /// Credentials were refused (HTTP 401 on a token request, or twice on an API call).
    Authentication,
    /// The API answered with an error status.
    Api,
    /// HTTP 429: too many requests.
    RateLimited,
    /// The request could not be sent or no complete answer arrived.
    Transport,
    /// The request timed out.
    Timeout,
    /// A webhook or result signature is missing or does not match.
    SignatureInvalid,
    /// A response or payload could not be decoded.
    Decode,
    /// A bug in the library (a panic was caught at an API boundary). Report it.
    Internal,
}

impl ErrorKind {
    /// Stable string code, identical in every language binding.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Authentication => "authentication_failed",
            ErrorKind::Api => "api_error",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Transport => "transport_error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::SignatureInvalid => "signature_invalid",
            ErrorKind::Decode => "decode_error",
            ErrorKind::Internal => "internal",
        }
    }

    /// Every kind, in a fixed order (used by bindings and tests).
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::InvalidArgument,
        ErrorKind::Authentication,
        ErrorKind::Api,
        ErrorKind::RateLimited,
        ErrorKind::Transport,
        ErrorKind::Timeout,
        ErrorKind::SignatureInvalid,
        ErrorKind::Decode,
        ErrorKind::Internal,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An error from the library.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A request parameter was missing or invalid; nothing was sent.
    InvalidArgument {
        /// Dotted name of the offending field, e.g. `subscriber.phone_number`.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The server refused the credentials or the access token.
    Authentication {
        /// HTTP status (401 normally).
        http_status: u16,
        /// The server's message, or a description.
        message: String,
    },
    /// The API answered with an error status (4xx other than 401/429, or 5xx).
    Api {
        /// HTTP status code.
        http_status: u16,
        /// `error_code` from the body, when present.
        error_code: Option<String>,
        /// `error_message` from the body (arrays are joined with "; "), or the status text.
        error_message: String,
        /// Every message of the body, in order: one for a string `error_message`,
        /// several for the array form (reversals: docs/api-notes.md, "Error
        /// bodies"); empty without a body.
        error_messages: Vec<String>,
    },
    /// HTTP 429.
    RateLimited {
        /// How long the server asked us to wait, from `Retry-After`.
        retry_after: Option<Duration>,
        /// The server's message, if any.
        message: String,
    },
    /// Connection refused, reset, closed mid-response, TLS failure...
    Transport {
        /// What went wrong.
        message: String,
        /// Whether sending the same request again may succeed: `false` for a
        /// TLS or certificate failure, a proxy refusal or a request that could
        /// not be built; `true` for connection failures and early closes.
        retryable: bool,
    },
    /// The request did not complete within the configured timeout.
    Timeout {
        /// What timed out.
        message: String,
    },
    /// Missing, malformed or non-matching `X-KopoKopo-Signature`.
    SignatureInvalid {
        /// Why the signature was refused (never includes the expected value).
        reason: String,
    },
    /// A response or payload was not what the API documents.
    Decode {
        /// What could not be decoded.
        message: String,
    },
    /// A bug in the library: a panic caught at an API boundary (bindings turn
    /// every panic into this error instead of aborting the host process).
    Internal {
        /// What happened (the panic message).
        message: String,
    },
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::Authentication { .. } => ErrorKind::Authentication,
            Error::Api { .. } => ErrorKind::Api,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::SignatureInvalid { .. } => ErrorKind::SignatureInvalid,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// Stable string code (see [`ErrorKind::code`]).
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The HTTP status, for errors that came from a response.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Authentication { http_status, .. } | Error::Api { http_status, .. } => Some(*http_status),
            Error::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// The offending field of an [`Error::InvalidArgument`].
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidArgument { field, .. } => Some(field),
            _ => None,
        }
    }

    /// `Retry-After` of an [`Error::RateLimited`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// `error_code` of an [`Error::Api`] (the body's code, as text).
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Error::Api { error_code, .. } => error_code.as_deref(),
            _ => None,
        }
    }

    /// Every message the server sent (`error_message` as a list; the array form
    /// keeps each entry). Empty for errors that did not come from a response body.
    pub fn error_messages(&self) -> &[String] {
        match self {
            Error::Api { error_messages, .. } => error_messages,
            _ => &[],
        }
    }

    /// The server's (or the library's) message: `error_message` of an
    /// [`Error::Api`], the message of an authentication or rate-limit error,
    /// the reason of an invalid argument or signature, the detail otherwise.
    pub fn error_message(&self) -> &str {
        match self {
            Error::InvalidArgument { reason, .. } | Error::SignatureInvalid { reason } => reason,
            Error::Authentication { message, .. }
            | Error::RateLimited { message, .. }
            | Error::Transport { message, .. }
            | Error::Timeout { message }
            | Error::Decode { message }
            | Error::Internal { message } => message,
            Error::Api { error_message, .. } => error_message,
        }
    }

    /// An [`Error::InvalidArgument`], for bindings converting their own types
    /// (for example a float given where an exact amount is required).
    pub fn invalid_argument(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::invalid(field, reason)
    }

    /// Whether a retry of the same request may succeed (transport, timeout, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { retryable, .. } => *retryable,
            Error::Timeout { .. } | Error::RateLimited { .. } => true,
            Error::Api { http_status, .. } => *http_status >= 500,
            _ => false,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn decode(message: impl Into<String>) -> Self {
        Error::Decode {
            message: message.into(),
        }
    }

    pub(crate) fn signature(reason: impl Into<String>) -> Self {
        Error::SignatureInvalid { reason: reason.into() }
    }

    /// An [`Error::Transport`] that a retry may cure (connection refused, reset...).
    pub fn transport(message: impl Into<String>) -> Self {
        Error::Transport {
            message: message.into(),
            retryable: true,
        }
    }

    /// An [`Error::Transport`] that sending again cannot cure (TLS, proxy, a bad request).
    pub fn transport_final(message: impl Into<String>) -> Self {
        Error::Transport {
            message: message.into(),
            retryable: false,
        }
    }

    /// An [`Error::Internal`].
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: message.into(),
        }
    }

    /// An [`Error::Timeout`].
    pub fn timeout(message: impl Into<String>) -> Self {
        Error::Timeout {
            message: message.into(),
        }
    }

    /// The [`Error::Internal`] for a caught panic payload (what
    /// `std::panic::catch_unwind` returned). Every binding calls this at its
    /// API boundary so that a bug surfaces as an error, never as an abort.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Error::Internal {
            message: format!("internal error in kopokopo (please report it): {what}"),
        }
    }

    /// Runs `f`, turning a panic into [`Error::Internal`]. Bindings wrap every
    /// call that crosses a foreign-function boundary with it.
    pub fn catch_panic<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| Err(Error::from_panic(&*p)))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidArgument { field, reason } => {
                write!(f, "invalid argument `{field}`: {reason}")
            }
            Error::Authentication { http_status, message } => {
                write!(f, "authentication failed (HTTP {http_status}): {message}")
            }
            Error::Api {
                http_status,
                error_code,
                error_message,
                ..
            } => match error_code {
                Some(code) => write!(f, "API error (HTTP {http_status}, code {code}): {error_message}"),
                None => write!(f, "API error (HTTP {http_status}): {error_message}"),
            },
            Error::RateLimited { retry_after, message } => match retry_after {
                Some(d) => write!(f, "rate limited, retry after {}s: {message}", d.as_secs()),
                None => write!(f, "rate limited: {message}"),
            },
            Error::Transport { message, .. } => write!(f, "transport error: {message}"),
            Error::Timeout { message } => write!(f, "timeout: {message}"),
            Error::SignatureInvalid { reason } => write!(f, "invalid signature: {reason}"),
            Error::Decode { message } => write!(f, "decode error: {message}"),
            Error::Internal { message } => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_distinct() {
        let codes: std::collections::HashSet<_> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
        assert_eq!(ErrorKind::Api.code(), "api_error");
        assert_eq!(ErrorKind::InvalidArgument.code(), "invalid_argument");
    }

    /// Every variant through every accessor: one row each, so a variant
    /// that loses its arm in any accessor (or in `Display`) fails here.
    #[test]
    fn every_variant_through_every_accessor() {
        let api = Error::Api {
            http_status: 409,
            error_code: Some("1001".into()),
            error_message: "duplicate; twice".into(),
            error_messages: vec!["duplicate".into(), "twice".into()],
        };
        type Row = (Error, &'static str, &'static str, Option<u16>, bool, &'static str);
        let rows: Vec<Row> = vec![
            (
                Error::invalid("amount", "must be positive"),
                "invalid_argument",
                "invalid argument `amount`: must be positive",
                None,
                false,
                "must be positive",
            ),
            (
                Error::invalid_argument("till", "is required"),
                "invalid_argument",
                "invalid argument `till`: is required",
                None,
                false,
                "is required",
            ),
            (
                Error::Authentication {
                    http_status: 401,
                    message: "bad client".into(),
                },
                "authentication_failed",
                "authentication failed (HTTP 401): bad client",
                Some(401),
                false,
                "bad client",
            ),
            (
                api.clone(),
                "api_error",
                "API error (HTTP 409, code 1001): duplicate; twice",
                Some(409),
                false,
                "duplicate; twice",
            ),
            (
                Error::Api {
                    http_status: 503,
                    error_code: None,
                    error_message: "down".into(),
                    error_messages: vec![],
                },
                "api_error",
                "API error (HTTP 503): down",
                Some(503),
                true,
                "down",
            ),
            (
                Error::Api {
                    http_status: 500,
                    error_code: None,
                    error_message: "x".into(),
                    error_messages: vec![],
                },
                "api_error",
                "API error (HTTP 500): x",
                Some(500),
                true,
                "x",
            ),
            (
                Error::Api {
                    http_status: 499,
                    error_code: None,
                    error_message: "x".into(),
                    error_messages: vec![],
                },
                "api_error",
                "API error (HTTP 499): x",
                Some(499),
                false,
                "x",
            ),
            (
                Error::RateLimited {
                    retry_after: Some(Duration::from_secs(3)),
                    message: "slow".into(),
                },
                "rate_limited",
                "rate limited, retry after 3s: slow",
                Some(429),
                true,
                "slow",
            ),
            (
                Error::RateLimited {
                    retry_after: None,
                    message: "slow".into(),
                },
                "rate_limited",
                "rate limited: slow",
                Some(429),
                true,
                "slow",
            ),
            (
                Error::transport("reset"),
                "transport_error",
                "transport error: reset",
                None,
                true,
                "reset",
            ),
            (
                Error::transport_final("tls"),
                "transport_error",
                "transport error: tls",
                None,
                false,
                "tls",
            ),
            (Error::timeout("30 s"), "timeout", "timeout: 30 s", None, true, "30 s"),
            (
                Error::signature("mismatch"),
                "signature_invalid",
                "invalid signature: mismatch",
                None,
                false,
                "mismatch",
            ),
            (
                Error::decode("bad json"),
                "decode_error",
                "decode error: bad json",
                None,
                false,
                "bad json",
            ),
            (Error::internal("bug"), "internal", "bug", None, false, "bug"),
        ];
        for (e, code, display, status, retryable, message) in rows {
            assert_eq!(e.code(), code, "{e:?}");
            assert_eq!(e.kind().code(), code);
            assert_eq!(e.kind().to_string(), code);
            assert_eq!(e.to_string(), display);
            assert_eq!(e.http_status(), status, "{e:?}");
            assert_eq!(e.is_retryable(), retryable, "{e:?}");
            assert_eq!(e.error_message(), message, "{e:?}");
            let is_invalid = code == "invalid_argument";
            assert_eq!(e.field().is_some(), is_invalid, "{e:?}");
            if code != "rate_limited" {
                assert_eq!(e.retry_after(), None);
            }
            if e != api {
                assert_eq!(e.error_code(), None);
                assert!(e.error_messages().is_empty());
            }
        }
        assert_eq!(api.error_code(), Some("1001"));
        assert_eq!(api.error_messages(), ["duplicate", "twice"]);
        assert_eq!(Error::invalid_argument("till", "x").field(), Some("till"));
    }

    #[test]
    fn panics_become_internal_errors() {
        let e = Error::catch_panic::<()>(|| panic!("boom {}", 7)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Internal);
        assert_eq!(e.to_string(), "internal error in kopokopo (please report it): boom 7");
        let e = Error::catch_panic::<()>(|| panic!("static text")).unwrap_err();
        assert!(e.to_string().ends_with(": static text"), "{e}");
        let e = Error::catch_panic::<()>(|| std::panic::panic_any(42u8)).unwrap_err();
        assert!(e.to_string().ends_with(": unknown panic"), "{e}");
        assert_eq!(Error::catch_panic(|| Ok(5)), Ok(5));
        assert_eq!(
            Error::catch_panic::<()>(|| Err(Error::timeout("t"))),
            Err(Error::timeout("t"))
        );
    }

    #[test]
    fn accessors() {
        let e = Error::invalid("amount", "must be positive");
        assert_eq!(e.field(), Some("amount"));
        assert_eq!(e.to_string(), "invalid argument `amount`: must be positive");
        let e = Error::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
            message: String::new(),
        };
        assert_eq!(e.http_status(), Some(429));
        assert!(e.is_retryable());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
    }
}
