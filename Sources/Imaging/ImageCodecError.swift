import BioCapture

/// The file formats the Imaging module reads and writes.
public enum ImageFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case jpeg
    case png
    /// Portable graymap: P5 (binary) and, on read, P2 (ASCII).
    case pgm
    /// Portable pixmap: P6 (binary) and, on read, P3 (ASCII).
    case ppm

    public var description: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .pgm: "PGM"
        case .ppm: "PPM"
        }
    }
}

/// Every failure of an image codec: a stable kind for programs, a message for people.
///
/// Kinds never change meaning; messages may be reworded. `offset`, when present, is the byte
/// offset in the input where the problem was found (for truncation: where the data ran out).
public struct ImageCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable value.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The file does not exist.
        case fileNotFound = "file-not-found"
        /// The file exists but may not be read or written.
        case permissionDenied = "permission-denied"
        /// Reading or writing the file failed for another reason (disk full, I/O error…).
        case ioFailed = "io-failed"
        /// The bytes are not in any format this module reads, or the extension is unknown.
        case unsupportedFormat = "unsupported-format"
        /// The data ends before the image is complete.
        case truncated
        /// The data is damaged or violates the format (bad CRC, bad marker, bad header field…).
        case corrupt
        /// The image is larger than the configured pixel cap (decompression-bomb guard).
        case tooLarge = "too-large"
        /// Well-formed, but using a feature this module does not decode (interlaced PNG,
        /// 12-bit or CMYK JPEG…).
        case unsupportedFeature = "unsupported-feature"
        /// The caller passed something invalid (quality out of range, RGB image to a PGM file…).
        case invalidArgument = "invalid-argument"
        /// Memory could not be allocated.
        case outOfMemory = "out-of-memory"
    }

    public var kind: Kind
    /// The format being decoded or encoded, when known.
    public var format: ImageFormat?
    /// What happened, for a person.
    public var message: String
    /// Byte offset in the input where the problem was detected, when meaningful.
    public var offset: Int?
    /// The file involved, when the error came from `ImageFile`.
    public var path: String?

    public init(_ kind: Kind, format: ImageFormat? = nil, _ message: String, offset: Int? = nil, path: String? = nil) {
        self.kind = kind
        self.format = format
        self.message = message
        self.offset = offset
        self.path = path
    }

    public var description: String {
        var text = ""
        if let path { text += "\(path): " }
        if let format { text += "\(format): " }
        text += message
        if let offset { text += " (at byte offset \(offset))" }
        text += " [\(kind.rawValue)]"
        return text
    }

    /// A copy that names the file, unless one is already named.
    func at(path: String) -> ImageCodecError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }
}

extension ImageCodecError {
    /// The `CaptureFault` for this error, blaming the domain the caller chooses.
    ///
    /// Only the caller knows where the bytes came from: pass `.hardware` for image data that came
    /// from a device (a damaged frame is `corrupt-frame`, a truncated one `short-frame`), and
    /// `.software` for data that should have been fine, such as a stored file or our own encoder's
    /// output (`decode-failed`). File-system failures ignore the choice: a missing file is
    /// `not-found`, a refused one `permission-denied` (environment). Memory exhaustion is always
    /// `out-of-memory` and a bad argument always `invalid-parameter` (software).
    public func captureFault(domain: FaultDomain, device: DeviceIdentity? = nil) -> CaptureFault {
        switch kind {
        case .fileNotFound:
            return CaptureFault(.notFound, message: description, underlying: self, device: device)
        case .permissionDenied:
            return CaptureFault(.permissionDenied, message: description, underlying: self, device: device)
        case .ioFailed:
            return CaptureFault(.ioError, domain: .environment, message: description, underlying: self, device: device)
        case .outOfMemory:
            return CaptureFault(.outOfMemory, underlying: self, device: device)
        case .invalidArgument:
            return CaptureFault(.invalidParameter, underlying: self, device: device)
        case .unsupportedFormat, .truncated, .corrupt, .tooLarge, .unsupportedFeature:
            switch domain {
            case .hardware:
                let code: FaultCode = kind == .truncated ? .shortFrame : .corruptFrame
                return CaptureFault(code, domain: .hardware, underlying: self, device: device)
            case .software, .environment, .operator:
                return CaptureFault(.decodeFailed, domain: domain, underlying: self, device: device)
            }
        }
    }
}
