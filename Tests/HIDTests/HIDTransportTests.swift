import BioCapture
import Foundation
import USBDescriptors
import XCTest
@testable import HID

/// A tiny in-memory transport: answers control requests from a table keyed by the SETUP packet,
/// serves queued interrupt-IN packets, and records everything it was asked.
final class FakeHIDTransport: USBTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var _controls: [(USBControlSetup, [UInt8])] = []
    private var _interruptReads: [(UInt8, Int)] = []
    private var interruptQueue: [[UInt8]]
    private let answers: [USBControlSetup: Result<[UInt8], TransportError>]

    let descriptors: USBDeviceDescriptors
    let location = USBDeviceLocation(busNumber: 1, deviceAddress: 4, portPath: [2], speed: .full)

    init(interface: USBInterfaceDescriptor, answers: [USBControlSetup: Result<[UInt8], TransportError>], interrupt: [[UInt8]] = []) {
        self.answers = answers
        self.interruptQueue = interrupt
        let device = USBDeviceDescriptor(
            usbVersion: USBBCDVersion(rawValue: 0x0200), deviceClass: 0, deviceSubClass: 0, deviceProtocol: 0,
            maxPacketSize0: 64, vendorID: 0x256C, productID: 0x5101, deviceVersion: USBBCDVersion(rawValue: 0x0100),
            manufacturerStringIndex: 0, productStringIndex: 0, serialNumberStringIndex: 0, numConfigurations: 1)
        let configuration = USBConfigurationDescriptor(
            totalLength: 34, configurationValue: 1, configurationStringIndex: 0, attributes: 0x80, maxPower: 50,
            interfaces: [USBInterface(number: interface.interfaceNumber, alternateSettings: [interface])])
        descriptors = USBDeviceDescriptors(device: device, configurations: [configuration])
    }

    var controls: [(USBControlSetup, [UInt8])] { lock.withLock { _controls } }
    var interruptReads: [(UInt8, Int)] { lock.withLock { _interruptReads } }

    func control(_ setup: USBControlSetup, data: [UInt8], timeout: Duration) async throws -> [UInt8] {
        lock.withLock { _controls.append((setup, data)) }
        guard let answer = answers[setup] else { throw TransportError(.pipe, operation: "control") }
        let bytes = try answer.get()
        return setup.isDeviceToHost ? Array(bytes.prefix(Int(setup.length))) : []
    }

    func interruptIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        try lock.withLock {
            _interruptReads.append((endpoint, length))
            guard !interruptQueue.isEmpty else { throw TransportError(.timeout, operation: "interrupt IN") }
            return Array(interruptQueue.removeFirst().prefix(length))
        }
    }

    func open() async throws {}
    func close() async {}
    func stringDescriptor(index: UInt8) async throws -> String? { nil }
    func setConfiguration(_ value: UInt8) async throws {}
    func claimInterface(_ number: UInt8) async throws {}
    func releaseInterface(_ number: UInt8) async throws {}
    func setAlternateSetting(interface: UInt8, alternateSetting: UInt8) async throws {}
    func clearHalt(endpoint: UInt8) async throws {}
    func reset() async throws {}
    func kernelDriver(interface: UInt8) async throws -> String? { "usbhid" }
    func bulkIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] { throw TransportError(.notSupported) }
    func bulkOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int { throw TransportError(.notSupported) }
    func interruptOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int { data.count }
    func isochronousIn(endpoint: UInt8, packets: Int, packetLength: Int, timeout: Duration) async throws -> [USBIsochronousPacket] {
        throw TransportError(.notSupported)
    }
}

final class HIDTransportTests: XCTestCase {
    /// A minimal pen: report ID 2, tip + in range bits, X/Y 16 bits, pressure 10 bits.
    let descriptor: [UInt8] = [
        0x05, 0x0D, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02, 0x09, 0x20, 0xA1, 0x00,
        0x09, 0x42, 0x09, 0x32, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x02, 0x81, 0x02, 0x95, 0x06, 0x81, 0x03,
        0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x26, 0xFF, 0x7F, 0x75, 0x10, 0x95, 0x02, 0x81, 0x02,
        0x05, 0x0D, 0x09, 0x30, 0x26, 0xFF, 0x03, 0x75, 0x10, 0x95, 0x01, 0x81, 0x02,
        0xC0,
        0x85, 0x05, 0x09, 0x01, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x03, 0xB1, 0x02,
        0xC0,
    ]

    func interface(extra: [UInt8]) -> USBInterfaceDescriptor {
        USBInterfaceDescriptor(
            interfaceNumber: 1, alternateSetting: 0, interfaceClass: 3, interfaceSubClass: 1, interfaceProtocol: 2,
            interfaceStringIndex: 0,
            endpoints: [USBEndpointDescriptor(address: 0x83, attributes: 0x03, maxPacketSizeField: 16, interval: 2)],
            extra: extra)
    }

    /// bLength 9, type 0x21, bcdHID 1.11, country 0, one report descriptor of `length` bytes.
    func hidDescriptor(length: Int) -> [UInt8] {
        [0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, UInt8(length & 0xFF), UInt8(length >> 8)]
    }

    func testClassDescriptorParsing() throws {
        let parsed = try HIDClassDescriptor(interfaceExtra: [0x05, 0x24, 0, 0, 0] + hidDescriptor(length: 0x1F3))
        XCTAssertEqual(parsed.hidVersion, 0x0111)
        XCTAssertEqual(parsed.reportDescriptorLength, 499)
        XCTAssertEqual(parsed.descriptors, [HIDClassDescriptor.Entry(type: 0x22, length: 499)])
        // Two descriptors: report and physical.
        let two = try HIDClassDescriptor(bytes: [0x0C, 0x21, 0x00, 0x01, 0x21, 0x02, 0x22, 0x32, 0x00, 0x23, 0x10, 0x00])
        XCTAssertEqual(two.countryCode, 0x21)
        XCTAssertEqual(two.descriptors.map(\.type), [0x22, 0x23])
        XCTAssertEqual(two.reportDescriptorLength, 50)

        XCTAssertThrowsError(try HIDClassDescriptor(interfaceExtra: [])) { XCTAssertEqual($0 as? HIDClassDescriptor.ParseError, .notFound) }
        XCTAssertThrowsError(try HIDClassDescriptor(interfaceExtra: [0x09, 0x21, 0x11, 0x01])) {
            XCTAssertEqual($0 as? HIDClassDescriptor.ParseError, .truncated(offset: 0))
        }
        XCTAssertThrowsError(try HIDClassDescriptor(interfaceExtra: [0x00, 0x21])) {
            XCTAssertEqual($0 as? HIDClassDescriptor.ParseError, .invalidLength(offset: 0, length: 0))
        }
        // bNumDescriptors 2 but bLength only holds one entry.
        XCTAssertThrowsError(try HIDClassDescriptor(bytes: [0x09, 0x21, 0x11, 0x01, 0x00, 0x02, 0x22, 0x32, 0x00])) {
            XCTAssertEqual($0 as? HIDClassDescriptor.ParseError, .truncated(offset: 0))
        }
    }

    func testSetupPackets() {
        // hardware-facts §2: GET_REPORT feature 9 of 12 bytes on interface 0 is A1 01 09 03 00 00 0C 00.
        XCTAssertEqual(HIDRequest.getReportSetup(type: .feature, id: 9, interface: 0, length: 12).bytes,
                       [0xA1, 0x01, 0x09, 0x03, 0x00, 0x00, 0x0C, 0x00])
        XCTAssertEqual(HIDRequest.setReportSetup(type: .output, id: 2, interface: 1, length: 3).bytes,
                       [0x21, 0x09, 0x02, 0x02, 0x01, 0x00, 0x03, 0x00])
        XCTAssertEqual(HIDRequest.setIdleSetup(duration: 0, reportID: 0, interface: 1).bytes,
                       [0x21, 0x0A, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00])
        XCTAssertEqual(HIDRequest.getReportDescriptorSetup(interface: 1, length: 93).bytes,
                       [0x81, 0x06, 0x00, 0x22, 0x01, 0x00, 0x5D, 0x00])
        XCTAssertEqual(HIDRequest.setProtocolSetup(reportProtocol: true, interface: 0).bytes,
                       [0x21, 0x0B, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00])
    }

    func testReadsReportDescriptorAndReports() async throws {
        let hidInterface = interface(extra: hidDescriptor(length: descriptor.count))
        let descriptorSetup = HIDRequest.getReportDescriptorSetup(interface: 1, length: UInt16(descriptor.count))
        let featureSetup = HIDRequest.getReportSetup(type: .feature, id: 5, interface: 1, length: 4)
        let transport = FakeHIDTransport(
            interface: hidInterface,
            answers: [
                descriptorSetup: .success(descriptor),
                featureSetup: .success([0x05, 0x0A, 0x0B, 0x0C]),
                HIDRequest.setIdleSetup(duration: 0, reportID: 0, interface: 1): .success([]),
                HIDRequest.setReportSetup(type: .feature, id: 5, interface: 1, length: 4): .success([]),
            ],
            interrupt: [[0x02, 0b11, 0x10, 0x27, 0x88, 0x13, 0x00, 0x02], [0x02, 0b10, 0, 0, 0, 0, 0, 0, 0xEE]])
        XCTAssertTrue(hidInterface.isHID)
        XCTAssertEqual(hidInterface.hidInterruptInEndpoint, 0x83)
        XCTAssertNil(hidInterface.hidInterruptOutEndpoint)

        let layout = try await transport.hidReportLayout(interface: hidInterface, timeout: .seconds(1))
        XCTAssertEqual(transport.controls.first?.0, descriptorSetup)
        XCTAssertEqual(layout.maximumInputReportLength, 8)

        try await transport.hidSetIdle(interface: 1, timeout: .seconds(1))
        let feature = try await transport.hidGetReport(type: .feature, id: 5, interface: 1, layout: layout, timeout: .seconds(1))
        XCTAssertEqual(feature.values.map { $0.value.logical }, [0x0A, 0x0B, 0x0C])
        try await transport.hidSetReport(type: .feature, id: 5, interface: 1, data: [0x05, 1, 2, 3], timeout: .seconds(1))
        XCTAssertEqual(transport.controls.last?.1, [0x05, 1, 2, 3])
        XCTAssertEqual(transport.controls.map(\.0.request), [0x06, 0x0A, 0x01, 0x09])

        let pen = try XCTUnwrap(HIDDigitizerCapabilities(layout: layout))
        let first = try await transport.hidReadInputReport(endpoint: 0x83, layout: layout, timeout: .seconds(1))
        XCTAssertEqual(first.logical(for: .x), 10000)
        XCTAssertEqual(first.logical(for: .tipPressure), 512)
        let raw = try await transport.hidReadInputReport(endpoint: 0x83, maximumLength: 64, timeout: .seconds(1))
        let hover = try pen.decodePen(raw)
        XCTAssertEqual(hover.state, .hover)
        XCTAssertEqual(transport.interruptReads.map(\.1), [8, 64])
        // No more packets: the fake's timeout comes through untouched.
        do {
            _ = try await transport.hidReadInputReport(endpoint: 0x83, layout: layout, timeout: .milliseconds(10))
            XCTFail("expected a timeout")
        } catch let error as TransportError {
            XCTAssertEqual(error.kind, .timeout)
        }
    }

    func testFailuresAreClassified() async throws {
        // A device that declares 93 bytes but sends 40.
        let shortInterface = interface(extra: hidDescriptor(length: 93))
        let short = FakeHIDTransport(interface: shortInterface, answers: [
            HIDRequest.getReportDescriptorSetup(interface: 1, length: 93): .success(Array(descriptor.prefix(40))),
        ])
        do {
            _ = try await short.hidReportDescriptor(interface: shortInterface, timeout: .seconds(1))
            XCTFail("expected a short transfer")
        } catch let error as TransportError {
            XCTAssertEqual(error.kind, .shortTransfer)
        }
        // A malformed descriptor from the device is a parse error with an offset.
        let badInterface = interface(extra: hidDescriptor(length: 3))
        let bad = FakeHIDTransport(interface: badInterface, answers: [
            HIDRequest.getReportDescriptorSetup(interface: 1, length: 3): .success([0x05, 0x0D, 0xC0]),
        ])
        do {
            _ = try await bad.hidReportLayout(interface: badInterface, timeout: .seconds(1))
            XCTFail("expected a parse error")
        } catch let error as HIDParseError {
            XCTAssertEqual(error, HIDParseError(offset: 2, reason: .endCollectionWithoutCollection))
            XCTAssertEqual(error.captureFault(source: .device).domain, .hardware)
        }
        // No HID descriptor in the interface's extra bytes.
        do {
            _ = try await bad.hidReportDescriptor(interface: interface(extra: []), timeout: .seconds(1))
            XCTFail("expected notFound")
        } catch let error as HIDClassDescriptor.ParseError {
            XCTAssertEqual(error, .notFound)
        }
        // An unknown report STALLs: the transport's pipe error reaches the caller.
        do {
            _ = try await bad.hidGetReport(type: .feature, id: 9, interface: 1, length: 12, timeout: .seconds(1))
            XCTFail("expected a stall")
        } catch let error as TransportError {
            XCTAssertEqual(error.kind, .pipe)
            XCTAssertEqual(CaptureFault(transport: error).code, .stalled)
        }
    }
}
