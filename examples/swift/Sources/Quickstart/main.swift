// Kopo Kopo quickstart for Swift: STK push, status, webhook verification.
// The same environment variables as every other language's example:
// K2_CLIENT_ID, K2_CLIENT_SECRET, K2_API_KEY and K2_BASE_URL (unset: the sandbox).
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

    // `create` blocks; `createAsync` is its `async` twin (use it from UI code).
    let created = try await client.incomingPayments.createAsync(request: IncomingPaymentRequest(
        tillNumber: "K000000",
        phoneNumber: "0712345678",
        amount: Decimal(string: "150.00")!,
        callbackUrl: "https://example.com/k2/results",
        metadata: ["order": .text(value: "1001")]
    ))
    print("created \(created.id)")
    for _ in 0..<20 {
        let payment = try await client.incomingPayments.statusAsync(idOrLocation: created.location)
        print("status: \(payment.status)")
        if payment.status != "Pending" {
            print("paid: \(payment.event.resource?.amount.map { "\($0)" } ?? "-")")
            break
        }
        try await Task.sleep(nanoseconds: 250_000_000)
    }
} catch KopoKopoError.InvalidArgument(let field, let reason) {
    print("invalid \(field): \(reason)")
} catch let error as KopoKopoError {
    print("\(error.code()): \(error)")
}

// A webhook as your HTTP handler would receive it: raw bytes + header.
let body = Data(#"{"topic":"buygoods_transaction_received","id":"e1","created_at":"2026-01-01T00:00:00+03:00","event":{"type":"Buygoods Transaction","resource":{"amount":"100.0","currency":"KES","reference":"OJJ1"}},"_links":{"self":"https://sandbox.kopokopo.com/webhook_events/e1"}}"#.utf8)
let header = sign(body: body, apiKey: apiKey) // what Kopo Kopo sends in X-KopoKopo-Signature
switch try parseWebhook(body: body, signature: header, apiKey: apiKey) {
case .buygoodsTransactionReceived(_, let createdAt, _, let resource, _):
    print("webhook buygoods_transaction_received: \(resource.amount.map { "\($0)" } ?? "-") \(resource.currency ?? "") at \(String(describing: createdAt))")
case let other:
    print("webhook \(other.topic())")
}
