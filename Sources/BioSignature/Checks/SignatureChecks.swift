import BioCapture
import Foundation
import Logging

/// Limits the checks apply. The defaults are for a signature pad of roughly 96 × 60 mm (STU-430
/// class) at 100–200 reports per second; every value is in the unit its name says.
public struct SignatureCheckThresholds: Sendable, Hashable, Codable {
    /// Below this ink length **and** extent the presentation is a tap, not a signature (mm).
    public var dotMaximumInkLength: Double = 5
    /// Largest side of the ink box of a tap (mm).
    public var dotMaximumExtent: Double = 3
    /// Writing time (first tip-down to last tip-up) below which the pen was lifted too early (ms).
    public var minimumWritingMilliseconds: Double = 500
    /// Ink length below which the pen was lifted too early (mm). Real signatures on a 96 mm pad
    /// leave 50–400 mm of ink; a signature written small (too small, but complete) still leaves
    /// more than 15 mm.
    public var minimumInkLength: Double = 10
    /// Ink length per touched cell above which the ink is scribbling: a pen going back and forth
    /// over the same cells. Handwriting stays near 1, dense scribbles reach 3 and more.
    public var scribbleOverdrawRatio: Double = 2.2
    /// Cell size for the overdraw measure (mm).
    public var overdrawCellSize: Double = 1
    /// Pressure range (maximum − minimum, 0–1 scale) among tip-down reports below which the
    /// pressure channel is considered absent or stuck.
    public var minimumPressureRange: Double = 0.02
    /// Ink narrower than this is too small (mm).
    public var minimumInkWidth: Double = 15
    /// Ink lower than this is too small (mm).
    public var minimumInkHeight: Double = 4
    /// A tip-down report closer than this to any pad edge touches the edge (mm).
    public var edgeMargin: Double = 1
    /// More pen-down strokes than this are not a signature (mm).
    public var maximumStrokeCount: Int = 40

    public init() {}
}

/// What the checks measured.
public struct SignatureMeasures: Sendable, Hashable, Codable {
    /// Reports in the series.
    public var pointCount: Int
    /// Reports with the tip down.
    public var tipDownPointCount: Int
    /// Pen-down runs.
    public var strokeCount: Int
    /// First to last report (ms).
    public var captureMilliseconds: Double
    /// First tip-down to last tip-down report (ms).
    public var writingMilliseconds: Double
    /// Sum of the durations of the pen-down runs (ms).
    public var penDownMilliseconds: Double
    /// Length of the drawn lines (mm).
    public var inkLength: Double
    /// Ink bounding box in millimetres; zero when there is no ink.
    public var inkMinX: Double
    public var inkMinY: Double
    public var inkWidth: Double
    public var inkHeight: Double
    /// The ink box as a fraction of the pad's width, height and area (0–1).
    public var widthFraction: Double
    public var heightFraction: Double
    public var areaFraction: Double
    /// Pressure among tip-down reports (0–1); zero when there is no ink.
    public var pressureMinimum: Double
    public var pressureMaximum: Double
    public var pressureMean: Double
    /// Ink length per touched overdraw cell (see `SignatureCheckThresholds.scribbleOverdrawRatio`).
    public var overdrawRatio: Double
    /// Smallest distance of a tip-down report from a pad edge (mm); nil without ink.
    public var nearestEdgeDistance: Double?
}

/// Why a signature is refused, with the words for the operator.
public enum SignatureIssue: String, Sendable, Hashable, Codable, CaseIterable {
    case empty = "signature-empty"
    case dot = "signature-dot"
    case liftedTooEarly = "signature-lifted-too-early"
    case scribble = "signature-scribble"
    case noPressure = "signature-no-pressure"
    case tooSmall = "signature-too-small"
    case touchesEdge = "signature-touches-edge"
    case tooManyStrokes = "signature-too-many-strokes"

    /// What happened and what to do, in English and Bahasa Indonesia.
    public var feedback: LocalizedText {
        switch self {
        case .empty:
            LocalizedText(
                en: "The pen did not touch the pad. Ask the person to sign on the pad, pressing the pen tip down.",
                id: "Pena tidak menyentuh pad. Minta yang bersangkutan menandatangani di atas pad dengan menekan ujung pena.")
        case .dot:
            LocalizedText(
                en: "Only a dot was recorded. Ask the person to write their full signature.",
                id: "Hanya sebuah titik yang terekam. Minta yang bersangkutan menuliskan tanda tangan lengkapnya.")
        case .liftedTooEarly:
            LocalizedText(
                en: "The pen was lifted too early; the signature is incomplete. Ask the person to sign again and finish before lifting the pen.",
                id: "Pena diangkat terlalu cepat; tanda tangan tidak lengkap. Minta yang bersangkutan menandatangani lagi sampai selesai sebelum mengangkat pena.")
        case .scribble:
            LocalizedText(
                en: "This looks like scribbling, not a signature. Ask the person to sign as on their documents.",
                id: "Ini tampak seperti coretan, bukan tanda tangan. Minta yang bersangkutan menandatangani seperti pada dokumennya.")
        case .noPressure:
            LocalizedText(
                en: "The pad reported no changing pen pressure. Check or replace the pen and sign again; if it persists, the pad needs service.",
                id: "Pad tidak melaporkan perubahan tekanan pena. Periksa atau ganti pena, lalu tanda tangan lagi; jika terus terjadi, pad perlu diservis.")
        case .tooSmall:
            LocalizedText(
                en: "The signature is too small. Ask the person to sign larger, filling the signing box.",
                id: "Tanda tangan terlalu kecil. Minta yang bersangkutan menandatangani lebih besar, memenuhi kotak tanda tangan.")
        case .touchesEdge:
            LocalizedText(
                en: "The signature reaches the edge of the pad and may be cut off. Ask the person to sign in the middle of the box.",
                id: "Tanda tangan menyentuh tepi pad dan mungkin terpotong. Minta yang bersangkutan menandatangani di tengah kotak.")
        case .tooManyStrokes:
            LocalizedText(
                en: "Too many separate pen touches were recorded. Clear the pad and ask the person to sign once.",
                id: "Terlalu banyak sentuhan pena yang terpisah. Bersihkan pad dan minta yang bersangkutan menandatangani satu kali.")
        }
    }

    /// The issue as the core's retry reason, for `CaptureOutcome.retry`.
    public var retryReason: RetryReason {
        RetryReason(code: rawValue, english: feedback.english, indonesian: feedback.indonesian)
    }
}

/// The checks' verdict.
public struct SignatureCheckReport: Sendable, Hashable, Codable {
    public var measures: SignatureMeasures
    /// Every issue found, most important first. Issues implied by a more basic one are left out
    /// (an empty signature is not also "too small").
    public var issues: [SignatureIssue]

    /// True when no issue was found.
    public var passed: Bool { issues.isEmpty }
    /// The issue to tell the operator about first.
    public var primaryIssue: SignatureIssue? { issues.first }

    /// Words for the operator: the primary issue's feedback, or acceptance.
    public var feedback: LocalizedText {
        primaryIssue?.feedback ?? LocalizedText(en: "Signature accepted.", id: "Tanda tangan diterima.")
    }
}

/// Measures a pen time series and decides whether it is a usable signature.
///
/// Rules, in priority order (thresholds in `SignatureCheckThresholds`):
/// 1. `empty`: no report has the tip down. Nothing else is reported.
/// 2. `dot`: ink shorter than `dotMaximumInkLength` and box no larger than `dotMaximumExtent`.
///    Nothing else is reported.
/// 3. `liftedTooEarly`: writing time below `minimumWritingMilliseconds` or ink shorter than
///    `minimumInkLength`. Excludes `scribble` and `tooSmall`.
/// 4. `scribble`: overdraw ratio above `scribbleOverdrawRatio`.
/// 5. `noPressure`: tip-down pressure range below `minimumPressureRange`.
/// 6. `tooSmall`: ink box narrower than `minimumInkWidth` or lower than `minimumInkHeight`.
/// 7. `touchesEdge`: a tip-down report within `edgeMargin` of a pad edge.
/// 8. `tooManyStrokes`: more than `maximumStrokeCount` pen-down runs.
///
/// Reports with non-finite values are ignored (validate input with `SignatureTimeSeries` first).
public struct SignatureChecker: Sendable {
    public var thresholds: SignatureCheckThresholds
    public var logger: Logger

    public init(thresholds: SignatureCheckThresholds = .init(), logger: Logger = Logger(label: "biocapture.signature.checks")) {
        self.thresholds = thresholds
        self.logger = logger
    }

    public func check(_ sample: SignatureSample) -> SignatureCheckReport {
        check(sample.points, areaWidth: sample.areaWidth, areaHeight: sample.areaHeight)
    }

    /// Checks a stored (JSON) series.
    public func check(_ series: SignatureTimeSeries) -> SignatureCheckReport {
        check(series.points, areaWidth: series.areaWidth, areaHeight: series.areaHeight)
    }

    public func check(_ rawPoints: [PenPoint], areaWidth: Double, areaHeight: Double) -> SignatureCheckReport {
        let points = rawPoints.filter { $0.x.isFinite && $0.y.isFinite && $0.pressure.isFinite && $0.milliseconds.isFinite }
        let measures = measure(points, areaWidth: areaWidth, areaHeight: areaHeight)
        let issues = judge(measures)
        logger.debug(
            "signature checked",
            metadata: [
                "strokes": "\(measures.strokeCount)", "inkLength": "\(measures.inkLength)",
                "writingMs": "\(measures.writingMilliseconds)", "overdraw": "\(measures.overdrawRatio)",
                "issues": "\(issues.map(\.rawValue))",
            ])
        return SignatureCheckReport(measures: measures, issues: issues)
    }

    func judge(_ measures: SignatureMeasures) -> [SignatureIssue] {
        let limits = thresholds
        guard measures.tipDownPointCount > 0 else { return [.empty] }
        if measures.inkLength < limits.dotMaximumInkLength,
           max(measures.inkWidth, measures.inkHeight) <= limits.dotMaximumExtent
        {
            return [.dot]
        }
        var issues: [SignatureIssue] = []
        let liftedEarly =
            measures.writingMilliseconds < limits.minimumWritingMilliseconds || measures.inkLength < limits.minimumInkLength
        if liftedEarly { issues.append(.liftedTooEarly) }
        if !liftedEarly, measures.overdrawRatio > limits.scribbleOverdrawRatio { issues.append(.scribble) }
        if measures.pressureMaximum - measures.pressureMinimum < limits.minimumPressureRange { issues.append(.noPressure) }
        if !liftedEarly, measures.inkWidth < limits.minimumInkWidth || measures.inkHeight < limits.minimumInkHeight {
            issues.append(.tooSmall)
        }
        if let edge = measures.nearestEdgeDistance, edge < limits.edgeMargin { issues.append(.touchesEdge) }
        if measures.strokeCount > limits.maximumStrokeCount { issues.append(.tooManyStrokes) }
        return issues
    }

    func measure(_ points: [PenPoint], areaWidth: Double, areaHeight: Double) -> SignatureMeasures {
        let strokes = points.penStrokes()
        var inkLength = 0.0
        var penDown = 0.0
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        var pressureMin = Double.infinity, pressureMax = -Double.infinity, pressureSum = 0.0
        var tipDownCount = 0
        var nearestEdge = Double.infinity
        let cell = thresholds.overdrawCellSize > 0 ? thresholds.overdrawCellSize : 1
        var cells = Set<Int64>()
        func mark(_ x: Double, _ y: Double) {
            let column = Int64((x / cell).rounded(.down))
            let row = Int64((y / cell).rounded(.down))
            cells.insert(row &* 1_000_003 &+ column)
        }
        for stroke in strokes {
            let run = points[stroke.range]
            if let first = run.first, let last = run.last { penDown += last.milliseconds - first.milliseconds }
            var previous: PenPoint?
            for point in run {
                tipDownCount += 1
                minX = min(minX, point.x)
                maxX = max(maxX, point.x)
                minY = min(minY, point.y)
                maxY = max(maxY, point.y)
                pressureMin = min(pressureMin, point.pressure)
                pressureMax = max(pressureMax, point.pressure)
                pressureSum += point.pressure
                nearestEdge = min(nearestEdge, point.x, point.y, areaWidth - point.x, areaHeight - point.y)
                if let before = previous {
                    let dx = point.x - before.x
                    let dy = point.y - before.y
                    let length = (dx * dx + dy * dy).squareRoot()
                    inkLength += length
                    // Mark cells every quarter cell along the segment; cap the steps so a wild
                    // coordinate cannot make this loop long.
                    let steps = min(Int((length / (cell / 4)).rounded(.up)), 10_000)
                    if steps > 0 {
                        for step in 1...steps {
                            let t = Double(step) / Double(steps)
                            mark(before.x + dx * t, before.y + dy * t)
                        }
                    }
                } else {
                    mark(point.x, point.y)
                }
                previous = point
            }
        }
        let tipDownTimes = points.filter(\.tipDown).map(\.milliseconds)
        let hasInk = tipDownCount > 0
        let inkWidth = hasInk ? maxX - minX : 0
        let inkHeight = hasInk ? maxY - minY : 0
        return SignatureMeasures(
            pointCount: points.count,
            tipDownPointCount: tipDownCount,
            strokeCount: strokes.count,
            captureMilliseconds: (points.last?.milliseconds ?? 0) - (points.first?.milliseconds ?? 0),
            writingMilliseconds: (tipDownTimes.last ?? 0) - (tipDownTimes.first ?? 0),
            penDownMilliseconds: penDown,
            inkLength: inkLength,
            inkMinX: hasInk ? minX : 0,
            inkMinY: hasInk ? minY : 0,
            inkWidth: inkWidth,
            inkHeight: inkHeight,
            widthFraction: areaWidth > 0 ? inkWidth / areaWidth : 0,
            heightFraction: areaHeight > 0 ? inkHeight / areaHeight : 0,
            areaFraction: areaWidth > 0 && areaHeight > 0 ? inkWidth * inkHeight / (areaWidth * areaHeight) : 0,
            pressureMinimum: hasInk ? pressureMin : 0,
            pressureMaximum: hasInk ? pressureMax : 0,
            pressureMean: hasInk ? pressureSum / Double(tipDownCount) : 0,
            overdrawRatio: cells.isEmpty ? 0 : inkLength / (Double(cells.count) * cell),
            nearestEdgeDistance: hasInk ? nearestEdge : nil)
    }
}
