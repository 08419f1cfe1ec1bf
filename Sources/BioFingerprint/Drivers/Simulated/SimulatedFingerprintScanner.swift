import BioCapture
import Foundation
import Logging

/// `sim-fingerprint`: a 500 ppi single-finger scanner with a synthetic subject. Each finger of
/// the subject (seed) has a stable master print; every capture is a new impression with natural
/// variation, and its quality is measured as a real capture's would be.
///
/// Settings: `latency-ms` (time until the finger is on and imaged, default 700), `condition`
/// (`good`, `dry`, `wet`, `partial`, `light`). Fault kinds: `sensor-defect` gives dead rows,
/// `corrupt-frame` a damaged image header; the rest as every simulator.
public actor SimulatedFingerprintScanner: FingerprintScanner {
    public static let driverID = "sim-fingerprint"

    public static let driver = DriverDescriptor(
        id: driverID, name: "Simulated fingerprint scanner", modality: .fingerprint,
        binding: .simulated({ context in SimulatedFingerprintScanner(context: context) }))

    public nonisolated let identity: DeviceIdentity
    private let runtime: SimulatedDeviceRuntime
    private let generator: SyntheticFingerprintGenerator
    private let quality: FingerprintQualityMeasure
    private let subject: UInt64
    private let condition: String
    private var masters: [FingerPosition: MasterFingerprint] = [:]
    private var noise: SeededRandom

    public init(context: DriverContext) {
        identity = context.simulatedIdentity(defaultID: Self.driverID, serialPrefix: "SIMFP")
        runtime = SimulatedDeviceRuntime(identity: self.identity, context: context, defaultLatency: .milliseconds(700))
        generator = SyntheticFingerprintGenerator(logger: context.logger)
        quality = FingerprintQualityMeasure(logger: context.logger)
        subject = context.seed
        condition = context.settings["condition"] ?? "good"
        noise = SeededRandom(seed: context.seed ^ 0xB1A4C)
    }

    public var status: DeviceStatus { get async { await runtime.status } }
    public nonisolated var events: AsyncStream<DeviceEvent> { runtime.events }
    public func open() async throws { try await runtime.open() }
    public func close() async { await runtime.close() }

    private func master(_ finger: FingerPosition) -> MasterFingerprint {
        if let known = masters[finger] { return known }
        let made = generator.master(identity: subject, finger: finger)
        masters[finger] = made
        return made
    }

    private func conditions(_ finger: FingerPosition, attempt: Int) -> ImpressionConditions {
        var conditions = ImpressionConditions.natural(seed: subject &+ UInt64(finger.rawValue), attempt: attempt)
        switch condition {
        case "dry": conditions.moisture = -0.85
        case "wet": conditions.moisture = 0.85
        case "partial": conditions.offsetX = 170
        case "light": conditions.pressure = 0.15
        default: break
        }
        return conditions
    }

    /// A frame with nothing on the platen: the background with sensor noise, and dead rows when
    /// the sensor is defective.
    private func blankFrame(defective: Bool) -> GrayImage {
        var image = GrayImage(width: generator.parameters.width, height: generator.parameters.height, filledWith: 0)
        for index in image.pixels.indices {
            image.pixels[index] = UInt8(clamping: Int(noise.gaussian(mean: 232, deviation: 3).rounded()))
        }
        if defective { damage(&image) }
        return image
    }

    private func damage(_ image: inout GrayImage) {
        for row in [image.height / 4, image.height / 2, image.height / 2 + 1] {
            for x in 0..<image.width { image.pixels[row * image.width + x] = 0 }
        }
    }

    public func captureFingerprint(_ request: FingerprintCaptureRequest) async throws -> CaptureOutcome<FingerprintSample> {
        let damage = try await runtime.begin(phase: "capture")
        await runtime.emit(.statusChanged(.busy))
        try await runtime.clock.withDeadline(request.deadline, fault: CaptureFault(.noSubject, device: identity)) {
            try await self.runtime.work()
        }
        await runtime.emit(.subjectPresent)
        if damage == .corruptFrame {
            throw await runtime.corruptFrameFault(detail: "image header announces 0 rows")
        }
        let finger = request.position == .unknown ? .rightIndex : request.position
        var image = generator.impression(of: master(finger), conditions: conditions(finger, attempt: request.attempt))
        if damage == .sensorDefect { self.damage(&image) }
        await runtime.emit(.subjectAbsent)
        let report = quality.assess(image)
        if report.feedback.contains(.empty) { return .retry(FingerprintFeedback.empty.retryReason) }
        if report.feedback.contains(.offCentre) || report.feedback.contains(.tooLittleArea),
           report.score < 40, let primary = report.feedback.first
        {
            return .retry(primary.retryReason)
        }
        return .captured(FingerprintSample(
            image: image, resolutionPPI: 500, position: finger,
            metadata: CaptureMetadata(device: identity, attempt: request.attempt,
                                      capturedAt: runtime.clock.wallClock(), quality: report.score)))
    }

    public func selfTest() async -> SelfTestResult {
        var steps = [SelfTestStep(.identity, .passed,
                                  detail: LocalizedText(en: "\(identity.vendor) \(identity.model), 500 ppi, firmware \(identity.firmwareVersion ?? "?")", id: "\(identity.vendor) \(identity.model), 500 ppi, firmware \(identity.firmwareVersion ?? "?")"))]
        var images: [String: GrayImage] = [:]
        do {
            let damage = try await runtime.begin(phase: "sensor")
            if damage == .corruptFrame {
                let fault = await runtime.corruptFrameFault(detail: "blank frame header announces 0 rows")
                steps.append(SelfTestStep(.sensor, .failed, detail: LocalizedText(en: "damaged blank frame", id: "bingkai kosong rusak"), fault: fault))
                return SelfTestResult(device: identity, steps: steps)
            }
            let blank = blankFrame(defective: damage == .sensorDefect)
            images["blank frame"] = blank
            let step = BlankFrameAnalysis(blank).sensorStep(device: identity)
            steps.append(step)
            if step.outcome == .failed { return SelfTestResult(device: identity, steps: steps, images: images) }
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            steps.append(SelfTestStep.failed(.sensor, fault))
            return SelfTestResult(device: identity, steps: steps, images: images)
        }
        do {
            switch try await captureFingerprint(FingerprintCaptureRequest(position: .rightIndex, deadline: .seconds(20))) {
            case .captured(let sample):
                images["fingerprint"] = sample.image
                steps.append(SelfTestStep(.capture, .passed, detail: LocalizedText(en: "right index finger, \(sample.image.width)×\(sample.image.height) at 500 ppi", id: "jari telunjuk kanan, \(sample.image.width)×\(sample.image.height) pada 500 ppi")))
                let score = sample.metadata.quality ?? 0
                steps.append(SelfTestStep(.quality, score >= 40 ? .passed : .warning, detail: LocalizedText(en: "NFIQ 2-style quality \(score)", id: "kualitas gaya NFIQ 2: \(score)"),
                                          measurements: ["quality": Double(score)]))
            case .retry(let reason):
                steps.append(SelfTestStep(.capture, .warning, detail: reason.message.en))
            }
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            steps.append(SelfTestStep.failed(.capture, fault))
        }
        return SelfTestResult(device: identity, steps: steps, images: images)
    }
}
