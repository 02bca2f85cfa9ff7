// TypeScript usage; checked by `tsc --noEmit -p examples/node` in the Node tests.
import {
  ApiError,
  Client,
  InvalidArgumentError,
  KopoKopoError,
  RateLimitError,
  SANDBOX_URL,
  type CallbackResult,
  type Created,
  type IncomingPayment,
  type SendMoneyRequest,
  type Webhook,
} from 'kopokopo'

const client = new Client({
  clientId: process.env.K2_CLIENT_ID ?? '',
  clientSecret: process.env.K2_CLIENT_SECRET ?? '',
  apiKey: process.env.K2_API_KEY,
  baseUrl: process.env.K2_BASE_URL ?? SANDBOX_URL,
  timeoutMs: 20_000,
})

export async function charge(phoneNumber: string, amount: string): Promise<IncomingPayment> {
  const created: Created = await client.incomingPayments.create({
    tillNumber: 'K000000',
    phoneNumber,
    amount, // an exact decimal string, e.g. "150.00"
    callbackUrl: 'https://example.com/k2/results',
    metadata: { orderId: 'ORDER-42' },
  })
  return client.incomingPayments.status(created.location)
}

export async function payOut(): Promise<string> {
  const request: SendMoneyRequest = {
    destinations: [{ type: 'mobile_wallet', phoneNumber: '0712345678', network: 'Safaricom', amount: '1000', description: 'Salary' }],
    callbackUrl: 'https://example.com/k2/results',
  }
  try {
    const { id } = await client.sendMoney.create(request)
    const status = await client.sendMoney.status(id)
    return status.status
  } catch (e) {
    if (e instanceof InvalidArgumentError) return `bad ${e.field}`
    if (e instanceof RateLimitError) return `retry in ${e.retryAfter ?? '?'} s`
    if (e instanceof ApiError) return `HTTP ${e.httpStatus}: ${e.errorMessage}`
    if (e instanceof KopoKopoError) return e.code
    throw e
  }
}

export function onWebhook(rawBody: Buffer, signature: string | undefined): string {
  const event: Webhook = client.webhooks.parseWebhook(rawBody, signature)
  if (event.structure === 'daraja') return `${event.TransID}: ${event.TransAmount ?? ''}`
  if (event.resource.kind === 'transaction') {
    const amount: string | null = event.resource.amount
    return `${event.topic}: ${amount ?? ''}`
  }
  return event.topic
}

export function onResult(rawBody: Buffer, signature: string | undefined): string {
  const result: CallbackResult = client.webhooks.parseResult(rawBody, signature)
  switch (result.kind) {
    case 'incoming_payment':
      return `${result.value.status} ${result.value.event.resource?.amount ?? ''}`
    case 'reversal':
      return result.value.reversalBulkPayment?.status ?? result.value.status
    case 'unknown':
      return result.value.resultType
    default:
      return result.value.status
  }
}
