import Foundation
import XCTest

final class CaptureCheckCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testEachModalityIsCapturedFromTheSimulatorAndPassesItsCheck() throws {
        let cases: [(modality: String, file: String)] = [
            ("fingerprint", "finger.png"), ("fingerprint", "finger.pgm"), ("iris", "eye.png"),
            ("face", "face.jpg"), ("signature", "sig.json"),
        ]
        for (modality, file) in cases {
            let capture = try CLIRunner.run(["capture", modality, "--simulated", "--output", path(file)],
                                            environment: ["BIOCAPTURE_LOG_LEVEL": "critical"])
            XCTAssertEqual(capture.status, 0, "\(modality) \(file): \(capture.stderr)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: path(file)), file)
            let check = try CLIRunner.run(["check", modality, "--input", path(file), "--json"])
            XCTAssertEqual(check.status, 0, "\(modality) \(file): \(check.stdout)\(check.stderr)")
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(report["passed"] as? Bool, true, "\(modality): \(report)")
        }
        // A signature captured to .png also keeps its time series beside it.
        XCTAssertEqual(try CLIRunner.run(["capture", "signature", "--simulated", "--output", path("sig.png")]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("sig.json")))
    }

    func testCheckReportsTheFaceAndEyesAndTheIrisCircles() throws {
        XCTAssertEqual(try CLIRunner.run(["capture", "face", "--simulated", "--output", path("face.png")]).status, 0)
        let face = try CLIRunner.run(["check", "face", "--input", path("face.png"), "--json"])
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(face.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(report["faceBox"])
        XCTAssertEqual((report["points"] as? [[String: Any]])?.map { $0["name"] as? String }, ["left-eye", "right-eye"])
        let wrongColour = try CLIRunner.run(["check", "face", "--input", path("face.png"), "--background", "red"])
        XCTAssertEqual(wrongColour.status, 1, "a blue background fails a red-background policy")

        XCTAssertEqual(try CLIRunner.run(["capture", "iris", "--simulated", "--output", path("eye.png")]).status, 0)
        let iris = try CLIRunner.run(["check", "iris", "--input", path("eye.png"), "--json"])
        let irisReport = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(iris.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((irisReport["circles"] as? [[String: Any]])?.count, 2)
        XCTAssertGreaterThan((irisReport["measures"] as? [Any])?.count ?? 0, 9)
    }

    func testFaultsAndBadInputsAreClassified() throws {
        let unplugged = try CLIRunner.run(["capture", "fingerprint", "--simulated", "--fault", "fingerprint:disconnect@capture",
                                           "--output", path("x.png")], environment: ["BIOCAPTURE_LOG_LEVEL": "critical"])
        XCTAssertEqual(unplugged.status, 1)
        XCTAssertTrue(unplugged.stderr.contains("[hardware/disconnected]"), unplugged.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.png")), "nothing is written on a fault")

        let noDevice = try CLIRunner.run(["capture", "iris", "--output", path("y.png")],
                                         environment: ["BIOCAPTURE_DEV_ROOT": directory.path])
        XCTAssertEqual(noDevice.status, 4, noDevice.stderr)

        try Data("not an image".utf8).write(to: directory.appendingPathComponent("bad.png"))
        XCTAssertEqual(try CLIRunner.run(["check", "fingerprint", "--input", path("bad.png")]).status, 65)
        XCTAssertEqual(try CLIRunner.run(["check", "iris", "--input", path("missing.png")]).status, 66)
        try Data("{\"format\":\"biocapture.signature\"}".utf8).write(to: directory.appendingPathComponent("bad.json"))
        XCTAssertEqual(try CLIRunner.run(["check", "signature", "--input", path("bad.json")]).status, 65)
        let uniform = try CLIRunner.run(["check", "fingerprint", "--input", path("missing.pgm")])
        XCTAssertEqual(uniform.status, 66)
    }

    func testRealLibfprintCapturesScoreAsFingerprints() throws {
        let shared = try CLIRunner.shared()
        let nb1010 = shared.appendingPathComponent("fixtures/libfprint/nb1010/capture.png").path
        let result = try CLIRunner.run(["check", "fingerprint", "--input", nb1010, "--json"])
        XCTAssertEqual(result.status, 0, result.stdout)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertGreaterThanOrEqual(report["score"] as? Int ?? 0, 40)
    }
}
