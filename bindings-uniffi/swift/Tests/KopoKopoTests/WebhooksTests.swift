import Foundation
import XCTest
@testable import KopoKopo

/// Webhook signatures and parsing: documentation fixtures and events sent by
/// `k2 mock`, read with an exhaustive `switch` over `WebhookEvent`.
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

    /// What an application's handler looks like: one case per topic.
    func handle(_ event: WebhookEvent) -> String {
        switch event {
        case let .buygoodsTransactionReceived(id, _, _, resource, _):
            return "paid \(resource.amount.map { "\($0)" } ?? "-") (\(id))"
        case .buygoodsTransactionReversed(_, _, _, let resource, _),
             .b2bTransactionReversed(_, _, _, let resource, _),
             .cardTransactionReversed(_, _, _, let resource, _),
             .cardTransactionVoided(_, _, _, let resource, _):
            return "reversed \(resource.reference ?? "-")"
        case .b2bTransactionReceived(_, _, _, let resource, _),
             .m2mTransactionReceived(_, _, _, let resource, _),
             .cardTransactionReceived(_, _, _, let resource, _):
            return "received \(resource.amount.map { "\($0)" } ?? "-")"
        case let .settlementTransferCompleted(_, _, _, resource, _):
            return "settled \(resource.disbursements.count)"
        case let .customerCreated(_, _, _, resource, _):
            return "customer \(resource.firstName ?? "-")"
        case let .daraja(topic, event):
            return "daraja \(topic) \(event.transId)"
        case let .unknown(topic, _, _, _, resourceJson, _):
            return "unknown \(topic) \(resourceJson.count)"
        }
    }

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
            let s = summary(e)
            XCTAssertEqual(e.topic(), topic, name)
            XCTAssertEqual(s.structure, structure, name)
            XCTAssertFalse(e.id().isEmpty, name)
            XCTAssertFalse(handle(e).isEmpty, name)
            let json = try parseWebhookJson(body: body, signature: sig, apiKey: key)
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)), name)
            XCTAssertNotNil(s.createdAt, name)
            if structure == "k2" {
                XCTAssertEqual(s.resourceKind, topics[topic], name)
                XCTAssertEqual(s.transaction != nil, s.resourceKind == "transaction", name)
            } else {
                XCTAssertEqual(s.resourceKind, "daraja", name)
                XCTAssertEqual(s.amount, 100, name)
            }
        }
    }

    func testTypedFields() throws {
        let body = try Env.fixture("webhook.buygoods_transaction_received.k2.json")
        let e = try parseWebhook(body: body, signature: sign(body: body, apiKey: key), apiKey: key)
        guard case let .buygoodsTransactionReceived(id, createdAt, eventType, resource, links) = e else {
            return XCTFail("\(e)")
        }
        XCTAssertEqual(id, "2133dbfb-24b9-40fc-ae57-2d7559785760")
        XCTAssertEqual(createdAt, rfc3339("2026-05-01T07:43:20Z"))
        XCTAssertEqual(eventType, "Buygoods Transaction")
        XCTAssertEqual(resource.amount, 100)
        XCTAssertEqual(resource.amount.map(kopokopoDecimalText), "100")
        XCTAssertEqual(resource.currency, "KES")
        XCTAssertEqual(resource.reference, "OJM6Q1W84K")
        XCTAssertEqual(resource.originationTime, rfc3339("2026-05-01T10:43:19+03:00"))
        XCTAssertNil(resource.senderLastName)
        XCTAssertEqual(links.resource, "https://sandbox.kopokopo.com/financial_transaction/458712f-gr76y-24b9-40fc-ae57-2d35785760")

        let daraja = try Env.fixture("webhook.buygoods_transaction_received.daraja.json")
        let d = try parseWebhook(body: daraja, signature: sign(body: daraja, apiKey: key), apiKey: key)
        guard case let .daraja(topic, event) = d else { return XCTFail("\(d)") }
        XCTAssertEqual(topic, "buygoods_transaction_received")
        XCTAssertEqual(d.topic(), topic)
        XCTAssertEqual(d.id(), "OJM6Q1W84K")
        XCTAssertEqual(event.transAmount, 100)
        XCTAssertNotNil(event.transTime)
    }

    func testUnknownTopicIsKept() throws {
        let body = Data(#"{"topic":"brand_new_topic","id":"e9","created_at":"2026-01-01T00:00:00+03:00","event":{"type":"New","resource":{"x":1}},"_links":{"self":"https://example.com/e9"}}"#.utf8)
        let e = try parseWebhook(body: body, signature: sign(body: body, apiKey: key), apiKey: key)
        guard case let .unknown(topic, id, createdAt, eventType, resourceJson, _) = e else { return XCTFail("\(e)") }
        XCTAssertEqual(topic, "brand_new_topic")
        XCTAssertEqual(id, "e9")
        XCTAssertEqual(createdAt, rfc3339("2025-12-31T21:00:00Z"))
        XCTAssertEqual(eventType, "New")
        XCTAssertTrue(resourceJson.contains("\"x\""), resourceJson)
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
            XCTAssertEqual(e.topic(), topic)
            XCTAssertEqual(summary(e).structure, daraja ? "daraja" : "k2")
            XCTAssertEqual(try parseWebhook(body: d.body, signature: d.signature, apiKey: Env.apiKey), e)
            XCTAssertEqual(try client.verifyWebhookSignature(body: d.body, signature: d.signature), true)
        }
    }

    func testSubscriptionDelivery() throws {
        let client = try Shared.client()
        let url = Shared.receiver.newUrl("subscribed")
        _ = try client.webhooks.subscribe(request: WebhookSubscriptionRequest(eventType: "customer_created", url: url, scope: "company"))
        try Shared.mock.admin("trigger", ["topic": "customer_created"])
        let d = try Shared.receiver.waitFor(url)
        let e = try client.parseWebhook(body: d.body, signature: d.signature)
        XCTAssertEqual(summary(e).resourceKind, "customer")
        XCTAssertNil(summary(e).transaction)
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
        expectError("signature_invalid") { _ = try parseWebhookJson(body: body, signature: nil, apiKey: self.key) }
        let junk = Data("[1,2,3]".utf8)
        expectError("decode_error") { _ = try parseWebhook(body: junk, signature: sign(body: junk, apiKey: self.key), apiKey: self.key) }
        let noKey = try KopoKopoSDK.client(clientId: "id", clientSecret: "secret")
        if case .InvalidArgument(let field, _)? = expectError("invalid_argument", { _ = try noKey.parseWebhook(body: body, signature: sig) }) {
            XCTAssertEqual(field, "apiKey")
        } else { XCTFail("no api key") }
    }
}
