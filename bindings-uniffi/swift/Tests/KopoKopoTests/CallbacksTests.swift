import Foundation
import XCTest
@testable import KopoKopo

/// Every asynchronous result kind, POSTed (signed) by the mock to a loopback
/// receiver, read with an exhaustive `switch` over `CallbackResult`.
final class CallbacksTests: XCTestCase {
    func receive(_ url: String, _ client: KopoKopoClient, line: UInt = #line) throws -> CallbackResult {
        let d = try Shared.receiver.waitFor(url)
        XCTAssertNotNil(d.signature, line: line)
        XCTAssertTrue(verifySignature(body: d.body, signature: d.signature, apiKey: Env.apiKey), line: line)
        let r = try parseResult(body: d.body, signature: d.signature, apiKey: Env.apiKey)
        XCTAssertEqual(try client.parseResult(body: d.body, signature: d.signature), r, line: line)
        let json = try parseResultJson(body: d.body, signature: d.signature, apiKey: Env.apiKey)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)), line: line)
        expectError("signature_invalid") { _ = try parseResult(body: d.body, signature: d.signature, apiKey: "wrong-key") }
        return r
    }

    /// What every result has in common, whichever its case.
    func describe(_ r: CallbackResult) -> String {
        switch r {
        case .incomingPaymentResult(let value):
            return "incoming payment \(value.id): \(value.status)"
        case .sendMoneyResult(let value):
            return "send money \(value.id): \(value.status)"
        case .pollingResult(let value):
            return "polling \(value.id): \(value.status), \(value.transactions.count) transactions"
        case .smsNotificationResult(let value):
            return "SMS notification \(value.id): \(value.status)"
        case .reversalResult(let value):
            return "reversal \(value.id): \(value.status)"
        case .paymentLinkResult(let value):
            return "payment link \(value.id): \(value.status)"
        case let .unknown(resultType, id, status, _):
            return "\(resultType) \(id): \(status)"
        }
    }

    func testIncomingPayment() throws {
        let client = try Shared.client()
        let ok = Shared.receiver.newUrl()
        let c = try client.incomingPayments.create(request: IncomingPaymentRequest(
            tillNumber: "K000000", phoneNumber: "0712345678", amount: 100, callbackUrl: ok))
        let r = try receive(ok, client)
        XCTAssertEqual(r.resultType, "incoming_payment")
        XCTAssertEqual(r.id(), c.id)
        XCTAssertEqual(r.status(), "Success")
        XCTAssertEqual(describe(r), "incoming payment \(c.id): Success")
        guard case .incomingPaymentResult(let payment) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(payment.event.resource?.status, "Received")
        XCTAssertEqual(payment.event.resource?.amount, 100)
        XCTAssertNotNil(payment.event.resource?.originationTime)

        let bad = Shared.receiver.newUrl()
        _ = try client.incomingPayments.create(request: IncomingPaymentRequest(
            tillNumber: "K000000", phoneNumber: "0700000001", amount: 100, callbackUrl: bad))
        let f = try receive(bad, client)
        XCTAssertEqual(f.status(), "Failed")
        XCTAssertEqual(f.incomingPayment?.event.errors, ["The balance is insufficient for the transaction"])
    }

    func testSendMoney() throws {
        let client = try Shared.client()
        let url = Shared.receiver.newUrl()
        let c = try client.sendMoney.create(request: SendMoneyRequest(callbackUrl: url, destinations: [
            .till(tillNumber: "112233", amount: 75, description: "Stock"),
        ]))
        let r = try receive(url, client)
        guard case .sendMoneyResult(let sent) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(r.id(), c.id)
        XCTAssertEqual(sent.status, "Processed")
        XCTAssertEqual(sent.destinations.first?.amount, 75)
    }

    func testPollingAndSms() throws {
        let client = try Shared.client()
        let p = Shared.receiver.newUrl()
        _ = try client.polling.create(request: PollingRequest(
            scope: "till", fromTime: rfc3339("2021-04-12T08:50:22+03:00"), toTime: rfc3339("2021-04-19T08:50:22+03:00"),
            callbackUrl: p, scopeReference: "112233"))
        XCTAssertEqual(try receive(p, client).polling?.status, "Success")
        let s = Shared.receiver.newUrl()
        _ = try client.smsNotifications.create(request: SmsNotificationRequest(
            webhookEventReference: "ref-1", message: "Thank you", callbackUrl: s))
        XCTAssertEqual(try receive(s, client).smsNotification?.status, "Success")
    }

    func testReversal() throws {
        let client = try Shared.client()
        let ok = Shared.receiver.newUrl()
        _ = try client.reversals.create(request: ReversalRequest(transactionReference: "OJJ1MPU40Z", reason: "Overpaid", callbackUrl: ok))
        XCTAssertEqual(try receive(ok, client).reversal?.isReversed, true)
        let bad = Shared.receiver.newUrl()
        _ = try client.reversals.create(request: ReversalRequest(transactionReference: "FAIL123", reason: "Overpaid", callbackUrl: bad))
        let f = try receive(bad, client).reversal
        XCTAssertEqual(f?.isReversed, false)
        XCTAssertEqual(f?.reversalBulkPayment?.status, "Cancelled")
    }

    func testPaymentLink() throws {
        let client = try Shared.client()
        let paid = Shared.receiver.newUrl()
        _ = try client.paymentLinks.create(request: PaymentLinkRequest(
            tillNumber: "112233", amount: 500, callbackUrl: paid, paymentReference: "PAID-1"))
        XCTAssertEqual(try receive(paid, client).paymentLink?.paymentLink?.status, "Paid")
        let failed = Shared.receiver.newUrl()
        _ = try client.paymentLinks.create(request: PaymentLinkRequest(
            tillNumber: "112233", amount: 500, callbackUrl: failed, paymentReference: "FAIL-1"))
        XCTAssertTrue(try receive(failed, client).paymentLink?.errors.contains { $0.contains("insufficient") } ?? false)
    }

    func testUnknownResultTypeIsKept() throws {
        let body = Data(#"{"data":{"id":"77","type":"brand_new_thing","attributes":{"status":"Done"}}}"#.utf8)
        let r = try parseResult(body: body, signature: sign(body: body, apiKey: "k"), apiKey: "k")
        guard case let .unknown(resultType, id, status, json) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(resultType, "brand_new_thing")
        XCTAssertEqual(id, "77")
        XCTAssertEqual(status, "Done")
        XCTAssertEqual(r.id(), "77")
        XCTAssertEqual(r.status(), "Done")
        XCTAssertTrue(json.contains("brand_new_thing"), json)
        XCTAssertNil(r.incomingPayment)
    }
}
