import USBDescriptors

/// Size of the probe/commit structure, chosen by the function's bcdUVC.
///
/// Using the wrong size stalls some UVC 1.5 cameras (libuvc PR 187), and wLength must equal it.
public enum UVCStreamingControlSize: Int, Sendable, Hashable, CaseIterable {
    case uvc10 = 26
    case uvc11 = 34
    case uvc15 = 48

    /// < 1.1 → 26 bytes, < 1.5 → 34 bytes, otherwise 48 bytes.
    public init(uvcVersion: USBBCDVersion) {
        if uvcVersion.rawValue < 0x0110 {
            self = .uvc10
        } else if uvcVersion.rawValue < 0x0150 {
            self = .uvc11
        } else {
            self = .uvc15
        }
    }
}

/// An error in a probe/commit answer.
public struct UVCStreamingControlError: Error, Sendable, Hashable, CustomStringConvertible {
    public var received: Int
    public var required: Int
    public var description: String {
        "probe/commit answer of \(received) bytes; at least \(required) required"
    }
}

/// The VS_PROBE_CONTROL / VS_COMMIT_CONTROL structure (all fields little-endian).
///
/// Fields past the 26-byte UVC 1.0 form are zero when absent.
public struct UVCStreamingControl: Sendable, Hashable {
    /// bmHint bit 0: keep dwFrameInterval fixed.
    public var hint: UInt16 = 0
    public var formatIndex: UInt8 = 0
    public var frameIndex: UInt8 = 0
    /// dwFrameInterval in 100 ns units.
    public var frameInterval: UInt32 = 0
    public var keyFrameRate: UInt16 = 0
    public var pFrameRate: UInt16 = 0
    public var compressionQuality: UInt16 = 0
    public var compressionWindowSize: UInt16 = 0
    /// wDelay in milliseconds.
    public var delay: UInt16 = 0
    public var maxVideoFrameSize: UInt32 = 0
    public var maxPayloadTransferSize: UInt32 = 0
    // UVC 1.1
    public var clockFrequency: UInt32 = 0
    /// bit 0 FID required, bit 1 EOF may be present, bit 2 EOS (1.5).
    public var framingInfo: UInt8 = 0
    public var preferredVersion: UInt8 = 0
    public var minVersion: UInt8 = 0
    public var maxVersion: UInt8 = 0
    // UVC 1.5
    public var usage: UInt8 = 0
    public var bitDepthLuma: UInt8 = 0
    public var settings: UInt8 = 0
    public var maxNumberOfRefFramesPlus1: UInt8 = 0
    public var rateControlModes: UInt16 = 0
    public var layoutPerStream: UInt64 = 0

    public init() {}

    /// A probe asking for a format, frame and interval with the interval held fixed (bmHint bit 0).
    public init(formatIndex: UInt8, frameIndex: UInt8, frameInterval: UInt32) {
        self.hint = 0x0001
        self.formatIndex = formatIndex
        self.frameIndex = frameIndex
        self.frameInterval = frameInterval
    }

    /// Decodes an answer of at least 26 bytes; the 1.1 fields need 34, the 1.5 fields 48.
    /// Bytes beyond 48 are ignored.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= UVCStreamingControlSize.uvc10.rawValue else {
            throw UVCStreamingControlError(received: bytes.count, required: UVCStreamingControlSize.uvc10.rawValue)
        }
        hint = LittleEndian.u16(bytes, 0)
        formatIndex = bytes[2]
        frameIndex = bytes[3]
        frameInterval = LittleEndian.u32(bytes, 4)
        keyFrameRate = LittleEndian.u16(bytes, 8)
        pFrameRate = LittleEndian.u16(bytes, 10)
        compressionQuality = LittleEndian.u16(bytes, 12)
        compressionWindowSize = LittleEndian.u16(bytes, 14)
        delay = LittleEndian.u16(bytes, 16)
        maxVideoFrameSize = LittleEndian.u32(bytes, 18)
        maxPayloadTransferSize = LittleEndian.u32(bytes, 22)
        if bytes.count >= UVCStreamingControlSize.uvc11.rawValue {
            clockFrequency = LittleEndian.u32(bytes, 26)
            framingInfo = bytes[30]
            preferredVersion = bytes[31]
            minVersion = bytes[32]
            maxVersion = bytes[33]
        }
        if bytes.count >= UVCStreamingControlSize.uvc15.rawValue {
            usage = bytes[34]
            bitDepthLuma = bytes[35]
            settings = bytes[36]
            maxNumberOfRefFramesPlus1 = bytes[37]
            rateControlModes = LittleEndian.u16(bytes, 38)
            layoutPerStream = LittleEndian.u64(bytes, 40)
        }
    }

    /// The structure in the given size; fields that do not fit that form are left out.
    public func encoded(size: UVCStreamingControlSize) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size.rawValue)
        LittleEndian.put(hint, into: &bytes, at: 0)
        bytes[2] = formatIndex
        bytes[3] = frameIndex
        LittleEndian.put(frameInterval, into: &bytes, at: 4)
        LittleEndian.put(keyFrameRate, into: &bytes, at: 8)
        LittleEndian.put(pFrameRate, into: &bytes, at: 10)
        LittleEndian.put(compressionQuality, into: &bytes, at: 12)
        LittleEndian.put(compressionWindowSize, into: &bytes, at: 14)
        LittleEndian.put(delay, into: &bytes, at: 16)
        LittleEndian.put(maxVideoFrameSize, into: &bytes, at: 18)
        LittleEndian.put(maxPayloadTransferSize, into: &bytes, at: 22)
        guard size != .uvc10 else { return bytes }
        LittleEndian.put(clockFrequency, into: &bytes, at: 26)
        bytes[30] = framingInfo
        bytes[31] = preferredVersion
        bytes[32] = minVersion
        bytes[33] = maxVersion
        guard size == .uvc15 else { return bytes }
        bytes[34] = usage
        bytes[35] = bitDepthLuma
        bytes[36] = settings
        bytes[37] = maxNumberOfRefFramesPlus1
        LittleEndian.put(rateControlModes, into: &bytes, at: 38)
        LittleEndian.put(layoutPerStream, into: &bytes, at: 40)
        return bytes
    }

    /// A copy with the fields that do not exist in `size` cleared (what a round trip through that size keeps).
    public func truncated(to size: UVCStreamingControlSize) -> UVCStreamingControl {
        var copy = self
        if size == .uvc10 {
            copy.clockFrequency = 0
            copy.framingInfo = 0
            copy.preferredVersion = 0
            copy.minVersion = 0
            copy.maxVersion = 0
        }
        if size != .uvc15 {
            copy.usage = 0
            copy.bitDepthLuma = 0
            copy.settings = 0
            copy.maxNumberOfRefFramesPlus1 = 0
            copy.rateControlModes = 0
            copy.layoutPerStream = 0
        }
        return copy
    }
}

/// The 11-byte VS_STILL_PROBE / VS_STILL_COMMIT structure (still capture method 2).
public struct UVCStillControl: Sendable, Hashable {
    public static let size = 11

    public var formatIndex: UInt8
    public var frameIndex: UInt8
    public var compressionIndex: UInt8
    public var maxVideoFrameSize: UInt32
    public var maxPayloadTransferSize: UInt32

    public init(formatIndex: UInt8, frameIndex: UInt8, compressionIndex: UInt8,
                maxVideoFrameSize: UInt32 = 0, maxPayloadTransferSize: UInt32 = 0) {
        self.formatIndex = formatIndex
        self.frameIndex = frameIndex
        self.compressionIndex = compressionIndex
        self.maxVideoFrameSize = maxVideoFrameSize
        self.maxPayloadTransferSize = maxPayloadTransferSize
    }

    public init(bytes: [UInt8]) throws {
        guard bytes.count >= Self.size else {
            throw UVCStreamingControlError(received: bytes.count, required: Self.size)
        }
        formatIndex = bytes[0]
        frameIndex = bytes[1]
        compressionIndex = bytes[2]
        maxVideoFrameSize = LittleEndian.u32(bytes, 3)
        maxPayloadTransferSize = LittleEndian.u32(bytes, 7)
    }

    public var encoded: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.size)
        bytes[0] = formatIndex
        bytes[1] = frameIndex
        bytes[2] = compressionIndex
        LittleEndian.put(maxVideoFrameSize, into: &bytes, at: 3)
        LittleEndian.put(maxPayloadTransferSize, into: &bytes, at: 7)
        return bytes
    }
}
