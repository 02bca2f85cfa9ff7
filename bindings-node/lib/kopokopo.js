'use strict'
// The JavaScript API of `kopokopo`. Everything here is type conversion:
// options and parameters go to the native addon as JSON text (camelCase keys
// are converted to the core's snake_case natively), results come back as JSON
// text (camelCase keys, amounts as decimal strings), bodies become Buffers,
// and native errors become the classes of ./errors.js. Validation, HTTP,
// retries, token caching, signatures and parsing are all the Rust core's.

const native = require('../index.js')
const errors = require('./errors.js')
const OPERATION_TABLE = require('./operations.generated.js')
const { mapError, invalidArgument } = errors
const { version } = require('../package.json')

const USER_AGENT_SUFFIX = `node/${version}; Node ${process.version}`

/** Runs a synchronous native call, mapping its errors. */
function call(fn) {
  try {
    return fn()
  } catch (e) {
    throw mapError(e)
  }
}

/** A webhook or result body as a Buffer: Buffer, Uint8Array, ArrayBuffer or string (UTF-8). */
function toBody(body) {
  if (Buffer.isBuffer(body)) return body
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  throw invalidArgument('body', 'must be the raw body as a Buffer, Uint8Array or string')
}

/** The signature header value: a string, or null/undefined when the header was missing. */
function toSignature(signature) {
  if (signature === undefined || signature === null) return null
  if (typeof signature === 'string') return signature
  if (Array.isArray(signature) && signature.every((s) => typeof s === 'string')) return signature.join(', ')
  throw invalidArgument('signature', 'must be the X-KopoKopo-Signature header value (a string)')
}

function toApiKey(apiKey) {
  if (typeof apiKey !== 'string') throw invalidArgument('apiKey', 'must be a string')
  return apiKey
}

function toJson(value, field, replacer) {
  try {
    return JSON.stringify(value === undefined ? {} : value, replacer)
  } catch {
    throw invalidArgument(field, 'must be JSON-serialisable')
  }
}

const parse = (text) => JSON.parse(text)
const rejectMapped = (e) => {
  throw mapError(e)
}

/** Computes the signature Kopo Kopo sends for `body` (hex HMAC-SHA256 keyed with `apiKey`). */
function sign(body, apiKey) {
  return call(() => native.sign(toBody(body), toApiKey(apiKey)))
}

/** Whether `signature` matches the raw `body` under `apiKey`. Never throws for a bad signature. */
function verifySignature(body, signature, apiKey) {
  return call(() => native.verifySignature(toBody(body), toSignature(signature), toApiKey(apiKey)))
}

/** Verifies the signature over the raw body, then parses the webhook. Throws SignatureError or DecodeError. */
function parseWebhook(body, signature, apiKey) {
  return parse(call(() => native.parseWebhook(toBody(body), toSignature(signature), toApiKey(apiKey))))
}

/** Verifies the signature over the raw body, then parses an asynchronous result. */
function parseResult(body, signature, apiKey) {
  return parse(call(() => native.parseResult(toBody(body), toSignature(signature), toApiKey(apiKey))))
}

/** Parses a webhook WITHOUT verifying its signature (for bodies you already trust). */
function decodeWebhook(body) {
  return parse(call(() => native.decodeWebhook(toBody(body))))
}

/** Parses a result WITHOUT verifying its signature (for bodies you already trust). */
function decodeResult(body) {
  return parse(call(() => native.decodeResult(toBody(body))))
}

function optionsJson(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument('options', 'must be an object such as {clientId, clientSecret}')
  }
  const { userAgentSuffix, ...rest } = options
  let suffix = USER_AGENT_SUFFIX
  if (userAgentSuffix !== undefined && userAgentSuffix !== null) {
    if (typeof userAgentSuffix !== 'string') throw invalidArgument('userAgentSuffix', 'must be a string')
    // The core checks the text (printable, bounded).
    if (userAgentSuffix.trim() !== '') suffix = `${USER_AGENT_SUFFIX}; ${userAgentSuffix}`
  }
  return toJson({ ...rest, userAgentSuffix: suffix }, 'options', nonFiniteAsText)
}

/**
 * JSON.stringify writes Infinity and NaN as null, which would read as "not
 * given": they go as text instead, so the native side refuses them as not a
 * number, with the option's name.
 */
function nonFiniteAsText(_key, value) {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value
}

/**
 * Sans-IO: validates `params` and builds the HTTP request of `operation`
 * without sending it. Returns `{method, url, headers: [name, value][], body}`.
 * The request carries credentials (Authorization header or token form): it is
 * meant to be sent, not logged.
 */
function buildRequest(options, operation, params, token) {
  const json = optionsJson(options)
  const p = toJson(params, 'params')
  return parse(call(() => native.buildRequest(json, String(operation), p, token == null ? null : String(token))))
}

/**
 * Sans-IO: parses an HTTP response `{status, headers, body}` to `operation`
 * into its result (or throws the error the API answered with).
 */
function parseResponse(operation, params, response) {
  if (response === null || typeof response !== 'object') throw invalidArgument('response', 'must be {status, headers, body}')
  const p = toJson(params, 'params')
  const headers = toJson(response.headers ?? {}, 'headers')
  const body = toBody(response.body ?? '')
  return parse(call(() => native.parseResponse(String(operation), p, response.status >>> 0, headers, body)))
}

/**
 * Reads a timestamp's text (as results and webhooks carry it) into an exact
 * instant, with the core's rules (no offset: Kenya time, +03:00):
 * `{unixSeconds, nanos, offsetSeconds, offsetGiven, date}`. Results keep
 * timestamps as text because a `Date` holds milliseconds and no offset.
 */
function parseTimestamp(text) {
  if (typeof text !== 'string') throw invalidArgument('timestamp', 'must be a string')
  const [unixSeconds, nanos, offsetSeconds, offsetGiven] = call(() => native.parseTimestamp(text))
  return {
    unixSeconds,
    nanos,
    offsetSeconds,
    offsetGiven: offsetGiven === 1,
    date: new Date(unixSeconds * 1000 + Math.floor(nanos / 1e6)),
  }
}

const OPERATIONS = Object.freeze(call(() => native.operations()))
const ERROR_CODES = Object.freeze(call(() => native.errorCodes()))

/** Kopo Kopo API client. Network calls return Promises and run on the libuv thread pool. */
class Client {
  #native

  /**
   * @param {object} options `{clientId, clientSecret, apiKey?, baseUrl?, timeoutMs?, connectTimeoutMs?, maxRetries?, userAgentSuffix?, proxy?}`
   */
  constructor(options) {
    const json = optionsJson(options)
    this.#native = call(() => new native.NativeClient(json))

    // One group per group of the core's operation table (generated), one
    // method per operation: client.incomingPayments.create(request).
    const groups = {}
    for (const op of OPERATION_TABLE) {
      const name = op.name
      let method
      switch (op.params) {
        case 'body':
          method = (request) => this.execute(name, request)
          break
        case 'id':
          method = (idOrLocation) => this.execute(name, { id: idOrLocation })
          break
        case 'token':
          method = (token) => this.execute(name, { token })
          break
        default:
          method = () => this.execute(name, {})
      }
      groups[op.group] ??= {}
      groups[op.group][op.method] = method
    }
    // Webhook verification with the configured API key (no network).
    groups.webhooks ??= {}
    Object.assign(groups.webhooks, {
      verifySignature: (body, signature) =>
        call(() => this.#native.verifySignature(toBody(body), toSignature(signature))),
      parseWebhook: (body, signature) =>
        parse(call(() => this.#native.parseWebhook(toBody(body), toSignature(signature)))),
      parseResult: (body, signature) =>
        parse(call(() => this.#native.parseResult(toBody(body), toSignature(signature)))),
    })
    for (const [group, methods] of Object.entries(groups)) {
      this[group] = Object.freeze(methods)
    }
  }

  /** The client id (not a secret). */
  get clientId() {
    return call(() => this.#native.clientId)
  }

  /** The API base URL. */
  get baseUrl() {
    return call(() => this.#native.baseUrl)
  }

  /** The User-Agent header sent with every request. */
  get userAgent() {
    return call(() => this.#native.userAgent)
  }

  /**
   * Runs any operation by name (see `OPERATIONS`; the names before the
   * operation table, such as `create_incoming_payment`, are deprecated but
   * still accepted) with camelCase (or snake_case) parameters. Resolves to
   * the camelCase result.
   */
  execute(operation, params) {
    // Not `async`: one promise chain instead of three per call. Every error,
    // including bad arguments, still arrives as a rejection.
    if (typeof operation !== 'string') return Promise.reject(invalidArgument('operation', 'must be a string'))
    let json
    try {
      json = toJson(params, 'params')
    } catch (e) {
      return Promise.reject(e)
    }
    return this.#native.execute(operation, json).then(parse, rejectMapped)
  }

  toString() {
    return `Client(clientId=${this.clientId}, baseUrl=${this.baseUrl})`
  }

  toJSON() {
    return { clientId: this.clientId, baseUrl: this.baseUrl }
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `Client { clientId: ${JSON.stringify(this.clientId)}, baseUrl: ${JSON.stringify(this.baseUrl)} }`
  }
}

module.exports = {
  Client,
  sign,
  verifySignature,
  parseWebhook,
  parseResult,
  decodeWebhook,
  decodeResult,
  buildRequest,
  parseResponse,
  parseTimestamp,
  OPERATIONS,
  ERROR_CODES,
  SANDBOX_URL: native.SANDBOX_URL,
  PRODUCTION_URL: native.PRODUCTION_URL,
  SIGNATURE_HEADER: native.SIGNATURE_HEADER,
  NETWORK_SAFARICOM: native.NETWORK_SAFARICOM,
  PAYMENT_CHANNEL_STK_PUSH: native.PAYMENT_CHANNEL_STK_PUSH,
  PAYMENT_CHANNEL_MPESA: native.PAYMENT_CHANNEL_MPESA,
  VERSION: version,
  CORE_VERSION: native.coreVersion(),
  KopoKopoError: errors.KopoKopoError,
  InvalidArgumentError: errors.InvalidArgumentError,
  AuthenticationError: errors.AuthenticationError,
  ApiError: errors.ApiError,
  RateLimitError: errors.RateLimitError,
  TransportError: errors.TransportError,
  TimeoutError: errors.TimeoutError,
  SignatureError: errors.SignatureError,
  DecodeError: errors.DecodeError,
  InternalError: errors.InternalError,
}
