import BioCapture
import XCTest

@testable import Imaging

final class JPEGTests: XCTestCase {
    func testGrayRoundTripStaysWithinTolerance() throws {
        let original = Synthetic.gray(width: 97, height: 61)
        let encoded = try JPEG.encode(original, options: .init(quality: 95))
        XCTAssertEqual(Array(encoded.prefix(3)), [0xFF, 0xD8, 0xFF])
        XCTAssertEqual(Array(encoded.suffix(2)), [0xFF, 0xD9])
        let decoded = try JPEG.decode(encoded)
        guard case .gray(let image) = decoded else { return XCTFail("grey JPEG decoded as \(decoded)") }
        XCTAssertEqual(image.width, 97)
        XCTAssertEqual(image.height, 61)
        let (maximum, mean) = differences(image.pixels, original.pixels)
        XCTAssertLessThan(mean, 2.0, "mean error at quality 95")
        XCTAssertLessThan(maximum, 24, "largest error at quality 95")
    }

    func testRGBRoundTripStaysWithinTolerance() throws {
        let original = Synthetic.rgb(width: 80, height: 50)
        for subsampling in [JPEG.ChromaSubsampling.s444, .s422, .s420] {
            let encoded = try JPEG.encode(original, options: .init(quality: 95, chromaSubsampling: subsampling))
            let decoded = try JPEG.decode(encoded)
            guard case .rgb(let image) = decoded else { return XCTFail("RGB JPEG decoded as grey") }
            XCTAssertEqual(image.width, 80)
            XCTAssertEqual(image.height, 50)
            let (_, mean) = differences(image.pixels, original.pixels)
            XCTAssertLessThan(mean, subsampling == .s444 ? 2.0 : 3.5, "mean error with \(subsampling)")
        }
    }

    func testQualityChangesSizeAndError() throws {
        let original = Synthetic.gray(width: 128, height: 96)
        let low = try JPEG.encode(original, options: .init(quality: 10))
        let high = try JPEG.encode(original, options: .init(quality: 95))
        XCTAssertLessThan(low.count, high.count)
        let lowError = differences(try JPEG.decode(low).pixels, original.pixels).mean
        let highError = differences(try JPEG.decode(high).pixels, original.pixels).mean
        XCTAssertGreaterThan(lowError, highError)
    }

    func testOptimizedHuffmanIsSmallerAndDecodesTheSame() throws {
        let original = Synthetic.rgb(width: 64, height: 64)
        let standard = try JPEG.encode(original, options: .init(quality: 80))
        let optimized = try JPEG.encode(original, options: .init(quality: 80, optimizeHuffman: true))
        XCTAssertLessThan(optimized.count, standard.count)
        XCTAssertEqual(try JPEG.decode(optimized), try JPEG.decode(standard))
    }

    func testQualityOutsideRangeIsRejected() {
        let image = GrayImage(width: 8, height: 8)
        for quality in [0, 101, -5] {
            let error = expectCodecError { () throws(ImageCodecError) in try JPEG.encode(image, options: .init(quality: quality)) }
            XCTAssertEqual(error?.kind, .invalidArgument)
            XCTAssertEqual(error?.format, .jpeg)
        }
    }

    func testColorConversionOnDecode() throws {
        let grey = Synthetic.gray(width: 32, height: 16)
        let greyJPEG = try JPEG.encode(grey, options: .init(quality: 90))
        let asRGB = try JPEG.decode(greyJPEG, options: .init(color: .rgb))
        guard case .rgb(let rgb) = asRGB else { return XCTFail("asked for RGB") }
        for index in 0..<(32 * 16) {
            XCTAssertEqual(rgb.pixels[index * 3], rgb.pixels[index * 3 + 1])
            XCTAssertEqual(rgb.pixels[index * 3], rgb.pixels[index * 3 + 2])
        }
        XCTAssertEqual(asRGB.grayImage, try JPEG.decode(greyJPEG).grayImage)

        let colour = Synthetic.rgb(width: 32, height: 16)
        let colourJPEG = try JPEG.encode(colour, options: .init(quality: 90, chromaSubsampling: .s444))
        let asGrey = try JPEG.decode(colourJPEG, options: .init(color: .gray))
        guard case .gray(let luma) = asGrey else { return XCTFail("asked for grey") }
        // libjpeg's grey output is the Y channel; BT.601 luma of the decoded RGB is within rounding of it.
        let viaRGB = try JPEG.decode(colourJPEG).grayImage
        XCTAssertLessThanOrEqual(differences(luma.pixels, viaRGB.pixels).max, 3)
    }

    /// MJPEG frames from UVC cameras usually omit DHT. libjpeg-turbo 2.1.5 falls back to the
    /// standard Annex K tables itself; this proves it by stripping every DHT segment.
    func testFrameWithoutDHTDecodesWithStandardTables() throws {
        let original = Synthetic.rgb(width: 64, height: 48)
        // Without optimizeHuffman the encoder writes exactly the standard tables.
        let encoded = try JPEG.encode(original, options: .init(quality: 85))
        let stripped = try Self.removingSegments(marker: 0xC4, from: encoded)
        XCTAssertLessThan(stripped.count, encoded.count - 400, "four standard DHT tables are about 420 bytes")
        XCTAssertFalse(zip(stripped, stripped.dropFirst()).contains { $0 == 0xFF && $1 == 0xC4 })
        let withTables = try JPEG.decode(encoded)
        let withoutTables = try JPEG.decode(stripped)
        XCTAssertEqual(withoutTables, withTables)
    }

    /// Removes every marker segment of one type that comes before SOS.
    static func removingSegments(marker: UInt8, from jpeg: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = [0xFF, 0xD8]
        var position = 2
        while position + 4 <= jpeg.count {
            XCTAssertEqual(jpeg[position], 0xFF)
            let type = jpeg[position + 1]
            if type == 0xDA {  // SOS: the rest is entropy-coded data
                output += jpeg[position...]
                return output
            }
            let length = Int(jpeg[position + 2]) << 8 | Int(jpeg[position + 3])
            if type != marker { output += jpeg[position..<(position + 2 + length)] }
            position += 2 + length
        }
        throw ImageCodecError(.corrupt, format: .jpeg, "test JPEG without SOS")
    }

    /// A tiny hand-made baseline JPEG header (SOI, DQT, SOF0, SOS) claiming any size.
    static func craftedHeader(width: Int, height: Int) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        bytes += [0xFF, 0xC0, 0x00, 0x0B, 0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8),
                  UInt8(width & 0xFF), 0x01, 0x01, 0x11, 0x00]
        bytes += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]
        bytes += [0x00, 0x00, 0x00, 0x00, 0xFF, 0xD9]
        return bytes
    }

    func testDecompressionBombIsRefusedBeforeAllocation() {
        let bomb = Self.craftedHeader(width: 60000, height: 60000)
        XCTAssertLessThan(bomb.count, 120)
        for strictness in [JPEG.Strictness.strict, .lenient] {
            let error = expectCodecError { () throws(ImageCodecError) in
                try JPEG.decode(bomb, options: .init(strictness: strictness))
            }
            XCTAssertEqual(error?.kind, .tooLarge)
            XCTAssertTrue(error?.message.contains("60000x60000") ?? false, error?.message ?? "")
            XCTAssertTrue(error?.message.contains("40000000") ?? false, error?.message ?? "")
        }
    }

    func testPixelCapIsConfigurable() throws {
        let encoded = try JPEG.encode(Synthetic.gray(width: 64, height: 48), options: .init(quality: 90))
        let error = expectCodecError { () throws(ImageCodecError) in
            try JPEG.decode(encoded, options: .init(maxPixels: 64 * 48 - 1))
        }
        XCTAssertEqual(error?.kind, .tooLarge)
        XCTAssertEqual(try JPEG.decode(encoded, options: .init(maxPixels: 64 * 48)).width, 64)
    }

    func testCraftedSmallHeaderWithinCapDecodesLeniently() throws {
        // The same crafted header at a modest size: valid structure, entropy data runs out early.
        let small = Self.craftedHeader(width: 16, height: 16)
        let strictError = expectCodecError { () throws(ImageCodecError) in try JPEG.decode(small) }
        XCTAssertNotNil(strictError)
        let lenient = try JPEG.decodeReportingWarnings(small, options: .lenient)
        XCTAssertEqual(lenient.image.width, 16)
        XCTAssertGreaterThan(lenient.warningCount, 0)
    }

    func testStrictAndLenientOnTruncatedJPEG() throws {
        let original = Synthetic.gray(width: 128, height: 128)
        let encoded = try JPEG.encode(original, options: .init(quality: 90))
        let full = try JPEG.decode(encoded).grayImage
        let truncated = Array(encoded.prefix(encoded.count * 6 / 10))

        let strictError = expectCodecError { () throws(ImageCodecError) in try JPEG.decode(truncated, options: .strict) }
        XCTAssertEqual(strictError?.kind, .truncated)
        XCTAssertEqual(strictError?.offset, truncated.count)
        XCTAssertTrue(strictError?.message.contains("Premature end of JPEG file") ?? false, strictError?.message ?? "")

        let lenient = try JPEG.decodeReportingWarnings(truncated, options: .lenient)
        XCTAssertEqual(lenient.image.width, 128)
        XCTAssertEqual(lenient.image.height, 128)
        XCTAssertGreaterThanOrEqual(lenient.warningCount, 1)
        XCTAssertEqual(lenient.firstWarning, "Premature end of JPEG file")
        // The part that arrived decodes exactly as in the complete file; the rest does not.
        let partial = lenient.image.grayImage
        XCTAssertEqual(Array(partial.pixels.prefix(128 * 16)), Array(full.pixels.prefix(128 * 16)))
        XCTAssertNotEqual(Array(partial.pixels.suffix(128 * 16)), Array(full.pixels.suffix(128 * 16)))
    }

    func testExtraneousBytesAreCorruptWhenStrictAndAWarningWhenLenient() throws {
        let encoded = try JPEG.encode(Synthetic.gray(width: 32, height: 32), options: .init(quality: 90))
        var damaged = Array(encoded.dropLast(2))
        damaged += [UInt8](repeating: 0x42, count: 100) + [0xFF, 0xD9]
        let error = expectCodecError { () throws(ImageCodecError) in try JPEG.decode(damaged) }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertTrue(error?.message.contains("extraneous bytes") ?? false, error?.message ?? "")
        let lenient = try JPEG.decodeReportingWarnings(damaged, options: .lenient)
        XCTAssertEqual(lenient.image, try JPEG.decode(encoded))
        XCTAssertTrue(lenient.firstWarning?.contains("extraneous bytes") ?? false)
    }

    func testNotAJPEGAndEmptyInput() {
        let notJPEG = expectCodecError { () throws(ImageCodecError) in try JPEG.decode([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]) }
        XCTAssertEqual(notJPEG?.kind, .unsupportedFormat)
        XCTAssertTrue(notJPEG?.message.contains("Not a JPEG file") ?? false, notJPEG?.message ?? "")
        let empty = expectCodecError { () throws(ImageCodecError) in try JPEG.decode([]) }
        XCTAssertEqual(empty?.kind, .truncated)
        XCTAssertEqual(empty?.offset, 0)
    }

    func testTwelveBitPrecisionIsUnsupported() {
        var header = Self.craftedHeader(width: 16, height: 16)
        let sof = header.firstIndex(of: 0xC0).map { $0 + 3 } ?? 0  // the precision byte
        header[sof] = 12
        header[sof - 3] = 0xC1  // SOF1, extended sequential: 12-bit allowed by the standard
        let error = expectCodecError { () throws(ImageCodecError) in try JPEG.decode(header) }
        XCTAssertEqual(error?.kind, .unsupportedFeature, error?.description ?? "")
    }

    func testProgressiveDecodesAndTheScanCapStopsIt() throws {
        let original = Synthetic.rgb(width: 48, height: 40)
        let baseline = try JPEG.decode(try JPEG.encode(original, options: .init(quality: 90, optimizeHuffman: true)))
        let progressive = try JPEG.encode(original, options: .init(quality: 90, progressive: true))
        // SOF2 marks a progressive frame; the colour simple progression has 10 scans.
        XCTAssertTrue(zip(progressive, progressive.dropFirst()).contains { $0 == 0xFF && $1 == 0xC2 })
        let scans = zip(progressive, progressive.dropFirst()).filter { $0 == 0xFF && $1 == 0xDA }.count
        XCTAssertEqual(scans, 10)
        // Same coefficients, so the same pixels as the baseline encoding of the same quality.
        XCTAssertEqual(try JPEG.decode(progressive), baseline)
        XCTAssertEqual(try JPEG.decode(progressive, options: .init(maxScans: 10)), baseline)
        let error = expectCodecError { () throws(ImageCodecError) in try JPEG.decode(progressive, options: .init(maxScans: 3)) }
        XCTAssertEqual(error?.kind, .tooLarge)
        XCTAssertTrue(error?.message.contains("more than 3 scans") ?? false, error?.message ?? "")
    }

    func testDecodeFromABufferInsideALargerTransfer() throws {
        let encoded = try JPEG.encode(Synthetic.gray(width: 40, height: 24), options: .init(quality: 85))
        // A UVC payload: a 12-byte header, then the frame.
        let transfer = [UInt8](repeating: 0x0C, count: 12) + encoded
        let decoder = try JPEG.Decoder()
        let fromBuffer = try transfer.withUnsafeBufferPointer { whole in
            try decoder.decode(UnsafeBufferPointer(rebasing: whole[12...]))
        }
        XCTAssertEqual(fromBuffer.image, try JPEG.decode(encoded))
        let empty = expectCodecError { () throws(ImageCodecError) in try decoder.decode(UnsafeBufferPointer<UInt8>(start: nil, count: 0)) }
        XCTAssertEqual(empty?.kind, .truncated)
    }

    func testDecoderIsReusableAfterErrors() throws {
        let decoder = try JPEG.Decoder()
        let first = try JPEG.encode(Synthetic.gray(width: 40, height: 30, seed: 1), options: .init(quality: 90))
        let second = try JPEG.encode(Synthetic.rgb(width: 24, height: 20, seed: 2), options: .init(quality: 90))
        let a = try decoder.decode(first)
        let failure = expectCodecError { () throws(ImageCodecError) in try decoder.decode(Array(second.prefix(300))) }
        XCTAssertEqual(failure?.kind, .truncated)
        let b = try decoder.decode(second)
        let c = try decoder.decode(first)
        XCTAssertEqual(a.image, c.image)
        XCTAssertEqual(b.image.width, 24)
        XCTAssertEqual(b.image.channels, 3)
        XCTAssertEqual(a.warningCount, 0)
    }
}
