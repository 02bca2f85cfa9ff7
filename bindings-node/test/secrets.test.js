'use strict'
// Secrets (client secret, API key, access token) never appear in
// toString/inspect/JSON of the client, nor in any error.

const assert = require('node:assert/strict')
const util = require('node:util')
const { after, before, it } = require('node:test')

const k = require('..')
const { MOCK, startMock } = require('./helpers')

const SECRET = 'sup3r-s3cret-client-secret-value'
const API_KEY = 'sup3r-s3cret-api-key-value'

let mock

before(async () => {
  mock = await startMock(['--client-secret', SECRET, '--api-key', API_KEY])
})

after(async () => {
  await mock?.stop()
})

function assertClean(text, token) {
  assert.ok(!text.includes(SECRET), `client secret leaked: ${text}`)
  assert.ok(!text.includes(API_KEY), `API key leaked: ${text}`)
  if (token) assert.ok(!text.includes(token), `access token leaked: ${text}`)
}

function describeError(e) {
  return [String(e), e.message, e.stack, util.inspect(e, { showHidden: true, depth: 10 }), JSON.stringify(e)].join('\n')
}

it('client toString / inspect / JSON / keys hide the secrets', () => {
  const client = new k.Client({ clientId: MOCK.clientId, clientSecret: SECRET, apiKey: API_KEY, baseUrl: mock.baseUrl })
  const views = [
    String(client),
    `${client}`,
    util.inspect(client),
    util.inspect(client, { showHidden: true, depth: Infinity, getters: true }),
    JSON.stringify(client),
    util.format('%o %O %j', client, client, client),
    Object.keys(client).join(','),
    JSON.stringify(Object.getOwnPropertyNames(client)),
  ]
  for (const v of views) assertClean(v)
  assert.match(util.inspect(client), /clientId/)
})

it('errors never carry the secret, the API key or the token', async () => {
  const client = new k.Client({ clientId: MOCK.clientId, clientSecret: SECRET, apiKey: API_KEY, baseUrl: mock.baseUrl })
  const token = (await client.tokens.request()).accessToken
  const failures = []
  // Wrong secret (the server refuses it).
  const wrong = new k.Client({ clientId: MOCK.clientId, clientSecret: `${SECRET}-wrong`, baseUrl: mock.baseUrl })
  failures.push(await wrong.tokens.request().catch((e) => e))
  // A secret of the wrong type.
  assert.throws(() => new k.Client({ clientId: 'id', clientSecret: 987654321 }), (e) => {
    failures.push(e)
    assert.ok(!describeError(e).includes('987654321'))
    return true
  })
  // Blank secret; bad signature; bad URL; API error; revoked token introspection with a bad token.
  try {
    new k.Client({ clientId: 'id', clientSecret: '  ' })
  } catch (e) {
    failures.push(e)
  }
  try {
    client.webhooks.parseWebhook('{"topic":"x"}', k.sign('{"topic":"x"}', 'other'))
  } catch (e) {
    failures.push(e)
  }
  failures.push(await client.incomingPayments.status('does-not-exist').catch((e) => e))
  failures.push(await client.tokens.introspect('').catch((e) => e))
  assert.ok(failures.length >= 6)
  for (const e of failures) {
    assert.ok(e instanceof k.KopoKopoError, String(e))
    assertClean(describeError(e), token)
  }
})
