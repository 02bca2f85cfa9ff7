import Foundation
import XCTest
@testable import KopoKopo

/// The conversions uniffi.toml names for `Money` / `JsonNumber` (`Decimal`)
/// and `Timestamp` (`Date`), in Sources/KopoKopo/KopoKopoSDK.swift; no network.
final class CustomTypesTests: XCTestCase {
    /// What the core parses: optional `-`, digits, at most one `.`.
    func assertCoreDecimalText(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let ok = text.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil
        XCTAssertTrue(ok, "not plain decimal text: \(text)", file: file, line: line)
    }

    func testDecimalFromTheCore() {
        XCTAssertEqual(kopokopoDecimal("150"), 150)
        XCTAssertEqual(kopokopoDecimal("10.5"), dec("10.5"))
        XCTAssertEqual(kopokopoDecimal("-0.01"), dec("-0.01"))
        XCTAssertEqual(kopokopoDecimal("12345678901234567.89"), dec("12345678901234567.89"))
        XCTAssertNotEqual(kopokopoDecimal("12345678901234567.89"), dec("12345678901234567.8"))
        XCTAssertEqual(kopokopoDecimal("1e+20"), dec("100000000000000000000"))
        XCTAssertEqual(kopokopoDecimal("2.5E-3"), dec("0.0025"))
        XCTAssertTrue(kopokopoDecimal("not a number").isNaN)
        XCTAssertTrue(kopokopoDecimal("").isNaN)
    }

    func testDecimalToTheCore() {
        let cases: [(String, String)] = [
            ("150", "150"), ("-0.01", "-0.01"), ("12345678901234567.89", "12345678901234567.89"),
            ("1e20", "100000000000000000000"), ("1e-5", "0.00001"), ("0", "0"),
        ]
        for (input, want) in cases {
            let text = kopokopoDecimalText(dec(input))
            XCTAssertEqual(text, want, input)
            assertCoreDecimalText(text)
        }
        for input in ["10.50", "0.1", "99999999999999999999999999999999999999", "-123.456"] {
            let text = kopokopoDecimalText(dec(input))
            assertCoreDecimalText(text)
            XCTAssertEqual(dec(text), dec(input), input)
        }
        // Whatever the user's locale, never a comma or grouping.
        XCTAssertEqual(kopokopoDecimalText(Decimal(1234567)), "1234567")
        XCTAssertEqual(kopokopoDecimalText(.nan), "NaN")
    }

    func testExponentExpansion() {
        XCTAssertEqual(kopokopoPlainDecimal("1.5e+3"), "1500")
        XCTAssertEqual(kopokopoPlainDecimal("-2E-3"), "-0.002")
        XCTAssertEqual(kopokopoPlainDecimal("1.25e1"), "12.5")
        XCTAssertEqual(kopokopoPlainDecimal("0e5"), "0")
        XCTAssertEqual(kopokopoPlainDecimal("12345678901234567.89"), "12345678901234567.89")
    }

    func testDateFromTheCore() {
        XCTAssertEqual(kopokopoDate("2021-03-29T13:35:28+03:00"), Date(timeIntervalSince1970: 1_617_014_128))
        XCTAssertEqual(kopokopoDate("2021-03-29T10:35:28Z"), Date(timeIntervalSince1970: 1_617_014_128))
        XCTAssertEqual(kopokopoDate("1999-12-31T23:00:00-05:30"), Date(timeIntervalSince1970: 946_701_000))
        XCTAssertEqual(kopokopoDate("2024-02-29T23:59:59+00:00"), Date(timeIntervalSince1970: 1_709_251_199))
        let nanos = kopokopoDate("2020-10-22T10:43:20.123456789+00:00")
        XCTAssertEqual(nanos.timeIntervalSince1970, 1_603_363_400.123456789, accuracy: 1e-6)
        let one = kopokopoDate("2020-10-22T10:43:20.1+00:00")
        XCTAssertEqual(one.timeIntervalSince1970, 1_603_363_400.1, accuracy: 1e-6)
        // Last resort only (the core never sends it): the epoch.
        XCTAssertEqual(kopokopoDate("yesterday"), Date(timeIntervalSince1970: 0))
        XCTAssertNil(kopokopoParseRFC3339("2021-02-30T00:00:00Z"))
        XCTAssertNil(kopokopoParseRFC3339("2021-03-29T13:35:28"))
    }

    func testDateToTheCore() {
        XCTAssertEqual(kopokopoDateText(Date(timeIntervalSince1970: 1_617_014_128)), "2021-03-29T10:35:28.000Z")
        XCTAssertEqual(kopokopoDateText(Date(timeIntervalSince1970: 1_617_014_128.5)), "2021-03-29T10:35:28.500Z")
        XCTAssertEqual(kopokopoDateText(Date(timeIntervalSince1970: -1.5)), "1969-12-31T23:59:58.500Z")
        XCTAssertEqual(kopokopoDateText(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        // Round trip to the millisecond.
        let now = Date()
        let back = kopokopoDate(kopokopoDateText(now))
        XCTAssertEqual(back.timeIntervalSince1970, now.timeIntervalSince1970, accuracy: 0.001)
    }

    func testMetadataNumbersKeepTheirDigits() throws {
        let fixture = String(decoding: try Env.fixture("result.incoming_payment.success.json"), as: UTF8.self)
        let body = Data(fixture.replacingOccurrences(
            of: #""customer_id": "123456789","#,
            with: #""big": 12345678901234567.89, "exp": 1e20, "flag": true, "none": null, "list": [1,2], "customer_id": "123456789","#
        ).utf8)
        XCTAssertTrue(String(decoding: body, as: UTF8.self).contains("\"exp\""))
        let r = try parseResult(body: body, signature: sign(body: body, apiKey: "k"), apiKey: "k")
        guard case .incomingPaymentResult(let p) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(p.initiationTime?.timeIntervalSince1970 ?? 0, 1_603_088_688.622, accuracy: 1e-6)
        XCTAssertEqual(p.metadata["customer_id"], .text(value: "123456789"))
        XCTAssertEqual(p.metadata["flag"], .bool(value: true))
        XCTAssertEqual(p.metadata["none"], .null)
        if case .json(let json)? = p.metadata["list"] { XCTAssertEqual(json, "[1,2]") } else { XCTFail("list") }
        if case .number(let n)? = p.metadata["exp"] { XCTAssertEqual(n, dec("100000000000000000000")) } else { XCTFail("exp") }
        // serde_json may read a fractional JSON number through a double: exact only if the core keeps the text.
        if case .number(let n)? = p.metadata["big"] {
            XCTAssertEqual(n.roundedToScale(0), dec("12345678901234568"))
        } else { XCTFail("big") }
    }
}

private extension Decimal {
    func roundedToScale(_ scale: Int) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, .plain)
        return result
    }
}
