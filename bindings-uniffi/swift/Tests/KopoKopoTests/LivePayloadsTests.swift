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
        XCTAssertEqual(e.topic, "m2m_transaction_received")
        XCTAssertEqual(e.resourceKind, "transaction")
        XCTAssertEqual(e.transaction?.sendingMerchant, "Acme Wholesalers")
        XCTAssertEqual(e.transaction?.amount, "2500")
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
            XCTAssertEqual(r.kind, "send_money", name)
            XCTAssertEqual(r.sendMoney?.kind, dataType, name)
        }
        let legacy = try Env.fixture("variants/response.send_money.status.legacy_settlement_transfer.json")
        let r = try parseResult(body: legacy, signature: sign(body: legacy, apiKey: key), apiKey: key)
        XCTAssertEqual(r.sendMoney?.amount, MoneyAmount(currency: "KES", value: nil))
    }

    func testDocumentedRequestValues() {
        XCTAssertEqual(networkSafaricom(), "Safaricom")
        XCTAssertEqual(paymentChannelStkPush(), "M-PESA STK Push")
        XCTAssertEqual(paymentChannelMpesa(), "M-PESA")
    }
}
