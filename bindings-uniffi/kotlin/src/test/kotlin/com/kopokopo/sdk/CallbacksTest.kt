package com.kopokopo.sdk

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.math.BigDecimal
import java.time.OffsetDateTime

/**
 * Every asynchronous result kind: the mock POSTs a signed result to a
 * loopback receiver; the raw bytes are verified and parsed.
 */
class CallbacksTest {
    private val mock = Shared.mock
    private val receiver = Shared.receiver
    private val client = Shared.client()

    private fun receive(url: String): CallbackResult {
        val d = receiver.await(url)
        assertNotNull(d.signature, "X-KopoKopo-Signature header")
        assertTrue(verifySignature(d.body, d.signature, Env.API_KEY))
        val viaFunction = parseResult(d.body, d.signature, Env.API_KEY)
        // The client method uses the configured API key: same result.
        assertEquals(viaFunction, client.parseResult(d.body, d.signature))
        // The same bytes with a wrong key are refused.
        assertThrows<KopoKopoException.SignatureInvalid> { parseResult(d.body, d.signature, "wrong-key") }
        return viaFunction
    }

    @Test
    fun incomingPaymentSuccess() {
        val url = receiver.newUrl()
        val c = client.incomingPayments.create(
            IncomingPaymentRequest(tillNumber = "K000000", phoneNumber = "0712345678", amount = BigDecimal("100"), callbackUrl = url),
        )
        val r = receive(url)
        assertEquals("incoming_payment", r.kind)
        assertEquals(c.id, r.id)
        assertEquals("Success", r.status)
        val p = (r as? CallbackResult.IncomingPaymentResult)?.value ?: throw AssertionError("not an incoming payment: $r")
        assertEquals(c.id, p.id)
        assertEquals("incoming_payment", p.kind)
        assertTrue(p.event.errors.isEmpty())
        assertEquals("Received", p.event.resource?.status)
        assertNull(r.sendMoney)
    }

    @Test
    fun incomingPaymentFailure() {
        val url = receiver.newUrl()
        client.incomingPayments.create(
            IncomingPaymentRequest(tillNumber = "K000000", phoneNumber = "0700000001", amount = BigDecimal("100"), callbackUrl = url),
        )
        val r = receive(url)
        assertEquals("Failed", r.status)
        assertEquals(listOf("The balance is insufficient for the transaction"), r.incomingPayment?.event?.errors)
    }

    @Test
    fun sendMoney() {
        val url = receiver.newUrl()
        val c = client.sendMoney.create(
            SendMoneyRequest(
                callbackUrl = url,
                destinations = listOf(Destination.Till(tillNumber = "112233", amount = BigDecimal("75"), description = "Stock")),
            ),
        )
        val r = receive(url)
        assertEquals("send_money", r.kind)
        assertEquals(c.id, r.id)
        val s = r.sendMoney ?: throw AssertionError("sendMoney not set")
        assertEquals("Processed", s.status)
        assertTrue(s.transferBatches.flatMap { it.disbursements }.all { it.status == "Transferred" })
    }

    @Test
    fun sendMoneyInsufficientBalance() {
        val url = receiver.newUrl()
        client.sendMoney.create(
            SendMoneyRequest(
                callbackUrl = url,
                destinations = listOf(
                    Destination.MobileWallet(
                        phoneNumber = "0700000001",
                        network = "Safaricom",
                        amount = BigDecimal("10"),
                        description = "x",
                    ),
                ),
            ),
        )
        val s = receive(url).sendMoney ?: throw AssertionError("sendMoney not set")
        val d = s.transferBatches.flatMap { it.disbursements }
        assertTrue(d.any { it.status == "Failed" }, d.toString())
        assertTrue((s.errors + d.flatMap { it.errors }).any { it.contains("insufficient") })
    }

    @Test
    fun polling() {
        val url = receiver.newUrl()
        val c = client.polling.create(
            PollingRequest(
                scope = "till",
                scopeReference = "112233",
                fromTime = OffsetDateTime.parse("2021-04-12T08:50:22+03:00"),
                toTime = OffsetDateTime.parse("2021-04-19T08:50:22+03:00"),
                callbackUrl = url,
            ),
        )
        val r = receive(url)
        assertEquals("polling", r.kind)
        assertEquals(c.id, r.id)
        assertEquals("Success", r.polling?.status)
    }

    @Test
    fun smsNotification() {
        val url = receiver.newUrl()
        val c = client.smsNotifications.create(
            SmsNotificationRequest(webhookEventReference = "ref-1", message = "Thank you", callbackUrl = url),
        )
        val r = receive(url)
        assertEquals("transaction_sms_notification", r.kind)
        assertEquals(c.id, r.id)
        assertEquals("Success", r.smsNotification?.status)
    }

    @Test
    fun reversalSuccessAndFailure() {
        val ok = receiver.newUrl()
        client.reversals.create(ReversalRequest(transactionReference = "OJJ1MPU40Z", reason = "Overpaid", callbackUrl = ok))
        val r = receive(ok)
        assertEquals("reversals", r.kind)
        assertEquals(true, r.reversal?.isReversed)

        val bad = receiver.newUrl()
        client.reversals.create(ReversalRequest(transactionReference = "FAIL123", reason = "Overpaid", callbackUrl = bad))
        val f = receive(bad).reversal ?: throw AssertionError("reversal not set")
        assertFalse(f.isReversed)
        assertEquals("Cancelled", f.reversalBulkPayment?.status)
        assertTrue(f.errors.any { it.contains("insufficient") })
    }

    @Test
    fun paymentLinkPaidAndFailed() {
        val paid = receiver.newUrl()
        val c = client.paymentLinks.create(
            PaymentLinkRequest(tillNumber = "112233", amount = BigDecimal("500"), callbackUrl = paid, paymentReference = "PAID-1"),
        )
        val r = receive(paid)
        assertEquals("payment_link", r.kind)
        assertEquals(c.id, r.id)
        assertEquals("Paid", r.paymentLink?.paymentLink?.status)

        val failed = receiver.newUrl()
        client.paymentLinks.create(
            PaymentLinkRequest(tillNumber = "112233", amount = BigDecimal("500"), callbackUrl = failed, paymentReference = "FAIL-1"),
        )
        val f = receive(failed).paymentLink ?: throw AssertionError("paymentLink not set")
        assertTrue(f.errors.any { it.contains("insufficient") }, f.toString())
    }

    @Test
    fun version1PaymentResultIsSendMoney() {
        // data.type `payment` (tests/fixtures/live/result.payment.v1.json).
        val body = fixture("live/result.payment.v1.json")
        val r = parseResult(body, sign(body, "k"), "k")
        assertEquals("send_money", r.kind)
        assertEquals("c9f2a7d4-8e1b-4a36-b5d2-7f0e3a9c1b58", r.id)
        assertEquals("Processed", r.status)
        val s = r.sendMoney ?: throw AssertionError("sendMoney not set")
        assertEquals("payment", s.kind)
        assertEquals(r.id, s.id)
        val d = s.transferBatches.single().disbursements.single()
        assertExactMoney("1500", d.amount)
        assertEquals("PBF9XYZ123", d.transactionReference)
        assertExactMoney("1500", s.transferBatches.single().amount)
        assertNull(s.amount)
        assertEquals(MetadataValue.Text("8675309"), s.metadata["customerId"])
        assertEquals("https://webhook.site/k2/pay", s.links.callbackUrl)
        assertNull(r.incomingPayment)
        assertNull(r.paymentLink)
    }

    @Test
    fun legacySettlementTransferResultIsSendMoney() {
        // data.type `settlement_transfer`, with a top-level amount whose value is null.
        val body = fixture("variants/response.send_money.status.legacy_settlement_transfer.json")
        val r = parseResult(body, sign(body, "k"), "k")
        assertEquals("send_money", r.kind)
        assertEquals("01aece24-e596-4f5c-9ace-9eb1a0939dda", r.id)
        assertEquals("Processed", r.status)
        val s = r.sendMoney ?: throw AssertionError("sendMoney not set")
        assertEquals("settlement_transfer", s.kind)
        assertEquals(MoneyAmount(currency = "KES", value = null), s.amount)
        assertEquals(listOf(1, 2), s.transferBatches.map { it.disbursements.size })
        assertEquals(
            listOf("19900", "24452", "25000"),
            s.transferBatches.flatMap { it.disbursements }.map { it.amount?.toPlainString() },
        )
        assertNull(s.transferBatches[0].amount)
    }

    @Test
    fun unknownResultKindIsKept() {
        val body = """{"data":{"id":"77","type":"brand_new_thing","attributes":{"status":"Done"}}}""".toByteArray()
        val r = parseResult(body, sign(body, "k"), "k")
        assertEquals("brand_new_thing", r.kind)
        assertEquals("77", r.id)
        assertEquals("Done", r.status)
        assertNull(r.incomingPayment)
        val unknown = r as? CallbackResult.Unknown ?: throw AssertionError("not Unknown: $r")
        assertEquals("brand_new_thing", unknown.resultType)
        assertEquals("77", unknown.id)
        assertEquals("Done", unknown.status)
        assertEquals("brand_new_thing", JSONObject(unknown.json).getJSONObject("data").getString("type"))
    }
}
