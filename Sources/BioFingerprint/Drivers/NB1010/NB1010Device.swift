import BioCapture
import Foundation
import Logging

/// A NEXT Biometrics NB-1010-U on a USB transport.
///
/// The sensor has no power-up sequence of its own: opening claims interface 0, and the first
/// command answered after that is what shows the device is up (a device that never answers it
/// is reported as `power-up-failed`). Capture polls the finger value every `poll-ms` until a
/// finger is on or the request's deadline passes (an operator outcome), then reads the image as
/// 90 two-row pieces. Transfers are strictly one at a time: the device is only ever driven that
/// way, and ioctl-tree replays allow nothing else.
public actor NB1010Device: FingerprintScanner {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let events: AsyncStream<DeviceEvent>

    private let transport: any USBTransport
    private let logger: Logger
    private let clock: any CaptureClock
    private let eventSink: AsyncStream<DeviceEvent>.Continuation
    private let quality: FingerprintQualityMeasure
    private let resolutionPPI: Int
    private let fingerThreshold: UInt8
    private let pollInterval: Duration
    /// Per-transfer timeout (the known host software uses 500 ms).
    private let transferTimeout: Duration

    private var isOpen = false
    private var isBusy = false
    /// True from open until the device answered its first command.
    private var awaitingFirstAnswer = false
    /// True after a capture ended mid-exchange: the device may still hold a response or image
    /// frames meant for it, which would be taken for the next command's answer.
    private var mayHoldStaleData = false
    private var state: DeviceStatus = .notReady

    public init(transport: any USBTransport, context: DriverContext, transferTimeout: Duration = .milliseconds(500)) {
        var identity = context.identity
        if identity.firmwareVersion == nil {
            // The device reports no firmware string we can read; bcdDevice is its release number.
            identity.firmwareVersion = "bcdDevice \(transport.descriptors.device.deviceVersion)"
        }
        identity.vendorID = transport.descriptors.device.vendorID
        identity.productID = transport.descriptors.device.productID
        self.identity = identity
        self.transport = transport
        logger = context.logger
        clock = context.clock
        quality = FingerprintQualityMeasure(logger: context.logger)
        resolutionPPI = context.quirks.integer("ppi").flatMap { (100...2000).contains($0) ? $0 : nil } ?? 500
        fingerThreshold = context.quirks.integer("finger-threshold").flatMap { UInt8(exactly: $0) }
            ?? NB1010Protocol.defaultFingerThreshold
        pollInterval = .milliseconds(context.quirks.integer("poll-ms").flatMap { (1...1000).contains($0) ? $0 : nil } ?? 50)
        self.transferTimeout = transferTimeout
        (events, eventSink) = AsyncStream.makeStream(of: DeviceEvent.self)
    }

    public var status: DeviceStatus { state }

    private func setStatus(_ status: DeviceStatus) {
        guard status != state else { return }
        state = status
        eventSink.yield(.statusChanged(status))
    }

    public func open() async throws {
        guard !isOpen else { return }
        do {
            try await transport.open()
            try await transport.claimInterface(NB1010Protocol.interfaceNumber)
        } catch {
            await transport.close()
            let fault = classify(error, during: "open")
            setStatus(fault.code == .disconnected ? .disconnected : .notReady)
            throw fault
        }
        isOpen = true
        awaitingFirstAnswer = true
        setStatus(.ready)
        logger.debug("NB-1010 opened", metadata: ["device": "\(identity.id)"])
    }

    public func close() async {
        guard isOpen else {
            eventSink.finish()
            return
        }
        isOpen = false
        do {
            try await transport.releaseInterface(NB1010Protocol.interfaceNumber)
        } catch {
            logger.debug("release on close failed", metadata: ["error": "\(error)"])
        }
        await transport.close()
        setStatus(.notReady)
        eventSink.finish()
    }

    // MARK: Capture

    public func captureFingerprint(_ request: FingerprintCaptureRequest) async throws -> CaptureOutcome<FingerprintSample> {
        guard isOpen else { throw CaptureFault(.apiMisuse, message: "Open the scanner before capturing.", device: identity) }
        guard !isBusy else { throw CaptureFault(.apiMisuse, message: "A capture is already running on this scanner.", device: identity) }
        isBusy = true
        setStatus(.busy)
        defer { isBusy = false }
        do {
            if mayHoldStaleData { try await drainStaleData() }
            try await waitForFinger(deadline: request.deadline)
            eventSink.yield(.subjectPresent)
            let image = try await readImage()
            // The sensor has no finger-off report; the image read is the end of the presentation.
            eventSink.yield(.subjectAbsent)
            setStatus(.ready)
            return try judge(image, request: request)
        } catch {
            let fault = classify(error, during: "capture")
            // Only a clean "no finger" ends between exchanges; anything else may leave data behind.
            if fault.code != .noSubject { mayHoldStaleData = true }
            setStatus(fault.code == .disconnected ? .disconnected : (fault.isHardware ? .notReady : .ready))
            if fault.isHardware { eventSink.yield(.fault(fault)) }
            throw fault
        }
    }

    /// Reads and discards whatever an interrupted capture left in the device (at most one
    /// image's worth), until a read times out.
    private func drainStaleData() async throws {
        var discarded = 0
        for _ in 0...(NB1010Protocol.frameCount + 2) {
            do {
                let bytes = try await transport.bulkIn(endpoint: NB1010Protocol.responseEndpoint, length: NB1010Protocol.frameLength,
                                                       timeout: .milliseconds(50))
                discarded += 1
                if bytes.isEmpty { break }
            } catch let error as TransportError where error.kind == .timeout {
                break
            } catch let error as TransportError where error.kind == .noDevice || error.kind == .cancelled {
                throw error
            } catch {
                logger.debug("drain read failed", metadata: ["error": "\(error)"])
                break
            }
        }
        if discarded > 0 { logger.debug("discarded stale reads", metadata: ["reads": "\(discarded)"]) }
        mayHoldStaleData = false
    }

    /// Polls the finger value until it passes the threshold; no finger by the deadline is the
    /// operator's `no-subject`.
    private func waitForFinger(deadline: Duration) async throws {
        let start = clock.now()
        var checks = 0
        while true {
            try Task.checkCancellation()
            let value = try await fingerValue()
            checks += 1
            if value > fingerThreshold {
                logger.debug("finger present", metadata: ["value": "\(value)", "checks": "\(checks)"])
                return
            }
            let elapsed = clock.now() - start
            guard elapsed < deadline else {
                logger.debug("no finger before the deadline", metadata: ["checks": "\(checks)"])
                throw CaptureFault(.noSubject, device: identity)
            }
            try await clock.sleep(for: min(pollInterval, deadline - elapsed))
        }
    }

    /// One finger check.
    private func fingerValue() async throws -> UInt8 {
        let response = try await exchange(.fingerCheck)
        return try decode { () throws(NB1010Protocol.DecodeError) in try NB1010Protocol.fingerValue(response) }
    }

    /// Pre-capture, capture, then the 90 image reads.
    private func readImage() async throws -> GrayImage {
        for command in [NB1010Protocol.Command.preCapture, .capture] {
            let response = try await exchange(command)
            _ = try decode { () throws(NB1010Protocol.DecodeError) in try NB1010Protocol.decodeResponse(response, to: command) }
        }
        var assembler = NB1010ImageAssembler()
        while !assembler.isComplete {
            let frame = try await transfer("image frame \(assembler.framesReceived)") {
                try await self.transport.bulkIn(endpoint: NB1010Protocol.responseEndpoint, length: NB1010Protocol.frameLength,
                                                timeout: self.transferTimeout)
            }
            try decode { () throws(NB1010Protocol.DecodeError) in try assembler.add(frame) }
        }
        return try decode { () throws(NB1010Protocol.DecodeError) in try assembler.image() }
    }

    /// Sends a command and reads its 16-byte response.
    private func exchange(_ command: NB1010Protocol.Command) async throws -> [UInt8] {
        let name = "command 0x\(String(command.code, radix: 16))"
        let bytes = command.bytes
        let written = try await transfer(name) {
            try await self.transport.bulkOut(endpoint: NB1010Protocol.commandEndpoint, data: bytes, timeout: self.transferTimeout)
        }
        guard written == bytes.count else {
            throw CaptureFault(.protocolError, underlying: NB1010Finding("the scanner took \(written) of \(bytes.count) bytes of \(name)"),
                               device: identity)
        }
        let response = try await transfer("response to \(name)") {
            try await self.transport.bulkIn(endpoint: NB1010Protocol.responseEndpoint, length: NB1010Protocol.responseLength,
                                            timeout: self.transferTimeout)
        }
        awaitingFirstAnswer = false
        return response
    }

    /// Runs one transfer and classifies its failure at the driver boundary.
    private func transfer<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as TransportError {
            if error.kind == .timeout, awaitingFirstAnswer {
                // The catalogue's words stay (they are translated); the detail goes underneath.
                throw CaptureFault(.powerUpFailed, underlying: TransportError(error.kind, operation: what, detail: error.description),
                                   device: identity)
            }
            throw CaptureFault(transport: TransportError(error.kind, operation: what, detail: error.description), device: identity)
        }
    }

    /// Turns a decode error into the hardware fault it stands for.
    private func decode<T>(_ body: () throws(NB1010Protocol.DecodeError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            let code: FaultCode = error.isShort ? .shortFrame : .corruptFrame
            throw CaptureFault(code, underlying: error, device: identity)
        }
    }

    /// Hardware suspicion first (a sensor that returns the same row everywhere), then quality.
    private func judge(_ image: GrayImage, request: FingerprintCaptureRequest) throws -> CaptureOutcome<FingerprintSample> {
        if Self.allRowsIdentical(image) {
            throw CaptureFault(.sensorDefect,
                               underlying: NB1010Finding("finger reported but all \(image.height) image rows are identical"),
                               device: identity)
        }
        let report = quality.assess(image)
        if report.feedback.contains(.empty) { return .retry(FingerprintFeedback.empty.retryReason) }
        return .captured(FingerprintSample(
            image: image, resolutionPPI: resolutionPPI, position: request.position,
            metadata: CaptureMetadata(device: identity, attempt: request.attempt, capturedAt: clock.wallClock(),
                                      quality: report.score)))
    }

    static func allRowsIdentical(_ image: GrayImage) -> Bool {
        guard image.height > 1 else { return false }
        let first = image.pixels[0..<image.width]
        for row in 1..<image.height where image.pixels[(row * image.width)..<((row + 1) * image.width)] != first {
            return false
        }
        return true
    }

    private func classify(_ error: any Error, during phase: String) -> CaptureFault {
        if let transport = error as? TransportError {
            return CaptureFault(transport: TransportError(transport.kind, operation: phase, detail: transport.description),
                                device: identity)
        }
        return CaptureFault.classify(error, device: identity)
    }

    // MARK: Self-test

    public func selfTest() async -> SelfTestResult {
        var steps: [SelfTestStep] = []
        var images: [String: GrayImage] = [:]
        steps.append(await identityStep())
        let sensor = await sensorStep()
        steps.append(sensor)
        guard sensor.outcome != .failed else { return SelfTestResult(device: identity, steps: steps) }
        do {
            switch try await captureFingerprint(FingerprintCaptureRequest(position: .rightIndex, deadline: .seconds(20))) {
            case .captured(let sample):
                images["fingerprint"] = sample.image
                steps.append(SelfTestStep(.capture, .passed,
                                          detail: "\(sample.image.width)×\(sample.image.height) at \(sample.resolutionPPI) ppi"))
                let score = sample.metadata.quality ?? 0
                steps.append(SelfTestStep(.quality, score >= 40 ? .passed : .warning, detail: "NFIQ 2-style quality \(score)",
                                          measurements: ["quality": Double(score)]))
            case .retry(let reason):
                steps.append(SelfTestStep(.capture, .warning, detail: reason.message.en))
            }
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            let outcome: SelfTestStep.Outcome = fault.domain == .operator ? .skipped : .failed
            steps.append(SelfTestStep(.capture, outcome, detail: fault.message, fault: outcome == .failed ? fault : nil))
        }
        return SelfTestResult(device: identity, steps: steps, images: images)
    }

    /// The device has no firmware query we understand: the identity is its USB strings and bcdDevice.
    private func identityStep() async -> SelfTestStep {
        let device = transport.descriptors.device
        var names: [String] = []
        for index in [device.manufacturerStringIndex, device.productStringIndex] where index != 0 {
            do {
                if let text = try await transport.stringDescriptor(index: index) { names.append(text) }
            } catch {
                logger.debug("string descriptor unreadable", metadata: ["index": "\(index)", "error": "\(error)"])
            }
        }
        let label = names.isEmpty ? "\(identity.vendor) \(identity.model)" : names.joined(separator: " ")
        let known = device.vendorID == NB1010Protocol.vendorID && device.productID == NB1010Protocol.productID
        return SelfTestStep(.identity, known ? .passed : .warning,
                            detail: "\(label), \(identity.usbIDText ?? "?"), \(identity.firmwareVersion ?? "no version")")
    }

    /// The sensor cannot image without a finger, so the check is that it answers a finger check
    /// with a well-formed response, and what value it reports with nothing on it.
    private func sensorStep() async -> SelfTestStep {
        guard isOpen else {
            return SelfTestStep(.sensor, .failed, detail: "not open", fault: CaptureFault(.apiMisuse, device: identity))
        }
        do {
            let value = try await fingerValue()
            let detail = "finger check answered, value \(value) (threshold \(fingerThreshold)); no blank frame without a finger"
            return SelfTestStep(.sensor, value > fingerThreshold ? .warning : .passed,
                                detail: value > fingerThreshold ? detail + ": something is on the sensor" : detail,
                                measurements: ["finger-value": Double(value)])
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            return SelfTestStep(.sensor, .failed, detail: fault.message, fault: fault)
        }
    }
}

/// What the driver found wrong, kept under a fault whose message comes from the catalogue.
struct NB1010Finding: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
