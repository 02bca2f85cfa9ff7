'use strict'
// Fault matrix through Node: a hostile HTTP server on 127.0.0.1 (in this
// process) that counts token requests, one case per fault. Prints a table:
// outcome, longest call duration against the deadline, token requests.

const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const net = require('node:net')
const path = require('node:path')
const { performance } = require('node:perf_hooks')
const { after, before, describe, it } = require('node:test')

const k = require('..')
const { FIXTURES_DIR, MOCK } = require('./helpers')

const ID = 'a652f86f-f2aa-4d70-baa2-ccfe4b78f4fc'
const STATUS_PATH = `/api/v2/incoming_payments/${ID}`
const STATUS_BODY = fs.readFileSync(path.join(FIXTURES_DIR, 'response.incoming_payment.status.success.json'))
const MiB = 1024 * 1024
const THREADPOOL = Number(process.env.UV_THREADPOOL_SIZE) || 4

/** A token response, written as text so that any number (even 2^64-1) goes out verbatim. */
const tokenText = (token, expiresIn = '3600') =>
  `{"access_token":${JSON.stringify(token)},"token_type":"Bearer","expires_in":${expiresIn},"created_at":"2026-04-27T00:09:15+03:00"}`

/** The hostile server: `onToken` / `onStatus` are set per case; every request is counted. */
function startHostile() {
  const state = { token: 0, status: 0, other: [], onToken: null, onStatus: null }
  const sockets = new Set()
  const server = http.createServer((req, res) => {
    res.on('error', () => {})
    req.on('error', () => {})
    req.resume()
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/oauth/token') {
        state.token++
        return state.onToken(req, res, state.token)
      }
      if (req.method === 'GET' && req.url === STATUS_PATH) {
        state.status++
        return state.onStatus(req, res, state.status)
      }
      state.other.push(`${req.method} ${req.url}`)
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error_message":"not found"}')
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => {})
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const baseUrl = `http://127.0.0.1:${server.address().port}`
      const reset = (onToken, onStatus) => {
        for (const s of sockets) s.destroy()
        Object.assign(state, { token: 0, status: 0, other: [], onToken, onStatus })
      }
      const close = () => {
        for (const s of sockets) s.destroy()
        return new Promise((r) => server.close(() => r()))
      }
      const dropConnections = () => {
        for (const s of sockets) s.destroy()
      }
      resolve({ baseUrl, state, reset, close, dropConnections })
    }),
  )
}

/** A plain TCP listener that records connections (and, for HTTP, request lines). */
function startRecorder() {
  const seen = []
  const server = net.createServer((s) => {
    seen.push({ at: Date.now(), data: '' })
    const entry = seen[seen.length - 1]
    s.on('data', (d) => {
      entry.data += d
    })
    s.on('error', () => {})
    s.end('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n')
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: server.address().port, seen, close: () => new Promise((r) => server.close(() => r())) }),
    ),
  )
}

const okToken = (_req, res, n) => res.writeHead(200, { 'content-type': 'application/json' }).end(tokenText(`token-${n}`))
const okStatus = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(STATUS_BODY)

/** Runs `fn()`, resolving to {ok, value | error, ms}. */
async function timed(fn) {
  const t = performance.now()
  try {
    const value = await fn()
    return { ok: true, value, ms: performance.now() - t }
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t }
  }
}

const outcome = (results) => {
  const counts = new Map()
  for (const r of results) {
    const key = r.ok ? 'ok' : `${r.error.code}${r.error.httpStatus ? ` ${r.error.httpStatus}` : ''}`
    counts.set(key, (counts.get(key) || 0) + 1)
  }
  return [...counts].map(([key, n]) => `${n}x ${key}`).join(', ')
}
const longest = (results) => Math.max(...results.map((r) => r.ms))

const rows = []
function record(kase, results, deadlineMs, tokens, note) {
  rows.push({
    case: kase,
    outcome: outcome(results),
    longest: `${Math.round(longest(results))} ms / ${deadlineMs} ms`,
    tokens: String(tokens),
    note: note || '',
  })
}

function printTable() {
  const cols = [
    ['case', 'case'],
    ['outcome', 'outcome'],
    ['longest', 'longest call / deadline'],
    ['tokens', 'token requests'],
    ['note', 'note'],
  ]
  const width = cols.map(([key, title]) => Math.max(title.length, ...rows.map((r) => r[key].length)))
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(' | ')} |`
  const out = [
    `fault matrix (Node ${process.version}, libuv thread pool: ${THREADPOOL} threads)`,
    line(cols.map(([, title]) => title)),
    `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) => line(cols.map(([key]) => r[key]))),
  ]
  console.log(out.join('\n'))
}

let hostile

before(async () => {
  hostile = await startHostile()
})

after(async () => {
  printTable()
  await hostile?.close()
})

describe('fault matrix', () => {
  it('(a) token endpoint hangs: 8 concurrent calls all time out by the deadline, one token request', async () => {
    hostile.reset(() => {}, okStatus) // never answers
    const client = new k.Client({ ...MOCK, baseUrl: hostile.baseUrl, timeoutMs: 1000 })
    const started = performance.now()
    const calls = Array.from({ length: 8 }, () => timed(() => client.incomingPayments.status(ID)))
    // A small file read (libuv thread pool) started while the calls are in flight.
    await new Promise((r) => setTimeout(r, 100))
    const read = timed(() => fs.promises.readFile(__filename))
    const results = await Promise.all(calls)
    const file = await read
    const readStartedAt = 100
    hostile.dropConnections()
    const pool = `fs.readFile started at +${readStartedAt} ms took ${Math.round(file.ms)} ms`
    record('(a) token hangs, 8 calls', results, 1000, hostile.state.token, pool)
    for (const r of results) {
      assert.equal(r.ok, false)
      assert.equal(r.error.code, 'timeout', r.error.message)
      assert.ok(r.error instanceof k.TimeoutError)
      assert.ok(r.ms < 1500, `a call took ${Math.round(r.ms)} ms`)
    }
    assert.ok(hostile.state.token <= 2, `${hostile.state.token} token requests`)
    assert.equal(hostile.state.status, 0)
    assert.ok(file.ok)
    assert.ok(performance.now() - started < 1500)
    // 8 blocking calls on a pool of 4: the file read queues behind the calls
    // that are still waiting for a thread. With a pool larger than the number
    // of calls it must not wait for them.
    if (THREADPOOL > 8) assert.ok(file.ms < 500, pool)
    else assert.ok(file.ms < 1500, pool)
  })

  it("(a') the same with UV_THREADPOOL_SIZE=16 (child process): the file read does not wait", { timeout: 30_000 }, () => {
    // One pool thread per call in flight and nothing more: with a pool larger
    // than the number of calls, other pool work is not delayed at all.
    const child = spawnSync(process.execPath, ['-e', `
      const http = require('node:http'), fs = require('node:fs'), { performance } = require('node:perf_hooks')
      const k = require(${JSON.stringify(path.resolve(__dirname, '..'))})
      let tokens = 0
      const server = http.createServer((req) => { if (req.url === '/oauth/token') tokens++ }) // never answers
      server.listen(0, '127.0.0.1', async () => {
        const client = new k.Client({ clientId: 'a', clientSecret: 'b', baseUrl: 'http://127.0.0.1:' + server.address().port, timeoutMs: 1000 })
        const t0 = performance.now()
        const calls = Array.from({ length: 8 }, () => client.incomingPayments.status(${JSON.stringify(ID)})
          .then(() => 'ok', (e) => e.code).then((code) => ({ code, ms: performance.now() - t0 })))
        await new Promise((r) => setTimeout(r, 100))
        const r0 = performance.now()
        await fs.promises.readFile(${JSON.stringify(__filename)})
        const readMs = performance.now() - r0
        const results = await Promise.all(calls)
        console.log(JSON.stringify({ results, readMs, tokens }))
        process.exit(0)
      })
    `], { encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '16' } })
    assert.equal(child.status, 0, child.stderr)
    const { results, readMs, tokens } = JSON.parse(child.stdout.trim())
    const pool = `fs.readFile started at +100 ms took ${Math.round(readMs)} ms`
    record("(a') same, UV_THREADPOOL_SIZE=16", results.map((r) => ({ ok: r.code === 'ok', error: { code: r.code }, ms: r.ms })), 1000, tokens, pool)
    for (const r of results) {
      assert.equal(r.code, 'timeout')
      assert.ok(r.ms < 1500, `a call took ${Math.round(r.ms)} ms`)
    }
    assert.ok(tokens <= 2, `${tokens} token requests`)
    assert.ok(readMs < 500, pool)
  })

  it('(b) token endpoint answers 503 always: 8 concurrent calls all fail by the deadline', async () => {
    for (const maxRetries of [0, undefined]) {
      hostile.reset(
        (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"error_message":"unavailable"}'),
        okStatus,
      )
      const client = new k.Client({ ...MOCK, baseUrl: hostile.baseUrl, timeoutMs: 1000, maxRetries })
      const results = await Promise.all(Array.from({ length: 8 }, () => timed(() => client.incomingPayments.status(ID))))
      const label = maxRetries === 0 ? '(b) token 503, 8 calls, maxRetries 0' : '(b) token 503, 8 calls, maxRetries 2 (default)'
      record(label, results, 1000, hostile.state.token, maxRetries === 0 ? '' : 'a shared token fetch is retried at most once')
      for (const r of results) {
        assert.equal(r.ok, false)
        assert.ok(r.error instanceof k.KopoKopoError)
        assert.ok(r.ms < 1500, `a call took ${Math.round(r.ms)} ms`)
      }
      // One token fetch (with its retries) serves every caller: 2 fetches at most.
      // One shared fetch, retried at most once whatever maxRetries (docs/robustness.md).
      assert.ok(hostile.state.token <= 2, `${hostile.state.token} token requests`)
      assert.equal(hostile.state.status, 0)
    }
  })

  it('(c) expires_in 18446744073709551615: the call succeeds, the next one reuses the token', async () => {
    hostile.reset((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(tokenText('huge-expiry', '18446744073709551615')), okStatus)
    const client = new k.Client({ ...MOCK, baseUrl: hostile.baseUrl, timeoutMs: 5000 })
    const first = await timed(() => client.incomingPayments.status(ID))
    const second = await timed(() => client.incomingPayments.status(ID))
    record('(c) expires_in 2^64-1, 2 calls', [first, second], 5000, hostile.state.token)
    assert.ok(first.ok, first.error?.message)
    assert.ok(second.ok, second.error?.message)
    assert.equal(first.value.id, ID)
    assert.equal(hostile.state.token, 1)
    assert.equal(hostile.state.status, 2)
  })

  it('(d) access_token with CR/LF: DecodeError, not cached: the next call requests a token again', async () => {
    hostile.reset((_req, res, n) => res.writeHead(200, { 'content-type': 'application/json' }).end(tokenText(`bad${n}\r\nX-Injected: 1`)), okStatus)
    const client = new k.Client({ ...MOCK, baseUrl: hostile.baseUrl, timeoutMs: 5000 })
    const first = await timed(() => client.incomingPayments.status(ID))
    // A failed token fetch is answered to later callers for 1 s (TOKEN_FAILURE_HOLD): wait past it.
    await new Promise((r) => setTimeout(r, 1100))
    const second = await timed(() => client.incomingPayments.status(ID))
    record('(d) token with CR/LF, 2 calls 1.1 s apart', [first, second], 5000, hostile.state.token, 'failure held 1 s, then fetched again')
    for (const r of [first, second]) {
      assert.equal(r.ok, false)
      assert.ok(r.error instanceof k.DecodeError, `${r.error.name}: ${r.error.message}`)
      assert.doesNotMatch(r.error.message, /bad\d/, 'the token is not in the message')
    }
    assert.equal(hostile.state.token, 2)
    assert.equal(hostile.state.status, 0, 'no request carried the token')
  })

  it('(e) status answered 302 to another listener: ApiError 302, the redirect is not followed', async () => {
    const other = await startRecorder()
    try {
      hostile.reset(okToken, (_req, res) =>
        res.writeHead(302, { location: `http://127.0.0.1:${other.port}${STATUS_PATH}`, 'content-length': '0' }).end(),
      )
      const client = new k.Client({ ...MOCK, baseUrl: hostile.baseUrl, timeoutMs: 5000 })
      const r = await timed(() => client.incomingPayments.status(ID))
      record('(e) status 302 elsewhere', [r], 5000, hostile.state.token, `second listener: ${other.seen.length} connections`)
      assert.equal(r.ok, false)
      assert.ok(r.error instanceof k.ApiError, `${r.error.name}: ${r.error.message}`)
      assert.equal(r.error.httpStatus, 302)
      assert.equal(other.seen.length, 0)
      assert.equal(hostile.state.status, 1)
    } finally {
      await other.close()
    }
  })

  it('(f) status with a 17 MiB body: DecodeError, fetched once', async () => {
    const big = Buffer.alloc(17 * MiB, 0x20)
    Buffer.from('{"data":{"id":"x","padding":"').copy(big)
    Buffer.from('"}}').copy(big, big.length - 3)
    hostile.reset(okToken, (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length) }).end(big),
    )
    const client = new k.Client({ ...MOCK, baseUrl: hostile.baseUrl, timeoutMs: 5000 })
    const r = await timed(() => client.incomingPayments.status(ID))
    record('(f) status body 17 MiB', [r], 5000, hostile.state.token, `status requests: ${hostile.state.status}`)
    assert.equal(r.ok, false)
    assert.ok(r.error instanceof k.DecodeError, `${r.error.name}: ${r.error.message}`)
    assert.equal(hostile.state.status, 1)
  })

  it('(g) HTTP_PROXY/HTTPS_PROXY/ALL_PROXY set, loopback base URL: no proxy is used', async () => {
    const proxy = await startRecorder()
    const names = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'NO_PROXY', 'no_proxy']
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]))
    try {
      for (const n of names) delete process.env[n]
      for (const n of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) {
        process.env[n] = `http://127.0.0.1:${proxy.port}`
      }
      hostile.reset(okToken, okStatus)
      const client = new k.Client({ ...MOCK, baseUrl: hostile.baseUrl, timeoutMs: 5000 })
      const results = [await timed(() => client.incomingPayments.status(ID)), await timed(() => client.incomingPayments.status(ID))]
      record('(g) *_PROXY set, loopback base URL', results, 5000, hostile.state.token, `proxy: ${proxy.seen.length} connections`)
      for (const r of results) assert.ok(r.ok, r.error?.message)
      assert.equal(proxy.seen.length, 0)
      assert.equal(hostile.state.token, 1)
    } finally {
      for (const n of names) {
        if (saved[n] === undefined) delete process.env[n]
        else process.env[n] = saved[n]
      }
      await proxy.close()
    }
  })
})
