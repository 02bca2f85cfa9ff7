//! Client configuration (builder), the client handle, and the generic
//! operation entry points. The per-operation functions are generated from the
//! core's operation table into `operations.rs` (see `scripts/codegen/c.py`).

use std::ffi::c_char;
use std::time::Duration;

use kopokopo::{Client, Config, ConfigBuilder, Error, Proxy, dynamic};
use serde_json::{Map, Value};

use crate::ffi::{arg_bytes, arg_opt_str, arg_str, contain, give_string, guard, invalid, k2_error, k2_status, out_ptr};

/// The User-Agent suffix of this binding (`kopokopo/x.y.z (c/x.y.z)`).
fn c_suffix() -> String {
    format!("c/{}", env!("CARGO_PKG_VERSION"))
}

/// A configuration being assembled (opaque).
///
/// Created by `k2_config_builder_new()`, filled with the `k2_config_builder_set_*()`
/// functions, and consumed by `k2_config_builder_build()` (or released
/// unused with `k2_config_builder_free()`). Options not set keep their
/// defaults; new options are added as new setters, so the ABI never changes.
/// Not thread-safe: use a builder from one thread at a time.
#[allow(non_camel_case_types)]
pub struct k2_config_builder {
    /// `None` only transiently, while a setter replaces it.
    inner: Option<ConfigBuilder>,
    user_agent_suffix: Option<String>,
}

/// A validated, immutable client configuration (opaque).
///
/// Made by `k2_config_builder_build()`, read by `k2_client_new()` (which
/// copies it: one configuration may serve several clients), released by
/// `k2_config_free()`. It holds the client secret and API key, which are
/// never printed. Thread-safe (immutable).
#[allow(non_camel_case_types)]
pub struct k2_config {
    inner: Config,
}

/// Creates a configuration builder with the two required credentials and
/// every other option at its default: the sandbox (`https://sandbox.kopokopo.com`),
/// a 30 s timeout per call, a 10 s connect timeout, 2 retries (GET and token
/// requests only), no API key, the proxy from the environment.
///
/// @param client_id     OAuth client id (required, UTF-8; checked non-blank at build).
/// @param client_secret OAuth client secret (required, UTF-8; checked non-blank at
///                      build). Never appears in any message.
/// @param builder_out   receives the builder (required; NULL on failure). Pass it to
///                      `k2_config_builder_build()`, or release it with `k2_config_builder_free()`.
/// @param err           optional error out-parameter (see `k2_error`).
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT` (NULL or non-UTF-8 argument).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_new(
    client_id: *const c_char,
    client_secret: *const c_char,
    builder_out: *mut *mut k2_config_builder,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(err, || {
            out_ptr(builder_out, "builder_out")?;
            let id = arg_str(client_id, "client_id")?;
            let secret = arg_str(client_secret, "client_secret")?;
            *builder_out = Box::into_raw(Box::new(k2_config_builder {
                inner: Some(Config::builder(id, secret)),
                user_agent_suffix: None,
            }));
            Ok(())
        })
    }
}

/// Applies `f` to a live builder (the body of every setter).
unsafe fn update(
    builder: *mut k2_config_builder,
    err: *mut *mut k2_error,
    f: impl FnOnce(&mut k2_config_builder) -> Result<(), Error>,
) -> k2_status {
    // SAFETY: `builder` is NULL or a live builder (documented contract).
    unsafe {
        guard(err, || {
            if builder.is_null() {
                return Err(invalid("builder", "must not be NULL"));
            }
            f(&mut *builder)
        })
    }
}

impl k2_config_builder {
    fn with(&mut self, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Result<(), Error> {
        let b = self
            .inner
            .take()
            .ok_or_else(|| invalid("builder", "is unusable after an internal error"))?;
        self.inner = Some(f(b));
        Ok(())
    }
}

/// Sets the API base URL (default: the sandbox, `https://sandbox.kopokopo.com`;
/// production is `https://api.kopokopo.com`). It must be `https://`, or
/// `http://` on a loopback host (tests, `k2 mock`); checked by `k2_config_builder_build()`
/// (field `base_url`).
///
/// @param builder  the builder (required).
/// @param base_url the URL (required, UTF-8).
/// @param err      optional error out-parameter.
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_set_base_url(
    builder: *mut k2_config_builder,
    base_url: *const c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        update(builder, err, |b| {
            let url = arg_str(base_url, "base_url")?;
            b.with(|c| c.base_url(url))
        })
    }
}

/// Sets the API key, used to verify webhook and result signatures
/// (default: none). `""` removes it. Never appears in any message.
///
/// @param builder the builder (required).
/// @param api_key the key (required, UTF-8).
/// @param err     optional error out-parameter.
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_set_api_key(
    builder: *mut k2_config_builder,
    api_key: *const c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        update(builder, err, |b| {
            let key = arg_str(api_key, "api_key")?;
            b.with(|c| c.api_key(key))
        })
    }
}

/// Sets each call's deadline in milliseconds: the wait for a token, every
/// attempt and every backoff together (default 30 000). Must be more than 0
/// and at most 3 600 000 (one hour); checked by `k2_config_builder_build()`
/// (field `timeout`).
///
/// @param builder    the builder (required).
/// @param timeout_ms the timeout in milliseconds.
/// @param err        optional error out-parameter.
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT` (NULL builder).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_set_timeout_ms(
    builder: *mut k2_config_builder,
    timeout_ms: u64,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        update(builder, err, |b| {
            b.with(|c| c.timeout(Duration::from_millis(timeout_ms)))
        })
    }
}

/// Sets the TCP/TLS connect timeout in milliseconds (default 10 000). Must
/// be more than 0 and at most 3 600 000 (one hour); checked by
/// `k2_config_builder_build()` (field `connect_timeout`).
///
/// @param builder            the builder (required).
/// @param connect_timeout_ms the timeout in milliseconds.
/// @param err                optional error out-parameter.
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT` (NULL builder).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_set_connect_timeout_ms(
    builder: *mut k2_config_builder,
    connect_timeout_ms: u64,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        update(builder, err, |b| {
            b.with(|c| c.connect_timeout(Duration::from_millis(connect_timeout_ms)))
        })
    }
}

/// Sets how many times a GET or token request is retried after a 429, a
/// 5xx or a connection failure, with backoff and jitter (default 2; 0
/// disables retries; more than 10 counts as 10). Payments and other POSTs
/// are never retried.
///
/// @param builder     the builder (required).
/// @param max_retries the number of retries.
/// @param err         optional error out-parameter.
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT` (NULL builder).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_set_max_retries(
    builder: *mut k2_config_builder,
    max_retries: u32,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { update(builder, err, |b| b.with(|c| c.max_retries(max_retries))) }
}

/// Sets text added to the User-Agent after the binding's own, e.g.
/// `"myapp/1.2"` gives `kopokopo/0.1.0 (c/0.1.0; myapp/1.2)`. `""` removes
/// it. Control characters are refused by `k2_config_builder_build()`
/// (field `user_agent_suffix`).
///
/// @param builder the builder (required).
/// @param suffix  the text (required, UTF-8).
/// @param err     optional error out-parameter.
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_set_user_agent_suffix(
    builder: *mut k2_config_builder,
    suffix: *const c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        update(builder, err, |b| {
            let s = arg_str(suffix, "user_agent_suffix")?;
            b.user_agent_suffix = if s.trim().is_empty() { None } else { Some(s.to_string()) };
            Ok(())
        })
    }
}

/// Sets the HTTP proxy. `"env"` (the default): from the environment
/// (`HTTPS_PROXY` / `https_proxy`, else `ALL_PROXY` / `all_proxy`, minus the
/// hosts in `NO_PROXY`; `HTTP_PROXY` is never read). `"none"`: connect
/// directly. Anything else: the proxy's URL (`http://` or `https://`,
/// credentials in the URL allowed and never printed), checked by
/// `k2_config_builder_build()` (field `proxy`). Loopback hosts (`k2 mock`)
/// are never proxied.
///
/// @param builder the builder (required).
/// @param proxy   `"env"`, `"none"` or a URL (required, UTF-8).
/// @param err     optional error out-parameter.
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_set_proxy(
    builder: *mut k2_config_builder,
    proxy: *const c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        update(builder, err, |b| {
            let p = arg_str(proxy, "proxy")?;
            b.with(|c| c.proxy(Proxy::from_option(Some(p))))
        })
    }
}

/// Validates the options and makes the configuration. **Consumes the
/// builder**, whether it succeeds or not: do not use or free it afterwards.
///
/// @param builder    the builder (required; freed by this call).
/// @param config_out receives the configuration on success, NULL on failure
///                   (required). Release it with `k2_config_free()`.
/// @param err        optional error out-parameter; `k2_error_field()` names the
///                   rejected option (`client_id`, `client_secret`, `base_url`,
///                   `timeout`, `connect_timeout`, `user_agent_suffix`, `proxy`).
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_build(
    builder: *mut k2_config_builder,
    config_out: *mut *mut k2_config,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: pointer contracts are documented above; `builder` is taken back
    // into a Box first, so it is freed on every path.
    unsafe {
        let owned = if builder.is_null() {
            None
        } else {
            Some(Box::from_raw(builder))
        };
        guard(err, move || {
            out_ptr(config_out, "config_out")?;
            let b = owned.ok_or_else(|| invalid("builder", "must not be NULL"))?;
            let k2_config_builder {
                inner,
                user_agent_suffix,
            } = *b;
            let inner = inner.ok_or_else(|| invalid("builder", "is unusable after an internal error"))?;
            let suffix = match user_agent_suffix {
                Some(s) => format!("{}; {s}", c_suffix()),
                None => c_suffix(),
            };
            let config = inner.user_agent_suffix(suffix).build()?;
            *config_out = Box::into_raw(Box::new(k2_config { inner: config }));
            Ok(())
        })
    }
}

/// Releases a builder that was not built. Accepts NULL (no-op). Never call
/// it after `k2_config_builder_build()`, which already released the builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_builder_free(builder: *mut k2_config_builder) {
    if builder.is_null() {
        return;
    }
    contain((), || {
        // SAFETY: `builder` came from `k2_config_builder_new` (documented contract).
        drop(unsafe { Box::from_raw(builder) });
    })
}

/// Releases a configuration. Accepts NULL (no-op). Clients created from it
/// keep working (they hold their own copy).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_config_free(config: *mut k2_config) {
    if config.is_null() {
        return;
    }
    contain((), || {
        // SAFETY: `config` came from `k2_config_builder_build` (documented contract).
        drop(unsafe { Box::from_raw(config) });
    })
}

/// A Kopo Kopo API client (opaque).
///
/// Created by `k2_client_new()`, released by `k2_client_free()`. It pools
/// connections and caches the access token (fetched and refreshed on
/// demand). **Thread safety:** a `k2_client` may be shared between threads
/// and used by several of them at once; concurrent calls share one token
/// refresh. It must not be freed while another thread is using it.
#[allow(non_camel_case_types)]
pub struct k2_client {
    inner: Client,
}

/// Creates a client from a configuration (see `k2_config_builder_new()`).
/// No request is sent until the first call.
///
/// @param config     the configuration (required; only read during the call,
///                   so it may be freed right after, or used for more clients).
/// @param client_out receives the new client on success, NULL on failure
///                   (required). Release it with `k2_client_free()`.
/// @param err        optional error out-parameter (see `k2_error`).
/// @return `K2_STATUS_OK`, or `K2_STATUS_INVALID_ARGUMENT` (NULL argument).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_client_new(
    config: *const k2_config,
    client_out: *mut *mut k2_client,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(err, || {
            out_ptr(client_out, "client_out")?;
            if config.is_null() {
                return Err(invalid("config", "must not be NULL"));
            }
            let config = (*config).inner.clone();
            *client_out = Box::into_raw(Box::new(k2_client {
                inner: Client::new(config),
            }));
            Ok(())
        })
    }
}

/// **Deprecated** (removed in the next release): the configuration struct of
/// `k2_client_new_from_struct()`, formerly named `k2_config`. Use
/// `k2_config_builder_new()`, which can gain options without breaking the ABI.
///
/// Zero-initialise it (`k2_config_struct cfg = {0};`); NULL and 0 select the
/// defaults. The strings are borrowed only during the call.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct k2_config_struct {
    /// OAuth client id (required).
    pub client_id: *const c_char,
    /// OAuth client secret (required). Never appears in any error message.
    pub client_secret: *const c_char,
    /// API key used to verify webhook and result signatures; NULL or "" for none.
    pub api_key: *const c_char,
    /// API base URL; NULL for the sandbox.
    pub base_url: *const c_char,
    /// Whole-request timeout in milliseconds; 0 for the default (30 000), at most 3 600 000.
    pub timeout_ms: u64,
    /// HTTP proxy: NULL or `"env"`, `"none"`, or a URL (as `k2_config_builder_set_proxy()`).
    pub proxy: *const c_char,
}

/// # Safety
/// The pointers in `c` are NULL or valid NUL-terminated strings.
unsafe fn build_struct_config(c: &k2_config_struct) -> Result<Config, Error> {
    // SAFETY (all five): pointers come from the caller's struct (documented contract).
    let client_id = unsafe { arg_str(c.client_id, "client_id") }?;
    let client_secret = unsafe { arg_str(c.client_secret, "client_secret") }?;
    let api_key = unsafe { arg_opt_str(c.api_key, "api_key") }?;
    let base_url = unsafe { arg_opt_str(c.base_url, "base_url") }?;
    let proxy = unsafe { arg_opt_str(c.proxy, "proxy") }?;
    let mut b = Config::builder(client_id, client_secret).user_agent_suffix(c_suffix());
    if let Some(k) = api_key {
        b = b.api_key(k);
    }
    if let Some(u) = base_url {
        b = b.base_url(u);
    }
    if c.timeout_ms != 0 {
        b = b.timeout(Duration::from_millis(c.timeout_ms));
    }
    b.proxy(Proxy::from_option(proxy)).build()
}

/// **Deprecated** (removed in the next release): creates a client from a
/// `k2_config_struct` (the former `k2_client_new(const k2_config *)`). Use
/// `k2_config_builder_new()` ... `k2_config_builder_build()` and `k2_client_new()`.
///
/// @param config     the configuration (required; only read during the call).
/// @param client_out receives the new client on success, NULL on failure (required).
/// @param err        optional error out-parameter.
/// @return `K2_STATUS_OK`, or `K2_STATUS_INVALID_ARGUMENT` (see `k2_error_field()`).
#[deprecated(note = "use k2_config_builder_new(), k2_config_builder_build() and k2_client_new()")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_client_new_from_struct(
    config: *const k2_config_struct,
    client_out: *mut *mut k2_client,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(err, || {
            out_ptr(client_out, "client_out")?;
            if config.is_null() {
                return Err(invalid("config", "must not be NULL"));
            }
            let config = build_struct_config(&*config)?;
            *client_out = Box::into_raw(Box::new(k2_client {
                inner: Client::new(config),
            }));
            Ok(())
        })
    }
}

/// Releases a client. Accepts NULL (no-op).
///
/// No other thread may be using the client. Results and errors it returned
/// stay valid (they are owned by the caller).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_client_free(client: *mut k2_client) {
    if client.is_null() {
        return;
    }
    contain((), || {
        // SAFETY: `client` came from `k2_client_new` (documented contract).
        drop(unsafe { Box::from_raw(client) });
    })
}

/// How every JSON text this library returns writes amounts: as JSON strings
/// of the exact decimal digits (`"amount":"150.55"`), so that no C JSON
/// parser reads money as a `double`.
pub(crate) const STRINGS: dynamic::AmountStyle = dynamic::AmountStyle::String;

/// Where the input of a per-operation function comes from.
pub(crate) enum Input {
    /// A JSON object given by the caller (`params_json`).
    Body(*const c_char),
    /// The `token` parameter.
    Token(*const c_char),
    /// The `id` parameter (an id or a `Location` URL).
    Id(*const c_char),
    /// No input.
    None,
}

/// The body of every per-operation function: the same core path, and so the
/// same exact JSON text, as `k2_client_call()`.
pub(crate) unsafe fn run(
    client: *const k2_client,
    operation: &'static str,
    input: Input,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    fn one(key: &str, value: &str) -> Value {
        let mut m = Map::new();
        m.insert(key.to_string(), Value::String(value.to_string()));
        Value::Object(m)
    }
    // SAFETY: pointer contracts are documented on each export.
    unsafe {
        guard(err, || {
            out_ptr(result_json, "result_json")?;
            if client.is_null() {
                return Err(invalid("client", "must not be NULL"));
            }
            let client = &(*client).inner;
            let out = match input {
                Input::Body(p) => dynamic::execute_json_with(client, operation, arg_str(p, "params_json")?, STRINGS)?,
                Input::Token(p) => {
                    dynamic::execute_text_with(client, operation, &one("token", arg_str(p, "token")?), STRINGS)?
                }
                Input::Id(p) => dynamic::execute_text_with(client, operation, &one("id", arg_str(p, "id")?), STRINGS)?,
                Input::None => dynamic::execute_text_with(client, operation, &Value::Object(Map::new()), STRINGS)?,
            };
            give_string(result_json, out);
            Ok(())
        })
    }
}

/// Runs any operation by name, with its parameters as a JSON object.
///
/// The operation names are those of `k2_operation_name()`, `group.method`
/// (e.g. `"incoming_payments.create"`, `"incoming_payments.status"`); the
/// names of earlier releases (`"create_incoming_payment"`,
/// `"get_incoming_payment"`, ...) are still accepted (deprecated). The
/// parameters use the field names of the API documentation (e.g.
/// `{"till_number": "K000000", "phone_number": "0712345678", "amount": "150.00",
/// "callback_url": "https://..."}`; status operations take
/// `{"id": "<id or Location URL>"}`, token operations `{"token": "..."}`).
/// Parameters are validated before anything is sent. The access token is
/// fetched and cached as needed; GET and token requests are retried on
/// 429/5xx/connection errors, payments are never sent twice.
///
/// The result is exactly the text the per-operation function (e.g.
/// `k2_incoming_payments_create()`) gives. **Amounts** in it are JSON
/// strings holding the exact decimal digits of the amount (e.g.
/// `"amount":"12345678901234567.89"`), never numbers: no JSON parser turns
/// them into a `double`. Read a field with `k2_json_get()` (see the header's
/// preamble).
///
/// Blocks until the call completes (at most the configured timeout).
///
/// @param client      the client (required). May be shared between threads.
/// @param operation   the operation name (required, UTF-8).
/// @param params_json a JSON object as UTF-8 text (required; `"{}"` or `""` for none).
/// @param result_json receives the result as JSON text on success, NULL on
///                    failure (required). Release it with `k2_string_free()`.
///                    Operations with no result (`tokens.revoke`) give `"null"`.
/// @param err         optional error out-parameter (see `k2_error`).
/// @return `K2_STATUS_OK` or the failure's status.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_client_call(
    client: *const k2_client,
    operation: *const c_char,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(err, || {
            out_ptr(result_json, "result_json")?;
            if client.is_null() {
                return Err(invalid("client", "must not be NULL"));
            }
            let operation = arg_str(operation, "operation")?;
            let params = arg_str(params_json, "params_json")?;
            let out = dynamic::execute_json_with(&(*client).inner, operation, params, STRINGS)?;
            give_string(result_json, out);
            Ok(())
        })
    }
}

/// Parses an HTTP response to an operation without any I/O (sans-IO), into
/// the operation's result as JSON, or into the error the client would return.
///
/// For applications that send requests with their own HTTP stack, and for
/// the shared test vectors. The parsing, error mapping and JSON text
/// (amounts included: strings of the exact decimal digits) are exactly
/// those of `k2_client_call()` and the per-operation functions.
///
/// @param operation    the operation name (required, UTF-8; as `k2_client_call()`).
/// @param params_json  the operation's parameters as a JSON object (required;
///                     `""` or `"{}"` for none).
/// @param http_status  the response status code.
/// @param headers_json the response headers as a JSON object of strings,
///                     e.g. `{"Location": "https://..."}` (required; `""` or `"{}"` for none).
/// @param body         the response body (may be NULL only when `body_len` is 0).
/// @param body_len     its length in bytes.
/// @param result_json  receives the result as JSON on success (required; release
///                     with `k2_string_free()`).
/// @param err          optional error out-parameter.
/// @return `K2_STATUS_OK` or the status of the error the response maps to. Thread-safe.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn k2_parse_response(
    operation: *const c_char,
    params_json: *const c_char,
    http_status: u16,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    fn object(text: &str, name: &str) -> Result<Map<String, Value>, Error> {
        if text.trim().is_empty() {
            return Ok(Map::new());
        }
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(invalid(name, "must be a JSON object")),
            Err(_) => Err(invalid(name, "is not JSON")),
        }
    }
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(err, || {
            out_ptr(result_json, "result_json")?;
            let operation = arg_str(operation, "operation")?;
            let params = object(arg_str(params_json, "params_json")?, "params_json")?;
            let headers = object(arg_str(headers_json, "headers_json")?, "headers_json")?;
            let body = arg_bytes(body, body_len, "body")?;
            let mut response = kopokopo::HttpResponse::new(http_status, body.to_vec());
            for (name, value) in &headers {
                let value = value
                    .as_str()
                    .ok_or_else(|| invalid("headers_json", "values must be strings"))?;
                response = response.with_header(name, value);
            }
            let out = dynamic::parse_response_text_with(operation, &Value::Object(params), &response, STRINGS)?;
            give_string(result_json, out);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    #[test]
    fn builder_sets_every_option() {
        unsafe {
            let mut b: *mut k2_config_builder = ptr::null_mut();
            let mut err: *mut k2_error = ptr::null_mut();
            assert_eq!(
                k2_config_builder_new(c"id".as_ptr(), c"secret".as_ptr(), &mut b, &mut err),
                k2_status::K2_STATUS_OK
            );
            assert_eq!(
                k2_config_builder_set_base_url(b, c"https://api.kopokopo.com/".as_ptr(), &mut err),
                k2_status::K2_STATUS_OK
            );
            assert_eq!(
                k2_config_builder_set_api_key(b, c"key".as_ptr(), &mut err),
                k2_status::K2_STATUS_OK
            );
            assert_eq!(
                k2_config_builder_set_timeout_ms(b, 20_000, &mut err),
                k2_status::K2_STATUS_OK
            );
            assert_eq!(
                k2_config_builder_set_connect_timeout_ms(b, 5_000, &mut err),
                k2_status::K2_STATUS_OK
            );
            assert_eq!(
                k2_config_builder_set_max_retries(b, 4, &mut err),
                k2_status::K2_STATUS_OK
            );
            assert_eq!(
                k2_config_builder_set_user_agent_suffix(b, c"myapp/1.2".as_ptr(), &mut err),
                k2_status::K2_STATUS_OK
            );
            assert_eq!(
                k2_config_builder_set_proxy(b, c"none".as_ptr(), &mut err),
                k2_status::K2_STATUS_OK
            );
            let mut cfg: *mut k2_config = ptr::null_mut();
            assert_eq!(k2_config_builder_build(b, &mut cfg, &mut err), k2_status::K2_STATUS_OK);
            let c = &(*cfg).inner;
            assert_eq!(c.base_url(), "https://api.kopokopo.com");
            assert!(c.api_key().is_some());
            assert_eq!(c.timeout(), Duration::from_millis(20_000));
            assert_eq!(c.connect_timeout(), Duration::from_millis(5_000));
            assert_eq!(c.max_retries(), 4);
            assert_eq!(c.proxy(), &Proxy::Disabled);
            let ua = format!(
                "kopokopo/{} (c/{}; myapp/1.2)",
                kopokopo::VERSION,
                env!("CARGO_PKG_VERSION")
            );
            assert_eq!(c.user_agent(), ua);
            k2_config_free(cfg);
        }
    }

    #[test]
    fn defaults_are_the_cores() {
        unsafe {
            let mut b: *mut k2_config_builder = ptr::null_mut();
            assert_eq!(
                k2_config_builder_new(c"id".as_ptr(), c"secret".as_ptr(), &mut b, ptr::null_mut()),
                k2_status::K2_STATUS_OK
            );
            let mut cfg: *mut k2_config = ptr::null_mut();
            assert_eq!(
                k2_config_builder_build(b, &mut cfg, ptr::null_mut()),
                k2_status::K2_STATUS_OK
            );
            let core = Config::builder("id", "secret").build().unwrap();
            let c = &(*cfg).inner;
            assert_eq!(c.base_url(), core.base_url());
            assert_eq!(c.timeout(), core.timeout());
            assert_eq!(c.connect_timeout(), core.connect_timeout());
            assert_eq!(c.max_retries(), core.max_retries());
            assert_eq!(c.proxy(), core.proxy());
            k2_config_free(cfg);
        }
    }
}
