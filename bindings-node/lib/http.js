'use strict'
// `kopokopo/http`: receiving Kopo Kopo webhooks and results with plain
// node:http (and the building blocks of `kopokopo/express`). Reading the raw
// body with a cap is the only thing done here; verification and parsing are
// the core's (`parseWebhook`, `parseResult`), exactly as in every binding.

const kopokopo = require('./kopokopo.js')
const errors = require('./errors.js')
const { KopoKopoError, SignatureError, DecodeError, invalidArgument } = errors

/** 1 MiB: Kopo Kopo's events are a few KiB. */
const DEFAULT_LIMIT = 1024 * 1024
const KINDS = ['webhook', 'result', 'auto']

/** The body is larger than the configured limit (answer 413). Nothing above the limit was buffered. */
class PayloadTooLargeError extends KopoKopoError {
  constructor(limit) {
    super(`request body is larger than the limit of ${limit} bytes`, 'payload_too_large')
    this.status = 413
    /** The limit in bytes. */
    this.limit = limit
  }
}

/**
 * The request body was already read by someone else (`express.json()`,
 * `express.text()`, a `data` listener): the raw bytes the signature covers are
 * gone. A bug in the server's setup, not in the request (status 500).
 */
class BodyConsumedError extends KopoKopoError {
  constructor(detail) {
    super(
      'kopokopo: the request body was already consumed' +
        (detail ? ` (${detail})` : '') +
        '. The signature covers the raw bytes, which a re-serialised body does not reproduce: ' +
        'mount the kopokopo middleware before express.json()/express.text() (or only on the webhook routes), ' +
        'or use express.raw() on those routes.',
      'body_consumed',
    )
    this.status = 500
  }
}

/** The client aborted the request or the connection failed while the body was being read (status 400). */
class RequestAbortedError extends KopoKopoError {
  constructor(cause) {
    super('the request was aborted before its body was complete', 'request_aborted', cause ? { cause } : undefined)
    this.status = 400
  }
}

function checkLimit(limit) {
  if (limit === undefined || limit === null) return DEFAULT_LIMIT
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw invalidArgument('limit', 'must be a byte count (a non-negative integer)')
  }
  return limit
}

/** Validates `{apiKey, kind, limit}` once, when a receiver is set up. */
function receiverOptions(options) {
  if (options === null || typeof options !== 'object') throw invalidArgument('options', 'must be an object such as {apiKey}')
  const { apiKey, kind = 'auto' } = options
  if (typeof apiKey !== 'string' || apiKey === '') throw invalidArgument('apiKey', 'must be the API key (a non-empty string)')
  if (!KINDS.includes(kind)) throw invalidArgument('kind', "must be 'webhook', 'result' or 'auto'")
  return { apiKey, kind, limit: checkLimit(options.limit) }
}

/**
 * Reads the raw body of `req` into one Buffer, refusing more than `limit`
 * bytes (PayloadTooLargeError, before buffering them: a Content-Length above
 * the limit is refused without reading). With Express, a Buffer left in
 * `req.body` by `express.raw()` is used as is; any other consumed body throws
 * BodyConsumedError.
 */
function readRawBody(req, { limit } = {}) {
  const max = checkLimit(limit)
  return new Promise((resolve, reject) => {
    // body-parser 1 (Express 4) sets `_body`; body-parser 2 (Express 5) leaves the stream ended.
    if (req._body === true || req.readableEnded || req.readableDidRead) {
      // express.raw() keeps the bytes as received: usable (the cap still applies).
      if (Buffer.isBuffer(req.body)) {
        return req.body.length > max ? reject(new PayloadTooLargeError(max)) : resolve(req.body)
      }
      const by = req.body === undefined ? 'the stream was read' : `req.body is ${req.body === null ? 'null' : typeof req.body}: another body parser ran`
      return reject(new BodyConsumedError(by))
    }
    const declared = Number(req.headers?.['content-length'])
    if (Number.isFinite(declared) && declared > max) {
      req.resume() // the rest is read and dropped, never kept
      return reject(new PayloadTooLargeError(max))
    }
    const chunks = []
    let size = 0
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onAborted)
    }
    const onData = (chunk) => {
      size += chunk.length
      if (size > max) {
        cleanup()
        chunks.length = 0
        req.resume() // keep draining, so the answer can be read by the client
        reject(new PayloadTooLargeError(max))
      } else chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (e) => {
      cleanup()
      reject(new RequestAbortedError(e))
    }
    const onAborted = () => onError()
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
}

/** `SignatureError` → 401, `DecodeError` → 400: the status to answer travels with the error. */
function withStatus(e) {
  if (e instanceof SignatureError) e.status = 401
  else if (e instanceof DecodeError) e.status = 400
  return e
}

/**
 * Verifies the signature over `body` and parses it with the core, as a
 * webhook, a result, or (`'auto'`) whichever it is: a webhook body has
 * `topic` (or Daraja's `TransactionType`), a result body is `{"data": ...}`,
 * so at most one of the core's parsers accepts it.
 */
function parseEvent(body, signature, apiKey, kind = 'auto') {
  try {
    if (kind === 'webhook') return kopokopo.parseWebhook(body, signature, apiKey)
    if (kind === 'result') return kopokopo.parseResult(body, signature, apiKey)
    try {
      return kopokopo.parseWebhook(body, signature, apiKey)
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e
      try {
        return kopokopo.parseResult(body, signature, apiKey)
      } catch (e2) {
        if (!(e2 instanceof DecodeError)) throw e2
        throw new DecodeError(`neither a webhook (${e.message}) nor a result (${e2.message})`)
      }
    }
  } catch (e) {
    throw withStatus(e)
  }
}

/** The X-KopoKopo-Signature header of a node:http request (undefined when missing). */
function signatureOf(req) {
  return req.headers?.['x-kopokopo-signature']
}

/**
 * Reads the raw body of a node:http request (with the cap), verifies its
 * signature and parses it. Resolves to the typed webhook or result; rejects
 * with an error carrying `.status`, the HTTP status to answer:
 * SignatureError 401, DecodeError 400, PayloadTooLargeError 413,
 * RequestAbortedError 400, BodyConsumedError 500.
 */
async function readWebhook(req, options) {
  const { apiKey, kind, limit } = receiverOptions(options)
  const body = await readRawBody(req, { limit })
  return parseEvent(body, signatureOf(req), apiKey, kind)
}

/** Whether a parsed event is a webhook (`structure` 'k2' or 'daraja') rather than a result. */
function isWebhook(event) {
  return event !== null && typeof event === 'object' && (event.structure === 'k2' || event.structure === 'daraja')
}

/** Whether a parsed event is a result (`kind` + `value`) rather than a webhook. */
function isResult(event) {
  return event !== null && typeof event === 'object' && typeof event.kind === 'string' && 'value' in event && !('structure' in event)
}

/**
 * A key that identifies an event across Kopo Kopo's redeliveries, for
 * deduplication: `webhook:<id>` (K2 structure: the event id), `daraja:<TransID>`,
 * `result:<kind>:<id>:<status>` (a result is one resource reaching one status).
 * null when the event carries no id (do not deduplicate those).
 */
function eventId(event) {
  if (isWebhook(event)) {
    if (event.structure === 'k2') return event.id ? `webhook:${event.id}` : null
    return event.TransID ? `daraja:${event.TransID}` : null
  }
  if (isResult(event)) {
    const v = event.value ?? {}
    if (event.kind === 'unknown') {
      const data = v.raw?.data
      const id = data?.id
      return typeof id === 'string' && id ? `result:unknown:${v.resultType}:${id}:${data.attributes?.status ?? ''}` : null
    }
    return typeof v.id === 'string' && v.id ? `result:${event.kind}:${v.id}:${v.status ?? ''}` : null
  }
  return null
}

/**
 * A small in-memory set of seen event ids with a time to live, to acknowledge
 * a redelivered event without handling it twice. For ONE process only: with
 * several processes, or across restarts, use a shared store (a unique key in
 * your database, Redis `SET key 1 NX EX ttl`, ...). Mark an id only after the
 * event is stored, so a failed store is retried by Kopo Kopo instead of lost.
 */
class InMemoryDedupe {
  #ttlMs
  #maxEntries
  #now
  #seen = new Map() // id → expiry (ms); insertion order is expiry order

  /** @param {{ttlMs?: number, maxEntries?: number, now?: () => number}} [options] */
  constructor({ ttlMs = 24 * 60 * 60 * 1000, maxEntries = 100_000, now = Date.now } = {}) {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw invalidArgument('ttlMs', 'must be a positive number of milliseconds')
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) throw invalidArgument('maxEntries', 'must be a positive integer')
    if (typeof now !== 'function') throw invalidArgument('now', 'must be a function returning milliseconds')
    this.#ttlMs = ttlMs
    this.#maxEntries = maxEntries
    this.#now = now
  }

  #sweep(now) {
    for (const [id, expiry] of this.#seen) {
      if (expiry > now) break
      this.#seen.delete(id)
    }
  }

  /** Whether `id` was added less than `ttlMs` ago. */
  has(id) {
    const expiry = this.#seen.get(id)
    if (expiry === undefined) return false
    if (expiry > this.#now()) return true
    this.#seen.delete(id)
    return false
  }

  /** Remembers `id` for `ttlMs` (the oldest ids are dropped beyond `maxEntries`). Returns this. */
  add(id) {
    if (id === null || id === undefined) return this
    const now = this.#now()
    this.#sweep(now)
    this.#seen.delete(id)
    this.#seen.set(id, now + this.#ttlMs)
    while (this.#seen.size > this.#maxEntries) this.#seen.delete(this.#seen.keys().next().value)
    return this
  }

  /** Forgets `id`. */
  delete(id) {
    return this.#seen.delete(id)
  }

  clear() {
    this.#seen.clear()
  }

  /** The number of ids remembered (expired ones included until swept). */
  get size() {
    return this.#seen.size
  }
}

function answer(res, status, text) {
  if (res.headersSent) return
  res.statusCode = status
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  if (status === 405) res.setHeader('allow', 'POST')
  res.end(text)
}

const STATUS_TEXT = { 400: 'Bad Request', 401: 'Unauthorized', 405: 'Method Not Allowed', 413: 'Payload Too Large', 500: 'Internal Server Error' }

/**
 * A node:http request listener that receives Kopo Kopo events safely:
 * non-POST → 405; read (cap) → verify → parse (401/400/413 as above); with
 * `dedupe`, an already-stored event is acknowledged (200) without calling
 * `onEvent` again; otherwise `await onEvent(event, {req, body, id})` and answer
 * 200 only once it resolved (store the event there, process it later). If
 * `onEvent` throws, 500: Kopo Kopo delivers it again. `onError` sees every
 * refusal and failure (default: failures of onEvent are logged with console.error).
 */
function createWebhookHandler(options, onEvent) {
  const { apiKey, kind, limit } = receiverOptions(options)
  if (typeof onEvent !== 'function') throw invalidArgument('onEvent', 'must be a function (event, context) => void | Promise<void>')
  const { dedupe = null, onError = null } = options
  if (dedupe !== null && (typeof dedupe.has !== 'function' || typeof dedupe.add !== 'function')) {
    throw invalidArgument('dedupe', 'must have has(id) and add(id), e.g. new InMemoryDedupe()')
  }
  const report = (e, req) => {
    if (onError) onError(e, req)
    else if (!(e instanceof KopoKopoError) || e.status === 500) console.error(e)
  }
  return async function kopokopoWebhookHandler(req, res) {
    if (req.method !== 'POST') {
      req.resume()
      return answer(res, 405, STATUS_TEXT[405])
    }
    let event
    let body
    try {
      body = await readRawBody(req, { limit })
      event = parseEvent(body, signatureOf(req), apiKey, kind)
    } catch (e) {
      const status = e.status ?? 500
      report(e, req)
      return answer(res, status, STATUS_TEXT[status] ?? 'Error')
    }
    const id = eventId(event)
    try {
      if (dedupe !== null && id !== null && (await dedupe.has(id))) return answer(res, 200, 'OK')
      await onEvent(event, { req, body, id })
      if (dedupe !== null && id !== null) await dedupe.add(id)
    } catch (e) {
      report(e, req)
      return answer(res, 500, STATUS_TEXT[500])
    }
    answer(res, 200, 'OK')
  }
}

module.exports = {
  readWebhook,
  readRawBody,
  parseEvent,
  createWebhookHandler,
  eventId,
  isWebhook,
  isResult,
  InMemoryDedupe,
  PayloadTooLargeError,
  BodyConsumedError,
  RequestAbortedError,
  SignatureError,
  DecodeError,
  DEFAULT_LIMIT,
  // internal, shared with ./express.js
  _receiverOptions: receiverOptions,
  _signatureOf: signatureOf,
}
