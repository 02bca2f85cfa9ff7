//! `kopokopo._kopokopo`: the native half of the Python package.
//!
//! Thin by design: every operation goes through the core's
//! [`kopokopo::dynamic`] entry point with JSON parameters and returns the
//! core's JSON result; the Python half (`python/kopokopo/`) turns keyword
//! arguments into that JSON and the JSON into frozen dataclasses. Blocking
//! network calls run with the interpreter detached (the GIL released), and the
//! core client is `Send + Sync`, so one client can be shared by threads.
//!
//! Every call into the core goes through [`call`] (or [`call_detached`]): a
//! panic becomes `kopokopo.InternalError` (code `"internal"`), an `Exception`
//! like every other `kopokopo` error, instead of pyo3's `PanicException`.

use std::borrow::Cow;
use std::time::Duration;

use kopokopo::api::Context;
use kopokopo::{Client, Config, Error, HttpResponse, Proxy};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use serde_json::Value;

mod convert;
mod errors;

/// The boundary every core call crosses: runs `f`, turning a panic into
/// `Error::Internal` (`Error::catch_panic`) and any error into its
/// `kopokopo` exception.
fn call<T>(py: Python<'_>, f: impl FnOnce() -> kopokopo::Result<T>) -> PyResult<T> {
    Error::catch_panic(f).map_err(|e| errors::to_py(py, e))
}

/// [`call`] with the GIL released while `f` runs (blocking network calls).
/// A panic unwinds out of the detached section (pyo3 takes the GIL back on
/// the way) and is caught by `call`.
fn call_detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> kopokopo::Result<T> + Send) -> PyResult<T> {
    call(py, || py.detach(f))
}

fn params_from_json(py: Python<'_>, params_json: &str) -> PyResult<Value> {
    if params_json.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_str(params_json).map_err(|e| errors::invalid(py, "params", &format!("not JSON: {e}")))
}

fn to_json_text<T: serde::Serialize>(value: &T) -> kopokopo::Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Decode { message: e.to_string() })
}

/// A signature header as text. Conversion only: a `str` that has no UTF-8
/// form (lone surrogates) keeps its length with U+FFFD in place of each
/// unencodable character, which is never a hex digit, so the core refuses it
/// like any other malformed signature (never a `UnicodeEncodeError`).
fn signature_text<'a>(signature: &'a Option<Bound<'_, PyString>>) -> Option<Cow<'a, str>> {
    signature.as_ref().map(|s| s.to_string_lossy())
}

/// A number of seconds of any Python number type as a `Duration`; an int too
/// large for a float (`10**400`) becomes the longest one, which the core
/// refuses like any other value over its limit.
fn seconds_arg(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    match value.extract::<f64>() {
        Ok(v) => seconds(py, field, v),
        Err(_) if value.is_instance_of::<pyo3::types::PyInt>() => Ok(Duration::MAX),
        Err(_) => Err(errors::invalid(py, field, "must be a number of seconds")),
    }
}

/// Seconds as a `Duration`. Conversion only: zero or less becomes zero and
/// anything too long for a `Duration` (including infinity) the longest one,
/// both of which the core refuses naming `field`; NaN has no duration at all.
fn seconds(py: Python<'_>, field: &str, value: f64) -> PyResult<Duration> {
    if value.is_nan() {
        return Err(errors::invalid(py, field, "must be a number of seconds, not NaN"));
    }
    Ok(Duration::try_from_secs_f64(value.max(0.0)).unwrap_or(Duration::MAX))
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
    fn kind(&self, py: Python<'_>) -> PyResult<&'static str> {
        call(py, || {
            Ok(match &self.value {
                ParsedValue::Webhook(w) => w.structure(),
                ParsedValue::Result(r) => r.kind(),
            })
        })
    }

    /// The JSON of the core's `Webhook` / `CallbackResult` (exact amounts).
    fn json(&self, py: Python<'_>) -> PyResult<String> {
        call(py, || match &self.value {
            ParsedValue::Webhook(w) => to_json_text(w),
            ParsedValue::Result(r) => to_json_text(r),
        })
    }

    /// What the typed object's `to_dict()` returns, as JSON: the webhook, or
    /// the result's own document (`{"result_type", "raw"}` for an unknown one).
    fn dict_json(&self, py: Python<'_>) -> PyResult<String> {
        call(py, || match &self.value {
            ParsedValue::Webhook(w) => to_json_text(w),
            ParsedValue::Result(r) => match r {
                kopokopo::CallbackResult::IncomingPayment(x) => to_json_text(x),
                kopokopo::CallbackResult::SendMoney(x) => to_json_text(x),
                kopokopo::CallbackResult::Polling(x) => to_json_text(x),
                kopokopo::CallbackResult::SmsNotification(x) => to_json_text(x),
                kopokopo::CallbackResult::Reversal(x) => to_json_text(x),
                kopokopo::CallbackResult::PaymentLink(x) => to_json_text(x),
                kopokopo::CallbackResult::Unknown { result_type, raw } => {
                    to_json_text(&serde_json::json!({"result_type": result_type, "raw": raw}))
                }
            },
        })
    }
}

/// The typed Python object of a parsed webhook/result, keeping the parsed
/// value as its `_src` (for `to_dict()`).
fn parsed_object(py: Python<'_>, parsed: Parsed) -> PyResult<Bound<'_, PyAny>> {
    let reg = convert::registry()?;
    let type_name = match &parsed.value {
        ParsedValue::Webhook(_) => "Webhook",
        ParsedValue::Result(_) => "CallbackResult",
    };
    let src = Bound::new(py, parsed)?;
    let obj = {
        let p = src.get();
        match &p.value {
            ParsedValue::Webhook(w) => reg.to_object(py, type_name, w, None)?,
            ParsedValue::Result(r) => reg.to_object(py, type_name, r, None)?,
        }
    };
    reg.set_src(py, &obj, src.as_any())?;
    Ok(obj)
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
    #[pyo3(signature = (client_id, client_secret, *, api_key=None, base_url=None, timeout=None, connect_timeout=None, max_retries=None, user_agent_suffix=None, proxy=None))]
    fn new(
        py: Python<'_>,
        client_id: &str,
        client_secret: &str,
        api_key: Option<&str>,
        base_url: Option<&str>,
        timeout: Option<Bound<'_, PyAny>>,
        connect_timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        user_agent_suffix: Option<&str>,
        proxy: Option<&str>,
    ) -> PyResult<Self> {
        let timeout = timeout.map(|t| seconds_arg(py, "timeout", &t)).transpose()?;
        let connect_timeout = connect_timeout
            .map(|t| seconds_arg(py, "connect_timeout", &t))
            .transpose()?;
        let max_retries = max_retries
            .map(|n| {
                n.extract::<i64>()
                    .ok()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| errors::invalid(py, "max_retries", "must be a non-negative integer"))
            })
            .transpose()?;
        call(py, || {
            let mut builder = Config::builder(client_id, client_secret).proxy(Proxy::from_option(proxy));
            if let Some(k) = api_key {
                builder = builder.api_key(k);
            }
            if let Some(u) = base_url {
                builder = builder.base_url(u);
            }
            if let Some(d) = timeout {
                builder = builder.timeout(d);
            }
            if let Some(d) = connect_timeout {
                builder = builder.connect_timeout(d);
            }
            if let Some(n) = max_retries {
                builder = builder.max_retries(n);
            }
            if let Some(s) = user_agent_suffix {
                builder = builder.user_agent_suffix(s);
            }
            let config = builder.build()?;
            Ok(NativeClient {
                inner: Client::new(config),
            })
        })
    }

    /// Runs an operation by name (see `OPERATIONS`) with JSON parameters and
    /// returns the JSON result. The GIL is released while the request runs.
    fn execute(&self, py: Python<'_>, operation: &str, params_json: &str) -> PyResult<String> {
        let params = params_from_json(py, params_json)?;
        let client = &self.inner;
        // `execute_text` writes the typed result straight to JSON text: amounts keep every digit.
        call_detached(py, || kopokopo::dynamic::execute_text(client, operation, &params))
    }

    /// Runs an operation by name with JSON parameters and returns its typed
    /// result (an instance of the generated class; `None` for no result).
    fn call<'py>(&self, py: Python<'py>, operation: &str, params_json: &str) -> PyResult<Bound<'py, PyAny>> {
        let params = params_from_json(py, params_json)?;
        let client = &self.inner;
        let text = call_detached(py, || kopokopo::dynamic::execute_text(client, operation, &params))?;
        result_object(py, operation, &text)
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
    fn connect_timeout(&self) -> f64 {
        self.inner.config().connect_timeout().as_secs_f64()
    }

    #[getter]
    fn max_retries(&self) -> u32 {
        self.inner.config().max_retries()
    }

    /// Verifies with the configured API key (`InvalidArgumentError` when none is configured).
    #[pyo3(signature = (body, signature))]
    fn verify_signature(&self, py: Python<'_>, body: &[u8], signature: Option<Bound<'_, PyString>>) -> PyResult<bool> {
        let signature = signature_text(&signature);
        call(py, || self.inner.webhooks().verify(body, signature.as_deref()))
    }

    /// Verifies and parses a webhook with the configured API key.
    #[pyo3(signature = (body, signature))]
    fn parse_webhook(&self, py: Python<'_>, body: &[u8], signature: Option<Bound<'_, PyString>>) -> PyResult<Parsed> {
        let signature = signature_text(&signature);
        call(py, || {
            self.inner
                .webhooks()
                .parse_webhook(body, signature.as_deref())
                .map(parsed_webhook)
        })
    }

    /// Verifies and parses a result callback with the configured API key.
    #[pyo3(signature = (body, signature))]
    fn parse_result(&self, py: Python<'_>, body: &[u8], signature: Option<Bound<'_, PyString>>) -> PyResult<Parsed> {
        let signature = signature_text(&signature);
        call(py, || {
            self.inner
                .webhooks()
                .parse_result(body, signature.as_deref())
                .map(parsed_result)
        })
    }

    /// [`Self::parse_webhook`] as the typed object.
    #[pyo3(signature = (body, signature))]
    fn parse_webhook_object<'py>(
        &self,
        py: Python<'py>,
        body: &[u8],
        signature: Option<Bound<'_, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let parsed = self.parse_webhook(py, body, signature)?;
        parsed_object(py, parsed)
    }

    /// [`Self::parse_result`] as the typed object.
    #[pyo3(signature = (body, signature))]
    fn parse_result_object<'py>(
        &self,
        py: Python<'py>,
        body: &[u8],
        signature: Option<Bound<'_, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let parsed = self.parse_result(py, body, signature)?;
        parsed_object(py, parsed)
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
fn sign(py: Python<'_>, body: &[u8], api_key: &str) -> PyResult<String> {
    call(py, || Ok(kopokopo::webhooks::sign(body, api_key)))
}

/// Whether `signature` is the valid signature of the raw `body`.
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn verify_signature(
    py: Python<'_>,
    body: &[u8],
    signature: Option<Bound<'_, PyString>>,
    api_key: &str,
) -> PyResult<bool> {
    let signature = signature_text(&signature);
    call(py, || {
        Ok(kopokopo::webhooks::verify_signature(
            body,
            signature.as_deref(),
            api_key,
        ))
    })
}

/// Verifies like `verify_signature` but raises the reason (`SignatureError`,
/// or `InvalidArgumentError` for an empty API key).
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn verify(py: Python<'_>, body: &[u8], signature: Option<Bound<'_, PyString>>, api_key: &str) -> PyResult<()> {
    let signature = signature_text(&signature);
    call(py, || kopokopo::webhooks::verify(body, signature.as_deref(), api_key))
}

/// Verifies and parses a webhook.
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn parse_webhook(
    py: Python<'_>,
    body: &[u8],
    signature: Option<Bound<'_, PyString>>,
    api_key: &str,
) -> PyResult<Parsed> {
    let signature = signature_text(&signature);
    call(py, || {
        kopokopo::webhooks::parse_webhook(body, signature.as_deref(), api_key).map(parsed_webhook)
    })
}

/// Verifies and parses a result callback.
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn parse_result(
    py: Python<'_>,
    body: &[u8],
    signature: Option<Bound<'_, PyString>>,
    api_key: &str,
) -> PyResult<Parsed> {
    let signature = signature_text(&signature);
    call(py, || {
        kopokopo::webhooks::parse_result(body, signature.as_deref(), api_key).map(parsed_result)
    })
}

/// Verifies and parses a webhook into its typed object.
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn parse_webhook_object<'py>(
    py: Python<'py>,
    body: &[u8],
    signature: Option<Bound<'_, PyString>>,
    api_key: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let parsed = parse_webhook(py, body, signature, api_key)?;
    parsed_object(py, parsed)
}

/// Verifies and parses a result callback into its typed object.
#[pyfunction]
#[pyo3(signature = (body, signature, api_key))]
fn parse_result_object<'py>(
    py: Python<'py>,
    body: &[u8],
    signature: Option<Bound<'_, PyString>>,
    api_key: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let parsed = parse_result(py, body, signature, api_key)?;
    parsed_object(py, parsed)
}

/// The typed object of an operation's JSON result (`None` when it has none).
fn result_object<'py>(py: Python<'py>, operation: &str, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let result = kopokopo::operations::find(operation).and_then(|o| o.result);
    convert::registry()?.text_to_object(py, result, text)
}

/// The typed object of schema type `type_name` from the core's JSON text
/// (`_Model._from_json`: tests and pickled data).
#[pyfunction]
fn _object_from_json<'py>(py: Python<'py>, type_name: &str, text: &str) -> PyResult<Bound<'py, PyAny>> {
    convert::registry()?.text_to_object(py, Some(type_name), text)
}

/// Registers the generated model classes (`kopokopo._models` does it on import).
#[pyfunction]
fn _register_models(py: Python<'_>, classes: &Bound<'_, pyo3::types::PyDict>) -> PyResult<()> {
    convert::register(py, classes)
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
    let req = call(py, || {
        let mut builder = Config::builder(client_id, client_secret);
        if let Some(u) = base_url {
            builder = builder.base_url(u);
        }
        if let Some(s) = user_agent_suffix {
            builder = builder.user_agent_suffix(s);
        }
        let config = builder.build()?;
        let ctx = Context::new(&config);
        kopokopo::dynamic::build_request(&ctx, operation, &params, token)
    })?;
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
    call(py, || {
        let mut response = HttpResponse::new(status, body.to_vec());
        for (k, v) in &headers {
            response = response.with_header(k, v);
        }
        kopokopo::dynamic::parse_response_text(operation, &params, &response)
    })
}

/// Sans-IO: [`parse_response`] as the typed object.
#[pyfunction]
#[pyo3(signature = (operation, params_json, status, headers, body))]
fn parse_response_object<'py>(
    py: Python<'py>,
    operation: &str,
    params_json: &str,
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    let text = parse_response(py, operation, params_json, status, headers, body)?;
    result_object(py, operation, &text)
}

/// Test only: panics inside the same wrapper as every core call ([`call`],
/// or [`call_detached`] with the GIL released) to prove that a panic reaches
/// Python as `kopokopo.InternalError`.
#[pyfunction]
#[pyo3(signature = (detached=false))]
fn _force_panic(py: Python<'_>, detached: bool) -> PyResult<()> {
    fn boom() -> kopokopo::Result<()> {
        panic!("forced panic (kopokopo._kopokopo._force_panic)")
    }
    if detached {
        call_detached(py, boom)
    } else {
        call(py, boom)
    }
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
    m.add_function(wrap_pyfunction!(_force_panic, m)?)?;
    m.add_function(wrap_pyfunction!(parse_webhook_object, m)?)?;
    m.add_function(wrap_pyfunction!(parse_result_object, m)?)?;
    m.add_function(wrap_pyfunction!(parse_response_object, m)?)?;
    m.add_function(wrap_pyfunction!(_register_models, m)?)?;
    m.add_function(wrap_pyfunction!(_object_from_json, m)?)?;
    m.add("CORE_VERSION", kopokopo::VERSION)?;
    m.add("OPERATIONS", kopokopo::dynamic::OPERATIONS.to_vec())?;
    m.add("SIGNATURE_HEADER", kopokopo::webhooks::SIGNATURE_HEADER)?;
    m.add("SANDBOX_URL", kopokopo::SANDBOX_URL)?;
    m.add("PRODUCTION_URL", kopokopo::PRODUCTION_URL)?;
    m.add("NETWORK_SAFARICOM", kopokopo::requests::NETWORK_SAFARICOM)?;
    m.add("PAYMENT_CHANNEL_STK_PUSH", kopokopo::requests::PAYMENT_CHANNEL_STK_PUSH)?;
    m.add("PAYMENT_CHANNEL_MPESA", kopokopo::requests::PAYMENT_CHANNEL_MPESA)?;
    Ok(())
}
