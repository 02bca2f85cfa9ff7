'use strict'
// Shared test helpers: paths, the `k2 mock` simulator, a result/webhook
// receiver, and the JS-shape normalisation used by the vector runner.

const { spawn, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const readline = require('node:readline')

const PKG_DIR = path.resolve(__dirname, '..')
const REPO = path.resolve(PKG_DIR, '..')
const VECTORS_DIR = path.join(REPO, 'tests', 'vectors')
const FIXTURES_DIR = path.join(REPO, 'tests', 'fixtures')
const EXAMPLES_DIR = path.join(REPO, 'examples', 'node')

const MOCK = Object.freeze({
  clientId: 'k2-mock-client-id',
  clientSecret: 'k2-mock-client-secret',
  apiKey: 'k2-mock-api-key',
})

let k2Built = false

/** Path of the `k2` binary: $K2_BIN, or <repo>/target/debug/k2; built with cargo when missing. */
function k2Bin() {
  const targetDir = process.env.CARGO_TARGET_DIR || path.join(REPO, 'target')
  const bin = process.env.K2_BIN || path.join(targetDir, 'debug', process.platform === 'win32' ? 'k2.exe' : 'k2')
  if (!fs.existsSync(bin) && !k2Built) {
    k2Built = true
    const r = spawnSync('cargo', ['build', '-p', 'kopokopo-mock', '--bin', 'k2'], { cwd: REPO, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('cargo build -p kopokopo-mock failed')
  }
  return bin
}

/**
 * Starts `k2 mock` on a free port. Resolves to {baseUrl, admin(), stop()};
 * the base URL is the first line on its stdout.
 */
function startMock(extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(k2Bin(), ['mock', '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`k2 mock did not print its base URL within 20 s: ${stderr}`))
    }, 20000)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`k2 mock exited with ${code}: ${stderr}`))
    })
    const rl = readline.createInterface({ input: child.stdout })
    rl.once('line', (line) => {
      clearTimeout(timer)
      const baseUrl = line.trim()
      child.stdout.resume()
      const stop = () =>
        new Promise((res) => {
          if (child.exitCode !== null) return res()
          child.removeAllListeners('exit')
          child.once('exit', () => res())
          child.kill('SIGTERM')
        })
      const admin = async (p, body) => {
        const r = await fetch(baseUrl + p, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
        const text = await r.text()
        return text ? JSON.parse(text) : null
      }
      resolve({ baseUrl, admin, stop, child })
    })
  })
}

/**
 * A local HTTP server that records every POST (raw body + signature).
 * `next(pred, ms)` waits for a matching request.
 */
function startReceiver() {
  return new Promise((resolve) => {
    const received = []
    const waiters = []
    const server = http.createServer((req, res) => {
      const chunks = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        const entry = {
          path: req.url,
          body: Buffer.concat(chunks),
          signature: req.headers['x-kopokopo-signature'],
        }
        received.push(entry)
        res.writeHead(200).end()
        for (const w of [...waiters]) {
          if (w.pred(entry)) {
            waiters.splice(waiters.indexOf(w), 1)
            w.resolve(entry)
          }
        }
      })
    })
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`
      const next = (pred, ms = 10000) => {
        const found = received.find(pred)
        if (found) return Promise.resolve(found)
        return new Promise((res, rej) => {
          const w = { pred, resolve: res }
          waiters.push(w)
          setTimeout(() => {
            const i = waiters.indexOf(w)
            if (i >= 0) {
              waiters.splice(i, 1)
              rej(new Error(`no matching request within ${ms} ms; got ${received.map((r) => r.path).join(', ')}`))
            }
          }, ms).unref()
        })
      }
      resolve({ url, received, next, close: () => new Promise((r) => server.close(() => r())) })
    })
  })
}

// ------------------------------------------------------- JS-shape helpers

const snakeToCamel = (k) => {
  const lead = k.length - k.replace(/^_+/, '').length
  return k.slice(0, lead) + k.slice(lead).replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
}
const camelToSnake = (k) => k.replace(/([A-Z])/g, (c, _x, i) => (i > 0 ? '_' : '') + c.toLowerCase())

// The core's schema (schema/kopokopo.json): which fields are money, user data
// or typed values is read from it, never guessed from key names.
const SCHEMA = JSON.parse(fs.readFileSync(path.join(REPO, 'schema', 'kopokopo.json'), 'utf8'))
const TYPES = new Map(SCHEMA.types.map((t) => [t.name, t]))

/** The schema operation called `name` (`group.method` or its legacy name). */
const operationDef = (name) => SCHEMA.operations.find((o) => o.name === name || o.legacy_name === name)

/** The fields of a record or variant, flattened (unnamed) references inlined. */
function schemaFields(fields) {
  const out = []
  for (const f of fields) {
    if (f.name) out.push(f)
    else if (f.type.ref && TYPES.get(f.type.ref).kind === 'record') out.push(...schemaFields(TYPES.get(f.type.ref).fields))
  }
  return out
}

/**
 * Walks a JSON value alongside schema type `ty` (undefined: not described),
 * calling `leaf(value, ty)` for scalars and `key(k, field)` for object keys.
 */
function walkSchema(v, ty, leaf, key) {
  if (v === null || v === undefined) return v
  if (ty === 'metadata' || ty === 'json') return v
  if (typeof ty === 'string') return leaf(v, ty)
  if (Array.isArray(v)) return v.map((x) => walkSchema(x, ty?.list, leaf, key))
  if (typeof v !== 'object') return leaf(v, undefined)
  const def = ty?.ref ? TYPES.get(ty.ref) : undefined
  const record = (obj, fields, keep = []) => {
    const out = {}
    for (const [k2, x] of Object.entries(obj)) {
      const f = fields?.find((g) => g.key === k2)
      out[keep.includes(k2) ? k2 : key(k2, f)] = keep.includes(k2) ? x : walkSchema(x, f?.type, leaf, key)
    }
    return out
  }
  if (!def) return record(v, undefined)
  if (def.kind === 'record') return record(v, schemaFields(def.fields))
  // A partial value (a vector's expected subset) may leave the tag out: the
  // variant whose fields hold every key it has.
  const variant =
    def.tag in v
      ? def.variants.find((x) => x.tag === v[def.tag])
      : def.variants.find((x) => Object.keys(v).every((k2) => schemaFields(x.fields).some((f) => f.key === k2)))
  if (!variant) return record(v, undefined, [def.tag])
  if (def.content === null) return record(v, schemaFields(variant.fields), [def.tag])
  const named = variant.fields.filter((f) => f.name)
  const content = v[def.content]
  return {
    [def.tag]: v[def.tag],
    [def.content]: named.length ? record(content, schemaFields(named)) : walkSchema(content, variant.fields[0].type, leaf, key),
  }
}

/**
 * A core (snake_case, numeric-amount) JSON value of schema type `ty` in the
 * shape this package returns: camelCase keys, money as decimal strings;
 * metadata, raw payloads and unknown webhook resources untouched. Written
 * independently of the native conversion (from the same schema) so the
 * vectors test it.
 */
function toJsShape(v, ty) {
  return walkSchema(
    v,
    ty,
    (x, t) => (t === 'money' && typeof x === 'number' ? String(x) : x),
    (k2) => snakeToCamel(k2),
  )
}

/** Every named field a value of schema type `ty` may have (a union: every variant's), flattened. */
function fieldsOfType(ty) {
  const def = ty?.ref ? TYPES.get(ty.ref) : undefined
  if (!def) return []
  if (def.kind === 'record') return schemaFields(def.fields)
  return def.variants.flatMap((v) => schemaFields(v.fields))
}

/**
 * A core error's field path (`phone_number`, `destinations[0].amount`,
 * `metadata.order_id`) as this package names it, walking schema type
 * `requestType` (a type name, or undefined) along the path: every field name
 * camelCase, list indexes kept, and below a `metadata`/`json` field the
 * caller's own keys kept as given. Written independently of the native
 * conversion (from the same schema) so the tests check it.
 */
function jsFieldPath(path, requestType) {
  let ty = requestType ? { ref: requestType } : undefined
  let out = ''
  let rest = path
  while (rest !== '') {
    if (ty === 'metadata' || ty === 'json') return out + rest
    const index = /^\[\d+\]/.exec(rest)
    if (index) {
      out += index[0]
      rest = rest.slice(index[0].length)
      ty = ty?.list
      continue
    }
    if (rest[0] === '.') {
      out += '.'
      rest = rest.slice(1)
      continue
    }
    const name = /^[^.[]+/.exec(rest)[0]
    rest = rest.slice(name.length)
    ty = fieldsOfType(ty).find((f) => f.key === name)?.type
    out += snakeToCamel(name)
  }
  return out
}

/** The vectors' subset comparison: every key of `expected` is in `actual` with a matching value (arrays: same length, elementwise). */
function subsetMismatch(actual, expected, where = '$') {
  if (expected === null || typeof expected !== 'object') {
    return Object.is(actual, expected) ? null : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${where}: expected an array, got ${JSON.stringify(actual)}`
    if (actual.length !== expected.length) return `${where}: expected ${expected.length} items, got ${actual.length}`
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(actual[i], expected[i], `${where}[${i}]`)
      if (m) return m
    }
    return null
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return `${where}: expected an object, got ${JSON.stringify(actual)}`
  }
  for (const [k, x] of Object.entries(expected)) {
    // `null` expected means present and null (tests/vectors/README.md, "Comparing JSON").
    if (!(k in actual)) return `${where}.${k}: missing`
    const m = subsetMismatch(actual[k], x, `${where}.${k}`)
    if (m) return m
  }
  return null
}

module.exports = {
  PKG_DIR,
  REPO,
  VECTORS_DIR,
  FIXTURES_DIR,
  EXAMPLES_DIR,
  MOCK,
  k2Bin,
  startMock,
  startReceiver,
  SCHEMA,
  operationDef,
  walkSchema,
  toJsShape,
  jsFieldPath,
  subsetMismatch,
  snakeToCamel,
  camelToSnake,
}
