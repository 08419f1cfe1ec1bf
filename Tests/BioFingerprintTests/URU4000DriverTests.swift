import BioCapture
import BioCaptureTesting
import BioCaptureUSB
import BioFingerprint
import Logging
import USBKit
import XCTest

/// The uru4000 driver through the real libusb path (LibUSBTransport → USBKit → libusb → umockdev)
/// against `URU4000Emulator`. Run with `umockdev-wrapper swift test --filter URU4000DriverTests`;
/// without the preload the tests skip (and fail under CI=true).
final class URU4000DriverTests: EmulatedDriverTestCase {

    /// Plugs the emulator in and builds the driver's device on a libusb transport.
    private func makeDevice(_ emulator: URU4000Emulator, settings: [String: String] = [:]) async throws
        -> (URU4000Device, VirtualUSBDevice)
    {
        let plugged = try testbed.add(emulator)
        let infos = try await context.devices()
        let info = try XCTUnwrap(infos.first { $0.productID == emulator.descriptors.device.productID })
        let transport = LibUSBTransport(context: context, device: info, logger: logger)
        let entry = URU4000Driver.devices.first { $0.id.productID == info.productID && $0.id.vendorID == info.vendorID }
        let identity = DeviceIdentity(
            id: "uru4000@test", driverID: URU4000Driver.driverID, modality: .fingerprint, vendor: entry?.vendorName ?? "",
            model: entry?.modelName ?? "", connectionPath: "usb:test", vendorID: info.vendorID, productID: info.productID,
            isSimulated: false)
        let driverContext = DriverContext(identity: identity, logger: logger, seed: 3, quirks: entry?.quirks ?? DeviceQuirks(),
                                          settings: settings)
        let device = try URU4000Driver.makeDevice(transport: transport, context: driverContext)
        return (device, plugged)
    }

    private func capture(_ device: URU4000Device, deadline: Duration = .seconds(3)) async throws -> FingerprintSample {
        switch try await device.captureFingerprint(FingerprintCaptureRequest(position: .rightIndex, deadline: deadline)) {
        case .captured(let sample): return sample
        case .retry(let reason): throw XCTSkip("unexpected retry: \(reason.message.en)")
        }
    }

    private func expectFault(_ code: FaultCode, domain: FaultDomain, file: StaticString = #filePath, line: UInt = #line,
                             _ body: () async throws -> Void) async
    {
        do {
            try await body()
            XCTFail("expected \(domain.rawValue)/\(code.rawValue)", file: file, line: line)
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, code, "\(fault)", file: file, line: line)
            XCTAssertEqual(fault.domain, domain, "\(fault)", file: file, line: line)
        } catch {
            XCTFail("not a CaptureFault: \(error)", file: file, line: line)
        }
    }

    private func assertSameImage(_ image: GrayImage, _ expected: GrayImage, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(image.width, expected.width, file: file, line: line)
        XCTAssertEqual(image.height, expected.height, file: file, line: line)
        let differing = zip(image.pixels, expected.pixels).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "\(differing) pixels differ from the emulator's image", file: file, line: line)
    }

    func testCaptureOnTheV2ReaderAnswersTheChallengeAndDescrambles() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA)
        let (device, _) = try await makeDevice(emulator, settings: [URU4000Driver.seedSetting: "51EA2124"])
        try await device.open()
        let sample = try await capture(device)
        await device.close()
        XCTAssertEqual(sample.image.width, 384)
        XCTAssertEqual(sample.image.height, 290)
        assertSameImage(sample.image, emulator.expectedImage)
        XCTAssertNotNil(sample.metadata.quality)
        let requests = emulator.requests
        XCTAssertTrue(requests.contains("read 0x2010"), "\(requests)")
        XCTAssertTrue(requests.contains("write 0x33 5 24 21 ea 51"), "the fixed seed goes on the wire: \(requests)")
        XCTAssertTrue(requests.contains("bulk 111424"))
        XCTAssertEqual(requests.last, "write 0x4e 70", "close switches the sensor off")
    }

    func testThe4000BImageIsTurnedAround() async throws {
        let emulator = URU4000Emulator(productID: 0x000A)
        let (device, _) = try await makeDevice(emulator)
        try await device.open()
        let sample = try await capture(device)
        await device.close()
        assertSameImage(sample.image, emulator.expectedImage)
        XCTAssertFalse(emulator.requests.contains("read 0x2010"), "only the v2 reader is challenged")
    }

    func testPlainImageSkipsTheKeyExchange() async throws {
        let emulator = URU4000Emulator(productID: 0x00BD, scrambled: false)
        let (device, _) = try await makeDevice(emulator)
        try await device.open()
        let sample = try await capture(device)
        await device.close()
        assertSameImage(sample.image, emulator.expectedImage)
        XCTAssertFalse(emulator.requests.contains { $0.hasPrefix("write 0x33") })
    }

    func testSelfTestReportsIdentitySensorCaptureAndQuality() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA)
        let (device, _) = try await makeDevice(emulator)
        try await device.open()
        let result = await device.selfTest()
        await device.close()
        XCTAssertEqual(result.steps.map(\.id), [.identity, .sensor, .capture, .quality])
        XCTAssertEqual(result.steps.first?.outcome, .passed)
        XCTAssertTrue(result.steps.first?.detail.contains("version") == true)
        XCTAssertEqual(result.steps[2].outcome, .passed)
        XCTAssertNotNil(result.images["fingerprint"])
    }

    func testUnplugMidImageIsDisconnected() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA, fault: .unplugMidImage)
        let (device, plugged) = try await makeDevice(emulator)
        let testbed = self.testbed!
        emulator.onCaptureRequested = { testbed.unplug(plugged) }
        try await device.open()
        await expectFault(.disconnected, domain: .hardware) { _ = try await self.capture(device) }
        let status = await device.status
        XCTAssertEqual(status, .disconnected)
        await device.close()
    }

    func testStalledControlRequestIsStalled() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA, fault: .stallControl(register: 0x4E))
        let (device, _) = try await makeDevice(emulator)
        try await device.open()
        await expectFault(.stalled, domain: .hardware) { _ = try await self.capture(device) }
        await device.close()
    }

    func testNoFingerBeforeTheDeadlineIsTheOperators() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA, fault: .noFinger)
        let (device, _) = try await makeDevice(emulator)
        try await device.open()
        let start = ContinuousClock.now
        await expectFault(.noSubject, domain: .operator) { _ = try await self.capture(device, deadline: .milliseconds(300)) }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3), "no hang beyond the deadline")
        await device.close()
    }

    func testCorruptHeaderIsACorruptFrame() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA, fault: .corruptHeader)
        let (device, _) = try await makeDevice(emulator)
        try await device.open()
        await expectFault(.corruptFrame, domain: .hardware) { _ = try await self.capture(device) }
        XCTAssertEqual(emulator.requests.filter { $0 == "bulk 111424" }.count, 3, "a damaged image is retried twice")
        await device.close()
    }

    func testDeathInterruptThenEmptyImageIsAShortFrame() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA, fault: .death)
        let (device, _) = try await makeDevice(emulator)
        try await device.open()
        await expectFault(.shortFrame, domain: .hardware) { _ = try await self.capture(device) }
        await device.close()
    }

    func testPowerUpThatNeverCompletesFailsTheOpen() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA, fault: .neverPowersUp)
        let (device, _) = try await makeDevice(emulator)
        await expectFault(.powerUpFailed, domain: .hardware) { try await device.open() }
        let status = await device.status
        XCTAssertEqual(status, .notReady)
    }

    func testMissingScanPowerOnFailsTheOpenAfterThreeTries() async throws {
        let emulator = URU4000Emulator(productID: 0x00BD, fault: .noPowerOnInterrupt)
        let (device, _) = try await makeDevice(emulator)
        let start = ContinuousClock.now
        await expectFault(.powerUpFailed, domain: .hardware) { try await device.open() }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
    }

    func testBadSeedSettingIsRejected() async throws {
        let emulator = URU4000Emulator(productID: 0x00CA)
        await expectFault(.invalidParameter, domain: FaultCatalog.entry(for: .invalidParameter)?.domain ?? .software) {
            _ = try await self.makeDevice(emulator, settings: [URU4000Driver.seedSetting: "not-hex"])
        }
    }
}
