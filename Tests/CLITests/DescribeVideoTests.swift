import Foundation
import XCTest

/// `describe --descriptors` shows a webcam's UVC formats, frame sizes and rates.
final class DescribeVideoTests: XCTestCase {
    func testTheC270DumpShowsItsFormatsSizesAndRates() throws {
        let file = try CLIRunner.shared().appendingPathComponent("fixtures/uvc/logitech_c270.descriptors.bin")
        let text = try CLIRunner.run(["describe", "--descriptors", file.path])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Video streaming interface 1 (UVC 1.00):"), text.stdout)
        XCTAssertTrue(text.stdout.contains("format 1: YUY2, 16 bits/pixel"), text.stdout)
        XCTAssertTrue(text.stdout.contains("format 2: MJPEG"), text.stdout)
        XCTAssertTrue(text.stdout.contains("640×480: 30, 25, 20, 15, 10, 5 fps"), text.stdout)

        let json = try CLIRunner.run(["describe", "--descriptors", file.path, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let video = try XCTUnwrap(object["video"] as? [[String: Any]])
        let streams = try XCTUnwrap(video.first?["streams"] as? [[String: Any]])
        let formats = try XCTUnwrap(streams.first?["formats"] as? [[String: Any]])
        XCTAssertEqual(formats.map { $0["pixelFormat"] as? String }, ["YUY2", "MJPEG"])
        XCTAssertEqual((formats.first?["frames"] as? [Any])?.count, 19)
    }

    func testTheHostileIntervalCountIsClampedAndReported() throws {
        let file = try CLIRunner.shared().appendingPathComponent("fixtures/uvc/malicious_huge_frame_interval_type.descriptors.bin")
        let result = try CLIRunner.run(["describe", "--descriptors", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("640×480: 30 fps"), result.stdout)
        XCTAssertTrue(result.stdout.contains("clamped"), result.stdout)
    }

    func testDevicesWithoutVideoHaveNoVideoSection() throws {
        let shared = try CLIRunner.shared()
        let device = try String(contentsOf: shared.appendingPathComponent("fixtures/libfprint/nb1010/device"), encoding: .utf8)
        let hex = try XCTUnwrap(device.split(separator: "\n").first { $0.hasPrefix("H: descriptors=") }).dropFirst("H: descriptors=".count)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(try XCTUnwrap(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nb1010-\(UUID().uuidString).bin")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let json = try CLIRunner.run(["describe", "--descriptors", file.path, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertNil(object["video"])
        XCTAssertEqual((object["driver"] as? [String: Any])?["id"] as? String, "nb1010", json.stdout)
    }
}
