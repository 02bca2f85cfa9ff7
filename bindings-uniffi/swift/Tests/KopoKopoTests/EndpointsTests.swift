import Foundation
import XCTest
@testable import KopoKopo

/// Every one of the 21 operations against its own `k2 mock`, through the
/// groups (`client.incomingPayments.create(request:)`); the last step checks
/// through the mock's counters that each endpoint was really called.
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
        let token = try client.tokens.request()
        XCTAssertEqual(token.tokenType, "Bearer")
        XCTAssertGreaterThan(token.expiresIn, 0)
        XCTAssertNotNil(try client.tokens.info().expiresIn)
        let active = try client.tokens.introspect(token: token.accessToken)
        XCTAssertTrue(active.active)
        XCTAssertEqual(active.clientId, Env.clientId)
        try client.tokens.revoke(token: token.accessToken)
        XCTAssertFalse(try client.tokens.introspect(token: token.accessToken).active)

        // Webhook subscription.
        assertCreated(try client.webhooks.subscribe(request: WebhookSubscriptionRequest(
            eventType: "buygoods_transaction_received", url: "https://example.com/k2/webhooks",
            scope: "till", scopeReference: "112233", enableDarajaPayload: nil)), mock, "webhook_subscriptions")

        // Incoming payment: Decimal amount, typed metadata.
        let pay = try client.incomingPayments.create(request: IncomingPaymentRequest(
            tillNumber: "K000000", phoneNumber: "0712345678", amount: dec("150.00"), callbackUrl: cb,
            paymentChannel: nil, firstName: "Jane", lastName: "Doe", email: nil, currency: nil,
            metadata: ["order": .text(value: "42"), "count": .number(value: 3), "gift": .bool(value: true), "note": .null]))
        assertCreated(pay, mock, "incoming_payments")
        let p = try eventually({ try client.incomingPayments.status(idOrLocation: pay.location) }, until: { $0.status == "Success" })
        XCTAssertEqual(p.id, pay.id)
        XCTAssertEqual(p.metadata["order"], .text(value: "42"))
        XCTAssertEqual(p.metadata["count"], .number(value: 3))
        XCTAssertEqual(p.metadata["gift"], .bool(value: true))
        XCTAssertEqual(p.metadata["note"], .null)
        XCTAssertEqual(p.event.resource?.senderPhoneNumber, "+254712345678")
        XCTAssertEqual(p.event.resource?.amount, dec("150"))
        XCTAssertNotNil(p.initiationTime)

        // Merchant accounts and external recipients.
        assertCreated(try client.merchantWallets.create(request: MerchantWalletRequest(
            network: networkSafaricom(), firstName: "Jane", lastName: "Doe", phoneNumber: "0712345678", nickname: nil)),
                      mock, "merchant_wallets")
        assertCreated(try client.merchantBankAccounts.create(request: MerchantBankAccountRequest(
            accountName: "Jane Doe", bankBranchRef: "633aa26c-7b7c-4091-ae28-96c0687cf886",
            accountNumber: "1234567890", settlementMethod: "RTS", nickname: nil)), mock, "merchant_bank_accounts")
        let recipients: [ExternalRecipientRequest] = [
            .mobileWallet(firstName: "Jane", lastName: "Doe", phoneNumber: "0712345678", network: "Safaricom", nickname: "Jane"),
            .bankAccount(accountName: "Jane Doe", bankBranchRef: "633aa26c-7b7c-4091-ae28-96c0687cf886",
                         accountNumber: "1234567890", settlementMethod: "RTS"),
            .till(tillName: "Shop", tillNumber: "112233"),
            .paybill(paybillName: "Power", paybillNumber: "888880", paybillAccountNumber: "42"),
        ]
        for r in recipients { assertCreated(try client.externalRecipients.create(request: r), mock, "external_recipients") }

        // Send money.
        let sent = try client.sendMoney.create(request: SendMoneyRequest(callbackUrl: cb, destinations: [
            .mobileWallet(phoneNumber: "0712345678", network: "Safaricom", amount: 1000, description: "Salary"),
            .mobileWallet(phoneNumber: "0712345679", network: "Safaricom", amount: dec("250.00"), description: "Bonus"),
        ], sourceIdentifier: nil, currency: nil, metadata: nil))
        assertCreated(sent, mock, "send_money")
        let s = try eventually({ try client.sendMoney.status(idOrLocation: sent.location) }, until: { $0.status == "Processed" })
        XCTAssertEqual(s.destinations.count, 2)
        XCTAssertEqual(s.destinations.compactMap(\.amount), [dec("1000"), dec("250")])
        XCTAssertTrue(s.transferBatches.flatMap { $0.disbursements }.allSatisfy { $0.status == "Transferred" })

        // Polling: times are Dates.
        let poll = try client.polling.create(request: PollingRequest(
            scope: "company", fromTime: rfc3339("2021-04-12T08:50:22+03:00"),
            toTime: rfc3339("2021-04-19T08:50:22+03:00"), callbackUrl: cb, scopeReference: nil))
        assertCreated(poll, mock, "polling")
        let polled = try eventually({ try client.polling.status(idOrLocation: poll.location) }, until: { $0.status == "Success" })
        XCTAssertEqual(polled.fromTime, rfc3339("2021-04-12T05:50:22Z"))

        // SMS notification.
        let sms = try client.smsNotifications.create(request: SmsNotificationRequest(
            webhookEventReference: "d4c0d9b1-0bbc-4a7c-8b09-0b8b9c3d7c7e", message: "Thanks!", callbackUrl: cb))
        assertCreated(sms, mock, "transaction_sms_notifications")
        _ = try eventually({ try client.smsNotifications.status(idOrLocation: sms.location) }, until: { $0.status == "Success" })

        // Reversal.
        let rev = try client.reversals.create(request: ReversalRequest(
            transactionReference: "OJJ1MPU40Z", reason: "Overpaid", callbackUrl: cb, metadata: nil))
        assertCreated(rev, mock, "reversals")
        let r = try eventually({ try client.reversals.status(idOrLocation: rev.location) }, until: { $0.status == "Processed" })
        XCTAssertTrue(r.isReversed)

        // Payment link.
        let link = try client.paymentLinks.create(request: PaymentLinkRequest(
            tillNumber: "112233", amount: 350, callbackUrl: cb, currency: nil,
            paymentReference: "INV-1", note: "Order 1", metadata: nil))
        assertCreated(link, mock, "payment_links")
        let active1 = try client.paymentLinks.status(idOrLocation: link.location)
        XCTAssertEqual(active1.paymentLink?.status, "Active")
        XCTAssertEqual(active1.amount, 350)
        _ = try client.paymentLinks.cancel(idOrLocation: link.id)
        XCTAssertEqual(try client.paymentLinks.status(idOrLocation: link.id).paymentLink?.status, "Cancelled")

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
