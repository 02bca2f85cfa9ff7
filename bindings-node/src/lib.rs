//! Node.js bindings for `kopokopo` (napi-rs).
//!
//! This crate is deliberately thin: it converts types (JSON text and Buffers
//! in, JSON text out, camelCase ↔ snake_case keys, amounts as strings), maps
//! errors to a JSON payload the JavaScript wrapper (`lib/errors.js`) turns
//! into `Error` subclasses, and runs every network call on the libuv thread
//! pool (`AsyncTask`). Validation, HTTP, retries, tokens and parsing are the
//! core's (`kopokopo::dynamic`, `kopokopo::webhooks`).
//!
//! The JavaScript API is in `lib/kopokopo.js`; this module is the native
//! half loaded through the generated `index.js`.

#![deny(clippy::all)]

mod convert;

use std::sync::Arc;
use std::time::Duration;

use kopokopo::{Client, Config, Error, ErrorKind, Proxy, dynamic, webhooks};
use napi::bindgen_prelude::{AsyncTask, BufferSlice};
use napi::{Env, Status, Task};
use napi_derive::napi;
use serde_json::{Map, Value, json};

/// Marks the message of a native error as a kopokopo error payload.
const ERROR_TAG: &str = "kopokopo";

/// A core error as a napi error whose message is a JSON payload:
/// `{"kopokopo":true,"error":{"code", "message", "field", "reason",
/// "httpStatus", "errorCode", "errorMessage", "errorMessages", "retryAfter"}}`.
/// `field` is the JS API's name for the offending field
/// ([`convert::field_out`] over `request`, the schema of the operation's
/// request type, if any), and the message names it so; `reason` is why an
/// argument or a signature was refused (null for other errors). The core
/// guarantees no secret is in any of these fields.
fn to_napi(e: Error, request: Option<&str>) -> napi::Error {
    let e = match e.field() {
        Some(field) => Error::invalid_argument(convert::field_out(field, request), e.error_message()),
        None => e,
    };
    let reason =
        matches!(e.kind(), ErrorKind::InvalidArgument | ErrorKind::SignatureInvalid).then(|| e.error_message());
    let payload = json!({
        "code": e.code(),
        "message": e.to_string(),
        "field": e.field(),
        "reason": reason,
        "httpStatus": e.http_status(),
        "errorCode": e.error_code(),
        "errorMessage": e.error_message(),
        "errorMessages": e.error_messages(),
        "retryAfter": e.retry_after().map(|d| d.as_secs_f64()),
    });
    napi::Error::new(
        Status::GenericFailure,
        format!("{{\"{ERROR_TAG}\":true,\"error\":{payload}}}"),
    )
}

/// The boundary of every export and of every off-loop computation: runs
/// `f`, turning a panic into `Error::Internal` (a panic must never cross into
/// Node: it would abort the process), and any error into [`to_napi`]'s error.
/// Every `#[napi]` function and `Task::compute` goes through here (or
/// [`guard_op`]).
fn guard<T>(f: impl FnOnce() -> Result<T, Error>) -> napi::Result<T> {
    Error::catch_panic(f).map_err(|e| to_napi(e, None))
}

/// [`guard`] for a call of the operation called `name`: `f` gets the
/// operation (if known), and an error's field is named by walking its
/// request type's schema.
fn guard_op<T>(
    name: &str,
    f: impl FnOnce(Option<&'static kopokopo::operations::OperationDef>) -> Result<T, Error>,
) -> napi::Result<T> {
    let mut request = None;
    Error::catch_panic(|| {
        let op = operation(name);
        request = op.and_then(|o| o.request);
        f(op)
    })
    .map_err(|e| to_napi(e, request))
}

fn parse_json(text: &str, field: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|_| Error::invalid_argument(field, "must be a JSON-serialisable object"))
}

/// A typed core value as exact JSON text (amounts keep their digits), in the JS shape.
fn out_json<T: serde::Serialize + kopokopo::schema::Schema>(value: T) -> Result<String, Error> {
    convert::typed_out(&value)
}

/// The operation called `name` (`group.method`, or its legacy name), if
/// known; an unknown name goes to the core as given, which names the known ones.
fn operation(name: &str) -> Option<&'static kopokopo::operations::OperationDef> {
    kopokopo::operations::find(name)
}

/// The JS-side parameters of `op` in the core's shape (keys, amounts checked by the request schema).
fn params_for(op: Option<&kopokopo::operations::OperationDef>, params_json: &str) -> Result<Value, Error> {
    convert::params_in(parse_json(params_json, "params")?, op.and_then(|o| o.request))
}

// ------------------------------------------------------------------ config

// Each reader takes its option out of the map: whatever is left at the end
// is not a client option.

fn opt_string(map: &mut Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        // Never echo the value: it may be a secret.
        Some(_) => Err(Error::invalid_argument(key, "must be a string")),
    }
}

/// The millisecond options: (the option's key, the core `Config` field it sets).
const TIMEOUT_MS: (&str, &str) = ("timeout_ms", "timeout");
const CONNECT_TIMEOUT_MS: (&str, &str) = ("connect_timeout_ms", "connect_timeout");

fn opt_millis(map: &mut Map<String, Value>, key: &str) -> Result<Option<Duration>, Error> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            // Zero or negative becomes a zero duration, which the core refuses
            // (`config_from_options` names the option in that error).
            let ms = n.as_f64().unwrap_or(0.0).max(0.0);
            Duration::try_from_secs_f64(ms / 1000.0)
                .map(Some)
                .map_err(|_| Error::invalid_argument(key, "is too large"))
        }
        Some(_) => Err(Error::invalid_argument(key, "must be a number of milliseconds")),
    }
}

fn config_from_options(options_json: &str) -> Result<Config, Error> {
    let value = parse_json(options_json, "options")?;
    let Value::Object(raw) = value else {
        return Err(Error::invalid_argument("options", "must be an object"));
    };
    let mut map: Map<String, Value> = raw.into_iter().map(|(k, v)| (convert::camel_to_snake(&k), v)).collect();
    let mut b = Config::builder(
        opt_string(&mut map, "client_id")?.unwrap_or_default(),
        opt_string(&mut map, "client_secret")?.unwrap_or_default(),
    );
    if let Some(k) = opt_string(&mut map, "api_key")? {
        b = b.api_key(k);
    }
    if let Some(u) = opt_string(&mut map, "base_url")? {
        b = b.base_url(u);
    }
    if let Some(t) = opt_millis(&mut map, TIMEOUT_MS.0)? {
        b = b.timeout(t);
    }
    if let Some(t) = opt_millis(&mut map, CONNECT_TIMEOUT_MS.0)? {
        b = b.connect_timeout(t);
    }
    match map.remove("max_retries") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_u64() {
            Some(n) => b = b.max_retries(u32::try_from(n).unwrap_or(u32::MAX)),
            None => return Err(Error::invalid_argument("max_retries", "must be a non-negative integer")),
        },
    }
    if let Some(s) = opt_string(&mut map, "user_agent_suffix")? {
        b = b.user_agent_suffix(s);
    }
    // "env" (the default), "none" or a proxy URL (validated by `build`).
    b = b.proxy(Proxy::from_option(opt_string(&mut map, "proxy")?.as_deref()));
    if let Some(key) = map.keys().next() {
        return Err(Error::invalid_argument(key, "is not a client option"));
    }
    // The core names its durations (`timeout`); the caller gave milliseconds (`timeoutMs`).
    b.build().map_err(|e| match e.field() {
        Some(field) => match [TIMEOUT_MS, CONNECT_TIMEOUT_MS].iter().find(|(_, core)| *core == field) {
            Some((key, _)) => Error::invalid_argument(*key, e.error_message()),
            None => e,
        },
        None => e,
    })
}

// ------------------------------------------------------------------ client

/// The native client. Holds the core [`Client`] (token cache, connection
/// pool); secrets stay in Rust and are never exposed to JavaScript.
#[napi]
pub struct NativeClient {
    inner: Arc<Client>,
}

#[napi]
impl NativeClient {
    /// `options_json`: `{"clientId", "clientSecret", "apiKey", "baseUrl",
    /// "timeoutMs", "connectTimeoutMs", "maxRetries", "proxy",
    /// "userAgentSuffix"}`.
    #[napi(constructor)]
    pub fn new(options_json: String) -> napi::Result<Self> {
        guard(|| {
            let config = config_from_options(&options_json)?;
            Ok(NativeClient {
                inner: Arc::new(Client::new(config)),
            })
        })
    }

    /// The client id (not a secret).
    #[napi(getter)]
    pub fn client_id(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.config().client_id().to_string()))
    }

    /// The API base URL.
    #[napi(getter)]
    pub fn base_url(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.config().base_url().to_string()))
    }

    /// The `User-Agent` header sent with every request.
    #[napi(getter)]
    pub fn user_agent(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.config().user_agent().to_string()))
    }

    /// Runs an operation (see `operations()`) on the libuv thread pool.
    /// `params_json` uses camelCase or snake_case keys; resolves to the
    /// result as JSON text with camelCase keys and amounts as strings.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn execute(&self, operation: String, params_json: String) -> AsyncTask<Execute> {
        AsyncTask::new(Execute {
            client: Arc::clone(&self.inner),
            operation,
            params_json,
        })
    }

    /// Verifies a signature with the configured API key.
    #[napi]
    pub fn verify_signature(&self, body: BufferSlice, signature: Option<String>) -> napi::Result<bool> {
        guard(|| self.inner.webhooks().verify(&body, signature.as_deref()))
    }

    /// Verifies, then parses a webhook with the configured API key (JSON text).
    #[napi]
    pub fn parse_webhook(&self, body: BufferSlice, signature: Option<String>) -> napi::Result<String> {
        guard(|| out_json(self.inner.webhooks().parse_webhook(&body, signature.as_deref())?))
    }

    /// Verifies, then parses a result callback with the configured API key (JSON text).
    #[napi]
    pub fn parse_result(&self, body: BufferSlice, signature: Option<String>) -> napi::Result<String> {
        guard(|| out_json(self.inner.webhooks().parse_result(&body, signature.as_deref())?))
    }
}

/// The off-loop part of [`NativeClient::execute`].
pub struct Execute {
    client: Arc<Client>,
    operation: String,
    params_json: String,
}

impl Task for Execute {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        guard_op(&self.operation, |op| {
            let params = params_for(op, &self.params_json)?;
            let result = dynamic::execute_text(&self.client, &self.operation, &params)?;
            convert::result_out(&result, op.and_then(|o| o.result))
        })
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

// ----------------------------------------------------------------- sans-IO

/// Validates the parameters and builds the HTTP request of an operation
/// without sending it (`kopokopo::dynamic::build_request`). Resolves to JSON
/// `{"method", "url", "headers": [[name, value]...], "body"}` (body as text).
#[napi]
pub fn build_request(
    options_json: String,
    operation: String,
    params_json: String,
    token: Option<String>,
) -> napi::Result<String> {
    guard_op(&operation, |op| {
        let config = config_from_options(&options_json)?;
        let ctx = kopokopo::api::Context::new(&config);
        let params = params_for(op, &params_json)?;
        let req = dynamic::build_request(&ctx, &operation, &params, token.as_deref())?;
        Ok(json!({
            "method": req.method.as_str(),
            "url": req.url,
            "headers": req.headers,
            "body": String::from_utf8_lossy(&req.body),
        })
        .to_string())
    })
}

/// Parses an HTTP response to an operation into its result
/// (`kopokopo::dynamic::parse_response`), as JSON text in the JS shape.
/// `headers_json` is an object or an array of `[name, value]` pairs.
#[napi]
pub fn parse_response(
    operation: String,
    params_json: String,
    status: u32,
    headers_json: String,
    body: BufferSlice,
) -> napi::Result<String> {
    guard_op(&operation, |op| {
        let params = params_for(op, &params_json)?;
        let status =
            u16::try_from(status).map_err(|_| Error::invalid_argument("status", "must be an HTTP status code"))?;
        let mut response = kopokopo::HttpResponse::new(status, body.to_vec());
        let pairs: Vec<(String, String)> = match parse_json(&headers_json, "headers")? {
            Value::Object(m) => m
                .into_iter()
                .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                .collect(),
            Value::Array(items) => items
                .into_iter()
                .filter_map(|p| match p {
                    Value::Array(kv) if kv.len() == 2 => {
                        Some((kv[0].as_str()?.to_string(), kv[1].as_str()?.to_string()))
                    }
                    _ => None,
                })
                .collect(),
            _ => {
                return Err(Error::invalid_argument(
                    "headers",
                    "must be an object or a list of [name, value] pairs",
                ));
            }
        };
        for (k, v) in pairs {
            response = response.with_header(&k, &v);
        }
        let result = dynamic::parse_response_text(&operation, &params, &response)?;
        convert::result_out(&result, op.and_then(|o| o.result))
    })
}

// ---------------------------------------------------------------- webhooks

/// Hex HMAC-SHA256 of `body` keyed with `api_key` (what Kopo Kopo sends).
#[napi]
pub fn sign(body: BufferSlice, api_key: String) -> napi::Result<String> {
    guard(|| Ok(webhooks::sign(&body, &api_key)))
}

/// Whether `signature` matches the raw `body` under `api_key`. Never throws
/// (but for an internal error).
#[napi]
pub fn verify_signature(body: BufferSlice, signature: Option<String>, api_key: String) -> napi::Result<bool> {
    guard(|| Ok(webhooks::verify_signature(&body, signature.as_deref(), &api_key)))
}

/// Verifies the signature over the raw body, then parses the webhook (JSON text).
#[napi]
pub fn parse_webhook(body: BufferSlice, signature: Option<String>, api_key: String) -> napi::Result<String> {
    guard(|| out_json(webhooks::parse_webhook(&body, signature.as_deref(), &api_key)?))
}

/// Verifies the signature over the raw body, then parses the result (JSON text).
#[napi]
pub fn parse_result(body: BufferSlice, signature: Option<String>, api_key: String) -> napi::Result<String> {
    guard(|| out_json(webhooks::parse_result(&body, signature.as_deref(), &api_key)?))
}

/// Parses a webhook **without** verifying it (JSON text).
#[napi]
pub fn decode_webhook(body: BufferSlice) -> napi::Result<String> {
    guard(|| out_json(webhooks::decode_webhook(&body)?))
}

/// Parses a result **without** verifying it (JSON text).
#[napi]
pub fn decode_result(body: BufferSlice) -> napi::Result<String> {
    guard(|| out_json(webhooks::decode_result(&body)?))
}

// ------------------------------------------------------------------- misc

/// Reads a timestamp's text into an exact instant (`kopokopo::time::Timestamp`):
/// `[unix_seconds, nanos, offset_seconds, offset_given (0/1)]`.
#[napi]
pub fn parse_timestamp(text: String) -> napi::Result<Vec<f64>> {
    guard(|| {
        let t = kopokopo::time::Timestamp::parse(&text).ok_or_else(|| {
            Error::invalid_argument(
                "timestamp",
                "is not a timestamp (ISO 8601 date-time, YYYYMMDDhhmmss or epoch seconds)",
            )
        })?;
        // Seconds of any representable date fit a double exactly (|s| < 2^53).
        Ok(vec![
            t.unix_seconds as f64,
            f64::from(t.nanos),
            f64::from(t.offset_seconds),
            if t.offset_given { 1.0 } else { 0.0 },
        ])
    })
}

/// Every operation name accepted by `NativeClient.execute`.
#[napi]
pub fn operations() -> napi::Result<Vec<String>> {
    guard(|| Ok(dynamic::OPERATIONS.iter().map(|s| s.to_string()).collect()))
}

/// Every stable error code.
#[napi]
pub fn error_codes() -> napi::Result<Vec<String>> {
    guard(|| Ok(kopokopo::ErrorKind::ALL.iter().map(|k| k.code().to_string()).collect()))
}

/// The core crate's version.
#[napi]
pub fn core_version() -> napi::Result<String> {
    guard(|| Ok(kopokopo::VERSION.to_string()))
}

// Test hooks (hidden: `__` names, no TypeScript declarations). They panic
// inside `guard`, the boundary every export uses, so a test can prove that a
// panic becomes an `internal` error instead of aborting Node.

/// Panics on the JavaScript thread, inside `guard`.
#[napi(js_name = "__forcePanic", skip_typescript)]
pub fn force_panic() -> napi::Result<()> {
    guard(|| panic!("forced panic (kopokopo test hook)"))
}

/// Panics on a libuv thread pool thread, inside `guard` in `Task::compute`.
#[napi(js_name = "__forcePanicAsync", skip_typescript)]
pub fn force_panic_async() -> AsyncTask<ForcePanic> {
    AsyncTask::new(ForcePanic)
}

/// The off-loop part of [`force_panic_async`].
pub struct ForcePanic;

impl Task for ForcePanic {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<()> {
        guard(|| panic!("forced panic on the thread pool (kopokopo test hook)"))
    }

    fn resolve(&mut self, _env: Env, output: ()) -> napi::Result<()> {
        Ok(output)
    }
}

/// The sandbox base URL (the default).
#[napi]
pub const SANDBOX_URL: &str = kopokopo::SANDBOX_URL;

/// The header that carries webhook and result signatures.
#[napi]
pub const SIGNATURE_HEADER: &str = webhooks::SIGNATURE_HEADER;

/// The production base URL.
#[napi]
pub const PRODUCTION_URL: &str = kopokopo::PRODUCTION_URL;

/// The documented mobile network, `"Safaricom"` (any non-empty network is sent as given).
#[napi]
pub const NETWORK_SAFARICOM: &str = kopokopo::requests::NETWORK_SAFARICOM;

/// The STK push payment channel, `"M-PESA STK Push"` (the default).
#[napi]
pub const PAYMENT_CHANNEL_STK_PUSH: &str = kopokopo::requests::PAYMENT_CHANNEL_STK_PUSH;

/// The payment channel named in the documentation's table, `"M-PESA"`.
#[napi]
pub const PAYMENT_CHANNEL_MPESA: &str = kopokopo::requests::PAYMENT_CHANNEL_MPESA;
