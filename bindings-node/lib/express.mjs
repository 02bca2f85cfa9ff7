// ES module entry of `kopokopo/express`: the same objects as the CommonJS module.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const express = require('./express.js')

export const {
  kopokopo,
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
} = express

export default kopokopo
