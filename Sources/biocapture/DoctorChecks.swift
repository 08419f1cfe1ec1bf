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
        var language: MessageLanguage = .english
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
        let language = context.language
        return [
            usbfs(path: usbfsPath, present: usbfsPresent, language: language),
            sysfs(path: environment.sysfsRoot + "/bus/usb", devices: devices, language: language),
            deviceAccess(devices == nil ? nil : gatherDeviceAccess(matched, devRoot: environment.devRoot, language: language),
                         seen: devices?.count ?? 0, language: language),
            udevRules(installed: rules, registry: context.registry, directories: environment.udevSearchDirectories,
                      usbfsPresent: usbfsPresent, language: language),
            devices == nil
                ? kernelDriversNotChecked(language: language)
                : kernelDrivers(matched.map { ($0, USBSysfs.interfaceDrivers(of: $0, sysfsRoot: environment.sysfsRoot)) },
                                language: language),
            groups(user: user.name, groups: user.groups, isRoot: user.isRoot,
                   plugdevPolicyInstalled: rules.contains { $0.name == UdevRules.AccessPolicy.plugdev.fileName },
                   language: language),
            diskSpace(path: context.journalDirectory, availableBytes: gatherAvailableBytes(context.journalDirectory), language: language),
            clock(now: context.now, language: language),
            power(gatherPowerSupplies(sysfsRoot: environment.sysfsRoot), language: language),
        ]
    }

    // MARK: - Checks

    static func usbfs(path: String, present: Bool, language: MessageLanguage = .english) -> DoctorCheck {
        let text = DoctorText(language)
        return present
            ? DoctorCheck(id: "usbfs", title: text.usbfsTitle, status: .ok, message: text.usbfsPresent(path))
            : DoctorCheck(id: "usbfs", title: text.usbfsTitle, status: .warning,
                          message: text.usbfsMissing(path), remedy: text.usbfsRemedy)
    }

    static func sysfs(path: String, devices: [SysfsUSBDevice]?, language: MessageLanguage = .english) -> DoctorCheck {
        let text = DoctorText(language)
        guard let devices else {
            return DoctorCheck(id: "sysfs", title: text.sysfsTitle, status: .warning,
                               message: text.sysfsMissing(path), remedy: text.sysfsRemedy)
        }
        return DoctorCheck(id: "sysfs", title: text.sysfsTitle, status: .ok, message: text.sysfsPresent(path, devices: devices.count))
    }

    /// `facts` nil: sysfs is missing, devices cannot be listed.
    static func deviceAccess(_ facts: [DeviceAccessFact]?, seen: Int, language: MessageLanguage = .english) -> DoctorCheck {
        let text = DoctorText(language)
        let id = "device-access"
        let title = text.accessTitle
        guard let facts else {
            return DoctorCheck(id: id, title: title, status: .warning, message: text.accessNoSysfs, remedy: text.sysfsRemedy)
        }
        if facts.isEmpty {
            return DoctorCheck(id: id, title: title, status: .warning, message: text.accessNoDevice(seen: seen),
                               remedy: text.accessNoDeviceRemedy)
        }
        let missing = facts.filter { !$0.nodeExists }.map(\.label)
        let denied = facts.filter { $0.nodeExists && !$0.readWrite }.map(\.label)
        if !denied.isEmpty {
            var message = text.accessDenied(denied)
            if !missing.isEmpty { message += "; " + text.nodeMissing(missing) }
            return DoctorCheck(id: id, title: title, status: .fail, message: message, remedy: text.accessRemedy)
        }
        if !missing.isEmpty {
            return DoctorCheck(id: id, title: title, status: .fail, message: text.nodeMissing(missing), remedy: text.nodeMissingRemedy)
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: text.accessOK(facts.map(\.label)))
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
        installed: [InstalledRulesFile], registry: DriverRegistry, directories: [String], usbfsPresent: Bool,
        language: MessageLanguage = .english
    ) -> DoctorCheck {
        let text = DoctorText(language)
        let id = "udev-rules"
        let title = text.rulesTitle
        let missingStatus: DoctorCheck.Status = usbfsPresent ? .fail : .warning
        let expected = Dictionary(UdevRules.files(for: registry).map { ($0.name, Array($0.contents.utf8)) }, uniquingKeysWith: { first, _ in first })
        guard let identification = installed.first(where: { $0.name == UdevRules.identificationFileName }) else {
            return DoctorCheck(id: id, title: title, status: missingStatus, message: text.rulesMissing(directories), remedy: text.rulesRemedy)
        }
        let policies = installed.filter { file in UdevRules.AccessPolicy.allCases.contains { $0.fileName == file.name } }
        guard !policies.isEmpty else {
            return DoctorCheck(id: id, title: title, status: missingStatus, message: text.rulesNoPolicy(identification.directory), remedy: text.rulesRemedy)
        }
        if policies.count > 1 {
            return DoctorCheck(id: id, title: title, status: .warning, message: text.rulesBothPolicies(policies.map(\.path)), remedy: text.rulesRemedy)
        }
        let stale = ([identification] + policies).filter { expected[$0.name] != $0.contents }
        if !stale.isEmpty {
            return DoctorCheck(id: id, title: title, status: .warning, message: text.rulesStale(stale.map(\.path)), remedy: text.rulesRemedy)
        }
        let policy = UdevRules.AccessPolicy.allCases.first { $0.fileName == policies[0].name }?.rawValue ?? policies[0].name
        return DoctorCheck(id: id, title: title, status: .ok, message: text.rulesOK(identification.directory, policy: policy))
    }

    static func kernelDriversNotChecked(language: MessageLanguage = .english) -> DoctorCheck {
        let text = DoctorText(language)
        return DoctorCheck(id: "kernel-drivers", title: text.kernelTitle, status: .ok, message: text.kernelNotChecked)
    }

    static func kernelDrivers(
        _ devices: [(device: SysfsUSBDevice, interfaces: [(interface: String, driver: String?)])], language: MessageLanguage = .english
    ) -> DoctorCheck {
        let text = DoctorText(language)
        let id = "kernel-drivers"
        let title = text.kernelTitle
        guard !devices.isEmpty else {
            return DoctorCheck(id: id, title: title, status: .ok, message: text.kernelNoDevice)
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
            return DoctorCheck(id: id, title: title, status: .warning, message: text.kernelUnexpected(unexpected), remedy: text.kernelRemedy)
        }
        if !expected.isEmpty {
            return DoctorCheck(id: id, title: title, status: .ok, message: text.kernelExpected(expected))
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: text.kernelFree(devices.count))
    }

    static func groups(
        user: String, groups: [String], isRoot: Bool, plugdevPolicyInstalled: Bool, language: MessageLanguage = .english
    ) -> DoctorCheck {
        let text = DoctorText(language)
        let id = "groups"
        let title = text.groupsTitle
        if isRoot {
            return DoctorCheck(id: id, title: title, status: .ok, message: text.groupsRoot(user))
        }
        if plugdevPolicyInstalled && !groups.contains("plugdev") {
            return DoctorCheck(id: id, title: title, status: .warning, message: text.groupsMissingPlugdev(user, groups),
                               remedy: text.groupsPlugdevRemedy(user))
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: text.groupsList(user, groups))
    }

    /// `availableBytes` nil: the directory is missing or cannot be examined.
    static func diskSpace(path: String, availableBytes: UInt64?, language: MessageLanguage = .english) -> DoctorCheck {
        let text = DoctorText(language)
        let id = "disk-space"
        let title = text.diskTitle
        guard let availableBytes else {
            return DoctorCheck(id: id, title: title, status: .fail, message: text.diskMissing(path), remedy: text.diskMissingRemedy)
        }
        let free = formatBytes(availableBytes)
        if availableBytes < diskFailureBytes {
            return DoctorCheck(id: id, title: title, status: .fail, message: text.diskLow(path, free, formatBytes(diskFailureBytes)), remedy: text.diskRemedy)
        }
        if availableBytes < diskWarningBytes {
            return DoctorCheck(id: id, title: title, status: .warning, message: text.diskLow(path, free, formatBytes(diskWarningBytes)), remedy: text.diskRemedy)
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: text.diskOK(path, free))
    }

    static func clock(now: Date, language: MessageLanguage = .english) -> DoctorCheck {
        let text = DoctorText(language)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let year = calendar.component(.year, from: now)
        let timestamp = ISO8601DateFormatter().string(from: now)
        if year < earliestPlausibleYear {
            return DoctorCheck(id: "clock", title: text.clockTitle, status: .fail, message: text.clockReset(timestamp), remedy: text.clockRemedy)
        }
        return DoctorCheck(id: "clock", title: text.clockTitle, status: .ok, message: text.clockOK(timestamp))
    }

    static func power(_ supplies: [PowerSupplyFact], language: MessageLanguage = .english) -> DoctorCheck {
        let text = DoctorText(language)
        let id = "power"
        let title = text.powerTitle
        let external = supplies.filter { $0.type != "Battery" && $0.online != nil }
        let batteries = supplies.filter { $0.type == "Battery" }
        let capacities = batteries.compactMap(\.capacity)
        guard !external.isEmpty || !batteries.isEmpty else {
            return DoctorCheck(id: id, title: title, status: .ok, message: text.powerUnknown)
        }
        let onMains = external.contains { $0.online == true } || (external.isEmpty && batteries.isEmpty)
        let summary = text.batterySummary(capacities)
        if let lowest = capacities.min() {
            if lowest < batteryFailurePercent && !onMains {
                return DoctorCheck(id: id, title: title, status: .fail, message: text.powerCritical(summary), remedy: text.powerRemedy)
            }
            if lowest < batteryWarningPercent {
                return DoctorCheck(id: id, title: title, status: .warning, message: text.powerLow(summary, onMains: onMains), remedy: text.powerRemedy)
            }
        }
        if !onMains && !external.isEmpty {
            return DoctorCheck(id: id, title: title, status: .warning, message: text.powerBattery(summary), remedy: text.powerRemedy)
        }
        if !onMains {
            // A battery and no reported adapter: say what is known without alarming.
            return DoctorCheck(id: id, title: title, status: .ok, message: text.powerBattery(summary))
        }
        return DoctorCheck(id: id, title: title, status: .ok, message: text.powerMains(summary))
    }

    // MARK: - Facts

    static func gatherDeviceAccess(_ devices: [SysfsUSBDevice], devRoot: String, language: MessageLanguage = .english) -> [DeviceAccessFact] {
        let text = DoctorText(language)
        return devices.map { device in
            let node = device.nodePath(devRoot: devRoot)
            let exists = node.map { FileManager.default.fileExists(atPath: $0) } ?? false
            let readWrite = node.map { access($0, R_OK | W_OK) == 0 } ?? false
            return DeviceAccessFact(label: node.map { text.deviceAtNode(device.label, $0) } ?? device.label, nodePath: node, nodeExists: exists, readWrite: readWrite)
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
