// Type declarations of the `kopokopo` package. The request, result and
// event types and the client's operation groups are generated from the
// core's schema into ./types.generated.d.ts (re-exported here); this file
// declares the rest by hand: options, the client's ergonomics (webhook
// verification, execute), the sans-IO functions, constants and errors. The
// native loader's generated declarations are ../index.d.ts.
//
// Conventions:
// * Keys are camelCase. Values the API defines (types, statuses, topics,
//   `type: 'mobile_wallet'`) are written as the API spells them.
// * Money is a `string` holding an exact decimal ("150.00", "1000"): results
//   always give strings; requests accept a string or an integer `number`
//   (a number with a fraction is refused with InvalidArgumentError).
// * Timestamps are ISO 8601 strings as the API sends them
//   (e.g. "2021-04-12T08:50:22+03:00"), not `Date`s: a `Date` keeps
//   milliseconds and no offset, the text keeps both; `parseTimestamp` reads
//   one exactly. `TokenInfo.createdAt` is text that holds epoch seconds
//   ("1613376955") or an ISO 8601 timestamp.
// * `metadata` objects are passed through exactly as given (keys unchanged).

/// <reference types="node" />

import type {
  CallbackResult,
  ClientGroups,
  LegacyOperationName,
  OperationName,
  OperationParams,
  OperationResults,
  Webhook,
  WebhooksApi,
} from './types.generated'

export * from './types.generated'

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

/**
 * The options of `new Client(...)` (and of the sans-IO `buildRequest`). Every
 * value is checked by the core when the client is built: a bad one throws
 * InvalidArgumentError naming the option (e.g. `field === 'timeoutMs'`).
 */
export interface ClientOptions {
  /** The OAuth client id of your Kopo Kopo application (required, not blank; not a secret). */
  clientId: string
  /**
   * The OAuth client secret of your application (required, not blank). Kept
   * by the native client: never shown by `toString`, `inspect`, `toJSON` or
   * error messages.
   */
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
  /** Retries of GET and token requests (default 2, at most 10; payments are never retried). */
  maxRetries?: number
  /**
   * Text added to the User-Agent header, after the package's own
   * ("kopokopo/0.1.0 (node/0.1.0; Node v20.11.0; <suffix>)"), e.g. "my-shop/1.2".
   */
  userAgentSuffix?: string
  /**
   * HTTP proxy: 'env' (the default) reads HTTPS_PROXY / https_proxy, else
   * ALL_PROXY / all_proxy, honouring NO_PROXY (HTTP_PROXY is never read);
   * 'none' connects directly; anything else is the proxy URL
   * ('http://user:pass@proxy:3128'). Loopback base URLs are never proxied.
   */
  proxy?: 'env' | 'none' | (string & {})
}

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

/** An exact instant read from a timestamp's text by the core (`parseTimestamp`). */
export interface ParsedTimestamp {
  /** Seconds since the Unix epoch (UTC). */
  unixSeconds: number
  /** Nanoseconds within the second (0 to 999999999). */
  nanos: number
  /** The offset from UTC in seconds (+03:00 is 10800). */
  offsetSeconds: number
  /** Whether the text gave the offset (without one, Kenya time, +03:00, is assumed). */
  offsetGiven: boolean
  /** The same instant as a `Date` (milliseconds; the offset and sub-millisecond digits are lost). */
  date: Date
}

/** A request built without sending it (sans-IO). Carries credentials: do not log it. */
export interface HttpRequest {
  /** The HTTP method: 'GET' for status queries and token info, 'POST' for everything else. */
  method: 'GET' | 'POST' | string
  /** The absolute URL: the configured base URL followed by the operation's path. */
  url: string
  /**
   * Header names (lowercase) and values, in the order to send them:
   * `accept`, `user-agent`, then `authorization` (the bearer token) on API
   * calls and `content-type` when there is a body.
   */
  headers: [string, string][]
  /**
   * The body as text: JSON for the API's POST calls, an
   * `application/x-www-form-urlencoded` form for `/oauth/token`, `/oauth/revoke`
   * and `/oauth/introspect` (it holds the client id and secret); an empty
   * string for a GET.
   */
  body: string
}

/** A response received for a request built with `buildRequest`, to pass to `parseResponse`. */
export interface HttpResponse {
  /** The HTTP status code (an integer from 100 to 599). */
  status: number
  /**
   * The response headers, as an object or as `[name, value]` pairs; names
   * are compared case-insensitively. `location` (the new resource of a
   * create call) and `retry-after` (a 429) are the ones read. Default: none.
   */
  headers?: Record<string, string> | [string, string][]
  /** The raw response body (a string is read as UTF-8). Default: empty. */
  body?: Body
}

// --------------------------------------------------------------- client

/** An operation name: `group.method` (`OperationName`), or a deprecated name from before the operation table. */
export type Operation = OperationName | LegacyOperationName

/** The webhook methods of `client.webhooks` that use the configured API key (no network). */
export interface WebhookVerification {
  /** Whether the signature matches the raw body under the configured apiKey. */
  verifySignature(body: Body, signature: string | null | undefined): boolean
  /** Verifies with the configured apiKey, then parses. Throws SignatureError / DecodeError. */
  parseWebhook(body: Body, signature: string | null | undefined): Webhook
  /** Verifies with the configured apiKey, then parses. Throws SignatureError / DecodeError. */
  parseResult(body: Body, signature: string | null | undefined): CallbackResult
}

/**
 * Kopo Kopo API client. Every network call returns a Promise and runs on the
 * libuv thread pool; the event loop is never blocked. Tokens are fetched and
 * cached by the client. Secrets are never shown by toString/inspect/JSON.
 */
export declare class Client {
  /** Checks the options and builds the client; throws InvalidArgumentError for a bad option. No network call is made. */
  constructor(options: ClientOptions)
  /** The client id the client was built with (`options.clientId`; not a secret). */
  readonly clientId: string
  /**
   * The API base URL every request goes to: `options.baseUrl` without a
   * trailing slash, or SANDBOX_URL when none was given.
   */
  readonly baseUrl: string
  /** The User-Agent header sent with every request, e.g. "kopokopo/0.1.0 (node/0.1.0; Node v20.11.0)". */
  readonly userAgent: string

  /** Webhook subscriptions, and verification with the configured API key. */
  readonly webhooks: WebhooksApi & WebhookVerification

  /** Any operation by name (`OPERATIONS`), with camelCase (or snake_case) parameters. */
  execute<O extends Operation>(operation: O, params?: OperationParams[O]): Promise<OperationResults[O]>
  execute(operation: string, params?: Record<string, unknown>): Promise<unknown>
  /** `Client(clientId=..., baseUrl=...)`: the client id and base URL, never the secret or API key. */
  toString(): string
  /** What `JSON.stringify(client)` writes: the client id and base URL, never the secret or API key. */
  toJSON(): {
    /** The client id (`client.clientId`). */
    clientId: string
    /** The API base URL (`client.baseUrl`). */
    baseUrl: string
  }
}
/**
 * The operation groups (`client.tokens`, `client.incomingPayments`, ...),
 * generated from the core's operation table; `webhooks` adds verification.
 */
export declare interface Client extends Omit<ClientGroups, 'webhooks'> {}

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
export declare function parseResponse<O extends Operation>(
  operation: O,
  params: OperationParams[O] | Record<string, unknown> | undefined,
  response: HttpResponse,
): OperationResults[O]
export declare function parseResponse(
  operation: string,
  params: Record<string, unknown> | undefined,
  response: HttpResponse,
): unknown
/**
 * Reads a timestamp's text (ISO 8601, as results and webhooks carry it) into
 * an exact instant, with the core's rules (no offset: Kenya time, +03:00).
 * Throws InvalidArgumentError when the text is not a timestamp.
 */
export declare function parseTimestamp(text: string): ParsedTimestamp

/** Every operation name (`group.method`). */
export declare const OPERATIONS: readonly OperationName[]
/** Every `code` a KopoKopoError of this version may carry (`ErrorCode`), as the core lists them. */
export declare const ERROR_CODES: readonly ErrorCode[]
/** 'https://sandbox.kopokopo.com': the sandbox API, the default `baseUrl`. */
export declare const SANDBOX_URL: string
/** 'https://api.kopokopo.com': the production API (pass it as `baseUrl` to take real payments). */
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

/**
 * The stable `code` of a KopoKopoError, the same in every language binding:
 * one per error class (`TimeoutError` is 'timeout'; a `TransportError` is
 * 'transport_error' otherwise).
 */
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
  /**
   * Path of the offending field as this API spells it: schema fields in
   * camelCase, list items indexed, `metadata` keys exactly as you gave them,
   * e.g. 'phoneNumber', 'destinations[0].amount', 'metadata.order_id';
   * options and arguments by their names ('clientId', 'timeoutMs', 'body').
   */
  readonly field: string
  /** Why the value was refused, e.g. 'must be greater than zero' (`message` is "invalid argument `field`: reason"). */
  readonly reason: string
}
/** Credentials or access token refused. */
export declare class AuthenticationError extends KopoKopoError {
  readonly code: 'authentication_failed'
  /**
   * The HTTP status of the refusal: 401, or 400 when the token endpoint
   * refused the client credentials (OAuth `invalid_client`); 0 when no
   * request was made (`buildRequest` of an API call without a token).
   */
  readonly httpStatus: number
  /** The server's message (`error_message`, `error_description` or `message` of the body), or the status text. */
  readonly errorMessage: string
}
/** The API answered with an error status. */
export declare class ApiError extends KopoKopoError {
  readonly code: 'api_error'
  /** The HTTP status the API answered with: a 4xx other than 401 and 429, or a 5xx. */
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
  /** Always 429 (Too Many Requests). */
  readonly httpStatus: 429
  /** Seconds to wait (Retry-After), or null. */
  readonly retryAfter: number | null
  /** The server's message (`error_message` of the body, several joined with "; "), or the status text. */
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
  /** Why the signature was refused (missing header, not hex, no match). */
  readonly reason: string
}
/** A response or payload could not be decoded. */
export declare class DecodeError extends KopoKopoError {
  readonly code: 'decode_error'
}
/** A bug in kopokopo: a native panic caught at the boundary (the process keeps running). Please report it. */
export declare class InternalError extends KopoKopoError {
  readonly code: 'internal'
}
