import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest
@testable import KopoKopo

/// Where the repository and `k2` are.
enum Env {
    /// swift/Tests/KopoKopoTests/Support.swift -> repository root.
    static let repoRoot: URL = {
        var u = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { u.deleteLastPathComponent() }
        return u
    }()

    static var k2: URL {
        let env = ProcessInfo.processInfo.environment
        if let bin = env["K2_BIN"], !bin.isEmpty { return URL(fileURLWithPath: bin) }
        let target = env["CARGO_TARGET_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? repoRoot.appendingPathComponent("target")
        return target.appendingPathComponent("debug/k2")
    }

    static let clientId = "k2-mock-client-id"
    static let clientSecret = "k2-mock-client-secret"
    static let apiKey = "k2-mock-api-key"

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: repoRoot.appendingPathComponent("tests/fixtures/\(name)"))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Synchronous HTTP for the mock's admin endpoints.
func httpJSON(_ method: String, _ url: String, body: [String: Any]? = nil) throws -> [String: Any] {
    var req = URLRequest(url: URL(string: url)!)
    req.httpMethod = method
    if let body = body {
        req.httpBody = try JSONSerialization.data(withJSONObject: body)
        req.setValue("application/json", forHTTPHeaderField: "content-type")
    }
    let done = DispatchSemaphore(value: 0)
    var out: Result<Data, Error> = .failure(TestFailure("no answer"))
    URLSession.shared.dataTask(with: req) { data, _, error in
        if let error = error { out = .failure(error) } else { out = .success(data ?? Data()) }
        done.signal()
    }.resume()
    _ = done.wait(timeout: .now() + 10)
    let data = try out.get()
    return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
}

/// `k2 mock` on a free port; the base URL is the first line of its stdout.
final class K2Mock {
    let process = Process()
    let baseUrl: String

    init(_ extraArgs: [String] = ["--callback-delay-ms", "50"]) throws {
        guard FileManager.default.isExecutableFile(atPath: Env.k2.path) else {
            throw TestFailure("k2 not found at \(Env.k2.path): run `cargo build -p kopokopo-mock` (or set K2_BIN)")
        }
        let out = Pipe()
        process.executableURL = Env.k2
        process.arguments = ["mock", "--port", "0"] + extraArgs
        process.standardOutput = out
        try process.run()
        var line = Data()
        let handle = out.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let first = String(decoding: line, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard first.hasPrefix("http://127.0.0.1:") else { throw TestFailure("unexpected first line from k2 mock: \(first)") }
        baseUrl = first.trimmingCharacters(in: .whitespaces)
    }

    @discardableResult
    func admin(_ path: String, _ body: [String: Any] = [:]) throws -> [String: Any] {
        try httpJSON("POST", "\(baseUrl)/__admin/\(path)", body: body)
    }

    func fault(_ mode: String, count: Int = 1, path: String? = nil, retryAfter: Int? = nil, delayMs: Int? = nil) throws {
        var body: [String: Any] = ["mode": mode, "count": count]
        if let path = path { body["path"] = path }
        if let r = retryAfter { body["retry_after"] = r }
        if let d = delayMs { body["delay_ms"] = d }
        try admin("faults", body)
    }

    func requestCounters() throws -> [String: Any] {
        try httpJSON("GET", "\(baseUrl)/__admin/counters")["requests"] as? [String: Any] ?? [:]
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }

    deinit { stop() }
}

/// One POST received by `Receiver`.
struct Delivery {
    let path: String
    let body: Data
    let signature: String?
}

/// A loopback HTTP/1.1 server (POSIX sockets) recording deliveries by path.
final class Receiver {
    private let fd: Int32
    let port: UInt16
    private let lock = NSLock()
    private var deliveries: [String: [Delivery]] = [:]

    init() throws {
        #if os(Linux)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { throw TestFailure("bind/listen failed") }
        var actual = sockaddr_in()
        var len = size
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: actual.sin_port)
        let listener = fd
        Thread.detachNewThread { [unowned self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                self.serve(client)
            }
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var data = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Range<Data.Index>?
        var contentLength = 0
        while true {
            let n = read(client, &buf, buf.count)
            if n <= 0 { break }
            data.append(contentsOf: buf[0..<n])
            if headerEnd == nil, let r = data.range(of: Data("\r\n\r\n".utf8)) {
                headerEnd = r
                let head = String(decoding: data[..<r.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n") {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        contentLength = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
            if let r = headerEnd, data.count - r.upperBound >= contentLength { break }
        }
        guard let r = headerEnd else { return }
        let head = String(decoding: data[..<r.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n").map(String.init)
        let requestLine = lines.first?.split(separator: " ") ?? []
        let path = requestLine.count > 1 ? String(requestLine[1]) : "/"
        var signature: String?
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "x-kopokopo-signature" {
                signature = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        let body = Data(data[r.upperBound...].prefix(contentLength))
        let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        _ = answer.withUnsafeBytes { write(client, $0.baseAddress, answer.count) }
        lock.lock()
        deliveries[path, default: []].append(Delivery(path: path, body: body, signature: signature))
        lock.unlock()
    }

    /// A fresh, unique URL on this receiver.
    func newUrl(_ prefix: String = "cb") -> String {
        "http://127.0.0.1:\(port)/\(prefix)/\(UUID().uuidString.lowercased())"
    }

    /// Waits for a delivery to `url`.
    func waitFor(_ url: String, timeout: TimeInterval = 10) throws -> Delivery {
        let path = URL(string: url)!.path
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            if var list = deliveries[path], !list.isEmpty {
                let d = list.removeFirst()
                deliveries[path] = list
                lock.unlock()
                return d
            }
            lock.unlock()
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw TestFailure("no delivery to \(path) within \(timeout) s")
    }
}

/// One mock and one receiver for the whole run.
enum Shared {
    static let mock: K2Mock = try! K2Mock()
    static let receiver: Receiver = try! Receiver()

    static func client(_ mock: K2Mock = Shared.mock, secret: String = Env.clientSecret,
                       maxRetries: Int32? = nil, timeout: TimeInterval? = nil) throws -> KopoKopoClient {
        try KopoKopoSDK.client(clientId: Env.clientId, clientSecret: secret, apiKey: Env.apiKey,
                               baseUrl: mock.baseUrl, timeout: timeout, maxRetries: maxRetries)
    }
}

/// Polls `fetch` until `done` holds (results arrive after the mock's callback delay).
func eventually<T>(timeout: TimeInterval = 10, _ fetch: () throws -> T, until done: (T) -> Bool) throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    var last = try fetch()
    while !done(last) {
        if Date() > deadline { throw TestFailure("condition not met in \(timeout) s; last: \(last)") }
        Thread.sleep(forTimeInterval: 0.05)
        last = try fetch()
    }
    return last
}

/// Runs `block`, expecting a `KopoKopoError` with the stable `code`.
@discardableResult
func expectError(_ code: String, file: StaticString = #filePath, line: UInt = #line,
                 _ block: () throws -> Void) -> KopoKopoError? {
    do {
        try block()
        XCTFail("expected \(code), nothing thrown", file: file, line: line)
        return nil
    } catch let e as KopoKopoError {
        XCTAssertEqual(e.code(), code, "\(e)", file: file, line: line)
        XCTAssertEqual(errorCode(error: e), code, "\(e)", file: file, line: line)
        return e
    } catch {
        XCTFail("expected KopoKopoError, got \(error)", file: file, line: line)
        return nil
    }
}

/// A decimal from its text (never through a `Double` literal).
func dec(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Decimal {
    guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        XCTFail("not a decimal: \(text)", file: file, line: line)
        return Decimal.nan
    }
    return d
}

/// A time from RFC 3339 text, through the package's own reader.
func rfc3339(_ text: String) -> Date { kopokopoDate(text) }

/// What a test wants to know of any webhook: an exhaustive `switch`, so a new
/// case of `WebhookEvent` fails to compile here until the tests know it.
struct EventSummary {
    let structure: String  // "k2" or "daraja"
    let resourceKind: String  // "transaction", "settlement_transfer", "customer", "daraja", "unknown"
    let transaction: Transaction?
    let settlementTransfer: SettlementTransfer?
    let customer: Customer?
    let daraja: DarajaEvent?
    let createdAt: Date?
    let amount: Decimal?
}

func summary(_ e: WebhookEvent) -> EventSummary {
    func k2(_ kind: String, createdAt: Date?, transaction: Transaction? = nil,
            settlement: SettlementTransfer? = nil, customer: Customer? = nil) -> EventSummary {
        EventSummary(structure: "k2", resourceKind: kind, transaction: transaction, settlementTransfer: settlement,
                     customer: customer, daraja: nil, createdAt: createdAt,
                     amount: transaction?.amount ?? settlement?.amount)
    }
    switch e {
    case let .buygoodsTransactionReceived(_, createdAt, _, resource, _),
         let .buygoodsTransactionReversed(_, createdAt, _, resource, _),
         let .b2bTransactionReceived(_, createdAt, _, resource, _),
         let .m2mTransactionReceived(_, createdAt, _, resource, _),
         let .b2bTransactionReversed(_, createdAt, _, resource, _),
         let .cardTransactionReceived(_, createdAt, _, resource, _),
         let .cardTransactionVoided(_, createdAt, _, resource, _),
         let .cardTransactionReversed(_, createdAt, _, resource, _):
        return k2("transaction", createdAt: createdAt, transaction: resource)
    case let .settlementTransferCompleted(_, createdAt, _, resource, _):
        return k2("settlement_transfer", createdAt: createdAt, settlement: resource)
    case let .customerCreated(_, createdAt, _, resource, _):
        return k2("customer", createdAt: createdAt, customer: resource)
    case let .daraja(_, event):
        return EventSummary(structure: "daraja", resourceKind: "daraja", transaction: nil, settlementTransfer: nil,
                            customer: nil, daraja: event, createdAt: event.transTime, amount: event.transAmount)
    case let .unknown(_, _, createdAt, _, _, _):
        return k2("unknown", createdAt: createdAt)
    }
}

/// The typed value of any result (exhaustive `switch`), by result type.
extension CallbackResult {
    var resultType: String {
        switch self {
        case .incomingPaymentResult: return "incoming_payment"
        case .sendMoneyResult: return "send_money"
        case .pollingResult: return "polling"
        case .smsNotificationResult: return "transaction_sms_notification"
        case .reversalResult: return "reversal"
        case .paymentLinkResult: return "payment_link"
        case let .unknown(resultType, _, _, _): return resultType
        }
    }

    var incomingPayment: IncomingPayment? {
        if case let .incomingPaymentResult(value) = self { return value }
        return nil
    }

    var sendMoney: SendMoney? {
        if case let .sendMoneyResult(value) = self { return value }
        return nil
    }

    var polling: Polling? {
        if case let .pollingResult(value) = self { return value }
        return nil
    }

    var smsNotification: SmsNotification? {
        if case let .smsNotificationResult(value) = self { return value }
        return nil
    }

    var reversal: Reversal? {
        if case let .reversalResult(value) = self { return value }
        return nil
    }

    var paymentLink: PaymentLink? {
        if case let .paymentLinkResult(value) = self { return value }
        return nil
    }
}
