import BioCapture
import Enrollment
import Foundation

// Every user-visible sentence of `doctor` and `udev-rules`, in one place so a translation
// (Bahasa Indonesia, chosen by LANG) can be added here without touching the checks.
// English only for now.

/// Texts of `udev-rules`.
enum UdevText {
    static let installCommand = "sudo biocapture udev-rules --install"
    static let installHeadlessCommand = "sudo biocapture udev-rules --install --headless"

    static func fileHeader(_ name: String) -> String { "# ==> \(name) <==" }
    static func wrote(_ path: String) -> String { "wrote \(path)" }
    static func removedOtherPolicy(_ path: String) -> String {
        "removed \(path) (the other access policy; only one may be active)"
    }
    static func createdDirectory(_ path: String) -> String { "created directory \(path)" }
    static func permissionDenied(_ path: String, headless: Bool) -> String {
        "permission denied writing \(path): installing udev rules needs root. Run: "
            + (headless ? installHeadlessCommand : installCommand)
    }
    static func readOnly(_ path: String) -> String {
        "cannot write \(path): the file system is read-only (remount it read-write or install the rules in the system image)"
    }
    static func writeFailed(_ path: String, _ reason: String) -> String { "cannot write \(path): \(reason)" }
    static let udevadmMissing = "udevadm not found: rules are installed but udev was not told to reload them. Reload with `udevadm control --reload-rules` or reboot, then replug the devices."
    static func ranUdevadm(_ arguments: [String]) -> String { "ran udevadm \(arguments.joined(separator: " "))" }
    static func udevadmFailed(_ arguments: [String], _ detail: String) -> String {
        "udevadm \(arguments.joined(separator: " ")) failed: \(detail). The rules are installed; reboot or run it by hand, then replug the devices."
    }
    static func udevadmTimedOut(_ arguments: [String], seconds: Int) -> String {
        "udevadm \(arguments.joined(separator: " ")) did not finish within \(seconds) s and was stopped. The rules are installed; reboot or run it by hand."
    }
    static let replug = "Unplug and replug the devices (or reboot) so they get the new permissions."
    static let policyUaccess = "access policy: uaccess (the user logged in at the station's seat)"
    static let policyPlugdev = "access policy: plugdev (members of group plugdev; add the operator account with `sudo usermod -aG plugdev USER` and log in again)"
    static let headlessNeedsInstall = "--headless only applies together with --install"
    static let outputAndInstall = "--output and --install cannot be combined"
    static let rulesDirNeedsInstall = "--rules-dir only applies together with --install"
}

/// Texts of `doctor`: each check's title, messages and remedies.
enum DoctorText {
    static let noUSBHeadline = "This machine has no USB device access: /dev/bus/usb is missing, so real devices cannot be used here (simulated devices still work)."

    // usbfs
    static let usbfsTitle = "USB device nodes (usbfs)"
    static func usbfsPresent(_ path: String) -> String { "\(path) is present" }
    static func usbfsMissing(_ path: String) -> String {
        "this machine has no USB device access: \(path) is missing (no usbfs), so real devices cannot be used; simulated devices still work"
    }
    static let usbfsRemedy = "On a station: check that the kernel has USB support and /dev is a devtmpfs. In a container: pass the host's USB nodes (e.g. --device /dev/bus/usb)."

    // sysfs
    static let sysfsTitle = "USB in sysfs"
    static func sysfsPresent(_ path: String, devices: Int) -> String { "\(path) is present (\(devices) USB device\(devices == 1 ? "" : "s") listed)" }
    static func sysfsMissing(_ path: String) -> String { "\(path) is missing: devices cannot be listed or identified" }
    static let sysfsRemedy = "Mount sysfs on /sys (it is missing in some containers) and check that the kernel has USB support."

    // device access
    static let accessTitle = "Access to supported devices"
    static let accessNoSysfs = "cannot look for supported devices: USB is not visible in sysfs"
    static func accessNoDevice(seen: Int) -> String {
        "no supported device is connected (\(seen) USB device\(seen == 1 ? "" : "s") seen)"
    }
    static let accessNoDeviceRemedy = "Connect the scanner, camera or pad; try another port or cable; `biocapture describe` on /sys/bus/usb/devices/*/descriptors shows what each device is."
    static func accessOK(_ devices: [String]) -> String { "this user can read and write \(devices.joined(separator: ", "))" }
    static func accessDenied(_ devices: [String]) -> String { "this user cannot open \(devices.joined(separator: ", ")) for reading and writing" }
    static func nodeMissing(_ devices: [String]) -> String { "device node missing for \(devices.joined(separator: ", "))" }
    static let accessRemedy = "Install the udev rules (\(UdevText.installCommand), or with --headless and the user in group plugdev), then unplug and replug the device."
    static let nodeMissingRemedy = "Replug the device; if the node stays missing, /dev/bus/usb is not populated (check devtmpfs/udev)."

    // udev rules
    static let rulesTitle = "udev rules"
    static func rulesMissing(_ directories: [String]) -> String {
        "BioCapture udev rules are not installed (60-biocapture.rules not found in \(directories.joined(separator: " or ")))"
    }
    static func rulesNoPolicy(_ directory: String) -> String {
        "identification rules are installed in \(directory) but no access rule (61-biocapture-uaccess.rules or 61-biocapture-plugdev.rules): devices stay root-only"
    }
    static func rulesBothPolicies(_ paths: [String]) -> String {
        "both access policies are installed (\(paths.joined(separator: ", "))): only one should be active"
    }
    static func rulesStale(_ paths: [String]) -> String {
        "installed rules differ from what this version of biocapture generates: \(paths.joined(separator: ", "))"
    }
    static func rulesOK(_ directory: String, policy: String) -> String {
        "rules installed in \(directory) and up to date (access policy \(policy))"
    }
    static let rulesRemedy = "Run \(UdevText.installCommand) (desktop station) or \(UdevText.installHeadlessCommand) (headless station), then replug the devices."

    // kernel drivers
    static let kernelTitle = "Kernel drivers on supported devices"
    static let kernelNotChecked = "not checked: USB is not visible in sysfs"
    static let kernelNoDevice = "no supported device connected: nothing to check"
    static func kernelExpected(_ items: [String]) -> String {
        "kernel drivers bound as expected (\(items.joined(separator: ", "))); BioCapture detaches them while it captures"
    }
    static func kernelFree(_ count: Int) -> String { "no kernel driver holds the \(count) supported device\(count == 1 ? "" : "s")" }
    static func kernelUnexpected(_ items: [String]) -> String {
        "interfaces held by another driver or program: \(items.joined(separator: ", "))"
    }
    static let kernelRemedy = "Close other programs using the device (fprintd, another biocapture, a video app); for `usbfs`, find the program with `sudo lsof /dev/bus/usb/BBB/DDD`."

    // groups
    static let groupsTitle = "User and groups"
    static func groupsList(_ user: String, _ groups: [String]) -> String {
        "user \(user) is in groups: \(groups.isEmpty ? "(none)" : groups.joined(separator: ", "))"
    }
    static func groupsRoot(_ user: String) -> String { "running as \(user) (uid 0): device access is not limited by groups" }
    static func groupsMissingPlugdev(_ user: String, _ groups: [String]) -> String {
        "user \(user) is not in group plugdev, which the installed headless rules require (groups: \(groups.isEmpty ? "(none)" : groups.joined(separator: ", ")))"
    }
    static func groupsPlugdevRemedy(_ user: String) -> String { "sudo usermod -aG plugdev \(user), then log out and in again" }

    // disk
    static let diskTitle = "Free disk space for the journal"
    static func diskOK(_ path: String, _ free: String) -> String { "\(free) free in \(path)" }
    static func diskLow(_ path: String, _ free: String, _ threshold: String) -> String { "only \(free) free in \(path) (below \(threshold))" }
    static func diskMissing(_ path: String) -> String { "journal directory \(path) does not exist or cannot be examined" }
    static let diskRemedy = "Free space (export and remove finished journals, clear old logs) or choose another --journal-dir."
    static let diskMissingRemedy = "Create the directory or pass an existing one with --journal-dir."

    // clock
    static let clockTitle = "System clock"
    static func clockOK(_ now: String) -> String { "clock reads \(now)" }
    static func clockReset(_ now: String) -> String {
        "clock reads \(now): it has been reset (capture timestamps and certificates will be wrong)"
    }
    static let clockRemedy = "Set the date (`sudo timedatectl set-ntp true` when online, or `sudo timedatectl set-time 'YYYY-MM-DD HH:MM'`) and replace the mainboard's clock battery."

    // power
    static let powerTitle = "Power supply"
    static let powerUnknown = "no power supply information (desktop on mains without battery, or not reported)"
    static func powerMains(_ batteries: String) -> String { "on mains power\(batteries)" }
    static func powerBattery(_ batteries: String) -> String { "running on battery: the AC adapter is offline\(batteries)" }
    static func powerLow(_ batteries: String, onMains: Bool) -> String {
        "battery low\(batteries)\(onMains ? ", charging" : ", not charging")"
    }
    static func powerCritical(_ batteries: String) -> String { "battery nearly empty\(batteries) and not on mains: the station may shut down during enrollment" }
    static func batterySummary(_ capacities: [Int]) -> String {
        capacities.isEmpty ? "" : " (battery " + capacities.map { "\($0) %" }.joined(separator: ", ") + ")"
    }
    static let powerRemedy = "Connect the AC adapter (check the socket, the adapter and the UPS) before enrolling."

    // summary
    static func summary(ok: Int, warnings: Int, failed: Int) -> String {
        "\(ok) ok, \(warnings) warning\(warnings == 1 ? "" : "s"), \(failed) failed"
    }
    static let remedyLabel = "remedy"
}

/// Texts of `devices`.
enum DevicesText {
    static let noUSB = "This machine has no USB device access: /dev/bus/usb is missing (a container or a virtual machine without USB pass-through). Real devices cannot be used here; `--simulated` lists the simulated ones."
    static func scanFailed(_ reason: String) -> String { "The USB scan failed: \(reason)" }
    static let noCaptureDevices = "No supported capture device is connected."
    static let usbHeading = "USB capture devices:"
    static let noAccess = "[no access: run `sudo biocapture udev-rules --install`]"
    static func unclaimed(_ count: Int) -> String { "\(count) other USB device\(count == 1 ? "" : "s") (not capture devices)" }
    static let simulatedHeading = "Simulated devices:"
}

/// Texts of `selftest` that are not in the station message catalogue.
enum SelftestText {
    static func unknownDevice(_ id: String, known: [String]) -> String {
        "No device with id '\(id)'. Known: \(known.isEmpty ? "none (add --simulated for the simulated station)" : known.joined(separator: ", "))."
    }
    static func reportFailed(_ directory: String, _ reason: String) -> String {
        "cannot write the report into \(directory): \(reason)"
    }
    static func reportWritten(_ directory: String, _ language: MessageLanguage) -> String {
        language == .indonesian ? "Laporan ditulis ke \(directory)/selftest.html dan selftest.json"
            : "Report written to \(directory)/selftest.html and selftest.json"
    }
    static func noUSB(_ language: MessageLanguage) -> String {
        language == .indonesian
            ? "Mesin ini tidak memiliki akses perangkat USB (/dev/bus/usb tidak ada): hanya perangkat simulasi yang diuji."
            : "This machine has no USB device access (/dev/bus/usb is missing): only simulated devices are tested."
    }
}

/// Texts of `enroll` and `journal`.
enum EnrollText {
    static func noJournal(_ path: String) -> String { "There is no journal at \(path)." }
    static func badException(_ spec: String) -> String {
        "invalid exception '\(spec)': expected SLOT:KIND:PERMANENCE:REASON with SLOT like finger-2 or iris-left, KIND missing|injured|unusable, PERMANENCE temporary|permanent"
    }
    static func started(_ id: String, resumed: Bool, missing: Int, _ language: MessageLanguage) -> String {
        switch (language, resumed) {
        case (.indonesian, true): "Melanjutkan sesi \(id): \(missing) sampel tersisa."
        case (.indonesian, false): "Sesi \(id) dimulai: \(missing) sampel."
        case (.english, true): "Resuming session \(id): \(missing) samples to go."
        case (.english, false): "Session \(id) started: \(missing) samples."
        }
    }
    static func stored(forced: Bool, _ language: MessageLanguage) -> String {
        switch (language, forced) {
        case (.indonesian, true): "disimpan (dipaksa: kualitas di bawah ambang)"
        case (.indonesian, false): "disimpan"
        case (.english, true): "stored (forced: quality below the threshold)"
        case (.english, false): "stored"
        }
    }
    static func finished(_ summary: EnrollmentSummary, _ language: MessageLanguage) -> String {
        if summary.state == .complete {
            return language == .indonesian ? "Sesi \(summary.sessionID) selesai: \(summary.stored.count) sampel, \(summary.excepted.count) pengecualian."
                : "Session \(summary.sessionID) complete: \(summary.stored.count) samples, \(summary.excepted.count) exceptions."
        }
        let missing = summary.missing.joined(separator: ", ")
        return language == .indonesian
            ? "Sesi \(summary.sessionID) belum lengkap; kurang: \(missing). Lanjutkan dengan --resume \(summary.sessionID)."
            : "Session \(summary.sessionID) is incomplete; missing: \(missing). Resume it with --resume \(summary.sessionID)."
    }
}
