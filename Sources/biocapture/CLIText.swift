import ArgumentParser
import BioCapture
import Enrollment
import Foundation

/// Joins the items of a list inside a sentence.
func joined(_ items: [String], _ separator: String = ", ") -> String { items.joined(separator: separator) }

/// Texts of `udev-rules`.
struct UdevText: Sendable {
    let language: MessageLanguage

    init(_ language: MessageLanguage = .english) { self.language = language }

    private func t(_ key: CLIMessageKey, _ arguments: [String: String] = [:]) -> String {
        CLIMessages.text(key, language, arguments)
    }

    static let installCommand = CLIMessages.installCommand
    static let installHeadlessCommand = CLIMessages.installHeadlessCommand

    /// The separator between printed rule files: a comment, the same in every language.
    static func fileHeader(_ name: String) -> String { "# ==> \(name) <==" }

    func wrote(_ path: String) -> String { t(.udevWrote, ["path": path]) }
    func removedOtherPolicy(_ path: String) -> String { t(.udevRemovedOtherPolicy, ["path": path]) }
    func createdDirectory(_ path: String) -> String { t(.udevCreatedDirectory, ["path": path]) }
    func permissionDenied(_ path: String, headless: Bool) -> String {
        t(.udevPermissionDenied, ["path": path, "command": headless ? Self.installHeadlessCommand : Self.installCommand])
    }
    func readOnly(_ path: String) -> String { t(.udevReadOnly, ["path": path]) }
    func writeFailed(_ path: String, _ reason: String) -> String { t(.udevWriteFailed, ["path": path, "reason": reason]) }
    var reasonPermissionDenied: String { t(.udevReasonPermissionDenied) }
    var reasonNoDirectory: String { t(.udevReasonNoDirectory) }
    func reasonExitStatus(_ status: Int32) -> String { t(.udevReasonExitStatus, ["status": String(status)]) }
    var udevadmMissing: String { t(.udevadmMissing) }
    func ranUdevadm(_ arguments: [String]) -> String { t(.udevRanUdevadm, ["arguments": joined(arguments, " ")]) }
    func udevadmFailed(_ arguments: [String], _ detail: String) -> String {
        t(.udevadmFailed, ["arguments": joined(arguments, " "), "detail": detail])
    }
    func udevadmTimedOut(_ arguments: [String], seconds: Int) -> String {
        t(.udevadmTimedOut, ["arguments": joined(arguments, " "), "seconds": String(seconds)])
    }
    var replug: String { t(.udevReplug) }
    var policyUaccess: String { t(.udevPolicyUaccess) }
    var policyPlugdev: String { t(.udevPolicyPlugdev) }
    var headlessNeedsInstall: String { t(.udevHeadlessNeedsInstall) }
    var outputAndInstall: String { t(.udevOutputAndInstall) }
    var rulesDirNeedsInstall: String { t(.udevRulesDirNeedsInstall) }
}

/// Texts of `doctor`: each check's title, messages and remedies.
struct DoctorText: Sendable {
    let language: MessageLanguage

    init(_ language: MessageLanguage = .english) { self.language = language }

    private func t(_ key: CLIMessageKey, _ arguments: [String: String] = [:]) -> String {
        CLIMessages.text(key, language, arguments)
    }

    var noUSBHeadline: String { t(.doctorNoUSBHeadline) }

    // usbfs
    var usbfsTitle: String { t(.doctorUsbfsTitle) }
    func usbfsPresent(_ path: String) -> String { t(.doctorUsbfsPresent, ["path": path]) }
    func usbfsMissing(_ path: String) -> String { t(.doctorUsbfsMissing, ["path": path]) }
    var usbfsRemedy: String { t(.doctorUsbfsRemedy) }

    // sysfs
    var sysfsTitle: String { t(.doctorSysfsTitle) }
    func sysfsPresent(_ path: String, devices: Int) -> String {
        t(devices == 1 ? .doctorSysfsPresentOne : .doctorSysfsPresentMany, ["path": path, "count": String(devices)])
    }
    func sysfsMissing(_ path: String) -> String { t(.doctorSysfsMissing, ["path": path]) }
    var sysfsRemedy: String { t(.doctorSysfsRemedy) }

    // device access
    var accessTitle: String { t(.doctorAccessTitle) }
    var accessNoSysfs: String { t(.doctorAccessNoSysfs) }
    func accessNoDevice(seen: Int) -> String {
        t(seen == 1 ? .doctorAccessNoDeviceOne : .doctorAccessNoDeviceMany, ["count": String(seen)])
    }
    var accessNoDeviceRemedy: String { t(.doctorAccessNoDeviceRemedy) }
    func accessOK(_ devices: [String]) -> String { t(.doctorAccessOK, ["devices": joined(devices)]) }
    func accessDenied(_ devices: [String]) -> String { t(.doctorAccessDenied, ["devices": joined(devices)]) }
    func nodeMissing(_ devices: [String]) -> String { t(.doctorAccessNodeMissing, ["devices": joined(devices)]) }
    var accessRemedy: String { t(.doctorAccessRemedy, ["command": UdevText.installCommand]) }
    var nodeMissingRemedy: String { t(.doctorAccessNodeMissingRemedy) }
    func deviceAtNode(_ device: String, _ node: String) -> String { t(.doctorAccessDeviceAtNode, ["device": device, "node": node]) }

    // udev rules
    var rulesTitle: String { t(.doctorRulesTitle) }
    func rulesMissing(_ directories: [String]) -> String {
        t(.doctorRulesMissing, ["directories": joined(directories, " \(t(.wordOr)) ")])
    }
    func rulesNoPolicy(_ directory: String) -> String { t(.doctorRulesNoPolicy, ["directory": directory]) }
    func rulesBothPolicies(_ paths: [String]) -> String { t(.doctorRulesBothPolicies, ["paths": joined(paths)]) }
    func rulesStale(_ paths: [String]) -> String { t(.doctorRulesStale, ["paths": joined(paths)]) }
    func rulesOK(_ directory: String, policy: String) -> String { t(.doctorRulesOK, ["directory": directory, "policy": policy]) }
    var rulesRemedy: String {
        t(.doctorRulesRemedy, ["install": UdevText.installCommand, "installHeadless": UdevText.installHeadlessCommand])
    }

    // kernel drivers
    var kernelTitle: String { t(.doctorKernelTitle) }
    var kernelNotChecked: String { t(.doctorKernelNotChecked) }
    var kernelNoDevice: String { t(.doctorKernelNoDevice) }
    func kernelExpected(_ items: [String]) -> String { t(.doctorKernelExpected, ["items": joined(items)]) }
    func kernelFree(_ count: Int) -> String { t(count == 1 ? .doctorKernelFreeOne : .doctorKernelFreeMany, ["count": String(count)]) }
    func kernelUnexpected(_ items: [String]) -> String { t(.doctorKernelUnexpected, ["items": joined(items)]) }
    var kernelRemedy: String { t(.doctorKernelRemedy) }

    // groups
    var groupsTitle: String { t(.doctorGroupsTitle) }
    private func groupList(_ groups: [String]) -> String { groups.isEmpty ? t(.wordNone) : joined(groups) }
    func groupsList(_ user: String, _ groups: [String]) -> String { t(.doctorGroupsList, ["user": user, "groups": groupList(groups)]) }
    func groupsRoot(_ user: String) -> String { t(.doctorGroupsRoot, ["user": user]) }
    func groupsMissingPlugdev(_ user: String, _ groups: [String]) -> String {
        t(.doctorGroupsMissingPlugdev, ["user": user, "groups": groupList(groups)])
    }
    func groupsPlugdevRemedy(_ user: String) -> String { t(.doctorGroupsPlugdevRemedy, ["user": user]) }

    // disk
    var diskTitle: String { t(.doctorDiskTitle) }
    func diskOK(_ path: String, _ free: String) -> String { t(.doctorDiskOK, ["path": path, "free": free]) }
    func diskLow(_ path: String, _ free: String, _ threshold: String) -> String {
        t(.doctorDiskLow, ["path": path, "free": free, "threshold": threshold])
    }
    func diskMissing(_ path: String) -> String { t(.doctorDiskMissing, ["path": path]) }
    var diskRemedy: String { t(.doctorDiskRemedy) }
    var diskMissingRemedy: String { t(.doctorDiskMissingRemedy) }

    // clock
    var clockTitle: String { t(.doctorClockTitle) }
    func clockOK(_ now: String) -> String { t(.doctorClockOK, ["now": now]) }
    func clockReset(_ now: String) -> String { t(.doctorClockReset, ["now": now]) }
    var clockRemedy: String { t(.doctorClockRemedy) }

    // power
    var powerTitle: String { t(.doctorPowerTitle) }
    var powerUnknown: String { t(.doctorPowerUnknown) }
    func powerMains(_ batteries: String) -> String { t(.doctorPowerMains, ["batteries": batteries]) }
    func powerBattery(_ batteries: String) -> String { t(.doctorPowerBattery, ["batteries": batteries]) }
    func powerLow(_ batteries: String, onMains: Bool) -> String {
        t(onMains ? .doctorPowerLowCharging : .doctorPowerLowNotCharging, ["batteries": batteries])
    }
    func powerCritical(_ batteries: String) -> String { t(.doctorPowerCritical, ["batteries": batteries]) }
    func batterySummary(_ capacities: [Int]) -> String {
        capacities.isEmpty ? "" : t(.doctorBatterySummary, ["capacities": joined(capacities.map { "\($0) %" })])
    }
    var powerRemedy: String { t(.doctorPowerRemedy) }

    // summary
    func summary(ok: Int, warnings: Int, failed: Int) -> String {
        t(warnings == 1 ? .doctorSummaryOneWarning : .doctorSummary,
          ["ok": String(ok), "warnings": String(warnings), "failed": String(failed)])
    }
    var remedyLabel: String { t(.doctorRemedyLabel) }

    func statusTag(_ status: DoctorCheck.Status) -> String {
        switch status {
        case .ok: t(.doctorTagOK)
        case .warning: t(.doctorTagWarning)
        case .fail: t(.doctorTagFail)
        }
    }
}

/// Texts of `devices`.
struct DevicesText: Sendable {
    let language: MessageLanguage

    init(_ language: MessageLanguage = .english) { self.language = language }

    private func t(_ key: CLIMessageKey, _ arguments: [String: String] = [:]) -> String {
        CLIMessages.text(key, language, arguments)
    }

    var noUSB: String { t(.devicesNoUSB) }
    func scanFailed(_ reason: String) -> String { t(.devicesScanFailed, ["reason": reason]) }
    var noCaptureDevices: String { t(.devicesNoCaptureDevices) }
    var usbHeading: String { t(.devicesUSBHeading) }
    var noAccess: String { t(.devicesNoAccess, ["command": UdevText.installCommand]) }
    func unclaimed(_ count: Int) -> String { t(count == 1 ? .devicesUnclaimedOne : .devicesUnclaimedMany, ["count": String(count)]) }
    var simulatedHeading: String { t(.devicesSimulatedHeading) }
}

/// Texts of `journal`.
struct JournalText: Sendable {
    let language: MessageLanguage

    init(_ language: MessageLanguage = .english) { self.language = language }

    private func t(_ key: CLIMessageKey, _ arguments: [String: String] = [:]) -> String {
        CLIMessages.text(key, language, arguments)
    }

    func noJournal(_ path: String) -> String { t(.journalMissing, ["path": path]) }
    func noSessions(_ file: String) -> String { t(.journalNoSessions, ["file": file]) }
    func state(_ state: SessionState) -> String {
        switch state {
        case .complete: t(.journalStateComplete)
        case .incomplete: t(.journalStateIncomplete)
        case .cancelled: t(.journalStateCancelled)
        }
    }
    func sessionLine(id: String, subject: String, state: SessionState, samples: Int, exceptions: Int, faults: Int) -> String {
        t(.journalSessionLine, [
            "id": id, "subject": subject, "state": self.state(state), "samples": String(samples),
            "exceptions": String(exceptions), "faults": String(faults),
        ])
    }
    func intact(samples: Int) -> String { t(.journalIntact, ["samples": String(samples)]) }
    func notIntact(problems: Int) -> String { t(.journalNotIntact, ["count": String(problems)]) }
    func exported(session: String, output: String, samples: Int) -> String {
        t(.journalExported, ["session": session, "output": output, "count": String(samples)])
    }
}
