// Typed webhook receivers (Express and node:http); checked by `tsc --noEmit -p examples/node` in the Node tests.
import * as http from 'node:http'
import express from 'express'
import { InMemoryDedupe, eventId, kopokopo } from 'kopokopo/express'
import { createWebhookHandler } from 'kopokopo/http'
import type { CallbackResult, Webhook } from 'kopokopo'

const apiKey = process.env.K2_API_KEY ?? ''
const seen = new InMemoryDedupe({ ttlMs: 24 * 60 * 60 * 1000 })

/** Your durable store: resolve only once the event is saved. */
export async function save(id: string | null, event: Webhook | CallbackResult): Promise<void> {
  void id
  void event
}

export const app = express()
app.post('/k2/webhooks', kopokopo({ apiKey, kind: 'webhook' }), async (req, res) => {
  const event = req.kopokopo // Webhook | CallbackResult | undefined (typed by kopokopo/express)
  if (!event) return void res.sendStatus(500)
  const id = eventId(event)
  if (id !== null && seen.has(id)) return void res.sendStatus(200)
  await save(id, event) // a rejection becomes 500 in Express 5: Kopo Kopo retries
  seen.add(id)
  res.sendStatus(200)
})

export const server = http.createServer(
  createWebhookHandler({ apiKey, kind: 'result', dedupe: seen }, async (result, { id }) => {
    // `result` is a CallbackResult: narrowed by `kind`.
    if (result.kind === 'incoming_payment') console.log(result.value.status, result.value.event.resource?.amount ?? '')
    await save(id, result)
  }),
)
