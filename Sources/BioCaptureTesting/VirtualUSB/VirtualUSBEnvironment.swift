import Foundation

/// Whether the umockdev emulation is available to this process, and what a test should do
/// when it is not.
///
/// BioCaptureTesting does not depend on XCTest, so `requireEmulation()` throws a
/// `VirtualUSBUnavailable` error and the test turns it into a skip or a failure:
///
/// ```swift
/// do { try VirtualUSB.requireEmulation() } catch let unavailable {
///     if unavailable.mustFail { XCTFail(unavailable.description); throw unavailable }
///     throw XCTSkip(unavailable.description)
/// }
/// ```
public enum VirtualUSB {
    /// True when `LD_PRELOAD` contains umockdev's preload library (`umockdev-wrapper` or
    /// `umockdev-run`). Deliberately not `umockdev_in_mock_environment()`: before a testbed
    /// exists that stats the real `/sys` and caches the wrong answer.
    public static var isEmulationActive: Bool {
        ProcessInfo.processInfo.environment["LD_PRELOAD"]?.contains("libumockdev-preload") ?? false
    }

    /// True when the environment variable `CI` is `true`: device tests must then fail, not skip,
    /// so CI cannot pass by skipping them.
    public static var isContinuousIntegration: Bool {
        ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true"
    }

    /// What a device test should do now.
    public enum Requirement: Sendable, Hashable {
        /// The emulation is active: run the test.
        case satisfied
        /// Not active on a developer machine: skip with this reason.
        case skip(reason: String)
        /// Not active under `CI=true`: fail with this reason.
        case fail(reason: String)
    }

    public static let unavailableReason =
        "the umockdev emulation is not active: run under umockdev-wrapper (e.g. `umockdev-wrapper swift test`)"

    /// The requirement for the current process.
    public static var requirement: Requirement {
        if isEmulationActive { return .satisfied }
        return isContinuousIntegration ? .fail(reason: unavailableReason + " (CI=true: failing instead of skipping)")
            : .skip(reason: unavailableReason)
    }

    /// Returns when the emulation is active; otherwise throws `VirtualUSBUnavailable` whose
    /// `mustFail` is true under `CI=true` (the test must fail) and false otherwise (skip).
    public static func requireEmulation() throws(VirtualUSBUnavailable) {
        switch requirement {
        case .satisfied: return
        case .skip(let reason): throw VirtualUSBUnavailable(reason: reason, mustFail: false)
        case .fail(let reason): throw VirtualUSBUnavailable(reason: reason, mustFail: true)
        }
    }
}

/// Thrown by `VirtualUSB.requireEmulation()` when the emulation is not active.
public struct VirtualUSBUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    /// True under `CI=true`: report a failure, not a skip.
    public var mustFail: Bool
    public var description: String { reason }
}
