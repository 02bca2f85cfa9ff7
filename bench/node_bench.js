'use strict'
// Node benchmarks, side by side in one process (bench/run calls this).
//
// (a) Per webhook: verify alone and verify-then-parse, for every webhook and
//     result fixture, through kopokopo, through node's crypto
//     (createHmac(...).digest() + timingSafeEqual [+ JSON.parse]) and through
//     the official k2-connect-node (its lib/helpers/auth check [+ JSON.parse]).
//     Two parse figures: `parse_*` stops at the parse (the lazy figure), and
//     `parse_all_*` also reads every value of the result (a walk of the whole
//     object, the same walk on both sides): the headline comparison, since a
//     parser can only move work to the first field access, not avoid it.
// (b) 1,000 STK push creations against one `k2 mock`, through kopokopo's
//     client and through k2-connect-node's StkService (npm's 1.3.0 calls the
//     /api/v1/ paths, which the simulator accepts as aliases).
//
// Prints one JSON object per measurement (median/min/max) to stdout.
// Usage: node bench/node_bench.js K2_MOCK_BASE_URL [pushes] [repeats]
//        (K2_MOCK_BASE_URL `-`: the per-webhook figures only, no simulator)
// Needs: KOPOKOPO_NODE (path of bindings-node) and K2_CONNECT_NODE (path of
// an installed k2-connect-node package); bench/run sets both.

const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..')
const FIXTURES = path.join(ROOT, 'tests', 'fixtures')
const API_KEY = 'k2-mock-api-key'
const kopokopo = require(process.env.KOPOKOPO_NODE || path.join(ROOT, 'bindings-node'))
const k2node = require(process.env.K2_CONNECT_NODE || 'k2-connect-node')
const k2root = path.dirname(require.resolve(path.join(process.env.K2_CONNECT_NODE || 'k2-connect-node', 'package.json')))
const k2auth = require(path.join(k2root, 'lib', 'helpers', 'auth.js'))

/** Reads every value of a parsed object (the same walk for every parser). */
function walk (v) {
  if (v === null || typeof v !== 'object') return v === undefined ? 0 : 1
  let n = 0
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) n += walk(v[i])
    return n
  }
  for (const k in v) n += walk(v[k])
  return n
}

const [baseUrl, pushesArg, repeatsArg] = process.argv.slice(2)
const PUSHES = Number(pushesArg || 1000)
const REPEATS = Number(repeatsArg || 5)

function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function perCallUs (fn, n, repeats) {
  for (let i = 0; i < n; i++) fn() // warm up
  const per = []
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn()
    per.push(Number(process.hrtime.bigint() - t0) / 1000 / n)
  }
  return { median_us: median(per), min_us: Math.min(...per), max_us: Math.max(...per) }
}

function webhooks () {
  const files = fs.readdirSync(FIXTURES).filter(f => /^(webhook|result)\..*\.json$/.test(f)).sort()
  const rows = []
  const key = Buffer.from(API_KEY)
  for (const f of files) {
    const body = fs.readFileSync(path.join(FIXTURES, f))
    const sig = crypto.createHmac('sha256', key).update(body).digest('hex')
    const sigBuf = Buffer.from(sig, 'hex')
    const parse = f.startsWith('result.') ? kopokopo.parseResult : kopokopo.parseWebhook
    const ours = () => kopokopo.verifySignature(body, sig, API_KEY)
    const node = () => crypto.timingSafeEqual(crypto.createHmac('sha256', key).update(body).digest(), sigBuf)
    const theirs = () => k2auth.auth(API_KEY, body, sig) === 200
    const oursFull = () => parse(body, sig, API_KEY)
    const nodeFull = () => {
      if (!node()) throw new Error('bad signature')
      return JSON.parse(body)
    }
    const theirsFull = () => {
      if (!theirs()) throw new Error('bad signature')
      return JSON.parse(body)
    }
    const oursAll = () => walk(oursFull())
    const nodeAll = () => walk(nodeFull())
    const theirsAll = () => walk(theirsFull())
    if (!ours() || !node() || !theirs()) throw new Error(`a verifier refused ${f}`)
    oursFull()
    const n = 5000
    const row = {
      bench: 'node_webhook',
      fixture: f,
      bytes: body.length,
      verify_ours: perCallUs(ours, n, REPEATS),
      verify_node_crypto: perCallUs(node, n, REPEATS),
      verify_k2connect_node: perCallUs(theirs, n, REPEATS),
      parse_ours: perCallUs(oursFull, n, REPEATS),
      parse_node_crypto: perCallUs(nodeFull, n, REPEATS),
      parse_k2connect_node: perCallUs(theirsFull, n, REPEATS),
      parse_all_ours: perCallUs(oursAll, n, REPEATS),
      parse_all_node_crypto: perCallUs(nodeAll, n, REPEATS),
      parse_all_k2connect_node: perCallUs(theirsAll, n, REPEATS)
    }
    rows.push(row)
    console.log(JSON.stringify(row))
  }
  const ratios = (a, b) => rows.map(r => r[a].median_us / r[b].median_us)
  const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) })
  console.log(JSON.stringify({
    bench: 'node_webhook_summary',
    fixtures: rows.length,
    all_fields_ours_over_node_crypto: summary(ratios('parse_all_ours', 'parse_all_node_crypto')),
    lazy_ours_over_node_crypto: summary(ratios('parse_ours', 'parse_node_crypto')),
    verify_ours_over_node_crypto: summary(ratios('verify_ours', 'verify_node_crypto')),
    all_fields_k2connect_node_over_ours: summary(ratios('parse_all_k2connect_node', 'parse_all_ours'))
  }))
}

async function stkPushes () {
  const client = new kopokopo.Client({
    clientId: 'k2-mock-client-id',
    clientSecret: 'k2-mock-client-secret',
    apiKey: API_KEY,
    baseUrl
  })
  const k2 = new k2node({ clientId: 'k2-mock-client-id', clientSecret: 'k2-mock-client-secret', apiKey: API_KEY, baseUrl })
  const tokenResponse = await k2.TokenService.getToken()
  const accessToken = tokenResponse.access_token
  // validate.js (used by k2-connect-node) refuses one-digit ports; nothing listens here
  const callbackUrl = 'http://127.0.0.1:10009/unused'
  // Each library runs its pushes sequentially (await each), as a request handler would.
  const ours = async () => {
    for (let i = 0; i < PUSHES; i++) {
      await client.incomingPayments.create({
        tillNumber: 'K000000', phoneNumber: '+254712345678', firstName: 'Jane', lastName: 'Doe',
        amount: '100', callbackUrl, metadata: { n: i }
      })
    }
  }
  const theirs = async () => {
    for (let i = 0; i < PUSHES; i++) {
      await k2.StkService.initiateIncomingPayment({
        paymentChannel: 'M-PESA STK Push', tillNumber: 'K000000', firstName: 'Jane', lastName: 'Doe',
        phoneNumber: '+254712345678', email: 'jane@example.com', currency: 'KES', amount: 100,
        callbackUrl, metadata: { n: i }, accessToken
      })
    }
  }
  // The same pushes with 16 in flight at once (what a busy server does).
  const concurrently = (one) => async () => {
    await Promise.all(Array.from({ length: 16 }, async (_, w) => {
      for (let i = w; i < PUSHES; i += 16) await one(i)
    }))
  }
  const oursOne = (i) => client.incomingPayments.create({
    tillNumber: 'K000000', phoneNumber: '+254712345678', firstName: 'Jane', lastName: 'Doe',
    amount: '100', callbackUrl, metadata: { n: i }
  })
  const theirsOne = (i) => k2.StkService.initiateIncomingPayment({
    paymentChannel: 'M-PESA STK Push', tillNumber: 'K000000', firstName: 'Jane', lastName: 'Doe',
    phoneNumber: '+254712345678', email: 'jane@example.com', currency: 'KES', amount: 100,
    callbackUrl, metadata: { n: i }, accessToken
  })
  await ours()
  await theirs()
  for (const [bench, pair] of [['node_stk_push', [ours, theirs]],
    ['node_stk_push_concurrent', [concurrently(oursOne), concurrently(theirsOne)]]]) {
    const out = { bench, pushes: PUSHES }
    for (const [name, fn] of [['ours', pair[0]], ['k2connect_node', pair[1]]]) {
      const rates = []
      for (let r = 0; r < Math.max(3, REPEATS >> 1); r++) {
        const t0 = process.hrtime.bigint()
        await fn()
        rates.push(PUSHES / (Number(process.hrtime.bigint() - t0) / 1e9))
      }
      out[name] = { median_per_s: median(rates), min_per_s: Math.min(...rates), max_per_s: Math.max(...rates) }
    }
    console.log(JSON.stringify(out))
  }
}

webhooks()
if (baseUrl !== '-') stkPushes().catch(e => { console.error(e); process.exit(1) })
