import BioCapture
import Foundation
import XCTest

@testable import Imaging

final class ImageFileTests: XCTestCase {
    func testWriteAndReadEveryExtension() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let grey = Synthetic.gray(width: 30, height: 20)
        let rgb = Synthetic.rgb(width: 30, height: 20)
        for name in ["a.png", "b.PGM", "c.ppm"] {
            let path = directory.appendingPathComponent(name).path
            let image: DecodedImage = name.hasSuffix("ppm") ? .rgb(rgb) : .gray(grey)
            try ImageFile.write(image, to: path)
            XCTAssertEqual(try ImageFile.read(path), image, name)
        }
        for name in ["d.jpg", "e.jpeg"] {
            let path = directory.appendingPathComponent(name).path
            try ImageFile.write(rgb, to: path, options: .init(jpeg: .init(quality: 95, chromaSubsampling: .s444)))
            let back = try ImageFile.read(path)
            XCTAssertLessThan(differences(back.pixels, rgb.pixels).mean, 2.0, name)
        }
        // No temporary files are left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(names, ["a.png", "b.PGM", "c.ppm", "d.jpg", "e.jpeg"])
    }

    func testContentDecidesTheFormatOnRead() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("misnamed.jpg").path
        let image = GrayImage(width: 4, height: 4, filledWith: 9)
        try Data(PNG.encode(image)).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try ImageFile.read(path), .gray(image))
    }

    func testFileNotFoundNamesThePath() {
        let path = "/nonexistent-imaging-test-dir/none.png"
        let error = expectCodecError { () throws(ImageCodecError) in try ImageFile.read(path) }
        XCTAssertEqual(error?.kind, .fileNotFound)
        XCTAssertEqual(error?.path, path)
        XCTAssertTrue(error?.description.contains(path) ?? false)
        XCTAssertTrue(error?.description.contains("file not found") ?? false)
        let writeError = expectCodecError { () throws(ImageCodecError) in
            try ImageFile.write(GrayImage(width: 1, height: 1), to: path)
        }
        XCTAssertEqual(writeError?.kind, .fileNotFound)
    }

    func testUnsupportedExtensionAndContent() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiff = directory.appendingPathComponent("x.tiff").path
        let error = expectCodecError { () throws(ImageCodecError) in try ImageFile.write(GrayImage(width: 1, height: 1), to: tiff) }
        XCTAssertEqual(error?.kind, .unsupportedFormat)
        XCTAssertTrue(error?.message.contains(".png") ?? false)

        let garbage = directory.appendingPathComponent("garbage.png").path
        try Data([0x49, 0x49, 0x2A, 0x00, 1, 2, 3]).write(to: URL(fileURLWithPath: garbage))
        let readError = expectCodecError { () throws(ImageCodecError) in try ImageFile.read(garbage) }
        XCTAssertEqual(readError?.kind, .unsupportedFormat)
        XCTAssertTrue(readError?.message.contains("49 49 2A 00") ?? false, readError?.message ?? "")
        XCTAssertEqual(readError?.path, garbage)

        let empty = directory.appendingPathComponent("empty.png").path
        try Data().write(to: URL(fileURLWithPath: empty))
        XCTAssertEqual(expectCodecError { () throws(ImageCodecError) in try ImageFile.read(empty) }?.kind, .truncated)

        XCTAssertEqual(expectCodecError { () throws(ImageCodecError) in try ImageFile.read(directory.path) }?.kind, .ioFailed)
    }

    func testRGBToPGMIsRefusedAndGreyToPPMExpands() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = expectCodecError { () throws(ImageCodecError) in
            try ImageFile.write(RGBImage(width: 2, height: 2), to: directory.appendingPathComponent("c.pgm").path)
        }
        XCTAssertEqual(error?.kind, .invalidArgument)
        let grey = GrayImage(width: 2, height: 1, filledWith: 77)
        let ppm = directory.appendingPathComponent("g.ppm").path
        try ImageFile.write(grey, to: ppm)
        XCTAssertEqual(try ImageFile.read(ppm), .rgb(grey.rgb()))
    }

    func testSniffAndExtension() {
        XCTAssertEqual(ImageFile.sniff([0xFF, 0xD8, 0xFF, 0xE0]), .jpeg)
        XCTAssertEqual(ImageFile.sniff(PNG.signature), .png)
        XCTAssertEqual(ImageFile.sniff(Array("P5".utf8)), .pgm)
        XCTAssertEqual(ImageFile.sniff(Array("P6".utf8)), .ppm)
        XCTAssertNil(ImageFile.sniff([0xFF, 0xD8]))
        XCTAssertNil(ImageFile.sniff(Array("GIF89a".utf8)))
        XCTAssertEqual(ImageFile.format(forPath: "/a/b.JPEG"), .jpeg)
        XCTAssertEqual(ImageFile.format(forPath: "x.pgm"), .pgm)
        XCTAssertNil(ImageFile.format(forPath: "/a.png/noextension"))
        XCTAssertNil(ImageFile.format(forPath: "x.bmp"))
    }

    func testCaptureFaultMapping() {
        let corrupt = ImageCodecError(.corrupt, format: .jpeg, "bad Huffman code")
        let fromDevice = corrupt.captureFault(domain: .hardware)
        XCTAssertEqual(fromDevice.code, .corruptFrame)
        XCTAssertEqual(fromDevice.domain, .hardware)
        XCTAssertEqual((fromDevice.underlying as? ImageCodecError), corrupt)
        let fromFile = corrupt.captureFault(domain: .software)
        XCTAssertEqual(fromFile.code, .decodeFailed)
        XCTAssertEqual(fromFile.domain, .software)
        let short = ImageCodecError(.truncated, format: .jpeg, "ends early").captureFault(domain: .hardware)
        XCTAssertEqual(short.code, .shortFrame)
        let missing = ImageCodecError(.fileNotFound, "file not found", path: "/x.png").captureFault(domain: .hardware)
        XCTAssertEqual(missing.code, .notFound)
        XCTAssertEqual(missing.domain, .environment)
        XCTAssertTrue(missing.message.contains("/x.png"))
        let memory = ImageCodecError(.outOfMemory, "no memory").captureFault(domain: .hardware)
        XCTAssertEqual(memory.code, .outOfMemory)
        XCTAssertEqual(memory.domain, .software)
    }
}
