import BioCapture
import XCTest

@testable import UVC

final class UVCPayloadTests: XCTestCase {
    // MARK: Helpers

    private func payload(fid: Bool, eof: Bool = false, error: Bool = false, still: Bool = false,
                         pts: UInt32? = nil, _ data: [UInt8]) -> [UInt8] {
        var flags: UVCPayloadFlags = [.endOfHeader]
        if fid { flags.insert(.frameID) }
        if eof { flags.insert(.endOfFrame) }
        if error { flags.insert(.error) }
        if still { flags.insert(.stillImage) }
        if pts != nil { flags.insert(.presentationTime) }
        let header = UVCPayloadHeader(length: pts == nil ? 2 : 6, flags: flags, presentationTime: pts)
        return header.encoded + data
    }

    private func frames(_ events: [UVCAssemblerEvent]) -> [UVCVideoFrame] {
        events.compactMap { if case .frame(let frame) = $0 { return frame } else { return nil } }
    }

    private func discarded(_ events: [UVCAssemblerEvent]) -> [UVCFrameDiscardReason] {
        events.compactMap { if case .discarded(let frame) = $0 { return frame.reason } else { return nil } }
    }

    private func feed(_ assembler: inout UVCFrameAssembler, _ payloads: [[UInt8]], finish: Bool = false) -> [UVCAssemblerEvent] {
        var events: [UVCAssemblerEvent] = []
        for payload in payloads { assembler.append(payload) { events.append($0) } }
        if finish { assembler.finish { events.append($0) } }
        return events
    }

    /// A 4x2 YUY2 frame is 16 bytes.
    private func uncompressed() -> UVCFrameAssembler {
        UVCFrameAssembler(configuration: .init(kind: .uncompressed(frameSize: 16), maxFrameSize: 0))
    }

    /// A small baseline JPEG structure: SOI, APP0 "AVI1", DQT, SOF0, SOS, scan bytes, EOI (no DHT).
    private func jpegWithoutHuffmanTables(scan: [UInt8] = [0x12, 0x34, 0xFF, 0x00, 0x56]) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += [0xFF, 0xE0, 0x00, 0x08, 0x41, 0x56, 0x49, 0x31, 0x00, 0x00]
        bytes += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        bytes += [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 0x01, 0x21, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
        bytes += [0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00]
        bytes += scan + [0xFF, 0xD9]
        return bytes
    }

    private func occurrences(of marker: UInt8, in bytes: [UInt8]) -> [Int] {
        bytes.indices.dropLast().filter { bytes[$0] == 0xFF && bytes[$0 + 1] == marker }
    }

    // MARK: Header

    func testHeaderTestVectorFromTheFactsFile() throws {
        let bytes: [UInt8] = [0x0C, 0x8D, 0x78, 0x56, 0x34, 0x12, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0xAA]
        let header = try UVCPayloadHeader(parsing: bytes)
        XCTAssertEqual(header.length, 12)
        XCTAssertEqual(header.flags, [.endOfHeader, .sourceClockReference, .presentationTime, .frameID])
        XCTAssertFalse(header.flags.contains(.endOfFrame))
        XCTAssertEqual(header.presentationTime, 0x1234_5678)
        XCTAssertEqual(header.sourceClock, UVCSourceClock(sourceTimeClock: 0x0403_0201, sofCounter: 0x0605))
        XCTAssertEqual(header.encoded, Array(bytes.prefix(12)))
    }

    func testInvalidHeaders() {
        XCTAssertThrowsError(try UVCPayloadHeader(parsing: [0x02])) {
            XCTAssertEqual($0 as? UVCPayloadHeaderError, .payloadTooShort(1))
        }
        XCTAssertThrowsError(try UVCPayloadHeader(parsing: [0x01, 0x80])) {
            XCTAssertEqual($0 as? UVCPayloadHeaderError, .invalidHeaderLength(headerLength: 1, payloadLength: 2))
        }
        XCTAssertThrowsError(try UVCPayloadHeader(parsing: [0x0C, 0x80, 0, 0])) {
            XCTAssertEqual($0 as? UVCPayloadHeaderError, .invalidHeaderLength(headerLength: 12, payloadLength: 4))
        }
        XCTAssertThrowsError(try UVCPayloadHeader(parsing: [0x04, 0x8C, 0, 0])) {
            XCTAssertEqual($0 as? UVCPayloadHeaderError, .fieldsExceedHeader(headerLength: 4, required: 12))
        }
        XCTAssertEqual(try UVCPayloadHeader(parsing: [0x02, 0x83]).flags, [.endOfHeader, .endOfFrame, .frameID])
    }

    // MARK: Assembly

    func testFramesWithEOFAndFIDToggles() {
        var assembler = uncompressed()
        let first = Array(0..<16).map(UInt8.init)
        let second = Array(100..<116).map(UInt8.init)
        let events = feed(&assembler, [
            payload(fid: false, pts: 1000, Array(first[0..<6])),
            [],  // zero-length isochronous packet
            payload(fid: false, pts: 1001, Array(first[6..<12])),
            payload(fid: false, eof: true, Array(first[12..<16])),
            payload(fid: true, Array(second[0..<10])),
            payload(fid: true, eof: true, Array(second[10..<16])),
        ])
        let delivered = frames(events)
        XCTAssertEqual(delivered.map(\.data), [first, second])
        XCTAssertEqual(delivered.map(\.frameID), [false, true])
        XCTAssertEqual(delivered.first?.presentationTime, 1000, "the first PTS of the frame")
        XCTAssertEqual(delivered.map(\.sequence), [1, 2])
        XCTAssertTrue(delivered.allSatisfy(\.endedWithEndOfFrame))
        XCTAssertEqual(assembler.statistics.framesDelivered, 2)
        XCTAssertEqual(assembler.statistics.emptyPayloads, 1)
        XCTAssertEqual(assembler.statistics.payloads, 6)
        XCTAssertEqual(assembler.statistics.payloadBytes, 32)
        XCTAssertEqual(assembler.statistics.framesDiscarded, 0)
    }

    func testFramesWithoutEOFEndAtTheFIDToggle() {
        var assembler = uncompressed()
        let events = feed(&assembler, [
            payload(fid: true, [UInt8](repeating: 1, count: 8)),
            payload(fid: true, [UInt8](repeating: 2, count: 8)),
            payload(fid: false, [UInt8](repeating: 3, count: 16)),
            payload(fid: true, [UInt8](repeating: 4, count: 16)),
        ], finish: true)
        XCTAssertEqual(frames(events).map { $0.data.first }, [1, 3, 4])
        XCTAssertTrue(frames(events).allSatisfy { !$0.endedWithEndOfFrame })
        XCTAssertEqual(assembler.statistics.framesWithoutEndOfFrame, 3)
        XCTAssertEqual(discarded(events), [])
    }

    func testFIDToggleBeforeTheFrameIsCompleteDropsIt() {
        var assembler = uncompressed()
        let events = feed(&assembler, [
            payload(fid: false, [UInt8](repeating: 1, count: 10)),
            payload(fid: true, [UInt8](repeating: 2, count: 16)),
            payload(fid: false, eof: true, []),
        ], finish: true)
        XCTAssertEqual(discarded(events), [.dropped])
        XCTAssertEqual(frames(events).map(\.data), [[UInt8](repeating: 2, count: 16)])
        XCTAssertEqual(assembler.statistics.framesDropped, 1)
        if case .discarded(let info) = events.first {
            XCTAssertEqual(info.byteCount, 10)
            XCTAssertTrue(info.detail.contains("10 of 16"))
        } else {
            XCTFail("first event is not the dropped frame")
        }
    }

    func testShortErrorAndOversizeFrames() {
        var assembler = uncompressed()
        let events = feed(&assembler, [
            payload(fid: false, eof: true, [UInt8](repeating: 1, count: 12)),  // short
            payload(fid: true, [UInt8](repeating: 2, count: 8)),
            payload(fid: true, eof: true, error: true, [UInt8](repeating: 2, count: 8)),  // ERR
            payload(fid: false, [UInt8](repeating: 3, count: 16)),
            payload(fid: false, eof: true, [UInt8](repeating: 3, count: 4)),  // 20 bytes: oversize
            payload(fid: true, error: true, []),  // header-only ERR payload, then EOF
            payload(fid: true, eof: true, []),
            payload(fid: false, eof: true, [UInt8](repeating: 5, count: 16)),  // good
        ])
        XCTAssertEqual(discarded(events), [.short, .error, .oversize, .error])
        XCTAssertEqual(frames(events).map { $0.data.first }, [5])
        let statistics = assembler.statistics
        XCTAssertEqual(statistics.framesShort, 1)
        XCTAssertEqual(statistics.framesError, 2)
        XCTAssertEqual(statistics.framesOversize, 1)
        XCTAssertEqual(statistics.framesDelivered, 1)
        XCTAssertEqual(statistics.framesDiscarded, 4)
    }

    func testFailedPacketsAndBadHeadersDamageFrames() {
        var assembler = uncompressed()
        var events: [UVCAssemblerEvent] = []
        let emit: (UVCAssemblerEvent) -> Void = { events.append($0) }
        assembler.append(packet: USBIsochronousPacket(data: payload(fid: false, [UInt8](repeating: 1, count: 8))), emit: emit)
        assembler.append(packet: USBIsochronousPacket(data: [], failure: .overflow), emit: emit)
        assembler.append(packet: USBIsochronousPacket(data: payload(fid: false, eof: true, [UInt8](repeating: 1, count: 8))), emit: emit)
        // A header claiming more bytes than the packet holds: the next frame is damaged.
        assembler.append(packet: USBIsochronousPacket(data: payload(fid: true, [UInt8](repeating: 2, count: 8))), emit: emit)
        assembler.append(packet: USBIsochronousPacket(data: [0x40, 0x81, 1, 2, 3]), emit: emit)
        assembler.append(packet: USBIsochronousPacket(data: payload(fid: true, eof: true, [UInt8](repeating: 2, count: 8))), emit: emit)
        // A failed packet between frames damages the next frame, whose start may be lost.
        assembler.append(packet: USBIsochronousPacket(data: [], failure: .io), emit: emit)
        assembler.append(packet: USBIsochronousPacket(data: payload(fid: false, eof: true, [UInt8](repeating: 3, count: 16))), emit: emit)
        assembler.append(packet: USBIsochronousPacket(data: payload(fid: true, eof: true, [UInt8](repeating: 4, count: 16))), emit: emit)
        XCTAssertEqual(discarded(events), [.damaged, .damaged, .damaged])
        XCTAssertEqual(frames(events).map { $0.data.first }, [4])
        XCTAssertEqual(assembler.statistics.failedPackets, 2)
        XCTAssertEqual(assembler.statistics.invalidHeaders, 1)
        XCTAssertEqual(assembler.statistics.framesDamaged, 3)
    }

    func testStillImageFlagIsCarried() {
        var assembler = uncompressed()
        let events = feed(&assembler, [payload(fid: false, eof: true, still: true, [UInt8](repeating: 9, count: 16))])
        XCTAssertEqual(frames(events).first?.isStillImage, true)
    }

    func testMemoryIsBoundedForOversizeCompressedFrames() {
        var assembler = UVCFrameAssembler(configuration: .init(kind: .mjpeg, maxFrameSize: 100))
        var payloads: [[UInt8]] = [payload(fid: false, [0xFF, 0xD8] + [UInt8](repeating: 0, count: 98))]
        for _ in 0..<1000 { payloads.append(payload(fid: false, [UInt8](repeating: 0, count: 1000))) }
        payloads.append(payload(fid: false, eof: true, [0xFF, 0xD9]))
        let events = feed(&assembler, payloads)
        XCTAssertEqual(discarded(events), [.oversize])
        if case .discarded(let info) = events.first { XCTAssertEqual(info.byteCount, 100 + 1_000_000 + 2) }
    }

    // MARK: MJPEG

    func testDefaultHuffmanSegment() {
        let segment = MJPEGFrame.defaultHuffmanSegment
        XCTAssertEqual(Array(segment.prefix(4)), [0xFF, 0xC4, 0x01, 0xA2])
        XCTAssertEqual(segment.count, 2 + 0x01A2)
        // Each table: class/id, 16 counts, then as many values as the counts add up to.
        var offset = 4
        var tables: [UInt8] = []
        while offset < segment.count {
            tables.append(segment[offset])
            let counts = segment[(offset + 1)...(offset + 16)].reduce(0) { $0 + Int($1) }
            offset += 17 + counts
        }
        XCTAssertEqual(offset, segment.count)
        XCTAssertEqual(tables, [0x00, 0x01, 0x10, 0x11])
    }

    /// The four DHT segments libjpeg-turbo 2.1.5 `cjpeg` wrote for a synthetic 64x48 image with its
    /// default (non-optimised) tables: an independent source for the Annex K tables.
    private let libjpegDefaultHuffmanSegments: [String] = [
        "ffc4001f0000010501010101010100000000000000000102030405060708090a0b",
        "ffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa",
        "ffc4001f0100030101010101010101010000000000000102030405060708090a0b",
        "ffc400b51100020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa",
    ]

    func testDefaultTablesEqualTheOnesLibjpegWrites() throws {
        var libjpegTables: [[UInt8]] = []
        for hexText in libjpegDefaultHuffmanSegments {
            var segment: [UInt8] = []
            var index = hexText.startIndex
            while index < hexText.endIndex {
                let next = hexText.index(index, offsetBy: 2)
                segment.append(try XCTUnwrap(UInt8(hexText[index..<next], radix: 16)))
                index = next
            }
            XCTAssertEqual(Array(segment.prefix(2)), [0xFF, 0xC4])
            libjpegTables.append(Array(segment.dropFirst(4)))  // one table per segment
        }
        let ours = MJPEGFrame.defaultHuffmanSegment
        var offset = 4
        var ourTables: [[UInt8]] = []
        while offset < ours.count {
            let count = ours[(offset + 1)...(offset + 16)].reduce(0) { $0 + Int($1) }
            ourTables.append(Array(ours[offset..<(offset + 17 + count)]))
            offset += 17 + count
        }
        XCTAssertEqual(ourTables.sorted { $0[0] < $1[0] }, libjpegTables.sorted { $0[0] < $1[0] })
    }

    func testMJPEGFrameWithoutDHTGetsTheTablesBeforeSOSExactlyOnce() throws {
        let jpeg = jpegWithoutHuffmanTables()
        var assembler = UVCFrameAssembler(configuration: .init(kind: .mjpeg, maxFrameSize: 10_000))
        let events = feed(&assembler, [
            payload(fid: false, Array(jpeg[0..<50])),
            payload(fid: false, eof: true, Array(jpeg[50...])),
        ])
        let frame = try XCTUnwrap(frames(events).first)
        XCTAssertTrue(frame.huffmanTablesInserted)
        XCTAssertEqual(assembler.statistics.huffmanTablesInserted, 1)
        let dht = occurrences(of: 0xC4, in: frame.data)
        let sos = occurrences(of: 0xDA, in: frame.data)
        XCTAssertEqual(dht.count, 1)
        XCTAssertEqual(sos.count, 1)
        XCTAssertEqual(dht.first.map { $0 + MJPEGFrame.defaultHuffmanSegment.count }, sos.first, "DHT immediately before SOS")
        XCTAssertEqual(frame.data.count, jpeg.count + MJPEGFrame.defaultHuffmanSegment.count)
        XCTAssertEqual(Array(frame.data.suffix(9)), Array(jpeg.suffix(9)), "scan data and EOI untouched")
        // Inserting again changes nothing: the frame now has its tables.
        XCTAssertEqual(try MJPEGFrame.insertingDefaultHuffmanTables(frame.data), frame.data)
    }

    func testMJPEGFrameWithDHTIsUnchanged() throws {
        let plain = jpegWithoutHuffmanTables()
        let sos = try XCTUnwrap(occurrences(of: 0xDA, in: plain).first)
        let withTables = Array(plain[..<sos]) + MJPEGFrame.defaultHuffmanSegment + Array(plain[sos...])
        var assembler = UVCFrameAssembler(configuration: .init(kind: .mjpeg, maxFrameSize: 10_000))
        let events = feed(&assembler, [payload(fid: true, eof: true, withTables)])
        XCTAssertEqual(frames(events).first?.data, withTables)
        XCTAssertEqual(frames(events).first?.huffmanTablesInserted, false)
    }

    func testBrokenMJPEGFrames() {
        var assembler = UVCFrameAssembler(configuration: .init(kind: .mjpeg, maxFrameSize: 10_000))
        let jpeg = jpegWithoutHuffmanTables()
        let events = feed(&assembler, [
            payload(fid: false, eof: true, Array(jpeg.dropFirst(2))),  // no SOI
            payload(fid: true, eof: true, Array(jpeg.dropLast(2))),  // no EOI
            payload(fid: false, Array(jpeg.dropLast(2))),  // no EOI, ended by FID toggle
            payload(fid: true, eof: true, [0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0xFF, 0xD9]),  // segment runs past the frame
            payload(fid: false, eof: true, jpeg),
        ])
        XCTAssertEqual(discarded(events), [.damaged, .short, .dropped, .damaged])
        XCTAssertEqual(frames(events).count, 1)
    }

    func testMarkerScanErrors() {
        XCTAssertThrowsError(try MJPEGFrame.insertingDefaultHuffmanTables([0x00, 0x01])) {
            XCTAssertEqual($0 as? MJPEGFrame.Problem, .missingStartOfImage)
        }
        XCTAssertThrowsError(try MJPEGFrame.insertingDefaultHuffmanTables([0xFF, 0xD8, 0xFF, 0xD9])) {
            XCTAssertEqual($0 as? MJPEGFrame.Problem, .missingStartOfScan)
        }
        XCTAssertThrowsError(try MJPEGFrame.insertingDefaultHuffmanTables([0xFF, 0xD8, 0x12])) {
            XCTAssertEqual($0 as? MJPEGFrame.Problem, .expectedMarker(offset: 2))
        }
        XCTAssertThrowsError(try MJPEGFrame.insertingDefaultHuffmanTables([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x11])) {
            XCTAssertEqual($0 as? MJPEGFrame.Problem, .missingEndOfImage)
        }
        // Truncation at every offset of a valid frame never crashes.
        let jpeg = jpegWithoutHuffmanTables()
        for cut in 0..<jpeg.count {
            XCTAssertThrowsError(try MJPEGFrame.insertingDefaultHuffmanTables(Array(jpeg[..<cut])), "cut \(cut)")
        }
    }
}
