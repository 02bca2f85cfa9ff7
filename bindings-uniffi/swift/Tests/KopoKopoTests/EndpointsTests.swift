import Foundation
import XCTest
@testable import KopoKopo

/// Every one of the 21 operations against its own `k2 mock`; the last step
/// checks through the mock's counters that each endpoint was really called.
final class EndpointsTests: XCTestCase {
    let cb = "https://example.com/k2/results"

    func assertCreated(_ c: Created, _ mock: K2Mock, _ collection: String, line: UInt = #line) {
        XCTAssertFalse(c.id.isEmpty, line: line)
        XCTAssertTrue(c.location.hasPrefix(mock.baseUrl), c.location, line: line)
        XCTAssertTrue(c.location.contains("/\(collection)/"), c.location, line: line)
        XCTAssertTrue(c.location.hasSuffix(c.id), c.location, line: line)
    }

    func testEveryEndpoint() throws {
        let mock = try K2Mock()
        defer { mock.stop() }
        let client = try Shared.client(mock)

        // Tokens.
        let token = try client.requestToken()
        XCTAssertEqual(token.tokenType, "Bearer")
        XCTAssertGreaterThan(token.expiresIn, 0)
        XCTAssertTrue(try client.tokenInfo().rawJson.hasPrefix("{"))
        let active = try client.introspectToken(token: token.accessToken)
        XCTAssertTrue(active.active)
        XCTAssertEqual(active.clientId, Env.clientId)
        try client.revokeToken(token: token.accessToken)
        XCTAssertFalse(try client.introspectToken(token: token.accessToken).active)

        // Webhook subscription.
        assertCreated(try client.subscribeWebhook(request: WebhookSubscriptionRequest(
            eventType: "buygoods_transaction_received", url: "https://example.com/k2/webhooks",
            scope: "till", scopeReference: "112233")), mock, "webhook_subscriptions")

        // Incoming payment.
        let pay = try client.createIncomingPayment(request: IncomingPaymentRequest(
            tillNumber: "K000000", phoneNumber: "0712345678", amount: "150.00", callbackUrl: cb,
            firstName: "Jane", lastName: "Doe", metadata: ["order": "42"]))
        assertCreated(pay, mock, "incoming_payments")
        let p = try eventually({ try client.incomingPaymentStatus(idOrLocation: pay.location) }, until: { $0.status == "Success" })
        XCTAssertEqual(p.id, pay.id)
        XCTAssertEqual(p.metadata["order"], "42")
        XCTAssertEqual(p.transaction?.senderPhoneNumber, "+254712345678")

        // Merchant accounts and external recipients.
        assertCreated(try client.createMerchantWallet(request: MerchantWalletRequest(
            firstName: "Jane", lastName: "Doe", phoneNumber: "0712345678", network: "Safaricom")), mock, "merchant_wallets")
        assertCreated(try client.createMerchantBankAccount(request: MerchantBankAccountRequest(
            accountName: "Jane Doe", bankBranchRef: "633aa26c-7b7c-4091-ae28-96c0687cf886",
            accountNumber: "1234567890", settlementMethod: "RTS")), mock, "merchant_bank_accounts")
        let recipients: [ExternalRecipientRequest] = [
            .mobileWallet(firstName: "Jane", lastName: "Doe", phoneNumber: "0712345678", network: "Safaricom", email: nil, nickname: "Jane"),
            .bankAccount(accountName: "Jane Doe", bankBranchRef: "633aa26c-7b7c-4091-ae28-96c0687cf886",
                         accountNumber: "1234567890", settlementMethod: "RTS", nickname: nil),
            .till(tillName: "Shop", tillNumber: "112233", nickname: nil),
            .paybill(paybillName: "Power", paybillNumber: "888880", paybillAccountNumber: "42", nickname: nil),
        ]
        for r in recipients { assertCreated(try client.createExternalRecipient(request: r), mock, "external_recipients") }

        // Send money.
        let sent = try client.sendMoney(request: SendMoneyRequest(callbackUrl: cb, destinations: [
            .mobileWallet(phoneNumber: "0712345678", network: "Safaricom", amount: "1000", description: "Salary", nickname: nil, favourite: nil),
            .mobileWallet(phoneNumber: "0712345679", network: "Safaricom", amount: "250.00", description: "Bonus", nickname: nil, favourite: nil),
        ]))
        assertCreated(sent, mock, "send_money")
        let s = try eventually({ try client.sendMoneyStatus(idOrLocation: sent.location) }, until: { $0.status == "Processed" })
        XCTAssertEqual(s.destinationCount, 2)
        XCTAssertTrue(s.transferBatches.flatMap { $0.disbursements }.allSatisfy { $0.status == "Transferred" })

        // Polling.
        let poll = try client.createPolling(request: PollingRequest(scope: "company", fromTime: "2021-04-12T08:50:22+03:00",
                                                                      toTime: "2021-04-19T08:50:22+03:00", callbackUrl: cb))
        assertCreated(poll, mock, "polling")
        _ = try eventually({ try client.pollingStatus(idOrLocation: poll.location) }, until: { $0.status == "Success" })

        // SMS notification.
        let sms = try client.createSmsNotification(request: SmsNotificationRequest(
            webhookEventReference: "d4c0d9b1-0bbc-4a7c-8b09-0b8b9c3d7c7e", message: "Thanks!", callbackUrl: cb))
        assertCreated(sms, mock, "transaction_sms_notifications")
        _ = try eventually({ try client.smsNotificationStatus(idOrLocation: sms.location) }, until: { $0.status == "Success" })

        // Reversal.
        let rev = try client.createReversal(request: ReversalRequest(transactionReference: "OJJ1MPU40Z", reason: "Overpaid", callbackUrl: cb))
        assertCreated(rev, mock, "reversals")
        let r = try eventually({ try client.reversalStatus(idOrLocation: rev.location) }, until: { $0.status == "Processed" })
        XCTAssertTrue(r.isReversed)

        // Payment link.
        let link = try client.createPaymentLink(request: PaymentLinkRequest(tillNumber: "112233", amount: "350", callbackUrl: cb,
                                                                           paymentReference: "INV-1", note: "Order 1"))
        assertCreated(link, mock, "payment_links")
        XCTAssertEqual(try client.paymentLinkStatus(idOrLocation: link.location).paymentLink?.status, "Active")
        _ = try client.cancelPaymentLink(idOrLocation: link.id)
        XCTAssertEqual(try client.paymentLinkStatus(idOrLocation: link.id).paymentLink?.status, "Cancelled")

        // Every endpoint was called.
        let counters = try mock.requestCounters()
        let expected = [
            "POST /oauth/token", "POST /oauth/revoke", "POST /oauth/introspect", "GET /oauth/token/info",
            "POST /api/v2/webhook_subscriptions",
            "POST /api/v2/incoming_payments", "GET /api/v2/incoming_payments/{id}",
            "POST /api/v2/merchant_wallets", "POST /api/v2/merchant_bank_accounts", "POST /api/v2/external_recipients",
            "POST /api/v2/send_money", "GET /api/v2/send_money/{id}",
            "POST /api/v2/polling", "GET /api/v2/polling/{id}",
            "POST /api/v1/transaction_sms_notifications", "GET /api/v1/transaction_sms_notifications/{id}",
            "POST /api/v2/reversals", "GET /api/v2/reversals/{id}",
            "POST /api/v2/payment_links", "GET /api/v2/payment_links/{id}", "POST /api/v2/payment_links/{id}/cancel",
        ]
        XCTAssertEqual(expected.count, 21)
        let missing = expected.filter { ((counters[$0] as? NSNumber)?.intValue ?? 0) < 1 }
        XCTAssertTrue(missing.isEmpty, "endpoints never called: \(missing)")
    }
}
