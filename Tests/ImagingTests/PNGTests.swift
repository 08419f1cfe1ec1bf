import BioCapture
import Foundation
import XCTest

@testable import Imaging

final class PNGTests: XCTestCase {
    // MARK: Round trips through the module's encoder

    func testGrayRoundTripIsExactForEveryFilterStrategy() throws {
        let original = Synthetic.gray(width: 67, height: 41)
        var strategies: [PNG.FilterStrategy] = [.adaptive]
        strategies += PNG.FilterType.allCases.map { .fixed($0) }
        for strategy in strategies {
            let encoded = try PNG.encode(original, options: .init(filter: strategy))
            XCTAssertEqual(try PNG.decode(encoded), .gray(original), "\(strategy)")
        }
    }

    func testRGBRoundTripIsExact() throws {
        let original = Synthetic.rgb(width: 53, height: 29)
        for level in [0, 1, 6, 9] {
            let encoded = try PNG.encode(original, options: .init(compressionLevel: level))
            XCTAssertEqual(try PNG.decode(encoded), .rgb(original), "level \(level)")
        }
    }

    func testAdaptiveFilterCompressesBetterThanNoFilterOnAGradient() throws {
        let original = Synthetic.gray(width: 200, height: 100)
        let adaptive = try PNG.encode(original)
        let unfiltered = try PNG.encode(original, options: .init(filter: .fixed(.none)))
        XCTAssertLessThan(adaptive.count, unfiltered.count)
    }

    func testEncoderOutputStructure() throws {
        let encoded = try PNG.encode(GrayImage(width: 3, height: 2, filledWith: 7))
        XCTAssertEqual(Array(encoded.prefix(8)), TestPNG.signature)
        // IHDR: length 13, "IHDR", 3 x 2, depth 8, colour type 0, then its CRC.
        XCTAssertEqual(Array(encoded[8..<33]), TestPNG.ihdr(width: 3, height: 2, bitDepth: 8, colorType: 0))
        XCTAssertEqual(Array(encoded.suffix(12)), TestPNG.chunk("IEND", []))
        let rgb = try PNG.encode(RGBImage(width: 1, height: 1, red: 1, green: 2, blue: 3))
        XCTAssertEqual(rgb[25], 2, "colour type 2 for RGB")
    }

    func testInvalidCompressionLevelIsRejected() {
        let error = expectCodecError { () throws(ImageCodecError) in
            try PNG.encode(GrayImage(width: 2, height: 2), options: .init(compressionLevel: 10))
        }
        XCTAssertEqual(error?.kind, .invalidArgument)
    }

    // MARK: Hand-built PNGs (test-side filters, stored zlib, bitwise CRC)

    static func greyRows(width: Int, height: Int) -> [[UInt8]] {
        (0..<height).map { y in (0..<width).map { x in UInt8(truncatingIfNeeded: x * 37 + y * 11 + (x * y) % 7) } }
    }

    func testEveryFilterTypeDecodesGrey() throws {
        let rows = Self.greyRows(width: 13, height: 9)
        let expected = rows.flatMap { $0 }
        for filter: UInt8 in 0...4 {
            let png = TestPNG.make(width: 13, height: 9, bitDepth: 8, colorType: 0, rows: rows, bpp: 1, filters: [filter])
            XCTAssertEqual(try PNG.decode(png).pixels, expected, "filter \(filter)")
        }
        let mixed = TestPNG.make(width: 13, height: 9, bitDepth: 8, colorType: 0, rows: rows, bpp: 1,
                                 filters: [4, 3, 2, 1, 0])
        XCTAssertEqual(try PNG.decode(mixed).pixels, expected, "a different filter on each row")
    }

    func testEveryFilterTypeDecodesRGBAndRGBA() throws {
        let width = 11, height = 7
        let rgbRows = (0..<height).map { y in
            (0..<(width * 3)).map { i in UInt8(truncatingIfNeeded: i * 29 + y * 53 + (i % 3) * 80) }
        }
        for filter: UInt8 in 0...4 {
            let png = TestPNG.make(width: width, height: height, bitDepth: 8, colorType: 2, rows: rgbRows, bpp: 3,
                                   filters: [filter])
            let decoded = try PNG.decode(png)
            XCTAssertEqual(decoded.channels, 3)
            XCTAssertEqual(decoded.pixels, rgbRows.flatMap { $0 }, "RGB filter \(filter)")
        }
        // RGBA: the decoder must use 4 bytes per pixel for filtering and then drop alpha.
        let rgbaRows = (0..<height).map { y in
            (0..<(width * 4)).map { i in UInt8(truncatingIfNeeded: i * 13 + y * 71) }
        }
        let expectedRGB = rgbaRows.flatMap { row in (0..<width).flatMap { x in row[(x * 4)..<(x * 4 + 3)] } }
        for filter: UInt8 in 0...4 {
            let png = TestPNG.make(width: width, height: height, bitDepth: 8, colorType: 6, rows: rgbaRows, bpp: 4,
                                   filters: [filter])
            XCTAssertEqual(try PNG.decode(png), .rgb(try XCTUnwrap(RGBImage(width: width, height: height,
                                                                            pixels: expectedRGB))),
                           "RGBA filter \(filter)")
        }
    }

    func testGreyAlphaAndSixteenBitAndLowBitDepths() throws {
        // Grey + alpha, 8-bit: alpha dropped.
        let gaRows: [[UInt8]] = [[10, 255, 20, 0, 30, 128], [40, 1, 50, 2, 60, 3]]
        let ga = TestPNG.make(width: 3, height: 2, bitDepth: 8, colorType: 4, rows: gaRows, bpp: 2, filters: [4])
        XCTAssertEqual(try PNG.decode(ga), .gray(try XCTUnwrap(GrayImage(width: 3, height: 2, pixels: [10, 20, 30, 40, 50, 60]))))

        // 16-bit grey: scaled to 8 bits with rounding (0x8080 → 128, 0xFFFF → 255, 0x0080 → 0).
        let sixteen: [[UInt8]] = [[0x80, 0x80, 0xFF, 0xFF, 0x00, 0x80]]
        let g16 = TestPNG.make(width: 3, height: 1, bitDepth: 16, colorType: 0, rows: sixteen, bpp: 2, filters: [1])
        XCTAssertEqual(try PNG.decode(g16).pixels, [128, 255, 0])

        // 16-bit RGB.
        let rgb16: [[UInt8]] = [[0xFF, 0xFF, 0x00, 0x00, 0x7F, 0xFF]]
        let c16 = TestPNG.make(width: 1, height: 1, bitDepth: 16, colorType: 2, rows: rgb16, bpp: 6, filters: [0])
        XCTAssertEqual(try PNG.decode(c16).pixels, [255, 0, 127])

        // 1-bit grey, 10 pixels wide (2 bytes per row, the last 6 bits padding).
        let oneBit: [[UInt8]] = [[0b1010_0000, 0b1100_0000], [0b0000_0001, 0b0000_0000]]
        let g1 = TestPNG.make(width: 10, height: 2, bitDepth: 1, colorType: 0, rows: oneBit, bpp: 1, filters: [2])
        XCTAssertEqual(try PNG.decode(g1).pixels,
                       [255, 0, 255, 0, 0, 0, 0, 0, 255, 255,
                        0, 0, 0, 0, 0, 0, 0, 255, 0, 0])

        // 4-bit grey: 0x0 → 0, 0xF → 255, 0x8 → 136.
        let g4 = TestPNG.make(width: 3, height: 1, bitDepth: 4, colorType: 0, rows: [[0x0F, 0x80]], bpp: 1, filters: [3])
        XCTAssertEqual(try PNG.decode(g4).pixels, [0, 255, 136])
    }

    func testPaletteImages() throws {
        let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 8, 7]
        // 2-bit indices 0,1,2,3 then 3,2,1,0.
        let rows: [[UInt8]] = [[0b00_01_10_11], [0b11_10_01_00]]
        let png = TestPNG.make(width: 4, height: 2, bitDepth: 2, colorType: 3, rows: rows, bpp: 1, filters: [0, 1],
                               palette: palette)
        XCTAssertEqual(try PNG.decode(png).pixels,
                       [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 8, 7,
                        9, 8, 7, 0, 0, 255, 0, 255, 0, 255, 0, 0])
        // An index beyond the palette is corrupt.
        let short = TestPNG.make(width: 4, height: 2, bitDepth: 2, colorType: 3, rows: rows, bpp: 1, filters: [0],
                                 palette: Array(palette.prefix(9)))
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(short) }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertTrue(error?.message.contains("palette index 3") ?? false, error?.message ?? "")
        // A palette image without PLTE is corrupt.
        let missing = TestPNG.make(width: 4, height: 2, bitDepth: 2, colorType: 3, rows: rows, bpp: 1, filters: [0])
        XCTAssertEqual(expectCodecError { () throws(ImageCodecError) in try PNG.decode(missing) }?.kind, .corrupt)
    }

    func testIDATSplitIntoManyChunksAndAncillaryChunksSkipped() throws {
        let rows = Self.greyRows(width: 20, height: 10)
        let text = TestPNG.chunk("tEXt", Array("Comment\u{0}hello".utf8))
        for split in [1, 2, 7, 100] {
            let png = TestPNG.make(width: 20, height: 10, bitDepth: 8, colorType: 0, rows: rows, bpp: 1,
                                   filters: [1, 4], idatSplit: split, extraChunks: [text])
            XCTAssertEqual(try PNG.decode(png).pixels, rows.flatMap { $0 }, "IDAT split every \(split) bytes")
        }
    }

    // MARK: Validation

    static var smallValid: [UInt8] {
        TestPNG.make(width: 4, height: 3, bitDepth: 8, colorType: 0, rows: greyRows(width: 4, height: 3), bpp: 1,
                     filters: [0])
    }

    func testCRCMismatchIsCorruptWithOffset() {
        var png = Self.smallValid
        png[20] ^= 0x01  // inside IHDR's data (the height)
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(png) }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertEqual(error?.offset, 29, "the CRC of IHDR is at 8 + 8 + 13")
        XCTAssertTrue(error?.message.contains("CRC mismatch in chunk IHDR") ?? false, error?.message ?? "")
    }

    func testInvalidIHDRFieldsAreCorrupt() {
        let cases: [(String, [UInt8])] = [
            ("bit depth 3", TestPNG.ihdr(width: 4, height: 3, bitDepth: 3, colorType: 0)),
            ("colour type 5", TestPNG.ihdr(width: 4, height: 3, bitDepth: 8, colorType: 5)),
            ("RGB at 4 bits", TestPNG.ihdr(width: 4, height: 3, bitDepth: 4, colorType: 2)),
            ("zero width", TestPNG.ihdr(width: 0, height: 3, bitDepth: 8, colorType: 0)),
            ("compression 1", TestPNG.ihdr(width: 4, height: 3, bitDepth: 8, colorType: 0, compression: 1)),
            ("filter method 1", TestPNG.ihdr(width: 4, height: 3, bitDepth: 8, colorType: 0, filterMethod: 1)),
            ("interlace 2", TestPNG.ihdr(width: 4, height: 3, bitDepth: 8, colorType: 0, interlace: 2)),
            ("short IHDR", TestPNG.chunk("IHDR", [0, 0, 0, 4, 0, 0, 0, 3, 8, 0, 0, 0])),
        ]
        for (name, ihdr) in cases {
            let png = TestPNG.signature + ihdr + TestPNG.chunk("IEND", [])
            let error = expectCodecError({ () throws(ImageCodecError) in try PNG.decode(png) }, name)
            XCTAssertEqual(error?.kind, .corrupt, "\(name): \(error?.description ?? "")")
        }
        let first = TestPNG.signature + TestPNG.chunk("IDAT", [1, 2]) + TestPNG.chunk("IEND", [])
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(first) }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertTrue(error?.message.contains("not IHDR") ?? false)
    }

    /// Adam7 built on the test side: each pass is a reduced image, filtered and stored in order.
    static func interlacedPNG(width: Int, height: Int, colorType: UInt8, channels: Int, pixels: [UInt8]) -> [UInt8] {
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        var filtered: [UInt8] = []
        for (index, (x0, y0, dx, dy)) in passes.enumerated() {
            var rows: [[UInt8]] = []
            for y in stride(from: y0, to: height, by: dy) {
                var row: [UInt8] = []
                for x in stride(from: x0, to: width, by: dx) {
                    row += pixels[((y * width + x) * channels)..<((y * width + x + 1) * channels)]
                }
                if !row.isEmpty { rows.append(row) }
            }
            if !rows.isEmpty {
                filtered += TestPNG.filter(rows: rows, bpp: channels, filters: [UInt8(index % 5), 4, 1])
            }
        }
        return TestPNG.signature
            + TestPNG.ihdr(width: width, height: height, bitDepth: 8, colorType: colorType, interlace: 1)
            + TestPNG.chunk("IDAT", TestPNG.zlibStored(filtered)) + TestPNG.chunk("IEND", [])
    }

    func testInterlacedImagesDecode() throws {
        for (width, height) in [(1, 1), (3, 2), (5, 1), (1, 7), (9, 10), (16, 16), (33, 17)] {
            let grey = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / width * 13) }
            let png = Self.interlacedPNG(width: width, height: height, colorType: 0, channels: 1, pixels: grey)
            XCTAssertEqual(try PNG.decode(png), .gray(try XCTUnwrap(GrayImage(width: width, height: height, pixels: grey))),
                           "grey \(width)x\(height)")
            let rgb = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 * 31 + $0 % 3 * 50) }
            let colour = Self.interlacedPNG(width: width, height: height, colorType: 2, channels: 3, pixels: rgb)
            XCTAssertEqual(try PNG.decode(colour), .rgb(try XCTUnwrap(RGBImage(width: width, height: height, pixels: rgb))),
                           "RGB \(width)x\(height)")
        }
    }

    func testInterlacedWithTooLittleDataIsCorrupt() {
        // 4x3 interlaced needs passes 1, 4, 5(no), 6, 7 … far more than two bytes.
        let png = TestPNG.signature + TestPNG.ihdr(width: 4, height: 3, bitDepth: 8, colorType: 0, interlace: 1)
            + TestPNG.chunk("IDAT", TestPNG.zlibStored([0, 0])) + TestPNG.chunk("IEND", [])
        XCTAssertEqual(expectCodecError { () throws(ImageCodecError) in try PNG.decode(png) }?.kind, .corrupt)
    }

    func testHugeIHDRIsRefusedBeforeInflating() {
        let png = TestPNG.signature + TestPNG.ihdr(width: 60000, height: 60000, bitDepth: 8, colorType: 2)
            + TestPNG.chunk("IDAT", TestPNG.zlibStored([0])) + TestPNG.chunk("IEND", [])
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(png) }
        XCTAssertEqual(error?.kind, .tooLarge)
        XCTAssertTrue(error?.message.contains("60000x60000") ?? false)
    }

    func testInflaterGrowsWithTheDataNotWithTheClaimedSize() throws {
        let claimed = try Inflater(expectedSize: 36_000_000)
        XCTAssertEqual(claimed.output.count, Inflater.initialCapacity)
        let payload = Synthetic.bytes(count: 300_000, seed: 3)
        let stream = TestPNG.zlibStored(payload)
        let inflater = try Inflater(expectedSize: payload.count)
        var start = 0
        while start < stream.count {  // uneven pieces, as IDAT chunks would split it
            let end = min(stream.count, start + 70_001)
            try inflater.feed(stream, range: start..<end)
            start = end
        }
        XCTAssertTrue(inflater.finished)
        XCTAssertEqual(inflater.takeOutput(), payload)
        // A tiny file claiming 6000x6000 (under the cap) fails on its data, quickly and cheaply.
        let png = TestPNG.signature + TestPNG.ihdr(width: 6000, height: 6000, bitDepth: 8, colorType: 0)
            + TestPNG.chunk("IDAT", TestPNG.zlibStored([0, 1, 2])) + TestPNG.chunk("IEND", [])
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(png) }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertTrue(error?.message.contains("has 3 bytes, 36006000 expected") ?? false, error?.message ?? "")
    }

    func testBadFilterTypeIsCorrupt() {
        let rows = Self.greyRows(width: 4, height: 3)
        let png = TestPNG.make(width: 4, height: 3, bitDepth: 8, colorType: 0, rows: rows, bpp: 1, filters: [0, 5])
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(png) }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertTrue(error?.message.contains("row 1 has filter type 5") ?? false, error?.message ?? "")
    }

    func testWrongAmountOfImageDataIsCorrupt() {
        let ihdr = TestPNG.ihdr(width: 4, height: 3, bitDepth: 8, colorType: 0)
        let tooLittle = TestPNG.signature + ihdr + TestPNG.chunk("IDAT", TestPNG.zlibStored([0, 1, 2, 3, 4]))
            + TestPNG.chunk("IEND", [])
        XCTAssertEqual(expectCodecError { () throws(ImageCodecError) in try PNG.decode(tooLittle) }?.kind, .corrupt)
        let tooMuch = TestPNG.signature + ihdr + TestPNG.chunk("IDAT", TestPNG.zlibStored([UInt8](repeating: 0, count: 40)))
            + TestPNG.chunk("IEND", [])
        XCTAssertEqual(expectCodecError { () throws(ImageCodecError) in try PNG.decode(tooMuch) }?.kind, .corrupt)
        let badZlib = TestPNG.signature + ihdr + TestPNG.chunk("IDAT", [0x78, 0x01, 0xFF, 0xFF, 0xFF])
            + TestPNG.chunk("IEND", [])
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(badZlib) }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertTrue(error?.message.contains("zlib") ?? false, error?.message ?? "")
    }

    func testUnknownCriticalChunkIsUnsupported() {
        var png = Self.smallValid
        png.insert(contentsOf: TestPNG.chunk("ABCD", [1, 2, 3]), at: 33)
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(png) }
        XCTAssertEqual(error?.kind, .unsupportedFeature)
        XCTAssertTrue(error?.message.contains("ABCD") ?? false)
    }

    func testMissingIENDIsTruncated() {
        let png = Array(Self.smallValid.dropLast(12))
        let error = expectCodecError { () throws(ImageCodecError) in try PNG.decode(png) }
        XCTAssertEqual(error?.kind, .truncated)
        XCTAssertEqual(error?.offset, png.count)
    }

    // MARK: Fixtures

    /// Checksums from an independent decoder (Python's zlib and a separate unfilter).
    static let fixtures: [(name: String, width: Int, height: Int, sum: Int, first: UInt8, middle: UInt8, last: UInt8)] = [
        ("uru4000-msv2", 384, 290, 24_873_320, 255, 241, 255),
        ("nb1010", 256, 180, 8_002_823, 229, 0, 230),
        ("upektc_img-tcs1s", 192, 270, 3_224_602, 213, 134, 249),
    ]

    func testLibfprintFixturesDecodeExactly() throws {
        guard let shared = sharedDirectory() else {
            print("PNGTests: ../shared is absent next to the package root; skipping the libfprint fixtures")
            throw XCTSkip("../shared is absent")
        }
        for fixture in Self.fixtures {
            let path = shared.appendingPathComponent("fixtures/libfprint/\(fixture.name)/capture.png").path
            let decoded = try ImageFile.read(path)
            guard case .rgb(let rgb) = decoded else { XCTFail("\(fixture.name) is an RGB PNG"); continue }
            XCTAssertEqual(rgb.width, fixture.width, fixture.name)
            XCTAssertEqual(rgb.height, fixture.height, fixture.name)
            var sum = 0
            for index in 0..<(rgb.width * rgb.height) {
                let base = index * 3
                XCTAssertTrue(rgb.pixels[base] == rgb.pixels[base + 1] && rgb.pixels[base] == rgb.pixels[base + 2],
                              "\(fixture.name): R, G, B differ at pixel \(index)")
                sum += Int(rgb.pixels[base])
            }
            XCTAssertEqual(sum, fixture.sum, fixture.name)
            let grey = decoded.grayImage
            XCTAssertEqual(grey.pixels.first, fixture.first, fixture.name)
            XCTAssertEqual(grey.pixels[grey.pixels.count / 2 + 17], fixture.middle, fixture.name)
            XCTAssertEqual(grey.pixels.last, fixture.last, fixture.name)
            // With R = G = B, the grey conversion is exact.
            XCTAssertEqual(try ImageFile.read(path, options: .init(color: .gray)), .gray(grey))
        }
    }
}
