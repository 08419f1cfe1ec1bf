import BioCapture
import USBDescriptors

/// UVC class request codes (bRequest).
public enum UVCRequest: UInt8, Sendable, Hashable, CaseIterable {
    case setCurrent = 0x01
    case getCurrent = 0x81
    case getMinimum = 0x82
    case getMaximum = 0x83
    case getResolution = 0x84
    case getLength = 0x85
    case getInfo = 0x86
    case getDefault = 0x87

    /// GET requests read from the device; SET_CUR writes.
    public var isGet: Bool { rawValue & 0x80 != 0 }
}

/// VideoStreaming interface control selectors (entity 0 on the VS interface).
public enum UVCStreamingSelector: UInt8, Sendable, Hashable, CaseIterable {
    case probe = 0x01
    case commit = 0x02
    case stillProbe = 0x03
    case stillCommit = 0x04
    case stillImageTrigger = 0x05
    case streamErrorCode = 0x06
    case generateKeyFrame = 0x07
    case updateFrameSegment = 0x08
    case synchDelay = 0x09
}

/// VideoControl interface control selectors (entity 0 on the VC interface).
public enum UVCVideoControlSelector: UInt8, Sendable, Hashable {
    case videoPowerMode = 0x01
    case requestErrorCode = 0x02
}

/// Builds the SETUP packets of UVC class requests.
///
/// bmRequestType 0x21 (SET, class, interface) or 0xA1 (GET); wValue = selector << 8;
/// wIndex = entity << 8 | interface (entity 0 addresses the interface itself).
public enum UVCControlRequests {
    /// The SETUP packet for `request` on `selector` of `entity` behind `interface`.
    public static func setup(
        _ request: UVCRequest, selector: UInt8, entity: UInt8, interface: UInt8, length: UInt16
    ) -> USBControlSetup {
        USBControlSetup(
            requestType: USBControlSetup.requestType(deviceToHost: request.isGet, kind: .class, recipient: .interface),
            request: request.rawValue,
            value: UInt16(selector) << 8,
            index: UInt16(entity) << 8 | UInt16(interface),
            length: length)
    }

    /// A VideoStreaming interface control request (probe, commit, still trigger…).
    public static func streaming(
        _ request: UVCRequest, _ selector: UVCStreamingSelector, interface: UInt8, length: UInt16
    ) -> USBControlSetup {
        setup(request, selector: selector.rawValue, entity: 0, interface: interface, length: length)
    }

    /// A camera-terminal or processing-unit control request.
    public static func control(
        _ request: UVCRequest, _ control: UVCControlDescription, entity: UInt8, interface: UInt8
    ) -> USBControlSetup {
        let length: UInt16
        switch request {
        case .getLength: length = 2
        case .getInfo: length = 1
        default: length = UInt16(control.size)
        }
        return setup(request, selector: control.selector, entity: entity, interface: interface, length: length)
    }
}

/// GET_INFO answer bits.
public struct UVCControlInfo: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let supportsGet = UVCControlInfo(rawValue: 1 << 0)
    public static let supportsSet = UVCControlInfo(rawValue: 1 << 1)
    /// Disabled because an automatic mode is on (e.g. exposure time while AE is auto).
    public static let disabledByAutomaticMode = UVCControlInfo(rawValue: 1 << 2)
    public static let autoUpdate = UVCControlInfo(rawValue: 1 << 3)
    public static let asynchronous = UVCControlInfo(rawValue: 1 << 4)
}
