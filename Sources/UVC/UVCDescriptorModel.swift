import USBDescriptors

/// A GUID as UVC descriptors store it: 16 bytes in wire order (Microsoft layout: the first three
/// fields little-endian). Compare GUIDs as raw bytes; `canonicalString` is the registry form.
public struct UVCGUID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 16 bytes exactly as they appear in the descriptor.
    public let bytes: [UInt8]

    /// Nil unless exactly 16 bytes are given.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public init(from decoder: any Decoder) throws {
        let bytes = try decoder.singleValueContainer().decode([UInt8].self)
        guard bytes.count == 16 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a GUID has 16 bytes, not \(bytes.count)"))
        }
        self.bytes = bytes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes)
    }

    /// The GUID of a video format named by its FourCC, e.g. "YUY2" (`59 55 59 32 00 00 10 00 80 00 00 AA 00 38 9B 71`).
    public init(fourCC: String) {
        var head = Array(fourCC.utf8.prefix(4))
        while head.count < 4 { head.append(0x20) }
        self.bytes = head + UVCGUID.formatTail
    }

    static let formatTail: [UInt8] = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]

    /// `{32595559-0000-0010-8000-00AA00389B71}` for YUY2: the first three fields byte-swapped.
    public var canonicalString: String {
        let order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15]
        var text = "{"
        for index in order {
            if index < 0 { text += "-"; continue }
            text += hex(bytes[index])
        }
        return text + "}"
    }

    /// The bytes in wire order, grouped like a GUID (what older `lsusb` prints).
    public var rawOrderString: String {
        var text = "{"
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text += "-" }
            text += hex(byte)
        }
        return text + "}"
    }

    /// The FourCC when the GUID is a standard `XXXX-0000-0010-8000-00AA00389B71` format GUID.
    public var fourCC: String? {
        guard Array(bytes[4...]) == UVCGUID.formatTail,
              bytes[0..<4].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: bytes[0..<4], as: UTF8.self)
    }

    public var description: String { canonicalString }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}

/// The pixel formats a capture driver can use, recognised from a format GUID.
public enum UVCPixelFormat: Sendable, Hashable, Codable, CustomStringConvertible {
    case yuy2, uyvy, nv12
    /// 8-bit grey ("Y800", "Y8  ", D3DFMT_L8).
    case grey8
    /// 8-bit near-infrared grey (KSMEDIA_L8_IR).
    case infrared8
    /// 16-bit grey ("Y16 ").
    case grey16
    case mjpeg
    case h264
    case other(UVCGUID)

    /// D3DFMT_L8: `32 00 00 00` + the standard tail.
    public static let d3dL8GUID = UVCGUID(bytes: [0x32, 0, 0, 0] + UVCGUID.formatTail)
    /// KSMEDIA_L8_IR: `32 00 00 00 02 00 10 00 80 00 00 AA 00 38 9B 71`.
    public static let l8InfraredGUID = UVCGUID(
        bytes: [0x32, 0, 0, 0, 0x02, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])

    public init(guid: UVCGUID) {
        if guid == UVCPixelFormat.l8InfraredGUID { self = .infrared8; return }
        if guid == UVCPixelFormat.d3dL8GUID { self = .grey8; return }
        switch guid.fourCC {
        case "YUY2": self = .yuy2
        case "UYVY": self = .uyvy
        case "NV12": self = .nv12
        case "Y800", "Y8  ", "GREY": self = .grey8
        case "Y16 ": self = .grey16
        case "MJPG": self = .mjpeg
        case "H264": self = .h264
        default: self = .other(guid)
        }
    }

    public var description: String {
        switch self {
        case .yuy2: "YUY2"
        case .uyvy: "UYVY"
        case .nv12: "NV12"
        case .grey8: "GREY8"
        case .infrared8: "L8_IR"
        case .grey16: "Y16"
        case .mjpeg: "MJPEG"
        case .h264: "H264"
        case .other(let guid): guid.canonicalString
        }
    }
}

/// The class-specific descriptors of one video function (one VideoControl interface and the
/// VideoStreaming interfaces it names).
public struct UVCVideoFunction: Sendable, Hashable {
    public var control: UVCVideoControl
    public var streams: [UVCStreamingInterface]
    /// Everything the parser repaired or ignored, for the log.
    public var warnings: [UVCDescriptorWarning]

    public init(control: UVCVideoControl, streams: [UVCStreamingInterface], warnings: [UVCDescriptorWarning]) {
        self.control = control
        self.streams = streams
        self.warnings = warnings
    }

    /// The streaming interface with that number.
    public func stream(interface: UInt8) -> UVCStreamingInterface? {
        streams.first { $0.interfaceNumber == interface }
    }
}

/// VideoControl interface: header, terminals and units.
public struct UVCVideoControl: Sendable, Hashable {
    public var interfaceNumber: UInt8
    public var header: UVCControlHeader
    public var inputTerminals: [UVCInputTerminal]
    public var outputTerminals: [UVCOutputTerminal]
    public var selectorUnits: [UVCSelectorUnit]
    public var processingUnits: [UVCProcessingUnit]
    public var extensionUnits: [UVCExtensionUnit]
    public var encodingUnits: [UVCEncodingUnit]
    /// The status interrupt endpoint, when there is one.
    public var interruptEndpoint: UInt8?
    /// wMaxTransferSize of the CS_ENDPOINT descriptor after the interrupt endpoint.
    public var interruptMaxTransferSize: UInt16?
    /// Descriptors with subtypes this parser does not model, kept raw (subtype, bytes).
    public var unknownDescriptors: [UVCRawDescriptor]
    /// What the parser repaired or ignored in this interface's descriptors.
    public var warnings: [UVCDescriptorWarning]

    public init(interfaceNumber: UInt8, header: UVCControlHeader) {
        self.warnings = []
        self.interfaceNumber = interfaceNumber
        self.header = header
        self.inputTerminals = []
        self.outputTerminals = []
        self.selectorUnits = []
        self.processingUnits = []
        self.extensionUnits = []
        self.encodingUnits = []
        self.interruptEndpoint = nil
        self.interruptMaxTransferSize = nil
        self.unknownDescriptors = []
    }

    /// The camera terminal (input terminal of type 0x0201), if any.
    public var cameraTerminal: UVCInputTerminal? { inputTerminals.first { $0.camera != nil } }
    /// The first processing unit, if any.
    public var processingUnit: UVCProcessingUnit? { processingUnits.first }
    /// The extension unit with that GUID (compared as raw bytes).
    public func extensionUnit(guid: UVCGUID) -> UVCExtensionUnit? { extensionUnits.first { $0.guid == guid } }
}

/// A class-specific descriptor kept as bytes.
public struct UVCRawDescriptor: Sendable, Hashable {
    public var subtype: UInt8
    public var offset: Int
    public var bytes: [UInt8]
}

/// VC_HEADER (subtype 0x01).
public struct UVCControlHeader: Sendable, Hashable {
    /// bcdUVC: 0x0100, 0x010A, 0x0110, 0x0150.
    public var uvcVersion: USBBCDVersion
    /// wTotalLength as declared.
    public var totalLength: UInt16
    /// dwClockFrequency in Hz (deprecated in UVC 1.5).
    public var clockFrequency: UInt32
    /// baInterfaceNr: the VideoStreaming interfaces of this function.
    public var streamingInterfaces: [UInt8]
}

/// Camera-specific fields of an input terminal of type 0x0201.
public struct UVCCameraTerminalFields: Sendable, Hashable {
    public var objectiveFocalLengthMin: UInt16
    public var objectiveFocalLengthMax: UInt16
    public var ocularFocalLength: UInt16
    /// bmControls as an integer (bit n of byte k is bit 8k + n).
    public var controls: UInt64
}

/// VC_INPUT_TERMINAL (subtype 0x02).
public struct UVCInputTerminal: Sendable, Hashable {
    public var terminalID: UInt8
    /// 0x0201 camera sensor, 0x0202 media transport input, 0x0101 USB streaming.
    public var terminalType: UInt16
    public var associatedTerminal: UInt8
    public var stringIndex: UInt8
    /// Present for camera terminals (type 0x0201).
    public var camera: UVCCameraTerminalFields?
}

/// VC_OUTPUT_TERMINAL (subtype 0x03).
public struct UVCOutputTerminal: Sendable, Hashable {
    public var terminalID: UInt8
    public var terminalType: UInt16
    public var associatedTerminal: UInt8
    public var sourceID: UInt8
    public var stringIndex: UInt8
}

/// VC_SELECTOR_UNIT (subtype 0x04).
public struct UVCSelectorUnit: Sendable, Hashable {
    public var unitID: UInt8
    public var sourceIDs: [UInt8]
    public var stringIndex: UInt8
}

/// VC_PROCESSING_UNIT (subtype 0x05).
public struct UVCProcessingUnit: Sendable, Hashable {
    public var unitID: UInt8
    public var sourceID: UInt8
    public var maxMultiplier: UInt16
    /// bmControls as an integer (bit 8k + n = bit n of byte k).
    public var controls: UInt64
    public var stringIndex: UInt8
    /// bmVideoStandards; nil in the UVC 1.0 form, which has no such byte (C920, bLength 11).
    public var videoStandards: UInt8?
}

/// VC_EXTENSION_UNIT (subtype 0x06).
public struct UVCExtensionUnit: Sendable, Hashable {
    public var unitID: UInt8
    public var guid: UVCGUID
    public var numberOfControls: UInt8
    public var sourceIDs: [UInt8]
    /// bmControls bytes: bit n (counting from bit 0 of the first byte) means selector n + 1 exists.
    public var controls: [UInt8]
    public var stringIndex: UInt8

    /// The selectors the bitmap announces (bit n → selector n + 1).
    public var selectors: [UInt8] {
        var result: [UInt8] = []
        for (byteIndex, byte) in controls.enumerated() {
            for bit in 0..<8 where byte & (1 << bit) != 0 {
                let selector = byteIndex * 8 + bit + 1
                if selector <= 255 { result.append(UInt8(selector)) }
            }
        }
        return result
    }
}

/// VC_ENCODING_UNIT (subtype 0x07, UVC 1.5): bUnitID, bSourceID, iEncoding, bControlSize,
/// bmControls, bmControlsRuntime. **[verify]** layout from the specification as remembered.
public struct UVCEncodingUnit: Sendable, Hashable {
    public var unitID: UInt8
    public var sourceID: UInt8
    public var stringIndex: UInt8
    public var controls: UInt64
    public var runtimeControls: UInt64
}

/// How a VideoStreaming interface carries video.
public enum UVCTransferMode: Sendable, Hashable {
    /// Alternate settings > 0 with isochronous endpoints; alt 0 has zero bandwidth.
    case isochronous
    /// One bulk endpoint in alternate setting 0.
    case bulk
    /// No streaming endpoint at all: the interface cannot stream.
    case none
}

/// One alternate setting's streaming endpoint.
public struct UVCStreamingEndpoint: Sendable, Hashable {
    public var alternateSetting: UInt8
    public var address: UInt8
    public var transferType: USBTransferType
    /// wMaxPacketSize as on the wire.
    public var maxPacketSizeField: UInt16
    /// wBytesPerInterval of a SuperSpeed endpoint companion descriptor, when present.
    public var superSpeedBytesPerInterval: UInt16?

    /// Bytes the endpoint moves per (micro)frame at that bus speed (section 5 of the facts).
    public func capacity(speed: USBSpeed) -> Int {
        let size = Int(maxPacketSizeField & 0x07FF)
        switch speed {
        case .low, .full: return size
        case .superSpeed, .superSpeedPlus:
            if let superSpeedBytesPerInterval { return Int(superSpeedBytesPerInterval) }
            return size * (1 + Int((maxPacketSizeField >> 11) & 0x3))
        case .high, .unknown:
            return size * (1 + Int((maxPacketSizeField >> 11) & 0x3))
        }
    }
}

/// One VideoStreaming interface: its input header, formats and endpoints.
public struct UVCStreamingInterface: Sendable, Hashable {
    public var interfaceNumber: UInt8
    public var inputHeader: UVCInputHeader
    public var formats: [UVCFormat]
    /// Streaming endpoints of every alternate setting, in alternate-setting order.
    public var endpoints: [UVCStreamingEndpoint]
    public var unknownDescriptors: [UVCRawDescriptor]
    /// What the parser repaired or ignored in this interface's descriptors.
    public var warnings: [UVCDescriptorWarning]

    public init(interfaceNumber: UInt8, inputHeader: UVCInputHeader, formats: [UVCFormat],
                endpoints: [UVCStreamingEndpoint] = [], unknownDescriptors: [UVCRawDescriptor] = [],
                warnings: [UVCDescriptorWarning] = []) {
        self.warnings = warnings
        self.interfaceNumber = interfaceNumber
        self.inputHeader = inputHeader
        self.formats = formats
        self.endpoints = endpoints
        self.unknownDescriptors = unknownDescriptors
    }

    public var transferMode: UVCTransferMode {
        if endpoints.contains(where: { $0.alternateSetting > 0 && $0.transferType == .isochronous }) {
            return .isochronous
        }
        if endpoints.contains(where: { $0.alternateSetting == 0 && $0.transferType == .bulk }) { return .bulk }
        return .none
    }

    /// The format with that 1-based index.
    public func format(index: UInt8) -> UVCFormat? { formats.first { $0.index == index } }

    /// The first format of that pixel format.
    public func format(_ pixelFormat: UVCPixelFormat) -> UVCFormat? {
        formats.first { $0.pixelFormat == pixelFormat }
    }
}

/// VS_INPUT_HEADER (subtype 0x01).
public struct UVCInputHeader: Sendable, Hashable {
    /// bNumFormats as declared (C270 declares 3 and ships 2: trust the descriptors present).
    public var declaredFormatCount: UInt8
    public var totalLength: UInt16
    public var endpointAddress: UInt8
    public var info: UInt8
    public var terminalLink: UInt8
    /// bStillCaptureMethod: 0 none, 1 take from stream, 2 still probe/commit, 3 dedicated bulk pipe.
    public var stillCaptureMethod: UInt8
    public var triggerSupport: UInt8
    public var triggerUsage: UInt8
    /// bmaControls, one entry of bControlSize bytes per declared format.
    public var formatControls: [[UInt8]]
}

/// What kind of payload a format carries.
public enum UVCFormatKind: Sendable, Hashable {
    case uncompressed(guid: UVCGUID, bitsPerPixel: UInt8)
    /// bmFlags bit 0: fixed-size samples.
    case mjpeg(flags: UInt8)
    case frameBased(guid: UVCGUID, bitsPerPixel: UInt8, variableSize: Bool)
}

/// COLORFORMAT (subtype 0x0D) values.
public struct UVCColorMatching: Sendable, Hashable {
    public var colorPrimaries: UInt8
    public var transferCharacteristics: UInt8
    public var matrixCoefficients: UInt8
}

/// A format descriptor with its frames.
public struct UVCFormat: Sendable, Hashable {
    /// bFormatIndex (1-based).
    public var index: UInt8
    public var kind: UVCFormatKind
    /// bNumFrameDescriptors as declared.
    public var declaredFrameCount: UInt8
    public var defaultFrameIndex: UInt8
    public var aspectRatioX: UInt8
    public var aspectRatioY: UInt8
    public var interlaceFlags: UInt8
    public var copyProtect: UInt8
    public var frames: [UVCFrame]
    public var stillImageFrame: UVCStillImageFrame?
    public var colorMatching: UVCColorMatching?

    public var pixelFormat: UVCPixelFormat {
        switch kind {
        case .uncompressed(let guid, _), .frameBased(let guid, _, _): UVCPixelFormat(guid: guid)
        case .mjpeg: .mjpeg
        }
    }

    /// Bits per pixel of uncompressed data; nil for MJPEG.
    public var bitsPerPixel: Int? {
        switch kind {
        case .uncompressed(_, let bits): Int(bits)
        case .frameBased(_, let bits, _): Int(bits)
        case .mjpeg: nil
        }
    }

    public var isUncompressed: Bool {
        if case .uncompressed = kind { return true }
        return false
    }

    /// The frame with that 1-based index.
    public func frame(index: UInt8) -> UVCFrame? { frames.first { $0.index == index } }
    /// The first frame of that size.
    public func frame(width: Int, height: Int) -> UVCFrame? {
        frames.first { Int($0.width) == width && Int($0.height) == height }
    }
}

/// Frame intervals in 100 ns units.
public enum UVCFrameIntervals: Sendable, Hashable {
    case discrete([UInt32])
    case continuous(min: UInt32, max: UInt32, step: UInt32)
}

/// A frame descriptor (FRAME_UNCOMPRESSED, FRAME_MJPEG or FRAME_FRAME_BASED).
public struct UVCFrame: Sendable, Hashable {
    public var index: UInt8
    /// bmCapabilities: bit 0 still image supported, bit 1 fixed frame rate.
    public var capabilities: UInt8
    public var width: UInt16
    public var height: UInt16
    public var minBitRate: UInt32
    public var maxBitRate: UInt32
    /// dwMaxVideoFrameBufferSize (nil for frame-based frames, which have none).
    public var maxVideoFrameBufferSize: UInt32?
    /// dwBytesPerLine (frame-based frames only).
    public var bytesPerLine: UInt32?
    public var defaultFrameInterval: UInt32
    public var intervals: UVCFrameIntervals

    /// Whether `fps` is offered, within `tolerance` frames per second (7.5 fps is a real rate).
    public func supports(fps: Double, tolerance: Double = 0.05) -> Bool {
        interval(forFPS: fps, tolerance: tolerance) != nil
    }

    /// The descriptor's interval (100 ns units) closest to `fps`, if within `tolerance`.
    public func interval(forFPS fps: Double, tolerance: Double = 0.05) -> UInt32? {
        guard fps > 0, fps.isFinite else { return nil }
        switch intervals {
        case .discrete(let values):
            return values.filter { $0 > 0 }
                .map { ($0, abs(10_000_000 / Double($0) - fps)) }
                .filter { $0.1 <= tolerance }
                .min { $0.1 < $1.1 }?.0
        case .continuous(let minimum, let maximum, let step):
            guard minimum > 0, minimum <= maximum else { return nil }
            let wanted = 10_000_000 / fps
            guard wanted >= Double(minimum) - 1, wanted <= Double(maximum) + 1 else { return nil }
            let stepValue = Double(max(step, 1))
            let steps = ((wanted - Double(minimum)) / stepValue).rounded()
            let candidate = min(Double(maximum), Double(minimum) + steps * stepValue)
            return abs(10_000_000 / candidate - fps) <= tolerance ? UInt32(candidate) : nil
        }
    }

    /// Frame rates offered (discrete list), rounded to two decimals.
    public var framesPerSecond: [Double] {
        guard case .discrete(let values) = intervals else { return [] }
        return values.filter { $0 > 0 }.map { (1_000_000_000 / Double($0)).rounded() / 100 }
    }
}

/// STILL_IMAGE_FRAME (subtype 0x03).
public struct UVCStillImageFrame: Sendable, Hashable {
    public struct Size: Sendable, Hashable {
        public var width: UInt16
        public var height: UInt16
    }

    public var endpointAddress: UInt8
    public var sizes: [Size]
    /// bNumCompressionPattern as declared.
    public var declaredCompressionCount: UInt8
    /// The compression values bLength actually holds.
    public var compressions: [UInt8]
}
