import Foundation

/// Paths the CLI reads and writes, overridable by environment variables so tests can point
/// them at fake trees:
/// - `BIOCAPTURE_SYSFS_ROOT` (default `/sys`), `BIOCAPTURE_DEV_ROOT` (default `/dev`);
/// - `BIOCAPTURE_UDEV_DIR`: the only rules directory `doctor` examines and the one
///   `udev-rules --install` writes to (default: /etc/udev/rules.d, and doctor also reads
///   /lib/udev/rules.d);
/// - `BIOCAPTURE_UDEVADM`: the udevadm program (empty: do not run udevadm).
struct CLIEnvironment: Sendable {
    var sysfsRoot: String
    var devRoot: String
    var udevInstallDirectory: String
    var udevSearchDirectories: [String]
    var udevadmPath: String?

    static var current: CLIEnvironment { CLIEnvironment(ProcessInfo.processInfo.environment) }

    init(_ environment: [String: String]) {
        sysfsRoot = Self.nonEmpty(environment["BIOCAPTURE_SYSFS_ROOT"]) ?? "/sys"
        devRoot = Self.nonEmpty(environment["BIOCAPTURE_DEV_ROOT"]) ?? "/dev"
        if let udev = Self.nonEmpty(environment["BIOCAPTURE_UDEV_DIR"]) {
            udevInstallDirectory = udev
            udevSearchDirectories = [udev]
        } else {
            udevInstallDirectory = "/etc/udev/rules.d"
            udevSearchDirectories = ["/etc/udev/rules.d", "/lib/udev/rules.d"]
        }
        if let udevadm = environment["BIOCAPTURE_UDEVADM"] {
            udevadmPath = udevadm.isEmpty ? nil : udevadm
        } else {
            udevadmPath = ["/usr/bin/udevadm", "/bin/udevadm", "/usr/sbin/udevadm", "/sbin/udevadm"]
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
