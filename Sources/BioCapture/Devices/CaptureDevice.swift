import Foundation

/// The four biometric modalities of an enrollment station.
public enum Modality: String, Sendable, Hashable, Codable, CaseIterable {
    case fingerprint, iris, face, signature
}

/// Who a device is and where it is plugged in.
public struct DeviceIdentity: Sendable, Hashable, Codable {
    /// Stable id for `--device`: the driver id and the bus location ("uru4000@1-1.4"),
    /// or the simulator's name ("sim-fingerprint").
    public var id: String
    public var driverID: String
    public var modality: Modality
    public var vendor: String
    public var model: String
    public var serialNumber: String?
    public var firmwareVersion: String?
    /// Where the device is attached: a USB port path ("usb:1-1.4") or "simulated".
    public var connectionPath: String
    public var vendorID: UInt16?
    public var productID: UInt16?
    public var isSimulated: Bool

    public init(
        id: String, driverID: String, modality: Modality, vendor: String, model: String,
        serialNumber: String? = nil, firmwareVersion: String? = nil, connectionPath: String,
        vendorID: UInt16? = nil, productID: UInt16? = nil, isSimulated: Bool
    ) {
        self.id = id
        self.driverID = driverID
        self.modality = modality
        self.vendor = vendor
        self.model = model
        self.serialNumber = serialNumber
        self.firmwareVersion = firmwareVersion
        self.connectionPath = connectionPath
        self.vendorID = vendorID
        self.productID = productID
        self.isSimulated = isSimulated
    }

    /// "045e:00bd" style text, when the device has USB ids.
    public var usbIDText: String? {
        guard let vendorID, let productID else { return nil }
        return USBID(vendorID: vendorID, productID: productID).description
    }
}

/// What a device can do right now.
public enum DeviceStatus: Sendable, Hashable {
    case ready
    case busy
    case notReady
    case disconnected
    /// Working, but with a known problem (a few dead rows, a slow frame rate).
    case degraded(reason: String)
}

/// What a device reports while it works, for live feedback.
public enum DeviceEvent: Sendable {
    case statusChanged(DeviceStatus)
    case subjectPresent
    case subjectAbsent
    /// A live preview frame with an optional quality estimate (0–100).
    case previewFrame(GrayImage, quality: Int?)
    case penDown
    case penUp
    case fault(CaptureFault)
    case removed
}

/// A device setting described as data, so a tool can show and change any device's options
/// without device-specific code.
public struct DeviceOption: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        case boolean
        case integer(range: ClosedRange<Int>)
        case choice([String])
    }

    public enum Value: Sendable, Hashable, Codable, CustomStringConvertible {
        case boolean(Bool)
        case integer(Int)
        case choice(String)

        public var description: String {
            switch self {
            case .boolean(let value): String(value)
            case .integer(let value): String(value)
            case .choice(let value): value
            }
        }
    }

    public var key: String
    public var label: String
    public var kind: Kind
    public var value: Value

    public init(key: String, label: String, kind: Kind, value: Value) {
        self.key = key
        self.label = label
        self.kind = kind
        self.value = value
    }

    /// Whether `candidate` is allowed for this option.
    public func accepts(_ candidate: Value) -> Bool {
        switch (kind, candidate) {
        case (.boolean, .boolean): true
        case (.integer(let range), .integer(let value)): range.contains(value)
        case (.choice(let choices), .choice(let value)): choices.contains(value)
        default: false
        }
    }
}

/// A capture device of any modality. Devices are actors; every async call honours cancellation
/// and has a deadline; every failure is a `CaptureFault`.
public protocol CaptureDevice: Actor {
    nonisolated var identity: DeviceIdentity { get }
    var status: DeviceStatus { get async }
    /// Events while the device works. One stream per device; it finishes when the device is closed
    /// or removed.
    nonisolated var events: AsyncStream<DeviceEvent> { get }

    func open() async throws
    func close() async
    /// The device's own rungs of the diagnostic ladder, called after a successful `open()`:
    /// `identity` (firmware, serial), `sensor` (a test without a subject: blank frame, illuminator,
    /// pen, stream), `capture` (when a subject is present) and `quality`. It reports, never throws;
    /// the station's rungs (found, permissions, kernel driver, open) are added by the ladder.
    func selfTest() async -> SelfTestResult
    func options() async -> [DeviceOption]
    func setOption(_ key: String, to value: DeviceOption.Value) async throws
}

extension CaptureDevice {
    public func options() async -> [DeviceOption] { [] }

    public func setOption(_ key: String, to value: DeviceOption.Value) async throws {
        throw CaptureFault(.apiMisuse, message: "The device has no option named \(key).", device: identity)
    }
}
