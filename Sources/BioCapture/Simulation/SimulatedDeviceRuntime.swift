import Foundation

/// What every simulated device shares: status, events, latency, and acting out a fault plan the
/// way the real device would fail, so a fault injected in the simulator gives the same
/// `CaptureFault` (domain and code) as the same fault under a real driver.
///
/// Phases a simulator reports: `open`, `sensor` (self-test without a subject), `capture`.
/// A numbered step counts every operation of the device, `open` included (`@3` = the third).
/// A fault with no step strikes at the first phase where that kind can happen
/// (`permission-denied` and `busy` at open; `sensor-defect` at sensor or capture; the others at capture).
public actor SimulatedDeviceRuntime {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let events: AsyncStream<DeviceEvent>
    private let eventSink: AsyncStream<DeviceEvent>.Continuation
    public nonisolated let clock: any CaptureClock
    /// Time one capture takes on this simulated device.
    public nonisolated let latency: Duration
    /// How long a simulated USB transfer waits before it times out.
    public nonisolated let transferTimeout: Duration
    private var schedule: FaultSchedule
    public private(set) var status: DeviceStatus = .notReady
    /// A power cut makes the device vanish; it is back (re-enumerated) at the next open.
    private var lostPower = false
    /// Set once a sensor-defect fault struck: the sensor stays defective.
    public private(set) var sensorDefective = false

    public init(identity: DeviceIdentity, context: DriverContext, defaultLatency: Duration) {
        self.identity = identity
        clock = context.clock
        latency = context.settings["latency-ms"].flatMap(Int.init).map { .milliseconds($0) } ?? defaultLatency
        transferTimeout = context.settings["transfer-timeout-ms"].flatMap(Int.init).map { .milliseconds($0) }
            ?? .seconds(1)
        schedule = FaultSchedule(context.faultPlan.restricted(to: identity.modality))
        (events, eventSink) = AsyncStream.makeStream(of: DeviceEvent.self)
    }

    public func emit(_ event: DeviceEvent) { eventSink.yield(event) }

    private func setStatus(_ new: DeviceStatus) {
        guard new != status else { return }
        status = new
        eventSink.yield(.statusChanged(new))
    }

    /// Opens the device, acting out open-time faults.
    public func open() async throws {
        if lostPower { lostPower = false }  // re-enumerated after the power came back
        if let kind = schedule.next(phase: "open", eligible: [.permissionDenied, .busy, .disconnect, .timeout, .powerLoss]) {
            try await actOut(kind, phase: "open")
        }
        try await clock.sleep(for: .milliseconds(5))
        setStatus(sensorDefective ? .degraded(reason: "sensor defect") : .ready)
    }

    public func close() {
        if status != .disconnected { setStatus(.notReady) }
    }

    /// Call before a phase's work; throws the planned fault when one strikes here.
    /// Returns `.corruptFrame` or `.sensorDefect` when the caller must damage its output instead.
    public func begin(phase: String) async throws -> FaultKind? {
        guard status != .disconnected, !lostPower else {
            throw CaptureFault(.disconnected, message: "The simulated device is unplugged.", device: identity)
        }
        guard status != .notReady else {
            throw CaptureFault(.apiMisuse, message: "The device was used before open().", device: identity)
        }
        let eligible: Set<FaultKind> = phase == "sensor"
            ? [.sensorDefect, .disconnect, .timeout, .stall, .powerLoss, .corruptFrame]
            : [.sensorDefect, .disconnect, .timeout, .stall, .powerLoss, .corruptFrame, .overflow, .shortPacket, .slow]
        let struck = schedule.next(phase: phase, eligible: eligible)
        if struck == .sensorDefect { sensorDefective = true }
        if let struck, struck != .corruptFrame, struck != .sensorDefect {
            try await actOut(struck, phase: phase)
        }
        if struck == .corruptFrame { return .corruptFrame }
        return sensorDefective ? .sensorDefect : nil
    }

    /// Sleeps for the capture latency (cancellable).
    public func work() async throws {
        setStatus(.busy)
        defer { if status == .busy { setStatus(sensorDefective ? .degraded(reason: "sensor defect") : .ready) } }
        try await clock.sleep(for: latency)
    }

    /// The fault for a damaged frame, as a driver reports it.
    public func corruptFrameFault(detail: String) -> CaptureFault {
        CaptureFault(.corruptFrame, message: "The device sent a damaged frame (\(detail)).", device: identity)
    }

    private func actOut(_ kind: FaultKind, phase: String) async throws {
        switch kind {
        case .disconnect:
            setStatus(.disconnected)
            eventSink.yield(.removed)
            throw CaptureFault(.disconnected, device: identity)
        case .powerLoss:
            lostPower = true
            setStatus(.disconnected)
            eventSink.yield(.removed)
            throw CaptureFault(.powerLoss, device: identity)
        case .timeout:
            try await clock.sleep(for: transferTimeout)
            throw CaptureFault(.timeout, message: "The device did not answer within \(transferTimeout) (\(phase)).",
                               device: identity)
        case .slow:
            try await clock.sleep(for: latency * 3)
        case .stall, .permissionDenied, .busy, .overflow, .shortPacket, .corruptFrame, .sensorDefect:
            if let fault = kind.fault(device: identity, detail: phase) { throw fault }
        }
    }
}

extension DriverContext {
    /// The identity of a simulated device built from this context: the registry's identity with
    /// the simulator's id when none was given, firmware `sim-VERSION`, and a serial number made
    /// from the seed (so two stations with different seeds show different serials).
    public func simulatedIdentity(defaultID: String, serialPrefix: String) -> DeviceIdentity {
        var identity = self.identity
        if identity.id.isEmpty { identity.id = defaultID }
        identity.firmwareVersion = "sim-\(BioCaptureVersion.current)"
        identity.serialNumber = "\(serialPrefix)-\(String(seed, radix: 16))"
        return identity
    }
}
