// Quickstart: request an M-PESA STK push, follow its status, create a payment link.
//
//   K2_CLIENT_ID=... K2_CLIENT_SECRET=... node quickstart.js
//
// Optional: K2_BASE_URL (default: the sandbox), K2_TILL_NUMBER,
// K2_PHONE_NUMBER, K2_CALLBACK_URL (where Kopo Kopo POSTs results).
'use strict'

const { Client, KopoKopoError, InvalidArgumentError, SANDBOX_URL } = require('kopokopo')

const env = process.env
const client = new Client({
  clientId: env.K2_CLIENT_ID,
  clientSecret: env.K2_CLIENT_SECRET,
  apiKey: env.K2_API_KEY,
  baseUrl: env.K2_BASE_URL || SANDBOX_URL,
  timeoutMs: 20_000,
})
const callbackUrl = env.K2_CALLBACK_URL || 'https://example.com/k2/results'
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function main() {
  console.log(`Using ${client}`) // never prints the secret

  // 1. STK push: the customer gets a prompt on their phone. Amounts are strings.
  const created = await client.incomingPayments.create({
    tillNumber: env.K2_TILL_NUMBER || 'K000000',
    phoneNumber: env.K2_PHONE_NUMBER || '0712345678',
    firstName: 'Jane',
    amount: '150.00',
    callbackUrl,
    metadata: { orderId: 'ORDER-42' },
  })
  console.log(`STK push requested: ${created.location}`)

  // 2. The result is POSTed to callbackUrl; it can also be polled.
  let payment = await client.incomingPayments.status(created.location)
  for (let i = 0; payment.status === 'Pending' && i < 20; i++) {
    await sleep(500)
    payment = await client.incomingPayments.status(created.location)
  }
  const tx = payment.event.resource
  console.log(`Payment ${payment.id}: ${payment.status}` + (tx ? ` (${tx.currency} ${tx.amount}, ref ${tx.reference})` : ''))
  for (const error of payment.event.errors) console.log(`  error: ${error}`)

  // 3. A payment link to share with a customer.
  const link = await client.paymentLinks.create({ tillNumber: '112233', amount: '350.00', note: 'Invoice 7', callbackUrl })
  const details = await client.paymentLinks.status(link.id)
  console.log(`Payment link ${details.id}: ${details.paymentLink?.status ?? details.status} ${details.paymentLink?.link ?? ''}`)

  // 4. Bad input is refused before anything is sent, naming the field.
  try {
    await client.incomingPayments.create({ tillNumber: 'K000000', phoneNumber: 'not-a-phone', amount: '1', callbackUrl })
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e
    console.log(`Refused locally: field ${e.field} (${e.code}): ${e.reason}`) // field phoneNumber
  }
}

main().catch((e) => {
  if (e instanceof KopoKopoError) console.error(`${e.name} [${e.code}]: ${e.message}`)
  else console.error(e)
  process.exitCode = 1
})
