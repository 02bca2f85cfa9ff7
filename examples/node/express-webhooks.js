// Receive Kopo Kopo webhooks and results with Express, without losing one.
//
//   K2_API_KEY=... PORT=3000 node express-webhooks.js
//
// The kopokopo() middleware (require('kopokopo/express')) reads the RAW body
// itself, capped at `limit` (default 1 MiB: bigger is answered 413 before it
// is buffered), verifies X-KopoKopo-Signature over those exact bytes (401),
// parses the event with the core (400 if it is not one) and sets req.kopokopo.
// Do not put express.json() in front of these routes: the signature covers the
// raw bytes, and the middleware refuses a body another parser already read.
//
// The safe pattern: acknowledge (200) only AFTER the event is stored, so a
// crash or a failed write makes Kopo Kopo deliver it again; skip events
// already stored (dedupe by event id: Kopo Kopo may deliver one twice); do the
// work asynchronously, from the store, not inside the request.
// InMemoryDedupe and the Map below live in this process only: production needs
// a shared store (your database, with the event id as a unique key; Redis).
// Prints its URL on the first line of stdout.
'use strict'

const express = require('express')
const { kopokopo, eventId, InMemoryDedupe } = require('kopokopo/express')

const apiKey = process.env.K2_API_KEY
const app = express()
const seen = new InMemoryDedupe({ ttlMs: 24 * 60 * 60 * 1000 })

// Stand-in for your database: save() resolves once the event is durable.
const db = {
  events: new Map(),
  async save(id, event) {
    this.events.set(id ?? `no-id-${this.events.size}`, { event, done: false })
  },
}

async function receive(req, res) {
  const event = req.kopokopo // verified and parsed
  const id = eventId(event) // 'webhook:<id>', 'daraja:<TransID>', 'result:<kind>:<id>:<status>'
  if (id !== null && seen.has(id)) return res.sendStatus(200) // delivered again: already stored
  try {
    await db.save(id, event) // 1. store
  } catch (e) {
    console.error(e)
    return res.sendStatus(500) // not stored: Kopo Kopo will retry
  }
  seen.add(id) // 2. remember
  res.sendStatus(200) // 3. acknowledge
  setImmediate(processPending) // 4. process outside the request
}

app.post('/k2/webhooks', kopokopo({ apiKey, kind: 'webhook' }), receive)
app.post('/k2/results', kopokopo({ apiKey, kind: 'result' }), receive)

/** The worker: your application logic, reading from the store. */
function processPending() {
  for (const entry of db.events.values()) {
    if (entry.done) continue
    entry.done = true
    const e = entry.event
    if (e.structure === 'k2') console.log(`webhook ${e.topic} ${e.id} ${e.resource.amount ?? ''}`.trim())
    else if (e.structure === 'daraja') console.log(`webhook daraja ${e.TransID} ${e.TransAmount}`)
    else console.log(`result ${e.kind} ${e.value.id ?? ''} ${e.value.status ?? ''}`.trim())
  }
}

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`)
})
process.on('SIGTERM', () => server.close())
