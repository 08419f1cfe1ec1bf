import BioCapture
import Foundation
import Imaging
import XCTest

/// libfprint's recording of a UPEK TouchChip TCS1 (147e:2016, bcdDevice 2) replayed with
/// umockdev-run against the built `biocapture`: every transfer must match the recording (same
/// order, lengths and OUT bytes), and the image must equal the recording's `capture.png`.
final class ReplayUPEKTouchChipTests: XCTestCase {
    private static let sysfsPath = "/sys/devices/pci0000:00/0000:00:08.1/0000:05:00.4/usb3/3-2"

    private func umockdevRun() throws -> URL {
        let url = URL(fileURLWithPath: "/usr/bin/umockdev-run")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("umockdev-run is missing under CI") }
            throw XCTSkip("umockdev-run is not installed")
        }
        return url
    }

    /// One replay (a recording is consumed once per umockdev-run) writing `file`.
    private func replay(writing file: URL, shared: URL) throws -> CLIRunner.Result {
        let folder = shared.appendingPathComponent("fixtures/libfprint/upektc_img-tcs1s")
        return try CLIRunner.runProgram(
            try umockdevRun(),
            arguments: ["-d", folder.appendingPathComponent("device").path,
                        "-p", "\(Self.sysfsPath)=\(folder.appendingPathComponent("capture.pcapng").path)",
                        "--", try CLIRunner.binary().path, "capture", "fingerprint", "--timeout", "30", "--output", file.path],
            environment: ["LD_PRELOAD": nil, "UMOCKDEV_DIR": nil], deadline: 90)
    }

    private func expectedImage(_ shared: URL) throws -> GrayImage {
        let path = shared.appendingPathComponent("fixtures/libfprint/upektc_img-tcs1s/capture.png").path
        return try ImageFile.read(path).grayImage
    }

    private func assertReplayMatches(extension fileExtension: String) throws {
        let shared = try CLIRunner.shared()
        let directory = try CLIRunner.temporaryDirectory(self)
        let output = directory.appendingPathComponent("out.\(fileExtension)")
        let result = try replay(writing: output, shared: shared)
        XCTAssertEqual(result.status, 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        XCTAssertTrue(result.stdout.contains("upektc_img@3-2"), result.stdout)
        let expected = try expectedImage(shared)
        let captured = try ImageFile.read(output.path).grayImage
        XCTAssertEqual(captured.width, 192)
        XCTAssertEqual(captured.height, 270)
        XCTAssertEqual(expected.width, captured.width)
        XCTAssertEqual(expected.height, captured.height)
        let differing = zip(expected.pixels, captured.pixels).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "pixels differing from capture.png")
        XCTAssertEqual(captured.pixels.count, expected.pixels.count)
    }

    func testReplayWritesThePNGPixelForPixel() throws {
        try assertReplayMatches(extension: "png")
    }

    func testReplayWritesThePGMPixelForPixel() throws {
        try assertReplayMatches(extension: "pgm")
    }
}
