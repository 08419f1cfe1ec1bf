import Foundation

/// The USB standard descriptors of one device, as a value model.
///
/// The same model is produced by the raw-bytes parser (sysfs `descriptors` files, `describe`)
/// and by USBKit's enumeration, so drivers and tools never see libusb structures.
/// Class-specific descriptors (UVC, HID, audio…) are kept raw in `extra`, in wire order.
public struct USBDeviceDescriptors: Sendable, Hashable, Codable {
    public var device: USBDeviceDescriptor
    public var configurations: [USBConfigurationDescriptor]

    public init(device: USBDeviceDescriptor, configurations: [USBConfigurationDescriptor]) {
        self.device = device
        self.configurations = configurations
    }
}

/// A binary-coded-decimal version such as `bcdUSB` 0x0200 ("2.00").
public struct USBBCDVersion: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public var major: Int { Int(rawValue >> 12) * 10 + Int((rawValue >> 8) & 0xF) }
    public var minor: Int { Int((rawValue >> 4) & 0xF) * 10 + Int(rawValue & 0xF) }
    public var description: String {
        let minorText = minor < 10 ? "0\(minor)" : "\(minor)"
        return "\(major).\(minorText)"
    }
    public static func < (lhs: USBBCDVersion, rhs: USBBCDVersion) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Standard device descriptor (USB 2.0 §9.6.1), 18 bytes on the wire.
public struct USBDeviceDescriptor: Sendable, Hashable, Codable {
    public var usbVersion: USBBCDVersion
    public var deviceClass: UInt8
    public var deviceSubClass: UInt8
    public var deviceProtocol: UInt8
    public var maxPacketSize0: UInt8
    public var vendorID: UInt16
    public var productID: UInt16
    public var deviceVersion: USBBCDVersion
    public var manufacturerStringIndex: UInt8
    public var productStringIndex: UInt8
    public var serialNumberStringIndex: UInt8
    public var numConfigurations: UInt8

    public init(
        usbVersion: USBBCDVersion, deviceClass: UInt8, deviceSubClass: UInt8, deviceProtocol: UInt8,
        maxPacketSize0: UInt8, vendorID: UInt16, productID: UInt16, deviceVersion: USBBCDVersion,
        manufacturerStringIndex: UInt8, productStringIndex: UInt8, serialNumberStringIndex: UInt8,
        numConfigurations: UInt8
    ) {
        self.usbVersion = usbVersion
        self.deviceClass = deviceClass
        self.deviceSubClass = deviceSubClass
        self.deviceProtocol = deviceProtocol
        self.maxPacketSize0 = maxPacketSize0
        self.vendorID = vendorID
        self.productID = productID
        self.deviceVersion = deviceVersion
        self.manufacturerStringIndex = manufacturerStringIndex
        self.productStringIndex = productStringIndex
        self.serialNumberStringIndex = serialNumberStringIndex
        self.numConfigurations = numConfigurations
    }
}

/// Standard configuration descriptor (USB 2.0 §9.6.3) with everything it groups.
public struct USBConfigurationDescriptor: Sendable, Hashable, Codable {
    public var totalLength: UInt16
    public var configurationValue: UInt8
    public var configurationStringIndex: UInt8
    /// bmAttributes: bit 6 self-powered, bit 5 remote wake-up.
    public var attributes: UInt8
    /// bMaxPower in the unit of the bus speed (2 mA below SuperSpeed, 8 mA at SuperSpeed).
    public var maxPower: UInt8
    /// Interfaces in wire order, each with its alternate settings.
    public var interfaces: [USBInterface]
    /// Descriptors between the configuration descriptor and the first interface
    /// (interface association descriptors, vendor blocks), raw.
    public var extra: [UInt8]

    public init(
        totalLength: UInt16, configurationValue: UInt8, configurationStringIndex: UInt8,
        attributes: UInt8, maxPower: UInt8, interfaces: [USBInterface], extra: [UInt8] = []
    ) {
        self.totalLength = totalLength
        self.configurationValue = configurationValue
        self.configurationStringIndex = configurationStringIndex
        self.attributes = attributes
        self.maxPower = maxPower
        self.interfaces = interfaces
        self.extra = extra
    }

    public var isSelfPowered: Bool { attributes & 0x40 != 0 }
    public var supportsRemoteWakeup: Bool { attributes & 0x20 != 0 }
}

/// One interface number with all of its alternate settings.
public struct USBInterface: Sendable, Hashable, Codable {
    public var number: UInt8
    public var alternateSettings: [USBInterfaceDescriptor]

    public init(number: UInt8, alternateSettings: [USBInterfaceDescriptor]) {
        self.number = number
        self.alternateSettings = alternateSettings
    }
}

/// Standard interface descriptor (USB 2.0 §9.6.5) and its endpoints.
public struct USBInterfaceDescriptor: Sendable, Hashable, Codable {
    public var interfaceNumber: UInt8
    public var alternateSetting: UInt8
    public var interfaceClass: UInt8
    public var interfaceSubClass: UInt8
    public var interfaceProtocol: UInt8
    public var interfaceStringIndex: UInt8
    public var endpoints: [USBEndpointDescriptor]
    /// Class-specific descriptors that follow the interface descriptor (UVC VC/VS, HID…), raw.
    public var extra: [UInt8]

    public init(
        interfaceNumber: UInt8, alternateSetting: UInt8, interfaceClass: UInt8,
        interfaceSubClass: UInt8, interfaceProtocol: UInt8, interfaceStringIndex: UInt8,
        endpoints: [USBEndpointDescriptor], extra: [UInt8] = []
    ) {
        self.interfaceNumber = interfaceNumber
        self.alternateSetting = alternateSetting
        self.interfaceClass = interfaceClass
        self.interfaceSubClass = interfaceSubClass
        self.interfaceProtocol = interfaceProtocol
        self.interfaceStringIndex = interfaceStringIndex
        self.endpoints = endpoints
        self.extra = extra
    }
}

public enum USBTransferType: UInt8, Sendable, Hashable, Codable, CustomStringConvertible {
    case control = 0, isochronous = 1, bulk = 2, interrupt = 3

    public var description: String {
        switch self {
        case .control: "control"
        case .isochronous: "isochronous"
        case .bulk: "bulk"
        case .interrupt: "interrupt"
        }
    }
}

public enum USBDirection: String, Sendable, Hashable, Codable {
    case hostToDevice = "out"
    case deviceToHost = "in"
}

/// Standard endpoint descriptor (USB 2.0 §9.6.6).
public struct USBEndpointDescriptor: Sendable, Hashable, Codable {
    public var address: UInt8
    public var attributes: UInt8
    /// wMaxPacketSize as on the wire: bits 10..0 size, bits 12..11 extra transactions per microframe.
    public var maxPacketSizeField: UInt16
    public var interval: UInt8
    /// SuperSpeed endpoint companion and other descriptors that follow, raw.
    public var extra: [UInt8]

    public init(address: UInt8, attributes: UInt8, maxPacketSizeField: UInt16, interval: UInt8, extra: [UInt8] = []) {
        self.address = address
        self.attributes = attributes
        self.maxPacketSizeField = maxPacketSizeField
        self.interval = interval
        self.extra = extra
    }

    public var number: UInt8 { address & 0x0F }
    public var direction: USBDirection { address & 0x80 != 0 ? .deviceToHost : .hostToDevice }
    public var transferType: USBTransferType { USBTransferType(rawValue: attributes & 0x03) ?? .control }
    public var maxPacketSize: Int { Int(maxPacketSizeField & 0x07FF) }
    /// Bytes per microframe for high-bandwidth isochronous/interrupt endpoints.
    public var bytesPerInterval: Int { maxPacketSize * (1 + Int((maxPacketSizeField >> 11) & 0x3)) }
}

/// The bus speed a device negotiated.
public enum USBSpeed: String, Sendable, Hashable, Codable {
    case unknown, low, full, high, superSpeed = "super", superSpeedPlus = "super-plus"

    /// The speed from a sysfs `speed` attribute in Mbit/s ("1.5", "12", "480", "5000", "10000").
    public init(sysfsMegabits text: String) {
        switch text.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "1.5": self = .low
        case "12": self = .full
        case "480": self = .high
        case "5000": self = .superSpeed
        case "10000", "20000": self = .superSpeedPlus
        default: self = .unknown
        }
    }
}

