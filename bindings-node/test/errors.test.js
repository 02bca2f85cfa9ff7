'use strict'
// Every error class, produced for real (mock faults, bad input, bad bodies).

const assert = require('node:assert/strict')
const net = require('node:net')
const { after, before, describe, it } = require('node:test')

const k = require('..')
const errorsModule = require('../lib/errors.js')
const { MOCK, startMock } = require('./helpers')

let mock
let client
// Loopback only: the mock POSTs results to callback URLs.
const CB = 'http://127.0.0.1:9/k2/results'
const payment = (over = {}) => ({ tillNumber: 'K000000', phoneNumber: '0712345678', amount: '10', callbackUrl: CB, ...over })

before(async () => {
  mock = await startMock(['--callback-delay-ms', '50'])
  client = new k.Client({ ...MOCK, baseUrl: mock.baseUrl })
})

after(async () => {
  await mock?.stop()
})

function check(err, cls, code) {
  assert.ok(err instanceof cls, `${err?.name} is not a ${cls.name}: ${err?.message}`)
  assert.ok(err instanceof k.KopoKopoError)
  assert.ok(err instanceof Error)
  assert.equal(err.code, code)
  assert.equal(err.name, cls.name)
  assert.equal(typeof err.message, 'string')
  assert.ok(err.stack.includes(err.name))
  return true
}

describe('error classes', () => {
  it('every core error code has an exported class', () => {
    for (const code of k.ERROR_CODES) {
      const native = new Error(JSON.stringify({ kopokopo: true, error: { code, message: 'm' } }))
      const e = errorsModule.mapError(native)
      const cls = e.constructor
      assert.ok(e instanceof k.KopoKopoError, code)
      assert.notEqual(cls, k.KopoKopoError, `${code} has a class of its own`)
      assert.equal(e.code, code)
      assert.equal(k[cls.name], cls, `${cls.name} is exported`)
    }
  })

  it('InvalidArgumentError: bad request input, with .field; nothing is sent', async () => {
    const before = await mock.admin('/__admin/counters')
    await assert.rejects(client.incomingPayments.create(payment({ phoneNumber: '12' })), (e) =>
      check(e, k.InvalidArgumentError, 'invalid_argument') && e.field === 'phoneNumber',
    )
    await assert.rejects(client.incomingPayments.create(payment({ amount: '-5' })), (e) => e.field === 'amount')
    await assert.rejects(client.incomingPayments.create(payment({ amount: 10.5 })), (e) =>
      check(e, k.InvalidArgumentError, 'invalid_argument') && e.field === 'amount',
    )
    await assert.rejects(
      client.sendMoney.create({
        destinations: [{ type: 'till', tillNumber: '1', amount: 0.25, description: 'x' }],
        callbackUrl: CB,
      }),
      (e) => e.field === 'destinations[0].amount',
    )
    await assert.rejects(client.incomingPayments.status(''), (e) => check(e, k.InvalidArgumentError, 'invalid_argument'))
    const afterCounters = await mock.admin('/__admin/counters')
    assert.deepEqual(afterCounters.requests, before.requests, 'no request reached the API')
  })

  it('InvalidArgumentError: .field in camelCase (metadata keys as given), .reason says why', async () => {
    const refused = async (promise) => {
      try {
        await promise
      } catch (e) {
        check(e, k.InvalidArgumentError, 'invalid_argument')
        assert.equal(typeof e.reason, 'string')
        assert.ok(e.reason.length > 0, 'a reason')
        assert.equal(e.message, `invalid argument \`${e.field}\`: ${e.reason}`)
        return e
      }
      assert.fail('not refused')
    }
    let e = await refused(client.incomingPayments.create(payment({ phoneNumber: '12' })))
    assert.equal(e.field, 'phoneNumber')
    e = await refused(client.incomingPayments.create(payment({ amount: '-5' })))
    assert.equal(e.field, 'amount')
    assert.match(e.reason, /greater than zero/)
    e = await refused(client.incomingPayments.create(payment({ callbackUrl: 'not a url' })))
    assert.equal(e.field, 'callbackUrl')
    e = await refused(client.incomingPayments.create(payment({ metadata: { order_id: { nested: 1 } } })))
    assert.equal(e.field, 'metadata.order_id', 'a metadata key is the caller\'s: kept as given')
    e = await refused(client.incomingPayments.create(payment({ metadata: { orderId: [1] } })))
    assert.equal(e.field, 'metadata.orderId')
    e = await refused(client.incomingPayments.create(payment({ phoneNumbr: '0712345678' })))
    assert.equal(e.field, 'phoneNumbr', 'an unknown key as the caller spelt it')
    const destinations = [
      { type: 'mobile_wallet', phoneNumber: '0712345678', network: 'Safaricom', amount: '10', description: 'x' },
      { type: 'bank_account', bankBranchRef: 'b', accountName: 'A', accountNumber: ' ', amount: '10', description: 'x' },
    ]
    e = await refused(client.sendMoney.create({ destinations, callbackUrl: CB }))
    assert.equal(e.field, 'destinations[1].accountNumber')
    assert.equal(e.reason, 'is required and must not be blank')
    e = await refused(client.sendMoney.create({ destinations: [destinations[0], { ...destinations[0], phoneNumber: '12' }], callbackUrl: CB }))
    assert.equal(e.field, 'destinations[1].phoneNumber')
    e = await refused(client.sendMoney.create({ destinations: [{ ...destinations[0], amount: '0' }], callbackUrl: CB }))
    assert.equal(e.field, 'destinations[0].amount')
    // Sans-IO and the JavaScript layer name fields the same way.
    e = await refused(Promise.resolve().then(() => k.buildRequest(MOCK, 'incoming_payments.create', payment({ tillNumber: ' ' }))))
    assert.equal(e.field, 'tillNumber')
    e = await refused(Promise.resolve().then(() => k.verifySignature('{}', 'ab', 42)))
    assert.equal(e.field, 'apiKey')
    e = await refused(Promise.resolve().then(() => new k.Client({ ...MOCK, connectTimeoutMs: 0 })))
    assert.equal(e.field, 'connectTimeoutMs')
  })

  it('InvalidArgumentError: bad client options, thrown synchronously', () => {
    assert.throws(() => new k.Client({ clientSecret: 's' }), (e) => check(e, k.InvalidArgumentError, 'invalid_argument') && e.field === 'clientId')
    assert.throws(() => new k.Client({ ...MOCK, baseUrl: 'http://example.com' }), (e) => e.field === 'baseUrl')
    assert.throws(() => new k.Client({ ...MOCK, timeoutMs: 0 }), (e) => e.field === 'timeoutMs')
    // Too large for a duration: a typed error, not a crash of the process.
    assert.throws(() => new k.Client({ ...MOCK, timeoutMs: 1e300 }), (e) => e instanceof k.InvalidArgumentError && e.field === 'timeoutMs')
    assert.throws(() => new k.Client({ ...MOCK, nope: 1 }), (e) => e instanceof k.InvalidArgumentError && e.field === 'nope')
    assert.throws(() => new k.Client({ ...MOCK, clientSecrett: 'typo' }), (e) => e.field === 'clientSecrett')
    assert.throws(() => new k.Client(null), (e) => e.field === 'options')
    assert.throws(() => k.verifySignature(42, 'sig', 'key'), (e) => check(e, k.InvalidArgumentError, 'invalid_argument') && e.field === 'body')
  })

  it('AuthenticationError: wrong credentials', async () => {
    const bad = new k.Client({ ...MOCK, clientSecret: 'wrong-secret', baseUrl: mock.baseUrl })
    await assert.rejects(bad.tokens.request(), (e) => check(e, k.AuthenticationError, 'authentication_failed') && e.httpStatus === 401)
    await assert.rejects(bad.incomingPayments.status('x1'), (e) => check(e, k.AuthenticationError, 'authentication_failed'))
  })

  it('ApiError: httpStatus, errorCode, errorMessage', async () => {
    await assert.rejects(client.incomingPayments.create(payment({ tillNumber: 'K400400' })), (e) => {
      check(e, k.ApiError, 'api_error')
      assert.equal(e.httpStatus, 400)
      assert.equal(e.errorMessage, 'Till number is invalid')
      assert.equal(e.errorCode, '400')
      return true
    })
    await mock.admin('/__admin/faults', { mode: '500', count: 3, path: '/api/v2/polling' })
    await assert.rejects(client.polling.status('p1'), (e) => check(e, k.ApiError, 'api_error') && e.httpStatus === 500)
  })

  it('RateLimitError: retryAfter in seconds', async () => {
    await mock.admin('/__admin/faults', { mode: '429', count: 1, path: '/api/v2/incoming_payments', retry_after: 42 })
    await assert.rejects(client.incomingPayments.create(payment()), (e) => {
      check(e, k.RateLimitError, 'rate_limited')
      assert.equal(e.httpStatus, 429)
      assert.equal(e.retryAfter, 42)
      return true
    })
  })

  it('TransportError: connection refused, connection closed', async () => {
    const port = await new Promise((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = s.address().port
        s.close(() => resolve(p))
      })
    })
    const dead = new k.Client({ ...MOCK, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 })
    await assert.rejects(dead.tokens.request(), (e) => check(e, k.TransportError, 'transport_error'))
    await mock.admin('/__admin/faults', { mode: 'close', count: 1, path: '/api/v2/reversals' })
    await assert.rejects(client.reversals.create({ transactionReference: 'R1', reason: 'r', callbackUrl: CB }), (e) =>
      check(e, k.TransportError, 'transport_error'),
    )
  })

  it('TimeoutError: a TransportError with code timeout', async () => {
    const slow = new k.Client({ ...MOCK, baseUrl: mock.baseUrl, timeoutMs: 300 })
    await slow.tokens.request()
    await mock.admin('/__admin/faults', { mode: 'delay', delay_ms: 3000, count: 1, path: '/api/v2/payment_links' })
    await assert.rejects(slow.paymentLinks.create({ tillNumber: '1', amount: '5', callbackUrl: CB }), (e) => {
      assert.ok(e instanceof k.TransportError)
      return check(e, k.TimeoutError, 'timeout')
    })
  })

  it('SignatureError: wrong, missing and malformed signatures', () => {
    const body = '{"topic":"customer_created","id":"c1"}'
    const key = 'the-api-key'
    assert.throws(() => k.parseWebhook(body, k.sign(body, 'other'), key), (e) => check(e, k.SignatureError, 'signature_invalid'))
    assert.throws(() => k.parseWebhook(body, undefined, key), (e) => check(e, k.SignatureError, 'signature_invalid'))
    assert.throws(() => k.parseResult(body, 'zz', key), (e) => check(e, k.SignatureError, 'signature_invalid'))
    // .reason says why: missing, malformed or not matching, each its own text.
    const reasons = [k.sign(body, 'other'), undefined, 'zz'].map((sig) => {
      try {
        k.parseWebhook(body, sig, key)
      } catch (e) {
        assert.equal(typeof e.reason, 'string')
        assert.ok(e.reason.length > 0 && e.message.includes(e.reason), e.message)
        return e.reason
      }
      return assert.fail('accepted')
    })
    assert.equal(new Set(reasons).size, 3, reasons.join(' | '))
    assert.throws(() => client.webhooks.parseWebhook(body, k.sign(body, 'other')), k.SignatureError)
    assert.equal(k.verifySignature(body, 'zz', key), false)
  })

  it('DecodeError: signed garbage, and a malformed API response', async () => {
    const key = 'the-api-key'
    for (const body of ['', 'null', '[]', '{"hello":1}', Buffer.from([0xff, 0xfe])]) {
      assert.throws(() => k.parseWebhook(body, k.sign(body, key), key), (e) => check(e, k.DecodeError, 'decode_error'))
    }
    assert.throws(() => k.parseResult('{"data":1}', k.sign('{"data":1}', key), key), k.DecodeError)
    await mock.admin('/__admin/faults', { mode: 'malformed_json', count: 3, path: '/api/v2/send_money' })
    await assert.rejects(client.sendMoney.status('s1'), (e) => check(e, k.DecodeError, 'decode_error'))
  })

  it('a client without an API key cannot verify webhooks', () => {
    const noKey = new k.Client({ clientId: 'i', clientSecret: 's' })
    assert.throws(() => noKey.webhooks.verifySignature('{}', 'ab'), (e) => e instanceof k.InvalidArgumentError && e.field === 'apiKey')
  })

  it('non-native errors pass through unchanged', () => {
    const e = new TypeError('x')
    assert.equal(errorsModule.mapError(e), e)
    const n = new Error('{"kopokopo":true,"error":{"code":"future_code","message":"m"}}')
    const mapped = errorsModule.mapError(n)
    assert.ok(mapped instanceof k.KopoKopoError)
    assert.equal(mapped.code, 'future_code')
  })
})
