import BioCapture
import USBDescriptors

/// The HID class descriptor (type 0x21) that follows a HID interface descriptor.
public struct HIDClassDescriptor: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        /// 0x22 report, 0x23 physical.
        public var type: UInt8
        public var length: UInt16
    }

    public static let descriptorType: UInt8 = 0x21
    public static let reportDescriptorType: UInt8 = 0x22
    public static let physicalDescriptorType: UInt8 = 0x23

    /// bcdHID, e.g. 0x0111 for HID 1.11.
    public var hidVersion: UInt16
    public var countryCode: UInt8
    public var descriptors: [Entry]

    /// wDescriptorLength of the (first) report descriptor.
    public var reportDescriptorLength: UInt16? {
        descriptors.first { $0.type == Self.reportDescriptorType }?.length
    }

    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// No descriptor of type 0x21 among the interface's class-specific bytes.
        case notFound
        case truncated(offset: Int)
        case invalidLength(offset: Int, length: Int)

        public var description: String {
            switch self {
            case .notFound: "no HID class descriptor (type 0x21) after the interface descriptor"
            case let .truncated(offset): "HID class descriptor at byte \(offset) is truncated"
            case let .invalidLength(offset, length): "descriptor at byte \(offset) has an invalid length \(length)"
            }
        }
    }

    public init(hidVersion: UInt16, countryCode: UInt8, descriptors: [Entry]) {
        self.hidVersion = hidVersion
        self.countryCode = countryCode
        self.descriptors = descriptors
    }

    /// Parses one HID descriptor: @0 bLength, @1 0x21, @2 bcdHID, @4 bCountryCode,
    /// @5 bNumDescriptors, then n × {bDescriptorType, wDescriptorLength}.
    public init(bytes: [UInt8], offset: Int = 0) throws(ParseError) {
        guard bytes.count - offset >= 6 else { throw .truncated(offset: offset) }
        let length = Int(bytes[offset])
        guard length >= 6 else { throw .invalidLength(offset: offset, length: length) }
        guard bytes.count - offset >= length else { throw .truncated(offset: offset) }
        guard bytes[offset + 1] == Self.descriptorType else { throw .notFound }
        hidVersion = UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8
        countryCode = bytes[offset + 4]
        let declared = Int(bytes[offset + 5])
        // Trust bLength over bNumDescriptors when they disagree: never read past the descriptor.
        let available = (length - 6) / 3
        descriptors = (0..<min(declared, available)).map { index in
            let base = offset + 6 + index * 3
            return Entry(type: bytes[base], length: UInt16(bytes[base + 1]) | UInt16(bytes[base + 2]) << 8)
        }
        guard declared <= available else { throw .truncated(offset: offset) }
    }

    /// Finds the HID descriptor among an interface's class-specific bytes (libusb `extra`).
    public init(interfaceExtra extra: [UInt8]) throws(ParseError) {
        var offset = 0
        while offset + 2 <= extra.count {
            let length = Int(extra[offset])
            guard length >= 2 else { throw .invalidLength(offset: offset, length: length) }
            if extra[offset + 1] == Self.descriptorType {
                try self.init(bytes: extra, offset: offset)
                return
            }
            offset += length
        }
        throw .notFound
    }
}

/// HID class requests (HID 1.11 §7.2) as SETUP packets.
public enum HIDRequest {
    public static let getReport: UInt8 = 0x01
    public static let getIdle: UInt8 = 0x02
    public static let getProtocol: UInt8 = 0x03
    public static let setReport: UInt8 = 0x09
    public static let setIdle: UInt8 = 0x0A
    public static let setProtocol: UInt8 = 0x0B

    static let classIn = USBControlSetup.requestType(deviceToHost: true, kind: .class, recipient: .interface)  // 0xA1
    static let classOut = USBControlSetup.requestType(deviceToHost: false, kind: .class, recipient: .interface)  // 0x21

    /// `length` includes the report-ID byte when the descriptor uses IDs.
    public static func getReportSetup(type: HIDReportType, id: UInt8, interface: UInt8, length: UInt16) -> USBControlSetup {
        USBControlSetup(requestType: classIn, request: getReport, value: UInt16(type.rawValue) << 8 | UInt16(id),
                        index: UInt16(interface), length: length)
    }

    public static func setReportSetup(type: HIDReportType, id: UInt8, interface: UInt8, length: UInt16) -> USBControlSetup {
        USBControlSetup(requestType: classOut, request: setReport, value: UInt16(type.rawValue) << 8 | UInt16(id),
                        index: UInt16(interface), length: length)
    }

    /// `duration` in 4 ms units, 0 = report only on change (what a pen tablet wants).
    public static func setIdleSetup(duration: UInt8, reportID: UInt8, interface: UInt8) -> USBControlSetup {
        USBControlSetup(requestType: classOut, request: setIdle, value: UInt16(duration) << 8 | UInt16(reportID),
                        index: UInt16(interface), length: 0)
    }

    /// 0 boot protocol, 1 report protocol.
    public static func setProtocolSetup(reportProtocol: Bool, interface: UInt8) -> USBControlSetup {
        USBControlSetup(requestType: classOut, request: setProtocol, value: reportProtocol ? 1 : 0,
                        index: UInt16(interface), length: 0)
    }

    /// Standard GET_DESCRIPTOR addressed to the interface: 0x81 0x06 wValue 0x2200.
    public static func getReportDescriptorSetup(interface: UInt8, length: UInt16) -> USBControlSetup {
        USBControlSetup(requestType: USBControlSetup.requestType(deviceToHost: true, kind: .standard, recipient: .interface),
                        request: 0x06, value: UInt16(HIDClassDescriptor.reportDescriptorType) << 8,
                        index: UInt16(interface), length: length)
    }
}

extension USBTransport {
    /// Reads the interface's report descriptor: its length from the HID class descriptor in
    /// `interface.extra`, then a standard GET_DESCRIPTOR (type 0x22) to the interface.
    ///
    /// Throws `HIDClassDescriptor.ParseError` when the interface has no usable HID descriptor,
    /// `TransportError` from the transfer (`.shortTransfer` when fewer bytes arrive).
    public func hidReportDescriptor(interface: USBInterfaceDescriptor, timeout: Duration) async throws -> [UInt8] {
        let classDescriptor = try HIDClassDescriptor(interfaceExtra: interface.extra)
        guard let length = classDescriptor.reportDescriptorLength, length > 0 else {
            throw HIDClassDescriptor.ParseError.notFound
        }
        let setup = HIDRequest.getReportDescriptorSetup(interface: interface.interfaceNumber, length: length)
        let bytes = try await control(setup, timeout: timeout)
        guard bytes.count == Int(length) else {
            throw TransportError(.shortTransfer, operation: "GET_DESCRIPTOR report, interface \(interface.interfaceNumber)",
                                 detail: "\(bytes.count) of \(length) bytes")
        }
        return bytes
    }

    /// Reads and parses the report descriptor.
    public func hidReportLayout(interface: USBInterfaceDescriptor, timeout: Duration) async throws -> HIDReportLayout {
        try HIDReportLayout.parse(try await hidReportDescriptor(interface: interface, timeout: timeout))
    }

    /// GET_REPORT. `length` counts the report-ID byte when the device uses IDs; the returned bytes
    /// start with it then. A STALL (`TransportError.pipe`) means the device does not know the report.
    public func hidGetReport(type: HIDReportType, id: UInt8, interface: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        guard length > 0, length <= Int(UInt16.max) else {
            throw TransportError(.invalidParameter, operation: "GET_REPORT", detail: "length \(length)")
        }
        return try await control(HIDRequest.getReportSetup(type: type, id: id, interface: interface, length: UInt16(length)),
                                 timeout: timeout)
    }

    /// GET_REPORT sized and decoded from the layout.
    public func hidGetReport(type: HIDReportType, id: UInt8, interface: UInt8, layout: HIDReportLayout,
                             timeout: Duration) async throws -> HIDDecodedReport {
        guard let report = layout.report(type, id: id) else { throw HIDDecodeError(.unknownReportID(id)) }
        let bytes = try await hidGetReport(type: type, id: id, interface: interface, length: layout.wireLength(of: report),
                                           timeout: timeout)
        return try layout.decode(bytes, type: type)
    }

    /// SET_REPORT. `data` starts with the report-ID byte when the device uses IDs.
    public func hidSetReport(type: HIDReportType, id: UInt8, interface: UInt8, data: [UInt8], timeout: Duration) async throws {
        guard data.count <= Int(UInt16.max) else {
            throw TransportError(.invalidParameter, operation: "SET_REPORT", detail: "length \(data.count)")
        }
        _ = try await control(HIDRequest.setReportSetup(type: type, id: id, interface: interface, length: UInt16(data.count)),
                              data: data, timeout: timeout)
    }

    /// SET_IDLE: `duration` in 4 ms units, 0 = only on change; `reportID` 0 = all reports.
    /// Many devices STALL it; callers usually ignore `.pipe`.
    public func hidSetIdle(duration: UInt8 = 0, reportID: UInt8 = 0, interface: UInt8, timeout: Duration) async throws {
        _ = try await control(HIDRequest.setIdleSetup(duration: duration, reportID: reportID, interface: interface),
                              timeout: timeout)
    }

    /// One input report from the interrupt IN endpoint (`maximumLength` is usually
    /// `layout.maximumInputReportLength` or the endpoint's packet size).
    public func hidReadInputReport(endpoint: UInt8, maximumLength: Int, timeout: Duration) async throws -> [UInt8] {
        try await interruptIn(endpoint: endpoint, length: maximumLength, timeout: timeout)
    }

    /// One input report read and decoded against the layout.
    public func hidReadInputReport(endpoint: UInt8, layout: HIDReportLayout, timeout: Duration) async throws -> HIDDecodedReport {
        let bytes = try await hidReadInputReport(endpoint: endpoint, maximumLength: max(1, layout.maximumInputReportLength),
                                                 timeout: timeout)
        return try layout.decode(bytes, type: .input)
    }
}

extension USBInterfaceDescriptor {
    /// Interface class 0x03.
    public var isHID: Bool { interfaceClass == 0x03 }

    /// The interrupt IN endpoint input reports arrive on.
    public var hidInterruptInEndpoint: UInt8? {
        endpoints.first { $0.attributes & 0x3 == 0x3 && $0.address & 0x80 != 0 }?.address
    }

    /// The interrupt OUT endpoint, if any (otherwise output reports go through SET_REPORT).
    public var hidInterruptOutEndpoint: UInt8? {
        endpoints.first { $0.attributes & 0x3 == 0x3 && $0.address & 0x80 == 0 }?.address
    }
}
