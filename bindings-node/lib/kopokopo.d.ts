// Type declarations of the `kopokopo` package (hand-written; the native
// loader's generated declarations are ../index.d.ts).
//
// Conventions:
// * Keys are camelCase. Values the API defines (types, statuses, topics,
//   `type: 'mobile_wallet'`) are written as the API spells them.
// * Money is a `string` holding an exact decimal ("150.00", "1000"): results
//   always give strings; requests accept a string or an integer `number`
//   (a number with a fraction is refused with InvalidArgumentError).
// * Timestamps are ISO 8601 strings as the API sends them
//   (e.g. "2021-04-12T08:50:22+03:00"); `TokenInfo.createdAt` is text that
//   holds epoch seconds ("1613376955") or an ISO 8601 timestamp.
// * `metadata` objects are passed through exactly as given (keys unchanged).

/// <reference types="node" />

/** An exact decimal amount: a string such as "150.00", or an integer number. */
export type AmountInput = string | number
/** An exact decimal amount as returned: the core's decimal text, e.g. "100", "10.5". */
export type Amount = string
/** An ISO 8601 timestamp string, e.g. "2021-04-12T08:50:22+03:00". */
export type Timestamp = string
/** Up to 5 keys with primitive values. Keys are sent as given. */
export type Metadata = Record<string, string | number | boolean | null>
/** A raw webhook or result body exactly as received. */
export type Body = Buffer | Uint8Array | ArrayBuffer | string

export interface ClientOptions {
  clientId: string
  clientSecret: string
  /** Needed to verify webhooks and results with `client.webhooks.*`. */
  apiKey?: string
  /** SANDBOX_URL (default), PRODUCTION_URL, any https URL; http only for loopback hosts. */
  baseUrl?: string
  /**
   * Deadline of a whole call in milliseconds (token wait, attempts and
   * retries together; default 30000, at most 3600000).
   */
  timeoutMs?: number
  /** Connect timeout in milliseconds (default 10000, at most 3600000). */
  connectTimeoutMs?: number
  /** Retries of GET and token requests (default 2; payments are never retried). */
  maxRetries?: number
  /**
   * HTTP proxy: 'env' (the default) reads HTTPS_PROXY / https_proxy, else
   * ALL_PROXY / all_proxy, honouring NO_PROXY (HTTP_PROXY is never read);
   * 'none' connects directly; anything else is the proxy URL
   * ('http://user:pass@proxy:3128'). Loopback base URLs are never proxied.
   */
  proxy?: 'env' | 'none' | (string & {})
}

// ------------------------------------------------------------- requests

/** The webhook topics a subscription may name (`eventType`), and the `topic` of a K2 webhook. */
export type WebhookEventType =
  | 'buygoods_transaction_received'
  | 'buygoods_transaction_reversed'
  | 'b2b_transaction_received'
  | 'b2b_transaction_reversed'
  /** A merchant-to-merchant payment was received (resource: a Transaction with `sendingMerchant`). */
  | 'm2m_transaction_received'
  | 'settlement_transfer_completed'
  | 'card_transaction_received'
  | 'card_transaction_voided'
  | 'card_transaction_reversed'
  | 'customer_created'

export interface WebhookSubscriptionRequest {
  eventType: WebhookEventType
  url: string
  scope: 'company' | 'till'
  /** Your till number; required when scope is 'till'. */
  scopeReference?: string | null
  /** true for the Daraja payload structure. */
  enableDarajaPayload?: boolean | null
}

export interface IncomingPaymentRequest {
  /** Default PAYMENT_CHANNEL_STK_PUSH ('M-PESA STK Push'); PAYMENT_CHANNEL_MPESA ('M-PESA') is also documented. */
  paymentChannel?: 'M-PESA STK Push' | 'M-PESA' | (string & {})
  tillNumber: string
  /** Normalised to +254...; 07..., 2547... and +2547... are accepted. */
  phoneNumber: string
  firstName?: string | null
  lastName?: string | null
  email?: string | null
  amount: AmountInput
  /** Default 'KES'. */
  currency?: string
  callbackUrl: string
  metadata?: Metadata | null
}

export interface MerchantWalletRequest {
  network: 'Safaricom' | string
  firstName: string
  lastName: string
  nickname?: string | null
  phoneNumber: string
}

export interface MerchantBankAccountRequest {
  accountName: string
  nickname?: string | null
  bankBranchRef: string
  accountNumber: string
  settlementMethod: 'EFT' | 'RTS'
}

export type ExternalRecipientRequest =
  | {
      type: 'mobile_wallet'
      firstName: string
      lastName: string
      phoneNumber: string
      network: 'Safaricom' | string
      email?: string | null
      nickname?: string | null
    }
  | {
      type: 'bank_account'
      accountName: string
      bankBranchRef: string
      accountNumber: string
      settlementMethod: 'EFT' | 'RTS'
      nickname?: string | null
    }
  | { type: 'till'; tillName: string; tillNumber: string; nickname?: string | null }
  | {
      type: 'paybill'
      paybillName: string
      paybillNumber: string
      paybillAccountNumber: string
      nickname?: string | null
    }

export type Destination =
  | { type: 'merchant_wallet'; reference: string; amount: AmountInput; description?: string | null }
  | { type: 'merchant_bank_account'; reference: string; amount: AmountInput; description?: string | null }
  | {
      type: 'mobile_wallet'
      phoneNumber: string
      network: 'Safaricom' | string
      amount: AmountInput
      description: string
      nickname?: string | null
      favourite?: boolean | null
    }
  | {
      type: 'bank_account'
      bankBranchRef: string
      accountName: string
      accountNumber: string
      amount: AmountInput
      description: string
      nickname?: string | null
      favourite?: boolean | null
    }
  | { type: 'till'; tillNumber: string; amount: AmountInput; description: string; nickname?: string | null; favourite?: boolean | null }
  | {
      type: 'paybill'
      paybillNumber: string
      paybillAccountNumber: string
      amount: AmountInput
      description: string
      nickname?: string | null
      favourite?: boolean | null
    }

export interface SendMoneyRequest {
  /** Empty or absent: "send to my accounts" (settlement to your own accounts). */
  destinations?: Destination[]
  sourceIdentifier?: string | null
  /** Default 'KES'. */
  currency?: string
  callbackUrl: string
  metadata?: Metadata | null
}

export interface PollingRequest {
  scope: 'company' | 'till'
  scopeReference?: string | null
  fromTime: Timestamp
  toTime: Timestamp
  callbackUrl: string
}

export interface SmsNotificationRequest {
  /** The `id` of the webhook event the SMS is about. */
  webhookEventReference: string
  message: string
  callbackUrl: string
}

export interface ReversalRequest {
  transactionReference: string
  reason: string
  callbackUrl: string
  metadata?: Metadata | null
}

export interface PaymentLinkRequest {
  tillNumber: string
  /** Default 'KES'. */
  currency?: string
  amount: AmountInput
  paymentReference?: string | null
  note?: string | null
  callbackUrl: string
  metadata?: Metadata | null
}

// -------------------------------------------------------------- results

export interface Links {
  callbackUrl: string | null
  self: string | null
  resource?: string | null
}

export interface AccessToken {
  /** The bearer token. Secret: do not log it. */
  accessToken: string
  tokenType: string
  expiresIn: number
  createdAt: string | null
}

export interface TokenIntrospection {
  active: boolean
  scope: string | null
  clientId: string | null
  tokenType: string | null
  exp: number | null
  iat: number | null
}

export interface TokenInfo {
  resourceOwnerId: unknown
  scope: string[]
  expiresIn: number | null
  application: { uid: string | null } | null
  /** Creation time as text: epoch seconds ("1613376955") or an ISO 8601 timestamp, as the API sent it. */
  createdAt: string | null
}

/** The answer to every create call. */
export interface Created {
  /** The URL of the new resource (pass it, or `id`, to `status`). */
  location: string
  id: string
}

export interface CancelledPaymentLink {
  message: string | null
  /** The cancelled link, when the response carries its `data` document. */
  paymentLink: PaymentLink | null
}

export interface Transaction {
  id: string | null
  reference: string | null
  status: string | null
  originationTime: Timestamp | null
  amount: Amount | null
  currency: string | null
  tillNumber: string | null
  system: string | null
  senderPhoneNumber: string | null
  hashedSenderPhone: string | null
  senderFirstName: string | null
  senderMiddleName: string | null
  senderLastName: string | null
  sendingTill: string | null
  customerCcNumber: string | null
  settled: boolean | null
  /** The paying merchant of an `m2m_transaction_received` webhook. */
  sendingMerchant: string | null
}

export interface IncomingPayment {
  id: string
  /** 'incoming_payment'. */
  type: string
  initiationTime: Timestamp | null
  /** 'Pending', 'Success' or 'Failed'. */
  status: string
  event: { type: string | null; resource: Transaction | null; errors: string[] }
  metadata: Metadata
  _links: Links
}

export interface DestinationInfo {
  type: string | null
  reference: string | null
  phoneNumber: string | null
  network: string | null
  tillNumber: string | null
  paybillNumber: string | null
  paybillAccountNumber: string | null
  bankBranchRef: string | null
  accountName: string | null
  accountNumber: string | null
  amount: Amount | null
  description: string | null
  nickname: string | null
  favourite: boolean | null
}

export interface Disbursement {
  status: string | null
  amount: Amount | null
  errors: string[]
  originationTime: Timestamp | null
  destinationType: string | null
  destinationReference: string | null
  transactionReference: string | null
  nickname: string | null
  favourite: boolean | null
  phoneNumber: string | null
}

/** An amount object, `{currency, value}` (the value may be null). */
export interface MoneyAmount {
  currency: string | null
  value: Amount | null
}

export interface SendMoney {
  id: string
  /** 'send_money'; 'payment' or 'settlement_transfer' for a version-1 result. */
  type: string
  status: string
  createdAt: Timestamp | null
  sourceIdentifier: string | null
  currency: string | null
  destinations: DestinationInfo[]
  transferBatches: { status: string | null; amount: Amount | null; disbursements: Disbursement[] }[]
  errors: string[]
  /** The legacy settlement_transfer document's total; null for send_money documents. */
  amount: MoneyAmount | null
  metadata: Metadata
  _links: Links
}

export interface Polling {
  id: string
  type: string
  status: string
  createdAt: Timestamp | null
  fromTime: Timestamp | null
  toTime: Timestamp | null
  transactions: { type: string | null; resource: Transaction }[]
  scope: string | null
  scopeReference: string | null
  _links: Links
}

export interface SmsNotification {
  id: string
  type: string
  status: string
  message: string | null
  webhookEventReference: string | null
  _links: Links
}

export interface Reversal {
  id: string
  type: string
  /** A failed reversal is still 'Processed': look at reversalBulkPayment.status and errors. */
  status: string
  createdAt: Timestamp | null
  transactionReference: string | null
  reason: string | null
  reversalBulkPayment: {
    amount: Amount | null
    status: string | null
    originationTime: Timestamp | null
    transactionReference: string | null
  } | null
  errors: string[]
  metadata: Metadata
  _links: Links
}

export interface PaymentLink {
  id: string
  /** 'payment_link'. */
  type: string
  status: string
  createdAt: Timestamp | null
  tillName: string | null
  /** Who created the link (when the API says). */
  initiatorName: string | null
  tillNumber: string | null
  paymentReference: string | null
  currency: string | null
  amount: Amount | null
  note: string | null
  paymentLink: {
    status: string | null
    expiresAt: Timestamp | null
    link: string | null
    transactionReference: string | null
    senderPhoneNumber: string | null
    originationTime: Timestamp | null
  } | null
  errors: string[]
  metadata: Metadata
  _links: Links
}

// ------------------------------------------------------------- webhooks

export interface SettlementTransfer {
  id: string | null
  status: string | null
  amount: Amount | null
  currency: string | null
  destination: { type: string | null; resource: Record<string, string | null> | null } | null
  disbursements: { status: string | null; amount: Amount | null; originationTime: Timestamp | null; transactionReference: string | null }[]
  originationTime: Timestamp | null
}

export interface Customer {
  firstName: string | null
  middleName: string | null
  lastName: string | null
  phoneNumber: string | null
}

export type WebhookResource =
  | { kind: 'transaction'; value: Transaction }
  | { kind: 'settlement_transfer'; value: SettlementTransfer }
  | { kind: 'customer'; value: Customer }
  /** A topic this version does not know: the resource exactly as received. */
  | { kind: 'unknown'; value: unknown }

/** A webhook in the K2Connect structure (the default). */
export interface K2Webhook {
  structure: 'k2'
  /** Event id (use it as `webhookEventReference` for SMS notifications). */
  id: string
  /** A WebhookEventType, or a topic this version does not know. */
  topic: WebhookEventType | (string & {})
  createdAt: Timestamp | null
  eventType: string | null
  resource: WebhookResource
  links: Links
}

/** A webhook in the Daraja structure (subscriptions with enableDarajaPayload). Keys as Daraja spells them. */
export interface DarajaWebhook {
  structure: 'daraja'
  /** The topic implied by TransactionType (e.g. 'buygoods_transaction_received'). */
  topic: string
  TransactionType: string
  TransID: string
  /** YYYYMMDDhhmmss. */
  TransTime: string
  TransAmount: Amount | null
  BusinessShortCode: string | null
  BillRefNumber: string | null
  InvoiceNumber: string | null
  OrgAccountBalance: string | null
  /** Written as the documentation spells it; Safaricom's `ThirdPartyTransID` is read too. */
  ThirdPartyTransId: string | null
  MSISDN: string | null
  FirstName: string | null
  MiddleName: string | null
  LastName: string | null
}

export type Webhook = K2Webhook | DarajaWebhook

/** An asynchronous result POSTed to a callbackUrl. */
export type CallbackResult =
  | { kind: 'incoming_payment'; value: IncomingPayment }
  /** Also version-1 results: `value.type` is 'payment' or 'settlement_transfer'. */
  | { kind: 'send_money'; value: SendMoney }
  | { kind: 'polling'; value: Polling }
  | { kind: 'sms_notification'; value: SmsNotification }
  | { kind: 'reversal'; value: Reversal }
  | { kind: 'payment_link'; value: PaymentLink }
  | { kind: 'unknown'; value: { resultType: string; raw: unknown } }

/** A request built without sending it (sans-IO). Carries credentials: do not log it. */
export interface HttpRequest {
  method: 'GET' | 'POST' | string
  url: string
  headers: [string, string][]
  body: string
}

export interface HttpResponse {
  status: number
  headers?: Record<string, string> | [string, string][]
  body?: Body
}

// --------------------------------------------------------------- client

export type Operation =
  | 'request_access_token'
  | 'revoke_access_token'
  | 'introspect_access_token'
  | 'token_info'
  | 'create_webhook_subscription'
  | 'create_incoming_payment'
  | 'get_incoming_payment'
  | 'create_merchant_wallet'
  | 'create_merchant_bank_account'
  | 'create_external_recipient'
  | 'send_money'
  | 'get_send_money'
  | 'create_polling'
  | 'get_polling'
  | 'create_transaction_sms_notification'
  | 'get_transaction_sms_notification'
  | 'create_reversal'
  | 'get_reversal'
  | 'create_payment_link'
  | 'get_payment_link'
  | 'cancel_payment_link'

/**
 * Kopo Kopo API client. Every network call returns a Promise and runs on the
 * libuv thread pool; the event loop is never blocked. Tokens are fetched and
 * cached by the client. Secrets are never shown by toString/inspect/JSON.
 */
export declare class Client {
  constructor(options: ClientOptions)
  readonly clientId: string
  readonly baseUrl: string
  /** e.g. "kopokopo/0.1.0 (node/0.1.0; Node v20.11.0)". */
  readonly userAgent: string

  readonly tokens: {
    /** POST /oauth/token. */
    request(): Promise<AccessToken>
    revoke(token: string): Promise<null>
    introspect(token: string): Promise<TokenIntrospection>
    info(): Promise<TokenInfo>
  }
  readonly webhooks: {
    subscribe(request: WebhookSubscriptionRequest): Promise<Created>
    /** Whether the signature matches the raw body under the configured apiKey. */
    verifySignature(body: Body, signature: string | null | undefined): boolean
    /** Verifies with the configured apiKey, then parses. Throws SignatureError / DecodeError. */
    parseWebhook(body: Body, signature: string | null | undefined): Webhook
    /** Verifies with the configured apiKey, then parses. Throws SignatureError / DecodeError. */
    parseResult(body: Body, signature: string | null | undefined): CallbackResult
  }
  readonly incomingPayments: {
    /** STK push. */
    create(request: IncomingPaymentRequest): Promise<Created>
    /** By id or by the `location` returned by create. */
    status(idOrLocation: string): Promise<IncomingPayment>
  }
  readonly merchantWallets: { create(request: MerchantWalletRequest): Promise<Created> }
  readonly merchantBankAccounts: { create(request: MerchantBankAccountRequest): Promise<Created> }
  readonly externalRecipients: { create(request: ExternalRecipientRequest): Promise<Created> }
  readonly sendMoney: {
    create(request: SendMoneyRequest): Promise<Created>
    status(idOrLocation: string): Promise<SendMoney>
  }
  readonly polling: {
    create(request: PollingRequest): Promise<Created>
    status(idOrLocation: string): Promise<Polling>
  }
  readonly smsNotifications: {
    create(request: SmsNotificationRequest): Promise<Created>
    status(idOrLocation: string): Promise<SmsNotification>
  }
  readonly reversals: {
    create(request: ReversalRequest): Promise<Created>
    status(idOrLocation: string): Promise<Reversal>
  }
  readonly paymentLinks: {
    create(request: PaymentLinkRequest): Promise<Created>
    status(idOrLocation: string): Promise<PaymentLink>
    cancel(idOrLocation: string): Promise<CancelledPaymentLink>
  }

  /** Any operation by its core name, with camelCase (or snake_case) parameters. */
  execute(operation: Operation | string, params?: Record<string, unknown>): Promise<unknown>
  toString(): string
  toJSON(): { clientId: string; baseUrl: string }
}

/** Hex HMAC-SHA256 of the raw body keyed with the API key (what Kopo Kopo sends). */
export declare function sign(body: Body, apiKey: string): string
/** Whether `signature` (the X-KopoKopo-Signature header) matches the raw body. */
export declare function verifySignature(body: Body, signature: string | null | undefined, apiKey: string): boolean
/** Verifies the signature over the raw body, then parses the webhook. */
export declare function parseWebhook(body: Body, signature: string | null | undefined, apiKey: string): Webhook
/** Verifies the signature over the raw body, then parses the result. */
export declare function parseResult(body: Body, signature: string | null | undefined, apiKey: string): CallbackResult
/** Parses a webhook WITHOUT verifying it. */
export declare function decodeWebhook(body: Body): Webhook
/** Parses a result WITHOUT verifying it. */
export declare function decodeResult(body: Body): CallbackResult
/** Sans-IO: validates and builds the request of an operation without sending it. */
export declare function buildRequest(
  options: ClientOptions,
  operation: Operation | string,
  params?: Record<string, unknown>,
  token?: string | null,
): HttpRequest
/** Sans-IO: parses a response to an operation. */
export declare function parseResponse(operation: Operation | string, params: Record<string, unknown> | undefined, response: HttpResponse): unknown

export declare const OPERATIONS: readonly Operation[]
export declare const ERROR_CODES: readonly ErrorCode[]
export declare const SANDBOX_URL: string
export declare const PRODUCTION_URL: string
/** 'X-KopoKopo-Signature'. */
export declare const SIGNATURE_HEADER: string
/** 'Safaricom': the documented mobile network (any non-empty network is sent as given). */
export declare const NETWORK_SAFARICOM: 'Safaricom'
/** 'M-PESA STK Push': the default payment channel of an STK push. */
export declare const PAYMENT_CHANNEL_STK_PUSH: 'M-PESA STK Push'
/** 'M-PESA': the payment channel named in the documentation's table. */
export declare const PAYMENT_CHANNEL_MPESA: 'M-PESA'
/** This package's version. */
export declare const VERSION: string
/** The Rust core's version. */
export declare const CORE_VERSION: string

// --------------------------------------------------------------- errors

export type ErrorCode =
  | 'invalid_argument'
  | 'authentication_failed'
  | 'api_error'
  | 'rate_limited'
  | 'transport_error'
  | 'timeout'
  | 'signature_invalid'
  | 'decode_error'
  | 'internal'

/** Base class of every error of this package. Messages never contain secrets. */
export declare class KopoKopoError extends Error {
  /** Stable code, identical in every language binding. */
  readonly code: ErrorCode | string
}
/** Input rejected before anything was sent. */
export declare class InvalidArgumentError extends KopoKopoError {
  readonly code: 'invalid_argument'
  /** The field as the core names it (snake_case, dotted), e.g. 'phone_number', 'destinations[0].amount'. */
  readonly field: string
}
/** Credentials or access token refused. */
export declare class AuthenticationError extends KopoKopoError {
  readonly code: 'authentication_failed'
  readonly httpStatus: number
  readonly errorMessage: string
}
/** The API answered with an error status. */
export declare class ApiError extends KopoKopoError {
  readonly code: 'api_error'
  readonly httpStatus: number
  /** `error_code` of the response body, as a string, or null. */
  readonly errorCode: string | null
  /** `error_message` of the response body (an array joined with "; "), or the status text. */
  readonly errorMessage: string
  /** Every message of the response body, in order (the reversal error sends several); empty without a body. */
  readonly errorMessages: string[]
}
/** HTTP 429. */
export declare class RateLimitError extends KopoKopoError {
  readonly code: 'rate_limited'
  readonly httpStatus: 429
  /** Seconds to wait (Retry-After), or null. */
  readonly retryAfter: number | null
  readonly errorMessage: string
  /** The messages the core reports for a 429. */
  readonly errorMessages: string[]
}
/** Connection refused/reset, TLS failure, incomplete response. */
export declare class TransportError extends KopoKopoError {
  readonly code: 'transport_error' | 'timeout'
}
/** The request timed out (a TransportError with code 'timeout'). */
export declare class TimeoutError extends TransportError {
  readonly code: 'timeout'
}
/** Missing, malformed or non-matching X-KopoKopo-Signature. */
export declare class SignatureError extends KopoKopoError {
  readonly code: 'signature_invalid'
}
/** A response or payload could not be decoded. */
export declare class DecodeError extends KopoKopoError {
  readonly code: 'decode_error'
}
/** A bug in kopokopo: a native panic caught at the boundary (the process keeps running). Please report it. */
export declare class InternalError extends KopoKopoError {
  readonly code: 'internal'
}
