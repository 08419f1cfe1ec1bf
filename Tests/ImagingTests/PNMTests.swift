import BioCapture
import XCTest

@testable import Imaging

final class PNMTests: XCTestCase {
    func testP5RoundTripIsExact() throws {
        let original = Synthetic.gray(width: 33, height: 17)
        let encoded = PNM.encode(original)
        XCTAssertEqual(Array(encoded.prefix(12)), Array("P5\n33 17\n255".utf8))
        XCTAssertEqual(encoded.count, 13 + 33 * 17)
        XCTAssertEqual(try PNM.decode(encoded), .gray(original))
    }

    func testP6RoundTripIsExact() throws {
        let original = Synthetic.rgb(width: 9, height: 5)
        XCTAssertEqual(try PNM.decode(PNM.encode(original)), .rgb(original))
    }

    func testP2WithCommentsAndScaledMaxval() throws {
        let text = "P2\n# a comment\n3 2 # size\n15\n0 15 8\n  1\t2\n# inside the raster\n 3\n"
        let decoded = try PNM.decode(Array(text.utf8))
        XCTAssertEqual(decoded, .gray(try XCTUnwrap(GrayImage(width: 3, height: 2, pixels: [0, 255, 136, 17, 34, 51]))))
    }

    func testP3AndSixteenBitP5() throws {
        let p3 = try PNM.decode(Array("P3 1 2 255 1 2 3 250 251 252".utf8))
        XCTAssertEqual(p3, .rgb(try XCTUnwrap(RGBImage(width: 1, height: 2, pixels: [1, 2, 3, 250, 251, 252]))))
        let p5 = Array("P5 2 1 65535\n".utf8) + [0xFF, 0xFF, 0x80, 0x80]
        XCTAssertEqual(try PNM.decode(p5).pixels, [255, 128])
    }

    func testSampleAboveMaxvalIsCorrupt() {
        let binary = Array("P5 2 1 100\n".utf8) + [50, 101]
        let error = expectCodecError { () throws(ImageCodecError) in try PNM.decode(binary) }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertEqual(error?.offset, 12)
        let ascii = expectCodecError { () throws(ImageCodecError) in try PNM.decode(Array("P2 1 1 10 11".utf8)) }
        XCTAssertEqual(ascii?.kind, .corrupt)
    }

    func testTruncatedRasterReportsOffset() {
        let encoded = PNM.encode(Synthetic.gray(width: 10, height: 10))
        let cut = Array(encoded.prefix(60))
        let error = expectCodecError { () throws(ImageCodecError) in try PNM.decode(cut) }
        XCTAssertEqual(error?.kind, .truncated)
        XCTAssertEqual(error?.offset, 60)
        XCTAssertTrue(error?.description.contains("at byte offset 60") ?? false, error?.description ?? "")
    }

    func testHeaderErrors() {
        let cases: [(String, ImageCodecError.Kind)] = [
            ("P5 0 3 255\n", .corrupt),
            ("P5 3 3 0\n", .corrupt),
            ("P5 3 3 70000\n", .corrupt),
            ("P5 x 3 255\n", .corrupt),
            ("P53 3 255\n", .corrupt),
            ("P5 3 3 255", .truncated),
            ("P4 3 3\n", .unsupportedFeature),
            ("Q5 3 3 255\n", .unsupportedFormat),
            ("P5 99999999999 3 255\n", .corrupt),
            ("P5 60000 60000 255\n", .tooLarge),
        ]
        for (text, kind) in cases {
            let error = expectCodecError({ () throws(ImageCodecError) in try PNM.decode(Array(text.utf8)) }, text)
            XCTAssertEqual(error?.kind, kind, "\(text.debugDescription): \(error?.description ?? "")")
        }
    }
}
