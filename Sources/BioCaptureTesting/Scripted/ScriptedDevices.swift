import BioCapture
import Foundation

/// What a scripted device does on one capture call.
public enum ScriptedCapture: Sendable {
    /// A sample with this quality (0–100).
    case sample(quality: Int)
    /// The presentation was not usable.
    case retry(code: String)
    /// The call fails with this fault.
    case fault(CaptureFault)
    /// The call waits until cancelled.
    case hang
}

/// Shared state of the scripted devices: a queue of outcomes, a fallback once it is empty, and a
/// record of what was asked. A test double in the spirit of swift-nio's `EmbeddedChannel`: no
/// timing, no randomness, every outcome chosen by the test.
public struct CaptureScript: Sendable {
    public var outcomes: [ScriptedCapture]
    public var fallback: ScriptedCapture

    public init(_ outcomes: [ScriptedCapture] = [], fallback: ScriptedCapture = .sample(quality: 90)) {
        self.outcomes = outcomes
        self.fallback = fallback
    }

    mutating func next() -> ScriptedCapture {
        outcomes.isEmpty ? fallback : outcomes.removeFirst()
    }
}

/// Builds the identity of a scripted device.
public func scriptedIdentity(_ modality: Modality, id: String? = nil) -> DeviceIdentity {
    DeviceIdentity(
        id: id ?? "scripted-\(modality.rawValue)", driverID: "scripted-\(modality.rawValue)", modality: modality,
        vendor: "BioCaptureTesting", model: "Scripted \(modality.rawValue) device", connectionPath: "scripted",
        isSimulated: true)
}

/// The behaviour every scripted device shares.
public actor ScriptedDeviceCore {
    public let identity: DeviceIdentity
    private var script: CaptureScript
    public private(set) var status: DeviceStatus = .notReady
    public private(set) var captureCalls = 0
    public private(set) var openCalls = 0
    private var openFault: CaptureFault?
    let eventStream: AsyncStream<DeviceEvent>
    private let eventContinuation: AsyncStream<DeviceEvent>.Continuation

    init(identity: DeviceIdentity, script: CaptureScript, openFault: CaptureFault?) {
        self.identity = identity
        self.script = script
        self.openFault = openFault
        (eventStream, eventContinuation) = AsyncStream.makeStream(of: DeviceEvent.self)
    }

    /// Replaces the outcomes still to come.
    public func setScript(_ script: CaptureScript) { self.script = script }
    /// Makes the next `open()` fail (nil: succeed).
    public func setOpenFault(_ fault: CaptureFault?) { openFault = fault }

    func open() throws {
        openCalls += 1
        if let openFault {
            status = .disconnected
            throw openFault
        }
        status = .ready
        eventContinuation.yield(.statusChanged(.ready))
    }

    func close() {
        status = .notReady
    }

    /// Runs one scripted capture and returns the quality of the sample to build, or the retry code.
    enum Step { case quality(Int), retry(RetryReason) }

    func capture() async throws -> Step {
        captureCalls += 1
        guard status == .ready else {
            throw CaptureFault(.apiMisuse, message: "capture before open", device: identity)
        }
        switch script.next() {
        case .sample(let quality):
            eventContinuation.yield(.subjectPresent)
            return .quality(quality)
        case .retry(let code):
            return .retry(RetryReason(code: code, english: "Scripted retry: \(code).", indonesian: "Ulangi (skrip): \(code)."))
        case .fault(let fault):
            if fault.code == .disconnected {
                status = .disconnected
                eventContinuation.yield(.removed)
            }
            throw fault.attributed(to: identity)
        case .hang:
            while true {
                try Task.checkCancellation()
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    /// Scripted self-test: identity passes; the sensor rung fails with `sensorFault` when set;
    /// capture and quality use the next scripted outcome.
    public private(set) var sensorFault: CaptureFault?
    public func setSensorFault(_ fault: CaptureFault?) { sensorFault = fault }

    func selfTest() async -> SelfTestResult {
        var steps = [SelfTestStep(.identity, .passed, detail: "\(identity.vendor) \(identity.model)")]
        if let sensorFault {
            steps.append(SelfTestStep(.sensor, .failed, detail: sensorFault.message, fault: sensorFault.attributed(to: identity)))
            return SelfTestResult(device: identity, steps: steps)
        }
        steps.append(SelfTestStep(.sensor, .passed, detail: "blank frame uniform"))
        do {
            switch try await capture() {
            case .quality(let quality):
                steps.append(SelfTestStep(.capture, .passed, detail: "captured"))
                steps.append(SelfTestStep(.quality, quality >= 40 ? .passed : .warning, detail: "quality \(quality)",
                                          measurements: ["quality": Double(quality)]))
            case .retry(let reason):
                steps.append(SelfTestStep(.capture, .skipped, detail: reason.message.en))
            }
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            steps.append(SelfTestStep(.capture, .failed, detail: fault.message, fault: fault))
        }
        return SelfTestResult(device: identity, steps: steps)
    }
}

/// What every scripted device forwards to its `ScriptedDeviceCore`.
public protocol ScriptedDevice: CaptureDevice {
    nonisolated var core: ScriptedDeviceCore { get }
}

extension ScriptedDevice {
    public var status: DeviceStatus { get async { await core.status } }
    public nonisolated var events: AsyncStream<DeviceEvent> { core.eventStream }
    public func open() async throws { try await core.open() }
    public func close() async { await core.close() }
    public func selfTest() async -> SelfTestResult { await core.selfTest() }
}

private func metadata(_ core: ScriptedDeviceCore, attempt: Int, quality: Int) -> CaptureMetadata {
    CaptureMetadata(device: core.identity, attempt: attempt, capturedAt: Date(), quality: quality)
}

/// A uniform test image whose grey level encodes the quality, so tests can tell samples apart.
private func image(quality: Int) -> GrayImage {
    GrayImage(width: 8, height: 8, filledWith: UInt8(clamping: quality))
}

public actor ScriptedFingerprintScanner: FingerprintScanner, ScriptedDevice {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let core: ScriptedDeviceCore
    public private(set) var requests: [FingerprintCaptureRequest] = []

    public init(id: String? = nil, script: CaptureScript = CaptureScript(), openFault: CaptureFault? = nil) {
        identity = scriptedIdentity(.fingerprint, id: id)
        core = ScriptedDeviceCore(identity: identity, script: script, openFault: openFault)
    }


    public func captureFingerprint(_ request: FingerprintCaptureRequest) async throws -> CaptureOutcome<FingerprintSample> {
        requests.append(request)
        switch try await core.capture() {
        case .quality(let quality):
            return .captured(FingerprintSample(
                image: image(quality: quality), resolutionPPI: 500, position: request.position,
                metadata: metadata(core, attempt: request.attempt, quality: quality)))
        case .retry(let reason):
            return .retry(reason)
        }
    }
}

public actor ScriptedIrisCamera: IrisCamera, ScriptedDevice {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let core: ScriptedDeviceCore
    public private(set) var requests: [IrisCaptureRequest] = []

    public init(id: String? = nil, script: CaptureScript = CaptureScript(), openFault: CaptureFault? = nil) {
        identity = scriptedIdentity(.iris, id: id)
        core = ScriptedDeviceCore(identity: identity, script: script, openFault: openFault)
    }


    public func captureIris(_ request: IrisCaptureRequest) async throws -> CaptureOutcome<[IrisSample]> {
        requests.append(request)
        switch try await core.capture() {
        case .quality(let quality):
            let eyes: [EyeLabel] = request.eye == .both ? [.right, .left] : [request.eye]
            return .captured(eyes.map { eye in
                IrisSample(image: image(quality: quality), eye: eye, imageKind: .uncropped,
                           metadata: metadata(core, attempt: request.attempt, quality: quality))
            })
        case .retry(let reason):
            return .retry(reason)
        }
    }
}

public actor ScriptedWebcam: Webcam, ScriptedDevice {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let core: ScriptedDeviceCore

    public init(id: String? = nil, script: CaptureScript = CaptureScript(), openFault: CaptureFault? = nil) {
        identity = scriptedIdentity(.face, id: id)
        core = ScriptedDeviceCore(identity: identity, script: script, openFault: openFault)
    }


    public func captureFace(_ request: FaceCaptureRequest) async throws -> CaptureOutcome<FaceSample> {
        switch try await core.capture() {
        case .quality(let quality):
            return .captured(FaceSample(image: image(quality: quality).rgb(),
                                        metadata: metadata(core, attempt: request.attempt, quality: quality)))
        case .retry(let reason):
            return .retry(reason)
        }
    }
}

public actor ScriptedSignaturePad: SignaturePad, ScriptedDevice {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let core: ScriptedDeviceCore

    public init(id: String? = nil, script: CaptureScript = CaptureScript(), openFault: CaptureFault? = nil) {
        identity = scriptedIdentity(.signature, id: id)
        core = ScriptedDeviceCore(identity: identity, script: script, openFault: openFault)
    }


    public func captureSignature(_ request: SignatureCaptureRequest) async throws -> CaptureOutcome<SignatureSample> {
        switch try await core.capture() {
        case .quality(let quality):
            let points = (0..<20).map { index in
                PenPoint(x: Double(index), y: Double(index % 5), pressure: 0.5, tipDown: true, inRange: true,
                         milliseconds: Double(index) * 5)
            }
            return .captured(SignatureSample(points: points, areaWidth: 96, areaHeight: 60,
                                             metadata: metadata(core, attempt: request.attempt, quality: quality)))
        case .retry(let reason):
            return .retry(reason)
        }
    }
}
