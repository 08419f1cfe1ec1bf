import BioCapture
import Foundation
import Imaging
import XCTest

/// libfprint's NB-1010-U recording (an ioctl tree) replayed under `umockdev-run` against the
/// built `biocapture`: the driver must send exactly the recorded commands and rebuild the
/// recorded image pixel for pixel.
final class ReplayNB1010Tests: XCTestCase {
    private func replay(output: URL) throws -> CLIRunner.Result {
        let shared = try CLIRunner.shared()
        let umockdevRun = URL(fileURLWithPath: "/usr/bin/umockdev-run")
        guard FileManager.default.isExecutableFile(atPath: umockdevRun.path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("umockdev-run is missing under CI") }
            throw XCTSkip("umockdev-run is not installed")
        }
        let fixtures = shared.appendingPathComponent("fixtures/libfprint/nb1010")
        return try CLIRunner.runProgram(
            umockdevRun,
            arguments: ["-d", fixtures.appendingPathComponent("device").path,
                        "-i", "/dev/bus/usb/001/003=" + fixtures.appendingPathComponent("capture.ioctl").path,
                        "--", try CLIRunner.binary().path, "capture", "fingerprint", "--timeout", "5",
                        "--output", output.path],
            environment: ["LD_PRELOAD": nil, "UMOCKDEV_DIR": nil], deadline: 60)
    }

    private func expectedImage() throws -> GrayImage {
        let path = try CLIRunner.shared().appendingPathComponent("fixtures/libfprint/nb1010/capture.png").path
        return try ImageFile.read(path).grayImage
    }

    private func assertPixelExact(_ image: GrayImage, _ expected: GrayImage, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(image.width, 256, file: file, line: line)
        XCTAssertEqual(image.height, 180, file: file, line: line)
        XCTAssertEqual(image.width, expected.width, file: file, line: line)
        XCTAssertEqual(image.height, expected.height, file: file, line: line)
        let differing = zip(image.pixels, expected.pixels).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "pixels differing from capture.png", file: file, line: line)
        XCTAssertEqual(image.pixels.count, expected.pixels.count, file: file, line: line)
    }

    func testReplayWritesTheRecordedImageAsPNG() throws {
        let directory = try CLIRunner.temporaryDirectory(self)
        let output = directory.appendingPathComponent("OUT.png")
        let result = try replay(output: output)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("nb1010@"), result.stdout)
        assertPixelExact(try ImageFile.read(output.path).grayImage, try expectedImage())
    }

    func testReplayWritesTheRecordedImageAsPGM() throws {
        let directory = try CLIRunner.temporaryDirectory(self)
        let output = directory.appendingPathComponent("OUT.pgm")
        let result = try replay(output: output)
        XCTAssertEqual(result.status, 0, result.stderr)
        let image = try ImageFile.read(output.path).grayImage
        assertPixelExact(image, try expectedImage())
        // The recording is a real finger, not a flat frame.
        XCTAssertGreaterThan(Set(image.pixels).count, 50)
    }
}
