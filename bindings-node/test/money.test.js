'use strict'
// Exact money through every Node entry point: an amount of
// 12345678901234567.89 (beyond a double's 15-16 significant digits) must come
// out as exactly that decimal string, and go out as exactly those digits.
// Money is found by the core's schema (schema/kopokopo.json), not by key names.

const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const { after, before, describe, it } = require('node:test')

const k = require('..')
const { FIXTURES_DIR, MOCK, startMock, startReceiver } = require('./helpers')

const AMOUNT = '12345678901234567.89'
const API_KEY = 'money-test-api-key'
const hmac = (body, key = API_KEY) => crypto.createHmac('sha256', key).update(body).digest('hex')
const fixtureText = (name) => fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8')

/** A fixture with every amount (string or number) replaced by AMOUNT, as a string or as a bare JSON number. */
function withAmount(name, asNumber) {
  const value = asNumber ? AMOUNT : `"${AMOUNT}"`
  const text = fixtureText(name).replace(/("(?:amount|TransAmount|value)"\s*:\s*)("[0-9.]+"|[0-9.]+)/g, `$1${value}`)
  assert.ok(text.includes(AMOUNT), `${name}: no amount replaced`)
  return text
}

/** Every string equal to AMOUNT in a parsed value, by path; and no number anywhere near it. */
function amountsIn(v, where = '$', out = []) {
  if (typeof v === 'number') assert.ok(Math.abs(v - Number(AMOUNT)) > 1, `${where}: the amount became a number`)
  if (v === AMOUNT) out.push(where)
  if (v !== null && typeof v === 'object') {
    for (const [key, x] of Object.entries(v)) amountsIn(x, `${where}.${key}`, out)
  }
  return out
}

const WEBHOOKS = fs.readdirSync(FIXTURES_DIR).filter((f) => /^webhook\..*\.json$/.test(f) && /amount/i.test(fixtureText(f)))
const RESULTS = fs.readdirSync(FIXTURES_DIR).filter((f) => /^result\..*\.json$/.test(f) && /"amount"/.test(fixtureText(f)))

describe('exact money: parseWebhook / parseResult / decode* / client.webhooks.*', () => {
  const client = new k.Client({ clientId: 'id', clientSecret: 'secret', apiKey: API_KEY })
  for (const f of [...WEBHOOKS, ...RESULTS]) {
    it(`${f}: amounts as decimal strings stay exact`, () => {
      const body = withAmount(f, false)
      const isResult = f.startsWith('result.')
      const parsed = [
        isResult ? k.parseResult(body, hmac(body), API_KEY) : k.parseWebhook(body, hmac(body), API_KEY),
        isResult ? k.decodeResult(Buffer.from(body)) : k.decodeWebhook(Buffer.from(body)),
        isResult ? client.webhooks.parseResult(body, hmac(body)) : client.webhooks.parseWebhook(body, hmac(body)),
      ]
      for (const p of parsed) {
        assert.ok(amountsIn(p).length > 0, `no exact amount in ${JSON.stringify(p)}`)
        assert.deepEqual(p, parsed[0])
      }
    })
  }
  // The API documents some amounts as JSON numbers: the core reads their text.
  for (const f of [...WEBHOOKS, ...RESULTS]) {
    it(`${f}: amounts as bare JSON numbers stay exact`, () => {
      const body = withAmount(f, true)
      const p = f.startsWith('result.') ? k.parseResult(body, hmac(body), API_KEY) : k.parseWebhook(body, hmac(body), API_KEY)
      assert.ok(amountsIn(p).length > 0, `no exact amount in ${JSON.stringify(p)}`)
    })
  }
  it('metadata and unknown payloads keep their numbers and keys (not money by name)', () => {
    const j = JSON.parse(fixtureText('webhook.buygoods_transaction_received.k2.json'))
    j.topic = 'some_future_topic'
    j.event.resource = { amount: 1.5, some_key: 2 }
    const body = JSON.stringify(j)
    const w = k.parseWebhook(body, hmac(body), API_KEY)
    assert.equal(w.resource.kind, 'unknown')
    assert.deepEqual(w.resource.value, { amount: 1.5, some_key: 2 })
  })
})

describe('exact money: buildRequest / parseResponse', () => {
  const options = { clientId: 'id', clientSecret: 'secret' }
  it('requests carry the digits of a string amount as a JSON number, exactly', () => {
    const cases = [
      ['payment_links.create', { tillNumber: 'K000000', amount: AMOUNT, callbackUrl: 'https://example.com/cb' }],
      ['incoming_payments.create', { tillNumber: 'K000000', phoneNumber: '0712345678', amount: AMOUNT, callbackUrl: 'https://example.com/cb' }],
      ['create_payment_link', { tillNumber: 'K000000', amount: AMOUNT, callbackUrl: 'https://example.com/cb' }],
    ]
    for (const [op, params] of cases) {
      const req = k.buildRequest(options, op, params, 'token')
      // `"amount": N` or, for an STK push, `"amount": {"currency", "value": N}`.
      assert.match(req.body, /"(amount|value)":12345678901234567\.89[,}]/, `${op}: ${req.body}`)
    }
  })
  it('a fractional JS number is refused where the schema has money, by path', () => {
    assert.throws(
      () =>
        k.buildRequest(options, 'send_money.create', {
          destinations: [{ type: 'till', tillNumber: 'K1', amount: 10.5, description: 'x' }],
          callbackUrl: 'https://example.com/cb',
        }),
      (e) => e instanceof k.InvalidArgumentError && e.field === 'destinations[0].amount',
    )
  })
  for (const [op, fixture] of [
    ['payment_links.status', 'response.payment_link.status.json'],
    ['get_payment_link', 'response.payment_link.status.json'],
    ['incoming_payments.status', 'response.incoming_payment.status.success.json'],
    ['send_money.status', 'response.send_money.status.json'],
  ]) {
    it(`parseResponse ${op} (${fixture})`, () => {
      const body = withAmount(fixture, false)
      const r = k.parseResponse(op, { id: 'x' }, { status: 200, headers: {}, body })
      assert.ok(amountsIn(r).length > 0, `no exact amount in ${JSON.stringify(r)}`)
    })
  }
})

describe('exact money: client calls over HTTP', () => {
  let server
  let baseUrl
  let status = ''
  before(async () => {
    server = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        if (req.url === '/oauth/token') {
          res.writeHead(200, { 'content-type': 'application/json' })
          return res.end('{"access_token":"t","token_type":"Bearer","expires_in":3600,"created_at":"1700000000"}')
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(status)
      })
    })
    await new Promise((r) => server.listen(0, '127.0.0.1', r))
    baseUrl = `http://127.0.0.1:${server.address().port}`
  })
  after(() => new Promise((r) => server.close(r)))

  for (const [group, fixture] of [
    ['paymentLinks', 'response.payment_link.status.json'],
    ['incomingPayments', 'response.incoming_payment.status.success.json'],
    ['sendMoney', 'response.send_money.status.json'],
  ]) {
    it(`client.${group}.status`, async () => {
      status = withAmount(fixture, false)
      const client = new k.Client({ ...MOCK, baseUrl })
      const r = await client[group].status('x')
      assert.ok(amountsIn(r).length > 0, `no exact amount in ${JSON.stringify(r)}`)
      const viaExecute = await client.execute(`${group.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}.status`, { id: 'x' })
      assert.deepEqual(viaExecute, r)
    })
  }
})

describe('exact money: k2 mock round trip', () => {
  let mock
  let receiver
  let client
  before(async () => {
    mock = await startMock(['--callback-delay-ms', '50'])
    receiver = await startReceiver()
    client = new k.Client({ ...MOCK, baseUrl: mock.baseUrl, timeoutMs: 10000 })
  })
  after(async () => {
    await mock?.stop()
    await receiver?.close()
  })

  it('the amount the mock answers and POSTs back is a decimal string', async () => {
    const created = await client.paymentLinks.create({
      tillNumber: 'K000000',
      amount: '150.25',
      paymentReference: 'PAID-money',
      callbackUrl: `${receiver.url}/money/1`,
    })
    assert.equal((await client.paymentLinks.status(created.location)).amount, '150.25')
    const r = await receiver.next((e) => e.path === '/money/1')
    const result = client.webhooks.parseResult(r.body, r.signature)
    assert.equal(result.kind, 'payment_link')
    assert.equal(result.value.amount, '150.25')
  })

  it('12345678901234567.89 through create, status and the callback', async () => {
    const created = await client.paymentLinks.create({
      tillNumber: 'K000000',
      amount: AMOUNT,
      paymentReference: 'PAID-money-big',
      callbackUrl: `${receiver.url}/money/2`,
    })
    assert.equal((await client.paymentLinks.status(created.location)).amount, AMOUNT)
    const r = await receiver.next((e) => e.path === '/money/2')
    assert.equal(client.webhooks.parseResult(r.body, r.signature).value.amount, AMOUNT)
  })

  it('12345678901234567.89 through an STK push and its result', async () => {
    const created = await client.incomingPayments.create({
      tillNumber: 'K000000',
      phoneNumber: '0712345678',
      amount: AMOUNT,
      callbackUrl: `${receiver.url}/money/3`,
    })
    const r = await receiver.next((e) => e.path === '/money/3')
    const result = client.webhooks.parseResult(r.body, r.signature)
    assert.equal(result.kind, 'incoming_payment')
    assert.equal(result.value.event.resource.amount, AMOUNT)
    const status = await client.incomingPayments.status(created.location)
    assert.equal(status.event.resource.amount, AMOUNT)
  })
})
