// ES module entry of `kopokopo/http`: the same objects as the CommonJS module.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const http = require('./http.js')

export const {
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
} = http
