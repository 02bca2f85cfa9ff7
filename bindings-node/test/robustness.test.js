'use strict'
// Robustness of the binding: a panic in native code is an InternalError, not
// an abort of Node; hostile client options are typed errors; the `proxy`
// option reaches the core; payloads with unexpected field types parse.

const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const crypto = require('node:crypto')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const { describe, it } = require('node:test')

const k = require('..')
const native = require('../index.js')
const { mapError } = require('../lib/errors.js')
const { FIXTURES_DIR, MOCK, PKG_DIR } = require('./helpers')

// ------------------------------------------------------------------ panics

describe('a panic in native code', () => {
  const isInternal = (e) => {
    assert.ok(e instanceof k.InternalError, `${e?.name}: ${e?.message}`)
    assert.ok(e instanceof k.KopoKopoError)
    assert.equal(e.code, 'internal')
    assert.equal(e.name, 'InternalError')
    assert.match(e.message, /forced panic/)
    return true
  }

  it('the test hooks are hidden: no TypeScript declarations, not in the public API', () => {
    assert.equal(typeof native.__forcePanic, 'function')
    assert.equal(typeof native.__forcePanicAsync, 'function')
    const dts = fs.readFileSync(path.join(PKG_DIR, 'index.d.ts'), 'utf8')
    assert.doesNotMatch(dts, /forcePanic/)
    assert.equal(k.__forcePanic, undefined)
  })

  it('on the JavaScript thread: throws code "internal", the process survives', () => {
    for (let i = 0; i < 3; i++) {
      assert.throws(() => {
        try {
          native.__forcePanic()
        } catch (e) {
          throw mapError(e)
        }
      }, isInternal)
    }
    // Normal calls still work afterwards.
    assert.equal(k.sign('{}', 'key').length, 64)
    assert.equal(new k.Client(MOCK).clientId, MOCK.clientId)
  })

  it('on the thread pool (AsyncTask::compute): rejects with code "internal", the process survives', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => native.__forcePanicAsync().catch((e) => {
      throw mapError(e)
    })))
    for (const r of results) {
      assert.equal(r.status, 'rejected')
      isInternal(r.reason)
    }
    // The pool threads are still usable: a normal async call completes (an
    // invalid argument is answered on the pool, before any I/O).
    const client = new k.Client(MOCK)
    await assert.rejects(client.incomingPayments.status(''), (e) => e instanceof k.InvalidArgumentError)
    assert.equal(k.verifySignature('{}', k.sign('{}', 'key'), 'key'), true)
  })

  it('in a separate process: exit code 0, not 134 (abort)', () => {
    const r = spawnSync(process.execPath, ['-e', `
      const native = require(${JSON.stringify(path.join(PKG_DIR, 'index.js'))})
      const k = require(${JSON.stringify(PKG_DIR)})
      let sync = 'none'
      try { native.__forcePanic() } catch (e) { sync = JSON.parse(e.message).error.code }
      native.__forcePanicAsync().then(() => console.log('resolved?'), (e) => {
        console.log(JSON.stringify({ sync, async: JSON.parse(e.message).error.code, sign: k.sign('{}', 'key').length }))
      })
    `], { encoding: 'utf8' })
    assert.equal(r.status, 0, `exit ${r.status} signal ${r.signal}\n${r.stdout}\n${r.stderr}`)
    assert.deepEqual(JSON.parse(r.stdout.trim()), { sync: 'internal', async: 'internal', sign: 64 })
  })

  it('InternalError is exported by require and import, and mapped from the "internal" code', () => {
    assert.ok(k.ERROR_CODES.includes('internal'))
    const e = mapError(new Error(JSON.stringify({ kopokopo: true, error: { code: 'internal', message: 'm' } })))
    assert.ok(e instanceof k.InternalError)
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
      import { InternalError } from ${JSON.stringify(path.join(PKG_DIR, 'lib', 'kopokopo.mjs'))}
      console.log(typeof InternalError, new InternalError('x').code)
    `], { encoding: 'utf8' })
    assert.equal(r.stdout.trim(), 'function internal', r.stderr)
  })
})

// ------------------------------------------------------------------ config

describe('client options', () => {
  const HOSTILE = [1e22, Infinity, -Infinity, NaN, -1, 7_200_000, 3_600_001, 1e300, Number.MAX_VALUE]

  for (const [option, field] of [
    ['timeoutMs', 'timeoutMs'],
    ['connectTimeoutMs', 'connectTimeoutMs'],
  ]) {
    it(`${option}: ${HOSTILE.map(String).join(', ')} each throw InvalidArgumentError (field "${field}")`, () => {
      for (const value of HOSTILE) {
        const isInvalid = (e) => {
          assert.ok(e instanceof k.InvalidArgumentError, `${option}: ${value} gave ${e?.name}: ${e?.message}`)
          assert.equal(e.field, field, `${option}: ${value}`)
          return true
        }
        assert.throws(() => new k.Client({ ...MOCK, [option]: value }), isInvalid)
        // The sans-IO builder reads the same options.
        assert.throws(() => k.buildRequest({ ...MOCK, [option]: value }, 'request_access_token', {}), isInvalid)
      }
      // The limit itself is accepted.
      assert.equal(new k.Client({ ...MOCK, [option]: 3_600_000 }).clientId, MOCK.clientId)
      assert.throws(() => new k.Client({ ...MOCK, [option]: '1000' }), (e) => e.field === field)
    })
  }

  it('proxy: "env", "none", an http(s) URL are accepted; anything else throws (field "proxy")', () => {
    for (const proxy of ['env', 'none', 'http://127.0.0.1:3128', 'https://user:pass@proxy.example.com:8443', undefined, null]) {
      assert.equal(new k.Client({ ...MOCK, proxy }).clientId, MOCK.clientId, String(proxy))
    }
    for (const proxy of ['ftp://proxy.example.com:21', 'proxy.example.com:3128', 'http://', 'http://exa mple.com', 'http://a\nb', 5, true, {}]) {
      assert.throws(
        () => new k.Client({ ...MOCK, proxy }),
        (e) => e instanceof k.InvalidArgumentError && e.field === 'proxy',
        JSON.stringify(proxy),
      )
    }
  })

  // A socket that records what a client sends to it as a proxy (and answers nothing useful).
  async function recordingProxy() {
    const seen = []
    const server = net.createServer((s) => {
      let head = ''
      s.on('data', (d) => {
        head += d
        if (head.includes('\r\n\r\n')) {
          seen.push(head.split('\r\n')[0])
          s.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')
        }
      })
      s.on('error', () => {})
    })
    await new Promise((r) => server.listen(0, '127.0.0.1', r))
    return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => server.close(r)) }
  }

  function withEnv(vars, fn) {
    const saved = Object.fromEntries(Object.keys(vars).map((n) => [n, process.env[n]]))
    for (const [n, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[n]
      else process.env[n] = v
    }
    const restore = () => {
      for (const [n, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[n]
        else process.env[n] = v
      }
    }
    return Promise.resolve().then(fn).finally(restore)
  }

  const NO_PROXY_ENV = { HTTPS_PROXY: undefined, https_proxy: undefined, ALL_PROXY: undefined, all_proxy: undefined, HTTP_PROXY: undefined, http_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined }
  // A non-loopback https base URL (never resolvable: .invalid): only a proxy can be reached.
  const REMOTE = { ...MOCK, baseUrl: 'https://k2.invalid', timeoutMs: 3000, maxRetries: 0 }

  it('proxy reaches the core: an explicit URL is used, "none" and "env" without variables are not', async () => {
    const proxy = await recordingProxy()
    try {
      await withEnv(NO_PROXY_ENV, async () => {
        await assert.rejects(new k.Client({ ...REMOTE, proxy: proxy.url }).tokens.request(), k.KopoKopoError)
        assert.deepEqual(proxy.seen, ['CONNECT k2.invalid:443 HTTP/1.1'])
        await assert.rejects(new k.Client({ ...REMOTE, proxy: 'none' }).tokens.request(), k.TransportError)
        await assert.rejects(new k.Client({ ...REMOTE }).tokens.request(), k.TransportError)
        assert.equal(proxy.seen.length, 1, 'no further proxy connection')
      })
    } finally {
      await proxy.close()
    }
  })

  it('proxy "env" (the default) reads HTTPS_PROXY, never HTTP_PROXY; "none" ignores the environment', async () => {
    const proxy = await recordingProxy()
    try {
      await withEnv({ ...NO_PROXY_ENV, HTTP_PROXY: proxy.url, http_proxy: proxy.url }, async () => {
        await assert.rejects(new k.Client(REMOTE).tokens.request(), k.TransportError)
        assert.equal(proxy.seen.length, 0, 'HTTP_PROXY is never read')
      })
      await withEnv({ ...NO_PROXY_ENV, HTTPS_PROXY: proxy.url }, async () => {
        await assert.rejects(new k.Client({ ...REMOTE, proxy: 'none' }).tokens.request(), k.TransportError)
        assert.equal(proxy.seen.length, 0, 'proxy "none"')
        await assert.rejects(new k.Client(REMOTE).tokens.request(), k.KopoKopoError)
        await assert.rejects(new k.Client({ ...REMOTE, proxy: 'env' }).tokens.request(), k.KopoKopoError)
        assert.deepEqual(proxy.seen, ['CONNECT k2.invalid:443 HTTP/1.1', 'CONNECT k2.invalid:443 HTTP/1.1'])
      })
    } finally {
      await proxy.close()
    }
  })

  it('the TypeScript declarations know `proxy` and InternalError (tsc --strict)', { timeout: 120_000 }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kopokopo-ts-'))
    try {
      fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true })
      fs.symlinkSync(PKG_DIR, path.join(dir, 'node_modules', 'kopokopo'), 'dir')
      fs.symlinkSync(path.join(PKG_DIR, 'node_modules', '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'), 'dir')
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"ts-check","private":true}')
      fs.writeFileSync(
        path.join(dir, 'ok.ts'),
        [
          "import { Client, InternalError, KopoKopoError, type ClientOptions, type ErrorCode } from 'kopokopo'",
          "const a: ClientOptions = { clientId: 'a', clientSecret: 'b', proxy: 'none' }",
          "const b: ClientOptions = { clientId: 'a', clientSecret: 'b', proxy: 'env', timeoutMs: 1000, connectTimeoutMs: 500 }",
          "const c: ClientOptions = { clientId: 'a', clientSecret: 'b', proxy: 'http://proxy:3128' }",
          "const code: ErrorCode = 'internal'",
          'export function f(e: unknown): string | null {',
          '  if (e instanceof InternalError) { const c2: \'internal\' = e.code; return c2 }',
          '  return e instanceof KopoKopoError ? e.code : null',
          '}',
          'export const clients = [a, b, c].map((o) => new Client(o)), codes = [code]',
          '',
        ].join('\n'),
      )
      fs.writeFileSync(path.join(dir, 'bad.ts'), "import { Client } from 'kopokopo'\nnew Client({ clientId: 'a', clientSecret: 'b', proxy: 3128 })\n")
      const tsc = path.join(PKG_DIR, 'node_modules', 'typescript', 'bin', 'tsc')
      const args = ['--noEmit', '--strict', '--module', 'nodenext', '--types', 'node']
      const ok = spawnSync(process.execPath, [tsc, ...args, 'ok.ts'], { cwd: dir, encoding: 'utf8' })
      assert.equal(ok.status, 0, `tsc failed:\n${ok.stdout}\n${ok.stderr}`)
      const bad = spawnSync(process.execPath, [tsc, ...args, 'bad.ts'], { cwd: dir, encoding: 'utf8' })
      assert.notEqual(bad.status, 0, 'tsc accepted proxy: 3128')
      assert.match(bad.stdout, /TS2322.*"env"/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

// -------------------------------------------------------- tolerant payloads
// Each mutation must parse, every property of the result must be readable,
// and the mutated field must still have the type lib/kopokopo.d.ts declares.

const API_KEY = 'robustness-test-api-key'
const hmac = (body) => crypto.createHmac('sha256', API_KEY).update(body).digest('hex')
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8'))

/** Reads every property of a parsed value (and stringifies every leaf); returns how many were read. */
function walk(v, seen = new Set()) {
  if (v === null || typeof v !== 'object') {
    String(v)
    return 1
  }
  if (seen.has(v)) return 0
  seen.add(v)
  let n = 1
  for (const key of Reflect.ownKeys(v)) {
    n += walk(v[key], seen)
  }
  JSON.stringify(v)
  return n
}

const MUTATIONS = [
  {
    name: 'settlement_transfer_completed: "disbursements": null',
    fixture: 'webhook.settlement_transfer_completed.k2.json',
    kind: 'webhook',
    mutate: (j) => {
      j.event.resource.disbursements = null
    },
    check: (w) => {
      assert.equal(w.topic, 'settlement_transfer_completed')
      assert.equal(w.resource.kind, 'settlement_transfer')
      assert.ok(Array.isArray(w.resource.disbursements), 'disbursements: array')
    },
  },
  {
    name: 'Daraja: BusinessShortCode as a number',
    fixture: 'webhook.buygoods_transaction_received.daraja.json',
    kind: 'webhook',
    mutate: (j) => {
      j.BusinessShortCode = 174379
    },
    check: (w) => {
      assert.equal(w.structure, 'daraja')
      assert.equal(w.TransactionType, 'Buygoods')
      assert.equal(w.BusinessShortCode, '174379', 'a number where text is expected is its text')
    },
  },
  {
    name: 'Daraja: TransTime: null',
    fixture: 'webhook.buygoods_transaction_received.daraja.json',
    kind: 'webhook',
    mutate: (j) => {
      j.TransTime = null
    },
    check: (w) => {
      assert.equal(w.structure, 'daraja')
      assert.equal(w.TransID, 'OJM6Q1W84K')
      assert.equal(typeof w.TransTime, 'string', 'TransTime: string')
    },
  },
  {
    name: 'card transaction: settled: 0',
    fixture: 'webhook.card_transaction_received.k2.json',
    kind: 'webhook',
    mutate: (j) => {
      j.event.resource.settled = 0
    },
    check: (w) => {
      assert.equal(w.topic, 'card_transaction_received')
      assert.equal(w.resource.kind, 'transaction')
      assert.equal(w.resource.settled, false, '0 is false')
    },
  },
  {
    name: 'buygoods transaction: amount: ""',
    fixture: 'webhook.buygoods_transaction_received.k2.json',
    kind: 'webhook',
    mutate: (j) => {
      j.event.resource.amount = ''
    },
    check: (w) => {
      assert.equal(w.topic, 'buygoods_transaction_received')
      assert.equal(w.resource.kind, 'transaction')
      assert.equal(w.resource.amount, null, 'an empty amount is absent')
    },
  },
  {
    name: 'incoming payment result: "event": null',
    fixture: 'result.incoming_payment.success.json',
    kind: 'result',
    mutate: (j) => {
      j.data.attributes.event = null
    },
    check: (r) => {
      assert.equal(r.kind, 'incoming_payment')
      assert.equal(r.value.id, 'a652f86f-f2aa-4d70-baa2-ccfe4b78f4fc')
      assert.equal(typeof r.value.event, 'object', 'event: object')
      assert.ok(Array.isArray(r.value.event.errors), 'event.errors: array')
    },
  },
  {
    name: 'polling result: a transaction with "resource": null',
    fixture: 'result.polling.success.json',
    kind: 'result',
    mutate: (j) => {
      j.data.attributes.transactions[0].resource = null
    },
    check: (r) => {
      assert.equal(r.kind, 'polling')
      assert.equal(r.value.transactions.length, fixture("result.polling.success.json").data.attributes.transactions.length)
    },
  },
  {
    name: 'send_money result: destination "favourite": "true"',
    fixture: 'result.send_money.success.json',
    kind: 'result',
    mutate: (j) => {
      j.data.attributes.destinations[0].favourite = 'true'
    },
    check: (r) => {
      assert.equal(r.kind, 'send_money')
      assert.equal(r.value.destinations.length, 2)
      assert.ok([true, false, null].includes(r.value.destinations[0].favourite), 'favourite: boolean | null')
    },
  },
]

describe('tolerant payloads (tests/fixtures with the mutations of the issue)', () => {
  const client = new k.Client({ ...MOCK, apiKey: API_KEY })

  for (const m of MUTATIONS) {
    it(m.name, () => {
      const j = fixture(m.fixture)
      m.mutate(j)
      const body = Buffer.from(JSON.stringify(j, null, 2))
      const sig = hmac(body)
      const parsers =
        m.kind === 'webhook'
          ? [(b, s) => k.parseWebhook(b, s, API_KEY), (b, s) => client.webhooks.parseWebhook(b, s)]
          : [(b, s) => k.parseResult(b, s, API_KEY), (b, s) => client.webhooks.parseResult(b, s)]
      for (const parse of parsers) {
        const parsed = parse(body, sig)
        m.check(parsed)
        assert.ok(walk(parsed) > 5)
        // The same through a string body and a Uint8Array.
        assert.deepEqual(parse(body.toString('utf8'), sig), parsed)
        assert.deepEqual(parse(new Uint8Array(body), sig), parsed)
      }
      // The signature still matters.
      assert.throws(() => parsers[0](body, hmac(Buffer.from('other'))), k.SignatureError)
    })
  }

  it('without the identifying key: DecodeError (K2 `topic`, result `data.type`)', () => {
    const cases = [
      ['webhook.buygoods_transaction_received.k2.json', 'webhook', (j) => delete j.topic],
      ['webhook.settlement_transfer_completed.k2.json', 'webhook', (j) => delete j.topic],
      ['result.incoming_payment.success.json', 'result', (j) => delete j.data.type],
      ['result.send_money.success.json', 'result', (j) => delete j.data.type],
    ]
    for (const [name, kind, mutate] of cases) {
      const j = fixture(name)
      mutate(j)
      const body = Buffer.from(JSON.stringify(j))
      const parse = kind === 'webhook' ? k.parseWebhook : k.parseResult
      assert.throws(() => parse(body, hmac(body), API_KEY), (e) => e instanceof k.DecodeError && e.code === 'decode_error', name)
      assert.throws(() => (kind === 'webhook' ? client.webhooks.parseWebhook : client.webhooks.parseResult)(body, hmac(body)), k.DecodeError, name)
    }
  })
})
