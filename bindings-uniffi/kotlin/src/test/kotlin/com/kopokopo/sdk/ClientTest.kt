package com.kopokopo.sdk

import com.sun.net.httpserver.HttpServer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.net.InetSocketAddress
import java.time.Duration
import java.util.concurrent.atomic.AtomicReference

/** Configuration, User-Agent, token cache and the redaction of secrets. */
class ClientTest {
    @Test
    fun userAgentCarriesTheKotlinSuffix() {
        val seen = AtomicReference<String?>()
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/oauth/token") { ex ->
            seen.set(ex.requestHeaders.getFirst("User-Agent"))
            val body =
                """{"access_token":"tok","token_type":"Bearer","expires_in":3600,"created_at":"2026-01-01T00:00:00Z"}"""
                    .toByteArray()
            ex.responseHeaders.add("content-type", "application/json")
            ex.sendResponseHeaders(200, body.size.toLong())
            ex.responseBody.use { it.write(body) }
        }
        server.start()
        try {
            val client = KopoKopo.client(clientId = "id", clientSecret = "secret", baseUrl = "http://127.0.0.1:${server.address.port}")
            client.tokens.request()
            val v = KopoKopo.version
            val ua = seen.get() ?: throw AssertionError("no request")
            assertTrue(ua.startsWith("kopokopo/$v (kotlin/$v; JVM "), ua)
            assertEquals(ua, client.userAgent())
        } finally {
            server.stop(0)
        }
        // A hand-built ClientConfig still says it came through UniFFI.
        val plain = KopoKopoClient(ClientConfig(clientId = "id", clientSecret = "secret"))
        assertEquals("kopokopo/${KopoKopo.version} (uniffi/${KopoKopo.version})", plain.userAgent())
        assertEquals(sandboxUrl(), plain.baseUrl())
    }

    @Test
    fun secretsNeverInToString() {
        val config = KopoKopo.config(clientId = "my-id", clientSecret = "SECRET-VALUE", apiKey = "APIKEY-VALUE")
        for (text in listOf(config.toString(), KopoKopoClient(config).toString())) {
            assertFalse(text.contains("SECRET-VALUE"), text)
            assertFalse(text.contains("APIKEY-VALUE"), text)
            assertTrue(text.contains("my-id"), text)
        }
        assertTrue(config.toString().contains("[REDACTED]"))
        // Data-class equality and copy still work.
        assertEquals(config, config.copy())
        assertEquals("SECRET-VALUE", config.clientSecret)

        val token = Shared.client().tokens.request()
        assertFalse(token.toString().contains(token.accessToken), token.toString())
        assertTrue(token.toString().contains("[REDACTED]"))
        assertFalse(token.toString().contains(Env.CLIENT_SECRET))
    }

    @Test
    fun tokenIsCachedAndRefreshedAfterExpiry() {
        val mock = K2Mock()
        mock.use {
            val client = Shared.client(mock)
            client.tokens.info()
            client.tokens.info()
            assertEquals(1L, client.tokenRequests())
            mock.admin("expire-tokens")
            // The 401 makes the client fetch a new token and retry once.
            client.tokens.info()
            assertEquals(2L, client.tokenRequests())
        }
    }

    @Test
    fun nativeLibraryComesFromTheClasspath() {
        // Packed as a JNA resource: no -Djna.library.path needed.
        assertEquals(null, System.getProperty("jna.library.path"))
        val prefix = com.sun.jna.Platform.RESOURCE_PREFIX
        val resource = javaClass.classLoader.getResource("$prefix/${System.mapLibraryName("kopokopo_uniffi")}")
        assertTrue(resource != null, "no $prefix/ resource on the classpath")
        assertTrue(libraryVersion().isNotEmpty())
    }

    @Test
    fun versionAndUrls() {
        assertTrue(Regex("""\d+\.\d+\.\d+.*""").matches(libraryVersion()))
        assertEquals("https://sandbox.kopokopo.com", sandboxUrl())
        assertTrue(productionUrl().startsWith("https://"))
    }

    @Test
    fun everyClientOptionIsAccepted() {
        // The one set of options of every binding: base URL, timeout, connect timeout,
        // max retries, user-agent suffix, proxy.
        val config =
            KopoKopo.config(
                clientId = "id",
                clientSecret = "secret",
                baseUrl = "http://127.0.0.1:9",
                timeout = Duration.ofSeconds(5),
                connectTimeout = Duration.ofMillis(1_000),
                maxRetries = 0,
                proxy = "none",
                userAgentSuffix = "myapp/2.1",
            )
        assertEquals("http://127.0.0.1:9", config.baseUrl)
        assertEquals(Duration.ofMillis(5_000), config.timeout)
        assertEquals(Duration.ofSeconds(1), config.connectTimeout)
        assertEquals(0, config.maxRetries)
        assertEquals("none", config.proxy)
        val client = KopoKopoClient(config)
        assertEquals("http://127.0.0.1:9", client.baseUrl())
        assertTrue(client.userAgent().endsWith("(${KopoKopo.userAgentSuffix}; myapp/2.1)"), client.userAgent())
        // Without a suffix of the caller's: the Kotlin one alone.
        assertTrue(KopoKopo.client(clientId = "id", clientSecret = "s").userAgent().endsWith("(${KopoKopo.userAgentSuffix})"))
    }

    @Test
    fun errorCodesAndMessagesAreTheCores() {
        val e =
            org.junit.jupiter.api.assertThrows<KopoKopoException.InvalidArgument> {
                KopoKopo.client(clientId = "id", clientSecret = "s", timeout = Duration.ZERO)
            }
        assertEquals("invalid_argument", KopoKopo.code(e))
        assertEquals("invalid argument `timeout`: must be greater than zero", KopoKopo.description(e))
        // The exception's own message is the same text (not "field=..., reason=...").
        assertEquals(KopoKopo.description(e), e.message)
        assertEquals("invalid_argument", e.code)
        assertEquals("timeout", e.field)
    }
}
