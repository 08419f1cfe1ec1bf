import ArgumentParser
import Foundation
import Logging

/// The root command. Adding a subcommand is one entry in `subcommands`.
struct BioCaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biocapture",
        abstract: "BioCapture enrollment-station devices: describe, set up and diagnose.",
        discussion: "Exit statuses: see Docs/CLI.md (0 success, 1 a check failed, 64 usage, 65 malformed data, 66 missing input, 73/74 cannot write, 77 permission denied).",
        subcommands: [
            DevicesCommand.self,
            SelftestCommand.self,
            EnrollCommand.self,
            JournalCommand.self,
            CaptureCommand.self,
            CheckCommand.self,
            DescribeCommand.self,
            UdevRulesCommand.self,
            DoctorCommand.self,
        ]
    )

    /// Parses the command line and runs the chosen subcommand.
    ///
    /// Spelled out instead of `await main()`: in top-level code the compiler picks
    /// ParsableCommand's synchronous `main()`, which refuses an asynchronous root command.
    static func runFromCommandLine() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Exit statuses shared by all subcommands (BSD sysexits numbers where one fits).
enum CLIExitStatus {
    /// Something the command checked failed (doctor), or a follow-up step failed (udevadm).
    static let failure = ExitCode(1)
    /// Wrong arguments (ArgumentParser's own validation failure is also 64).
    static let usage = ExitCode(64)
    /// The input exists but its contents are malformed (truncated descriptors…).
    static let dataError = ExitCode(65)
    /// The input file is missing or unreadable.
    static let noInput = ExitCode(66)
    /// An output file could not be created.
    static let cannotCreate = ExitCode(73)
    /// Reading or writing failed part-way.
    static let ioError = ExitCode(74)
    /// Not allowed: run again with the rights named in the message.
    static let noPermission = ExitCode(77)
}

/// Log setup: stderr, level from `BIOCAPTURE_LOG_LEVEL` (trace…critical, default warning).
enum CLILogging {
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["BIOCAPTURE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    static func logger(_ label: String) -> Logger { Logger(label: "biocapture.\(label)") }
}

/// Writes to standard error (messages that are not the command's result).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// One JSON document, sorted keys, on standard output.
func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    print(String(decoding: data, as: UTF8.self))
}
