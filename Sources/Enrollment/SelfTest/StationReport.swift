import BioCapture
import Foundation

/// The self-test of a whole station, in the shape scripts read (`selftest --json`) and the HTML
/// report renders. Keys: `devices[].id`, `.modality`, `.simulated`, `.verdict`, `.steps[]`,
/// `.faults[].domain`, `.code`, `.message`, `.remedy`.
public struct StationReport: Sendable, Encodable {
    public struct Step: Sendable, Encodable {
        public var id: String
        public var name: String
        public var outcome: String
        public var detail: String
        public var measurements: [String: Double]
    }

    public struct Fault: Sendable, Encodable {
        public var step: String
        public var domain: String
        public var code: String
        public var message: String
        public var remedy: String
        public var isHardware: Bool
    }

    public struct Device: Sendable, Encodable {
        public var id: String
        public var modality: String
        public var simulated: Bool
        public var verdict: String
        public var driver: String
        public var vendor: String
        public var model: String
        public var serialNumber: String?
        public var firmwareVersion: String?
        public var connection: String
        public var failedStep: String?
        public var steps: [Step]
        public var faults: [Fault]
    }

    public struct Summary: Sendable, Encodable {
        public var devices: Int
        public var pass: Int
        public var degraded: Int
        public var fail: Int
    }

    public var tool = "biocapture"
    public var version = BioCaptureVersion.current
    public var language: String
    public var generatedAt: Date
    public var hostname: String
    public var summary: Summary
    public var devices: [Device]

    /// True when every device passed (the CLI's exit status 0).
    public var allPassed: Bool { summary.pass == summary.devices }

    public init(results: [SelfTestResult], language: MessageLanguage, generatedAt: Date, hostname: String) {
        self.language = language.rawValue
        self.generatedAt = generatedAt
        self.hostname = hostname
        devices = results.map { result in
            Device(
                id: result.device.id, modality: result.device.modality.rawValue, simulated: result.device.isSimulated,
                verdict: result.verdict.rawValue, driver: result.device.driverID, vendor: result.device.vendor,
                model: result.device.model, serialNumber: result.device.serialNumber,
                firmwareVersion: result.device.firmwareVersion, connection: result.device.connectionPath,
                failedStep: result.failedStep?.rawValue,
                steps: result.steps.map { step in
                    Step(id: step.id.rawValue, name: StationMessages.text(StationMessages.key(for: step.id), language),
                         outcome: step.outcome.rawValue, detail: step.detail(in: language), measurements: step.measurements)
                },
                faults: result.steps.compactMap { step in
                    step.fault.map { fault in
                        Fault(step: step.id.rawValue, domain: fault.domain.rawValue, code: fault.code.rawValue,
                              message: fault.localizedMessage(language), remedy: fault.localizedRemedy(language),
                              isHardware: fault.isHardware)
                    }
                })
        }
        summary = Summary(
            devices: results.count,
            pass: results.filter { $0.verdict == .pass }.count,
            degraded: results.filter { $0.verdict == .degraded }.count,
            fail: results.filter { $0.verdict == .fail }.count)
    }

    /// The report as JSON (sorted keys, ISO 8601 dates).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}
