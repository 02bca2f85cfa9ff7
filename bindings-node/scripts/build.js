#!/usr/bin/env node
'use strict'
// Builds the native addon from source and puts `kopokopo.<platform>.node`
// next to package.json. Used by `npm install` (with --if-missing: nothing to
// do when a matching prebuilt addon is already there and loads) and by
// `npm test` (always; cargo rebuilds only what changed).
//
// The committed loader `index.js` and declarations `index.d.ts` are NOT
// rewritten here: the addon is built into a temporary directory and only the
// .node file is copied. `npm run build` regenerates them in place, and
// test/generated.test.js fails when they drift from what the build generates.
//
// With @napi-rs/cli installed (a devDependency: `npm install` inside this
// directory) the CLI builds. Without it (this package installed into another
// project with `npm install path/to/bindings-node`) cargo builds directly.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const pkg = require(path.join(root, 'package.json'))
const binaryName = pkg.napi.binaryName

function isMusl() {
  if (process.platform !== 'linux') return false
  const report = process.report?.getReport ? process.report.getReport() : null
  return !(report?.header?.glibcVersionRuntime)
}

/** The platform part of the file name the generated index.js loads. */
function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

const addonFile = path.join(root, `${binaryName}.${platformSuffix()}.node`)

function log(msg) {
  process.stderr.write(`kopokopo: ${msg}\n`)
}

/**
 * Puts the built library in place as a new file (copy, then rename): a
 * process that has the previous addon loaded keeps its mapping intact,
 * where writing over the loaded file would crash it (`npm pack` runs this
 * build while tests have the addon loaded).
 */
function install(built) {
  const tmp = `${addonFile}.${process.pid}.tmp`
  try {
    fs.copyFileSync(built, tmp)
    fs.renameSync(tmp, addonFile)
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`)
}

function loads() {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(root, 'index.js'))})`], {
    stdio: 'ignore',
  })
  return r.status === 0
}

function findCli() {
  try {
    const cliPkg = require.resolve('@napi-rs/cli/package.json', { paths: [root] })
    const meta = JSON.parse(fs.readFileSync(cliPkg, 'utf8'))
    const bin = typeof meta.bin === 'string' ? meta.bin : meta.bin.napi
    return path.join(path.dirname(cliPkg), bin)
  } catch {
    return null
  }
}

function buildWithCli(cli) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kopokopo-node-build-'))
  try {
    run(process.execPath, [cli, 'build', '--platform', '--release', '--output-dir', out])
    const built = fs.readdirSync(out).find((f) => f.endsWith('.node'))
    if (!built) throw new Error('napi build produced no .node file')
    install(path.join(out, built))
  } finally {
    fs.rmSync(out, { recursive: true, force: true })
  }
}

function buildWithCargo() {
  const cargo = process.env.CARGO || 'cargo'
  const probe = spawnSync(cargo, ['--version'], { stdio: 'ignore' })
  if (probe.status !== 0) {
    throw new Error('building kopokopo from source needs Rust 1.88+ (https://rustup.rs) and cargo on PATH')
  }
  run(cargo, ['build', '--release', '--manifest-path', path.join(root, 'Cargo.toml'), '-p', 'kopokopo-node'])
  const meta = spawnSync(cargo, ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', path.join(root, 'Cargo.toml')], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (meta.status !== 0) throw new Error('cargo metadata failed')
  const targetDir = JSON.parse(meta.stdout).target_directory
  const lib = {
    win32: 'kopokopo_node.dll',
    darwin: 'libkopokopo_node.dylib',
  }[process.platform] || 'libkopokopo_node.so'
  install(path.join(targetDir, 'release', lib))
}

function main() {
  const ifMissing = process.argv.includes('--if-missing')
  if (ifMissing && fs.existsSync(addonFile) && loads()) {
    return
  }
  // KOPOKOPO_BUILD_WITH=cargo forces the path taken when the package is installed into another project.
  const cli = process.env.KOPOKOPO_BUILD_WITH === 'cargo' ? null : findCli()
  log(`building the native addon from source (${cli ? '@napi-rs/cli' : 'cargo'}) into ${path.basename(addonFile)}`)
  if (cli) buildWithCli(cli)
  else buildWithCargo()
  if (!loads()) throw new Error(`${path.basename(addonFile)} was built but does not load`)
}

try {
  main()
} catch (e) {
  log(`build failed: ${e.message}`)
  process.exit(1)
}
