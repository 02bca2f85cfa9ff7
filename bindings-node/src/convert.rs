//! Type conversion between the JavaScript API and the core's JSON surface.
//!
//! * Keys: the JS API is camelCase, the core's parameters and results are
//!   snake_case. Keys are converted on the way in (camel → snake) and on the
//!   way out (snake → camel). User data is never touched: the contents of
//!   `metadata`, of raw payloads (`raw`) and of resources of unknown webhook
//!   topics (`{"kind": "unknown", "value": ...}`) keep their keys as sent.
//! * Money: JS numbers are IEEE doubles, so amounts are exchanged as decimal
//!   strings. On the way in a JS number is accepted for an amount only when it
//!   is an integer (a fractional double is not an exact amount); on the way
//!   out every amount becomes a string holding the core's exact decimal text,
//!   including the `value` of an amount object (`"amount": {"currency",
//!   "value"}`, the legacy settlement document's total).

use std::collections::BTreeMap;

use kopokopo::Error;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Keys whose values are user data and pass through unchanged.
const OPAQUE_KEYS: &[&str] = &["metadata", "raw"];
/// Keys that hold money amounts (snake_case, as the core names them).
const AMOUNT_KEYS: &[&str] = &["amount", "trans_amount"];

/// `phoneNumber` → `phone_number`. Snake-case input is returned unchanged.
pub fn camel_to_snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for (i, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `phone_number` → `phoneNumber`; leading underscores (`_links`) are kept.
pub fn snake_to_camel(key: &str) -> String {
    let lead = key.len() - key.trim_start_matches('_').len();
    let mut out = String::with_capacity(key.len());
    out.push_str(&key[..lead]);
    let mut upper = false;
    for c in key[lead..].chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    if upper {
        out.push('_');
    }
    out
}

/// Converts JS-side parameters to the core's: camelCase keys to snake_case,
/// and refuses fractional JS numbers where an amount is expected.
pub fn params_in(value: Value) -> Result<Value, Error> {
    convert_in(value, "")
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn convert_in(value: Value, path: &str) -> Result<Value, Error> {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = camel_to_snake(&k);
                let field = join(path, &key);
                let v = if OPAQUE_KEYS.contains(&key.as_str()) {
                    v
                } else if AMOUNT_KEYS.contains(&key.as_str()) {
                    amount_in(v, &field)?
                } else {
                    convert_in(v, &field)?
                };
                out.insert(key, v);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| convert_in(v, &format!("{path}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other),
    }
}

fn amount_in(v: Value, field: &str) -> Result<Value, Error> {
    match &v {
        // JSON.stringify writes every safe integer without a fraction (serde
        // reads it as an integer), so a double here has a fraction or is
        // beyond 2^53: neither is an exact amount.
        Value::Number(n) if n.is_f64() => Err(Error::invalid_argument(
            field,
            "a JavaScript number with a fraction is not an exact amount; pass a decimal string such as \"10.50\"",
        )),
        _ => Ok(v),
    }
}

/// Converts a core result, as the exact JSON text the core serialises, to
/// the JS shape: snake_case keys to camelCase, amounts to decimal strings.
///
/// Works on the text (each value is read as a `RawValue`), so an amount's
/// digits are copied verbatim into the string: no float ever holds money.
pub fn result_out(text: &str) -> Result<String, Error> {
    let raw: &RawValue = serde_json::from_str(text).map_err(decode_error)?;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    write_out(raw, Mode::Convert, &mut out)?;
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Convert keys, recursively.
    Convert,
    /// A webhook `resource`: like `Convert`, but the `value` of an
    /// `{"kind": "unknown"}` resource is the raw resource and kept as is.
    Resource,
    /// An amount: a number becomes a string of the same digits.
    Amount,
    /// User data or raw payloads: copied unchanged.
    Verbatim,
}

pub(crate) fn decode_error(e: serde_json::Error) -> Error {
    Error::Decode { message: e.to_string() }
}

fn write_out(raw: &RawValue, mode: Mode, out: &mut String) -> Result<(), Error> {
    let text = raw.get().trim();
    if mode == Mode::Verbatim {
        out.push_str(text);
        return Ok(());
    }
    match text.as_bytes().first() {
        Some(b'{') => {
            let map: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(decode_error)?;
            let unknown = mode == Mode::Resource && map.get("kind").is_some_and(|v| v.get().trim() == "\"unknown\"");
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(&snake_to_camel(k)).map_err(decode_error)?);
                out.push(':');
                let child = if OPAQUE_KEYS.contains(&k.as_str()) || (unknown && k == "value") {
                    Mode::Verbatim
                } else if AMOUNT_KEYS.contains(&k.as_str()) || k == "TransAmount" {
                    Mode::Amount
                } else if mode == Mode::Amount && k == "value" {
                    // `{"currency", "value"}` under an amount key: the value is the money.
                    Mode::Amount
                } else if k == "resource" {
                    Mode::Resource
                } else {
                    Mode::Convert
                };
                write_out(v, child, out)?;
            }
            out.push('}');
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(decode_error)?;
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_out(v, Mode::Convert, out)?;
            }
            out.push(']');
        }
        Some(b'-' | b'0'..=b'9') if mode == Mode::Amount => {
            // A JSON number's text has no characters that need escaping.
            out.push('"');
            out.push_str(text);
            out.push('"');
        }
        _ => out.push_str(text),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys() {
        assert_eq!(camel_to_snake("phoneNumber"), "phone_number");
        assert_eq!(camel_to_snake("phone_number"), "phone_number");
        assert_eq!(camel_to_snake("enableDarajaPayload"), "enable_daraja_payload");
        assert_eq!(snake_to_camel("phone_number"), "phoneNumber");
        assert_eq!(snake_to_camel("_links"), "_links");
        assert_eq!(snake_to_camel("TransactionType"), "TransactionType");
        assert_eq!(snake_to_camel("self"), "self");
    }

    #[test]
    fn params_keep_metadata_and_check_amounts() {
        let v = params_in(json!({
            "tillNumber": "K1", "amount": "10.50",
            "metadata": {"customerId": 1, "amount": 1.5},
            "destinations": [{"type": "mobile_wallet", "phoneNumber": "0712", "amount": 100}]
        }))
        .unwrap();
        assert_eq!(v["till_number"], "K1");
        assert_eq!(v["metadata"]["customerId"], 1);
        assert_eq!(v["destinations"][0]["phone_number"], "0712");
        assert_eq!(v["destinations"][0]["type"], "mobile_wallet");
        let e = params_in(json!({"destinations": [{"amount": 10.5}]})).unwrap_err();
        assert_eq!(e.field(), Some("destinations[0].amount"));
        assert_eq!(e.code(), "invalid_argument");
    }

    #[test]
    fn results_stringify_amounts_exactly() {
        let out = result_out(
            r#"{"data": {"amount": 12345678901234567.89, "created_at": "t", "_links": {"callback_url": "u"}},
               "metadata": {"some_key": 1, "amount": 2.5},
               "resource": {"kind": "unknown", "value": {"raw_key": 2}},
               "TransAmount": 5, "list": [{"trans_amount": 1.10}], "n": 1.5}"#,
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["data"]["amount"], "12345678901234567.89");
        assert_eq!(v["data"]["createdAt"], "t");
        assert_eq!(v["data"]["_links"]["callbackUrl"], "u");
        assert_eq!(v["metadata"]["some_key"], 1);
        assert_eq!(v["metadata"]["amount"], 2.5);
        assert_eq!(v["resource"]["value"]["raw_key"], 2);
        assert_eq!(v["TransAmount"], "5");
        assert_eq!(v["list"][0]["transAmount"], "1.10");
        assert_eq!(v["n"], 1.5);
        // An amount object: its value is the amount, its currency text; other `value`s are untouched.
        let out = result_out(
            r#"{"kind": "send_money", "value": {"amount": {"currency": "KES", "value": 69352.10}, "n": {"value": 2.5}},
               "empty": {"amount": {"currency": "KES", "value": null}}}"#,
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["value"]["amount"]["value"], "69352.10");
        assert_eq!(v["value"]["amount"]["currency"], "KES");
        assert_eq!(v["value"]["n"]["value"], 2.5);
        assert_eq!(v["empty"]["amount"]["value"], Value::Null);
        // An unknown result type: its value is typed (result_type), its raw is not.
        let out = result_out(r#"{"kind": "unknown", "value": {"result_type": "x", "raw": {"a_b": 1}}}"#).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["value"]["resultType"], "x");
        assert_eq!(v["value"]["raw"]["a_b"], 1);
        assert_eq!(result_out("null").unwrap(), "null");
        assert_eq!(result_out(r#""a\"b""#).unwrap(), r#""a\"b""#);
    }
}
