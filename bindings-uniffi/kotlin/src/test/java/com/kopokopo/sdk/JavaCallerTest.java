package com.kopokopo.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API as a Java caller sees it: static factories with overloads, group
 * accessor methods, records with getters, sealed classes matched with
 * instanceof, exception properties as methods.
 */
class JavaCallerTest {
    private static K2Mock mock;

    @BeforeAll
    static void start() {
        mock = new K2Mock("--callback-delay-ms", "50");
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    private static KopoKopoClient client() throws KopoKopoException {
        // The four-argument overload of the @JvmOverloads factory.
        return KopoKopo.client(Env.CLIENT_ID, Env.CLIENT_SECRET, Env.API_KEY, mock.getBaseUrl());
    }

    @Test
    void overloadsOfTheFactory() throws KopoKopoException {
        KopoKopoClient two = KopoKopo.client("id", "secret");
        assertEquals(Kopokopo_uniffiKt.sandboxUrl(), two.baseUrl());
        KopoKopoClient all = KopoKopo.client(
            "id", "secret", "key", mock.getBaseUrl(), Duration.ofSeconds(5), Duration.ofSeconds(1), 0, "none", "javaapp/1.0");
        assertEquals(mock.getBaseUrl(), all.baseUrl());
        assertTrue(all.userAgent().endsWith("; javaapp/1.0)"), all.userAgent());
        ClientConfig config = KopoKopo.config("id", "secret", null, null, Duration.ofMillis(1500));
        assertEquals(Duration.ofMillis(1500), config.getTimeout());
        assertNull(config.getMaxRetries());
        // A bad configuration is a KopoKopoException, declared (@Throws): Java can catch it
        // around the factory call alone.
        KopoKopoException.InvalidArgument e = assertThrows(
            KopoKopoException.InvalidArgument.class, () -> KopoKopo.client("id", "secret", null, null, Duration.ZERO));
        assertEquals("timeout", e.field());
        assertEquals("invalid_argument", e.code());
        try {
            KopoKopo.client("id", "secret", null, null, Duration.ofMillis(-1));
            fail("a negative timeout was accepted");
        } catch (KopoKopoException negative) {
            assertEquals("timeout", negative.field());
        }
    }

    @Test
    void stkPushAndItsStatus() throws KopoKopoException {
        KopoKopoClient client = client();
        IncomingPaymentRequest request = new IncomingPaymentRequest(
            "K000000",
            "0712345678",
            new BigDecimal("150.00"),
            "https://example.com/k2/results",
            null,
            "Jane",
            "Doe",
            null,
            null,
            Map.of("order", new MetadataValue.Text("42")));
        Created created = client.incomingPayments().create(request);
        assertTrue(created.getLocation().endsWith(created.getId()), created.getLocation());

        IncomingPayment payment = client.incomingPayments().status(created.getLocation());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!payment.getStatus().equals("Success")) {
            if (System.nanoTime() > deadline) fail("still " + payment.getStatus());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            payment = client.incomingPayments().status(created.getId());
        }
        assertEquals(created.getId(), payment.getId());
        assertEquals(new MetadataValue.Text("42"), payment.getMetadata().get("order"));
        Transaction tx = payment.getEvent().getResource();
        assertNotNull(tx);
        assertEquals(0, new BigDecimal("150").compareTo(tx.getAmount()));
        assertEquals("+254712345678", tx.getSenderPhoneNumber());
        long requests = client.tokenRequests();
        assertEquals(1L, requests);
    }

    @Test
    void signedWebhookMatchedWithInstanceof() throws KopoKopoException {
        byte[] body = SupportKt.fixture("webhook.buygoods_transaction_received.k2.json");
        String signature = KopoKopo.sign(body, "java-key");
        assertTrue(KopoKopo.verifySignature(body, signature, "java-key"));
        WebhookEvent event = KopoKopo.parseWebhook(body, signature, "java-key");
        assertEquals("buygoods_transaction_received", event.topic());
        assertFalse(event.id().isEmpty());
        if (event instanceof WebhookEvent.BuygoodsTransactionReceived) {
            WebhookEvent.BuygoodsTransactionReceived received = (WebhookEvent.BuygoodsTransactionReceived) event;
            assertEquals(event.id(), received.getId());
            BigDecimal amount = received.getResource().getAmount();
            assertNotNull(amount);
            OffsetDateTime createdAt = received.getCreatedAt();
            assertNotNull(createdAt);
            assertEquals(ZoneOffset.ofHours(3), createdAt.getOffset());
        } else {
            fail("not a BuygoodsTransactionReceived: " + event);
        }
        // The client method with the configured API key.
        byte[] mockKeyed = body;
        WebhookEvent same = client().parseWebhook(mockKeyed, KopoKopo.sign(mockKeyed, Env.API_KEY));
        assertEquals(event, same);
    }

    @Test
    void exceptionPropertiesAreMethods() throws KopoKopoException {
        KopoKopoClient client = client();
        IncomingPaymentRequest bad = new IncomingPaymentRequest(
            "K000000", "12", new BigDecimal("10"), "https://example.com/k2/results", null, null, null, null, null, null);
        try {
            client.incomingPayments().create(bad);
            fail("no exception");
        } catch (KopoKopoException e) {
            assertEquals("invalid_argument", e.code());
            assertEquals("phoneNumber", e.field());
            assertNotNull(e.reason());
            assertNull(e.httpStatus());
            assertNull(e.retryAfter());
            assertEquals(KopoKopo.description(e), e.getMessage());
            assertEquals("invalid_argument", KopoKopo.code(e));
            assertTrue(e instanceof KopoKopoException.InvalidArgument);
            assertEquals("phoneNumber", ((KopoKopoException.InvalidArgument) e).getField());
        }
        KopoKopoException.Api api = assertThrows(KopoKopoException.Api.class, () -> client.incomingPayments().create(
            new IncomingPaymentRequest(
                "K400400", "0712345678", new BigDecimal("10"), "https://example.com/k2/results", null, null, null, null, null, null)));
        assertEquals("api_error", api.code());
        assertEquals(Integer.valueOf(400), api.httpStatus());
        assertEquals(400, api.getHttpStatus());
    }
}
