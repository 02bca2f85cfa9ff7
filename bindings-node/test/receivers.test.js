'use strict'
// kopokopo/express and kopokopo/http against real servers (app.listen(0) /
// http.createServer, requests with node:http): 200 for signed fixtures
// (webhooks and results), 401, 400, 413 (Content-Length and chunked), the raw
// bytes are what is verified (a re-serialised body fails), express.json()
// before the middleware fails loudly, express.raw() before it works, the
// dedupe helper, createWebhookHandler's store-then-acknowledge contract, and
// the declarations with tsc --strict (CommonJS and ES module resolution).

const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const os = require('node:os')
const path = require('node:path')
const { after, before, describe, it } = require('node:test')

const express = require('express')
const k = require('..')
const kx = require('kopokopo/express')
const kh = require('kopokopo/http')
const { FIXTURES_DIR, PKG_DIR } = require('./helpers')

const API_KEY = 'receiver-test-api-key'
const fixture = (name) => fs.readFileSync(path.join(FIXTURES_DIR, name))
const WEBHOOK = fixture('webhook.buygoods_transaction_received.k2.json')
const DARAJA = fixture('webhook.b2b_transaction_received.daraja.json')
const RESULT = fixture('result.incoming_payment.success.json')
const REVERSAL = fixture('result.reversal.success.json')

/** POSTs `body` with node:http; resolves to {status, text}. `chunked` sends without Content-Length. */
function post(url, body, { signature, chunked = false, method = 'POST', contentType = 'application/json' } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': contentType }
    if (signature !== undefined) headers['x-kopokopo-signature'] = signature
    if (!chunked && body !== undefined) headers['content-length'] = Buffer.byteLength(body)
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }))
    })
    req.on('error', reject)
    if (body === undefined) return req.end()
    if (!chunked) return req.end(body)
    // Without Content-Length: 64 KiB chunks, so the cap has to count.
    const buf = Buffer.from(body)
    let i = 0
    const pump = () => {
      while (i < buf.length) {
        const chunk = buf.subarray(i, i + 65536)
        i += chunk.length
        if (!req.write(chunk)) return req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}

const signed = (body) => ({ signature: k.sign(body, API_KEY) })

function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`))
  })
}

describe('kopokopo/express', () => {
  let server
  let url
  const seen = []
  const errors = []
  before(async () => {
    const app = express()
    const onError = (e) => errors.push(e)
    const record = (req, res) => {
      seen.push({ event: req.kopokopo, body: req.body })
      res.sendStatus(200)
    }
    app.post('/webhooks', kx.kopokopo({ apiKey: API_KEY, kind: 'webhook', onError }), record)
    app.post('/results', kx.kopokopo({ apiKey: API_KEY, kind: 'result' }), record)
    app.post('/auto', kx.kopokopo({ apiKey: API_KEY }), record)
    app.post('/small', kx.kopokopo({ apiKey: API_KEY, limit: 100 }), record)
    app.post('/after-json', express.json(), kx.kopokopo({ apiKey: API_KEY }), record)
    app.post('/after-raw', express.raw({ type: '*/*', limit: '2mb' }), kx.kopokopo({ apiKey: API_KEY, limit: 1024 * 1024 }), record)
    // Express's default error handler would print the stack: answer the status and keep the message.
    app.use((err, _req, res, _next) => {
      res.status(err.status ?? 500).type('text').send(err.message)
    })
    server = http.createServer(app)
    url = await listen(server)
  })
  after(() => new Promise((resolve) => server.close(resolve)))

  it('200 for a signed webhook (K2 and Daraja) and result; req.kopokopo typed, req.body the raw bytes', async () => {
    seen.length = 0
    assert.equal((await post(`${url}/webhooks`, WEBHOOK, signed(WEBHOOK))).status, 200)
    assert.equal((await post(`${url}/webhooks`, DARAJA, signed(DARAJA))).status, 200)
    assert.equal((await post(`${url}/results`, RESULT, signed(RESULT))).status, 200)
    assert.deepEqual(seen[0].event, k.parseWebhook(WEBHOOK, k.sign(WEBHOOK, API_KEY), API_KEY))
    assert.equal(seen[0].event.structure, 'k2')
    assert.equal(seen[0].event.topic, 'buygoods_transaction_received')
    assert.ok(Buffer.isBuffer(seen[0].body) && seen[0].body.equals(WEBHOOK))
    assert.equal(seen[1].event.structure, 'daraja')
    assert.equal(seen[2].event.kind, 'incoming_payment')
    assert.deepEqual(seen[2].event, k.parseResult(RESULT, k.sign(RESULT, API_KEY), API_KEY))
  })

  it("kind 'auto' tells webhooks from results", async () => {
    seen.length = 0
    for (const body of [WEBHOOK, DARAJA, RESULT, REVERSAL]) assert.equal((await post(`${url}/auto`, body, signed(body))).status, 200)
    assert.deepEqual(
      seen.map((s) => [kx.isWebhook(s.event), kx.isResult(s.event)]),
      [
        [true, false],
        [true, false],
        [false, true],
        [false, true],
      ],
    )
    assert.equal(seen[3].event.kind, 'reversal')
  })

  it('401 for a missing, wrong or other-key signature; a re-serialised body fails', async () => {
    errors.length = 0
    assert.equal((await post(`${url}/webhooks`, WEBHOOK)).status, 401)
    assert.equal((await post(`${url}/webhooks`, WEBHOOK, { signature: 'abc' })).status, 401)
    assert.equal((await post(`${url}/webhooks`, WEBHOOK, { signature: k.sign(WEBHOOK, 'other-key') })).status, 401)
    // The same JSON, re-serialised (what express.json() + JSON.stringify would verify), is refused.
    const reserialised = JSON.stringify(JSON.parse(WEBHOOK))
    assert.notEqual(reserialised, WEBHOOK.toString())
    assert.equal((await post(`${url}/webhooks`, reserialised, signed(WEBHOOK))).status, 401)
    assert.equal((await post(`${url}/auto`, reserialised, signed(WEBHOOK))).status, 401)
    assert.ok(errors.every((e) => e instanceof k.SignatureError && e.status === 401))
    assert.equal(errors.length, 4)
  })

  it('400 for a signed body that is not an event (or the wrong kind)', async () => {
    for (const body of ['[]', 'not json', '{"data":{}}']) {
      assert.equal((await post(`${url}/results`, body, signed(body))).status, 400, body)
      assert.equal((await post(`${url}/auto`, body, signed(body))).status, 400, body)
    }
    assert.equal((await post(`${url}/webhooks`, RESULT, signed(RESULT))).status, 400)
    assert.equal((await post(`${url}/results`, WEBHOOK, signed(WEBHOOK))).status, 400)
  })

  it('413 over the limit, with Content-Length and chunked; at the limit the body is verified', async () => {
    const big = Buffer.alloc(101, 0x20)
    assert.equal((await post(`${url}/small`, big, signed(big))).status, 413)
    assert.equal((await post(`${url}/small`, big, { ...signed(big), chunked: true })).status, 413)
    const huge = Buffer.alloc(3 * 1024 * 1024, 0x20)
    assert.equal((await post(`${url}/auto`, huge, { ...signed(huge), chunked: true })).status, 413)
    assert.equal((await post(`${url}/auto`, huge, signed(huge))).status, 413)
    const atCap = Buffer.alloc(100, 0x20)
    assert.equal((await post(`${url}/small`, atCap, { signature: 'bad' })).status, 401)
    assert.equal((await post(`${url}/small`, atCap, signed(atCap))).status, 400)
    // The server still answers afterwards.
    assert.equal((await post(`${url}/webhooks`, WEBHOOK, signed(WEBHOOK))).status, 200)
  })

  it('express.json() before the middleware fails loudly (BodyConsumedError, 500)', async () => {
    const r = await post(`${url}/after-json`, WEBHOOK, signed(WEBHOOK))
    assert.equal(r.status, 500)
    assert.match(r.text, /already consumed/)
    assert.match(r.text, /express\.json\(\)/)
    // A body express.json() skipped (another content type) is still read raw by the middleware.
    assert.equal((await post(`${url}/after-json`, WEBHOOK, { ...signed(WEBHOOK), contentType: 'text/plain' })).status, 200)
  })

  it('express.raw() before the middleware: its Buffer is the raw body (still capped)', async () => {
    assert.equal((await post(`${url}/after-raw`, WEBHOOK, signed(WEBHOOK))).status, 200)
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20)
    assert.equal((await post(`${url}/after-raw`, big, signed(big))).status, 413)
  })

  it('refuses bad options when the middleware is created', () => {
    assert.throws(() => kx.kopokopo({}), k.InvalidArgumentError)
    assert.throws(() => kx.kopokopo({ apiKey: '' }), /apiKey/)
    assert.throws(() => kx.kopokopo({ apiKey: 'k', kind: 'webhooks' }), /kind/)
    assert.throws(() => kx.kopokopo({ apiKey: 'k', limit: '1mb' }), /limit/)
    assert.throws(() => kx.kopokopo({ apiKey: 'k', onError: 1 }), /onError/)
  })
})

describe('kopokopo/http', () => {
  let server
  let url
  before(async () => {
    server = http.createServer(async (req, res) => {
      const u = new URL(req.url, 'http://x')
      const kind = u.searchParams.get('kind') ?? undefined
      const limit = u.searchParams.has('limit') ? Number(u.searchParams.get('limit')) : undefined
      try {
        const event = await kh.readWebhook(req, { apiKey: API_KEY, kind, limit })
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event))
      } catch (e) {
        res.writeHead(e.status ?? 500).end(e.constructor.name)
      }
    })
    url = await listen(server)
  })
  after(() => new Promise((resolve) => server.close(resolve)))

  it('readWebhook: 200 with the parsed webhook / result', async () => {
    let r = await post(`${url}/?kind=webhook`, WEBHOOK, signed(WEBHOOK))
    assert.equal(r.status, 200)
    assert.deepEqual(JSON.parse(r.text), k.parseWebhook(WEBHOOK, k.sign(WEBHOOK, API_KEY), API_KEY))
    r = await post(`${url}/?kind=result`, RESULT, signed(RESULT))
    assert.equal(r.status, 200)
    assert.equal(JSON.parse(r.text).kind, 'incoming_payment')
    r = await post(`${url}/`, DARAJA, signed(DARAJA))
    assert.equal(JSON.parse(r.text).structure, 'daraja')
  })

  it('readWebhook: typed errors with the status to answer', async () => {
    assert.deepEqual(await post(`${url}/`, WEBHOOK), { status: 401, text: 'SignatureError' })
    const reserialised = JSON.stringify(JSON.parse(WEBHOOK), null, 1)
    assert.deepEqual(await post(`${url}/`, reserialised, signed(WEBHOOK)), { status: 401, text: 'SignatureError' })
    assert.deepEqual(await post(`${url}/?kind=result`, '{}', signed('{}')), { status: 400, text: 'DecodeError' })
    assert.deepEqual(await post(`${url}/?kind=webhook`, RESULT, signed(RESULT)), { status: 400, text: 'DecodeError' })
    const big = Buffer.alloc(2000, 0x20)
    assert.deepEqual(await post(`${url}/?limit=1000`, big, signed(big)), { status: 413, text: 'PayloadTooLargeError' })
    assert.deepEqual(await post(`${url}/?limit=1000`, big, { ...signed(big), chunked: true }), { status: 413, text: 'PayloadTooLargeError' })
    const huge = Buffer.alloc(1024 * 1024 + 1, 0x20)
    assert.deepEqual(await post(`${url}/`, huge, { ...signed(huge), chunked: true }), { status: 413, text: 'PayloadTooLargeError' })
  })

  it('readRawBody refuses a stream that was already read', async () => {
    const { Readable } = require('node:stream')
    const req = Readable.from([Buffer.from('abc')])
    req.headers = {}
    for await (const _ of req) {
      // consume
    }
    await assert.rejects(kh.readRawBody(req), kh.BodyConsumedError)
    const fresh = Readable.from([Buffer.from('ab'), Buffer.from('c')])
    fresh.headers = {}
    assert.equal((await kh.readRawBody(fresh)).toString(), 'abc')
    const over = Readable.from([Buffer.from('ab'), Buffer.from('c')])
    over.headers = {}
    await assert.rejects(kh.readRawBody(over, { limit: 2 }), (e) => e instanceof kh.PayloadTooLargeError && e.status === 413 && e.limit === 2)
  })

  it('createWebhookHandler: 200 only after onEvent resolved; 500 when it threw; dedupe by id', async () => {
    const stored = new Map()
    let failNext = false
    const dedupe = new kh.InMemoryDedupe({ ttlMs: 60_000 })
    const calls = []
    const reported = []
    const handler = kh.createWebhookHandler({ apiKey: API_KEY, dedupe, onError: (e) => reported.push(e) }, async (event, ctx) => {
      calls.push(ctx.id)
      await new Promise((r) => setTimeout(r, 20)) // a slow store: the answer waits for it
      if (failNext) {
        failNext = false
        throw new Error('database down')
      }
      stored.set(ctx.id, { event, body: ctx.body })
    })
    const srv = http.createServer(handler)
    const u = await listen(srv)
    try {
      failNext = true
      assert.equal((await post(u, WEBHOOK, signed(WEBHOOK))).status, 500) // not stored: Kopo Kopo retries
      assert.equal(stored.size, 0)
      assert.equal(reported.at(-1).message, 'database down')
      assert.equal((await post(u, WEBHOOK, signed(WEBHOOK))).status, 200) // the retry is stored
      assert.equal((await post(u, WEBHOOK, signed(WEBHOOK))).status, 200) // a redelivery: acknowledged, not handled again
      assert.equal((await post(u, RESULT, signed(RESULT))).status, 200)
      const id = kh.eventId(k.parseWebhook(WEBHOOK, k.sign(WEBHOOK, API_KEY), API_KEY))
      assert.match(id, /^webhook:\S+$/)
      assert.deepEqual(calls, [id, id, kh.eventId(k.parseResult(RESULT, k.sign(RESULT, API_KEY), API_KEY))])
      assert.ok(stored.get(id).body.equals(WEBHOOK))
      assert.equal((await post(u, WEBHOOK)).status, 401)
      assert.equal((await post(u, '[]', signed('[]'))).status, 400)
      assert.equal((await post(u, undefined, { method: 'GET' })).status, 405)
    } finally {
      await new Promise((r) => srv.close(r))
    }
  })

  it('eventId: webhook id, Daraja TransID, result kind+id+status', () => {
    const w = k.parseWebhook(WEBHOOK, k.sign(WEBHOOK, API_KEY), API_KEY)
    assert.equal(kh.eventId(w), `webhook:${w.id}`)
    const d = k.parseWebhook(DARAJA, k.sign(DARAJA, API_KEY), API_KEY)
    assert.equal(kh.eventId(d), `daraja:${d.TransID}`)
    const r = k.parseResult(RESULT, k.sign(RESULT, API_KEY), API_KEY)
    assert.equal(kh.eventId(r), `result:incoming_payment:${r.value.id}:${r.value.status}`)
    const unknown = '{"data":{"id":"u1","type":"refund","attributes":{"status":"Success"}}}'
    assert.equal(kh.eventId(k.decodeResult(unknown)), 'result:unknown:refund:u1:Success')
    assert.equal(kh.eventId(k.decodeWebhook('{"topic":"x"}')), null)
  })

  it('InMemoryDedupe: TTL and size bound', () => {
    let now = 1000
    const d = new kh.InMemoryDedupe({ ttlMs: 100, maxEntries: 3, now: () => now })
    d.add('a')
    assert.ok(d.has('a'))
    now += 99
    assert.ok(d.has('a'))
    now += 1
    assert.ok(!d.has('a'), 'expired after ttlMs')
    for (const id of ['b', 'c', 'd', 'e']) d.add(id)
    assert.equal(d.size, 3)
    assert.ok(!d.has('b'), 'the oldest is dropped first')
    assert.ok(d.has('e'))
    d.add(null)
    assert.equal(d.size, 3)
    assert.ok(d.delete('e'))
    d.clear()
    assert.equal(d.size, 0)
    assert.throws(() => new kh.InMemoryDedupe({ ttlMs: 0 }), /ttlMs/)
  })
})

it('ES module entries are the CommonJS objects', async () => {
  const esmExpress = await import('kopokopo/express')
  const esmHttp = await import('kopokopo/http')
  assert.equal(esmExpress.kopokopo, kx.kopokopo)
  assert.equal(esmExpress.default, kx.kopokopo)
  assert.equal(esmHttp.readWebhook, kh.readWebhook)
  assert.equal(esmHttp.InMemoryDedupe, kx.InMemoryDedupe)
})

it('the declarations of kopokopo/express and kopokopo/http type-check (tsc --strict)', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kopokopo-ts-receivers-'))
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true })
    fs.symlinkSync(PKG_DIR, path.join(dir, 'node_modules', 'kopokopo'), 'dir')
    fs.symlinkSync(path.join(PKG_DIR, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir')
    fs.symlinkSync(path.join(PKG_DIR, 'node_modules', 'express'), path.join(dir, 'node_modules', 'express'), 'dir')
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"ts-check","private":true}')
    const body = [
      "import * as http from 'node:http'",
      'const app = express()',
      "app.post('/k2/webhooks', kopokopo({ apiKey: 'k', kind: 'webhook', limit: 65536 }), (req, res) => {",
      '  const e = req.kopokopo',
      '  if (e && isWebhook(e) && e.structure === "k2") { const t: string = e.topic; res.send(t) }',
      '  else res.sendStatus(200)',
      '})',
      'const dedupe = new InMemoryDedupe({ ttlMs: 1000 })',
      "http.createServer(createWebhookHandler({ apiKey: 'k', kind: 'result', dedupe }, async (event, ctx) => {",
      "  if (event.kind === 'incoming_payment') { const s: string = event.value.status; void s }",
      '  const raw: Buffer = ctx.body; const id: string | null = ctx.id; void raw; void id',
      '}))',
      'export async function plain(req: http.IncomingMessage): Promise<string> {',
      '  try {',
      "    const w = await readWebhook(req, { apiKey: 'k', kind: 'webhook' })",
      "    return w.structure === 'daraja' ? w.TransID : w.id",
      '  } catch (e) {',
      '    if (e instanceof PayloadTooLargeError) return String(e.limit + e.status)',
      "    if (e instanceof SignatureError) return 'sig'",
      "    return (e as ReceiveError).status === 400 ? 'bad' : 'other'",
      '  }',
      '}',
      'export const key: string | null = eventId(null as unknown as Webhook)',
      '',
    ].join('\n')
    fs.writeFileSync(
      path.join(dir, 'ok.ts'),
      [
        "import express = require('express')",
        "import { kopokopo, isWebhook, InMemoryDedupe, eventId, PayloadTooLargeError } from 'kopokopo/express'",
        "import { createWebhookHandler, readWebhook, SignatureError, type ReceiveError } from 'kopokopo/http'",
        "import type { Webhook } from 'kopokopo'",
        body,
      ].join('\n'),
    )
    fs.writeFileSync(
      path.join(dir, 'ok.mts'),
      [
        "import express from 'express'",
        "import kopokopo, { isWebhook, InMemoryDedupe, eventId, PayloadTooLargeError } from 'kopokopo/express'",
        "import { createWebhookHandler, readWebhook, SignatureError, type ReceiveError } from 'kopokopo/http'",
        "import type { Webhook } from 'kopokopo'",
        body,
      ].join('\n'),
    )
    // A result handler given a webhook-only field, and a limit as text, are type errors.
    fs.writeFileSync(
      path.join(dir, 'bad.ts'),
      [
        "import { createWebhookHandler } from 'kopokopo/http'",
        "import { kopokopo } from 'kopokopo/express'",
        "createWebhookHandler({ apiKey: 'k', kind: 'result' }, (event) => { const t: string = event.topic; void t })",
        "kopokopo({ apiKey: 'k', limit: '1mb' })",
        '',
      ].join('\n'),
    )
    const tsc = path.join(PKG_DIR, 'node_modules', 'typescript', 'bin', 'tsc')
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--types', 'node,express']
    for (const file of ['ok.ts', 'ok.mts']) {
      const ok = spawnSync(process.execPath, [tsc, ...args, file], { cwd: dir, encoding: 'utf8' })
      assert.equal(ok.status, 0, `tsc ${file} failed:\n${ok.stdout}\n${ok.stderr}`)
    }
    const bad = spawnSync(process.execPath, [tsc, ...args, 'bad.ts'], { cwd: dir, encoding: 'utf8' })
    assert.notEqual(bad.status, 0, 'tsc accepted bad.ts')
    assert.match(bad.stdout, /topic/)
    assert.match(bad.stdout, /bad\.ts\(4,/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
