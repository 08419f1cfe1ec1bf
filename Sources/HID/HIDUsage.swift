/// A complete (extended) usage: usage page in the high 16 bits, usage ID in the low 16 bits.
public struct HIDUsage: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var page: UInt16
    public var id: UInt16

    public init(page: UInt16, id: UInt16) {
        self.page = page
        self.id = id
    }

    /// From the 32-bit extended form `page << 16 | id`.
    public init(extended value: UInt32) {
        self.page = UInt16(truncatingIfNeeded: value >> 16)
        self.id = UInt16(truncatingIfNeeded: value)
    }

    public var extended: UInt32 { UInt32(page) << 16 | UInt32(id) }

    public static func < (lhs: HIDUsage, rhs: HIDUsage) -> Bool { lhs.extended < rhs.extended }

    /// Pages 0xFF00...0xFFFF belong to vendors.
    public var isVendorDefined: Bool { page >= 0xFF00 }

    /// "Digitizer:Tip Switch", "Generic Desktop:X", "Vendor 0xFF0D:0x0130".
    public var description: String {
        "\(HIDUsageNames.pageName(page)):\(HIDUsageNames.usageName(self) ?? "0x" + hex4(id))"
    }

    /// `0x000D0042` style.
    public var hexString: String { "0x" + hex4(page) + hex4(id) }

    // Pages used by the pen-tablet code.
    public static let genericDesktopPage: UInt16 = 0x01
    public static let keyboardPage: UInt16 = 0x07
    public static let buttonPage: UInt16 = 0x09
    public static let digitizerPage: UInt16 = 0x0D
    /// Wacom's vendor page that mirrors the Digitizer page (hardware-facts §4).
    public static let wacomVendorPage: UInt16 = 0xFF0D

    public static let x = HIDUsage(page: genericDesktopPage, id: 0x30)
    public static let y = HIDUsage(page: genericDesktopPage, id: 0x31)
    public static let digitizer = HIDUsage(page: digitizerPage, id: 0x01)
    public static let pen = HIDUsage(page: digitizerPage, id: 0x02)
    public static let touchScreen = HIDUsage(page: digitizerPage, id: 0x04)
    public static let touchPad = HIDUsage(page: digitizerPage, id: 0x05)
    public static let stylus = HIDUsage(page: digitizerPage, id: 0x20)
    public static let finger = HIDUsage(page: digitizerPage, id: 0x22)
    public static let tipPressure = HIDUsage(page: digitizerPage, id: 0x30)
    public static let inRange = HIDUsage(page: digitizerPage, id: 0x32)
    public static let invert = HIDUsage(page: digitizerPage, id: 0x3C)
    public static let xTilt = HIDUsage(page: digitizerPage, id: 0x3D)
    public static let yTilt = HIDUsage(page: digitizerPage, id: 0x3E)
    public static let tipSwitch = HIDUsage(page: digitizerPage, id: 0x42)
    public static let barrelSwitch = HIDUsage(page: digitizerPage, id: 0x44)
    public static let eraser = HIDUsage(page: digitizerPage, id: 0x45)
    public static let secondaryBarrelSwitch = HIDUsage(page: digitizerPage, id: 0x5A)
}

func hex4(_ value: UInt16) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// Names for the pages a signature-pad technician meets; everything else prints as hex.
public enum HIDUsageNames {
    public static func pageName(_ page: UInt16) -> String {
        switch page {
        case 0x01: "Generic Desktop"
        case 0x02: "Simulation"
        case 0x06: "Generic Device"
        case 0x07: "Keyboard"
        case 0x08: "LED"
        case 0x09: "Button"
        case 0x0C: "Consumer"
        case 0x0D: "Digitizer"
        case 0x0F: "Physical Interface Device"
        case 0x14: "Auxiliary Display"
        case 0x20: "Sensor"
        case 0x59: "Lighting"
        case 0x84: "Power Device"
        case 0x85: "Battery System"
        case 0xFF0D: "Vendor 0xFF0D (Wacom)"
        case 0xFF00...0xFFFF: "Vendor 0x" + hex4(page)
        default: "Page 0x" + hex4(page)
        }
    }

    /// The usage's name on its page, or on the Digitizer page for Wacom's mirror page, or nil.
    public static func usageName(_ usage: HIDUsage) -> String? {
        switch usage.page {
        case 0x01: genericDesktop(usage.id)
        case 0x07: keyboard(usage.id)
        case 0x09: usage.id == 0 ? "No Button" : "Button \(usage.id)"
        case 0x0C: consumer(usage.id)
        case 0x0D: digitizer(usage.id)
        case HIDUsage.wacomVendorPage: wacomMirror(usage.id)
        default: nil
        }
    }

    static func genericDesktop(_ id: UInt16) -> String? {
        switch id {
        case 0x01: "Pointer"
        case 0x02: "Mouse"
        case 0x04: "Joystick"
        case 0x05: "Gamepad"
        case 0x06: "Keyboard"
        case 0x07: "Keypad"
        case 0x08: "Multi-axis Controller"
        case 0x30: "X"
        case 0x31: "Y"
        case 0x32: "Z"
        case 0x33: "Rx"
        case 0x34: "Ry"
        case 0x35: "Rz"
        case 0x36: "Slider"
        case 0x37: "Dial"
        case 0x38: "Wheel"
        case 0x39: "Hat Switch"
        case 0x3D: "Start"
        case 0x3E: "Select"
        case 0x80: "System Control"
        case 0x81: "System Power Down"
        case 0x82: "System Sleep"
        case 0x83: "System Wake Up"
        default: nil
        }
    }

    static func keyboard(_ id: UInt16) -> String? {
        switch id {
        case 0x00: "No Event"
        case 0x04...0x1D: "Key " + String(UnicodeScalar(UInt8(id - 0x04) + 0x61))
        case 0x28: "Enter"
        case 0x29: "Escape"
        case 0x2C: "Space"
        case 0xE0: "Left Control"
        case 0xE1: "Left Shift"
        case 0xE2: "Left Alt"
        case 0xE3: "Left GUI"
        case 0xE4: "Right Control"
        case 0xE5: "Right Shift"
        case 0xE6: "Right Alt"
        case 0xE7: "Right GUI"
        default: nil
        }
    }

    static func consumer(_ id: UInt16) -> String? {
        switch id {
        case 0x01: "Consumer Control"
        case 0xE9: "Volume Increment"
        case 0xEA: "Volume Decrement"
        default: nil
        }
    }

    static func digitizer(_ id: UInt16) -> String? {
        switch id {
        case 0x01: "Digitizer"
        case 0x02: "Pen"
        case 0x03: "Light Pen"
        case 0x04: "Touch Screen"
        case 0x05: "Touch Pad"
        case 0x0E: "Device Configuration"
        case 0x20: "Stylus"
        case 0x21: "Puck"
        case 0x22: "Finger"
        case 0x23: "Device Settings"
        case 0x30: "Tip Pressure"
        case 0x31: "Barrel Pressure"
        case 0x32: "In Range"
        case 0x33: "Touch"
        case 0x34: "Untouch"
        case 0x35: "Tap"
        case 0x36: "Quality"
        case 0x37: "Data Valid"
        case 0x38: "Transducer Index"
        case 0x39: "Tablet Function Keys"
        case 0x3A: "Program Change Keys"
        case 0x3B: "Battery Strength"
        case 0x3C: "Invert"
        case 0x3D: "X Tilt"
        case 0x3E: "Y Tilt"
        case 0x3F: "Azimuth"
        case 0x40: "Altitude"
        case 0x41: "Twist"
        case 0x42: "Tip Switch"
        case 0x43: "Secondary Tip Switch"
        case 0x44: "Barrel Switch"
        case 0x45: "Eraser"
        case 0x46: "Tablet Pick"
        case 0x47: "Confidence"
        case 0x48: "Width"
        case 0x49: "Height"
        case 0x51: "Contact Identifier"
        case 0x52: "Device Mode"
        case 0x53: "Device Identifier"
        case 0x54: "Contact Count"
        case 0x55: "Contact Count Maximum"
        case 0x56: "Scan Time"
        case 0x5A: "Secondary Barrel Switch"
        case 0x5B: "Transducer Serial Number"
        case 0x5C: "Preferred Color"
        default: nil
        }
    }

    /// Wacom mirrors Digitizer ids on 0xFF0D and puts X/Y at 0x0130/0x0131.
    static func wacomMirror(_ id: UInt16) -> String? {
        switch id {
        case 0x0130: "X (Wacom)"
        case 0x0131: "Y (Wacom)"
        case 0x0132: "Distance (Wacom)"
        case 0x005C: "Serial Number High (Wacom)"
        case 0x0077: "Tool Type (Wacom)"
        default: digitizer(id).map { $0 + " (Wacom)" }
        }
    }
}
