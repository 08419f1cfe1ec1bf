import ArgumentParser
import BioCapture
import Enrollment
import Foundation
import Imaging

/// `biocapture selftest`: the diagnostic ladder for every device found (or each named one).
struct SelftestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Diagnose each capture device: hardware, software, station set-up or operator, and what to do.",
        discussion: """
            Each device climbs the ladder found → permissions → kernel driver → open → identity → \
            sensor → capture → quality and stops at the first failed step. Exit status: 0 every \
            device passed; 1 at least one device failed; 3 none failed but at least one is degraded; \
            4 no device was found; 64 bad arguments (e.g. a malformed --fault); 73 the report could \
            not be written.
            """
    )

    @Option(name: .customLong("device"), help: ArgumentHelp("Test only this device id (repeatable; see `biocapture devices`).", valueName: "ID"))
    var deviceIDs: [String] = []

    @Flag(name: .long, help: "Add one simulated device per modality.")
    var simulated = false

    @Option(name: .customLong("fault"), help: ArgumentHelp("Inject a fault: MODALITY:KIND[@STEP][xCOUNT] (repeatable).", valueName: "SPEC"))
    var faults: [String] = []

    @Option(name: .long, help: ArgumentHelp("Simulated capture latency in milliseconds.", valueName: "MS"))
    var latency: Int?

    @Option(name: .long, help: ArgumentHelp("Write selftest.html (self-contained) and selftest.json into this folder.", valueName: "DIR"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Message language: en or id (default: from LANG).", valueName: "LANG"))
    var lang: String?

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    func validate() throws {
        try CLILanguageOption.validate(lang)
        if let latency, !(0...60_000).contains(latency) {
            throw ValidationError(SelftestText.latencyRange(CLILanguage.resolve(lang)))
        }
    }

    func run() async throws {
        let language = CLILanguage.resolve(lang)
        let plan: FaultPlan
        do {
            plan = try FaultPlan(parsing: faults)
        } catch {
            printError(error.description)
            throw CLIExitStatus.usage
        }
        let environment = CLIEnvironment.current
        let logger = CLILogging.logger("selftest")
        let station = Station(registry: StationDrivers.registry(), logger: logger,
                              sysfsRoot: environment.sysfsRoot, devRoot: environment.devRoot)
        let inventory = await station.inventory(includeSimulated: simulated)
        var settings: [String: String] = [:]
        if let latency { settings["latency-ms"] = String(latency) }
        let template = DriverContext(
            identity: DeviceIdentity(id: "", driverID: "", modality: .fingerprint, vendor: "", model: "",
                                     connectionPath: "", isSimulated: false),
            logger: logger, seed: 1, faultPlan: plan, settings: settings)
        let built = await station.makeDevices(inventory, template: template)

        let known = built.devices.map(\.identity.id) + built.failures.map(\.identity.id)
        for id in deviceIDs where !known.contains(id) {
            printError(SelftestText.unknownDevice(id, known: known, language))
            await station.close()
            throw CLIExitStatus.noInput
        }
        let wanted: (DeviceIdentity) -> Bool = { deviceIDs.isEmpty || deviceIDs.contains($0.id) }

        let output = SelftestOutput(language: language, live: !json)
        if !json { output.header(usbAvailable: inventory.usbAvailable, simulated: simulated) }
        var results: [SelfTestResult] = []
        for candidate in built.devices where wanted(candidate.identity) {
            output.deviceStarted(candidate.identity)
            let result = await SelfTestLadder.run(candidate.device, access: candidate.access, logger: logger,
                                                  language: language) { step in
                output.step(step)
            }
            output.deviceFinished(result)
            results.append(result)
        }
        for failure in built.failures where wanted(failure.identity) {
            let access = inventory.usbDevices.first { $0.identity.id == failure.identity.id }?.access
            let result = SelfTestLadder.unbuildable(failure.identity, access: access, fault: failure.fault, language: language)
            output.deviceStarted(failure.identity)
            for step in result.steps where step.outcome != .skipped { output.step(step) }
            output.deviceFinished(result)
            results.append(result)
        }
        await station.close()

        let stationReport = StationReport(results: results, language: language, generatedAt: Date(),
                                          hostname: ProcessInfo.processInfo.hostName)
        if json {
            print(String(decoding: try stationReport.json(), as: UTF8.self))
        } else {
            output.summary(stationReport)
        }
        if let report {
            try writeReport(stationReport, results: results, language: language, directory: report)
        }
        if results.isEmpty { throw ExitCode(4) }
        if stationReport.summary.fail > 0 { throw CLIExitStatus.failure }
        if stationReport.summary.degraded > 0 { throw ExitCode(3) }
    }

    private func writeReport(_ report: StationReport, results: [SelfTestResult], language: MessageLanguage,
                             directory: String) throws {
        var pictures: [String: [(name: String, png: Data)]] = [:]
        for result in results {
            for name in result.images.keys.sorted() {
                guard let image = result.images[name], let png = try? PNG.encode(image) else { continue }
                pictures[result.device.id, default: []].append((name, Data(png)))
            }
        }
        let html = HTMLReport.render(report, pictures: pictures, language: language)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(html.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent("selftest.html"), options: .atomic)
            try report.json().write(to: URL(fileURLWithPath: directory).appendingPathComponent("selftest.json"), options: .atomic)
        } catch {
            printError(SelftestText.reportFailed(directory, "\(error.localizedDescription)", language))
            throw CLIExitStatus.cannotCreate
        }
        if !json { print(SelftestText.reportWritten(directory, language)) }
    }
}

/// The language messages are shown in: `--lang`, else `LC_ALL`, `LC_MESSAGES`, `LANG`.
enum CLILanguage {
    static func resolve(_ option: String?) -> MessageLanguage {
        if let option { return option == "id" ? .indonesian : .english }
        let environment = ProcessInfo.processInfo.environment
        let locale = [environment["LC_ALL"], environment["LC_MESSAGES"], environment["LANG"]]
            .compactMap { $0 }.first { !$0.isEmpty }
        return MessageLanguage(localeIdentifier: locale)
    }
}

/// Human progress and summary lines; colour only on a terminal (and never with NO_COLOR).
final class SelftestOutput: @unchecked Sendable {
    let language: MessageLanguage
    let live: Bool
    let colour: Bool
    private let lock = NSLock()

    init(language: MessageLanguage, live: Bool) {
        self.language = language
        self.live = live
        colour = live && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    private func t(_ key: StationMessages.Key) -> String { StationMessages.text(key, language) }

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    private func emit(_ line: String) {
        guard live else { return }
        // Written straight to the descriptor so each rung shows as it happens, even when piped.
        lock.withLock { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }

    func header(usbAvailable: Bool, simulated: Bool) {
        emit(t(.reportTitle))
        if !usbAvailable { emit(SelftestText.noUSB(language)) }
    }

    func deviceStarted(_ identity: DeviceIdentity) {
        let modality = t(StationMessages.key(for: identity.modality))
        emit("")
        emit("\(identity.id) — \(modality)\(identity.isSimulated ? " (\(t(.reportSimulated)))" : "")")
    }

    func step(_ step: SelfTestStep) {
        let name = t(StationMessages.key(for: step.id))
        let outcome = t(StationMessages.key(for: step.outcome))
        let coloured: String
        switch step.outcome {
        case .passed: coloured = paint(outcome, "32")
        case .warning: coloured = paint(outcome, "33")
        case .failed: coloured = paint(outcome, "1;31")
        case .skipped: coloured = paint(outcome, "2")
        }
        let padded = name.padding(toLength: max(name.count, 30), withPad: " ", startingAt: 0)
        emit("  \(padded) \(coloured)  \(step.detail(in: language))")
        if let fault = step.fault {
            emit("      \(t(StationMessages.key(for: fault.domain))) · \(fault.code.rawValue) · \(fault.localizedMessage(language))")
            emit("      \(t(.reportRemedy)): \(fault.localizedRemedy(language))")
        }
    }

    func deviceFinished(_ result: SelfTestResult) {
        var line = "  \(t(.reportVerdict)): "
        let verdict = t(StationMessages.key(for: result.verdict))
        switch result.verdict {
        case .pass: line += paint(verdict, "32")
        case .degraded: line += paint(verdict, "33")
        case .fail: line += paint(verdict, "1;31")
        }
        if let failed = result.failedStep {
            line += " (\(t(.reportStoppedAt)) \(t(StationMessages.key(for: failed))))"
        }
        emit(line)
    }

    func summary(_ report: StationReport) {
        emit("")
        if report.devices.isEmpty {
            emit(t(.reportNoDevices))
            return
        }
        emit("\(t(.reportSummary)): \(report.summary.pass) \(t(.verdictPass)), \(report.summary.degraded) \(t(.verdictDegraded)), \(report.summary.fail) \(t(.verdictFail))")
    }
}
