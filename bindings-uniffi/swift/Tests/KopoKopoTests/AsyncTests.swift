import Foundation
import XCTest
@testable import KopoKopo

/// The `…Async` twins never block a thread of Swift concurrency: the call runs
/// on a thread of the library's own and the task is resumed when it is done.
///
/// The mirror of the Kotlin test that makes 50 coroutine pushes on a
/// single-threaded dispatcher while a ticker keeps ticking. Every request is
/// held `delayMs` by `k2 mock`; were `createAsync` to block its thread, the 50
/// calls would occupy the cooperative pool (a handful of threads) or the main
/// actor for several delays in a row, and the ticker would stall for at least
/// one whole delay.
final class AsyncTests: XCTestCase {
    let calls = 50
    let delayMs = 300
    /// Half of `delayMs` (as in the Kotlin test): a blocked thread shows as a gap
    /// of a whole delay.
    let maxTickGap: TimeInterval = 0.15

    /// Times of the ticks, from any thread.
    final class Ticks: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [TimeInterval] = []

        func tick() {
            lock.lock()
            times.append(ProcessInfo.processInfo.systemUptime)
            lock.unlock()
        }

        /// The longest time without a tick between `start` and `end`.
        func maxGap(from start: TimeInterval, to end: TimeInterval) -> TimeInterval {
            lock.lock()
            defer { lock.unlock() }
            var last = start
            var gap: TimeInterval = 0
            for t in times where t > start && t <= end {
                gap = max(gap, t - last)
                last = t
            }
            return max(gap, end - last)
        }

        var count: Int {
            lock.lock()
            defer { lock.unlock() }
            return times.count
        }
    }

    func request(_ i: Int) -> IncomingPaymentRequest {
        IncomingPaymentRequest(tillNumber: "K000000", phoneNumber: "0712345678", amount: Decimal(100 + i),
                               callbackUrl: "https://example.com/k2/results/\(i)")
    }

    /// A mock whose next `calls` incoming-payment requests each take `delayMs`,
    /// and a client that already holds its token.
    func delayedMock() async throws -> (K2Mock, KopoKopoClient) {
        let mock = try K2Mock()
        let client = try Shared.client(mock)
        _ = try await client.tokens.infoAsync()  // fetches and caches the token
        try mock.fault("delay", count: calls, path: "/api/v2/incoming_payments", delayMs: delayMs)
        return (mock, client)
    }

    /// 50 concurrent `createAsync` in a `TaskGroup` on the cooperative pool,
    /// while a ticker task on the same pool keeps ticking.
    func testConcurrentCreateAsyncLeavesTheCooperativePoolFree() async throws {
        let (mock, client) = try await delayedMock()
        defer { mock.stop() }
        let payments = client.incomingPayments
        let ticks = Ticks()
        let ticker = Task.detached {
            while !Task.isCancelled {
                ticks.tick()
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
        }
        let start = ProcessInfo.processInfo.systemUptime
        let ids = try await withThrowingTaskGroup(of: String.self, returning: [String].self) { group in
            for i in 0..<calls {
                let req = request(i)
                group.addTask { try await payments.createAsync(request: req).id }
            }
            var ids: [String] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        let end = ProcessInfo.processInfo.systemUptime
        ticker.cancel()

        XCTAssertEqual(ids.count, calls)
        XCTAssertEqual(Set(ids).count, calls, "every call created its own payment")
        let elapsed = end - start
        let delay = TimeInterval(delayMs) / 1000
        XCTAssertGreaterThanOrEqual(elapsed, delay, "the mock held every request")
        // Concurrent: about one delay, far from 50 in a row (the Kotlin test's bound).
        XCTAssertLessThan(elapsed, delay * Double(calls) / 3, "the calls ran one after another: \(elapsed) s")
        let gap = ticks.maxGap(from: start, to: end)
        XCTAssertLessThan(gap, maxTickGap, "the ticker stalled for \(gap) s: a cooperative thread was blocked")
        XCTAssertGreaterThan(ticks.count, 10)
        let counters = try mock.requestCounters()
        XCTAssertEqual((counters["POST /api/v2/incoming_payments"] as? NSNumber)?.intValue, calls)

        // The status twin as well.
        let status = try await payments.statusAsync(idOrLocation: ids[0])
        XCTAssertEqual(status.id, ids[0])
    }

    /// The single-threaded case: 50 calls started from the main actor and
    /// awaited there, while a main-actor ticker keeps ticking. Were a call to
    /// block its caller, the main thread would be stuck and the ticker with it.
    @MainActor
    func testCreateAsyncFromTheMainActorNeverBlocksIt() async throws {
        let (mock, client) = try await delayedMock()
        defer { mock.stop() }
        let payments = client.incomingPayments
        let ticks = Ticks()
        let ticker = Task { @MainActor in
            while !Task.isCancelled {
                ticks.tick()
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
        }
        let start = ProcessInfo.processInfo.systemUptime
        var tasks: [Task<Created, Error>] = []
        for i in 0..<calls {
            let req = request(i)
            tasks.append(Task { @MainActor in try await payments.createAsync(request: req) })
        }
        var created: [Created] = []
        for t in tasks { created.append(try await t.value) }
        let end = ProcessInfo.processInfo.systemUptime
        ticker.cancel()

        XCTAssertEqual(Set(created.map(\.id)).count, calls)
        let delay = TimeInterval(delayMs) / 1000
        XCTAssertLessThan(end - start, delay * Double(calls) / 3, "the calls ran one after another: \(end - start) s")
        let gap = ticks.maxGap(from: start, to: end)
        XCTAssertLessThan(gap, maxTickGap, "the main actor was blocked for \(gap) s")
        XCTAssertGreaterThan(ticks.count, 10)
    }

    /// Cancelling the task drops the call's future; the library stays usable.
    func testCancelledCallLeavesTheClientUsable() async throws {
        let (mock, client) = try await delayedMock()
        defer { mock.stop() }
        let payments = client.incomingPayments
        let req = request(0)
        let task = Task { try await payments.createAsync(request: req) }
        try await Task.sleep(nanoseconds: 50_000_000)
        task.cancel()
        _ = try? await task.value
        let status = try await payments.statusAsync(idOrLocation: (try await payments.createAsync(request: request(1))).id)
        XCTAssertFalse(status.id.isEmpty)
    }
}
