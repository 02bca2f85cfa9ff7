// Declarations of `kopokopo/http` (lib/http.js): receiving Kopo Kopo webhooks
// and results with plain node:http.

/// <reference types="node" />

import type { IncomingMessage, ServerResponse } from 'node:http'
import { DecodeError, KopoKopoError, SignatureError } from './kopokopo'
import type { CallbackResult, Webhook } from './types.generated'

export { DecodeError, SignatureError }

/** What a receiver accepts: webhooks, results, or (`'auto'`, the default) whichever the body is. */
export type EventKind = 'webhook' | 'result' | 'auto'
/** The parsed event for a kind. */
export type EventFor<K extends EventKind> = K extends 'webhook' ? Webhook : K extends 'result' ? CallbackResult : Webhook | CallbackResult

/**
 * The options of `readWebhook` (and the base of the handler's and the Express
 * middleware's): checked when the receiver is set up, an invalid one throws
 * InvalidArgumentError.
 */
export interface ReceiverOptions<K extends EventKind = EventKind> {
  /** Your API key: the HMAC key of X-KopoKopo-Signature. */
  apiKey: string
  /** 'webhook', 'result' or 'auto' (default). */
  kind?: K
  /** Largest body accepted, in bytes (default 1 MiB, `DEFAULT_LIMIT`); larger is refused with 413. */
  limit?: number
}

/** The status to answer travels with every error of a receiver. */
export interface WithStatus {
  /** The HTTP status to answer: 401, 400, 413, or 500 for a setup bug. */
  status: number
}

/** The body is larger than the limit (status 413). Nothing above the limit was buffered. */
export declare class PayloadTooLargeError extends KopoKopoError {
  readonly code: 'payload_too_large'
  /** The HTTP status to answer: 413 (Payload Too Large). */
  readonly status: 413
  /** The limit in bytes. */
  readonly limit: number
}
/** Another body parser (express.json()) or listener read the body first (status 500: a setup bug). */
export declare class BodyConsumedError extends KopoKopoError {
  readonly code: 'body_consumed'
  /** The HTTP status to answer: 500 (the server's setup is wrong, not the request). */
  readonly status: 500
}
/** The client aborted the request before its body was complete (status 400). */
export declare class RequestAbortedError extends KopoKopoError {
  readonly code: 'request_aborted'
  /** The HTTP status to answer: 400 (the client is usually gone by then). */
  readonly status: 400
}

/** Every error a receiver rejects with: SignatureError 401, DecodeError 400, the classes above. */
export type ReceiveError =
  | (SignatureError & WithStatus)
  | (DecodeError & WithStatus)
  | PayloadTooLargeError
  | BodyConsumedError
  | RequestAbortedError

/** 1048576 (1 MiB). */
export declare const DEFAULT_LIMIT: number

/**
 * Reads the raw body of `req` (refusing more than `limit` bytes), verifies the
 * signature over those exact bytes and parses the event with the core.
 * Rejects with a `ReceiveError` whose `.status` is the HTTP status to answer.
 */
export declare function readWebhook<K extends EventKind = 'auto'>(req: IncomingMessage, options: ReceiverOptions<K>): Promise<EventFor<K>>

/** Reads the raw body into one Buffer with a cap (a Buffer from express.raw() is used as is). */
export declare function readRawBody(req: IncomingMessage, options?: { limit?: number }): Promise<Buffer>

/** Verifies and parses a raw body as the kind says (errors carry `.status`). */
export declare function parseEvent<K extends EventKind = 'auto'>(
  body: Buffer | Uint8Array | ArrayBuffer | string,
  signature: string | string[] | null | undefined,
  apiKey: string,
  kind?: K,
): EventFor<K>

/** Whether the event is a webhook (`structure` 'k2' or 'daraja'). */
export declare function isWebhook(event: Webhook | CallbackResult): event is Webhook
/** Whether the event is a result (`kind` + `value`). */
export declare function isResult(event: Webhook | CallbackResult): event is CallbackResult

/**
 * The key identifying an event across redeliveries: `webhook:<id>`,
 * `daraja:<TransID>`, `result:<kind>:<id>:<status>`; null when the event has
 * no id (do not deduplicate it).
 */
export declare function eventId(event: Webhook | CallbackResult): string | null

/** Where seen event ids are kept: `InMemoryDedupe`, or your shared store (may be async). */
export interface Dedupe {
  /**
   * Whether the event with this `eventId` was already stored; the handler
   * then answers 200 without calling `onEvent`. May return a Promise.
   */
  has(id: string): boolean | Promise<boolean>
  /**
   * Records an event id once `onEvent` has resolved (the event is stored).
   * The return value is ignored; a Promise is awaited, and a rejection
   * answers 500 so that Kopo Kopo delivers the event again.
   */
  add(id: string): unknown
}

/**
 * Seen event ids with a time to live, in this process's memory. Production
 * with several processes or restarts needs a shared store (a unique key in a
 * database, Redis `SET key 1 NX EX ttl`) behind the same `has`/`add`.
 */
export declare class InMemoryDedupe implements Dedupe {
  /** ttlMs: default 24 h; maxEntries: default 100000 (oldest dropped first); now: clock for tests. */
  constructor(options?: { ttlMs?: number; maxEntries?: number; now?: () => number })
  /** Whether `id` was added less than `ttlMs` ago (an expired id is forgotten here). */
  has(id: string): boolean
  /**
   * Remembers `id` for `ttlMs` (re-adding renews it; beyond `maxEntries` the
   * oldest ids are dropped). A null or undefined id is ignored. Returns this.
   */
  add(id: string | null | undefined): this
  /** Forgets `id`; whether it was remembered (expired or not). */
  delete(id: string): boolean
  /** Forgets every id. */
  clear(): void
  /** The number of ids remembered; expired ids count until `add` sweeps them out (or `has` meets one). */
  readonly size: number
}

/** The second argument of `onEvent`: where the event came from. */
export interface EventContext {
  /** The node:http request that delivered the event (its body already read). */
  req: IncomingMessage
  /** The raw body, exactly as verified. */
  body: Buffer
  /** `eventId(event)`. */
  id: string | null
}

/** The options of `createWebhookHandler`: the receiver's, plus deduplication and error reporting. */
export interface WebhookHandlerOptions<K extends EventKind = EventKind> extends ReceiverOptions<K> {
  /** Acknowledge an event already stored (by `eventId`) without calling `onEvent` again. */
  dedupe?: Dedupe | null
  /** Sees every refusal and failure (default: onEvent failures and setup bugs go to console.error). */
  onError?: ((error: unknown, req: IncomingMessage) => void) | null
}

/**
 * A node:http request listener: 405 unless POST; 401/400/413 as `readWebhook`;
 * then `await onEvent(event, context)` and 200 only once it resolved (store
 * the event there); 500 if it threw, so Kopo Kopo delivers it again.
 */
export declare function createWebhookHandler<K extends EventKind = 'auto'>(
  options: WebhookHandlerOptions<K>,
  onEvent: (event: EventFor<K>, context: EventContext) => void | Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void>
