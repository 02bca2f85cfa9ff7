package com.kopokopo.sdk

import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.math.BigDecimal
import java.util.concurrent.Executors

/**
 * The `suspend` twins (`createAsync`, `statusAsync`, ...): they never block the
 * dispatcher they are called from, many run at once, and their failures arrive
 * as the same typed [KopoKopoException]s as the blocking calls'.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoroutinesTest {
    private val mock = K2Mock("--callback-delay-ms", "50")
    private val client = Shared.client(mock)
    private val cb = "https://example.com/k2/results"

    @AfterEach
    fun reset() {
        mock.reset()
    }

    @AfterAll
    fun stop() = mock.close()

    private fun payment(i: Int, phone: String = "07123456%02d".format(i % 100)) = IncomingPaymentRequest(
        tillNumber = "K000000",
        phoneNumber = phone,
        amount = BigDecimal("$i.50"),
        callbackUrl = cb,
        metadata = mapOf("i" to MetadataValue.Number(BigDecimal(i))),
    )

    @Test
    fun fiftyConcurrentCallsOnOneThreadNeverStallIt() {
        val calls = 50
        val latencyMs = 300L
        // A token first, so that only the payments are slowed down.
        client.tokens.info()
        // Every one of the next 50 payment requests waits 300 ms in the mock: run one
        // after another (or blocking the only thread), they would take 15 s and the
        // ticker below would stop for 300 ms at a time.
        mock.fault("delay", count = calls, path = "/api/v2/incoming_payments", delayMs = latencyMs.toInt())

        val executor = Executors.newSingleThreadExecutor { r -> Thread(r, "the-only-thread") }
        val dispatcher = executor.asCoroutineDispatcher()
        try {
            runBlocking(dispatcher) {
                val thread = Thread.currentThread()
                // Touched only from the one dispatcher thread.
                val ticks = ArrayList<Long>()
                val ticker = launch {
                    while (isActive) {
                        check(Thread.currentThread() === thread)
                        ticks += System.nanoTime()
                        delay(5)
                    }
                }
                val started = System.nanoTime()
                val created = (1..calls).map { i ->
                    async {
                        val c = client.incomingPayments.createAsync(payment(i))
                        // Resumed on the caller's dispatcher.
                        check(Thread.currentThread() === thread)
                        c
                    }
                }.awaitAll()
                val finished = System.nanoTime()
                ticker.cancelAndJoin()

                // All 50 succeeded, each its own payment.
                assertEquals(calls, created.size)
                assertEquals(calls, created.map { it.id }.toSet().size)
                created.forEach { assertTrue(it.location.endsWith(it.id), it.location) }
                val counters = mock.requestCounters()
                assertEquals(calls, counters.optInt("POST /api/v2/incoming_payments"), counters.toString())

                // They ran at once: far less than 50 x 300 ms one after another.
                val elapsedMs = (finished - started) / 1_000_000
                assertTrue(elapsedMs >= latencyMs, "elapsed $elapsedMs ms: the mock's delay was not applied")
                assertTrue(elapsedMs < calls * latencyMs / 3, "50 calls took $elapsedMs ms: not concurrent")

                // The ticker kept ticking while they were in flight: no gap anywhere near
                // one call's latency (a blocking call would stall it for 300 ms at least).
                val during = ticks.filter { it in started..finished }
                assertTrue(during.size >= 10, "only ${during.size} ticks in $elapsedMs ms")
                val maxGapMs = ticks.zipWithNext { a, b -> b - a }.max() / 1_000_000
                assertTrue(maxGapMs < latencyMs / 2, "the dispatcher thread stalled for $maxGapMs ms")
                println(
                    "coroutines: $calls pushes of $latencyMs ms each in $elapsedMs ms; " +
                        "${during.size} ticks, largest gap $maxGapMs ms",
                )

                // The status twin as well, on the same thread.
                val status = client.incomingPayments.statusAsync(created.first().location)
                assertEquals(created.first().id, status.id)
                assertEquals(MetadataValue.Number(BigDecimal(1)), status.metadata["i"]?.let { normalise(it) })
            }
        } finally {
            dispatcher.close()
        }
    }

    @Test
    fun aSuspendCallsFailureIsTheTypedException() {
        val e = assertThrows<KopoKopoException.InvalidArgument> {
            runBlocking { client.incomingPayments.createAsync(payment(1, phone = "12")) }
        }
        assertEquals("invalid_argument", e.code)
        assertEquals("phoneNumber", e.field)
        assertEquals(KopoKopo.description(e), e.message)
        assertNull(e.cause)
        // Refused before anything was sent.
        assertEquals(0, mock.requestCounters().length(), mock.requestCounters().toString())

        // An API answer too: the server's status and messages.
        val api = assertThrows<KopoKopoException.Api> {
            runBlocking {
                client.incomingPayments.createAsync(
                    IncomingPaymentRequest(tillNumber = "K400400", phoneNumber = "0712345678", amount = BigDecimal("10"), callbackUrl = cb),
                )
            }
        }
        assertEquals("api_error", api.code)
        assertEquals(400, api.httpStatus)
        assertEquals("Till number is invalid", api.errorMessage)

        // And a rate limit with its Retry-After, as a Duration.
        mock.fault("429", count = 5, path = "/api/v2/payment_links", retryAfter = 120)
        val limited = assertThrows<KopoKopoException.RateLimited> {
            runBlocking {
                client.paymentLinks.createAsync(PaymentLinkRequest(tillNumber = "112233", amount = BigDecimal("10"), callbackUrl = cb))
            }
        }
        assertEquals("rate_limited", limited.code)
        assertEquals(java.time.Duration.ofSeconds(120), limited.retryAfter)
    }

    /** A whole number may come back as `1` or `1.0`: compare by value. */
    private fun normalise(v: MetadataValue): MetadataValue = when (v) {
        is MetadataValue.Number -> MetadataValue.Number(BigDecimal(v.value.stripTrailingZeros().toPlainString()))
        else -> v
    }
}
