import BioCaptureTesting
import Logging
import USBKit
import XCTest

/// Base for tests that drive USBKit against a `VirtualUSBTestbed`.
///
/// Without the umockdev preload the tests skip, except under `CI=true` where they fail. Run
/// them with `umockdev-wrapper swift test --filter USBKitTests`.
class VirtualUSBTestCase: XCTestCase {
    var testbed: VirtualUSBTestbed!
    var context: USBContext!
    var model: ScriptedUSBDevice!
    var device: VirtualUSBDevice!

    let timeout: Duration = .seconds(2)

    /// Skips (or fails under CI=true) when the emulation is not active.
    static func requireVirtualUSB() throws {
        do {
            try VirtualUSB.requireEmulation()
        } catch {
            if error.mustFail {
                XCTFail(error.description)
                throw error
            }
            throw XCTSkip(error.description)
        }
    }

    override func setUp() async throws {
        try await super.setUp()
        try Self.requireVirtualUSB()
        testbed = try VirtualUSBTestbed()
        model = ScriptedUSBDevice(registers: [0x10: [0xCA, 0xFE]])
        device = try testbed.add(model)
        context = try USBContext(logger: Logger(label: "USBKitTests"))
    }

    override func tearDown() async throws {
        if let context { await context.close() }
        context = nil
        testbed?.close()
        testbed = nil
        model = nil
        device = nil
        try await super.tearDown()
    }

    /// Opens the scripted device and claims interface 0.
    func openScripted() async throws -> USBDeviceHandle {
        let handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: ScriptedUSBDevice.productID)
        try await handle.claimInterface(0)
        return handle
    }

    /// Polls `condition` (real time) until it holds or two seconds pass.
    func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(2)
        while !condition() {
            if ContinuousClock.now >= deadline {
                XCTFail("timed out waiting until \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
