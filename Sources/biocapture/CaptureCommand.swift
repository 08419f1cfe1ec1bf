import ArgumentParser
import BioCapture
import BioSignature
import Enrollment
import Foundation
import Imaging

/// The modalities as command-line words.
enum ModalityArgument: String, ExpressibleByArgument, CaseIterable {
    case fingerprint, iris, face, signature

    var modality: Modality {
        switch self {
        case .fingerprint: .fingerprint
        case .iris: .iris
        case .face: .face
        case .signature: .signature
        }
    }
}

/// `biocapture capture MODALITY [--device ID] [--simulated] --output FILE`: one capture from one
/// device, written to a file (fingerprint/iris: PNG or PGM; face: JPEG or PNG; signature: PNG
/// picture, or JSON time series when FILE ends in .json).
struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture one sample from a device and write it to a file.",
        discussion: """
            The device is the one named by --device, else the first USB device of that modality, \
            else (with --simulated) the simulated one. Exit status: 0 written; 1 the device \
            failed (the fault is printed with its domain and remedy); 2 the subject must present \
            again (a retry reason); 4 no such device; 64 bad arguments; 73 the file could not be written.
            """
    )

    @Argument(help: "fingerprint, iris, face or signature")
    var modality: ModalityArgument

    @Option(name: .customLong("device"), help: ArgumentHelp("The device id (see `biocapture devices`).", valueName: "ID"))
    var deviceID: String?

    @Flag(name: .long, help: "Allow the simulated device when no USB device is found.")
    var simulated = false

    @Option(name: .long, help: ArgumentHelp("Output file.", valueName: "FILE"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Finger position 1–10 (ISO/ANSI: 1 right thumb … 10 left little).", valueName: "N"))
    var finger: Int = 2

    @Option(name: .long, help: ArgumentHelp("Eye for iris capture: left, right or both.", valueName: "EYE"))
    var eye: String = "right"

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for the subject.", valueName: "S"))
    var timeout: Int = 20

    @Option(name: .customLong("fault"), help: ArgumentHelp("Inject a fault into simulated devices (repeatable).", valueName: "SPEC"))
    var faults: [String] = []

    @Option(name: .long, help: ArgumentHelp("Message language: en or id (default: from LANG).", valueName: "LANG"))
    var lang: String?

    func validate() throws {
        guard FingerPosition(rawValue: finger).map({ $0 != .unknown }) == true else {
            throw ValidationError("--finger takes 1 to 10")
        }
        guard ["left", "right", "both"].contains(eye) else { throw ValidationError("--eye takes left, right or both") }
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout takes 1 to 600 seconds") }
        if let lang, lang != "en", lang != "id" { throw ValidationError("--lang takes en or id") }
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
        let logger = CLILogging.logger("capture")
        let environment = CLIEnvironment.current
        let station = Station(registry: StationDrivers.registry(), logger: logger,
                              sysfsRoot: environment.sysfsRoot, devRoot: environment.devRoot)
        let inventory = await station.inventory(includeSimulated: simulated)
        let template = DriverContext(
            identity: DeviceIdentity(id: "", driverID: "", modality: modality.modality, vendor: "", model: "",
                                     connectionPath: "", isSimulated: false),
            logger: logger, seed: 1, faultPlan: plan, settings: ProcessInfo.processInfo.environment
                .filter { $0.key.hasPrefix("BIOCAPTURE_") })
        let built = await station.makeDevices(inventory, template: template)
        let candidates = built.devices
            .filter { $0.identity.modality == modality.modality && (deviceID == nil || $0.identity.id == deviceID) }
            .sorted { !$0.identity.isSimulated && $1.identity.isSimulated }
        guard let chosen = candidates.first else {
            if let failure = built.failures.first(where: { $0.identity.modality == modality.modality }) {
                report(failure.fault, language)
                await station.close()
                throw CLIExitStatus.failure
            }
            printError(CaptureText.noDevice(modality.rawValue, deviceID))
            await station.close()
            throw ExitCode(4)
        }
        let outcome: Result<Bool, any Error>
        do {
            try await chosen.device.open()
            outcome = .success(try await captureAndWrite(chosen.device, language: language))
        } catch {
            outcome = .failure(error)
        }
        await chosen.device.close()
        await station.close()
        switch outcome {
        case .success(true):
            print(CaptureText.wrote(output, device: chosen.identity.id))
        case .success(false):
            throw ExitCode(2)
        case .failure(let exit as ExitCode):
            throw exit
        case .failure(let error):
            let fault = CaptureFault.classify(error, device: chosen.identity)
            report(fault, language)
            throw fault.domain == .operator ? ExitCode(2) : CLIExitStatus.failure
        }
    }

    private func report(_ fault: CaptureFault, _ language: MessageLanguage) {
        printError("\(fault.localizedMessage(language)) [\(fault.domain.rawValue)/\(fault.code.rawValue)]")
        printError(fault.localizedRemedy(language))
    }

    /// Captures once and writes the file; false when the subject must present again.
    private func captureAndWrite(_ device: any CaptureDevice, language: MessageLanguage) async throws -> Bool {
        let deadline = Duration.seconds(timeout)
        func retry(_ reason: RetryReason) -> Bool {
            printError(reason.message[language])
            return false
        }
        switch (modality, device) {
        case (.fingerprint, let scanner as any FingerprintScanner):
            let position = FingerPosition(rawValue: finger) ?? .rightIndex
            switch try await scanner.captureFingerprint(FingerprintCaptureRequest(position: position, deadline: deadline)) {
            case .captured(let sample): try write(.gray(sample.image))
            case .retry(let reason): return retry(reason)
            }
        case (.iris, let camera as any IrisCamera):
            let label: EyeLabel = eye == "left" ? .left : eye == "both" ? .both : .right
            switch try await camera.captureIris(IrisCaptureRequest(eye: label, deadline: deadline)) {
            case .captured(let samples):
                guard let first = samples.first else { return false }
                try write(.gray(first.image))
                if samples.count > 1 {
                    for sample in samples.dropFirst() {
                        try write(.gray(sample.image), to: Self.sibling(output, suffix: sample.eye == .left ? "left" : "right"))
                    }
                }
            case .retry(let reason): return retry(reason)
            }
        case (.face, let webcam as any Webcam):
            switch try await webcam.captureFace(FaceCaptureRequest(deadline: deadline)) {
            case .captured(let sample): try write(.rgb(sample.image))
            case .retry(let reason): return retry(reason)
            }
        case (.signature, let pad as any SignaturePad):
            switch try await pad.captureSignature(SignatureCaptureRequest(deadline: deadline)) {
            case .captured(let sample):
                if output.lowercased().hasSuffix(".json") {
                    try writeData(try SignatureTimeSeries(sample: sample).encodeJSON(pretty: true), to: output)
                } else {
                    let picture = try SignatureRenderer.render(sample.points, areaWidth: sample.areaWidth,
                                                               areaHeight: sample.areaHeight)
                    try write(.gray(picture))
                    try writeData(try SignatureTimeSeries(sample: sample).encodeJSON(pretty: true),
                                  to: Self.replacingExtension(output, with: "json"))
                }
            case .retry(let reason): return retry(reason)
            }
        default:
            throw CaptureFault(.apiMisuse, message: "Device \(device.identity.id) is not a \(modality.rawValue) device.")
        }
        return true
    }

    private func write(_ image: DecodedImage, to path: String? = nil) throws {
        do {
            try ImageFile.write(image, to: path ?? output)
        } catch {
            printError(CaptureText.cannotWrite(path ?? output, "\(error)"))
            throw CLIExitStatus.cannotCreate
        }
    }

    private func writeData(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            printError(CaptureText.cannotWrite(path, "not writable"))
            throw CLIExitStatus.cannotCreate
        }
    }

    static func sibling(_ path: String, suffix: String) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(suffix).\(url.pathExtension)").path
    }

    static func replacingExtension(_ path: String, with newExtension: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension(newExtension).path
    }
}

enum CaptureText {
    static func noDevice(_ modality: String, _ id: String?) -> String {
        if let id { return "No \(modality) device with id '\(id)'. List them with `biocapture devices --simulated`." }
        return "No \(modality) device found. Plug one in, or add --simulated for the simulated one."
    }
    static func wrote(_ path: String, device: String) -> String { "wrote \(path) (from \(device))" }
    static func cannotWrite(_ path: String, _ reason: String) -> String { "cannot write \(path): \(reason)" }
}
