import BioCapture

/// bmHeaderInfo bits of a UVC payload header.
public struct UVCPayloadFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// FID: toggles at every new frame.
    public static let frameID = UVCPayloadFlags(rawValue: 1 << 0)
    /// EOF: this payload ends the frame.
    public static let endOfFrame = UVCPayloadFlags(rawValue: 1 << 1)
    /// PTS: dwPresentationTime follows.
    public static let presentationTime = UVCPayloadFlags(rawValue: 1 << 2)
    /// SCR: the source clock reference follows.
    public static let sourceClockReference = UVCPayloadFlags(rawValue: 1 << 3)
    public static let reserved = UVCPayloadFlags(rawValue: 1 << 4)
    /// STI: the payload belongs to a still image.
    public static let stillImage = UVCPayloadFlags(rawValue: 1 << 5)
    /// ERR: the camera reports an error in this frame (VS_STREAM_ERROR_CODE tells why).
    public static let error = UVCPayloadFlags(rawValue: 1 << 6)
    /// EOH: end of header.
    public static let endOfHeader = UVCPayloadFlags(rawValue: 1 << 7)
}

/// The SCR field: source time clock and the 1 kHz SOF counter (11 bits used).
public struct UVCSourceClock: Sendable, Hashable {
    public var sourceTimeClock: UInt32
    public var sofCounter: UInt16
}

/// A payload header that cannot be trusted.
public enum UVCPayloadHeaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Fewer than 2 bytes in a non-empty payload.
    case payloadTooShort(Int)
    /// bHeaderLength < 2 or larger than the payload.
    case invalidHeaderLength(headerLength: Int, payloadLength: Int)
    /// PTS/SCR flags ask for more bytes than bHeaderLength holds.
    case fieldsExceedHeader(headerLength: Int, required: Int)

    public var description: String {
        switch self {
        case .payloadTooShort(let count): "payload of \(count) byte(s) cannot hold a header"
        case .invalidHeaderLength(let header, let payload): "bHeaderLength \(header) in a payload of \(payload) bytes"
        case .fieldsExceedHeader(let header, let required): "header flags need \(required) bytes, bHeaderLength is \(header)"
        }
    }
}

/// The header at the start of every isochronous packet or bulk payload.
public struct UVCPayloadHeader: Sendable, Hashable {
    /// bHeaderLength (2…255, includes itself); video data starts at this offset.
    public var length: Int
    public var flags: UVCPayloadFlags
    public var presentationTime: UInt32?
    public var sourceClock: UVCSourceClock?

    public init(length: Int, flags: UVCPayloadFlags, presentationTime: UInt32? = nil, sourceClock: UVCSourceClock? = nil) {
        self.length = length
        self.flags = flags
        self.presentationTime = presentationTime
        self.sourceClock = sourceClock
    }

    /// Parses the header of `payload` (which must not be empty).
    public init(parsing payload: [UInt8]) throws(UVCPayloadHeaderError) {
        let result = payload.withUnsafeBytes { raw in
            Result { () throws(UVCPayloadHeaderError) -> UVCPayloadHeader in try UVCPayloadHeader(parsing: raw) }
        }
        self = try result.get()
    }

    /// Parses the header at the start of `payload`.
    public init(parsing payload: UnsafeRawBufferPointer) throws(UVCPayloadHeaderError) {
        guard payload.count >= 2 else { throw .payloadTooShort(payload.count) }
        let headerLength = Int(payload[0])
        guard headerLength >= 2, headerLength <= payload.count else {
            throw .invalidHeaderLength(headerLength: headerLength, payloadLength: payload.count)
        }
        let flags = UVCPayloadFlags(rawValue: payload[1])
        var needed = 2
        if flags.contains(.presentationTime) { needed += 4 }
        if flags.contains(.sourceClockReference) { needed += 6 }
        guard needed <= headerLength else { throw .fieldsExceedHeader(headerLength: headerLength, required: needed) }
        func u32(_ at: Int) -> UInt32 {
            UInt32(payload[at]) | UInt32(payload[at + 1]) << 8 | UInt32(payload[at + 2]) << 16 | UInt32(payload[at + 3]) << 24
        }
        var offset = 2
        var presentationTime: UInt32?
        if flags.contains(.presentationTime) {
            presentationTime = u32(offset)
            offset += 4
        }
        var sourceClock: UVCSourceClock?
        if flags.contains(.sourceClockReference) {
            sourceClock = UVCSourceClock(sourceTimeClock: u32(offset),
                                         sofCounter: UInt16(payload[offset + 4]) | UInt16(payload[offset + 5]) << 8)
        }
        self.init(length: headerLength, flags: flags, presentationTime: presentationTime, sourceClock: sourceClock)
    }

    /// The header's bytes (for emulators and tests).
    public var encoded: [UInt8] {
        var bytes: [UInt8] = [UInt8(truncatingIfNeeded: length), flags.rawValue]
        if let presentationTime {
            bytes += (0..<4).map { UInt8(truncatingIfNeeded: presentationTime >> (8 * $0)) }
        }
        if let sourceClock {
            bytes += (0..<4).map { UInt8(truncatingIfNeeded: sourceClock.sourceTimeClock >> (8 * $0)) }
            bytes += [UInt8(truncatingIfNeeded: sourceClock.sofCounter), UInt8(truncatingIfNeeded: sourceClock.sofCounter >> 8)]
        }
        while bytes.count < length { bytes.append(0) }
        return bytes
    }
}

/// A complete, checked video frame.
public struct UVCVideoFrame: Sendable, Hashable {
    public var data: [UInt8]
    /// 1-based count of frames the assembler finished (delivered or not).
    public var sequence: Int
    /// The FID bit of the frame's payloads.
    public var frameID: Bool
    /// PTS of the frame's first payload that carried one.
    public var presentationTime: UInt32?
    /// SCR of the frame's last payload that carried one.
    public var sourceClock: UVCSourceClock?
    /// STI was set: the frame is a still image (still capture method 2).
    public var isStillImage: Bool
    /// The frame ended with EOF (otherwise with the next frame's FID toggle).
    public var endedWithEndOfFrame: Bool
    /// The assembler inserted the default Huffman tables (MJPEG frame without DHT).
    public var huffmanTablesInserted: Bool
}

/// Why a frame was not delivered.
public enum UVCFrameDiscardReason: String, Sendable, Hashable, Codable {
    /// The frame ended without EOF (FID toggled, or the stream ended) and is not a whole frame.
    case dropped
    /// EOF came before the frame was complete (uncompressed: fewer than width x height x bpp
    /// bytes; MJPEG: no EOI).
    case short
    /// A payload had the ERR bit set.
    case error
    /// More bytes than the frame may hold.
    case oversize
    /// An isochronous packet failed or a header was invalid, or MJPEG markers are broken.
    case damaged
}

/// A frame the assembler refused.
public struct UVCDiscardedFrame: Sendable, Hashable {
    public var reason: UVCFrameDiscardReason
    public var sequence: Int
    /// Bytes received for the frame (including bytes not kept because of oversize).
    public var byteCount: Int
    public var detail: String
}

/// What the assembler emits.
public enum UVCAssemblerEvent: Sendable, Hashable {
    case frame(UVCVideoFrame)
    case discarded(UVCDiscardedFrame)
}

/// Counters kept by the assembler.
public struct UVCAssemblerStatistics: Sendable, Hashable {
    public var payloads = 0
    public var payloadBytes = 0
    /// Zero-length packets and header-only payloads (normal for isochronous streams).
    public var emptyPayloads = 0
    public var invalidHeaders = 0
    public var failedPackets = 0
    public var framesDelivered = 0
    public var framesDropped = 0
    public var framesShort = 0
    public var framesError = 0
    public var framesOversize = 0
    public var framesDamaged = 0
    /// Delivered frames that ended on a FID toggle rather than EOF.
    public var framesWithoutEndOfFrame = 0
    public var huffmanTablesInserted = 0

    public init() {}

    public var framesDiscarded: Int { framesDropped + framesShort + framesError + framesOversize + framesDamaged }
}

/// Reassembles video frames from UVC payloads given in order.
///
/// Frames end at EOF or when FID toggles; a frame is delivered only if it is plausible
/// (uncompressed: exactly width x height x bpp / 8 bytes; MJPEG: SOI … EOI, with the default
/// Huffman tables inserted when it has none). Everything else is reported as a discarded frame
/// and counted. Memory is bounded by `maxFrameSize`: bytes past it are counted, not kept.
public struct UVCFrameAssembler: Sendable {
    public enum PayloadKind: Sendable, Hashable {
        /// Exactly `frameSize` bytes per frame.
        case uncompressed(frameSize: Int)
        case mjpeg
        /// Frame-based formats (H.264 …): only the size limit is checked.
        case other
    }

    public struct Configuration: Sendable, Hashable {
        public var kind: PayloadKind
        /// Largest frame accepted, in bytes.
        public var maxFrameSize: Int
        /// Insert the Annex K tables into MJPEG frames that lack a DHT before SOS.
        public var insertMissingHuffmanTables: Bool

        public init(kind: PayloadKind, maxFrameSize: Int, insertMissingHuffmanTables: Bool = true) {
            self.kind = kind
            if case .uncompressed(let frameSize) = kind {
                // An uncompressed frame can never be larger than its exact size.
                self.maxFrameSize = max(0, frameSize)
            } else {
                self.maxFrameSize = max(0, maxFrameSize)
            }
            self.insertMissingHuffmanTables = insertMissingHuffmanTables
        }

        /// The configuration for a negotiated stream.
        public init(negotiated: UVCNegotiatedStream, insertMissingHuffmanTables: Bool = true) {
            let kind: PayloadKind
            if let exact = negotiated.selection.uncompressedFrameSize {
                kind = .uncompressed(frameSize: exact)
            } else if negotiated.selection.format.pixelFormat == .mjpeg {
                kind = .mjpeg
            } else {
                kind = .other
            }
            self.init(kind: kind, maxFrameSize: negotiated.maxFrameSize, insertMissingHuffmanTables: insertMissingHuffmanTables)
        }
    }

    public let configuration: Configuration
    public private(set) var statistics = UVCAssemblerStatistics()

    private var buffer: [UInt8] = []
    private var receivedBytes = 0
    private var inFrame = false
    private var currentFID = false
    private var frameHasError = false
    private var frameDamaged = false
    private var frameIsStill = false
    private var framePTS: UInt32?
    private var frameSCR: UVCSourceClock?
    /// A packet failed after the last good data: the frame it belonged to is unknown, so it
    /// damages the frame in progress and the one that starts next.
    private var damageSinceLastData = false
    private var sequence = 0

    public init(configuration: Configuration) {
        self.configuration = configuration
        buffer.reserveCapacity(min(configuration.maxFrameSize, 1 << 22))
    }

    /// Feeds one isochronous packet: failed packets damage the frame, empty ones are skipped.
    public mutating func append(packet: USBIsochronousPacket, emit: (UVCAssemblerEvent) -> Void) {
        if packet.failure != nil {
            statistics.failedPackets += 1
            markDamaged()
            return
        }
        append(packet.data, emit: emit)
    }

    /// Feeds one payload (header + data).
    public mutating func append(_ payload: [UInt8], emit: (UVCAssemblerEvent) -> Void) {
        payload.withUnsafeBytes { append($0, emit: emit) }
    }

    /// Feeds one payload and returns what it completed (convenience; allocates an array).
    public mutating func append(_ payload: [UInt8]) -> [UVCAssemblerEvent] {
        var events: [UVCAssemblerEvent] = []
        append(payload) { events.append($0) }
        return events
    }

    /// Feeds one payload (header + data) from raw memory.
    public mutating func append(_ payload: UnsafeRawBufferPointer, emit: (UVCAssemblerEvent) -> Void) {
        statistics.payloads += 1
        guard !payload.isEmpty else {
            statistics.emptyPayloads += 1
            return
        }
        let header: UVCPayloadHeader
        do {
            header = try UVCPayloadHeader(parsing: payload)
        } catch {
            statistics.invalidHeaders += 1
            markDamaged()
            return
        }
        let fid = header.flags.contains(.frameID)
        let dataCount = payload.count - header.length
        statistics.payloadBytes += dataCount

        // A FID toggle ends the frame in progress, EOF or not.
        if inFrame, fid != currentFID {
            finishFrame(endedWithEOF: false, emit: emit)
        }
        if dataCount > 0 || header.flags.contains(.error) {
            if !inFrame { startFrame(fid: fid) }
        } else if !inFrame {
            statistics.emptyPayloads += 1
            return
        }
        if header.flags.contains(.error) { frameHasError = true }
        if header.flags.contains(.stillImage) { frameIsStill = true }
        if framePTS == nil, let pts = header.presentationTime { framePTS = pts }
        if let scr = header.sourceClock { frameSCR = scr }
        if dataCount > 0 {
            damageSinceLastData = false
            receivedBytes += dataCount
            let room = configuration.maxFrameSize - buffer.count
            let keep = min(room, dataCount)
            if keep > 0 {
                let data = UnsafeRawBufferPointer(rebasing: payload[header.length..<(header.length + keep)])
                buffer.append(contentsOf: data)
            }
        } else {
            statistics.emptyPayloads += 1
        }
        if header.flags.contains(.endOfFrame) {
            finishFrame(endedWithEOF: true, emit: emit)
        }
    }

    /// Ends the stream: a frame still in progress is reported (it never saw EOF).
    public mutating func finish(emit: (UVCAssemblerEvent) -> Void) {
        if inFrame { finishFrame(endedWithEOF: false, emit: emit) }
        damageSinceLastData = false
    }

    private mutating func markDamaged() {
        if inFrame { frameDamaged = true }
        damageSinceLastData = true
    }

    private mutating func startFrame(fid: Bool) {
        inFrame = true
        currentFID = fid
        buffer.removeAll(keepingCapacity: true)
        receivedBytes = 0
        frameHasError = false
        frameDamaged = damageSinceLastData
        frameIsStill = false
        framePTS = nil
        frameSCR = nil
    }

    /// A copy with exactly `count` capacity: the working buffer keeps its (large) capacity for the
    /// next frame, and a delivered frame does not pin it (`Array(buffer[...])` would share it).
    private func exactCopy(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { Array($0) }
    }

    private mutating func finishFrame(endedWithEOF: Bool, emit: (UVCAssemblerEvent) -> Void) {
        inFrame = false
        sequence += 1
        let received = receivedBytes

        func discard(_ reason: UVCFrameDiscardReason, _ detail: String, _ statistics: inout UVCAssemblerStatistics) {
            switch reason {
            case .dropped: statistics.framesDropped += 1
            case .short: statistics.framesShort += 1
            case .error: statistics.framesError += 1
            case .oversize: statistics.framesOversize += 1
            case .damaged: statistics.framesDamaged += 1
            }
            emit(.discarded(UVCDiscardedFrame(reason: reason, sequence: sequence, byteCount: received, detail: detail)))
        }

        if frameHasError { return discard(.error, "ERR bit set in a payload header", &statistics) }
        if frameDamaged { return discard(.damaged, "an isochronous packet failed or a payload header was invalid", &statistics) }
        if received > configuration.maxFrameSize {
            return discard(.oversize, "\(received) bytes, at most \(configuration.maxFrameSize) allowed", &statistics)
        }
        var data: [UInt8]
        var inserted = false
        switch configuration.kind {
        case .uncompressed(let frameSize):
            guard received == frameSize else {
                return discard(endedWithEOF ? .short : .dropped, "\(received) of \(frameSize) bytes", &statistics)
            }
            data = exactCopy(buffer)
        case .mjpeg:
            let endsWithEOI = buffer.count >= 4 && buffer[buffer.count - 2] == 0xFF && buffer[buffer.count - 1] == 0xD9
            guard buffer.count >= 2, buffer[0] == 0xFF, buffer[1] == 0xD8 else {
                return discard(endedWithEOF ? .damaged : .dropped, "MJPEG frame does not start with SOI", &statistics)
            }
            guard endsWithEOI else {
                return discard(endedWithEOF ? .short : .dropped, "MJPEG frame of \(received) bytes has no EOI", &statistics)
            }
            if configuration.insertMissingHuffmanTables {
                do {
                    let fixed = try MJPEGFrame.insertingDefaultHuffmanTables(buffer)
                    inserted = fixed.count != buffer.count
                    // Unchanged frames come back sharing the working buffer: copy to exact size.
                    data = inserted ? fixed : exactCopy(buffer)
                } catch {
                    return discard(.damaged, "\(error)", &statistics)
                }
            } else {
                data = exactCopy(buffer)
            }
        case .other:
            data = exactCopy(buffer)
        }
        statistics.framesDelivered += 1
        if !endedWithEOF { statistics.framesWithoutEndOfFrame += 1 }
        if inserted { statistics.huffmanTablesInserted += 1 }
        emit(.frame(UVCVideoFrame(
            data: data, sequence: sequence, frameID: currentFID, presentationTime: framePTS, sourceClock: frameSCR,
            isStillImage: frameIsStill, endedWithEndOfFrame: endedWithEOF, huffmanTablesInserted: inserted)))
    }
}
