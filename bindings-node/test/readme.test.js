'use strict'
// Every code block of README.md (this package's) is checked against the real
// package, so a snippet that drifts from the API fails the build:
//
// * every JavaScript block type-checks (`tsc --checkJs` against the package's
//   declarations, in a project whose node_modules links this package): an
//   identifier used without its import, a misspelt method or property fails;
// * the usage block runs against `k2 mock` (K2_* variables, as every example);
// * the receiver blocks run (their `listen` calls moved to free ports) and
//   answer 200 to a signed event, 401 to a bad signature, 400 to a signed
//   body that is not an event;
// * the installation block is what `packaging.test.js` does (npm pack, then
//   the tarball installed into another project).

const assert = require('node:assert/strict')
const { spawn, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')
const { after, before, describe, it } = require('node:test')

const k = require('..')
const { FIXTURES_DIR, MOCK, PKG_DIR, startMock } = require('./helpers')

const README = fs.readFileSync(path.join(PKG_DIR, 'README.md'), 'utf8')

/** The fenced code blocks of a Markdown text: [{lang, code, line}]. */
function codeBlocks(text) {
  const blocks = []
  const re = /^```(\w*)[^\n]*\n([\s\S]*?)^```\s*$/gm
  for (let m = re.exec(text); m; m = re.exec(text)) {
    blocks.push({ lang: m[1], code: m[2], line: text.slice(0, m.index).split('\n').length })
  }
  return blocks
}

const isModule = (code) => /^\s*(import|export)\s/m.test(code)
const JS = codeBlocks(README)
  .filter((b) => b.lang === 'js')
  .map((b, i) => ({ ...b, file: `readme-${i}-line${b.line}.${isModule(b.code) ? 'mjs' : 'cjs'}` }))

let project
let mock

function link(target, name) {
  const p = path.join(project, 'node_modules', name)
  fs.mkdirSync(path.dirname(p), { recursive: true })
  fs.symlinkSync(target, p, 'dir')
}

// Moves every server's listen() to a free loopback port and prints it.
const PRELOAD = `
const http = require('node:http')
const listen = http.Server.prototype.listen
http.Server.prototype.listen = function () {
  const server = listen.call(this, 0, '127.0.0.1', () => console.log('listening ' + server.address().port))
  return server
}
`

before(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'kopokopo-readme-'))
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'readme', private: true }))
  link(PKG_DIR, 'kopokopo')
  link(path.join(PKG_DIR, 'node_modules', 'express'), 'express')
  link(path.join(PKG_DIR, 'node_modules', '@types'), '@types')
  for (const b of JS) fs.writeFileSync(path.join(project, b.file), b.code)
  fs.writeFileSync(path.join(project, 'preload.cjs'), PRELOAD)
  mock = await startMock(['--callback-delay-ms', '50'])
})

after(async () => {
  await mock?.stop()
  if (project) fs.rmSync(project, { recursive: true, force: true })
})

const env = () => ({
  ...process.env,
  K2_CLIENT_ID: MOCK.clientId,
  K2_CLIENT_SECRET: MOCK.clientSecret,
  K2_API_KEY: MOCK.apiKey,
  K2_BASE_URL: mock.baseUrl,
})

function tsc(files) {
  const bin = path.join(PKG_DIR, 'node_modules', 'typescript', 'bin', 'tsc')
  const args = ['--noEmit', '--allowJs', '--checkJs', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node']
  return spawnSync(process.execPath, [bin, ...args, ...files], { cwd: project, encoding: 'utf8' })
}

/** Starts a block; resolves to {ports, lines, stop} once it listens on `servers` ports. */
function startBlock(file, servers) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', './preload.cjs', file], { cwd: project, env: env(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => reject(new Error(`${file} exited with ${code}: ${stderr}`)))
    const ports = []
    const lines = []
    const stop = () =>
      new Promise((res) => {
        child.removeAllListeners('exit')
        child.once('exit', res)
        child.kill('SIGTERM')
      })
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line)
      const m = /^listening (\d+)$/.exec(line)
      if (m) ports.push(Number(m[1]))
      if (m && ports.length === servers) resolve({ ports, lines, stderr: () => stderr, stop })
    })
  })
}

async function post(port, urlPath, body, signature) {
  const headers = { 'content-type': 'application/json' }
  if (signature !== undefined) headers['X-KopoKopo-Signature'] = signature
  const r = await fetch(`http://127.0.0.1:${port}${urlPath}`, { method: 'POST', headers, body })
  return r.status
}

describe('README.md code blocks', () => {
  it('has the blocks this test knows: imports, usage, two receivers', () => {
    assert.ok(JS.length >= 5, JS.map((b) => b.file).join(', '))
    assert.ok(
      JS.some((b) => b.code.includes("require('kopokopo/express')")),
      'an Express receiver block',
    )
    assert.ok(
      JS.some((b) => b.code.includes("require('kopokopo/http')")),
      'a node:http receiver block',
    )
  })

  it('every JavaScript block type-checks against the declarations (tsc --checkJs)', { timeout: 120_000 }, () => {
    const r = tsc(JS.map((b) => b.file))
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`)
    // The check catches what a reader would hit: a class used without its import.
    fs.writeFileSync(
      path.join(project, 'missing-import.cjs'),
      "const { readWebhook } = require('kopokopo/http')\nmodule.exports = (e) => e instanceof SignatureError && readWebhook\n",
    )
    const bad = tsc(['missing-import.cjs'])
    assert.notEqual(bad.status, 0)
    assert.match(bad.stdout, /Cannot find name 'SignatureError'/)
  })

  it('the usage block runs against k2 mock (K2_* variables)', { timeout: 60_000 }, () => {
    const usage = JS.find((b) => b.code.includes('client.incomingPayments.create('))
    assert.ok(usage, 'a usage block')
    const r = spawnSync(process.execPath, [usage.file], { cwd: project, env: env(), encoding: 'utf8', timeout: 50_000 })
    assert.equal(r.status, 0, `${usage.file} failed:\n${r.stdout}\n${r.stderr}`)
    const lines = r.stdout.trim().split('\n')
    assert.match(lines[0], /^(Pending|Success)\b/)
    assert.equal(lines.at(-1).split(' ')[0], 'phoneNumber', r.stdout)
  })

  for (const [marker, servers] of [
    ["require('kopokopo/express')", 1],
    ["require('kopokopo/http')", 2],
  ]) {
    it(`the receiver block with ${marker}: 200 signed, 401 bad signature, 400 not an event`, { timeout: 60_000 }, async () => {
      const block = JS.find((b) => b.code.includes(marker))
      const app = await startBlock(block.file, servers)
      try {
        const webhook = '{"topic":"customer_created","id":"c1","created_at":"2021-04-12T08:50:22+03:00"}'
        const result = fs.readFileSync(path.join(FIXTURES_DIR, 'result.incoming_payment.success.json'))
        for (const [i, port] of app.ports.entries()) {
          // The http block's first server takes results, the others webhooks.
          const body = marker.includes('http') && i === 0 ? result : webhook
          const urlPath = '/k2/webhooks'
          assert.equal(await post(port, urlPath, body, k.sign(body, MOCK.apiKey)), 200, `port #${i}: signed`)
          assert.equal(await post(port, urlPath, body, k.sign(body, 'another-key')), 401, `port #${i}: wrong signature`)
          assert.equal(await post(port, urlPath, body), 401, `port #${i}: no signature`)
          assert.equal(await post(port, urlPath, '[1]', k.sign('[1]', MOCK.apiKey)), 400, `port #${i}: not an event`)
        }
        assert.ok(!/ReferenceError|TypeError/.test(app.stderr()), app.stderr())
      } finally {
        await app.stop()
      }
    })
  }
})
