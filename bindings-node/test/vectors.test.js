'use strict'
// Generic runner over the shared test vectors (tests/vectors/*.json, format in
// tests/vectors/README.md). Every case goes through this package's public
// JavaScript API (camelCase parameters, amounts as strings), so the vectors
// also check the binding's type conversion. An unknown `kind` fails.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it } = require('node:test')

const k = require('..')
const { VECTORS_DIR, FIXTURES_DIR, operationDef, walkSchema, toJsShape, jsFieldPath, subsetMismatch, snakeToCamel, camelToSnake } = require('./helpers')

const TEST_KEY = 'node-vector-runner-key'

/**
 * Vector params (snake_case, numeric amounts) as a JS caller writes them:
 * camelCase keys, amounts (the request schema's money fields) as strings.
 */
function jsParams(v, operation) {
  const op = operationDef(operation)
  return walkSchema(
    v,
    op?.request ? { ref: op.request } : undefined,
    (x, t) => (t === 'money' && typeof x === 'number' ? String(x) : x),
    (k2) => {
      const camel = snakeToCamel(k2)
      // Only rename keys that convert back losslessly (odd keys in negative cases stay as written).
      return camelToSnake(camel) === k2 ? camel : k2
    },
  )
}

/** The schema type of an operation's result (null: the operation has none). */
function resultType(operation) {
  const op = operationDef(operation)
  assert.ok(op, `unknown operation ${operation}`)
  return op.result === null ? null : { ref: op.result }
}

function options(c) {
  return { clientId: c.client_id ?? 'vector-client-id', clientSecret: c.client_secret ?? 'vector-client-secret', baseUrl: c.base_url ?? k.SANDBOX_URL }
}

function responseOf(c) {
  const r = c.response
  const body = r.body_fixture !== undefined ? fs.readFileSync(path.join(FIXTURES_DIR, r.body_fixture)) : r.body ?? ''
  return { status: r.status, headers: r.headers ?? {}, body }
}

function bodyOf(c) {
  if (c.body !== undefined) return Buffer.from(c.body, 'utf8')
  if (c.body_b64 !== undefined) return Buffer.from(c.body_b64, 'base64')
  return fs.readFileSync(path.join(FIXTURES_DIR, c.fixture))
}

function catchError(fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('expected an error, got a result')
}

function checkSubset(actual, expected) {
  const m = subsetMismatch(actual, expected)
  assert.equal(m, null, `${m}\nactual: ${JSON.stringify(actual)}`)
}

const RUNNERS = {
  signature(c) {
    const body = Buffer.from(c.body_b64, 'base64')
    assert.equal(k.verifySignature(body, c.signature, c.api_key), c.valid)
    // The string form of a UTF-8 body verifies the same way.
    const text = body.toString('utf8')
    if (Buffer.from(text, 'utf8').equals(body)) {
      assert.equal(k.verifySignature(text, c.signature, c.api_key), c.valid)
    }
    if (c.valid && c.api_key) assert.equal(k.sign(body, c.api_key), c.signature.trim().toLowerCase())
  },

  request(c) {
    const req = k.buildRequest(options(c), c.operation, jsParams(c.params, c.operation), c.token)
    const e = c.expect
    assert.equal(req.method, e.method)
    assert.equal(req.url, e.url)
    const headers = Object.fromEntries(req.headers.map(([n, v]) => [n.toLowerCase(), v]))
    for (const [n, v] of Object.entries(e.headers ?? {})) assert.equal(headers[n.toLowerCase()], v, `header ${n}`)
    for (const n of e.headers_absent ?? []) assert.ok(!(n.toLowerCase() in headers), `header ${n} must be absent`)
    if (e.body_form !== undefined && e.body_form !== null) {
      assert.deepEqual(Object.fromEntries(new URLSearchParams(req.body)), e.body_form)
    } else if (e.body_json !== undefined && e.body_json !== null) {
      assert.deepEqual(JSON.parse(req.body), e.body_json)
    } else if ('body_json' in e) {
      assert.equal(req.body, '')
    }
  },

  response(c) {
    const result = k.parseResponse(c.operation, jsParams(c.params, c.operation), responseOf(c))
    checkSubset(result, toJsShape(c.expect, resultType(c.operation) ?? undefined))
  },

  validation_error(c) {
    const err = catchError(() => k.buildRequest(options(c), c.operation, jsParams(c.params, c.operation), 'vector-access-token'))
    assert.ok(err instanceof k.KopoKopoError, `not a KopoKopoError: ${err}`)
    assert.equal(err.code, c.expect.code, err.message)
    if (c.expect.code === 'invalid_argument') assert.ok(err instanceof k.InvalidArgumentError)
    // The vectors name fields as the core does; this package in camelCase, metadata keys as given.
    if ('field' in c.expect) {
      const field = jsFieldPath(c.expect.field, operationDef(c.operation)?.request ?? undefined)
      assert.equal(err.field, field, err.message)
      if (c.expect.code === 'invalid_argument') {
        assert.ok(typeof err.reason === 'string' && err.reason !== '', 'InvalidArgumentError.reason')
        assert.equal(err.message, `invalid argument \`${field}\`: ${err.reason}`)
      }
    }
  },

  response_error(c) {
    const err = catchError(() => k.parseResponse(c.operation, jsParams(c.params, c.operation), responseOf(c)))
    assert.ok(err instanceof k.KopoKopoError, `not a KopoKopoError: ${err}`)
    const e = c.expect
    assert.equal(err.code, e.code, err.message)
    const cls = { api_error: k.ApiError, rate_limited: k.RateLimitError, authentication_failed: k.AuthenticationError, decode_error: k.DecodeError }[e.code]
    if (cls) assert.ok(err instanceof cls, `${err.name} is not a ${cls.name}`)
    if ('http_status' in e) assert.equal(err.httpStatus ?? null, e.http_status)
    if ('error_code' in e) assert.equal(err.errorCode ?? null, e.error_code === null ? null : String(e.error_code))
    // `null` expected = absent/none.
    if ('error_message' in e) assert.equal(e.error_message === null ? err.errorMessage || null : err.errorMessage, e.error_message)
    if ('retry_after_secs' in e) assert.equal(err.retryAfter ?? null, e.retry_after_secs)
    if ('error_messages' in e) assert.deepEqual(err.errorMessages, e.error_messages)
  },

  webhook(c) {
    event(c, k.decodeWebhook, k.parseWebhook, { ref: 'Webhook' })
  },

  result(c) {
    event(c, k.decodeResult, k.parseResult, { ref: 'CallbackResult' })
  },
}

/** Decodes without verification (as the README says), then also through the verifying path with a signature of our own. */
function event(c, decode, parse, ty) {
  const body = bodyOf(c)
  const signature = k.sign(body, TEST_KEY)
  if (c.expect_error !== undefined) {
    for (const run of [() => decode(body), () => parse(body, signature, TEST_KEY)]) {
      const err = catchError(run)
      assert.ok(err instanceof k.KopoKopoError, `not a KopoKopoError: ${err}`)
      assert.equal(err.code, c.expect_error, err.message)
    }
    return
  }
  const expected = toJsShape(c.expect, ty)
  checkSubset(decode(body), expected)
  checkSubset(parse(body, signature, TEST_KEY), expected)
  // The same body with a wrong signature is refused.
  assert.throws(() => parse(body, k.sign(body, 'another-key'), TEST_KEY), k.SignatureError)
}

const files = fs.existsSync(VECTORS_DIR)
  ? fs.readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.json')).sort()
  : []

it('the shared vectors are present (signatures.json is required)', () => {
  assert.ok(files.includes('signatures.json'), `no signatures.json in ${VECTORS_DIR}`)
})

for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, file), 'utf8'))
  describe(`vectors/${file}`, () => {
    it('has cases', () => {
      assert.ok(Array.isArray(doc.cases) && doc.cases.length > 0, 'no cases')
    })
    for (const [i, c] of (doc.cases ?? []).entries()) {
      it(`${i}: ${c.name}`, () => {
        const run = RUNNERS[c.kind]
        if (!run) assert.fail(`unknown vector kind ${JSON.stringify(c.kind)}: the runner must be taught it`)
        run(c)
      })
    }
  })
}
