//! `kopokopo._kopokopo`: the native half of the Python package.
//!
//! Thin by design: every operation goes through the core's
//! [`kopokopo::dynamic`] entry point with JSON parameters and returns the
//! core's JSON result; the Python half (`python/kopokopo/`) turns keyword
//! arguments into that JSON and the JSON into frozen dataclasses. Blocking
//! network calls run with the interpreter detached (the GIL released), and the
//! core client is `Send + Sync`, so one client can be shared by threads.

use std::time::Duration;

use kopokopo::api::Context;
use kopokopo::{Client, Config, HttpResponse};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::Value;

mod errors;

fn params_from_json(py: Python<'_>, params_json: &str) -> PyResult<Value> {
    if params_json.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_str(params_json).map_err(|e| errors::invalid(py, "params", &format!("not JSON: {e}")))
}

fn to_json_text<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| errors::to_py(py, kopokopo::Error::Decode { message: e.to_string() }))
}

enum ParsedValue {
    Webhook(kopokopo::Webhook),
    Result(kopokopo::CallbackResult),
}

/// A verified, decoded webhook or result, kept in its Rust form: the JSON
/// for the Python objects is written only when a field is first read.
#[pyclass(frozen, module = "kopokopo._kopokopo", name = "Parsed")]
struct Parsed {
    value: ParsedValue,
}

#[pymethods]
impl Parsed {
    /// `"k2"`/`"daraja"` for webhooks; the result kind (`"incoming_payment"`, ...) for results.
    #[getter]
    fn kind(&self) -> &'static str {
        match &self.value {
            ParsedValue::Webhook(w) => w.structure(),
            ParsedValue::Result(r) => r.kind(),
        }
    }

    /// The JSON of the core's `Webhook` / `CallbackResult` (exact amounts).
    fn json(&self, py: Python<'_>) -> PyResult<String> {
        match &self.value {
            ParsedValue::Webhook(w) => to_json_text(py, w),
            ParsedValue::Result(r) => to_json_text(py, r),
        }
    }
}

fn parsed_webhook(w: kopokopo::Webhook) -> Parsed {
    Parsed {
        value: ParsedValue::Webhook(w),
    }
}

fn parsed_result(r: kopokopo::CallbackResult) -> Parsed {
    Parsed {
        value: ParsedValue::Result(r),
    }
}

/// A configured core client. Use `kopokopo.Client`, which wraps it.
#[pyclass(frozen, module = "kopokopo._kopokopo", name = "NativeClient")]
struct NativeClient {
    inner: Client,
}

#[pymethods]
impl NativeClient {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (client_id, client_secret, *, api_key=None, base_url=None, timeout=None, max_retries=None, user_agent_suffix=None))]
    fn new(
        py: Python<'_>,
        client_id: &str,
        client_secret: &str,
        api_key: Option<&str>,
        base_url: Option<&str>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        user_agent_suffix: Option<&str>,
    ) -> PyResult<Self> {
        let mut builder = Config::builder(client_id, client_secret);
        if let Some(k) = api_key {
            builder = builder.api_key(k);
        }
        if let Some(u) = base_url {
            builder = builder.base_url(u);
        }
        if let Some(t) = timeout {
            // Conversion only: a negative or zero value becomes zero, which the
            // core refuses with its own message.
            let d = Duration::try_from_secs_f64(t.max(0.0))
                .map_err(|_| errors::invalid(py, "timeout", "must be a finite number of seconds"))?;
            builder = builder.timeout(d);
        }
        if let Some(n) = max_retries {
            let n =
                u32::try_from(n).map_err(|_| errors::invalid(py, "max_retries", "must be a non-negative integer"))?;
            builder = builder.max_retries(n);
        }
        if let Some(s) = user_agent_suffix {
            builder = builder.user_agent_suffix(s);
        }
        let config = builder.build().map_err(|e| errors::to_py(py, e))?;
        Ok(NativeClient {
            inner: Client::new(config),
        })
    }

    /// Runs an operation by name (see `OPERATIONS`) with JSON parameters and
    /// returns the JSON result. The GIL is released while the request runs.
    fn execute(&self, py: Python<'_>, operation: &str, params_json: &str) -> PyResult<String> {
        let params = params_from_json(py, params_json)?;
        let client = &self.inner;
        // `execute_text` writes the typed result straight to JSON text: amounts keep every digit.
        py.detach(|| kopokopo::dynamic::execute_text(client, operation, &params))
            .map_err(|e| errors::to_py(py, e))
    }

    #[getter]
    fn client_id(&self) -> &str {
        self.inner.config().client_id()
    }

    #[getter]
    fn base_url(&self) -> &str {
        self.inner.config().base_url()
    }

    #[getter]
    fn user_agent(&self) -> &str {
        self.inner.config().user_agent()
    }

    #[getter]
    fn timeout(&self) -> f64 {
        self.inner.config().timeout().as_secs_f64()
    }

    #[getter]
    fn max_retries(&self) -> u32 {
        self.inner.config().max_retries()
    }

    /// Verifies with the configured API key (`InvalidArgumentError` when none is configured).
    #[pyo3(signature = (body, signature))]
    fn verify_signature(&self, py: Python<'_>, body: &[u8], signature: Option<&str>) -> PyResult<bool> {
        self.inner
            .webhooks()
            .verify(body, signature)
            .map_err(|e| errors::to_py(py, e))
    }

    /// Verifies and parses a webhook with the configured API key.
    #[pyo3(signature = (body, signature))]
    fn parse_webhook(&self, py: Python<'_>, body: &[u8], signature: Option<&str>) -> PyResult<Parsed> {
        let webhooks = self.inner.webhooks();
        webhooks
            .parse_webhook(body, signature)
            .map(parsed_webhook)
            .map_err(|e| errors::to_py(py, e))
    }

    /// Verifies and parses a result callback with the configured API key.
    #[pyo3(signature = (body, signature))]
    fn parse_result(&self, py: Python<'_>, body: &[u8], signature: Option<&str>) -> PyResult<Parsed> {
        let webhooks = self.inner.webhooks();
        webhooks
            .parse_result(body, signature)
            .map(parsed_result)
            .map_err(|e| errors::to_py(py, e))
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeClient(client_id={:?}, base_url={:?})",
            self.inner.config().client_id(),
            self.inner.config().base_url()
        )
    }
}

/// `hex(HMAC-SHA256(api_key, body))`: the `X-KopoKopo-Signature` value.
#[pyfunction]
fn sign(body: &[u8], api_key: &str) -> String {
    kopokopo::webhooks::sign(body, api_key)
}

/// Whether `signature` is the valid signature of the raw `body`.
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn verify_signature(body: &[u8], signature: Option<&str>, api_key: &str) -> bool {
    kopokopo::webhooks::verify_signature(body, signature, api_key)
}

/// Verifies like `verify_signature` but raises the reason (`SignatureError`,
/// or `InvalidArgumentError` for an empty API key).
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn verify(py: Python<'_>, body: &[u8], signature: Option<&str>, api_key: &str) -> PyResult<()> {
    kopokopo::webhooks::verify(body, signature, api_key).map_err(|e| errors::to_py(py, e))
}

/// Verifies and parses a webhook.
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn parse_webhook(py: Python<'_>, body: &[u8], signature: Option<&str>, api_key: &str) -> PyResult<Parsed> {
    kopokopo::webhooks::parse_webhook(body, signature, api_key)
        .map(parsed_webhook)
        .map_err(|e| errors::to_py(py, e))
}

/// Verifies and parses a result callback.
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn parse_result(py: Python<'_>, body: &[u8], signature: Option<&str>, api_key: &str) -> PyResult<Parsed> {
    kopokopo::webhooks::parse_result(body, signature, api_key)
        .map(parsed_result)
        .map_err(|e| errors::to_py(py, e))
}

/// Sans-IO: validates `params` and builds the HTTP request of `operation`
/// without sending it. Returns `(method, url, [(name, value)], body)`.
#[pyfunction]
#[pyo3(signature = (operation, params_json, *, client_id, client_secret, base_url=None, user_agent_suffix=None, token=None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn build_request<'py>(
    py: Python<'py>,
    operation: &str,
    params_json: &str,
    client_id: &str,
    client_secret: &str,
    base_url: Option<&str>,
    user_agent_suffix: Option<&str>,
    token: Option<&str>,
) -> PyResult<(String, String, Vec<(String, String)>, Bound<'py, PyBytes>)> {
    let params = params_from_json(py, params_json)?;
    let mut builder = Config::builder(client_id, client_secret);
    if let Some(u) = base_url {
        builder = builder.base_url(u);
    }
    if let Some(s) = user_agent_suffix {
        builder = builder.user_agent_suffix(s);
    }
    let config = builder.build().map_err(|e| errors::to_py(py, e))?;
    let ctx = Context::new(&config);
    let req = kopokopo::dynamic::build_request(&ctx, operation, &params, token).map_err(|e| errors::to_py(py, e))?;
    Ok((
        req.method.as_str().to_string(),
        req.url,
        req.headers,
        PyBytes::new(py, &req.body),
    ))
}

/// Sans-IO: parses an HTTP response to `operation`; returns the JSON result.
#[pyfunction]
#[pyo3(signature = (operation, params_json, status, headers, body))]
fn parse_response(
    py: Python<'_>,
    operation: &str,
    params_json: &str,
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> PyResult<String> {
    let params = params_from_json(py, params_json)?;
    let mut response = HttpResponse::new(status, body.to_vec());
    for (k, v) in &headers {
        response = response.with_header(k, v);
    }
    kopokopo::dynamic::parse_response_text(operation, &params, &response).map_err(|e| errors::to_py(py, e))
}

#[pymodule]
fn _kopokopo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeClient>()?;
    m.add_class::<Parsed>()?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(verify_signature, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(parse_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(parse_result, m)?)?;
    m.add_function(wrap_pyfunction!(build_request, m)?)?;
    m.add_function(wrap_pyfunction!(parse_response, m)?)?;
    m.add("CORE_VERSION", kopokopo::VERSION)?;
    m.add("OPERATIONS", kopokopo::dynamic::OPERATIONS.to_vec())?;
    m.add("SIGNATURE_HEADER", kopokopo::webhooks::SIGNATURE_HEADER)?;
    m.add("SANDBOX_URL", kopokopo::SANDBOX_URL)?;
    m.add("PRODUCTION_URL", kopokopo::PRODUCTION_URL)?;
    Ok(())
}
