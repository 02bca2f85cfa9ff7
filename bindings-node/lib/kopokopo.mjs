// ES module entry point: the same objects as the CommonJS entry (one native addon, one set of classes).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const kopokopo = require('./kopokopo.js')

export const {
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
  SANDBOX_URL,
  PRODUCTION_URL,
  SIGNATURE_HEADER,
  NETWORK_SAFARICOM,
  PAYMENT_CHANNEL_STK_PUSH,
  PAYMENT_CHANNEL_MPESA,
  VERSION,
  CORE_VERSION,
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
} = kopokopo

export default kopokopo
