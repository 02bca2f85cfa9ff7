//! Status codes, the error object, and the helpers every export uses:
//! panic containment, NULL / UTF-8 checks on inputs, out-parameter writes.

use std::borrow::Cow;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use kopokopo::{Error, ErrorKind};

/// Result of every fallible `k2_` function.
///
/// `K2_STATUS_OK` is zero; every other value is a failure, and when the
/// function takes a `k2_error **` and it was not NULL, a `k2_error` with the
/// details has been written there. The values are stable across releases.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum k2_status {
    /// Success.
    K2_STATUS_OK = 0,
    /// An argument was NULL, not UTF-8, or rejected by validation; nothing was sent.
    /// `k2_error_field()` names the offending argument or parameter.
    K2_STATUS_INVALID_ARGUMENT = 1,
    /// The client credentials or the access token were refused (HTTP 401).
    K2_STATUS_AUTHENTICATION = 2,
    /// The API answered with an error status; see `k2_error_http_status()`.
    K2_STATUS_API_ERROR = 3,
    /// HTTP 429: too many requests; see `k2_error_retry_after_ms()`.
    K2_STATUS_RATE_LIMITED = 4,
    /// The request could not be sent or no complete answer arrived.
    K2_STATUS_TRANSPORT = 5,
    /// The request did not complete within the configured timeout.
    K2_STATUS_TIMEOUT = 6,
    /// A webhook or result signature is missing or does not match the body.
    K2_STATUS_SIGNATURE_INVALID = 7,
    /// A response or payload could not be decoded.
    K2_STATUS_DECODE = 8,
    /// No longer returned: a caught panic is now `K2_STATUS_INTERNAL`. Kept
    /// so that the value 9 keeps its name (values are never reused).
    K2_STATUS_PANIC = 9,
    /// A bug in the library: a Rust panic was caught at the library boundary
    /// (error code `internal`, as in every binding). The library and its
    /// clients remain usable, but please report it.
    K2_STATUS_INTERNAL = 10,
}

impl k2_status {
    pub(crate) fn from_kind(kind: ErrorKind) -> k2_status {
        match kind {
            ErrorKind::InvalidArgument => k2_status::K2_STATUS_INVALID_ARGUMENT,
            ErrorKind::Authentication => k2_status::K2_STATUS_AUTHENTICATION,
            ErrorKind::Api => k2_status::K2_STATUS_API_ERROR,
            ErrorKind::RateLimited => k2_status::K2_STATUS_RATE_LIMITED,
            ErrorKind::Transport => k2_status::K2_STATUS_TRANSPORT,
            ErrorKind::Timeout => k2_status::K2_STATUS_TIMEOUT,
            ErrorKind::SignatureInvalid => k2_status::K2_STATUS_SIGNATURE_INVALID,
            ErrorKind::Decode => k2_status::K2_STATUS_DECODE,
            ErrorKind::Internal => k2_status::K2_STATUS_INTERNAL,
            // A kind added to the core later: the closest generic failure.
            _ => k2_status::K2_STATUS_API_ERROR,
        }
    }

    pub(crate) const fn name(self) -> &'static CStr {
        match self {
            k2_status::K2_STATUS_OK => c"K2_STATUS_OK",
            k2_status::K2_STATUS_INVALID_ARGUMENT => c"K2_STATUS_INVALID_ARGUMENT",
            k2_status::K2_STATUS_AUTHENTICATION => c"K2_STATUS_AUTHENTICATION",
            k2_status::K2_STATUS_API_ERROR => c"K2_STATUS_API_ERROR",
            k2_status::K2_STATUS_RATE_LIMITED => c"K2_STATUS_RATE_LIMITED",
            k2_status::K2_STATUS_TRANSPORT => c"K2_STATUS_TRANSPORT",
            k2_status::K2_STATUS_TIMEOUT => c"K2_STATUS_TIMEOUT",
            k2_status::K2_STATUS_SIGNATURE_INVALID => c"K2_STATUS_SIGNATURE_INVALID",
            k2_status::K2_STATUS_DECODE => c"K2_STATUS_DECODE",
            k2_status::K2_STATUS_PANIC => c"K2_STATUS_PANIC",
            k2_status::K2_STATUS_INTERNAL => c"K2_STATUS_INTERNAL",
        }
    }

    pub(crate) const ALL: [k2_status; 11] = [
        k2_status::K2_STATUS_OK,
        k2_status::K2_STATUS_INVALID_ARGUMENT,
        k2_status::K2_STATUS_AUTHENTICATION,
        k2_status::K2_STATUS_API_ERROR,
        k2_status::K2_STATUS_RATE_LIMITED,
        k2_status::K2_STATUS_TRANSPORT,
        k2_status::K2_STATUS_TIMEOUT,
        k2_status::K2_STATUS_SIGNATURE_INVALID,
        k2_status::K2_STATUS_DECODE,
        k2_status::K2_STATUS_PANIC,
        k2_status::K2_STATUS_INTERNAL,
    ];
}

/// Details of a failure (opaque).
///
/// Created by the library and written through a `k2_error **` out-parameter;
/// owned by the caller, who releases it with `k2_error_free()`. The strings
/// returned by its accessors belong to it and stay valid until it is freed.
/// Messages never contain the client secret, the API key or an access token.
/// A `k2_error` is immutable: it may be read from several threads at once.
#[allow(non_camel_case_types)]
pub struct k2_error {
    pub(crate) status: k2_status,
    /// The core's stable code (`Error::code()`).
    pub(crate) code: CString,
    pub(crate) message: CString,
    pub(crate) field: Option<CString>,
    pub(crate) http_status: u16,
    pub(crate) retry_after_ms: u64,
    pub(crate) api_code: Option<CString>,
    /// Every message of the response body, in order (`Error::error_messages`).
    pub(crate) api_messages: Vec<CString>,
}

/// A C string from Rust text; interior NULs (never expected) become spaces.
pub(crate) fn c_string(s: impl Into<String>) -> CString {
    let mut s: String = s.into();
    if s.contains('\0') {
        s = s.replace('\0', " ");
    }
    CString::new(s).unwrap_or_default()
}

impl k2_error {
    pub(crate) fn from_core(e: &Error) -> k2_error {
        k2_error {
            status: k2_status::from_kind(e.kind()),
            code: c_string(e.code()),
            message: c_string(e.to_string()),
            field: e.field().map(c_string),
            http_status: e.http_status().unwrap_or(0),
            retry_after_ms: e
                .retry_after()
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
                .unwrap_or(0),
            api_code: match e {
                Error::Api {
                    error_code: Some(code), ..
                } => Some(c_string(code.as_str())),
                _ => None,
            },
            api_messages: e.error_messages().iter().map(|m| c_string(m.as_str())).collect(),
        }
    }
}

/// An `InvalidArgument` error raised by the binding itself (NULL pointers,
/// non-UTF-8 text). Names the C parameter; never echoes its value.
pub(crate) fn invalid(field: &str, reason: &str) -> Error {
    Error::invalid_argument(field, reason)
}

/// Writes an error (if the caller asked for one) and returns its status.
unsafe fn report(err: *mut *mut k2_error, e: k2_error) -> k2_status {
    let status = e.status;
    if !err.is_null() {
        // SAFETY: the caller passed a writable `k2_error **` (documented contract).
        unsafe { *err = Box::into_raw(Box::new(e)) };
    }
    status
}

/// Runs the body of a fallible export: clears `*err`, contains panics (a
/// panic becomes the core's `Error::Internal`, `K2_STATUS_INTERNAL`), and
/// turns a core error into a status plus an optional `k2_error`.
pub(crate) unsafe fn guard(err: *mut *mut k2_error, f: impl FnOnce() -> Result<(), Error>) -> k2_status {
    if !err.is_null() {
        // SAFETY: a non-NULL `err` points to a writable `k2_error *`.
        unsafe { *err = ptr::null_mut() };
    }
    match Error::catch_panic(f) {
        Ok(()) => k2_status::K2_STATUS_OK,
        // SAFETY: as above.
        Err(e) => unsafe { report(err, k2_error::from_core(&e)) },
    }
}

/// Runs the body of an infallible export (accessors, `_free`): a panic yields `fallback`.
pub(crate) fn contain<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Borrows a required, NUL-terminated UTF-8 argument.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &str) -> Result<&'a str, Error> {
    if p.is_null() {
        return Err(invalid(name, "must not be NULL"));
    }
    // SAFETY: non-NULL and, by contract, a NUL-terminated string alive for the call.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|_| invalid(name, "is not valid UTF-8"))
}

/// Borrows a signature header value: NULL is `None` (missing). Bytes that
/// are not UTF-8 are replaced by U+FFFD, which can never be hex, so the core
/// refuses the signature as invalid (it is not an argument error).
pub(crate) unsafe fn arg_signature<'a>(p: *const c_char) -> Option<Cow<'a, str>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-NULL and, by contract, a NUL-terminated string alive for the call.
    Some(unsafe { CStr::from_ptr(p) }.to_string_lossy())
}

/// Borrows an optional argument: NULL is `None`.
pub(crate) unsafe fn arg_opt_str<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, Error> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded contract.
        unsafe { arg_str(p, name) }.map(Some)
    }
}

/// Borrows a byte buffer; NULL is accepted only with length 0.
pub(crate) unsafe fn arg_bytes<'a>(p: *const u8, len: usize, name: &str) -> Result<&'a [u8], Error> {
    if p.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(invalid(name, "is NULL but its length is not 0"))
        };
    }
    if len > isize::MAX as usize {
        return Err(invalid(name, "length is too large"));
    }
    // SAFETY: by contract `p` points to `len` readable bytes alive for the call.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// Checks a required out-parameter and sets `*out` to NULL.
pub(crate) unsafe fn out_ptr<T>(out: *mut *mut T, name: &str) -> Result<(), Error> {
    if out.is_null() {
        return Err(invalid(name, "out-parameter must not be NULL"));
    }
    // SAFETY: non-NULL, writable by contract.
    unsafe { *out = ptr::null_mut() };
    Ok(())
}

/// Hands a Rust string to the caller (freed with `k2_string_free`).
pub(crate) unsafe fn give_string(out: *mut *mut c_char, s: String) {
    // SAFETY: `out` was checked with `out_ptr` by the caller.
    unsafe { *out = c_string(s).into_raw() };
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use kopokopo::{Error, ErrorKind};

    use super::{k2_error, k2_status};

    #[test]
    fn every_error_kind_has_its_own_status() {
        let table = [
            (ErrorKind::InvalidArgument, k2_status::K2_STATUS_INVALID_ARGUMENT),
            (ErrorKind::Authentication, k2_status::K2_STATUS_AUTHENTICATION),
            (ErrorKind::Api, k2_status::K2_STATUS_API_ERROR),
            (ErrorKind::RateLimited, k2_status::K2_STATUS_RATE_LIMITED),
            (ErrorKind::Transport, k2_status::K2_STATUS_TRANSPORT),
            (ErrorKind::Timeout, k2_status::K2_STATUS_TIMEOUT),
            (ErrorKind::SignatureInvalid, k2_status::K2_STATUS_SIGNATURE_INVALID),
            (ErrorKind::Decode, k2_status::K2_STATUS_DECODE),
            (ErrorKind::Internal, k2_status::K2_STATUS_INTERNAL),
        ];
        // (Names of the statuses: `status_names` in lib.rs.)
        for (kind, status) in table {
            assert_eq!(k2_status::from_kind(kind), status, "{kind:?}");
        }
    }

    #[test]
    fn api_errors_keep_their_code_status_and_messages() {
        let e = Error::Api {
            http_status: 400,
            error_code: Some("invalid_phone".into()),
            error_message: "one; two".into(),
            error_messages: vec!["one".into(), "two".into()],
        };
        let k = k2_error::from_core(&e);
        assert_eq!(k.status, k2_status::K2_STATUS_API_ERROR);
        assert_eq!(k.code.as_c_str(), c"api_error");
        assert_eq!(k.api_code.as_deref(), Some(c"invalid_phone"));
        assert_eq!(k.http_status, 400);
        assert_eq!(k.retry_after_ms, 0);
        assert_eq!(k.field, None);
        let messages: Vec<&str> = k.api_messages.iter().map(|m| m.to_str().unwrap()).collect();
        assert_eq!(messages, ["one", "two"]);
        // Without a code in the body: no API code, the status still set.
        let e = Error::Api {
            http_status: 503,
            error_code: None,
            error_message: "Service Unavailable".into(),
            error_messages: vec![],
        };
        let k = k2_error::from_core(&e);
        assert_eq!(k.api_code, None);
        assert_eq!(k.http_status, 503);
        assert!(k.api_messages.is_empty());
    }

    #[test]
    fn other_errors_carry_their_own_details() {
        let k = k2_error::from_core(&Error::RateLimited {
            retry_after: Some(Duration::from_millis(1500)),
            message: "slow down".into(),
        });
        assert_eq!(k.status, k2_status::K2_STATUS_RATE_LIMITED);
        assert_eq!(k.retry_after_ms, 1500);
        assert_eq!(k.api_code, None);
        assert_eq!(k.http_status, 429);
        let k = k2_error::from_core(&Error::invalid_argument("amount", "must be positive"));
        assert_eq!(k.field.as_deref(), Some(c"amount"));
        assert_eq!(k.http_status, 0);
        assert_eq!(k.api_code, None);
    }
}
