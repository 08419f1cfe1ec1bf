import BioCapture
import BioCaptureTesting
import USBDescriptors
import USBKit
import XCTest

/// The test-support pieces themselves: descriptor serializer, environment rules, manual clock,
/// power-loss emulation.
final class VirtualUSBSupportTests: XCTestCase {
    /// The example device of the umockdev facts (VID 0x1209, bulk 0x81/0x01, interrupt 0x82).
    func testSerializerReproducesTheKnownDescriptorBytes() {
        let model = USBDeviceDescriptors(
            device: USBDeviceDescriptor(
                usbVersion: USBBCDVersion(rawValue: 0x0200), deviceClass: 0, deviceSubClass: 0, deviceProtocol: 0,
                maxPacketSize0: 64, vendorID: 0x1209, productID: 0x0001, deviceVersion: USBBCDVersion(rawValue: 0x0100),
                manufacturerStringIndex: 1, productStringIndex: 2, serialNumberStringIndex: 3, numConfigurations: 1),
            configurations: [
                USBConfigurationDescriptor(
                    totalLength: 39, configurationValue: 1, configurationStringIndex: 0, attributes: 0x80, maxPower: 0x32,
                    interfaces: [
                        USBInterface(number: 0, alternateSettings: [
                            USBInterfaceDescriptor(
                                interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0xFF, interfaceSubClass: 0,
                                interfaceProtocol: 0, interfaceStringIndex: 0,
                                endpoints: [
                                    USBEndpointDescriptor(address: 0x81, attributes: 0x02, maxPacketSizeField: 64, interval: 0),
                                    USBEndpointDescriptor(address: 0x01, attributes: 0x02, maxPacketSizeField: 64, interval: 0),
                                    USBEndpointDescriptor(address: 0x82, attributes: 0x03, maxPacketSizeField: 8, interval: 10),
                                ]),
                        ]),
                    ]),
            ])
        let expected = "1201000200000040091201000001010203010902270001010080320904000003FF00000007058102400000070501024000000705820308000A"
        let hex = USBDescriptorSerializer.sysfsBytes(of: model).map { String(format: "%02X", $0) }.joined()
        XCTAssertEqual(hex, expected)
    }

    func testSerializerComputesCountsAndKeepsExtraBytesInWireOrder() {
        let configuration = USBConfigurationDescriptor(
            totalLength: 0, configurationValue: 2, configurationStringIndex: 4, attributes: 0xC0, maxPower: 1,
            interfaces: [
                USBInterface(number: 0, alternateSettings: [
                    USBInterfaceDescriptor(
                        interfaceNumber: 0, alternateSetting: 0, interfaceClass: 3, interfaceSubClass: 0,
                        interfaceProtocol: 0, interfaceStringIndex: 0,
                        endpoints: [USBEndpointDescriptor(address: 0x81, attributes: 3, maxPacketSizeField: 0x1008, interval: 1, extra: [6, 0x30, 0, 0, 0, 0])],
                        extra: [9, 0x21, 0x11, 0x01, 0, 1, 0x22, 0x40, 0]),
                ]),
            ],
            extra: [8, 0x0B, 0, 1, 3, 0, 0, 0])
        let bytes = USBDescriptorSerializer.bytes(of: configuration)
        XCTAssertEqual(bytes.count, 9 + 8 + 9 + 9 + 7 + 6)
        XCTAssertEqual(Array(bytes[0..<9]), [9, 2, UInt8(bytes.count), 0, 1, 2, 4, 0xC0, 1])
        XCTAssertEqual(Array(bytes[9..<17]), [8, 0x0B, 0, 1, 3, 0, 0, 0], "configuration extra right after the header")
        XCTAssertEqual(Array(bytes[17..<26]), [9, 4, 0, 0, 1, 3, 0, 0, 0], "bNumEndpoints computed")
        XCTAssertEqual(Array(bytes[26..<35]), [9, 0x21, 0x11, 0x01, 0, 1, 0x22, 0x40, 0], "interface extra before endpoints")
        XCTAssertEqual(Array(bytes[35..<42]), [7, 5, 0x81, 3, 0x08, 0x10, 1])
        XCTAssertEqual(Array(bytes[42...]), [6, 0x30, 0, 0, 0, 0])
        XCTAssertEqual(USBDescriptorSerializer.stringDescriptor("Aé"), [6, 3, 0x41, 0, 0xE9, 0])
        XCTAssertEqual(USBDescriptorSerializer.languageDescriptor([0x0409]), [4, 3, 0x09, 0x04])
    }

    func testManualClockResumesSleepersInDeadlineOrder() async throws {
        let clock = ManualClock()
        let order = OrderLog()
        let long = Task {
            try await clock.sleep(for: .seconds(5))
            order.append("long")
        }
        let short = Task {
            try await clock.sleep(for: .seconds(1))
            order.append("short")
        }
        let ready = await clock.waitForSleepers(2)
        XCTAssertTrue(ready)
        clock.advance(by: .milliseconds(999))
        XCTAssertEqual(clock.sleeperCount, 2, "nobody is due yet")
        clock.advance(by: .milliseconds(1))
        try await short.value
        XCTAssertEqual(order.entries, ["short"])
        XCTAssertEqual(clock.now(), .seconds(1))
        clock.advance(by: .seconds(10))
        try await long.value
        XCTAssertEqual(order.entries, ["short", "long"])
        let wallBefore = clock.wallClock()
        clock.advance(by: .seconds(2))
        XCTAssertEqual(clock.wallClock().timeIntervalSince(wallBefore), 2, accuracy: 1e-9)
    }

    func testManualClockSleepIsCancellable() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        _ = await clock.waitForSleepers(1)
        sleeper.cancel()
        do {
            try await sleeper.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError)
        }
        XCTAssertEqual(clock.sleeperCount, 0)
    }

    func testManualClockDrivesDeadlines() async throws {
        let clock = ManualClock()
        let waiting = Task {
            try await clock.withDeadline(.seconds(3), fault: CaptureFault(.timeout, device: nil)) {
                try await clock.sleep(for: .seconds(10))
                return 1
            }
        }
        _ = await clock.waitForSleepers(2)
        clock.advance(by: .seconds(3))
        do {
            _ = try await waiting.value
            XCTFail("the deadline must strike first")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .timeout)
        }
    }

    func testEmulationRequirementFollowsTheEnvironment() {
        switch VirtualUSB.requirement {
        case .satisfied:
            XCTAssertTrue(VirtualUSB.isEmulationActive)
            XCTAssertNoThrow(try VirtualUSB.requireEmulation())
        case .skip(let reason):
            XCTAssertFalse(VirtualUSB.isEmulationActive)
            XCTAssertFalse(VirtualUSB.isContinuousIntegration)
            XCTAssertTrue(reason.contains("umockdev-wrapper"))
        case .fail(let reason):
            XCTAssertFalse(VirtualUSB.isEmulationActive)
            XCTAssertTrue(VirtualUSB.isContinuousIntegration)
            XCTAssertTrue(reason.contains("CI=true"))
        }
    }

    func testPowerLossReEnumeratesTheDevice() async throws {
        try VirtualUSBTestCase.requireVirtualUSB()
        let testbed = try VirtualUSBTestbed()
        defer { testbed.close() }
        testbed.replugDelay = .milliseconds(50)
        try await powerLossScenario(testbed)
    }

    /// Separate so the libusb context is gone before the testbed closes.
    private func powerLossScenario(_ testbed: VirtualUSBTestbed) async throws {
        let model = ScriptedUSBDevice()
        let original = try testbed.add(model, kernelDrivers: [1: "usbhid"])
        let context = try USBContext()
        let collector = HotplugCollector(try context.hotplugEvents(vendorID: ScriptedUSBDevice.vendorID))
        let handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: ScriptedUSBDevice.productID)
        try await handle.claimInterface(0)
        original.setFaultPlan(try FaultPlan(parsing: ["fingerprint:power-loss@1"]))
        do {
            try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [1], timeout: .seconds(1))
            XCTFail("power went away")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .noDevice)
        }
        await handle.close()
        let events = await collector.wait(for: 2)
        XCTAssertEqual(events.map(\.kind), [.left, .arrived])
        let replugged = try XCTUnwrap(testbed.devices.first)
        XCTAssertTrue(replugged.model === model)
        XCTAssertNotEqual(replugged.deviceAddress, original.deviceAddress)
        XCTAssertEqual(replugged.kernelDriver(interface: 1), "usbhid")
        let reopened = try await context.open(XCTUnwrap(events.last?.device))
        try await reopened.claimInterface(0)
        let written = try await reopened.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [1, 2], timeout: .seconds(1))
        XCTAssertEqual(written, 2)
        await reopened.close()
        await context.close()
    }
}

final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func append(_ value: String) { lock.withLock { values.append(value) } }
    var entries: [String] { lock.withLock { values } }
}
