// Declarations of `kopokopo/express` (lib/express.js). Express's own types are
// not needed: the middleware takes node:http's request and response, which
// Express's extend, and `req.kopokopo` is added to Express's Request through
// the global `Express` namespace (as passport's `req.user` is).

/// <reference types="node" />

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EventFor, EventKind, ReceiverOptions } from './http'
import type { CallbackResult, Webhook } from './types.generated'

export {
  BodyConsumedError,
  DecodeError,
  DEFAULT_LIMIT,
  eventId,
  InMemoryDedupe,
  isResult,
  isWebhook,
  PayloadTooLargeError,
  RequestAbortedError,
  SignatureError,
} from './http'
export type { Dedupe, EventFor, EventKind, ReceiveError, ReceiverOptions, WithStatus } from './http'

declare global {
  namespace Express {
    interface Request {
      /** Set by `kopokopo/express`: the verified, parsed webhook or result. */
      kopokopo?: Webhook | CallbackResult
    }
  }
}

/** The options of the `kopokopo` middleware: the receiver's (`apiKey`, `kind`, `limit`), plus `onError`. */
export interface MiddlewareOptions<K extends EventKind = EventKind> extends ReceiverOptions<K> {
  /** Sees every refusal (401, 400, 413) and setup error, e.g. to log it. */
  onError?: ((error: unknown, req: IncomingMessage) => void) | null
}

/** A request after the middleware: `kopokopo` is the event, `body` the raw bytes. */
export type KopoKopoRequest<K extends EventKind = EventKind> = IncomingMessage & {
  /** The verified, parsed webhook or result (of the middleware's `kind`). */
  kopokopo: EventFor<K>
  /** The raw body exactly as received and verified (not parsed JSON). */
  body: Buffer
}

/** A Connect/Express middleware. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

/**
 * Reads the raw body (up to `limit`, default 1 MiB), verifies X-KopoKopo-Signature
 * and sets `req.kopokopo` (and `req.body`, the raw Buffer), then `next()`.
 * Answers 401 (signature), 400 (not an event), 413 (too large); a body already
 * read by express.json() is a BodyConsumedError passed to `next(err)`.
 */
export declare function kopokopo<K extends EventKind = 'auto'>(options: MiddlewareOptions<K>): Middleware
