import Foundation
import XCTest
@testable import KopoKopo

/// Webhook signatures and parsing: documentation fixtures and events sent by `k2 mock`.
final class WebhooksTests: XCTestCase {
    let key = "webhook-test-key"
    let topics: [String: String] = [
        "buygoods_transaction_received": "transaction",
        "buygoods_transaction_reversed": "transaction",
        "b2b_transaction_received": "transaction",
        "b2b_transaction_reversed": "transaction",
        "m2m_transaction_received": "transaction",
        "card_transaction_received": "transaction",
        "card_transaction_voided": "transaction",
        "card_transaction_reversed": "transaction",
        "settlement_transfer_completed": "settlement_transfer",
        "customer_created": "customer",
    ]

    func testDocumentationFixtures() throws {
        let dir = Env.repoRoot.appendingPathComponent("tests/fixtures")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("webhook.") }.sorted()
        XCTAssertEqual(names.count, 11)
        for name in names {
            let parts = name.replacingOccurrences(of: ".json", with: "").split(separator: ".").map(String.init)
            let (topic, structure) = (parts[1], parts[2])
            let body = try Data(contentsOf: dir.appendingPathComponent(name))
            let sig = sign(body: body, apiKey: key)
            XCTAssertTrue(verifySignature(body: body, signature: sig, apiKey: key), name)
            let e = try parseWebhook(body: body, signature: sig, apiKey: key)
            XCTAssertEqual(e.topic, topic, name)
            XCTAssertEqual(e.structure, structure, name)
            XCTAssertFalse(e.id.isEmpty, name)
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(e.json.utf8)), name)
            if structure == "k2" {
                XCTAssertEqual(e.resourceKind, topics[topic], name)
                XCTAssertEqual(e.transaction != nil, e.resourceKind == "transaction", name)
            } else {
                XCTAssertEqual(e.resourceKind, "daraja", name)
                XCTAssertNotNil(e.amount, name)
            }
        }
    }

    func testEveryTopicFromTheMock() throws {
        let client = try Shared.client()
        let cases = topics.keys.sorted().map { ($0, false) }
            + [("buygoods_transaction_received", true), ("b2b_transaction_received", true)]
        for (topic, daraja) in cases {
            let url = Shared.receiver.newUrl("webhook")
            try Shared.mock.admin("trigger", ["topic": topic, "url": url, "daraja": daraja])
            let d = try Shared.receiver.waitFor(url)
            let e = try client.parseWebhook(body: d.body, signature: d.signature)
            XCTAssertEqual(e.topic, topic)
            XCTAssertEqual(e.structure, daraja ? "daraja" : "k2")
            XCTAssertEqual(try parseWebhook(body: d.body, signature: d.signature, apiKey: Env.apiKey), e)
            XCTAssertEqual(try client.verifyWebhookSignature(body: d.body, signature: d.signature), true)
        }
    }

    func testSubscriptionDelivery() throws {
        let client = try Shared.client()
        let url = Shared.receiver.newUrl("subscribed")
        _ = try client.subscribeWebhook(request: WebhookSubscriptionRequest(eventType: "customer_created", url: url, scope: "company"))
        try Shared.mock.admin("trigger", ["topic": "customer_created"])
        let d = try Shared.receiver.waitFor(url)
        let e = try client.parseWebhook(body: d.body, signature: d.signature)
        XCTAssertEqual(e.resourceKind, "customer")
        XCTAssertNil(e.transaction)
    }

    func testRefusals() throws {
        let body = try Env.fixture("webhook.customer_created.k2.json")
        let sig = sign(body: body, apiKey: key)
        var tampered = body
        tampered[tampered.count / 2] = tampered[tampered.count / 2] &+ 1
        XCTAssertFalse(verifySignature(body: tampered, signature: sig, apiKey: key))
        XCTAssertFalse(verifySignature(body: body, signature: sig, apiKey: "other-key"))
        XCTAssertFalse(verifySignature(body: body, signature: nil, apiKey: key))
        XCTAssertFalse(verifySignature(body: body, signature: "", apiKey: key))
        XCTAssertFalse(verifySignature(body: body, signature: String(sig.dropFirst()), apiKey: key))
        XCTAssertFalse(verifySignature(body: body, signature: String(repeating: "z", count: 64), apiKey: key))
        XCTAssertTrue(verifySignature(body: body, signature: sig.uppercased(), apiKey: key))

        if case .SignatureInvalid(let reason)? = expectError("signature_invalid", { _ = try parseWebhook(body: body, signature: nil, apiKey: key) }) {
            XCTAssertTrue(reason.contains("missing"), reason)
        } else { XCTFail("missing signature") }
        let junk = Data("[1,2,3]".utf8)
        expectError("decode_error") { _ = try parseWebhook(body: junk, signature: sign(body: junk, apiKey: key), apiKey: key) }
        let noKey = try KopoKopoSDK.client(clientId: "id", clientSecret: "secret")
        if case .InvalidArgument(let field, _)? = expectError("invalid_argument", { _ = try noKey.parseWebhook(body: body, signature: sig) }) {
            XCTAssertEqual(field, "api_key")
        } else { XCTFail("no api key") }
    }
}
