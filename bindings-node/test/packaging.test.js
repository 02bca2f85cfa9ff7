'use strict'
// The package loads both ways (require and import, through "exports"), and
// installs into another project with `npm install path/to/bindings-node`.

const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { it } = require('node:test')

const { PKG_DIR } = require('./helpers')

function node(args, cwd) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' })
  assert.equal(r.status, 0, `node ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`)
  return r.stdout.trim()
}

it('require() and import give the same API', () => {
  const cjs = require('..')
  const esm = node(['--input-type=module', '-e', `
    import * as ns from ${JSON.stringify(path.join(PKG_DIR, 'lib', 'kopokopo.mjs'))};
    import k, { Client, ApiError, verifySignature } from ${JSON.stringify(path.join(PKG_DIR, 'lib', 'kopokopo.mjs'))};
    const named = Object.keys(ns).filter((n) => n !== 'default').sort();
    console.log(JSON.stringify({ keys: Object.keys(k).sort(), named, sameNamed: named.every((n) => ns[n] === k[n]), same: k.Client === Client && k.ApiError === ApiError, fn: typeof verifySignature }))
  `])
  const parsed = JSON.parse(esm)
  assert.deepEqual(parsed.keys, Object.keys(cjs).sort())
  // Every export of require() is also a named export of import, and the same object.
  assert.deepEqual(parsed.named, Object.keys(cjs).sort())
  assert.equal(parsed.sameNamed, true)
  assert.equal(parsed.same, true)
  assert.equal(parsed.fn, 'function')
})

it('package.json "exports" maps import and require, with types', () => {
  const pkg = require('../package.json')
  assert.equal(pkg.name, 'kopokopo')
  assert.equal(pkg.napi.binaryName, 'kopokopo')
  assert.deepEqual(pkg.napi.targets, ['x86_64-unknown-linux-gnu'])
  for (const file of [pkg.main, pkg.types, pkg.exports['.'].import.default, pkg.exports['.'].import.types, pkg.exports['.'].require.default, pkg.exports['.'].require.types]) {
    assert.ok(fs.existsSync(path.join(PKG_DIR, file)), file)
  }
})

it('`npm install <path>` from another project, then require and import by name', { timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kopokopo-consumer-'))
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--offline', PKG_DIR], { cwd: dir, encoding: 'utf8' })
    assert.equal(r.status, 0, `npm install failed:\n${r.stdout}\n${r.stderr}`)
    const cjs = node(['-e', "const k = require('kopokopo'); console.log(typeof k.Client, k.sign('{}', 'key').length)"], dir)
    assert.equal(cjs, 'function 64')
    const esm = node(['--input-type=module', '-e', "import { Client, SignatureError } from 'kopokopo'; import k from 'kopokopo'; console.log(typeof Client, k.SignatureError === SignatureError)"], dir)
    assert.equal(esm, 'function true')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
