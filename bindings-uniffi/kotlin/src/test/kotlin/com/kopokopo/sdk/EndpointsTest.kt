package com.kopokopo.sdk

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder
import java.math.BigDecimal
import java.time.OffsetDateTime

/**
 * Every one of the 21 operations against its own `k2 mock`; the last test
 * checks through the mock's counters that each endpoint was really called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class EndpointsTest {
    private val mock = K2Mock("--callback-delay-ms", "50")
    private val client = Shared.client(mock)
    private val cb = "https://example.com/k2/results"

    @AfterAll
    fun stop() = mock.close()

    private fun assertCreated(c: Created, collection: String) {
        assertTrue(c.id.isNotBlank(), "id")
        assertTrue(c.location.startsWith(mock.baseUrl), c.location)
        assertTrue(c.location.contains("/$collection/"), c.location)
        assertTrue(c.location.endsWith(c.id), c.location)
    }

    @Test
    @Order(1)
    fun tokens() {
        val token = client.tokens.request()
        assertEquals("Bearer", token.tokenType)
        assertTrue(token.expiresIn > 0L)
        assertTrue(token.accessToken.isNotBlank())

        val info = client.tokens.info()
        assertTrue((info.expiresIn ?: 0L) > 0L, info.toString())

        val active = client.tokens.introspect(token.accessToken)
        assertTrue(active.active)
        assertEquals(Env.CLIENT_ID, active.clientId)

        val requested = client.tokenRequests()
        client.tokens.revoke(token.accessToken)
        assertFalse(client.tokens.introspect(token.accessToken).active)
        // The cache forgot the revoked token: the next call fetches a new one.
        assertTrue(client.tokens.info().expiresIn != null)
        assertEquals(requested + 1, client.tokenRequests())
    }

    @Test
    @Order(2)
    fun webhookSubscription() {
        val c = client.webhooks.subscribe(
            WebhookSubscriptionRequest(
                eventType = "buygoods_transaction_received",
                url = "https://example.com/k2/webhooks",
                scope = "till",
                scopeReference = "112233",
            ),
        )
        assertCreated(c, "webhook_subscriptions")
    }

    @Test
    @Order(3)
    fun incomingPayment() {
        val c = client.incomingPayments.create(
            IncomingPaymentRequest(
                tillNumber = "K000000",
                phoneNumber = "0712345678",
                amount = BigDecimal("150.00"),
                callbackUrl = cb,
                firstName = "Jane",
                lastName = "Doe",
                metadata = mapOf("order" to MetadataValue.Text("42")),
            ),
        )
        assertCreated(c, "incoming_payments")
        val p = eventually(fetch = { client.incomingPayments.status(c.location) }) { it.status == "Success" }
        assertEquals(c.id, p.id)
        assertEquals("incoming_payment", p.kind)
        assertEquals(MetadataValue.Text("42"), p.metadata["order"])
        val tx = p.event.resource ?: throw AssertionError("no transaction in $p")
        assertEquals("+254712345678", tx.senderPhoneNumber)
        assertEquals(0, tx.amount!!.compareTo(BigDecimal("150")))
        assertEquals(cb, p.links.callbackUrl)
        assertTrue(p.links.selfUrl?.endsWith(c.id) == true, p.links.toString())
        // By id as well as by Location URL.
        assertEquals(p.id, client.incomingPayments.status(c.id).id)
    }

    @Test
    @Order(4)
    fun merchantAccountsAndRecipients() {
        assertCreated(
            client.merchantWallets.create(
                MerchantWalletRequest(firstName = "Jane", lastName = "Doe", phoneNumber = "0712345678", network = "Safaricom"),
            ),
            "merchant_wallets",
        )
        assertCreated(
            client.merchantBankAccounts.create(
                MerchantBankAccountRequest(
                    accountName = "Jane Doe",
                    bankBranchRef = "633aa26c-7b7c-4091-ae28-96c0687cf886",
                    accountNumber = "1234567890",
                    settlementMethod = "RTS",
                    nickname = "Main",
                ),
            ),
            "merchant_bank_accounts",
        )
        val recipients = listOf(
            ExternalRecipientRequest.MobileWallet(
                firstName = "Jane",
                lastName = "Doe",
                phoneNumber = "0712345678",
                network = "Safaricom",
                nickname = "Jane",
            ),
            ExternalRecipientRequest.BankAccount(
                accountName = "Jane Doe",
                bankBranchRef = "633aa26c-7b7c-4091-ae28-96c0687cf886",
                accountNumber = "1234567890",
                settlementMethod = "RTS",
            ),
            ExternalRecipientRequest.Till(tillName = "Shop", tillNumber = "112233"),
            ExternalRecipientRequest.Paybill(paybillName = "Power", paybillNumber = "888880", paybillAccountNumber = "42"),
        )
        for (r in recipients) assertCreated(client.externalRecipients.create(r), "external_recipients")
    }

    @Test
    @Order(5)
    fun sendMoney() {
        val c = client.sendMoney.create(
            SendMoneyRequest(
                callbackUrl = cb,
                destinations = listOf(
                    Destination.MobileWallet(
                        phoneNumber = "0712345678",
                        network = "Safaricom",
                        amount = BigDecimal("1000"),
                        description = "Salary",
                    ),
                    Destination.MobileWallet(
                        phoneNumber = "0712345679",
                        network = "Safaricom",
                        amount = BigDecimal("250.00"),
                        description = "Bonus",
                    ),
                ),
                metadata = mapOf("batch" to MetadataValue.Text("7")),
            ),
        )
        assertCreated(c, "send_money")
        val s = eventually(fetch = { client.sendMoney.status(c.location) }) { it.status == "Processed" }
        assertEquals(c.id, s.id)
        assertEquals(2, s.destinations.size)
        val disbursements = s.transferBatches.flatMap { it.disbursements }
        assertTrue(disbursements.isNotEmpty())
        assertTrue(disbursements.all { it.status == "Transferred" }, disbursements.toString())

        // "Send money to my accounts": no destinations.
        assertCreated(client.sendMoney.create(SendMoneyRequest(callbackUrl = cb)), "send_money")
    }

    @Test
    @Order(6)
    fun polling() {
        val c = client.polling.create(
            PollingRequest(
                scope = "company",
                fromTime = OffsetDateTime.parse("2021-04-12T08:50:22+03:00"),
                toTime = OffsetDateTime.parse("2021-04-19T08:50:22+03:00"),
                callbackUrl = cb,
            ),
        )
        assertCreated(c, "polling")
        val p = eventually(fetch = { client.polling.status(c.location) }) { it.status == "Success" }
        assertEquals(c.id, p.id)
        assertEquals("polling", p.kind)
    }

    @Test
    @Order(7)
    fun smsNotification() {
        val c = client.smsNotifications.create(
            SmsNotificationRequest(webhookEventReference = "d4c0d9b1-0bbc-4a7c-8b09-0b8b9c3d7c7e", message = "Thanks!", callbackUrl = cb),
        )
        assertCreated(c, "transaction_sms_notifications")
        val n = eventually(fetch = { client.smsNotifications.status(c.location) }) { it.status == "Success" }
        assertEquals(c.id, n.id)
    }

    @Test
    @Order(8)
    fun reversal() {
        val c = client.reversals.create(
            ReversalRequest(
                transactionReference = "OJJ1MPU40Z",
                reason = "Customer overpaid",
                callbackUrl = cb,
                metadata = mapOf(
                    "ticket" to MetadataValue.Text("9"),
                ),
            ),
        )
        assertCreated(c, "reversals")
        val r = eventually(fetch = { client.reversals.status(c.location) }) { it.status == "Processed" }
        assertTrue(r.isReversed)
        assertEquals("Transferred", r.reversalBulkPayment?.status)
        assertEquals("OJJ1MPU40Z", r.transactionReference)
    }

    @Test
    @Order(9)
    fun paymentLink() {
        val c = client.paymentLinks.create(
            PaymentLinkRequest(
                tillNumber = "112233",
                amount = BigDecimal("350"),
                callbackUrl = cb,
                paymentReference = "INV-1",
                note = "Order 1",
            ),
        )
        assertCreated(c, "payment_links")
        val link = client.paymentLinks.status(c.location)
        assertEquals(c.id, link.id)
        assertEquals("Active", link.paymentLink?.status)
        assertEquals("INV-1", link.paymentReference)
        assertTrue(link.paymentLink?.link?.startsWith("http") == true)
        val cancelled = client.paymentLinks.cancel(c.id)
        assertTrue(cancelled.message != null || cancelled.paymentLink != null, cancelled.toString())
        assertEquals("Cancelled", client.paymentLinks.status(c.id).paymentLink?.status)
    }

    @Test
    @Order(100)
    fun everyEndpointWasCalled() {
        val counters = mock.requestCounters()
        val expected = listOf(
            "POST /oauth/token", "POST /oauth/revoke", "POST /oauth/introspect", "GET /oauth/token/info",
            "POST /api/v2/webhook_subscriptions",
            "POST /api/v2/incoming_payments", "GET /api/v2/incoming_payments/{id}",
            "POST /api/v2/merchant_wallets", "POST /api/v2/merchant_bank_accounts", "POST /api/v2/external_recipients",
            "POST /api/v2/send_money", "GET /api/v2/send_money/{id}",
            "POST /api/v2/polling", "GET /api/v2/polling/{id}",
            "POST /api/v1/transaction_sms_notifications", "GET /api/v1/transaction_sms_notifications/{id}",
            "POST /api/v2/reversals", "GET /api/v2/reversals/{id}",
            "POST /api/v2/payment_links", "GET /api/v2/payment_links/{id}", "POST /api/v2/payment_links/{id}/cancel",
        )
        assertEquals(21, expected.size)
        val missing = expected.filter { counters.optInt(it, 0) < 1 }
        assertTrue(missing.isEmpty(), "endpoints never called: $missing; counters: $counters")
    }
}
