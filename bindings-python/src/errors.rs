//! The one place where core errors become Python exceptions.
//!
//! The exception classes live in `kopokopo/_errors.py` (so they are plain,
//! picklable Python classes with typed attributes); this file chooses the
//! class from the core's stable error code and fills in the attributes. Every
//! message comes from the core's `Display`, which never contains a secret.

use kopokopo::{Error, ErrorKind};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

const ERRORS_MODULE: &str = "kopokopo._errors";

/// Class name in `kopokopo._errors` for each core error kind.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "InvalidArgumentError",
        ErrorKind::Authentication => "AuthenticationError",
        ErrorKind::Api => "ApiError",
        ErrorKind::RateLimited => "RateLimitError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::SignatureInvalid => "SignatureError",
        ErrorKind::Decode => "DecodeError",
        _ => "KopoKopoError",
    }
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let module = py.import(ERRORS_MODULE)?;
    let class = module.getattr(class_name(e.kind()))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", e.code())?;
    match e {
        Error::InvalidArgument { field, reason } => {
            kwargs.set_item("field", field)?;
            kwargs.set_item("reason", reason)?;
        }
        Error::Authentication { http_status, message } => {
            kwargs.set_item("http_status", *http_status)?;
            kwargs.set_item("error_message", message)?;
        }
        Error::Api {
            http_status,
            error_code,
            error_message,
        } => {
            kwargs.set_item("http_status", *http_status)?;
            kwargs.set_item("error_code", error_code.as_deref())?;
            kwargs.set_item("error_message", error_message)?;
        }
        Error::RateLimited { retry_after, message } => {
            kwargs.set_item("http_status", 429)?;
            kwargs.set_item("error_message", message)?;
            kwargs.set_item("retry_after", retry_after.map(|d| d.as_secs_f64()))?;
        }
        _ => {}
    }
    let instance = class.call((e.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// Converts a core error into the matching `kopokopo` exception.
pub fn to_py(py: Python<'_>, e: Error) -> PyErr {
    build(py, &e).unwrap_or_else(|import_error| {
        // Only reachable if `kopokopo._errors` cannot be imported (the native
        // module used on its own): keep the code and message.
        PyRuntimeError::new_err(format!("{} [{}] ({import_error})", e, e.code()))
    })
}

/// An `InvalidArgumentError` raised by the binding's own type conversion
/// (a value that has no representation in the core's types).
pub fn invalid(py: Python<'_>, field: &str, reason: &str) -> PyErr {
    to_py(py, Error::invalid_argument(field, reason))
}
