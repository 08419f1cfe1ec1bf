import BioCaptureTesting
import USBKit
import XCTest

final class HotplugTests: VirtualUSBTestCase {
    func testArrivalAndRemovalWhileRunning() async throws {
        let collector = HotplugCollector(try context.hotplugEvents(vendorID: ScriptedUSBDevice.vendorID))
        let second = try testbed.add(ScriptedUSBDevice(productID: 0x0002, serialNumber: "VUSB-0002"))
        let arrived = await collector.wait(for: 1).first
        XCTAssertEqual(collector.events.count, 1, "the device present before registration is not reported")
        XCTAssertEqual(arrived?.kind, .arrived)
        XCTAssertEqual(arrived?.device.productID, 0x0002)
        XCTAssertEqual(arrived?.device.deviceAddress, second.deviceAddress)
        XCTAssertEqual(arrived?.device.descriptors.configurations.first?.interfaces.count, 2)

        let handle = try await context.open(XCTUnwrap(arrived?.device))
        let serial = try await handle.stringDescriptor(index: 3, timeout: timeout)
        XCTAssertEqual(serial, "VUSB-0002", "the arrived device is usable at once")
        await handle.close()

        testbed.unplug(second)
        let left = await collector.wait(for: 2).dropFirst().first
        XCTAssertEqual(left?.kind, .left)
        XCTAssertEqual(left?.device.productID, 0x0002)
        let remaining = try await context.devices().filter { $0.vendorID == ScriptedUSBDevice.vendorID }
        XCTAssertEqual(remaining.map(\.productID), [ScriptedUSBDevice.productID])
    }

    func testFilterByProductIgnoresOtherDevices() async throws {
        let collector = HotplugCollector(try context.hotplugEvents(vendorID: ScriptedUSBDevice.vendorID, productID: 0x0003))
        try testbed.add(ScriptedUSBDevice(productID: 0x0002))
        try testbed.add(ScriptedUSBDevice(productID: 0x0003))
        let events = await collector.wait(for: 1)
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(collector.events.count, 1)
        XCTAssertEqual(events.first?.kind, .arrived)
        XCTAssertEqual(events.first?.device.productID, 0x0003, "the 0x0002 arrival was filtered out")
    }

    func testClosingTheContextFinishesTheStream() async throws {
        let events = try context.hotplugEvents()
        let consumer = Task {
            var count = 0
            for await _ in events { count += 1 }
            return count
        }
        await context.close()
        let count = await consumer.value
        XCTAssertEqual(count, 0)
    }

}

/// Collects a stream's events on its own task, so a test can wait for them with a deadline.
final class HotplugCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [USBHotplugEvent] = []
    private var consumer: Task<Void, Never>?

    init(_ events: AsyncStream<USBHotplugEvent>) {
        consumer = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                self.lock.withLock { self.received.append(event) }
            }
        }
    }

    deinit { consumer?.cancel() }

    var events: [USBHotplugEvent] { lock.withLock { received } }

    /// Waits (real time, at most two seconds) until `count` events have arrived; returns them.
    func wait(for count: Int) async -> [USBHotplugEvent] {
        let deadline = ContinuousClock.now + .seconds(2)
        while events.count < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
        return events
    }
}
