//! What the parse entry points return: `WebhookEvent`, one case per webhook
//! topic, and `CallbackResult`, one case per result type: sealed classes in
//! Kotlin (`when` over them is exhaustive), enums in Swift. Each case carries
//! its typed resource (the records of `generated.rs`); the paths are the
//! core's (`event.resource.senderPhoneNumber`, `payment.event.resource`), as
//! in every other language.

use kopokopo::webhooks::{self as kw, Topic};

use crate::convert::{Timestamp, json, opt_timestamp};
use crate::{
    Customer, DarajaEvent, IncomingPayment, KopoKopoError, Links, PaymentLink, Polling, Reversal, SendMoney,
    SettlementTransfer, SmsNotification, Transaction,
};

macro_rules! webhook_event {
    (
        $(
            $(#[$doc:meta])* $variant:ident($topic:ident, $resource:ident)
        ),* $(,)?
    ) => {
        /// A verified, parsed webhook: one case per topic, each with its
        /// typed `resource`; `Daraja` for the Daraja payload structure,
        /// `Unknown` for a topic this version does not know.
        ///
        /// ```kotlin
        /// when (val event = client.parseWebhook(body, signature)) {
        ///     is WebhookEvent.BuygoodsTransactionReceived -> println(event.resource.amount)
        ///     else -> {}
        /// }
        /// ```
        #[derive(uniffi::Enum, Clone, Debug, PartialEq, Eq)]
        pub enum WebhookEvent {
            $(
                $(#[$doc])*
                $variant {
                    /// Event id (use it as `webhook_event_reference` for SMS
                    /// notifications, and to drop a redelivered event).
                    id: String,
                    /// When the event was created.
                    created_at: Option<Timestamp>,
                    /// `event.type`, e.g. `Buygoods Transaction`.
                    event_type: Option<String>,
                    /// `event.resource`.
                    resource: $resource,
                    /// `_links` (`self`, `resource`).
                    links: Links,
                },
            )*
            /// A webhook in the Daraja payload structure (`enable_daraja_payload`).
            Daraja {
                /// The topic its `TransactionType` implies (e.g.
                /// `buygoods_transaction_received`).
                topic: String,
                /// The event.
                event: DarajaEvent,
            },
            /// A webhook of a topic this version does not know.
            Unknown {
                /// The topic, as sent.
                topic: String,
                /// Event id.
                id: String,
                /// When the event was created.
                created_at: Option<Timestamp>,
                /// `event.type`.
                event_type: Option<String>,
                /// `event.resource`, as JSON text.
                resource_json: String,
                /// `_links` (`self`, `resource`).
                links: Links,
            },
        }

        impl WebhookEvent {
            pub(crate) fn from_core(w: kw::Webhook) -> Result<Self, KopoKopoError> {
                let e = match w {
                    kw::Webhook::K2(e) => e,
                    kw::Webhook::Daraja(d) => {
                        return Ok(WebhookEvent::Daraja {
                            topic: kw::Webhook::Daraja(d.clone()).topic().as_str().to_string(),
                            event: d.into(),
                        })
                    }
                };
                let created_at = opt_timestamp(&e.created_at);
                Ok(match (e.topic, e.resource) {
                    $(
                        (Topic::$topic, kw::WebhookResource::$resource(r)) => WebhookEvent::$variant {
                            id: e.id,
                            created_at,
                            event_type: e.event_type,
                            resource: r.into(),
                            links: e.links,
                        },
                    )*
                    (topic, resource) => WebhookEvent::Unknown {
                        topic: topic.as_str().to_string(),
                        id: e.id,
                        created_at,
                        event_type: e.event_type,
                        resource_json: match resource {
                            kw::WebhookResource::Unknown { value } => value.to_string(),
                            other => json(&other),
                        },
                        links: e.links,
                    },
                })
            }
        }

        impl WebhookEvent {
            /// The topic of any case (the list of cases is this macro's, once).
            fn topic_text(&self) -> String {
                match self {
                    $(WebhookEvent::$variant { .. } => Topic::$topic.as_str().to_string(),)*
                    WebhookEvent::Daraja { topic, .. } | WebhookEvent::Unknown { topic, .. } => topic.clone(),
                }
            }

            /// The event id of any case (Daraja: the M-PESA `TransID`).
            fn id_text(&self) -> String {
                match self {
                    $(WebhookEvent::$variant { id, .. } => id.clone(),)*
                    WebhookEvent::Unknown { id, .. } => id.clone(),
                    WebhookEvent::Daraja { event, .. } => event.trans_id.clone(),
                }
            }
        }

        /// Every topic with a case of its own (a test checks it is the core's list).
        #[cfg(test)]
        pub(crate) const TYPED_TOPICS: &[Topic] = &[$(Topic::$topic),*];
    };
}

webhook_event! {
    /// `buygoods_transaction_received`: a buygoods (Lipa na M-PESA) payment.
    BuygoodsTransactionReceived(BuygoodsTransactionReceived, Transaction),
    /// `buygoods_transaction_reversed`.
    BuygoodsTransactionReversed(BuygoodsTransactionReversed, Transaction),
    /// `b2b_transaction_received`: a till-to-till payment.
    B2bTransactionReceived(B2bTransactionReceived, Transaction),
    /// `m2m_transaction_received`: a merchant-to-merchant payment.
    M2mTransactionReceived(M2mTransactionReceived, Transaction),
    /// `b2b_transaction_reversed`.
    B2bTransactionReversed(B2bTransactionReversed, Transaction),
    /// `settlement_transfer_completed`.
    SettlementTransferCompleted(SettlementTransferCompleted, SettlementTransfer),
    /// `customer_created`.
    CustomerCreated(CustomerCreated, Customer),
    /// `card_transaction_received`.
    CardTransactionReceived(CardTransactionReceived, Transaction),
    /// `card_transaction_voided`.
    CardTransactionVoided(CardTransactionVoided, Transaction),
    /// `card_transaction_reversed`.
    CardTransactionReversed(CardTransactionReversed, Transaction),
}

/// Read on any case, without a `when`/`switch`.
#[uniffi::export]
impl WebhookEvent {
    /// The topic, e.g. `buygoods_transaction_received`.
    pub fn topic(&self) -> String {
        self.topic_text()
    }

    /// The event id (Daraja: the M-PESA `TransID`): the key to drop a
    /// redelivered event.
    pub fn id(&self) -> String {
        self.id_text()
    }
}

/// A verified, parsed asynchronous result (POSTed to a `callback_url`): one
/// case per result type, each with its typed `value`; `Unknown` for a
/// `data.type` this version does not know.
///
/// ```kotlin
/// when (val result = client.parseResult(body, signature)) {
///     is CallbackResult.IncomingPaymentResult -> println(result.value.event.resource?.amount)
///     else -> {}
/// }
/// ```
#[derive(uniffi::Enum, Clone, Debug, PartialEq, Eq)]
pub enum CallbackResult {
    /// `incoming_payment`: the outcome of an STK push.
    IncomingPaymentResult {
        /// The payment.
        value: IncomingPayment,
    },
    /// `send_money` (also a version-1 `payment` or `settlement_transfer` result).
    SendMoneyResult {
        /// The send-money batch.
        value: SendMoney,
    },
    /// `polling`.
    PollingResult {
        /// The polling request and the transactions it found.
        value: Polling,
    },
    /// `transaction_sms_notification`.
    SmsNotificationResult {
        /// The notification.
        value: SmsNotification,
    },
    /// `reversals`.
    ReversalResult {
        /// The reversal.
        value: Reversal,
    },
    /// `payment_link`.
    PaymentLinkResult {
        /// The payment link.
        value: PaymentLink,
    },
    /// A result type this version does not know.
    Unknown {
        /// `data.type`, as sent.
        result_type: String,
        /// `data.id` (empty when absent).
        id: String,
        /// `data.attributes.status` (empty when absent).
        status: String,
        /// The whole body, as JSON text.
        json: String,
    },
}

impl CallbackResult {
    pub(crate) fn from_core(r: kw::CallbackResult) -> Result<Self, KopoKopoError> {
        let result_type = r.result_type().to_string();
        Ok(match r {
            kw::CallbackResult::IncomingPayment(x) => CallbackResult::IncomingPaymentResult { value: x.into() },
            kw::CallbackResult::SendMoney(x) => CallbackResult::SendMoneyResult { value: x.into() },
            kw::CallbackResult::Polling(x) => CallbackResult::PollingResult { value: x.into() },
            kw::CallbackResult::SmsNotification(x) => CallbackResult::SmsNotificationResult { value: x },
            kw::CallbackResult::Reversal(x) => CallbackResult::ReversalResult { value: x.into() },
            kw::CallbackResult::PaymentLink(x) => CallbackResult::PaymentLinkResult { value: x.into() },
            kw::CallbackResult::Unknown { .. } => CallbackResult::Unknown {
                id: r.id(),
                status: r.status(),
                json: match &r {
                    kw::CallbackResult::Unknown { raw, .. } => raw.to_string(),
                    _ => unreachable!("matched Unknown"),
                },
                result_type,
            },
        })
    }
}

/// Read on any case, without a `when`/`switch`.
#[uniffi::export]
impl CallbackResult {
    /// `data.id` (empty when an unknown result has none).
    pub fn id(&self) -> String {
        match self {
            CallbackResult::IncomingPaymentResult { value } => value.id.clone(),
            CallbackResult::SendMoneyResult { value } => value.id.clone(),
            CallbackResult::PollingResult { value } => value.id.clone(),
            CallbackResult::SmsNotificationResult { value } => value.id.clone(),
            CallbackResult::ReversalResult { value } => value.id.clone(),
            CallbackResult::PaymentLinkResult { value } => value.id.clone(),
            CallbackResult::Unknown { id, .. } => id.clone(),
        }
    }

    /// The resource status, e.g. `Success`, `Failed`, `Processed`.
    pub fn status(&self) -> String {
        match self {
            CallbackResult::IncomingPaymentResult { value } => value.status.clone(),
            CallbackResult::SendMoneyResult { value } => value.status.clone(),
            CallbackResult::PollingResult { value } => value.status.clone(),
            CallbackResult::SmsNotificationResult { value } => value.status.clone(),
            CallbackResult::ReversalResult { value } => value.status.clone(),
            CallbackResult::PaymentLinkResult { value } => value.status.clone(),
            CallbackResult::Unknown { status, .. } => status.clone(),
        }
    }
}
