import ArgumentParser
import BioCapture
import Enrollment
import Foundation

/// `biocapture udev-rules [--output DIR] [--install [--headless] [--rules-dir DIR]] [--lang en|id]`.
struct UdevRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udev-rules",
        abstract: "Print, write or install the udev rules generated from the driver table.",
        discussion: """
            Without options the rule files are printed. --install writes the identification \
            rules and one access policy (uaccess for desktop stations, plugdev with --headless) \
            to /etc/udev/rules.d (or --rules-dir, or $BIOCAPTURE_UDEV_DIR), then runs \
            `udevadm control --reload-rules` and `udevadm trigger --subsystem-match=usb --action=change` \
            when udevadm exists ($BIOCAPTURE_UDEVADM overrides its path; empty skips it). \
            Exit status 77 without the rights to write there, 73/74 when writing fails, 1 when udevadm failed.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Write the rule files into DIR (created if needed).", valueName: "DIR"))
    var output: String?

    @Flag(name: .long, help: "Install the rules for this station and reload udev (needs root).")
    var install = false

    @Flag(name: .long, help: "With --install: group plugdev access (headless stations) instead of uaccess.")
    var headless = false

    @Option(name: .long, help: ArgumentHelp("With --install: the rules directory (default $BIOCAPTURE_UDEV_DIR or /etc/udev/rules.d).", valueName: "DIR"))
    var rulesDir: String?

    @Option(name: .long, help: ArgumentHelp("Message language: en or id (default: from LC_ALL, LC_MESSAGES, LANG).", valueName: "LANG"))
    var lang: String?

    func validate() throws {
        try CLILanguageOption.validate(lang)
        let text = UdevText(CLILanguage.resolve(lang))
        if headless && !install { throw ValidationError(text.headlessNeedsInstall) }
        if rulesDir != nil && !install { throw ValidationError(text.rulesDirNeedsInstall) }
        if output != nil && install { throw ValidationError(text.outputAndInstall) }
    }

    func run() async throws {
        let language = CLILanguage.resolve(lang)
        let files = UdevRules.files(for: StationDrivers.registry())
        if install {
            let directory = rulesDir ?? CLIEnvironment.current.udevInstallDirectory
            let policy: UdevRules.AccessPolicy = headless ? .plugdev : .uaccess
            let outcome = await UdevInstaller.install(files: files, policy: policy, into: directory,
                                                      udevadm: CLIEnvironment.current.udevadmPath, language: language)
            for line in outcome.lines { print(line) }
            for line in outcome.errors { printError("biocapture udev-rules: \(line)") }
            if let exitCode = outcome.exitCode { throw exitCode }
        } else if let output {
            switch UdevInstaller.write(files: files, into: output, language: language) {
            case .success(let lines):
                for line in lines { print(line) }
            case .failure(let failure):
                printError("biocapture udev-rules: \(failure.message)")
                throw failure.exitCode
            }
        } else {
            for (index, file) in files.enumerated() {
                if index > 0 { print("") }
                print(UdevText.fileHeader(file.name))
                print(file.contents, terminator: "")
            }
        }
    }
}

/// Writes rule files and drives udevadm. Kept apart from argument parsing so it can move to a
/// library (an installer in the station software) unchanged.
enum UdevInstaller {
    struct Failure: Error {
        var message: String
        var exitCode: ExitCode
    }

    struct Outcome {
        var lines: [String] = []
        var errors: [String] = []
        var exitCode: ExitCode?
    }

    /// How long one udevadm invocation may take before it is stopped.
    static let udevadmDeadlineSeconds = 30

    /// Writes every file into `directory`, creating it when missing.
    static func write(
        files: [(name: String, contents: String)], into directory: String, language: MessageLanguage = .english
    ) -> Result<[String], Failure> {
        let text = UdevText(language)
        var lines: [String] = []
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                lines.append(text.createdDirectory(directory))
            } catch {
                return .failure(Failure(message: text.writeFailed(directory, error.localizedDescription), exitCode: CLIExitStatus.cannotCreate))
            }
        }
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file.name)
            if let error = AtomicFileWriter.write(file.contents, to: path) {
                return .failure(classify(error, path: path, headless: nil, language: language))
            }
            lines.append(text.wrote(path))
        }
        return .success(lines)
    }

    /// Installs the identification file and the chosen access policy, removes the other policy,
    /// then asks udev to reload and re-apply the rules.
    static func install(
        files: [(name: String, contents: String)], policy: UdevRules.AccessPolicy, into directory: String, udevadm: String?,
        language: MessageLanguage = .english
    ) async -> Outcome {
        let text = UdevText(language)
        var outcome = Outcome()
        let wanted: Set<String> = [UdevRules.identificationFileName, policy.fileName]
        switch write(files: files.filter { wanted.contains($0.name) }, into: directory, language: language) {
        case .success(let lines):
            outcome.lines += lines
        case .failure(let failure):
            let headless = policy == .plugdev
            let retold = failure.exitCode == CLIExitStatus.noPermission
                ? Failure(message: text.permissionDenied(directory, headless: headless), exitCode: failure.exitCode)
                : failure
            outcome.errors.append(retold.message)
            outcome.exitCode = retold.exitCode
            return outcome
        }
        for other in UdevRules.AccessPolicy.allCases where other != policy {
            let path = (directory as NSString).appendingPathComponent(other.fileName)
            if FileManager.default.fileExists(atPath: path) {
                if unlink(path) == 0 {
                    outcome.lines.append(text.removedOtherPolicy(path))
                } else {
                    outcome.errors.append(text.writeFailed(path, String(decoding: strerrorBytes(errno), as: UTF8.self)))
                    outcome.exitCode = CLIExitStatus.failure
                }
            }
        }
        outcome.lines.append(policy == .plugdev ? text.policyPlugdev : text.policyUaccess)

        guard let udevadm else {
            outcome.lines.append(text.udevadmMissing)
            return outcome
        }
        let logger = CLILogging.logger("udev-rules")
        for arguments in [["control", "--reload-rules"], ["trigger", "--subsystem-match=usb", "--action=change"]] {
            logger.debug("running udevadm", metadata: ["path": "\(udevadm)", "arguments": "\(arguments.joined(separator: " "))"])
            switch await ProcessRunner.run(udevadm, arguments: arguments, deadlineSeconds: udevadmDeadlineSeconds) {
            case .exited(0):
                outcome.lines.append(text.ranUdevadm(arguments))
            case .exited(let status):
                outcome.errors.append(text.udevadmFailed(arguments, text.reasonExitStatus(status)))
                outcome.exitCode = CLIExitStatus.failure
            case .timedOut:
                outcome.errors.append(text.udevadmTimedOut(arguments, seconds: udevadmDeadlineSeconds))
                outcome.exitCode = CLIExitStatus.failure
            case .couldNotStart(let reason):
                outcome.errors.append(text.udevadmFailed(arguments, reason))
                outcome.exitCode = CLIExitStatus.failure
            }
        }
        outcome.lines.append(text.replug)
        return outcome
    }

    /// Maps an errno from writing to the message and exit status.
    static func classify(_ error: Int32, path: String, headless: Bool?, language: MessageLanguage = .english) -> Failure {
        let text = UdevText(language)
        switch error {
        case EACCES, EPERM:
            let message = headless.map { text.permissionDenied(path, headless: $0) }
                ?? text.writeFailed(path, text.reasonPermissionDenied)
            return Failure(message: message, exitCode: CLIExitStatus.noPermission)
        case EROFS:
            return Failure(message: text.readOnly(path), exitCode: CLIExitStatus.cannotCreate)
        case ENOENT, ENOTDIR:
            return Failure(message: text.writeFailed(path, text.reasonNoDirectory), exitCode: CLIExitStatus.cannotCreate)
        default:
            return Failure(message: text.writeFailed(path, String(decoding: strerrorBytes(error), as: UTF8.self)), exitCode: CLIExitStatus.ioError)
        }
    }
}

/// The bytes of `strerror(code)` (decoded with an explicit length).
func strerrorBytes(_ code: Int32) -> [UInt8] {
    guard let text = strerror(code) else { return Array("error \(code)".utf8) }
    return Array(UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: strlen(text)))
}

/// Writes a file so a reader never sees half of it: a temporary file next to it, fsync, rename.
enum AtomicFileWriter {
    /// Returns nil on success, the errno otherwise.
    static func write(_ contents: String, to path: String, mode: mode_t = 0o644) -> Int32? {
        let temporary = path + ".biocapture-new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return errno }
        let bytes = Array(contents.utf8)
        var written = 0
        var failure: Int32?
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            written += result
        }
        // umask may have narrowed the mode; rules files must be world-readable for udev.
        if failure == nil, fchmod(descriptor, mode) != 0 { failure = errno }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if failure != nil { unlink(temporary) }
        return failure
    }
}

/// Runs a program with a deadline.
enum ProcessRunner {
    enum Result: Equatable {
        case exited(Int32)
        case timedOut
        case couldNotStart(String)
    }

    static func run(_ executable: String, arguments: [String], deadlineSeconds: Int) async -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .couldNotStart(error.localizedDescription)
        }
        let deadline = ContinuousClock.now + .seconds(deadlineSeconds)
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                try? await Task.sleep(for: .milliseconds(200))
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                return .timedOut
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return .exited(process.terminationStatus)
    }
}
