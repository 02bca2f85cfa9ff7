// Kopo Kopo quickstart for Kotlin: STK push, status, webhook verification.
//
//   cargo run -p kopokopo-mock --bin k2 -- mock --port 0     # prints the base URL
//   (cd bindings-uniffi/kotlin && mvn -q install -DskipTests)
//   cd examples/kotlin && mvn -q compile exec:java -Dk2.baseUrl=http://127.0.0.1:PORT
//
// Against the sandbox, set K2_CLIENT_ID, K2_CLIENT_SECRET, K2_API_KEY and leave k2.baseUrl unset.
import com.kopokopo.sdk.IncomingPaymentRequest
import com.kopokopo.sdk.KopoKopo
import com.kopokopo.sdk.KopoKopoException
import com.kopokopo.sdk.parseWebhook
import com.kopokopo.sdk.sign

fun main() {
    val apiKey = System.getenv("K2_API_KEY") ?: "k2-mock-api-key"
    val client = KopoKopo.client(
        clientId = System.getenv("K2_CLIENT_ID") ?: "k2-mock-client-id",
        clientSecret = System.getenv("K2_CLIENT_SECRET") ?: "k2-mock-client-secret",
        apiKey = apiKey,
        baseUrl = System.getProperty("k2.baseUrl"), // null: the sandbox
    )
    println("User-Agent: ${client.userAgent()}")

    try {
        val created = client.createIncomingPayment(
            IncomingPaymentRequest(
                tillNumber = "K000000",
                phoneNumber = "0712345678",
                amount = "150.00",
                callbackUrl = "https://example.com/k2/results",
                metadata = mapOf("order" to "1001"),
            ),
        )
        println("created ${created.id}")
        for (attempt in 1..20) {
            val payment = client.incomingPaymentStatus(created.location)
            println("status: ${payment.status}")
            if (payment.status != "Pending") break
            Thread.sleep(250)
        }
    } catch (e: KopoKopoException.InvalidArgument) {
        println("invalid ${e.field}: ${e.reason}")
    } catch (e: KopoKopoException) {
        println("${KopoKopo.code(e)}: ${e.message}")
    }

    // A webhook as your HTTP handler would receive it: raw bytes + header.
    val body = """{"topic":"buygoods_transaction_received","id":"e1","created_at":"2026-01-01T00:00:00+03:00",
        |"event":{"type":"Buygoods Transaction","resource":{"amount":"100.0","currency":"KES","reference":"OJJ1"}},
        |"_links":{"self":"https://sandbox.kopokopo.com/webhook_events/e1"}}
    """.trimMargin().toByteArray()
    val header = sign(body, apiKey) // what Kopo Kopo sends in X-KopoKopo-Signature
    val event = parseWebhook(body, header, apiKey)
    println("webhook ${event.topic}: ${event.transaction?.amount} ${event.transaction?.currency}")
}
