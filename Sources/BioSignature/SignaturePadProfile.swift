import BioCapture

/// The physical facts of a signature pad that synthetic data, checks, rendering and records need.
///
/// Values come from `hardware-facts/wacom-stu.md` (report rate, pressure levels, sensor
/// resolution); the active-area size of the STU-430 is Wacom's published 96 × 60 mm.
public struct SignaturePadProfile: Sendable, Hashable, Codable {
    /// A short model name for logs and records.
    public var model: String
    /// Active area width in millimetres.
    public var areaWidth: Double
    /// Active area height in millimetres.
    public var areaHeight: Double
    /// Pen reports per second while the pen is in range.
    public var reportRate: Double
    /// Distinct pressure values the pad reports (1024 means 0…1023).
    public var pressureLevels: Int
    /// Sensor resolution in lines per inch (2540 lpi = 0.01 mm per unit).
    public var linesPerInch: Double

    public init(
        model: String, areaWidth: Double, areaHeight: Double, reportRate: Double, pressureLevels: Int,
        linesPerInch: Double
    ) {
        self.model = model
        self.areaWidth = areaWidth
        self.areaHeight = areaHeight
        self.reportRate = reportRate
        self.pressureLevels = pressureLevels
        self.linesPerInch = linesPerInch
    }

    /// Wacom STU-430: 96 × 60 mm, 200 reports/s over HID, 1024 pressure levels, 2540 lpi.
    public static let stu430 = SignaturePadProfile(
        model: "STU-430", areaWidth: 96, areaHeight: 60, reportRate: 200, pressureLevels: 1024, linesPerInch: 2540)

    /// Millimetres per sensor unit (0.01 mm at 2540 lpi).
    public var millimetresPerUnit: Double { 25.4 / linesPerInch }

    /// Milliseconds between two pen reports.
    public var reportIntervalMilliseconds: Double { 1000 / reportRate }
}

/// One pen-down run: consecutive reports with the tip touching.
public struct PenStroke: Sendable, Hashable {
    /// Index range into the original point array.
    public var range: Range<Int>
}

extension Array where Element == PenPoint {
    /// The pen-down runs of a time series, in order. A run ends at the first report without
    /// `tipDown`; a single touching report is a stroke of one point (a tap).
    public func penStrokes() -> [PenStroke] {
        var strokes: [PenStroke] = []
        var start: Int?
        for (index, point) in enumerated() {
            if point.tipDown {
                if start == nil { start = index }
            } else if let begin = start {
                strokes.append(PenStroke(range: begin..<index))
                start = nil
            }
        }
        if let begin = start { strokes.append(PenStroke(range: begin..<count)) }
        return strokes
    }
}
