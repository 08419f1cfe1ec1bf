import BioCapture
import Enrollment
import Foundation
import XCTest

final class EnrollCommandTests: XCTestCase {
    private var directory: URL!
    private var journal: String { directory.appendingPathComponent("journal.sqlite").path }
    private let nik = "3174051708850123"

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("enroll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func lines(_ result: CLIRunner.Result) -> [[String: Any]] {
        result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func testASimulatedEnrollmentCompletesWithFourteenSamples() throws {
        let result = try CLIRunner.run(["enroll", "--journal", journal, "--subject", nik, "--simulated", "--latency", "5", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let events = lines(result)
        XCTAssertEqual(events.first?["event"] as? String, "started")
        let session = try XCTUnwrap(events.first?["session"] as? String, "the session id comes first")
        XCTAssertEqual(events.last?["state"] as? String, "complete")
        XCTAssertEqual((events.last?["stored"] as? [String])?.count, 14)

        let list = try CLIRunner.run(["journal", "list", journal, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        let sessions = try XCTUnwrap(object["sessions"] as? [[String: Any]])
        XCTAssertEqual(sessions.first?["id"] as? String, session)
        XCTAssertEqual(sessions.first?["subject"] as? String, nik)
        XCTAssertEqual(sessions.first?["state"] as? String, "complete")
        XCTAssertEqual(sessions.first?["samples"] as? Int, 14)
        XCTAssertEqual(try CLIRunner.run(["journal", "verify", journal]).status, 0)

        let attributes = try FileManager.default.attributesOfItem(atPath: journal)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)

        let exported = directory.appendingPathComponent("export")
        let export = try CLIRunner.run(["journal", "export", journal, "--session", session, "--output", exported.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: exported.path)
        for name in ["face.jpg", "iris-left.png", "iris-right.png", "finger-1.png", "finger-10.png", "signature.json",
                     "signature.png", "manifest.json"] {
            XCTAssertTrue(files.contains(name), "\(name) missing from \(files)")
        }
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: exported.appendingPathComponent("manifest.json"))) as? [String: Any])
        XCTAssertEqual((manifest["samples"] as? [Any])?.count, 14)
        let again = try CLIRunner.run(["journal", "export", journal, "--session", session, "--output", exported.path])
        XCTAssertNotEqual(again.status, 0, "an export never overwrites")
    }

    func testABadNIKIsRefusedAndNothingIsWritten() throws {
        let result = try CLIRunner.run(["enroll", "--journal", journal, "--subject", "1234", "--simulated"])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("exactly 16 digits"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: journal), "a refused NIK writes nothing")
        let women = try CLIRunner.run(["enroll", "--journal", journal, "--subject", "3174057208850123", "--simulated"])
        XCTAssertEqual(women.status, 65)
        XCTAssertTrue(women.stderr.contains("birth day 72"), women.stderr)
    }

    func testExceptionsAreRecordedAndNotCaptured() throws {
        let result = try CLIRunner.run(["enroll", "--journal", journal, "--subject", nik, "--simulated", "--latency", "5",
                                        "--exception", "finger-2:missing:permanent:amputated", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let finished = try XCTUnwrap(lines(result).last)
        XCTAssertEqual(finished["excepted"] as? [String], ["finger-2"])
        XCTAssertFalse((finished["stored"] as? [String] ?? []).contains("finger-2"))
        let bad = try CLIRunner.run(["enroll", "--journal", journal, "--subject", nik, "--exception", "toe-1:missing:x:y"])
        XCTAssertEqual(bad.status, 64)
    }

    func testADeviceFaultLeavesAResumableSession() throws {
        let first = try CLIRunner.run(["enroll", "--journal", journal, "--subject", nik, "--simulated", "--latency", "5",
                                       "--fault", "iris:disconnect@capture", "--json"], environment: ["BIOCAPTURE_LOG_LEVEL": "critical"])
        XCTAssertEqual(first.status, 1, "an incomplete session exits 1")
        let events = lines(first)
        let fault = try XCTUnwrap(events.first { $0["event"] as? String == "fault" })
        XCTAssertEqual(fault["domain"] as? String, "hardware")
        XCTAssertEqual(fault["code"] as? String, "disconnected")
        let session = try XCTUnwrap(events.first?["session"] as? String)
        XCTAssertEqual(events.last?["missing"] as? [String], ["iris-right", "iris-left"])

        let resumed = try CLIRunner.run(["enroll", "--journal", journal, "--resume", session, "--simulated", "--latency", "5", "--json"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let resumedEvents = lines(resumed)
        XCTAssertEqual(resumedEvents.first?["resumed"] as? Bool, true)
        XCTAssertEqual(resumedEvents.first?["missing"] as? [String], ["iris-right", "iris-left"])
        XCTAssertEqual(resumedEvents.filter { $0["event"] as? String == "stored" }.count, 2, "only what was missing")

        let unknown = try CLIRunner.run(["enroll", "--journal", journal, "--resume", "no-such-session", "--simulated"])
        XCTAssertEqual(unknown.status, 66)
    }

    func testVerifyFailsOnADamagedJournal() throws {
        XCTAssertEqual(try CLIRunner.run(["enroll", "--journal", journal, "--subject", nik, "--simulated", "--latency", "1"]).status, 0)
        let size = try XCTUnwrap((try FileManager.default.attributesOfItem(atPath: journal)[.size] as? NSNumber)?.intValue)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: journal))
        try handle.seek(toOffset: UInt64(size / 2))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try handle.close()
        let verify = try CLIRunner.run(["journal", "verify", journal])
        XCTAssertNotEqual(verify.status, 0, verify.stdout)
        let missing = try CLIRunner.run(["journal", "verify", directory.appendingPathComponent("none.sqlite").path])
        XCTAssertEqual(missing.status, 66)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("none.sqlite").path))
    }
}
