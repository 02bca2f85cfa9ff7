//! Request records: the core's typed requests with amounts as decimal text
//! and metadata as a string map. Conversion only; the core validates.

use std::collections::HashMap;

use kopokopo::Amount;
use kopokopo::requests::Metadata;
use serde_json::Value;

use crate::KopoKopoError;

/// Parses a decimal amount; a bad one is `InvalidArgument` naming `field`.
fn amount(field: &str, text: &str) -> Result<Amount, KopoKopoError> {
    Amount::parse_field(field, text).map_err(KopoKopoError::from)
}

fn metadata(m: Option<HashMap<String, String>>) -> Option<Metadata> {
    m.map(|m| {
        let mut sorted: Vec<_> = m.into_iter().collect();
        sorted.sort();
        sorted.into_iter().map(|(k, v)| (k, Value::String(v))).collect()
    })
}

/// `POST /api/v2/webhook_subscriptions`.
#[derive(uniffi::Record, Clone, Debug)]
pub struct WebhookSubscriptionRequest {
    /// Topic, e.g. `buygoods_transaction_received`.
    pub event_type: String,
    /// Your HTTPS endpoint.
    pub url: String,
    /// `company` or `till`.
    pub scope: String,
    /// Your till number when `scope` is `till`.
    #[uniffi(default = None)]
    pub scope_reference: Option<String>,
    /// `true` for the Daraja payload structure.
    #[uniffi(default = None)]
    pub enable_daraja_payload: Option<bool>,
}

impl From<WebhookSubscriptionRequest> for kopokopo::WebhookSubscriptionRequest {
    fn from(r: WebhookSubscriptionRequest) -> Self {
        kopokopo::WebhookSubscriptionRequest {
            event_type: r.event_type,
            url: r.url,
            scope: r.scope,
            scope_reference: r.scope_reference,
            enable_daraja_payload: r.enable_daraja_payload,
        }
    }
}

/// `POST /api/v2/incoming_payments`: an M-PESA STK push.
#[derive(uniffi::Record, Clone, Debug)]
pub struct IncomingPaymentRequest {
    /// Your online payments till number, e.g. `K000000`.
    pub till_number: String,
    /// The subscriber's phone number (`0712345678` or `+254712345678`).
    pub phone_number: String,
    /// Amount as decimal text, e.g. `"150.00"`.
    pub amount: String,
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Subscriber's first name.
    #[uniffi(default = None)]
    pub first_name: Option<String>,
    /// Subscriber's last name.
    #[uniffi(default = None)]
    pub last_name: Option<String>,
    /// Subscriber's e-mail.
    #[uniffi(default = None)]
    pub email: Option<String>,
    /// Currency (default `KES`).
    #[uniffi(default = None)]
    pub currency: Option<String>,
    /// Payment channel (default `M-PESA STK Push`).
    #[uniffi(default = None)]
    pub payment_channel: Option<String>,
    /// Up to 5 key-value pairs.
    #[uniffi(default = None)]
    pub metadata: Option<HashMap<String, String>>,
}

impl TryFrom<IncomingPaymentRequest> for kopokopo::IncomingPaymentRequest {
    type Error = KopoKopoError;
    fn try_from(r: IncomingPaymentRequest) -> Result<Self, KopoKopoError> {
        let d = kopokopo::IncomingPaymentRequest::default();
        Ok(kopokopo::IncomingPaymentRequest {
            payment_channel: r.payment_channel.unwrap_or(d.payment_channel),
            till_number: r.till_number,
            phone_number: r.phone_number,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            amount: amount("amount", &r.amount)?,
            currency: r.currency.unwrap_or(d.currency),
            callback_url: r.callback_url,
            metadata: metadata(r.metadata),
        })
    }
}

/// `POST /api/v2/merchant_wallets`: one of your own mobile wallets.
#[derive(uniffi::Record, Clone, Debug)]
pub struct MerchantWalletRequest {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone number.
    pub phone_number: String,
    /// Network (`Safaricom`).
    pub network: String,
    /// Nickname.
    #[uniffi(default = None)]
    pub nickname: Option<String>,
}

impl From<MerchantWalletRequest> for kopokopo::MerchantWalletRequest {
    fn from(r: MerchantWalletRequest) -> Self {
        kopokopo::MerchantWalletRequest {
            network: r.network,
            first_name: r.first_name,
            last_name: r.last_name,
            nickname: r.nickname,
            phone_number: r.phone_number,
        }
    }
}

/// `POST /api/v2/merchant_bank_accounts`: one of your own bank accounts.
#[derive(uniffi::Record, Clone, Debug)]
pub struct MerchantBankAccountRequest {
    /// Name on the account.
    pub account_name: String,
    /// Bank branch reference.
    pub bank_branch_ref: String,
    /// Account number.
    pub account_number: String,
    /// `EFT` or `RTS`.
    pub settlement_method: String,
    /// Nickname.
    #[uniffi(default = None)]
    pub nickname: Option<String>,
}

impl From<MerchantBankAccountRequest> for kopokopo::MerchantBankAccountRequest {
    fn from(r: MerchantBankAccountRequest) -> Self {
        kopokopo::MerchantBankAccountRequest {
            account_name: r.account_name,
            nickname: r.nickname,
            bank_branch_ref: r.bank_branch_ref,
            account_number: r.account_number,
            settlement_method: r.settlement_method,
        }
    }
}

/// `POST /api/v2/external_recipients`: a third party you pay.
#[derive(uniffi::Enum, Clone, Debug)]
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
        #[uniffi(default = None)]
        email: Option<String>,
        /// Nickname.
        #[uniffi(default = None)]
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
        /// `RTS` (or `EFT`).
        settlement_method: String,
        /// Nickname.
        #[uniffi(default = None)]
        nickname: Option<String>,
    },
    /// Another merchant's till.
    Till {
        /// Name on the till.
        till_name: String,
        /// Till number.
        till_number: String,
        /// Nickname.
        #[uniffi(default = None)]
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
        #[uniffi(default = None)]
        nickname: Option<String>,
    },
}

impl From<ExternalRecipientRequest> for kopokopo::ExternalRecipientRequest {
    fn from(r: ExternalRecipientRequest) -> Self {
        use kopokopo::ExternalRecipientRequest as K;
        match r {
            ExternalRecipientRequest::MobileWallet {
                first_name,
                last_name,
                phone_number,
                network,
                email,
                nickname,
            } => K::MobileWallet {
                first_name,
                last_name,
                phone_number,
                network,
                email,
                nickname,
            },
            ExternalRecipientRequest::BankAccount {
                account_name,
                bank_branch_ref,
                account_number,
                settlement_method,
                nickname,
            } => K::BankAccount {
                account_name,
                bank_branch_ref,
                account_number,
                settlement_method,
                nickname,
            },
            ExternalRecipientRequest::Till {
                till_name,
                till_number,
                nickname,
            } => K::Till {
                till_name,
                till_number,
                nickname,
            },
            ExternalRecipientRequest::Paybill {
                paybill_name,
                paybill_number,
                paybill_account_number,
                nickname,
            } => K::Paybill {
                paybill_name,
                paybill_number,
                paybill_account_number,
                nickname,
            },
        }
    }
}

/// One destination of a send-money request. Amounts are decimal text.
#[derive(uniffi::Enum, Clone, Debug)]
pub enum Destination {
    /// One of your merchant wallets (by its reference).
    MerchantWallet {
        /// The wallet's reference.
        reference: String,
        /// Amount.
        amount: String,
        /// Description.
        #[uniffi(default = None)]
        description: Option<String>,
    },
    /// One of your merchant bank accounts (by its reference).
    MerchantBankAccount {
        /// The account's reference.
        reference: String,
        /// Amount.
        amount: String,
        /// Description.
        #[uniffi(default = None)]
        description: Option<String>,
    },
    /// A mobile wallet.
    MobileWallet {
        /// Phone number.
        phone_number: String,
        /// Network (`Safaricom`).
        network: String,
        /// Amount.
        amount: String,
        /// Description.
        description: String,
        /// Nickname.
        #[uniffi(default = None)]
        nickname: Option<String>,
        /// Mark as favourite.
        #[uniffi(default = None)]
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
        amount: String,
        /// Description.
        description: String,
        /// Nickname.
        #[uniffi(default = None)]
        nickname: Option<String>,
        /// Mark as favourite.
        #[uniffi(default = None)]
        favourite: Option<bool>,
    },
    /// A till.
    Till {
        /// Till number.
        till_number: String,
        /// Amount.
        amount: String,
        /// Description.
        description: String,
        /// Nickname.
        #[uniffi(default = None)]
        nickname: Option<String>,
        /// Mark as favourite.
        #[uniffi(default = None)]
        favourite: Option<bool>,
    },
    /// A paybill.
    Paybill {
        /// Paybill number.
        paybill_number: String,
        /// Account number at the paybill.
        paybill_account_number: String,
        /// Amount.
        amount: String,
        /// Description.
        description: String,
        /// Nickname.
        #[uniffi(default = None)]
        nickname: Option<String>,
        /// Mark as favourite.
        #[uniffi(default = None)]
        favourite: Option<bool>,
    },
}

fn destination(i: usize, d: Destination) -> Result<kopokopo::Destination, KopoKopoError> {
    use kopokopo::Destination as K;
    let f = format!("destinations[{i}].amount");
    Ok(match d {
        Destination::MerchantWallet {
            reference,
            amount: a,
            description,
        } => K::MerchantWallet {
            reference,
            amount: amount(&f, &a)?,
            description,
        },
        Destination::MerchantBankAccount {
            reference,
            amount: a,
            description,
        } => K::MerchantBankAccount {
            reference,
            amount: amount(&f, &a)?,
            description,
        },
        Destination::MobileWallet {
            phone_number,
            network,
            amount: a,
            description,
            nickname,
            favourite,
        } => K::MobileWallet {
            phone_number,
            network,
            amount: amount(&f, &a)?,
            description,
            nickname,
            favourite,
        },
        Destination::BankAccount {
            bank_branch_ref,
            account_name,
            account_number,
            amount: a,
            description,
            nickname,
            favourite,
        } => K::BankAccount {
            bank_branch_ref,
            account_name,
            account_number,
            amount: amount(&f, &a)?,
            description,
            nickname,
            favourite,
        },
        Destination::Till {
            till_number,
            amount: a,
            description,
            nickname,
            favourite,
        } => K::Till {
            till_number,
            amount: amount(&f, &a)?,
            description,
            nickname,
            favourite,
        },
        Destination::Paybill {
            paybill_number,
            paybill_account_number,
            amount: a,
            description,
            nickname,
            favourite,
        } => K::Paybill {
            paybill_number,
            paybill_account_number,
            amount: amount(&f, &a)?,
            description,
            nickname,
            favourite,
        },
    })
}

/// `POST /api/v2/send_money`. No destinations: your available balance to your
/// preferred settlement accounts.
#[derive(uniffi::Record, Clone, Debug)]
pub struct SendMoneyRequest {
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Destinations (empty: your settlement accounts).
    #[uniffi(default)]
    pub destinations: Vec<Destination>,
    /// Till number to pay from; `None` for the available balance.
    #[uniffi(default = None)]
    pub source_identifier: Option<String>,
    /// Currency (default `KES`).
    #[uniffi(default = None)]
    pub currency: Option<String>,
    /// Up to 5 key-value pairs.
    #[uniffi(default = None)]
    pub metadata: Option<HashMap<String, String>>,
}

impl TryFrom<SendMoneyRequest> for kopokopo::SendMoneyRequest {
    type Error = KopoKopoError;
    fn try_from(r: SendMoneyRequest) -> Result<Self, KopoKopoError> {
        let d = kopokopo::SendMoneyRequest::default();
        Ok(kopokopo::SendMoneyRequest {
            destinations: r
                .destinations
                .into_iter()
                .enumerate()
                .map(|(i, x)| destination(i, x))
                .collect::<Result<_, _>>()?,
            source_identifier: r.source_identifier,
            currency: r.currency.unwrap_or(d.currency),
            callback_url: r.callback_url,
            metadata: metadata(r.metadata),
        })
    }
}

/// `POST /api/v2/polling`.
#[derive(uniffi::Record, Clone, Debug)]
pub struct PollingRequest {
    /// `company` or `till`.
    pub scope: String,
    /// ISO 8601 start, e.g. `2021-04-12T08:50:22+03:00`.
    pub from_time: String,
    /// ISO 8601 end.
    pub to_time: String,
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Till number when `scope` is `till`.
    #[uniffi(default = None)]
    pub scope_reference: Option<String>,
}

impl From<PollingRequest> for kopokopo::PollingRequest {
    fn from(r: PollingRequest) -> Self {
        kopokopo::PollingRequest {
            scope: r.scope,
            scope_reference: r.scope_reference,
            from_time: r.from_time,
            to_time: r.to_time,
            callback_url: r.callback_url,
        }
    }
}

/// `POST /api/v1/transaction_sms_notifications`.
#[derive(uniffi::Record, Clone, Debug)]
pub struct SmsNotificationRequest {
    /// The `id` of the webhook event received.
    pub webhook_event_reference: String,
    /// The text for the customer.
    pub message: String,
    /// Where the result is POSTed.
    pub callback_url: String,
}

impl From<SmsNotificationRequest> for kopokopo::SmsNotificationRequest {
    fn from(r: SmsNotificationRequest) -> Self {
        kopokopo::SmsNotificationRequest {
            webhook_event_reference: r.webhook_event_reference,
            message: r.message,
            callback_url: r.callback_url,
        }
    }
}

/// `POST /api/v2/reversals`.
#[derive(uniffi::Record, Clone, Debug)]
pub struct ReversalRequest {
    /// Reference of the transaction to reverse.
    pub transaction_reference: String,
    /// Why.
    pub reason: String,
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Extra key-value pairs.
    #[uniffi(default = None)]
    pub metadata: Option<HashMap<String, String>>,
}

impl From<ReversalRequest> for kopokopo::ReversalRequest {
    fn from(r: ReversalRequest) -> Self {
        kopokopo::ReversalRequest {
            transaction_reference: r.transaction_reference,
            reason: r.reason,
            callback_url: r.callback_url,
            metadata: metadata(r.metadata),
        }
    }
}

/// `POST /api/v2/payment_links`.
#[derive(uniffi::Record, Clone, Debug)]
pub struct PaymentLinkRequest {
    /// Your till number.
    pub till_number: String,
    /// Amount as decimal text.
    pub amount: String,
    /// Where the result is POSTed.
    pub callback_url: String,
    /// Your reference (order or invoice number).
    #[uniffi(default = None)]
    pub payment_reference: Option<String>,
    /// A note the customer sees.
    #[uniffi(default = None)]
    pub note: Option<String>,
    /// Currency (default `KES`).
    #[uniffi(default = None)]
    pub currency: Option<String>,
    /// Up to 5 key-value pairs.
    #[uniffi(default = None)]
    pub metadata: Option<HashMap<String, String>>,
}

impl TryFrom<PaymentLinkRequest> for kopokopo::PaymentLinkRequest {
    type Error = KopoKopoError;
    fn try_from(r: PaymentLinkRequest) -> Result<Self, KopoKopoError> {
        let d = kopokopo::PaymentLinkRequest::default();
        Ok(kopokopo::PaymentLinkRequest {
            till_number: r.till_number,
            currency: r.currency.unwrap_or(d.currency),
            amount: amount("amount", &r.amount)?,
            payment_reference: r.payment_reference,
            note: r.note,
            callback_url: r.callback_url,
            metadata: metadata(r.metadata),
        })
    }
}
