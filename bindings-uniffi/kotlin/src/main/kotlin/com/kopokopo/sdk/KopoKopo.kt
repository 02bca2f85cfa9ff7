package com.kopokopo.sdk

/**
 * Kotlin entry points over the generated bindings (`kopokopo_uniffi.kt`).
 *
 * ```kotlin
 * val client = KopoKopo.client(
 *     clientId = System.getenv("K2_CLIENT_ID"),
 *     clientSecret = System.getenv("K2_CLIENT_SECRET"),
 *     apiKey = System.getenv("K2_API_KEY"),
 * )
 * ```
 *
 * Every client method blocks: call it from a background thread or
 * `withContext(Dispatchers.IO)` on Android.
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
     * [proxy]: `null` or `"env"` reads `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` from the
     * environment (never `HTTP_PROXY`), `"none"` connects directly, anything else is a
     * proxy URL (`http://user:pass@proxy:3128`). Timeouts are at most one hour.
     */
    fun config(
        clientId: String,
        clientSecret: String,
        apiKey: String? = null,
        baseUrl: String? = null,
        timeoutMs: ULong? = null,
        connectTimeoutMs: ULong? = null,
        maxRetries: UInt? = null,
        proxy: String? = null,
    ): ClientConfig = ClientConfig(
        clientId = clientId,
        clientSecret = clientSecret,
        apiKey = apiKey,
        baseUrl = baseUrl,
        timeoutMs = timeoutMs,
        connectTimeoutMs = connectTimeoutMs,
        maxRetries = maxRetries,
        userAgentSuffix = userAgentSuffix,
        proxy = proxy,
    )

    /** A client (see [config]); throws [KopoKopoException.InvalidArgument] for a bad configuration. */
    fun client(
        clientId: String,
        clientSecret: String,
        apiKey: String? = null,
        baseUrl: String? = null,
        timeoutMs: ULong? = null,
        connectTimeoutMs: ULong? = null,
        maxRetries: UInt? = null,
        proxy: String? = null,
    ): KopoKopoClient = KopoKopoClient(
        config(clientId, clientSecret, apiKey, baseUrl, timeoutMs, connectTimeoutMs, maxRetries, proxy),
    )

    /** The stable error code of an exception (`invalid_argument`, `api_error`...). */
    @JvmStatic
    fun code(e: KopoKopoException): String = errorCode(e)
}
