import ArgumentParser
import BioCapture
import Enrollment
import Foundation

/// `biocapture doctor [--journal-dir DIR] [--json] [--lang en|id]`: is this machine ready to run a station?
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check this machine's setup: USB access, udev rules, kernel drivers, groups, disk, clock, power.",
        discussion: """
            Each check reports ok, warning or fail with a remedy. Exit status 0 when every check \
            is ok or a warning, 1 when at least one failed. Paths can be redirected for tests with \
            BIOCAPTURE_SYSFS_ROOT, BIOCAPTURE_DEV_ROOT and BIOCAPTURE_UDEV_DIR.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Directory the enrollment journal lives in (free space is checked).", valueName: "DIR"))
    var journalDir: String = "."

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Message language: en or id (default: from LC_ALL, LC_MESSAGES, LANG).", valueName: "LANG"))
    var lang: String?

    func validate() throws {
        try CLILanguageOption.validate(lang)
    }

    func run() async throws {
        let language = CLILanguage.resolve(lang)
        let environment = CLIEnvironment.current
        let context = DoctorChecks.Context(
            environment: environment, registry: StationDrivers.registry(), journalDirectory: journalDir, now: Date(),
            language: language)
        let checks = DoctorChecks.runAll(context)
        let logger = CLILogging.logger("doctor")
        for check in checks {
            logger.debug("check finished", metadata: ["id": "\(check.id)", "status": "\(check.status.rawValue)"])
        }
        let report = DoctorReport(checks: checks)
        if json {
            try printJSON(report)
        } else {
            print(DoctorText(language).render(report), terminator: "")
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}

/// The whole doctor result as printed with --json.
struct DoctorReport: Encodable {
    struct Summary: Encodable {
        var ok: Int
        var warning: Int
        var fail: Int
    }

    var checks: [DoctorCheck]
    /// The worst status of all checks.
    var status: DoctorCheck.Status
    var summary: Summary
    /// 0: all ok or warnings only; 1: at least one check failed.
    var exitStatus: Int32
    /// False when /dev/bus/usb is missing: real devices cannot be used on this machine.
    var usbAccess: Bool

    init(checks: [DoctorCheck]) {
        self.checks = checks
        status = checks.map(\.status).max() ?? .ok
        summary = Summary(
            ok: checks.filter { $0.status == .ok }.count,
            warning: checks.filter { $0.status == .warning }.count,
            fail: checks.filter { $0.status == .fail }.count)
        exitStatus = summary.fail > 0 ? 1 : 0
        usbAccess = checks.first { $0.id == "usbfs" }?.status == .ok
    }
}

extension DoctorText {
    /// The human report: one line per check with a status tag, its remedy indented below.
    func render(_ report: DoctorReport) -> String {
        var lines: [String] = []
        if !report.usbAccess { lines.append(noUSBHeadline) }
        // Tags are padded to the longest one of the language so the titles line up.
        let statuses: [DoctorCheck.Status] = [.ok, .warning, .fail]
        let width = statuses.map { statusTag($0).count + 2 }.max() ?? 0
        let indent = String(repeating: " ", count: width + 1)
        for check in report.checks {
            let tag = "[\(statusTag(check.status))]".padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("\(tag) \(check.title): \(check.message)")
            if let remedy = check.remedy { lines.append("\(indent)\(remedyLabel): \(remedy)") }
        }
        lines.append(summary(ok: report.summary.ok, warnings: report.summary.warning, failed: report.summary.fail))
        return lines.joined(separator: "\n") + "\n"
    }
}
