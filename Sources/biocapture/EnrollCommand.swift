import ArgumentParser
import BioCapture
import Enrollment
import Foundation

/// `biocapture enroll`: one subject's enrollment on this station, committed sample by sample.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enroll one subject: face, both irises, ten fingers, signature, each sample stored at once.",
        discussion: """
            With --json, one JSON object per line (JSON Lines); the first line carries the session \
            id, so a caller killed mid-session can resume it with --resume. Exit status: 0 the \
            session is complete; 1 it is incomplete (a device failed or a slot had no usable \
            sample; resume later); 64 bad arguments; 65 the NIK is malformed (nothing is written); \
            66 no such session to resume; 74 the journal could not be written.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The enrollment journal (SQLite; created 0600 when missing).", valueName: "FILE"))
    var journal: String

    @Option(name: .long, help: ArgumentHelp("The subject's NIK (16 digits).", valueName: "NIK"))
    var subject: String?

    @Option(name: .long, help: ArgumentHelp("Resume this incomplete session instead of starting one.", valueName: "SESSION"))
    var resume: String?

    @Option(name: .customLong("exception"),
            help: ArgumentHelp("A subject exception SLOT:KIND:PERMANENCE:REASON, e.g. finger-2:missing:permanent:amputated (repeatable).",
                               valueName: "SPEC"))
    var exceptions: [String] = []

    @Flag(name: .long, help: "Use the simulated devices for modalities no USB device covers.")
    var simulated = false

    @Option(name: .customLong("fault"), help: ArgumentHelp("Inject a fault: MODALITY:KIND[@STEP][xCOUNT] (repeatable).", valueName: "SPEC"))
    var faults: [String] = []

    @Option(name: .long, help: ArgumentHelp("Simulated capture latency in milliseconds.", valueName: "MS"))
    var latency: Int?

    @Option(name: .long, help: ArgumentHelp("Seed of the simulated subject (hex); the same seed, the same person.", valueName: "HEX"))
    var seed: String?

    @Option(name: .long, help: ArgumentHelp("Message language: en or id (default: from LANG).", valueName: "LANG"))
    var lang: String?

    @Flag(name: .long, help: "Print JSON Lines (the session id first) instead of text.")
    var json = false

    func validate() throws {
        try CLILanguageOption.validate(lang)
        let language = CLILanguage.resolve(lang)
        if (subject == nil) == (resume == nil) { throw ValidationError(EnrollText.subjectOrResume(language)) }
        if resume != nil, !exceptions.isEmpty { throw ValidationError(EnrollText.exceptionNeedsSubject(language)) }
        if let latency, !(0...60_000).contains(latency) { throw ValidationError(EnrollText.latencyRange(language)) }
        if let seed, UInt64(seed, radix: 16) == nil { throw ValidationError(EnrollText.seedHex(language)) }
    }

    func run() async throws {
        let language = CLILanguage.resolve(lang)
        let output = EnrollOutput(json: json, language: language)
        // Everything about the subject is checked before the journal is touched.
        var nik: NIK?
        if let subject {
            do {
                nik = try NIK(validating: subject)
            } catch {
                output.error(error.description)
                throw CLIExitStatus.dataError
            }
        }
        let subjectExceptions: [SubjectException]
        let plan: FaultPlan
        do {
            subjectExceptions = try exceptions.map { try Self.parseException($0, language) }
            plan = try FaultPlan(parsing: faults)
        } catch {
            output.error("\(error)")
            throw CLIExitStatus.usage
        }
        if resume != nil, !FileManager.default.fileExists(atPath: journal) {
            output.error(EnrollText.noJournal(journal, language))
            throw CLIExitStatus.noInput
        }

        let logger = CLILogging.logger("enroll")
        let environment = CLIEnvironment.current
        // Warn before starting on a weak battery: a power cut mid-session is recoverable, but an
        // operator should know before calling the next subject.
        let power = DoctorChecks.power(DoctorChecks.gatherPowerSupplies(sysfsRoot: environment.sysfsRoot), language: language)
        if power.status != .ok { output.warning(power.message, remedy: power.remedy) }
        let station = Station(registry: StationDrivers.registry(), logger: logger,
                              sysfsRoot: environment.sysfsRoot, devRoot: environment.devRoot)
        var settings: [String: String] = [:]
        if let latency { settings["latency-ms"] = String(latency) }
        let template = DriverContext(
            identity: DeviceIdentity(id: "", driverID: "", modality: .fingerprint, vendor: "", model: "",
                                     connectionPath: "", isSimulated: false),
            logger: logger, seed: seed.flatMap { UInt64($0, radix: 16) } ?? Self.subjectSeed(nik?.digits ?? resume ?? ""),
            faultPlan: plan, settings: settings)
        let inventory = await station.inventory(includeSimulated: simulated)
        let built = await station.makeDevices(inventory, template: template)
        let devices = Self.pick(built.devices)

        let session: EnrollmentSession
        do {
            let journalFile = try EnrollmentJournal(path: journal, logger: logger)
            if let resume {
                session = try EnrollmentSession.resume(sessionID: resume, journal: journalFile, devices: devices,
                                                       encoder: StandardSampleEncoder(), logger: logger)
            } else if let nik {
                session = try EnrollmentSession.start(journal: journalFile, subject: nik, exceptions: subjectExceptions,
                                                      devices: devices, encoder: StandardSampleEncoder(), logger: logger)
            } else {
                throw ValidationError("give --subject or --resume")
            }
        } catch let fault as CaptureFault {
            output.fault(fault)
            await station.close()
            throw fault.code == .apiMisuse || fault.code == .notFound ? CLIExitStatus.noInput : CLIExitStatus.ioError
        }

        let printer = Task { for await event in session.events { output.event(event, sessionID: session.id) } }
        let summary: EnrollmentSummary
        do {
            summary = try await session.run()
        } catch let fault as CaptureFault {
            await session.close()
            await printer.value
            output.fault(fault)
            await station.close()
            throw CLIExitStatus.ioError
        }
        await session.close()
        await printer.value
        await station.close()
        if summary.state != .complete { throw CLIExitStatus.failure }
    }

    /// The first device of each modality: USB devices come before simulated ones.
    static func pick(_ devices: [StationDevice]) -> StationDevices {
        let ordered = devices.sorted { !$0.identity.isSimulated && $1.identity.isSimulated }
        func first<T>(_ type: T.Type) -> T? { ordered.lazy.compactMap { $0.device as? T }.first }
        return StationDevices(fingerprint: first((any FingerprintScanner).self), iris: first((any IrisCamera).self),
                              face: first((any Webcam).self), signature: first((any SignaturePad).self))
    }

    /// A stable simulated person per NIK, so a resumed session meets the same subject.
    static func subjectSeed(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }

    static func parseException(_ spec: String, _ language: MessageLanguage) throws -> SubjectException {
        let parts = spec.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, CaptureSlot(key: parts[0]) != nil,
              let kind = SubjectException.Kind(rawValue: parts[1]),
              let permanence = SubjectException.Permanence(rawValue: parts[2]), !parts[3].isEmpty
        else { throw ValidationError(EnrollText.badException(spec, language)) }
        return SubjectException(slot: parts[0], kind: kind, permanence: permanence, reason: parts[3])
    }
}

/// Enrollment progress for people (text) or programs (JSON Lines).
final class EnrollOutput: @unchecked Sendable {
    let json: Bool
    let language: MessageLanguage
    private let lock = NSLock()

    init(json: Bool, language: MessageLanguage) {
        self.json = json
        self.language = language
    }

    private func line(_ text: String) {
        lock.withLock { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }

    private func object(_ fields: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return }
        line(String(decoding: data, as: UTF8.self))
    }

    func warning(_ text: String, remedy: String?) {
        if json {
            var fields: [String: Any] = ["event": "warning", "message": text]
            if let remedy { fields["remedy"] = remedy }
            object(fields)
        } else {
            printError("! \(text)" + (remedy.map { "\n  \($0)" } ?? ""))
        }
    }

    func error(_ text: String) {
        if json { object(["event": "error", "message": text]) } else { printError(text) }
    }

    func fault(_ fault: CaptureFault) {
        if json {
            object(["event": "error", "domain": fault.domain.rawValue, "code": fault.code.rawValue,
                    "message": fault.localizedMessage(language), "remedy": fault.localizedRemedy(language)])
        } else {
            printError("\(fault.localizedMessage(language)) [\(fault.domain.rawValue)/\(fault.code.rawValue)]\n\(fault.localizedRemedy(language))")
        }
    }

    func event(_ event: EnrollmentEvent, sessionID: String) {
        switch event {
        case .started(let id, let resumed, let missing):
            if json { object(["event": "started", "session": id, "resumed": resumed, "missing": missing]) } else {
                line(EnrollText.started(id, resumed: resumed, missing: missing.count, language))
            }
        case .clockJump(let detail):
            if json { object(["event": "clock-jump", "detail": detail]) } else { line("! \(detail)") }
        case .prompt(let slot, let attempt, let instruction):
            if json { object(["event": "prompt", "slot": slot, "attempt": attempt, "instruction": instruction[language]]) } else {
                line("  \(slot) #\(attempt): \(instruction[language])")
            }
        case .quality(let slot, let attempt, let quality, let threshold):
            if json { object(["event": "quality", "slot": slot, "attempt": attempt, "quality": quality, "threshold": threshold]) } else {
                line("    " + EnrollText.quality(quality, threshold: threshold, language))
            }
        case .retry(let slot, let attempt, let reason):
            if json { object(["event": "retry", "slot": slot, "attempt": attempt, "code": reason.code, "message": reason.message[language]]) } else {
                line("    \(reason.message[language])")
            }
        case .stored(let slot, let quality, let forced, let attempts):
            var fields: [String: Any] = ["event": "stored", "slot": slot, "forced": forced, "attempts": attempts]
            if let quality { fields["quality"] = quality }
            if json { object(fields) } else {
                line("    ✓ \(slot) \(EnrollText.stored(forced: forced, language))")
            }
        case .exceptionRecorded(let exception):
            if json { object(["event": "exception", "slot": exception.slot, "kind": exception.kind.rawValue]) } else {
                line("  " + EnrollText.exception(exception, language))
            }
        case .fault(let slot, let fault):
            if json {
                object(["event": "fault", "slot": slot ?? "", "domain": fault.domain.rawValue, "code": fault.code.rawValue,
                        "message": fault.localizedMessage(language), "remedy": fault.localizedRemedy(language)])
            } else {
                line("    ✗ [\(fault.domain.rawValue)/\(fault.code.rawValue)] \(fault.localizedMessage(language))")
                line("      \(fault.localizedRemedy(language))")
            }
        case .skipped(let slot, let reason):
            if json { object(["event": "skipped", "slot": slot, "reason": reason]) } else { line("    – \(slot): \(reason)") }
        case .finished(let summary):
            if json {
                object(["event": "finished", "session": summary.sessionID, "state": summary.state.rawValue,
                        "stored": summary.stored, "excepted": summary.excepted, "missing": summary.missing])
            } else {
                line(EnrollText.finished(summary, language))
            }
        }
    }
}
