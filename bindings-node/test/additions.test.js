'use strict'
// Fields, topics and constants the core added (issue 14), read through the
// JavaScript API: the reversal error's message list, the
// `m2m_transaction_received` webhook, version-1 send-money results, the
// legacy settlement total (an exact string), `initiatorName`, the cancel
// response's link, token info `createdAt` as text, both Daraja
// `ThirdPartyTrans...` spellings, and the documented request values as
// constants. Also type-checks the declarations of these with tsc --strict.

const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { after, before, describe, it } = require('node:test')

const k = require('..')
const native = require('../index.js')
const { FIXTURES_DIR, MOCK, PKG_DIR, startMock } = require('./helpers')

const KEY = 'issue-14-api-key'
const fixtureBytes = (name) => fs.readFileSync(path.join(FIXTURES_DIR, name))
const fixtureJson = (name) => JSON.parse(fixtureBytes(name).toString('utf8'))
const webhook = (body) => k.parseWebhook(body, k.sign(body, KEY), KEY)
const result = (body) => k.parseResult(body, k.sign(body, KEY), KEY)

function catchError(fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('expected an error, got a result')
}

const REVERSAL = { transactionReference: 'OJM6Q1W84K', reason: 'Testing', callbackUrl: 'https://example.com/r' }
const REVERSAL_MESSAGES = ['You cannot reverse a transaction in Pending Reversal', 'The transaction has already been reversed']

describe('ApiError.errorMessages', () => {
  it('keeps every message of the reversal error, in order; errorMessage is the joined text', () => {
    const body = JSON.stringify({ error_code: 400, error_message: REVERSAL_MESSAGES })
    const e = catchError(() => k.parseResponse('create_reversal', REVERSAL, { status: 400, body }))
    assert.ok(e instanceof k.ApiError, `${e.name}: ${e.message}`)
    assert.equal(e.code, 'api_error')
    assert.equal(e.httpStatus, 400)
    assert.equal(e.errorCode, '400')
    assert.deepEqual(e.errorMessages, REVERSAL_MESSAGES)
    assert.equal(e.errorMessage, REVERSAL_MESSAGES.join('; '))
  })

  it('the documented reversal error (tests/fixtures/error.reversal.json)', () => {
    const e = catchError(() => k.parseResponse('create_reversal', REVERSAL, { status: 400, body: fixtureBytes('error.reversal.json') }))
    assert.ok(e instanceof k.ApiError)
    assert.deepEqual(e.errorMessages, ['You cannot reverse a transaction in Pending Reversal'])
  })

  it('one message for a string error_message, none without a body', () => {
    const one = catchError(() =>
      k.parseResponse('create_reversal', REVERSAL, { status: 400, body: '{"error_code":400,"error_message":"Transaction not found"}' }),
    )
    assert.ok(one instanceof k.ApiError)
    assert.deepEqual(one.errorMessages, ['Transaction not found'])
    const none = catchError(() => k.parseResponse('get_reversal', { id: 'x' }, { status: 500, body: '' }))
    assert.ok(none instanceof k.ApiError)
    assert.deepEqual(none.errorMessages, [])
    assert.ok(none.errorMessage.length > 0, 'the status text')
  })

  it('RateLimitError has the list too (what the core reports for a 429)', () => {
    const e = catchError(() => k.parseResponse('get_reversal', { id: 'x' }, { status: 429, body: '{"error_message":"slow down"}' }))
    assert.ok(e instanceof k.RateLimitError)
    assert.ok(Array.isArray(e.errorMessages))
    assert.ok(e.errorMessages.every((m) => typeof m === 'string'))
  })

  describe('from the client (k2 mock)', () => {
    let mock
    before(async () => {
      mock = await startMock()
    })
    after(async () => {
      await mock?.stop()
    })
    it('an ApiError from the server carries its message list', async () => {
      const client = new k.Client({ ...MOCK, baseUrl: mock.baseUrl })
      await assert.rejects(
        client.incomingPayments.create({ tillNumber: 'K400400', phoneNumber: '0712345678', amount: '10', callbackUrl: 'http://127.0.0.1:9/r' }),
        (e) => e instanceof k.ApiError && Array.isArray(e.errorMessages) && e.errorMessages.length === 1 && e.errorMessages[0] === e.errorMessage,
      )
    })
  })
})

describe('m2m_transaction_received', () => {
  it('parses typed: a transaction resource with sendingMerchant', () => {
    const body = fixtureBytes('live/webhook.m2m_transaction_received.k2.json')
    for (const w of [webhook(body), k.decodeWebhook(body), new k.Client({ ...MOCK, apiKey: KEY }).webhooks.parseWebhook(body, k.sign(body, KEY))]) {
      assert.equal(w.structure, 'k2')
      assert.equal(w.topic, 'm2m_transaction_received')
      assert.equal(w.eventType, 'Merchant to Merchant Transaction')
      assert.equal(w.resource.kind, 'transaction')
      assert.equal(w.resource.sendingMerchant, 'Acme Wholesalers')
      assert.equal(w.resource.id, 'b7a1e9d0-3c55-4f0e-8f2a-6d9c1b2e7f30')
      assert.equal(w.resource.amount, '2500')
      assert.equal(w.resource.status, 'Received')
    }
  })

  it('other transactions have sendingMerchant: null', () => {
    const w = webhook(fixtureBytes('webhook.buygoods_transaction_received.k2.json'))
    assert.equal(w.resource.kind, 'transaction')
    assert.equal(w.resource.sendingMerchant, null)
  })

  it('is an accepted subscription eventType', () => {
    const req = k.buildRequest({ clientId: 'id', clientSecret: 's' }, 'create_webhook_subscription', {
      eventType: 'm2m_transaction_received',
      url: 'https://example.com/w',
      scope: 'company',
    }, 'tok')
    assert.equal(JSON.parse(req.body).event_type, 'm2m_transaction_received')
  })
})

describe('version-1 results and the legacy settlement total', () => {
  it('a v1 `payment` result is the send-money result', () => {
    const r = result(fixtureBytes('live/result.payment.v1.json'))
    assert.equal(r.kind, 'send_money')
    assert.equal(r.value.type, 'payment')
    assert.equal(r.value.id, 'c9f2a7d4-8e1b-4a36-b5d2-7f0e3a9c1b58')
    assert.equal(r.value.status, 'Processed')
    assert.equal(r.value.amount, null)
    assert.equal(r.value.transferBatches[0].amount, '1500')
    assert.equal(r.value.transferBatches[0].disbursements[0].amount, '1500')
    assert.equal(r.value.transferBatches[0].disbursements[0].transactionReference, 'PBF9XYZ123')
    assert.deepEqual(r.value.metadata, { customerId: '8675309' })
  })

  it('a legacy `settlement_transfer` result keeps its {currency, value} total', () => {
    const name = 'variants/response.send_money.status.legacy_settlement_transfer.json'
    const r = result(fixtureBytes(name))
    assert.equal(r.kind, 'send_money')
    assert.equal(r.value.type, 'settlement_transfer')
    assert.deepEqual(r.value.amount, { currency: 'KES', value: null })
    assert.deepEqual(r.value.transferBatches.map((b) => b.disbursements.length), [1, 2])
    // With a value (a JSON number or a string): the core's decimal text as a string, never a JS number.
    for (const [raw, want] of [['69352.10', '69352.1'], ['"69352.10"', '69352.1'], ['"12345678901234567.89"', '12345678901234567.89']]) {
      const doc = fixtureJson(name)
      doc.data.attributes.amount = { currency: 'KES', value: '@VALUE@' }
      const text = JSON.stringify(doc).replace('"@VALUE@"', raw)
      const got = result(Buffer.from(text)).value.amount
      assert.equal(got.currency, 'KES')
      assert.equal(typeof got.value, 'string', raw)
      assert.equal(got.value, want, raw)
    }
  })

  it('a send_money status has amount: null', () => {
    const s = k.parseResponse('get_send_money', { id: 'x' }, { status: 200, body: fixtureBytes('response.send_money.status.json') })
    assert.equal(s.amount, null)
  })
})

describe('payment links', () => {
  it('initiatorName (the second status shape)', () => {
    const link = k.parseResponse('get_payment_link', { id: 'x' }, { status: 200, body: fixtureBytes('response.payment_link.status.alt.json') })
    assert.equal(link.initiatorName, 'David Kariuki Mwangi')
    assert.equal(link.amount, '240001')
    const other = k.parseResponse('get_payment_link', { id: 'x' }, { status: 200, body: fixtureBytes('response.payment_link.status.json') })
    assert.equal(other.initiatorName, null)
  })

  it('the cancel response: message, and the link when `data` is present', () => {
    const id = { id: '2eab4ca0-1724-4c90-a734-0fb5ffc4391c' }
    const plain = k.parseResponse('cancel_payment_link', id, { status: 200, body: fixtureBytes('response.payment_link.cancel.json') })
    assert.deepEqual(plain, { message: 'Payment link cancelled.', paymentLink: null })
    const doc = fixtureJson('response.payment_link.status.alt.json')
    doc.message = 'Payment link cancelled.'
    const full = k.parseResponse('cancel_payment_link', id, { status: 200, body: JSON.stringify(doc) })
    assert.equal(full.message, 'Payment link cancelled.')
    assert.equal(full.paymentLink.id, '2eab4ca0-1724-4c90-a734-0fb5ffc4391c')
    assert.equal(full.paymentLink.initiatorName, 'David Kariuki Mwangi')
    assert.equal(full.paymentLink.amount, '240001')
  })
})

describe('token info createdAt', () => {
  it('is text for an integer and for an ISO timestamp', () => {
    const info = k.parseResponse('token_info', {}, { status: 200, body: fixtureBytes('response.token_info.json') })
    assert.equal(info.createdAt, String(fixtureJson('response.token_info.json').created_at))
    assert.equal(typeof info.createdAt, 'string')
    const doc = fixtureJson('response.token_info.json')
    doc.created_at = '2026-04-27T00:09:15+03:00'
    const iso = k.parseResponse('token_info', {}, { status: 200, body: JSON.stringify(doc) })
    assert.equal(iso.createdAt, '2026-04-27T00:09:15+03:00')
  })
})

describe('Daraja ThirdPartyTransId', () => {
  for (const key of ['ThirdPartyTransId', 'ThirdPartyTransID']) {
    it(`read from ${key}, returned as ThirdPartyTransId`, () => {
      const doc = fixtureJson('webhook.buygoods_transaction_received.daraja.json')
      delete doc.ThirdPartyTransId
      delete doc.ThirdPartyTransID
      doc[key] = 'TPX-42'
      const w = webhook(Buffer.from(JSON.stringify(doc)))
      assert.equal(w.structure, 'daraja')
      assert.equal(w.ThirdPartyTransId, 'TPX-42')
      assert.ok(!('ThirdPartyTransID' in w))
    })
  }
})

describe('documented request values', () => {
  it('are exported from the core', () => {
    assert.equal(k.NETWORK_SAFARICOM, 'Safaricom')
    assert.equal(k.PAYMENT_CHANNEL_STK_PUSH, 'M-PESA STK Push')
    assert.equal(k.PAYMENT_CHANNEL_MPESA, 'M-PESA')
    for (const name of ['NETWORK_SAFARICOM', 'PAYMENT_CHANNEL_STK_PUSH', 'PAYMENT_CHANNEL_MPESA']) {
      assert.equal(k[name], native[name], `${name} is the native constant`)
    }
  })

  it('are the values requests send', () => {
    const opts = { clientId: 'id', clientSecret: 's' }
    const stk = { tillNumber: 'K000000', phoneNumber: '0712345678', amount: '10', callbackUrl: 'https://example.com/r' }
    const body = (op, p) => JSON.parse(k.buildRequest(opts, op, p, 'tok').body)
    assert.equal(body('create_incoming_payment', stk).payment_channel, k.PAYMENT_CHANNEL_STK_PUSH)
    assert.equal(body('create_incoming_payment', { ...stk, paymentChannel: k.PAYMENT_CHANNEL_MPESA }).payment_channel, 'M-PESA')
    const wallet = { network: k.NETWORK_SAFARICOM, firstName: 'A', lastName: 'B', phoneNumber: '0712345678' }
    assert.equal(body('create_merchant_wallet', wallet).network, 'Safaricom')
  })
})

it('the declarations of the additions type-check (tsc --strict)', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kopokopo-ts-additions-'))
  try {
    fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true })
    fs.symlinkSync(PKG_DIR, path.join(dir, 'node_modules', 'kopokopo'), 'dir')
    fs.symlinkSync(path.join(PKG_DIR, 'node_modules', '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'), 'dir')
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"ts-check","private":true}')
    fs.writeFileSync(
      path.join(dir, 'ok.ts'),
      [
        "import { ApiError, RateLimitError, NETWORK_SAFARICOM, PAYMENT_CHANNEL_MPESA, PAYMENT_CHANNEL_STK_PUSH, parseWebhook, parseResult,",
        "  type CancelledPaymentLink, type IncomingPaymentRequest, type MoneyAmount, type PaymentLink, type TokenInfo,",
        "  type WebhookEventType, type WebhookSubscriptionRequest } from 'kopokopo'",
        'export function messages(e: unknown): string[] {',
        '  if (e instanceof ApiError) { const m: string[] = e.errorMessages; return m }',
        '  if (e instanceof RateLimitError) return e.errorMessages',
        '  return []',
        '}',
        "const topic: WebhookEventType = 'm2m_transaction_received'",
        "export const sub: WebhookSubscriptionRequest = { eventType: topic, url: 'https://example.com', scope: 'company' }",
        "export const stk: IncomingPaymentRequest = { tillNumber: 'K1', phoneNumber: '0712345678', amount: '1', callbackUrl: 'https://e.com', paymentChannel: PAYMENT_CHANNEL_MPESA }",
        'export const values: string[] = [NETWORK_SAFARICOM, PAYMENT_CHANNEL_STK_PUSH]',
        'export function merchant(body: Buffer, sig: string): string | null {',
        "  const w = parseWebhook(body, sig, 'k')",
        "  if (w.structure === 'daraja') return w.ThirdPartyTransId",
        "  if (w.resource.kind === 'transaction') return w.resource.sendingMerchant",
        '  return null',
        '}',
        'export function total(body: Buffer, sig: string): string | null {',
        "  const r = parseResult(body, sig, 'k')",
        "  if (r.kind !== 'send_money') return null",
        '  const a: MoneyAmount | null = r.value.amount',
        '  return a === null ? null : a.value',
        '}',
        'export function created(i: TokenInfo): string | null { return i.createdAt }',
        'export function who(l: PaymentLink): string | null { return l.initiatorName }',
        'export function cancelled(c: CancelledPaymentLink): string | null { return c.paymentLink?.initiatorName ?? null }',
        '',
      ].join('\n'),
    )
    fs.writeFileSync(path.join(dir, 'bad.ts'), "import type { TokenInfo } from 'kopokopo'\nexport const n = (i: TokenInfo): number | null => i.createdAt\n")
    const tsc = path.join(PKG_DIR, 'node_modules', 'typescript', 'bin', 'tsc')
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--types', 'node']
    const ok = spawnSync(process.execPath, [tsc, ...args, 'ok.ts'], { cwd: dir, encoding: 'utf8' })
    assert.equal(ok.status, 0, `tsc failed:\n${ok.stdout}\n${ok.stderr}`)
    const bad = spawnSync(process.execPath, [tsc, ...args, 'bad.ts'], { cwd: dir, encoding: 'utf8' })
    assert.notEqual(bad.status, 0, 'tsc accepted createdAt as a number')
    assert.match(bad.stdout, /TS2322/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
