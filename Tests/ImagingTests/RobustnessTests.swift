import BioCapture
import XCTest

@testable import Imaging

/// Damaged input of every kind must end in an `ImageCodecError`, never a crash or a hang.
final class RobustnessTests: XCTestCase {
    static func samples() throws -> [(name: String, bytes: [UInt8])] {
        let grey = Synthetic.gray(width: 24, height: 16)
        let rgb = Synthetic.rgb(width: 20, height: 12)
        return [
            ("jpeg-grey", try JPEG.encode(grey, options: .init(quality: 80))),
            ("jpeg-rgb", try JPEG.encode(rgb, options: .init(quality: 80))),
            ("jpeg-rgb-optimized", try JPEG.encode(rgb, options: .init(quality: 50, optimizeHuffman: true))),
            ("png-grey", try PNG.encode(grey)),
            ("png-rgb", try PNG.encode(rgb)),
            ("pgm", PNM.encode(grey)),
            ("ppm", PNM.encode(rgb)),
        ]
    }

    func testEveryTruncationPointFails() throws {
        for (name, bytes) in try Self.samples() {
            for length in 0..<bytes.count {
                let cut = Array(bytes.prefix(length))
                let error = expectCodecError({ () throws(ImageCodecError) in try ImageFile.decode(cut) }, "\(name) cut at \(length)")
                guard let error else { continue }
                // Even a cut inside the magic number is reported as truncation, not as an unknown format.
                XCTAssertEqual(error.kind, .truncated, "\(name) cut at \(length): \(error)")
                if error.kind == .truncated, let offset = error.offset {
                    XCTAssertLessThanOrEqual(offset, length, "\(name) cut at \(length)")
                }
            }
        }
    }

    func testEveryTruncationPointOfLenientJPEGEitherFailsOrReturnsTheFullSize() throws {
        let encoded = try JPEG.encode(Synthetic.rgb(width: 20, height: 12), options: .init(quality: 80))
        let headerEnd = try XCTUnwrap(Self.endOfScanHeader(encoded))
        for length in 0..<encoded.count {
            do {
                let result = try JPEG.decodeReportingWarnings(Array(encoded.prefix(length)), options: .lenient)
                XCTAssertEqual(result.image.width, 20)
                XCTAssertEqual(result.image.height, 12)
                XCTAssertGreaterThan(result.warningCount, 0, "cut at \(length) must warn")
            } catch {
                // Before the scan starts there is no image to recover; after it, there always is.
                XCTAssertLessThan(length, headerEnd, "cut at \(length) inside the entropy data: \(error)")
                XCTAssertTrue([.truncated, .corrupt, .unsupportedFormat].contains(error.kind), "\(length): \(error)")
            }
        }
    }

    /// Offset of the first entropy-coded byte (just after the SOS segment).
    static func endOfScanHeader(_ jpeg: [UInt8]) -> Int? {
        guard let sos = zip(jpeg.indices, jpeg.dropFirst()).first(where: { jpeg[$0.0] == 0xFF && $0.1 == 0xDA })?.0 else {
            return nil
        }
        return sos + 2 + (Int(jpeg[sos + 2]) << 8 | Int(jpeg[sos + 3]))
    }

    func testSingleBitFlipsNeverCrashAndPNGAlwaysNotices() throws {
        for (name, bytes) in try Self.samples() {
            for position in 0..<bytes.count {
                for bit in [0, 3, 7] {
                    var flipped = bytes
                    flipped[position] ^= UInt8(1 << bit)
                    for strictness in [JPEG.Strictness.strict, .lenient] {
                        do {
                            let image = try ImageFile.decode(flipped, options: .init(jpegStrictness: strictness))
                            XCTAssertFalse(name.hasPrefix("png"), "\(name): flip at \(position).\(bit) not detected")
                            XCTAssertGreaterThan(image.width, 0)
                        } catch {
                            XCTAssertFalse(error.message.isEmpty)
                        }
                    }
                }
            }
        }
    }

    func testGarbageNeverCrashes() {
        let prefixes: [[UInt8]] = [[], [0xFF, 0xD8, 0xFF], PNG.signature, Array("P5 ".utf8), Array("P2 ".utf8),
                                   Array("P6 ".utf8)]
        var seed: UInt64 = 1
        for prefix in prefixes {
            for length in [0, 1, 5, 17, 64, 300, 2000] {
                seed += 1
                let bytes = prefix + Synthetic.bytes(count: length, seed: seed)
                for strictness in [JPEG.Strictness.strict, .lenient] {
                    do {
                        _ = try ImageFile.decode(bytes, options: .init(jpegStrictness: strictness))
                    } catch {
                        XCTAssertFalse(error.message.isEmpty)
                    }
                }
            }
        }
    }

    /// A JPEG whose markers are valid but whose entropy data is noise.
    func testNoiseInsideAValidJPEGIsCorruptWhenStrict() throws {
        let encoded = try JPEG.encode(Synthetic.gray(width: 64, height: 64), options: .init(quality: 80))
        let headerEnd = try XCTUnwrap(Self.endOfScanHeader(encoded))
        let noise = Synthetic.bytes(count: encoded.count - headerEnd - 2, seed: 7).map { $0 == 0xFF ? 0x00 : $0 }
        let damaged = Array(encoded[..<headerEnd]) + noise + [0xFF, 0xD9]
        do {
            let image = try JPEG.decode(damaged)
            // Random data can be valid Huffman code; then it must at least have the right size.
            XCTAssertEqual(image.width, 64)
        } catch {
            XCTAssertTrue([.corrupt, .truncated].contains(error.kind), "\(error)")
        }
    }
}
