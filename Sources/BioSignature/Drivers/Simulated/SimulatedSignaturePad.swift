import BioCapture
import Foundation

/// `sim-signature`: a signature pad (STU-430-like: 96×60 mm, 200 reports/s) with a synthetic
/// signer. The signature is checked as a real one is: a poor one comes back as a retry reason
/// for the operator, not as a fault.
///
/// Settings: `latency-ms` (time the signer takes, default 1500), `condition` (`good`, or a
/// `DefectiveSignatureKind`: `empty`, `dot`, `lifted-too-early`, `scribble`, `pressure-stuck-at-zero`,
/// `pressure-stuck-at-full`, `too-small`, `runs-off-edge`). Fault kinds: `sensor-defect` is a pen
/// the pad no longer detects, `corrupt-frame` a malformed pen report; the rest as every simulator.
public actor SimulatedSignaturePad: SignaturePad {
    public static let driverID = "sim-signature"

    public static let driver = DriverDescriptor(
        id: driverID, name: "Simulated signature pad", modality: .signature,
        binding: .simulated({ context in SimulatedSignaturePad(context: context) }))

    public nonisolated let identity: DeviceIdentity
    private let runtime: SimulatedDeviceRuntime
    private let generator: SyntheticSignatureGenerator
    private let checker: SignatureChecker
    private let pad: SignaturePadProfile
    private let signer: UInt64
    private let condition: DefectiveSignatureKind?

    public init(context: DriverContext, pad: SignaturePadProfile = .stu430) {
        identity = context.simulatedIdentity(defaultID: Self.driverID, serialPrefix: "SIMPAD")
        self.pad = pad
        runtime = SimulatedDeviceRuntime(identity: self.identity, context: context, defaultLatency: .milliseconds(1500))
        generator = SyntheticSignatureGenerator(pad: pad)
        checker = SignatureChecker(logger: context.logger)
        signer = context.seed
        condition = context.settings["condition"].flatMap { text in
            DefectiveSignatureKind.allCases.first { $0.settingName == text }
        }
    }

    public var status: DeviceStatus { get async { await runtime.status } }
    public nonisolated var events: AsyncStream<DeviceEvent> { runtime.events }
    public func open() async throws { try await runtime.open() }
    public func close() async { await runtime.close() }

    private func penNotDetected() -> CaptureFault {
        CaptureFault(.sensorDefect, message: "The pad does not detect the pen (no pen reports).", device: identity)
    }

    public func captureSignature(_ request: SignatureCaptureRequest) async throws -> CaptureOutcome<SignatureSample> {
        let damage = try await runtime.begin(phase: "capture")
        if damage == .sensorDefect { throw penNotDetected() }
        try await runtime.clock.withDeadline(request.deadline, fault: CaptureFault(.noSubject, device: identity)) {
            try await self.runtime.work()
        }
        if damage == .corruptFrame {
            throw await runtime.corruptFrameFault(detail: "pen report with an impossible length")
        }
        let points = condition.map { generator.defective($0, seed: signer &+ UInt64(request.attempt)) }
            ?? generator.signature(signer: signer, attempt: request.attempt)
        await runtime.emit(.penDown)
        await runtime.emit(.penUp)
        let report = checker.check(points, areaWidth: pad.areaWidth, areaHeight: pad.areaHeight)
        if let issue = report.primaryIssue { return .retry(issue.retryReason) }
        let metadata = CaptureMetadata(device: identity, attempt: request.attempt,
                                       capturedAt: runtime.clock.wallClock(), quality: 100)
        return .captured(SignatureSample(points: points, areaWidth: pad.areaWidth, areaHeight: pad.areaHeight,
                                         metadata: metadata))
    }

    public func selfTest() async -> SelfTestResult {
        var steps = [SelfTestStep(.identity, .passed,
                                  detail: LocalizedText(en: "\(identity.vendor) \(identity.model), \(pad.model) geometry, firmware \(identity.firmwareVersion ?? "?")", id: "\(identity.vendor) \(identity.model), ukuran \(pad.model), firmware \(identity.firmwareVersion ?? "?")"))]
        do {
            let damage = try await runtime.begin(phase: "sensor")
            if damage == .sensorDefect {
                let fault = penNotDetected()
                steps.append(SelfTestStep(.sensor, .failed, detail: LocalizedText(en: "0 pen reports/s while the pen hovered", id: "0 laporan pena/detik saat pena di atas layar"), fault: fault,
                                          measurements: ["penReportsPerSecond": 0]))
                return SelfTestResult(device: identity, steps: steps)
            }
            if damage == .corruptFrame {
                let fault = await runtime.corruptFrameFault(detail: "malformed pen reports")
                steps.append(SelfTestStep(.sensor, .failed, detail: LocalizedText(en: "malformed pen reports", id: "laporan pena rusak"), fault: fault))
                return SelfTestResult(device: identity, steps: steps)
            }
            steps.append(SelfTestStep(
                .sensor, .passed,
                detail: LocalizedText(
                    en: String(format: "%.0f pen reports/s, coordinates within 0–%.0f × 0–%.0f mm; screen cleared and acknowledged",
                               pad.reportRate, pad.areaWidth, pad.areaHeight),
                    id: String(format: "%.0f laporan pena/detik, koordinat dalam 0–%.0f × 0–%.0f mm; layar dibersihkan dan dikonfirmasi",
                               pad.reportRate, pad.areaWidth, pad.areaHeight)),
                measurements: ["penReportsPerSecond": pad.reportRate]))
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            steps.append(SelfTestStep.failed(.sensor, fault))
            return SelfTestResult(device: identity, steps: steps)
        }
        do {
            switch try await captureSignature(SignatureCaptureRequest(deadline: .seconds(30))) {
            case .captured(let sample):
                steps.append(SelfTestStep(.capture, .passed, detail: LocalizedText(en: "\(sample.points.count) pen reports", id: "\(sample.points.count) laporan pena")))
                steps.append(SelfTestStep(.quality, .passed, detail: LocalizedText(en: "signature checks passed", id: "pemeriksaan tanda tangan lulus"),
                                          measurements: ["quality": 100]))
                if let picture = try? SignatureRenderer.render(
                    sample.points, areaWidth: sample.areaWidth, areaHeight: sample.areaHeight,
                    options: SignatureRenderOptions(resolution: .dotsPerInch(150)))
                {
                    return SelfTestResult(device: identity, steps: steps, images: ["signature": picture])
                }
            case .retry(let reason):
                steps.append(SelfTestStep(.capture, .passed, detail: LocalizedText(en: "captured", id: "terekam")))
                steps.append(SelfTestStep(.quality, .warning, detail: reason.message.en))
            }
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            steps.append(SelfTestStep.failed(.capture, fault))
        }
        return SelfTestResult(device: identity, steps: steps)
    }
}

extension DefectiveSignatureKind {
    /// The kebab-case name used in settings ("lifted-too-early").
    public var settingName: String {
        var text = ""
        for character in rawValue {
            if character.isUppercase {
                text += "-" + character.lowercased()
            } else {
                text.append(character)
            }
        }
        return text
    }
}
