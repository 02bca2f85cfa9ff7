'use strict'
// Runs examples/node against `k2 mock`: the quickstart, the Express receiver
// (kopokopo/express middleware) and the node:http receiver (kopokopo/http
// createWebhookHandler): raw body verified, bodies over 1 MiB refused with 413,
// redeliveries acknowledged; type-checks the TypeScript examples with `tsc --noEmit`. The examples are copied into a
// temporary project whose node_modules links `kopokopo` (this package) and
// the dev dependencies, so `require('kopokopo')`/`import 'kopokopo'` resolve
// exactly as in a user's project (through package.json "exports").

const assert = require('node:assert/strict')
const { spawn, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')
const { after, before, describe, it } = require('node:test')

const k = require('..')
const { EXAMPLES_DIR, MOCK, PKG_DIR, startMock, startReceiver } = require('./helpers')

let mock
let receiver
let project

function link(target, name) {
  const p = path.join(project, 'node_modules', name)
  fs.mkdirSync(path.dirname(p), { recursive: true })
  fs.symlinkSync(target, p, 'dir')
}

before(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'kopokopo-examples-'))
  for (const f of fs.readdirSync(EXAMPLES_DIR)) {
    const src = path.join(EXAMPLES_DIR, f)
    if (fs.statSync(src).isFile()) fs.copyFileSync(src, path.join(project, f))
  }
  link(PKG_DIR, 'kopokopo')
  link(path.join(PKG_DIR, 'node_modules', 'express'), 'express')
  link(path.join(PKG_DIR, 'node_modules', '@types'), '@types')
  mock = await startMock(['--callback-delay-ms', '50'])
  receiver = await startReceiver()
})

after(async () => {
  await mock?.stop()
  await receiver?.close()
  if (project) fs.rmSync(project, { recursive: true, force: true })
})

const env = () => ({
  ...process.env,
  K2_CLIENT_ID: MOCK.clientId,
  K2_CLIENT_SECRET: MOCK.clientSecret,
  K2_API_KEY: MOCK.apiKey,
  K2_BASE_URL: mock.baseUrl,
  K2_CALLBACK_URL: `${receiver.url}/quickstart-results`,
})

/** Starts a receiver example; resolves to {url, lines, stop} once it printed its URL. */
function startExample(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: project, env: env(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => reject(new Error(`${file} exited with ${code}: ${stderr}`)))
    const lines = []
    const waiters = []
    const rl = readline.createInterface({ input: child.stdout })
    rl.on('line', (line) => {
      if (lines.length === 0 && !line.startsWith('http')) return reject(new Error(`unexpected first line ${line}`))
      lines.push(line)
      for (const w of [...waiters]) if (w.pred(line)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(line)
      if (lines.length === 1) {
        resolve({
          url: line.trim(),
          lines,
          waitFor: (pred, ms = 10000) =>
            new Promise((res, rej) => {
              const found = lines.find(pred)
              if (found) return res(found)
              waiters.push({ pred, resolve: res })
              setTimeout(() => rej(new Error(`${file}: no matching line in ${ms} ms; got ${JSON.stringify(lines)} ${stderr}`)), ms).unref()
            }),
          stop: () =>
            new Promise((res) => {
              child.removeAllListeners('exit')
              child.once('exit', res)
              child.kill('SIGTERM')
            }),
        })
      }
    })
  })
}

async function post(url, body, signature) {
  const headers = { 'content-type': 'application/json' }
  if (signature !== undefined) headers['X-KopoKopo-Signature'] = signature
  const r = await fetch(url, { method: 'POST', headers, body })
  return r.status
}

it('quickstart.js runs against k2 mock', { timeout: 60_000 }, () => {
  const r = spawnSync(process.execPath, ['quickstart.js'], { cwd: project, env: env(), encoding: 'utf8', timeout: 50_000 })
  assert.equal(r.status, 0, `quickstart failed:\n${r.stdout}\n${r.stderr}`)
  assert.match(r.stdout, /STK push requested: http/)
  assert.match(r.stdout, /Payment \S+: Success \(KES 150(\.0+)?, ref \S+\)/)
  assert.match(r.stdout, /Payment link \S+: Active/)
  assert.match(r.stdout, /Refused locally: field phoneNumber \(invalid_argument\): \S/)
  assert.ok(!r.stdout.includes(MOCK.clientSecret), 'the quickstart output shows no secret')
})

for (const file of ['express-webhooks.js', 'http-webhooks.js']) {
  describe(file, () => {
    let app
    before(async () => {
      app = await startExample(file)
    })
    after(async () => {
      await app?.stop()
    })

    it('accepts a signed webhook delivered by k2 mock (raw body verified)', async () => {
      await mock.admin('/__admin/trigger', { topic: 'buygoods_transaction_received', url: `${app.url}/k2/webhooks` })
      await app.waitFor((l) => l.startsWith('webhook buygoods_transaction_received'))
      await mock.admin('/__admin/trigger', { topic: 'b2b_transaction_received', url: `${app.url}/k2/webhooks`, daraja: true })
      await app.waitFor((l) => /^webhook daraja \S+ \d/.test(l))
    })

    it('accepts a signed result callback from a real create', async () => {
      const client = new k.Client({ ...MOCK, baseUrl: mock.baseUrl })
      const created = await client.reversals.create({
        transactionReference: 'OJJ1MPU40Z',
        reason: 'example test',
        callbackUrl: `${app.url}/k2/results`,
      })
      await app.waitFor((l) => l.startsWith(`result reversal ${created.id}`))
    })

    it('refuses a bad signature (401) and a signed non-event (400)', async () => {
      const body = '{"topic":"customer_created","id":"c1"}'
      assert.equal(await post(`${app.url}/k2/webhooks`, body, k.sign(body, 'wrong-key')), 401)
      assert.equal(await post(`${app.url}/k2/webhooks`, body), 401)
      // Re-serialised JSON (what express.json() would hand over) does not verify.
      const spaced = JSON.stringify(JSON.parse(body), null, 1)
      assert.equal(await post(`${app.url}/k2/webhooks`, spaced, k.sign(body, MOCK.apiKey)), 401)
      assert.equal(await post(`${app.url}/k2/webhooks`, body, k.sign(body, MOCK.apiKey)), 200)
      assert.equal(await post(`${app.url}/k2/results`, '[]', k.sign('[]', MOCK.apiKey)), 400)
    })

    it('refuses a body over 1 MiB (413) before verifying it, with or without Content-Length', async () => {
      const MAX = 1024 * 1024
      const big = Buffer.alloc(MAX + 1, 0x20)
      assert.equal(await post(`${app.url}/k2/webhooks`, big, k.sign(big, MOCK.apiKey)), 413)
      async function* chunked() {
        for (let i = 0; i <= MAX / 65536; i++) yield new Uint8Array(65536).fill(0x20)
      }
      const r = await fetch(`${app.url}/k2/results`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chunked(),
        duplex: 'half',
      })
      assert.equal(r.status, 413)
      // Exactly at the cap the body is read and verified as usual.
      const atCap = Buffer.alloc(MAX, 0x20)
      assert.equal(await post(`${app.url}/k2/webhooks`, atCap, k.sign(atCap, 'wrong-key')), 401)
      const body = '{"topic":"customer_created","id":"c1"}'
      assert.equal(await post(`${app.url}/k2/webhooks`, body, k.sign(body, MOCK.apiKey)), 200)
    })

    it('acknowledges a redelivered event without processing it twice (dedupe by event id)', async () => {
      const body = '{"topic":"customer_created","id":"c1"}'
      for (let i = 0; i < 3; i++) assert.equal(await post(`${app.url}/k2/webhooks`, body, k.sign(body, MOCK.apiKey)), 200)
      await app.waitFor((l) => l === 'webhook customer_created c1')
      await new Promise((r) => setTimeout(r, 100))
      assert.equal(app.lines.filter((l) => l === 'webhook customer_created c1').length, 1, JSON.stringify(app.lines))
    })
  })
}

it('the TypeScript example type-checks (tsc --noEmit)', { timeout: 120_000 }, () => {
  const tsc = path.join(PKG_DIR, 'node_modules', 'typescript', 'bin', 'tsc')
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(project, 'tsconfig.json')], { cwd: project, encoding: 'utf8' })
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`)
  // The ES module declarations (package.json "exports" → import → types) resolve too.
  fs.writeFileSync(
    path.join(project, 'esm-check.mts'),
    "import kopokopo, { Client, ApiError, type Webhook } from 'kopokopo'\n" +
      "const c: Client = new kopokopo.Client({ clientId: 'a', clientSecret: 'b' })\n" +
      "export const x: [Client, typeof ApiError, Webhook | null] = [c, ApiError, null]\n",
  )
  const esm = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--types', 'node', 'esm-check.mts'], { cwd: project, encoding: 'utf8' })
  assert.equal(esm.status, 0, `tsc (ESM) failed:\n${esm.stdout}\n${esm.stderr}`)
  // And a type error is caught: a float amount is fine for TS (number), a missing field is not.
  fs.writeFileSync(path.join(project, 'bad.ts'), "import { Client } from 'kopokopo'\nnew Client({ clientId: 'x' })\n")
  const bad = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--types', 'node', 'bad.ts'], { cwd: project, encoding: 'utf8' })
  assert.notEqual(bad.status, 0, 'tsc accepted a client without clientSecret')
  assert.match(bad.stdout, /clientSecret/)
})
