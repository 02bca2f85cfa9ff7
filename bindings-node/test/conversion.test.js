'use strict'
// Type conversion at the binding boundary: key case, exact amounts, metadata
// passed through, bodies as Buffer/Uint8Array/string.

const assert = require('node:assert/strict')
const { it } = require('node:test')

const k = require('..')

const OPTS = { clientId: 'id', clientSecret: 'secret', baseUrl: k.SANDBOX_URL }
const CB = 'https://example.com/k2/results'

it('camelCase parameters reach the API as the documented wire format; metadata keys are kept', () => {
  const req = k.buildRequest(OPTS, 'create_incoming_payment', {
    tillNumber: 'K000000',
    phoneNumber: '0712345678',
    firstName: 'Jane',
    amount: '150.50',
    callbackUrl: CB,
    metadata: { orderId: 'A-1', customer_ref: 7 },
  }, 'tok')
  const body = JSON.parse(req.body)
  assert.equal(body.till_number, 'K000000')
  assert.equal(body.subscriber.first_name, 'Jane')
  assert.equal(body.subscriber.phone_number, '+254712345678')
  assert.equal(body._links.callback_url, CB)
  assert.deepEqual(body.metadata, { orderId: 'A-1', customer_ref: 7 })
  assert.match(req.body, /"value":150\.5\b/)
})

it('amounts: strings and integers are accepted, fractional numbers refused', () => {
  const build = (amount) => k.buildRequest(OPTS, 'create_payment_link', { tillNumber: '1', amount, callbackUrl: CB }, 'tok')
  assert.match(build('0.10').body, /"amount":0\.1\b/)
  assert.match(build(350).body, /"amount":350\b/)
  assert.throws(() => build(0.1), (e) => e instanceof k.InvalidArgumentError && e.field === 'amount')
  assert.throws(() => build('1e3'), (e) => e instanceof k.InvalidArgumentError && e.field === 'amount')
})

it('result amounts are exact decimal strings, even beyond double precision', () => {
  const body = JSON.stringify({ data: { id: 'x', type: 'payment_link', attributes: { status: 'Processed', amount: '12345678901234567.89', till_number: 112233 } } })
  const link = k.parseResponse('get_payment_link', { id: 'x' }, { status: 200, headers: {}, body })
  assert.equal(link.amount, '12345678901234567.89')
  assert.equal(link.tillNumber, '112233')
  assert.equal(link.createdAt, null)
  const webhook = k.decodeWebhook('{"topic":"buygoods_transaction_received","id":"e","event":{"resource":{"amount":100.50}}}')
  assert.equal(webhook.resource.amount, '100.5')
})

it('bodies may be a Buffer, a Uint8Array, an ArrayBuffer or a string', () => {
  const text = '{"topic":"customer_created","id":"c1","event":{"resource":{"first_name":"Jöhn"}}}'
  const buf = Buffer.from(text)
  const sig = k.sign(buf, 'key')
  assert.equal(k.sign(text, 'key'), sig)
  const u8 = new Uint8Array(buf)
  const offset = new Uint8Array(buf.length + 3)
  offset.set(buf, 3)
  for (const body of [buf, text, u8, u8.buffer, offset.subarray(3)]) {
    assert.equal(k.verifySignature(body, sig, 'key'), true)
    assert.equal(k.parseWebhook(body, sig, 'key').resource.firstName, 'Jöhn')
  }
})
