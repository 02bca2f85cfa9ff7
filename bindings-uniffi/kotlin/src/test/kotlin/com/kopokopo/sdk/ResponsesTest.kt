package com.kopokopo.sdk

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.math.BigDecimal

/**
 * Documented response bodies (tests/fixtures/) served by a loopback
 * [FixtureServer] and read through the client, for the shapes `k2 mock`
 * does not produce; plus the documented request values.
 */
class ResponsesTest {
    private val id = "2eab4ca0-1724-4c90-a734-0fb5ffc4391c"

    @Test
    fun tokenInfoCreatedAtIsText() {
        // An integer in the documented example; kept as text (an ISO string elsewhere).
        FixtureServer(mapOf("GET /oauth/token/info" to (200 to fixture("response.token_info.json")))).use { server ->
            val info = server.client().tokens.info()
            assertEquals("1613376955", info.createdAt)
            assertEquals(4498L, info.expiresIn)
            assertEquals("_9fXMGROLmSegBhofF6z-qDKHH5L6FsbMn2MgG24Xnk", info.application?.uid)
            assertEquals(emptyList<String>(), info.scope)
        }
        val iso = JSONObject(String(fixture("response.token_info.json"), Charsets.UTF_8)).put("created_at", "2026-04-27T00:09:15+03:00")
        FixtureServer(mapOf("GET /oauth/token/info" to (200 to iso.toString().toByteArray()))).use { server ->
            assertEquals("2026-04-27T00:09:15+03:00", server.client().tokens.info().createdAt)
        }
    }

    @Test
    fun paymentLinkInitiatorName() {
        // The second status shape (account_name, initiator_name, ...).
        val routes = mapOf("GET /api/v2/payment_links/$id" to (200 to fixture("response.payment_link.status.alt.json")))
        FixtureServer(routes).use { server ->
            val link = server.client().paymentLinks.status(id)
            assertEquals(id, link.id)
            assertEquals("David Kariuki Mwangi", link.initiatorName)
            assertEquals("UAT Testing", link.tillName)
            assertEquals("K112233", link.tillNumber)
            assertExactMoney("240001", link.amount)
        }
        // The first shape has none.
        FixtureServer(mapOf("GET /api/v2/payment_links/$id" to (200 to fixture("response.payment_link.status.json")))).use { server ->
            assertNull(server.client().paymentLinks.status(id).initiatorName)
        }
    }

    @Test
    fun cancelledPaymentLinkDetails() {
        // The documented answer: a message only.
        FixtureServer(
            mapOf("POST /api/v2/payment_links/$id/cancel" to (200 to fixture("response.payment_link.cancel.json"))),
        ).use { server ->
            val c = server.client().paymentLinks.cancel(id)
            assertEquals("Payment link cancelled.", c.message)
            assertNull(c.paymentLink)
        }
        // With the link's details, as the text says they come back: typed as the link.
        val withData = JSONObject(
            String(fixture("response.payment_link.status.alt.json"), Charsets.UTF_8),
        ).put("message", "Payment link cancelled.")
        FixtureServer(mapOf("POST /api/v2/payment_links/$id/cancel" to (200 to withData.toString().toByteArray()))).use { server ->
            val c = server.client().paymentLinks.cancel(id)
            assertEquals("Payment link cancelled.", c.message)
            val link = c.paymentLink ?: throw AssertionError("no paymentLink in $c")
            assertEquals(id, link.id)
            assertEquals("David Kariuki Mwangi", link.initiatorName)
        }
    }

    @Test
    fun legacySettlementTransferStatus() {
        val sid = "01aece24-e596-4f5c-9ace-9eb1a0939dda"
        val routes = mapOf(
            "GET /api/v2/send_money/$sid" to (200 to fixture("variants/response.send_money.status.legacy_settlement_transfer.json")),
        )
        FixtureServer(routes).use { server ->
            val s = server.client().sendMoney.status(sid)
            assertEquals("settlement_transfer", s.kind)
            assertEquals("Processed", s.status)
            val total = s.amount ?: throw AssertionError("no amount in $s")
            assertEquals("KES", total.currency)
            // `"value": null` stays null (not zero, not dropped with its currency).
            assertNull(total.value)
            assertEquals(MoneyAmount(currency = "KES", value = null), total)
        }
    }

    @Test
    fun documentedRequestValues() {
        assertEquals("Safaricom", networkSafaricom())
        assertEquals("M-PESA STK Push", paymentChannelStkPush())
        assertEquals("M-PESA", paymentChannelMpesa())
        // They are what a request sends: the mock accepts both channels and the network.
        val client = Shared.client()
        for (channel in listOf(paymentChannelStkPush(), paymentChannelMpesa())) {
            val c = client.incomingPayments.create(
                IncomingPaymentRequest(
                    tillNumber = "K000000",
                    phoneNumber = "0712345678",
                    amount = BigDecimal("10"),
                    callbackUrl = "https://example.com/k2/results",
                    paymentChannel = channel,
                ),
            )
            assertTrue(c.id.isNotBlank())
        }
        val w = client.merchantWallets.create(
            MerchantWalletRequest(firstName = "Jane", lastName = "Doe", phoneNumber = "0712345678", network = networkSafaricom()),
        )
        assertTrue(w.id.isNotBlank())
    }
}
