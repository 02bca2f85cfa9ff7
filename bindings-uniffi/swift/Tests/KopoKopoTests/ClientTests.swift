import Foundation
import XCTest
@testable import KopoKopo

/// Configuration, User-Agent, token cache and the redaction of secrets.
final class ClientTests: XCTestCase {
    func testUserAgentCarriesTheSwiftSuffix() throws {
        let v = KopoKopoSDK.version
        let client = try KopoKopoSDK.client(clientId: "id", clientSecret: "secret")
        XCTAssertTrue(client.userAgent().hasPrefix("kopokopo/\(v) (swift/\(v)"), client.userAgent())
        let plain = try KopoKopoClient(config: ClientConfig(clientId: "id", clientSecret: "secret"))
        XCTAssertEqual(plain.userAgent(), "kopokopo/\(v) (uniffi/\(v))")
        XCTAssertEqual(plain.baseUrl(), sandboxUrl())
    }

    func testSecretsNeverInDescription() throws {
        let config = KopoKopoSDK.config(clientId: "my-id", clientSecret: "SECRET-VALUE", apiKey: "APIKEY-VALUE")
        for text in [config.description, "\(config)", try KopoKopoClient(config: config).description] {
            XCTAssertFalse(text.contains("SECRET-VALUE"), text)
            XCTAssertFalse(text.contains("APIKEY-VALUE"), text)
            XCTAssertTrue(text.contains("my-id"), text)
        }
        XCTAssertEqual(config.clientSecret, "SECRET-VALUE")
        let token = try Shared.client().requestToken()
        XCTAssertFalse(token.description.contains(token.accessToken))
        XCTAssertTrue(token.description.contains("[REDACTED]"))
    }

    func testTokenIsCachedAndRefreshedAfterExpiry() throws {
        let mock = try K2Mock()
        defer { mock.stop() }
        let client = try Shared.client(mock)
        _ = try client.tokenInfo()
        _ = try client.tokenInfo()
        XCTAssertEqual(client.tokenRequests(), 1)
        try mock.admin("expire-tokens")
        _ = try client.tokenInfo()
        XCTAssertEqual(client.tokenRequests(), 2)
    }
}
