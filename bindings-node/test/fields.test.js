'use strict'
// Field-level parity with the core's schema (schema/kopokopo.json):
//
// * TypeScript: test/types/fields.generated.ts reads every field of every
//   schema type as a typed property; `tsc --strict` compiles it against lib/*.d.ts.
// * JavaScript: every webhook and result fixture and every response vector,
//   parsed through the public API, is walked alongside the schema of its
//   type: every schema field is a property (camelCase), no property is
//   outside the schema, money is a decimal string, timestamps are text.
// * Every key of every fixture's JSON (the API's wire keys) is reachable as a
//   camelCase property of the parsed object, except the envelope keys the
//   core unwraps (listed below, each with its reason).

const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it } = require('node:test')

const k = require('..')
const { FIXTURES_DIR, PKG_DIR, REPO, VECTORS_DIR, snakeToCamel } = require('./helpers')

const SCHEMA = JSON.parse(fs.readFileSync(path.join(REPO, 'schema', 'kopokopo.json'), 'utf8'))
const TYPES = new Map(SCHEMA.types.map((t) => [t.name, t]))
const API_KEY = 'fields-test-api-key'

/** `_links` stays, `phone_number` → `phoneNumber`: the same rule as the native side. */
const camel = (key) => snakeToCamel(key)

/** Schema fields that the core leaves out (instead of null) when absent. */
const OMITTED_WHEN_ABSENT = new Set(['Links.resource'])

/** The fields of a record, flattened references inlined. */
function fieldsOf(fields) {
  const out = []
  for (const f of fields) {
    if (!f.name) out.push(...fieldsOf(TYPES.get(f.type.ref).fields))
    else out.push(f)
  }
  return out
}

/** Walks `value` alongside schema type `ty`; returns the number of fields checked. */
function check(value, ty, where) {
  if (value === null) return 0
  if (typeof ty === 'string') {
    switch (ty) {
      case 'money':
        assert.equal(typeof value, 'string', `${where}: money must be a decimal string, got ${JSON.stringify(value)}`)
        assert.match(value, /^-?\d+(\.\d+)?$/, `${where}: not a decimal`)
        return 1
      case 'timestamp':
      case 'string':
        assert.equal(typeof value, 'string', `${where}: expected text, got ${JSON.stringify(value)}`)
        return 1
      case 'int':
        assert.equal(typeof value, 'number', `${where}: expected a number`)
        return 1
      case 'bool':
        assert.equal(typeof value, 'boolean', `${where}: expected a boolean`)
        return 1
      case 'metadata':
        assert.equal(typeof value, 'object', `${where}: expected an object`)
        return 1
      default:
        return 1 // json: anything
    }
  }
  if (ty.list) {
    assert.ok(Array.isArray(value), `${where}: expected an array`)
    return value.reduce((n, x, i) => n + check(x, ty.list, `${where}[${i}]`), 0)
  }
  const def = TYPES.get(ty.ref)
  assert.equal(typeof value, 'object', `${where}: expected an object (${def.name})`)
  if (def.kind === 'record') return checkFields(value, fieldsOf(def.fields), def.name, where)
  const tagKey = camel(def.tag)
  const variant = def.variants.find((v) => v.tag === value[tagKey])
  assert.ok(variant, `${where}: unknown ${def.name} tag ${JSON.stringify(value[tagKey])}`)
  if (def.content === null) {
    return checkFields(value, fieldsOf(variant.fields), `${def.name}.${variant.name}`, where, [tagKey])
  }
  const content = camel(def.content)
  assert.deepEqual(Object.keys(value).sort(), [content, tagKey].sort(), `${where}: ${def.name} keys`)
  const named = variant.fields.filter((f) => f.name)
  if (named.length === 0) return 1 + check(value[content], variant.fields[0].type, `${where}.${content}`)
  return 1 + checkFields(value[content], fieldsOf(variant.fields), `${def.name}.${variant.name}`, `${where}.${content}`)
}

function checkFields(value, fields, typeName, where, extra = []) {
  let n = 0
  const known = new Set(extra)
  for (const f of fields) {
    const p = camel(f.key)
    known.add(p)
    if (!(p in value)) {
      assert.ok(OMITTED_WHEN_ABSENT.has(`${typeName}.${f.name}`), `${where}: ${typeName}.${f.name} is missing as \`${p}\``)
      continue
    }
    if (!f.optional) assert.notEqual(value[p], null, `${where}.${p}: ${typeName}.${f.name} is not optional`)
    n += 1 + check(value[p], f.type, `${where}.${p}`)
  }
  for (const p of Object.keys(value)) assert.ok(known.has(p), `${where}.${p}: not a field of ${typeName}`)
  return n
}

// Envelope keys of the API's documents that the core unwraps: a resource
// document is `{data: {id, type, attributes: {...}}}` (the result has `id`,
// `type` and the attributes' fields at the top), a webhook's `event` holds
// `type` and `resource` (the result has `eventType` and `resource`).
const ENVELOPE = new Set(['data', 'attributes', 'event'])

/** Every key of a wire document, outside metadata. */
function wireKeys(v, out = new Set()) {
  if (Array.isArray(v)) {
    for (const x of v) wireKeys(x, out)
  } else if (v !== null && typeof v === 'object') {
    for (const [key, x] of Object.entries(v)) {
      out.add(key)
      if (key !== 'metadata') wireKeys(x, out)
    }
  }
  return out
}

/** Every property name of a parsed object (outside opaque values). */
function properties(v, out = new Set()) {
  if (Array.isArray(v)) {
    for (const x of v) properties(x, out)
  } else if (v !== null && typeof v === 'object') {
    for (const [key, x] of Object.entries(v)) {
      out.add(key)
      if (key !== 'metadata') properties(x, out)
    }
  }
  return out
}

// Wire keys the core reads under another name (docs/api-notes.md): the
// document's key → the properties that may hold it.
const RENAMED = {
  // Daraja: Safaricom's spelling; the schema keeps the documentation's.
  ThirdPartyTransID: ['ThirdPartyTransId'],
  // The documentation's example spells it `nick_name`.
  nick_name: ['nickname'],
  // A K2 webhook: `event.type` is `eventType`, the top-level `_links` is `links`.
  type: ['type', 'eventType'],
  _links: ['_links', 'links'],
  // The older payment-link status shape, mapped to the current one.
  account_name: ['tillName'],
  account_number: ['tillNumber'],
  payment_link_status: ['status'],
  merchant_payment_reference: ['paymentReference'],
}

function assertWireKeysReachable(wire, parsed, what) {
  const props = properties(parsed)
  const missing = [...wireKeys(wire)]
    .filter((key) => !ENVELOPE.has(key))
    .filter((key) => !props.has(camel(key)) && !props.has(key) && !(RENAMED[key] ?? []).some((p) => props.has(p)))
  assert.deepEqual(missing, [], `${what}: wire keys without a property: ${missing.join(', ')}`)
}

const sign = (body) => k.sign(body, API_KEY)

describe('TypeScript: every schema field is a typed property', () => {
  it('tsc --strict compiles test/types/fields.generated.ts against lib/kopokopo.d.ts', () => {
    const tsc = path.join(PKG_DIR, 'node_modules', 'typescript', 'bin', 'tsc')
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--types', 'node', 'test/types/fields.generated.ts']
    const r = spawnSync(process.execPath, [tsc, ...args], { cwd: PKG_DIR, encoding: 'utf8' })
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`)
    const text = fs.readFileSync(path.join(PKG_DIR, 'test', 'types', 'fields.generated.ts'), 'utf8')
    for (const t of SCHEMA.types) assert.ok(text.includes(`function read${t.name}(v: K.${t.name})`), t.name)
  })
})

describe('JavaScript: parsed fixtures have every schema field, typed', () => {
  const files = fs.readdirSync(FIXTURES_DIR).filter((f) => /^(webhook|result)\..*\.json$/.test(f))
  assert.ok(files.length >= 20)
  for (const f of files) {
    it(f, () => {
      const body = fs.readFileSync(path.join(FIXTURES_DIR, f))
      const isResult = f.startsWith('result.')
      const parsed = isResult ? k.parseResult(body, sign(body), API_KEY) : k.parseWebhook(body, sign(body), API_KEY)
      const n = check(parsed, { ref: isResult ? 'CallbackResult' : 'Webhook' }, '$')
      assert.ok(n > 5, `only ${n} fields checked`)
      assertWireKeysReachable(JSON.parse(body), parsed, f)
    })
  }
})

describe('JavaScript: response vectors have every schema field, typed', () => {
  const { cases } = JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, 'responses.json'), 'utf8'))
  const ok = cases.filter((c) => c.kind === 'response')
  assert.ok(ok.length > 5, `only ${ok.length} response vectors`)
  for (const c of ok) {
    it(`${c.name} (${c.operation})`, () => {
      const r = c.response
      const body = r.body_fixture !== undefined ? fs.readFileSync(path.join(FIXTURES_DIR, r.body_fixture)) : (r.body ?? '')
      const result = k.parseResponse(c.operation, c.params ?? {}, { status: r.status, headers: r.headers ?? {}, body })
      const op = SCHEMA.operations.find((o) => o.name === c.operation || o.legacy_name === c.operation)
      assert.ok(op, c.operation)
      if (op.result === null) {
        assert.equal(result, null)
        return
      }
      check(result, { ref: op.result }, '$')
      if (r.body_fixture !== undefined && op.result !== 'Created') {
        assertWireKeysReachable(JSON.parse(body), result, r.body_fixture)
      }
    })
  }
})

describe('JavaScript: event vectors have every schema field, typed', () => {
  const { cases } = JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, 'events.json'), 'utf8'))
  for (const c of cases) {
    it(`${c.kind}: ${c.name}`, () => {
      const body =
        c.fixture !== undefined
          ? fs.readFileSync(path.join(FIXTURES_DIR, c.fixture))
          : c.body_b64 !== undefined
            ? Buffer.from(c.body_b64, 'base64')
            : Buffer.from(c.body ?? '', 'utf8')
      let parsed
      try {
        parsed = c.kind === 'result' ? k.decodeResult(body) : k.decodeWebhook(body)
      } catch (e) {
        // A vector of a refused body: nothing to check here (vectors.test.js checks the error).
        assert.ok(e instanceof k.KopoKopoError, String(e))
        return
      }
      check(parsed, { ref: c.kind === 'result' ? 'CallbackResult' : 'Webhook' }, '$')
      // Fixtures are documented or captured payloads; inline vector bodies may
      // carry made-up keys on purpose ("unknown field ignored").
      if (c.fixture !== undefined) assertWireKeysReachable(JSON.parse(body), parsed, c.name)
    })
  }
})
