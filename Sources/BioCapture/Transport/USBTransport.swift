import USBDescriptors

/// The 8-byte SETUP packet of a control transfer.
public struct USBControlSetup: Sendable, Hashable {
    public var requestType: UInt8
    public var request: UInt8
    public var value: UInt16
    public var index: UInt16
    public var length: UInt16

    public init(requestType: UInt8, request: UInt8, value: UInt16, index: UInt16, length: UInt16) {
        self.requestType = requestType
        self.request = request
        self.value = value
        self.index = index
        self.length = length
    }

    public var isDeviceToHost: Bool { requestType & 0x80 != 0 }

    /// The packet as it goes on the wire (little-endian fields).
    public var bytes: [UInt8] {
        [requestType, request, UInt8(value & 0xFF), UInt8(value >> 8),
         UInt8(index & 0xFF), UInt8(index >> 8), UInt8(length & 0xFF), UInt8(length >> 8)]
    }

    public init?(bytes: some Collection<UInt8>) {
        let b = Array(bytes)
        guard b.count >= 8 else { return nil }
        self.init(
            requestType: b[0], request: b[1],
            value: UInt16(b[2]) | UInt16(b[3]) << 8,
            index: UInt16(b[4]) | UInt16(b[5]) << 8,
            length: UInt16(b[6]) | UInt16(b[7]) << 8)
    }

    /// bmRequestType bits: direction (7), type (6..5: standard, class, vendor), recipient (4..0).
    public enum Kind: UInt8, Sendable { case standard = 0, `class` = 1, vendor = 2 }
    public enum Recipient: UInt8, Sendable { case device = 0, interface = 1, endpoint = 2, other = 3 }

    public static func requestType(deviceToHost: Bool, kind: Kind, recipient: Recipient) -> UInt8 {
        (deviceToHost ? 0x80 : 0) | kind.rawValue << 5 | recipient.rawValue
    }
}

/// One packet of an isochronous transfer as it completed.
public struct USBIsochronousPacket: Sendable, Hashable {
    public var data: [UInt8]
    /// 0 when the packet completed; otherwise the transport's failure for that packet.
    public var failure: TransportError.Kind?

    public init(data: [UInt8], failure: TransportError.Kind? = nil) {
        self.data = data
        self.failure = failure
    }
}

/// What the transport knows of the device before it is opened.
public struct USBDeviceLocation: Sendable, Hashable, Codable {
    public var busNumber: Int
    public var deviceAddress: Int
    /// Port numbers from the root hub, e.g. [1, 4] for "1-1.4".
    public var portPath: [Int]
    public var speed: USBSpeed

    public init(busNumber: Int, deviceAddress: Int, portPath: [Int], speed: USBSpeed) {
        self.busNumber = busNumber
        self.deviceAddress = deviceAddress
        self.portPath = portPath
        self.speed = speed
    }

    /// The kernel's name for the port, e.g. "1-1.4" (the sysfs directory under /sys/bus/usb/devices).
    public var sysfsName: String {
        portPath.isEmpty ? "usb\(busNumber)" : "\(busNumber)-" + portPath.map(String.init).joined(separator: ".")
    }
}

/// The drivers' only way to a USB device.
///
/// `LibUSBTransport` (module BioCaptureUSB) implements it over libusb; emulators in
/// BioCaptureTesting implement it in memory, so the same driver code runs on both. Every method
/// that can wait takes a timeout and honours task cancellation. Errors are `TransportError`s;
/// the driver decides what they mean (it knows whether a short read is a protocol violation)
/// and turns them into `CaptureFault`s, usually through `CaptureFault(transport:)`.
public protocol USBTransport: Sendable {
    var descriptors: USBDeviceDescriptors { get }
    var location: USBDeviceLocation { get }

    func open() async throws
    func close() async

    /// Reads a string descriptor in US English, or nil for index 0.
    func stringDescriptor(index: UInt8) async throws -> String?

    func setConfiguration(_ value: UInt8) async throws
    /// Claims the interface, detaching a kernel driver first when one is bound.
    func claimInterface(_ number: UInt8) async throws
    /// Releases the interface and re-attaches the kernel driver that was detached from it.
    func releaseInterface(_ number: UInt8) async throws
    func setAlternateSetting(interface: UInt8, alternateSetting: UInt8) async throws
    func clearHalt(endpoint: UInt8) async throws
    func reset() async throws
    /// The name of the kernel driver bound to the interface, if any ("uvcvideo", "usbhid").
    func kernelDriver(interface: UInt8) async throws -> String?

    /// A control transfer. For device-to-host requests, returns up to `setup.length` bytes read;
    /// for host-to-device requests, sends `data` and returns an empty array.
    func control(_ setup: USBControlSetup, data: [UInt8], timeout: Duration) async throws -> [UInt8]
    func bulkIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8]
    func bulkOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int
    func interruptIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8]
    func interruptOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int
    func isochronousIn(endpoint: UInt8, packets: Int, packetLength: Int, timeout: Duration) async throws
        -> [USBIsochronousPacket]
}

extension USBTransport {
    public func control(_ setup: USBControlSetup, timeout: Duration) async throws -> [UInt8] {
        try await control(setup, data: [], timeout: timeout)
    }
}

/// A transport failure, named after the libusb error codes (but with no C in sight).
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case io, invalidParameter, access, noDevice, notFound, busy, timeout, overflow, pipe,
             interrupted, noMemory, notSupported, other
        /// The transfer was cancelled on request: not a fault.
        case cancelled
        /// Fewer bytes than the protocol requires (decided by the driver).
        case shortTransfer
    }

    public var kind: Kind
    /// What the transport was doing ("bulk IN 0x82", "claim interface 0").
    public var operation: String
    /// The transport's own words, e.g. "LIBUSB_ERROR_NO_DEVICE (-4)".
    public var detail: String

    public init(_ kind: Kind, operation: String = "", detail: String = "") {
        self.kind = kind
        self.operation = operation
        self.detail = detail
    }

    public var description: String {
        var text = kind.rawValue
        if !operation.isEmpty { text = "\(operation): \(text)" }
        if !detail.isEmpty { text += " (\(detail))" }
        return text
    }
}

extension CaptureFault {
    /// The design's classification of a transport error (see `Docs/FaultModel.md`).
    ///
    /// A driver that knows better (a single timeout while waiting for a finger is the operator's,
    /// not the hardware's) classifies before calling this.
    public init(transport error: TransportError, device: DeviceIdentity? = nil) {
        let code: FaultCode
        switch error.kind {
        case .io: code = .ioError
        case .invalidParameter: code = .invalidParameter
        case .access: code = .permissionDenied
        case .noDevice: code = .disconnected
        case .notFound: code = .notFound
        case .busy: code = .busy
        case .timeout: code = .timeout
        case .overflow: code = .overflow
        case .pipe: code = .stalled
        case .interrupted: code = .internalError  // retried inside the transport; reaching here is our bug
        case .noMemory: code = .outOfMemory
        case .notSupported: code = .notSupported
        case .other: code = .ioError
        case .cancelled: code = .cancelled
        case .shortTransfer: code = .shortFrame
        }
        self.init(code, underlying: error, device: device)
    }
}
