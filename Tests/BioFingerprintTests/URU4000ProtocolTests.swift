import BioCapture
import Foundation
import Imaging
import XCTest

@testable import BioFingerprint

/// The wire pieces of the U.are.U 4000 family against the vectors of the msv2 recording.
final class URU4000ProtocolTests: XCTestCase {
    private func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    func testRegisterSetupsMatchTheWire() {
        XCTAssertEqual(URU4000Protocol.readSetup(.hardwareStatus, length: 1).bytes, [0xC0, 0x04, 0x07, 0, 0, 0, 1, 0])
        XCTAssertEqual(URU4000Protocol.writeSetup(.mode, length: 1).bytes, [0x40, 0x04, 0x4E, 0, 0, 0, 1, 0])
        XCTAssertEqual(URU4000Protocol.readSetup(.challenge, length: 16).bytes, [0xC0, 0x04, 0x10, 0x20, 0, 0, 0x10, 0])
        XCTAssertEqual(URU4000Protocol.writeSetup(.response, length: 16).bytes, [0x40, 0x04, 0x00, 0x20, 0, 0, 0x10, 0])
        XCTAssertEqual(URU4000Protocol.writeSetup(.scrambleDataIndex, length: 5).bytes, [0x40, 0x04, 0x33, 0, 0, 0, 5, 0])
        XCTAssertEqual(URU4000Protocol.imageTransferLength, 111_424)
    }

    func testChallengeResponseMatchesTheRecording() throws {
        let response = try URU4000ChallengeResponse.response(to: hex("4dae5a0b1247a86c9fbf29fdcc178a74"))
        XCTAssertEqual(response, hex("329351371e4adfb1f35f09f329c6ab46"))
    }

    func testChallengeOfWrongLengthIsAProtocolError() {
        XCTAssertThrowsError(try URU4000ChallengeResponse.response(to: [1, 2, 3])) { error in
            XCTAssertEqual((error as? CaptureFault)?.code, .protocolError)
        }
    }

    func testInterruptPackets() {
        var packet = [UInt8](repeating: 0xEE, count: 64)
        packet[0] = 0x56
        packet[1] = 0xAA
        XCTAssertEqual(URU4000Interrupt(packet: packet), .scanPowerOn)
        packet[0] = 0x01
        packet[1] = 0x01
        XCTAssertEqual(URU4000Interrupt(packet: packet), .fingerOn)
        XCTAssertEqual(URU4000Interrupt(packet: URU4000Interrupt.fingerOff.packet), .fingerOff)
        XCTAssertEqual(URU4000Interrupt(packet: URU4000Interrupt.death.packet), .death)
        XCTAssertEqual(URU4000Interrupt(packet: [0x12, 0x34] + [UInt8](repeating: 0, count: 62)), .other(0x1234))
        XCTAssertNil(URU4000Interrupt(packet: [0x01, 0x01]))
    }

    func testKeyExchangeMatchesTheRecording() throws {
        XCTAssertEqual(URU4000KeyExchange.indexPayload(keyNumber: 5, seed: 0x51EA_2124), [0x05, 0x24, 0x21, 0xEA, 0x51])
        XCTAssertEqual(try URU4000KeyExchange.key(reply: [0x7B, 0x4E, 0x63, 0x8A], seed: 0x51EA_2124), 0xDB89_6F5F)
        XCTAssertEqual(try URU4000KeyExchange.key(reply: [0xF2, 0x28, 0xAE, 0x05], seed: 0x51EA_2124), 0x5444_09D6)
        XCTAssertEqual(URU4000KeyExchange.reply(key: 0xDB89_6F5F, seed: 0x51EA_2124), [0x7B, 0x4E, 0x63, 0x8A])
        XCTAssertThrowsError(try URU4000KeyExchange.key(reply: [1, 2], seed: 0))
    }

    func testKeyStreamVectors() {
        var stream = URU4000KeyStream(key: 0xDB89_6F5F)
        var masks: [UInt8] = []
        var keys: [UInt32] = []
        for _ in 0..<8 {
            masks.append(stream.mask)
            stream.advance()
            keys.append(stream.key)
        }
        XCTAssertEqual(masks, [0x4F, 0xD2, 0xAF, 0xE6, 0xE1, 0x1F, 0xF3, 0x71])
        XCTAssertEqual(keys, [0xEDC4_B7AF, 0xF6E2_5BD7, 0x7B71_2DEB, 0xBDB8_96F5, 0x5EDC_4B7A, 0x2F6E_25BD, 0x97B7_12DE, 0xCBDB_896F])
        var whole = URU4000KeyStream(key: 0xDB89_6F5F)
        whole.advance(by: 67 * 384)
        XCTAssertEqual(whole.key, 0xB7FE_2FD1)
    }

    func testDescrambleShiftsAndEndsWithZero() {
        var data: [UInt8] = [0xCD, 0x4F, 0xD2, 0xAF, 0xE6, 0xE1, 0x1F, 0xF3, 0x71]
        var stream = URU4000KeyStream(key: 0xDB89_6F5F)
        stream.descramble(&data, range: 0..<data.count)
        XCTAssertEqual(data, [0, 0, 0, 0, 0, 0, 0, 0, 0])
        var reference = URU4000KeyStream(key: 0xDB89_6F5F)
        reference.advance(by: 9)
        XCTAssertEqual(stream.key, reference.key)
    }

    func testSeedSetting() {
        XCTAssertEqual(URU4000SeedSource.parse("51EA2124"), 0x51EA_2124)
        XCTAssertEqual(URU4000SeedSource.parse("0x51ea2124"), 0x51EA_2124)
        XCTAssertNil(URU4000SeedSource.parse("xyz"))
        XCTAssertNil(URU4000SeedSource.parse("123456789"))
        var source = URU4000SeedSource(fixed: 0x51EA_2124, seed: 9)
        XCTAssertEqual(source.next(), 0x51EA_2124)
        let second = source.next()
        XCTAssertLessThan(second, 0x7FFF_FFFF)
        var again = URU4000SeedSource(fixed: 0x51EA_2124, seed: 9)
        _ = again.next()
        XCTAssertEqual(again.next(), second)
    }

    func testHeaderValidation() {
        var transfer = [UInt8](repeating: 0, count: 64 + 2 * 384)
        transfer[4] = 2
        transfer[16] = 0x00
        transfer[17] = 2
        XCTAssertEqual(try URU4000ImageHeader(transfer: transfer).numberOfLines, 2)
        transfer[4] = 3
        XCTAssertThrowsError(try URU4000ImageHeader(transfer: transfer)) { error in
            XCTAssertEqual((error as? CaptureFault)?.code, .corruptFrame)
        }
        transfer[4] = 0x22
        transfer[5] = 0x01  // 290 rows: never possible
        XCTAssertThrowsError(try URU4000ImageHeader(transfer: transfer)) { error in
            XCTAssertEqual((error as? CaptureFault)?.code, .corruptFrame)
        }
        XCTAssertThrowsError(try URU4000ImageHeader(transfer: [1, 2, 3])) { error in
            XCTAssertEqual((error as? CaptureFault)?.code, .shortFrame)
        }
    }

    func testOrientationOfThe4000BIsARotation() throws {
        let image = try XCTUnwrap(GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6]))
        let rotated = URU4000ImageDecoder.orient(image, URU4000Orientation(invert: true, flipHorizontally: true, flipVertically: true))
        XCTAssertEqual(rotated.pixels, [249, 250, 251, 252, 253, 254])
        let inverted = URU4000ImageDecoder.orient(image, URU4000Orientation())
        XCTAssertEqual(inverted.pixels, [254, 253, 252, 251, 250, 249])
    }

    /// A frame whose second block switches key (0x80): the plan asks for two keys (numbers 5 and
    /// 6) and the second block is descrambled under the second key from its first byte.
    func testKeyChangeUsesTheNextKeyFromThatBlockOn() throws {
        let width = URU4000Protocol.imageWidth
        let firstKey: UInt32 = 0x1357_9BDF, secondKey: UInt32 = 0x2468_ACE0
        var random = SeededRandom(seed: 11)
        let plain = (0..<(3 * width)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        // Device side, written independently of the decoder: c[i+1] = p[i] ^ mask(i).
        func scramble(_ bytes: ArraySlice<UInt8>, key: UInt32) -> [UInt8] {
            var stream = URU4000KeyStream(key: key)
            var out = [UInt8](repeating: 0x77, count: bytes.count)
            let source = Array(bytes)
            for index in 0..<(source.count - 1) {
                out[index + 1] = source[index] ^ stream.mask
                stream.advance()
            }
            return out
        }
        var header = [UInt8](repeating: 0, count: 64)
        header[4] = 3
        header[6] = 5
        header[16] = 0x02
        header[17] = 1
        header[18] = 0x82
        header[19] = 2
        let transfer = header + scramble(plain[0..<width], key: firstKey) + scramble(plain[width...], key: secondKey)
        let plan = try URU4000ImageDecoder.plan(transfer: transfer)
        XCTAssertTrue(plan.scrambled)
        XCTAssertEqual(plan.keyNumbers, [5, 6])
        let image = try URU4000ImageDecoder.decode(transfer, plan: plan, keys: [firstKey, secondKey],
                                                   orientation: URU4000Orientation(invert: false))
        var expected = [UInt8](repeating: 0, count: width * URU4000Protocol.imageHeight)
        for index in 0..<(3 * width) { expected[index] = plain[index] }
        expected[width - 1] = 0  // each scrambled block loses its last byte
        expected[3 * width - 1] = 0
        XCTAssertEqual(zip(image.pixels, expected).filter { $0 != $1 }.count, 0)
        XCTAssertThrowsError(try URU4000ImageDecoder.decode(transfer, plan: plan, keys: [firstKey], orientation: URU4000Orientation()))
    }

    func testMailboxKeepsOrderAndRepeatsTheFinalFailure() async throws {
        let mailbox = URU4000Mailbox()
        mailbox.post(.success(URU4000Interrupt.fingerOn.packet))
        mailbox.post(.success(URU4000Interrupt.death.packet))
        mailbox.post(.failure(TransportError(.noDevice, operation: "interrupt IN 0x81")))
        XCTAssertEqual(mailbox.remove { URU4000Interrupt(packet: $0) == .death }.count, 1)
        let taken = await mailbox.take()
        let first = try XCTUnwrap(taken)
        XCTAssertEqual(try first.get(), URU4000Interrupt.fingerOn.packet)
        for _ in 0..<2 {
            let next = await mailbox.take()
            let failure = try XCTUnwrap(next)
            XCTAssertThrowsError(try failure.get()) { error in
                XCTAssertEqual((error as? TransportError)?.kind, .noDevice)
            }
        }
    }

    func testMailboxWaitEndsOnCancellation() async throws {
        let mailbox = URU4000Mailbox()
        let waiter = Task { await mailbox.take() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        let result = await waiter.value
        XCTAssertNil(result)
    }

    // MARK: The recorded image

    static var fixtureDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/fixtures/libfprint/uru4000-msv2")
    }

    /// The recorded image transfer (the bulk IN 0x82 completion), or XCTSkip.
    static func recordedImageTransfer() throws -> [UInt8] {
        let url = fixtureDirectory.appendingPathComponent("capture.pcapng")
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("skipping: \(url.path) is absent")
            throw XCTSkip("\(url.path) is absent")
        }
        let packets = try PcapngUSBReader.packets(Array(try Data(contentsOf: url)))
        let image = packets.first { $0.event == UInt8(ascii: "C") && $0.transferType == 3 && $0.endpoint == 0x82 }
        return try XCTUnwrap(image?.data, "no bulk IN 0x82 completion in the recording")
    }

    func testRecordedImageDecodesToCapturePNG() throws {
        let transfer = try Self.recordedImageTransfer()
        XCTAssertEqual(transfer.count, 111_040)
        let plan = try URU4000ImageDecoder.plan(transfer: transfer)
        XCTAssertEqual(plan.header.numberOfLines, 289)
        XCTAssertEqual(plan.header.keyNumber, 5)
        XCTAssertEqual(URU4000ImageDecoder.noise(transfer: transfer, header: plan.header), 10_849)
        XCTAssertTrue(plan.scrambled)
        XCTAssertEqual(plan.keyNumbers, [5])
        XCTAssertEqual(plan.header.walkedBlocks.count, 8)
        let image = try URU4000ImageDecoder.decode(transfer, plan: plan, keys: [0xDB89_6F5F], orientation: URU4000Orientation())
        let expected = try ImageFile.read(Self.fixtureDirectory.appendingPathComponent("capture.png").path).grayImage
        XCTAssertEqual(image.width, expected.width)
        XCTAssertEqual(image.height, expected.height)
        XCTAssertEqual(zip(image.pixels, expected.pixels).filter { $0 != $1 }.count, 0)
        // The gap block repeats the row after it.
        XCTAssertEqual(Array(image.pixels[117 * 384..<118 * 384]), Array(image.pixels[118 * 384..<119 * 384]))
    }

    func testWrongKeyGivesADifferentImage() throws {
        let transfer = try Self.recordedImageTransfer()
        let plan = try URU4000ImageDecoder.plan(transfer: transfer)
        let image = try URU4000ImageDecoder.decode(transfer, plan: plan, keys: [0x1234_5678], orientation: URU4000Orientation())
        let expected = try ImageFile.read(Self.fixtureDirectory.appendingPathComponent("capture.png").path).grayImage
        XCTAssertGreaterThan(zip(image.pixels, expected.pixels).filter { $0 != $1 }.count, 10_000)
    }
}

/// Just enough pcapng (usbmon, link type 220) to find the recorded transfers.
enum PcapngUSBReader {
    struct Packet {
        var event: UInt8
        var transferType: UInt8
        var endpoint: UInt8
        var data: [UInt8]
    }

    static func packets(_ bytes: [UInt8]) throws -> [Packet] {
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        var packets: [Packet] = []
        var offset = 0
        while offset + 12 <= bytes.count {
            let type = u32(offset)
            let length = u32(offset + 4)
            guard length >= 12, offset + length <= bytes.count else { break }
            if type == 6, length >= 28 {
                let captured = u32(offset + 20)
                let start = offset + 28
                if captured >= 64, start + captured <= bytes.count {
                    let header = Array(bytes[start..<start + 64])
                    packets.append(Packet(event: header[8], transferType: header[9], endpoint: header[10],
                                          data: Array(bytes[start + 64..<start + captured])))
                }
            }
            offset += length
        }
        return packets
    }
}
