import BioCapture
import Foundation
import Logging

/// A sample encoded for storage.
public struct EncodedSample: Sendable {
    /// "png", "jpeg", "json"…
    public var encoding: String
    public var data: Data

    public init(encoding: String, data: Data) {
        self.encoding = encoding
        self.data = data
    }
}

/// Turns captured samples into the bytes the journal keeps.
public protocol SampleEncoder: Sendable {
    func encode(_ sample: FingerprintSample) throws -> EncodedSample
    func encode(_ sample: IrisSample) throws -> EncodedSample
    func encode(_ sample: FaceSample) throws -> EncodedSample
    func encode(_ sample: SignatureSample) throws -> EncodedSample
}

/// What the enrollment software shows while a session runs.
public enum EnrollmentEvent: Sendable {
    case started(sessionID: String, resumed: Bool, missing: [String])
    /// The wall clock moved in a way monotonic time did not (a reset after a power cut?).
    case clockJump(detail: String)
    /// Ask the subject to do this.
    case prompt(slot: String, attempt: Int, instruction: LocalizedTextCodable)
    /// Live quality of an attempt against the threshold.
    case quality(slot: String, attempt: Int, quality: Int, threshold: Int)
    case retry(slot: String, attempt: Int, reason: RetryReason)
    case stored(slot: String, quality: Int?, forced: Bool, attempts: Int)
    case exceptionRecorded(SubjectException)
    case fault(slot: String?, CaptureFault)
    /// The slot was not captured now (device unavailable, no usable sample); it stays missing.
    case skipped(slot: String, reason: String)
    case finished(EnrollmentSummary)
}

/// Where a session stands.
public struct EnrollmentSummary: Sendable, Hashable {
    public var sessionID: String
    public var state: SessionState
    public var stored: [String]
    public var excepted: [String]
    public var missing: [String]
    /// Modalities whose device failed, with the fault code.
    public var unavailable: [Modality: FaultCode]
}

/// One enrollment: composes the station's devices for a subject, applies the policy, and commits
/// every accepted sample to the journal at once.
///
/// A device fault does not end the session: it is recorded with its classification, the session
/// goes on with the other modalities, and the missing slots can be captured later in the same
/// session (`captureMissing(with:)`, e.g. after the device is plugged back in) or after a restart
/// (`resume`). Cancelling the task running `run()` stops at once and leaves the session resumable.
public actor EnrollmentSession {
    public nonisolated let id: String
    public nonisolated let subject: String
    public nonisolated let events: AsyncStream<EnrollmentEvent>
    private let eventSink: AsyncStream<EnrollmentEvent>.Continuation

    private let journal: EnrollmentJournal
    private let plan: [CaptureSlot]
    private let policy: EnrollmentPolicy
    private let encoder: any SampleEncoder
    private let clock: any CaptureClock
    private let logger: Logger
    private var devices: StationDevices
    private var opened: Set<Modality> = []
    private var stored: Set<String>
    private var exceptions: [String: SubjectException]
    private var unavailable: [Modality: CaptureFault] = [:]
    private var lastTimes: (wall: Date, monotonic: Duration)

    /// Largest disagreement between wall-clock and monotonic time tolerated before a jump is recorded.
    static let clockJumpTolerance: TimeInterval = 120

    private init(
        id: String, subject: String, journal: EnrollmentJournal, plan: [CaptureSlot], policy: EnrollmentPolicy,
        devices: StationDevices, encoder: any SampleEncoder, clock: any CaptureClock, logger: Logger,
        stored: Set<String>, exceptions: [String: SubjectException]
    ) {
        self.id = id
        self.subject = subject
        self.journal = journal
        self.plan = plan
        self.policy = policy
        self.devices = devices
        self.encoder = encoder
        self.clock = clock
        self.logger = logger
        self.stored = stored
        self.exceptions = exceptions
        lastTimes = (clock.wallClock(), clock.now())
        (events, eventSink) = AsyncStream.makeStream(of: EnrollmentEvent.self)
    }

    /// Starts a new session. The NIK was validated by its type; nothing is written before that.
    public static func start(
        journal: EnrollmentJournal, subject: NIK, plan: EnrollmentPlan = .standard(),
        policy: EnrollmentPolicy = EnrollmentPolicy(), exceptions: [SubjectException] = [],
        devices: StationDevices, encoder: any SampleEncoder, clock: any CaptureClock = SystemCaptureClock(),
        logger: Logger = Logger(label: "biocapture.enrollment"), sessionID: String = UUID().uuidString.lowercased()
    ) throws -> EnrollmentSession {
        let clockNote = try Self.checkClockAgainstJournal(journal, clock: clock)
        var slots = plan.slots
        if policy.exceptionPhotoRequired, !exceptions.isEmpty, !slots.contains(.exceptionPhoto) {
            let afterFace = (slots.firstIndex(of: .face) ?? -1) + 1
            slots.insert(.exceptionPhoto, at: afterFace)
        }
        let now = clock.wallClock()
        try journal.createSession(subject: subject, plan: slots.map(\.key), id: sessionID, at: now)
        for exception in exceptions {
            try journal.recordException(exception, session: sessionID, at: now)
        }
        let session = EnrollmentSession(
            id: sessionID, subject: subject.digits, journal: journal, plan: slots, policy: policy, devices: devices,
            encoder: encoder, clock: clock, logger: logger, stored: [],
            exceptions: Dictionary(exceptions.map { ($0.slot, $0) }, uniquingKeysWith: { $1 }))
        if let clockNote {
            try journal.recordStationEvent(kind: "clock-reset", detail: clockNote, session: sessionID, at: now)
            session.eventSink.yield(.clockJump(detail: clockNote))
        }
        return session
    }

    /// Picks up an incomplete session after a power cut or a crash: what is stored is never
    /// captured again.
    public static func resume(
        sessionID: String, journal: EnrollmentJournal, policy: EnrollmentPolicy = EnrollmentPolicy(),
        devices: StationDevices, encoder: any SampleEncoder, clock: any CaptureClock = SystemCaptureClock(),
        logger: Logger = Logger(label: "biocapture.enrollment")
    ) throws -> EnrollmentSession {
        guard let summary = try journal.session(sessionID) else {
            throw CaptureFault(.apiMisuse, message: "There is no session \(sessionID) in \(journal.path).",
                               remedy: "List the sessions with `biocapture journal list \(journal.path)`.")
        }
        guard summary.state == .incomplete else {
            throw CaptureFault(.apiMisuse, message: "Session \(sessionID) is \(summary.state.rawValue); only incomplete sessions resume.",
                               remedy: "Start a new session for the subject if something must be captured again.")
        }
        let clockNote = try Self.checkClockAgainstJournal(journal, clock: clock)
        let slots = try journal.plan(session: sessionID).compactMap(CaptureSlot.init(key:))
        let stored = Set(try journal.samples(session: sessionID).map(\.slot))
        let exceptions = try journal.exceptions(session: sessionID)
        let session = EnrollmentSession(
            id: sessionID, subject: summary.subject, journal: journal, plan: slots, policy: policy, devices: devices,
            encoder: encoder, clock: clock, logger: logger, stored: stored,
            exceptions: Dictionary(exceptions.map { ($0.slot, $0) }, uniquingKeysWith: { $1 }))
        let now = clock.wallClock()
        try journal.recordStationEvent(kind: "resumed", detail: "\(stored.count) samples already stored",
                                       session: sessionID, at: now)
        if let clockNote {
            try journal.recordStationEvent(kind: "clock-reset", detail: clockNote, session: sessionID, at: now)
            session.eventSink.yield(.clockJump(detail: clockNote))
        }
        return session
    }

    /// The incomplete sessions a station should offer to resume on start.
    public static func incompleteSessions(in journal: EnrollmentJournal) throws -> [SessionSummary] {
        try journal.sessions().filter { $0.state == .incomplete }
    }

    /// A wall clock earlier than what the journal already recorded means the clock was reset.
    private static func checkClockAgainstJournal(_ journal: EnrollmentJournal, clock: any CaptureClock) throws -> String? {
        guard let latest = try journal.latestRecordedTime() else { return nil }
        let now = clock.wallClock()
        guard now.timeIntervalSince(latest) < -clockJumpTolerance else { return nil }
        return "station clock reads \(now) but the journal already holds records from \(latest)"
    }

    // MARK: Running

    /// The slots not yet stored nor excepted, in plan order.
    public var missingSlots: [CaptureSlot] {
        plan.filter { !stored.contains($0.key) && exceptions[$0.key] == nil }
    }

    /// Captures every missing slot once through the plan, then finishes the session when nothing
    /// is missing. Returns where the session stands.
    @discardableResult
    public func run() async throws -> EnrollmentSummary {
        eventSink.yield(.started(sessionID: id, resumed: !stored.isEmpty, missing: missingSlots.map(\.key)))
        for slot in missingSlots {
            try Task.checkCancellation()
            if let fault = unavailable[slot.modality] {
                eventSink.yield(.skipped(slot: slot.key, reason: "device unavailable: \(fault.code)"))
                continue
            }
            try await capture(slot)
        }
        return try finishIfComplete()
    }

    /// Captures what is missing with devices that came back (hotplug) or were replaced.
    @discardableResult
    public func captureMissing(with devices: StationDevices) async throws -> EnrollmentSummary {
        for modality in Modality.allCases where devices.device(for: modality) != nil {
            unavailable[modality] = nil
            opened.remove(modality)
        }
        if let device = devices.fingerprint { self.devices.fingerprint = device }
        if let device = devices.iris { self.devices.iris = device }
        if let device = devices.face { self.devices.face = device }
        if let device = devices.signature { self.devices.signature = device }
        return try await run()
    }

    /// Records a subject exception (missing or injured finger or eye) so that slot is not captured.
    public func addException(_ exception: SubjectException) throws {
        try journal.recordException(exception, session: id, at: clock.wallClock())
        exceptions[exception.slot] = exception
        eventSink.yield(.exceptionRecorded(exception))
    }

    /// Ends the event stream (the session stays as the journal holds it).
    public func close() async {
        for modality in opened {
            await devices.device(for: modality)?.close()
        }
        opened.removeAll()
        eventSink.finish()
    }

    public var summary: EnrollmentSummary {
        EnrollmentSummary(
            sessionID: id, state: missingSlots.isEmpty ? .complete : .incomplete,
            stored: plan.map(\.key).filter(stored.contains), excepted: plan.map(\.key).filter { exceptions[$0] != nil },
            missing: missingSlots.map(\.key), unavailable: unavailable.mapValues(\.code))
    }

    private func finishIfComplete() throws -> EnrollmentSummary {
        let current = summary
        if current.state == .complete {
            try journal.finish(session: id, at: clock.wallClock())
        }
        eventSink.yield(.finished(current))
        return current
    }

    // MARK: One slot

    private enum Attempt {
        case sample(EncodedSample, quality: Int?, device: DeviceIdentity)
        case retry(RetryReason)
    }

    private func capture(_ slot: CaptureSlot) async throws {
        let modalityPolicy = policy.policy(for: slot.modality)
        guard let device = devices.device(for: slot.modality) else {
            let fault = CaptureFault(.notFound, message: "No \(slot.modality.rawValue) device is connected.")
            try markUnavailable(slot, fault)
            return
        }
        if !opened.contains(slot.modality) {
            do {
                try await device.open()
                opened.insert(slot.modality)
            } catch {
                try Task.checkCancellation()
                try markUnavailable(slot, CaptureFault.classify(error, device: device.identity))
                return
            }
        }

        var best: (sample: EncodedSample, quality: Int?, device: DeviceIdentity)?
        var attemptsMade = 0
        for attempt in 1...modalityPolicy.attempts {
            try Task.checkCancellation()
            attemptsMade = attempt
            eventSink.yield(.prompt(slot: slot.key, attempt: attempt, instruction: slot.instruction))
            let result: Attempt
            do {
                result = try await captureOnce(slot, attempt: attempt, deadline: modalityPolicy.deadline)
            } catch {
                try Task.checkCancellation()
                let fault = CaptureFault.classify(error, device: device.identity)
                if fault.code == .cancelled { throw CancellationError() }
                if fault.domain == .operator {
                    // The subject, not the device: it costs an attempt.
                    try journal.recordFault(fault, slot: slot.key, session: id, at: clock.wallClock())
                    eventSink.yield(.fault(slot: slot.key, fault))
                    continue
                }
                try markUnavailable(slot, fault)
                return
            }
            switch result {
            case .retry(let reason):
                eventSink.yield(.retry(slot: slot.key, attempt: attempt, reason: reason))
            case .sample(let encoded, let quality, let identity):
                if let quality {
                    eventSink.yield(.quality(slot: slot.key, attempt: attempt, quality: quality,
                                             threshold: modalityPolicy.qualityThreshold))
                }
                if best == nil || (quality ?? 0) > (best?.quality ?? 0) {
                    best = (encoded, quality, identity)
                }
                if (quality ?? 0) >= modalityPolicy.qualityThreshold {
                    try store(slot, encoded, quality: quality, forced: false, attempts: attempt, device: identity)
                    return
                }
            }
        }
        guard let best, modalityPolicy.forceCaptureAfterLastAttempt else {
            let fault = CaptureFault(
                best == nil ? .noSubject : .lowQuality,
                message: "No acceptable \(slot.key) sample after \(attemptsMade) attempts.",
                device: device.identity)
            try journal.recordFault(fault, slot: slot.key, session: id, at: clock.wallClock())
            eventSink.yield(.fault(slot: slot.key, fault))
            eventSink.yield(.skipped(slot: slot.key, reason: "no acceptable sample; capture again or record an exception"))
            return
        }
        try store(slot, best.sample, quality: best.quality, forced: true, attempts: attemptsMade, device: best.device)
    }

    private func captureOnce(_ slot: CaptureSlot, attempt: Int, deadline: Duration) async throws -> Attempt {
        switch slot {
        case .finger(let position):
            guard let scanner = devices.fingerprint else { throw CaptureFault(.notFound) }
            let request = FingerprintCaptureRequest(position: position, deadline: deadline, attempt: attempt)
            switch try await scanner.captureFingerprint(request) {
            case .captured(let sample):
                return .sample(try encoder.encode(sample), quality: sample.metadata.quality, device: sample.metadata.device)
            case .retry(let reason): return .retry(reason)
            }
        case .iris(let eye):
            guard let camera = devices.iris else { throw CaptureFault(.notFound) }
            let request = IrisCaptureRequest(eye: eye, deadline: deadline, attempt: attempt)
            switch try await camera.captureIris(request) {
            case .captured(let samples):
                guard let sample = samples.first(where: { $0.eye == eye }) ?? samples.first else {
                    return .retry(RetryReason(code: "no-eye", english: "No eye was captured.",
                                              indonesian: "Tidak ada mata yang terekam."))
                }
                return .sample(try encoder.encode(sample), quality: sample.metadata.quality, device: sample.metadata.device)
            case .retry(let reason): return .retry(reason)
            }
        case .face, .exceptionPhoto:
            guard let webcam = devices.face else { throw CaptureFault(.notFound) }
            switch try await webcam.captureFace(FaceCaptureRequest(deadline: deadline, attempt: attempt)) {
            case .captured(let sample):
                // An exception photo shows an injury, not a portrait: the portrait checks do not apply.
                let quality = slot == .exceptionPhoto ? 100 : sample.metadata.quality
                return .sample(try encoder.encode(sample), quality: quality, device: sample.metadata.device)
            case .retry(let reason): return .retry(reason)
            }
        case .signature:
            guard let pad = devices.signature else { throw CaptureFault(.notFound) }
            switch try await pad.captureSignature(SignatureCaptureRequest(deadline: deadline, attempt: attempt)) {
            case .captured(let sample):
                return .sample(try encoder.encode(sample), quality: sample.metadata.quality, device: sample.metadata.device)
            case .retry(let reason): return .retry(reason)
            }
        }
    }

    private func store(_ slot: CaptureSlot, _ encoded: EncodedSample, quality: Int?, forced: Bool, attempts: Int,
                       device: DeviceIdentity) throws {
        noteClock()
        let sample = JournalSample(
            slot: slot.key, modality: slot.modality, encoding: encoded.encoding, data: encoded.data,
            quality: quality, attempts: attempts, forced: forced, device: device, capturedAt: clock.wallClock())
        try journal.storeSample(sample, session: id, at: clock.wallClock())
        stored.insert(slot.key)
        logger.info("sample stored", metadata: [
            "session": "\(id)", "slot": "\(slot.key)", "quality": "\(quality.map(String.init) ?? "-")",
            "forced": "\(forced)",
        ])
        eventSink.yield(.stored(slot: slot.key, quality: quality, forced: forced, attempts: attempts))
    }

    private func markUnavailable(_ slot: CaptureSlot, _ fault: CaptureFault) throws {
        unavailable[slot.modality] = fault
        opened.remove(slot.modality)
        logger.notice("device unavailable", metadata: ["slot": "\(slot.key)", "fault": "\(fault)"])
        try journal.recordFault(fault, slot: slot.key, session: id, at: clock.wallClock())
        eventSink.yield(.fault(slot: slot.key, fault))
        eventSink.yield(.skipped(slot: slot.key, reason: "device unavailable: \(fault.code)"))
    }

    /// Wall-clock and monotonic time must advance together within a session; when they do not,
    /// the clock was changed under us.
    private func noteClock() {
        let wall = clock.wallClock()
        let monotonic = clock.now()
        let wallElapsed = wall.timeIntervalSince(lastTimes.wall)
        let monotonicElapsed = Double((monotonic - lastTimes.monotonic).components.seconds)
        lastTimes = (wall, monotonic)
        guard abs(wallElapsed - monotonicElapsed) > Self.clockJumpTolerance else { return }
        let detail = "wall clock moved \(Int(wallElapsed)) s while \(Int(monotonicElapsed)) s passed"
        do {
            try journal.recordStationEvent(kind: "clock-jump", detail: detail, session: id, at: wall)
        } catch {
            logger.error("could not record a clock jump", metadata: ["error": "\(error)"])
        }
        eventSink.yield(.clockJump(detail: detail))
    }
}
