import Foundation
import XCTest

/// `doctor` against fake /sys, /dev and rules trees.
final class DoctorCommandTests: XCTestCase {
    struct FakeMachine {
        var root: URL
        var sysfs: URL { root.appendingPathComponent("sys") }
        var dev: URL { root.appendingPathComponent("dev") }
        var rules: URL { root.appendingPathComponent("rules.d") }
        var journal: URL { root.appendingPathComponent("journal") }

        var environment: [String: String?] {
            ["BIOCAPTURE_SYSFS_ROOT": sysfs.path, "BIOCAPTURE_DEV_ROOT": dev.path,
             "BIOCAPTURE_UDEV_DIR": rules.path, "BIOCAPTURE_UDEVADM": ""]
        }

        func write(_ text: String, _ relative: String, under base: URL) throws {
            let url = base.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func addUSBDevice(name: String = "1-3", bus: Int = 1, device: Int = 5, descriptors: [UInt8]) throws {
            try write("", "bus/usb/devices/\(name)/busnum", under: sysfs)
            try write("\(bus)\n", "bus/usb/devices/\(name)/busnum", under: sysfs)
            try write("\(device)\n", "bus/usb/devices/\(name)/devnum", under: sysfs)
            try Data(descriptors).write(to: sysfs.appendingPathComponent("bus/usb/devices/\(name)/descriptors"))
            try write("", String(format: "bus/usb/%03d/%03d", bus, device), under: dev)
        }

        func addPowerSupply(_ name: String, type: String, online: Int? = nil, capacity: Int? = nil) throws {
            try write("\(type)\n", "class/power_supply/\(name)/type", under: sysfs)
            if let online { try write("\(online)\n", "class/power_supply/\(name)/online", under: sysfs) }
            if let capacity { try write("\(capacity)\n", "class/power_supply/\(name)/capacity", under: sysfs) }
        }

        func installRules() throws -> CLIRunner.Result {
            try CLIRunner.run(["udev-rules", "--install"], environment: environment)
        }
    }

    private func makeMachine(usb: Bool) throws -> FakeMachine {
        let machine = FakeMachine(root: try CLIRunner.temporaryDirectory(self))
        for directory in [machine.sysfs, machine.dev, machine.rules, machine.journal] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        if usb {
            try FileManager.default.createDirectory(at: machine.dev.appendingPathComponent("bus/usb"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: machine.sysfs.appendingPathComponent("bus/usb/devices"), withIntermediateDirectories: true)
        }
        return machine
    }

    private func doctorJSON(_ machine: FakeMachine) throws -> (result: CLIRunner.Result, json: [String: Any], checks: [String: [String: Any]]) {
        let result = try CLIRunner.run(["doctor", "--json", "--journal-dir", machine.journal.path], environment: machine.environment)
        let json = try CLIRunner.jsonObject(result.stdout)
        let list = try XCTUnwrap(json["checks"] as? [[String: Any]])
        var checks: [String: [String: Any]] = [:]
        for check in list { checks[check["id"] as? String ?? "?"] = check }
        return (result, json, checks)
    }

    func testMachineWithoutUSBSaysSoAndExitsCleanly() throws {
        let machine = try makeMachine(usb: false)
        let result = try CLIRunner.run(["doctor", "--journal-dir", machine.journal.path], environment: machine.environment)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("This machine has no USB device access: /dev/bus/usb is missing"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[warn] USB device nodes (usbfs): this machine has no USB device access: \(machine.dev.path)/bus/usb is missing"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[warn] udev rules:"), result.stdout)
        XCTAssertFalse(result.stdout.contains("[FAIL]"), result.stdout)
    }

    func testJSONDocumentHasEveryCheckAndTheSummary() throws {
        let machine = try makeMachine(usb: false)
        let (result, json, checks) = try doctorJSON(machine)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Set(json.keys), ["checks", "status", "summary", "exitStatus", "usbAccess"])
        XCTAssertEqual(Set(checks.keys), ["usbfs", "sysfs", "device-access", "udev-rules", "kernel-drivers", "groups", "disk-space", "clock", "power"])
        for (id, check) in checks {
            XCTAssertTrue(["ok", "warning", "fail"].contains(check["status"] as? String ?? ""), id)
            XCTAssertFalse((check["message"] as? String ?? "").isEmpty, id)
            XCTAssertFalse((check["title"] as? String ?? "").isEmpty, id)
            if check["status"] as? String != "ok" { XCTAssertNotNil(check["remedy"] as? String, "\(id) needs a remedy") }
        }
        XCTAssertEqual(json["usbAccess"] as? Bool, false)
        XCTAssertEqual(json["exitStatus"] as? Int, 0)
        let summary = try XCTUnwrap(json["summary"] as? [String: Int])
        XCTAssertEqual(summary.values.reduce(0, +), checks.count)
        XCTAssertEqual(checks["clock"]?["status"] as? String, "ok")
    }

    func testLowBatteryIsAWarning() throws {
        let machine = try makeMachine(usb: false)
        try machine.addPowerSupply("AC", type: "Mains", online: 0)
        try machine.addPowerSupply("BAT0", type: "Battery", capacity: 25)
        let (result, _, checks) = try doctorJSON(machine)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(checks["power"]?["status"] as? String, "warning")
        XCTAssertTrue((checks["power"]?["message"] as? String ?? "").contains("battery low (battery 25 %), not charging"), "\(checks["power"] ?? [:])")

        try machine.addPowerSupply("BAT0", type: "Battery", capacity: 80)
        try machine.addPowerSupply("AC", type: "Mains", online: 1)
        let (_, _, charged) = try doctorJSON(machine)
        XCTAssertEqual(charged["power"]?["status"] as? String, "ok")
        XCTAssertEqual(charged["power"]?["message"] as? String, "on mains power (battery 80 %)")
    }

    func testMissingRulesFailWhereUSBExistsAndNameTheInstallCommand() throws {
        let machine = try makeMachine(usb: true)
        let (result, json, checks) = try doctorJSON(machine)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(json["exitStatus"] as? Int, 1)
        XCTAssertEqual(json["usbAccess"] as? Bool, true)
        XCTAssertEqual(checks["udev-rules"]?["status"] as? String, "fail")
        XCTAssertTrue((checks["udev-rules"]?["remedy"] as? String ?? "").contains("sudo biocapture udev-rules --install"))
        XCTAssertEqual(checks["usbfs"]?["status"] as? String, "ok")

        let text = try CLIRunner.run(["doctor", "--journal-dir", machine.journal.path], environment: machine.environment)
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("[FAIL] udev rules: BioCapture udev rules are not installed"), text.stdout)
        XCTAssertTrue(text.stdout.contains("remedy: Run sudo biocapture udev-rules --install"), text.stdout)
    }

    func testInstalledRulesAreComparedByteForByte() throws {
        let machine = try makeMachine(usb: true)
        XCTAssertEqual(try machine.installRules().status, 0)
        let (installed, _, checks) = try doctorJSON(machine)
        XCTAssertEqual(checks["udev-rules"]?["status"] as? String, "ok", "\(checks["udev-rules"] ?? [:])")
        XCTAssertEqual(installed.status, 0)

        let identification = machine.rules.appendingPathComponent("60-biocapture.rules")
        try Data("# edited by hand\n".utf8).write(to: identification)
        let (_, _, stale) = try doctorJSON(machine)
        XCTAssertEqual(stale["udev-rules"]?["status"] as? String, "warning")
        XCTAssertTrue((stale["udev-rules"]?["message"] as? String ?? "").contains("differ"))
    }

    func testUnsupportedDevicesAreCountedButNotClaimed() throws {
        let machine = try makeMachine(usb: true)
        try machine.addUSBDevice(descriptors: exampleDeviceBytes)
        let (_, _, checks) = try doctorJSON(machine)
        XCTAssertEqual(checks["sysfs"]?["message"] as? String, "\(machine.sysfs.path)/bus/usb is present (1 USB device listed)")
        XCTAssertEqual(checks["device-access"]?["status"] as? String, "warning")
        XCTAssertTrue((checks["device-access"]?["message"] as? String ?? "").contains("no supported device is connected (1 USB device seen)"))
    }
}
