import BioCapture
import BioCaptureTesting
import BioCaptureUSB
@testable import BioFingerprint
import Logging
import USBKit
import XCTest

/// The wire format alone: no emulation needed.
final class NB1010ProtocolTests: XCTestCase {
    func testCommandsAreTheRecordedBytes() {
        XCTAssertEqual(NB1010Protocol.Command.fingerCheck.bytes, [0x80, 0x38, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00])
        XCTAssertEqual(NB1010Protocol.Command.preCapture.bytes,
                       [0x80, 0x0D, 0x03, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00])
        var capture = [UInt8](repeating: 0, count: 32)
        capture.replaceSubrange(0..<9, with: [0x80, 0x12, 0x04, 0x00, 0x20, 0x00, 0x00, 0x00, 0x02])
        capture[28] = 0x20
        XCTAssertEqual(NB1010Protocol.Command.capture.bytes, capture)
    }

    func testFingerValueIsByte12OfTheResponse() throws {
        let recorded: [UInt8] = [0x80, 0x37, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF7, 0x00, 0x00, 0x00]
        XCTAssertEqual(try NB1010Protocol.fingerValue(recorded), 0xF7)
        XCTAssertThrowsError(try NB1010Protocol.fingerValue(Array(recorded.prefix(12)))) { error in
            XCTAssertEqual((error as? NB1010Protocol.DecodeError)?.isShort, true)
        }
        var wrongCode = recorded
        wrongCode[1] = 0x20
        XCTAssertThrowsError(try NB1010Protocol.fingerValue(wrongCode)) { error in
            XCTAssertEqual(error as? NB1010Protocol.DecodeError, .unexpectedCode(what: "response to command 0x38", expected: 0x37, found: 0x20))
        }
        var badMarker = recorded
        badMarker[0] = 0x00
        XCTAssertThrowsError(try NB1010Protocol.fingerValue(badMarker))
    }

    func testFramesRoundTripIntoTheImage() throws {
        var random = SeededRandom(seed: 7)
        let pixels = (0..<(256 * 180)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let image = try XCTUnwrap(GrayImage(width: 256, height: 180, pixels: pixels))
        let first = NB1010Protocol.encodeFrame(image, index: 0)
        XCTAssertEqual(Array(first.prefix(25)),
                       [0x80, 0x21, 0, 0, 0x1C, 0x02, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1])
        XCTAssertEqual(NB1010Protocol.encodeFrame(image, index: 89)[12], 0, "the last frame says no more follow")
        XCTAssertEqual(NB1010Protocol.encodeFrame(image, index: 89)[16], 179)
        var assembler = NB1010ImageAssembler()
        for index in 0..<90 {
            XCTAssertThrowsError(try assembler.image())
            try assembler.add(NB1010Protocol.encodeFrame(image, index: index))
        }
        XCTAssertEqual(try assembler.image(), image)
    }

    func testDamagedFramesAreClassified() {
        let image = GrayImage(width: 256, height: 180, filledWith: 9)
        let frame = NB1010Protocol.encodeFrame(image, index: 0)
        var assembler = NB1010ImageAssembler()
        XCTAssertThrowsError(try assembler.add(Array(frame.prefix(500)))) { error in
            XCTAssertEqual((error as? NB1010Protocol.DecodeError)?.isShort, true)
        }
        var wrongLength = frame
        wrongLength[4] = 0x10
        XCTAssertThrowsError(try assembler.add(wrongLength)) { error in
            XCTAssertEqual(error as? NB1010Protocol.DecodeError, .badLength(what: "image frame 0", expected: 540, found: 0x210))
        }
        XCTAssertThrowsError(try assembler.add(NB1010Protocol.encodeFrame(image, index: 1))) { error in
            XCTAssertEqual(error as? NB1010Protocol.DecodeError, .rowMismatch(frame: 0, expectedRow: 1, foundRow: 3))
        }
        XCTAssertEqual(assembler.framesReceived, 0)
    }

    func testIdenticalRowsAreDetected() throws {
        XCTAssertTrue(NB1010Device.allRowsIdentical(GrayImage(width: 256, height: 180, filledWith: 40)))
        var image = GrayImage(width: 256, height: 180, filledWith: 40)
        image.pixels[256 * 179 + 3] = 41
        XCTAssertFalse(NB1010Device.allRowsIdentical(image))
    }

    func testDriverTableEntry() throws {
        let driver = NB1010Driver.driver
        XCTAssertEqual(driver.id, "nb1010")
        XCTAssertEqual(driver.modality, .fingerprint)
        XCTAssertEqual(driver.devices.map(\.id), [USBID(0x298D, 0x1010)])
        XCTAssertEqual(driver.devices.first?.quirks.integer("finger-threshold"), 0x30)
        XCTAssertEqual(driver.devices.first?.quirks.integer("ppi"), 500)
    }
}

/// The driver against the emulator through the real libusb path (VirtualUSB).
final class NB1010DriverTests: EmulatedDriverTestCase {

    /// Plugs the emulator in and builds the driver's device on a libusb transport.
    private func scanner(_ emulator: NB1010Emulator) async throws -> NB1010Device {
        let virtual = try testbed.add(emulator)
        let testbed = self.testbed!
        emulator.unplugHandler = { testbed.unplug(virtual) }
        let devices = try await context.devices()
        let info = try XCTUnwrap(devices.first { $0.vendorID == NB1010Protocol.vendorID })
        let transport = LibUSBTransport(context: context, device: info, logger: logger)
        let identity = DeviceIdentity(id: "nb1010@test", driverID: NB1010Driver.driverID, modality: .fingerprint,
                                      vendor: "NEXT Biometrics", model: "NB-1010-U", connectionPath: "usb:test",
                                      isSimulated: false)
        let device = try await NB1010Driver.driver.makeUSB(transport, DriverContext(
            identity: identity, logger: logger, quirks: NB1010Driver.driver.devices[0].quirks))
        return try XCTUnwrap(device as? NB1010Device)
    }

    private func expectFault(
        _ code: FaultCode, _ domain: FaultDomain, within limit: Duration = .seconds(3),
        file: StaticString = #filePath, line: UInt = #line,
        _ body: () async throws -> Void
    ) async {
        let start = ContinuousClock.now
        do {
            try await body()
            XCTFail("expected \(code)", file: file, line: line)
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, code, "\(fault)", file: file, line: line)
            XCTAssertEqual(fault.domain, domain, "\(fault)", file: file, line: line)
            XCTAssertEqual(fault.device?.id, "nb1010@test", file: file, line: line)
            if code != .apiMisuse {
                // The catalogue's words are kept, so the operator reads them in Indonesian too.
                XCTAssertEqual(fault.message, FaultCatalog.entry(for: code)?.message.english, file: file, line: line)
            }
        } catch {
            XCTFail("not a CaptureFault: \(error)", file: file, line: line)
        }
        XCTAssertLessThan(ContinuousClock.now - start, limit, "no hang beyond the deadline", file: file, line: line)
    }

    func testCaptureWaitsForTheFingerAndDeliversTheImage() async throws {
        let emulator = NB1010Emulator(seed: 42, fingerAfterChecks: 3)
        let device = try await scanner(emulator)
        var events = device.events.makeAsyncIterator()
        try await device.open()
        let outcome = try await device.captureFingerprint(FingerprintCaptureRequest(position: .leftThumb, deadline: .seconds(5), attempt: 2))
        guard case .captured(let sample) = outcome else { return XCTFail("expected an image, got \(outcome)") }
        XCTAssertEqual(sample.image, emulator.image(capture: 0), "pixel for pixel what the device sent")
        XCTAssertEqual(sample.image.width, 256)
        XCTAssertEqual(sample.image.height, 180)
        XCTAssertEqual(sample.resolutionPPI, 500)
        XCTAssertEqual(sample.position, .leftThumb)
        XCTAssertEqual(sample.metadata.attempt, 2)
        XCTAssertEqual(sample.metadata.device.driverID, "nb1010")
        XCTAssertEqual(sample.metadata.device.usbIDText, "298d:1010")
        XCTAssertEqual(sample.metadata.device.firmwareVersion, "bcdDevice 0.01")
        XCTAssertNotNil(sample.metadata.quality)
        XCTAssertEqual(emulator.fingerChecks, 4)
        XCTAssertEqual(emulator.framesDelivered, 90)
        let sent = emulator.receivedCommands
        XCTAssertEqual(sent.count, 6)
        XCTAssertEqual(Array(sent.prefix(4)), Array(repeating: NB1010Protocol.Command.fingerCheck.bytes, count: 4))
        XCTAssertEqual(sent[4], NB1010Protocol.Command.preCapture.bytes)
        XCTAssertEqual(sent[5], NB1010Protocol.Command.capture.bytes)
        await device.close()

        var seen: [String] = []
        while let event = await events.next() {
            switch event {
            case .subjectPresent: seen.append("on")
            case .subjectAbsent: seen.append("off")
            case .statusChanged(let status): seen.append("\(status)")
            default: seen.append("other")
            }
        }
        XCTAssertEqual(seen, ["ready", "busy", "on", "off", "ready", "notReady"])
    }

    func testSecondCaptureIsANewImpression() async throws {
        let emulator = NB1010Emulator(seed: 5, fingerAfterChecks: 0)
        let device = try await scanner(emulator)
        try await device.open()
        guard case .captured(let first) = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5))),
              case .captured(let second) = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5)))
        else { return XCTFail("two images expected") }
        XCTAssertEqual(second.image, emulator.image(capture: 1))
        XCTAssertNotEqual(first.image, second.image)
        await device.close()
    }

    func testUnplugMidImageIsDisconnected() async throws {
        let emulator = NB1010Emulator(fingerAfterChecks: 0, fault: .unplugMidImage(frame: 40))
        let device = try await scanner(emulator)
        try await device.open()
        await expectFault(.disconnected, .hardware) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5)))
        }
        XCTAssertEqual(emulator.framesDelivered, 40)
        let status = await device.status
        XCTAssertEqual(status, .disconnected)
        await device.close()
    }

    func testStallOnACommandIsStalled() async throws {
        let emulator = NB1010Emulator(fingerAfterChecks: 0, fault: .stallOnCommand(NB1010Protocol.Command.preCapture.code))
        let device = try await scanner(emulator)
        try await device.open()
        await expectFault(.stalled, .hardware) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5)))
        }
        XCTAssertEqual(emulator.receivedCommands.last, NB1010Protocol.Command.preCapture.bytes)
        await device.close()
    }

    func testNoFingerUntilTheDeadlineIsTheOperators() async throws {
        let emulator = NB1010Emulator(fault: .noFinger)
        let device = try await scanner(emulator)
        try await device.open()
        await expectFault(.noSubject, .operator, within: .seconds(2)) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .milliseconds(400)))
        }
        XCTAssertGreaterThan(emulator.fingerChecks, 2, "it kept polling until the deadline")
        XCTAssertEqual(emulator.framesDelivered, 0)
        let status = await device.status
        XCTAssertEqual(status, .ready, "an absent finger leaves the device ready")
        await device.close()
    }

    func testCorruptImageHeaderIsCorruptFrame() async throws {
        let emulator = NB1010Emulator(fingerAfterChecks: 0, fault: .corruptImageHeader(frame: 12))
        let device = try await scanner(emulator)
        try await device.open()
        await expectFault(.corruptFrame, .hardware) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5)))
        }
        await device.close()
    }

    func testACaptureAfterADamagedImageStartsClean() async throws {
        let emulator = NB1010Emulator(fingerAfterChecks: 0, fault: .corruptImageHeader(frame: 12))
        let device = try await scanner(emulator)
        try await device.open()
        await expectFault(.corruptFrame, .hardware) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5)))
        }
        emulator.fault = nil
        // 77 frames of the damaged image are still in the device; they must not be taken for answers.
        guard case .captured(let sample) = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5)))
        else { return XCTFail("second capture failed") }
        XCTAssertEqual(sample.image, emulator.image(capture: 1))
        await device.close()
    }

    func testShortImageFrameIsShortFrame() async throws {
        let emulator = NB1010Emulator(fingerAfterChecks: 0, fault: .shortFrame(frame: 89))
        let device = try await scanner(emulator)
        try await device.open()
        await expectFault(.shortFrame, .hardware) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5)))
        }
        await device.close()
    }

    func testPowerUpThatNeverCompletesIsHardware() async throws {
        let emulator = NB1010Emulator(fault: .powerUpNeverCompletes)
        let device = try await scanner(emulator)
        try await device.open()
        await expectFault(.powerUpFailed, .hardware, within: .seconds(2)) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(10)))
        }
        await device.close()
    }

    func testIdenticalRowsWithAFingerAreASensorDefect() async throws {
        let emulator = NB1010Emulator(fingerAfterChecks: 0, fault: .stuckRows)
        let device = try await scanner(emulator)
        try await device.open()
        await expectFault(.sensorDefect, .hardware) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5)))
        }
        await device.close()
    }

    func testCancellationStopsTheWait() async throws {
        let emulator = NB1010Emulator(fault: .noFinger)
        let device = try await scanner(emulator)
        try await device.open()
        let capture = Task { try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(30))) }
        try await Task.sleep(for: .milliseconds(200))
        capture.cancel()
        await expectFault(.cancelled, .operator, within: .seconds(2)) { _ = try await capture.value }
        // The device stays usable after a cancelled wait.
        emulator.fault = nil
        guard case .captured = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(5))) else {
            return XCTFail("capture after cancellation failed")
        }
        await device.close()
    }

    func testSelfTestChecksIdentitySensorCaptureAndQuality() async throws {
        let emulator = NB1010Emulator(fingerAfterChecks: 1)
        let device = try await scanner(emulator)
        try await device.open()
        let result = await device.selfTest()
        XCTAssertEqual(result.steps.map(\.id), [.identity, .sensor, .capture, .quality])
        XCTAssertTrue(result.steps[0].detail.contains("NEXT Biometrics NB-1010-U"), result.steps[0].detail)
        XCTAssertEqual(result.steps[1].outcome, .passed, result.steps[1].detail)
        XCTAssertEqual(result.steps[1].measurements["finger-value"], Double(NB1010Emulator.idleFingerValue))
        XCTAssertEqual(result.steps[2].outcome, .passed, result.steps[2].detail)
        XCTAssertNotNil(result.images["fingerprint"])
        await device.close()
    }

    func testCaptureBeforeOpenIsMisuse() async throws {
        let device = try await scanner(NB1010Emulator())
        await expectFault(.apiMisuse, .software) {
            _ = try await device.captureFingerprint(FingerprintCaptureRequest(deadline: .seconds(1)))
        }
    }
}

extension DriverDescriptor {
    /// The USB factory of a driver (test convenience).
    fileprivate func makeUSB(_ transport: any USBTransport, _ context: DriverContext) async throws -> any CaptureDevice {
        guard case .usb(let factory) = binding else { throw CaptureFault(.apiMisuse, message: "not a USB driver") }
        return try await factory(transport, context)
    }
}
