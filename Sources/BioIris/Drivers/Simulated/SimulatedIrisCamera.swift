import BioCapture
import Foundation

/// `sim-iris`: a near-infrared iris camera (640×480, 8-bit) with a synthetic subject whose
/// irises are stable per seed and eye. Each capture is a new frame with natural variation;
/// its ISO/IEC 29794-6 quality is measured as a real frame's would be, and poor presentations
/// come back as the operator's retry reasons.
///
/// Settings: `latency-ms` (default 500), `condition` (`good`, `eyes-closed`, `off-angle`,
/// `blurred`, `far`, `glasses`, `dilated`). Fault kinds: `sensor-defect` is an illuminator that
/// stays dark (hardware `illuminator-dark`), `corrupt-frame` a damaged frame; the rest as every
/// simulator.
public actor SimulatedIrisCamera: IrisCamera {
    public static let driverID = "sim-iris"

    public static let driver = DriverDescriptor(
        id: driverID, name: "Simulated iris camera", modality: .iris,
        binding: .simulated({ context in SimulatedIrisCamera(context: context) }))

    public nonisolated let identity: DeviceIdentity
    private let runtime: SimulatedDeviceRuntime
    private let assessor: IrisQualityAssessor
    private let subject: UInt64
    private let condition: String
    private var frameCounter: UInt64 = 0

    public init(context: DriverContext) {
        identity = context.simulatedIdentity(defaultID: Self.driverID, serialPrefix: "SIMIRIS")
        runtime = SimulatedDeviceRuntime(identity: self.identity, context: context, defaultLatency: .milliseconds(500))
        assessor = IrisQualityAssessor()
        subject = context.seed
        condition = context.settings["condition"] ?? "good"
    }

    public var status: DeviceStatus { get async { await runtime.status } }
    public nonisolated var events: AsyncStream<DeviceEvent> { runtime.events }
    public func open() async throws { try await runtime.open() }
    public func close() async { await runtime.close() }

    private func parameters(eye: EyeLabel, attempt: Int, illuminated: Bool) -> SyntheticEyeParameters {
        frameCounter += 1
        var random = SeededRandom(seed: subject &+ UInt64(eye.rawValue) &* 977 &+ UInt64(attempt) &* 31 &+ frameCounter)
        var parameters = SyntheticEyeParameters(
            identitySeed: subject &+ UInt64(eye.rawValue), captureSeed: frameCounter,
            irisRadius: 118 + random.gaussian(deviation: 4),
            pupilToIrisRatio: min(0.55, max(0.3, random.gaussian(mean: 0.4, deviation: 0.03))),
            centerOffsetX: random.gaussian(deviation: 6), centerOffsetY: random.gaussian(deviation: 5))
        switch condition {
        case "eyes-closed": parameters.upperEyelidCover = 0.95
        case "off-angle": parameters.gazeYawDegrees = 30
        case "blurred": parameters.defocusSigma = 5
        case "far": parameters.irisRadius = 55
        case "glasses": parameters.glassesReflections = true
        case "dilated": parameters.pupilToIrisRatio = 0.78
        default: break
        }
        if !illuminated { parameters.illumination = 0.08 }
        return parameters
    }

    public func captureIris(_ request: IrisCaptureRequest) async throws -> CaptureOutcome<[IrisSample]> {
        let damage = try await runtime.begin(phase: "capture")
        try await runtime.clock.withDeadline(request.deadline, fault: CaptureFault(.noSubject, device: identity)) {
            try await self.runtime.work()
        }
        if damage == .sensorDefect {
            throw CaptureFault(.illuminatorDark, device: identity)
        }
        if damage == .corruptFrame {
            throw await runtime.corruptFrameFault(detail: "frame shorter than 640×480")
        }
        let eyes: [EyeLabel] = request.eye == .both ? [.right, .left] : [request.eye == .unknown ? .right : request.eye]
        var samples: [IrisSample] = []
        for eye in eyes {
            let frame = SyntheticEyeGenerator.generate(parameters(eye: eye, attempt: request.attempt, illuminated: true))
            let report = assessor.assess(frame.image)
            await runtime.emit(.previewFrame(frame.image, quality: report.score))
            if !report.acceptable, report.score < 60, let reason = report.retryReasons.first {
                return .retry(RetryReason(code: reason.rawValue, english: reason.english, indonesian: reason.indonesian))
            }
            samples.append(IrisSample(
                image: frame.image, eye: eye, imageKind: .uncropped,
                metadata: CaptureMetadata(device: identity, attempt: request.attempt,
                                          capturedAt: runtime.clock.wallClock(), quality: report.score)))
        }
        return .captured(samples)
    }

    public func selfTest() async -> SelfTestResult {
        var steps = [SelfTestStep(.identity, .passed,
                                  detail: LocalizedText(en: "\(identity.vendor) \(identity.model), NIR 640×480, firmware \(identity.firmwareVersion ?? "?")", id: "\(identity.vendor) \(identity.model), inframerah 640×480, firmware \(identity.firmwareVersion ?? "?")"))]
        var images: [String: GrayImage] = [:]
        // Illuminator: frame brightness with the LEDs on and off must differ clearly.
        do {
            let damage = try await runtime.begin(phase: "sensor")
            if damage == .corruptFrame {
                let fault = await runtime.corruptFrameFault(detail: "error frames in the stream")
                steps.append(SelfTestStep(.sensor, .failed, detail: LocalizedText(en: "error frames in the stream", id: "ada frame rusak dalam aliran video"), fault: fault))
                return SelfTestResult(device: identity, steps: steps)
            }
            let dark = SyntheticEyeGenerator.generate(parameters(eye: .right, attempt: 0, illuminated: false)).image.mean
            let lit = SyntheticEyeGenerator.generate(
                parameters(eye: .right, attempt: 0, illuminated: damage != .sensorDefect)).image.mean
            let measurements = ["meanLEDsOff": dark, "meanLEDsOn": lit]
            if lit - dark < 25 {
                let fault = CaptureFault(.illuminatorDark, device: identity)
                steps.append(SelfTestStep(.sensor, .failed,
                                          detail: LocalizedText(en: String(format: "illuminator: mean %.0f with LEDs on vs %.0f off", lit, dark), id: String(format: "lampu inframerah: rata-rata %.0f saat menyala vs %.0f saat mati", lit, dark)),
                                          fault: fault, measurements: measurements))
                return SelfTestResult(device: identity, steps: steps)
            }
            steps.append(SelfTestStep(.sensor, .passed,
                                      detail: LocalizedText(en: String(format: "illuminator works: mean %.0f with LEDs on vs %.0f off; no error frames", lit, dark), id: String(format: "lampu inframerah berfungsi: rata-rata %.0f saat menyala vs %.0f saat mati; tanpa frame rusak", lit, dark)),
                                      measurements: measurements))
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            steps.append(SelfTestStep.failed(.sensor, fault))
            return SelfTestResult(device: identity, steps: steps)
        }
        do {
            switch try await captureIris(IrisCaptureRequest(eye: .right, deadline: .seconds(20))) {
            case .captured(let samples):
                let score = samples.first?.metadata.quality ?? 0
                if let image = samples.first?.image {
                    // The report shows the boundaries segmentation found, drawn on the frame.
                    let found = assessor.assess(image).segmentation.segmentation
                    images["iris with segmentation"] = found.map { SegmentationOverlay.draw($0, on: image) } ?? image
                }
                steps.append(SelfTestStep(.capture, .passed, detail: LocalizedText(en: "right eye, 640×480 NIR", id: "mata kanan, inframerah 640×480")))
                steps.append(SelfTestStep(.quality, score >= 60 ? .passed : .warning, detail: LocalizedText(en: "ISO/IEC 29794-6 score \(score)", id: "skor ISO/IEC 29794-6: \(score)"),
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
