/// The rungs of the diagnostic ladder, in order. A device's ladder stops at the first failed step.
public enum SelfTestStepID: String, Sendable, Hashable, Codable, CaseIterable {
    case found, permissions, kernelDriver = "kernel-driver", open, identity, sensor, capture, quality
}

/// What one rung found.
public struct SelfTestStep: Sendable, Encodable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed, warning, failed, skipped
    }

    public var id: SelfTestStepID
    public var outcome: Outcome
    /// A short line for a person ("3 dead rows", "14.8 frames/s"), in English.
    public var detail: String
    /// The same line in every supported language, when the driver gives it.
    public var localizedDetail: LocalizedText?
    public var fault: CaptureFault?
    /// Numbers behind the verdict, for the report and for scripts.
    public var measurements: [String: Double]

    public init(_ id: SelfTestStepID, _ outcome: Outcome, detail: String = "", fault: CaptureFault? = nil,
                measurements: [String: Double] = [:]) {
        self.id = id
        self.outcome = outcome
        self.detail = detail
        self.localizedDetail = nil
        self.fault = fault
        self.measurements = measurements
    }
}

extension SelfTestStep {
    /// A step whose detail is given in every language.
    public init(_ id: SelfTestStepID, _ outcome: Outcome, detail: LocalizedText, fault: CaptureFault? = nil,
                measurements: [String: Double] = [:]) {
        self.init(id, outcome, detail: detail.english, fault: fault, measurements: measurements)
        localizedDetail = detail
    }

    /// A failed rung whose detail is the fault's own message, in every language.
    public static func failed(_ id: SelfTestStepID, _ fault: CaptureFault, measurements: [String: Double] = [:]) -> SelfTestStep {
        SelfTestStep(id, .failed,
                     detail: LocalizedText(en: fault.localizedMessage(.english), id: fault.localizedMessage(.indonesian)),
                     fault: fault, measurements: measurements)
    }

    /// The detail in `language` (English when the driver gave only English).
    public func detail(in language: MessageLanguage) -> String {
        localizedDetail?[language] ?? detail
    }
}

/// A device's self-test: its steps and the verdict they add up to.
public struct SelfTestResult: Sendable {
    public enum Verdict: String, Sendable, Hashable, Codable {
        case pass, degraded, fail
    }

    public var device: DeviceIdentity
    public var steps: [SelfTestStep]
    /// Images the test captured (blank frame, sample), keyed by a short name, for the report.
    public var images: [String: GrayImage]

    public init(device: DeviceIdentity, steps: [SelfTestStep], images: [String: GrayImage] = [:]) {
        self.device = device
        self.steps = steps
        self.images = images
    }

    public var verdict: Verdict {
        if steps.contains(where: { $0.outcome == .failed }) { return .fail }
        if steps.contains(where: { $0.outcome == .warning }) { return .degraded }
        return .pass
    }

    public var faults: [CaptureFault] { steps.compactMap(\.fault) }

    /// The first failed step, where the ladder stopped.
    public var failedStep: SelfTestStepID? { steps.first { $0.outcome == .failed }?.id }
}
