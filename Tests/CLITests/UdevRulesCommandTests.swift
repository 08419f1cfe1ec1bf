import Foundation
import XCTest

final class UdevRulesCommandTests: XCTestCase {
    static let fileNames = ["60-biocapture.rules", "61-biocapture-uaccess.rules", "61-biocapture-plugdev.rules"]

    /// The committed `udev/` files must be exactly what this version generates.
    func testCommittedRulesMatchTheGenerator() throws {
        let output = try CLIRunner.temporaryDirectory(self).appendingPathComponent("generated")
        let result = try CLIRunner.run(["udev-rules", "--output", output.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let generated = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        XCTAssertEqual(generated, Self.fileNames.sorted())
        let committed = CLIRunner.packageRoot.appendingPathComponent("udev")
        for name in Self.fileNames {
            let expected = try Data(contentsOf: output.appendingPathComponent(name))
            let actual = try Data(contentsOf: committed.appendingPathComponent(name))
            XCTAssertEqual(actual, expected, "udev/\(name) is stale: regenerate with `biocapture udev-rules --output udev`")
        }
    }

    func testPrintingShowsEveryFileWithItsName() throws {
        let result = try CLIRunner.run(["udev-rules"])
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in Self.fileNames {
            XCTAssertTrue(result.stdout.contains("# ==> \(name) <=="), name)
        }
        XCTAssertTrue(result.stdout.contains(#"TAG+="uaccess""#))
        XCTAssertTrue(result.stdout.contains(#"MODE="0660", GROUP="plugdev""#))
        XCTAssertFalse(result.stdout.contains("0666"))
    }

    func testInstallWritesOnePolicyAndRunsUdevadm() throws {
        let root = try CLIRunner.temporaryDirectory(self)
        let rules = root.appendingPathComponent("rules.d")
        let log = root.appendingPathComponent("udevadm.log")
        let fakeUdevadm = root.appendingPathComponent("udevadm")
        try "#!/bin/sh\necho \"$@\" >> '\(log.path)'\n".write(to: fakeUdevadm, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(fakeUdevadm.path, 0o755), 0)
        let environment: [String: String?] = ["BIOCAPTURE_UDEV_DIR": rules.path, "BIOCAPTURE_UDEVADM": fakeUdevadm.path]

        let desktop = try CLIRunner.run(["udev-rules", "--install"], environment: environment)
        XCTAssertEqual(desktop.status, 0, desktop.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: rules.path).sorted(),
                       ["60-biocapture.rules", "61-biocapture-uaccess.rules"])
        let committed = CLIRunner.packageRoot.appendingPathComponent("udev")
        XCTAssertEqual(try Data(contentsOf: rules.appendingPathComponent("61-biocapture-uaccess.rules")),
                       try Data(contentsOf: committed.appendingPathComponent("61-biocapture-uaccess.rules")))
        let attributes = try FileManager.default.attributesOfItem(atPath: rules.appendingPathComponent("60-biocapture.rules").path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o644)
        XCTAssertEqual(try String(contentsOf: log, encoding: .utf8),
                       "control --reload-rules\ntrigger --subsystem-match=usb --action=change\n")
        XCTAssertTrue(desktop.stdout.contains("ran udevadm control --reload-rules"), desktop.stdout)

        let headless = try CLIRunner.run(["udev-rules", "--install", "--headless"], environment: environment)
        XCTAssertEqual(headless.status, 0, headless.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: rules.path).sorted(),
                       ["60-biocapture.rules", "61-biocapture-plugdev.rules"])
        XCTAssertTrue(headless.stdout.contains("removed"), headless.stdout)
        XCTAssertTrue(headless.stdout.contains("plugdev"), headless.stdout)
    }

    func testInstallReportsAFailingUdevadm() throws {
        let root = try CLIRunner.temporaryDirectory(self)
        let result = try CLIRunner.run(["udev-rules", "--install", "--rules-dir", root.path],
                                       environment: ["BIOCAPTURE_UDEVADM": "/bin/false"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("udevadm control --reload-rules failed"), result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("60-biocapture.rules").path))
    }

    func testInstallWithoutRightsSaysHowToRunIt() throws {
        let root = try CLIRunner.temporaryDirectory(self)
        let rules = root.appendingPathComponent("rules.d")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(root.path, 0o755), 0)
        XCTAssertEqual(chmod(rules.path, 0o555), 0)
        addTeardownBlock { chmod(rules.path, 0o755) }
        let environment: [String: String?] = ["BIOCAPTURE_UDEV_DIR": rules.path, "BIOCAPTURE_UDEVADM": ""]
        let result: CLIRunner.Result
        if geteuid() != 0 {
            result = try CLIRunner.run(["udev-rules", "--install"], environment: environment)
        } else {
            // Root ignores directory modes: run a copy of the binary as user nobody.
            let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
            guard FileManager.default.isExecutableFile(atPath: setpriv.path) else {
                print("skipping: running as root without setpriv, a read-only directory cannot refuse the write")
                throw XCTSkip("running as root without setpriv")
            }
            let copy = root.appendingPathComponent("biocapture")
            try FileManager.default.copyItem(at: CLIRunner.binary(), to: copy)
            XCTAssertEqual(chmod(copy.path, 0o755), 0)
            result = try CLIRunner.runProgram(
                setpriv, arguments: ["--reuid=65534", "--regid=65534", "--clear-groups", copy.path, "udev-rules", "--install"],
                environment: environment)
        }
        XCTAssertEqual(result.status, 77, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("sudo biocapture udev-rules --install"), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: rules.path), [])
    }

    func testOptionMisuseIsAUsageError() throws {
        XCTAssertEqual(try CLIRunner.run(["udev-rules", "--headless"]).status, 64)
        XCTAssertEqual(try CLIRunner.run(["udev-rules", "--install", "--output", "/tmp/x"]).status, 64)
    }
}
