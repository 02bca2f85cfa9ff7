//! Operations by name, with JSON parameters and JSON results.
//!
//! This is the surface the language bindings and the shared test vectors use:
//! an operation name from [`OPERATIONS`] (the `name`s of the API's endpoint
//! list), its parameters as a JSON object with the same field names as the
//! typed request structs, and the typed result serialised back to JSON. All
//! validation and parsing is the typed code's; nothing is duplicated here.

use serde::Serialize;
use serde_json::Value;

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

/// Serialises a typed result straight to JSON text, so amounts keep their
/// exact decimal digits (they are written from the decimal, never via f64).
fn to_json<T: Serialize>(value: T) -> Result<String> {
    serde_json::to_string(&value).map_err(|e| Error::decode(e.to_string()))
}

/// Something that can run an [`Operation`]: a live [`Client`], or the
/// sans-IO pair (build, parse) used by the vectors.
pub(crate) trait Runner {
    fn run<O: Operation>(&mut self, op: O) -> Result<String>
    where
        O::Output: Serialize;
}

struct Live<'a>(&'a Client);

impl Runner for Live<'_> {
    fn run<O: Operation>(&mut self, op: O) -> Result<String>
    where
        O::Output: Serialize,
    {
        to_json(self.0.execute(&op)?)
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

struct Parse<'a>(&'a HttpResponse);

impl Runner for Parse<'_> {
    fn run<O: Operation>(&mut self, op: O) -> Result<String>
    where
        O::Output: Serialize,
    {
        to_json(op.parse(self.0)?)
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
    dispatch(&mut Live(client), operation, params, None)
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
    let (params, raw) = params_of(params_json)?;
    dispatch(&mut Live(client), operation, &params, raw)
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
    dispatch(&mut Parse(response), operation, params, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

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
