import Foundation
import XCTest

final class DevicesCommandTests: XCTestCase {
    func testWithoutUSBItSaysSoAndExitsCleanly() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-usb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try CLIRunner.run(["devices"], environment: ["BIOCAPTURE_DEV_ROOT": empty.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("no USB device access"), result.stdout)

        let json = try CLIRunner.run(["devices", "--json"], environment: ["BIOCAPTURE_DEV_ROOT": empty.path])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["usbAvailable"] as? Bool, false)
        XCTAssertNotNil(object["devices"] as? [Any])
    }

    /// A real device description (libfprint's recording of an NB-1010) under umockdev-run: the
    /// whole libusb enumeration path of the binary.
    func testListsARecordedDeviceThroughLibusb() throws {
        let shared = try CLIRunner.shared()
        let umockdevRun = URL(fileURLWithPath: "/usr/bin/umockdev-run")
        guard FileManager.default.isExecutableFile(atPath: umockdevRun.path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("umockdev-run is missing under CI") }
            throw XCTSkip("umockdev-run is not installed")
        }
        let device = shared.appendingPathComponent("fixtures/libfprint/nb1010/device")
        let result = try CLIRunner.runProgram(
            umockdevRun, arguments: ["-d", device.path, "--", try CLIRunner.binary().path, "devices", "--json"],
            environment: ["LD_PRELOAD": nil, "UMOCKDEV_DIR": nil])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertEqual(object["usbAvailable"] as? Bool, true)
        let devices = try XCTUnwrap(object["devices"] as? [[String: Any]])
        let scanner = try XCTUnwrap(devices.first { ($0["usbID"] as? String) == "298d:1010" }, result.stdout)
        XCTAssertEqual(scanner["driver"] as? String, "nb1010")
        XCTAssertEqual(scanner["modality"] as? String, "fingerprint")
        XCTAssertEqual(scanner["deviceNode"] as? String, "/dev/bus/usb/001/003")
    }
}
