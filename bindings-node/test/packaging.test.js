'use strict'
// The package loads both ways (require and import, through "exports"), and
// installs into another project with `npm install path/to/bindings-node`;
// kopokopo/express and kopokopo/http load there without express installed.
// The recommended local install (README.md, "Installation") works: `npm pack`
// builds the addon and packs it, and the tarball installs into another project
// as a copy of its own (no link to the checkout, no build there).

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
  // napi-rs v3 layout: every release target has its per-platform package under npm/
  // (os/cpu select it at install time), at the same version as the main package.
  assert.ok(pkg.napi.targets.includes('x86_64-unknown-linux-gnu'), 'the platform the tests run on')
  for (const target of pkg.napi.targets) {
    const dirs = fs.readdirSync(path.join(PKG_DIR, 'npm'))
    const matching = dirs.filter((d) => {
      const p = require(path.join(PKG_DIR, 'npm', d, 'package.json'))
      return p.description?.includes(target)
    })
    assert.equal(matching.length, 1, `one npm/<platform> package for ${target}: ${dirs}`)
    const platform = require(path.join(PKG_DIR, 'npm', matching[0], 'package.json'))
    assert.equal(platform.name, `kopokopo-${matching[0]}`)
    assert.equal(platform.version, pkg.version)
    assert.equal(platform.main, `kopokopo.${matching[0]}.node`)
  }
  for (const file of [pkg.main, pkg.types, pkg.exports['.'].import.default, pkg.exports['.'].import.types, pkg.exports['.'].require.default, pkg.exports['.'].require.types]) {
    assert.ok(fs.existsSync(path.join(PKG_DIR, file)), file)
  }
  // The receivers' subpaths, and express only for the tests (the middleware needs only (req, res, next)).
  for (const sub of ['./express', './http']) {
    const e = pkg.exports[sub]
    for (const file of [e.import.default, e.import.types, e.require.default, e.require.types]) assert.ok(fs.existsSync(path.join(PKG_DIR, file)), file)
  }
  assert.equal(pkg.dependencies?.express, undefined)
  assert.match(pkg.devDependencies.express, /^\d+\.\d+\.\d+$/, 'express is pinned')
})

it('the ES module entries of kopokopo/express and kopokopo/http name every CommonJS export', () => {
  for (const sub of ['express', 'http']) {
    const cjs = require(path.join(PKG_DIR, 'lib', `${sub}.js`))
    const esm = JSON.parse(
      node(['--input-type=module', '-e', `
        import * as ns from ${JSON.stringify(path.join(PKG_DIR, 'lib', `${sub}.mjs`))};
        console.log(JSON.stringify(Object.keys(ns).filter((n) => n !== 'default').sort()))
      `]),
    )
    assert.deepEqual(esm, Object.keys(cjs).filter((n) => !n.startsWith('_')).sort(), sub)
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
    // The receivers load without express installed in the consumer.
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules', 'express')))
    const sub = node(['-e', "const { kopokopo } = require('kopokopo/express'); const { readWebhook } = require('kopokopo/http'); console.log(typeof kopokopo({ apiKey: 'k' }), typeof readWebhook)"], dir)
    assert.equal(sub, 'function function')
    const subEsm = node(['--input-type=module', '-e', "import kopokopo from 'kopokopo/express'; import { createWebhookHandler } from 'kopokopo/http'; console.log(typeof kopokopo, typeof createWebhookHandler)"], dir)
    assert.equal(subEsm, 'function function')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

it('`npm pack`, then the tarball installed into another project: a copy with the addon, nothing built', { timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kopokopo-pack-'))
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const packed = spawnSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: PKG_DIR, encoding: 'utf8' })
    assert.equal(packed.status, 0, `npm pack failed:\n${packed.stdout}\n${packed.stderr}`)
    const [info] = JSON.parse(packed.stdout)
    const version = require('../package.json').version
    assert.equal(info.filename, `kopokopo-${version}.tgz`, 'the file name README.md gives')
    const files = info.files.map((f) => f.path)
    assert.ok(files.some((f) => /^kopokopo\..+\.node$/.test(f)), `the addon is packed: ${files.join(', ')}`)
    const consumer = path.join(dir, 'consumer')
    fs.mkdirSync(consumer)
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
    // --ignore-scripts: the tarball must work without its install script (npm 11 may hold it back).
    const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', path.join(dir, info.filename)], { cwd: consumer, encoding: 'utf8' })
    assert.equal(r.status, 0, `npm install <tarball> failed:\n${r.stdout}\n${r.stderr}`)
    const installed = path.join(consumer, 'node_modules', 'kopokopo')
    assert.ok(!fs.lstatSync(installed).isSymbolicLink(), 'a copy, not a link to the checkout')
    assert.equal(node(['-e', "const k = require('kopokopo'); console.log(typeof k.Client, k.sign('{}', 'key').length)"], consumer), 'function 64')
    assert.equal(node(['-p', "require.resolve('kopokopo')"], consumer), fs.realpathSync(path.join(installed, 'lib', 'kopokopo.js')))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
