import BioCapture
import Foundation
import XCTest
@testable import biocapture

/// Whole outputs of `doctor`, `udev-rules --install`, `devices` and `selftest`, human and JSON,
/// in English and Bahasa Indonesia, compared with files under `Tests/CLITests/Golden/`.
/// What changes from run to run (temporary paths, the clock, the user, host name, version,
/// durations, serial numbers, frame rates) is replaced by a `<NAME>` marker first.
/// Run with `BIOCAPTURE_UPDATE_GOLDEN=1` to rewrite the files after an intended change, then
/// review the diff.
final class GoldenOutputTests: XCTestCase {
    private static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    private let updating = ProcessInfo.processInfo.environment["BIOCAPTURE_UPDATE_GOLDEN"] == "1"

    // MARK: - doctor and udev-rules

    /// A station: usbfs and sysfs present with one USB device no driver claims, the rules
    /// installed, the laptop on a low battery with the adapter unplugged, and a journal
    /// directory that does not exist (so free space, which differs on every machine, is not read).
    private func makeStation() throws -> DoctorCommandTests.FakeMachine {
        let machine = DoctorCommandTests.FakeMachine(root: try CLIRunner.temporaryDirectory(self))
        for directory in [machine.sysfs, machine.dev, machine.rules] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(at: machine.dev.appendingPathComponent("bus/usb"), withIntermediateDirectories: true)
        try machine.addUSBDevice(descriptors: exampleDeviceBytes)
        try machine.addPowerSupply("AC", type: "Mains", online: 0)
        try machine.addPowerSupply("BAT0", type: "Battery", capacity: 25)
        return machine
    }

    /// A container: no /dev/bus/usb, no sysfs USB, no rules, no power information.
    private func makeContainer() throws -> DoctorCommandTests.FakeMachine {
        let machine = DoctorCommandTests.FakeMachine(root: try CLIRunner.temporaryDirectory(self))
        for directory in [machine.sysfs, machine.dev, machine.rules] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        return machine
    }

    func testUdevRulesInstallOutput() throws {
        for language in ["en", "id"] {
            let machine = try makeStation()
            let result = try CLIRunner.run(["udev-rules", "--install", "--lang", language], environment: machine.environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            try assertGolden(normalise(result.stdout, root: machine.root, language: language), "udev-rules-install.\(language).txt")
        }
    }

    func testDoctorOnAStation() throws {
        for language in ["en", "id"] {
            let machine = try makeStation()
            XCTAssertEqual(try machine.installRules().status, 0)
            let missingJournal = machine.journal.path
            let text = try CLIRunner.run(["doctor", "--journal-dir", missingJournal, "--lang", language], environment: machine.environment)
            XCTAssertEqual(text.status, 1, text.stderr)
            try assertGolden(normalise(text.stdout, root: machine.root, language: language), "doctor-station.\(language).txt")
            let json = try CLIRunner.run(["doctor", "--json", "--journal-dir", missingJournal, "--lang", language], environment: machine.environment)
            XCTAssertEqual(json.status, 1, json.stderr)
            XCTAssertNotNil(try CLIRunner.jsonObject(json.stdout))
            try assertGolden(normalise(json.stdout, root: machine.root, language: language), "doctor-station.\(language).json")
        }
    }

    func testDoctorInAContainer() throws {
        for language in ["en", "id"] {
            let machine = try makeContainer()
            let environment = machine.environment.merging(["LANG": language == "id" ? "id_ID.UTF-8" : "C.UTF-8", "LC_ALL": nil, "LC_MESSAGES": nil]) { $1 }
            // The language comes from LANG here, as on a station set up in Indonesian.
            let text = try CLIRunner.run(["doctor", "--journal-dir", machine.journal.path], environment: environment)
            XCTAssertEqual(text.status, 1, text.stderr)
            try assertGolden(normalise(text.stdout, root: machine.root, language: language), "doctor-container.\(language).txt")
            let json = try CLIRunner.run(["doctor", "--json", "--journal-dir", machine.journal.path], environment: environment)
            try assertGolden(normalise(json.stdout, root: machine.root, language: language), "doctor-container.\(language).json")
        }
    }

    // MARK: - devices

    func testDevicesWithoutUSB() throws {
        for language in ["en", "id"] {
            let machine = try makeContainer()
            let result = try CLIRunner.run(["devices", "--simulated", "--lang", language], environment: machine.environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            try assertGolden(normalise(result.stdout, root: machine.root, language: language), "devices-no-usb.\(language).txt")
        }
    }

    // MARK: - selftest

    func testSelftestOfTheSimulatedSignaturePad() throws {
        for language in ["en", "id"] {
            let arguments = ["selftest", "--simulated", "--device", "sim-signature", "--latency", "1", "--lang", language]
            let environment: [String: String?] = ["BIOCAPTURE_LOG_LEVEL": "critical", "NO_COLOR": "1"]
            let text = try CLIRunner.run(arguments, environment: environment)
            XCTAssertEqual(text.status, 0, text.stdout + text.stderr)
            try assertGolden(normaliseSelftest(text.stdout), "selftest-sim-signature.\(language).txt")
            let json = try CLIRunner.run(arguments + ["--json"], environment: environment)
            XCTAssertEqual(json.status, 0, json.stderr)
            XCTAssertEqual(try CLIRunner.jsonObject(json.stdout)["language"] as? String, language)
            try assertGolden(normaliseSelftest(json.stdout), "selftest-sim-signature.\(language).json")
        }
    }

    // MARK: - Normalising and comparing

    /// Replaces what differs between machines and runs in doctor/udev-rules/devices output.
    private func normalise(_ output: String, root: URL, language: String) -> String {
        var text = output.replacingOccurrences(of: root.path, with: "<ROOT>")
        // The user and groups check reports whoever runs the tests: replace its exact message.
        let user = DoctorChecks.gatherUser()
        let messageLanguage: MessageLanguage = language == "id" ? .indonesian : .english
        for plugdev in [false, true] {
            let check = DoctorChecks.groups(user: user.name, groups: user.groups, isRoot: user.isRoot,
                                            plugdevPolicyInstalled: plugdev, language: messageLanguage)
            text = text.replacingOccurrences(of: check.message, with: "<USER AND GROUPS>")
            if let remedy = check.remedy { text = text.replacingOccurrences(of: remedy, with: "<GROUPS REMEDY>") }
        }
        return replacing(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"#, with: "<TIME>", in: text)
    }

    /// Replaces what differs between runs in selftest output.
    private func normaliseSelftest(_ output: String) -> String {
        var text = replacing(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"#, with: "<TIME>", in: output)
        text = replacing(#""hostname" : "[^"]*""#, with: #""hostname" : "<HOST>""#, in: text)
        text = replacing(#""version" : "[^"]*""#, with: #""version" : "<VERSION>""#, in: text)
        text = replacing(#""serialNumber" : "[^"]*""#, with: #""serialNumber" : "<SERIAL>""#, in: text)
        // Figures that depend on timing: rates and durations, in the details and the measurements.
        text = replacing(#"\d+(\.\d+)? ?((frames|pen reports)\\?/s|fps|ms\b)"#, with: "<N> $2", in: text)
        text = replacing(#"("[A-Za-z]*(PerSecond|Rate|rate|Duration|duration|Latency|latency|Ms|Seconds|Fps|fps)" : )-?[0-9.e+-]+"#,
                         with: "$1<N>", in: text)
        return text
    }

    private func replacing(_ pattern: String, with template: String, in text: String) -> String {
        guard let expression = try? NSRegularExpression(pattern: pattern) else {
            XCTFail("bad pattern \(pattern)")
            return text
        }
        return expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    private func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url, options: .atomic)
            print("rewrote golden file \(name)")
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("golden file \(name) is missing: run the tests with BIOCAPTURE_UPDATE_GOLDEN=1 to create it", file: file, line: line)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return }
        let expectedLines = expected.components(separatedBy: "\n")
        let actualLines = actual.components(separatedBy: "\n")
        let index = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let want = index < expectedLines.count ? expectedLines[index] : "<end of file>"
        let got = index < actualLines.count ? actualLines[index] : "<end of output>"
        XCTFail("""
            \(name) differs from the golden file at line \(index + 1):
              golden: \(want)
              output: \(got)
            (rerun with BIOCAPTURE_UPDATE_GOLDEN=1 if the change is intended, then review the diff)
            """, file: file, line: line)
    }
}
