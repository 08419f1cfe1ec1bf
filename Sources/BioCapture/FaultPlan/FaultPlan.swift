/// The fault kinds shared by simulated devices and USB-level emulators, so a fault injected
/// under a real driver gives the same `CaptureFault` as in the simulator.
public enum FaultKind: String, Sendable, Hashable, Codable, CaseIterable {
    case disconnect
    case timeout
    case stall
    case corruptFrame = "corrupt-frame"
    case sensorDefect = "sensor-defect"
    case permissionDenied = "permission-denied"
    case busy
    /// The station lost power; the device re-enumerates.
    case powerLoss = "power-loss"
    /// USB level: the device sends more than asked.
    case overflow
    /// USB level: a transfer ends short.
    case shortPacket = "short-packet"
    /// USB level: the device answers late (a timeout only when later than the deadline).
    case slow

    /// The fault this kind produces, as the design assigns it.
    public var faultCode: FaultCode? {
        switch self {
        case .disconnect: .disconnected
        case .timeout: .timeout
        case .stall: .stalled
        case .corruptFrame: .corruptFrame
        case .sensorDefect: .sensorDefect
        case .permissionDenied: .permissionDenied
        case .busy: .busy
        case .powerLoss: .powerLoss
        case .overflow: .overflow
        case .shortPacket: .shortFrame
        case .slow: nil
        }
    }

    public var domain: FaultDomain? {
        faultCode.flatMap { FaultCatalog.entry(for: $0)?.domain }
    }

    /// The fault a device reports for this kind.
    public func fault(device: DeviceIdentity?, detail: String? = nil) -> CaptureFault? {
        guard let code = faultCode else { return nil }
        var fault = CaptureFault(code, device: device)
        if let detail { fault.message += " (\(detail))" }
        return fault
    }
}

/// Where in a device's work a fault strikes.
public enum FaultStep: Sendable, Hashable, CustomStringConvertible {
    /// A named phase: "open", "sensor", "capture", "stream"… (drivers document theirs).
    case named(String)
    /// The n-th operation (1-based) of that device: a transfer for emulators, a capture for simulators.
    case index(Int)

    public var description: String {
        switch self {
        case .named(let name): name
        case .index(let index): String(index)
        }
    }
}

/// One injected fault: `MODALITY:KIND[@STEP][xCOUNT]`, e.g. `fingerprint:disconnect@capture`,
/// `iris:timeout@3x2`.
public struct FaultInjection: Sendable, Hashable, CustomStringConvertible {
    public var modality: Modality
    public var kind: FaultKind
    /// nil: the first operation that can fail this way.
    public var step: FaultStep?
    /// How many times it strikes (consecutive occurrences).
    public var count: Int

    public init(modality: Modality, kind: FaultKind, step: FaultStep? = nil, count: Int = 1) {
        self.modality = modality
        self.kind = kind
        self.step = step
        self.count = count
    }

    public var description: String {
        var text = "\(modality.rawValue):\(kind.rawValue)"
        if let step { text += "@\(step)" }
        if count != 1 { text += "x\(count)" }
        return text
    }

    /// Parses the spec; the error says what is wrong in words a technician understands.
    public init(parsing spec: String) throws(FaultSpecError) {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw FaultSpecError(spec: spec, reason: "expected MODALITY:KIND[@STEP][xCOUNT]")
        }
        let modalityText = String(trimmed[..<colon]).lowercased()
        guard let modality = Modality(rawValue: modalityText) else {
            throw FaultSpecError(
                spec: spec,
                reason: "unknown modality '\(modalityText)' (one of \(Modality.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var rest = Substring(trimmed[trimmed.index(after: colon)...])
        var count = 1
        if let xIndex = rest.lastIndex(of: "x"), rest[rest.index(after: xIndex)...].allSatisfy(\.isNumber),
           rest.index(after: xIndex) < rest.endIndex
        {
            guard let parsed = Int(rest[rest.index(after: xIndex)...]), parsed >= 1, parsed <= 10_000 else {
                throw FaultSpecError(spec: spec, reason: "COUNT must be a whole number from 1 to 10000")
            }
            count = parsed
            rest = rest[..<xIndex]
        }
        var step: FaultStep?
        if let at = rest.firstIndex(of: "@") {
            let stepText = String(rest[rest.index(after: at)...])
            guard !stepText.isEmpty else { throw FaultSpecError(spec: spec, reason: "STEP after '@' is empty") }
            if let index = Int(stepText) {
                guard index >= 1 else { throw FaultSpecError(spec: spec, reason: "a numbered STEP starts at 1") }
                step = .index(index)
            } else {
                guard stepText.allSatisfy({ $0.isLetter || $0 == "-" }) else {
                    throw FaultSpecError(spec: spec, reason: "STEP must be a number or a step name such as 'capture'")
                }
                step = .named(stepText.lowercased())
            }
            rest = rest[..<at]
        }
        let kindText = String(rest).lowercased()
        guard let kind = FaultKind(rawValue: kindText) else {
            throw FaultSpecError(
                spec: spec,
                reason: "unknown fault kind '\(kindText)' (one of \(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.init(modality: modality, kind: kind, step: step, count: count)
    }
}

public struct FaultSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var spec: String
    public var reason: String
    public var description: String { "invalid fault spec '\(spec)': \(reason)" }
}

/// A set of injected faults with the bookkeeping of which have struck.
public struct FaultPlan: Sendable, Hashable {
    public var injections: [FaultInjection]

    public init(_ injections: [FaultInjection] = []) { self.injections = injections }

    public init(parsing specs: [String]) throws(FaultSpecError) {
        var injections: [FaultInjection] = []
        for spec in specs { injections.append(try FaultInjection(parsing: spec)) }
        self.init(injections)
    }

    public var isEmpty: Bool { injections.isEmpty }

    /// The injections for one modality.
    public func restricted(to modality: Modality) -> FaultPlan {
        FaultPlan(injections.filter { $0.modality == modality })
    }
}

/// Tracks a plan as a device works through its operations: ask it at every operation whether a
/// fault strikes there. Not thread-safe: owned by one device actor or one emulator under a lock.
public struct FaultSchedule: Sendable {
    private var pending: [FaultInjection]
    /// Strikes left for an injection that has started striking.
    private var active: [(injection: FaultInjection, remaining: Int)] = []
    public private(set) var operationCount = 0

    public init(_ plan: FaultPlan) { pending = plan.injections }

    /// Call once per operation, with the phase name when the operation belongs to one; returns
    /// the fault kind to act out, if any. A fault with no step strikes at the first operation
    /// whose `eligible` set contains its kind.
    public mutating func next(phase: String? = nil, eligible: Set<FaultKind> = Set(FaultKind.allCases)) -> FaultKind? {
        operationCount += 1
        if let index = active.firstIndex(where: { eligible.contains($0.injection.kind) }) {
            let kind = active[index].injection.kind
            active[index].remaining -= 1
            if active[index].remaining <= 0 { active.remove(at: index) }
            return kind
        }
        for (index, injection) in pending.enumerated() where eligible.contains(injection.kind) {
            let strikes: Bool
            switch injection.step {
            case nil: strikes = true
            case .index(let n): strikes = operationCount >= n
            case .named(let name): strikes = phase == name
            }
            guard strikes else { continue }
            pending.remove(at: index)
            if injection.count > 1 { active.append((injection, injection.count - 1)) }
            return injection.kind
        }
        return nil
    }

    /// Whether any injection has not struck yet.
    public var hasPending: Bool { !pending.isEmpty || !active.isEmpty }
}
