import Foundation
import XCTest
@testable import KopoKopo

/// Every core error kind arrives as its own `KopoKopoError` case, with its
/// fields, its stable `code()` and the core's message as `description`.
final class ErrorsTests: XCTestCase {
    let cb = "https://example.com/k2/results"
    var mock: K2Mock!
    var client: KopoKopoClient!

    override func setUpWithError() throws {
        mock = try K2Mock()
        client = try Shared.client(mock)
    }

    override func tearDown() {
        mock.stop()
    }

    func payment(phone: String = "0712345678", amount: Decimal = 100, till: String = "K000000") -> IncomingPaymentRequest {
        IncomingPaymentRequest(tillNumber: till, phoneNumber: phone, amount: amount, callbackUrl: cb)
    }

    func assertNoSecrets(_ e: KopoKopoError?, line: UInt = #line) {
        let text = "\(String(describing: e)) \(String(reflecting: e)) \(e?.localizedDescription ?? "")"
        for secret in [Env.clientSecret, Env.apiKey, "not-the-secret"] {
            XCTAssertFalse(text.contains(secret), text, line: line)
        }
    }

    func field(_ e: KopoKopoError?) -> String? {
        if case .InvalidArgument(let field, _)? = e {
            XCTAssertEqual(e?.field(), field)
            return field
        }
        return nil
    }

    func testInvalidArgumentNamesTheField() throws {
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try self.client.incomingPayments.create(request: self.payment(phone: "12")) }), "phoneNumber")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try self.client.incomingPayments.create(request: self.payment(amount: -1)) }), "amount")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try self.client.incomingPayments.create(request: self.payment(amount: .nan)) }), "amount")
        XCTAssertEqual(field(expectError("invalid_argument") {
            _ = try self.client.sendMoney.create(request: SendMoneyRequest(callbackUrl: self.cb, destinations: [
                .till(tillNumber: "1", amount: 0, description: "x"),
            ]))
        }), "destinations[0].amount")
        XCTAssertEqual(field(expectError("invalid_argument") {
            _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", baseUrl: "http://example.com")
        }), "baseUrl")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: " ") }), "clientSecret")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", timeout: 0) }), "timeout")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", maxRetries: -1) }), "maxRetries")
        XCTAssertEqual(try mock.requestCounters().count, 0, "nothing was sent")
    }

    func testDescriptionIsTheCoreMessage() {
        let e = expectError("invalid_argument") { _ = try self.client.incomingPayments.create(request: self.payment(phone: "12")) }
        guard let e = e else { return }
        XCTAssertEqual(e.description, errorDescription(error: e))
        XCTAssertEqual("\(e)", errorDescription(error: e))
        XCTAssertEqual(e.localizedDescription, errorDescription(error: e))
        XCTAssertTrue(e.description.contains("phone_number"), e.description)
        XCTAssertEqual(e.code(), "invalid_argument")
        XCTAssertNil(e.httpStatus())
        XCTAssertNil(e.retryAfter())
        XCTAssertNotNil(e.reason())
    }

    func testAuthentication() throws {
        let bad = try Shared.client(mock, secret: "not-the-secret")
        let e = expectError("authentication_failed") { _ = try bad.tokens.request() }
        if case .Authentication(let status, _)? = e { XCTAssertEqual(status, 401) } else { XCTFail("\(String(describing: e))") }
        XCTAssertEqual(e?.httpStatus(), 401)
        assertNoSecrets(e)
    }

    func testApiError() throws {
        let e = expectError("api_error") { _ = try self.client.incomingPayments.create(request: self.payment(till: "K400400")) }
        if case .Api(let status, _, let message, let messages)? = e {
            XCTAssertEqual(status, 400)
            XCTAssertEqual(message, "Till number is invalid")
            XCTAssertEqual(messages, ["Till number is invalid"])
        } else { XCTFail("\(String(describing: e))") }
        XCTAssertEqual(e?.httpStatus(), 400)
        let notFound = expectError("api_error") {
            _ = try self.client.incomingPayments.status(idOrLocation: "00000000-0000-0000-0000-000000000000")
        }
        if case .Api(let status, _, _, _)? = notFound { XCTAssertEqual(status, 404) } else { XCTFail() }
    }

    func testRateLimited() throws {
        try mock.fault("429", count: 5, path: "/api/v2/incoming_payments", retryAfter: 120)
        let e = expectError("rate_limited") { _ = try self.client.incomingPayments.create(request: self.payment()) }
        if case .RateLimited(let retryAfter, _)? = e { XCTAssertEqual(retryAfter, 120) } else { XCTFail() }
        XCTAssertEqual(e?.retryAfter(), 120)
        XCTAssertEqual(e?.httpStatus(), 429)
    }

    func testTransport() throws {
        // Port 9 (discard) on loopback: nothing listens there in a test environment.
        let closed = try KopoKopoSDK.client(clientId: "id", clientSecret: "secret", baseUrl: "http://127.0.0.1:9", maxRetries: 0)
        let e = expectError("transport_error") { _ = try closed.tokens.request() }
        assertNoSecrets(e)
    }

    func testTimeout() throws {
        let impatient = try Shared.client(mock, maxRetries: 0, timeout: 0.4)
        _ = try impatient.tokens.request()
        try mock.fault("hang", count: 1, path: "/api/v2/payment_links")
        expectError("timeout") {
            _ = try impatient.paymentLinks.create(request: PaymentLinkRequest(tillNumber: "112233", amount: 10, callbackUrl: self.cb))
        }
        // A 400 ms timeout against a 3 s answer: a Timeout after about 400 ms, not 3 s.
        try mock.fault("delay", count: 1, path: "/api/v2/incoming_payments", delayMs: 3000)
        let started = Date()
        expectError("timeout") { _ = try impatient.incomingPayments.create(request: self.payment()) }
        let took = Date().timeIntervalSince(started)
        XCTAssertTrue((0.3..<2.5).contains(took), "took \(took) s")
        // A sub-second connect timeout is accepted as it is (not rounded to zero).
        _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", connectTimeout: 0.25)
    }

    func testAsyncErrorsAreTheSame() async throws {
        do {
            _ = try await client.incomingPayments.createAsync(request: payment(till: "K400400"))
            XCTFail("expected api_error")
        } catch let e as KopoKopoError {
            XCTAssertEqual(e.code(), "api_error")
            XCTAssertEqual(e.httpStatus(), 400)
        }
    }

    func testSignatureInvalidAndDecode() throws {
        expectError("signature_invalid") { _ = try parseResult(body: Data("{}".utf8), signature: String(repeating: "0", count: 64), apiKey: "key") }
        let c = try client.incomingPayments.create(request: payment())
        try mock.fault("malformed_json", count: 5, path: "/api/v2/incoming_payments/")
        expectError("decode_error") { _ = try self.client.incomingPayments.status(idOrLocation: c.id) }
        let body = Data("not json".utf8)
        expectError("decode_error") { _ = try parseResult(body: body, signature: sign(body: body, apiKey: "k"), apiKey: "k") }
    }

    func testInternal() throws {
        // A panic inside the library (forced by a test-only hook, in the same guard as every
        // export) is KopoKopoError.Internal with code "internal", not a crash; nothing is left broken.
        for _ in 0..<3 {
            let e = expectError("internal") { try forcePanicForTests() }
            if case .Internal(let detail)? = e { XCTAssertTrue(detail.contains("forced panic"), detail) } else { XCTFail("\(String(describing: e))") }
        }
        XCTAssertFalse(try client.tokens.request().accessToken.isEmpty)
        let created = try client.incomingPayments.create(request: payment())
        XCTAssertEqual(try client.incomingPayments.status(idOrLocation: created.id).id, created.id)
    }

    func testConfigurationLimits() throws {
        let twoHours: TimeInterval = 7200
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", timeout: twoHours) }), "timeout")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", connectTimeout: twoHours) }), "connectTimeout")
        _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", timeout: 3600, connectTimeout: 3600)
        // Values the generated Duration converter would trap on are refused like any bad timeout.
        for bad: TimeInterval in [-1, .nan, .infinity] {
            XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", timeout: bad) }), "timeout", "\(bad)")
            XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", connectTimeout: bad) }), "connect_timeout", "\(bad)")
        }
        for bad in ["ftp://proxy.example:21", "proxy.example:3128", "http://", "http://proxy example:3128"] {
            XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", proxy: bad) }), "proxy", bad)
        }
        for ok: String? in [nil, "env", "none", "http://user:PROXY-PASS@proxy.example:3128"] {
            let config = KopoKopoSDK.config(clientId: "id", clientSecret: "s", proxy: ok)
            _ = try KopoKopoClient(config: config)
            XCTAssertFalse(config.description.contains("PROXY-PASS"), config.description)
        }
        XCTAssertEqual(try mock.requestCounters().count, 0, "nothing was sent")
    }
}
