'use strict'
// `kopokopo/express`: Express middleware that reads the raw body (with a cap),
// verifies the X-KopoKopo-Signature over those exact bytes and parses the
// event with the core into `req.kopokopo`. Express is not a dependency: the
// middleware only uses the (req, res, next) shape, so it also works with
// Connect-style frameworks.

const http = require('./http.js')
const { invalidArgument } = require('./errors.js')

const { readRawBody, parseEvent, _receiverOptions: receiverOptions, _signatureOf: signatureOf } = http

const STATUS_TEXT = { 400: 'Bad Request', 401: 'Unauthorized', 413: 'Payload Too Large' }

/**
 * `kopokopo({apiKey, kind?, limit?})`: middleware that sets `req.kopokopo`
 * (the verified, parsed webhook or result) and `req.body` (the raw Buffer),
 * then calls `next()`. It answers 401 on a missing or wrong signature, 400 on
 * a body that is not an event (or an aborted request), 413 over `limit`
 * bytes (default 1 MiB), and passes a BodyConsumedError (status 500) to
 * `next(err)` when another body parser (express.json()) read the body first.
 * `onError(err, req)` (optional) sees every refusal, e.g. to log it.
 */
function kopokopo(options) {
  const { apiKey, kind, limit } = receiverOptions(options)
  const onError = options.onError ?? null
  if (onError !== null && typeof onError !== 'function') {
    throw invalidArgument('onError', 'must be a function (err, req) => void')
  }
  return function kopokopoMiddleware(req, res, next) {
    readRawBody(req, { limit }).then(
      (body) => {
        let event
        try {
          event = parseEvent(body, signatureOf(req), apiKey, kind)
        } catch (e) {
          return refuse(e)
        }
        req.body = body
        req.kopokopo = event
        next()
      },
      (e) => refuse(e),
    )
    function refuse(e) {
      if (onError) onError(e, req)
      const status = e.status
      if (STATUS_TEXT[status] === undefined) return next(e) // BodyConsumedError: a setup bug, fail loudly
      if (res.headersSent) return
      res.statusCode = status
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      res.end(STATUS_TEXT[status])
    }
  }
}

module.exports = {
  kopokopo,
  eventId: http.eventId,
  isWebhook: http.isWebhook,
  isResult: http.isResult,
  InMemoryDedupe: http.InMemoryDedupe,
  PayloadTooLargeError: http.PayloadTooLargeError,
  BodyConsumedError: http.BodyConsumedError,
  RequestAbortedError: http.RequestAbortedError,
  SignatureError: http.SignatureError,
  DecodeError: http.DecodeError,
  DEFAULT_LIMIT: http.DEFAULT_LIMIT,
}
