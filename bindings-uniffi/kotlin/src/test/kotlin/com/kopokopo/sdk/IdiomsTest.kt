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
import java.lang.reflect.Modifier
import java.math.BigDecimal
import java.time.Duration
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * The Kotlin idioms of the API: money as [BigDecimal], times as [OffsetDateTime],
 * timeouts as [Duration], signed integers, typed metadata, error properties on
 * the base exception, immutable records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdiomsTest {
    private val mock = K2Mock("--callback-delay-ms", "50")
    private val client = Shared.client(mock)
    private val cb = "https://example.com/k2/results"

    @AfterEach
    fun reset() {
        mock.reset()
    }

    @AfterAll
    fun stop() = mock.close()

    private fun payment(amount: BigDecimal, metadata: Map<String, MetadataValue>? = null, phone: String = "0712345678") =
        IncomingPaymentRequest(tillNumber = "K000000", phoneNumber = phone, amount = amount, callbackUrl = cb, metadata = metadata)

    @Test
    fun moneyIsBigDecimalInAndOut() {
        // In: a BigDecimal, sent as its plain digits; out: the same value, exactly.
        val amount = BigDecimal("1234567.89")
        val c = client.incomingPayments.create(payment(amount))
        val p = eventually(fetch = { client.incomingPayments.status(c.location) }) { it.status == "Success" }
        val got: BigDecimal = p.event.resource?.amount ?: throw AssertionError("no amount in $p")
        assertEquals("1234567.89", got.toPlainString())
        assertEquals(0, got.compareTo(amount))

        // A BigDecimal in scientific form is the number, not its text: 1E+3 is 1000.
        val thousand = client.incomingPayments.create(payment(BigDecimal("1E+3")))
        val t = eventually(fetch = { client.incomingPayments.status(thousand.id) }) { it.status == "Success" }
        assertEquals(0, BigDecimal("1000").compareTo(t.event.resource?.amount))

        // Exact beyond a double, through a parse as well (JSON text amount).
        val body = String(fixture("webhook.buygoods_transaction_received.k2.json"), Charsets.UTF_8)
            .replace(Regex("\"amount\"(\\s*):(\\s*)(\"[^\"]*\"|-?[0-9.]+)"), "\"amount\"$1:$2\"12345678901234567.89\"")
            .toByteArray()
        val e = parseWebhook(body, sign(body, "k"), "k") as WebhookEvent.BuygoodsTransactionReceived
        assertEquals(BigDecimal("12345678901234567.89"), e.resource.amount)
        assertFalse(BigDecimal("12345678901234567.89").toDouble().toBigDecimal() == e.resource.amount)
    }

    @Test
    fun timestampsAreOffsetDateTimesThatKeepTheOffset() {
        val body = fixture("webhook.buygoods_transaction_received.k2.json") // created_at 2026-05-01T10:43:20+03:00
        val e = parseWebhook(body, sign(body, "k"), "k") as WebhookEvent.BuygoodsTransactionReceived
        val created: OffsetDateTime = e.createdAt ?: throw AssertionError("no createdAt")
        assertEquals(ZoneOffset.ofHours(3), created.offset)
        assertEquals(OffsetDateTime.parse("2026-05-01T10:43:20+03:00"), created)
        assertEquals(OffsetDateTime.parse("2026-05-01T07:43:20Z").toInstant(), created.toInstant())
        assertEquals(OffsetDateTime.parse("2026-05-01T10:43:19+03:00"), e.resource.originationTime)

        // An unreadable time is null, not an exception.
        val bad = String(body, Charsets.UTF_8).replace("2026-05-01T10:43:20+03:00", "yesterday-ish").toByteArray()
        val parsed = parseWebhook(bad, sign(bad, "k"), "k") as WebhookEvent.BuygoodsTransactionReceived
        assertNull(parsed.createdAt)
        assertEquals(e.id, parsed.id)

        // In: polling windows are OffsetDateTimes; the same instants come back.
        val from = OffsetDateTime.parse("2021-04-12T08:50:22+03:00")
        val to = OffsetDateTime.parse("2021-04-19T08:50:22+03:00")
        val c = client.polling.create(PollingRequest(scope = "company", fromTime = from, toTime = to, callbackUrl = cb))
        val polling = client.polling.status(c.location)
        assertEquals(from.toInstant(), polling.fromTime?.toInstant())
        assertEquals(to.toInstant(), polling.toTime?.toInstant())
    }

    @Test
    fun timeoutIsADurationThatIsHonoured() {
        // Zero is refused, naming the field.
        val zero = assertThrows<KopoKopoException.InvalidArgument> {
            KopoKopo.client(clientId = "id", clientSecret = "s", timeout = Duration.ZERO)
        }
        assertEquals("timeout", zero.field)
        assertEquals("invalid_argument", zero.code)

        // A 400 ms timeout against a 3 s answer: a Timeout after about 400 ms, not 3 s.
        val impatient = Shared.client(mock, maxRetries = 0, timeout = Duration.ofMillis(400))
        impatient.tokens.info()
        mock.fault("delay", count = 1, path = "/api/v2/incoming_payments", delayMs = 3_000)
        val started = System.nanoTime()
        val e = assertThrows<KopoKopoException.Timeout> { impatient.incomingPayments.create(payment(BigDecimal("10"))) }
        val tookMs = (System.nanoTime() - started) / 1_000_000
        assertEquals("timeout", e.code)
        assertTrue(tookMs in 300 until 2_500, "took $tookMs ms")

        // A sub-second connect timeout is accepted as it is (not rounded to zero).
        KopoKopo.client(clientId = "id", clientSecret = "s", connectTimeout = Duration.ofMillis(250))
    }

    @Test
    fun negativeDurationIsAnInvalidArgument() {
        // A negative Duration is as wrong as zero: the same typed refusal, naming the field.
        val e = assertThrows<KopoKopoException.InvalidArgument> {
            KopoKopo.client(clientId = "id", clientSecret = "s", timeout = Duration.ofSeconds(-1))
        }
        assertEquals("timeout", e.field)
    }

    @Test
    fun negativeMaxRetriesIsAnInvalidArgument() {
        val e = assertThrows<KopoKopoException.InvalidArgument> {
            KopoKopo.client(clientId = "id", clientSecret = "s", maxRetries = -1)
        }
        assertEquals("maxRetries", e.field)
        assertEquals("invalid_argument", e.code)
        KopoKopo.client(clientId = "id", clientSecret = "s", maxRetries = 0)
    }

    @Test
    fun metadataValuesRoundTripThroughTheMock() {
        // At most five keys a request (the API's limit): two payments.
        val scalars = mapOf(
            "customer" to MetadataValue.Text("Jane"),
            "order" to MetadataValue.Number(BigDecimal("42")),
            "ratio" to MetadataValue.Number(BigDecimal("0.25")),
            "vip" to MetadataValue.Bool(true),
            "note" to MetadataValue.Null,
        )
        val c = client.incomingPayments.create(payment(BigDecimal("10"), scalars))
        val back = client.incomingPayments.status(c.location).metadata
        assertEquals(scalars.keys, back.keys)
        assertEquals(MetadataValue.Text("Jane"), back["customer"])
        assertEquals(MetadataValue.Bool(true), back["vip"])
        assertEquals(MetadataValue.Null, back["note"])
        val order = back["order"] as? MetadataValue.Number ?: throw AssertionError("order: ${back["order"]}")
        assertEquals(0, BigDecimal("42").compareTo(order.value))
        val ratio = back["ratio"] as? MetadataValue.Number ?: throw AssertionError("ratio: ${back["ratio"]}")
        assertEquals(0, BigDecimal("0.25").compareTo(ratio.value))

        // Json is what a received value that is not a scalar reads as (an object, an array)...
        val body = org.json.JSONObject(String(fixture("result.incoming_payment.success.json"), Charsets.UTF_8)).also {
            it.getJSONObject("data").getJSONObject("attributes").getJSONObject("metadata")
                .put("items", org.json.JSONArray("""[1,"two",{"three":3}]"""))
                .put("count", 3)
                .put("paid", false)
        }.toString().toByteArray()
        val received = (parseResult(body, sign(body, "k"), "k") as CallbackResult.IncomingPaymentResult).value.metadata
        assertEquals(MetadataValue.Text("123456789"), received["customer_id"])
        assertEquals(MetadataValue.Bool(false), received["paid"])
        assertEquals(0, BigDecimal(3).compareTo((received["count"] as MetadataValue.Number).value))
        val items = received["items"] as? MetadataValue.Json ?: throw AssertionError("items: ${received["items"]}")
        assertEquals(org.json.JSONArray("""[1,"two",{"three":3}]""").toString(), org.json.JSONArray(items.json).toString())
        // ...and a request refuses it (the API takes scalar metadata values only), naming the key.
        val nested = mapOf("items" to MetadataValue.Json("""[1,"two"]"""))
        val refused = assertThrows<KopoKopoException.InvalidArgument> { client.incomingPayments.create(payment(BigDecimal("10"), nested)) }
        assertEquals("metadata.items", refused.field)

        // Six keys are refused before anything is sent.
        val six = scalars + ("extra" to MetadataValue.Text("x"))
        val e = assertThrows<KopoKopoException.InvalidArgument> { client.incomingPayments.create(payment(BigDecimal("10"), six)) }
        assertEquals("metadata", e.field)
        assertEquals(1, mock.requestCounters().optInt("POST /api/v2/incoming_payments"), "only the valid payment was sent")
    }

    @Test
    fun errorPropertiesOnTheBaseType() {
        // Invalid argument: field and reason; no HTTP status, no Retry-After.
        val invalid: KopoKopoException = assertThrows<KopoKopoException> { client.incomingPayments.create(payment(BigDecimal("-1"))) }
        assertTrue(invalid is KopoKopoException.InvalidArgument)
        assertEquals("invalid_argument", invalid.code)
        assertEquals("amount", invalid.field)
        assertTrue(invalid.reason?.isNotBlank() == true, invalid.reason)
        assertNull(invalid.httpStatus)
        assertNull(invalid.retryAfter)
        assertEquals(KopoKopo.description(invalid), invalid.message)
        assertTrue(invalid.message!!.startsWith("invalid argument `amount`"), invalid.message)

        // API error: the HTTP status.
        val api: KopoKopoException = assertThrows<KopoKopoException> {
            client.incomingPayments.create(payment(BigDecimal("10")).copy(tillNumber = "K400400"))
        }
        assertEquals("api_error", api.code)
        assertEquals(400, api.httpStatus)
        assertNull(api.field)
        assertNull(api.retryAfter)
        assertEquals(KopoKopo.description(api), api.message)

        // Rate limited: HTTP 429 and the Retry-After as a Duration.
        mock.fault("429", count = 5, path = "/api/v2/incoming_payments", retryAfter = 90)
        val limited: KopoKopoException = assertThrows<KopoKopoException> { client.incomingPayments.create(payment(BigDecimal("10"))) }
        assertTrue(limited is KopoKopoException.RateLimited)
        assertEquals("rate_limited", limited.code)
        assertEquals(429, limited.httpStatus)
        assertEquals(Duration.ofSeconds(90), limited.retryAfter)
        assertEquals(KopoKopo.description(limited), limited.message)

        // Signature: the reason.
        val body = "{}".toByteArray()
        val sig: KopoKopoException = assertThrows<KopoKopoException> { parseWebhook(body, "0".repeat(64), "k") }
        assertEquals("signature_invalid", sig.code)
        assertTrue(sig.reason?.isNotBlank() == true)
        assertNull(sig.field)
        assertEquals(KopoKopo.description(sig), sig.message)
    }

    @Test
    fun recordsAreImmutable() {
        for (type in listOf(
            IncomingPaymentRequest::class.java,
            IncomingPayment::class.java,
            ClientConfig::class.java,
            Transaction::class.java,
            SendMoneyRequest::class.java,
            WebhookEvent.BuygoodsTransactionReceived::class.java,
        )) {
            val setters = type.methods.filter { it.name.startsWith("set") && it.parameterCount == 1 }
            assertTrue(setters.isEmpty(), "${type.simpleName} has setters: $setters")
            val mutable = type.declaredFields.filter { !Modifier.isStatic(it.modifiers) && !Modifier.isFinal(it.modifiers) }
            assertTrue(mutable.isEmpty(), "${type.simpleName} has mutable fields: $mutable")
        }
        assertTrue(IncomingPaymentRequest::class.java.methods.none { it.name == "setAmount" })
        // A change is a copy; the original stays as it was.
        val original = payment(BigDecimal("10"))
        val changed = original.copy(amount = BigDecimal("20"))
        assertEquals(BigDecimal("10"), original.amount)
        assertEquals(BigDecimal("20"), changed.amount)
    }

    @Test
    fun noUnsignedTypes() {
        // Longs and Ints, as Java and Kotlin callers use them.
        val token = client.tokens.request()
        val expiresIn: Long = token.expiresIn
        assertTrue(expiresIn > 0)
        val requests: Long = client.tokenRequests()
        assertTrue(requests >= 1)
        val retries: Int? = KopoKopo.config(clientId = "id", clientSecret = "s", maxRetries = 2).maxRetries
        assertEquals(2, retries)
    }
}
