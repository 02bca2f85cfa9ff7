// Receive Kopo Kopo webhooks and results with plain node:http, without losing one.
//
//   K2_API_KEY=... PORT=3000 node http-webhooks.js
//
// createWebhookHandler (require('kopokopo/http')) reads the raw body with a
// cap (default 1 MiB: bigger is answered 413 before it is buffered), verifies
// X-KopoKopo-Signature over those exact bytes (401), parses the event with the
// core (400 if it is not one), then awaits your onEvent and answers 200 only
// once it resolved: store the event there. If it throws, the answer is 500 and
// Kopo Kopo delivers the event again. With `dedupe`, an event already stored
// is acknowledged without calling onEvent again. Process the stored events
// asynchronously. InMemoryDedupe and the Map below live in this process only:
// production needs a shared store (a unique key in your database, Redis).
// (readWebhook(req, {apiKey}) is the lower-level form: it returns the event or
// throws an error whose .status is the status to answer.)
// Prints its URL on the first line of stdout.
'use strict'

const http = require('node:http')
const { createWebhookHandler, InMemoryDedupe } = require('kopokopo/http')

const apiKey = process.env.K2_API_KEY
const dedupe = new InMemoryDedupe({ ttlMs: 24 * 60 * 60 * 1000 })

// Stand-in for your database: save() resolves once the event is durable.
const events = new Map()
async function save(event, { id }) {
  events.set(id ?? `no-id-${events.size}`, { event, done: false })
  setImmediate(processPending) // process outside the request
}

const routes = {
  '/k2/webhooks': createWebhookHandler({ apiKey, kind: 'webhook', dedupe }, save),
  '/k2/results': createWebhookHandler({ apiKey, kind: 'result', dedupe }, save),
}

/** The worker: your application logic, reading from the store. */
function processPending() {
  for (const entry of events.values()) {
    if (entry.done) continue
    entry.done = true
    const e = entry.event
    if (e.structure === 'k2') console.log(`webhook ${e.topic} ${e.id}`)
    else if (e.structure === 'daraja') console.log(`webhook daraja ${e.TransID} ${e.TransAmount}`)
    else console.log(`result ${e.kind} ${e.value.id ?? ''} ${e.value.status ?? ''}`.trim())
  }
}

const server = http.createServer((req, res) => {
  const route = routes[req.url]
  if (!route) return res.writeHead(404).end()
  route(req, res)
})
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`)
})
process.on('SIGTERM', () => server.close())
