import Foundation
import XCTest
@testable import KopoKopo

/// Every core error kind arrives as its own `KopoKopoError` case, with its fields.
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

    func payment(phone: String = "0712345678", amount: String = "100", till: String = "K000000") -> IncomingPaymentRequest {
        IncomingPaymentRequest(tillNumber: till, phoneNumber: phone, amount: amount, callbackUrl: cb)
    }

    func assertNoSecrets(_ e: KopoKopoError?, line: UInt = #line) {
        let text = "\(String(describing: e)) \(e?.localizedDescription ?? "")"
        for secret in [Env.clientSecret, Env.apiKey, "not-the-secret"] {
            XCTAssertFalse(text.contains(secret), text, line: line)
        }
    }

    func field(_ e: KopoKopoError?) -> String? {
        if case .InvalidArgument(let field, _)? = e { return field }
        return nil
    }

    func testInvalidArgumentNamesTheField() throws {
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try self.client.createIncomingPayment(request: self.payment(phone: "12")) }), "phone_number")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try self.client.createIncomingPayment(request: self.payment(amount: "1e3")) }), "amount")
        XCTAssertEqual(field(expectError("invalid_argument") {
            _ = try self.client.sendMoney(request: SendMoneyRequest(callbackUrl: self.cb, destinations: [
                .till(tillNumber: "1", amount: "ten", description: "x", nickname: nil, favourite: nil),
            ]))
        }), "destinations[0].amount")
        XCTAssertEqual(field(expectError("invalid_argument") {
            _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", baseUrl: "http://example.com")
        }), "base_url")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: " ") }), "client_secret")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", timeoutMs: 0) }), "timeout")
        XCTAssertEqual(try mock.requestCounters().count, 0, "nothing was sent")
    }

    func testAuthentication() throws {
        let bad = try Shared.client(mock, secret: "not-the-secret")
        let e = expectError("authentication_failed") { _ = try bad.requestToken() }
        if case .Authentication(let status, _)? = e { XCTAssertEqual(status, 401) } else { XCTFail("\(String(describing: e))") }
        assertNoSecrets(e)
    }

    func testApiError() throws {
        let e = expectError("api_error") { _ = try self.client.createIncomingPayment(request: self.payment(till: "K400400")) }
        if case .Api(let status, _, let message, let messages)? = e {
            XCTAssertEqual(status, 400)
            XCTAssertEqual(message, "Till number is invalid")
            XCTAssertEqual(messages, ["Till number is invalid"])
        } else { XCTFail("\(String(describing: e))") }
        let notFound = expectError("api_error") { _ = try self.client.incomingPaymentStatus(idOrLocation: "00000000-0000-0000-0000-000000000000") }
        if case .Api(let status, _, _, _)? = notFound { XCTAssertEqual(status, 404) } else { XCTFail() }
    }

    func testRateLimited() throws {
        try mock.fault("429", count: 5, path: "/api/v2/incoming_payments", retryAfter: 120)
        let e = expectError("rate_limited") { _ = try self.client.createIncomingPayment(request: self.payment()) }
        if case .RateLimited(let retryAfter, _)? = e { XCTAssertEqual(retryAfter, 120) } else { XCTFail() }
    }

    func testTransport() throws {
        // Port 9 (discard) on loopback: nothing listens there in a test environment.
        let closed = try KopoKopoSDK.client(clientId: "id", clientSecret: "secret", baseUrl: "http://127.0.0.1:9", maxRetries: 0)
        let e = expectError("transport_error") { _ = try closed.requestToken() }
        assertNoSecrets(e)
    }

    func testTimeout() throws {
        let impatient = try Shared.client(mock, maxRetries: 0, timeoutMs: 400)
        _ = try impatient.requestToken()
        try mock.fault("hang", count: 1, path: "/api/v2/payment_links")
        expectError("timeout") {
            _ = try impatient.createPaymentLink(request: PaymentLinkRequest(tillNumber: "112233", amount: "10", callbackUrl: self.cb))
        }
    }

    func testSignatureInvalidAndDecode() throws {
        expectError("signature_invalid") { _ = try parseResult(body: Data("{}".utf8), signature: String(repeating: "0", count: 64), apiKey: "key") }
        let c = try client.createIncomingPayment(request: payment())
        try mock.fault("malformed_json", count: 5, path: "/api/v2/incoming_payments/")
        expectError("decode_error") { _ = try self.client.incomingPaymentStatus(idOrLocation: c.id) }
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
        XCTAssertFalse(try client.requestToken().accessToken.isEmpty)
        let created = try client.createIncomingPayment(request: payment())
        XCTAssertEqual(try client.incomingPaymentStatus(idOrLocation: created.id).id, created.id)
    }

    func testConfigurationLimits() throws {
        let twoHours: UInt64 = 7_200_000
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", timeoutMs: twoHours) }), "timeout")
        XCTAssertEqual(field(expectError("invalid_argument") { _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", connectTimeoutMs: twoHours) }), "connect_timeout")
        _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", timeoutMs: 3_600_000, connectTimeoutMs: 3_600_000)
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
