import ArgumentParser
import BioCapture
import Enrollment
import Foundation

/// `biocapture journal list|verify|export`.
struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Inspect, verify and export an enrollment journal.",
        subcommands: [JournalListCommand.self, JournalVerifyCommand.self, JournalExportCommand.self]
    )
}

/// Opens an existing journal; a missing file is an error, never silently created.
private func openExisting(_ path: String, _ language: MessageLanguage) throws -> EnrollmentJournal {
    guard FileManager.default.fileExists(atPath: path) else {
        printError(JournalText(language).noJournal(path))
        throw CLIExitStatus.noInput
    }
    do {
        return try EnrollmentJournal(path: path, logger: CLILogging.logger("journal"))
    } catch let fault as CaptureFault {
        printError(describe(fault, language, withRemedy: true))
        throw CLIExitStatus.failure
    }
}

/// A fault for the operator: message in the chosen language, the stable domain/code, the remedy.
private func describe(_ fault: CaptureFault, _ language: MessageLanguage, withRemedy: Bool) -> String {
    var text = "\(fault.localizedMessage(language)) [\(fault.domain.rawValue)/\(fault.code.rawValue)]"
    if withRemedy { text += "\n" + fault.localizedRemedy(language) }
    return text
}

/// The `--lang` option of every journal subcommand.
struct JournalLanguageOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Message language: en or id (default: from LC_ALL, LC_MESSAGES, LANG).", valueName: "LANG"))
    var lang: String?

    func validate() throws {
        try CLILanguageOption.validate(lang)
    }

    var language: MessageLanguage { CLILanguage.resolve(lang) }
}

struct JournalListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the sessions: id, subject, state (complete or incomplete), samples stored.")

    @Argument(help: ArgumentHelp("The journal file.", valueName: "FILE"))
    var file: String

    @Flag(name: .long, help: "Print one JSON document: sessions[] with id, subject, state, samples.")
    var json = false

    @OptionGroup var languageOptions: JournalLanguageOptions

    func run() async throws {
        let language = languageOptions.language
        let text = JournalText(language)
        let journal = try openExisting(file, language)
        let sessions = try journal.sessions()
        if json {
            struct Listing: Encodable {
                struct Session: Encodable {
                    var id: String, subject: String, state: String, samples: Int, exceptions: Int, faults: Int
                    var createdAt: Date, updatedAt: Date
                }
                var sessions: [Session]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            let listing = Listing(sessions: sessions.map {
                .init(id: $0.id, subject: $0.subject, state: $0.state == .complete ? "complete" : "incomplete",
                      samples: $0.samples, exceptions: $0.exceptions, faults: $0.faults,
                      createdAt: $0.createdAt, updatedAt: $0.updatedAt)
            })
            print(String(decoding: try encoder.encode(listing), as: UTF8.self))
            return
        }
        if sessions.isEmpty { print(text.noSessions(file)) }
        for session in sessions {
            print(text.sessionLine(id: session.id, subject: session.subject, state: session.state, samples: session.samples,
                                   exceptions: session.exceptions, faults: session.faults))
        }
    }
}

struct JournalVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check SQLite integrity, every sample's SHA-256 and each session's hash chain.",
        discussion: "Exit status 0 when everything matches; 1 on any mismatch or when the file is damaged; 66 when it is missing.")

    @Argument(help: ArgumentHelp("The journal file.", valueName: "FILE"))
    var file: String

    @Flag(name: .long, help: "Print one JSON document.")
    var json = false

    @OptionGroup var languageOptions: JournalLanguageOptions

    func run() async throws {
        let language = languageOptions.language
        let text = JournalText(language)
        let journal = try openExisting(file, language)
        let verification: JournalVerification
        do {
            verification = try journal.verify()
        } catch let fault as CaptureFault {
            printError(describe(fault, language, withRemedy: false))
            throw CLIExitStatus.failure
        }
        if json {
            struct Result: Encodable { var intact: Bool, samplesChecked: Int, problems: [String] }
            try printJSON(Result(intact: verification.isIntact, samplesChecked: verification.samplesChecked,
                                 problems: verification.problems))
        } else if verification.isIntact {
            print(text.intact(samples: verification.samplesChecked))
        } else {
            print(text.notIntact(problems: verification.problems.count))
            for problem in verification.problems { print("  \(problem)") }
        }
        if !verification.isIntact { throw CLIExitStatus.failure }
    }
}

struct JournalExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a finished session: face JPEG, fingerprint/iris PNG, signature PNG and time series, manifest.json.")

    @Argument(help: ArgumentHelp("The journal file.", valueName: "FILE"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("The session to export.", valueName: "SESSION"))
    var session: String

    @Option(name: .long, help: ArgumentHelp("A new or empty folder to write into.", valueName: "DIR"))
    var output: String

    @Flag(name: .long, help: "Export even when the session is incomplete.")
    var allowIncomplete = false

    @Flag(name: .long, help: "Print the manifest as JSON.")
    var json = false

    @OptionGroup var languageOptions: JournalLanguageOptions

    func run() async throws {
        let language = languageOptions.language
        let journal = try openExisting(file, language)
        let manifest: JournalExporter.Manifest
        do {
            manifest = try JournalExporter.export(journal: journal, session: session, to: output, allowIncomplete: allowIncomplete)
        } catch let fault as CaptureFault {
            printError(describe(fault, language, withRemedy: true))
            throw fault.code == .notFound ? CLIExitStatus.noInput : CLIExitStatus.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(manifest), as: UTF8.self))
        } else {
            print(JournalText(language).exported(session: session, output: output, samples: manifest.samples.count))
        }
    }
}
