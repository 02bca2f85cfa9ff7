'use strict'
// The one place where errors are mapped. The native addon throws (or rejects
// with) an Error whose message is a JSON payload built from the core's
// `kopokopo::Error`: {"kopokopo":true,"error":{"code", "message", "field",
// "reason", "httpStatus", "errorCode", "errorMessage", "errorMessages",
// "retryAfter"}}. `mapError` turns it into the subclass of `KopoKopoError` for
// its stable `code`. `field` is already the JS API's name (camelCase schema
// fields, metadata keys as given: the native side walks the request schema).
// The core guarantees that none of these fields ever contains a secret.

/** Base class of every error thrown by this package. */
class KopoKopoError extends Error {
  constructor(message, code, options) {
    super(message, options)
    this.name = new.target.name
    /** Stable string code, identical in every language binding. */
    this.code = code
  }
}

/** Input was rejected before any request was sent. */
class InvalidArgumentError extends KopoKopoError {
  constructor(message, field, reason, options) {
    super(message, 'invalid_argument', options)
    /**
     * Path of the offending field as this API spells it: `phoneNumber`,
     * `destinations[0].amount`, `metadata.order_id` (metadata keys as you gave them).
     */
    this.field = field
    /** Why it was refused, e.g. `must be greater than zero` (the message is `invalid argument \`field\`: reason`). */
    this.reason = reason ?? ''
  }
}

/** Credentials or the access token were refused. */
class AuthenticationError extends KopoKopoError {
  constructor(message, httpStatus, errorMessage, options) {
    super(message, 'authentication_failed', options)
    this.httpStatus = httpStatus
    /** The server's message. */
    this.errorMessage = errorMessage ?? ''
  }
}

/** A list of messages as a fresh array of strings (empty when absent). */
const messageList = (messages) => (Array.isArray(messages) ? messages.map(String) : [])

/** The API answered with an error status. */
class ApiError extends KopoKopoError {
  constructor(message, httpStatus, errorCode, errorMessage, errorMessages, options) {
    super(message, 'api_error', options)
    this.httpStatus = httpStatus
    /** `error_code` of the response body, or null. */
    this.errorCode = errorCode ?? null
    /** `error_message` of the response body (an array joined with "; "), or the status text. */
    this.errorMessage = errorMessage ?? ''
    /** Every message of the response body, in order (the reversal error sends several); empty without a body. */
    this.errorMessages = messageList(errorMessages)
  }
}

/** HTTP 429: too many requests. */
class RateLimitError extends KopoKopoError {
  constructor(message, retryAfter, errorMessage, errorMessages, options) {
    super(message, 'rate_limited', options)
    this.httpStatus = 429
    /** Seconds the server asked us to wait (`Retry-After`), or null. */
    this.retryAfter = retryAfter ?? null
    /** The server's message, if any. */
    this.errorMessage = errorMessage ?? ''
    /** The messages the core reports for a 429 (as for ApiError). */
    this.errorMessages = messageList(errorMessages)
  }
}

/** The request could not be sent, or no complete answer arrived. */
class TransportError extends KopoKopoError {
  constructor(message, options, code = 'transport_error') {
    super(message, code, options)
  }
}

/** The request did not complete within the configured timeout. */
class TimeoutError extends TransportError {
  constructor(message, options) {
    super(message, options, 'timeout')
  }
}

/** A webhook or result signature is missing or does not match. */
class SignatureError extends KopoKopoError {
  constructor(message, options) {
    super(message, 'signature_invalid', options)
    /** Why the signature was refused: the header is missing, malformed or does not match. */
    this.reason = ''
  }
}

/** A response or payload could not be decoded. */
class DecodeError extends KopoKopoError {
  constructor(message, options) {
    super(message, 'decode_error', options)
  }
}

/**
 * A bug in kopokopo: a panic in the native code was caught at its boundary
 * (the process keeps running). Please report it with the message.
 */
class InternalError extends KopoKopoError {
  constructor(message, options) {
    super(message, 'internal', options)
  }
}

function fromPayload(p) {
  switch (p.code) {
    case 'invalid_argument':
      return new InvalidArgumentError(p.message, p.field, p.reason)
    case 'authentication_failed':
      return new AuthenticationError(p.message, p.httpStatus, p.errorMessage)
    case 'api_error':
      return new ApiError(p.message, p.httpStatus, p.errorCode, p.errorMessage, p.errorMessages)
    case 'rate_limited':
      return new RateLimitError(p.message, p.retryAfter, p.errorMessage, p.errorMessages)
    case 'transport_error':
      return new TransportError(p.message)
    case 'timeout':
      return new TimeoutError(p.message)
    case 'signature_invalid': {
      const e = new SignatureError(p.message)
      e.reason = p.reason ?? ''
      return e
    }
    case 'decode_error':
      return new DecodeError(p.message)
    case 'internal':
      return new InternalError(p.message)
    default:
      // A code this version does not know yet: still a KopoKopoError.
      return new KopoKopoError(p.message, p.code)
  }
}

/** Maps an error thrown by the native addon; anything else is returned unchanged. */
function mapError(err) {
  if (!(err instanceof Error) || err instanceof KopoKopoError) return err
  const m = err.message
  if (typeof m !== 'string' || !m.startsWith('{"kopokopo":true')) return err
  let payload
  try {
    payload = JSON.parse(m)
  } catch {
    return err
  }
  if (!payload || typeof payload.error !== 'object') return err
  const mapped = fromPayload(payload.error)
  // Start the stack at the caller of the package, not in this file.
  Error.captureStackTrace(mapped, mapError)
  return mapped
}

/**
 * An InvalidArgumentError raised by the JavaScript layer (type conversion),
 * worded like the core's. `field` is the JS name (camelCase: the option or
 * argument as the caller wrote it).
 */
function invalidArgument(field, reason) {
  return new InvalidArgumentError(`invalid argument \`${field}\`: ${reason}`, field, reason)
}

module.exports = {
  KopoKopoError,
  InvalidArgumentError,
  AuthenticationError,
  ApiError,
  RateLimitError,
  TransportError,
  TimeoutError,
  SignatureError,
  DecodeError,
  InternalError,
  mapError,
  invalidArgument,
}
