import Foundation
import XCTest
@testable import KopoKopo

/// Configuration, User-Agent, groups, token cache and the redaction of secrets.
final class ClientTests: XCTestCase {
    func testUserAgentCarriesTheSwiftSuffix() throws {
        let v = KopoKopoSDK.version
        let client = try KopoKopoSDK.client(clientId: "id", clientSecret: "secret")
        XCTAssertTrue(client.userAgent().hasPrefix("kopokopo/\(v) (swift/\(v)"), client.userAgent())
        let extra = try KopoKopoSDK.client(clientId: "id", clientSecret: "secret", userAgentSuffix: "myapp/2.1")
        XCTAssertTrue(extra.userAgent().contains("; myapp/2.1"), extra.userAgent())
        let plain = try KopoKopoClient(config: ClientConfig(clientId: "id", clientSecret: "secret"))
        XCTAssertEqual(plain.userAgent(), "kopokopo/\(v) (uniffi/\(v))")
        XCTAssertEqual(plain.baseUrl(), sandboxUrl())
    }

    func testConfigTimeoutsAreSeconds() throws {
        let config = KopoKopoSDK.config(clientId: "id", clientSecret: "s", timeout: 2.5, connectTimeout: 1, maxRetries: 0)
        XCTAssertEqual(config.timeout, 2.5)
        XCTAssertEqual(config.connectTimeout, 1)
        XCTAssertEqual(config.maxRetries, 0)
        XCTAssertNil(KopoKopoSDK.config(clientId: "id", clientSecret: "s").timeout)
        if #available(macOS 13.0, iOS 16.0, tvOS 16.0, watchOS 9.0, *) {
            let d = KopoKopoSDK.config(clientId: "id", clientSecret: "s", timeout: .milliseconds(400), connectTimeout: .seconds(2))
            XCTAssertEqual(d.timeout ?? 0, 0.4, accuracy: 1e-9)
            XCTAssertEqual(d.connectTimeout, 2)
            _ = try KopoKopoSDK.client(clientId: "id", clientSecret: "s", timeout: .seconds(30))
        }
    }

    func testSecretsNeverInDescription() throws {
        let config = KopoKopoSDK.config(clientId: "my-id", clientSecret: "SECRET-VALUE", apiKey: "APIKEY-VALUE")
        for text in [config.description, "\(config)", try KopoKopoClient(config: config).description] {
            XCTAssertFalse(text.contains("SECRET-VALUE"), text)
            XCTAssertFalse(text.contains("APIKEY-VALUE"), text)
            XCTAssertTrue(text.contains("my-id"), text)
        }
        XCTAssertEqual(config.clientSecret, "SECRET-VALUE")
        let token = try Shared.client().tokens.request()
        XCTAssertFalse(token.description.contains(token.accessToken))
        XCTAssertTrue(token.description.contains("[REDACTED]"))
        XCTAssertNotNil(token.createdAt)
    }

    func testGroupsAreTheGeneratedAccessors() throws {
        let client = try Shared.client()
        // The properties of Groups.swift and the renamed methods reach the same operations.
        XCTAssertEqual(try client.tokens.info().expiresIn.map { $0 > 0 }, true)
        XCTAssertEqual(try client.tokensGroup().info().expiresIn.map { $0 > 0 }, true)
        let groups: [AnyObject] = [
            client.tokens, client.webhooks, client.incomingPayments, client.merchantWallets,
            client.merchantBankAccounts, client.externalRecipients, client.sendMoney, client.polling,
            client.smsNotifications, client.reversals, client.paymentLinks,
        ]
        XCTAssertEqual(groups.count, 11)
    }

    func testTokenIsCachedAndRefreshedAfterExpiry() throws {
        let mock = try K2Mock()
        defer { mock.stop() }
        let client = try Shared.client(mock)
        _ = try client.tokens.info()
        _ = try client.tokens.info()
        XCTAssertEqual(client.tokenRequests(), 1)
        try mock.admin("expire-tokens")
        _ = try client.tokens.info()
        XCTAssertEqual(client.tokenRequests(), 2)
    }

    func testFromEnvironmentNeedsCredentials() {
        // The test environment sets no K2_CLIENT_ID: an empty id is refused, nothing sent.
        guard ProcessInfo.processInfo.environment["K2_CLIENT_ID"] == nil else { return }
        expectError("invalid_argument") { _ = try KopoKopoSDK.fromEnvironment() }
    }
}
