/// Lower-case hexadecimal text as USB tools print it ("045e", "0a", "09 21 10 01").
public enum Hex {
    public static func byte(_ value: UInt8) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }

    public static func word(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// "09 21 10 01" (human) or "09211001" (JSON).
    public static func bytes(_ values: [UInt8], separator: String = " ") -> String {
        values.map(byte).joined(separator: separator)
    }
}
