import BioCapture

/// A UVC class-specific descriptor block that cannot be trusted.
///
/// The offset is counted from the first byte of the block handed to the parser (the interface's
/// `extra` bytes), so a technician can find the byte in a hex dump of that interface.
public struct UVCDescriptorError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// bLength is 0 or 1: the walk cannot advance (libuvc loops forever on this).
        case invalidLength
        /// A descriptor runs past the end of the bytes that hold it.
        case truncated
        /// A descriptor is shorter than its fixed fields or the counts it declares.
        case tooShort
        /// A descriptor that is not class-specific (bDescriptorType != 0x24) inside a class block.
        case unexpectedDescriptorType
        /// The VideoControl header or a VideoStreaming input header is missing or not first.
        case missingHeader
        /// No video function was found (no VideoControl interface, or an IAD with no VC header).
        case notFound
    }

    public var kind: Kind
    /// Which block: "VideoControl interface 0", "VideoStreaming interface 1".
    public var block: String
    /// Offset of the offending descriptor from the start of the block.
    public var offset: Int
    /// What was wrong, in words.
    public var detail: String

    public init(_ kind: Kind, block: String, offset: Int, detail: String) {
        self.kind = kind
        self.block = block
        self.offset = offset
        self.detail = detail
    }

    public var description: String { "\(block), offset \(offset): \(kind.rawValue): \(detail)" }
}

/// Something the parser accepted by repairing or ignoring it (real cameras ship such descriptors).
public struct UVCDescriptorWarning: Sendable, Hashable, CustomStringConvertible {
    public var block: String
    public var offset: Int
    public var detail: String

    public init(block: String, offset: Int, detail: String) {
        self.block = block
        self.offset = offset
        self.detail = detail
    }

    public var description: String { "\(block), offset \(offset): \(detail)" }
}

extension CaptureFault {
    /// A descriptor the camera sent that cannot be parsed: the device broke the protocol.
    public init(uvcDescriptor error: UVCDescriptorError, device: DeviceIdentity? = nil) {
        if error.kind == .notFound {
            self.init(.unsupportedDevice, message: "No usable USB video function: \(error.description)",
                      underlying: error, device: device)
        } else {
            self.init(.protocolError, message: "The camera's video descriptors are malformed: \(error.description)",
                      underlying: error, device: device)
        }
    }
}

/// Bounds-checked little-endian reads inside one descriptor.
///
/// Every read checks against the descriptor's own bLength, so a count that lies can never make
/// the parser read the next descriptor or past the buffer.
struct DescriptorCursor {
    let bytes: [UInt8]
    /// Index of the descriptor's first byte in `bytes`.
    let start: Int
    /// bLength, already checked to fit in `bytes`.
    let length: Int
    let block: String
    let name: String

    func u8(_ offset: Int) throws -> UInt8 {
        guard offset >= 0, offset < length else { throw short(offset + 1) }
        return bytes[start + offset]
    }

    func u16(_ offset: Int) throws -> UInt16 {
        guard offset >= 0, offset + 2 <= length else { throw short(offset + 2) }
        return UInt16(bytes[start + offset]) | UInt16(bytes[start + offset + 1]) << 8
    }

    func u32(_ offset: Int) throws -> UInt32 {
        guard offset >= 0, offset + 4 <= length else { throw short(offset + 4) }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[start + offset + i]) << (8 * i) }
        return value
    }

    func slice(_ offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset + count <= length else { throw short(offset + count) }
        return Array(bytes[(start + offset)..<(start + offset + count)])
    }

    /// Throws unless the descriptor holds at least `needed` bytes.
    func require(_ needed: Int, _ why: @autoclosure () -> String = "") throws {
        guard length >= needed else {
            let reason = why()
            throw UVCDescriptorError(
                .tooShort, block: block, offset: start,
                detail: "\(name) bLength \(length) < \(needed)" + (reason.isEmpty ? "" : " (\(reason))"))
        }
    }

    private func short(_ needed: Int) -> UVCDescriptorError {
        UVCDescriptorError(.tooShort, block: block, offset: start, detail: "\(name) bLength \(length) < \(needed)")
    }
}

/// Reads little-endian integers from a byte array; for the fixed-size wire structures.
enum LittleEndian {
    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(u32(bytes, at)) | UInt64(u32(bytes, at + 4)) << 32
    }

    static func put(_ value: UInt16, into bytes: inout [UInt8], at: Int) {
        bytes[at] = UInt8(truncatingIfNeeded: value)
        bytes[at + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }

    static func put(_ value: UInt32, into bytes: inout [UInt8], at: Int) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    static func put(_ value: UInt64, into bytes: inout [UInt8], at: Int) {
        for i in 0..<8 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }
}
