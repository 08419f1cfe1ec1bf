import BioCapture
@testable import BioFingerprint
import XCTest

/// The Ciao codec against the wire bytes of the facts file (recording of a TCS1).
final class UPEKTouchChipProtocolTests: XCTestCase {
    private func ciao(_ tail: [UInt8]) -> [UInt8] { UPEKCiao.magic + tail }

    func testCRCIsXMODEM() {
        XCTAssertEqual(UPEKCiao.crc16(Array("123456789".utf8)), 0x31C3)
        XCTAssertEqual(UPEKCiao.crc16([0x07, 0x00, 0x01, 0x01]), 0x723D)
        XCTAssertEqual(UPEKCiao.crc16([]), 0)
    }

    func testActivationPacketsMatchTheRecording() {
        XCTAssertEqual(UPEKCiao.initOne, ciao([0x04, 0x00, 0x0D, 0x01, 0x00, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0xDA, 0xC1]))
        XCTAssertEqual(UPEKCiao.initTwo, ciao([0x07, 0x00, 0x01, 0x01, 0x3D, 0x72]))
        XCTAssertEqual(UPEKCiao.initThree, ciao([0x04, 0x00, 0x0D, 0x01, 0x00, 0xBC, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x55, 0x2F]))
        XCTAssertEqual(UPEKCiao.getInfo(sequence: 0), ciao([0x00, 0x00, 0x07, 0x28, 0x04, 0x00, 0x00, 0x00, 0x06, 0x04, 0xC0, 0xD6]))
        XCTAssertEqual(UPEKCiao.initOne.count, 22)
        XCTAssertEqual(UPEKCiao.getInfo(sequence: 0).count, 16)
    }

    func testCaptureCommandsMatchTheRecording() {
        XCTAssertEqual(UPEKCiao.initCapture(sequence: 1, swipe: false),
                       ciao([0x00, 0x10, 0x0E, 0x28, 0x0B, 0x00, 0x00, 0x00, 0x0E, 0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x02, 0x1E, 0xB9]))
        XCTAssertEqual(UPEKCiao.statusAck(sequence: 2), ciao([0x00, 0x20, 0x08, 0x28, 0x05, 0x00, 0x00, 0x00, 0x00, 0x30, 0x01, 0x53, 0x19]))
        XCTAssertEqual(UPEKCiao.frameAck(sequence: 5), ciao([0x00, 0x50, 0x01, 0x30, 0xAC, 0x5B]))
        XCTAssertEqual(UPEKCiao.classEightAck, ciao([0x09, 0x00, 0x00, 0x91, 0x9E]))
        XCTAssertEqual(UPEKCiao.deinitCommand(sequence: 14), ciao([0x07, 0xE0, 0x01, 0x01, 0x0C, 0xD2]))
        XCTAssertEqual(UPEKCiao.initCapturePayload(swipe: true)[12], 0x00)
    }

    func testSequenceCounterWrapsAfterFifteen() {
        var counter = UPEKSequenceCounter()
        let taken = (0..<18).map { _ in counter.take() }
        XCTAssertEqual(taken, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1])
        counter.reset()
        XCTAssertEqual(counter.take(), 0)
    }

    func testDecodesARecordedReply() throws {
        let message = try UPEKCiao.decode(ciao([0x03, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0xC0, 0x69, 0xF8]) + [0xEE, 0xEE])
        XCTAssertEqual(message.messageClass, 0x03)
        XCTAssertEqual(message.payload, [0x01, 0x00, 0x00, 0x00, 0xC0])
        XCTAssertEqual(message.bytes.count, 14, "trailing bytes are not part of the message")
        let ack = try UPEKCiao.decode(ciao([0x01, 0x00, 0x00, 0x30, 0x37]))
        XCTAssertEqual(ack.payload, [])
    }

    func testRejectsDamagedMessages() {
        let good = ciao([0x05, 0x00, 0x01, 0x01, 0x55, 0x9F])
        XCTAssertNoThrow(try UPEKCiao.decode(good))
        var badCRC = good
        badCRC[9] ^= 1
        XCTAssertThrowsError(try UPEKCiao.decode(badCRC)) { error in
            guard case UPEKProtocolError.badCRC(let expected, let received) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(expected, 0x9F55)
            XCTAssertEqual(received, 0x9E55)
        }
        var badMagic = good
        badMagic[0] = 0x42
        XCTAssertThrowsError(try UPEKCiao.decode(badMagic)) { XCTAssertEqual($0 as? UPEKProtocolError, .badMagic([0x42, 0x69, 0x61, 0x6F])) }
        XCTAssertThrowsError(try UPEKCiao.decode(Array(good.prefix(8)))) {
            XCTAssertEqual($0 as? UPEKProtocolError, .truncated(expected: 10, received: 8))
        }
        XCTAssertThrowsError(try UPEKCiao.decode([0x43, 0x69])) {
            XCTAssertEqual($0 as? UPEKProtocolError, .truncated(expected: 7, received: 2))
        }
        XCTAssertThrowsError(try UPEKCiao.decode(ciao([0x00, 0x0F, 0xFF]) + [UInt8](repeating: 0, count: 4097))) {
            XCTAssertEqual($0 as? UPEKProtocolError, .tooLong(0xFFF + 9))
        }
    }

    private func getInfo(width: Int, height: Int, flags: UInt8) throws -> UPEKCiao.Message {
        var payload = [UInt8](repeating: 0, count: 0x37)
        payload[0] = 0x28
        payload[1] = 0x34
        payload[5] = 0x06
        payload[6] = 0x14
        payload[42] = flags
        payload[43] = UInt8(width & 0xFF)
        payload[44] = UInt8(width >> 8)
        payload[45] = UInt8(height & 0xFF)
        payload[46] = UInt8(height >> 8)
        return try UPEKCiao.decode(UPEKCiao.encode(messageClass: 0, sequence: 3, payload: payload))
    }

    func testGetInfoNamesEverySensorVariant() throws {
        let expected: [(Int, Int, UPEKSensorVariant, Int, Int)] = [
            (256, 360, .tcs1, 192, 270), (208, 288, .tcs2, 156, 216), (248, 360, .tcs3, 186, 270),
            (192, 512, .tcs4, 144, 384), (144, 512, .tcs5, 108, 384),
        ]
        for (width, height, variant, imageWidth, imageHeight) in expected {
            let info = try UPEKSensorInfo(getInfoReply: try getInfo(width: width, height: height, flags: 0x66))
            XCTAssertEqual(info.variant, variant)
            XCTAssertEqual(info.imageWidth, imageWidth)
            XCTAssertEqual(info.imageHeight, imageHeight)
            XCTAssertFalse(info.isSwipe)
        }
        XCTAssertTrue(try UPEKSensorInfo(getInfoReply: try getInfo(width: 192, height: 512, flags: 0xE6)).isSwipe)
        XCTAssertThrowsError(try UPEKSensorInfo(getInfoReply: try getInfo(width: 100, height: 100, flags: 0x66))) { error in
            XCTAssertEqual(error as? UPEKProtocolError, .unknownSensor(width: 100, height: 100))
            let fault = (error as? UPEKProtocolError)?.fault(device: nil)
            XCTAssertEqual(fault?.domain, .hardware)
            XCTAssertEqual(fault?.code, .unsupportedDevice)
        }
        let notInfo = try UPEKCiao.decode(UPEKCiao.encode(messageClass: 0, sequence: 0, payload: [0x28, 0x00]))
        XCTAssertThrowsError(try UPEKSensorInfo(getInfoReply: notInfo))
    }

    func testClassifiesCaptureMessages() throws {
        func classify(_ messageClass: UInt8, _ payload: [UInt8]) throws -> UPEKCaptureMessage {
            try UPEKCaptureMessage(try UPEKCiao.decode(UPEKCiao.encode(messageClass: messageClass, sequence: 0, payload: payload)))
        }
        var status = [UInt8](repeating: 0, count: 14)
        status[0] = 0x28
        for (code, meaning) in [(UInt8(0x0C), UPEKCaptureStatus.noFinger), (0x13, .keepFingerOn), (0x00, .fingerPresent),
                                (0x01, .fingerGone), (0x1E, .swipeTooShort), (0x1D, .tooMuchHorizontalMovement), (0x42, .unknown(0x42))] {
            status[11] = code
            XCTAssertEqual(try classify(0, status), .status(meaning))
        }
        XCTAssertEqual(UPEKCaptureStatus.swipeTooShort.retryReason?.code, "too-short")
        XCTAssertEqual(UPEKCaptureStatus.tooMuchHorizontalMovement.retryReason?.code, "centre-finger")
        XCTAssertNil(UPEKCaptureStatus.noFinger.retryReason)

        XCTAssertEqual(try classify(0, [0x2C] + [UInt8](repeating: 9, count: 10) + [1, 2, 3]), .firstFrame([1, 2, 3][...]))
        XCTAssertEqual(try classify(0, [0x24, 4, 5]), .frame([4, 5][...]))
        XCTAssertEqual(try classify(0, [0x20, 6, 7, 0, 0, 0, 0]), .lastFrame([6, 7][...]))
        XCTAssertEqual(try classify(8, []), .classEight)
        XCTAssertThrowsError(try classify(0, [0x2C, 1, 2])) {
            XCTAssertEqual(($0 as? UPEKProtocolError)?.fault(device: nil).code, .corruptFrame)
        }
        XCTAssertThrowsError(try classify(0, [0x20, 1])) {
            XCTAssertEqual(($0 as? UPEKProtocolError)?.fault(device: nil).code, .corruptFrame)
        }
        XCTAssertThrowsError(try classify(0x05, [1])) {
            XCTAssertEqual(($0 as? UPEKProtocolError)?.fault(device: nil).code, .protocolError)
        }
        XCTAssertThrowsError(try classify(0, [0x77]))
        XCTAssertThrowsError(try classify(0, []))
        XCTAssertThrowsError(try classify(0, [0x28, 1, 2]), "a status too short to hold its code")
    }

    func testAssemblerNeedsExactlyTheImageSize() throws {
        var assembler = UPEKImageAssembler(width: 4, height: 2)
        try assembler.append([1, 2, 3][...])
        XCTAssertThrowsError(try assembler.image()) {
            XCTAssertEqual(($0 as? UPEKProtocolError)?.fault(device: nil).code, .shortFrame)
        }
        try assembler.append([4, 5, 6, 7, 8][...])
        let image = try assembler.image()
        XCTAssertEqual(image.pixels, [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(assembler.frames, 2)
        try assembler.append([9][...])
        XCTAssertThrowsError(try assembler.image()) {
            XCTAssertEqual(($0 as? UPEKProtocolError)?.fault(device: nil).code, .corruptFrame)
        }
        XCTAssertThrowsError(try assembler.append([UInt8](repeating: 0, count: 8)[...]), "more than twice the image is refused")
    }
}
