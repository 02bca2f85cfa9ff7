// Receive Kopo Kopo webhooks and results with plain node:http (no framework).
//
//   KOPOKOPO_API_KEY=... PORT=3000 node http-webhooks.js
//
// Verification needs the raw body: collect the chunks into one Buffer.
// Prints its URL on the first line of stdout.
'use strict'

const http = require('node:http')
const { parseWebhook, parseResult, SignatureError, DecodeError } = require('kopokopo')

const apiKey = process.env.KOPOKOPO_API_KEY

const server = http.createServer((req, res) => {
  const parse = { '/k2/webhooks': parseWebhook, '/k2/results': parseResult }[req.url]
  if (req.method !== 'POST' || !parse) return res.writeHead(404).end()
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
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
