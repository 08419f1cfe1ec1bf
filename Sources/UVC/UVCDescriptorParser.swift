import USBDescriptors

/// Parses the class-specific UVC descriptors that follow the VideoControl and VideoStreaming
/// interface descriptors (`extra` bytes in the `USBDescriptors` model).
///
/// The parser works on raw byte arrays, so it does not depend on how the configuration was
/// read. Every count is checked against bLength: a descriptor that lies about its size fails
/// with a `UVCDescriptorError` naming the offset; counts that real cameras get wrong (frame
/// interval lists, still-image compression patterns, bNumFormats) are clamped and reported as
/// warnings. Nothing allocates more than the input's size.
public enum UVCDescriptorParser {
    static let classSpecificInterface: UInt8 = 0x24
    static let classSpecificEndpoint: UInt8 = 0x25
    static let videoClass: UInt8 = 0x0E
    static let videoControlSubclass: UInt8 = 0x01
    static let videoStreamingSubclass: UInt8 = 0x02

    // MARK: Whole configuration

    /// Every video function in a configuration, in VideoControl interface order.
    ///
    /// A VideoStreaming interface that cannot be parsed (an output stream, malformed descriptors)
    /// is left out of its function with a warning, so one bad stream does not hide the others;
    /// a VideoControl interface that cannot be parsed fails the whole call.
    public static func parseFunctions(configuration: USBConfigurationDescriptor) throws -> [UVCVideoFunction] {
        let controlInterfaces = configuration.interfaces.filter { interface in
            interface.alternateSettings.first.map {
                $0.interfaceClass == videoClass && $0.interfaceSubClass == videoControlSubclass
            } ?? false
        }
        guard !controlInterfaces.isEmpty else {
            throw UVCDescriptorError(.notFound, block: "configuration \(configuration.configurationValue)",
                                     offset: 0, detail: "no VideoControl interface (class 0x0E, subclass 0x01)")
        }
        var functions: [UVCVideoFunction] = []
        for controlInterface in controlInterfaces {
            var control = try parseVideoControl(interface: controlInterface)
            var streams: [UVCStreamingInterface] = []
            var warnings: [UVCDescriptorWarning] = []
            for number in control.header.streamingInterfaces {
                let block = "VideoStreaming interface \(number)"
                guard let interface = configuration.interfaces.first(where: { $0.number == number }) else {
                    warnings.append(.init(block: block, offset: 0, detail: "named by the VC header but absent; ignored"))
                    continue
                }
                guard let first = interface.alternateSettings.first, first.interfaceClass == videoClass,
                      first.interfaceSubClass == videoStreamingSubclass else {
                    warnings.append(.init(block: block, offset: 0,
                                          detail: "named by the VC header but not a VideoStreaming interface; ignored"))
                    continue
                }
                do {
                    streams.append(try parseVideoStreaming(interface: interface))
                } catch let error as UVCDescriptorError {
                    warnings.append(.init(block: block, offset: error.offset, detail: "stream ignored: \(error.detail)"))
                }
            }
            warnings = control.warnings + streams.flatMap(\.warnings) + warnings
            control.warnings = []
            functions.append(UVCVideoFunction(control: control, streams: streams.map {
                var stream = $0
                stream.warnings = []
                return stream
            }, warnings: warnings))
        }
        return functions
    }

    /// The first video function of a configuration (see `parseFunctions(configuration:)`).
    public static func parse(configuration: USBConfigurationDescriptor) throws -> UVCVideoFunction {
        let functions = try parseFunctions(configuration: configuration)
        guard let first = functions.first else {
            throw UVCDescriptorError(.notFound, block: "configuration", offset: 0, detail: "no video function")
        }
        return first
    }

    /// A video function from raw class-specific bytes, without the `USBDescriptors` model:
    /// the VC interface's extra bytes and, per streaming interface, its number and extra bytes.
    /// Streams parsed this way have no endpoints (`transferMode == .none`).
    public static func parse(
        videoControlExtra: [UInt8], videoControlInterface: UInt8 = 0,
        streamingInterfaces: [(number: UInt8, extra: [UInt8])]
    ) throws -> UVCVideoFunction {
        var control = try parseVideoControl(videoControlExtra, interfaceNumber: videoControlInterface)
        var streams: [UVCStreamingInterface] = []
        for entry in streamingInterfaces {
            var stream = try parseVideoStreaming(entry.extra, interfaceNumber: entry.number)
            control.warnings += stream.warnings
            stream.warnings = []
            streams.append(stream)
        }
        let warnings = control.warnings
        control.warnings = []
        return UVCVideoFunction(control: control, streams: streams, warnings: warnings)
    }

    // MARK: Interfaces from the model

    /// The VideoControl interface from the model: class-specific bytes of alternate setting 0,
    /// its interrupt endpoint and that endpoint's CS_ENDPOINT descriptor.
    public static func parseVideoControl(interface: USBInterface) throws -> UVCVideoControl {
        guard let setting = interface.alternateSettings.first else {
            throw UVCDescriptorError(.notFound, block: "VideoControl interface \(interface.number)", offset: 0,
                                     detail: "interface has no alternate setting")
        }
        var control = try parseVideoControl(setting.extra, interfaceNumber: interface.number)
        if let endpoint = setting.endpoints.first(where: { $0.transferType == .interrupt && $0.direction == .deviceToHost }) {
            control.interruptEndpoint = endpoint.address
            let extra = endpoint.extra
            // CS_ENDPOINT EP_INTERRUPT: bLength 5, type 0x25, subtype 0x03, wMaxTransferSize @3.
            var offset = 0
            while offset + 2 <= extra.count, extra[offset] >= 2 {
                let length = Int(extra[offset])
                if offset + length <= extra.count, length >= 5, extra[offset + 1] == classSpecificEndpoint,
                   extra[offset + 2] == 0x03 {
                    control.interruptMaxTransferSize = LittleEndian.u16(extra, offset + 3)
                }
                offset += length
            }
        }
        return control
    }

    /// A VideoStreaming interface from the model: class-specific bytes (alternate setting 0) and
    /// the streaming endpoint of every alternate setting.
    public static func parseVideoStreaming(interface: USBInterface) throws -> UVCStreamingInterface {
        let block = "VideoStreaming interface \(interface.number)"
        guard let classBytes = interface.alternateSettings.first(where: { !$0.extra.isEmpty })?.extra else {
            throw UVCDescriptorError(.missingHeader, block: block, offset: 0, detail: "no class-specific descriptors")
        }
        var stream = try parseVideoStreaming(classBytes, interfaceNumber: interface.number)
        for setting in interface.alternateSettings {
            let candidates = setting.endpoints.filter {
                $0.direction == .deviceToHost && ($0.transferType == .isochronous || $0.transferType == .bulk)
            }
            // Prefer the endpoint the input header names; fall back to the first data endpoint.
            guard let endpoint = candidates.first(where: { $0.address == stream.inputHeader.endpointAddress })
                ?? candidates.first else { continue }
            stream.endpoints.append(UVCStreamingEndpoint(
                alternateSetting: setting.alternateSetting, address: endpoint.address,
                transferType: endpoint.transferType, maxPacketSizeField: endpoint.maxPacketSizeField,
                superSpeedBytesPerInterval: superSpeedBytesPerInterval(endpoint.extra)))
        }
        stream.endpoints.sort { $0.alternateSetting < $1.alternateSetting }
        return stream
    }

    /// wBytesPerInterval of a SuperSpeed endpoint companion (type 0x30, bLength 6) in `extra`.
    static func superSpeedBytesPerInterval(_ extra: [UInt8]) -> UInt16? {
        var offset = 0
        while offset + 2 <= extra.count, extra[offset] >= 2 {
            let length = Int(extra[offset])
            if offset + length <= extra.count, length >= 6, extra[offset + 1] == 0x30 {
                return LittleEndian.u16(extra, offset + 4)
            }
            offset += length
        }
        return nil
    }

    // MARK: Walking a block

    /// Visits each class-specific interface descriptor (type 0x24) of a block, checking bLength.
    private static func walk(
        _ bytes: [UInt8], block: String, warnings: inout [UVCDescriptorWarning],
        _ visit: (DescriptorCursor, UInt8, inout [UVCDescriptorWarning]) throws -> Void
    ) throws {
        var offset = 0
        while offset < bytes.count {
            let remaining = bytes.count - offset
            guard remaining >= 2 else {
                throw UVCDescriptorError(.truncated, block: block, offset: offset,
                                         detail: "\(remaining) trailing byte(s), no room for a descriptor")
            }
            let length = Int(bytes[offset])
            guard length >= 2 else {
                throw UVCDescriptorError(.invalidLength, block: block, offset: offset,
                                         detail: "bLength \(length) cannot advance")
            }
            guard length <= remaining else {
                throw UVCDescriptorError(.truncated, block: block, offset: offset,
                                         detail: "bLength \(length) runs past the end (\(remaining) bytes left)")
            }
            let type = bytes[offset + 1]
            if type != classSpecificInterface {
                warnings.append(.init(block: block, offset: offset,
                                      detail: "descriptor type 0x\(hex(type)) among class descriptors; skipped"))
                offset += length
                continue
            }
            guard length >= 3 else {
                throw UVCDescriptorError(.tooShort, block: block, offset: offset,
                                         detail: "class-specific descriptor of bLength \(length) has no subtype")
            }
            let subtype = bytes[offset + 2]
            let cursor = DescriptorCursor(bytes: bytes, start: offset, length: length, block: block,
                                          name: "subtype 0x\(hex(subtype))")
            try visit(cursor, subtype, &warnings)
            offset += length
        }
    }

    // MARK: VideoControl

    /// The class-specific descriptors of a VideoControl interface.
    public static func parseVideoControl(_ bytes: [UInt8], interfaceNumber: UInt8) throws -> UVCVideoControl {
        let block = "VideoControl interface \(interfaceNumber)"
        var control: UVCVideoControl?
        var warnings: [UVCDescriptorWarning] = []
        try walk(bytes, block: block, warnings: &warnings) { cursor, subtype, warnings in
            guard var current = control else {
                guard subtype == 0x01 else {
                    throw UVCDescriptorError(.missingHeader, block: block, offset: cursor.start,
                                             detail: "first class descriptor has subtype 0x\(hex(subtype)), not HEADER")
                }
                control = UVCVideoControl(interfaceNumber: interfaceNumber, header: try parseControlHeader(cursor))
                return
            }
            switch subtype {
            case 0x01:
                warnings.append(.init(block: block, offset: cursor.start, detail: "second VC HEADER ignored"))
            case 0x02: current.inputTerminals.append(try parseInputTerminal(cursor))
            case 0x03: current.outputTerminals.append(try parseOutputTerminal(cursor))
            case 0x04: current.selectorUnits.append(try parseSelectorUnit(cursor))
            case 0x05: current.processingUnits.append(try parseProcessingUnit(cursor))
            case 0x06: current.extensionUnits.append(try parseExtensionUnit(cursor))
            case 0x07: current.encodingUnits.append(try parseEncodingUnit(cursor))
            default:
                current.unknownDescriptors.append(.init(
                    subtype: subtype, offset: cursor.start, bytes: try cursor.slice(0, count: cursor.length)))
            }
            control = current
        }
        guard var result = control else {
            throw UVCDescriptorError(.notFound, block: block, offset: 0,
                                     detail: "no VideoControl HEADER descriptor (\(bytes.count) class bytes)")
        }
        let declared = Int(result.header.totalLength)
        if declared != bytes.count {
            warnings.append(.init(block: block, offset: 0,
                                  detail: "wTotalLength \(declared) but \(bytes.count) class bytes present"))
        }
        result.warnings = warnings
        return result
    }

    private static func named(_ cursor: DescriptorCursor, _ name: String) -> DescriptorCursor {
        DescriptorCursor(bytes: cursor.bytes, start: cursor.start, length: cursor.length, block: cursor.block, name: name)
    }

    private static func parseControlHeader(_ raw: DescriptorCursor) throws -> UVCControlHeader {
        let cursor = named(raw, "VC HEADER")
        try cursor.require(12)
        let count = Int(try cursor.u8(11))
        try cursor.require(12 + count, "bInCollection \(count)")
        return UVCControlHeader(
            uvcVersion: USBBCDVersion(rawValue: try cursor.u16(3)), totalLength: try cursor.u16(5),
            clockFrequency: try cursor.u32(7), streamingInterfaces: try cursor.slice(12, count: count))
    }

    /// An integer from a bitmap of `size` bytes (bytes beyond the eighth are ignored).
    private static func bitmap(_ cursor: DescriptorCursor, at offset: Int, size: Int) throws -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<min(size, 8) { value |= UInt64(try cursor.u8(offset + i)) << (8 * i) }
        return value
    }

    private static func parseInputTerminal(_ raw: DescriptorCursor) throws -> UVCInputTerminal {
        let cursor = named(raw, "INPUT_TERMINAL")
        try cursor.require(8)
        let type = try cursor.u16(4)
        var camera: UVCCameraTerminalFields?
        if type == 0x0201 {
            let cameraCursor = named(raw, "camera INPUT_TERMINAL")
            try cameraCursor.require(15)
            let size = Int(try cameraCursor.u8(14))
            try cameraCursor.require(15 + size, "bControlSize \(size)")
            camera = UVCCameraTerminalFields(
                objectiveFocalLengthMin: try cameraCursor.u16(8), objectiveFocalLengthMax: try cameraCursor.u16(10),
                ocularFocalLength: try cameraCursor.u16(12), controls: try bitmap(cameraCursor, at: 15, size: size))
        }
        return UVCInputTerminal(terminalID: try cursor.u8(3), terminalType: type,
                                associatedTerminal: try cursor.u8(6), stringIndex: try cursor.u8(7), camera: camera)
    }

    private static func parseOutputTerminal(_ raw: DescriptorCursor) throws -> UVCOutputTerminal {
        let cursor = named(raw, "OUTPUT_TERMINAL")
        try cursor.require(9)
        return UVCOutputTerminal(terminalID: try cursor.u8(3), terminalType: try cursor.u16(4),
                                 associatedTerminal: try cursor.u8(6), sourceID: try cursor.u8(7),
                                 stringIndex: try cursor.u8(8))
    }

    private static func parseSelectorUnit(_ raw: DescriptorCursor) throws -> UVCSelectorUnit {
        let cursor = named(raw, "SELECTOR_UNIT")
        try cursor.require(5)
        let pins = Int(try cursor.u8(4))
        try cursor.require(6 + pins, "bNrInPins \(pins)")
        return UVCSelectorUnit(unitID: try cursor.u8(3), sourceIDs: try cursor.slice(5, count: pins),
                               stringIndex: try cursor.u8(5 + pins))
    }

    private static func parseProcessingUnit(_ raw: DescriptorCursor) throws -> UVCProcessingUnit {
        let cursor = named(raw, "PROCESSING_UNIT")
        try cursor.require(8)
        let size = Int(try cursor.u8(7))
        // UVC 1.0 units end after iProcessing (bLength 9 + n); 1.1 and 1.5 add bmVideoStandards.
        try cursor.require(9 + size, "bControlSize \(size)")
        return UVCProcessingUnit(
            unitID: try cursor.u8(3), sourceID: try cursor.u8(4), maxMultiplier: try cursor.u16(5),
            controls: try bitmap(cursor, at: 8, size: size), stringIndex: try cursor.u8(8 + size),
            videoStandards: cursor.length >= 10 + size ? try cursor.u8(9 + size) : nil)
    }

    private static func parseExtensionUnit(_ raw: DescriptorCursor) throws -> UVCExtensionUnit {
        let cursor = named(raw, "EXTENSION_UNIT")
        try cursor.require(22)
        let pins = Int(try cursor.u8(21))
        try cursor.require(23 + pins, "bNrInPins \(pins)")
        let size = Int(try cursor.u8(22 + pins))
        try cursor.require(24 + pins + size, "bNrInPins \(pins), bControlSize \(size)")
        guard let guid = UVCGUID(bytes: try cursor.slice(4, count: 16)) else {
            throw UVCDescriptorError(.tooShort, block: cursor.block, offset: cursor.start, detail: "EXTENSION_UNIT GUID")
        }
        return UVCExtensionUnit(
            unitID: try cursor.u8(3), guid: guid, numberOfControls: try cursor.u8(20),
            sourceIDs: try cursor.slice(22, count: pins), controls: try cursor.slice(23 + pins, count: size),
            stringIndex: try cursor.u8(23 + pins + size))
    }

    private static func parseEncodingUnit(_ raw: DescriptorCursor) throws -> UVCEncodingUnit {
        let cursor = named(raw, "ENCODING_UNIT")
        try cursor.require(7)
        let size = Int(try cursor.u8(6))
        try cursor.require(7 + 2 * size, "bControlSize \(size)")
        return UVCEncodingUnit(
            unitID: try cursor.u8(3), sourceID: try cursor.u8(4), stringIndex: try cursor.u8(5),
            controls: try bitmap(cursor, at: 7, size: size), runtimeControls: try bitmap(cursor, at: 7 + size, size: size))
    }

    // MARK: VideoStreaming

    /// The class-specific descriptors of a VideoStreaming interface (input streams only).
    public static func parseVideoStreaming(_ bytes: [UInt8], interfaceNumber: UInt8) throws -> UVCStreamingInterface {
        let block = "VideoStreaming interface \(interfaceNumber)"
        var header: UVCInputHeader?
        var formats: [UVCFormat] = []
        var unknown: [UVCRawDescriptor] = []
        var warnings: [UVCDescriptorWarning] = []
        // Index into `formats` of the format that frames, stills and colour descriptors attach to.
        var currentFormat: Int?

        try walk(bytes, block: block, warnings: &warnings) { cursor, subtype, warnings in
            guard header != nil else {
                guard subtype == 0x01 else {
                    let what = subtype == 0x02 ? "an OUTPUT_HEADER (output stream, not a capture stream)"
                        : "subtype 0x\(hex(subtype)), not INPUT_HEADER"
                    throw UVCDescriptorError(.missingHeader, block: block, offset: cursor.start,
                                             detail: "first class descriptor is \(what)")
                }
                header = try parseInputHeader(cursor)
                return
            }
            switch subtype {
            case 0x01, 0x02:
                warnings.append(.init(block: block, offset: cursor.start, detail: "second stream header ignored"))
            case 0x04, 0x06, 0x10:
                formats.append(try parseFormat(cursor, subtype: subtype))
                currentFormat = formats.count - 1
            case 0x05, 0x07, 0x11:
                let frame = try parseFrame(cursor, subtype: subtype, warnings: &warnings)
                guard let index = currentFormat, frameSubtype(of: formats[index].kind) == subtype else {
                    warnings.append(.init(block: block, offset: cursor.start,
                                          detail: "frame subtype 0x\(hex(subtype)) does not belong to the preceding format; ignored"))
                    return
                }
                formats[index].frames.append(frame)
            case 0x03:
                let still = try parseStillImageFrame(cursor, warnings: &warnings)
                guard let index = currentFormat else {
                    warnings.append(.init(block: block, offset: cursor.start, detail: "STILL_IMAGE_FRAME before any format; ignored"))
                    return
                }
                formats[index].stillImageFrame = still
            case 0x0D:
                let color = try parseColorMatching(cursor)
                guard let index = currentFormat else {
                    warnings.append(.init(block: block, offset: cursor.start, detail: "COLORFORMAT before any format; ignored"))
                    return
                }
                formats[index].colorMatching = color
            default:
                // MPEG2-TS, DV, stream-based and vendor blocks: not for capture; keep them raw and
                // stop attaching frames to the previous format.
                if [0x0A, 0x0C, 0x12].contains(subtype) { currentFormat = nil }
                unknown.append(.init(subtype: subtype, offset: cursor.start, bytes: try cursor.slice(0, count: cursor.length)))
            }
        }
        guard let header else {
            throw UVCDescriptorError(.missingHeader, block: block, offset: 0,
                                     detail: "no VS INPUT_HEADER (\(bytes.count) class bytes)")
        }
        if Int(header.declaredFormatCount) != formats.count {
            warnings.append(.init(block: block, offset: 0,
                                  detail: "bNumFormats \(header.declaredFormatCount) but \(formats.count) format descriptor(s) present"))
        }
        for format in formats where Int(format.declaredFrameCount) != format.frames.count {
            warnings.append(.init(block: block, offset: 0,
                                  detail: "format \(format.index) declares \(format.declaredFrameCount) frames, \(format.frames.count) present"))
        }
        if Int(header.totalLength) != bytes.count {
            warnings.append(.init(block: block, offset: 0,
                                  detail: "wTotalLength \(header.totalLength) but \(bytes.count) class bytes present"))
        }
        return UVCStreamingInterface(interfaceNumber: interfaceNumber, inputHeader: header, formats: formats,
                                     unknownDescriptors: unknown, warnings: warnings)
    }

    private static func frameSubtype(of kind: UVCFormatKind) -> UInt8 {
        switch kind {
        case .uncompressed: 0x05
        case .mjpeg: 0x07
        case .frameBased: 0x11
        }
    }

    private static func parseInputHeader(_ raw: DescriptorCursor) throws -> UVCInputHeader {
        let cursor = named(raw, "VS INPUT_HEADER")
        try cursor.require(13)
        let formatCount = Int(try cursor.u8(3))
        let controlSize = Int(try cursor.u8(12))
        try cursor.require(13 + formatCount * controlSize, "bNumFormats \(formatCount) x bControlSize \(controlSize)")
        var controls: [[UInt8]] = []
        controls.reserveCapacity(formatCount)
        for format in 0..<formatCount {
            controls.append(try cursor.slice(13 + format * controlSize, count: controlSize))
        }
        return UVCInputHeader(
            declaredFormatCount: UInt8(formatCount), totalLength: try cursor.u16(4), endpointAddress: try cursor.u8(6),
            info: try cursor.u8(7), terminalLink: try cursor.u8(8), stillCaptureMethod: try cursor.u8(9),
            triggerSupport: try cursor.u8(10), triggerUsage: try cursor.u8(11), formatControls: controls)
    }

    private static func parseFormat(_ raw: DescriptorCursor, subtype: UInt8) throws -> UVCFormat {
        switch subtype {
        case 0x06:
            let cursor = named(raw, "FORMAT_MJPEG")
            try cursor.require(11)
            return UVCFormat(
                index: try cursor.u8(3), kind: .mjpeg(flags: try cursor.u8(5)), declaredFrameCount: try cursor.u8(4),
                defaultFrameIndex: try cursor.u8(6), aspectRatioX: try cursor.u8(7), aspectRatioY: try cursor.u8(8),
                interlaceFlags: try cursor.u8(9), copyProtect: try cursor.u8(10), frames: [])
        default:
            let frameBased = subtype == 0x10
            let cursor = named(raw, frameBased ? "FORMAT_FRAME_BASED" : "FORMAT_UNCOMPRESSED")
            try cursor.require(frameBased ? 28 : 27)
            guard let guid = UVCGUID(bytes: try cursor.slice(5, count: 16)) else {
                throw UVCDescriptorError(.tooShort, block: cursor.block, offset: cursor.start, detail: "format GUID")
            }
            let bits = try cursor.u8(21)
            let kind: UVCFormatKind = frameBased
                ? .frameBased(guid: guid, bitsPerPixel: bits, variableSize: try cursor.u8(27) != 0)
                : .uncompressed(guid: guid, bitsPerPixel: bits)
            return UVCFormat(
                index: try cursor.u8(3), kind: kind, declaredFrameCount: try cursor.u8(4),
                defaultFrameIndex: try cursor.u8(22), aspectRatioX: try cursor.u8(23), aspectRatioY: try cursor.u8(24),
                interlaceFlags: try cursor.u8(25), copyProtect: try cursor.u8(26), frames: [])
        }
    }

    private static func parseFrame(
        _ raw: DescriptorCursor, subtype: UInt8, warnings: inout [UVCDescriptorWarning]
    ) throws -> UVCFrame {
        let frameBased = subtype == 0x11
        let cursor = named(raw, subtype == 0x05 ? "FRAME_UNCOMPRESSED" : frameBased ? "FRAME_FRAME_BASED" : "FRAME_MJPEG")
        try cursor.require(26)
        let intervalType = Int(try cursor.u8(frameBased ? 21 : 25))
        let intervals: UVCFrameIntervals
        if intervalType == 0 {
            try cursor.require(38, "continuous frame intervals")
            intervals = .continuous(min: try cursor.u32(26), max: try cursor.u32(30), step: try cursor.u32(34))
        } else {
            let room = (cursor.length - 26) / 4
            var count = intervalType
            if intervalType > room {
                warnings.append(.init(block: cursor.block, offset: cursor.start,
                                      detail: "\(cursor.name) bFrameIntervalType \(intervalType) but bLength \(cursor.length) holds \(room); clamped"))
                count = room
            }
            var values: [UInt32] = []
            values.reserveCapacity(count)
            for i in 0..<count { values.append(try cursor.u32(26 + 4 * i)) }
            intervals = .discrete(values)
        }
        return UVCFrame(
            index: try cursor.u8(3), capabilities: try cursor.u8(4), width: try cursor.u16(5), height: try cursor.u16(7),
            minBitRate: try cursor.u32(9), maxBitRate: try cursor.u32(13),
            maxVideoFrameBufferSize: frameBased ? nil : try cursor.u32(17),
            bytesPerLine: frameBased ? try cursor.u32(22) : nil,
            defaultFrameInterval: try cursor.u32(frameBased ? 17 : 21), intervals: intervals)
    }

    private static func parseStillImageFrame(
        _ raw: DescriptorCursor, warnings: inout [UVCDescriptorWarning]
    ) throws -> UVCStillImageFrame {
        let cursor = named(raw, "STILL_IMAGE_FRAME")
        try cursor.require(5)
        let sizeCount = Int(try cursor.u8(4))
        try cursor.require(5 + 4 * sizeCount, "bNumImageSizePatterns \(sizeCount)")
        var sizes: [UVCStillImageFrame.Size] = []
        sizes.reserveCapacity(sizeCount)
        for i in 0..<sizeCount {
            sizes.append(.init(width: try cursor.u16(5 + 4 * i), height: try cursor.u16(7 + 4 * i)))
        }
        let countOffset = 5 + 4 * sizeCount
        var declared: UInt8 = 0
        var compressions: [UInt8] = []
        if cursor.length > countOffset {
            declared = try cursor.u8(countOffset)
            let room = cursor.length - countOffset - 1
            if Int(declared) > room {
                warnings.append(.init(block: cursor.block, offset: cursor.start,
                                      detail: "STILL_IMAGE_FRAME declares \(declared) compression patterns but bLength \(cursor.length) holds \(room); clamped"))
            }
            compressions = try cursor.slice(countOffset + 1, count: min(Int(declared), room))
        } else {
            warnings.append(.init(block: cursor.block, offset: cursor.start,
                                  detail: "STILL_IMAGE_FRAME has no bNumCompressionPattern byte"))
        }
        return UVCStillImageFrame(endpointAddress: try cursor.u8(3), sizes: sizes,
                                  declaredCompressionCount: declared, compressions: compressions)
    }

    private static func parseColorMatching(_ raw: DescriptorCursor) throws -> UVCColorMatching {
        let cursor = named(raw, "COLORFORMAT")
        try cursor.require(6)
        return UVCColorMatching(colorPrimaries: try cursor.u8(3), transferCharacteristics: try cursor.u8(4),
                                matrixCoefficients: try cursor.u8(5))
    }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
