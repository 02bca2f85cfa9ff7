package com.kopokopo.sdk

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.math.BigDecimal

/** Webhook signatures and parsing: documentation fixtures and events sent by `k2 mock`. */
class WebhooksTest {
    private val key = "webhook-test-key"

    private val topics = mapOf(
        "buygoods_transaction_received" to "transaction",
        "buygoods_transaction_reversed" to "transaction",
        "b2b_transaction_received" to "transaction",
        "b2b_transaction_reversed" to "transaction",
        "m2m_transaction_received" to "transaction",
        "card_transaction_received" to "transaction",
        "card_transaction_voided" to "transaction",
        "card_transaction_reversed" to "transaction",
        "settlement_transfer_completed" to "settlement_transfer",
        "customer_created" to "customer",
    )
    private val darajaTopics = listOf("buygoods_transaction_received", "b2b_transaction_received")

    @TestFactory
    fun documentationFixtures(): List<DynamicTest> {
        val files = File(Env.repoRoot, "tests/fixtures").listFiles { f -> f.name.startsWith("webhook.") }!!.sortedBy { it.name }
        assertEquals(11, files.size, files.joinToString { it.name })
        return files.map { f ->
            dynamicTest(f.name) {
                val (_, topic, structure) = f.name.removeSuffix(".json").split(".")
                val body = f.readBytes()
                val sig = sign(body, key)
                assertTrue(verifySignature(body, sig, key))
                val e = parseWebhook(body, sig, key)
                assertEquals(topic, e.topic)
                assertEquals(structure, e.structure)
                assertTrue(e.id.isNotBlank())
                JSONObject(parseWebhookJson(body, sig, key)) // valid JSON
                if (structure == "k2") {
                    assertEquals(topics.getValue(topic), e.resourceKind)
                    assertEquals(e.resourceKind == "transaction", e.transaction != null)
                    assertFalse(e is WebhookEvent.Unknown)
                } else {
                    assertEquals("daraja", e.resourceKind)
                    assertTrue(e is WebhookEvent.Daraja)
                    assertNotNull(e.amount)
                }
            }
        }
    }

    @TestFactory
    fun everyTopicFromTheMock(): List<DynamicTest> {
        val mock = Shared.mock
        val receiver = Shared.receiver
        val client = Shared.client()
        val cases = topics.keys.map { it to false } + darajaTopics.map { it to true }
        return cases.map { (topic, daraja) ->
            dynamicTest("$topic${if (daraja) " (daraja)" else ""}") {
                val url = receiver.newUrl("webhook")
                mock.admin("trigger", JSONObject().put("topic", topic).put("url", url).put("daraja", daraja))
                val d = receiver.await(url)
                val e = client.parseWebhook(d.body, d.signature)
                assertEquals(topic, e.topic)
                assertEquals(if (daraja) "daraja" else "k2", e.structure)
                assertEquals(e, parseWebhook(d.body, d.signature, Env.API_KEY))
                assertEquals(true, client.verifyWebhookSignature(d.body, d.signature))
            }
        }
    }

    @Test
    fun knownTopics() {
        // The core's list; every one of them is typed (and triggered from the mock above).
        val known = knownWebhookTopics()
        assertEquals(10, known.size, known.toString())
        assertEquals(topics.keys, known.toSet())
        assertTrue("m2m_transaction_received" in known)
    }

    @Test
    fun merchantToMerchantTransaction() {
        // A payload the live API sends beyond the documentation (tests/fixtures/live/).
        val body = fixture("live/webhook.m2m_transaction_received.k2.json")
        val e = parseWebhook(body, sign(body, key), key)
        assertEquals("m2m_transaction_received", e.topic)
        assertEquals("k2", e.structure)
        assertEquals("5f3b8c2e-1d4a-4c2b-9a71-0e6f2b9d4c11", e.id)
        val m2m = e as? WebhookEvent.M2mTransactionReceived ?: throw AssertionError("not M2mTransactionReceived: $e")
        assertEquals("Merchant to Merchant Transaction", m2m.eventType)
        assertEquals("transaction", e.resourceKind)
        val tx = m2m.resource
        assertEquals("Acme Wholesalers", tx.sendingMerchant)
        assertEquals("b7a1e9d0-3c55-4f0e-8f2a-6d9c1b2e7f30", tx.id)
        assertExactMoney("2500", tx.amount)
        assertEquals(tx.amount, e.amount)
        assertEquals("KES", tx.currency)
        assertEquals("Received", tx.status)
        assertNull(tx.sendingTill)
        val json = JSONObject(parseWebhookJson(body, sign(body, key), key))
        assertEquals("Acme Wholesalers", json.getJSONObject("resource").getString("sending_merchant"))
        assertEquals("transaction", json.getJSONObject("resource").getString("kind"))
        // Other transaction topics leave it null.
        val buygoods = fixture("webhook.buygoods_transaction_received.k2.json")
        assertNull(parseWebhook(buygoods, sign(buygoods, key), key).transaction?.sendingMerchant)
    }

    @Test
    fun darajaThirdPartyTransIdAsDocumented() {
        // Written as the documentation spells it; Safaricom's `ThirdPartyTransID` is read too.
        val documented = fixture("webhook.buygoods_transaction_received.daraja.json")
        val safaricom = String(documented, Charsets.UTF_8).replace("\"ThirdPartyTransId\"", "\"ThirdPartyTransID\"").toByteArray()
        for (body in listOf(documented, safaricom)) {
            val json = JSONObject(parseWebhookJson(body, sign(body, key), key))
            val event = parseWebhook(body, sign(body, key), key) as? WebhookEvent.Daraja ?: throw AssertionError("not Daraja")
            assertNotNull(event.event.thirdPartyTransId)
            assertTrue(json.has("ThirdPartyTransId"), json.toString())
            assertFalse(json.has("ThirdPartyTransID"), json.toString())
        }
        assertFalse(documented.contentEquals(safaricom))
    }

    @Test
    fun subscriptionDelivery() {
        val client = Shared.client()
        val url = Shared.receiver.newUrl("subscribed")
        client.webhooks.subscribe(WebhookSubscriptionRequest(eventType = "customer_created", url = url, scope = "company"))
        Shared.mock.admin("trigger", JSONObject().put("topic", "customer_created"))
        val d = Shared.receiver.await(url)
        val e = client.parseWebhook(d.body, d.signature)
        assertEquals("customer_created", e.topic)
        assertEquals("customer", e.resourceKind)
        assertNull(e.transaction)
        assertTrue(e is WebhookEvent.CustomerCreated, e.toString())
    }

    @Test
    fun transactionFieldsAndAmountsAreExact() {
        val body = fixture("webhook.buygoods_transaction_received.k2.json")
        val e = parseWebhook(body, sign(body, key), key)
        val buygoods = e as? WebhookEvent.BuygoodsTransactionReceived ?: throw AssertionError("not BuygoodsTransactionReceived: $e")
        val tx = buygoods.resource
        assertEquals(tx.amount, e.amount)
        assertNotNull(tx.amount)
        val jsonAmount = JSONObject(String(body, Charsets.UTF_8)).getJSONObject("event").getJSONObject("resource").get("amount")
        assertEquals(0, BigDecimal(jsonAmount.toString()).compareTo(tx.amount), "amount $jsonAmount")
        assertEquals("KES", tx.currency)
        assertNotNull(tx.reference)
        assertEquals("Buygoods Transaction", buygoods.eventType)
    }

    private fun json(name: String) = JSONObject(String(fixture(name), Charsets.UTF_8))
    private fun JSONObject.signed(): Pair<ByteArray, String> = toString().toByteArray().let { it to sign(it, key) }
    private fun webhook(o: JSONObject) = o.signed().let { (b, s) -> parseWebhook(b, s, key) }
    private fun result(o: JSONObject) = o.signed().let { (b, s) -> parseResult(b, s, key) }

    @Test
    fun tolerantPayloads() {
        // Fields other than topic / TransactionType / data.type may be null or of another type.
        val settlementFile = "webhook.settlement_transfer_completed.k2.json"
        val settlement = json(settlementFile).also {
            it.getJSONObject("event").getJSONObject("resource").put("disbursements", JSONObject.NULL)
        }
        val s = webhook(settlement)
        val original = webhook(json(settlementFile))
        assertEquals("settlement_transfer_completed", s.topic)
        assertEquals("settlement_transfer", s.resourceKind)
        assertEquals(original.id, s.id)
        assertEquals(original.amount, s.amount)
        assertNotNull(s.amount)

        val darajaFile = "webhook.buygoods_transaction_received.daraja.json"
        val d = webhook(json(darajaFile).put("BusinessShortCode", 174379))
        assertEquals("daraja", d.structure)
        assertEquals("buygoods_transaction_received", d.topic)
        assertEquals("OJM6Q1W84K", d.id)
        assertEquals(webhook(json(darajaFile)).amount, d.amount)

        val cardFile = "webhook.card_transaction_received.k2.json"
        val card = json(cardFile).also { it.getJSONObject("event").getJSONObject("resource").put("settled", 0) }
        val c = webhook(card)
        assertEquals("card_transaction_received", c.topic)
        assertEquals("transaction", c.resourceKind)
        val tx = c.transaction ?: throw AssertionError("no transaction")
        assertEquals(webhook(json(cardFile)).transaction?.reference, tx.reference)
        assertEquals(webhook(json(cardFile)).amount, c.amount)

        val resultFile = "result.incoming_payment.success.json"
        val ip = json(resultFile).also { it.getJSONObject("data").getJSONObject("attributes").put("event", JSONObject.NULL) }
        val r = result(ip)
        assertEquals("incoming_payment", r.kind)
        assertEquals("a652f86f-f2aa-4d70-baa2-ccfe4b78f4fc", r.id)
        assertEquals("Success", r.status)
        assertNotNull(r.incomingPayment)
        ip.signed().let { (b, sig) -> JSONObject(parseResultJson(b, sig, key)) }

        // What identifies a payload is still required: without it, a decode error.
        for (o in listOf(json(settlementFile), json(cardFile), json("webhook.customer_created.k2.json"))) {
            o.remove("topic")
            val e = assertThrows<KopoKopoException.Decode> { webhook(o) }
            assertEquals("decode_error", KopoKopo.code(e))
        }
        assertThrows<KopoKopoException.Decode> { webhook(json(darajaFile).also { it.remove("TransactionType") }) }
        assertThrows<KopoKopoException.Decode> { result(json(resultFile).also { it.getJSONObject("data").remove("type") }) }
        // The same bodies, badly signed, are refused before they are decoded.
        val noTopic = json(settlementFile).also { it.remove("topic") }.toString().toByteArray()
        assertThrows<KopoKopoException.SignatureInvalid> { parseWebhook(noTopic, sign(noTopic, "other-key"), key) }
    }

    @Test
    fun refusals() {
        val body = fixture("webhook.customer_created.k2.json")
        val sig = sign(body, key)
        // Tampered body, wrong key, missing/empty/short/non-hex signatures.
        val tampered = body.copyOf().also { it[it.size / 2] = (it[it.size / 2] + 1).toByte() }
        assertFalse(verifySignature(tampered, sig, key))
        assertFalse(verifySignature(body, sig, "other-key"))
        assertFalse(verifySignature(body, null, key))
        assertFalse(verifySignature(body, "", key))
        assertFalse(verifySignature(body, sig.substring(1), key))
        assertFalse(verifySignature(body, "z".repeat(64), key))
        assertTrue(verifySignature(body, sig.uppercase(), key))

        val missing = assertThrows<KopoKopoException.SignatureInvalid> { parseWebhook(body, null, key) }
        assertTrue(missing.reason.contains("missing"), missing.reason)
        assertEquals(missing.reason, (missing as KopoKopoException).reason)
        assertThrows<KopoKopoException.SignatureInvalid> { parseWebhook(tampered, sig, key) }

        // A correctly signed body that is not a webhook is a decode error.
        val junk = "[1,2,3]".toByteArray()
        assertThrows<KopoKopoException.Decode> { parseWebhook(junk, sign(junk, key), key) }
        // A client without an API key cannot verify.
        val noKey = KopoKopo.client(clientId = "id", clientSecret = "secret")
        val e = assertThrows<KopoKopoException.InvalidArgument> { noKey.parseWebhook(body, sig) }
        assertEquals("apiKey", e.field)
    }
}
