import BioCapture
import Foundation
import Logging

/// A UPEK TouchChip coprocessor in image mode (driver `upektc_img`): every sensor its get-info
/// reply can announce (TCS1, TCS2, TCS3 area sensors; TCS4, TCS5 swipe sensors).
///
/// `open()` claims interface 0 and runs the activation (power-up) sequence, which ends with the
/// get-info reply that names the sensor. A capture starts the coprocessor's wait-for-finger
/// loop, acknowledges its status messages until the image frames arrive, assembles them and
/// sends deinit; the next capture activates the coprocessor again, as it expects.
///
/// Settings: `BIOCAPTURE_UPEKTC_TIMEOUT_MS` (or `transfer-timeout-ms`): the timeout of every
/// transfer that is not a wait for the finger, default 4000 ms.
public actor UPEKTouchChipScanner: FingerprintScanner {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let events: AsyncStream<DeviceEvent>

    private let transport: any USBTransport
    private let logger: Logger
    private let clock: any CaptureClock
    private let transferTimeout: Duration
    private let qualityMeasure: FingerprintQualityMeasure
    private let eventSink: AsyncStream<DeviceEvent>.Continuation

    private var sequence = UPEKSequenceCounter()
    private var sensorInfo: UPEKSensorInfo?
    private var isOpen = false
    /// Activated and not yet sent deinit.
    private var isActivated = false
    private var currentStatus: DeviceStatus = .notReady

    /// How many zero-length reads in a row are tolerated while no finger is awaited.
    static let maximumEmptyReads = 64
    static let defaultTransferTimeout = Duration.milliseconds(4000)

    public init(transport: any USBTransport, context: DriverContext) {
        self.transport = transport
        identity = context.identity
        logger = context.logger
        clock = context.clock
        let milliseconds = (context.settings["BIOCAPTURE_UPEKTC_TIMEOUT_MS"] ?? context.settings["transfer-timeout-ms"])
            .flatMap { Int($0) }
            .flatMap { (1...600_000).contains($0) ? $0 : nil }
        transferTimeout = milliseconds.map { .milliseconds($0) } ?? Self.defaultTransferTimeout
        qualityMeasure = FingerprintQualityMeasure(logger: context.logger)
        (events, eventSink) = AsyncStream.makeStream(of: DeviceEvent.self, bufferingPolicy: .bufferingNewest(64))
    }

    public var status: DeviceStatus { currentStatus }

    /// The sensor named by the last get-info reply (nil before `open()`).
    public var sensor: UPEKSensorInfo? { sensorInfo }

    private func setStatus(_ status: DeviceStatus) {
        guard status != currentStatus else { return }
        currentStatus = status
        eventSink.yield(.statusChanged(status))
    }

    // MARK: - Open and close

    public func open() async throws {
        guard !isOpen else { return }
        do {
            try await transport.open()
            try await transport.claimInterface(UPEKCiao.interfaceNumber)
        } catch {
            await transport.close()
            throw classify(error)
        }
        isOpen = true
        do {
            try await activate()
        } catch {
            await shutDown()
            throw error
        }
        setStatus(.ready)
    }

    public func close() async {
        guard isOpen else { return }
        if isActivated { await deinitQuietly() }
        await shutDown()
        eventSink.finish()
    }

    private func shutDown() async {
        do {
            try await transport.releaseInterface(UPEKCiao.interfaceNumber)
        } catch {
            logger.debug("release of interface 0 failed", metadata: ["error": "\(error)"])
        }
        await transport.close()
        isOpen = false
        isActivated = false
        setStatus(.notReady)
    }

    /// The power-up sequence: two configuration rounds, then get-info. A reply that never
    /// comes is a power-up failure; other transport errors keep their own classification.
    private func activate() async throws {
        sequence.reset()
        do {
            try await activationControl()
            _ = try await readMessage(waitingUntil: nil)
            try await send(UPEKCiao.initOne)
            _ = try await readMessage(waitingUntil: nil)
            try await send(UPEKCiao.initTwo)
            _ = try await readMessage(waitingUntil: nil)
            try await activationControl()
            _ = try await readMessage(waitingUntil: nil)
            try await send(UPEKCiao.initThree)
            _ = try await readMessage(waitingUntil: nil)
            try await send(UPEKCiao.getInfo(sequence: sequence.take()))
            let reply = try await readMessage(waitingUntil: nil)
            let info = try UPEKSensorInfo(getInfoReply: reply)
            sensorInfo = info
            isActivated = true
            logger.debug("UPEK sensor identified", metadata: [
                "sensor": "\(info.variant.modelName)", "reported": "\(info.reportedWidth)x\(info.reportedHeight)",
                "swipe": "\(info.isSwipe)",
            ])
        } catch let error as TransportError where error.kind == .timeout {
            throw CaptureFault(.powerUpFailed, message: "The scanner did not answer during power-up (\(error.operation)).",
                               underlying: error, device: identity)
        } catch {
            throw classify(error)
        }
    }

    private func activationControl() async throws {
        _ = try await transport.control(UPEKCiao.activationControl, data: UPEKCiao.activationControlData, timeout: transferTimeout)
    }

    // MARK: - Capture

    public func captureFingerprint(_ request: FingerprintCaptureRequest) async throws -> CaptureOutcome<FingerprintSample> {
        guard isOpen else {
            throw CaptureFault(.apiMisuse, message: "Open the scanner before capturing.", device: identity)
        }
        setStatus(.busy)
        defer { if isOpen { setStatus(.ready) } }
        if !isActivated { try await activate() }
        guard let info = sensorInfo else {
            throw CaptureFault(.internalError, message: "The scanner was activated without a sensor description.", device: identity)
        }
        let deadline = clock.now() + request.deadline
        let image: GrayImage
        do {
            switch try await captureLoop(info: info, deadline: deadline) {
            case .image(let captured): image = captured
            case .retry(let reason):
                try await deinitDevice()
                return .retry(reason)
            }
            try await deinitDevice()
        } catch {
            let fault = classify(error)
            if fault.code != .disconnected { await deinitQuietly() }
            isActivated = false
            throw fault
        }
        let report = qualityMeasure.assess(image)
        let finger = request.position
        return .captured(FingerprintSample(
            image: image, resolutionPPI: UPEKSensorVariant.imageResolutionPPI, position: finger,
            metadata: CaptureMetadata(device: identity, attempt: request.attempt, capturedAt: clock.wallClock(),
                                      quality: report.score)))
    }

    private enum LoopEnd {
        case image(GrayImage)
        case retry(RetryReason)
    }

    /// The coprocessor's capture loop, from init-capture to the last frame.
    private func captureLoop(info: UPEKSensorInfo, deadline: Duration) async throws -> LoopEnd {
        var assembler = UPEKImageAssembler(width: info.imageWidth, height: info.imageHeight)
        try await send(UPEKCiao.initCapture(sequence: sequence.take(), swipe: info.isSwipe))
        var fingerOn = false
        while true {
            // Until the finger is on, a read waits as long as the caller allows; after that the
            // frames must follow within the transfer timeout.
            let message = try await readMessage(waitingUntil: fingerOn ? nil : deadline)
            switch try UPEKCaptureMessage(message) {
            case .classEight:
                try await send(UPEKCiao.classEightAck)
            case .status(let status):
                switch status {
                case .noFinger:
                    try await acknowledgeStatus()
                case .fingerPresent:
                    if !fingerOn { eventSink.yield(.subjectPresent) }
                    fingerOn = true
                    try await acknowledgeStatus()
                case .keepFingerOn:
                    if !fingerOn { eventSink.yield(.subjectPresent) }
                    fingerOn = true
                    try await acknowledgeStatus()
                    if info.isSwipe {
                        // A swipe sensor ends this round with one more message; the capture restarts.
                        _ = try await readMessage(waitingUntil: nil)
                        assembler = UPEKImageAssembler(width: info.imageWidth, height: info.imageHeight)
                        fingerOn = false
                        try await send(UPEKCiao.initCapture(sequence: sequence.take(), swipe: true))
                    }
                case .fingerGone:
                    if fingerOn { eventSink.yield(.subjectAbsent) }
                    fingerOn = false
                    try await acknowledgeStatus()
                case .swipeTooShort, .tooMuchHorizontalMovement, .unknown:
                    let reason = status.retryReason ?? FingerprintFeedback.empty.retryReason
                    logger.info("presentation rejected by the coprocessor", metadata: ["reason": "\(reason.code)"])
                    if fingerOn { eventSink.yield(.subjectAbsent) }
                    fingerOn = false
                    try await acknowledgeStatus()
                    if info.isSwipe {
                        _ = try await readMessage(waitingUntil: nil)
                        return .retry(reason)
                    }
                }
            case .firstFrame(let pixels):
                if !fingerOn { eventSink.yield(.subjectPresent) }
                fingerOn = true
                try assembler.append(pixels)
                try await send(UPEKCiao.frameAck(sequence: sequence.take()))
            case .frame(let pixels):
                fingerOn = true
                try assembler.append(pixels)
                try await send(UPEKCiao.frameAck(sequence: sequence.take()))
            case .lastFrame(let pixels):
                try assembler.append(pixels)
                eventSink.yield(.subjectAbsent)
                logger.debug("UPEK image complete", metadata: ["frames": "\(assembler.frames)", "pixels": "\(assembler.pixels.count)"])
                return .image(try assembler.image())
            }
        }
    }

    private func acknowledgeStatus() async throws {
        try await send(UPEKCiao.statusAck(sequence: sequence.take()))
    }

    /// Deinit and its reply (content not checked); the next capture activates again.
    private func deinitDevice() async throws {
        isActivated = false
        try await send(UPEKCiao.deinitCommand(sequence: sequence.take()))
        _ = try await readMessage(waitingUntil: nil)
    }

    private func deinitQuietly() async {
        do {
            try await deinitDevice()
        } catch {
            logger.debug("deinit after a failure did not complete", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Transfers

    private func send(_ bytes: [UInt8]) async throws {
        let written = try await transport.bulkOut(endpoint: UPEKCiao.bulkOut, data: bytes, timeout: transferTimeout)
        guard written == bytes.count else {
            throw TransportError(.shortTransfer, operation: "bulk OUT 0x02", detail: "\(written) of \(bytes.count) bytes sent")
        }
    }

    /// Reads one message: 64 bytes, then one continuation read when the header announces more.
    /// Zero-length reads are normal and read again. With `deadline` (waiting for a finger) every
    /// read lasts at most until the deadline, and the deadline passing is the operator's
    /// `no-subject`; without it a read lasts the transfer timeout.
    private func readMessage(waitingUntil deadline: Duration?) async throws -> UPEKCiao.Message {
        var emptyReads = 0
        var received: [UInt8] = []
        while received.isEmpty {
            let timeout: Duration
            if let deadline {
                let remaining = deadline - clock.now()
                guard remaining > .zero else { throw noSubject() }
                timeout = remaining
            } else {
                emptyReads += 1
                guard emptyReads <= Self.maximumEmptyReads else {
                    throw CaptureFault(.protocolError, message: "The scanner sent only empty replies.", device: identity)
                }
                timeout = transferTimeout
            }
            do {
                received = try await transport.bulkIn(endpoint: UPEKCiao.bulkIn, length: UPEKCiao.firstReadLength, timeout: timeout)
            } catch let error as TransportError where error.kind == .timeout && deadline != nil {
                throw noSubject()
            }
        }
        guard let total = UPEKCiao.announcedLength(received) else {
            throw UPEKProtocolError.truncated(expected: UPEKCiao.headerLength, received: received.count)
        }
        guard Array(received.prefix(4)) == UPEKCiao.magic else { throw UPEKProtocolError.badMagic(Array(received.prefix(4))) }
        guard total <= UPEKCiao.maximumMessageLength else { throw UPEKProtocolError.tooLong(total) }
        if total > received.count {
            received += try await transport.bulkIn(endpoint: UPEKCiao.bulkIn, length: UPEKCiao.continuationReadLength,
                                                   timeout: transferTimeout)
        }
        return try UPEKCiao.decode(received)
    }

    private func noSubject() -> CaptureFault {
        CaptureFault(.noSubject, message: "No finger was placed on the scanner before the deadline.", device: identity)
    }

    /// Every error at the driver boundary becomes a classified fault.
    private func classify(_ error: any Error) -> CaptureFault {
        if let protocolError = error as? UPEKProtocolError { return protocolError.fault(device: identity) }
        return CaptureFault.classify(error, device: identity)
    }

    // MARK: - Self-test

    public func selfTest() async -> SelfTestResult {
        var steps: [SelfTestStep] = []
        guard let info = sensorInfo else {
            let fault = CaptureFault(.apiMisuse, message: "Open the scanner before its self-test.", device: identity)
            steps.append(SelfTestStep(.identity, .failed, detail: fault.message, fault: fault))
            return SelfTestResult(device: identity, steps: steps)
        }
        let kind = info.isSwipe ? "swipe" : "area"
        steps.append(SelfTestStep(
            .identity, .passed,
            detail: "UPEK \(info.variant.modelName) \(kind) sensor (get-info: \(info.reportedWidth)×\(info.reportedHeight), "
                + "flags 0x\(UPEKHex.byte(info.sensorFlags))); the coprocessor reports no firmware version",
            measurements: ["reportedWidth": Double(info.reportedWidth), "reportedHeight": Double(info.reportedHeight)]))
        // Image mode sends pixels only once its own detector sees a finger: there is no blank
        // frame to analyse. What can be checked without a subject is that the coprocessor
        // powered up and described a sensor it knows.
        steps.append(SelfTestStep(
            .sensor, .passed,
            detail: "power-up answered and get-info names a known sensor (\(info.imageWidth)×\(info.imageHeight) image); "
                + "no blank frame: the coprocessor only images a detected finger"))
        var images: [String: GrayImage] = [:]
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
            let fault = classify(error)
            steps.append(SelfTestStep(.capture, fault.domain == .operator ? .warning : .failed, detail: fault.message, fault: fault))
        }
        return SelfTestResult(device: identity, steps: steps, images: images)
    }
}
