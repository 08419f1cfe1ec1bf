import Foundation
import Imaging
import XCTest

/// Replays libfprint's usbmon recording of a Microsoft Fingerprint Reader v2 (045e:00ca) through
/// the real CLI, libusb and umockdev's strict pcap replayer, and compares the written image with
/// the recording's `capture.png` pixel for pixel.
final class ReplayURU4000Tests: XCTestCase {
    private func fixture() throws -> URL {
        let directory = try CLIRunner.shared().appendingPathComponent("fixtures/libfprint/uru4000-msv2")
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("capture.pcapng").path) else {
            let reason = "\(directory.path) has no capture.pcapng"
            print("skipping: \(reason)")
            throw XCTSkip(reason)
        }
        return directory
    }

    private func umockdevRun() throws -> URL {
        let url = URL(fileURLWithPath: "/usr/bin/umockdev-run")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("umockdev-run is missing under CI") }
            print("skipping: umockdev-run is not installed")
            throw XCTSkip("umockdev-run is not installed")
        }
        return url
    }

    /// The sysfs path of the recorded device: the device file's first `P:` line, under /sys.
    private func sysfsPath(_ deviceFile: URL) throws -> String {
        let text = try String(contentsOf: deviceFile, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("P: ") }, "no P: line in \(deviceFile.path)")
        return "/sys" + line.dropFirst(3).trimmingCharacters(in: .whitespaces)
    }

    private func replay(output: URL, fixture: URL) throws -> CLIRunner.Result {
        let device = fixture.appendingPathComponent("device")
        return try CLIRunner.runProgram(
            try umockdevRun(),
            arguments: ["-d", device.path, "-p", "\(try sysfsPath(device))=\(fixture.appendingPathComponent("capture.pcapng").path)",
                        "--", try CLIRunner.binary().path, "capture", "fingerprint", "--timeout", "20", "--output", output.path],
            environment: ["BIOCAPTURE_URU4000_SEED": "51EA2124"], deadline: 90)
    }

    private func assertMatchesRecording(_ output: URL, fixture: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let written = try ImageFile.read(output.path).grayImage
        let expected = try ImageFile.read(fixture.appendingPathComponent("capture.png").path).grayImage
        XCTAssertEqual(written.width, 384, file: file, line: line)
        XCTAssertEqual(written.height, 290, file: file, line: line)
        XCTAssertEqual(written.width, expected.width, file: file, line: line)
        XCTAssertEqual(written.height, expected.height, file: file, line: line)
        let differing = zip(written.pixels, expected.pixels).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "\(differing) pixels differ from capture.png", file: file, line: line)
    }

    func testReplayWritesTheRecordedImageAsPNG() throws {
        let fixture = try fixture()
        let output = try CLIRunner.temporaryDirectory(self).appendingPathComponent("out.png")
        let result = try replay(output: output, fixture: fixture)
        XCTAssertEqual(result.status, 0, "stderr: \(result.stderr)")
        try assertMatchesRecording(output, fixture: fixture)
    }

    func testReplayWritesTheRecordedImageAsPGM() throws {
        let fixture = try fixture()
        let output = try CLIRunner.temporaryDirectory(self).appendingPathComponent("out.pgm")
        let result = try replay(output: output, fixture: fixture)
        XCTAssertEqual(result.status, 0, "stderr: \(result.stderr)")
        try assertMatchesRecording(output, fixture: fixture)
    }

    /// A different seed changes the OUT bytes of the key exchange: the strict replayer refuses it,
    /// so the capture fails instead of writing a wrongly descrambled image.
    func testReplayWithAnotherSeedDoesNotWriteAnImage() throws {
        let fixture = try fixture()
        let output = try CLIRunner.temporaryDirectory(self).appendingPathComponent("out.png")
        let device = fixture.appendingPathComponent("device")
        let result = try CLIRunner.runProgram(
            try umockdevRun(),
            arguments: ["-d", device.path, "-p", "\(try sysfsPath(device))=\(fixture.appendingPathComponent("capture.pcapng").path)",
                        "--", try CLIRunner.binary().path, "capture", "fingerprint", "--timeout", "5", "--output", output.path],
            environment: ["BIOCAPTURE_URU4000_SEED": "12345678"], deadline: 90)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
    }
}
