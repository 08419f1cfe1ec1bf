import Foundation
import XCTest

final class DescribeHIDCommandTests: XCTestCase {
    private func intuos() throws -> URL {
        try CLIRunner.shared().appendingPathComponent("fixtures/hid/wacom-intuos-s-3rd-gen/0003:056A:0374.000A.hid.bin")
    }

    func testADigitizerDescriptorShowsItsPenRanges() throws {
        let result = try CLIRunner.run(["describe", "--hid-report-descriptor", try intuos().path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("X: 0..15200"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Y: 0..9500"), result.stdout)
        XCTAssertTrue(result.stdout.contains("pressure: 0..4095 (4096 levels)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("100.00 counts/mm"), result.stdout)

        let json = try CLIRunner.run(["describe", "--hid-report-descriptor", try intuos().path, "--json"])
        XCTAssertEqual(json.status, 0)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    }

    func testTruncatedDescriptorsFailWithTheOffset() throws {
        let bytes = try Data(contentsOf: try intuos())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for length in [0, 1, 20, 101, bytes.count - 1] {
            let file = directory.appendingPathComponent("cut-\(length).bin")
            try bytes.prefix(length).write(to: file)
            let result = try CLIRunner.run(["describe", "--hid-report-descriptor", file.path])
            XCTAssertEqual(result.status, 65, "length \(length): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("byte"), "length \(length): \(result.stderr)")
        }
    }

    func testExactlyOneInputIsRequired() throws {
        XCTAssertEqual(try CLIRunner.run(["describe"]).status, 64)
        XCTAssertEqual(try CLIRunner.run(["describe", "--descriptors", "a", "--hid-report-descriptor", "b"]).status, 64)
    }
}
