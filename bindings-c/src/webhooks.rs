//! Webhook and result signatures, and typed payloads as JSON.

use std::ffi::c_char;

use kopokopo::{Error, ErrorKind, webhooks};

use crate::ffi::{arg_bytes, arg_signature, arg_str, give_string, guard, invalid, k2_error, k2_status, out_ptr};

/// Computes the signature Kopo Kopo sends in `X-KopoKopo-Signature` for a
/// body: lowercase hex of HMAC-SHA256 keyed with the API key. Useful for
/// tests and simulators.
///
/// @param body     the raw body bytes (may be NULL only when `body_len` is 0).
/// @param body_len its length in bytes.
/// @param api_key  the API key (required, UTF-8).
/// @param hex_out  receives 64 lowercase hex characters (required); release
///                 with `k2_string_free()`. NULL on failure.
/// @return `K2_STATUS_OK` or `K2_STATUS_INVALID_ARGUMENT`. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_sign(
    body: *const u8,
    body_len: usize,
    api_key: *const c_char,
    hex_out: *mut *mut c_char,
) -> k2_status {
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(std::ptr::null_mut(), || {
            out_ptr(hex_out, "hex_out")?;
            let body = arg_bytes(body, body_len, "body")?;
            let key = arg_str(api_key, "api_key")?;
            give_string(hex_out, webhooks::sign(body, key));
            Ok(())
        })
    }
}

/// Verifies an `X-KopoKopo-Signature` over the **raw** body, exactly as
/// received (never re-serialised JSON). Upper- or lowercase hex and
/// surrounding whitespace are accepted; the comparison is constant-time.
///
/// @param body      the raw body bytes (may be NULL only when `body_len` is 0).
/// @param body_len  its length in bytes.
/// @param signature the header value, or NULL when the header was missing.
///                  A missing, malformed or non-UTF-8 signature is simply
///                  not valid (`*valid` is false), never an argument error.
/// @param api_key   the API key (required, non-empty, UTF-8).
/// @param valid     receives true when the signature matches, false otherwise
///                  (required; written false on any failure).
/// @return `K2_STATUS_OK` when the check was made (whatever its outcome), or
///         `K2_STATUS_INVALID_ARGUMENT` (NULL/empty/non-UTF-8 `api_key`, NULL
///         `valid`, NULL body with a length). Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_verify_signature(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    api_key: *const c_char,
    valid: *mut bool,
) -> k2_status {
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(std::ptr::null_mut(), || {
            if valid.is_null() {
                return Err(invalid("valid", "out-parameter must not be NULL"));
            }
            *valid = false;
            let body = arg_bytes(body, body_len, "body")?;
            let signature = arg_signature(signature);
            let key = arg_str(api_key, "api_key")?;
            match webhooks::verify(body, signature.as_deref(), key) {
                Ok(()) => {
                    *valid = true;
                    Ok(())
                }
                Err(e) if e.kind() == ErrorKind::SignatureInvalid => Ok(()),
                Err(e) => Err(e),
            }
        })
    }
}

/// Verifies and parses a body into JSON text.
type Parser = fn(&[u8], Option<&str>, &str) -> Result<String, Error>;

unsafe fn verified_json(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    api_key: *const c_char,
    json_out: *mut *mut c_char,
    err: *mut *mut k2_error,
    parse: Parser,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        guard(err, || {
            out_ptr(json_out, "json_out")?;
            let body = arg_bytes(body, body_len, "body")?;
            let signature = arg_signature(signature);
            let key = arg_str(api_key, "api_key")?;
            give_string(json_out, parse(body, signature.as_deref(), key)?);
            Ok(())
        })
    }
}

/// The JSON text handed to C: amounts as strings of their exact digits.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    kopokopo::dynamic::to_json_text(value, crate::client::STRINGS)
}

/// Verifies the signature over the raw body, then parses a webhook event
/// and returns it as normalised JSON.
///
/// The JSON is the serialisation of the core's `Webhook`:
/// `{"structure": "k2", "id": ..., "topic": "buygoods_transaction_received",
/// "created_at": ..., "event_type": ..., "resource": {"kind": "transaction",
/// "amount": "100", ...}, "links": {...}}` (the resource's fields next to its
/// `kind`) for the K2Connect structure, or
/// `{"structure": "daraja", "TransactionType": ..., "TransID": ..., ...}`
/// for the Daraja structure (`ThirdPartyTransId` spelled as documented;
/// Safaricom's `ThirdPartyTransID` is read too). Unknown topics give
/// `"kind": "unknown"` with the raw resource (kept as sent). Amounts are
/// JSON strings of the exact decimal digits (`"amount":"150.55"`), never
/// numbers (see the header's preamble).
///
/// Read a field with `k2_json_get()`, by the path the JSON gives it: a
/// buygoods payment's amount is `resource.amount`, its payer
/// `resource.sender_first_name` (Daraja: `TransAmount`, `FirstName`).
///
/// Typed topics, with their resource kind:
///  - `transaction`: `buygoods_transaction_received`,
///    `buygoods_transaction_reversed`, `b2b_transaction_received`,
///    `b2b_transaction_reversed`, `m2m_transaction_received` (sent by the live
///    API beyond the documentation; the paying merchant is
///    `resource.sending_merchant`), `card_transaction_received`,
///    `card_transaction_voided`, `card_transaction_reversed`;
///  - `settlement_transfer`: `settlement_transfer_completed`;
///  - `customer`: `customer_created`.
///
/// @param body      the raw body bytes (may be NULL only when `body_len` is 0).
/// @param body_len  its length in bytes.
/// @param signature the `X-KopoKopo-Signature` header, or NULL when missing.
///                  A missing, malformed or non-UTF-8 signature gives
///                  `K2_STATUS_SIGNATURE_INVALID`.
/// @param api_key   the API key (required, UTF-8).
/// @param json_out  receives the event as JSON (required; release with `k2_string_free()`).
/// @param err       optional error out-parameter.
/// @return `K2_STATUS_OK`, `K2_STATUS_SIGNATURE_INVALID`, `K2_STATUS_DECODE`
///         or `K2_STATUS_INVALID_ARGUMENT`. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_parse_webhook(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    api_key: *const c_char,
    json_out: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        verified_json(body, body_len, signature, api_key, json_out, err, |b, s, k| {
            to_json(&webhooks::parse_webhook(b, s, k)?)
        })
    }
}

/// Verifies the signature over the raw body, then parses an asynchronous
/// result (the POST to a `callback_url`) and returns it as normalised JSON.
///
/// The JSON is the serialisation of the core's `CallbackResult`:
/// `{"kind": "incoming_payment" | "send_money" | "polling" | "sms_notification"
/// | "reversal" | "payment_link", "value": {...}}`, or
/// `{"kind": "unknown", "value": {"result_type": ..., "raw": {...}}}`.
/// A version-1 result of `data.type` `payment` or `settlement_transfer` is
/// `"kind": "send_money"`, whose `value.type` says which; the legacy
/// settlement's total is `value.amount`, `{"currency": ..., "value": ...}`
/// (`value` may be null). Amounts are JSON strings of the exact decimal
/// digits (`"amount":"150.55"`), never numbers. Read a field with
/// `k2_json_get()`: an STK push's amount is `value.event.resource.amount`.
///
/// @param body      the raw body bytes (may be NULL only when `body_len` is 0).
/// @param body_len  its length in bytes.
/// @param signature the `X-KopoKopo-Signature` header, or NULL when missing.
///                  A missing, malformed or non-UTF-8 signature gives
///                  `K2_STATUS_SIGNATURE_INVALID`.
/// @param api_key   the API key (required, UTF-8).
/// @param json_out  receives the result as JSON (required; release with `k2_string_free()`).
/// @param err       optional error out-parameter.
/// @return `K2_STATUS_OK`, `K2_STATUS_SIGNATURE_INVALID`, `K2_STATUS_DECODE`
///         or `K2_STATUS_INVALID_ARGUMENT`. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_parse_result(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    api_key: *const c_char,
    json_out: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: forwarded pointer contracts.
    unsafe {
        verified_json(body, body_len, signature, api_key, json_out, err, |b, s, k| {
            to_json(&webhooks::parse_result(b, s, k)?)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::{CStr, c_char};
    use std::ptr;

    use super::{k2_parse_result, k2_parse_webhook, to_json};
    use crate::ffi::{k2_error, k2_status};

    const KEY: &CStr = c"api-key-for-tests";

    /// Signs `body` (with the core's own signer: the shared vectors check it
    /// against Python's hmac), parses it with `parse`, returns the JSON.
    fn parsed(
        body: &[u8],
        parse: unsafe extern "C" fn(
            *const u8,
            usize,
            *const c_char,
            *const c_char,
            *mut *mut c_char,
            *mut *mut k2_error,
        ) -> k2_status,
    ) -> serde_json::Value {
        let signature = crate::ffi::c_string(kopokopo::webhooks::sign(body, KEY.to_str().unwrap()));
        let mut json: *mut c_char = ptr::null_mut();
        let mut err: *mut k2_error = ptr::null_mut();
        // SAFETY: valid pointers for the call; the string is freed below.
        let status = unsafe {
            parse(
                body.as_ptr(),
                body.len(),
                signature.as_ptr(),
                KEY.as_ptr(),
                &mut json,
                &mut err,
            )
        };
        assert_eq!(status, k2_status::K2_STATUS_OK);
        assert!(err.is_null());
        // SAFETY: a NUL-terminated string written by the call.
        let text = unsafe { CStr::from_ptr(json) }.to_str().unwrap().to_string();
        // SAFETY: ours, freed once.
        unsafe { crate::k2_string_free(json) };
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn webhooks_are_json_with_amounts_as_exact_strings() {
        let body = include_bytes!("../../tests/fixtures/webhook.buygoods_transaction_received.k2.json");
        let v = parsed(body, k2_parse_webhook);
        assert_eq!(v["topic"], "buygoods_transaction_received");
        assert_eq!(v["id"], "2133dbfb-24b9-40fc-ae57-2d7559785760");
        assert_eq!(v["structure"], "k2");
        // The resource's fields sit next to its kind; "100.0" is the amount 100.
        assert_eq!(v["resource"]["kind"], "transaction");
        assert_eq!(v["resource"]["amount"], "100");
        assert_eq!(v["resource"]["sender_first_name"], "Jane");
    }

    #[test]
    fn results_are_json_with_amounts_as_exact_strings() {
        let body = include_bytes!("../../tests/fixtures/result.incoming_payment.success.json");
        let v = parsed(body, k2_parse_result);
        assert_eq!(v["kind"], "incoming_payment");
        assert!(v["value"]["event"]["resource"]["amount"].is_string(), "{v}");
    }

    #[test]
    fn to_json_writes_amounts_from_the_decimal() {
        let amount: kopokopo::Amount = "150.55".parse().unwrap();
        assert_eq!(to_json(&amount).unwrap(), "\"150.55\"");
        assert_eq!(to_json(&vec![amount]).unwrap(), "[\"150.55\"]");
    }
}
