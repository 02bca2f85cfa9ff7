//! Result records: the core's typed results with amounts as decimal text.
//! Every resource record also carries `raw_json`, the core's normalised
//! result serialised as JSON, for fields the record does not spell out.

use std::collections::HashMap;
use std::fmt;

use kopokopo::results as k;
use kopokopo::webhooks as kw;
use serde::Serialize;
use serde_json::Value;

use crate::KopoKopoError;

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

/// Amounts as the other bindings show them: the core's canonical decimal text
/// (`"100.0"` → `"100"`, `"10.50"` → `"10.5"`), the same digits as its JSON.
fn amt(a: Option<kopokopo::Amount>) -> Option<String> {
    a.map(|a| a.to_canonical_string())
}

fn meta(m: &serde_json::Map<String, Value>) -> HashMap<String, String> {
    m.iter()
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), s)
        })
        .collect()
}

/// The answer to every create call: the new resource's URL and id.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct Created {
    /// The resource URL (the `Location` header): query it for the status.
    pub location: String,
    /// The resource id (last path segment of `location`).
    pub id: String,
}

impl From<k::Created> for Created {
    fn from(c: k::Created) -> Self {
        Created {
            location: c.location,
            id: c.id,
        }
    }
}

/// An OAuth access token. `toString()` / `description` never show the token.
#[derive(uniffi::Record, Clone, PartialEq, Eq)]
#[uniffi::export(Display)]
pub struct AccessToken {
    /// The bearer token (secret).
    pub access_token: String,
    /// `Bearer`.
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// Creation time, as sent.
    pub created_at: Option<String>,
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AccessToken(accessToken=[REDACTED], tokenType={}, expiresIn={}, createdAt={})",
            self.token_type,
            self.expires_in,
            self.created_at.as_deref().unwrap_or("null")
        )
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<k::AccessToken> for AccessToken {
    fn from(t: k::AccessToken) -> Self {
        AccessToken {
            access_token: t.access_token,
            token_type: t.token_type,
            expires_in: t.expires_in,
            created_at: t.created_at,
        }
    }
}

/// `POST /oauth/introspect` result.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct TokenIntrospection {
    /// Whether the token is valid.
    pub active: bool,
    /// Scope.
    pub scope: Option<String>,
    /// The application's client id.
    pub client_id: Option<String>,
    /// `Bearer`.
    pub token_type: Option<String>,
    /// Expiry, epoch seconds.
    pub exp: Option<i64>,
    /// Issue time, epoch seconds.
    pub iat: Option<i64>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::TokenIntrospection> for TokenIntrospection {
    fn from(t: k::TokenIntrospection) -> Self {
        TokenIntrospection {
            raw_json: json(&t),
            active: t.active,
            scope: t.scope,
            client_id: t.client_id,
            token_type: t.token_type,
            exp: t.exp,
            iat: t.iat,
        }
    }
}

/// `GET /oauth/token/info` result.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    /// Scopes.
    pub scope: Vec<String>,
    /// Seconds left.
    pub expires_in: Option<i64>,
    /// The application's uid.
    pub application_uid: Option<String>,
    /// Creation time as text, as sent: epoch seconds (`"1613376955"`) or an
    /// ISO 8601 timestamp.
    pub created_at: Option<String>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::TokenInfo> for TokenInfo {
    fn from(t: k::TokenInfo) -> Self {
        TokenInfo {
            raw_json: json(&t),
            scope: t.scope,
            expires_in: t.expires_in,
            application_uid: t.application.and_then(|a| a.uid),
            created_at: t.created_at,
        }
    }
}

/// A financial transaction (buygoods, B2B, card) as carried by webhooks,
/// polling and incoming-payment results. Absent fields are `null`.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// API reference.
    pub id: Option<String>,
    /// M-PESA (or card) reference.
    pub reference: Option<String>,
    /// `Received`, `Complete`, `Reversed`...
    pub status: Option<String>,
    /// Timestamp.
    pub origination_time: Option<String>,
    /// Amount as decimal text.
    pub amount: Option<String>,
    /// Currency.
    pub currency: Option<String>,
    /// Till paid to.
    pub till_number: Option<String>,
    /// Mobile money or card system.
    pub system: Option<String>,
    /// Payer phone number.
    pub sender_phone_number: Option<String>,
    /// Hashed payer phone number.
    pub hashed_sender_phone: Option<String>,
    /// Payer first name.
    pub sender_first_name: Option<String>,
    /// Payer middle name.
    pub sender_middle_name: Option<String>,
    /// Payer last name.
    pub sender_last_name: Option<String>,
    /// B2B: the sending till.
    pub sending_till: Option<String>,
    /// Merchant to merchant (`m2m_transaction_received`): the paying merchant.
    pub sending_merchant: Option<String>,
    /// Card: masked card number.
    pub customer_cc_number: Option<String>,
    /// Card: settled flag.
    pub settled: Option<bool>,
}

impl From<k::Transaction> for Transaction {
    fn from(t: k::Transaction) -> Self {
        Transaction {
            id: t.id,
            reference: t.reference,
            status: t.status,
            origination_time: t.origination_time,
            amount: amt(t.amount),
            currency: t.currency,
            till_number: t.till_number,
            system: t.system,
            sender_phone_number: t.sender_phone_number,
            hashed_sender_phone: t.hashed_sender_phone,
            sender_first_name: t.sender_first_name,
            sender_middle_name: t.sender_middle_name,
            sender_last_name: t.sender_last_name,
            sending_till: t.sending_till,
            sending_merchant: t.sending_merchant,
            customer_cc_number: t.customer_cc_number,
            settled: t.settled,
        }
    }
}

/// An incoming payment (STK push): status query and result callback.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct IncomingPayment {
    /// Id.
    pub id: String,
    /// `incoming_payment`.
    pub kind: String,
    /// `Pending`, `Success` or `Failed`.
    pub status: String,
    /// When it was initiated.
    pub initiation_time: Option<String>,
    /// `event.type`.
    pub event_type: Option<String>,
    /// The payment, once received.
    pub transaction: Option<Transaction>,
    /// Error messages (empty on success).
    pub errors: Vec<String>,
    /// Metadata sent at creation (non-string values as JSON text).
    pub metadata: HashMap<String, String>,
    /// `_links.callback_url`.
    pub callback_url: Option<String>,
    /// `_links.self`.
    pub self_url: Option<String>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::IncomingPayment> for IncomingPayment {
    fn from(p: k::IncomingPayment) -> Self {
        IncomingPayment {
            raw_json: json(&p),
            metadata: meta(&p.metadata),
            id: p.id,
            kind: p.kind,
            status: p.status,
            initiation_time: p.initiation_time,
            event_type: p.event.event_type,
            transaction: p.event.resource.map(Into::into),
            errors: p.event.errors,
            callback_url: p.links.callback_url,
            self_url: p.links.self_url,
        }
    }
}

/// One disbursement of a send-money transfer batch.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct Disbursement {
    /// `Transferred`, `Failed`...
    pub status: Option<String>,
    /// Amount as decimal text.
    pub amount: Option<String>,
    /// Error messages.
    pub errors: Vec<String>,
    /// When.
    pub origination_time: Option<String>,
    /// Destination type.
    pub destination_type: Option<String>,
    /// Destination reference.
    pub destination_reference: Option<String>,
    /// M-PESA reference.
    pub transaction_reference: Option<String>,
}

/// A transfer batch of a send-money request.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct TransferBatch {
    /// Status.
    pub status: Option<String>,
    /// Total amount as decimal text.
    pub amount: Option<String>,
    /// Disbursements.
    pub disbursements: Vec<Disbursement>,
}

/// An amount object, `{"currency": "KES", "value": ...}`.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct MoneyAmount {
    /// Currency.
    pub currency: Option<String>,
    /// Value as decimal text (`null` when the server sent none).
    pub value: Option<String>,
}

impl From<k::MoneyAmount> for MoneyAmount {
    fn from(m: k::MoneyAmount) -> Self {
        MoneyAmount {
            currency: m.currency,
            value: amt(m.value),
        }
    }
}

/// A send-money request: status query and result callback. Destinations as
/// echoed back are in `raw_json`.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct SendMoney {
    /// Id.
    pub id: String,
    /// `data.type` as received: `send_money`, or for a version-1 result
    /// `payment` or `settlement_transfer`.
    pub kind: String,
    /// `Pending`, `Processed`...
    pub status: String,
    /// Creation time.
    pub created_at: Option<String>,
    /// Source till, or none for the available balance.
    pub source_identifier: Option<String>,
    /// Currency.
    pub currency: Option<String>,
    /// Number of destinations echoed back.
    pub destination_count: u32,
    /// Transfer batches.
    pub transfer_batches: Vec<TransferBatch>,
    /// Error messages.
    pub errors: Vec<String>,
    /// The legacy `settlement_transfer` document's total (its `value` may be
    /// `null`); absent from `send_money` documents.
    pub amount: Option<MoneyAmount>,
    /// Metadata.
    pub metadata: HashMap<String, String>,
    /// `_links.callback_url`.
    pub callback_url: Option<String>,
    /// `_links.self`.
    pub self_url: Option<String>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::SendMoney> for SendMoney {
    fn from(s: k::SendMoney) -> Self {
        SendMoney {
            raw_json: json(&s),
            metadata: meta(&s.metadata),
            id: s.id,
            kind: s.kind,
            status: s.status,
            created_at: s.created_at,
            source_identifier: s.source_identifier,
            currency: s.currency,
            destination_count: u32::try_from(s.destinations.len()).unwrap_or(u32::MAX),
            transfer_batches: s
                .transfer_batches
                .into_iter()
                .map(|b| TransferBatch {
                    status: b.status,
                    amount: amt(b.amount),
                    disbursements: b
                        .disbursements
                        .into_iter()
                        .map(|d| Disbursement {
                            status: d.status,
                            amount: amt(d.amount),
                            errors: d.errors,
                            origination_time: d.origination_time,
                            destination_type: d.destination_type,
                            destination_reference: d.destination_reference,
                            transaction_reference: d.transaction_reference,
                        })
                        .collect(),
                })
                .collect(),
            errors: s.errors,
            amount: s.amount.map(Into::into),
            callback_url: s.links.callback_url,
            self_url: s.links.self_url,
        }
    }
}

/// One transaction found by polling.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct PolledTransaction {
    /// `Buygoods Transaction`...
    pub transaction_type: Option<String>,
    /// The transaction.
    pub transaction: Transaction,
}

/// A polling request: status query and result callback.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct Polling {
    /// Id.
    pub id: String,
    /// `polling`.
    pub kind: String,
    /// Status.
    pub status: String,
    /// Creation time.
    pub created_at: Option<String>,
    /// From.
    pub from_time: Option<String>,
    /// To.
    pub to_time: Option<String>,
    /// Scope.
    pub scope: Option<String>,
    /// Scope reference.
    pub scope_reference: Option<String>,
    /// Transactions found.
    pub transactions: Vec<PolledTransaction>,
    /// `_links.callback_url`.
    pub callback_url: Option<String>,
    /// `_links.self`.
    pub self_url: Option<String>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::Polling> for Polling {
    fn from(p: k::Polling) -> Self {
        Polling {
            raw_json: json(&p),
            id: p.id,
            kind: p.kind,
            status: p.status,
            created_at: p.created_at,
            from_time: p.from_time,
            to_time: p.to_time,
            scope: p.scope,
            scope_reference: p.scope_reference,
            transactions: p
                .transactions
                .into_iter()
                .map(|t| PolledTransaction {
                    transaction_type: t.transaction_type,
                    transaction: t.resource.into(),
                })
                .collect(),
            callback_url: p.links.callback_url,
            self_url: p.links.self_url,
        }
    }
}

/// A transaction SMS notification: status query and result callback.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct SmsNotification {
    /// Id.
    pub id: String,
    /// `transaction_sms_notification`.
    pub kind: String,
    /// Status.
    pub status: String,
    /// The text sent.
    pub sms_text: Option<String>,
    /// The webhook event it refers to.
    pub webhook_event_reference: Option<String>,
    /// `_links.callback_url`.
    pub callback_url: Option<String>,
    /// `_links.self`.
    pub self_url: Option<String>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::SmsNotification> for SmsNotification {
    fn from(s: k::SmsNotification) -> Self {
        SmsNotification {
            raw_json: json(&s),
            id: s.id,
            kind: s.kind,
            status: s.status,
            sms_text: s.message,
            webhook_event_reference: s.webhook_event_reference,
            callback_url: s.links.callback_url,
            self_url: s.links.self_url,
        }
    }
}

/// The payment that carried out a reversal.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct ReversalPayment {
    /// Amount reversed, as decimal text.
    pub amount: Option<String>,
    /// `Transferred` (reversed) or `Cancelled` (failed).
    pub status: Option<String>,
    /// When.
    pub origination_time: Option<String>,
    /// Reference.
    pub transaction_reference: Option<String>,
}

/// A reversal: status query and result callback.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct Reversal {
    /// Id.
    pub id: String,
    /// `reversals`.
    pub kind: String,
    /// `Scheduled`, `Processed`... (a failed reversal is `Processed` too: see `is_reversed`).
    pub status: String,
    /// Creation time.
    pub created_at: Option<String>,
    /// Transaction reversed.
    pub transaction_reference: Option<String>,
    /// Reason given.
    pub reason: Option<String>,
    /// The reversal payment, once processed.
    pub reversal_payment: Option<ReversalPayment>,
    /// Whether the money was actually reversed.
    pub is_reversed: bool,
    /// Error messages.
    pub errors: Vec<String>,
    /// Metadata.
    pub metadata: HashMap<String, String>,
    /// `_links.callback_url`.
    pub callback_url: Option<String>,
    /// `_links.self`.
    pub self_url: Option<String>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::Reversal> for Reversal {
    fn from(r: k::Reversal) -> Self {
        Reversal {
            raw_json: json(&r),
            metadata: meta(&r.metadata),
            is_reversed: r.is_reversed(),
            id: r.id,
            kind: r.kind,
            status: r.status,
            created_at: r.created_at,
            transaction_reference: r.transaction_reference,
            reason: r.reason,
            reversal_payment: r.reversal_bulk_payment.map(|p| ReversalPayment {
                amount: amt(p.amount),
                status: p.status,
                origination_time: p.origination_time,
                transaction_reference: p.transaction_reference,
            }),
            errors: r.errors,
            callback_url: r.links.callback_url,
            self_url: r.links.self_url,
        }
    }
}

/// The link part of a payment link.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct PaymentLinkDetails {
    /// `Active`, `Paid`, `Cancelled`, `Expired`.
    pub status: Option<String>,
    /// Expiry.
    pub expires_at: Option<String>,
    /// The URL to share.
    pub link: Option<String>,
    /// Reference of the paying transaction.
    pub transaction_reference: Option<String>,
    /// Payer phone.
    pub sender_phone_number: Option<String>,
    /// When it was paid.
    pub origination_time: Option<String>,
}

/// A payment link: status query and result callback.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct PaymentLink {
    /// Id.
    pub id: String,
    /// `payment_link`.
    pub kind: String,
    /// Request status.
    pub status: String,
    /// Creation time.
    pub created_at: Option<String>,
    /// Till name.
    pub till_name: Option<String>,
    /// Who created the link (sent in the second status shape only).
    pub initiator_name: Option<String>,
    /// Till number.
    pub till_number: Option<String>,
    /// Your reference.
    pub payment_reference: Option<String>,
    /// Currency.
    pub currency: Option<String>,
    /// Amount as decimal text.
    pub amount: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// The link and its state.
    pub payment_link: Option<PaymentLinkDetails>,
    /// Error messages.
    pub errors: Vec<String>,
    /// Metadata.
    pub metadata: HashMap<String, String>,
    /// `_links.callback_url`.
    pub callback_url: Option<String>,
    /// `_links.self`.
    pub self_url: Option<String>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::PaymentLink> for PaymentLink {
    fn from(p: k::PaymentLink) -> Self {
        PaymentLink {
            raw_json: json(&p),
            metadata: meta(&p.metadata),
            id: p.id,
            kind: p.kind,
            status: p.status,
            created_at: p.created_at,
            till_name: p.till_name,
            initiator_name: p.initiator_name,
            till_number: p.till_number,
            payment_reference: p.payment_reference,
            currency: p.currency,
            amount: amt(p.amount),
            note: p.note,
            payment_link: p.payment_link.map(|d| PaymentLinkDetails {
                status: d.status,
                expires_at: d.expires_at,
                link: d.link,
                transaction_reference: d.transaction_reference,
                sender_phone_number: d.sender_phone_number,
                origination_time: d.origination_time,
            }),
            errors: p.errors,
            callback_url: p.links.callback_url,
            self_url: p.links.self_url,
        }
    }
}

/// `POST /api/v2/payment_links/{id}/cancel` result.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct CancelledPaymentLink {
    /// `Payment link cancelled.`
    pub message: Option<String>,
    /// The cancelled link, when the response carries it (a `data` document).
    pub payment_link: Option<PaymentLink>,
    /// The normalised result as JSON.
    pub raw_json: String,
}

impl From<k::CancelledPaymentLink> for CancelledPaymentLink {
    fn from(c: k::CancelledPaymentLink) -> Self {
        CancelledPaymentLink {
            raw_json: json(&c),
            message: c.message,
            payment_link: c.payment_link.map(Into::into),
        }
    }
}

// ------------------------------------------------------------ webhooks

/// A verified, parsed webhook, in either payload structure.
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct WebhookEvent {
    /// `k2` (K2Connect structure) or `daraja`.
    pub structure: String,
    /// Topic, e.g. `buygoods_transaction_received` (unknown topics as sent).
    pub topic: String,
    /// Event id (K2Connect), or the M-PESA `TransID` (Daraja).
    pub id: String,
    /// Creation time (K2Connect).
    pub created_at: Option<String>,
    /// `event.type`, e.g. `Buygoods Transaction` (Daraja: `TransactionType`).
    pub event_type: Option<String>,
    /// `transaction`, `settlement_transfer`, `customer`, `unknown` or `daraja`.
    pub resource_kind: String,
    /// The transaction, for transaction topics in the K2Connect structure.
    pub transaction: Option<Transaction>,
    /// Amount as decimal text, when the event carries one.
    pub amount: Option<String>,
    /// The normalised payload as JSON (the core's typed event).
    pub json: String,
}

impl WebhookEvent {
    pub(crate) fn from_core(w: kw::Webhook) -> Result<Self, KopoKopoError> {
        let body = serde_json::to_string(&w).map_err(|e| KopoKopoError::Decode { detail: e.to_string() })?;
        let topic = w.topic().as_str().to_string();
        Ok(match w {
            kw::Webhook::K2(e) => {
                let (kind, transaction, amount) = match e.resource {
                    kw::WebhookResource::Transaction(t) => {
                        let a = amt(t.amount);
                        ("transaction", Some(Transaction::from(t)), a)
                    }
                    kw::WebhookResource::SettlementTransfer(s) => ("settlement_transfer", None, amt(s.amount)),
                    kw::WebhookResource::Customer(_) => ("customer", None, None),
                    _ => ("unknown", None, None),
                };
                WebhookEvent {
                    structure: "k2".into(),
                    topic,
                    id: e.id,
                    created_at: e.created_at,
                    event_type: e.event_type,
                    resource_kind: kind.into(),
                    transaction,
                    amount,
                    json: body,
                }
            }
            kw::Webhook::Daraja(d) => WebhookEvent {
                structure: "daraja".into(),
                topic,
                id: d.trans_id.clone(),
                created_at: None,
                event_type: Some(d.transaction_type.clone()),
                resource_kind: "daraja".into(),
                transaction: None,
                amount: amt(d.trans_amount),
                json: body,
            },
        })
    }
}

/// A verified, parsed asynchronous result (POSTed to a `callback_url`).
/// `kind` says which of the typed fields is set; the typed record's own
/// `kind` is `data.type` as received (e.g. `payment` or `settlement_transfer`
/// for a version-1 send-money result, whose `kind` here is `send_money`).
#[derive(uniffi::Record, Clone, Debug, PartialEq, Eq)]
pub struct CallbackResult {
    /// `incoming_payment`, `send_money`, `polling`, `transaction_sms_notification`,
    /// `reversals`, `payment_link`, or the unknown `data.type` as sent.
    pub kind: String,
    /// `data.id`.
    pub id: String,
    /// The resource status.
    pub status: String,
    /// Set when `kind` is `incoming_payment`.
    pub incoming_payment: Option<IncomingPayment>,
    /// Set when `kind` is `send_money`.
    pub send_money: Option<SendMoney>,
    /// Set when `kind` is `polling`.
    pub polling: Option<Polling>,
    /// Set when `kind` is `transaction_sms_notification`.
    pub sms_notification: Option<SmsNotification>,
    /// Set when `kind` is `reversals`.
    pub reversal: Option<Reversal>,
    /// Set when `kind` is `payment_link`.
    pub payment_link: Option<PaymentLink>,
    /// The normalised payload as JSON (`{"kind": ..., "value": {...}}`).
    pub json: String,
}

impl CallbackResult {
    pub(crate) fn from_core(r: kw::CallbackResult) -> Result<Self, KopoKopoError> {
        let body = serde_json::to_string(&r).map_err(|e| KopoKopoError::Decode { detail: e.to_string() })?;
        // Which typed field is set, by the names this binding has always used
        // (the documented `data.type` of each kind). `result_type()` is
        // `data.type` as received (`payment`, `settlement_transfer`,
        // `transaction_sms_notifications`...), which the typed records keep.
        let kind = match &r {
            kw::CallbackResult::IncomingPayment(_) => "incoming_payment",
            kw::CallbackResult::SendMoney(_) => "send_money",
            kw::CallbackResult::Polling(_) => "polling",
            kw::CallbackResult::SmsNotification(_) => "transaction_sms_notification",
            kw::CallbackResult::Reversal(_) => "reversals",
            kw::CallbackResult::PaymentLink(_) => "payment_link",
            _ => r.result_type(),
        };
        let mut out = CallbackResult {
            kind: kind.to_string(),
            id: String::new(),
            status: String::new(),
            incoming_payment: None,
            send_money: None,
            polling: None,
            sms_notification: None,
            reversal: None,
            payment_link: None,
            json: body,
        };
        match r {
            kw::CallbackResult::IncomingPayment(x) => {
                let x = IncomingPayment::from(x);
                (out.id, out.status) = (x.id.clone(), x.status.clone());
                out.incoming_payment = Some(x);
            }
            kw::CallbackResult::SendMoney(x) => {
                let x = SendMoney::from(x);
                (out.id, out.status) = (x.id.clone(), x.status.clone());
                out.send_money = Some(x);
            }
            kw::CallbackResult::Polling(x) => {
                let x = Polling::from(x);
                (out.id, out.status) = (x.id.clone(), x.status.clone());
                out.polling = Some(x);
            }
            kw::CallbackResult::SmsNotification(x) => {
                let x = SmsNotification::from(x);
                (out.id, out.status) = (x.id.clone(), x.status.clone());
                out.sms_notification = Some(x);
            }
            kw::CallbackResult::Reversal(x) => {
                let x = Reversal::from(x);
                (out.id, out.status) = (x.id.clone(), x.status.clone());
                out.reversal = Some(x);
            }
            kw::CallbackResult::PaymentLink(x) => {
                let x = PaymentLink::from(x);
                (out.id, out.status) = (x.id.clone(), x.status.clone());
                out.payment_link = Some(x);
            }
            kw::CallbackResult::Unknown { raw, .. } => {
                let data = raw.get("data");
                out.id = match data.and_then(|d| d.get("id")) {
                    Some(Value::String(s)) => s.clone(),
                    Some(v @ Value::Number(_)) => v.to_string(),
                    _ => String::new(),
                };
                out.status = data
                    .and_then(|d| d.pointer("/attributes/status"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
            }
        }
        Ok(out)
    }
}
