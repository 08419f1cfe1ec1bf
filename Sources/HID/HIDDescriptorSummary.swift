/// A report descriptor in a form for people (`renderText()`) and scripts (Codable → JSON):
/// what `biocapture describe --hid-report-descriptor FILE [--json]` prints.
public struct HIDDescriptorSummary: Sendable, Hashable, Codable {
    /// A usage with its page and names resolved for printing.
    public struct Usage: Sendable, Hashable, Codable {
        public var page: UInt16
        public var id: UInt16
        /// "0x000D0042".
        public var hex: String
        public var pageName: String
        /// Nil for usages the name tables do not know.
        public var name: String?

        public init(_ usage: HIDUsage) {
            page = usage.page
            id = usage.id
            hex = usage.hexString
            pageName = HIDUsageNames.pageName(usage.page)
            name = HIDUsageNames.usageName(usage)
        }

        var text: String { "\(pageName):\(name ?? "0x" + hex4(id))" }
    }

    /// A run of consecutive usages (array fields, Usage Minimum/Maximum).
    public struct UsageRange: Sendable, Hashable, Codable {
        public var first: Usage
        public var last: Usage
        public var count: Int
    }

    /// An inclusive range of logical or physical values.
    public struct Range: Sendable, Hashable, Codable {
        public var minimum: Int64
        public var maximum: Int64
    }

    /// One Main item of a report.
    public struct Field: Sendable, Hashable, Codable {
        public var bitOffset: Int
        public var bitSize: Int
        public var count: Int
        /// "Data,Var,Abs".
        public var flags: String
        public var flagBits: UInt32
        public var padding: Bool
        public var array: Bool
        /// Variable fields: the usage of each element up to the end of the usage list (further
        /// elements repeat the last one). Array fields: empty, see `usageRanges`.
        public var usages: [Usage]
        public var usageRanges: [UsageRange]
        public var logical: Range
        /// Only when the field declares a unit (physical ranges leak otherwise).
        public var physical: Range?
        public var unit: String?
        public var unitCode: UInt32
        public var unitExponent: Int
        /// Innermost collection first, e.g. ["Physical Digitizer:Stylus", "Application Digitizer:Pen"].
        public var collections: [String]
        public var descriptorOffset: Int
    }

    /// One (type, report ID) with its fields in bit order.
    public struct Report: Sendable, Hashable, Codable {
        public var type: String
        public var id: UInt8
        public var bits: Int
        /// On the wire, with the report-ID byte when IDs are used.
        public var bytes: Int
        public var application: Usage?
        public var fields: [Field]
    }

    /// One Collection item; `parent` indexes `collections`.
    public struct Collection: Sendable, Hashable, Codable {
        public var index: Int
        public var kind: String
        public var usage: Usage?
        public var parent: Int?
        public var depth: Int
        public var descriptorOffset: Int
    }

    /// A pen axis: logical range, physical size and resolution.
    public struct Axis: Sendable, Hashable, Codable {
        public var usage: Usage
        public var bitOffset: Int
        public var bitSize: Int
        public var logical: Range
        public var physical: Range?
        public var unit: String
        public var unitExponent: Int
        public var lengthMillimetres: Double?
        public var countsPerMillimetre: Double?
        public var countsPerInch: Double?
        public var unitQuirk: Bool
    }

    /// A pen quantity without physical size (pressure, tilt).
    public struct Quantity: Sendable, Hashable, Codable {
        public var usage: Usage
        public var bitOffset: Int
        public var bitSize: Int
        public var logical: Range
    }

    /// A pen report found by `HIDDigitizerCapabilities`.
    public struct Digitizer: Sendable, Hashable, Codable {
        public var reportID: UInt8
        public var standardPen: Bool
        public var application: Usage?
        public var x: Axis
        public var y: Axis
        public var pressure: Quantity?
        public var pressureLevels: Int64?
        public var tipSwitch: Bool
        public var inRange: Bool
        public var barrelSwitch: Bool
        public var eraser: Bool
        public var xTilt: Quantity?
        public var yTilt: Quantity?
    }

    public var descriptorLength: Int
    public var usesReportIDs: Bool
    public var reports: [Report]
    public var collections: [Collection]
    /// Pen reports, the preferred one first.
    public var digitizers: [Digitizer]
    public var warnings: [String]

    public init(layout: HIDReportLayout) {
        descriptorLength = layout.descriptorLength
        usesReportIDs = layout.usesReportIDs
        collections = layout.collections.map {
            Collection(index: $0.index, kind: $0.kind.description, usage: $0.usage.map(Usage.init), parent: $0.parent,
                       depth: $0.depth, descriptorOffset: $0.descriptorOffset)
        }
        reports = layout.reports.map { report in
            Report(type: report.type.description, id: report.id, bits: report.bitLength, bytes: layout.wireLength(of: report),
                   application: report.fields.first { !$0.isPadding }?.application.map(Usage.init),
                   fields: report.fields.map { Self.field($0, layout: layout) })
        }
        digitizers = HIDDigitizerCapabilities.all(in: layout).map(Self.digitizer)
        warnings = layout.warnings.map(\.description)
    }

    /// Parses and summarises in one go.
    public init(descriptor: [UInt8]) throws(HIDParseError) {
        self.init(layout: try HIDReportLayout.parse(descriptor))
    }

    static func field(_ field: HIDField, layout: HIDReportLayout) -> Field {
        // Elements past the usage list repeat its last usage: list it once.
        let elementUsages = field.elementUsages().map(Usage.init)
        let collectionNames = layout.collections(of: field).reversed().map { collection in
            "\(collection.kind)" + (collection.usage.map { " " + Usage($0).text } ?? "")
        }
        return Field(
            bitOffset: field.bitOffset, bitSize: field.bitSize, count: field.count, flags: field.flags.description,
            flagBits: field.flags.rawValue, padding: field.isPadding, array: field.isArray, usages: elementUsages,
            usageRanges: field.usages.map { UsageRange(first: Usage($0.first), last: Usage($0.last), count: $0.count) },
            logical: Range(minimum: field.logicalMinimum, maximum: field.logicalMaximum),
            physical: field.hasPhysicalUnit ? Range(minimum: field.physicalMinimum, maximum: field.physicalMaximum) : nil,
            unit: field.hasPhysicalUnit ? field.unit.description : nil, unitCode: field.unit.rawValue,
            unitExponent: field.unitExponent, collections: collectionNames, descriptorOffset: field.descriptorOffset)
    }

    static func quantity(_ location: HIDFieldLocation) -> Quantity {
        Quantity(usage: Usage(location.usage), bitOffset: location.bitOffset, bitSize: location.bitSize,
                 logical: Range(minimum: location.logicalMinimum, maximum: location.logicalMaximum))
    }

    static func axis(_ axis: HIDPenAxis) -> Axis {
        Axis(usage: Usage(axis.location.usage), bitOffset: axis.location.bitOffset, bitSize: axis.location.bitSize,
             logical: Range(minimum: axis.logicalMinimum, maximum: axis.logicalMaximum),
             physical: axis.physicalMinimum.flatMap { minimum in axis.physicalMaximum.map { Range(minimum: minimum, maximum: $0) } },
             unit: axis.unit.description, unitExponent: axis.unitExponent, lengthMillimetres: axis.lengthMillimetres,
             countsPerMillimetre: axis.countsPerMillimetre, countsPerInch: axis.countsPerInch, unitQuirk: axis.unitQuirk)
    }

    static func digitizer(_ capabilities: HIDDigitizerCapabilities) -> Digitizer {
        Digitizer(
            reportID: capabilities.reportID, standardPen: capabilities.declaresStandardPen,
            application: capabilities.application.map(Usage.init), x: axis(capabilities.x), y: axis(capabilities.y),
            pressure: capabilities.pressure.map(quantity), pressureLevels: capabilities.pressureLevels,
            tipSwitch: capabilities.tipSwitch != nil, inRange: capabilities.inRange != nil,
            barrelSwitch: capabilities.barrelSwitch != nil, eraser: capabilities.eraser != nil,
            xTilt: capabilities.xTilt.map(quantity), yTilt: capabilities.yTilt.map(quantity))
    }

    /// The human form: one block per report, one line per field, then the pen summary.
    public func renderText() -> String {
        var lines: [String] = []
        lines.append("HID report descriptor: \(descriptorLength) bytes, \(reports.count) report(s), "
            + (usesReportIDs ? "report IDs used" : "no report IDs"))
        for report in reports {
            var header = "\(report.type) report \(report.id): \(report.bits) bits, \(report.bytes) bytes on the wire"
            if let application = report.application { header += ", application \(application.text)" }
            lines.append("")
            lines.append(header)
            for field in report.fields {
                lines.append("  " + Self.fieldLine(field))
            }
        }
        for (index, digitizer) in digitizers.enumerated() {
            lines.append("")
            lines.append((index == 0 ? "Pen digitizer" : "Also a pen report")
                + ": input report \(digitizer.reportID)"
                + (digitizer.standardPen ? " (standard Digitizer page)" : " (vendor page layout)"))
            lines.append("  X: " + Self.axisText(digitizer.x))
            lines.append("  Y: " + Self.axisText(digitizer.y))
            if let pressure = digitizer.pressure {
                lines.append("  pressure: \(pressure.logical.minimum)..\(pressure.logical.maximum)"
                    + (digitizer.pressureLevels.map { " (\($0) levels)" } ?? "") + ", bit \(pressure.bitOffset), \(pressure.bitSize) bits")
            } else {
                lines.append("  pressure: none")
            }
            var switches: [String] = []
            if digitizer.tipSwitch { switches.append("tip switch") }
            if digitizer.inRange { switches.append("in range") }
            if digitizer.barrelSwitch { switches.append("barrel switch") }
            if digitizer.eraser { switches.append("eraser") }
            lines.append("  switches: " + (switches.isEmpty ? "none" : switches.joined(separator: ", ")))
            if let xTilt = digitizer.xTilt, let yTilt = digitizer.yTilt {
                lines.append("  tilt: X \(xTilt.logical.minimum)..\(xTilt.logical.maximum), Y \(yTilt.logical.minimum)..\(yTilt.logical.maximum)")
            }
        }
        if digitizers.isEmpty {
            lines.append("")
            lines.append("No pen digitizer report.")
        }
        if !warnings.isEmpty {
            lines.append("")
            lines.append("Warnings:")
            lines += warnings.map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func fieldLine(_ field: Field) -> String {
        var text = "bit \(field.bitOffset): "
        let bits = field.bitSize == 1 ? "1 bit" : "\(field.bitSize) bits"
        text += field.count == 1 ? bits : "\(field.count) x \(bits)"
        text += " \(field.flags)"
        if field.padding { return text + " (padding)" }
        if field.array {
            let ranges = field.usageRanges.map { $0.count == 1 ? $0.first.text : "\($0.first.text)...\($0.last.text)" }
            text += " array of [" + ranges.joined(separator: ", ") + "]"
        } else {
            text += " " + field.usages.map(\.text).joined(separator: ", ")
        }
        text += " logical \(field.logical.minimum)..\(field.logical.maximum)"
        if let physical = field.physical, let unit = field.unit {
            text += " physical \(physical.minimum)..\(physical.maximum) \(unit)"
            if field.unitExponent != 0 { text += " x10^\(field.unitExponent)" }
        }
        return text
    }

    static func axisText(_ axis: Axis) -> String {
        var text = "\(axis.logical.minimum)..\(axis.logical.maximum), bit \(axis.bitOffset), \(axis.bitSize) bits"
        if let length = axis.lengthMillimetres, let resolution = axis.countsPerMillimetre {
            text += ", " + formatted(length, digits: 2) + " mm, " + formatted(resolution, digits: 2) + " counts/mm ("
                + formatted(resolution * 25.4, digits: 0) + " lpi)"
            if axis.unitQuirk { text += " [unit \(axis.unit) read as a length]" }
        } else {
            text += ", no physical size"
        }
        return text
    }

    /// Fixed-point formatting without Foundation.
    static func formatted(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        let scale = power10(digits)
        let rounded = (abs(value) * scale).rounded()
        guard rounded < 1e15 else { return "\(value)" }
        let whole = Int64(rounded / scale)
        var text = (value < 0 ? "-" : "") + "\(whole)"
        if digits > 0 {
            let fraction = Int64(rounded - Double(whole) * scale)
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: max(0, digits - fractionText.count)) + fractionText
        }
        return text
    }
}
