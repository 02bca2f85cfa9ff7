//! The one error type of the bindings: `KopoKopoException` in Kotlin,
//! `KopoKopoError` in Swift. One variant per core error kind; no field is
//! called `message` (it would clash with `Throwable.message` in Kotlin).

use std::fmt;

/// Every failure of the library. None of them ever carries the client
/// secret, the API key or an access token.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum KopoKopoError {
    /// A parameter was missing or invalid; nothing was sent.
    InvalidArgument {
        /// Dotted name of the offending field, e.g. `destinations[0].amount`.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// Credentials were refused.
    Authentication {
        /// HTTP status (401).
        http_status: u16,
        /// What the server said.
        detail: String,
    },
    /// The API answered with an error status.
    Api {
        /// HTTP status.
        http_status: u16,
        /// The API's `error_code`, when it sent one.
        error_code: Option<String>,
        /// The API's `error_message` (an array of messages joined with "; ").
        error_message: String,
        /// Every message the server sent, in order: one for a string
        /// `error_message`, each entry of the array form (reversals); empty
        /// when the response had no error body.
        error_messages: Vec<String>,
    },
    /// HTTP 429; `retry_after_secs` from the `Retry-After` header, if any.
    RateLimited {
        /// Seconds to wait before retrying, when the server said.
        retry_after_secs: Option<u64>,
        /// What the server said.
        detail: String,
    },
    /// The request could not be sent, or no complete answer arrived.
    Transport {
        /// What went wrong.
        detail: String,
    },
    /// The request timed out.
    Timeout {
        /// What timed out.
        detail: String,
    },
    /// A webhook or result signature is missing or does not match.
    SignatureInvalid {
        /// Why it was refused.
        reason: String,
    },
    /// A response or payload could not be decoded.
    Decode {
        /// What could not be decoded.
        detail: String,
    },
    /// A bug in the library: a Rust panic was caught at the binding boundary.
    /// The library (and the client) remain usable; please report it.
    Internal {
        /// What happened (the panic message).
        detail: String,
    },
}

impl KopoKopoError {
    /// The core's stable error code (`invalid_argument`, `api_error`...).
    pub fn code(&self) -> &'static str {
        match self {
            KopoKopoError::InvalidArgument { .. } => "invalid_argument",
            KopoKopoError::Authentication { .. } => "authentication_failed",
            KopoKopoError::Api { .. } => "api_error",
            KopoKopoError::RateLimited { .. } => "rate_limited",
            KopoKopoError::Transport { .. } => "transport_error",
            KopoKopoError::Timeout { .. } => "timeout",
            KopoKopoError::SignatureInvalid { .. } => "signature_invalid",
            KopoKopoError::Decode { .. } => "decode_error",
            KopoKopoError::Internal { .. } => "internal",
        }
    }
}

impl From<kopokopo::Error> for KopoKopoError {
    fn from(e: kopokopo::Error) -> Self {
        use kopokopo::Error as E;
        match e {
            E::InvalidArgument { field, reason } => KopoKopoError::InvalidArgument { field, reason },
            E::Authentication { http_status, message } => KopoKopoError::Authentication {
                http_status,
                detail: message,
            },
            E::Api {
                http_status,
                error_code,
                error_message,
                error_messages,
                ..
            } => KopoKopoError::Api {
                http_status,
                error_code,
                error_message,
                error_messages,
            },
            E::RateLimited { retry_after, message } => KopoKopoError::RateLimited {
                retry_after_secs: retry_after.map(|d| d.as_secs()),
                detail: message,
            },
            E::Transport { message, .. } => KopoKopoError::Transport { detail: message },
            E::Timeout { message } => KopoKopoError::Timeout { detail: message },
            E::SignatureInvalid { reason } => KopoKopoError::SignatureInvalid { reason },
            E::Decode { message } => KopoKopoError::Decode { detail: message },
            E::Internal { message } => KopoKopoError::Internal { detail: message },
            // `kopokopo::Error` is non-exhaustive: a kind added later arrives
            // here until this binding learns it.
            other => KopoKopoError::Decode {
                detail: other.to_string(),
            },
        }
    }
}

impl fmt::Display for KopoKopoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KopoKopoError::InvalidArgument { field, reason } => write!(f, "invalid argument `{field}`: {reason}"),
            KopoKopoError::Authentication { http_status, detail } => {
                write!(f, "authentication failed (HTTP {http_status}): {detail}")
            }
            KopoKopoError::Api {
                http_status,
                error_code,
                error_message,
                ..
            } => match error_code {
                Some(c) => write!(f, "API error (HTTP {http_status}, code {c}): {error_message}"),
                None => write!(f, "API error (HTTP {http_status}): {error_message}"),
            },
            KopoKopoError::RateLimited {
                retry_after_secs,
                detail,
            } => match retry_after_secs {
                Some(s) => write!(f, "rate limited, retry after {s}s: {detail}"),
                None => write!(f, "rate limited: {detail}"),
            },
            KopoKopoError::Transport { detail } => write!(f, "transport error: {detail}"),
            KopoKopoError::Timeout { detail } => write!(f, "timeout: {detail}"),
            KopoKopoError::SignatureInvalid { reason } => write!(f, "invalid signature: {reason}"),
            KopoKopoError::Decode { detail } => write!(f, "decode error: {detail}"),
            // The core's message already says what it is ("internal error in kopokopo...").
            KopoKopoError::Internal { detail } => f.write_str(detail),
        }
    }
}

impl std::error::Error for KopoKopoError {}

/// The stable error code of an error (`invalid_argument`, `authentication_failed`,
/// `api_error`, `rate_limited`, `transport_error`, `timeout`, `signature_invalid`,
/// `decode_error`, `internal`): identical in every language binding.
#[uniffi::export]
pub fn error_code(error: KopoKopoError) -> String {
    error.code().to_string()
}
