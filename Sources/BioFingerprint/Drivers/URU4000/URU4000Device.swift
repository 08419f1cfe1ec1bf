import BioCapture
import Foundation
import Logging

/// Where the scramble seeds come from: a fixed first seed (the `BIOCAPTURE_URU4000_SEED`
/// setting, so a recording replays byte for byte), then a seeded generator.
public struct URU4000SeedSource: Sendable {
    private var fixed: UInt32?
    private var random: SeededRandom

    public init(fixed: UInt32?, seed: UInt64) {
        self.fixed = fixed
        random = SeededRandom(seed: fixed.map { UInt64($0) } ?? seed)
    }

    /// A seed in [0, 0x7FFFFFFF), the range the device family is used to.
    public mutating func next() -> UInt32 {
        if let value = fixed {
            fixed = nil
            return value
        }
        return UInt32(random.next() % 0x7FFF_FFFF)
    }

    /// Parses the setting's hex text ("51EA2124" or "0x51ea2124").
    public static func parse(_ text: String) -> UInt32? {
        var digits = text.trimmingCharacters(in: .whitespaces)
        if digits.lowercased().hasPrefix("0x") { digits.removeFirst(2) }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        return UInt32(digits, radix: 16)
    }
}

/// Per-model behaviour, read from the id table's quirks.
public struct URU4000Profile: Sendable, Hashable {
    /// 045e:00ca answers an AES challenge while powering up.
    public var challengeResponse: Bool
    public var orientation: URU4000Orientation

    public init(challengeResponse: Bool, orientation: URU4000Orientation) {
        self.challengeResponse = challengeResponse
        self.orientation = orientation
    }

    public init(quirks: DeviceQuirks) {
        self.init(
            challengeResponse: quirks.flag(URU4000Driver.QuirkKey.challengeResponse),
            orientation: URU4000Orientation(
                invert: quirks.string(URU4000Driver.QuirkKey.invert).map { $0 == "true" || $0 == "1" } ?? true,
                flipHorizontally: quirks.flag(URU4000Driver.QuirkKey.flipHorizontal),
                flipVertically: quirks.flag(URU4000Driver.QuirkKey.flipVertical)))
    }
}

/// A U.are.U 4000 / 4000B / Microsoft Fingerprint Reader: 384 × 290 press sensor, about 500 ppi.
///
/// `open()` claims the vendor interface, starts the permanently outstanding interrupt transfer and
/// powers the sensor up (with the v2 reader's challenge-response); `captureFingerprint` waits for a
/// finger, reads and decodes one image and waits for the finger to lift; `close()` switches the
/// sensor off. Every transport error leaves as a classified `CaptureFault`.
public actor URU4000Device: FingerprintScanner {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let events: AsyncStream<DeviceEvent>
    private let eventSink: AsyncStream<DeviceEvent>.Continuation
    private let transport: any USBTransport
    private let logger: Logger
    private let clock: any CaptureClock
    private let profile: URU4000Profile
    private let quality: FingerprintQualityMeasure
    private var seeds: URU4000SeedSource
    private var pump: URU4000InterruptPump?
    private var interfaceNumber: UInt8 = 0
    private var isOpen = false
    private var claimed = false
    private var currentStatus: DeviceStatus = .notReady
    private var deviceInfo: [UInt8] = []

    /// Control transfers: the family's usual 5 s.
    static let controlTimeout: Duration = .seconds(5)
    /// The image arrives right after MODE 0x20; a generous bound still ends a dead transfer.
    static let imageTimeout: Duration = .seconds(5)
    static let powerOnInterruptTimeout: Duration = .milliseconds(300)
    static let fingerOffTimeout: Duration = .seconds(10)

    public init(transport: any USBTransport, context: DriverContext, profile: URU4000Profile, seeds: URU4000SeedSource) {
        self.transport = transport
        self.logger = context.logger
        self.clock = context.clock
        self.profile = profile
        self.seeds = seeds
        self.quality = FingerprintQualityMeasure(logger: context.logger)
        identity = context.identity
        (events, eventSink) = AsyncStream.makeStream(of: DeviceEvent.self)
    }

    public var status: DeviceStatus { currentStatus }

    private func setStatus(_ status: DeviceStatus) {
        currentStatus = status
        eventSink.yield(.statusChanged(status))
    }

    /// The fault a failure means at this driver's boundary.
    private func fault(_ error: any Error) -> CaptureFault {
        CaptureFault.classify(error, device: identity)
    }

    // MARK: Register access

    private func readRegister(_ register: URU4000Protocol.Register, length: Int) async throws -> [UInt8] {
        let reply = try await transport.control(URU4000Protocol.readSetup(register, length: length), data: [],
                                                timeout: Self.controlTimeout)
        guard reply.count == length else {
            throw CaptureFault(.protocolError, message: "Register \(register) gave \(reply.count) bytes instead of \(length).",
                               underlying: TransportError(.shortTransfer, operation: "read register \(register.rawValue)"),
                               device: identity)
        }
        return reply
    }

    private func writeRegister(_ register: URU4000Protocol.Register, _ data: [UInt8]) async throws {
        _ = try await transport.control(URU4000Protocol.writeSetup(register, length: data.count), data: data,
                                        timeout: Self.controlTimeout)
    }

    private func setMode(_ mode: URU4000Protocol.Mode) async throws {
        try await writeRegister(.mode, [mode.rawValue])
    }

    // MARK: Interrupts

    /// The next interrupt packet, or nil when `timeout` passes first.
    private func nextInterrupt(within timeout: Duration) async throws -> URU4000Interrupt? {
        guard let pump else { throw CaptureFault(.apiMisuse, message: "The reader is not open.", device: identity) }
        let mailbox = pump.mailbox
        let item: URU4000Mailbox.Item?
        do {
            item = try await clock.withDeadline(timeout, fault: CaptureFault(.timeout)) { await mailbox.take() }
        } catch let fault as CaptureFault where fault.code == .timeout {
            return nil
        }
        try Task.checkCancellation()
        guard let item else { return nil }
        let packet = try item.get()
        guard let interrupt = URU4000Interrupt(packet: packet) else {
            throw CaptureFault(.protocolError, message: "The reader sent a \(packet.count)-byte interrupt packet instead of 64.",
                               underlying: TransportError(.shortTransfer, operation: "interrupt IN 0x81"), device: identity)
        }
        return interrupt
    }

    /// Waits for one kind of interrupt until `timeout`; false when it did not come.
    private func awaitInterrupt(_ wanted: URU4000Interrupt, within timeout: Duration) async throws -> Bool {
        let end = clock.now() + timeout
        while true {
            let left = end - clock.now()
            guard left > .zero, let interrupt = try await nextInterrupt(within: left) else { return false }
            if interrupt == wanted { return true }
            switch interrupt {
            case .death:
                logger.warning("U.are.U reported 'death': the next image may fail", metadata: ["device": "\(identity.id)"])
            case .scanPowerOn:
                logger.debug("scan power on (ignored)")
            default:
                logger.debug("interrupt ignored", metadata: ["type": "\(interrupt.code)"])
            }
        }
    }

    // MARK: Open and close

    public func open() async throws {
        if isOpen { return }
        do {
            try await transport.open()
            interfaceNumber = vendorInterface()
            try await claimInterface()
            let pump = URU4000InterruptPump(transport: transport)
            self.pump = pump
            try await Task.sleep(for: URU4000InterruptPump.submissionHeadStart)
            try await powerUp()
            isOpen = true
            setStatus(.ready)
        } catch {
            let fault = self.fault(error)
            await shutDown(switchOff: false)
            setStatus(.notReady)
            throw fault
        }
    }

    private func claimInterface() async throws {
        try await transport.claimInterface(interfaceNumber)
        claimed = true
    }

    /// The first interface whose class triple is all 0xFF (interface 0 on every known unit).
    private func vendorInterface() -> UInt8 {
        guard let configuration = transport.descriptors.configurations.first else { return 0 }
        for interface in configuration.interfaces.compactMap(\.alternateSettings.first) {
            let triple = [interface.interfaceClass, interface.interfaceSubClass, interface.interfaceProtocol]
            if triple == [0xFF, 0xFF, 0xFF] { return interface.interfaceNumber }
        }
        return 0
    }

    /// Activation: reboot if the last session left a fault, power down, power up (answering the
    /// challenge on the v2 reader), wait for "scan power on", read DEVICE_INFO.
    private func powerUp() async throws {
        for attempt in 1...3 {
            let status = try await readRegister(.hardwareStatus, length: 1)[0]
            if status & 0x84 == 0x84 { try await reboot(status) }
            if status & URU4000Protocol.HardwareStatus.lowPower == 0 {
                try await writeRegister(.hardwareStatus, [status | URU4000Protocol.HardwareStatus.lowPower])
            }
            var poweredUp = false
            for _ in 0..<100 {
                try await writeRegister(.hardwareStatus, [status & 0x0F])
                let now = try await readRegister(.hardwareStatus, length: 1)[0]
                if now & URU4000Protocol.HardwareStatus.lowPower == 0 {
                    poweredUp = true
                    break
                }
                try await clock.sleep(for: .milliseconds(10))
                if profile.challengeResponse { try await answerChallenge() }
            }
            guard poweredUp else {
                throw CaptureFault(.powerUpFailed, message: "The reader stayed in low power after 100 power-up requests.",
                                   device: identity)
            }
            if try await awaitInterrupt(.scanPowerOn, within: Self.powerOnInterruptTimeout) {
                deviceInfo = try await readRegister(.deviceInfo, length: 16)
                logger.debug("U.are.U powered up", metadata: [
                    "device": "\(identity.id)", "version": "\(URU4000Protocol.versionText(deviceInfo: deviceInfo) ?? "?")",
                ])
                return
            }
            logger.warning("no 'scan power on' from the reader", metadata: ["attempt": "\(attempt)"])
        }
        throw CaptureFault(.powerUpFailed, message: "The reader never reported 'scan power on' (3 attempts of 300 ms).",
                           device: identity)
    }

    private func reboot(_ status: UInt8) async throws {
        try await writeRegister(.hardwareStatus, [status & 0x0F])
        for _ in 0..<100 {
            let now = try await readRegister(.hardwareStatus, length: 1)[0]
            if now & URU4000Protocol.HardwareStatus.rebootDone != 0 { return }
            try await clock.sleep(for: .milliseconds(10))
        }
        throw CaptureFault(.powerUpFailed, message: "The reader did not come back from a reboot.", device: identity)
    }

    private func answerChallenge() async throws {
        let challenge = try await readRegister(.challenge, length: 16)
        try await writeRegister(.response, try URU4000ChallengeResponse.response(to: challenge))
    }

    public func close() async {
        guard pump != nil else { return }
        await shutDown(switchOff: isOpen)
        isOpen = false
        setStatus(.notReady)
        eventSink.finish()
    }

    private func shutDown(switchOff: Bool) async {
        if switchOff {
            do {
                try await setMode(.off)
            } catch {
                logger.debug("switching the sensor off failed", metadata: ["error": "\(error)"])
            }
        }
        if let pump {
            await pump.stop()
            self.pump = nil
        }
        if claimed {
            claimed = false
            do {
                try await transport.releaseInterface(interfaceNumber)
            } catch {
                logger.debug("release failed", metadata: ["error": "\(error)"])
            }
        }
        await transport.close()
    }

    // MARK: Capture

    public func captureFingerprint(_ request: FingerprintCaptureRequest) async throws -> CaptureOutcome<FingerprintSample> {
        guard isOpen else { throw CaptureFault(.apiMisuse, message: "Open the reader before capturing.", device: identity) }
        setStatus(.busy)
        do {
            try await setMode(.awaitFingerOn)
            guard try await awaitInterrupt(.fingerOn, within: request.deadline) else {
                try Task.checkCancellation()
                throw CaptureFault(.noSubject, device: identity)
            }
            eventSink.yield(.subjectPresent)
            let image = try await readImage()
            try await setMode(.awaitFingerOff)
            if try await awaitInterrupt(.fingerOff, within: Self.fingerOffTimeout) {
                eventSink.yield(.subjectAbsent)
            } else {
                logger.info("finger still on the reader after the capture")
            }
            let report = quality.assess(image)
            let position = request.position
            setStatus(.ready)
            return .captured(FingerprintSample(
                image: image, resolutionPPI: 500, position: position,
                metadata: CaptureMetadata(device: identity, attempt: request.attempt, capturedAt: clock.wallClock(),
                                          quality: report.score)))
        } catch {
            let fault = self.fault(error)
            if fault.code == .disconnected {
                isOpen = false
                setStatus(.disconnected)
                eventSink.yield(.removed)
            } else {
                setStatus(.ready)
            }
            if fault.isHardware { eventSink.yield(.fault(fault)) }
            throw fault
        }
    }

    /// Submits the image transfer before asking for the capture (the device answers at once),
    /// validates the header, exchanges keys and decodes. A damaged header is retried twice.
    private func readImage() async throws -> GrayImage {
        guard let pump else { throw CaptureFault(.apiMisuse, message: "The reader is not open.", device: identity) }
        var lastFault: CaptureFault?
        for _ in 0..<3 {
            let transport = self.transport
            let transfer = Task {
                try await transport.bulkIn(endpoint: URU4000Protocol.imageEndpoint,
                                           length: URU4000Protocol.imageTransferLength, timeout: Self.imageTimeout)
            }
            let data: [UInt8]
            do {
                try await Task.sleep(for: URU4000InterruptPump.submissionHeadStart)
                try await setMode(.capture)
                data = try await withTaskCancellationHandler {
                    try await transfer.value
                } onCancel: {
                    transfer.cancel()
                }
            } catch {
                transfer.cancel()
                throw error
            }
            let deathPackets = pump.mailbox.remove { URU4000Interrupt(packet: $0) == .death }
            do {
                let plan = try URU4000ImageDecoder.plan(transfer: data)
                var keys: [UInt32] = []
                for number in plan.keyNumbers { keys.append(try await exchangeKey(number)) }
                return try URU4000ImageDecoder.decode(data, plan: plan, keys: keys, orientation: profile.orientation)
            } catch let fault as CaptureFault where fault.code == .corruptFrame || fault.code == .shortFrame {
                if !deathPackets.isEmpty {
                    throw CaptureFault(.shortFrame,
                                       message: "The reader reported a failure ('death') and sent \(data.count) image bytes.",
                                       underlying: fault, device: identity)
                }
                if fault.code == .shortFrame { throw fault.attributed(to: identity) }
                logger.warning("discarding a damaged image", metadata: ["reason": "\(fault.message)"])
                lastFault = fault.attributed(to: identity)
            }
        }
        throw lastFault ?? CaptureFault(.corruptFrame, device: identity)
    }

    private func exchangeKey(_ keyNumber: UInt8) async throws -> UInt32 {
        let seed = seeds.next()
        try await writeRegister(.scrambleDataIndex, URU4000KeyExchange.indexPayload(keyNumber: keyNumber, seed: seed))
        let reply = try await readRegister(.scrambleDataKey, length: 4)
        return try URU4000KeyExchange.key(reply: reply, seed: seed)
    }

    // MARK: Self-test

    public func selfTest() async -> SelfTestResult {
        var steps: [SelfTestStep] = []
        var images: [String: GrayImage] = [:]
        guard isOpen, let version = URU4000Protocol.versionText(deviceInfo: deviceInfo) else {
            let fault = CaptureFault(.apiMisuse, message: "The reader is not open.", device: identity)
            steps.append(SelfTestStep(.identity, .failed, detail: fault.message, fault: fault))
            return SelfTestResult(device: identity, steps: steps)
        }
        steps.append(SelfTestStep(.identity, .passed, detail: "\(identity.vendor) \(identity.model), version \(version)"))
        steps.append(SelfTestStep(
            .sensor, .passed,
            detail: "powered up" + (profile.challengeResponse ? " (AES challenge answered)" : "")
                + " and reported 'scan power on'; this reader images only with a finger on it, so no blank frame"))
        do {
            switch try await captureFingerprint(FingerprintCaptureRequest(position: .rightIndex, deadline: .seconds(20))) {
            case .captured(let sample):
                images["fingerprint"] = sample.image
                steps.append(SelfTestStep(.capture, .passed, detail: "\(sample.image.width)×\(sample.image.height) image"))
                let score = sample.metadata.quality ?? 0
                steps.append(SelfTestStep(.quality, score >= 40 ? .passed : .warning, detail: "NFIQ 2-style quality \(score)",
                                          measurements: ["quality": Double(score)]))
            case .retry(let reason):
                steps.append(SelfTestStep(.capture, .warning, detail: reason.message.en))
            }
        } catch {
            let fault = self.fault(error)
            let outcome: SelfTestStep.Outcome = fault.code == .noSubject ? .skipped : .failed
            steps.append(SelfTestStep(.capture, outcome, detail: fault.message, fault: outcome == .failed ? fault : nil))
        }
        return SelfTestResult(device: identity, steps: steps, images: images)
    }
}
