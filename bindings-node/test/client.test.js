'use strict'
// Every endpoint and every result callback against `k2 mock`.

const assert = require('node:assert/strict')
const { after, before, describe, it } = require('node:test')

const { Client, ApiError, InvalidArgumentError } = require('..')
const { MOCK, startMock, startReceiver } = require('./helpers')

let mock
let receiver
let client
let seq = 0

/** A fresh callback URL on the receiver, and a waiter for the result POSTed to it. */
function callback() {
  const p = `/results/${++seq}`
  return { url: receiver.url + p, next: (ms) => receiver.next((r) => r.path === p, ms) }
}

/** Waits for the result POSTed to `cb`, verifies and parses it with the client's API key. */
async function resultAt(cb) {
  const r = await cb.next()
  return client.webhooks.parseResult(r.body, r.signature)
}

before(async () => {
  mock = await startMock(['--callback-delay-ms', '50'])
  receiver = await startReceiver()
  client = new Client({ ...MOCK, baseUrl: mock.baseUrl, timeoutMs: 10000 })
})

after(async () => {
  await mock?.stop()
  await receiver?.close()
})

describe('tokens', () => {
  it('request, introspect, info, revoke', async () => {
    const t = await client.tokens.request()
    assert.equal(typeof t.accessToken, 'string')
    assert.ok(t.accessToken.length > 0)
    assert.equal(t.tokenType, 'Bearer')
    assert.equal(typeof t.expiresIn, 'number')
    const i = await client.tokens.introspect(t.accessToken)
    assert.equal(i.active, true)
    const info = await client.tokens.info()
    assert.ok(Array.isArray(info.scope))
    assert.equal(await client.tokens.revoke(t.accessToken), null)
    assert.equal((await client.tokens.introspect(t.accessToken)).active, false)
  })
})

describe('webhooks', () => {
  it('subscribe, then a triggered K2 and Daraja event verify and parse', async () => {
    const url = `${receiver.url}/webhooks/buygoods`
    const created = await client.webhooks.subscribe({
      eventType: 'buygoods_transaction_received',
      url,
      scope: 'till',
      scopeReference: '112233',
    })
    assert.equal(typeof created.id, 'string')
    assert.match(created.location, /webhook_subscriptions/)

    await mock.admin('/__admin/trigger', { topic: 'buygoods_transaction_received', url })
    const r = await receiver.next((x) => x.path === '/webhooks/buygoods')
    assert.equal(client.webhooks.verifySignature(r.body, r.signature), true)
    const w = client.webhooks.parseWebhook(r.body, r.signature)
    assert.equal(w.structure, 'k2')
    assert.equal(w.topic, 'buygoods_transaction_received')
    assert.equal(w.resource.kind, 'transaction')
    assert.equal(typeof w.resource.amount, 'string')

    const durl = `${receiver.url}/webhooks/daraja`
    await mock.admin('/__admin/trigger', { topic: 'buygoods_transaction_received', url: durl, daraja: true })
    const d = await receiver.next((x) => x.path === '/webhooks/daraja')
    const dw = client.webhooks.parseWebhook(d.body, d.signature)
    assert.equal(dw.structure, 'daraja')
    assert.equal(typeof dw.TransAmount, 'string')
  })

  for (const topic of [
    'buygoods_transaction_reversed',
    'b2b_transaction_received',
    'b2b_transaction_reversed',
    'settlement_transfer_completed',
    'card_transaction_received',
    'card_transaction_voided',
    'card_transaction_reversed',
    'customer_created',
  ]) {
    it(`triggered ${topic} parses`, async () => {
      const url = `${receiver.url}/webhooks/${topic}`
      await mock.admin('/__admin/trigger', { topic, url })
      const r = await receiver.next((x) => x.path === `/webhooks/${topic}`)
      const w = client.webhooks.parseWebhook(r.body, r.signature)
      assert.equal(w.topic, topic)
      assert.notEqual(w.resource.kind, 'unknown')
    })
  }
})

describe('incoming payments (STK push)', () => {
  it('create, Success result callback, status by location and by id', async () => {
    const cb = callback()
    const created = await client.incomingPayments.create({
      tillNumber: 'K000000',
      phoneNumber: '0712345678',
      firstName: 'Jane',
      amount: '150.50',
      callbackUrl: cb.url,
      metadata: { orderId: 'A-1', customer_ref: 7 },
    })
    const result = await resultAt(cb)
    assert.equal(result.kind, 'incoming_payment')
    assert.equal(result.value.status, 'Success')
    assert.equal(result.value.event.resource.amount, '150.5')
    assert.deepEqual(result.value.metadata, { orderId: 'A-1', customer_ref: 7 })
    const byLocation = await client.incomingPayments.status(created.location)
    assert.equal(byLocation.id, created.id)
    assert.equal(byLocation.status, 'Success')
    const byId = await client.incomingPayments.status(created.id)
    assert.equal(byId.status, 'Success')
  })

  it('a failed payment carries its error', async () => {
    const cb = callback()
    await client.incomingPayments.create({ tillNumber: 'K000000', phoneNumber: '0700000001', amount: 100, callbackUrl: cb.url })
    const result = await resultAt(cb)
    assert.equal(result.value.status, 'Failed')
    assert.deepEqual(result.value.event.errors, ['The balance is insufficient for the transaction'])
  })

  it('an invalid till is an ApiError from the server', async () => {
    await assert.rejects(
      client.incomingPayments.create({ tillNumber: 'K400400', phoneNumber: '0712345678', amount: '10', callbackUrl: callback().url }),
      (e) => e instanceof ApiError && e.httpStatus === 400 && e.errorMessage === 'Till number is invalid',
    )
  })
})

describe('merchant accounts and recipients', () => {
  it('merchantWallets.create', async () => {
    const c = await client.merchantWallets.create({ network: 'Safaricom', firstName: 'Jo', lastName: 'Doe', phoneNumber: '0712345678' })
    assert.equal(typeof c.id, 'string')
  })

  it('merchantBankAccounts.create', async () => {
    const c = await client.merchantBankAccounts.create({
      accountName: 'Jo Doe',
      bankBranchRef: '633aa26c-7b7c-4091-ae28-96c0687cf886',
      accountNumber: '1234567890',
      settlementMethod: 'EFT',
    })
    assert.equal(typeof c.id, 'string')
  })

  const recipients = [
    { type: 'mobile_wallet', firstName: 'Jane', lastName: 'Doe', phoneNumber: '0712345678', network: 'Safaricom' },
    { type: 'bank_account', accountName: 'Jane', bankBranchRef: '633aa26c-7b7c-4091-ae28-96c0687cf886', accountNumber: '1', settlementMethod: 'RTS' },
    { type: 'till', tillName: 'Shop', tillNumber: '123456' },
    { type: 'paybill', paybillName: 'Power', paybillNumber: '888880', paybillAccountNumber: '42' },
  ]
  for (const r of recipients) {
    it(`externalRecipients.create (${r.type})`, async () => {
      const c = await client.externalRecipients.create(r)
      assert.match(c.location, /external_recipients/)
    })
  }
})

describe('send money', () => {
  it('create, result callback, status', async () => {
    const cb = callback()
    const created = await client.sendMoney.create({
      destinations: [
        { type: 'mobile_wallet', phoneNumber: '0712345678', network: 'Safaricom', amount: '1000.00', description: 'Salary' },
        { type: 'mobile_wallet', phoneNumber: '0712345679', network: 'Safaricom', amount: 250, description: 'Bonus' },
      ],
      callbackUrl: cb.url,
    })
    const result = await resultAt(cb)
    assert.equal(result.kind, 'send_money')
    assert.equal(result.value.status, 'Processed')
    const status = await client.sendMoney.status(created.location)
    assert.equal(status.status, 'Processed')
    const amounts = status.transferBatches.flatMap((b) => b.disbursements.map((d) => d.amount))
    for (const a of amounts) assert.equal(typeof a, 'string')
  })

  it('several destinations of different types are refused before sending', async () => {
    await assert.rejects(
      client.sendMoney.create({
        destinations: [
          { type: 'mobile_wallet', phoneNumber: '0712345678', network: 'Safaricom', amount: '1', description: 'a' },
          { type: 'till', tillNumber: '1', amount: '1', description: 'b' },
        ],
        callbackUrl: callback().url,
      }),
      (e) => e instanceof InvalidArgumentError && e.field === 'destinations',
    )
  })
})

describe('polling', () => {
  it('create, result callback, status', async () => {
    const cb = callback()
    const created = await client.polling.create({
      scope: 'company',
      fromTime: '2021-04-12T08:50:22+03:00',
      toTime: '2021-04-19T08:50:22+03:00',
      callbackUrl: cb.url,
    })
    const result = await resultAt(cb)
    assert.equal(result.kind, 'polling')
    assert.equal(result.value.status, 'Success')
    const status = await client.polling.status(created.id)
    assert.equal(status.id, created.id)
  })
})

describe('transaction SMS notifications', () => {
  it('create, result callback, status', async () => {
    const cb = callback()
    const created = await client.smsNotifications.create({
      webhookEventReference: 'e51438e9-c42b-4bf2-a261-faeaf189e3ed',
      message: 'Thank you',
      callbackUrl: cb.url,
    })
    const result = await resultAt(cb)
    assert.equal(result.kind, 'sms_notification')
    assert.equal(result.value.status, 'Success')
    const status = await client.smsNotifications.status(created.location)
    assert.equal(status.id, created.id)
  })
})

describe('reversals', () => {
  it('create, result callback, status', async () => {
    const cb = callback()
    const created = await client.reversals.create({
      transactionReference: 'OJJ1MPU40Z',
      reason: 'Customer overpaid',
      callbackUrl: cb.url,
      metadata: { ticket: 'T-9' },
    })
    const result = await resultAt(cb)
    assert.equal(result.kind, 'reversal')
    assert.equal(result.value.status, 'Processed')
    assert.equal(result.value.reversalBulkPayment.status, 'Transferred')
    const status = await client.reversals.status(created.id)
    assert.equal(status.id, created.id)
  })

  it('a failed reversal reports Cancelled with its error', async () => {
    const cb = callback()
    await client.reversals.create({ transactionReference: 'FAIL123', reason: 'x', callbackUrl: cb.url })
    const result = await resultAt(cb)
    assert.equal(result.value.reversalBulkPayment.status, 'Cancelled')
    assert.deepEqual(result.value.errors, ['The balance is insufficient for the transaction'])
  })
})

describe('payment links', () => {
  it('create, paid result callback, status', async () => {
    const cb = callback()
    const created = await client.paymentLinks.create({
      tillNumber: '112233',
      amount: '350.75',
      paymentReference: 'PAID-001',
      note: 'Invoice 1',
      callbackUrl: cb.url,
    })
    const result = await resultAt(cb)
    assert.equal(result.kind, 'payment_link')
    assert.equal(result.value.amount, '350.75')
    const status = await client.paymentLinks.status(created.location)
    assert.equal(status.id, created.id)
    assert.equal(status.amount, '350.75')
  })

  it('create, cancel, status', async () => {
    const created = await client.paymentLinks.create({ tillNumber: '112233', amount: 100, callbackUrl: callback().url })
    const cancelled = await client.paymentLinks.cancel(created.id)
    assert.equal(cancelled.message, 'Payment link cancelled.')
    const status = await client.paymentLinks.status(created.id)
    assert.equal(status.paymentLink.status, 'Cancelled')
  })

  it('an unknown link is a 404 ApiError', async () => {
    await assert.rejects(client.paymentLinks.status('00000000-0000-0000-0000-000000000000'), (e) => e instanceof ApiError && e.httpStatus === 404)
  })
})

describe('generic execute', () => {
  it('every core operation is reachable by name', async () => {
    const { OPERATIONS } = require('..')
    assert.equal(OPERATIONS.length, 21)
    const t = await client.execute('request_access_token', {})
    assert.equal(t.tokenType, 'Bearer')
    await assert.rejects(client.execute('no_such_operation', {}), (e) => e instanceof InvalidArgumentError && e.field === 'operation')
  })

  it('the User-Agent carries the Node suffix', () => {
    assert.match(client.userAgent, /^kopokopo\/\S+ \(node\/\S+; Node v\d+\.\d+\.\d+\)$/)
  })
})
