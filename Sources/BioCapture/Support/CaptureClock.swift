import Foundation

/// Time as drivers and the orchestrator see it; injected so tests control it.
public protocol CaptureClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Wall-clock time (for timestamps and clock-jump detection).
    func wallClock() -> Date
    /// Sleeps; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clocks.
public struct SystemCaptureClock: CaptureClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }
    public func wallClock() -> Date { Date() }
    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

extension CaptureClock {
    /// Runs `operation` and fails with a timeout fault when it has not finished by `deadline`.
    /// The operation is cancelled at the deadline.
    public func withDeadline<T: Sendable>(
        _ deadline: Duration,
        fault: @autoclosure @Sendable () -> CaptureFault,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await self.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw fault() }
            guard let value = first else { throw fault() }
            return value
        }
    }
}
