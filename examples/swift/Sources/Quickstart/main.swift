// Kopo Kopo quickstart for Swift: STK push, status, webhook verification.
// Against the sandbox, set K2_CLIENT_ID, K2_CLIENT_SECRET, K2_API_KEY and leave K2_BASE_URL unset.
import Foundation
import KopoKopo

let env = ProcessInfo.processInfo.environment
let apiKey = env["K2_API_KEY"] ?? "k2-mock-api-key"

do {
    let client = try KopoKopoSDK.client(
        clientId: env["K2_CLIENT_ID"] ?? "k2-mock-client-id",
        clientSecret: env["K2_CLIENT_SECRET"] ?? "k2-mock-client-secret",
        apiKey: apiKey,
        baseUrl: env["K2_BASE_URL"] // nil: the sandbox
    )
    print("User-Agent: \(client.userAgent())")

    let created = try client.createIncomingPayment(request: IncomingPaymentRequest(
        tillNumber: "K000000",
        phoneNumber: "0712345678",
        amount: "150.00",
        callbackUrl: "https://example.com/k2/results",
        metadata: ["order": "1001"]
    ))
    print("created \(created.id)")
    for _ in 0..<20 {
        let payment = try client.incomingPaymentStatus(idOrLocation: created.location)
        print("status: \(payment.status)")
        if payment.status != "Pending" { break }
        Thread.sleep(forTimeInterval: 0.25)
    }
} catch KopoKopoError.InvalidArgument(let field, let reason) {
    print("invalid \(field): \(reason)")
} catch let error as KopoKopoError {
    print("\(errorCode(error: error)): \(error)")
}

// A webhook as your HTTP handler would receive it: raw bytes + header.
let body = Data(#"{"topic":"buygoods_transaction_received","id":"e1","created_at":"2026-01-01T00:00:00+03:00","event":{"type":"Buygoods Transaction","resource":{"amount":"100.0","currency":"KES","reference":"OJJ1"}},"_links":{"self":"https://sandbox.kopokopo.com/webhook_events/e1"}}"#.utf8)
let header = sign(body: body, apiKey: apiKey) // what Kopo Kopo sends in X-KopoKopo-Signature
let event = try parseWebhook(body: body, signature: header, apiKey: apiKey)
print("webhook \(event.topic): \(event.transaction?.amount ?? "-") \(event.transaction?.currency ?? "")")
