package com.kopokopo.sdk

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.math.BigDecimal
import java.net.ServerSocket
import java.time.Duration

/** Every core error kind arrives as its own KopoKopoException subclass, with its fields. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorsTest {
    private val mock = K2Mock("--callback-delay-ms", "50")
    private val client = Shared.client(mock)
    private val cb = "https://example.com/k2/results"
    private val seen = mutableListOf<KopoKopoException>()

    @AfterEach
    fun reset() {
        mock.reset()
    }

    @AfterAll
    fun stop() {
        mock.close()
        // No exception text ever shows a secret.
        for (e in seen) assertNoSecrets(e.toString() + " " + e.message)
    }

    private fun payment(phone: String = "0712345678", amount: BigDecimal = BigDecimal("100"), till: String = "K000000") =
        IncomingPaymentRequest(tillNumber = till, phoneNumber = phone, amount = amount, callbackUrl = cb)

    private inline fun <reified T : KopoKopoException> expect(code: String, block: () -> Unit): T {
        val e = assertThrows<T>(block)
        assertEquals(code, KopoKopo.code(e))
        seen += e
        return e
    }

    @Test
    fun invalidArgumentNamesTheField() {
        var e = expect<KopoKopoException.InvalidArgument>("invalid_argument") { client.incomingPayments.create(payment(phone = "12")) }
        assertEquals("phoneNumber", e.field)
        assertTrue(e.reason.isNotBlank())
        assertTrue(e.message.contains("`phoneNumber`"), e.message) // the core's message, naming the field as Kotlin does

        // More than two decimal places, zero and negative amounts are refused (a BigDecimal
        // cannot be "1e3" text any more: BigDecimal("1e3") is the number 1000).
        e = expect("invalid_argument") { client.incomingPayments.create(payment(amount = BigDecimal("10.001"))) }
        assertEquals("amount", e.field)
        e = expect("invalid_argument") { client.incomingPayments.create(payment(amount = BigDecimal("-5"))) }
        assertEquals("amount", e.field)

        e = expect("invalid_argument") {
            client.sendMoney.create(
                SendMoneyRequest(
                    callbackUrl = cb,
                    destinations = listOf(Destination.Till(tillNumber = "1", amount = BigDecimal("-10"), description = "x")),
                ),
            )
        }
        assertEquals("destinations[0].amount", e.field)

        // Send-money amounts are whole shillings (documented as Integer); "250.00" is one.
        e = expect("invalid_argument") {
            client.sendMoney.create(
                SendMoneyRequest(
                    callbackUrl = cb,
                    destinations = listOf(
                        Destination.Till(tillNumber = "1", amount = BigDecimal("250.00"), description = "x"),
                        Destination.Till(tillNumber = "1", amount = BigDecimal("250.50"), description = "x"),
                    ),
                ),
            )
        }
        assertEquals("destinations[1].amount", e.field)

        e =
            expect("invalid_argument") {
                client.reversals.create(ReversalRequest(transactionReference = "X", reason = "r", callbackUrl = "http://example.com/cb"))
            }
        assertEquals("callbackUrl", e.field)

        e = expect("invalid_argument") { KopoKopo.client(clientId = "id", clientSecret = "s", baseUrl = "http://example.com") }
        assertEquals("baseUrl", e.field)
        e = expect("invalid_argument") { KopoKopo.client(clientId = "id", clientSecret = " ") }
        assertEquals("clientSecret", e.field)
        e = expect("invalid_argument") { KopoKopo.client(clientId = "id", clientSecret = "s", timeout = Duration.ZERO) }
        assertEquals("timeout", e.field)
        e = expect("invalid_argument") { KopoKopo.client(clientId = "id", clientSecret = "s", maxRetries = -1) }
        assertEquals("maxRetries", e.field)

        // Nothing was sent for any of them.
        assertEquals(0, mock.requestCounters().length())
    }

    @Test
    fun authentication() {
        val bad = Shared.client(mock, secret = "not-the-secret")
        val e = expect<KopoKopoException.Authentication>("authentication_failed") { bad.tokens.request() }
        assertEquals(401, e.httpStatus)
        assertFalse(e.toString().contains("not-the-secret"))
        expect<KopoKopoException.Authentication>("authentication_failed") { bad.incomingPayments.create(payment()) }
    }

    @Test
    fun apiError() {
        val e = expect<KopoKopoException.Api>("api_error") { client.incomingPayments.create(payment(till = "K400400")) }
        assertEquals(400, e.httpStatus)
        assertEquals("Till number is invalid", e.errorMessage)
        assertEquals(listOf("Till number is invalid"), e.errorMessages)
        val notFound =
            expect<KopoKopoException.Api>("api_error") { client.incomingPayments.status("00000000-0000-0000-0000-000000000000") }
        assertEquals(404, notFound.httpStatus)
    }

    @Test
    fun reversalErrorKeepsEveryMessage() {
        // The documented reversal error: `error_message` is an array (tests/fixtures/error.reversal.json).
        val request =
            ReversalRequest(transactionReference = "5d894b0f-b07e-4304-ab4a-d54b80bc7286", reason = "Testing Reversals", callbackUrl = cb)
        FixtureServer(mapOf("POST /api/v2/reversals" to (400 to fixture("error.reversal.json")))).use { server ->
            val e = expect<KopoKopoException.Api>("api_error") { server.client().reversals.create(request) }
            assertEquals(400, e.httpStatus)
            assertEquals("400", e.errorCode)
            assertEquals(listOf("You cannot reverse a transaction in Pending Reversal"), e.errorMessages)
            assertEquals("You cannot reverse a transaction in Pending Reversal", e.errorMessage)
        }
        // Several messages: each kept, in order; `errorMessage` joins them.
        val two = """{"error_code":400,"error_message":["You cannot reverse a transaction in Pending Reversal","Second"]}"""
        FixtureServer(mapOf("POST /api/v2/reversals" to (400 to two.toByteArray()))).use { server ->
            val e = expect<KopoKopoException.Api>("api_error") { server.client().reversals.create(request) }
            assertEquals(listOf("You cannot reverse a transaction in Pending Reversal", "Second"), e.errorMessages)
            assertEquals("You cannot reverse a transaction in Pending Reversal; Second", e.errorMessage)
        }
        // No body: no server messages (the text is the status reason).
        FixtureServer(mapOf("POST /api/v2/reversals" to (400 to ByteArray(0)))).use { server ->
            val e = expect<KopoKopoException.Api>("api_error") { server.client().reversals.create(request) }
            assertEquals(emptyList<String>(), e.errorMessages)
            assertTrue(e.errorMessage.isNotBlank())
        }
    }

    @Test
    fun rateLimited() {
        // A Retry-After longer than the client will wait is returned, not slept through.
        mock.fault("429", count = 5, path = "/api/v2/incoming_payments", retryAfter = 120)
        val e = expect<KopoKopoException.RateLimited>("rate_limited") { client.incomingPayments.create(payment()) }
        assertEquals(Duration.ofSeconds(120), e.retryAfter)
    }

    @Test
    fun transport() {
        val port = ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
        val closed = KopoKopo.client(clientId = "id", clientSecret = "secret", baseUrl = "http://127.0.0.1:$port", maxRetries = 0)
        val e = expect<KopoKopoException.Transport>("transport_error") { closed.tokens.request() }
        assertTrue(e.detail.isNotBlank())
    }

    @Test
    fun timeout() {
        val impatient = Shared.client(mock, maxRetries = 0, timeout = Duration.ofMillis(400))
        impatient.tokens.request()
        mock.fault("hang", count = 1, path = "/api/v2/payment_links")
        val started = System.nanoTime()
        val e = expect<KopoKopoException.Timeout>("timeout") {
            impatient.paymentLinks.create(PaymentLinkRequest(tillNumber = "112233", amount = BigDecimal("10"), callbackUrl = cb))
        }
        assertTrue((System.nanoTime() - started) / 1_000_000 < 10_000, "took too long")
        assertTrue(e.detail.isNotBlank())
    }

    @Test
    fun signatureInvalid() {
        val body = "{}".toByteArray()
        val e = expect<KopoKopoException.SignatureInvalid>("signature_invalid") { parseResult(body, "0".repeat(64), "key") }
        assertTrue(e.reason.isNotBlank())
    }

    @Test
    fun decode() {
        val c = client.incomingPayments.create(payment())
        mock.fault("malformed_json", count = 5, path = "/api/v2/incoming_payments/")
        val e = expect<KopoKopoException.Decode>("decode_error") { client.incomingPayments.status(c.id) }
        assertTrue(e.detail.isNotBlank())
        val body = "not json".toByteArray()
        expect<KopoKopoException.Decode>("decode_error") { parseResult(body, sign(body, "k"), "k") }
    }

    @Test
    fun internal() {
        // A panic inside the library (forced by a test-only hook, in the same guard as
        // every export) is KopoKopoException.Internal with code "internal", not UniFFI's
        // generic InternalException; it can happen again, and nothing is left broken.
        repeat(3) {
            val e = expect<KopoKopoException.Internal>("internal") { forcePanicForTests() }
            assertTrue(e.detail.contains("forced panic"), e.detail)
            assertTrue(e.message.contains("forced panic"), e.message)
            assertNull(e.cause)
        }
        // The JVM and the client keep working.
        assertTrue(client.tokens.request().accessToken.isNotBlank())
        val created = client.incomingPayments.create(payment())
        assertEquals(created.id, client.incomingPayments.status(created.id).id)
        val body = "{}".toByteArray()
        assertTrue(verifySignature(body, sign(body, "k"), "k"))
        expect<KopoKopoException.Internal>("internal") { forcePanicForTests() }
        expect<KopoKopoException.InvalidArgument>("invalid_argument") { client.incomingPayments.create(payment(phone = "12")) }
    }

    @Test
    fun configurationLimits() {
        // Timeouts: at most one hour; two hours names the field.
        val twoHours = Duration.ofHours(2)
        var e = expect<KopoKopoException.InvalidArgument>("invalid_argument") {
            KopoKopo.client(clientId = "id", clientSecret = "s", timeout = twoHours)
        }
        assertEquals("timeout", e.field)
        e = expect("invalid_argument") { KopoKopo.client(clientId = "id", clientSecret = "s", connectTimeout = twoHours) }
        assertEquals("connectTimeout", e.field)
        e = expect("invalid_argument") {
            KopoKopoClient(ClientConfig(clientId = "id", clientSecret = "s", timeout = Duration.ofSeconds(Long.MAX_VALUE)))
        }
        assertEquals("timeout", e.field)
        e = expect("invalid_argument") { KopoKopo.client(clientId = "id", clientSecret = "s", connectTimeout = Duration.ZERO) }
        assertEquals("connectTimeout", e.field)
        KopoKopo.client(clientId = "id", clientSecret = "s", timeout = Duration.ofHours(1), connectTimeout = Duration.ofHours(1))

        // Proxy: a bad URL names the field (and never shows its credentials).
        for (bad in listOf(
            "ftp://proxy.example:21",
            "proxy.example:3128",
            "http://",
            "http://proxy example:3128",
            "socks9://user:PROXY-PASS@p",
        )) {
            e = expect("invalid_argument") { KopoKopo.client(clientId = "id", clientSecret = "s", proxy = bad) }
            assertEquals("proxy", e.field, bad)
            assertFalse(e.toString().contains("PROXY-PASS"), e.toString())
        }
        e = expect("invalid_argument") { KopoKopoClient(ClientConfig(clientId = "id", clientSecret = "s", proxy = "ftp://p")) }
        assertEquals("proxy", e.field)
        for (ok in listOf(null, "env", "none", "http://proxy.example:3128", "https://user:PROXY-PASS@proxy.example")) {
            val config = KopoKopo.config(clientId = "id", clientSecret = "s", proxy = ok)
            assertEquals(ok, config.proxy)
            KopoKopoClient(config)
            assertFalse(config.toString().contains("PROXY-PASS"), config.toString())
        }
        // Nothing was sent for any of them.
        assertEquals(0, mock.requestCounters().length())
    }

    @Test
    fun loopbackIsNeverProxied() {
        // A proxy where nothing listens: k2 mock (loopback) is still reached directly.
        val port = ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
        for (proxy in listOf("http://127.0.0.1:$port", "none", "env")) {
            val c = KopoKopo.client(clientId = Env.CLIENT_ID, clientSecret = Env.CLIENT_SECRET, baseUrl = mock.baseUrl, proxy = proxy)
            assertTrue(c.tokens.request().accessToken.isNotBlank(), proxy)
        }
    }

    @Test
    fun exceptionsAreOneSealedHierarchy() {
        val e: Exception = assertThrows<KopoKopoException> { client.incomingPayments.create(payment(phone = "x")) }
        assertTrue(e is KopoKopoException.InvalidArgument)
        assertNull((e as KopoKopoException).cause)
    }

    companion object {
        fun assertNoSecrets(text: String) {
            for (secret in listOf(Env.CLIENT_SECRET, Env.API_KEY, "not-the-secret")) {
                assertFalse(text.contains(secret), "secret in: $text")
            }
        }
    }
}
