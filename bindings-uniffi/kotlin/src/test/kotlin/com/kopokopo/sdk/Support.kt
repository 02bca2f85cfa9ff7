package com.kopokopo.sdk

import com.sun.net.httpserver.HttpServer
import org.json.JSONObject
import java.io.File
import java.math.BigDecimal
import java.net.InetSocketAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/** Where the repository, the Cargo target directory and `k2` are. */
object Env {
    val repoRoot: File = File(System.getProperty("kopokopo.repoRoot") ?: "../..").canonicalFile
    private val targetDir: File = System.getenv("CARGO_TARGET_DIR")?.takeIf { it.isNotBlank() }?.let(::File)
        ?: File(repoRoot, "target")
    val k2: File = System.getenv("K2_BIN")?.takeIf { it.isNotBlank() }?.let(::File) ?: File(targetDir, "debug/k2")

    const val CLIENT_ID = "k2-mock-client-id"
    const val CLIENT_SECRET = "k2-mock-client-secret"
    const val API_KEY = "k2-mock-api-key"
}

private val http: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

/** `k2 mock` on a free port; the base URL is the first line of its stdout. */
class K2Mock(vararg extraArgs: String) : AutoCloseable {
    private val process: Process
    val baseUrl: String

    init {
        check(Env.k2.canExecute()) { "k2 not found at ${Env.k2}: run `cargo build -p kopokopo-mock` (or set K2_BIN)" }
        process = ProcessBuilder(listOf(Env.k2.path, "mock", "--port", "0") + extraArgs)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val reader = process.inputStream.bufferedReader()
        baseUrl = reader.readLine()?.trim() ?: error("k2 mock printed no base URL")
        check(baseUrl.startsWith("http://127.0.0.1:")) { "unexpected first line from k2 mock: $baseUrl" }
        Thread { reader.useLines { lines -> lines.forEach { } } }.apply { isDaemon = true }.start()
    }

    fun get(path: String): JSONObject {
        val req = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build()
        return JSONObject(http.send(req, HttpResponse.BodyHandlers.ofString()).body())
    }

    fun admin(path: String, body: JSONObject = JSONObject()): JSONObject {
        val req = HttpRequest.newBuilder(URI.create("$baseUrl/__admin/$path"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build()
        val resp = http.send(req, HttpResponse.BodyHandlers.ofString())
        check(resp.statusCode() == 200) { "admin $path: ${resp.statusCode()} ${resp.body()}" }
        return JSONObject(resp.body())
    }

    fun fault(mode: String, count: Int = 1, path: String? = null, retryAfter: Int? = null, delayMs: Int? = null) {
        val body = JSONObject().put("mode", mode).put("count", count)
        path?.let { body.put("path", it) }
        retryAfter?.let { body.put("retry_after", it) }
        delayMs?.let { body.put("delay_ms", it) }
        admin("faults", body)
    }

    fun reset() = admin("reset")

    /** `{"POST /api/v2/incoming_payments": 1, ...}` */
    fun requestCounters(): JSONObject = get("/__admin/counters").getJSONObject("requests")

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }
}

/** One POST received by [Receiver]: raw body and signature header. */
class Delivery(val path: String, val body: ByteArray, val signature: String?)

/** A loopback HTTP server recording webhook and result deliveries by path. */
class Receiver : AutoCloseable {
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    private val queues = ConcurrentHashMap<String, LinkedBlockingQueue<Delivery>>()

    init {
        server.createContext("/") { ex ->
            val body = ex.requestBody.readAllBytes()
            val d = Delivery(ex.requestURI.path, body, ex.requestHeaders.getFirst("X-KopoKopo-Signature"))
            queue(d.path).add(d)
            ex.sendResponseHeaders(200, -1)
            ex.close()
        }
        server.start()
    }

    private fun queue(path: String) = queues.computeIfAbsent(path) { LinkedBlockingQueue() }

    /** A fresh, unique URL on this receiver. */
    fun newUrl(prefix: String = "cb"): String = "http://127.0.0.1:${server.address.port}/$prefix/${UUID.randomUUID()}"

    /** Waits for a delivery to [url]. */
    fun await(url: String, timeoutMs: Long = 10_000): Delivery {
        val path = URI.create(url).path
        return queue(path).poll(timeoutMs, TimeUnit.MILLISECONDS)
            ?: throw AssertionError("no delivery to $path within $timeoutMs ms")
    }

    override fun close() = server.stop(0)
}

/** One mock and one receiver for the whole test run. */
object Shared {
    val mock: K2Mock by lazy {
        K2Mock("--callback-delay-ms", "50").also { m -> Runtime.getRuntime().addShutdownHook(Thread { m.close() }) }
    }
    val receiver: Receiver by lazy {
        Receiver().also { r -> Runtime.getRuntime().addShutdownHook(Thread { r.close() }) }
    }

    fun client(mock: K2Mock = this.mock, secret: String = Env.CLIENT_SECRET, maxRetries: Int? = null, timeout: Duration? = null) =
        KopoKopo.client(
            clientId = Env.CLIENT_ID,
            clientSecret = secret,
            apiKey = Env.API_KEY,
            baseUrl = mock.baseUrl,
            maxRetries = maxRetries,
            timeout = timeout,
        )
}

/** Polls [fetch] until [done] holds (results arrive after the mock's callback delay). */
fun <T> eventually(timeoutMs: Long = 10_000, fetch: () -> T, done: (T) -> Boolean): T {
    val deadline = System.nanoTime() + timeoutMs * 1_000_000
    var last = fetch()
    while (!done(last)) {
        if (System.nanoTime() > deadline) throw AssertionError("condition not met in $timeoutMs ms; last: $last")
        Thread.sleep(50)
        last = fetch()
    }
    return last
}

fun fixture(name: String): ByteArray = File(Env.repoRoot, "tests/fixtures/$name").readBytes()

/**
 * A loopback server answering fixed responses (`"GET /api/v2/send_money/x"` ->
 * status and body), plus a token at `POST /oauth/token`: runs a documented
 * response body through a client's whole request/response path.
 */
class FixtureServer(private val routes: Map<String, Pair<Int, ByteArray>>) : AutoCloseable {
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    val baseUrl: String

    init {
        server.createContext("/") { ex ->
            ex.requestBody.readAllBytes()
            val key = "${ex.requestMethod} ${ex.requestURI.path}"
            val (status, body) = routes[key]
                ?: if (key == "POST /oauth/token") {
                    200 to fixture("response.token.json")
                } else {
                    404 to """{"error_code":404,"error_message":"no fixture for $key"}""".toByteArray()
                }
            ex.responseHeaders.add("content-type", "application/json")
            ex.sendResponseHeaders(status, if (body.isEmpty()) -1 else body.size.toLong())
            ex.responseBody.use { it.write(body) }
        }
        server.start()
        baseUrl = "http://127.0.0.1:${server.address.port}"
    }

    fun client(): KopoKopoClient =
        KopoKopo.client(clientId = "id", clientSecret = "secret", apiKey = "key", baseUrl = baseUrl, maxRetries = 0)

    override fun close() = server.stop(0)
}

/** A money amount written as text, e.g. `money("150.00")`. */
fun money(text: String): BigDecimal = BigDecimal(text)

/** Exactly [want], digits and scale: `BigDecimal("150.00")` is not `BigDecimal("150")`. */
fun assertExactMoney(want: String, got: BigDecimal?, where: String = "") {
    if (got == null) throw AssertionError("$where: no amount (expected $want)")
    if (got.compareTo(BigDecimal(want)) != 0 || got.toPlainString() != want) {
        throw AssertionError("$where: expected $want, got ${got.toPlainString()}")
    }
}

/**
 * How the old API named a webhook's payload structure (`k2` or `daraja`): an
 * exhaustive `when` over [WebhookEvent] with no `else`, so that a new case
 * fails to compile here.
 */
val WebhookEvent.structure: String
    get() = when (this) {
        is WebhookEvent.BuygoodsTransactionReceived,
        is WebhookEvent.BuygoodsTransactionReversed,
        is WebhookEvent.B2bTransactionReceived,
        is WebhookEvent.M2mTransactionReceived,
        is WebhookEvent.B2bTransactionReversed,
        is WebhookEvent.SettlementTransferCompleted,
        is WebhookEvent.CustomerCreated,
        is WebhookEvent.CardTransactionReceived,
        is WebhookEvent.CardTransactionVoided,
        is WebhookEvent.CardTransactionReversed,
        is WebhookEvent.Unknown,
        -> "k2"
        is WebhookEvent.Daraja -> "daraja"
    }

/** The kind of resource a webhook carries (`transaction`, `settlement_transfer`, `customer`, `daraja`, `unknown`). */
val WebhookEvent.resourceKind: String
    get() = when (this) {
        is WebhookEvent.BuygoodsTransactionReceived,
        is WebhookEvent.BuygoodsTransactionReversed,
        is WebhookEvent.B2bTransactionReceived,
        is WebhookEvent.M2mTransactionReceived,
        is WebhookEvent.B2bTransactionReversed,
        is WebhookEvent.CardTransactionReceived,
        is WebhookEvent.CardTransactionVoided,
        is WebhookEvent.CardTransactionReversed,
        -> "transaction"
        is WebhookEvent.SettlementTransferCompleted -> "settlement_transfer"
        is WebhookEvent.CustomerCreated -> "customer"
        is WebhookEvent.Daraja -> "daraja"
        is WebhookEvent.Unknown -> "unknown"
    }

/** The transaction of a transaction topic, else null. */
val WebhookEvent.transaction: Transaction?
    get() = when (this) {
        is WebhookEvent.BuygoodsTransactionReceived -> resource
        is WebhookEvent.BuygoodsTransactionReversed -> resource
        is WebhookEvent.B2bTransactionReceived -> resource
        is WebhookEvent.M2mTransactionReceived -> resource
        is WebhookEvent.B2bTransactionReversed -> resource
        is WebhookEvent.CardTransactionReceived -> resource
        is WebhookEvent.CardTransactionVoided -> resource
        is WebhookEvent.CardTransactionReversed -> resource
        is WebhookEvent.SettlementTransferCompleted,
        is WebhookEvent.CustomerCreated,
        is WebhookEvent.Daraja,
        is WebhookEvent.Unknown,
        -> null
    }

/** The amount of a webhook, wherever its case keeps it (transaction, settlement transfer, Daraja `TransAmount`). */
val WebhookEvent.amount: BigDecimal?
    get() = when (this) {
        is WebhookEvent.SettlementTransferCompleted -> resource.amount
        is WebhookEvent.Daraja -> event.transAmount
        is WebhookEvent.CustomerCreated, is WebhookEvent.Unknown -> null
        else -> transaction?.amount
    }

/**
 * The `data.type` family of a result (`incoming_payment`, `send_money`, ...): an
 * exhaustive `when` over [CallbackResult] with no `else`.
 */
val CallbackResult.kind: String
    get() = when (this) {
        is CallbackResult.IncomingPaymentResult -> "incoming_payment"
        is CallbackResult.SendMoneyResult -> "send_money"
        is CallbackResult.PollingResult -> "polling"
        is CallbackResult.SmsNotificationResult -> "transaction_sms_notification"
        is CallbackResult.ReversalResult -> "reversals"
        is CallbackResult.PaymentLinkResult -> "payment_link"
        is CallbackResult.Unknown -> resultType
    }

val CallbackResult.incomingPayment: IncomingPayment? get() = (this as? CallbackResult.IncomingPaymentResult)?.value
val CallbackResult.sendMoney: SendMoney? get() = (this as? CallbackResult.SendMoneyResult)?.value
val CallbackResult.polling: Polling? get() = (this as? CallbackResult.PollingResult)?.value
val CallbackResult.smsNotification: SmsNotification? get() = (this as? CallbackResult.SmsNotificationResult)?.value
val CallbackResult.reversal: Reversal? get() = (this as? CallbackResult.ReversalResult)?.value
val CallbackResult.paymentLink: PaymentLink? get() = (this as? CallbackResult.PaymentLinkResult)?.value
