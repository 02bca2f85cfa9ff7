@file:JvmName("KopoKopoErrors")

package com.kopokopo.sdk

import java.time.Duration

/**
 * Kotlin entry points over the generated bindings (`kopokopo_uniffi.kt`).
 *
 * ```kotlin
 * val client = KopoKopo.client(
 *     clientId = System.getenv("K2_CLIENT_ID"),
 *     clientSecret = System.getenv("K2_CLIENT_SECRET"),
 *     apiKey = System.getenv("K2_API_KEY"),
 * )
 * val created = client.incomingPayments.create(
 *     IncomingPaymentRequest(
 *         tillNumber = "K000000",
 *         phoneNumber = "+254712345678",
 *         amount = BigDecimal("150.00"),
 *         callbackUrl = "https://example.com/k2/results",
 *     ),
 * )
 * // In a coroutine (never blocks the dispatcher):
 * val payment = client.incomingPayments.statusAsync(created.location)
 * ```
 *
 * Every operation has a blocking method (`create`) and a `suspend` twin
 * (`createAsync`) that runs the call off the caller's thread; on Android,
 * call the `…Async` ones from a coroutine.
 */
object KopoKopo {
    /** The version of this package (the Rust core's version). */
    @JvmStatic
    val version: String
        get() = libraryVersion()

    /** What this package appends to the User-Agent: `kotlin/<version>; JVM <java.version>`. */
    @JvmStatic
    val userAgentSuffix: String
        get() = "kotlin/${libraryVersion()}; JVM ${System.getProperty("java.version") ?: "unknown"}"

    /**
     * A [ClientConfig] with the Kotlin User-Agent suffix.
     *
     * The options are the same in every language: [baseUrl] (`null`: the sandbox),
     * [timeout] and [connectTimeout] (at most one hour), [maxRetries] (GET and token
     * requests only; payments are never retried), [userAgentSuffix] (appended after
     * `kotlin/<version>; JVM <n>`, e.g. `myapp/2.1`) and [proxy]: `null` or `"env"` reads
     * `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` from the environment (never `HTTP_PROXY`),
     * `"none"` connects directly, anything else is a proxy URL (`http://user:pass@proxy:3128`).
     */
    @JvmStatic
    @JvmOverloads
    @Throws(KopoKopoException::class)
    fun config(
        clientId: String,
        clientSecret: String,
        apiKey: String? = null,
        baseUrl: String? = null,
        timeout: Duration? = null,
        connectTimeout: Duration? = null,
        maxRetries: Int? = null,
        proxy: String? = null,
        userAgentSuffix: String? = null,
    ): ClientConfig = ClientConfig(
        clientId = clientId,
        clientSecret = clientSecret,
        apiKey = apiKey,
        baseUrl = baseUrl,
        timeout = timeout,
        connectTimeout = connectTimeout,
        maxRetries = maxRetries,
        userAgentSuffix = if (userAgentSuffix.isNullOrEmpty()) this.userAgentSuffix else "${this.userAgentSuffix}; $userAgentSuffix",
        proxy = proxy,
    )

    /**
     * A client (see [config]); throws [KopoKopoException.InvalidArgument] for a bad configuration.
     * Share one: it pools connections and caches the access token.
     */
    @JvmStatic
    @JvmOverloads
    @Throws(KopoKopoException::class)
    fun client(
        clientId: String,
        clientSecret: String,
        apiKey: String? = null,
        baseUrl: String? = null,
        timeout: Duration? = null,
        connectTimeout: Duration? = null,
        maxRetries: Int? = null,
        proxy: String? = null,
        userAgentSuffix: String? = null,
    ): KopoKopoClient = KopoKopoClient(
        config(clientId, clientSecret, apiKey, baseUrl, timeout, connectTimeout, maxRetries, proxy, userAgentSuffix),
    )

    /**
     * A client configured from the environment variables every example of every
     * language reads: `K2_CLIENT_ID`, `K2_CLIENT_SECRET`, `K2_API_KEY` and
     * `K2_BASE_URL` (absent: the sandbox).
     */
    @JvmStatic
    @Throws(KopoKopoException::class)
    fun fromEnvironment(): KopoKopoClient {
        fun env(name: String): String? = System.getenv(name)?.takeIf { it.isNotEmpty() }
        return client(
            clientId = env("K2_CLIENT_ID") ?: "",
            clientSecret = env("K2_CLIENT_SECRET") ?: "",
            apiKey = env("K2_API_KEY"),
            baseUrl = env("K2_BASE_URL"),
        )
    }

    // The webhook functions, for Java callers (`KopoKopo.parseWebhook(...)`;
    // Kotlin calls the top-level functions of the same names directly).

    /** The signature Kopo Kopo would send for [body] (hex HMAC-SHA256 keyed with [apiKey]). */
    @JvmStatic
    fun sign(body: ByteArray, apiKey: String): String = com.kopokopo.sdk.sign(body, apiKey)

    /** Whether [signature] (the `X-KopoKopo-Signature` header; `null` when missing) matches the raw [body]. */
    @JvmStatic
    fun verifySignature(body: ByteArray, signature: String?, apiKey: String): Boolean =
        com.kopokopo.sdk.verifySignature(body, signature, apiKey)

    /** Verifies the signature over the raw [body], then parses the webhook: one [WebhookEvent] case per topic. */
    @JvmStatic
    @Throws(KopoKopoException::class)
    fun parseWebhook(body: ByteArray, signature: String?, apiKey: String): WebhookEvent =
        com.kopokopo.sdk.parseWebhook(body, signature, apiKey)

    /** Verifies the signature over the raw [body], then parses an asynchronous result: one [CallbackResult] case per type. */
    @JvmStatic
    @Throws(KopoKopoException::class)
    fun parseResult(body: ByteArray, signature: String?, apiKey: String): CallbackResult =
        com.kopokopo.sdk.parseResult(body, signature, apiKey)

    /** The stable error code of an exception: the same as [KopoKopoException.code]. */
    @JvmStatic
    fun code(e: KopoKopoException): String = e.code()

    /** The core's message of an exception (its `message`), the same text in every language. */
    @JvmStatic
    fun description(e: KopoKopoException): String = errorDescription(e)
}

// Every exception's properties, whichever its case (`e.code`, `e.httpStatus`, ...).
// From Java they are the methods `e.code()`, `e.httpStatus()`, ...

/** The stable error code: `invalid_argument`, `api_error`, `rate_limited`... (identical in every language). */
val KopoKopoException.code: String
    get() = code()

/** The HTTP status of an API answer, when the error came from one. */
val KopoKopoException.httpStatus: Int?
    get() = httpStatus()

/** How long to wait before retrying (`Retry-After` of HTTP 429), when the server said. */
val KopoKopoException.retryAfter: Duration?
    get() = retryAfter()

/** The offending field of an invalid argument, e.g. `destinations[0].amount`. */
val KopoKopoException.field: String?
    get() = field()

/** Why an argument or a signature was refused. */
val KopoKopoException.reason: String?
    get() = reason()

/** The topic of any webhook, e.g. `buygoods_transaction_received`. */
val WebhookEvent.topic: String
    get() = topic()

/** The event id of any webhook (Daraja: the M-PESA `TransID`): the key to drop a redelivery. */
val WebhookEvent.id: String
    get() = id()

/** `data.id` of any result. */
val CallbackResult.id: String
    get() = id()

/** The status of any result (`Success`, `Failed`, `Processed`...). */
val CallbackResult.status: String
    get() = status()

/**
 * A timeout's wire form (whole milliseconds), used by the generated converter
 * of `Timeout` (uniffi.toml): saturating, so that no Duration a caller builds
 * throws here; the core refuses a negative or too long one by name.
 */
internal fun kopokopoMillis(d: Duration): Long = try {
    d.toMillis()
} catch (e: ArithmeticException) {
    if (d.isNegative) Long.MIN_VALUE else Long.MAX_VALUE
}
