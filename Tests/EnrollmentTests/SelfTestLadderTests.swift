import BioCapture
import BioCaptureTesting
@testable import Enrollment
import Foundation
import XCTest

final class SelfTestLadderTests: XCTestCase {
    func testAHealthySimulatedDevicePassesEveryRung() async {
        let result = await SelfTestLadder.run(ScriptedFingerprintScanner(), access: nil)
        XCTAssertEqual(result.verdict, .pass)
        XCTAssertEqual(result.steps.map(\.id), SelfTestStepID.allCases)
        XCTAssertTrue(result.steps.allSatisfy { $0.outcome == .passed }, "\(result.steps.map(\.outcome))")
    }

    func testTheLadderStopsAtTheFirstFailedRungAndNamesIt() async {
        let scanner = ScriptedFingerprintScanner()
        await scanner.core.setSensorFault(CaptureFault(.sensorDefect, message: "sensor has 3 dead rows"))
        let result = await SelfTestLadder.run(scanner, access: nil)
        XCTAssertEqual(result.verdict, .fail)
        XCTAssertEqual(result.failedStep, .sensor)
        XCTAssertEqual(result.faults.map(\.code), [.sensorDefect])
        let capture = result.steps.first { $0.id == .capture }
        XCTAssertEqual(capture?.outcome, .skipped)
        XCTAssertTrue(capture?.detail.contains("stopped at 'sensor'") ?? false)
        let calls = await scanner.core.captureCalls
        XCTAssertEqual(calls, 0, "nothing is captured after a failed rung")
    }

    func testOpenFailuresAreClassified() async {
        let scanner = ScriptedFingerprintScanner(openFault: CaptureFault(.busy))
        let result = await SelfTestLadder.run(scanner, access: nil)
        XCTAssertEqual(result.failedStep, .open)
        XCTAssertEqual(result.faults.first?.domain, .environment)
    }

    func testPermissionsAndKernelDriverRungsUseTheAccessFacts() async {
        let denied = DeviceAccessFacts(deviceNode: "/dev/bus/usb/001/005", nodeReadable: true, nodeWritable: false)
        let scanner = ScriptedFingerprintScanner()
        let result = await SelfTestLadder.run(scanner, access: denied)
        XCTAssertEqual(result.failedStep, .permissions)
        XCTAssertEqual(result.faults.first?.code, .permissionDenied)
        XCTAssertTrue(result.faults.first?.remedy.contains("udev-rules --install") ?? false)
        let opened = await scanner.core.openCalls
        XCTAssertEqual(opened, 0)

        let camera = DeviceAccessFacts(deviceNode: "/dev/bus/usb/001/006", nodeReadable: true, nodeWritable: true,
                                       boundKernelDrivers: [1: "uvcvideo"], detachableKernelDrivers: ["uvcvideo"])
        let ok = await SelfTestLadder.run(ScriptedWebcam(), access: camera)
        XCTAssertEqual(ok.steps.first { $0.id == .kernelDriver }?.outcome, .passed)

        let foreign = DeviceAccessFacts(deviceNode: "/dev/bus/usb/001/007", nodeReadable: true, nodeWritable: true,
                                        boundKernelDrivers: [0: "vendor-daemon"])
        let warned = await SelfTestLadder.run(ScriptedWebcam(), access: foreign)
        XCTAssertEqual(warned.steps.first { $0.id == .kernelDriver }?.outcome, .warning)
        XCTAssertEqual(warned.verdict, .degraded)
    }

    func testReportJSONHasTheDocumentedKeys() async throws {
        let failing = ScriptedIrisCamera()
        await failing.core.setSensorFault(CaptureFault(.illuminatorDark))
        let results = [
            await SelfTestLadder.run(ScriptedFingerprintScanner(), access: nil),
            await SelfTestLadder.run(failing, access: nil),
        ]
        let report = StationReport(results: results, language: .indonesian, generatedAt: Date(timeIntervalSince1970: 0),
                                   hostname: "kecamatan-01")
        XCTAssertFalse(report.allPassed)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        let devices = try XCTUnwrap(object["devices"] as? [[String: Any]])
        XCTAssertEqual(devices.count, 2)
        for key in ["id", "modality", "simulated", "verdict", "steps", "faults"] {
            XCTAssertNotNil(devices[1][key], "missing key \(key)")
        }
        XCTAssertEqual(devices[1]["verdict"] as? String, "fail")
        let fault = try XCTUnwrap((devices[1]["faults"] as? [[String: Any]])?.first)
        XCTAssertEqual(fault["domain"] as? String, "hardware")
        XCTAssertEqual(fault["code"] as? String, "illuminator-dark")
        XCTAssertEqual(fault["message"] as? String, "Lampu inframerah tidak menyala.")
        XCTAssertNotNil(fault["remedy"] as? String)
        let summary = try XCTUnwrap(object["summary"] as? [String: Int])
        XCTAssertEqual(summary, ["devices": 2, "pass": 1, "degraded": 0, "fail": 1])
    }

    func testHTMLReportIsSelfContainedAndEscaped() async throws {
        let scanner = ScriptedFingerprintScanner(id: "<script>alert(1)</script>")
        let report = StationReport(results: [await SelfTestLadder.run(scanner, access: nil)], language: .english,
                                   generatedAt: Date(), hostname: "station & co")
        let html = HTMLReport.render(report, pictures: [scanner.identity.id: [("blank frame", Data([0x89, 0x50]))]],
                                     language: .english)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script>"), "device text is escaped")
        XCTAssertTrue(html.contains("&lt;script&gt;"))
        XCTAssertTrue(html.contains("station &amp; co"))
        XCTAssertTrue(html.contains("data:image/png;base64,iVA="))
        XCTAssertFalse(html.contains("src=\"http"), "no external resources")
        XCTAssertEqual(html.components(separatedBy: "<section").count - 1, 1)
    }

    func testEveryStationMessageHasBothLanguages() {
        for key in StationMessages.Key.allCases {
            let entry = StationMessages.table[key]
            XCTAssertNotNil(entry, "\(key) has no text")
            XCTAssertFalse(entry?.english.isEmpty ?? true)
            XCTAssertFalse(entry?.indonesian.isEmpty ?? true, "\(key) lacks Indonesian")
        }
    }
}
