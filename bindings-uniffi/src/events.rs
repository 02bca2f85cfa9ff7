//! The two parse entry points' records: `WebhookEvent` (either webhook
//! structure) and `CallbackResult` (any result kind), flattened over the
//! generated records (`generated.rs`) into one record each, the shape the
//! Kotlin and Swift packages have always had.

use serde_json::Value;

use kopokopo::webhooks as kw;

use crate::convert::{amt, json};
use crate::{
    Customer, DarajaEvent, IncomingPayment, KopoKopoError, PaymentLink, Polling, Reversal, SendMoney,
    SettlementTransfer, SmsNotification, Transaction,
};

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
    /// The settlement, for `settlement_transfer_completed`.
    pub settlement_transfer: Option<SettlementTransfer>,
    /// The customer, for `customer_created`.
    pub customer: Option<Customer>,
    /// The whole event, in the Daraja structure.
    pub daraja: Option<DarajaEvent>,
    /// Amount as decimal text, when the event carries one.
    pub amount: Option<String>,
    /// `_links.self` (K2Connect).
    pub self_url: Option<String>,
    /// `_links.resource` (K2Connect): the related resource's URL.
    pub resource_url: Option<String>,
    /// The normalised payload as JSON (the core's typed event).
    pub json: String,
}

impl WebhookEvent {
    pub(crate) fn from_core(w: kw::Webhook) -> Result<Self, KopoKopoError> {
        let body = json(&w);
        let topic = w.topic().as_str().to_string();
        let mut out = WebhookEvent {
            structure: w.structure().to_string(),
            topic,
            id: String::new(),
            created_at: None,
            event_type: None,
            resource_kind: String::new(),
            transaction: None,
            settlement_transfer: None,
            customer: None,
            daraja: None,
            amount: None,
            self_url: None,
            resource_url: None,
            json: body,
        };
        match w {
            kw::Webhook::K2(e) => {
                out.id = e.id;
                out.created_at = e.created_at;
                out.event_type = e.event_type;
                out.self_url = e.links.self_url;
                out.resource_url = e.links.resource;
                out.resource_kind = match e.resource {
                    kw::WebhookResource::Transaction(t) => {
                        out.amount = amt(t.amount);
                        out.transaction = Some(t.into());
                        "transaction"
                    }
                    kw::WebhookResource::SettlementTransfer(s) => {
                        out.amount = amt(s.amount);
                        out.settlement_transfer = Some(s.into());
                        "settlement_transfer"
                    }
                    kw::WebhookResource::Customer(c) => {
                        out.customer = Some(c);
                        "customer"
                    }
                    _ => "unknown",
                }
                .to_string();
            }
            kw::Webhook::Daraja(d) => {
                out.id = d.trans_id.clone();
                out.event_type = Some(d.transaction_type.clone());
                out.resource_kind = "daraja".into();
                out.amount = amt(d.trans_amount);
                out.daraja = Some(d.into());
            }
        }
        Ok(out)
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
        // `kind` by the names this binding has always used (the documented
        // `data.type` of each kind); the typed records keep `data.type` as received.
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
            json: json(&r),
        };
        macro_rules! typed {
            ($x:ident, $ty:ident, $field:ident) => {{
                let x = $ty::from($x);
                (out.id, out.status) = (x.id.clone(), x.status.clone());
                out.$field = Some(x);
            }};
        }
        match r {
            kw::CallbackResult::IncomingPayment(x) => typed!(x, IncomingPayment, incoming_payment),
            kw::CallbackResult::SendMoney(x) => typed!(x, SendMoney, send_money),
            kw::CallbackResult::Polling(x) => typed!(x, Polling, polling),
            kw::CallbackResult::SmsNotification(x) => typed!(x, SmsNotification, sms_notification),
            kw::CallbackResult::Reversal(x) => typed!(x, Reversal, reversal),
            kw::CallbackResult::PaymentLink(x) => typed!(x, PaymentLink, payment_link),
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
