//! Operations by name, with JSON parameters and JSON results.
//!
//! This is the surface the language bindings and the shared test vectors use:
//! an operation name from [`OPERATIONS`] (the `name`s of the API's endpoint
//! list), its parameters as a JSON object with the same field names as the
//! typed request structs, and the typed result serialised back to JSON. All
//! validation and parsing is the typed code's; nothing is duplicated here.

use serde::Serialize;
use serde_json::Value;

use crate::api::{self, Context, Operation};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::requests;

/// Every operation name, in documentation order.
pub const OPERATIONS: &[&str] = &[
    "request_access_token",
    "revoke_access_token",
    "introspect_access_token",
    "token_info",
    "create_webhook_subscription",
    "create_incoming_payment",
    "get_incoming_payment",
    "create_merchant_wallet",
    "create_merchant_bank_account",
    "create_external_recipient",
    "send_money",
    "get_send_money",
    "create_polling",
    "get_polling",
    "create_transaction_sms_notification",
    "get_transaction_sms_notification",
    "create_reversal",
    "get_reversal",
    "create_payment_link",
    "get_payment_link",
    "cancel_payment_link",
];

fn string_param<'a>(params: &'a Value, name: &str) -> Result<&'a str> {
    match params.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::invalid(name, "must be a string")),
        None => Err(Error::invalid(name, "is required")),
    }
}

fn typed<T: for<'de> serde::Deserialize<'de>>(params: &Value) -> Result<T> {
    requests::from_json(&params.to_string())
}

/// Serialises a typed result straight to JSON text, so amounts keep their
/// exact decimal digits (they are written from the decimal, never via f64).
fn to_json<T: Serialize>(value: T) -> Result<String> {
    serde_json::to_string(&value).map_err(|e| Error::decode(e.to_string()))
}

fn text_to_value(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| Error::decode(e.to_string()))
}

/// Something that can run an [`Operation`]: a live [`Client`], or the
/// sans-IO pair (build, parse) used by the vectors.
trait Runner {
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

fn dispatch<R: Runner>(runner: &mut R, operation: &str, params: &Value) -> Result<String> {
    if !params.is_object() {
        return Err(Error::invalid("params", "must be a JSON object"));
    }
    match operation {
        "request_access_token" => runner.run(api::RequestToken),
        "revoke_access_token" => runner.run(api::RevokeToken::new(string_param(params, "token")?)?),
        "introspect_access_token" => runner.run(api::IntrospectToken::new(string_param(params, "token")?)?),
        "token_info" => runner.run(api::TokenInfoRequest),
        "create_webhook_subscription" => runner.run(api::CreateWebhookSubscription(typed(params)?)),
        "create_incoming_payment" => runner.run(api::CreateIncomingPayment(typed(params)?)),
        "get_incoming_payment" => runner.run(api::IncomingPaymentStatus::new(string_param(params, "id")?)?),
        "create_merchant_wallet" => runner.run(api::CreateMerchantWallet(typed(params)?)),
        "create_merchant_bank_account" => runner.run(api::CreateMerchantBankAccount(typed(params)?)),
        "create_external_recipient" => runner.run(api::CreateExternalRecipient(typed(params)?)),
        "send_money" => runner.run(api::CreateSendMoney(typed(params)?)),
        "get_send_money" => runner.run(api::SendMoneyStatus::new(string_param(params, "id")?)?),
        "create_polling" => runner.run(api::CreatePolling(typed(params)?)),
        "get_polling" => runner.run(api::PollingStatus::new(string_param(params, "id")?)?),
        "create_transaction_sms_notification" => runner.run(api::CreateSmsNotification(typed(params)?)),
        "get_transaction_sms_notification" => runner.run(api::SmsNotificationStatus::new(string_param(params, "id")?)?),
        "create_reversal" => runner.run(api::CreateReversal(typed(params)?)),
        "get_reversal" => runner.run(api::ReversalStatus::new(string_param(params, "id")?)?),
        "create_payment_link" => runner.run(api::CreatePaymentLink(typed(params)?)),
        "get_payment_link" => runner.run(api::PaymentLinkStatus::new(string_param(params, "id")?)?),
        "cancel_payment_link" => runner.run(api::CancelPaymentLink::new(string_param(params, "id")?)?),
        other => Err(Error::invalid(
            "operation",
            format!("unknown operation `{other}`; expected one of {}", OPERATIONS.join(", ")),
        )),
    }
}

/// Runs an operation through a client: validation, token, retries, parsing.
/// Returns the typed result as JSON text (an object per result type; `null`
/// for operations with no result, such as revoke). Amounts are written
/// exactly: parse them as decimals (e.g. Python's `parse_float=Decimal`).
pub fn execute_text(client: &Client, operation: &str, params: &Value) -> Result<String> {
    dispatch(&mut Live(client), operation, params)
}

/// [`execute_text`], parsed into a [`Value`]. Note that `Value` holds
/// fractional numbers as f64: exact for any realistic amount (up to 15
/// significant digits), but use [`execute_text`] to keep every digit.
pub fn execute(client: &Client, operation: &str, params: &Value) -> Result<Value> {
    text_to_value(&execute_text(client, operation, params)?)
}

/// [`execute_text`] with the parameters as JSON text.
pub fn execute_json(client: &Client, operation: &str, params_json: &str) -> Result<String> {
    let params: Value = if params_json.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_str(params_json).map_err(|e| Error::invalid("params", format!("not JSON: {e}")))?
    };
    execute_text(client, operation, &params)
}

/// Validates the parameters and builds the request, without sending it.
pub fn build_request(ctx: &Context<'_>, operation: &str, params: &Value, token: Option<&str>) -> Result<HttpRequest> {
    let mut b = Build { ctx, token, out: None };
    dispatch(&mut b, operation, params)?;
    b.out.ok_or_else(|| Error::invalid("operation", "produced no request"))
}

/// Parses a response to `operation` into its typed result, as exact JSON text.
pub fn parse_response_text(operation: &str, params: &Value, response: &HttpResponse) -> Result<String> {
    dispatch(&mut Parse(response), operation, params)
}

/// [`parse_response_text`], parsed into a [`Value`] (see [`execute`] on precision).
pub fn parse_response(operation: &str, params: &Value, response: &HttpResponse) -> Result<Value> {
    text_to_value(&parse_response_text(operation, params, response)?)
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
