/// Why raw descriptor bytes were rejected, with the byte offset where the problem is.
///
/// Offsets count from the first byte given to the parser (0 = the device descriptor's bLength
/// for sysfs-order input, or the configuration descriptor's bLength for `parseConfiguration`).
public struct USBDescriptorParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem, for callers that branch on it.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// No bytes at all.
        case empty
        /// A descriptor, or a configuration's wTotalLength, runs past the end of the data.
        case truncated
        /// bLength is below 2 or below the size of the standard descriptor it introduces.
        case invalidLength
        /// A device or configuration descriptor was expected and something else is there.
        case unexpectedDescriptorType
        /// wTotalLength is smaller than the configuration descriptor itself.
        case invalidTotalLength
        /// The device descriptor announces more configurations than the data holds.
        case missingConfiguration
    }

    public var kind: Kind
    /// Offset of the descriptor (or field) that is wrong.
    public var offset: Int
    /// An English sentence naming the descriptor, the offset and the numbers involved.
    public var reason: String

    public init(kind: Kind, offset: Int, reason: String) {
        self.kind = kind
        self.offset = offset
        self.reason = reason
    }

    public var description: String { reason }
}

/// Something the parser accepted although it does not follow the specification
/// (real devices are often sloppy: wrong counts, stray bytes).
public struct USBDescriptorWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { message }
}

/// What `USBDescriptorParser.parseWithWarnings` returns: the descriptors and the irregularities
/// it tolerated.
public struct USBDescriptorParseReport: Sendable, Hashable {
    public var descriptors: USBDeviceDescriptors
    public var warnings: [USBDescriptorWarning]

    public init(descriptors: USBDeviceDescriptors, warnings: [USBDescriptorWarning]) {
        self.descriptors = descriptors
        self.warnings = warnings
    }
}
