import Enrollment
import Foundation
import XCTest

/// The README's device table and the hardware-notes index are generated from the driver table.
/// Set BIOCAPTURE_UPDATE_GENERATED=1 to rewrite them after changing the table.
final class GeneratedDocumentsTests: XCTestCase {
    private let update = ProcessInfo.processInfo.environment["BIOCAPTURE_UPDATE_GENERATED"] == "1"

    func testREADMEDeviceTableMatchesTheDriverTable() throws {
        let url = CLIRunner.packageRoot.appendingPathComponent("README.md")
        let readme = try String(contentsOf: url, encoding: .utf8)
        let begin = "<!-- supported-devices:begin -->\n"
        let end = "<!-- supported-devices:end -->"
        let start = try XCTUnwrap(readme.range(of: begin), "README lacks the begin marker")
        let stop = try XCTUnwrap(readme.range(of: end), "README lacks the end marker")
        let current = String(readme[start.upperBound..<stop.lowerBound])
        let generated = StationDrivers.supportedDevicesMarkdown()
        if update, current != generated {
            try (readme[..<start.upperBound] + generated + readme[stop.lowerBound...]).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(current, generated, "README's device table is stale: rerun with BIOCAPTURE_UPDATE_GENERATED=1")
    }

    func testHardwareNotesIndexMatchesTheDriverTable() throws {
        let url = CLIRunner.packageRoot.appendingPathComponent("hardware-notes/README.md")
        let generated = StationDrivers.hardwareNotesIndex()
        if update { try generated.write(to: url, atomically: true, encoding: .utf8) }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), generated,
                       "hardware-notes/README.md is stale: rerun with BIOCAPTURE_UPDATE_GENERATED=1")
        for driver in StationDrivers.registry().drivers {
            let page = CLIRunner.packageRoot.appendingPathComponent("hardware-notes/\(driver.id).md")
            XCTAssertTrue(FileManager.default.fileExists(atPath: page.path), "driver \(driver.id) has no hardware-notes page")
        }
    }
}
