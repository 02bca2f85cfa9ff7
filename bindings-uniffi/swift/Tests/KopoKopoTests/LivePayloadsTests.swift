import Foundation
import XCTest
@testable import KopoKopo

/// Payloads beyond the documentation (tests/fixtures/live/, variants/) and the
/// documented request values; no network.
final class LivePayloadsTests: XCTestCase {
    let key = "live-payloads-key"

    func testMerchantToMerchantTransaction() throws {
        let body = try Env.fixture("live/webhook.m2m_transaction_received.k2.json")
        let e = try parseWebhook(body: body, signature: sign(body: body, apiKey: key), apiKey: key)
        XCTAssertEqual(e.topic(), "m2m_transaction_received")
        XCTAssertEqual(e.id(), "5f3b8c2e-1d4a-4c2b-9a71-0e6f2b9d4c11")
        guard case let .m2mTransactionReceived(id, createdAt, eventType, resource, links) = e else {
            return XCTFail("\(e)")
        }
        XCTAssertEqual(id, e.id())
        XCTAssertEqual(createdAt, rfc3339("2026-05-02T06:15:44Z"))
        XCTAssertEqual(eventType, "Merchant to Merchant Transaction")
        XCTAssertEqual(resource.sendingMerchant, "Acme Wholesalers")
        XCTAssertEqual(resource.amount, 2500)
        XCTAssertEqual(resource.originationTime, rfc3339("2026-05-02T09:15:40+03:00"))
        XCTAssertEqual(links.selfUrl, "https://sandbox.kopokopo.com/webhook_events/\(id)")
        XCTAssertTrue(knownWebhookTopics().contains("m2m_transaction_received"))
        XCTAssertEqual(knownWebhookTopics().count, 10)
    }

    func testVersion1ResultsAreSendMoney() throws {
        let cases = [
            ("live/result.payment.v1.json", "payment"),
            ("variants/response.send_money.status.legacy_settlement_transfer.json", "settlement_transfer"),
        ]
        for (name, dataType) in cases {
            let body = try Env.fixture(name)
            let r = try parseResult(body: body, signature: sign(body: body, apiKey: key), apiKey: key)
            guard case .sendMoneyResult(let sent) = r else { XCTFail("\(name): \(r)"); continue }
            XCTAssertEqual(sent.kind, dataType, name)
        }
        let legacy = try Env.fixture("variants/response.send_money.status.legacy_settlement_transfer.json")
        let r = try parseResult(body: legacy, signature: sign(body: legacy, apiKey: key), apiKey: key)
        XCTAssertEqual(r.sendMoney?.amount, MoneyAmount(currency: "KES", value: nil))
    }

    func testDocumentedRequestValues() {
        XCTAssertEqual(networkSafaricom(), "Safaricom")
        XCTAssertEqual(paymentChannelStkPush(), "M-PESA STK Push")
        XCTAssertEqual(paymentChannelMpesa(), "M-PESA")
        XCTAssertTrue(productionUrl().hasPrefix("https://"))
        XCTAssertTrue(sandboxUrl().hasPrefix("https://"))
    }
}
