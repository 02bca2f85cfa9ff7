import Foundation
import XCTest
@testable import KopoKopo

/// `dump()`, `Mirror`, `String(describing:)` and `String(reflecting:)` of the
/// records that hold secrets never show them (Sources/KopoKopo/Redaction.swift).
final class RedactionTests: XCTestCase {
    let secret = "CLIENT-SECRET-d41d8cd98f00"
    let apiKey = "API-KEY-9e107d9d372bb682"
    let token = "ACCESS-TOKEN-5eb63bbbe01e"
    let proxyPassword = "PROXY-PASS-7d793037a076"

    func renderings<T>(_ value: T) -> [String: String] {
        var dumped = ""
        dump(value, to: &dumped)
        var debugPrinted = ""
        debugPrint(value, to: &debugPrinted)
        var printed = ""
        print(value, to: &printed)
        var dumpedInArray = ""
        dump([value], to: &dumpedInArray)
        let mirror = Mirror(reflecting: value).children
            .map { "\($0.label ?? "?")=\(String(reflecting: $0.value))" }
            .joined(separator: ", ")
        return [
            "dump": dumped,
            "String(describing:)": String(describing: value),
            "String(reflecting:)": String(reflecting: value),
            "\\(value)": "\(value)",
            "print": printed,
            "debugPrint": debugPrinted,
            "Mirror": mirror,
            "dump of [value]": dumpedInArray,
            "String(reflecting: Optional(value))": String(reflecting: Optional(value)),
        ]
    }

    func assertNoSecret<T>(_ value: T, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for (how, text) in renderings(value) {
            for s in [secret, apiKey, token, proxyPassword] {
                XCTAssertFalse(text.contains(s), "\(what) \(how) shows a secret: \(text)", file: file, line: line)
            }
        }
    }

    func testClientConfigNeverShowsTheSecretOrApiKey() {
        let config = ClientConfig(
            clientId: "my-client-id",
            clientSecret: secret,
            apiKey: apiKey,
            baseUrl: "http://127.0.0.1:9",
            timeout: 5,
            connectTimeout: nil,
            maxRetries: 1,
            userAgentSuffix: nil,
            proxy: "http://user:\(proxyPassword)@proxy.example:3128"
        )
        assertNoSecret(config, "ClientConfig")
        // Still useful: the other fields are there, the secrets marked.
        var dumped = ""
        dump(config, to: &dumped)
        XCTAssertTrue(dumped.contains("my-client-id"), dumped)
        XCTAssertTrue(dumped.contains("clientSecret: \"[REDACTED]\""), dumped)
        XCTAssertTrue(dumped.contains("[REDACTED]") && dumped.contains("apiKey"), dumped)
        XCTAssertTrue(String(reflecting: config).contains("my-client-id"))
        let labels = Mirror(reflecting: config).children.compactMap(\.label)
        XCTAssertEqual(labels, ["clientId", "clientSecret", "apiKey", "baseUrl", "timeout",
                                "connectTimeout", "maxRetries", "userAgentSuffix", "proxy"])
        // Without an API key nothing pretends there is one.
        let noKey = KopoKopoSDK.config(clientId: "id", clientSecret: secret)
        assertNoSecret(noKey, "ClientConfig without apiKey")
        let apiKeyChild = Mirror(reflecting: noKey).children.first { $0.label == "apiKey" }
        XCTAssertEqual(apiKeyChild.map { String(describing: $0.value) }, "nil")
    }

    func testAccessTokenNeverShowsTheToken() {
        let t = AccessToken(accessToken: token, tokenType: "Bearer", expiresIn: 3600, createdAt: rfc3339("2026-01-01T00:00:00Z"))
        assertNoSecret(t, "AccessToken")
        var dumped = ""
        dump(t, to: &dumped)
        XCTAssertTrue(dumped.contains("Bearer") && dumped.contains("3600"), dumped)
        XCTAssertTrue(dumped.contains("accessToken: \"[REDACTED]\""), dumped)
    }

    func testATokenFromTheSimulatorNeverShowsIt() throws {
        let client = try Shared.client()
        let t = try client.tokens.request()
        XCTAssertFalse(t.accessToken.isEmpty)
        for (how, text) in renderings(t) {
            XCTAssertFalse(text.contains(t.accessToken), "AccessToken \(how) shows the token: \(text)")
        }
    }
}
