/// Input, output or feature: the value of the report-type byte in GET_REPORT/SET_REPORT.
public enum HIDReportType: UInt8, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case input = 1, output = 2, feature = 3

    public static func < (lhs: HIDReportType, rhs: HIDReportType) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .input: "input"
        case .output: "output"
        case .feature: "feature"
        }
    }
}

/// The data bits of an Input, Output or Feature item.
public struct HIDMainItemFlags: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Constant (usually padding) rather than data.
    public static let constant = HIDMainItemFlags(rawValue: 1 << 0)
    /// One value per element; without it the field is an array of usage indices.
    public static let variable = HIDMainItemFlags(rawValue: 1 << 1)
    public static let relative = HIDMainItemFlags(rawValue: 1 << 2)
    public static let wrap = HIDMainItemFlags(rawValue: 1 << 3)
    public static let nonLinear = HIDMainItemFlags(rawValue: 1 << 4)
    public static let noPreferredState = HIDMainItemFlags(rawValue: 1 << 5)
    /// Values outside the logical range mean "no value".
    public static let nullState = HIDMainItemFlags(rawValue: 1 << 6)
    public static let volatile = HIDMainItemFlags(rawValue: 1 << 7)
    public static let bufferedBytes = HIDMainItemFlags(rawValue: 1 << 8)

    public var isArray: Bool { !contains(.variable) }

    /// hid-decode style: "Data,Var,Abs" plus the non-default bits.
    public var description: String {
        var parts = [contains(.constant) ? "Cnst" : "Data", contains(.variable) ? "Var" : "Arr",
                     contains(.relative) ? "Rel" : "Abs"]
        if contains(.wrap) { parts.append("Wrap") }
        if contains(.nonLinear) { parts.append("NonLin") }
        if contains(.noPreferredState) { parts.append("NoPref") }
        if contains(.nullState) { parts.append("Null") }
        if contains(.volatile) { parts.append("Vol") }
        if contains(.bufferedBytes) { parts.append("Buff") }
        return parts.joined(separator: ",")
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt32.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A run of consecutive usages on one page (a single Usage is a run of one). Kept as a run so a
/// `Usage Minimum 0 / Maximum 0xFFFF` costs nothing to store.
public struct HIDUsageRange: Sendable, Hashable, Codable {
    public var first: HIDUsage
    /// 1...65536.
    public var count: Int

    public init(first: HIDUsage, count: Int) {
        self.first = first
        self.count = count
    }

    public var last: HIDUsage { HIDUsage(page: first.page, id: UInt16(truncatingIfNeeded: Int(first.id) + count - 1)) }
}

/// One Collection item and where it sits in the tree.
public struct HIDCollection: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable, CustomStringConvertible {
        case physical, application, logical, report, namedArray, usageSwitch, usageModifier
        case reserved(UInt8)
        case vendor(UInt8)

        public init(rawValue: UInt8) {
            switch rawValue {
            case 0: self = .physical
            case 1: self = .application
            case 2: self = .logical
            case 3: self = .report
            case 4: self = .namedArray
            case 5: self = .usageSwitch
            case 6: self = .usageModifier
            case 0x80...0xFF: self = .vendor(rawValue)
            default: self = .reserved(rawValue)
            }
        }

        public var description: String {
            switch self {
            case .physical: "Physical"
            case .application: "Application"
            case .logical: "Logical"
            case .report: "Report"
            case .namedArray: "Named Array"
            case .usageSwitch: "Usage Switch"
            case .usageModifier: "Usage Modifier"
            case let .reserved(value): "Reserved 0x\(hex(value))"
            case let .vendor(value): "Vendor 0x\(hex(value))"
            }
        }
    }

    /// Position in `HIDReportLayout.collections` (descriptor order).
    public var index: Int
    public var kind: Kind
    /// The usage declared before the Collection item, if any.
    public var usage: HIDUsage?
    public var parent: Int?
    /// 0 for top-level collections.
    public var depth: Int
    /// Byte offset of the Collection item.
    public var descriptorOffset: Int
}

/// One Input, Output or Feature item: `count` elements of `bitSize` bits each.
public struct HIDField: Sendable, Hashable, Codable {
    public var reportType: HIDReportType
    public var reportID: UInt8
    /// First bit of element 0, counted from the first bit after the report-ID byte.
    public var bitOffset: Int
    /// Report Size: bits per element.
    public var bitSize: Int
    /// Report Count: number of elements.
    public var count: Int
    public var flags: HIDMainItemFlags
    /// The Main item's local usage list, in order. For a variable field element k takes usage k,
    /// the last one repeating; for an array field an element holds an index into this list.
    public var usages: [HIDUsageRange]
    public var logicalMinimum: Int64
    public var logicalMaximum: Int64
    /// As declared; ranges leak from earlier items, so use `hasPhysicalUnit` before trusting it.
    public var physicalMinimum: Int64
    public var physicalMaximum: Int64
    public var unit: HIDUnit
    /// Decoded Unit Exponent (see `hidUnitExponent`).
    public var unitExponent: Int
    /// Indices into `HIDReportLayout.collections`, outermost first.
    public var collectionPath: [Int]
    /// The outermost application collection's usage.
    public var application: HIDUsage?
    public var designatorRange: ClosedRange<UInt32>?
    public var stringRange: ClosedRange<UInt32>?
    /// Byte offset of the Main item.
    public var descriptorOffset: Int

    public var isConstant: Bool { flags.contains(.constant) }
    public var isArray: Bool { flags.isArray }
    /// A constant item without usages: filler bits.
    public var isPadding: Bool { isConstant && usages.isEmpty }
    /// Values are sign-extended when the logical minimum is negative.
    public var isSigned: Bool { logicalMinimum < 0 }
    /// Too wide for a number: handed out as bytes.
    public var isOpaque: Bool { bitSize > 32 }
    public var totalBits: Int { bitSize * count }

    public var usageCount: Int { usages.reduce(0) { $0 + $1.count } }

    /// Usage number `index` of the usage list (array index or variable element), or nil.
    public func usage(atIndex index: Int) -> HIDUsage? {
        guard index >= 0 else { return nil }
        var remaining = index
        for range in usages {
            if remaining < range.count {
                return HIDUsage(page: range.first.page, id: UInt16(truncatingIfNeeded: Int(range.first.id) + remaining))
            }
            remaining -= range.count
        }
        return nil
    }

    /// The usage of variable element `element`: usage k, or the last usage when the list is
    /// shorter than Report Count (hardware-facts §3). Nil for array fields and padding.
    public func usage(forElement element: Int) -> HIDUsage? {
        guard !isArray, element >= 0, element < count else { return nil }
        let total = usageCount
        guard total > 0 else { return nil }
        return usage(atIndex: min(element, total - 1))
    }

    /// The usages of elements 0..<min(count, usageCount) in one pass (the last one repeats for
    /// any further element). Cheaper than `usage(forElement:)` per element on wide fields.
    public func elementUsages() -> [HIDUsage] {
        var result: [HIDUsage] = []
        let limit = isArray ? 0 : count
        result.reserveCapacity(min(limit, 4096))
        for range in usages {
            for offset in 0..<range.count {
                guard result.count < limit else { return result }
                result.append(HIDUsage(page: range.first.page, id: UInt16(truncatingIfNeeded: Int(range.first.id) + offset)))
            }
        }
        return result
    }

    /// Whether the field's variable elements include `usage`; returns the first such element.
    public func element(for usage: HIDUsage) -> Int? {
        guard !isArray else { return nil }
        var index = 0
        for range in usages {
            if range.first.page == usage.page, usage.id >= range.first.id,
               Int(usage.id) - Int(range.first.id) < range.count {
                let element = index + Int(usage.id - range.first.id)
                return element < count ? element : nil
            }
            index += range.count
        }
        return nil
    }

    /// The Unit is set to something with a dimension that suits the field's usage: only then do
    /// physical ranges mean anything (units and physical ranges leak from earlier fields —
    /// hardware-facts §4: the writing pad's pressure and tilt inherit X's inch unit).
    public var hasPhysicalUnit: Bool { !unit.isNone && unitFitsUsage != false }

    /// Whether the unit's dimension suits the first usage: lengths for X/Y/Z/width/height, angles
    /// for tilt/azimuth/altitude/twist, time for Scan Time, force (or nothing) for pressures.
    /// Nil for usages this table does not know.
    public var unitFitsUsage: Bool? {
        guard let usage = usages.first?.first else { return nil }
        let force = unit.mass == 1 && unit.length == 1 && unit.time == -2
        switch (usage.page, usage.id) {
        case (HIDUsage.genericDesktopPage, 0x30...0x32), (HIDUsage.wacomVendorPage, 0x0130...0x0132),
             (HIDUsage.digitizerPage, 0x48...0x49), (HIDUsage.wacomVendorPage, 0x48...0x49):
            return unit.isLengthLike
        case (HIDUsage.digitizerPage, 0x3D...0x41), (HIDUsage.wacomVendorPage, 0x3D...0x41):
            return unit.isAngle
        case (HIDUsage.digitizerPage, 0x56), (HIDUsage.wacomVendorPage, 0x56):
            return unit.time != 0 && unit.length == 0
        case (HIDUsage.digitizerPage, 0x30...0x31), (HIDUsage.wacomVendorPage, 0x30...0x31):
            return unit.isNone || force
        default:
            return nil
        }
    }

    /// The physical range in effect: the logical range when both physical bounds are 0.
    public var effectivePhysicalRange: ClosedRange<Int64>? {
        if physicalMinimum == 0 && physicalMaximum == 0 { return logicalMinimum...logicalMaximum }
        guard physicalMinimum <= physicalMaximum else { return nil }
        return physicalMinimum...physicalMaximum
    }

    /// A logical value in physical units (the unit's base: cm, inch, degree, second…) including
    /// the unit exponent; nil when the field has no unit.
    public func physicalValue(logical: Int64) -> Double? {
        guard hasPhysicalUnit else { return nil }
        let scale = power10(unitExponent)
        if physicalMinimum == 0 && physicalMaximum == 0 { return Double(logical) * scale }
        guard logicalMaximum != logicalMinimum else { return nil }
        let fraction = Double(logical - logicalMinimum) / Double(logicalMaximum - logicalMinimum)
        let physical = fraction * Double(physicalMaximum - physicalMinimum) + Double(physicalMinimum)
        return physical * scale
    }
}

func power10(_ exponent: Int) -> Double {
    var result = 1.0
    if exponent >= 0 {
        for _ in 0..<min(exponent, 308) { result *= 10 }
    } else {
        for _ in 0..<min(-exponent, 308) { result /= 10 }
    }
    return result
}

/// All fields of one (type, report ID) pair, in bit order.
public struct HIDReport: Sendable, Hashable, Codable {
    public var type: HIDReportType
    /// 0 when the descriptor uses no report IDs.
    public var id: UInt8
    public var fields: [HIDField]
    /// Sum of the fields' bits (after the ID byte).
    public var bitLength: Int

    /// Bytes after the ID byte: ceil(bits / 8).
    public var payloadLength: Int { (bitLength + 7) / 8 }
}

/// Something the parser accepted but that a reader should know about.
public struct HIDParseWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public var description: String { "byte \(offset): \(message)" }
}

/// What a report descriptor declares: every report with its fields, and the collection tree.
public struct HIDReportLayout: Sendable, Hashable, Codable {
    public var descriptorLength: Int
    /// Whether any Report ID item appears: then every report starts with its ID byte.
    public var usesReportIDs: Bool
    /// Sorted by type, then ID.
    public var reports: [HIDReport]
    public var collections: [HIDCollection]
    public var warnings: [HIDParseWarning]

    /// Parses a report descriptor. Never traps; malformed input throws `HIDParseError`.
    public static func parse(_ descriptor: [UInt8]) throws(HIDParseError) -> HIDReportLayout {
        var parser = HIDReportDescriptorParser(descriptor: descriptor)
        return try parser.run()
    }

    public func report(_ type: HIDReportType, id: UInt8) -> HIDReport? {
        reports.first { $0.type == type && $0.id == id }
    }

    public func reports(of type: HIDReportType) -> [HIDReport] { reports.filter { $0.type == type } }

    /// Bytes on the wire for a report, including the ID byte when IDs are used.
    public func wireLength(of report: HIDReport) -> Int { report.payloadLength + (usesReportIDs ? 1 : 0) }

    /// The longest input report on the wire: the read size for the interrupt IN endpoint.
    public var maximumInputReportLength: Int {
        reports(of: .input).map { wireLength(of: $0) }.max() ?? 0
    }

    /// The collections that contain `field`, outermost first.
    public func collections(of field: HIDField) -> [HIDCollection] {
        field.collectionPath.compactMap { $0 < collections.count ? collections[$0] : nil }
    }
}
