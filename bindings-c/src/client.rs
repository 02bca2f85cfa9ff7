//! The client handle and every API operation.

use std::ffi::c_char;
use std::time::Duration;

use kopokopo::{Client, Config, Error, Proxy, dynamic};
use serde_json::{Map, Value};

use crate::ffi::{arg_opt_str, arg_str, contain, give_string, guard, invalid, k2_error, k2_status, out_ptr};

/// Configuration of a client, read by `k2_client_new()`.
///
/// The strings are borrowed only during the call; the client keeps copies.
/// Zero-initialise it (`k2_config cfg = {0};`) and set the fields you need:
/// NULL and 0 select the defaults. New fields are only ever appended.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct k2_config {
    /// OAuth client id (required).
    pub client_id: *const c_char,
    /// OAuth client secret (required). Never appears in any error message.
    pub client_secret: *const c_char,
    /// API key used to verify webhook and result signatures; NULL or "" for none.
    pub api_key: *const c_char,
    /// API base URL; NULL for the sandbox (`https://sandbox.kopokopo.com`).
    /// Must be `https://`, or `http://` on a loopback host (tests, `k2 mock`).
    pub base_url: *const c_char,
    /// Whole-request timeout in milliseconds; 0 for the default (30 000).
    /// At most 3 600 000 (one hour); more is `K2_STATUS_INVALID_ARGUMENT`
    /// (field `timeout`).
    pub timeout_ms: u64,
    /// HTTP proxy. NULL or `"env"`: from the environment (`HTTPS_PROXY` /
    /// `https_proxy`, else `ALL_PROXY` / `all_proxy`, minus the hosts in
    /// `NO_PROXY`; `HTTP_PROXY` is never read). `"none"`: connect directly.
    /// Anything else: the URL of the proxy (`http://` or `https://`,
    /// credentials in the URL allowed and never printed); an invalid URL is
    /// `K2_STATUS_INVALID_ARGUMENT` (field `proxy`). Loopback hosts
    /// (`k2 mock`) are never proxied.
    pub proxy: *const c_char,
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

/// # Safety
/// The pointers in `c` are NULL or valid NUL-terminated strings.
unsafe fn build_config(c: &k2_config) -> Result<Config, Error> {
    // SAFETY (all five): pointers come from the caller's k2_config (documented contract).
    let client_id = unsafe { arg_str(c.client_id, "client_id") }?;
    let client_secret = unsafe { arg_str(c.client_secret, "client_secret") }?;
    let api_key = unsafe { arg_opt_str(c.api_key, "api_key") }?;
    let base_url = unsafe { arg_opt_str(c.base_url, "base_url") }?;
    let proxy = unsafe { arg_opt_str(c.proxy, "proxy") }?;
    let mut b = Config::builder(client_id, client_secret).user_agent_suffix(format!("c/{}", env!("CARGO_PKG_VERSION")));
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

/// Creates a client.
///
/// The configuration is validated (credentials present, base URL secure,
/// timeout positive and at most one hour, proxy URL well-formed); no
/// request is sent until the first call.
///
/// @param config    the configuration (required; only read during the call).
/// @param client_out receives the new client on success, NULL on failure
///                  (required). Release it with `k2_client_free()`.
/// @param err       optional; on failure receives an error to release with
///                  `k2_error_free()`. May be NULL.
/// @return `K2_STATUS_OK`, or `K2_STATUS_INVALID_ARGUMENT` (see `k2_error_field()`).
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
            let config = build_config(&*config)?;
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

/// Where the parameters of an operation come from.
enum Params {
    /// A JSON object given by the caller.
    Json(*const c_char),
    /// A single string parameter: (JSON key, C pointer, C parameter name).
    One(&'static str, *const c_char, &'static str),
    /// No parameters.
    None,
}

unsafe fn run(
    client: *const k2_client,
    operation: &'static str,
    params: Params,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: pointer contracts are documented on each export.
    unsafe {
        guard(err, || {
            out_ptr(result_json, "result_json")?;
            if client.is_null() {
                return Err(invalid("client", "must not be NULL"));
            }
            let client = &(*client).inner;
            let out = match params {
                Params::Json(p) => dynamic::execute_json(client, operation, arg_str(p, "params_json")?)?,
                Params::One(key, p, name) => {
                    let mut m = Map::new();
                    m.insert(key.to_string(), Value::String(arg_str(p, name)?.to_string()));
                    dynamic::execute(client, operation, &Value::Object(m))?.to_string()
                }
                Params::None => dynamic::execute(client, operation, &Value::Object(Map::new()))?.to_string(),
            };
            give_string(result_json, out);
            Ok(())
        })
    }
}

/// Runs any operation by name, with its parameters as a JSON object.
///
/// The operation names are those of `k2_operation_name()` (e.g.
/// `"create_incoming_payment"`, `"get_incoming_payment"`); the parameters use
/// the field names of the API documentation (e.g. `{"till_number": "K000000",
/// "phone_number": "0712345678", "amount": "150.00", "callback_url": "https://..."}`;
/// status operations take `{"id": "<id or Location URL>"}`). Parameters are
/// validated before anything is sent. The access token is fetched and cached
/// as needed; GET and token requests are retried on 429/5xx/connection
/// errors, payments are never sent twice.
///
/// Blocks until the call completes (at most the configured timeout per attempt).
///
/// @param client      the client (required). May be shared between threads.
/// @param operation   the operation name (required, UTF-8).
/// @param params_json a JSON object as UTF-8 text (required; `"{}"` or `""` for none).
/// @param result_json receives the result as JSON text on success, NULL on
///                    failure (required). Release it with `k2_string_free()`.
///                    Operations with no result (revoke) give `"null"`.
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
            let out = dynamic::execute_json(&(*client).inner, operation, params)?;
            give_string(result_json, out);
            Ok(())
        })
    }
}

/// Requests a new access token (`POST /oauth/token`, operation `request_access_token`).
///
/// @param client      the client (required; thread-safe).
/// @param result_json receives `{"access_token": ..., "token_type": ..., "expires_in": ..., "created_at": ...}`
///                    (required; release with `k2_string_free()`). It contains a secret: do not log it.
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_request_access_token(
    client: *const k2_client,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { run(client, "request_access_token", Params::None, result_json, err) }
}

/// Revokes an access token (`POST /oauth/revoke`, operation `revoke_access_token`).
///
/// @param client      the client (required; thread-safe).
/// @param token       the access token to revoke (required, UTF-8).
/// @param result_json receives `"null"` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_revoke_access_token(
    client: *const k2_client,
    token: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "revoke_access_token",
            Params::One("token", token, "token"),
            result_json,
            err,
        )
    }
}

/// Introspects an access token (`POST /oauth/introspect`, operation `introspect_access_token`).
///
/// @param client      the client (required; thread-safe).
/// @param token       the access token (required, UTF-8).
/// @param result_json receives `{"active": true, ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_introspect_access_token(
    client: *const k2_client,
    token: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "introspect_access_token",
            Params::One("token", token, "token"),
            result_json,
            err,
        )
    }
}

/// Information about the client's current token (`GET /oauth/token/info`, operation `token_info`).
///
/// @param client      the client (required; thread-safe).
/// @param result_json receives the token information (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_token_info(
    client: *const k2_client,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { run(client, "token_info", Params::None, result_json, err) }
}

/// Subscribes to a webhook topic (`POST /api/v2/webhook_subscriptions`,
/// operation `create_webhook_subscription`).
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"event_type": "buygoods_transaction_received", "url": "https://...", "scope": "till",
///                    "scope_reference": "000000"}` (required); `event_type` is one of the
///                    topics listed at `k2_parse_webhook()`.
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_webhook_subscription(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "create_webhook_subscription",
            Params::Json(params_json),
            result_json,
            err,
        )
    }
}

/// Starts an M-PESA STK push (`POST /api/v2/incoming_payments`, operation `create_incoming_payment`).
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"till_number": "K000000", "phone_number": "0712345678", "amount": "150.00",
///                    "callback_url": "https://...", "first_name": ..., "metadata": {...}}` (required);
///                    `payment_channel` defaults to `K2_PAYMENT_CHANNEL_STK_PUSH` (`K2_PAYMENT_CHANNEL_MPESA`
///                    is the other documented value).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_incoming_payment(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "create_incoming_payment",
            Params::Json(params_json),
            result_json,
            err,
        )
    }
}

/// Queries an incoming payment (operation `get_incoming_payment`).
///
/// @param client      the client (required; thread-safe).
/// @param id          the payment's id or `Location` URL (required, UTF-8).
/// @param result_json receives the payment (`status` is `Pending`, `Success` or `Failed`)
///                    (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_get_incoming_payment(
    client: *const k2_client,
    id: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "get_incoming_payment",
            Params::One("id", id, "id"),
            result_json,
            err,
        )
    }
}

/// Adds one of your mobile wallets (`POST /api/v2/merchant_wallets`, operation `create_merchant_wallet`).
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"first_name": ..., "last_name": ..., "phone_number": ..., "network": "Safaricom"}`
///                    (required; `K2_NETWORK_SAFARICOM` is the documented network).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_merchant_wallet(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "create_merchant_wallet",
            Params::Json(params_json),
            result_json,
            err,
        )
    }
}

/// Adds one of your bank accounts (`POST /api/v2/merchant_bank_accounts`,
/// operation `create_merchant_bank_account`).
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"account_name": ..., "bank_branch_ref": ..., "account_number": ...,
///                    "settlement_method": "EFT"}` (required).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_merchant_bank_account(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "create_merchant_bank_account",
            Params::Json(params_json),
            result_json,
            err,
        )
    }
}

/// Adds a third-party recipient (`POST /api/v2/external_recipients`,
/// operation `create_external_recipient`).
///
/// @param client      the client (required; thread-safe).
/// @param params_json flat, with a `type`: `{"type": "mobile_wallet", "first_name": ..., "last_name": ...,
///                    "phone_number": ..., "network": "Safaricom"}`; also `bank_account`, `till`, `paybill` (required).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_external_recipient(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "create_external_recipient",
            Params::Json(params_json),
            result_json,
            err,
        )
    }
}

/// Sends money (`POST /api/v2/send_money`, operation `send_money`). Never retried by the library.
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"destinations": [{"type": "mobile_wallet", "phone_number": ..., "network": "Safaricom",
///                    "amount": "1000", "description": ...}], "callback_url": "https://..."}` (required).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_send_money(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { run(client, "send_money", Params::Json(params_json), result_json, err) }
}

/// Queries a send-money request (operation `get_send_money`).
///
/// @param client      the client (required; thread-safe).
/// @param id          its id or `Location` URL (required, UTF-8).
/// @param result_json receives the send-money request (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_get_send_money(
    client: *const k2_client,
    id: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { run(client, "get_send_money", Params::One("id", id, "id"), result_json, err) }
}

/// Starts polling of buygoods transactions (`POST /api/v2/polling`, operation `create_polling`).
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"scope": "company", "from_time": ..., "to_time": ..., "callback_url": "https://..."}` (required).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_polling(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { run(client, "create_polling", Params::Json(params_json), result_json, err) }
}

/// Queries a polling request (operation `get_polling`).
///
/// @param client      the client (required; thread-safe).
/// @param id          its id or `Location` URL (required, UTF-8).
/// @param result_json receives the polling request (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_get_polling(
    client: *const k2_client,
    id: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { run(client, "get_polling", Params::One("id", id, "id"), result_json, err) }
}

/// Sends an SMS notification for a received payment (`POST /api/v1/transaction_sms_notifications`,
/// operation `create_transaction_sms_notification`; deprecated by Kopo Kopo).
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"webhook_event_reference": ..., "message": ..., "callback_url": "https://..."}` (required).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_transaction_sms_notification(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "create_transaction_sms_notification",
            Params::Json(params_json),
            result_json,
            err,
        )
    }
}

/// Queries an SMS notification (operation `get_transaction_sms_notification`).
///
/// @param client      the client (required; thread-safe).
/// @param id          its id or `Location` URL (required, UTF-8).
/// @param result_json receives the notification (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_get_transaction_sms_notification(
    client: *const k2_client,
    id: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "get_transaction_sms_notification",
            Params::One("id", id, "id"),
            result_json,
            err,
        )
    }
}

/// Reverses an incoming transaction (`POST /api/v2/reversals`, operation `create_reversal`).
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"transaction_reference": ..., "reason": ..., "callback_url": "https://..."}` (required).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_reversal(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { run(client, "create_reversal", Params::Json(params_json), result_json, err) }
}

/// Queries a reversal (operation `get_reversal`).
///
/// @param client      the client (required; thread-safe).
/// @param id          its id or `Location` URL (required, UTF-8).
/// @param result_json receives the reversal (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_get_reversal(
    client: *const k2_client,
    id: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe { run(client, "get_reversal", Params::One("id", id, "id"), result_json, err) }
}

/// Creates a payment link (`POST /api/v2/payment_links`, operation `create_payment_link`).
///
/// @param client      the client (required; thread-safe).
/// @param params_json `{"till_number": ..., "amount": "350", "callback_url": "https://...",
///                    "payment_reference": ..., "note": ...}` (required).
/// @param result_json receives `{"location": ..., "id": ...}` (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_create_payment_link(
    client: *const k2_client,
    params_json: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "create_payment_link",
            Params::Json(params_json),
            result_json,
            err,
        )
    }
}

/// Queries a payment link (operation `get_payment_link`).
///
/// @param client      the client (required; thread-safe).
/// @param id          its id or `Location` URL (required, UTF-8).
/// @param result_json receives the payment link (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_get_payment_link(
    client: *const k2_client,
    id: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "get_payment_link",
            Params::One("id", id, "id"),
            result_json,
            err,
        )
    }
}

/// Cancels an active payment link (operation `cancel_payment_link`).
///
/// @param client      the client (required; thread-safe).
/// @param id          its id or `Location` URL (required, UTF-8).
/// @param result_json receives the cancelled link (required; release with `k2_string_free()`).
/// @param err         optional error out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_cancel_payment_link(
    client: *const k2_client,
    id: *const c_char,
    result_json: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        run(
            client,
            "cancel_payment_link",
            Params::One("id", id, "id"),
            result_json,
            err,
        )
    }
}

/// Parses an HTTP response to an operation without any I/O (sans-IO), into
/// the operation's result as JSON, or into the error the client would return.
///
/// For applications that send requests with their own HTTP stack, and for
/// the shared test vectors. The parsing and error mapping are exactly those
/// of `k2_client_call()`.
///
/// @param operation    the operation name (required, UTF-8).
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
            let body = crate::ffi::arg_bytes(body, body_len, "body")?;
            let mut response = kopokopo::HttpResponse::new(http_status, body.to_vec());
            for (name, value) in &headers {
                let value = value
                    .as_str()
                    .ok_or_else(|| invalid("headers_json", "values must be strings"))?;
                response = response.with_header(name, value);
            }
            let out = dynamic::parse_response(operation, &Value::Object(params), &response)?;
            give_string(result_json, out.to_string());
            Ok(())
        })
    }
}
