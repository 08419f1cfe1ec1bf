import BioCapture
import Enrollment
import Foundation
import XCTest

/// A child process enrolls on the simulated station and is killed with SIGKILL at random
/// moments, as a power cut would. After each kill the journal verifies, every sample stored
/// before the kill is still there unchanged, and resuming eventually completes the session.
final class PowerCutTests: XCTestCase {
    func testSIGKILLAtRandomMomentsLosesNothingStored() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("powercut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("journal.sqlite").path
        let binary = try CLIRunner.binary()
        // Fixed seed: the kill moments are random but the same on every run.
        var random = SeededRandom(seed: 0x5EED_2026)

        var session: String?
        var stored: [String: String] = [:]  // slot → sha256 seen so far
        var kills = 0
        for round in 0..<40 {
            let arguments = session.map { ["enroll", "--journal", journal, "--resume", $0] }
                ?? ["enroll", "--journal", journal, "--subject", "3174051708850123"]
            let child = try ChildProcess(binary, arguments + ["--simulated", "--latency", "150", "--json"], directory: directory)
            if session == nil {
                session = try child.waitForSessionID(deadline: 20)
            }
            // The last rounds run to the end; the others are cut short at a random moment.
            let finished: Bool
            if round < 12 {
                let moment = 0.05 + random.unit() * 1.2
                finished = child.waitForExit(seconds: moment)
                if !finished {
                    child.kill()
                    kills += 1
                }
            } else {
                finished = child.waitForExit(seconds: 120)
                XCTAssertTrue(finished, "an enrollment without kills did not finish")
            }

            let verify = try CLIRunner.run(["journal", "verify", journal])
            XCTAssertEqual(verify.status, 0, "round \(round): \(verify.stdout)\(verify.stderr)")

            let opened = try EnrollmentJournal(path: journal)
            guard let id = session, let summary = try opened.session(id) else {
                XCTFail("round \(round): the session vanished")
                return
            }
            let samples = try opened.samples(session: id)
            for slot in child.reportedStoredSlots() {
                XCTAssertTrue(samples.contains { $0.slot == slot }, "round \(round): \(slot) was reported stored but is gone")
            }
            for (slot, hash) in stored {
                XCTAssertEqual(samples.first { $0.slot == slot }?.sha256, hash, "round \(round): \(slot) was lost or changed")
            }
            for sample in samples { stored[sample.slot] = sample.sha256 }
            if summary.state == .complete {
                XCTAssertEqual(samples.count, 14)
                break
            }
        }
        XCTAssertGreaterThanOrEqual(kills, 5, "the test must actually cut the power")
        let final = try EnrollmentJournal(path: journal)
        XCTAssertEqual(try final.session(try XCTUnwrap(session))?.state, .complete)
        XCTAssertEqual(try final.samples(session: try XCTUnwrap(session)).count, 14)
    }
}

/// A `biocapture` child whose standard output goes to a file we can read while it runs.
private final class ChildProcess {
    let process = Process()
    let output: URL

    init(_ binary: URL, _ arguments: [String], directory: URL) throws {
        output = directory.appendingPathComponent("child-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BIOCAPTURE_LOG_LEVEL"] = "critical"
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The session id from the first JSON line.
    func waitForSessionID(deadline seconds: TimeInterval) throws -> String {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let text = try? String(contentsOf: output, encoding: .utf8), let first = text.split(separator: "\n").first,
               let object = try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any],
               let id = object["session"] as? String
            {
                return id
            }
            usleep(5_000)
        }
        kill()
        XCTFail("no session id within \(seconds) s")
        throw XCTSkip("no session id")
    }

    /// Slots the child announced as committed (its "stored" events).
    func reportedStoredSlots() -> [String] {
        guard let text = try? String(contentsOf: output, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["event"] as? String == "stored" else { return nil }
            return object["slot"] as? String
        }
    }

    func waitForExit(seconds: TimeInterval) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < end { usleep(2_000) }
        return !process.isRunning
    }

    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
