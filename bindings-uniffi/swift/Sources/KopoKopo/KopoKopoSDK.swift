// Hand-written (not generated): Swift entry points over the generated bindings,
// and the conversions of the custom types that uniffi.toml names
// (`kopokopoDecimal`, `kopokopoDecimalText`, `kopokopoDate`, `kopokopoDateText`,
// `kopokopoMillis`).
import Foundation

/// Swift conveniences: a `ClientConfig` whose User-Agent says `swift/<version>`.
///
/// ```swift
/// let client = try KopoKopoSDK.client(clientId: id, clientSecret: secret, apiKey: apiKey)
/// let created = try await client.incomingPayments.createAsync(request: IncomingPaymentRequest(
///     tillNumber: "K000000", phoneNumber: "+254712345678",
///     amount: Decimal(string: "150.00")!, callbackUrl: "https://example.com/k2/results"))
/// let payment = try await client.incomingPayments.statusAsync(idOrLocation: created.location)
/// ```
///
/// Every operation has a blocking method (`create`) and an `async` twin
/// (`createAsync`) that runs the call off the caller's thread: from the main
/// thread or any Swift concurrency task, call the `…Async` ones.
public enum KopoKopoSDK {
    /// The version of this package (the Rust core's version).
    public static var version: String { libraryVersion() }

    /// What this package appends to the User-Agent: `swift/<version>; <OS>`.
    public static var userAgentSuffix: String {
        #if os(iOS)
        let os = "iOS"
        #elseif os(macOS)
        let os = "macOS"
        #elseif os(tvOS)
        let os = "tvOS"
        #elseif os(watchOS)
        let os = "watchOS"
        #elseif os(Linux)
        let os = "Linux"
        #else
        let os = "unknown"
        #endif
        return "swift/\(libraryVersion()); \(os)"
    }

    /// A `ClientConfig` with the Swift User-Agent suffix.
    ///
    /// The options are the same in every language: `baseUrl` (`nil`: the sandbox),
    /// `timeout` and `connectTimeout` in seconds (at most one hour; defaults 30 s and 10 s),
    /// `maxRetries` (GET and token requests only; payments are never retried; default 2),
    /// `userAgentSuffix` (appended after `swift/<version>; <OS>`, e.g. `myapp/2.1`) and
    /// `proxy`: `nil` or `"env"` reads `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` from the
    /// environment (never `HTTP_PROXY`), `"none"` connects directly, anything else is a
    /// proxy URL (`http://user:pass@proxy:3128`).
    ///
    /// A negative, NaN or infinite timeout is refused by `KopoKopoClient(config:)` as an
    /// invalid argument naming the field (timeouts cross as whole milliseconds: see
    /// `kopokopoMillis`).
    public static func config(
        clientId: String,
        clientSecret: String,
        apiKey: String? = nil,
        baseUrl: String? = nil,
        timeout: TimeInterval? = nil,
        connectTimeout: TimeInterval? = nil,
        maxRetries: Int32? = nil,
        proxy: String? = nil,
        userAgentSuffix extra: String? = nil
    ) -> ClientConfig {
        let suffix: String
        if let extra = extra, !extra.isEmpty {
            suffix = "\(userAgentSuffix); \(extra)"
        } else {
            suffix = userAgentSuffix
        }
        return ClientConfig(
            clientId: clientId,
            clientSecret: clientSecret,
            apiKey: apiKey,
            baseUrl: baseUrl,
            timeout: timeout,
            connectTimeout: connectTimeout,
            maxRetries: maxRetries,
            userAgentSuffix: suffix,
            proxy: proxy
        )
    }

    /// `config` with `Duration` timeouts (`.seconds(5)`, `.milliseconds(400)`).
    ///
    /// `timeout` has no default here so that a call without timeouts is never
    /// ambiguous with the `TimeInterval` overload.
    @available(macOS 13.0, iOS 16.0, tvOS 16.0, watchOS 9.0, *)
    public static func config(
        clientId: String,
        clientSecret: String,
        apiKey: String? = nil,
        baseUrl: String? = nil,
        timeout: Duration,
        connectTimeout: Duration? = nil,
        maxRetries: Int32? = nil,
        proxy: String? = nil,
        userAgentSuffix extra: String? = nil
    ) -> ClientConfig {
        config(
            clientId: clientId, clientSecret: clientSecret, apiKey: apiKey, baseUrl: baseUrl,
            timeout: timeInterval(timeout), connectTimeout: connectTimeout.map(timeInterval),
            maxRetries: maxRetries, proxy: proxy, userAgentSuffix: extra
        )
    }

    /// A client (see `config`); throws `KopoKopoError.InvalidArgument` for a bad
    /// configuration. Share one: it pools connections and caches the access token.
    public static func client(
        clientId: String,
        clientSecret: String,
        apiKey: String? = nil,
        baseUrl: String? = nil,
        timeout: TimeInterval? = nil,
        connectTimeout: TimeInterval? = nil,
        maxRetries: Int32? = nil,
        proxy: String? = nil,
        userAgentSuffix: String? = nil
    ) throws -> KopoKopoClient {
        try KopoKopoClient(config: config(
            clientId: clientId, clientSecret: clientSecret, apiKey: apiKey, baseUrl: baseUrl,
            timeout: timeout, connectTimeout: connectTimeout, maxRetries: maxRetries,
            proxy: proxy, userAgentSuffix: userAgentSuffix
        ))
    }

    /// `client` with `Duration` timeouts.
    @available(macOS 13.0, iOS 16.0, tvOS 16.0, watchOS 9.0, *)
    public static func client(
        clientId: String,
        clientSecret: String,
        apiKey: String? = nil,
        baseUrl: String? = nil,
        timeout: Duration,
        connectTimeout: Duration? = nil,
        maxRetries: Int32? = nil,
        proxy: String? = nil,
        userAgentSuffix: String? = nil
    ) throws -> KopoKopoClient {
        try KopoKopoClient(config: config(
            clientId: clientId, clientSecret: clientSecret, apiKey: apiKey, baseUrl: baseUrl,
            timeout: timeout, connectTimeout: connectTimeout, maxRetries: maxRetries,
            proxy: proxy, userAgentSuffix: userAgentSuffix
        ))
    }

    /// A client configured from the environment variables every example of every
    /// language reads: `K2_CLIENT_ID`, `K2_CLIENT_SECRET`, `K2_API_KEY` and
    /// `K2_BASE_URL` (absent: the sandbox).
    public static func fromEnvironment() throws -> KopoKopoClient {
        let env = ProcessInfo.processInfo.environment
        func value(_ name: String) -> String? {
            guard let v = env[name], !v.isEmpty else { return nil }
            return v
        }
        return try client(
            clientId: value("K2_CLIENT_ID") ?? "",
            clientSecret: value("K2_CLIENT_SECRET") ?? "",
            apiKey: value("K2_API_KEY"),
            baseUrl: value("K2_BASE_URL")
        )
    }

    /// A `Duration` in seconds (attoseconds kept down to the `Double`'s precision).
    @available(macOS 13.0, iOS 16.0, tvOS 16.0, watchOS 9.0, *)
    public static func timeInterval(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

// MARK: - KopoKopoError

/// `"\(error)"`, `String(describing:)` and `localizedDescription` give the
/// core's message (the generated `description`, the Rust `Display`), the same
/// text in every language. The generated enum declares `description` but not
/// the conformance; the stable code, HTTP status etc. are the generated
/// methods `code()`, `httpStatus()`, `retryAfter()`, `field()`, `reason()`
/// (no properties of the same names can be added: Swift forbids a property and
/// a method with the same base name in one type).
extension KopoKopoError: CustomStringConvertible {}

// MARK: - Custom types (uniffi.toml `lift` / `lower`)

/// `Timeout` on the wire: whole milliseconds, saturating, so that no
/// `TimeInterval` a caller builds stops the process in a conversion. NaN and
/// negative values become negative milliseconds, which the core refuses with
/// `KopoKopoError.InvalidArgument` naming `timeout` / `connect_timeout`; a
/// huge one is refused there as longer than an hour.
func kopokopoMillis(_ seconds: TimeInterval) -> Int64 {
    if seconds.isNaN { return -1 }
    let ms = (seconds * 1000).rounded()
    if ms >= 9.2e18 { return Int64.max }
    if ms <= -9.2e18 { return Int64.min }
    return Int64(ms)
}

/// The POSIX locale: `.` as the decimal separator, no grouping, whatever the
/// user's settings.
private let posixLocale = Locale(identifier: "en_US_POSIX")

/// `Money` and `JsonNumber` from the core's decimal text (`150`, `10.5`,
/// `-0.01`, `12345678901234567.89`; a metadata number may have an exponent,
/// `1e+20`).
///
/// A lift cannot throw. The core only ever sends decimal text, so the fallback
/// is a last resort: text `Decimal` cannot read (or a number beyond its 38
/// significant digits / exponent range) gives `Decimal.nan`, never a made-up
/// amount.
func kopokopoDecimal(_ text: String) -> Decimal {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, let value = Decimal(string: trimmed, locale: posixLocale) else {
        return Decimal.nan
    }
    return value
}

/// The decimal text the core parses: optional `-`, digits, at most one `.`;
/// never an exponent, never grouping separators (`150`, `10.5`,
/// `12345678901234567.89`). `Decimal.nan` gives `NaN`, which the core refuses
/// with `InvalidArgument` naming the field.
func kopokopoDecimalText(_ value: Decimal) -> String {
    if value.isNaN { return "NaN" }
    // `description` is plain decimal notation in Foundation (NSDecimalString)
    // and in swift-foundation; the expansion below guards against an exponent
    // ever appearing there.
    return kopokopoPlainDecimal(value.description)
}

/// `text` with any exponent expanded (`1.5e+3` → `1500`, `-2E-3` → `-0.002`);
/// text without one is returned unchanged.
func kopokopoPlainDecimal(_ text: String) -> String {
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }),
          let exponent = Int(text[text.index(after: e)...]) else {
        return text
    }
    var mantissa = Substring(text[..<e])
    var sign = ""
    if mantissa.hasPrefix("-") {
        sign = "-"
        mantissa = mantissa.dropFirst()
    } else if mantissa.hasPrefix("+") {
        mantissa = mantissa.dropFirst()
    }
    let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let integer = parts.first.map { String($0) } ?? ""
    let fraction = parts.count > 1 ? String(parts[1]) : ""
    let digits = Array(integer + fraction)
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return text }
    let point = integer.count + exponent  // position of the decimal point in `digits`
    var whole: String
    var rest: String
    if point <= 0 {
        whole = "0"
        rest = String(repeating: "0", count: -point) + String(digits)
    } else if point >= digits.count {
        whole = String(digits) + String(repeating: "0", count: point - digits.count)
        rest = ""
    } else {
        whole = String(digits[..<point])
        rest = String(digits[point...])
    }
    while whole.count > 1 && whole.hasPrefix("0") { whole.removeFirst() }
    while rest.hasSuffix("0") { rest.removeLast() }
    let isZero = whole == "0" && rest.isEmpty
    return (isZero ? "" : sign) + whole + (rest.isEmpty ? "" : ".\(rest)")
}

/// `Timestamp` from the core's RFC 3339 text: `2021-03-29T13:35:28+03:00`,
/// `2020-10-22T10:43:20.123456789+00:00` (an explicit offset or `Z`, a
/// fraction of 1 to 9 digits). Parsed by hand (no formatter, no locale):
/// `ISO8601DateFormatter` does not reliably take 9 fraction digits.
///
/// A lift cannot throw. The core only sends text it has parsed and written
/// itself, so the fallbacks are a last resort: first `ISO8601DateFormatter`,
/// then `Date(timeIntervalSince1970: 0)` (1970-01-01T00:00:00Z) for text
/// nothing can read.
func kopokopoDate(_ text: String) -> Date {
    if let date = kopokopoParseRFC3339(text) { return date }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) { return date }
    return Date(timeIntervalSince1970: 0)
}

/// RFC 3339 text of `date` in UTC with milliseconds (`2021-03-29T10:35:28.000Z`),
/// which the core reads.
func kopokopoDateText(_ date: Date) -> String {
    var totalMillis = (date.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero)
    if !totalMillis.isFinite { totalMillis = 0 }
    // Outside ±292 million years an Int64 cannot hold it; the core refuses such
    // years anyway, so clamp rather than trap.
    let millis = Int64(max(min(totalMillis, 9.2e18), -9.2e18))
    let (seconds, ms) = floorDivMod(millis, 1000)
    let (days, secondOfDay) = floorDivMod(seconds, 86_400)
    let (year, month, day) = civilFromDays(days)
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        + ".\(pad(ms, 3))Z"
}

/// `YYYY-MM-DD(T|t| )hh:mm[:ss[.fraction]](Z|z|±hh:mm|±hhmm)`; `nil` otherwise.
func kopokopoParseRFC3339(_ text: String) -> Date? {
    let b = Array(text.trimmingCharacters(in: .whitespaces).utf8)
    var i = 0
    func number(_ width: Int) -> Int64? {
        guard i + width <= b.count else { return nil }
        var n: Int64 = 0
        for k in i..<(i + width) {
            guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
            n = n * 10 + Int64(b[k] - 0x30)
        }
        i += width
        return n
    }
    func expect(_ c: UInt8) -> Bool {
        guard i < b.count, b[i] == c else { return false }
        i += 1
        return true
    }
    guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
          i < b.count, b[i] == 0x54 || b[i] == 0x74 || b[i] == 0x20 else { return nil }
    i += 1
    guard let hour = number(2), expect(0x3A), let minute = number(2) else { return nil }
    var second: Int64 = 0
    if expect(0x3A) {
        guard let s = number(2) else { return nil }
        second = s
    }
    var fraction: TimeInterval = 0
    if expect(0x2E) {
        var digits = 0
        var value: Int64 = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            if digits < 9 {  // nanoseconds; further digits cannot matter to a Date
                value = value * 10 + Int64(b[i] - 0x30)
                digits += 1
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        fraction = TimeInterval(value) / TimeInterval(scale)
    }
    var offset: Int64 = 0
    guard i < b.count else { return nil }
    if b[i] == 0x5A || b[i] == 0x7A {  // Z / z
        i += 1
    } else if b[i] == 0x2B || b[i] == 0x2D {  // + / -
        let negative = b[i] == 0x2D
        i += 1
        guard let oh = number(2) else { return nil }
        _ = expect(0x3A)
        guard let om = number(2), oh <= 23, om <= 59 else { return nil }
        offset = (oh * 3600 + om * 60) * (negative ? -1 : 1)
    } else {
        return nil
    }
    guard i == b.count, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
          hour <= 23, minute <= 59, second <= 60 else { return nil }
    let days = daysFromCivil(year, month, day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
    return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
}

// Proleptic Gregorian calendar arithmetic (H. Hinnant's `days_from_civil` /
// `civil_from_days`): exact, no Calendar or TimeZone involved.

private func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

private func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
}

private func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
    switch month {
    case 2:
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return leap ? 29 : 28
    case 4, 6, 9, 11:
        return 30
    default:
        return 31
    }
}

private func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
    var q = a / b
    var r = a % b
    if r < 0 {
        q -= 1
        r += b
    }
    return (q, r)
}

private func pad(_ n: Int64, _ width: Int) -> String {
    let digits = String(n.magnitude)
    let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
    return n < 0 ? "-" + padded : padded
}
