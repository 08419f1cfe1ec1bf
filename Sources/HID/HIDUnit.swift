/// A decoded Unit item: 8 nibbles, least significant first — the system, then signed 4-bit
/// exponents of length, mass, time, temperature, current and luminous intensity.
public struct HIDUnit: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum System: UInt8, Sendable, Hashable, Codable {
        case none = 0
        /// Length in centimetres, mass in grams, time in seconds, temperature in kelvin.
        case siLinear = 1
        /// Angles in radians.
        case siRotation = 2
        /// Length in inches, mass in slugs, temperature in degrees Fahrenheit.
        case englishLinear = 3
        /// Angles in degrees.
        case englishRotation = 4
        /// 5...14 reserved, 15 vendor-defined.
        case reserved = 5
        case vendor = 15
    }

    /// The item's value as stored (only the low 32 bits exist).
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let none = HIDUnit(rawValue: 0)
    public static let centimetre = HIDUnit(rawValue: 0x11)
    public static let inch = HIDUnit(rawValue: 0x13)
    public static let radian = HIDUnit(rawValue: 0x12)
    public static let degree = HIDUnit(rawValue: 0x14)
    public static let second = HIDUnit(rawValue: 0x1001)

    public var system: System {
        let nibble = UInt8(rawValue & 0xF)
        switch nibble {
        case 0...4: return System(rawValue: nibble) ?? .reserved
        case 15: return .vendor
        default: return .reserved
        }
    }

    /// The signed exponent in nibble `index` (1 length, 2 mass, 3 time, 4 temperature,
    /// 5 current, 6 luminous intensity).
    func exponent(nibble index: Int) -> Int {
        signExtendNibble(UInt8((rawValue >> UInt32(index * 4)) & 0xF))
    }

    public var length: Int { exponent(nibble: 1) }
    public var mass: Int { exponent(nibble: 2) }
    public var time: Int { exponent(nibble: 3) }
    public var temperature: Int { exponent(nibble: 4) }
    public var current: Int { exponent(nibble: 5) }
    public var luminousIntensity: Int { exponent(nibble: 6) }

    /// No system, or a system with no dimension: physical values carry no meaning.
    public var isNone: Bool { rawValue & 0xFFFF_FFF0 == 0 || system == .none }

    /// A unit whose only dimension is length (any positive power, because a real writing pad
    /// declares 0x33 = inch³ for its X/Y where inch is meant — hardware-facts §4).
    public var isLengthLike: Bool {
        (system == .siLinear || system == .englishLinear) && length > 0
            && rawValue & 0xFFFF_FF00 == 0
    }

    /// Exactly one dimension of length to the first power.
    public var isPlainLength: Bool { isLengthLike && length == 1 }

    /// Angles: rotation systems with length exponent 1 (0x12 radians, 0x14 degrees).
    public var isAngle: Bool {
        (system == .siRotation || system == .englishRotation) && length == 1
            && rawValue & 0xFFFF_FF00 == 0
    }

    /// Millimetres in one unit of length for a length-like unit, taking the system's base unit
    /// (cm or inch) and ignoring a bogus length power (see `isLengthLike`).
    public var millimetresPerLengthUnit: Double? {
        guard isLengthLike else { return nil }
        return system == .siLinear ? 10.0 : 25.4
    }

    /// "cm", "in", "deg", "s", "cm·g·s⁻²", "in³"; "none" for no unit.
    public var description: String {
        if rawValue == 0 { return "none" }
        let names: [(String, Int)]
        switch system {
        case .none: return "none (0x\(hex(rawValue)))"
        case .siLinear: names = [("cm", length), ("g", mass), ("s", time), ("K", temperature), ("A", current), ("cd", luminousIntensity)]
        case .siRotation: names = [("rad", length), ("g", mass), ("s", time), ("K", temperature), ("A", current), ("cd", luminousIntensity)]
        case .englishLinear: names = [("in", length), ("slug", mass), ("s", time), ("°F", temperature), ("A", current), ("cd", luminousIntensity)]
        case .englishRotation: names = [("deg", length), ("slug", mass), ("s", time), ("°F", temperature), ("A", current), ("cd", luminousIntensity)]
        case .reserved, .vendor: return "0x\(hex(rawValue)) (\(system == .vendor ? "vendor" : "reserved") system)"
        }
        let parts = names.filter { $0.1 != 0 }.map { name, power in power == 1 ? name : name + superscript(power) }
        if parts.isEmpty { return "none (0x\(hex(rawValue)))" }
        return parts.joined(separator: "·")
    }

    private func superscript(_ value: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var text = value < 0 ? "⁻" : ""
        for character in String(abs(value)) {
            if let digit = character.wholeNumberValue { text.append(digits[digit]) }
        }
        return text
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt32.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

func signExtendNibble(_ nibble: UInt8) -> Int {
    let value = Int(nibble & 0xF)
    return value >= 8 ? value - 16 : value
}

/// Decodes a Unit Exponent item the way real devices need it (hardware-facts §4): the spec
/// stores -8...7 in a nibble (`55 0D` = -3, Wacom), but some firmware writes a full signed byte
/// (`55 FD` = -3, Huion). If no bit above bit 3 is set, the low nibble is sign-extended;
/// otherwise the item's signed value is used as is.
public func hidUnitExponent(signedItemValue value: Int64) -> Int {
    if value & ~0xF == 0 { return signExtendNibble(UInt8(value)) }
    // A 4-byte value could be absurd; clamp so 10^exponent stays finite.
    return Int(max(-64, min(64, value)))
}
