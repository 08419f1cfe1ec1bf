/// Where one pen quantity lives in the pen report, and its declared ranges.
public struct HIDFieldLocation: Sendable, Hashable, Codable {
    public var usage: HIDUsage
    /// Index in `HIDReport.fields` and the element inside that field.
    public var fieldIndex: Int
    public var element: Int
    /// First bit after the report-ID byte.
    public var bitOffset: Int
    public var bitSize: Int
    public var logicalMinimum: Int64
    public var logicalMaximum: Int64
    public var isSigned: Bool

    init(field: HIDField, fieldIndex: Int, element: Int, usage: HIDUsage) {
        self.usage = usage
        self.fieldIndex = fieldIndex
        self.element = element
        self.bitOffset = field.bitOffset + element * field.bitSize
        self.bitSize = field.bitSize
        self.logicalMinimum = field.logicalMinimum
        self.logicalMaximum = field.logicalMaximum
        self.isSigned = field.isSigned
    }

    /// Reads the element from a report payload that starts at `byteBase`.
    @inline(__always)
    func read(_ bytes: [UInt8], byteBase: Int) -> Int64 {
        let raw = HIDBits.unsigned(bytes, byteBase: byteBase, bitOffset: bitOffset, bitCount: bitSize)
        guard isSigned, bitSize < 64 else { return Int64(bitPattern: raw) }
        let unusedBits = UInt64(64 - bitSize)
        return Int64(bitPattern: raw << unusedBits) >> Int64(unusedBits)
    }
}

/// A pen axis (X or Y) with its physical size when the descriptor declares a length unit.
public struct HIDPenAxis: Sendable, Hashable, Codable {
    public var location: HIDFieldLocation
    public var logicalMinimum: Int64 { location.logicalMinimum }
    public var logicalMaximum: Int64 { location.logicalMaximum }
    /// As declared (only when the unit is a length).
    public var physicalMinimum: Int64?
    public var physicalMaximum: Int64?
    public var unit: HIDUnit
    public var unitExponent: Int
    /// Physical extent of the logical range in millimetres.
    public var lengthMillimetres: Double?
    /// Counts per millimetre: (Lmax − Lmin) / length.
    public var countsPerMillimetre: Double?
    /// Counts per inch (lines per inch, as tablet vendors quote it).
    public var countsPerInch: Double? { countsPerMillimetre.map { $0 * 25.4 } }
    /// The unit is not plain cm or inch (writing pad's inch³): resolution assumes the base length.
    public var unitQuirk: Bool

    init(field: HIDField, location: HIDFieldLocation) {
        self.location = location
        unit = field.unit
        unitExponent = field.unitExponent
        unitQuirk = field.unit.isLengthLike && !field.unit.isPlainLength
        guard let millimetresPerUnit = field.unit.millimetresPerLengthUnit,
              !(field.physicalMinimum == 0 && field.physicalMaximum == 0) else { return }
        physicalMinimum = field.physicalMinimum
        physicalMaximum = field.physicalMaximum
        let length = Double(field.physicalMaximum - field.physicalMinimum) * power10(field.unitExponent) * millimetresPerUnit
        guard length > 0, field.logicalMaximum > field.logicalMinimum else { return }
        lengthMillimetres = length
        countsPerMillimetre = Double(field.logicalMaximum - field.logicalMinimum) / length
    }

    /// A logical coordinate in millimetres from the logical minimum; nil without a physical size.
    public func millimetres(_ logical: Int64) -> Double? {
        guard let countsPerMillimetre, countsPerMillimetre > 0 else { return nil }
        return Double(logical - logicalMinimum) / countsPerMillimetre
    }
}

/// What a report descriptor says about a pen digitizer (signature pad, pen tablet, pen display).
public struct HIDDigitizerCapabilities: Sendable, Hashable, Codable {
    /// The input report carrying the pen (0 without report IDs).
    public var reportID: UInt8
    public var usesReportIDs: Bool
    /// Length of that report on the wire (with the ID byte when IDs are used).
    public var reportLength: Int
    /// The application collection's usage (Digitizer:Pen, or Wacom's vendor 0xFF0D:0x0001).
    public var application: HIDUsage?
    /// The report uses the standard pages: Digitizer page, a Pen/Digitizer application or Stylus
    /// collection, Tip Switch, X/Y on Generic Desktop. False for Wacom's vendor mirror.
    public var declaresStandardPen: Bool
    public var x: HIDPenAxis
    public var y: HIDPenAxis
    public var tipSwitch: HIDFieldLocation?
    public var inRange: HIDFieldLocation?
    public var barrelSwitch: HIDFieldLocation?
    public var secondaryBarrelSwitch: HIDFieldLocation?
    public var eraser: HIDFieldLocation?
    public var invert: HIDFieldLocation?
    public var pressure: HIDFieldLocation?
    public var xTilt: HIDFieldLocation?
    public var yTilt: HIDFieldLocation?

    /// Distinct pressure values: Lmax − Lmin + 1.
    public var pressureLevels: Int64? { pressure.map { $0.logicalMaximum - $0.logicalMinimum + 1 } }

    /// Every pen report in the layout, standard-page reports first, then by report ID.
    public static func all(in layout: HIDReportLayout) -> [HIDDigitizerCapabilities] {
        layout.reports(of: .input).compactMap { analyse($0, layout: layout) }
            .sorted { ($0.declaresStandardPen ? 0 : 1, $0.reportID) < ($1.declaresStandardPen ? 0 : 1, $1.reportID) }
    }

    /// Usages on the Digitizer page, or the same ids on Wacom's mirror page.
    private static func digitizerID(_ usage: HIDUsage) -> UInt16? {
        usage.page == HIDUsage.digitizerPage || usage.page == HIDUsage.wacomVendorPage ? usage.id : nil
    }

    private static func analyse(_ report: HIDReport, layout: HIDReportLayout) -> HIDDigitizerCapabilities? {
        var found: [String: (HIDField, HIDFieldLocation)] = [:]
        var standard = true
        for (fieldIndex, field) in report.fields.enumerated() where !field.isArray && !field.isPadding && !field.isOpaque {
            guard isPenContext(field, layout: layout) else { continue }
            for element in 0..<min(field.count, 64) {
                guard let usage = field.usage(forElement: element) else { continue }
                let key: String?
                switch (usage.page, usage.id) {
                case (HIDUsage.genericDesktopPage, 0x30): key = "x"
                case (HIDUsage.genericDesktopPage, 0x31): key = "y"
                case (HIDUsage.wacomVendorPage, 0x0130): key = "x"; standard = false
                case (HIDUsage.wacomVendorPage, 0x0131): key = "y"; standard = false
                default:
                    switch digitizerID(usage) {
                    case 0x30: key = "pressure"
                    case 0x32: key = "inRange"
                    case 0x3C: key = "invert"
                    case 0x3D: key = "xTilt"
                    case 0x3E: key = "yTilt"
                    case 0x42: key = "tip"
                    case 0x44: key = "barrel"
                    case 0x45: key = "eraser"
                    case 0x5A: key = "barrel2"
                    default: key = nil
                    }
                    if key != nil, usage.page != HIDUsage.digitizerPage { standard = false }
                }
                // The first declaration wins (the writing pad repeats Invert over its padding).
                if let key, found[key] == nil {
                    found[key] = (field, HIDFieldLocation(field: field, fieldIndex: fieldIndex, element: element, usage: usage))
                }
            }
        }
        guard let (xField, xLocation) = found["x"], let (yField, yLocation) = found["y"],
              found["tip"] != nil || found["pressure"] != nil || found["inRange"] != nil else { return nil }
        let application = report.fields.first { !$0.isPadding }?.application
        let penCollection = xField.collectionPath.contains { index in
            guard index < layout.collections.count, let usage = layout.collections[index].usage else { return false }
            return usage == .pen || usage == .digitizer || usage == .stylus
        }
        return HIDDigitizerCapabilities(
            reportID: report.id, usesReportIDs: layout.usesReportIDs, reportLength: layout.wireLength(of: report),
            application: application,
            declaresStandardPen: standard && penCollection && found["tip"] != nil,
            x: HIDPenAxis(field: xField, location: xLocation), y: HIDPenAxis(field: yField, location: yLocation),
            tipSwitch: found["tip"]?.1, inRange: found["inRange"]?.1, barrelSwitch: found["barrel"]?.1,
            secondaryBarrelSwitch: found["barrel2"]?.1, eraser: found["eraser"]?.1, invert: found["invert"]?.1,
            pressure: found["pressure"]?.1, xTilt: found["xTilt"]?.1, yTilt: found["yTilt"]?.1)
    }

    /// A field belongs to a pen when one of its collections is a Pen/Digitizer application or a
    /// Stylus, on the Digitizer page or Wacom's mirror; touch screens (fingers) are not pens.
    private static func isPenContext(_ field: HIDField, layout: HIDReportLayout) -> Bool {
        var pen = false
        for index in field.collectionPath where index < layout.collections.count {
            guard let usage = layout.collections[index].usage, let id = digitizerID(usage) else { continue }
            switch id {
            case 0x01, 0x02, 0x20: pen = true
            case 0x04, 0x05, 0x22: return false  // touch screen, touch pad, finger
            default: break
            }
        }
        return pen
    }

    /// Decodes a pen report (with its ID byte when the descriptor uses IDs). Extra bytes are
    /// ignored; a short report or another report ID throws.
    public func decodePen(_ bytes: [UInt8]) throws(HIDDecodeError) -> HIDPenSample {
        let base = usesReportIDs ? 1 : 0
        if usesReportIDs {
            guard let id = bytes.first else { throw HIDDecodeError(.emptyReport) }
            guard id == reportID else { throw HIDDecodeError(.notPenReport(reportID: id, expected: reportID)) }
        } else if bytes.isEmpty {
            throw HIDDecodeError(.emptyReport)
        }
        guard bytes.count >= reportLength else {
            throw HIDDecodeError(.shortReport(reportID: reportID, expectedBytes: reportLength - base, actualBytes: bytes.count - base))
        }
        let xValue = x.location.read(bytes, byteBase: base)
        let yValue = y.location.read(bytes, byteBase: base)
        let pressureValue = pressure?.read(bytes, byteBase: base)
        let tip = tipSwitch.map { $0.read(bytes, byteBase: base) != 0 } ?? ((pressureValue ?? 0) > 0)
        // Without an In Range usage, a report only exists while the pen is near.
        let near = inRange.map { $0.read(bytes, byteBase: base) != 0 } ?? true
        var normalized: Double?
        if let pressure, let pressureValue, pressure.logicalMaximum > pressure.logicalMinimum {
            normalized = Double(pressureValue - pressure.logicalMinimum) / Double(pressure.logicalMaximum - pressure.logicalMinimum)
        }
        return HIDPenSample(
            x: xValue, y: yValue, xMillimetres: x.millimetres(xValue), yMillimetres: y.millimetres(yValue),
            pressure: pressureValue, normalizedPressure: normalized, tip: tip, inRange: near || tip,
            barrel: barrelSwitch.map { $0.read(bytes, byteBase: base) != 0 } ?? false,
            eraser: eraser.map { $0.read(bytes, byteBase: base) != 0 } ?? false,
            invert: invert.map { $0.read(bytes, byteBase: base) != 0 } ?? false,
            xTilt: xTilt?.read(bytes, byteBase: base), yTilt: yTilt?.read(bytes, byteBase: base))
    }
}

extension HIDDigitizerCapabilities {
    /// The pen report to use: a standard one when the device sends both (DTH134 reports 6 and 30).
    public init?(layout: HIDReportLayout) {
        guard let best = Self.all(in: layout).first else { return nil }
        self = best
    }
}

/// One decoded pen report.
public struct HIDPenSample: Sendable, Hashable, Codable {
    /// Logical coordinates.
    public var x: Int64
    public var y: Int64
    /// From the logical minimum, when the descriptor gives a physical size.
    public var xMillimetres: Double?
    public var yMillimetres: Double?
    public var pressure: Int64?
    /// 0...1 over the declared logical range.
    public var normalizedPressure: Double?
    /// Pen touching (Tip Switch, or pressure > 0 when there is no Tip Switch).
    public var tip: Bool
    /// Pen in proximity (hover or touching). Coordinates are meaningless when false.
    public var inRange: Bool
    public var barrel: Bool
    public var eraser: Bool
    public var invert: Bool
    public var xTilt: Int64?
    public var yTilt: Int64?

    /// Signature capture's three states (hardware-facts §5).
    public enum PenState: String, Sendable, Codable { case down, hover, away }
    public var state: PenState { tip ? .down : inRange ? .hover : .away }
}
