import BioCapture
import Foundation

/// `sim-webcam`: a webcam that films a synthetic subject. Frames come at a realistic rate, the
/// portrait is deterministic from the seed, the presentation can be made poor on purpose
/// (`condition` setting), and the shared fault vocabulary is acted out as a USB camera fails.
///
/// Settings (`DriverContext.settings`): `latency-ms` (time per capture, default 400),
/// `frame-interval-ms` (default 66, about 15 frames/s), `background` (`red`, `blue`, `white`),
/// `condition` (`good`, `dark`, `blurred`, `off-centre`, `tilted`, `eyes-closed`, `side-light`).
public actor SimulatedWebcam: Webcam {
    public static let driverID = "sim-webcam"

    public static let driver = DriverDescriptor(
        id: driverID, name: "Simulated webcam", modality: .face,
        binding: .simulated({ context in SimulatedWebcam(context: context) }))

    public nonisolated let identity: DeviceIdentity
    private let runtime: SimulatedDeviceRuntime
    private let generator: PortraitGenerator
    private let frameInterval: Duration
    private var parameters: PortraitParameters
    private var frameCounter: UInt64 = 0
    private let assess: @Sendable (RGBImage) -> Int?

    /// - Parameter assess: the portrait quality 0–100 the sample carries; by default the
    ///   portrait checks (`PortraitAssessor`) against the configured background, or none when the
    ///   face cascades (Debian's opencv-data) are not installed.
    public init(context: DriverContext, assess: (@Sendable (RGBImage) -> Int?)? = nil) {
        identity = context.simulatedIdentity(defaultID: Self.driverID, serialPrefix: "SIMCAM")
        runtime = SimulatedDeviceRuntime(identity: self.identity, context: context, defaultLatency: .milliseconds(400))
        generator = PortraitGenerator(identitySeed: context.seed)
        frameInterval = context.settings["frame-interval-ms"].flatMap(Int.init).map { .milliseconds($0) } ?? .milliseconds(66)
        let parameters = Self.parameters(for: context.settings)
        self.parameters = parameters
        if let assess {
            self.assess = assess
        } else if let localiser = try? FaceLocaliser(logger: context.logger) {
            let assessor = PortraitAssessor(policy: PortraitPolicy(background: parameters.background), localiser: localiser)
            self.assess = { assessor.assess($0).quality }
        } else {
            context.logger.warning("face cascades missing: portraits are not checked (install opencv-data)")
            self.assess = { _ in nil }
        }
    }

    static func parameters(for settings: [String: String]) -> PortraitParameters {
        var parameters = PortraitParameters()
        parameters.width = 640
        parameters.height = 480
        parameters.faceScale = 0.33
        if let background = settings["background"].flatMap(PortraitBackground.init(rawValue:)) {
            parameters.background = background
        }
        switch settings["condition"] {
        case "dark": parameters.exposure = 0.35
        case "blurred": parameters.blurSigma = 4
        case "off-centre": parameters.centerX = 0.25
        case "tilted": parameters.rollDegrees = 15
        case "eyes-closed": parameters.eyesOpen = false
        case "side-light": parameters.sideLight = 1
        default: break
        }
        return parameters
    }

    public var status: DeviceStatus { get async { await runtime.status } }
    public nonisolated var events: AsyncStream<DeviceEvent> { runtime.events }

    public func open() async throws { try await runtime.open() }
    public func close() async { await runtime.close() }

    /// One frame of the stream.
    private func frame() -> RGBImage {
        frameCounter += 1
        return generator.render(parameters, captureSeed: frameCounter).image
    }

    public func captureFace(_ request: FaceCaptureRequest) async throws -> CaptureOutcome<FaceSample> {
        let damage = try await runtime.begin(phase: "capture")
        try await runtime.clock.withDeadline(request.deadline, fault: CaptureFault(.noSubject, device: identity)) {
            try await self.runtime.work()
        }
        if damage == .sensorDefect {
            throw CaptureFault(.sensorDefect, device: identity)
        }
        if damage == .corruptFrame {
            throw await runtime.corruptFrameFault(detail: "MJPEG frame truncated before its end-of-image marker")
        }
        let image = frame()
        let quality = assess(image)
        await runtime.emit(.previewFrame(image.grayscale(), quality: quality))
        return .captured(FaceSample(image: image, metadata: CaptureMetadata(
            device: identity, attempt: request.attempt, capturedAt: runtime.clock.wallClock(), quality: quality)))
    }

    public func selfTest() async -> SelfTestResult {
        var steps = [SelfTestStep(.identity, .passed,
                                  detail: LocalizedText(en: "\(identity.vendor) \(identity.model), firmware \(identity.firmwareVersion ?? "?")", id: "\(identity.vendor) \(identity.model), firmware \(identity.firmwareVersion ?? "?")"))]
        // Sensor: stream a few frames, measure the rate and look for dead lines.
        do {
            let damage = try await runtime.begin(phase: "sensor")
            if damage == .sensorDefect {
                let fault = CaptureFault(.sensorDefect, device: identity)
                steps.append(SelfTestStep(.sensor, .failed, detail: LocalizedText(en: "dead lines in the camera sensor", id: "ada garis mati pada sensor kamera"), fault: fault))
                return SelfTestResult(device: identity, steps: steps)
            }
            if damage == .corruptFrame {
                let fault = await runtime.corruptFrameFault(detail: "error frames in the stream")
                steps.append(SelfTestStep(.sensor, .failed, detail: LocalizedText(en: "error frames in the stream", id: "ada frame rusak dalam aliran video"), fault: fault,
                                          measurements: ["errorFrames": 1]))
                return SelfTestResult(device: identity, steps: steps)
            }
            // The camera delivers a frame every interval; rendering the synthetic scene is the
            // simulator's own cost, not the camera's, so only the stream's pace is timed.
            let start = runtime.clock.now()
            let frames = 5
            for _ in 0..<frames {
                try await runtime.clock.sleep(for: frameInterval)
            }
            let elapsed = runtime.clock.now() - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = seconds > 0 ? Double(frames) / seconds : 0
            steps.append(SelfTestStep(.sensor, .passed, detail: LocalizedText(en: String(format: "%.1f frames/s, no error frames", rate), id: String(format: "%.1f frame/detik, tanpa frame rusak", rate)),
                                      measurements: ["framesPerSecond": rate, "errorFrames": 0]))
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            steps.append(SelfTestStep.failed(.sensor, fault))
            return SelfTestResult(device: identity, steps: steps)
        }
        // Capture and quality: the simulated subject is always in view.
        do {
            switch try await captureFace(FaceCaptureRequest(deadline: .seconds(10))) {
            case .captured(let sample):
                steps.append(SelfTestStep(.capture, .passed, detail: LocalizedText(en: "\(sample.image.width)×\(sample.image.height) portrait", id: "foto wajah \(sample.image.width)×\(sample.image.height)")))
                if let quality = sample.metadata.quality {
                    steps.append(SelfTestStep(.quality, quality >= 100 ? .passed : .warning,
                                              detail: quality >= 100 ? LocalizedText(en: "every portrait check passed", id: "semua pemeriksaan foto wajah lulus") : LocalizedText(en: "portrait quality \(quality)", id: "kualitas foto wajah \(quality)"),
                                              measurements: ["quality": Double(quality)]))
                }
                return SelfTestResult(device: identity, steps: steps, images: ["face": sample.image.grayscale()])
            case .retry(let reason):
                steps.append(SelfTestStep(.capture, .warning, detail: reason.message.en))
            }
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            steps.append(SelfTestStep.failed(.capture, fault))
        }
        return SelfTestResult(device: identity, steps: steps)
    }
}
