'use strict'
// Network calls run on the libuv thread pool: the event loop keeps turning
// while a slow request is in flight.

const assert = require('node:assert/strict')
const { after, before, it } = require('node:test')

const { Client } = require('..')
const { MOCK, startMock } = require('./helpers')

let mock
let client

before(async () => {
  mock = await startMock()
  client = new Client({ ...MOCK, baseUrl: mock.baseUrl })
  await client.tokens.request() // the token is cached: the timed call below is the slow one only
})

after(async () => {
  await mock?.stop()
})

it('setInterval keeps ticking during a 500 ms request', async () => {
  await mock.admin('/__admin/faults', { mode: 'delay', delay_ms: 500, count: 1, path: '/api/v2/incoming_payments' })
  let ticks = 0
  const timer = setInterval(() => ticks++, 10)
  const started = process.hrtime.bigint()
  try {
    const created = await client.incomingPayments.create({
      tillNumber: 'K000000',
      phoneNumber: '0712345678',
      amount: '10',
      callbackUrl: 'http://127.0.0.1:9/k2/results', // loopback: the mock POSTs the result here
    })
    assert.equal(typeof created.id, 'string')
  } finally {
    clearInterval(timer)
  }
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6
  assert.ok(elapsedMs >= 450, `the fault delayed the request (${elapsedMs} ms)`)
  // A blocked loop would give 0 or 1 tick; a free one about 50.
  assert.ok(ticks >= 20, `only ${ticks} ticks in ${elapsedMs} ms: the event loop was blocked`)
})

it('several slow requests run concurrently', async () => {
  const created = await client.polling.create({
    scope: 'company',
    fromTime: '2021-04-12T08:50:22+03:00',
    toTime: '2021-04-19T08:50:22+03:00',
    callbackUrl: 'http://127.0.0.1:9/k2/results',
  })
  await mock.admin('/__admin/faults', { mode: 'delay', delay_ms: 500, count: 3, path: '/api/v2/polling' })
  const started = Date.now()
  const statuses = await Promise.all([1, 2, 3].map(() => client.polling.status(created.id)))
  const elapsed = Date.now() - started
  for (const s of statuses) assert.equal(s.id, created.id)
  assert.ok(elapsed >= 450, `the fault delayed the requests (${elapsed} ms)`)
  // Three 500 ms requests in sequence would take 1.5 s; on the thread pool they overlap.
  assert.ok(elapsed < 1400, `took ${elapsed} ms`)
})
