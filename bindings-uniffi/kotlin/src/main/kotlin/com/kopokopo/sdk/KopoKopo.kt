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
     * The options are the same in every language: [baseUrl] (`null`: the sandbox),
     * [timeoutMs] and [connectTimeoutMs] (at most one hour), [maxRetries] (GET and token
     * requests only; payments are never retried), [userAgentSuffix] (appended after
     * `kotlin/<version>; JVM <n>`, e.g. `myapp/2.1`) and [proxy]: `null` or `"env"` reads
     * `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` from the environment (never `HTTP_PROXY`),
     * `"none"` connects directly, anything else is a proxy URL (`http://user:pass@proxy:3128`).
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
        userAgentSuffix: String? = null,
    ): ClientConfig = ClientConfig(
        clientId = clientId,
        clientSecret = clientSecret,
        apiKey = apiKey,
        baseUrl = baseUrl,
        timeoutMs = timeoutMs,
        connectTimeoutMs = connectTimeoutMs,
        maxRetries = maxRetries,
        userAgentSuffix = if (userAgentSuffix.isNullOrEmpty()) this.userAgentSuffix else "${this.userAgentSuffix}; $userAgentSuffix",
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
        userAgentSuffix: String? = null,
    ): KopoKopoClient = KopoKopoClient(
        config(clientId, clientSecret, apiKey, baseUrl, timeoutMs, connectTimeoutMs, maxRetries, proxy, userAgentSuffix),
    )

    /** The stable error code of an exception (`invalid_argument`, `api_error`...): the core's. */
    @JvmStatic
    fun code(e: KopoKopoException): String = errorCode(e)

    /** The core's message of an exception, the same text in every language. */
    @JvmStatic
    fun description(e: KopoKopoException): String = errorDescription(e)
}
