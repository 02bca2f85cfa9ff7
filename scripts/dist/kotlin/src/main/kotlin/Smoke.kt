// Clean-room smoke test of the kopokopo-sdk jar (scripts/dist-check.sh).
// Environment: K2_BASE_URL, K2_WEBHOOK_BODY (a file), K2_WEBHOOK_SIGNATURE (from `k2 sign`).
import com.kopokopo.sdk.IncomingPaymentRequest
import com.kopokopo.sdk.KopoKopo
import com.kopokopo.sdk.WebhookEvent
import com.kopokopo.sdk.incomingPayments
import java.io.File
import java.math.BigDecimal

fun main() {
    val key = "k2-mock-api-key"
    val body = File(System.getenv("K2_WEBHOOK_BODY")).readBytes()
    val signature = System.getenv("K2_WEBHOOK_SIGNATURE")

    check(KopoKopo.sign(body, key) == signature) { "sign() differs from `k2 sign`" }
    check(KopoKopo.verifySignature(body, signature, key))
    check(!KopoKopo.verifySignature(body + ' '.code.toByte(), signature, key))
    val event = KopoKopo.parseWebhook(body, signature, key)
    val amount = when (event) {
        is WebhookEvent.BuygoodsTransactionReceived -> event.resource.amount
        else -> error("unexpected webhook $event")
    }
    check(amount?.compareTo(BigDecimal("100.0")) == 0) { "amount $amount" }

    val client = KopoKopo.client(
        clientId = "k2-mock-client-id",
        clientSecret = "k2-mock-client-secret",
        apiKey = key,
        baseUrl = System.getenv("K2_BASE_URL"),
    )
    val created = client.incomingPayments.create(
        IncomingPaymentRequest(
            tillNumber = "K000000",
            phoneNumber = "0712345678",
            amount = BigDecimal("150.00"),
            callbackUrl = "https://example.com/k2/results",
        ),
    )
    var payment = client.incomingPayments.status(created.location)
    for (i in 1..40) {
        if (payment.status != "Pending") break
        Thread.sleep(250)
        payment = client.incomingPayments.status(created.location)
    }
    check(payment.status == "Success") { "status ${payment.status}" }
    val jar = KopoKopo::class.java.protectionDomain.codeSource.location.path
    println(
        "kotlin (JVM ${System.getProperty("java.version")}): kopokopo-sdk ${KopoKopo.version} from $jar: " +
            "signature ok, webhook ${event.topic()} $amount, STK push ${created.location} -> ${payment.status}",
    )
}
