import BioCapture
import BioCaptureTesting
import BioCaptureUSB
@testable import BioFingerprint
import Logging
import USBKit
import XCTest

/// The `upektc_img` driver through the real libusb path against `UPEKTouchChipEmulator`.
final class UPEKTouchChipDriverTests: EmulatedDriverTestCase {

    /// Plugs the emulator in and builds the driver's scanner on it, as the station does.
    private func scanner(_ model: UPEKTouchChipEmulator, transferTimeoutMilliseconds: Int = 1000)
        async throws -> (UPEKTouchChipScanner, VirtualUSBDevice)
    {
        let device = try testbed.add(model)
        let infos = try await context.devices()
        let info = try XCTUnwrap(infos.first { $0.busNumber == device.busNumber && $0.deviceAddress == device.deviceAddress })
        let transport = LibUSBTransport(context: context, device: info, logger: logger)
        let supported = try XCTUnwrap(UPEKTouchChipDriver.driver.devices.first { $0.id == USBID(0x147E, 0x2016) })
        let identity = DeviceIdentity(
            id: "upektc_img@\(device.busNumber)-\(device.deviceAddress)", driverID: UPEKTouchChipDriver.driverID,
            modality: .fingerprint, vendor: "UPEK", model: supported.modelName, connectionPath: "usb:test",
            vendorID: 0x147E, productID: 0x2016, isSimulated: false)
        let driverContext = DriverContext(identity: identity, logger: logger, quirks: supported.quirks,
                                          settings: ["BIOCAPTURE_UPEKTC_TIMEOUT_MS": String(transferTimeoutMilliseconds)])
        return (try UPEKTouchChipDriver.makeDevice(transport: transport, context: driverContext), device)
    }

    private func expectFault(_ code: FaultCode, _ domain: FaultDomain, file: StaticString = #filePath, line: UInt = #line,
                             _ body: () async throws -> Void) async {
        do {
            try await body()
            XCTFail("expected \(domain)/\(code), nothing was thrown", file: file, line: line)
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, code, "\(fault)", file: file, line: line)
            XCTAssertEqual(fault.domain, domain, "\(fault)", file: file, line: line)
        } catch {
            XCTFail("expected a CaptureFault, got \(error)", file: file, line: line)
        }
    }

    private func capturedImage(_ outcome: CaptureOutcome<FingerprintSample>, file: StaticString = #filePath, line: UInt = #line) -> GrayImage? {
        guard case .captured(let sample) = outcome else {
            XCTFail("expected a capture, got \(outcome)", file: file, line: line)
            return nil
        }
        return sample.image
    }

    func testCapturesTheEmulatedPrintWithTheRecordedSequenceNumbers() async throws {
        let model = UPEKTouchChipEmulator(variant: .tcs1, noFingerStatuses: 3, classEightMessages: 2)
        let (scanner, _) = try await scanner(model)
        try await scanner.open()
        let sensor = await scanner.sensor
        XCTAssertEqual(sensor?.variant, .tcs1)
        XCTAssertEqual(sensor?.isSwipe, false)
        let outcome = try await scanner.captureFingerprint(FingerprintCaptureRequest(position: .leftThumb, deadline: .seconds(10)))
        let image = try XCTUnwrap(capturedImage(outcome))
        XCTAssertEqual(image.width, 192)
        XCTAssertEqual(image.height, 270)
        XCTAssertEqual(image.pixels, model.image.pixels)
        if case .captured(let sample) = outcome {
            XCTAssertEqual(sample.position, .leftThumb)
            XCTAssertEqual(sample.resolutionPPI, 381)
            XCTAssertNotNil(sample.metadata.quality)
        }
        XCTAssertEqual(model.rejectedMessages, 0)
        let messages = model.receivedMessages
        // init 1..3 (seq 0), get-info (seq 0), init-capture (1), 3 no-finger acks + 1 present ack,
        // two class-9 (always seq 0), 25 frame acks, deinit.
        let numbered = messages.filter { $0.messageClass == 0x00 || ($0.messageClass == 0x07 && $0.sequence != 0) }
        XCTAssertEqual(numbered.first?.payload, UPEKCiao.getInfoPayload)
        XCTAssertEqual(numbered.map(\.sequence), (0..<numbered.count).map { UInt8($0 & 0x0F) })
        XCTAssertEqual(messages.filter { $0.messageClass == 0x09 }.map(\.sequence), [0, 0])
        XCTAssertEqual(messages.filter { $0.payload == UPEKCiao.frameAckPayload }.count, 25)
        XCTAssertEqual(messages.last?.messageClass, 0x07)

        // A second capture activates the coprocessor again.
        let again = try await scanner.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(10)))
        XCTAssertEqual(capturedImage(again)?.pixels, model.image.pixels)
        await scanner.close()
        let status = await scanner.status
        XCTAssertEqual(status, .notReady)
    }

    func testEverySensorVariantDeliversItsImageSize() async throws {
        for (variant, swipe) in [(UPEKSensorVariant.tcs2, false), (.tcs3, false), (.tcs4, true), (.tcs5, true)] {
            let model = UPEKTouchChipEmulator(variant: variant, swipe: swipe, seed: 7)
            let (scanner, device) = try await scanner(model)
            try await scanner.open()
            let sensor = await scanner.sensor
            XCTAssertEqual(sensor?.isSwipe, swipe, "\(variant)")
            let outcome = try await scanner.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(10)))
            let image = try XCTUnwrap(capturedImage(outcome))
            XCTAssertEqual(image.width, variant.imageSize.width, "\(variant)")
            XCTAssertEqual(image.height, variant.imageSize.height, "\(variant)")
            XCTAssertEqual(image.pixels, model.image.pixels, "\(variant)")
            XCTAssertEqual(model.receivedMessages.first { $0.payload.count == 14 }?.payload[12], swipe ? 0x00 : 0x01)
            await scanner.close()
            testbed.unplug(device)
        }
    }

    func testUnplugMidImageIsDisconnected() async throws {
        let model = UPEKTouchChipEmulator(fault: .holdAfterFrames(5))
        let (scanner, device) = try await scanner(model, transferTimeoutMilliseconds: 5000)
        try await scanner.open()
        let capture = Task { try await scanner.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(10))) }
        let limit = ContinuousClock.now + .seconds(5)
        while !(model.isHolding && device.pendingTransferCount > 0), ContinuousClock.now < limit {
            try await Task.sleep(for: .milliseconds(2))
        }
        XCTAssertTrue(model.isHolding)
        XCTAssertEqual(model.framesSent, 5)
        testbed.unplug(device)
        await expectFault(.disconnected, .hardware) { _ = try await capture.value }
        await scanner.close()
    }

    func testStallOnTheActivationRequestIsStalled() async throws {
        let (scanner, _) = try await scanner(UPEKTouchChipEmulator(fault: .stallOnControl))
        await expectFault(.stalled, .hardware) { try await scanner.open() }
    }

    func testNoFingerUntilTheDeadlineIsTheOperators() async throws {
        let model = UPEKTouchChipEmulator(fault: .noFinger)
        let (scanner, _) = try await scanner(model)
        try await scanner.open()
        let started = ContinuousClock.now
        await expectFault(.noSubject, .operator) {
            _ = try await scanner.captureFingerprint(FingerprintCaptureRequest(deadline: .milliseconds(300)))
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "the deadline is kept")
        XCTAssertEqual(model.receivedMessages.last?.messageClass, 0x07, "the coprocessor is sent deinit afterwards")
        await scanner.close()
    }

    func testCorruptFrameHeaderIsCorruptFrame() async throws {
        let (scanner, _) = try await scanner(UPEKTouchChipEmulator(fault: .corruptFrameHeader))
        try await scanner.open()
        await expectFault(.corruptFrame, .hardware) {
            _ = try await scanner.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(10)))
        }
        await scanner.close()
    }

    func testBadCRCIsCorruptFrame() async throws {
        let (scanner, _) = try await scanner(UPEKTouchChipEmulator(fault: .badCRC))
        try await scanner.open()
        await expectFault(.corruptFrame, .hardware) {
            _ = try await scanner.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(10)))
        }
        await scanner.close()
    }

    func testMissingFrameIsShortFrame() async throws {
        let (scanner, _) = try await scanner(UPEKTouchChipEmulator(fault: .missingFrame))
        try await scanner.open()
        await expectFault(.shortFrame, .hardware) {
            _ = try await scanner.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(10)))
        }
        await scanner.close()
    }

    func testPowerUpThatNeverCompletesIsAHardwareFault() async throws {
        let (scanner, _) = try await scanner(UPEKTouchChipEmulator(fault: .powerUpNeverCompletes), transferTimeoutMilliseconds: 200)
        let started = ContinuousClock.now
        await expectFault(.powerUpFailed, .hardware) { try await scanner.open() }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
    }

    func testUnknownSensorIsRefused() async throws {
        let (scanner, _) = try await scanner(UPEKTouchChipEmulator(fault: .unknownSensor))
        await expectFault(.unsupportedDevice, .hardware) { try await scanner.open() }
    }

    func testSwipeTooShortAsksForAnotherSwipe() async throws {
        let model = UPEKTouchChipEmulator(variant: .tcs4, fault: .swipeTooShort)
        let (scanner, _) = try await scanner(model)
        try await scanner.open()
        let outcome = try await scanner.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(10)))
        guard case .retry(let reason) = outcome else { return XCTFail("expected a retry, got \(outcome)") }
        XCTAssertEqual(reason.code, "too-short")
        XCTAssertEqual(model.receivedMessages.last?.messageClass, 0x07)
        await scanner.close()
    }

    func testAnotherRevisionOfTheIdsIsNotDriven() async throws {
        let model = UPEKTouchChipEmulator(revision: 0x0001)
        await expectFault(.unsupportedDevice, .software) { _ = try await self.scanner(model) }
        XCTAssertTrue(model.receivedMessages.isEmpty, "nothing is sent to a device of another protocol")
    }

    func testSelfTestReportsTheSensorAndACapture() async throws {
        let (scanner, _) = try await scanner(UPEKTouchChipEmulator(variant: .tcs1))
        try await scanner.open()
        let result = await scanner.selfTest()
        XCTAssertEqual(result.steps.map(\.id), [.identity, .sensor, .capture, .quality])
        XCTAssertTrue(result.steps[0].detail.contains("TCS1"), result.steps[0].detail)
        XCTAssertEqual(result.steps[2].outcome, .passed)
        XCTAssertNotNil(result.images["fingerprint"])
        await scanner.close()
    }
}
