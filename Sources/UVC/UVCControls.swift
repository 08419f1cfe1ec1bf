import BioCapture

/// Which kind of VideoControl entity owns a control.
public enum UVCEntityKind: String, Sendable, Hashable, Codable {
    case cameraTerminal = "camera-terminal"
    case processingUnit = "processing-unit"
}

/// A camera-terminal or processing-unit control, as data a driver can read and write through
/// `UVCControlRequests` and `UVCControlAccess`.
///
/// The bmControls bit is not `selector - 1` for these entities: both come from the tables in
/// UVC 1.5 sections 3.7.2.3 and 3.7.2.5 (facts file section 9).
public struct UVCControlDescription: Sendable, Hashable, CustomStringConvertible {
    /// Stable key ("brightness", "exposure-time-absolute").
    public var key: String
    public var entity: UVCEntityKind
    public var selector: UInt8
    /// Bit in the entity's bmControls that announces the control.
    public var bitIndex: Int
    /// Bytes of the value (wLength of GET_CUR/SET_CUR).
    public var size: Int
    /// Whether the value (a single integer of `size` bytes) is signed.
    public var isSigned: Bool
    /// Unit or meaning of the value, for people.
    public var unit: String

    public init(key: String, entity: UVCEntityKind, selector: UInt8, bitIndex: Int, size: Int,
                isSigned: Bool = false, unit: String = "") {
        self.key = key
        self.entity = entity
        self.selector = selector
        self.bitIndex = bitIndex
        self.size = size
        self.isSigned = isSigned
        self.unit = unit
    }

    public var description: String { "\(key) (\(entity.rawValue) selector 0x\(hex(selector)), \(size) byte(s))" }

    /// Whether an entity's bmControls announces this control.
    public func isAvailable(in controls: UInt64) -> Bool {
        bitIndex < 64 && controls & (1 << UInt64(bitIndex)) != 0
    }

    /// Whether the function's descriptors announce this control on their camera terminal or processing unit.
    public func isAvailable(in control: UVCVideoControl) -> Bool {
        entityID(in: control) != nil
    }

    /// The id of the entity that offers this control, when the descriptors announce it.
    public func entityID(in control: UVCVideoControl) -> UInt8? {
        switch entity {
        case .cameraTerminal:
            control.inputTerminals.first { ($0.camera.map { isAvailable(in: $0.controls) }) ?? false }?.terminalID
        case .processingUnit:
            control.processingUnits.first { isAvailable(in: $0.controls) }?.unitID
        }
    }

    /// Little-endian bytes of `value` in this control's size (truncating to the size).
    public func encode(_ value: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The value of a little-endian answer; nil unless the answer has at least `size` bytes and
    /// the control is a single integer of at most 8 bytes.
    public func decode(_ bytes: [UInt8]) -> Int? {
        guard size >= 1, size <= 8, bytes.count >= size else { return nil }
        var raw: UInt64 = 0
        for i in 0..<size { raw |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        if isSigned, size < 8, raw & (1 << (8 * UInt64(size) - 1)) != 0 {
            raw |= ~UInt64(0) << (8 * UInt64(size))
        }
        return Int(truncatingIfNeeded: raw)
    }
}

extension UVCControlDescription {
    // Camera terminal (bit → selector per the facts file's table).
    public static let scanningMode = Self(key: "scanning-mode", entity: .cameraTerminal, selector: 0x01, bitIndex: 0, size: 1)
    /// Bitmap: 1 manual, 2 auto, 4 shutter priority, 8 aperture priority.
    public static let autoExposureMode = Self(key: "auto-exposure-mode", entity: .cameraTerminal, selector: 0x02, bitIndex: 1, size: 1, unit: "mode bitmap")
    public static let autoExposurePriority = Self(key: "auto-exposure-priority", entity: .cameraTerminal, selector: 0x03, bitIndex: 2, size: 1)
    public static let exposureTimeAbsolute = Self(key: "exposure-time-absolute", entity: .cameraTerminal, selector: 0x04, bitIndex: 3, size: 4, unit: "100 µs")
    public static let exposureTimeRelative = Self(key: "exposure-time-relative", entity: .cameraTerminal, selector: 0x05, bitIndex: 4, size: 1, isSigned: true)
    public static let focusAbsolute = Self(key: "focus-absolute", entity: .cameraTerminal, selector: 0x06, bitIndex: 5, size: 2, unit: "mm")
    public static let irisAbsolute = Self(key: "iris-absolute", entity: .cameraTerminal, selector: 0x09, bitIndex: 7, size: 2, unit: "f-stop x 100")
    public static let zoomAbsolute = Self(key: "zoom-absolute", entity: .cameraTerminal, selector: 0x0B, bitIndex: 9, size: 2)
    public static let rollAbsolute = Self(key: "roll-absolute", entity: .cameraTerminal, selector: 0x0F, bitIndex: 13, size: 2, isSigned: true, unit: "degrees")
    public static let focusAuto = Self(key: "focus-auto", entity: .cameraTerminal, selector: 0x08, bitIndex: 17, size: 1, unit: "boolean")
    public static let privacy = Self(key: "privacy", entity: .cameraTerminal, selector: 0x11, bitIndex: 18, size: 1, unit: "boolean")

    // Processing unit.
    public static let brightness = Self(key: "brightness", entity: .processingUnit, selector: 0x02, bitIndex: 0, size: 2, isSigned: true)
    public static let contrast = Self(key: "contrast", entity: .processingUnit, selector: 0x03, bitIndex: 1, size: 2)
    public static let hue = Self(key: "hue", entity: .processingUnit, selector: 0x06, bitIndex: 2, size: 2, isSigned: true)
    public static let saturation = Self(key: "saturation", entity: .processingUnit, selector: 0x07, bitIndex: 3, size: 2)
    public static let sharpness = Self(key: "sharpness", entity: .processingUnit, selector: 0x08, bitIndex: 4, size: 2)
    public static let gamma = Self(key: "gamma", entity: .processingUnit, selector: 0x09, bitIndex: 5, size: 2)
    public static let whiteBalanceTemperature = Self(key: "white-balance-temperature", entity: .processingUnit, selector: 0x0A, bitIndex: 6, size: 2, unit: "K")
    public static let backlightCompensation = Self(key: "backlight-compensation", entity: .processingUnit, selector: 0x01, bitIndex: 8, size: 2)
    public static let gain = Self(key: "gain", entity: .processingUnit, selector: 0x04, bitIndex: 9, size: 2)
    /// 0 off, 1 50 Hz, 2 60 Hz (3 auto in UVC 1.5). Indonesia: 50 Hz.
    public static let powerLineFrequency = Self(key: "power-line-frequency", entity: .processingUnit, selector: 0x05, bitIndex: 10, size: 1, unit: "0 off, 1 50 Hz, 2 60 Hz, 3 auto")
    public static let hueAuto = Self(key: "hue-auto", entity: .processingUnit, selector: 0x10, bitIndex: 11, size: 1, unit: "boolean")
    public static let whiteBalanceTemperatureAuto = Self(key: "white-balance-temperature-auto", entity: .processingUnit, selector: 0x0B, bitIndex: 12, size: 1, unit: "boolean")

    /// Every single-integer control described here, camera terminal first.
    public static let all: [UVCControlDescription] = [
        .scanningMode, .autoExposureMode, .autoExposurePriority, .exposureTimeAbsolute, .exposureTimeRelative,
        .focusAbsolute, .irisAbsolute, .zoomAbsolute, .rollAbsolute, .focusAuto, .privacy,
        .brightness, .contrast, .hue, .saturation, .sharpness, .gamma, .whiteBalanceTemperature,
        .backlightCompensation, .gain, .powerLineFrequency, .hueAuto, .whiteBalanceTemperatureAuto,
    ]

    /// Auto-exposure mode values (bitmap).
    public enum AutoExposureMode: UInt8, Sendable {
        case manual = 1, auto = 2, shutterPriority = 4, aperturePriority = 8
    }

    /// Power-line frequency values.
    public enum PowerLineFrequency: UInt8, Sendable {
        case disabled = 0, hz50 = 1, hz60 = 2, auto = 3
    }
}

/// The range and state of a control as GET_MIN/MAX/RES/DEF/CUR/INFO report them.
public struct UVCControlRange: Sendable, Hashable {
    public var minimum: Int
    public var maximum: Int
    public var resolution: Int
    public var defaultValue: Int
    public var current: Int
    public var info: UVCControlInfo
}

/// Reads and writes camera-terminal and processing-unit controls over a `USBTransport`.
public struct UVCControlAccess: Sendable {
    public var transport: any USBTransport
    /// The VideoControl interface number.
    public var interface: UInt8
    public var timeout: Duration

    public init(transport: any USBTransport, interface: UInt8, timeout: Duration = .seconds(1)) {
        self.transport = transport
        self.interface = interface
        self.timeout = timeout
    }

    /// GET_CUR/MIN/MAX/RES/DEF of a control on entity `entity`.
    public func read(_ control: UVCControlDescription, _ request: UVCRequest = .getCurrent, entity: UInt8) async throws -> Int {
        guard request.isGet, request != .getInfo, request != .getLength else {
            throw CaptureFault(.invalidParameter, message: "\(request) does not read a control value")
        }
        let setup = UVCControlRequests.control(request, control, entity: entity, interface: interface)
        let answer = try await transport.control(setup, timeout: timeout)
        guard let value = control.decode(answer) else {
            throw CaptureFault(.protocolError,
                               message: "The camera answered \(answer.count) byte(s) for \(control.key); \(control.size) expected.")
        }
        return value
    }

    /// GET_INFO of a control.
    public func info(_ control: UVCControlDescription, entity: UInt8) async throws -> UVCControlInfo {
        let answer = try await transport.control(
            UVCControlRequests.control(.getInfo, control, entity: entity, interface: interface), timeout: timeout)
        guard let first = answer.first else {
            throw CaptureFault(.protocolError, message: "The camera answered nothing to GET_INFO for \(control.key).")
        }
        return UVCControlInfo(rawValue: first)
    }

    /// Every GET the control supports, in the order the facts recommend before any SET_CUR.
    public func range(_ control: UVCControlDescription, entity: UInt8) async throws -> UVCControlRange {
        let info = try await info(control, entity: entity)
        return UVCControlRange(
            minimum: try await read(control, .getMinimum, entity: entity),
            maximum: try await read(control, .getMaximum, entity: entity),
            resolution: try await read(control, .getResolution, entity: entity),
            defaultValue: try await read(control, .getDefault, entity: entity),
            current: try await read(control, .getCurrent, entity: entity),
            info: info)
    }

    /// GET_LEN of any control (2-byte answer): the size of an extension-unit control, whose
    /// layout no descriptor states.
    public func length(selector: UInt8, entity: UInt8) async throws -> Int {
        let answer = try await transport.control(
            UVCControlRequests.setup(.getLength, selector: selector, entity: entity, interface: interface, length: 2),
            timeout: timeout)
        guard answer.count >= 2 else {
            throw CaptureFault(.protocolError, message: "The camera answered \(answer.count) byte(s) to GET_LEN of unit \(entity) selector \(selector).")
        }
        return Int(answer[0]) | Int(answer[1]) << 8
    }

    /// A GET request returning the raw bytes of an extension-unit (or any) control of `length` bytes.
    public func readBytes(_ request: UVCRequest, selector: UInt8, entity: UInt8, length: Int) async throws -> [UInt8] {
        guard request.isGet, (0...Int(UInt16.max)).contains(length) else {
            throw CaptureFault(.invalidParameter, message: "\(request) of \(length) bytes is not a read")
        }
        let answer = try await transport.control(
            UVCControlRequests.setup(request, selector: selector, entity: entity, interface: interface, length: UInt16(length)),
            timeout: timeout)
        guard answer.count == length else {
            throw CaptureFault(.protocolError,
                               message: "The camera answered \(answer.count) of \(length) byte(s) for unit \(entity) selector \(selector).")
        }
        return answer
    }

    /// SET_CUR of raw bytes (send exactly the GET_LEN size).
    public func writeBytes(_ bytes: [UInt8], selector: UInt8, entity: UInt8) async throws {
        guard bytes.count <= Int(UInt16.max) else {
            throw CaptureFault(.invalidParameter, message: "\(bytes.count) bytes do not fit one control request")
        }
        _ = try await transport.control(
            UVCControlRequests.setup(.setCurrent, selector: selector, entity: entity, interface: interface,
                                     length: UInt16(bytes.count)),
            data: bytes, timeout: timeout)
    }

    /// SET_CUR with exactly the control's size.
    public func write(_ control: UVCControlDescription, _ value: Int, entity: UInt8) async throws {
        let setup = UVCControlRequests.control(.setCurrent, control, entity: entity, interface: interface)
        _ = try await transport.control(setup, data: control.encode(value), timeout: timeout)
    }
}
