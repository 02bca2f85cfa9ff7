// Receive Kopo Kopo webhooks and results with plain node:http (no framework).
//
//   KOPOKOPO_API_KEY=... PORT=3000 node http-webhooks.js
//
// Verification needs the raw body: collect the chunks into one Buffer, up to
// MAX_BODY. The signature can only be checked once the whole body is in
// memory, so without a cap anyone who can reach this URL could make it buffer
// an arbitrarily large body: bigger bodies are answered 413 and not kept.
// Prints its URL on the first line of stdout.
'use strict'

const http = require('node:http')
const { parseWebhook, parseResult, SignatureError, DecodeError } = require('kopokopo')

const apiKey = process.env.KOPOKOPO_API_KEY
const MAX_BODY = 1024 * 1024 // 1 MiB; Kopo Kopo's events are a few KiB

const server = http.createServer((req, res) => {
  const parse = { '/k2/webhooks': parseWebhook, '/k2/results': parseResult }[req.url]
  if (req.method !== 'POST' || !parse) return res.writeHead(404).end()
  const chunks = []
  let size = 0
  const tooLarge = () => {
    chunks.length = 0
    res.writeHead(413).end() // answered now; the rest of the body is read and dropped
  }
  if (Number(req.headers['content-length']) > MAX_BODY) tooLarge()
  req.on('data', (c) => {
    if (res.headersSent) return
    size += c.length
    if (size > MAX_BODY) tooLarge()
    else chunks.push(c)
  })
  req.on('end', () => {
    if (res.headersSent) return
    const body = Buffer.concat(chunks)
    try {
      const event = parse(body, req.headers['x-kopokopo-signature'], apiKey)
      res.writeHead(200).end()
      if (event.structure === 'k2') console.log(`webhook ${event.topic} ${event.id}`)
      else if (event.structure === 'daraja') console.log(`webhook daraja ${event.TransID} ${event.TransAmount}`)
      else console.log(`result ${event.kind} ${event.value.id ?? ''} ${event.value.status ?? ''}`.trim())
    } catch (e) {
      const status = e instanceof SignatureError ? 401 : e instanceof DecodeError ? 400 : 500
      if (status === 500) console.error(e)
      res.writeHead(status).end()
    }
  })
})

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`)
})
process.on('SIGTERM', () => server.close())
