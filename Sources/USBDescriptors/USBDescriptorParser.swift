/// Standard descriptor type codes (USB 2.0 table 9-5, USB 3.2 table 9-6, ECN IAD).
public enum USBDescriptorType {
    public static let device: UInt8 = 0x01
    public static let configuration: UInt8 = 0x02
    public static let string: UInt8 = 0x03
    public static let interface: UInt8 = 0x04
    public static let endpoint: UInt8 = 0x05
    public static let deviceQualifier: UInt8 = 0x06
    public static let otherSpeedConfiguration: UInt8 = 0x07
    public static let interfacePower: UInt8 = 0x08
    public static let otg: UInt8 = 0x09
    public static let debug: UInt8 = 0x0A
    public static let interfaceAssociation: UInt8 = 0x0B
    public static let bos: UInt8 = 0x0F
    public static let deviceCapability: UInt8 = 0x10
    public static let hid: UInt8 = 0x21
    public static let hidReport: UInt8 = 0x22
    public static let classSpecificDevice: UInt8 = 0x21
    public static let classSpecificConfiguration: UInt8 = 0x22
    public static let classSpecificString: UInt8 = 0x23
    public static let classSpecificInterface: UInt8 = 0x24
    public static let classSpecificEndpoint: UInt8 = 0x25
    public static let superSpeedEndpointCompanion: UInt8 = 0x30
    public static let superSpeedPlusIsochronousEndpointCompanion: UInt8 = 0x31

    /// Wire sizes of the standard descriptors.
    public static let deviceLength = 18
    public static let configurationLength = 9
    public static let interfaceLength = 9
    public static let endpointLength = 7
}

/// One descriptor inside an `extra` block, as found on the wire.
public struct USBRawDescriptor: Sendable, Hashable {
    /// Offset of bLength inside the block the descriptor was split from.
    public var offset: Int
    public var type: UInt8
    /// The whole descriptor, bLength and bDescriptorType included.
    public var bytes: [UInt8]

    public init(offset: Int, type: UInt8, bytes: [UInt8]) {
        self.offset = offset
        self.type = type
        self.bytes = bytes
    }

    /// For class-specific interface/endpoint descriptors (UVC, audio…), the third byte.
    public var subtype: UInt8? { bytes.count > 2 ? bytes[2] : nil }
}

/// Parses raw USB descriptors: the Linux sysfs `descriptors` attribute (device descriptor
/// followed by every full configuration) or one configuration descriptor block alone.
///
/// Policy: strict where accepting the input would mean reading outside the data (bLength below
/// 2 or past the end, wTotalLength past the end, a standard descriptor shorter than its fixed
/// fields) — that is an error naming the offset. Lenient where real devices are sloppy: wrong
/// bNumInterfaces/bNumEndpoints, descriptors in unexpected places, bytes after the last
/// configuration that are too short to be one — these are kept or skipped and reported as
/// warnings. Work is linear in the input size; no input makes it crash or loop.
///
/// Where bytes go (the layout libusb uses, so both sources give the same model):
/// descriptors after the configuration descriptor and before the first interface (interface
/// association descriptors, vendor blocks) go to the configuration's `extra`; descriptors after an
/// interface descriptor and before its first endpoint (UVC VC/VS, HID) to the interface's
/// `extra`; descriptors after an endpoint (SuperSpeed companions, class-specific endpoint
/// descriptors, and an interface association placed mid-configuration) to that endpoint's `extra`.
public enum USBDescriptorParser {
    /// Parses sysfs-order bytes: the 18-byte device descriptor, then each configuration
    /// (wTotalLength bytes each).
    public static func parse(_ bytes: [UInt8]) throws(USBDescriptorParseError) -> USBDeviceDescriptors {
        try parseWithWarnings(bytes).descriptors
    }

    /// `parse(_:)`, also returning the irregularities that were tolerated.
    public static func parseWithWarnings(_ bytes: [UInt8]) throws(USBDescriptorParseError) -> USBDescriptorParseReport {
        var warnings: [USBDescriptorWarning] = []
        let device = try parseDeviceDescriptor(bytes)
        var configurations: [USBConfigurationDescriptor] = []
        var offset = USBDescriptorType.deviceLength
        while offset < bytes.count {
            let remaining = bytes.count - offset
            if configurations.count >= Int(device.numConfigurations), remaining < USBDescriptorType.configurationLength {
                // A few stray bytes after every announced configuration cannot be read as anything.
                warnings.append(USBDescriptorWarning(
                    offset: offset,
                    message: "ignored \(remaining) trailing byte\(remaining == 1 ? "" : "s") at offset \(offset) after the last configuration"))
                break
            }
            let (configuration, length) = try parseConfiguration(in: bytes, at: offset, warnings: &warnings)
            configurations.append(configuration)
            offset += length
        }
        if configurations.count < Int(device.numConfigurations) {
            throw USBDescriptorParseError(
                kind: .missingConfiguration, offset: offset,
                reason: "missing configuration descriptor at offset \(offset): bNumConfigurations is \(device.numConfigurations) but the data ends after \(configurations.count)")
        }
        if configurations.count > Int(device.numConfigurations) {
            warnings.append(USBDescriptorWarning(
                offset: 0,
                message: "bNumConfigurations is \(device.numConfigurations) but \(configurations.count) configurations follow"))
        }
        return USBDescriptorParseReport(
            descriptors: USBDeviceDescriptors(device: device, configurations: configurations),
            warnings: warnings)
    }

    /// Parses one configuration block (configuration descriptor first, wTotalLength bytes), as
    /// returned by GET_DESCRIPTOR(CONFIGURATION). Bytes after wTotalLength are ignored.
    public static func parseConfiguration(_ bytes: [UInt8]) throws(USBDescriptorParseError) -> USBConfigurationDescriptor {
        var warnings: [USBDescriptorWarning] = []
        return try parseConfiguration(in: bytes, at: 0, warnings: &warnings).configuration
    }

    /// `parseConfiguration(_:)`, also returning the irregularities that were tolerated.
    public static func parseConfigurationWithWarnings(
        _ bytes: [UInt8]
    ) throws(USBDescriptorParseError) -> (configuration: USBConfigurationDescriptor, warnings: [USBDescriptorWarning]) {
        var warnings: [USBDescriptorWarning] = []
        let (configuration, length) = try parseConfiguration(in: bytes, at: 0, warnings: &warnings)
        if bytes.count > length {
            warnings.append(USBDescriptorWarning(
                offset: length,
                message: "ignored \(bytes.count - length) bytes after wTotalLength \(length)"))
        }
        return (configuration, warnings)
    }

    /// Parses the 18-byte device descriptor at the start of `bytes`.
    public static func parseDeviceDescriptor(_ bytes: [UInt8]) throws(USBDescriptorParseError) -> USBDeviceDescriptor {
        guard !bytes.isEmpty else {
            throw USBDescriptorParseError(kind: .empty, offset: 0, reason: "no descriptor bytes at offset 0: the data is empty")
        }
        let needed = USBDescriptorType.deviceLength
        guard bytes.count >= 2 else {
            throw USBDescriptorParseError(
                kind: .truncated, offset: 0,
                reason: "truncated device descriptor at offset 0: needs \(needed) bytes but only \(bytes.count) remain")
        }
        guard bytes[1] == USBDescriptorType.device else {
            throw USBDescriptorParseError(
                kind: .unexpectedDescriptorType, offset: 0,
                reason: "expected a device descriptor (type 0x01) at offset 0 but found type \(hexByte(bytes[1]))"
                    + (bytes[1] == USBDescriptorType.configuration ? " (a configuration descriptor: the data has no device descriptor)" : ""))
        }
        guard Int(bytes[0]) >= needed else {
            throw USBDescriptorParseError(
                kind: .invalidLength, offset: 0,
                reason: "invalid device descriptor at offset 0: bLength \(bytes[0]) is below \(needed)")
        }
        guard bytes.count >= needed else {
            throw USBDescriptorParseError(
                kind: .truncated, offset: 0,
                reason: "truncated device descriptor at offset 0: needs \(needed) bytes but only \(bytes.count) remain")
        }
        return USBDeviceDescriptor(
            usbVersion: USBBCDVersion(rawValue: le16(bytes, 2)),
            deviceClass: bytes[4], deviceSubClass: bytes[5], deviceProtocol: bytes[6],
            maxPacketSize0: bytes[7], vendorID: le16(bytes, 8), productID: le16(bytes, 10),
            deviceVersion: USBBCDVersion(rawValue: le16(bytes, 12)),
            manufacturerStringIndex: bytes[14], productStringIndex: bytes[15],
            serialNumberStringIndex: bytes[16], numConfigurations: bytes[17])
    }

    /// Splits a block of descriptors (an `extra`) into single descriptors. Stops at the first
    /// descriptor whose bLength is below 2 or runs past the end (blocks made by this parser never
    /// contain one).
    public static func rawDescriptors(in block: [UInt8]) -> [USBRawDescriptor] {
        var result: [USBRawDescriptor] = []
        var offset = 0
        while block.count - offset >= 2 {
            let length = Int(block[offset])
            guard length >= 2, length <= block.count - offset else { break }
            result.append(USBRawDescriptor(offset: offset, type: block[offset + 1], bytes: Array(block[offset..<offset + length])))
            offset += length
        }
        return result
    }

    // MARK: - Configuration

    /// Where the descriptors that follow a standard descriptor are collected.
    private enum ExtraOwner {
        case configuration
        case interface
        case endpoint
    }

    /// Parses the configuration starting at `start`; returns it and the bytes it covers (wTotalLength).
    static func parseConfiguration(
        in bytes: [UInt8], at start: Int, warnings: inout [USBDescriptorWarning]
    ) throws(USBDescriptorParseError) -> (configuration: USBConfigurationDescriptor, length: Int) {
        let available = bytes.count - start
        let headerLength = USBDescriptorType.configurationLength
        guard available > 0 else {
            throw USBDescriptorParseError(
                kind: available == 0 && start == 0 ? .empty : .truncated, offset: start,
                reason: "no configuration descriptor at offset \(start): the data ends there")
        }
        guard available >= 2 else {
            throw USBDescriptorParseError(
                kind: .truncated, offset: start,
                reason: "truncated configuration descriptor at offset \(start): needs \(headerLength) bytes but only \(available) remain")
        }
        let type = bytes[start + 1]
        guard type == USBDescriptorType.configuration else {
            throw USBDescriptorParseError(
                kind: .unexpectedDescriptorType, offset: start,
                reason: "expected a configuration descriptor (type 0x02) at offset \(start) but found type \(hexByte(type))")
        }
        let bLength = Int(bytes[start])
        guard bLength >= headerLength else {
            throw USBDescriptorParseError(
                kind: .invalidLength, offset: start,
                reason: "invalid configuration descriptor at offset \(start): bLength \(bLength) is below \(headerLength)")
        }
        guard available >= headerLength, available >= bLength else {
            throw USBDescriptorParseError(
                kind: .truncated, offset: start,
                reason: "truncated configuration descriptor at offset \(start): needs \(max(bLength, headerLength)) bytes but only \(available) remain")
        }
        let totalLength = Int(le16(bytes, start + 2))
        guard totalLength >= bLength else {
            throw USBDescriptorParseError(
                kind: .invalidTotalLength, offset: start,
                reason: "invalid configuration descriptor at offset \(start): wTotalLength \(totalLength) is smaller than its bLength \(bLength)")
        }
        guard totalLength <= available else {
            throw USBDescriptorParseError(
                kind: .truncated, offset: start,
                reason: "truncated configuration descriptor at offset \(start): wTotalLength \(totalLength) but only \(available) bytes remain")
        }
        let declaredInterfaces = bytes[start + 4]
        var configuration = USBConfigurationDescriptor(
            totalLength: UInt16(totalLength), configurationValue: bytes[start + 5],
            configurationStringIndex: bytes[start + 6], attributes: bytes[start + 7],
            maxPower: bytes[start + 8], interfaces: [])

        let end = start + totalLength
        var settings: [USBInterfaceDescriptor] = []
        var settingOffsets: [Int] = []
        var owner = ExtraOwner.configuration
        var offset = start + bLength
        while offset < end {
            let remaining = end - offset
            guard remaining >= 2 else {
                warnings.append(USBDescriptorWarning(
                    offset: offset, message: "ignored 1 stray byte at offset \(offset) at the end of configuration \(configuration.configurationValue)"))
                break
            }
            let length = Int(bytes[offset])
            let type = bytes[offset + 1]
            guard length >= 2 else {
                throw USBDescriptorParseError(
                    kind: .invalidLength, offset: offset,
                    reason: "invalid descriptor at offset \(offset): bLength \(length) is below 2")
            }
            guard length <= remaining else {
                throw USBDescriptorParseError(
                    kind: .truncated, offset: offset,
                    reason: "truncated descriptor (type \(hexByte(type))) at offset \(offset): bLength \(length) but only \(remaining) bytes remain in the configuration (wTotalLength \(totalLength))")
            }
            let descriptor = bytes[offset..<offset + length]
            switch type {
            case USBDescriptorType.interface:
                guard length >= USBDescriptorType.interfaceLength else {
                    throw USBDescriptorParseError(
                        kind: .invalidLength, offset: offset,
                        reason: "invalid interface descriptor at offset \(offset): bLength \(length) is below \(USBDescriptorType.interfaceLength)")
                }
                settings.append(USBInterfaceDescriptor(
                    interfaceNumber: bytes[offset + 2], alternateSetting: bytes[offset + 3],
                    interfaceClass: bytes[offset + 5], interfaceSubClass: bytes[offset + 6],
                    interfaceProtocol: bytes[offset + 7], interfaceStringIndex: bytes[offset + 8],
                    endpoints: []))
                settingOffsets.append(offset)
                owner = .interface
            case USBDescriptorType.endpoint where !settings.isEmpty:
                guard length >= USBDescriptorType.endpointLength else {
                    throw USBDescriptorParseError(
                        kind: .invalidLength, offset: offset,
                        reason: "invalid endpoint descriptor at offset \(offset): bLength \(length) is below \(USBDescriptorType.endpointLength)")
                }
                let address = bytes[offset + 2]
                if address & 0x0F == 0 {
                    warnings.append(USBDescriptorWarning(
                        offset: offset, message: "endpoint descriptor at offset \(offset) names endpoint 0 (address \(hexByte(address)))"))
                }
                settings[settings.count - 1].endpoints.append(USBEndpointDescriptor(
                    address: address, attributes: bytes[offset + 3],
                    maxPacketSizeField: le16(bytes, offset + 4), interval: bytes[offset + 6]))
                owner = .endpoint
            default:
                if type == USBDescriptorType.endpoint {
                    warnings.append(USBDescriptorWarning(
                        offset: offset, message: "endpoint descriptor at offset \(offset) before any interface descriptor: kept in the configuration's extra bytes"))
                } else if type == USBDescriptorType.device || type == USBDescriptorType.configuration {
                    warnings.append(USBDescriptorWarning(
                        offset: offset, message: "unexpected \(type == USBDescriptorType.device ? "device" : "configuration") descriptor at offset \(offset) inside configuration \(configuration.configurationValue): kept as extra bytes"))
                }
                switch owner {
                case .configuration:
                    configuration.extra.append(contentsOf: descriptor)
                case .interface:
                    settings[settings.count - 1].extra.append(contentsOf: descriptor)
                case .endpoint:
                    let last = settings.count - 1
                    let endpoint = settings[last].endpoints.count - 1
                    settings[last].endpoints[endpoint].extra.append(contentsOf: descriptor)
                }
            }
            offset += length
        }

        // bNumEndpoints is routinely wrong on cheap devices; keep what is there, say so.
        for (index, setting) in settings.enumerated() {
            let declared = Int(bytes[settingOffsets[index] + 4])
            if declared != setting.endpoints.count {
                warnings.append(USBDescriptorWarning(
                    offset: settingOffsets[index],
                    message: "interface \(setting.interfaceNumber) alternate setting \(setting.alternateSetting) at offset \(settingOffsets[index]) declares \(declared) endpoint\(declared == 1 ? "" : "s") but \(setting.endpoints.count) follow"))
            }
        }
        configuration.interfaces = groupAlternateSettings(settings)
        if Int(declaredInterfaces) != configuration.interfaces.count {
            warnings.append(USBDescriptorWarning(
                offset: start + 4,
                message: "configuration \(configuration.configurationValue) at offset \(start) declares \(declaredInterfaces) interface\(declaredInterfaces == 1 ? "" : "s") but \(configuration.interfaces.count) follow"))
        }
        return (configuration, totalLength)
    }

    /// Groups alternate settings by interface number, interfaces in order of first appearance.
    private static func groupAlternateSettings(_ settings: [USBInterfaceDescriptor]) -> [USBInterface] {
        var interfaces: [USBInterface] = []
        var indexByNumber: [UInt8: Int] = [:]
        for setting in settings {
            if let index = indexByNumber[setting.interfaceNumber] {
                interfaces[index].alternateSettings.append(setting)
            } else {
                indexByNumber[setting.interfaceNumber] = interfaces.count
                interfaces.append(USBInterface(number: setting.interfaceNumber, alternateSettings: [setting]))
            }
        }
        return interfaces
    }

    private static func le16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }
}

/// "0x0b".
func hexByte(_ value: UInt8) -> String {
    let digits = String(value, radix: 16)
    return "0x" + (digits.count < 2 ? "0" + digits : digits)
}
