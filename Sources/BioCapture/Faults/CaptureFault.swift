/// Who has to act on a failure. The four domains answer a technician's first question.
public enum FaultDomain: String, Sendable, Hashable, Codable, CaseIterable {
    /// The device, cable, port or power failed.
    case hardware
    /// Our code, the driver stack or the station software failed.
    case software
    /// The station's set-up, not the device (permissions, kernel drivers, disk, clock, power).
    case environment
    /// The subject or operator must act; not a fault of anything.
    case `operator`
}

/// A stable, machine-readable fault code such as `disconnected` or `permission-denied`.
///
/// Codes never change meaning once published: scripts and translations key on them.
public struct FaultCode: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Every failure the library reports: a domain, a stable code, plain words for a person,
/// what to do about it, what went wrong underneath and on which device.
public struct CaptureFault: Error, Sendable, CustomStringConvertible {
    public var domain: FaultDomain
    public var code: FaultCode
    /// What happened, in plain English (translations come from `FaultCatalog` by code).
    public var message: String
    /// What to do about it.
    public var remedy: String
    /// The error underneath (a transport error, a decoder error…), when there is one.
    public var underlying: (any Error & Sendable)?
    /// The device the fault belongs to, when it belongs to one.
    public var device: DeviceIdentity?

    /// Creates a fault; domain, message and remedy default to the catalogue's entry for `code`.
    public init(
        _ code: FaultCode,
        domain: FaultDomain? = nil,
        message: String? = nil,
        remedy: String? = nil,
        underlying: (any Error & Sendable)? = nil,
        device: DeviceIdentity? = nil
    ) {
        let entry = FaultCatalog.entry(for: code)
        self.code = code
        self.domain = domain ?? entry?.domain ?? .software
        self.message = message ?? entry?.message.english ?? "Unexpected failure (\(code.rawValue))."
        self.remedy = remedy ?? entry?.remedy.english ?? "Collect the log and report it to the BioCapture maintainers."
        self.underlying = underlying
        self.device = device
    }

    /// The brief's question: is the hardware to blame?
    public var isHardware: Bool { domain == .hardware }

    /// A copy that names the device, unless one is already named.
    public func attributed(to device: DeviceIdentity) -> CaptureFault {
        var copy = self
        if copy.device == nil { copy.device = device }
        return copy
    }

    public var description: String {
        var text = "[\(domain.rawValue)/\(code.rawValue)] \(message)"
        if let device { text += " (device \(device.id))" }
        if let underlying { text += " — \(underlying)" }
        return text
    }

    /// The message in the requested language (catalogue text when the message is the default one).
    public func localizedMessage(_ language: MessageLanguage) -> String {
        guard let entry = FaultCatalog.entry(for: code), entry.message.english == message else { return message }
        return entry.message[language]
    }

    /// The remedy in the requested language (catalogue text when the remedy is the default one).
    public func localizedRemedy(_ language: MessageLanguage) -> String {
        guard let entry = FaultCatalog.entry(for: code), entry.remedy.english == remedy else { return remedy }
        return entry.remedy[language]
    }
}

extension CaptureFault: Encodable {
    private enum CodingKeys: String, CodingKey { case domain, code, message, remedy, underlying, device }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(domain, forKey: .domain)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(remedy, forKey: .remedy)
        try container.encodeIfPresent(underlying.map { String(describing: $0) }, forKey: .underlying)
        try container.encodeIfPresent(device, forKey: .device)
    }
}

extension CaptureFault {
    /// Wraps any error as a fault: faults pass through, cancellation stays recognisable,
    /// everything else is a software fault (an error we did not classify is our bug).
    public static func classify(_ error: any Error, device: DeviceIdentity? = nil) -> CaptureFault {
        if let fault = error as? CaptureFault {
            return device.map { fault.attributed(to: $0) } ?? fault
        }
        if let transport = error as? TransportError {
            return CaptureFault(transport: transport, device: device)
        }
        if error is CancellationError {
            return CaptureFault(.cancelled, device: device)
        }
        return CaptureFault(.internalError, underlying: UnclassifiedError(error), device: device)
    }
}

/// A non-Sendable error kept by its description.
public struct UnclassifiedError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ error: any Error) { description = String(describing: error) }
}
