//! Operations by name, with JSON parameters and JSON results.
//!
//! This is the surface the language bindings and the shared test vectors use:
//! an operation name from [`OPERATIONS`] (the `name`s of the API's endpoint
//! list), its parameters as a JSON object with the same field names as the
//! typed request structs, and the typed result serialised back to JSON. All
//! validation and parsing is the typed code's; nothing is duplicated here.

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::{Context, Operation};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};

/// Every operation name (`group.method`), in documentation order. The
/// names before the operation table (`create_incoming_payment`, ...) are
/// still accepted; see [`crate::operations`].
pub const OPERATIONS: &[&str] = &{
    let mut names = [""; crate::operations::OPERATIONS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = crate::operations::OPERATIONS[i].name;
        i += 1;
    }
    names
};

/// How amounts are written in the JSON text of a result.
///
/// Either way the text holds the amount's exact decimal digits, written
/// from the decimal, never via `f64`; the style only says whether they are
/// a JSON number or a JSON string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmountStyle {
    /// A JSON number written with the exact digits (`"amount":150.55`): for
    /// consumers that read numbers as decimal text (Python with
    /// `parse_float=Decimal`, the Node binding's converter).
    #[default]
    Number,
    /// A JSON string of the exact digits (`"amount":"150.55"`): for
    /// consumers whose JSON parsers turn every number into a double (the C
    /// binding). Only fields that hold money ([`crate::schema::Ty::Money`])
    /// change; raw payloads (`Ty::Json`) are kept as received.
    String,
}

/// Serialises a typed value to JSON text with its amounts written in
/// `style` (see [`AmountStyle`]): what a binding hands over for a result,
/// webhook or callback result it parsed itself.
pub fn to_json_text<T: Serialize + ?Sized>(value: &T, style: AmountStyle) -> Result<String> {
    crate::money::with_amounts_as_strings(style == AmountStyle::String, || serde_json::to_string(value))
        .map_err(|e| Error::decode(e.to_string()))
}

/// Serialises a typed result straight to JSON text, so amounts keep their
/// exact decimal digits (they are written from the decimal, never via f64).
fn to_json<T: Serialize>(value: T, style: AmountStyle) -> Result<String> {
    to_json_text(&value, style)
}

/// Something that can run an [`Operation`]: a live [`Client`], or the
/// sans-IO pair (build, parse) used by the vectors.
pub(crate) trait Runner {
    fn run<O: Operation>(&mut self, op: O) -> Result<String>
    where
        O::Output: Serialize;
}

struct Live<'a>(&'a Client, AmountStyle);

impl Runner for Live<'_> {
    fn run<O: Operation>(&mut self, op: O) -> Result<String>
    where
        O::Output: Serialize,
    {
        to_json(self.0.execute(&op)?, self.1)
    }
}

struct Build<'a, 'b> {
    ctx: &'a Context<'b>,
    token: Option<&'a str>,
    out: Option<HttpRequest>,
}

impl Runner for Build<'_, '_> {
    fn run<O: Operation>(&mut self, op: O) -> Result<String>
    where
        O::Output: Serialize,
    {
        self.out = Some(op.build(self.ctx, self.token)?);
        Ok(String::new())
    }
}

struct Parse<'a>(&'a HttpResponse, AmountStyle);

impl Runner for Parse<'_> {
    fn run<O: Operation>(&mut self, op: O) -> Result<String>
    where
        O::Output: Serialize,
    {
        to_json(op.parse(self.0)?, self.1)
    }
}

use crate::operations::dispatch;

/// Runs an operation through a client: validation, token, retries, parsing.
/// Returns the typed result as JSON text (an object per result type; `null`
/// for operations with no result, such as revoke). Amounts are written
/// exactly: parse them as decimals (e.g. Python's `parse_float=Decimal`).
/// There is deliberately no variant returning a `serde_json::Value`: its
/// numbers are `f64`, and money never passes through a float. For the same
/// reason, pass amounts in `params` as strings, or use [`execute_json`],
/// which reads them from the JSON text.
pub fn execute_text(client: &Client, operation: &str, params: &Value) -> Result<String> {
    execute_text_with(client, operation, params, AmountStyle::Number)
}

/// [`execute_text`], with the result's amounts written in `style`.
pub fn execute_text_with(client: &Client, operation: &str, params: &Value, style: AmountStyle) -> Result<String> {
    dispatch(&mut Live(client, style), operation, params, None)
}

/// Parameters given as JSON text: the parsed object, and the text itself
/// (a request body is read from the text, where amounts keep every digit).
fn params_of(params_json: &str) -> Result<(Value, Option<&str>)> {
    if params_json.trim().is_empty() {
        return Ok((Value::Object(Default::default()), None));
    }
    let params = serde_json::from_str(params_json).map_err(|e| Error::invalid("params", format!("not JSON: {e}")))?;
    Ok((params, Some(params_json)))
}

/// [`execute_text`] with the parameters as JSON text. A request body is read
/// from the text itself, so an amount written as a JSON number keeps every digit.
pub fn execute_json(client: &Client, operation: &str, params_json: &str) -> Result<String> {
    execute_json_with(client, operation, params_json, AmountStyle::Number)
}

/// [`execute_json`], with the result's amounts written in `style`.
pub fn execute_json_with(client: &Client, operation: &str, params_json: &str, style: AmountStyle) -> Result<String> {
    let (params, raw) = params_of(params_json)?;
    dispatch(&mut Live(client, style), operation, &params, raw)
}

/// Validates the parameters and builds the request, without sending it.
pub fn build_request(ctx: &Context<'_>, operation: &str, params: &Value, token: Option<&str>) -> Result<HttpRequest> {
    build(ctx, operation, params, None, token)
}

fn build(
    ctx: &Context<'_>,
    operation: &str,
    params: &Value,
    raw: Option<&str>,
    token: Option<&str>,
) -> Result<HttpRequest> {
    let mut b = Build { ctx, token, out: None };
    dispatch(&mut b, operation, params, raw)?;
    b.out.ok_or_else(|| Error::invalid("operation", "produced no request"))
}

/// [`build_request`] with the parameters as JSON text (amounts keep every digit).
pub fn build_request_json(
    ctx: &Context<'_>,
    operation: &str,
    params_json: &str,
    token: Option<&str>,
) -> Result<HttpRequest> {
    let (params, raw) = params_of(params_json)?;
    build(ctx, operation, &params, raw, token)
}

/// Parses a response to `operation` into its typed result, as exact JSON text.
pub fn parse_response_text(operation: &str, params: &Value, response: &HttpResponse) -> Result<String> {
    parse_response_text_with(operation, params, response, AmountStyle::Number)
}

/// [`parse_response_text`], with the result's amounts written in `style`.
pub fn parse_response_text_with(
    operation: &str,
    params: &Value,
    response: &HttpResponse,
    style: AmountStyle,
) -> Result<String> {
    dispatch(&mut Parse(response, style), operation, params, None)
}

// ------------------------------------------------- reading a result's fields

/// One step of a field path: an object key or an array index.
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// Splits a field path, `resource.amount`, `destinations[0].amount`,
/// `[2]`; the empty path is the whole document.
fn path_steps(path: &str) -> Result<Vec<Step<'_>>> {
    let bad = |why: &str| {
        Error::invalid(
            "path",
            format!("`{}`: {why}", path.chars().take(64).collect::<String>()),
        )
    };
    let mut steps = Vec::new();
    let mut rest = path;
    let mut first = true;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').ok_or_else(|| bad("`[` without `]`"))?;
            let digits = &after[..end];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("an index is written `[0]`, `[1]`, ..."));
            }
            steps.push(Step::Index(digits.parse().map_err(|_| bad("index out of range"))?));
            rest = &after[end + 1..];
        } else {
            if !first {
                rest = rest
                    .strip_prefix('.')
                    .ok_or_else(|| bad("expected `.` or `[` after `]`"))?;
            }
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let key = &rest[..end];
            if key.is_empty() {
                return Err(bad("empty key"));
            }
            steps.push(Step::Key(key));
            rest = &rest[end..];
        }
        first = false;
    }
    Ok(steps)
}

/// The raw JSON text at `path` in `json`: `None` when a key is absent, an
/// index is out of range, or a value on the way (or the value itself) is
/// `null`. Numbers are never converted: the text is the document's own.
fn json_at<'a>(json: &'a str, path: &str) -> Result<Option<&'a RawValue>> {
    use std::collections::HashMap;
    let steps = path_steps(path)?;
    let mut cur: &RawValue =
        serde_json::from_str(json).map_err(|e| Error::invalid("json", format!("is not JSON: {e}")))?;
    let mut walked = String::new();
    for step in steps {
        let text = cur.get().trim_start();
        if text.starts_with("null") {
            return Ok(None);
        }
        let here = if walked.is_empty() {
            "the document".to_string()
        } else {
            format!("`{walked}`")
        };
        cur = match step {
            Step::Key(key) => {
                if text.starts_with('[') && key.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::invalid(
                        "path",
                        format!("{here} is an array: an index is written in brackets, `{walked}[{key}]`"),
                    ));
                }
                if !text.starts_with('{') {
                    return Err(Error::invalid(
                        "path",
                        format!("{here} is not an object (no key `{key}`)"),
                    ));
                }
                let map: HashMap<std::borrow::Cow<'a, str>, &'a RawValue> =
                    serde_json::from_str(text).map_err(|e| Error::invalid("json", e.to_string()))?;
                if !walked.is_empty() {
                    walked.push('.');
                }
                walked.push_str(key);
                match map.get(key) {
                    Some(v) => v,
                    None => return Ok(None),
                }
            }
            Step::Index(i) => {
                if !text.starts_with('[') {
                    return Err(Error::invalid(
                        "path",
                        format!("{here} is not an array (no index [{i}])"),
                    ));
                }
                let items: Vec<&'a RawValue> =
                    serde_json::from_str(text).map_err(|e| Error::invalid("json", e.to_string()))?;
                walked.push_str(&format!("[{i}]"));
                match items.get(i) {
                    Some(v) => v,
                    None => return Ok(None),
                }
            }
        };
    }
    Ok(if cur.get().trim() == "null" { None } else { Some(cur) })
}

/// Reads one field of a JSON document (a result, webhook or callback
/// result as the bindings return it) by its path: keys separated by `.`,
/// array indexes in brackets, as [`Error::field`] names fields
/// (`resource.amount`, `destinations[0].amount`; `""` is the whole
/// document).
///
/// A string gives its text (unescaped); a number, `true` or `false` its JSON
/// text exactly as written (never through a float); an object or array its
/// JSON text. `None` when a key is absent, an index out of range, or the
/// value (or one on the way) is `null`. Errors (`InvalidArgument`): `json`
/// is not JSON, or `path` is malformed or walks into a value of another kind
/// (a key of an array, an index of a string).
pub fn json_get(json: &str, path: &str) -> Result<Option<String>> {
    let Some(raw) = json_at(json, path)? else {
        return Ok(None);
    };
    let text = raw.get().trim();
    if text.starts_with('"') {
        let s: String = serde_json::from_str(text).map_err(|e| Error::invalid("json", e.to_string()))?;
        Ok(Some(s))
    } else {
        Ok(Some(text.to_string()))
    }
}

/// The number of elements of the array (or members of the object) at
/// `path` (see [`json_get`]); `None` when it is absent or `null`. A value
/// that is neither an array nor an object is an `InvalidArgument` error.
pub fn json_length(json: &str, path: &str) -> Result<Option<usize>> {
    let Some(raw) = json_at(json, path)? else {
        return Ok(None);
    };
    let text = raw.get().trim();
    let decode = |e: serde_json::Error| Error::invalid("json", e.to_string());
    match text.as_bytes().first() {
        Some(b'[') => Ok(Some(
            serde_json::from_str::<Vec<&RawValue>>(text).map_err(decode)?.len(),
        )),
        Some(b'{') => Ok(Some(
            serde_json::from_str::<std::collections::HashMap<std::borrow::Cow<'_, str>, &RawValue>>(text)
                .map_err(decode)?
                .len(),
        )),
        _ => Err(Error::invalid("path", format!("`{path}` is not an array or an object"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn results_with_string_amounts() {
        let body = r#"{"data":{"id":"x","type":"payment_link","attributes":{"amount":"12345678901234567.89"}}}"#;
        let resp = HttpResponse::new(200, body);
        let params = serde_json::json!({"id":"x"});
        let text = parse_response_text_with("payment_links.status", &params, &resp, AmountStyle::String).unwrap();
        assert!(text.contains("\"amount\":\"12345678901234567.89\""), "{text}");
        // Only the style differs: the same text with the digits unquoted.
        let numbers = parse_response_text("payment_links.status", &params, &resp).unwrap();
        assert_eq!(
            text.replace("\"12345678901234567.89\"", "12345678901234567.89"),
            numbers
        );
        // Webhooks and callback results through `to_json_text`.
        let event = crate::webhooks::decode_webhook(
            br#"{"topic":"buygoods_transaction_received","id":"1","created_at":"2026-01-01T00:00:00+03:00",
            "event":{"type":"Buygoods Transaction","resource":{"id":"r","amount":150.55,"currency":"KES"}}}"#,
        )
        .unwrap();
        let text = to_json_text(&event, AmountStyle::String).unwrap();
        assert_eq!(json_get(&text, "resource.amount").unwrap().as_deref(), Some("150.55"));
        assert!(text.contains("\"amount\":\"150.55\""), "{text}");
        assert!(
            to_json_text(&event, AmountStyle::Number)
                .unwrap()
                .contains("\"amount\":150.55")
        );
    }

    /// Every webhook and callback-result fixture: with string amounts, the
    /// text differs from the default only where a number became a string of
    /// the same digits, and no `amount` is left a number.
    #[test]
    fn string_amounts_in_every_fixture() {
        fn walk(n: &Value, s: &Value, key: &str, changed: &mut usize) {
            match (n, s) {
                (Value::Object(a), Value::Object(b)) => {
                    assert_eq!(a.len(), b.len());
                    for (k, v) in a {
                        walk(v, &b[k], k, changed);
                    }
                }
                (Value::Array(a), Value::Array(b)) => {
                    assert_eq!(a.len(), b.len());
                    for (x, y) in a.iter().zip(b) {
                        walk(x, y, key, changed);
                    }
                }
                (Value::Number(x), Value::String(y)) => {
                    assert_eq!(&x.to_string(), y, "{key}");
                    *changed += 1;
                }
                (Value::Number(_), Value::Number(_)) => {
                    assert_ne!(key, "amount", "an amount left a number");
                    assert_eq!(n, s);
                }
                _ => assert_eq!(n, s, "{key}"),
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut files = 0;
        for dir in [root.clone(), root.join("live")] {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if !path.is_file() {
                    continue;
                }
                let body = std::fs::read(&path).unwrap();
                let (n, s) = if name.starts_with("webhook.") {
                    let w = crate::webhooks::decode_webhook(&body).unwrap();
                    (
                        to_json_text(&w, AmountStyle::Number),
                        to_json_text(&w, AmountStyle::String),
                    )
                } else if name.starts_with("result.") {
                    let r = crate::webhooks::decode_result(&body).unwrap();
                    (
                        to_json_text(&r, AmountStyle::Number),
                        to_json_text(&r, AmountStyle::String),
                    )
                } else {
                    continue;
                };
                let (n, s) = (n.unwrap(), s.unwrap());
                let mut changed = 0;
                walk(
                    &serde_json::from_str(&n).unwrap(),
                    &serde_json::from_str(&s).unwrap(),
                    "",
                    &mut changed,
                );
                if String::from_utf8_lossy(&body).contains("amount") {
                    assert!(changed > 0, "{name}: no amount");
                }
                files += 1;
            }
        }
        assert!(files >= 20, "{files} fixtures");
    }

    #[test]
    fn json_get_reads_fields_exactly() {
        let doc = r#" {"a": {"b": [ {"amount": "1.50"}, {"amount": 12345678901234567.89} ], "t": true,
            "s": "x\"y\u00e9", "n": null, "o": {"k": 1}}, "0": 5} "#;
        let get = |p: &str| json_get(doc, p).unwrap();
        assert_eq!(get("a.b[0].amount").as_deref(), Some("1.50"));
        assert_eq!(get("a.b[1].amount").as_deref(), Some("12345678901234567.89"));
        assert_eq!(get("a.t").as_deref(), Some("true"));
        assert_eq!(get("a.s").as_deref(), Some("x\"y\u{e9}"));
        assert_eq!(get("a.o").as_deref(), Some(r#"{"k": 1}"#));
        assert_eq!(get("a.n"), None);
        assert_eq!(get("a.n.deeper"), None);
        assert_eq!(get("a.missing"), None);
        assert_eq!(get("a.b[2]"), None);
        assert_eq!(json_length(doc, "a.b").unwrap(), Some(2));
        assert_eq!(json_length(doc, "a.o").unwrap(), Some(1));
        assert_eq!(json_length(doc, "a.n").unwrap(), None);
        assert_eq!(json_length(doc, "a.t").unwrap_err().field(), Some("path"));
        assert!(get("").unwrap().starts_with("{\"a\""));
        assert_eq!(json_get("[1,[2,3]]", "[1][0]").unwrap().as_deref(), Some("2"));
        // Malformed paths, wrong kinds, and text that is not JSON.
        for bad in [
            "a.b.0.amount",
            "a..b",
            ".a",
            "a.b[",
            "a.b[x]",
            "a.b[0]amount",
            "a.b[-1]",
            "a.t.x",
            "a.b.x",
            "a.s[0]",
        ] {
            assert_eq!(json_get(doc, bad).unwrap_err().field(), Some("path"), "{bad}");
        }
        for empty in ["a.b[]", "[]"] {
            let e = json_get(doc, empty).unwrap_err().to_string();
            assert!(e.contains("an index is written `[0]`"), "{empty}: {e}");
        }
        assert!(
            json_get(doc, "a.b.0.amount")
                .unwrap_err()
                .to_string()
                .contains("`a.b[0]`")
        );
        assert_eq!(get("0").as_deref(), Some("5"));
        for bad in ["", "{", "{\"a\":1} x", "nope"] {
            assert_eq!(json_get(bad, "a").unwrap_err().field(), Some("json"), "{bad}");
        }
    }

    #[test]
    fn amounts_stay_exact_in_text() {
        let body = r#"{"data":{"id":"x","type":"payment_link","attributes":{"amount":"12345678901234567.89"}}}"#;
        let resp = HttpResponse::new(200, body);
        let text = parse_response_text("get_payment_link", &serde_json::json!({"id":"x"}), &resp).unwrap();
        assert!(text.contains("\"amount\":12345678901234567.89"), "{text}");
    }

    #[test]
    fn amounts_written_as_numbers_keep_every_digit() {
        let config = Config::builder("id", "secret").build().unwrap();
        let ctx = Context::new(&config);
        let params = r#"{"till_number":"K000000","phone_number":"+254999999999","amount":12345678901234567.89,
            "callback_url":"https://example.com/cb"}"#;
        let req = build_request_json(&ctx, "incoming_payments.create", params, Some("t")).unwrap();
        let body = String::from_utf8(req.body).unwrap();
        assert!(body.contains("\"value\":12345678901234567.89"), "{body}");
        // The legacy name is the same operation.
        let legacy = build_request_json(&ctx, "create_incoming_payment", params, Some("t")).unwrap();
        assert_eq!(String::from_utf8(legacy.body).unwrap(), body);
    }

    #[test]
    fn every_operation_dispatches() {
        let config = Config::builder("id", "secret").build().unwrap();
        let ctx = Context::new(&config);
        for op in OPERATIONS {
            let e = build_request(&ctx, op, &serde_json::json!({}), Some("t"));
            // Either it builds (no required params) or it names a field.
            if let Err(e) = e {
                assert_eq!(e.code(), "invalid_argument", "{op}");
                assert_ne!(e.field(), Some("operation"), "{op}");
            }
        }
        assert_eq!(
            build_request(&ctx, "nope", &serde_json::json!({}), None)
                .unwrap_err()
                .field(),
            Some("operation")
        );
    }
}
