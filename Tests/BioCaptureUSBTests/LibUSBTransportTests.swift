import BioCapture
@testable import BioCaptureUSB
import BioCaptureTesting
import Logging
import USBKit
import XCTest

/// The mapping alone needs no emulation.
final class USBErrorClassificationTests: XCTestCase {
    func testEveryLibusbErrorCodeMapsToTheDocumentedDomain() {
        let expected: [USBError.Code: (TransportError.Kind, FaultDomain)] = [
            .io: (.io, .hardware), .invalidParam: (.invalidParameter, .software), .access: (.access, .environment),
            .noDevice: (.noDevice, .hardware), .notFound: (.notFound, .environment), .busy: (.busy, .environment),
            .timeout: (.timeout, .hardware), .overflow: (.overflow, .hardware), .pipe: (.pipe, .hardware),
            .interrupted: (.interrupted, .software), .noMem: (.noMemory, .software),
            .notSupported: (.notSupported, .environment), .other: (.other, .hardware),
        ]
        for code in USBError.Code.allNamed {
            guard let (kind, domain) = expected[code] else {
                XCTFail("no expectation for \(code)")
                continue
            }
            let transport = TransportError(USBError(code: code, operation: "test"))
            XCTAssertEqual(transport.kind, kind, "\(code)")
            XCTAssertEqual(CaptureFault(usb: USBError(code: code)).domain, domain, "\(code)")
        }
        XCTAssertEqual(Set(expected.keys), Set(USBError.Code.allNamed))
    }

    func testTransferStatusesMapToTheirFaults() {
        let expected: [USBError.TransferStatus: FaultCode] = [
            .error: .ioError, .timedOut: .timeout, .cancelled: .cancelled, .stall: .stalled,
            .noDevice: .disconnected, .overflow: .overflow,
        ]
        for (status, code) in expected {
            let fault = CaptureFault(usb: USBError(transferStatus: status, operation: "bulk IN 0x81"))
            XCTAssertEqual(fault.code, code, "\(status)")
        }
        let unplugged = CaptureFault(usb: USBError(transferStatus: .noDevice, operation: "bulk IN 0x81"))
        XCTAssertEqual(unplugged.domain, .hardware)
        XCTAssertTrue("\(unplugged.underlying.map { "\($0)" } ?? "")".contains("bulk IN 0x81"))
    }
}

/// `LibUSBTransport` and the station scan through the real libusb path, against VirtualUSB.
final class LibUSBTransportTests: XCTestCase {
    private var testbed: VirtualUSBTestbed!
    private var model: ScriptedUSBDevice!
    private var device: VirtualUSBDevice!
    private var context: USBContext!
    private let logger = Logger(label: "BioCaptureUSBTests")

    override func setUp() async throws {
        do {
            try VirtualUSB.requireEmulation()
        } catch {
            if error.mustFail {
                XCTFail(error.description)
                throw error
            }
            throw XCTSkip(error.description)
        }
        testbed = try VirtualUSBTestbed()
        model = ScriptedUSBDevice(registers: [0x10: [0xCA, 0xFE]])
        device = try testbed.add(model, kernelDrivers: [0: "usbhid"])
        context = try USBContext(logger: logger)
    }

    override func tearDown() async throws {
        if let context { await context.close() }
        testbed?.close()
        context = nil
        testbed = nil
    }

    private func registry() -> DriverRegistry {
        DriverRegistry(drivers: [DriverDescriptor(
            id: "example", name: "Example scanner", modality: .fingerprint,
            devices: [SupportedDevice(USBID(ScriptedUSBDevice.vendorID, ScriptedUSBDevice.productID),
                                      vendor: "pid.codes", model: "Test device", quirks: DeviceQuirks(["rows": "0x20"]))],
            kernelDrivers: ["usbhid"],
            binding: .usb({ transport, context in
                try await transport.open()
                throw CaptureFault(.unsupportedDevice, message: "factory reached with \(transport.descriptors.device.productID)",
                                   device: context.identity)
            }))])
    }

    private func transport() async throws -> LibUSBTransport {
        let devices = try await context.devices()
        let info = try XCTUnwrap(devices.first { $0.vendorID == ScriptedUSBDevice.vendorID })
        return LibUSBTransport(context: context, device: info, logger: logger)
    }

    func testScanMatchesTheRegistryAndGathersAccessFacts() async throws {
        let station = USBStation(context: context, registry: registry(), logger: logger)
        let result = try await station.scan()
        XCTAssertEqual(result.matched.count, 1)
        let found = try XCTUnwrap(result.matched.first)
        XCTAssertEqual(found.identity.driverID, "example")
        XCTAssertEqual(found.identity.id, "example@\(found.info.busNumber)-\(found.info.portPath.map(String.init).joined(separator: "."))")
        XCTAssertEqual(found.match.quirks.integer("rows"), 32)
        XCTAssertEqual(found.identity.usbIDText, "1209:0001")
        XCTAssertEqual(found.access.deviceNode, device.deviceNode)
        XCTAssertEqual(found.access.nodeWritable, true)

        do {
            _ = try await station.makeDevice(found, context: DriverContext(identity: found.identity, logger: logger))
            XCTFail("the test factory always throws")
        } catch let fault as CaptureFault {
            XCTAssertTrue(fault.message.contains("factory reached with 1"), fault.message)
            XCTAssertEqual(fault.device?.id, found.identity.id)
        }
    }

    func testTransfersThroughTheTransport() async throws {
        let transport = try await transport()
        try await transport.open()
        try await transport.claimInterface(0)
        let register = try await transport.control(
            USBControlSetup(requestType: USBControlSetup.requestType(deviceToHost: true, kind: .vendor, recipient: .device),
                            request: ScriptedUSBDevice.readRegister, value: 0x10, index: 0, length: 2),
            timeout: .seconds(2))
        XCTAssertEqual(register, [0xCA, 0xFE])
        let written = try await transport.bulkOut(endpoint: 0x01, data: [1, 2, 3], timeout: .seconds(2))
        XCTAssertEqual(written, 3)
        let echoed = try await transport.bulkIn(endpoint: 0x81, length: 64, timeout: .seconds(2))
        XCTAssertEqual(echoed, [1, 2, 3])
        let noString = try await transport.stringDescriptor(index: 0)
        XCTAssertNil(noString)
        await transport.close()
        XCTAssertEqual(device.kernelDriver(interface: 0), "usbhid", "the detached kernel driver is given back")
    }

    func testAStallIsAHardwareFault() async throws {
        let transport = try await transport()
        try await transport.open()
        do {
            _ = try await transport.control(
                USBControlSetup(requestType: USBControlSetup.requestType(deviceToHost: true, kind: .vendor, recipient: .device),
                                request: ScriptedUSBDevice.alwaysStall, value: 0, index: 0, length: 1),
                timeout: .seconds(2))
            XCTFail("the request should stall")
        } catch let error as TransportError {
            XCTAssertEqual(error.kind, .pipe)
            let fault = CaptureFault(transport: error)
            XCTAssertEqual(fault.code, .stalled)
            XCTAssertEqual(fault.domain, .hardware)
        }
        await transport.close()
    }

    func testUnplugDuringATransferIsDisconnected() async throws {
        let transport = try await transport()
        try await transport.open()
        try await transport.claimInterface(0)
        let pending = Task { try await transport.interruptIn(endpoint: 0x82, length: 8, timeout: .seconds(5)) }
        let deadline = ContinuousClock.now + .seconds(2)
        while device.pendingTransferCount == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        testbed.unplug(device)
        do {
            _ = try await pending.value
            XCTFail("the transfer survived the unplug")
        } catch let error as TransportError {
            let fault = CaptureFault(transport: error)
            XCTAssertEqual(fault.code, .disconnected)
            XCTAssertEqual(fault.domain, .hardware)
        }
        await transport.close()
    }

    func testATimeoutIsReportedAsTimeout() async throws {
        let transport = try await transport()
        try await transport.open()
        try await transport.claimInterface(0)
        do {
            _ = try await transport.interruptIn(endpoint: 0x82, length: 8, timeout: .milliseconds(50))
            XCTFail("nothing was pushed, the read must time out")
        } catch let error as TransportError {
            XCTAssertEqual(error.kind, .timeout)
        }
        await transport.close()
    }

    func testUsingAClosedTransportIsAClearError() async throws {
        let transport = try await transport()
        do {
            _ = try await transport.bulkIn(endpoint: 0x81, length: 8, timeout: .seconds(1))
            XCTFail("a closed transport transferred")
        } catch let error as TransportError {
            XCTAssertEqual(error.kind, .invalidParameter)
            XCTAssertTrue(error.detail.contains("not open"))
        }
    }
}

