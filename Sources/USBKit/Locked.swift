import Foundation

/// A value behind a lock: the only way USBKit shares mutable state between threads.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

extension Duration {
    /// The duration in whole milliseconds as libusb timeouts want them, rounded up and clamped;
    /// nil for zero or negative durations (libusb would read 0 as "wait forever").
    var libusbTimeoutMilliseconds: UInt32? {
        let (seconds, attoseconds) = components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return nil }
        let wholeMilliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !wholeMilliseconds.overflow else { return UInt32.max }
        let extra = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        let total = wholeMilliseconds.partialValue + extra
        return total >= Int64(UInt32.max) ? UInt32.max : UInt32(max(1, total))
    }
}
