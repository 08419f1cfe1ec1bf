import BioCapture
import BioCaptureUSB
import Enrollment
import Foundation
import USBDescriptors
import XCTest
@testable import biocapture

/// The doctor checks as functions of invented facts (paths no fake tree can produce: a denied
/// node as root, a matched driver while the station's table is empty, a reset clock).
final class DoctorCheckLogicTests: XCTestCase {
    private func registryClaimingExampleDevice() -> DriverRegistry {
        DriverRegistry(drivers: [
            DriverDescriptor(
                id: "example-scan", name: "ExampleScan", modality: .fingerprint,
                devices: [SupportedDevice(USBID(0x1209, 0x0001), vendor: "Example", model: "Scan 100")],
                kernelDrivers: ["usbhid"],
                binding: .usb { _, _ in throw CancellationError() }),
        ])
    }

    func testScannerMatchesDevicesAndFindsInterfaceDrivers() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-logic-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let devices = root.appendingPathComponent("bus/usb/devices")
        try FileManager.default.createDirectory(at: devices.appendingPathComponent("1-3"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: devices.appendingPathComponent("1-3:1.0"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: devices.appendingPathComponent("usb1"), withIntermediateDirectories: true)
        try Data(exampleDeviceBytes).write(to: devices.appendingPathComponent("1-3/descriptors"))
        try Data("1\n".utf8).write(to: devices.appendingPathComponent("1-3/busnum"))
        try Data("5\n".utf8).write(to: devices.appendingPathComponent("1-3/devnum"))
        try Data([0x12, 0x01]).write(to: devices.appendingPathComponent("usb1/descriptors")) // damaged: listed, not matched
        try FileManager.default.createSymbolicLink(atPath: devices.appendingPathComponent("1-3:1.0/driver").path,
                                                   withDestinationPath: "../../../../bus/usb/drivers/usbfs")

        let scanned = try XCTUnwrap(USBSysfs.scan(sysfsRoot: root.path, registry: registryClaimingExampleDevice()))
        XCTAssertEqual(scanned.map(\.name), ["1-3", "usb1"])
        let device = scanned[0]
        XCTAssertEqual(device.match?.driver.id, "example-scan")
        XCTAssertNil(scanned[1].match)
        XCTAssertEqual(device.nodePath(devRoot: "/dev"), "/dev/bus/usb/001/005")
        XCTAssertEqual(device.label, "1-3 (1209:0001 Example Scan 100)")
        let drivers = USBSysfs.interfaceDrivers(of: device, sysfsRoot: root.path)
        XCTAssertEqual(drivers.map(\.interface), ["1-3:1.0"])
        XCTAssertEqual(drivers.map(\.driver), ["usbfs"])

        let held = DoctorChecks.kernelDrivers([(device, drivers)])
        XCTAssertEqual(held.status, .warning)
        XCTAssertTrue(held.message.contains("1-3:1.0 → usbfs"), held.message)
        let expected = DoctorChecks.kernelDrivers([(device, [("1-3:1.0", "usbhid")])])
        XCTAssertEqual(expected.status, .ok)
        XCTAssertTrue(expected.message.contains("1-3:1.0 → usbhid"))
        XCTAssertEqual(DoctorChecks.kernelDrivers([(device, [("1-3:1.0", nil)])]).status, .ok)
        XCTAssertNil(USBSysfs.scan(sysfsRoot: root.appendingPathComponent("absent").path, registry: DriverRegistry()))
    }

    func testDeviceAccess() {
        let good = DeviceAccessFact(label: "1-3", nodePath: "/dev/bus/usb/001/005", nodeExists: true, readWrite: true)
        let denied = DeviceAccessFact(label: "1-4", nodePath: "/dev/bus/usb/001/006", nodeExists: true, readWrite: false)
        let missing = DeviceAccessFact(label: "1-5", nodePath: nil, nodeExists: false, readWrite: false)
        XCTAssertEqual(DoctorChecks.deviceAccess([good], seen: 3).status, .ok)
        let deniedCheck = DoctorChecks.deviceAccess([good, denied], seen: 3)
        XCTAssertEqual(deniedCheck.status, .fail)
        XCTAssertTrue(deniedCheck.message.contains("cannot open 1-4"))
        XCTAssertTrue(deniedCheck.remedy?.contains("sudo biocapture udev-rules --install") ?? false)
        XCTAssertEqual(DoctorChecks.deviceAccess([missing], seen: 1).status, .fail)
        XCTAssertEqual(DoctorChecks.deviceAccess([], seen: 4).status, .warning)
        XCTAssertEqual(DoctorChecks.deviceAccess(nil, seen: 0).status, .warning)
    }

    func testDiskClockGroupsAndPowerThresholds() {
        XCTAssertEqual(DoctorChecks.diskSpace(path: "/j", availableBytes: 5 << 30).status, .ok)
        XCTAssertEqual(DoctorChecks.diskSpace(path: "/j", availableBytes: 512 << 20).status, .warning)
        XCTAssertEqual(DoctorChecks.diskSpace(path: "/j", availableBytes: 100 << 20).status, .fail)
        XCTAssertEqual(DoctorChecks.diskSpace(path: "/j", availableBytes: nil).status, .fail)
        XCTAssertEqual(DoctorChecks.diskSpace(path: "/j", availableBytes: 512 << 20).message, "only 512 MiB free in /j (below 1.0 GiB)")

        XCTAssertEqual(DoctorChecks.clock(now: Date(timeIntervalSince1970: 0)).status, .fail)
        XCTAssertTrue(DoctorChecks.clock(now: Date(timeIntervalSince1970: 0)).message.contains("1970-01-01"))
        XCTAssertEqual(DoctorChecks.clock(now: Date(timeIntervalSince1970: 1_704_067_200)).status, .ok) // 2024-01-01

        XCTAssertEqual(DoctorChecks.groups(user: "op", groups: ["op"], isRoot: false, plugdevPolicyInstalled: true).status, .warning)
        XCTAssertEqual(DoctorChecks.groups(user: "op", groups: ["op", "plugdev"], isRoot: false, plugdevPolicyInstalled: true).status, .ok)
        XCTAssertEqual(DoctorChecks.groups(user: "op", groups: ["op"], isRoot: false, plugdevPolicyInstalled: false).status, .ok)

        XCTAssertEqual(DoctorChecks.power([]).status, .ok)
        XCTAssertEqual(DoctorChecks.power([PowerSupplyFact(name: "AC", type: "Mains", online: false),
                                           PowerSupplyFact(name: "BAT0", type: "Battery", capacity: 5)]).status, .fail)
        XCTAssertEqual(DoctorChecks.power([PowerSupplyFact(name: "AC", type: "Mains", online: true),
                                           PowerSupplyFact(name: "BAT0", type: "Battery", capacity: 5)]).status, .warning)
        XCTAssertEqual(DoctorChecks.power([PowerSupplyFact(name: "AC", type: "Mains", online: false),
                                           PowerSupplyFact(name: "BAT0", type: "Battery", capacity: 90)]).status, .warning)
        XCTAssertEqual(DoctorChecks.power([PowerSupplyFact(name: "AC", type: "Mains", online: true)]).status, .ok)
    }

    func testRulesCheckDistinguishesMissingStaleAndBothPolicies() {
        let registry = DriverRegistry()
        let files = Dictionary(UdevRules.files(for: registry).map { ($0.name, Array($0.contents.utf8)) }, uniquingKeysWith: { first, _ in first })
        func file(_ name: String, _ contents: [UInt8]? = nil) -> DoctorChecks.InstalledRulesFile {
            DoctorChecks.InstalledRulesFile(name: name, directory: "/etc/udev/rules.d", contents: contents ?? files[name] ?? [])
        }
        let dirs = ["/etc/udev/rules.d"]
        XCTAssertEqual(DoctorChecks.udevRules(installed: [], registry: registry, directories: dirs, usbfsPresent: true).status, .fail)
        XCTAssertEqual(DoctorChecks.udevRules(installed: [], registry: registry, directories: dirs, usbfsPresent: false).status, .warning)
        XCTAssertEqual(DoctorChecks.udevRules(installed: [file("60-biocapture.rules")], registry: registry, directories: dirs, usbfsPresent: true).status, .fail)
        XCTAssertEqual(DoctorChecks.udevRules(installed: [file("60-biocapture.rules"), file("61-biocapture-plugdev.rules")],
                                              registry: registry, directories: dirs, usbfsPresent: true).status, .ok)
        XCTAssertEqual(DoctorChecks.udevRules(installed: [file("60-biocapture.rules"), file("61-biocapture-plugdev.rules"), file("61-biocapture-uaccess.rules")],
                                              registry: registry, directories: dirs, usbfsPresent: true).status, .warning)
        let stale = DoctorChecks.udevRules(installed: [file("60-biocapture.rules", [0x23]), file("61-biocapture-uaccess.rules")],
                                           registry: registry, directories: dirs, usbfsPresent: true)
        XCTAssertEqual(stale.status, .warning)
        XCTAssertTrue(stale.message.contains("/etc/udev/rules.d/60-biocapture.rules"))
    }

    func testPermissionErrorsTellHowToInstall() {
        let denied = UdevInstaller.classify(EACCES, path: "/etc/udev/rules.d/60-biocapture.rules", headless: false)
        XCTAssertEqual(denied.exitCode.rawValue, 77)
        XCTAssertTrue(denied.message.contains("sudo biocapture udev-rules --install"))
        XCTAssertTrue(UdevInstaller.classify(EPERM, path: "/x", headless: true).message.contains("--install --headless"))
        XCTAssertEqual(UdevInstaller.classify(EROFS, path: "/x", headless: false).exitCode.rawValue, 73)
        XCTAssertEqual(UdevInstaller.classify(EIO, path: "/x", headless: false).exitCode.rawValue, 74)
    }

    func testStationRegistryHasNoConflicts() throws {
        XCTAssertEqual(StationDrivers.registry().duplicateIDs, [])
        XCTAssertNil(StationDrivers.registry().match(try USBDescriptorParser.parse(exampleDeviceBytes)))
        XCTAssertNotNil(registryClaimingExampleDevice().match(try USBDescriptorParser.parse(exampleDeviceBytes)))
    }
}
