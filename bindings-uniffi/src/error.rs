//! The one error type of the bindings: `KopoKopoException` in Kotlin,
//! `KopoKopoError` in Swift. One variant per core error kind; no field is
//! called `message` (it would clash with `Throwable.message` in Kotlin).
//!
//! Codes and messages are the core's: `code()` and `Display` go back to the
//! [`kopokopo::Error`] the variant came from; this file only maps fields.

use std::fmt;
use std::time::Duration;

/// Every failure of the library. None of them ever carries the client
/// secret, the API key or an access token.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
#[uniffi::export(Display)]
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
        http_status: i32,
        /// What the server said.
        detail: String,
    },
    /// The API answered with an error status.
    Api {
        /// HTTP status.
        http_status: i32,
        /// The API's `error_code`, when it sent one.
        error_code: Option<String>,
        /// The API's `error_message` (an array of messages joined with "; ").
        error_message: String,
        /// Every message the server sent, in order: one for a string
        /// `error_message`, each entry of the array form (reversals); empty
        /// when the response had no error body.
        error_messages: Vec<String>,
    },
    /// HTTP 429; `retry_after` from the `Retry-After` header, if any.
    RateLimited {
        /// How long to wait before retrying, when the server said.
        retry_after: Option<Duration>,
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
    /// The core error this one maps (the inverse of `From<kopokopo::Error>`).
    fn to_core(&self) -> kopokopo::Error {
        use kopokopo::Error as E;
        match self.clone() {
            KopoKopoError::InvalidArgument { field, reason } => E::invalid_argument(field, reason),
            KopoKopoError::Authentication { http_status, detail } => E::Authentication {
                http_status: status(http_status),
                message: detail,
            },
            KopoKopoError::Api {
                http_status,
                error_code,
                error_message,
                error_messages,
            } => E::Api {
                http_status: status(http_status),
                error_code,
                error_message,
                error_messages,
            },
            KopoKopoError::RateLimited { retry_after, detail } => E::RateLimited {
                retry_after,
                message: detail,
            },
            KopoKopoError::Transport { detail } => E::transport(detail),
            KopoKopoError::Timeout { detail } => E::timeout(detail),
            KopoKopoError::SignatureInvalid { reason } => E::SignatureInvalid { reason },
            KopoKopoError::Decode { detail } => E::Decode { message: detail },
            KopoKopoError::Internal { detail } => E::internal(detail),
        }
    }
}

impl KopoKopoError {
    /// The error with an invalid argument's field path in Kotlin's and
    /// Swift's camelCase (`phoneNumber`, `destinations[0].accountNumber`,
    /// `connectTimeout`), walking the schema of `request` (the operation's
    /// request type); metadata keys stay as the caller wrote them. The
    /// message, the core's, names the same path.
    pub(crate) fn in_request(self, request: Option<&str>) -> Self {
        match self {
            KopoKopoError::InvalidArgument { field, reason } => KopoKopoError::InvalidArgument {
                field: kopokopo::schema::field_path_as(&field, request, kopokopo::schema::push_camel),
                reason,
            },
            other => other,
        }
    }
}

/// An HTTP status as the core keeps it (a status is 100..=599).
fn status(s: i32) -> u16 {
    u16::try_from(s).unwrap_or_default()
}

/// The properties every exception has (`e.code`, `e.httpStatus`, ... in
/// Kotlin; `e.code()` ... in Swift and Java), read from the core's error.
#[uniffi::export]
impl KopoKopoError {
    /// The stable error code (`invalid_argument`, `authentication_failed`,
    /// `api_error`, `rate_limited`, `transport_error`, `timeout`,
    /// `signature_invalid`, `decode_error`, `internal`): identical in every
    /// language binding.
    pub fn code(&self) -> String {
        self.to_core().code().to_string()
    }

    /// The HTTP status of an API answer, when the error came from one.
    pub fn http_status(&self) -> Option<i32> {
        self.to_core().http_status().map(i32::from)
    }

    /// How long to wait before retrying (`Retry-After` of HTTP 429), when the server said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.to_core().retry_after()
    }

    /// The offending field of an invalid argument (`destinations[0].amount`).
    pub fn field(&self) -> Option<String> {
        self.to_core().field().map(str::to_string)
    }

    /// Why an argument or a signature was refused.
    pub fn reason(&self) -> Option<String> {
        match self {
            KopoKopoError::InvalidArgument { reason, .. } | KopoKopoError::SignatureInvalid { reason } => {
                Some(reason.clone())
            }
            _ => None,
        }
    }
}

impl From<kopokopo::Error> for KopoKopoError {
    fn from(e: kopokopo::Error) -> Self {
        use kopokopo::ErrorKind as K;
        // The core's accessors; `error_message()` is the reason, the server's
        // message or the detail, whichever the kind carries.
        let detail = e.error_message().to_string();
        match e.kind() {
            K::InvalidArgument => KopoKopoError::InvalidArgument {
                field: e.field().unwrap_or_default().to_string(),
                reason: detail,
            },
            K::Authentication => KopoKopoError::Authentication {
                http_status: i32::from(e.http_status().unwrap_or(401)),
                detail,
            },
            K::Api => KopoKopoError::Api {
                http_status: i32::from(e.http_status().unwrap_or_default()),
                error_code: e.error_code().map(str::to_string),
                error_message: detail,
                error_messages: e.error_messages().to_vec(),
            },
            K::RateLimited => KopoKopoError::RateLimited {
                retry_after: e.retry_after(),
                detail,
            },
            K::Transport => KopoKopoError::Transport { detail },
            K::Timeout => KopoKopoError::Timeout { detail },
            K::SignatureInvalid => KopoKopoError::SignatureInvalid { reason: detail },
            K::Internal => KopoKopoError::Internal { detail },
            // Decode, and any kind a later core adds (ErrorKind is
            // non-exhaustive) until this binding learns it: the core's text.
            K::Decode => KopoKopoError::Decode { detail },
            _ => KopoKopoError::Decode { detail: e.to_string() },
        }
    }
}

impl fmt::Display for KopoKopoError {
    /// The core's message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_core(), f)
    }
}

impl std::error::Error for KopoKopoError {}

/// The stable error code of an error (`invalid_argument`, `authentication_failed`,
/// `api_error`, `rate_limited`, `transport_error`, `timeout`, `signature_invalid`,
/// `decode_error`, `internal`): identical in every language binding.
#[uniffi::export]
pub fn error_code(error: KopoKopoError) -> String {
    error.code()
}

/// The core's message of an error, identical in every language binding
/// (e.g. ``invalid argument `amount`: `ten` is not a decimal number``).
#[uniffi::export]
pub fn error_description(error: KopoKopoError) -> String {
    error.to_string()
}
