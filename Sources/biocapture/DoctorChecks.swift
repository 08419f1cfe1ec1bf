import BioCapture
import BioCaptureUSB
import Foundation
import USBDescriptors

/// The result of one doctor check.
struct DoctorCheck: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable, Comparable {
        case ok, warning, fail

        private var rank: Int {
            switch self {
            case .ok: 0
            case .warning: 1
            case .fail: 2
            }
        }

        static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    /// Stable identifier for scripts ("usbfs", "udev-rules"…).
    var id: String
    var title: String
    var status: Status
    var message: String
    /// What to do about it; nil when nothing needs doing.
    var remedy: String?
}

/// Whether this process may read and write one matched device's node.
struct DeviceAccessFact: Sendable, Equatable {
    var label: String
    var nodePath: String?
    var nodeExists: Bool
    var readWrite: Bool
}

/// One entry of /sys/class/power_supply.
struct PowerSupplyFact: Sendable, Equatable {
    var name: String
    /// "Mains", "Battery", "USB", "UPS"…
    var type: String
    var online: Bool?
    /// Battery charge in percent.
    var capacity: Int?
}

/// Every doctor check: one function per check, each a pure evaluation of facts gathered by the
/// `gather…` helpers, so they can be tested with invented facts and move to a library later.
enum DoctorChecks {
    /// Free space below this is a warning…
    static let diskWarningBytes: UInt64 = 1 << 30
    /// …and below this a failure (the journal cannot take a session's images).
    static let diskFailureBytes: UInt64 = 256 << 20
    /// Battery below this percentage is a warning…
    static let batteryWarningPercent = 30
    /// …and below this, off mains, a failure.
    static let batteryFailurePercent = 10
    /// A clock before this year has been reset.
    static let earliestPlausibleYear = 2024

    struct Context {
        var environment: CLIEnvironment
        var registry: DriverRegistry
        var journalDirectory: String
        var now: Date
    }

    /// Runs every check in display order.
    static func runAll(_ context: Context) -> [DoctorCheck] {
        let environment = context.environment
        let usbfsPath = environment.devRoot + "/bus/usb"
        let usbfsPresent = FileManager.default.fileExists(atPath: usbfsPath)
        let devices = USBSysfs.scan(sysfsRoot: environment.sysfsRoot, registry: context.registry)
        let matched = devices?.filter { $0.match != nil } ?? []
        let rules = gatherInstalledRules(directories: environment.udevSearchDirectories)
        let user = gatherUser()
        return [
            usbfs(path: usbfsPath, present: usbfsPresent),
            sysfs(path: environment.sysfsRoot + "/bus/usb", devices: devices),
            deviceAccess(devices == nil ? nil : gatherDeviceAccess(matched, devRoot: environment.devRoot), seen: devices?.count ?? 0),
            udevRules(installed: rules, registry: context.registry, directories: environment.udevSearchDirectories, usbfsPresent: usbfsPresent),
            devices == nil
                ? kernelDriversNotChecked()
                : kernelDrivers(matched.map { ($0, USBSysfs.interfaceDrivers(of: $0, sysfsRoot: environment.sysfsRoot)) }),
            groups(user: user.name, groups: user.groups, isRoot: user.isRoot,
                   plugdevPolicyInstalled: rules.contains { $0.name == UdevRules.AccessPolicy.plugdev.fileName }),
            diskSpace(path: context.journalDirectory, availableBytes: gatherAvailableBytes(context.journalDirectory)),
            clock(now: context.now),
            power(gatherPowerSupplies(sysfsRoot: environment.sysfsRoot)),
        ]
    }

    // MARK: - Checks

    static func usbfs(path: String, present: Bool) -> DoctorCheck {
        present
            ? DoctorCheck(id: "usbfs", title: DoctorText.usbfsTitle, status: .ok, message: DoctorText.usbfsPresent(path))
            : DoctorCheck(id: "usbfs", title: DoctorText.usbfsTitle, status: .warning,
                          message: DoctorText.usbfsMissing(path), remedy: DoctorText.usbfsRemedy)
    }

    static func sysfs(path: String, devices: [SysfsUSBDevice]?) -> DoctorCheck {
        guard let devices else {
            return DoctorCheck(id: "sysfs", title: DoctorText.sysfsTitle, status: .warning,
                               message: DoctorText.sysfsMissing(path), remedy: DoctorText.sysfsRemedy)
        }
        return DoctorCheck(id: "sysfs", title: DoctorText.sysfsTitle, status: .ok, message: DoctorText.sysfsPresent(path, devices: devices.count))
    }

    /// `facts` nil: sysfs is missing, devices cannot be listed.
    static func deviceAccess(_ facts: [DeviceAccessFact]?, seen: Int) -> DoctorCheck {
        let id = "device-access"
        let title = DoctorText.accessTitle
        guard let facts else {
            return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.accessNoSysfs, remedy: DoctorText.sysfsRemedy)
        }
        if facts.isEmpty {
            return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.accessNoDevice(seen: seen),
                               remedy: DoctorText.accessNoDeviceRemedy)
        }
        let missing = facts.filter { !$0.nodeExists }.map(\.label)
        let denied = facts.filter { $0.nodeExists && !$0.readWrite }.map(\.label)
        if !denied.isEmpty {
            var message = DoctorText.accessDenied(denied)
            if !missing.isEmpty { message += "; " + DoctorText.nodeMissing(missing) }
            return DoctorCheck(id: id, title: title, status: .fail, message: message, remedy: DoctorText.accessRemedy)
        }
        if !missing.isEmpty {
            return DoctorCheck(id: id, title: title, status: .fail, message: DoctorText.nodeMissing(missing), remedy: DoctorText.nodeMissingRemedy)
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.accessOK(facts.map(\.label)))
    }

    /// An installed rules file: where, and its bytes.
    struct InstalledRulesFile: Sendable, Equatable {
        var name: String
        var directory: String
        var contents: [UInt8]

        var path: String { directory + "/" + name }
    }

    /// Missing rules fail when usbfs exists (devices would be root-only) and warn otherwise.
    static func udevRules(
        installed: [InstalledRulesFile], registry: DriverRegistry, directories: [String], usbfsPresent: Bool
    ) -> DoctorCheck {
        let id = "udev-rules"
        let title = DoctorText.rulesTitle
        let missingStatus: DoctorCheck.Status = usbfsPresent ? .fail : .warning
        let expected = Dictionary(UdevRules.files(for: registry).map { ($0.name, Array($0.contents.utf8)) }, uniquingKeysWith: { first, _ in first })
        guard let identification = installed.first(where: { $0.name == UdevRules.identificationFileName }) else {
            return DoctorCheck(id: id, title: title, status: missingStatus, message: DoctorText.rulesMissing(directories), remedy: DoctorText.rulesRemedy)
        }
        let policies = installed.filter { file in UdevRules.AccessPolicy.allCases.contains { $0.fileName == file.name } }
        guard !policies.isEmpty else {
            return DoctorCheck(id: id, title: title, status: missingStatus, message: DoctorText.rulesNoPolicy(identification.directory), remedy: DoctorText.rulesRemedy)
        }
        if policies.count > 1 {
            return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.rulesBothPolicies(policies.map(\.path)), remedy: DoctorText.rulesRemedy)
        }
        let stale = ([identification] + policies).filter { expected[$0.name] != $0.contents }
        if !stale.isEmpty {
            return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.rulesStale(stale.map(\.path)), remedy: DoctorText.rulesRemedy)
        }
        let policy = UdevRules.AccessPolicy.allCases.first { $0.fileName == policies[0].name }?.rawValue ?? policies[0].name
        return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.rulesOK(identification.directory, policy: policy))
    }

    static func kernelDriversNotChecked() -> DoctorCheck {
        DoctorCheck(id: "kernel-drivers", title: DoctorText.kernelTitle, status: .ok, message: DoctorText.kernelNotChecked)
    }

    static func kernelDrivers(_ devices: [(device: SysfsUSBDevice, interfaces: [(interface: String, driver: String?)])]) -> DoctorCheck {
        let id = "kernel-drivers"
        let title = DoctorText.kernelTitle
        guard !devices.isEmpty else {
            return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.kernelNoDevice)
        }
        var expected: [String] = []
        var unexpected: [String] = []
        for (device, interfaces) in devices {
            let known = Set(device.match?.driver.kernelDrivers ?? [])
            for (interface, driver) in interfaces {
                guard let driver else { continue }
                if known.contains(driver) {
                    expected.append("\(interface) → \(driver)")
                } else {
                    unexpected.append("\(interface) → \(driver)")
                }
            }
        }
        if !unexpected.isEmpty {
            return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.kernelUnexpected(unexpected), remedy: DoctorText.kernelRemedy)
        }
        if !expected.isEmpty {
            return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.kernelExpected(expected))
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.kernelFree(devices.count))
    }

    static func groups(user: String, groups: [String], isRoot: Bool, plugdevPolicyInstalled: Bool) -> DoctorCheck {
        let id = "groups"
        let title = DoctorText.groupsTitle
        if isRoot {
            return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.groupsRoot(user))
        }
        if plugdevPolicyInstalled && !groups.contains("plugdev") {
            return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.groupsMissingPlugdev(user, groups),
                               remedy: DoctorText.groupsPlugdevRemedy(user))
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.groupsList(user, groups))
    }

    /// `availableBytes` nil: the directory is missing or cannot be examined.
    static func diskSpace(path: String, availableBytes: UInt64?) -> DoctorCheck {
        let id = "disk-space"
        let title = DoctorText.diskTitle
        guard let availableBytes else {
            return DoctorCheck(id: id, title: title, status: .fail, message: DoctorText.diskMissing(path), remedy: DoctorText.diskMissingRemedy)
        }
        let free = formatBytes(availableBytes)
        if availableBytes < diskFailureBytes {
            return DoctorCheck(id: id, title: title, status: .fail, message: DoctorText.diskLow(path, free, formatBytes(diskFailureBytes)), remedy: DoctorText.diskRemedy)
        }
        if availableBytes < diskWarningBytes {
            return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.diskLow(path, free, formatBytes(diskWarningBytes)), remedy: DoctorText.diskRemedy)
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.diskOK(path, free))
    }

    static func clock(now: Date) -> DoctorCheck {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let year = calendar.component(.year, from: now)
        let text = ISO8601DateFormatter().string(from: now)
        if year < earliestPlausibleYear {
            return DoctorCheck(id: "clock", title: DoctorText.clockTitle, status: .fail, message: DoctorText.clockReset(text), remedy: DoctorText.clockRemedy)
        }
        return DoctorCheck(id: "clock", title: DoctorText.clockTitle, status: .ok, message: DoctorText.clockOK(text))
    }

    static func power(_ supplies: [PowerSupplyFact]) -> DoctorCheck {
        let id = "power"
        let title = DoctorText.powerTitle
        let external = supplies.filter { $0.type != "Battery" && $0.online != nil }
        let batteries = supplies.filter { $0.type == "Battery" }
        let capacities = batteries.compactMap(\.capacity)
        guard !external.isEmpty || !batteries.isEmpty else {
            return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.powerUnknown)
        }
        let onMains = external.contains { $0.online == true } || (external.isEmpty && batteries.isEmpty)
        let summary = DoctorText.batterySummary(capacities)
        if let lowest = capacities.min() {
            if lowest < batteryFailurePercent && !onMains {
                return DoctorCheck(id: id, title: title, status: .fail, message: DoctorText.powerCritical(summary), remedy: DoctorText.powerRemedy)
            }
            if lowest < batteryWarningPercent {
                return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.powerLow(summary, onMains: onMains), remedy: DoctorText.powerRemedy)
            }
        }
        if !onMains && !external.isEmpty {
            return DoctorCheck(id: id, title: title, status: .warning, message: DoctorText.powerBattery(summary), remedy: DoctorText.powerRemedy)
        }
        if !onMains {
            // A battery and no reported adapter: say what is known without alarming.
            return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.powerBattery(summary))
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: DoctorText.powerMains(summary))
    }

    // MARK: - Facts

    static func gatherDeviceAccess(_ devices: [SysfsUSBDevice], devRoot: String) -> [DeviceAccessFact] {
        devices.map { device in
            let node = device.nodePath(devRoot: devRoot)
            let exists = node.map { FileManager.default.fileExists(atPath: $0) } ?? false
            let readWrite = node.map { access($0, R_OK | W_OK) == 0 } ?? false
            return DeviceAccessFact(label: device.label + (node.map { " at \($0)" } ?? ""), nodePath: node, nodeExists: exists, readWrite: readWrite)
        }
    }

    /// The BioCapture rule files present, first directory first (a file in /etc masks /lib).
    static func gatherInstalledRules(directories: [String]) -> [InstalledRulesFile] {
        let names = [UdevRules.identificationFileName] + UdevRules.AccessPolicy.allCases.map(\.fileName)
        var found: [InstalledRulesFile] = []
        for name in names {
            for directory in directories {
                if let data = FileManager.default.contents(atPath: directory + "/" + name) {
                    found.append(InstalledRulesFile(name: name, directory: directory, contents: [UInt8](data)))
                    break
                }
            }
        }
        return found
    }

    static func gatherAvailableBytes(_ path: String) -> UInt64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
    }

    static func gatherPowerSupplies(sysfsRoot: String) -> [PowerSupplyFact] {
        let directory = sysfsRoot + "/class/power_supply"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().compactMap { name in
            let path = directory + "/" + name
            guard let type = readText(path + "/type") else { return nil }
            return PowerSupplyFact(
                name: name, type: type,
                online: USBSysfs.readInteger(path + "/online").map { $0 != 0 },
                capacity: USBSysfs.readInteger(path + "/capacity"))
        }
    }

    static func gatherUser() -> (name: String, groups: [String], isRoot: Bool) {
        let uid = geteuid()
        let name = userName(uid) ?? "uid \(uid)"
        var ids = [gid_t](repeating: 0, count: Int(max(0, getgroups(0, nil))))
        let count = getgroups(Int32(ids.count), &ids)
        ids = Array(ids.prefix(Int(max(0, count))))
        let primary = getegid()
        if !ids.contains(primary) { ids.insert(primary, at: 0) }
        let names = ids.map { groupName($0) ?? "gid \($0)" }
        return (name, names, uid == 0)
    }

    private static func userName(_ uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let pointer = entry.pw_name else { return nil }
        return decode(pointer)
    }

    private static func groupName(_ gid: gid_t) -> String? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let pointer = entry.gr_name else { return nil }
        return decode(pointer)
    }

    private static func decode(_ pointer: UnsafeMutablePointer<CChar>) -> String {
        String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }

    private static func readText(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func formatBytes(_ bytes: UInt64) -> String {
        let gib = Double(bytes) / Double(1 << 30)
        if gib >= 1 { return String(format: "%.1f GiB", gib) }
        return "\(bytes >> 20) MiB"
    }
}
