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
        ErrorKind::Internal => "InternalError",
        _ => "KopoKopoError",
    }
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let module = py.import(ERRORS_MODULE)?;
    let class = module.getattr(class_name(e.kind()))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", e.code())?;
    // The core's accessors say which fields an error has.
    if let Some(field) = e.field() {
        kwargs.set_item("field", field)?;
        kwargs.set_item("reason", e.error_message())?;
    }
    if let Some(status) = e.http_status() {
        kwargs.set_item("http_status", status)?;
        kwargs.set_item("error_message", e.error_message())?;
        kwargs.set_item("error_code", e.error_code())?;
        kwargs.set_item("error_messages", e.error_messages().to_vec())?;
        kwargs.set_item("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
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
