'use strict'
// The client's surface as the core's operation table and options define it:
// one group method per operation (generated table), the deprecated names,
// every client option, and timestamps read exactly.

const assert = require('node:assert/strict')
const { describe, it } = require('node:test')

const k = require('..')
const OPERATION_TABLE = require('../lib/operations.generated.js')
const { SCHEMA, snakeToCamel } = require('./helpers')

const options = { clientId: 'surface-id', clientSecret: 'surface-secret', apiKey: 'surface-key' }

describe('operation groups', () => {
  it('the generated table is the schema operation table', () => {
    assert.deepEqual(
      OPERATION_TABLE.map((o) => [o.name, o.group, o.method, o.params, o.legacyName]),
      SCHEMA.operations.map((o) => [o.name, snakeToCamel(o.group), snakeToCamel(o.method), o.params, o.legacy_name]),
    )
    assert.deepEqual([...k.OPERATIONS], SCHEMA.operations.map((o) => o.name))
  })

  it('every operation is a method of its group, and nothing else is', () => {
    const client = new k.Client(options)
    const groups = new Map()
    for (const o of OPERATION_TABLE) groups.set(o.group, [...(groups.get(o.group) ?? []), o.method])
    for (const [group, methods] of groups) {
      assert.equal(typeof client[group], 'object', group)
      assert.ok(Object.isFrozen(client[group]), `${group} is frozen`)
      const extra = group === 'webhooks' ? ['verifySignature', 'parseWebhook', 'parseResult'] : []
      assert.deepEqual(Object.keys(client[group]).sort(), [...methods, ...extra].sort(), group)
      for (const m of methods) assert.equal(typeof client[group][m], 'function', `${group}.${m}`)
    }
  })

  it('each method sends its operation: a request built through either name is the same', () => {
    const params = { tillNumber: 'K000000', amount: '10', callbackUrl: 'https://example.com/cb' }
    for (const o of OPERATION_TABLE) {
      if (o.params !== 'body') continue
      let viaNew
      let viaOld
      try {
        viaNew = k.buildRequest(options, o.name, params, 't')
      } catch (e) {
        viaNew = e.message
      }
      try {
        viaOld = k.buildRequest(options, o.legacyName, params, 't')
      } catch (e) {
        viaOld = e.message
      }
      assert.deepEqual(viaOld, viaNew, o.name)
    }
  })

  it('an unknown operation is an InvalidArgumentError naming the field', async () => {
    const client = new k.Client(options)
    await assert.rejects(client.execute('no_such_operation', {}), (e) => e instanceof k.InvalidArgumentError && e.field === 'operation')
    assert.throws(
      () => k.buildRequest(options, 'no_such.operation', {}),
      (e) => e instanceof k.InvalidArgumentError && e.field === 'operation',
    )
  })
})

describe('client options', () => {
  it('every option of the contract is accepted, durations in milliseconds', () => {
    const client = new k.Client({
      ...options,
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 1500,
      connectTimeoutMs: 250,
      maxRetries: 0,
      userAgentSuffix: 'my-shop/1.2',
      proxy: 'none',
    })
    assert.equal(client.baseUrl, 'http://127.0.0.1:9')
    assert.match(client.userAgent, /^kopokopo\/\S+ \(node\/\S+; Node v\d+\.\d+\.\d+; my-shop\/1\.2\)$/)
  })

  it('userAgentSuffix: a string; blank is no suffix; hostile text is refused by the core', () => {
    assert.match(new k.Client({ ...options, userAgentSuffix: '  ' }).userAgent, /\(node\/\S+; Node v[\d.]+\)$/)
    assert.throws(
      () => new k.Client({ ...options, userAgentSuffix: 42 }),
      (e) => e instanceof k.InvalidArgumentError && e.field === 'userAgentSuffix',
    )
    assert.throws(
      () => new k.Client({ ...options, userAgentSuffix: 'a\r\nX-Injected: 1' }),
      (e) => e instanceof k.InvalidArgumentError && e.field === 'userAgentSuffix',
    )
  })

  it('an unknown option is refused by name', () => {
    assert.throws(
      () => new k.Client({ ...options, timeout: 5 }),
      (e) => e instanceof k.InvalidArgumentError && e.field === 'timeout',
    )
  })
})

describe('parseTimestamp', () => {
  it('keeps nanoseconds and the offset; Date is the millisecond view', () => {
    const t = k.parseTimestamp('2021-04-12T08:50:22.123456789+03:00')
    assert.deepEqual({ ...t, date: undefined }, {
      unixSeconds: 1618206622,
      nanos: 123456789,
      offsetSeconds: 10800,
      offsetGiven: true,
      date: undefined,
    })
    assert.equal(t.date.toISOString(), '2021-04-12T05:50:22.123Z')
  })

  it('no offset is Kenya time; Daraja YYYYMMDDhhmmss and epoch seconds are read too', () => {
    const local = k.parseTimestamp('2021-04-12T08:50:22')
    assert.equal(local.offsetGiven, false)
    assert.equal(local.offsetSeconds, 10800)
    assert.equal(local.unixSeconds, 1618206622)
    assert.equal(k.parseTimestamp('20210412085022').unixSeconds, 1618206622)
    assert.equal(k.parseTimestamp('1613376955').unixSeconds, 1613376955)
  })

  it('every timestamp field of the fixtures parses', () => {
    const fs = require('node:fs')
    const path = require('node:path')
    const { FIXTURES_DIR } = require('./helpers')
    const body = fs.readFileSync(path.join(FIXTURES_DIR, 'webhook.buygoods_transaction_received.k2.json'))
    const w = k.decodeWebhook(body)
    for (const text of [w.createdAt, w.resource.originationTime]) {
      const t = k.parseTimestamp(text)
      assert.ok(Number.isInteger(t.unixSeconds) && t.unixSeconds > 1.5e9, text)
    }
  })

  it('text that is not a timestamp is an InvalidArgumentError', () => {
    for (const bad of ['', 'yesterday', '2021-13-01T00:00:00Z', 42]) {
      assert.throws(
        () => k.parseTimestamp(bad),
        (e) => e instanceof k.InvalidArgumentError && e.field === 'timestamp',
        String(bad),
      )
    }
  })
})
