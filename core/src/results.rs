//! Typed responses: tokens, created resources, and the resources returned by
//! status queries and POSTed as asynchronous results.
//!
//! Status queries and result callbacks share one document shape per resource
//! (`{"data": {"id", "type", "attributes": {...}}}`), so each resource has one
//! type here. Every field the documentation marks optional, or that an example
//! leaves `null`, is an `Option`; amounts are exact [`Amount`]s whether they
//! arrive as strings or numbers; `errors` is always a list of strings whether
//! it arrives as `null`, a string or an array (docs/api-notes.md, "Result
//! errors").

use crate::schema::Schema;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::money::Amount;

/// Metadata echoed back by the API.
pub type Metadata = Map<String, Value>;

/// `_links` of a resource.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    /// The callback URL given at creation.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub callback_url: Option<String>,
    /// The resource's own URL.
    #[serde(default, rename = "self", deserialize_with = "crate::lenient::opt")]
    pub self_url: Option<String>,
    /// For webhooks: the related resource's URL.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt"
    )]
    pub resource: Option<String>,
}

/// Deserialises `errors` from `null`, a string, an array of strings or an object.
pub(crate) fn errors_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(flatten_messages(v.as_ref()))
}

/// Turns an error value of any documented shape into a list of messages.
pub(crate) fn flatten_messages(v: Option<&Value>) -> Vec<String> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if s.is_empty() => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().flat_map(|x| flatten_messages(Some(x))).collect(),
        Some(Value::Object(o)) => o
            .iter()
            .flat_map(|(k, v)| flatten_messages(Some(v)).into_iter().map(move |m| format!("{k}: {m}")))
            .collect(),
        Some(other) => vec![other.to_string()],
    }
}

/// `POST /oauth/token` response.
#[derive(Schema, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    /// The bearer token (secret: not shown by `Debug`).
    pub access_token: String,
    /// `Bearer`.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// Creation time: an ISO 8601 string here, an integer in token info; both
    /// are kept as text (docs/api-notes.md, "Token creation time").
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub created_at: Option<String>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("access_token", &"[REDACTED]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// `POST /oauth/introspect` response.
#[derive(Schema, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenIntrospection {
    /// Whether the token is valid.
    pub active: bool,
    /// Scope (may be empty).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub scope: Option<String>,
    /// The application's client id.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub client_id: Option<String>,
    /// `Bearer`.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub token_type: Option<String>,
    /// Expiry, epoch seconds.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub exp: Option<i64>,
    /// Issue time, epoch seconds.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub iat: Option<i64>,
}

/// The application of a token.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenApplication {
    /// Application uid.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub uid: Option<String>,
}

/// `GET /oauth/token/info` response.
#[derive(Schema, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// Resource owner (always null for client credentials).
    #[serde(default)]
    pub resource_owner_id: Option<Value>,
    /// Scopes.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub scope: Vec<String>,
    /// Seconds left.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub expires_in: Option<i64>,
    /// The application.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub application: Option<TokenApplication>,
    /// Creation time, kept as text: epoch seconds here (an integer in the
    /// example), an ISO 8601 string in the token response (docs/api-notes.md,
    /// "Token creation time").
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub created_at: Option<String>,
}

/// The answer to a create call: `201 Created` with a `Location` header.
#[derive(Schema, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    /// The URL of the new resource (query it for the status).
    pub location: String,
    /// The resource id (the last path segment of `location`).
    pub id: String,
}

/// `POST /api/v2/payment_links/{ref}/cancel` response: `{"message": ...}` in
/// the example; the text says the link's details come back too, so a `data`
/// document, when present, is typed as the link (docs/api-notes.md, "Payment
/// link cancel response").
#[derive(Schema, Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CancelledPaymentLink {
    /// `Payment link cancelled.`
    pub message: Option<String>,
    /// The cancelled link, when the response carries it.
    pub payment_link: Option<PaymentLink>,
}

impl CancelledPaymentLink {
    /// Reads a cancel response body (empty, `{"message"}`, and/or `{"data"}`).
    pub(crate) fn from_body(body: &[u8]) -> serde_json::Result<Self> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default, deserialize_with = "crate::lenient::opt")]
            message: Option<String>,
            #[serde(default)]
            data: Option<serde::de::IgnoredAny>,
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(CancelledPaymentLink::default());
        }
        let raw: Raw = serde_json::from_slice(body)?;
        let payment_link = match raw.data {
            Some(_) => Some(PaymentLink::from_envelope_bytes(body)?),
            None => None,
        };
        Ok(CancelledPaymentLink {
            message: raw.message,
            payment_link,
        })
    }
}

/// A financial transaction as carried by webhooks, polling results and
/// incoming-payment results: buygoods, B2B (till to till) and card
/// transactions and their reversals. Fields absent from a kind are `None`.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// API reference of the transaction.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub id: Option<String>,
    /// M-PESA (or card) reference.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub reference: Option<String>,
    /// `Received`, `Complete`, `Reversed`...
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub status: Option<String>,
    /// Timestamp of the transaction.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub origination_time: Option<String>,
    /// Amount.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub amount: Option<Amount>,
    /// Currency.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub currency: Option<String>,
    /// Till paid to.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub till_number: Option<String>,
    /// Mobile money or card system.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub system: Option<String>,
    /// Payer phone number.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub sender_phone_number: Option<String>,
    /// Hashed payer phone number.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub hashed_sender_phone: Option<String>,
    /// Payer first name.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub sender_first_name: Option<String>,
    /// Payer middle name.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub sender_middle_name: Option<String>,
    /// Payer last name.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub sender_last_name: Option<String>,
    /// For B2B: the sending till.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub sending_till: Option<String>,
    /// For merchant-to-merchant (`m2m_transaction_received`): the paying merchant.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub sending_merchant: Option<String>,
    /// For cards: masked card number.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub customer_cc_number: Option<String>,
    /// For card receipts: settled flag (a boolean in the example, "String" in
    /// the table: docs/api-notes.md, "Card webhooks").
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub settled: Option<bool>,
}

/// The `event` of an incoming payment.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingPaymentEvent {
    /// `Incoming Payment Request`.
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::opt")]
    pub event_type: Option<String>,
    /// The payment, once received.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub resource: Option<Transaction>,
    /// Error messages (empty on success).
    #[serde(default, deserialize_with = "errors_list")]
    pub errors: Vec<String>,
}

/// An incoming payment (STK push): status query and result callback.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingPayment {
    /// Id (from `data.id`).
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub id: String,
    /// `incoming_payment`.
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::or_default")]
    pub kind: String,
    /// When it was initiated.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub initiation_time: Option<String>,
    /// `Pending`, `Success` or `Failed`.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub status: String,
    /// What happened.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub event: IncomingPaymentEvent,
    /// Metadata sent at creation.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub metadata: Metadata,
    /// Links.
    #[serde(default, rename = "_links", deserialize_with = "crate::lenient::or_default")]
    pub links: Links,
}

/// An amount object, `{"currency": "KES", "value": ...}`.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyAmount {
    /// Currency.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub currency: Option<String>,
    /// Value (null in the legacy settlement document).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub value: Option<Amount>,
}

/// A send-money destination as echoed back (all fields optional).
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationInfo {
    /// Destination type.
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::opt")]
    pub destination_type: Option<String>,
    /// Reference (merchant destinations).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub reference: Option<String>,
    /// Phone number.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub phone_number: Option<String>,
    /// Network.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub network: Option<String>,
    /// Till number.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub till_number: Option<String>,
    /// Paybill number.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub paybill_number: Option<String>,
    /// Paybill account number.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub paybill_account_number: Option<String>,
    /// Bank branch.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub bank_branch_ref: Option<String>,
    /// Account name.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub account_name: Option<String>,
    /// Account number.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub account_number: Option<String>,
    /// Amount.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub amount: Option<Amount>,
    /// Description.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub description: Option<String>,
    /// Nickname.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub nickname: Option<String>,
    /// Favourite flag.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub favourite: Option<bool>,
}

/// One disbursement of a transfer batch.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disbursement {
    /// Status.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub status: Option<String>,
    /// Amount.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub amount: Option<Amount>,
    /// Error messages.
    #[serde(default, deserialize_with = "errors_list")]
    pub errors: Vec<String>,
    /// When it happened.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub origination_time: Option<String>,
    /// Destination type.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub destination_type: Option<String>,
    /// Destination reference.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub destination_reference: Option<String>,
    /// M-PESA reference (null for EFT).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub transaction_reference: Option<String>,
    /// Nickname (present in examples, not tabled).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub nickname: Option<String>,
    /// Favourite flag (present in examples, not tabled).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub favourite: Option<bool>,
    /// Phone number (present in examples, not tabled).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub phone_number: Option<String>,
}

/// A transfer batch of a send-money request.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferBatch {
    /// Status.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub status: Option<String>,
    /// Total amount.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub amount: Option<Amount>,
    /// Disbursements.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub disbursements: Vec<Disbursement>,
}

/// A send-money request: status query and result callback.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendMoney {
    /// Id (from `data.id`).
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub id: String,
    /// `send_money`.
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::or_default")]
    pub kind: String,
    /// Status (`Pending`, `Processed`...).
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub status: String,
    /// Creation time.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub created_at: Option<String>,
    /// Source till, or none for the available balance.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub source_identifier: Option<String>,
    /// Currency.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub currency: Option<String>,
    /// Destinations (empty for "my accounts").
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub destinations: Vec<DestinationInfo>,
    /// Transfer batches.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub transfer_batches: Vec<TransferBatch>,
    /// Error messages.
    #[serde(default, deserialize_with = "errors_list")]
    pub errors: Vec<String>,
    /// The legacy `settlement_transfer` document's total, `{currency, value}`
    /// (`value` may be null); absent from `send_money` documents.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub amount: Option<MoneyAmount>,
    /// Metadata.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub metadata: Metadata,
    /// Links.
    #[serde(default, rename = "_links", deserialize_with = "crate::lenient::or_default")]
    pub links: Links,
}

/// One transaction of a polling result.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolledTransaction {
    /// `Buygoods Transaction`, `External Till to Till Transaction`...
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::opt")]
    pub transaction_type: Option<String>,
    /// The transaction.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub resource: Transaction,
}

/// A polling request: status query and result callback.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Polling {
    /// Id (from `data.id`).
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub id: String,
    /// `polling`.
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::or_default")]
    pub kind: String,
    /// Status.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub status: String,
    /// Creation time.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub created_at: Option<String>,
    /// From.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub from_time: Option<String>,
    /// To.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub to_time: Option<String>,
    /// Transactions found.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub transactions: Vec<PolledTransaction>,
    /// Scope (comes back capitalised, `Company`: docs/api-notes.md, "Polling scope").
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub scope: Option<String>,
    /// Scope reference.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub scope_reference: Option<String>,
    /// Links.
    #[serde(default, rename = "_links", deserialize_with = "crate::lenient::or_default")]
    pub links: Links,
}

/// A transaction SMS notification: status query and result callback.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsNotification {
    /// Id (from `data.id`).
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub id: String,
    /// `transaction_sms_notification` (the table says `..._notifications`:
    /// docs/api-notes.md, "SMS notification result type").
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::or_default")]
    pub kind: String,
    /// Status.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub status: String,
    /// The message sent.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub message: Option<String>,
    /// The webhook event it refers to.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub webhook_event_reference: Option<String>,
    /// Links.
    #[serde(default, rename = "_links", deserialize_with = "crate::lenient::or_default")]
    pub links: Links,
}

/// The payment that carried out a reversal.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReversalPayment {
    /// Amount reversed.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub amount: Option<Amount>,
    /// `Transferred` (reversed) or `Cancelled` (failed).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub status: Option<String>,
    /// When.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub origination_time: Option<String>,
    /// Reference (null when cancelled).
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub transaction_reference: Option<String>,
}

/// A reversal: status query and result callback.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reversal {
    /// Id (from `data.id`).
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub id: String,
    /// `reversals`.
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::or_default")]
    pub kind: String,
    /// `Scheduled`, `Processed`... A failed reversal is still `Processed`
    /// (docs/api-notes.md, "Failed reversals"): look at
    /// `reversal_bulk_payment.status` and `errors`.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub status: String,
    /// Creation time.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub created_at: Option<String>,
    /// Transaction reversed.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub transaction_reference: Option<String>,
    /// Reason given.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub reason: Option<String>,
    /// The reversal payment, once processed.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub reversal_bulk_payment: Option<ReversalPayment>,
    /// Error messages.
    #[serde(default, deserialize_with = "errors_list")]
    pub errors: Vec<String>,
    /// Metadata.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub metadata: Metadata,
    /// Links.
    #[serde(default, rename = "_links", deserialize_with = "crate::lenient::or_default")]
    pub links: Links,
}

impl Reversal {
    /// Whether the money was actually reversed (`reversal_bulk_payment.status == "Transferred"`).
    pub fn is_reversed(&self) -> bool {
        self.reversal_bulk_payment
            .as_ref()
            .and_then(|p| p.status.as_deref())
            .is_some_and(|s| s.eq_ignore_ascii_case("transferred"))
    }
}

/// The link part of a payment link.
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLinkDetails {
    /// `Active`, `Paid`, `Cancelled`, `Expired`.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub status: Option<String>,
    /// Expiry.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub expires_at: Option<String>,
    /// The URL to share.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub link: Option<String>,
    /// Reference of the paying transaction.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub transaction_reference: Option<String>,
    /// Payer phone.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub sender_phone_number: Option<String>,
    /// When it was paid.
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    #[schema(timestamp)]
    pub origination_time: Option<String>,
}

/// A payment link: status query and result callback.
///
/// The documentation prints two status shapes (docs/api-notes.md, "Payment
/// link status shapes"). The tabled one is
/// canonical; the other (`payment_link` as a URL string, `payment_link_status`,
/// `expires_at` at the top, `account_number`...) is accepted too and mapped
/// onto the same fields (`account_name` → `till_name`, the link URL string → `payment_link.link`).
#[derive(Schema, Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PaymentLink {
    /// Id (from `data.id`).
    pub id: String,
    /// `payment_link`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Request status (`Processed`, `Created`...).
    pub status: String,
    /// Creation time.
    #[schema(timestamp)]
    pub created_at: Option<String>,
    /// Till name.
    pub till_name: Option<String>,
    /// Who created the link (the second status shape only: docs/api-notes.md,
    /// "Payment link status shapes").
    pub initiator_name: Option<String>,
    /// Till number (or account number in the older shape).
    pub till_number: Option<String>,
    /// Your reference.
    pub payment_reference: Option<String>,
    /// Currency.
    pub currency: Option<String>,
    /// Amount.
    pub amount: Option<Amount>,
    /// Note.
    pub note: Option<String>,
    /// The link and its state.
    pub payment_link: Option<PaymentLinkDetails>,
    /// Error messages.
    pub errors: Vec<String>,
    /// Metadata.
    pub metadata: Metadata,
    /// Links.
    #[serde(rename = "_links")]
    pub links: Links,
}

/// `payment_link`: an object in the tabled shape, the URL in the other one.
enum LinkField {
    Details(PaymentLinkDetails),
    Url(String),
}

impl crate::lenient::Lenient for LinkField {
    fn from_str(v: &str) -> Option<Self> {
        Some(LinkField::Url(v.to_string()))
    }
    fn from_map<'de, A: de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        PaymentLinkDetails::deserialize(de::value::MapAccessDeserializer::new(map)).map(|d| Some(LinkField::Details(d)))
    }
}

#[derive(Deserialize, Default)]
struct PaymentLinkAttributes {
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    status: String,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    till_name: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    initiator_name: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    till_number: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    account_number: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    account_name: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    payment_reference: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    merchant_payment_reference: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    currency: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    amount: Option<Amount>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    note: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    payment_link: Option<LinkField>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    payment_link_status: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    expires_at: Option<String>,
    #[serde(default, deserialize_with = "errors_list")]
    errors: Vec<String>,
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    metadata: Metadata,
    #[serde(default, rename = "_links", deserialize_with = "crate::lenient::or_default")]
    links: Links,
}

impl PaymentLink {
    fn from_attributes(id: String, kind: String, a: PaymentLinkAttributes) -> PaymentLink {
        let payment_link = match a.payment_link {
            Some(LinkField::Details(d)) => Some(d),
            Some(LinkField::Url(u)) => Some(PaymentLinkDetails {
                status: a.payment_link_status.clone(),
                expires_at: a.expires_at.clone(),
                link: Some(u),
                ..Default::default()
            }),
            None if a.payment_link_status.is_some() || a.expires_at.is_some() => Some(PaymentLinkDetails {
                status: a.payment_link_status.clone(),
                expires_at: a.expires_at.clone(),
                ..Default::default()
            }),
            None => None,
        };
        PaymentLink {
            id,
            kind,
            status: a.status,
            created_at: a.created_at,
            till_name: a.till_name.or(a.account_name),
            initiator_name: a.initiator_name,
            till_number: a.till_number.or(a.account_number),
            payment_reference: a.payment_reference.or(a.merchant_payment_reference),
            currency: a.currency,
            amount: a.amount,
            note: a.note,
            payment_link,
            errors: a.errors,
            metadata: a.metadata,
            links: a.links,
        }
    }
}

/// `{"data": {"id", "type", "attributes": {...}}}`: the shape of every
/// status response and result callback.
#[derive(Deserialize)]
#[serde(bound(deserialize = "A: crate::lenient::Lenient + Default"))]
pub(crate) struct Envelope<A> {
    pub data: EnvelopeData<A>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "A: crate::lenient::Lenient + Default"))]
pub(crate) struct EnvelopeData<A> {
    #[serde(default, deserialize_with = "crate::lenient::opt")]
    pub id: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "crate::lenient::opt")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub attributes: A,
}

/// Resources that arrive wrapped in `data.attributes`.
pub trait Resource: Sized {
    /// Builds the resource from the envelope's id, type and attributes JSON.
    #[doc(hidden)]
    fn from_envelope_bytes(body: &[u8]) -> serde_json::Result<Self>;
}

macro_rules! simple_resource {
    ($ty:ident) => {
        impl Resource for $ty {
            fn from_envelope_bytes(body: &[u8]) -> serde_json::Result<Self> {
                let env: Envelope<$ty> = serde_json::from_slice(body)?;
                let mut r = env.data.attributes;
                r.id = env.data.id.unwrap_or_default();
                r.kind = env.data.kind.unwrap_or_default();
                Ok(r)
            }
        }
    };
}

// Attribute structs carry `id`/`kind` with `#[serde(default)]`, so the
// envelope's `data.id` and `data.type` are copied in after parsing.
simple_resource!(IncomingPayment);
simple_resource!(SendMoney);
simple_resource!(Polling);
simple_resource!(SmsNotification);
simple_resource!(Reversal);

crate::lenient::lenient_struct!(
    MoneyAmount,
    Links,
    TokenApplication,
    Transaction,
    IncomingPaymentEvent,
    IncomingPayment,
    DestinationInfo,
    Disbursement,
    TransferBatch,
    SendMoney,
    PolledTransaction,
    Polling,
    SmsNotification,
    ReversalPayment,
    Reversal,
    PaymentLinkDetails,
    PaymentLinkAttributes,
);

impl Resource for PaymentLink {
    fn from_envelope_bytes(body: &[u8]) -> serde_json::Result<Self> {
        let env: Envelope<PaymentLinkAttributes> = serde_json::from_slice(body)?;
        Ok(PaymentLink::from_attributes(
            env.data.id.unwrap_or_default(),
            env.data.kind.unwrap_or_default(),
            env.data.attributes,
        ))
    }
}

// `id` is required by derive(Deserialize) on the resource structs above, but
// inside `attributes` it is absent: give it a default there.
impl<'de> Deserialize<'de> for PaymentLink {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let a = PaymentLinkAttributes::deserialize(d)?;
        Ok(PaymentLink::from_attributes(String::new(), String::new(), a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_shapes() {
        assert!(flatten_messages(None).is_empty());
        assert_eq!(flatten_messages(Some(&Value::String("x".into()))), vec!["x"]);
        let v: Value = serde_json::from_str(r#"["a","b"]"#).unwrap();
        assert_eq!(flatten_messages(Some(&v)), vec!["a", "b"]);
        let v: Value = serde_json::from_str(r#"{"amount":["too small"]}"#).unwrap();
        assert_eq!(flatten_messages(Some(&v)), vec!["amount: too small"]);
    }

    #[test]
    fn every_error_shape_flattens() {
        let flat = |json: &str| flatten_messages(Some(&serde_json::from_str(json).unwrap()));
        assert!(flat("\"\"").is_empty(), "an empty string is no message");
        assert!(flat("null").is_empty());
        assert_eq!(flat("5"), ["5"]);
        assert_eq!(flat("true"), ["true"]);
        assert_eq!(flat(r#"["a",["b",""],{"c":"d"},7]"#), ["a", "b", "c: d", "7"]);
        assert_eq!(flat(r#"{"x":{"y":["p","q"]},"z":""}"#), ["x: y: p", "x: y: q"]);
        #[derive(Deserialize)]
        struct WithErrors {
            #[serde(default, deserialize_with = "errors_list")]
            errors: Vec<String>,
        }
        let w: WithErrors = serde_json::from_str(r#"{"errors":{"amount":["too small"]}}"#).unwrap();
        assert_eq!(w.errors, ["amount: too small"]);
        let w: WithErrors = serde_json::from_str(r#"{"errors":null}"#).unwrap();
        assert!(w.errors.is_empty());
    }

    /// `payment_link` comes as an object, as a URL next to
    /// `payment_link_status` / `expires_at`, or not at all while those two
    /// are there: every shape ends in the same details.
    #[test]
    fn payment_link_shapes() {
        let read = |attrs: &str| serde_json::from_str::<PaymentLink>(attrs).unwrap().payment_link;
        let details = |status: Option<&str>, expires: Option<&str>, link: Option<&str>| {
            Some(PaymentLinkDetails {
                status: status.map(str::to_string),
                expires_at: expires.map(str::to_string),
                link: link.map(str::to_string),
                ..Default::default()
            })
        };
        assert_eq!(
            read(r#"{"payment_link":"https://pay/x","payment_link_status":"Active","expires_at":"2026-01-01"}"#),
            details(Some("Active"), Some("2026-01-01"), Some("https://pay/x"))
        );
        assert_eq!(
            read(r#"{"payment_link":{"status":"Paid","link":"https://pay/y"},"payment_link_status":"Active"}"#),
            details(Some("Paid"), None, Some("https://pay/y"))
        );
        assert_eq!(
            read(r#"{"payment_link_status":"Expired","expires_at":"2026-01-02"}"#),
            details(Some("Expired"), Some("2026-01-02"), None)
        );
        assert_eq!(
            read(r#"{"payment_link_status":"Expired"}"#),
            details(Some("Expired"), None, None)
        );
        assert_eq!(
            read(r#"{"expires_at":"2026-01-02"}"#),
            details(None, Some("2026-01-02"), None)
        );
        assert_eq!(read(r#"{"status":"Active"}"#), None);
        // Read straight from attributes (no envelope), the id and kind are empty.
        let link: PaymentLink =
            serde_json::from_str(r#"{"status":"Active","amount":"10.5","till_number":"K1"}"#).unwrap();
        assert_eq!(
            (link.id.as_str(), link.kind.as_str(), link.status.as_str()),
            ("", "", "Active")
        );
        assert_eq!(
            (link.amount, link.till_number.as_deref()),
            (Some(Amount::parse("10.5").unwrap()), Some("K1"))
        );
    }

    #[test]
    fn token_debug_redacts() {
        let t = AccessToken {
            access_token: "SECRET-TOKEN".into(),
            token_type: "Bearer".into(),
            expires_in: 3600,
            created_at: None,
        };
        assert_eq!(
            format!("{t:?}"),
            r#"AccessToken { access_token: "[REDACTED]", token_type: "Bearer", expires_in: 3600, created_at: None }"#
        );
    }
}
