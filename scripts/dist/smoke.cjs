// Clean-room smoke test of the installed `kopokopo` npm package (scripts/dist-check.sh).
// Environment: K2_BASE_URL, K2_WEBHOOK_BODY (a file), K2_WEBHOOK_SIGNATURE (from `k2 sign`).
'use strict'
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const k2 = require('kopokopo')

const KEY = 'k2-mock-api-key'
const body = fs.readFileSync(process.env.K2_WEBHOOK_BODY)
const signature = process.env.K2_WEBHOOK_SIGNATURE

async function main() {
  const addon = require.resolve('kopokopo-linux-x64-gnu')
  assert.match(addon, /node_modules\/kopokopo-linux-x64-gnu\//)
  assert.equal(k2.sign(body, KEY), signature, 'sign() differs from `k2 sign`')
  assert.ok(k2.verifySignature(body, signature, KEY))
  assert.ok(!k2.verifySignature(Buffer.concat([body, Buffer.from(' ')]), signature, KEY))
  const event = k2.parseWebhook(body, signature, KEY)
  assert.equal(event.topic, 'buygoods_transaction_received')
  // The resource: `{kind, ...fields}` (older builds: `{kind, value: {...}}`).
  const resource = event.resource.value ?? event.resource
  assert.equal(event.resource.kind, 'transaction')
  assert.equal(Number(resource.amount), 100)

  const esm = await import('kopokopo') // the package's `exports` (ESM entry)
  assert.equal(typeof esm.Client, 'function')

  const client = new k2.Client({ clientId: 'k2-mock-client-id', clientSecret: 'k2-mock-client-secret', apiKey: KEY, baseUrl: process.env.K2_BASE_URL })
  const created = await client.incomingPayments.create({
    tillNumber: 'K000000', phoneNumber: '0712345678', amount: '150.00', callbackUrl: 'https://example.com/k2/results',
  })
  let payment = await client.incomingPayments.status(created.location)
  for (let i = 0; payment.status === 'Pending' && i < 40; i++) {
    await new Promise((r) => setTimeout(r, 250))
    payment = await client.incomingPayments.status(created.location)
  }
  assert.equal(payment.status, 'Success')
  assert.equal(Number(payment.event.resource.amount), 150)
  console.log(`node ${process.version}: kopokopo ${require('kopokopo/package.json').version}, addon ${path.basename(addon)} from kopokopo-linux-x64-gnu: ` +
    `signature ok, webhook ${event.topic} ${resource.amount}, STK push ${created.location} -> ${payment.status}`)
}
main().catch((e) => { console.error(e); process.exitCode = 1 })
