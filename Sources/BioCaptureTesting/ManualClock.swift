import BioCapture
import Foundation

/// A `CaptureClock` that only moves when the test says so: `advance(by:)` moves time forward
/// and resumes every sleeper whose deadline has been reached, in deadline order.
///
/// Sleeping honours task cancellation (throws `CancellationError`). `sleeperCount` lets a test
/// wait until the code under test has gone to sleep before advancing.
public final class ManualClock: CaptureClock, @unchecked Sendable {
    private struct Sleeper {
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    // Guarded by `lock`.
    private var current: Duration
    private var wallClockOrigin: Date
    private var sleepers: [UInt64: Sleeper] = [:]
    private var nextSleeperID: UInt64 = 0
    /// Sleepers whose task was cancelled before they registered.
    private var cancelledEarly: Set<UInt64> = []

    /// - Parameters:
    ///   - start: the initial monotonic time.
    ///   - wallClock: the wall-clock time at `start`.
    public init(start: Duration = .zero, wallClock: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = start
        wallClockOrigin = wallClock
    }

    public func now() -> Duration {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func wallClock() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return wallClockOrigin.addingTimeInterval(Self.seconds(current))
    }

    /// Makes the wall clock jump (e.g. an NTP correction or an RTC reset) without moving monotonic time.
    public func setWallClock(_ date: Date) {
        lock.lock()
        wallClockOrigin = date.addingTimeInterval(-Self.seconds(current))
        lock.unlock()
    }

    /// How many tasks are sleeping on this clock now.
    public var sleeperCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return sleepers.count
    }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let id: UInt64 = lock.withLock {
            nextSleeperID += 1
            return nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if cancelledEarly.remove(id) != nil {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                let deadline = current + max(duration, .zero)
                if duration <= .zero {
                    lock.unlock()
                    continuation.resume()
                    return
                }
                sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            let sleeper = sleepers.removeValue(forKey: id)
            if sleeper == nil { cancelledEarly.insert(id) }
            lock.unlock()
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and resumes the sleepers whose deadline is now reached.
    public func advance(by duration: Duration) {
        lock.lock()
        current += max(duration, .zero)
        let due = sleepers.filter { $0.value.deadline <= current }.sorted { $0.value.deadline < $1.value.deadline }
        for (id, _) in due { sleepers.removeValue(forKey: id) }
        lock.unlock()
        for (_, sleeper) in due { sleeper.continuation.resume() }
    }

    /// Polls (with real, short sleeps) until at least `count` tasks sleep on this clock or
    /// `timeout` of real time has passed; returns whether they did.
    @discardableResult
    public func waitForSleepers(_ count: Int = 1, timeout: Duration = .seconds(2)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while sleeperCount < count {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return true
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
