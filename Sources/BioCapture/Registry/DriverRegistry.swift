import Logging
import USBDescriptors

/// A USB vendor and product id pair.
public struct USBID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var vendorID: UInt16
    public var productID: UInt16

    public init(vendorID: UInt16, productID: UInt16) {
        self.vendorID = vendorID
        self.productID = productID
    }

    public init(_ vendorID: UInt16, _ productID: UInt16) {
        self.init(vendorID: vendorID, productID: productID)
    }

    /// "045e:00bd".
    public var description: String { Hex.word(vendorID) + ":" + Hex.word(productID) }

    /// Parses "045e:00bd".
    public init?(text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 }),
              let vendor = UInt16(parts[0], radix: 16), let product = UInt16(parts[1], radix: 16)
        else { return nil }
        self.init(vendorID: vendor, productID: product)
    }

    public static func < (lhs: USBID, rhs: USBID) -> Bool {
        (lhs.vendorID, lhs.productID) < (rhs.vendorID, rhs.productID)
    }
}

/// Per-model differences kept as data in the id table (libsigrok/SANE style), read by the driver.
///
/// Keys are documented in each driver's hardware-notes page.
public struct DeviceQuirks: Sendable, Hashable, Codable, CustomStringConvertible {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public func string(_ key: String) -> String? { values[key] }
    public func integer(_ key: String) -> Int? {
        guard let text = values[key] else { return nil }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        return Int(text)
    }
    public func flag(_ key: String) -> Bool { values[key] == "true" || values[key] == "1" }

    public var description: String {
        values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ",")
    }
}

/// One supported product: its ids, names and quirks.
public struct SupportedDevice: Sendable, Hashable, Codable {
    public var id: USBID
    public var vendorName: String
    public var modelName: String
    public var quirks: DeviceQuirks

    public init(_ id: USBID, vendor: String, model: String, quirks: DeviceQuirks = DeviceQuirks()) {
        self.id = id
        self.vendorName = vendor
        self.modelName = model
        self.quirks = quirks
    }
}

/// A match on an interface's class triple instead of ids (UVC cameras, HID digitizers).
public struct USBInterfaceClassMatch: Sendable, Hashable, Codable, CustomStringConvertible {
    public var interfaceClass: UInt8
    public var interfaceSubClass: UInt8?
    public var interfaceProtocol: UInt8?

    public init(interfaceClass: UInt8, interfaceSubClass: UInt8? = nil, interfaceProtocol: UInt8? = nil) {
        self.interfaceClass = interfaceClass
        self.interfaceSubClass = interfaceSubClass
        self.interfaceProtocol = interfaceProtocol
    }

    public func matches(_ interface: USBInterfaceDescriptor) -> Bool {
        interface.interfaceClass == interfaceClass
            && (interfaceSubClass.map { $0 == interface.interfaceSubClass } ?? true)
            && (interfaceProtocol.map { $0 == interface.interfaceProtocol } ?? true)
    }

    public var description: String {
        var text = "class \(Hex.byte(interfaceClass))"
        if let interfaceSubClass { text += "/\(Hex.byte(interfaceSubClass))" }
        if let interfaceProtocol { text += "/\(Hex.byte(interfaceProtocol))" }
        return text
    }
}

/// Everything a driver's factory gets to build a device.
public struct DriverContext: Sendable {
    public var identity: DeviceIdentity
    public var logger: Logger
    public var clock: any CaptureClock
    /// Seed for the values the driver sends to the device and for synthetic samples.
    public var seed: UInt64
    /// Faults to inject (simulated devices and emulators honour them; real devices ignore them).
    public var faultPlan: FaultPlan
    /// Per-model quirks from the id table (empty for class matches).
    public var quirks: DeviceQuirks
    /// Extra settings by name (latency for simulators, environment overrides such as a scramble seed).
    public var settings: [String: String]

    public init(
        identity: DeviceIdentity, logger: Logger, clock: any CaptureClock = SystemCaptureClock(),
        seed: UInt64 = 0, faultPlan: FaultPlan = FaultPlan(), quirks: DeviceQuirks = DeviceQuirks(),
        settings: [String: String] = [:]
    ) {
        self.identity = identity
        self.logger = logger
        self.clock = clock
        self.seed = seed
        self.faultPlan = faultPlan
        self.quirks = quirks
        self.settings = settings
    }
}

/// Builds a device on a USB transport.
public typealias USBDeviceFactory = @Sendable (any USBTransport, DriverContext) async throws -> any CaptureDevice
/// Builds a simulated device.
public typealias SimulatedDeviceFactory = @Sendable (DriverContext) async throws -> any CaptureDevice

/// A driver as the registry knows it: identity, what it claims, and how to build a device.
public struct DriverDescriptor: Sendable {
    public enum Binding: Sendable {
        case usb(USBDeviceFactory)
        case simulated(SimulatedDeviceFactory)
    }

    /// Stable id ("uru4000", "sim-fingerprint").
    public var id: String
    public var name: String
    public var modality: Modality
    /// Products claimed by id, with their quirks.
    public var devices: [SupportedDevice]
    /// Interfaces claimed by class (tried after every id match failed).
    public var classMatches: [USBInterfaceClassMatch]
    /// Kernel drivers that bind these devices and must be detached ("uvcvideo", "usbhid").
    public var kernelDrivers: [String]
    public var binding: Binding

    public init(
        id: String, name: String, modality: Modality, devices: [SupportedDevice] = [],
        classMatches: [USBInterfaceClassMatch] = [], kernelDrivers: [String] = [], binding: Binding
    ) {
        self.id = id
        self.name = name
        self.modality = modality
        self.devices = devices
        self.classMatches = classMatches
        self.kernelDrivers = kernelDrivers
        self.binding = binding
    }

    public var isSimulated: Bool {
        if case .simulated = binding { return true }
        return false
    }
}

/// How a USB device matched a driver.
public struct DriverMatch: Sendable {
    public var driver: DriverDescriptor
    /// The id-table entry, or nil for a class match.
    public var supportedDevice: SupportedDevice?
    /// The interface a class match found.
    public var interfaceNumber: UInt8?

    public var quirks: DeviceQuirks { supportedDevice?.quirks ?? DeviceQuirks() }
}

/// The id table: the single source of truth for what the library supports. udev rules, the
/// README's supported-devices table and the hardware-notes index are generated from it.
public struct DriverRegistry: Sendable {
    public private(set) var drivers: [DriverDescriptor]

    public init(drivers: [DriverDescriptor] = []) {
        self.drivers = []
        for driver in drivers { register(driver) }
    }

    /// Adds a driver. A later driver never steals ids an earlier one claims: the first claim wins,
    /// and `duplicateIDs` reports the conflict so a test can fail on it.
    public mutating func register(_ driver: DriverDescriptor) {
        drivers.append(driver)
    }

    public func driver(id: String) -> DriverDescriptor? { drivers.first { $0.id == id } }

    public var usbDrivers: [DriverDescriptor] { drivers.filter { !$0.isSimulated } }
    public var simulatedDrivers: [DriverDescriptor] { drivers.filter(\.isSimulated) }

    /// Every id claimed by more than one table entry.
    public var duplicateIDs: [USBID] {
        var seen: Set<USBID> = []
        var duplicates: Set<USBID> = []
        for driver in usbDrivers {
            for device in driver.devices where !seen.insert(device.id).inserted {
                duplicates.insert(device.id)
            }
        }
        return duplicates.sorted()
    }

    /// The driver for a device: an id match first, then a class match on any interface of the
    /// active (first) configuration.
    public func match(_ descriptors: USBDeviceDescriptors) -> DriverMatch? {
        let id = USBID(vendorID: descriptors.device.vendorID, productID: descriptors.device.productID)
        for driver in usbDrivers {
            if let device = driver.devices.first(where: { $0.id == id }) {
                return DriverMatch(driver: driver, supportedDevice: device, interfaceNumber: nil)
            }
        }
        let interfaces = descriptors.configurations.first?.interfaces.flatMap(\.alternateSettings) ?? []
        for driver in usbDrivers {
            for classMatch in driver.classMatches {
                if let interface = interfaces.first(where: { classMatch.matches($0) }) {
                    return DriverMatch(driver: driver, supportedDevice: nil, interfaceNumber: interface.interfaceNumber)
                }
            }
        }
        return nil
    }
}
