import BioCapture
import Foundation
import XCTest

final class SelftestCommandTests: XCTestCase {
    private func json(_ result: CLIRunner.Result) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout + result.stderr)
    }

    func testHealthySimulatedStationPassesWithTheDocumentedJSONKeys() throws {
        let result = try CLIRunner.run(["selftest", "--simulated", "--json", "--latency", "5"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try json(result)
        let devices = try XCTUnwrap(object["devices"] as? [[String: Any]])
        XCTAssertFalse(devices.isEmpty)
        for device in devices {
            for key in ["id", "modality", "simulated", "verdict", "steps", "faults"] {
                XCTAssertNotNil(device[key], "devices[].\(key) missing")
            }
            XCTAssertEqual(device["verdict"] as? String, "pass", "\(device)")
            XCTAssertEqual(device["simulated"] as? Bool, true)
        }
        XCTAssertTrue(devices.contains { $0["modality"] as? String == "face" })
    }

    /// Every fault kind of the design, injected on the simulated station, comes out of the CLI
    /// with the domain and code the design assigns it.
    func testEveryFaultKindIsClassifiedEndToEnd() throws {
        let simulators: [(modality: String, id: String)] = [
            ("fingerprint", "sim-fingerprint"), ("iris", "sim-iris"), ("face", "sim-webcam"), ("signature", "sim-signature"),
        ]
        for (modality, id) in simulators {
            for kind in FaultKind.allCases where kind != .slow {
                try checkFault(modality: modality, deviceID: id, kind: kind)
            }
        }
    }

    private func checkFault(modality: String, deviceID: String, kind: FaultKind) throws {
        let spec = "\(modality):\(kind.rawValue)"
        let result = try CLIRunner.run(["selftest", "--simulated", "--device", deviceID, "--fault", spec,
                                        "--json", "--latency", "5"], environment: ["BIOCAPTURE_LOG_LEVEL": "critical"])
        XCTAssertEqual(result.status, 1, "\(spec): \(result.stderr)")
        let device = try XCTUnwrap((try json(result)["devices"] as? [[String: Any]])?.first, spec)
        XCTAssertEqual(device["verdict"] as? String, "fail", spec)
        let fault = try XCTUnwrap((device["faults"] as? [[String: Any]])?.first, "\(spec): no fault in \(device)")
        // An iris camera's sensor defect is its dark illuminator: same domain, a more precise code.
        let expectedCode = modality == "iris" && kind == .sensorDefect ? FaultCode.illuminatorDark : kind.faultCode
        XCTAssertEqual(fault["code"] as? String, expectedCode?.rawValue, spec)
        XCTAssertEqual(fault["domain"] as? String, kind.domain?.rawValue, spec)
        XCTAssertFalse((fault["remedy"] as? String ?? "").isEmpty, spec)
    }

    func testTheLadderStopsAtTheFailedStepAndNamesIt() throws {
        let result = try CLIRunner.run(["selftest", "--simulated", "--device", "sim-webcam", "--fault", "face:busy",
                                        "--lang", "en"], environment: ["BIOCAPTURE_LOG_LEVEL": "critical"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("stopped at open"), result.stdout)
        XCTAssertTrue(result.stdout.contains("station set-up · busy"), result.stdout)
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colour when piped")
    }

    func testIndonesianOutput() throws {
        let result = try CLIRunner.run(["selftest", "--simulated", "--device", "sim-webcam", "--fault", "face:disconnect@capture",
                                        "--latency", "5"], environment: ["LANG": "id_ID.UTF-8", "BIOCAPTURE_LOG_LEVEL": "critical"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("Uji mandiri stasiun BioCapture"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Periksa kabel dan port USB"), result.stdout)
    }

    func testReportFolderHoldsWellFormedHTMLAndJSON() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIRunner.run(["selftest", "--simulated", "--report", directory.path, "--latency", "5"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("selftest.html"), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.hasSuffix("</html>\n"))
        XCTAssertEqual(html.components(separatedBy: "<section").count, html.components(separatedBy: "</section>").count)
        XCTAssertTrue(html.contains("data:image/png;base64,"), "the captured pictures are inline")
        let data = try Data(contentsOf: directory.appendingPathComponent("selftest.json"))
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testBadArgumentsAreUsageErrors() throws {
        let badFault = try CLIRunner.run(["selftest", "--simulated", "--fault", "face:explode"])
        XCTAssertEqual(badFault.status, 64)
        XCTAssertTrue(badFault.stderr.contains("unknown fault kind 'explode'"), badFault.stderr)
        let unknown = try CLIRunner.run(["selftest", "--simulated", "--device", "nope"])
        XCTAssertEqual(unknown.status, 66)
        XCTAssertTrue(unknown.stderr.contains("No device with id 'nope'"), unknown.stderr)
        let lang = try CLIRunner.run(["selftest", "--lang", "fr"])
        XCTAssertEqual(lang.status, 64)
    }
}
