// Receive Kopo Kopo webhooks and results with Express.
//
//   KOPOKOPO_CLIENT_ID=... KOPOKOPO_CLIENT_SECRET=... KOPOKOPO_API_KEY=... PORT=3000 node express-webhooks.js
//
// The signature is an HMAC of the RAW body: use express.raw() on these routes
// (express.json() would parse and re-serialise, and verification would fail).
// Keep its `limit`: the signature can only be checked once the whole body is
// in memory, so without a cap anyone who can reach this URL could make it
// buffer an arbitrarily large body. Bigger bodies are answered 413.
// Prints its URL on the first line of stdout.
'use strict'

const express = require('express')
const { Client, SignatureError, DecodeError, SIGNATURE_HEADER } = require('kopokopo')

const client = new Client({
  clientId: process.env.KOPOKOPO_CLIENT_ID || 'unused-for-receiving',
  clientSecret: process.env.KOPOKOPO_CLIENT_SECRET || 'unused-for-receiving',
  apiKey: process.env.KOPOKOPO_API_KEY, // verifies the signatures
})

const app = express()
const MAX_BODY = 1024 * 1024 // 1 MiB; Kopo Kopo's events are a few KiB
const raw = express.raw({ type: '*/*', limit: MAX_BODY })

function handle(parse) {
  return (req, res) => {
    try {
      // req.body is a Buffer with the bytes exactly as received.
      const parsed = parse(req.body, req.get(SIGNATURE_HEADER))
      res.sendStatus(200) // acknowledge quickly; do the work afterwards
      onEvent(parsed)
    } catch (e) {
      if (e instanceof SignatureError) return res.sendStatus(401)
      if (e instanceof DecodeError) return res.sendStatus(400)
      console.error(e)
      res.sendStatus(500)
    }
  }
}

function onEvent(e) {
  if (e.structure === 'k2') console.log(`webhook ${e.topic} ${e.id} ${e.resource.value?.amount ?? ''}`.trim())
  else if (e.structure === 'daraja') console.log(`webhook daraja ${e.TransID} ${e.TransAmount}`)
  else console.log(`result ${e.kind} ${e.value.id ?? ''} ${e.value.status ?? ''}`.trim())
}

app.post('/k2/webhooks', raw, handle(client.webhooks.parseWebhook))
app.post('/k2/results', raw, handle(client.webhooks.parseResult))
app.use((err, req, res, next) => {
  if (err.type === 'entity.too.large') return res.sendStatus(413) // over MAX_BODY, not buffered
  next(err)
})

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`)
})
process.on('SIGTERM', () => server.close())
