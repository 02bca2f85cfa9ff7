import Foundation
import XCTest
@testable import KopoKopo

/// The shared signature vectors (tests/vectors/signatures.json): every case.
final class SignatureVectorsTests: XCTestCase {
    func testSignatureVectors() throws {
        let data = try Data(contentsOf: Env.repoRoot.appendingPathComponent("tests/vectors/signatures.json"))
        let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let cases = doc?["cases"] as? [[String: Any]] ?? []
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let body = Data(base64Encoded: c["body_b64"] as? String ?? "") ?? Data()
            let key = c["api_key"] as? String ?? ""
            let signature = c["signature"] as? String // NSNull -> nil: header missing
            let valid = c["valid"] as? Bool ?? false

            XCTAssertEqual(verifySignature(body: body, signature: signature, apiKey: key), valid, name)
            if valid {
                XCTAssertEqual(sign(body: body, apiKey: key),
                               signature?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), name)
                do {
                    _ = try parseWebhook(body: body, signature: signature, apiKey: key)
                } catch KopoKopoError.SignatureInvalid(let reason) {
                    XCTFail("\(name): valid signature refused: \(reason)")
                } catch {
                    // Not a webhook body: anything but a signature error is fine.
                }
            } else {
                do {
                    _ = try parseWebhook(body: body, signature: signature, apiKey: key)
                    XCTFail("\(name): invalid signature accepted")
                } catch KopoKopoError.SignatureInvalid {
                } catch KopoKopoError.InvalidArgument(let field, _) where field == "apiKey" {
                } catch {
                    XCTFail("\(name): unexpected \(error)")
                }
            }
        }
    }
}
