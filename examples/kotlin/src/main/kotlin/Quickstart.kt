// Kopo Kopo quickstart for Kotlin: STK push, status, webhook verification.
//
//   cargo run -p kopokopo-mock --bin k2 -- mock --port 0     # prints the base URL
//   (cd bindings-uniffi/kotlin && mvn -q install -DskipTests)
//   cd examples/kotlin && K2_BASE_URL=http://127.0.0.1:PORT mvn -q compile exec:java
//
// The same environment variables as every other language's example:
// K2_CLIENT_ID, K2_CLIENT_SECRET, K2_API_KEY and K2_BASE_URL (unset: the sandbox).
import com.kopokopo.sdk.IncomingPaymentRequest
import com.kopokopo.sdk.KopoKopo
import com.kopokopo.sdk.KopoKopoException
import com.kopokopo.sdk.MetadataValue
import com.kopokopo.sdk.WebhookEvent
import com.kopokopo.sdk.code
import com.kopokopo.sdk.incomingPayments
import com.kopokopo.sdk.parseWebhook
import com.kopokopo.sdk.sign
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.math.BigDecimal

fun env(name: String, default: String?): String? = System.getenv(name)?.takeIf { it.isNotEmpty() } ?: default

fun main() = runBlocking {
    val apiKey = env("K2_API_KEY", "k2-mock-api-key")!!
    val client = KopoKopo.client(
        clientId = env("K2_CLIENT_ID", "k2-mock-client-id")!!,
        clientSecret = env("K2_CLIENT_SECRET", "k2-mock-client-secret")!!,
        apiKey = apiKey,
        baseUrl = env("K2_BASE_URL", null), // null: the sandbox
    )
    println("User-Agent: ${client.userAgent()}")

    try {
        // Blocking call (fine on a server thread)...
        val created = client.incomingPayments.create(
            IncomingPaymentRequest(
                tillNumber = "K000000",
                phoneNumber = "0712345678",
                amount = BigDecimal("150.00"),
                callbackUrl = "https://example.com/k2/results",
                metadata = mapOf("order" to MetadataValue.Text("1001")),
            ),
        )
        println("created ${created.id}")
        // ...or its suspend twin, which never blocks the coroutine's thread (use these on Android).
        for (attempt in 1..20) {
            val payment = client.incomingPayments.statusAsync(created.location)
            println("status: ${payment.status}")
            if (payment.status != "Pending") {
                println("paid: ${payment.event.resource?.amount} by ${payment.event.resource?.senderPhoneNumber}")
                break
            }
            delay(250)
        }
    } catch (e: KopoKopoException.InvalidArgument) {
        println("invalid ${e.field}: ${e.reason}")
    } catch (e: KopoKopoException) {
        println("${e.code}: ${e.message}")
    }

    // A webhook as your HTTP handler would receive it: raw bytes + header.
    val body =
        """{"topic":"buygoods_transaction_received","id":"e1","created_at":"2026-01-01T00:00:00+03:00",
        |"event":{"type":"Buygoods Transaction","resource":{"amount":"100.0","currency":"KES","reference":"OJJ1"}},
        |"_links":{"self":"https://sandbox.kopokopo.com/webhook_events/e1"}}
        """.trimMargin().toByteArray()
    val header = sign(body, apiKey) // what Kopo Kopo sends in X-KopoKopo-Signature
    when (val event = parseWebhook(body, header, apiKey)) {
        is WebhookEvent.BuygoodsTransactionReceived ->
            println("webhook ${event.topic()}: ${event.resource.amount} ${event.resource.currency} at ${event.createdAt}")
        else -> println("webhook ${event.topic()}")
    }
}
