import Foundation
import XCTest

/// `--lang` and the locale variables on the commands that gained them.
final class LanguageOptionTests: XCTestCase {
    private let environment: [String: String?] = ["LANG": nil, "LC_ALL": nil, "LC_MESSAGES": nil, "BIOCAPTURE_LOG_LEVEL": "critical"]

    func testEveryCommandRefusesAnUnknownLanguage() throws {
        for arguments in [["doctor"], ["udev-rules"], ["devices"], ["journal", "list", "/nonexistent/journal.sqlite"]] {
            let result = try CLIRunner.run(arguments + ["--lang", "fr"], environment: environment)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--lang takes en or id"), result.stderr)
        }
        let indonesian = try CLIRunner.run(["doctor", "--lang", "fr"], environment: environment.merging(["LANG": "id_ID.UTF-8"]) { $1 })
        XCTAssertTrue(indonesian.stderr.contains("--lang hanya menerima en atau id"), indonesian.stderr)
    }

    func testUdevRulesArgumentErrorsFollowTheLanguage() throws {
        let result = try CLIRunner.run(["udev-rules", "--headless", "--lang", "id"], environment: environment)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--headless hanya berlaku bersama --install"), result.stderr)
    }

    func testLCALLWinsOverLANG() throws {
        let result = try CLIRunner.run(["devices", "--simulated"],
                                       environment: environment.merging(["LANG": "en_US.UTF-8", "LC_ALL": "id_ID.UTF-8"]) { $1 })
        XCTAssertTrue(result.stdout.contains("Perangkat simulasi:"), result.stdout)
        let english = try CLIRunner.run(["devices", "--simulated", "--lang", "en"],
                                        environment: environment.merging(["LC_ALL": "id_ID.UTF-8"]) { $1 })
        XCTAssertTrue(english.stdout.contains("Simulated devices:"), english.stdout)
    }

    func testJournalCommandsInIndonesian() throws {
        let directory = try CLIRunner.temporaryDirectory(self)
        let journal = directory.appendingPathComponent("journal.sqlite").path
        let missing = try CLIRunner.run(["journal", "list", journal, "--lang", "id"], environment: environment)
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(missing.stderr, "Tidak ada jurnal di \(journal).\n")

        let enroll = try CLIRunner.run(["enroll", "--journal", journal, "--subject", "3174051708850123", "--simulated",
                                        "--latency", "1", "--json"], environment: environment)
        XCTAssertEqual(enroll.status, 0, enroll.stderr)
        let list = try CLIRunner.run(["journal", "list", journal, "--lang", "id"], environment: environment)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("  3174051708850123  lengkap  14 sampel, 0 pengecualian, 0 gangguan"), list.stdout)
        let verify = try CLIRunner.run(["journal", "verify", journal, "--lang", "id"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(verify.stdout, "Jurnal utuh: 14 sampel, hash dan rantai hash sudah diverifikasi.\n")
        let english = try CLIRunner.run(["journal", "verify", journal], environment: environment)
        XCTAssertEqual(english.stdout, "Journal intact: 14 samples, hashes and chains verified.\n")

        let session = try XCTUnwrap(list.stdout.split(separator: " ").first.map(String.init))
        let output = directory.appendingPathComponent("export").path
        let export = try CLIRunner.run(["journal", "export", journal, "--session", session, "--output", output, "--lang", "id"],
                                       environment: environment)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(export.stdout, "Sesi \(session) diekspor ke \(output): 14 sampel, manifest.json.\n")
    }
}
