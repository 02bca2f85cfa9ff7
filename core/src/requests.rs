//! Typed request parameters for every endpoint, their validation, and their
//! wire format.
//!
//! Each request type is a plain struct with public fields (build it with a
//! struct literal and `..Default::default()`, or deserialize it from JSON with
//! the same field names, which is what the language bindings do). Calling
//! [`validate`](IncomingPaymentRequest::validate) checks everything the API
//! documents; the client calls it before any I/O. `to_wire` produces the JSON
//! body the API expects, and `from_wire` reads such a body back (the
//! simulator uses it, so client and simulator share one implementation).

use crate::schema::Schema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::money::Amount;
use crate::validate;

/// Free-form metadata: at most 5 keys with primitive values.
pub type Metadata = Map<String, Value>;

/// Webhook topics a subscription may name. The documentation's `event_type`
/// list omits `customer_created`, although it documents that webhook (see
/// docs/api-notes.md, "Webhook subscription event types"). We accept it too:
/// refusing a documented webhook would be worse than letting the server decide.
pub const WEBHOOK_EVENT_TYPES: &[&str] = &[
    "buygoods_transaction_received",
    "buygoods_transaction_reversed",
    "b2b_transaction_received",
    "b2b_transaction_reversed",
    "m2m_transaction_received",
    "settlement_transfer_completed",
    "card_transaction_received",
    "card_transaction_voided",
    "card_transaction_reversed",
    "customer_created",
];
/// Webhook subscription and polling scopes.
pub const SCOPES: &[&str] = &["company", "till"];
/// Settlement methods of merchant bank accounts.
pub const SETTLEMENT_METHODS: &[&str] = &["EFT", "RTS"];
/// The documented mobile network (any non-empty network is sent as given).
pub const NETWORK_SAFARICOM: &str = "Safaricom";
/// Mobile networks the documentation names (only Safaricom); others are not refused.
pub const NETWORKS: &[&str] = &[NETWORK_SAFARICOM];
/// The STK push payment channel (the example's value, and the default).
pub const PAYMENT_CHANNEL_STK_PUSH: &str = "M-PESA STK Push";
/// The payment channel named in the table.
pub const PAYMENT_CHANNEL_MPESA: &str = "M-PESA";
/// Payment channels the documentation names; others are not refused.
pub const PAYMENT_CHANNELS: &[&str] = &[PAYMENT_CHANNEL_STK_PUSH, PAYMENT_CHANNEL_MPESA];
/// External recipient types.
pub const RECIPIENT_TYPES: &[&str] = &["mobile_wallet", "bank_account", "till", "paybill"];
/// Send-money destination types.
pub const DESTINATION_TYPES: &[&str] = &[
    "merchant_wallet",
    "merchant_bank_account",
    "mobile_wallet",
    "bank_account",
    "till",
    "paybill",
];
/// The default payment channel.
pub const DEFAULT_PAYMENT_CHANNEL: &str = PAYMENT_CHANNEL_STK_PUSH;
/// The only documented currency.
pub const KES: &str = "KES";

fn kes() -> String {
    KES.to_string()
}

fn default_channel() -> String {
    DEFAULT_PAYMENT_CHANNEL.to_string()
}

fn json_body<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising these plain structs cannot fail (string keys, no maps with
    // non-string keys); fall back to an empty object rather than panicking.
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

fn from_json_bytes<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let mut err = path_error("", e);
        // Only on the error path: re-read as a Value to find the exact field.
        if let Ok(root) = serde_json::from_slice::<Value>(body) {
            refine_in_tagged::<T>(&root, &path, "", &mut err);
        }
        err
    })
}

/// Reads an API request body as the API does: keys the request type does
/// not know are ignored (the official SDKs send some the documentation does
/// not list, such as `subscriber.middle_name`), every other error stands.
/// Requests built through the client refuse unknown keys instead
/// (docs/api-notes.md, "Unknown keys").
fn from_wire_json<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T> {
    // Fast path: a body without unknown keys is read straight from the bytes.
    match serde_json::from_slice::<T>(body) {
        Ok(v) => Ok(v),
        Err(_) => from_wire_value("", from_json_bytes::<Value>(body)?),
    }
}

/// [`from_wire_json`] for a value read at `prefix`.
fn from_wire_value<T: for<'de> Deserialize<'de>>(prefix: &str, mut value: Value) -> Result<T> {
    // Each round drops one unknown key; a body has few of them.
    for _ in 0..64 {
        match from_value_at::<T>(prefix, value.clone()) {
            Err(Error::InvalidArgument { field, reason }) if reason.starts_with("unknown field") => {
                let path = field.strip_prefix(prefix).unwrap_or(&field).trim_start_matches('.');
                if !remove_at(&mut value, path) {
                    return Err(Error::InvalidArgument { field, reason });
                }
            }
            other => return other,
        }
    }
    from_value_at(prefix, value)
}

/// Removes the value at a dotted/indexed path (`a.b[2].c`); whether it was there.
fn remove_at(value: &mut Value, path: &str) -> bool {
    let mut steps: Vec<&str> = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            steps.push(key);
        }
        steps.extend(
            rest.split('[')
                .map(|i| i.trim_end_matches(']'))
                .filter(|i| !i.is_empty()),
        );
    }
    let Some((last, parents)) = steps.split_last() else {
        return false;
    };
    let mut at = value;
    for step in parents {
        let next = match step.parse::<usize>() {
            Ok(i) => at.get_mut(i),
            Err(_) => at.get_mut(*step),
        };
        match next {
            Some(v) => at = v,
            None => return false,
        }
    }
    at.as_object_mut().is_some_and(|o| o.remove(*last).is_some())
}

fn from_value_at<T: for<'de> Deserialize<'de>>(prefix: &str, value: Value) -> Result<T> {
    serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        let mut err = path_error(prefix, e);
        refine_in_tagged::<T>(&value, &path, prefix, &mut err);
        err
    })
}

/// serde reports a wrong-typed field inside an internally tagged enum (a
/// send-money destination, an external recipient) at the enum's path only
/// (`destinations[0]`). Find the field by removing each key in turn: the one
/// whose removal changes the error is the culprit. Runs on errors only.
fn refine_in_tagged<T: for<'de> Deserialize<'de>>(root: &Value, path: &str, prefix: &str, err: &mut Error) {
    let Error::InvalidArgument { field, reason } = err else {
        return;
    };
    if ["missing field", "unknown field", "unknown variant"]
        .iter()
        .any(|m| reason.contains(m))
    {
        return; // already names its field
    }
    let pointer: String = if path == "." {
        String::new()
    } else {
        path.replace('[', ".")
            .replace(']', "")
            .split('.')
            .filter(|s| !s.is_empty())
            .map(|s| format!("/{s}"))
            .collect()
    };
    let Some(Value::Object(obj)) = root.pointer(&pointer) else {
        return;
    };
    if !obj.contains_key("type") {
        return;
    }
    for key in obj.keys().filter(|k| k.as_str() != "type") {
        let mut probe = root.clone();
        if let Some(Value::Object(o)) = probe.pointer_mut(&pointer) {
            o.remove(key);
        }
        // Errors read from a `Value` carry no position, like `reason`.
        let changed = match serde_json::from_value::<T>(probe) {
            Ok(_) => true,
            Err(e) => e.to_string() != *reason,
        };
        if changed {
            let base = if path == "." { prefix.to_string() } else { field.clone() };
            *field = if base.is_empty() {
                key.clone()
            } else {
                format!("{base}.{key}")
            };
            return;
        }
    }
}

/// Deserialises a request from the user-facing JSON (the bindings' path):
/// unknown fields, wrong types and missing required fields become
/// [`Error::InvalidArgument`] naming the field.
pub fn from_json<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T> {
    from_json_bytes(json.as_bytes())
}

/// Names the field of a deserialisation error: the path serde reached
/// (`destinations[0]`) plus the field a "missing/unknown field" message names.
fn path_error(prefix: &str, e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let mut msg = inner.to_string();
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    let mut base = String::from(prefix);
    if path != "." {
        if !base.is_empty() && !path.starts_with('[') {
            base.push('.');
        }
        base.push_str(&path);
    }
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|m| {
            msg.split(m)
                .nth(1)
                .and_then(|r| r.split('`').next())
                .map(str::to_string)
        })
        .or_else(|| msg.starts_with("unknown variant").then(|| "type".to_string()));
    let field = match (named, base.is_empty()) {
        (Some(n), true) => n,
        (Some(n), false) if !base.ends_with(&n) => format!("{base}.{n}"),
        (_, false) => base,
        (None, true) => "body".to_string(),
    };
    Error::invalid(field, msg)
}

#[derive(Serialize, Deserialize)]
struct LinksWire {
    callback_url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinksWireIn {
    #[serde(default)]
    callback_url: Option<String>,
}

fn links_in(links: Option<LinksWireIn>) -> String {
    links.and_then(|l| l.callback_url).unwrap_or_default()
}

fn check_metadata(meta: &Option<Metadata>) -> Result<()> {
    match meta {
        Some(m) => validate::metadata("metadata", m),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------- webhooks

/// `POST /api/v2/webhook_subscriptions`.
#[derive(Schema, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSubscriptionRequest {
    /// One of [`WEBHOOK_EVENT_TYPES`].
    pub event_type: String,
    /// The HTTPS endpoint that will receive the events.
    pub url: String,
    /// `company` or `till`.
    pub scope: String,
    /// Your till number; required when `scope` is `till`.
    #[serde(default)]
    pub scope_reference: Option<String>,
    /// `true` for the Daraja payload structure, `false` (default) for K2Connect.
    #[serde(default)]
    pub enable_daraja_payload: Option<bool>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookSubscriptionWire {
    event_type: String,
    url: String,
    scope: String,
    #[serde(default)]
    scope_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    enable_daraja_payload: Option<bool>,
}

impl WebhookSubscriptionRequest {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        validate::one_of("event_type", &self.event_type, WEBHOOK_EVENT_TYPES)?;
        validate::secure_url("url", &self.url)?;
        validate::one_of("scope", &self.scope, SCOPES)?;
        validate_scope_reference(&self.scope, self.scope_reference.as_deref())
    }

    /// The JSON body (call [`validate`](Self::validate) first).
    pub fn to_wire(&self) -> Vec<u8> {
        json_body(&WebhookSubscriptionWire {
            event_type: self.event_type.clone(),
            url: self.url.clone(),
            scope: self.scope.clone(),
            // The table marks scope_reference required but meaningful only for
            // tills; the polling example sends "" for company. We always send it
            // (docs/api-notes.md, "Subscription scope reference").
            scope_reference: Some(self.scope_reference.clone().unwrap_or_default()),
            enable_daraja_payload: self.enable_daraja_payload,
        })
    }

    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        let w: WebhookSubscriptionWire = from_wire_json(body)?;
        Ok(WebhookSubscriptionRequest {
            event_type: w.event_type,
            url: w.url,
            scope: w.scope,
            scope_reference: w.scope_reference.filter(|s| !s.is_empty()),
            enable_daraja_payload: w.enable_daraja_payload,
        })
    }
}

fn validate_scope_reference(scope: &str, reference: Option<&str>) -> Result<()> {
    if scope == "till" {
        match reference {
            Some(r) if !r.trim().is_empty() => Ok(()),
            _ => Err(Error::invalid(
                "scope_reference",
                "is required when scope is `till` (your till number)",
            )),
        }
    } else {
        Ok(())
    }
}

// ------------------------------------------------------- incoming payments

/// `POST /api/v2/incoming_payments`: an M-PESA STK push.
#[derive(Schema, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomingPaymentRequest {
    /// Payment channel; defaults to `M-PESA STK Push`.
    #[serde(default = "default_channel")]
    pub payment_channel: String,
    /// Your online payments till number (e.g. `K000000`).
    pub till_number: String,
    /// The subscriber's phone number (normalised to `+254...`).
    pub phone_number: String,
    /// Subscriber's first name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Subscriber's last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Subscriber's e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Amount to charge.
    pub amount: Amount,
    /// Currency; defaults to `KES`.
    #[serde(default = "kes")]
    pub currency: String,
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Up to 5 primitive key-value pairs.
    #[serde(default)]
    pub metadata: Option<Metadata>,
}

impl Default for IncomingPaymentRequest {
    fn default() -> Self {
        IncomingPaymentRequest {
            payment_channel: default_channel(),
            till_number: String::new(),
            phone_number: String::new(),
            first_name: None,
            last_name: None,
            email: None,
            amount: Amount::ZERO,
            currency: kes(),
            callback_url: String::new(),
            metadata: None,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubscriberWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(default)]
    phone_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AmountWire {
    #[serde(default)]
    currency: String,
    value: Amount,
}

#[derive(Serialize)]
struct IncomingPaymentWire<'a> {
    payment_channel: &'a str,
    till_number: &'a str,
    subscriber: SubscriberWire,
    amount: AmountWire,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Metadata>,
    _links: LinksWire,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IncomingPaymentWireIn {
    #[serde(default)]
    payment_channel: String,
    #[serde(default)]
    till_number: String,
    subscriber: Option<SubscriberWire>,
    amount: Option<AmountWire>,
    #[serde(default)]
    metadata: Option<Metadata>,
    _links: Option<LinksWireIn>,
}

impl IncomingPaymentRequest {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        validate::required("payment_channel", &self.payment_channel)?;
        validate::required("till_number", &self.till_number)?;
        validate::normalize_phone("phone_number", &self.phone_number)?;
        validate::optional("first_name", self.first_name.as_deref())?;
        validate::optional("last_name", self.last_name.as_deref())?;
        validate::email("email", self.email.as_deref())?;
        self.amount.validate_request("amount")?;
        validate::currency("currency", &self.currency)?;
        validate::secure_url("callback_url", &self.callback_url)?;
        check_metadata(&self.metadata)
    }

    /// The JSON body with the phone number normalised (call `validate` first).
    pub fn to_wire(&self) -> Vec<u8> {
        let phone =
            validate::normalize_phone("phone_number", &self.phone_number).unwrap_or_else(|_| self.phone_number.clone());
        json_body(&IncomingPaymentWire {
            payment_channel: &self.payment_channel,
            till_number: &self.till_number,
            subscriber: SubscriberWire {
                first_name: self.first_name.clone(),
                last_name: self.last_name.clone(),
                phone_number: phone,
                email: self.email.clone(),
            },
            amount: AmountWire {
                currency: self.currency.clone(),
                value: self.amount,
            },
            metadata: self.metadata.as_ref(),
            _links: LinksWire {
                callback_url: self.callback_url.clone(),
            },
        })
    }

    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        let w: IncomingPaymentWireIn = from_wire_json(body)?;
        let sub = w
            .subscriber
            .ok_or_else(|| Error::invalid("subscriber", "is required"))?;
        let amount = w.amount.ok_or_else(|| Error::invalid("amount", "is required"))?;
        Ok(IncomingPaymentRequest {
            payment_channel: w.payment_channel,
            till_number: w.till_number,
            phone_number: sub.phone_number,
            first_name: sub.first_name,
            last_name: sub.last_name,
            email: sub.email,
            amount: amount.value,
            currency: amount.currency,
            callback_url: links_in(w._links),
            metadata: w.metadata,
        })
    }
}

// ------------------------------------------------ merchant wallets / banks

/// `POST /api/v2/merchant_wallets`: one of your own mobile wallets.
#[derive(Schema, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantWalletRequest {
    /// Mobile network (`Safaricom`).
    pub network: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Phone number (sent as `254...`, the documented form for wallets).
    pub phone_number: String,
}

impl MerchantWalletRequest {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        validate::required("network", &self.network)?;
        validate::required("first_name", &self.first_name)?;
        validate::required("last_name", &self.last_name)?;
        validate::optional("nickname", self.nickname.as_deref())?;
        validate::normalize_phone("phone_number", &self.phone_number).map(|_| ())
    }
    /// The JSON body.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut w = self.clone();
        // `254…` without a plus, as the documentation's example (docs/api-notes.md).
        if let Ok(p) = validate::normalize_phone_254("phone_number", &self.phone_number) {
            w.phone_number = p;
        }
        json_body(&w)
    }
    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        from_wire_json(body)
    }
}

/// `POST /api/v2/merchant_bank_accounts`: one of your own bank accounts.
#[derive(Schema, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantBankAccountRequest {
    /// Name on the account.
    pub account_name: String,
    /// Nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Bank branch reference.
    pub bank_branch_ref: String,
    /// Account number.
    pub account_number: String,
    /// `EFT` or `RTS`.
    pub settlement_method: String,
}

impl MerchantBankAccountRequest {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        validate::required("account_name", &self.account_name)?;
        validate::optional("nickname", self.nickname.as_deref())?;
        validate::required("bank_branch_ref", &self.bank_branch_ref)?;
        validate::required("account_number", &self.account_number)?;
        validate::one_of("settlement_method", &self.settlement_method, SETTLEMENT_METHODS)
    }
    /// The JSON body.
    pub fn to_wire(&self) -> Vec<u8> {
        json_body(self)
    }
    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        from_wire_json(body)
    }
}

// ------------------------------------------------------ external recipients

/// `POST /api/v2/external_recipients`: a third party you pay.
///
/// JSON form: `{"type": "mobile_wallet", "first_name": ..., ...}` (flat, with
/// the recipient's fields next to `type`).
#[derive(Schema, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ExternalRecipientRequest {
    /// A mobile wallet.
    MobileWallet {
        /// First name.
        first_name: String,
        /// Last name.
        last_name: String,
        /// Phone number.
        phone_number: String,
        /// Network (`Safaricom`).
        network: String,
        /// E-mail.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
        /// Nickname.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
    },
    /// A bank account.
    BankAccount {
        /// Name on the account.
        account_name: String,
        /// Bank branch reference.
        bank_branch_ref: String,
        /// Account number.
        account_number: String,
        /// `RTS` per the table; `EFT` also accepted (see `validate`).
        settlement_method: String,
        /// Nickname. The documentation's example writes `nick_name`; the table
        /// says `nickname`. We send `nickname` and accept both (see
        /// docs/api-notes.md, "External recipient nickname").
        #[serde(default, alias = "nick_name", skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
    },
    /// Another merchant's till.
    Till {
        /// Name on the till.
        till_name: String,
        /// Till number.
        till_number: String,
        /// Nickname.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
    },
    /// A paybill account.
    Paybill {
        /// Paybill name.
        paybill_name: String,
        /// Paybill business number.
        paybill_number: String,
        /// Account number at the paybill.
        paybill_account_number: String,
        /// Nickname.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
    },
}

impl ExternalRecipientRequest {
    /// The recipient type string (`mobile_wallet`, `bank_account`, `till`, `paybill`).
    pub fn recipient_type(&self) -> &'static str {
        match self {
            ExternalRecipientRequest::MobileWallet { .. } => "mobile_wallet",
            ExternalRecipientRequest::BankAccount { .. } => "bank_account",
            ExternalRecipientRequest::Till { .. } => "till",
            ExternalRecipientRequest::Paybill { .. } => "paybill",
        }
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        match self {
            ExternalRecipientRequest::MobileWallet {
                first_name,
                last_name,
                phone_number,
                network,
                email,
                nickname,
            } => {
                validate::required("first_name", first_name)?;
                validate::required("last_name", last_name)?;
                validate::normalize_phone("phone_number", phone_number)?;
                validate::required("network", network)?;
                validate::email("email", email.as_deref())?;
                validate::optional("nickname", nickname.as_deref())
            }
            ExternalRecipientRequest::BankAccount {
                account_name,
                bank_branch_ref,
                account_number,
                settlement_method,
                nickname,
            } => {
                validate::required("account_name", account_name)?;
                validate::required("bank_branch_ref", bank_branch_ref)?;
                validate::required("account_number", account_number)?;
                // The table allows only RTS for external bank accounts while
                // merchant accounts allow EFT or RTS (docs/api-notes.md, "Settlement
                // method"). We accept both and let the server refuse EFT if it must.
                validate::one_of("settlement_method", settlement_method, SETTLEMENT_METHODS)?;
                validate::optional("nickname", nickname.as_deref())
            }
            ExternalRecipientRequest::Till {
                till_name,
                till_number,
                nickname,
            } => {
                validate::required("till_name", till_name)?;
                validate::required("till_number", till_number)?;
                validate::optional("nickname", nickname.as_deref())
            }
            ExternalRecipientRequest::Paybill {
                paybill_name,
                paybill_number,
                paybill_account_number,
                nickname,
            } => {
                validate::required("paybill_name", paybill_name)?;
                validate::required("paybill_number", paybill_number)?;
                validate::required("paybill_account_number", paybill_account_number)?;
                validate::optional("nickname", nickname.as_deref())
            }
        }
    }

    /// The JSON body: `{"type": ..., "external_recipient": {...}}`.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut inner = serde_json::to_value(self).unwrap_or(Value::Null);
        if let (ExternalRecipientRequest::MobileWallet { phone_number, .. }, Some(obj)) = (self, inner.as_object_mut())
            && let Ok(p) = validate::normalize_phone("phone_number", phone_number)
        {
            obj.insert("phone_number".into(), Value::String(p));
        }
        if let Some(obj) = inner.as_object_mut() {
            obj.remove("type");
        }
        let mut outer = Map::new();
        outer.insert("type".into(), Value::String(self.recipient_type().into()));
        outer.insert("external_recipient".into(), inner);
        json_body(&outer)
    }

    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        let v: Value = from_json_bytes(body)?;
        let t = v
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::invalid("type", "is required"))?;
        validate::one_of("type", t, RECIPIENT_TYPES)?;
        let mut inner = match v.get("external_recipient") {
            Some(Value::Object(m)) => m.clone(),
            _ => return Err(Error::invalid("external_recipient", "is required")),
        };
        inner.insert("type".into(), Value::String(t.to_string()));
        from_wire_value("external_recipient", Value::Object(inner))
    }
}

// --------------------------------------------------------------- send money

/// One destination of a send-money request. JSON form is flat with a `type`.
#[derive(Schema, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Destination {
    /// One of your merchant wallets (by its reference).
    MerchantWallet {
        /// Destination reference (the wallet's id).
        reference: String,
        /// Amount.
        amount: Amount,
        /// Description.
        #[serde(default)]
        description: Option<String>,
    },
    /// One of your merchant bank accounts (by its reference).
    MerchantBankAccount {
        /// Destination reference (the account's id).
        reference: String,
        /// Amount.
        amount: Amount,
        /// Description.
        #[serde(default)]
        description: Option<String>,
    },
    /// A mobile wallet.
    MobileWallet {
        /// Phone number.
        phone_number: String,
        /// Network (`Safaricom`).
        network: String,
        /// Amount.
        amount: Amount,
        /// Description (required).
        description: String,
        /// Nickname.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        /// Mark as favourite.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        favourite: Option<bool>,
    },
    /// A bank account.
    BankAccount {
        /// Bank branch reference.
        bank_branch_ref: String,
        /// Name on the account.
        account_name: String,
        /// Account number.
        account_number: String,
        /// Amount.
        amount: Amount,
        /// Description (required).
        description: String,
        /// Nickname.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        /// Mark as favourite.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        favourite: Option<bool>,
    },
    /// A till.
    Till {
        /// Till number.
        till_number: String,
        /// Amount.
        amount: Amount,
        /// Description (required).
        description: String,
        /// Nickname.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        /// Mark as favourite.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        favourite: Option<bool>,
    },
    /// A paybill.
    Paybill {
        /// Paybill number.
        paybill_number: String,
        /// Account number at the paybill.
        paybill_account_number: String,
        /// Amount.
        amount: Amount,
        /// Description (required).
        description: String,
        /// Nickname.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        /// Mark as favourite.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        favourite: Option<bool>,
    },
}

impl Destination {
    /// The destination type string.
    pub fn destination_type(&self) -> &'static str {
        match self {
            Destination::MerchantWallet { .. } => "merchant_wallet",
            Destination::MerchantBankAccount { .. } => "merchant_bank_account",
            Destination::MobileWallet { .. } => "mobile_wallet",
            Destination::BankAccount { .. } => "bank_account",
            Destination::Till { .. } => "till",
            Destination::Paybill { .. } => "paybill",
        }
    }

    /// The amount.
    pub fn amount(&self) -> Amount {
        match self {
            Destination::MerchantWallet { amount, .. }
            | Destination::MerchantBankAccount { amount, .. }
            | Destination::MobileWallet { amount, .. }
            | Destination::BankAccount { amount, .. }
            | Destination::Till { amount, .. }
            | Destination::Paybill { amount, .. } => *amount,
        }
    }

    fn validate(&self, i: usize) -> Result<()> {
        let f = |name: &str| format!("destinations[{i}].{name}");
        self.amount().validate_request(&f("amount"))?;
        // The destination tables type `amount` as Integer: whole shillings
        // only (docs/api-notes.md, "Amounts in requests").
        if !self.amount().as_decimal().fract().is_zero() {
            return Err(Error::invalid(
                f("amount"),
                "must be a whole number of shillings (the API documents send-money amounts as Integer)",
            ));
        }
        match self {
            Destination::MerchantWallet {
                reference, description, ..
            }
            | Destination::MerchantBankAccount {
                reference, description, ..
            } => {
                validate::required(&f("reference"), reference)?;
                validate::optional(&f("description"), description.as_deref())
            }
            Destination::MobileWallet {
                phone_number,
                network,
                description,
                nickname,
                ..
            } => {
                validate::normalize_phone(&f("phone_number"), phone_number)?;
                validate::required(&f("network"), network)?;
                validate::required(&f("description"), description)?;
                validate::optional(&f("nickname"), nickname.as_deref())
            }
            Destination::BankAccount {
                bank_branch_ref,
                account_name,
                account_number,
                description,
                nickname,
                ..
            } => {
                validate::required(&f("bank_branch_ref"), bank_branch_ref)?;
                validate::required(&f("account_name"), account_name)?;
                validate::required(&f("account_number"), account_number)?;
                validate::required(&f("description"), description)?;
                validate::optional(&f("nickname"), nickname.as_deref())
            }
            Destination::Till {
                till_number,
                description,
                nickname,
                ..
            } => {
                validate::required(&f("till_number"), till_number)?;
                validate::required(&f("description"), description)?;
                validate::optional(&f("nickname"), nickname.as_deref())
            }
            Destination::Paybill {
                paybill_number,
                paybill_account_number,
                description,
                nickname,
                ..
            } => {
                validate::required(&f("paybill_number"), paybill_number)?;
                validate::required(&f("paybill_account_number"), paybill_account_number)?;
                validate::required(&f("description"), description)?;
                validate::optional(&f("nickname"), nickname.as_deref())
            }
        }
    }
}

/// `POST /api/v2/send_money`. With no destinations it is the "blind" transfer
/// of your available balance to your settlement accounts ("send money to my
/// accounts"); with merchant destinations it pays your own accounts; with
/// external destinations it pays third parties.
#[derive(Schema, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendMoneyRequest {
    /// Where the money goes (empty: your preferred settlement accounts).
    #[serde(default)]
    pub destinations: Vec<Destination>,
    /// Till number to pay from, or none for the available balance.
    #[serde(default)]
    pub source_identifier: Option<String>,
    /// Currency; defaults to `KES`.
    #[serde(default = "kes")]
    pub currency: String,
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Up to 5 primitive key-value pairs.
    #[serde(default)]
    pub metadata: Option<Metadata>,
}

impl Default for SendMoneyRequest {
    fn default() -> Self {
        SendMoneyRequest {
            destinations: Vec::new(),
            source_identifier: None,
            currency: kes(),
            callback_url: String::new(),
            metadata: None,
        }
    }
}

#[derive(Serialize)]
struct SendMoneyWire<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    destinations: Vec<Destination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_identifier: Option<&'a str>,
    currency: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Metadata>,
    _links: LinksWire,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SendMoneyWireIn {
    #[serde(default)]
    destinations: Option<Vec<Value>>,
    #[serde(default)]
    source_identifier: Option<String>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
    _links: Option<LinksWireIn>,
}

impl SendMoneyRequest {
    /// Checks every field, including the documented rule that several
    /// destinations are allowed only for `mobile_wallet` and `bank_account`,
    /// all of one type (docs/api-notes.md, "Send-money destinations").
    pub fn validate(&self) -> Result<()> {
        for (i, d) in self.destinations.iter().enumerate() {
            d.validate(i)?;
        }
        if self.destinations.len() > 1 {
            let first = self.destinations[0].destination_type();
            if self.destinations.iter().any(|d| d.destination_type() != first) {
                return Err(Error::invalid(
                    "destinations",
                    "all destinations of one request must be of the same type",
                ));
            }
            if !matches!(first, "mobile_wallet" | "bank_account") {
                return Err(Error::invalid(
                    "destinations",
                    "several destinations are supported only for mobile_wallet and bank_account",
                ));
            }
        }
        validate::optional("source_identifier", self.source_identifier.as_deref())?;
        validate::currency("currency", &self.currency)?;
        validate::secure_url("callback_url", &self.callback_url)?;
        check_metadata(&self.metadata)
    }

    /// The JSON body (phone numbers normalised).
    pub fn to_wire(&self) -> Vec<u8> {
        let destinations = self
            .destinations
            .iter()
            .map(|d| {
                let mut d = d.clone();
                // `254…` without a plus, as the documentation's example (docs/api-notes.md).
                if let Destination::MobileWallet { phone_number, .. } = &mut d
                    && let Ok(p) = validate::normalize_phone_254("phone_number", phone_number)
                {
                    *phone_number = p;
                }
                d
            })
            .collect();
        json_body(&SendMoneyWire {
            destinations,
            source_identifier: self.source_identifier.as_deref(),
            currency: &self.currency,
            metadata: self.metadata.as_ref(),
            _links: LinksWire {
                callback_url: self.callback_url.clone(),
            },
        })
    }

    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        let w: SendMoneyWireIn = from_wire_json(body)?;
        let mut destinations = Vec::new();
        for (i, d) in w.destinations.unwrap_or_default().into_iter().enumerate() {
            if let Some(t) = d.get("type").and_then(Value::as_str) {
                validate::one_of(&format!("destinations[{i}].type"), t, DESTINATION_TYPES)?;
            } else {
                return Err(Error::invalid(format!("destinations[{i}].type"), "is required"));
            }
            destinations.push(from_wire_value(&format!("destinations[{i}]"), d)?);
        }
        Ok(SendMoneyRequest {
            destinations,
            source_identifier: w.source_identifier,
            currency: w.currency.unwrap_or_else(kes),
            callback_url: links_in(w._links),
            metadata: w.metadata,
        })
    }
}

// ------------------------------------------------------------------ polling

/// `POST /api/v2/polling`: fetch buygoods transactions between two times.
#[derive(Schema, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PollingRequest {
    /// `company` or `till`.
    pub scope: String,
    /// Till number when `scope` is `till`.
    #[serde(default)]
    pub scope_reference: Option<String>,
    /// ISO 8601 start, e.g. `2021-04-12T08:50:22+03:00`.
    #[schema(timestamp)]
    pub from_time: String,
    /// ISO 8601 end.
    #[schema(timestamp)]
    pub to_time: String,
    /// Where the result is POSTed.
    pub callback_url: String,
}

#[derive(Serialize)]
struct PollingWire<'a> {
    scope: &'a str,
    scope_reference: &'a str,
    from_time: &'a str,
    to_time: &'a str,
    _links: LinksWire,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PollingWireIn {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    scope_reference: Option<String>,
    #[serde(default)]
    from_time: String,
    #[serde(default)]
    to_time: String,
    _links: Option<LinksWireIn>,
}

impl PollingRequest {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        validate::one_of("scope", &self.scope, SCOPES)?;
        validate_scope_reference(&self.scope, self.scope_reference.as_deref())?;
        validate::iso8601_normalize("from_time", &self.from_time)?;
        validate::iso8601_normalize("to_time", &self.to_time)?;
        validate::secure_url("callback_url", &self.callback_url)
    }
    /// The JSON body, times normalised to `YYYY-MM-DDThh:mm:ss±hh:mm`.
    pub fn to_wire(&self) -> Vec<u8> {
        let time = |f: &str, v: &str| validate::iso8601_normalize(f, v).unwrap_or_else(|_| v.to_string());
        json_body(&PollingWire {
            scope: &self.scope,
            scope_reference: self.scope_reference.as_deref().unwrap_or(""),
            from_time: &time("from_time", &self.from_time),
            to_time: &time("to_time", &self.to_time),
            _links: LinksWire {
                callback_url: self.callback_url.clone(),
            },
        })
    }
    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        let w: PollingWireIn = from_wire_json(body)?;
        Ok(PollingRequest {
            scope: w.scope,
            scope_reference: w.scope_reference.filter(|s| !s.is_empty()),
            from_time: w.from_time,
            to_time: w.to_time,
            callback_url: links_in(w._links),
        })
    }
}

// --------------------------------------------------- transaction SMS (v1)

/// `POST /api/v1/transaction_sms_notifications` (deprecated by Kopo Kopo).
#[derive(Schema, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsNotificationRequest {
    /// The `id` of the webhook event you received.
    pub webhook_event_reference: String,
    /// The message for the customer.
    pub message: String,
    /// Where the result is POSTed.
    pub callback_url: String,
}

#[derive(Serialize)]
struct SmsWire<'a> {
    webhook_event_reference: &'a str,
    message: &'a str,
    _links: LinksWire,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmsWireIn {
    #[serde(default)]
    webhook_event_reference: String,
    #[serde(default)]
    message: String,
    _links: Option<LinksWireIn>,
}

impl SmsNotificationRequest {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        validate::required("webhook_event_reference", &self.webhook_event_reference)?;
        validate::required("message", &self.message)?;
        validate::secure_url("callback_url", &self.callback_url)
    }
    /// The JSON body.
    pub fn to_wire(&self) -> Vec<u8> {
        json_body(&SmsWire {
            webhook_event_reference: &self.webhook_event_reference,
            message: &self.message,
            _links: LinksWire {
                callback_url: self.callback_url.clone(),
            },
        })
    }
    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        let w: SmsWireIn = from_wire_json(body)?;
        Ok(SmsNotificationRequest {
            webhook_event_reference: w.webhook_event_reference,
            message: w.message,
            callback_url: links_in(w._links),
        })
    }
}

// ---------------------------------------------------------------- reversals

/// `POST /api/v2/reversals`: reverse an incoming transaction (last 30 days).
#[derive(Schema, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReversalRequest {
    /// Reference of the transaction to reverse.
    pub transaction_reference: String,
    /// Why.
    pub reason: String,
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Extra information (a JSON object, although the table says String: see
    /// docs/api-notes.md, "Reversal metadata").
    #[serde(default)]
    pub metadata: Option<Metadata>,
}

#[derive(Serialize)]
struct ReversalWire<'a> {
    transaction_reference: &'a str,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Metadata>,
    _links: LinksWire,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReversalWireIn {
    #[serde(default)]
    transaction_reference: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    metadata: Option<Metadata>,
    _links: Option<LinksWireIn>,
}

impl ReversalRequest {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        validate::required("transaction_reference", &self.transaction_reference)?;
        validate::required("reason", &self.reason)?;
        validate::secure_url("callback_url", &self.callback_url)?;
        check_metadata(&self.metadata)
    }
    /// The JSON body.
    pub fn to_wire(&self) -> Vec<u8> {
        json_body(&ReversalWire {
            transaction_reference: &self.transaction_reference,
            reason: &self.reason,
            metadata: self.metadata.as_ref(),
            _links: LinksWire {
                callback_url: self.callback_url.clone(),
            },
        })
    }
    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        let w: ReversalWireIn = from_wire_json(body)?;
        Ok(ReversalRequest {
            transaction_reference: w.transaction_reference,
            reason: w.reason,
            callback_url: links_in(w._links),
            metadata: w.metadata,
        })
    }
}

// ------------------------------------------------------------ payment links

/// `POST /api/v2/payment_links`.
#[derive(Schema, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentLinkRequest {
    /// Your till number.
    pub till_number: String,
    /// Currency; defaults to `KES`.
    #[serde(default = "kes")]
    pub currency: String,
    /// Amount.
    pub amount: Amount,
    /// Your reference (order or invoice number).
    #[serde(default)]
    pub payment_reference: Option<String>,
    /// A note the customer sees.
    #[serde(default)]
    pub note: Option<String>,
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Up to 5 primitive key-value pairs.
    #[serde(default)]
    pub metadata: Option<Metadata>,
}

impl Default for PaymentLinkRequest {
    fn default() -> Self {
        PaymentLinkRequest {
            till_number: String::new(),
            currency: kes(),
            amount: Amount::ZERO,
            payment_reference: None,
            note: None,
            callback_url: String::new(),
            metadata: None,
        }
    }
}

#[derive(Serialize)]
struct PaymentLinkWire<'a> {
    till_number: &'a str,
    currency: &'a str,
    amount: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_reference: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Metadata>,
    _links: LinksWire,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentLinkWireIn {
    #[serde(default)]
    till_number: String,
    #[serde(default)]
    currency: String,
    amount: Option<Amount>,
    #[serde(default)]
    payment_reference: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
    _links: Option<LinksWireIn>,
}

impl PaymentLinkRequest {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        validate::required("till_number", &self.till_number)?;
        validate::currency("currency", &self.currency)?;
        self.amount.validate_request("amount")?;
        validate::optional("payment_reference", self.payment_reference.as_deref())?;
        validate::optional("note", self.note.as_deref())?;
        validate::secure_url("callback_url", &self.callback_url)?;
        check_metadata(&self.metadata)
    }
    /// The JSON body.
    pub fn to_wire(&self) -> Vec<u8> {
        json_body(&PaymentLinkWire {
            till_number: &self.till_number,
            currency: &self.currency,
            amount: self.amount,
            payment_reference: self.payment_reference.as_deref(),
            note: self.note.as_deref(),
            metadata: self.metadata.as_ref(),
            _links: LinksWire {
                callback_url: self.callback_url.clone(),
            },
        })
    }
    /// Reads an API request body.
    pub fn from_wire(body: &[u8]) -> Result<Self> {
        let w: PaymentLinkWireIn = from_wire_json(body)?;
        Ok(PaymentLinkRequest {
            till_number: w.till_number,
            currency: w.currency,
            amount: w.amount.ok_or_else(|| Error::invalid("amount", "is required"))?,
            payment_reference: w.payment_reference,
            note: w.note,
            callback_url: links_in(w._links),
            metadata: w.metadata,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stk() -> IncomingPaymentRequest {
        IncomingPaymentRequest {
            till_number: "K000000".into(),
            phone_number: "0712345678".into(),
            first_name: Some("Joe".into()),
            amount: Amount::parse("20000").unwrap(),
            callback_url: "https://example.com/cb".into(),
            ..Default::default()
        }
    }

    #[test]
    fn incoming_payment_wire_roundtrip() {
        let r = stk();
        r.validate().unwrap();
        let wire = r.to_wire();
        let text = String::from_utf8(wire.clone()).unwrap();
        assert!(text.contains("\"phone_number\":\"+254712345678\""));
        assert!(text.contains("\"value\":20000"));
        let back = IncomingPaymentRequest::from_wire(&wire).unwrap();
        assert_eq!(back.phone_number, "+254712345678");
        assert_eq!(back.amount, r.amount);
    }

    #[test]
    fn field_names_in_errors() {
        let mut r = stk();
        r.amount = Amount::ZERO;
        assert_eq!(r.validate().unwrap_err().field(), Some("amount"));
        let mut r = stk();
        r.callback_url = "http://example.com".into();
        assert_eq!(r.validate().unwrap_err().field(), Some("callback_url"));
        let e = from_json::<IncomingPaymentRequest>(r#"{"till_number":123}"#).unwrap_err();
        assert_eq!(e.field(), Some("till_number"));
        let e = from_json::<IncomingPaymentRequest>(
            r#"{"till_number":"K1","phone_number":"0712345678","amount":"abc","callback_url":"https://x"}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("amount"));
        let e = from_json::<SendMoneyRequest>(r#"{"callback_url":"https://x","destinations":[{"type":"mobile_wallet","phone_number":"0712345678","network":"Safaricom","amount":1}]}"#).unwrap_err();
        assert_eq!(e.field(), Some("destinations[0].description"));
        let e = from_json::<ExternalRecipientRequest>(r#"{"type":"crypto"}"#).unwrap_err();
        assert_eq!(e.field(), Some("type"));
        let e = from_json::<IncomingPaymentRequest>(r#"{"till_number":"K1"}"#).unwrap_err();
        assert_eq!(e.field(), Some("phone_number"));
        let e = from_json::<IncomingPaymentRequest>(
            r#"{"till_number":"K1","phone_number":"0712345678","amount":"1","callback_url":"https://x","tillnumber":1}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("tillnumber"));
    }

    /// As the API does (docs/api-notes.md, "Unknown keys"), a request read
    /// from the wire ignores keys its type does not know: at the top, nested,
    /// and in any destination. Every other error stands, naming its field.
    #[test]
    fn unknown_keys_on_the_wire_are_ignored() {
        let wire = stk().to_wire();
        let want = IncomingPaymentRequest::from_wire(&wire).unwrap();
        let mut v: Value = serde_json::from_slice(&wire).unwrap();
        v["extra"] = serde_json::json!(1);
        v["subscriber"]["middle_name"] = serde_json::json!("M");
        v["_links"]["self"] = serde_json::json!({"href": "https://e.com"});
        let body = serde_json::to_vec(&v).unwrap();
        assert_eq!(IncomingPaymentRequest::from_wire(&body).unwrap(), want);
        // A wrong type next to unknown keys is still an error, at its field.
        v["amount"]["value"] = serde_json::json!({"units": 1});
        let e = IncomingPaymentRequest::from_wire(&serde_json::to_vec(&v).unwrap()).unwrap_err();
        assert_eq!(e.field(), Some("amount.value"), "{e}");
        assert!(e.error_message().ends_with("is not an amount"), "{e}");

        let wallet = |p: &str| Destination::MobileWallet {
            phone_number: p.into(),
            network: "Safaricom".into(),
            amount: Amount::from_units(10),
            description: "x".into(),
            nickname: None,
            favourite: None,
        };
        let r = SendMoneyRequest {
            destinations: vec![wallet("0712345678"), wallet("0112345678")],
            callback_url: "https://e.com".into(),
            ..Default::default()
        };
        let wire = r.to_wire();
        let want = SendMoneyRequest::from_wire(&wire).unwrap();
        assert_eq!(want.destinations.len(), 2);
        let mut v: Value = serde_json::from_slice(&wire).unwrap();
        v["destinations"][1]["colour"] = serde_json::json!("red");
        v["destinations"][0]["nested"] = serde_json::json!({"a": [1]});
        v["destinations"][0]["more"] = serde_json::json!(null);
        assert_eq!(
            SendMoneyRequest::from_wire(&serde_json::to_vec(&v).unwrap()).unwrap(),
            want
        );
        v["destinations"][1]["amount"] = serde_json::json!(true);
        let e = SendMoneyRequest::from_wire(&serde_json::to_vec(&v).unwrap()).unwrap_err();
        assert_eq!(e.field(), Some("destinations[1].amount"), "{e}");
        assert!(e.error_message().starts_with("invalid type: boolean"), "{e}");
    }

    /// `path_error` joins a prefix and serde's path: `.` before a key, none
    /// before an index; and names the field a message names.
    #[test]
    fn error_paths_under_a_prefix() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            b: u32,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            a: Inner,
        }
        let field = |prefix: &str, json: &str, list: bool| {
            let de = &mut serde_json::Deserializer::from_str(json);
            let e = if list {
                serde_path_to_error::deserialize::<_, Vec<u32>>(de).unwrap_err()
            } else {
                serde_path_to_error::deserialize::<_, Outer>(de).unwrap_err()
            };
            path_error(prefix, e).field().unwrap().to_string()
        };
        assert_eq!(field("pre", r#"{"a":{"b":"x"}}"#, false), "pre.a.b");
        assert_eq!(field("", r#"{"a":{"b":"x"}}"#, false), "a.b");
        assert_eq!(field("pre", r#"[1,"x"]"#, true), "pre[1]");
        assert_eq!(field("", r#"[1,"x"]"#, true), "[1]");
        assert_eq!(field("pre", r#"{"a":{}}"#, false), "pre.a.b");
        assert_eq!(field("", r#"{}"#, false), "a");
        assert_eq!(field("pre", r#"{}"#, false), "pre.a");
        assert_eq!(field("", r#"5"#, false), "body");
    }

    #[test]
    fn removing_a_value_by_its_path() {
        let doc = serde_json::json!({"a": {"b": 1, "c": [{"d": 2, "e": 3}, [{"f": 4}]]}, "g": 5});
        for (path, removed, left) in [
            ("g", true, r#"{"a":{"b":1,"c":[{"d":2,"e":3},[{"f":4}]]}}"#),
            ("a.b", true, r#"{"a":{"c":[{"d":2,"e":3},[{"f":4}]]},"g":5}"#),
            ("a.c[0].d", true, r#"{"a":{"b":1,"c":[{"e":3},[{"f":4}]]},"g":5}"#),
            ("a.c[1][0].f", true, r#"{"a":{"b":1,"c":[{"d":2,"e":3},[{}]]},"g":5}"#),
            ("a.x", false, ""),
            ("a.c[5].d", false, ""),
            ("x.y", false, ""),
            ("a.c[0]", false, ""),
            ("", false, ""),
        ] {
            let mut v = doc.clone();
            assert_eq!(remove_at(&mut v, path), removed, "{path}");
            let left = if removed { left.to_string() } else { doc.to_string() };
            assert_eq!(v.to_string(), left, "{path}");
        }
    }

    #[test]
    fn nick_name_alias_accepted() {
        // The documented example uses `nick_name` (docs/api-notes.md,
        // "External recipient nickname").
        let body = br#"{"type":"bank_account","external_recipient":{"account_name":"A","bank_branch_ref":"b","account_number":"1","settlement_method":"RTS","nick_name":"N"}}"#;
        let r = ExternalRecipientRequest::from_wire(body).unwrap();
        match &r {
            ExternalRecipientRequest::BankAccount { nickname, .. } => assert_eq!(nickname.as_deref(), Some("N")),
            _ => panic!("wrong variant"),
        }
        let out = String::from_utf8(r.to_wire()).unwrap();
        assert!(out.contains("\"nickname\":\"N\""));
    }

    #[test]
    fn send_money_mixing_rules() {
        let wallet = |p: &str| Destination::MobileWallet {
            phone_number: p.into(),
            network: "Safaricom".into(),
            amount: Amount::from_units(10),
            description: "x".into(),
            nickname: None,
            favourite: None,
        };
        let till = Destination::Till {
            till_number: "1".into(),
            amount: Amount::from_units(1),
            description: "d".into(),
            nickname: None,
            favourite: None,
        };
        let mut r = SendMoneyRequest {
            destinations: vec![wallet("0712345678"), wallet("0112345678")],
            callback_url: "https://e.com".into(),
            ..Default::default()
        };
        r.validate().unwrap();
        r.destinations.push(till.clone());
        assert_eq!(r.validate().unwrap_err().field(), Some("destinations"));
        r.destinations = vec![till.clone(), till];
        assert_eq!(r.validate().unwrap_err().field(), Some("destinations"));
        r.destinations = vec![wallet("12")];
        assert_eq!(r.validate().unwrap_err().field(), Some("destinations[0].phone_number"));
    }

    #[test]
    fn customer_created_subscription_is_accepted() {
        // Not in the event_type list but documented as a webhook
        // (docs/api-notes.md, "Webhook subscription event types").
        let r = WebhookSubscriptionRequest {
            event_type: "customer_created".into(),
            url: "https://e.com/h".into(),
            scope: "company".into(),
            ..Default::default()
        };
        r.validate().unwrap();
        let r = WebhookSubscriptionRequest {
            scope: "till".into(),
            ..r
        };
        assert_eq!(r.validate().unwrap_err().field(), Some("scope_reference"));
    }
}
