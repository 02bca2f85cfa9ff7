import Foundation
import XCTest
@testable import KopoKopo

/// The shared webhook/result vectors (tests/vectors/events.json), signed here and
/// parsed through the bindings; the normalised JSON (`parseWebhookJson` /
/// `parseResultJson`) must contain `expect`.
final class EventVectorsTests: XCTestCase {
    let key = "event-vectors-key"

    func subsetError(_ expected: Any, _ actual: Any, _ path: String) -> String? {
        switch expected {
        case let e as [String: Any]:
            guard let a = actual as? [String: Any] else { return "\(path): expected an object" }
            for (k, v) in e {
                guard let av = a[k] else { return "\(path): missing key \(k)" }
                if let err = subsetError(v, av, "\(path).\(k)") { return err }
            }
            return nil
        case let e as [Any]:
            guard let a = actual as? [Any], a.count == e.count else { return "\(path): array length" }
            for (i, v) in e.enumerated() {
                if let err = subsetError(v, a[i], "\(path)[\(i)]") { return err }
            }
            return nil
        case is NSNull:
            return actual is NSNull ? nil : "\(path): expected null"
        case let e as String:
            return (actual as? String) == e ? nil : "\(path): \(e) != \(actual)"
        case let e as NSNumber:
            guard let a = actual as? NSNumber else { return "\(path): expected a number" }
            return Decimal(string: e.stringValue) == Decimal(string: a.stringValue) ? nil : "\(path): \(e) != \(a)"
        default:
            return "\(path): unsupported \(expected)"
        }
    }

    func testEventVectors() throws {
        let data = try Data(contentsOf: Env.repoRoot.appendingPathComponent("tests/vectors/events.json"))
        let cases = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["cases"] as? [[String: Any]] ?? []
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let body: Data
            if let f = c["fixture"] as? String { body = try Env.fixture(f) } else { body = Data((c["body"] as? String ?? "").utf8) }
            let sig = sign(body: body, apiKey: key)
            let isWebhook = (c["kind"] as? String) == "webhook"
            // The normalised JSON (the same in every language) is what the vectors compare;
            // the typed value must parse alike.
            let parse: () throws -> String = isWebhook
                ? { _ = try parseWebhook(body: body, signature: sig, apiKey: self.key)
                    return try parseWebhookJson(body: body, signature: sig, apiKey: self.key) }
                : { _ = try parseResult(body: body, signature: sig, apiKey: self.key)
                    return try parseResultJson(body: body, signature: sig, apiKey: self.key) }
            if let code = c["expect_error"] as? String {
                do {
                    _ = try parse()
                    XCTFail("\(name): expected \(code)")
                } catch let e as KopoKopoError {
                    XCTAssertEqual(e.code(), code, name)
                }
            } else {
                let actual = try JSONSerialization.jsonObject(with: Data(try parse().utf8))
                if let err = subsetError(c["expect"] ?? NSNull(), actual, "$") { XCTFail("\(name): \(err)") }
            }
        }
    }
}
