//! # kopokopo: the Kopo Kopo (K2 Connect) API in one Rust implementation
//!
//! Take M-PESA payments (STK push), send money, run payment links and
//! reversals, poll transactions and receive signed webhooks. This crate is the
//! single implementation behind the Python, Node, Kotlin, Swift and C
//! packages: what it does, every platform does.
//!
//! * **Sans-IO core**: every endpoint is an [`api::Operation`] that builds an
//!   [`HttpRequest`] and parses an [`HttpResponse`]; the blocking [`Client`]
//!   runs them over a [`Transport`] (ureq + rustls by default).
//! * **Validation before I/O**: bad input is an [`Error::InvalidArgument`]
//!   naming the field; nothing is sent.
//! * **Token cache**: tokens are reused until shortly before they expire;
//!   concurrent callers share one refresh; a 401 triggers one refresh and one retry.
//! * **Safe retries**: only GETs and token requests are retried (429 with
//!   `Retry-After`, 5xx, connection errors); a payment is never sent twice.
//! * **Webhooks**: HMAC-SHA256 over the raw body, constant-time comparison;
//!   typed events for every topic in both payload structures.
//! * **Money is exact**: [`Amount`] is a decimal, never a float.
//!
//! ## Configure a client
//!
//! ```
//! use kopokopo::{Client, Config};
//! use std::time::Duration;
//!
//! let config = Config::builder("my-client-id", "my-client-secret")
//!     .api_key("my-api-key")                      // verifies webhooks
//!     .base_url(kopokopo::SANDBOX_URL)            // or .production()
//!     .timeout(Duration::from_secs(20))
//!     .build()?;
//! let client = Client::new(config);
//! # Ok::<(), kopokopo::Error>(())
//! ```
//!
//! ## Tokens
//!
//! The client fetches and caches tokens by itself. To manage them directly:
//!
//! ```no_run
//! # let client = kopokopo::Client::new(kopokopo::Config::builder("id", "secret").build()?);
//! let token = client.tokens().request()?;           // POST /oauth/token
//! let info = client.tokens().introspect(&token.access_token)?;
//! assert!(info.active);
//! client.tokens().revoke(&token.access_token)?;
//! # Ok::<(), kopokopo::Error>(())
//! ```
//!
//! ## Receive payments (STK push)
//!
//! ```no_run
//! use kopokopo::{Amount, IncomingPaymentRequest};
//! # let client = kopokopo::Client::new(kopokopo::Config::builder("id", "secret").build()?);
//! let created = client.incoming_payments().create(&IncomingPaymentRequest {
//!     till_number: "K000000".into(),
//!     phone_number: "0712345678".into(),           // normalised to +254712345678
//!     amount: Amount::parse("150.00")?,
//!     callback_url: "https://example.com/k2/results".into(),
//!     ..Default::default()
//! })?;
//! let payment = client.incoming_payments().status(&created.location)?;
//! println!("{}: {}", payment.id, payment.status);     // Pending, Success or Failed
//! # Ok::<(), kopokopo::Error>(())
//! ```
//!
//! ## Send money
//!
//! ```no_run
//! use kopokopo::{Amount, Destination, ExternalRecipientRequest, SendMoneyRequest};
//! # let client = kopokopo::Client::new(kopokopo::Config::builder("id", "secret").build()?);
//! client.external_recipients().create(&ExternalRecipientRequest::MobileWallet {
//!     first_name: "Jane".into(),
//!     last_name: "Doe".into(),
//!     phone_number: "0712345678".into(),
//!     network: "Safaricom".into(),
//!     email: None,
//!     nickname: Some("Jane".into()),
//! })?;
//! let created = client.send_money().create(&SendMoneyRequest {
//!     destinations: vec![Destination::MobileWallet {
//!         phone_number: "0712345678".into(),
//!         network: "Safaricom".into(),
//!         amount: Amount::from_units(1000),
//!         description: "Salary".into(),
//!         nickname: None,
//!         favourite: None,
//!     }],
//!     callback_url: "https://example.com/k2/results".into(),
//!     ..Default::default()
//! })?;
//! let status = client.send_money().status(&created.id)?;
//! # Ok::<(), kopokopo::Error>(())
//! ```
//!
//! Merchant wallets and bank accounts are added with
//! [`Client::merchant_wallets`] and [`Client::merchant_bank_accounts`].
//!
//! ## Payment links, reversals, polling, SMS notifications
//!
//! ```no_run
//! use kopokopo::{Amount, PaymentLinkRequest, ReversalRequest, PollingRequest};
//! # let client = kopokopo::Client::new(kopokopo::Config::builder("id", "secret").build()?);
//! let link = client.payment_links().create(&PaymentLinkRequest {
//!     till_number: "112233".into(),
//!     amount: Amount::from_units(350),
//!     callback_url: "https://example.com/k2/results".into(),
//!     ..Default::default()
//! })?;
//! let details = client.payment_links().status(&link.id)?;
//! client.payment_links().cancel(&link.id)?;
//!
//! client.reversals().create(&ReversalRequest {
//!     transaction_reference: "OJJ1MPU40Z".into(),
//!     reason: "Customer overpaid".into(),
//!     callback_url: "https://example.com/k2/results".into(),
//!     metadata: None,
//! })?;
//!
//! client.polling().create(&PollingRequest {
//!     scope: "company".into(),
//!     scope_reference: None,
//!     from_time: "2021-04-12T08:50:22+03:00".into(),
//!     to_time: "2021-04-19T08:50:22+03:00".into(),
//!     callback_url: "https://example.com/k2/results".into(),
//! })?;
//!
//! // Transaction SMS notifications (deprecated by Kopo Kopo, still served).
//! client.sms_notifications().create(&kopokopo::SmsNotificationRequest {
//!     webhook_event_reference: "c271e1ba-2ae5-4ba3-a8ad-60b2fd2e2e37".into(),
//!     message: "Thank you for your payment".into(),
//!     callback_url: "https://example.com/k2/results".into(),
//! })?;
//! # Ok::<(), kopokopo::Error>(())
//! ```
//!
//! ## Webhook subscriptions
//!
//! ```no_run
//! use kopokopo::WebhookSubscriptionRequest;
//! # let client = kopokopo::Client::new(kopokopo::Config::builder("id", "secret").build()?);
//! let sub = client.webhooks().subscribe(&WebhookSubscriptionRequest {
//!     event_type: "buygoods_transaction_received".into(),
//!     url: "https://example.com/k2/webhooks".into(),
//!     scope: "till".into(),
//!     scope_reference: Some("112233".into()),
//!     enable_daraja_payload: Some(false),
//! })?;
//! println!("subscription {}", sub.id);
//! # Ok::<(), kopokopo::Error>(())
//! ```
//!
//! ## Any operation by name
//!
//! [`dynamic::execute_json`] runs any operation of [`dynamic::OPERATIONS`]
//! with JSON parameters (the request structs' field names) and returns the
//! typed result as exact JSON text; the language bindings are built on it.
//!
//! ## Webhooks and results
//!
//! Verify over the **raw request body**, exactly as received:
//!
//! ```
//! use kopokopo::webhooks::{self, Webhook, WebhookResource, CallbackResult};
//!
//! let body = br#"{"topic":"buygoods_transaction_received","id":"e1","created_at":"2026-01-01T00:00:00+03:00",
//!   "event":{"type":"Buygoods Transaction","resource":{"amount":"100.0","currency":"KES","reference":"OJJ1"}},
//!   "_links":{"self":"https://sandbox.kopokopo.com/webhook_events/e1"}}"#;
//! let signature = webhooks::sign(body, "my-api-key");   // what Kopo Kopo sends
//!
//! match webhooks::parse_webhook(body, Some(&signature), "my-api-key")? {
//!     Webhook::K2(event) => {
//!         assert_eq!(event.topic.as_str(), "buygoods_transaction_received");
//!         if let WebhookResource::Transaction(tx) = event.resource {
//!             assert_eq!(tx.amount.unwrap().to_string(), "100.0");
//!         }
//!     }
//!     Webhook::Daraja(event) => println!("{}", event.trans_id),
//! }
//! // A tampered body or a bad signature is refused:
//! assert!(!webhooks::verify_signature(b"{}", Some(&signature), "my-api-key"));
//! # Ok::<(), kopokopo::Error>(())
//! ```
//!
//! Results POSTed to your `callback_url` are parsed with
//! [`webhooks::parse_result`] into a [`webhooks::CallbackResult`].
//!
//! ## Errors
//!
//! Every failure is an [`Error`] with a stable [`Error::code`]:
//! `invalid_argument` (with [`Error::field`]), `authentication_failed`,
//! `api_error` (HTTP status, `error_code`, `error_message`), `rate_limited`
//! (`retry_after`), `transport_error`, `timeout`, `signature_invalid`,
//! `decode_error`. No error, `Debug` output or log ever contains the client
//! secret, the API key or an access token.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod api;
mod client;
mod config;
pub mod dynamic;
mod error;
mod http;
mod lenient;
mod money;
pub mod operations;
pub mod requests;
pub mod results;
pub mod schema;
pub mod time;
mod transport;
pub mod validate;
pub mod webhooks;

pub use client::{Client, MAX_TOKEN_LIFETIME, TOKEN_FAILURE_HOLD};
pub use operations::groups::{
    ExternalRecipients, IncomingPayments, MerchantBankAccounts, MerchantWallets, PaymentLinks, Reversals,
    SmsNotifications, Tokens, Webhooks,
};
/// The send-money group, now [`groups::SendMoney`](operations::groups::SendMoney).
#[deprecated(since = "0.1.0", note = "use kopokopo::operations::groups::SendMoney")]
pub type SendMoneyApi<'a> = operations::groups::SendMoney<'a>;
/// The polling group, now [`groups::Polling`](operations::groups::Polling).
#[deprecated(since = "0.1.0", note = "use kopokopo::operations::groups::Polling")]
pub type PollingApi<'a> = operations::groups::Polling<'a>;
pub use config::{Config, ConfigBuilder, MAX_TIMEOUT, PRODUCTION_URL, Proxy, SANDBOX_URL, Secret, VERSION};
pub use error::{Error, ErrorKind, Result};
pub use http::{HttpRequest, HttpResponse, Method};
pub use money::Amount;
pub use requests::{
    Destination, ExternalRecipientRequest, IncomingPaymentRequest, MerchantBankAccountRequest, MerchantWalletRequest,
    PaymentLinkRequest, PollingRequest, ReversalRequest, SendMoneyRequest, SmsNotificationRequest,
    WebhookSubscriptionRequest,
};
pub use results::{
    AccessToken, CancelledPaymentLink, Created, IncomingPayment, PaymentLink, Polling, Reversal, SendMoney,
    SmsNotification, TokenInfo, TokenIntrospection, Transaction,
};
pub use transport::{Transport, UreqTransport};
pub use webhooks::{CallbackResult, Topic, Webhook, WebhookEvent};

/// The Rust blocks of the repository's README, compiled by `cargo test --doc`
/// so that the quick start cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
