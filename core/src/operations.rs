//! The operation table: every API operation, declared once.
//!
//! One line per operation gives its name (`group.method`, the same stem in
//! every language: `client.incoming_payments.create` in Python,
//! `client.incomingPayments.create` in Node and Kotlin,
//! `k2_incoming_payments_create` in C), the name it had before this table
//! (still accepted, deprecated), the typed [`Operation`](crate::api::Operation),
//! its parameters, its result, and its HTTP method and path. From it come:
//! [`OPERATIONS`], the [`Client`] groups ([`groups`]), the dynamic dispatch of
//! [`crate::dynamic`], and (through [`crate::schema::manifest`]) every
//! binding's generated surface. `CONTRIBUTING.md` shows how to add one.

use serde_json::{Value, json};

use crate::api;
use crate::client::Client;
use crate::error::{Error, Result};
#[allow(unused_imports)]
use crate::requests::*;
#[allow(unused_imports)]
use crate::results::*;
use crate::schema::{Schema, TypeDef};

/// How an operation takes its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Params {
    /// No input.
    None,
    /// An access token (`token`).
    Token,
    /// A resource id or the `Location` URL returned at creation (`id`).
    Id,
    /// A request body (the operation's request type).
    Body,
}

impl Params {
    /// The name used in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Params::None => "none",
            Params::Token => "token",
            Params::Id => "id",
            Params::Body => "body",
        }
    }
}

/// One operation of the API.
#[derive(Debug, Clone, Copy)]
pub struct OperationDef {
    /// `group.method`, e.g. `incoming_payments.create`.
    pub name: &'static str,
    /// The client group, e.g. `incoming_payments`.
    pub group: &'static str,
    /// The method in the group, e.g. `create`.
    pub method: &'static str,
    /// The name before the operation table (the documentation's endpoint
    /// name, e.g. `create_incoming_payment`): still accepted, deprecated.
    pub legacy_name: &'static str,
    /// `GET` or `POST`.
    pub http_method: &'static str,
    /// The path, with `{id}` for the resource id.
    pub path: &'static str,
    /// The input.
    pub params: Params,
    /// The request type (a [`crate::schema::Schema`] name), for [`Params::Body`].
    pub request: Option<&'static str>,
    /// The result type, or `None` for operations without a result.
    pub result: Option<&'static str>,
    /// One line of documentation.
    pub doc: &'static str,
    /// The request type's description.
    pub request_def: Option<fn() -> &'static TypeDef>,
    /// The result type's description.
    pub result_def: Option<fn() -> &'static TypeDef>,
}

impl OperationDef {
    /// The manifest entry.
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "group": self.group,
            "method": self.method,
            "legacy_name": self.legacy_name,
            "http_method": self.http_method,
            "path": self.path,
            "params": self.params.as_str(),
            "request": self.request,
            "result": self.result,
            "doc": self.doc,
        })
    }
}

/// The operation called `name` (or by its legacy name).
pub fn find(name: &str) -> Option<&'static OperationDef> {
    OPERATIONS.iter().find(|o| o.name == name || o.legacy_name == name)
}

/// A group's documentation, by group name.
pub fn group_doc(group: &str) -> &'static str {
    GROUPS.iter().find(|(g, _)| *g == group).map(|(_, d)| *d).unwrap_or("")
}

macro_rules! params_kind {
    (none) => {
        Params::None
    };
    (token) => {
        Params::Token
    };
    (id) => {
        Params::Id
    };
    (body $req:ident) => {
        Params::Body
    };
}

macro_rules! request_name {
    (body $req:ident) => {
        Some(stringify!($req))
    };
    ($($other:tt)*) => {
        None
    };
}

macro_rules! request_def {
    (body $req:ident) => {
        Some(<crate::requests::$req as Schema>::def)
    };
    ($($other:tt)*) => {
        None
    };
}

macro_rules! result_def {
    (()) => {
        None
    };
    ($out:ident) => {
        Some(<crate::results::$out as Schema>::def)
    };
}

/// Defines the typed operation of a table line: create (POST with a body,
/// answered 201) and status (GET by id) operations come from their line
/// alone; the others (OAuth, cancel) are written out in `crate::api`.
macro_rules! define_op {
    ($op:ident (body $req:ident) Created "POST" $path:literal $doc:literal) => {
        crate::api::create_op!($op, crate::requests::$req, $path, $doc);
    };
    ($op:ident (id) $out:ident "GET" $path:literal $doc:literal) => {
        crate::api::status_op!($op, crate::results::$out, $path, $doc);
    };
    ($($other:tt)*) => {};
}

macro_rules! result_name {
    (()) => {
        None
    };
    ($out:ident) => {
        Some(stringify!($out))
    };
}

macro_rules! out_ty {
    (()) => {
        ()
    };
    ($out:ident) => {
        crate::results::$out
    };
}

macro_rules! group_method {
    ($doc:literal $method:ident $op:ident none $out:ty) => {
        #[doc = $doc]
        pub fn $method(&self) -> Result<$out> {
            self.0.execute(&api::$op::default())
        }
    };
    ($doc:literal $method:ident $op:ident token $out:ty) => {
        #[doc = $doc]
        pub fn $method(&self, token: &str) -> Result<$out> {
            self.0.execute(&api::$op::new(token)?)
        }
    };
    ($doc:literal $method:ident $op:ident id $out:ty) => {
        #[doc = $doc]
        ///
        /// `id_or_location` is the resource id or the `Location` URL returned at creation.
        pub fn $method(&self, id_or_location: &str) -> Result<$out> {
            self.0.execute(&api::$op::new(id_or_location)?)
        }
    };
    ($doc:literal $method:ident $op:ident body $req:ident $out:ty) => {
        #[doc = $doc]
        pub fn $method(&self, request: &$req) -> Result<$out> {
            self.0.execute(&api::$op(request.clone()))
        }
    };
}

/// Builds the typed operation from JSON parameters.
macro_rules! op_from_params {
    ($params:ident $raw:ident $op:ident none) => {
        api::$op::default()
    };
    ($params:ident $raw:ident $op:ident token) => {
        api::$op::new(string_param($params, "token")?)?
    };
    ($params:ident $raw:ident $op:ident id) => {
        api::$op::new(string_param($params, "id")?)?
    };
    ($params:ident $raw:ident $op:ident body $req:ident) => {
        // The caller's JSON text when there is one: a `Value` holds a
        // fractional number as f64, the text keeps every digit of an amount.
        api::$op(match $raw {
            Some(text) => crate::requests::from_json::<$req>(text)?,
            None => crate::requests::from_json::<$req>(&$params.to_string())?,
        })
    };
}

macro_rules! operations {
    ($(
        $group:ident : $Group:ident $gdoc:literal {
            $( $method:ident = $legacy:literal : $op:ident ( $($kind:tt)+ ) -> $out:tt , $http:tt $path:literal , $doc:literal ; )+
        }
    )+) => {
        /// Every operation, in documentation order.
        pub const OPERATIONS: &[OperationDef] = &[
            $($(
                OperationDef {
                    name: concat!(stringify!($group), ".", stringify!($method)),
                    group: stringify!($group),
                    method: stringify!($method),
                    legacy_name: $legacy,
                    http_method: $http,
                    path: $path,
                    params: params_kind!($($kind)+),
                    request: request_name!($($kind)+),
                    result: result_name!($out),
                    doc: $doc,
                    request_def: request_def!($($kind)+),
                    result_def: result_def!($out),
                },
            )+)+
        ];

        /// Every operation group, in table order, with its documentation.
        pub const GROUPS: &[(&str, &str)] = &[
            $( (stringify!($group), $gdoc), )+
        ];

        /// The typed create and status operations the table defines
        /// (re-exported by [`crate::api`]).
        pub mod ops {
            $($( define_op!($op ($($kind)+) $out $http $path $doc); )+)+
        }

        /// The operation groups of a [`Client`]: `client.incoming_payments().create(...)`.
        pub mod groups {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[doc = $gdoc]
                #[derive(Debug, Clone, Copy)]
                pub struct $Group<'a>(pub(crate) &'a Client);

                impl $Group<'_> {
                    $( group_method!($doc $method $op $($kind)+ out_ty!($out)); )+
                }
            )+
        }

        impl Client {
            $(
                #[doc = $gdoc]
                pub fn $group(&self) -> groups::$Group<'_> {
                    groups::$Group(self)
                }
            )+
        }

        /// Runs `operation` on `runner` with JSON parameters (`raw`: the same
        /// parameters as the caller's JSON text, when there is one).
        pub(crate) fn dispatch<R: crate::dynamic::Runner>(
            runner: &mut R,
            operation: &str,
            params: &Value,
            raw: Option<&str>,
        ) -> Result<String> {
            if !params.is_object() {
                return Err(Error::invalid("params", "must be a JSON object"));
            }
            $($(
                if operation == concat!(stringify!($group), ".", stringify!($method)) || operation == $legacy {
                    return runner.run(op_from_params!(params raw $op $($kind)+));
                }
            )+)+
            Err(Error::invalid(
                "operation",
                format!("unknown operation `{operation}`; expected one of {}", crate::dynamic::OPERATIONS.join(", ")),
            ))
        }
    };
}

fn string_param<'a>(params: &'a Value, name: &str) -> Result<&'a str> {
    match params.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::invalid(name, "must be a string")),
        None => Err(Error::invalid(name, "is required")),
    }
}

operations! {
    tokens: Tokens "OAuth access tokens. The client fetches and caches its token by itself; these are for explicit control." {
        request = "request_access_token": RequestToken(none) -> AccessToken,
            "POST" "/oauth/token", "Requests a new access token and caches it.";
        revoke = "revoke_access_token": RevokeToken(token) -> (),
            "POST" "/oauth/revoke", "Revokes a token; the cache forgets it.";
        introspect = "introspect_access_token": IntrospectToken(token) -> TokenIntrospection,
            "POST" "/oauth/introspect", "Introspects a token.";
        info = "token_info": TokenInfoRequest(none) -> TokenInfo,
            "GET" "/oauth/token/info", "Information about the client's current token.";
    }
    webhooks: Webhooks "Webhook subscriptions (verification and parsing of received webhooks are on the same group)." {
        subscribe = "create_webhook_subscription": CreateWebhookSubscription(body WebhookSubscriptionRequest) -> Created,
            "POST" "/api/v2/webhook_subscriptions", "Subscribes a URL to a webhook topic.";
    }
    incoming_payments: IncomingPayments "Incoming payments (M-PESA STK push)." {
        create = "create_incoming_payment": CreateIncomingPayment(body IncomingPaymentRequest) -> Created,
            "POST" "/api/v2/incoming_payments", "Starts an STK push.";
        status = "get_incoming_payment": IncomingPaymentStatus(id) -> IncomingPayment,
            "GET" "/api/v2/incoming_payments/{id}", "Queries an incoming payment.";
    }
    merchant_wallets: MerchantWallets "Your own mobile wallets (send-money destinations)." {
        create = "create_merchant_wallet": CreateMerchantWallet(body MerchantWalletRequest) -> Created,
            "POST" "/api/v2/merchant_wallets", "Adds one of your mobile wallets.";
    }
    merchant_bank_accounts: MerchantBankAccounts "Your own bank accounts (send-money destinations)." {
        create = "create_merchant_bank_account": CreateMerchantBankAccount(body MerchantBankAccountRequest) -> Created,
            "POST" "/api/v2/merchant_bank_accounts", "Adds one of your bank accounts.";
    }
    external_recipients: ExternalRecipients "Third parties you pay: mobile wallets, bank accounts, tills, paybills." {
        create = "create_external_recipient": CreateExternalRecipient(body ExternalRecipientRequest) -> Created,
            "POST" "/api/v2/external_recipients", "Adds a recipient.";
    }
    send_money: SendMoney "Sending money (never retried by the library)." {
        create = "send_money": CreateSendMoney(body SendMoneyRequest) -> Created,
            "POST" "/api/v2/send_money", "Sends money to one or more destinations.";
        status = "get_send_money": SendMoneyStatus(id) -> SendMoney,
            "GET" "/api/v2/send_money/{id}", "Queries a send-money request.";
    }
    polling: Polling "Polling for transactions a till received." {
        create = "create_polling": CreatePolling(body PollingRequest) -> Created,
            "POST" "/api/v2/polling", "Starts a polling request.";
        status = "get_polling": PollingStatus(id) -> Polling,
            "GET" "/api/v2/polling/{id}", "Queries a polling request.";
    }
    sms_notifications: SmsNotifications "SMS notifications to customers for received payments." {
        create = "create_transaction_sms_notification": CreateSmsNotification(body SmsNotificationRequest) -> Created,
            "POST" "/api/v1/transaction_sms_notifications", "Sends an SMS for a received payment.";
        status = "get_transaction_sms_notification": SmsNotificationStatus(id) -> SmsNotification,
            "GET" "/api/v1/transaction_sms_notifications/{id}", "Queries an SMS notification.";
    }
    reversals: Reversals "Reversals of incoming transactions." {
        create = "create_reversal": CreateReversal(body ReversalRequest) -> Created,
            "POST" "/api/v2/reversals",
            "Reverses an incoming transaction. (The documentation's `/api/api/v2/reversals` is a typo: see docs/api-notes.md, \"Reversal path\".)";
        status = "get_reversal": ReversalStatus(id) -> Reversal,
            "GET" "/api/v2/reversals/{id}", "Queries a reversal.";
    }
    payment_links: PaymentLinks "Payment links." {
        create = "create_payment_link": CreatePaymentLink(body PaymentLinkRequest) -> Created,
            "POST" "/api/v2/payment_links", "Creates a payment link.";
        status = "get_payment_link": PaymentLinkStatus(id) -> PaymentLink,
            "GET" "/api/v2/payment_links/{id}", "Queries a payment link.";
        cancel = "cancel_payment_link": CancelPaymentLink(id) -> CancelledPaymentLink,
            "POST" "/api/v2/payment_links/{id}/cancel", "Cancels an active payment link.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_consistent() {
        let mut seen = std::collections::BTreeSet::new();
        for op in OPERATIONS {
            assert!(seen.insert(op.name), "{}", op.name);
            assert!(seen.insert(op.legacy_name), "{}", op.legacy_name);
            assert_eq!(op.name, format!("{}.{}", op.group, op.method));
            assert_eq!(op.params == Params::Body, op.request.is_some(), "{}", op.name);
            assert!(!group_doc(op.group).is_empty(), "{}", op.group);
            assert!(find(op.legacy_name).is_some_and(|o| o.name == op.name));
            assert!(find(op.name).is_some_and(|o| o.legacy_name == op.legacy_name));
        }
        assert!(find("incoming_payments.nope").is_none() && find("").is_none());
        // Each group has its own text, and only groups have one.
        let docs: std::collections::BTreeSet<_> = GROUPS.iter().map(|(g, _)| group_doc(g)).collect();
        assert_eq!(docs.len(), GROUPS.len());
        assert!(group_doc("tokens").starts_with("OAuth access tokens."));
        assert_eq!(group_doc("nope"), "");
    }
}
