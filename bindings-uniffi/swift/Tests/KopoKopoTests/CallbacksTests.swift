import Foundation
import XCTest
@testable import KopoKopo

/// Every asynchronous result kind, POSTed (signed) by the mock to a loopback receiver.
final class CallbacksTests: XCTestCase {
    func receive(_ url: String, _ client: KopoKopoClient) throws -> CallbackResult {
        let d = try Shared.receiver.waitFor(url)
        XCTAssertNotNil(d.signature)
        XCTAssertTrue(verifySignature(body: d.body, signature: d.signature, apiKey: Env.apiKey))
        let r = try parseResult(body: d.body, signature: d.signature, apiKey: Env.apiKey)
        XCTAssertEqual(try client.parseResult(body: d.body, signature: d.signature), r)
        expectError("signature_invalid") { _ = try parseResult(body: d.body, signature: d.signature, apiKey: "wrong-key") }
        return r
    }

    func testIncomingPayment() throws {
        let client = try Shared.client()
        let ok = Shared.receiver.newUrl()
        let c = try client.createIncomingPayment(request: IncomingPaymentRequest(tillNumber: "K000000", phoneNumber: "0712345678", amount: "100", callbackUrl: ok))
        let r = try receive(ok, client)
        XCTAssertEqual(r.kind, "incoming_payment")
        XCTAssertEqual(r.id, c.id)
        XCTAssertEqual(r.status, "Success")
        XCTAssertEqual(r.incomingPayment?.transaction?.status, "Received")

        let bad = Shared.receiver.newUrl()
        _ = try client.createIncomingPayment(request: IncomingPaymentRequest(tillNumber: "K000000", phoneNumber: "0700000001", amount: "100", callbackUrl: bad))
        let f = try receive(bad, client)
        XCTAssertEqual(f.status, "Failed")
        XCTAssertEqual(f.incomingPayment?.errors, ["The balance is insufficient for the transaction"])
    }

    func testSendMoney() throws {
        let client = try Shared.client()
        let url = Shared.receiver.newUrl()
        let c = try client.sendMoney(request: SendMoneyRequest(callbackUrl: url, destinations: [
            .till(tillNumber: "112233", amount: "75", description: "Stock", nickname: nil, favourite: nil),
        ]))
        let r = try receive(url, client)
        XCTAssertEqual(r.kind, "send_money")
        XCTAssertEqual(r.id, c.id)
        XCTAssertEqual(r.sendMoney?.status, "Processed")
    }

    func testPollingAndSms() throws {
        let client = try Shared.client()
        let p = Shared.receiver.newUrl()
        _ = try client.createPolling(request: PollingRequest(scope: "till", fromTime: "2021-04-12T08:50:22+03:00",
                                                             toTime: "2021-04-19T08:50:22+03:00", callbackUrl: p, scopeReference: "112233"))
        XCTAssertEqual(try receive(p, client).polling?.status, "Success")
        let s = Shared.receiver.newUrl()
        _ = try client.createSmsNotification(request: SmsNotificationRequest(webhookEventReference: "ref-1", message: "Thank you", callbackUrl: s))
        XCTAssertEqual(try receive(s, client).smsNotification?.status, "Success")
    }

    func testReversal() throws {
        let client = try Shared.client()
        let ok = Shared.receiver.newUrl()
        _ = try client.createReversal(request: ReversalRequest(transactionReference: "OJJ1MPU40Z", reason: "Overpaid", callbackUrl: ok))
        XCTAssertEqual(try receive(ok, client).reversal?.isReversed, true)
        let bad = Shared.receiver.newUrl()
        _ = try client.createReversal(request: ReversalRequest(transactionReference: "FAIL123", reason: "Overpaid", callbackUrl: bad))
        let f = try receive(bad, client).reversal
        XCTAssertEqual(f?.isReversed, false)
        XCTAssertEqual(f?.reversalPayment?.status, "Cancelled")
    }

    func testPaymentLink() throws {
        let client = try Shared.client()
        let paid = Shared.receiver.newUrl()
        _ = try client.createPaymentLink(request: PaymentLinkRequest(tillNumber: "112233", amount: "500", callbackUrl: paid, paymentReference: "PAID-1"))
        XCTAssertEqual(try receive(paid, client).paymentLink?.paymentLink?.status, "Paid")
        let failed = Shared.receiver.newUrl()
        _ = try client.createPaymentLink(request: PaymentLinkRequest(tillNumber: "112233", amount: "500", callbackUrl: failed, paymentReference: "FAIL-1"))
        XCTAssertTrue(try receive(failed, client).paymentLink?.errors.contains { $0.contains("insufficient") } ?? false)
    }

    func testUnknownResultKindIsKept() throws {
        let body = Data(#"{"data":{"id":"77","type":"brand_new_thing","attributes":{"status":"Done"}}}"#.utf8)
        let r = try parseResult(body: body, signature: sign(body: body, apiKey: "k"), apiKey: "k")
        XCTAssertEqual(r.kind, "brand_new_thing")
        XCTAssertEqual(r.id, "77")
        XCTAssertEqual(r.status, "Done")
        XCTAssertNil(r.incomingPayment)
    }
}
