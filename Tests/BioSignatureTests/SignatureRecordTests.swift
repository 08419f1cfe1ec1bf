import BioCapture
import XCTest

@testable import BioSignature

final class SignatureRecordTests: XCTestCase {
    let generator = SyntheticSignatureGenerator()
    let captureDate = Date(timeIntervalSince1970: 1_764_072_000.250)  // 2025-11-25 12:00:00.250 UTC

    private func representation(_ points: [PenPoint]) -> SignatureRepresentation {
        SignatureRepresentation(
            points: points, areaWidth: 96, areaHeight: 60, capturedAt: captureDate, vendorID: 0x056A,
            productID: 0x00A4, quality: 77, pressureLevels: 1024)
    }

    func testUniformSeriesRoundTripsExactlyWithoutATimeChannel() throws {
        let points = generator.signature(signer: 3)
        let bytes = try SignatureRecordCodec.encode(SignatureRecord(representations: [representation(points)]))
        XCTAssertEqual(Array(bytes[0..<4]), Array("BCSG".utf8))
        XCTAssertEqual(Array(bytes[4..<8]), [0x30, 0x31, 0x30, 0x00])
        XCTAssertEqual(readU32(bytes, 8), UInt32(bytes.count))
        XCTAssertEqual(readU16(bytes, 12), 1)
        // Representation: sampling interval 5000 µs, channels X Y F S P (no T).
        XCTAssertEqual(readU16(bytes, 16 + 22), 5000)
        XCTAssertEqual(readU16(bytes, 16 + 24), 0x8000 | 0x4000 | 0x1000 | 0x0800 | 0x0400)
        let channelsEnd = 16 + 26 + 5 * 8
        XCTAssertEqual(readU32(bytes, channelsEnd), UInt32(points.count))
        XCTAssertEqual(bytes.count, channelsEnd + 4 + points.count * 8)
        // First sample: X and Y in 0.01 mm, big-endian.
        XCTAssertEqual(readU16(bytes, channelsEnd + 4), UInt16((points[0].x * 100).rounded()))

        let decoded = try SignatureRecordCodec.decode(bytes)
        XCTAssertEqual(decoded.representations.count, 1)
        let back = decoded.representations[0]
        XCTAssertEqual(back.areaWidth, 96)
        XCTAssertEqual(back.areaHeight, 60)
        XCTAssertEqual(back.vendorID, 0x056A)
        XCTAssertEqual(back.productID, 0x00A4)
        XCTAssertEqual(back.quality, 77)
        XCTAssertEqual(back.pressureLevels, 1024)
        XCTAssertEqual(back.capturedAt?.timeIntervalSince1970 ?? 0, captureDate.timeIntervalSince1970, accuracy: 0.0005)
        XCTAssertEqual(back.points.count, points.count)
        for (original, decoded) in zip(points, back.points) {
            // The synthetic series is already on the pad's grid, so it survives exactly.
            XCTAssertEqual(decoded.x, original.x, accuracy: 1e-9)
            XCTAssertEqual(decoded.y, original.y, accuracy: 1e-9)
            XCTAssertEqual(decoded.pressure, original.pressure, accuracy: 1e-9)
            XCTAssertEqual(decoded.milliseconds, original.milliseconds, accuracy: 1e-9)
            XCTAssertEqual(decoded.tipDown, original.tipDown)
            XCTAssertEqual(decoded.inRange, original.inRange)
        }
        XCTAssertEqual(try SignatureRecordCodec.encode(decoded), bytes, "re-encoding is byte-identical")
    }

    func testIrregularTimesUseATimeChannelAndQuantise() throws {
        var points: [PenPoint] = []
        for index in 0..<50 {
            points.append(
                PenPoint(
                    x: 10 + 0.123456 * Double(index), y: 20.004, pressure: 0.3337, tipDown: index % 10 != 9, inRange: true,
                    milliseconds: 3.33 * Double(index) + (index % 3 == 0 ? 0.07 : 0)))
        }
        let record = SignatureRecord(representations: [SignatureRepresentation(points: points, areaWidth: 96, areaHeight: 60)])
        let bytes = try SignatureRecordCodec.encode(record)
        XCTAssertEqual(readU16(bytes, 16 + 22), 0, "no uniform interval")
        XCTAssertNotEqual(readU16(bytes, 16 + 24) & 0x2000, 0, "time channel present")
        XCTAssertEqual(Array(bytes[16 + 4..<16 + 13]), [UInt8](repeating: 0xFF, count: 9), "unknown date")
        XCTAssertEqual(bytes[16 + 17], 255, "quality not computed")
        let back = try SignatureRecordCodec.decode(bytes).representations[0]
        XCTAssertNil(back.capturedAt)
        XCTAssertNil(back.quality)
        for (original, decoded) in zip(points, back.points) {
            XCTAssertEqual(decoded.x, original.x, accuracy: 0.005)
            XCTAssertEqual(decoded.y, original.y, accuracy: 0.005)
            XCTAssertEqual(decoded.pressure, original.pressure, accuracy: 0.5 / 1023)
            XCTAssertEqual(decoded.milliseconds, original.milliseconds, accuracy: 0.0501)
            XCTAssertEqual(decoded.tipDown, original.tipDown)
        }
        XCTAssertEqual(try SignatureRecordCodec.encode(SignatureRecordCodec.decode(bytes)), bytes)
    }

    func testSeveralRepresentationsAndAnEmptyOne() throws {
        let record = SignatureRecord(representations: [
            representation(generator.signature(signer: 1)), representation([]), representation(generator.defective(.dot, seed: 2)),
        ])
        let back = try SignatureRecordCodec.decode(SignatureRecordCodec.encode(record))
        XCTAssertEqual(back.representations.map(\.points.count), record.representations.map(\.points.count))
    }

    func testEncodingRefusesValuesItCannotRepresent() {
        func fails(_ point: PenPoint, _ file: StaticString = #filePath, _ line: UInt = #line) {
            let record = SignatureRecord(representations: [representation([point])])
            XCTAssertThrowsError(try SignatureRecordCodec.encode(record), file: file, line: line)
        }
        fails(PenPoint(x: .nan, y: 1, pressure: 0, tipDown: false, inRange: true, milliseconds: 0))
        fails(PenPoint(x: -1, y: 1, pressure: 0, tipDown: false, inRange: true, milliseconds: 0))
        fails(PenPoint(x: 97, y: 1, pressure: 0, tipDown: false, inRange: true, milliseconds: 0))
        fails(PenPoint(x: 1, y: 1, pressure: 1.2, tipDown: true, inRange: true, milliseconds: 0))
        fails(PenPoint(x: 1, y: 1, pressure: 0, tipDown: false, inRange: true, milliseconds: -3))
        XCTAssertThrowsError(try SignatureRecordCodec.encode(SignatureRecord(representations: [])))
        var bad = representation([])
        bad.areaWidth = 0
        XCTAssertThrowsError(try SignatureRecordCodec.encode(SignatureRecord(representations: [bad])))
    }

    func testSpecificDefectsNameTheirOffset() throws {
        let good = try SignatureRecordCodec.encode(SignatureRecord(representations: [representation(generator.signature(signer: 4))]))
        func expect(_ bytes: [UInt8], _ kind: SignatureRecordError.Kind, at offset: Int, _ line: UInt = #line) {
            XCTAssertThrowsError(try SignatureRecordCodec.decode(bytes), line: line) { error in
                guard let error = error as? SignatureRecordError else { return XCTFail("\(error)", line: line) }
                XCTAssertEqual(error.kind, kind, "\(error)", line: line)
                XCTAssertEqual(error.offset, offset, "\(error)", line: line)
                XCTAssertTrue(error.description.contains("byte \(offset)"), line: line)
                XCTAssertEqual(error.fault.code, .decodeFailed, line: line)
            }
        }
        var bytes = good
        bytes[1] = 0x58
        expect(bytes, .badFormatIdentifier, at: 0)
        bytes = good
        bytes[5] = 0x32
        expect(bytes, .unsupportedVersion, at: 4)
        expect(good + [0], .lengthMismatch, at: 8)
        expect([], .truncated, at: 0)
        bytes = good
        bytes[15] = 1
        expect(bytes, .invalidField, at: 14)
        // Sample 1's time would be earlier than sample 0's: switch to explicit time is not
        // possible here, so break the pressure value instead (must be ≤ 1023).
        let firstSample = 16 + 26 + 5 * 8 + 4
        bytes = good
        bytes[firstSample + 4] = 0xFF
        expect(bytes, .valueOutOfRange, at: firstSample + 4)
        bytes = good
        bytes[firstSample + 6] = 2
        expect(bytes, .valueOutOfRange, at: firstSample + 6)
        bytes = good
        bytes[16 + 24] = 0x00  // clear X and Y
        expect(bytes, .invalidField, at: 16 + 24)
        bytes = good
        bytes[16 + 22] = 0
        bytes[16 + 23] = 0  // uniform interval removed while there is no time channel
        expect(bytes, .invalidField, at: 16 + 22)
        bytes = good
        bytes[16 + 6] = 13  // month 13
        expect(bytes, .valueOutOfRange, at: 16 + 4)
    }

    func testTimeGoingBackwardsIsRejected() throws {
        let points = (0..<10).map { PenPoint(x: 1, y: 1, pressure: 0.5, tipDown: true, inRange: true, milliseconds: Double($0) * 7.5 + 1) }
        var bytes = try SignatureRecordCodec.encode(SignatureRecord(representations: [representation(points)]))
        // Channels X Y T F S P: samples of 2+2+4+2+1+1 = 12 bytes; set sample 5's time to 0.
        let samples = 16 + 26 + 6 * 8 + 4
        let sample5 = samples + 5 * 12
        for index in 4..<8 { bytes[sample5 + index] = 0 }
        XCTAssertThrowsError(try SignatureRecordCodec.decode(bytes)) { error in
            guard let error = error as? SignatureRecordError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .timeNotMonotonic)
            XCTAssertEqual(error.offset, sample5)
        }
    }

    func testEveryTruncationIsAnErrorNeverACrash() throws {
        let points = Array(generator.signature(signer: 8).prefix(60))
        let bytes = try SignatureRecordCodec.encode(SignatureRecord(representations: [representation(points)]))
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try SignatureRecordCodec.decode(Array(bytes.prefix(length))), "truncated to \(length)") { error in
                guard let error = error as? SignatureRecordError else { return XCTFail("\(error)") }
                XCTAssertTrue(error.offset >= 0 && error.offset <= length, "offset \(error.offset) within \(length) bytes")
            }
        }
        XCTAssertNoThrow(try SignatureRecordCodec.decode(bytes))
    }

    func testBitFlipsNeverCrash() throws {
        let points = generator.signature(signer: 12)
        let bytes = try SignatureRecordCodec.encode(SignatureRecord(representations: [representation(points)]))
        var random = SeededRandom(seed: 0xF11F)
        var rejected = 0
        var violations = 0
        for _ in 0..<1200 {
            var corrupt = bytes
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let index = Int(random.next() % UInt64(corrupt.count))
                corrupt[index] ^= UInt8(1) << UInt8(random.next() % 8)
            }
            do {
                let record = try SignatureRecordCodec.decode(corrupt)
                // Whatever decodes must satisfy the format's invariants.
                for representation in record.representations {
                    for point in representation.points
                    where !(point.x >= 0 && point.x <= representation.areaWidth && point.pressure >= 0 && point.pressure <= 1) {
                        violations += 1
                    }
                }
            } catch {
                rejected += 1
            }
        }
        XCTAssertEqual(violations, 0)
        // Header flips are always caught; sample flips within range are legitimately accepted.
        XCTAssertGreaterThan(rejected, 40)
    }

    private func readU16(_ bytes: [UInt8], _ offset: Int) -> UInt16 { UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]) }
    private func readU32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
