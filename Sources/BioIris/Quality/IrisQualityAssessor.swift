import BioCapture
import Foundation
import Logging

/// Which measure a `IrisQualityMeasure` holds.
public enum IrisMeasureKind: String, Sendable, Hashable, CaseIterable, Codable {
    case usableIrisArea
    case irisScleraContrast
    case irisPupilContrast
    case pupilBoundaryCircularity
    case greyScaleUtilisation
    case irisDiameter
    case pupilToIrisRatio
    case pupilIrisConcentricity
    case marginAdequacy
    case sharpness
    case motionBlur
    case gazeAngle
}

/// One measure's value, the limit it is held to and the verdict.
public struct IrisQualityMeasure: Sendable, Hashable {
    public var kind: IrisMeasureKind
    public var value: Double
    /// Unit of `value` ("%", "bits", "px", or "" for 0–100 indices).
    public var unit: String
    /// The acceptance rule in words, e.g. "≥ 70".
    public var requirement: String
    public var passed: Bool
    /// 0–1 component used in the combined score (see `IrisQualityAssessor`).
    public var component: Double
}

/// What the operator should ask the subject to do, in English and Indonesian.
public enum IrisRetryReason: String, Sendable, Hashable, CaseIterable, Codable {
    case eyesClosed
    case lookAtCamera
    case tooFar
    case tooClose
    case glassesReflection
    case tooBlurred

    public var english: String {
        switch self {
        case .eyesClosed: "Please open your eyes wide."
        case .lookAtCamera: "Look straight into the camera."
        case .tooFar: "Move closer to the camera."
        case .tooClose: "Move back a little from the camera."
        case .glassesReflection: "Please take off your glasses."
        case .tooBlurred: "Hold still and keep looking at the camera."
        }
    }

    public var indonesian: String {
        switch self {
        case .eyesClosed: "Mohon buka mata Anda lebar-lebar."
        case .lookAtCamera: "Lihat lurus ke arah kamera."
        case .tooFar: "Mendekatlah ke kamera."
        case .tooClose: "Mundur sedikit dari kamera."
        case .glassesReflection: "Mohon lepaskan kacamata Anda."
        case .tooBlurred: "Jangan bergerak dan tetap lihat ke kamera."
        }
    }
}

/// Limits for each measure. Defaults: the ISO/IEC 29794-6 recommended values where the facts
/// file gives one (usable area ≥ 70, iris–sclera contrast > 5, iris–pupil contrast ≥ 30,
/// entropy ≥ 6 bits, pupil/iris ratio 20–70, concentricity ≥ 90, margin > 80), the MOSIP
/// registration iris diameter (≥ 210 px), and our own calibration on synthetic eyes for
/// sharpness and motion blur (documented in hardware-notes/iris-quality.md).
public struct IrisQualityThresholds: Sendable, Hashable {
    public var minimumUsableIrisArea: Double = 70
    public var minimumIrisScleraContrast: Double = 5
    public var minimumIrisPupilContrast: Double = 30
    public var minimumGreyScaleEntropy: Double = 6
    public var minimumIrisDiameter: Double = 210
    public var maximumIrisDiameter: Double = 400
    public var pupilToIrisRatio: ClosedRange<Double> = 20...70
    public var minimumConcentricity: Double = 90
    public var minimumMarginAdequacy: Double = 80
    public var minimumSharpness: Double = 1.0
    public var maximumMotionBlur: Double = 30
    /// Largest off-axis gaze, degrees, estimated from the boundary ellipses (own limit; a pupil
    /// that is 3 % oval by itself reads as ~20°, round synthetic pupils as 2–8°).
    public var maximumGazeAngle: Double = 20
    /// Specular pixels (after dilation) above this share of the frame are glasses glare, not
    /// the illuminator's small corneal spots.
    public var maximumSpecularFraction: Double = 0.004

    public init() {}
}

/// The quality verdict for one frame.
public struct IrisQualityReport: Sendable, Hashable {
    /// What segmentation found (or why not).
    public var segmentation: IrisSegmentationResult
    /// Every measure in `IrisMeasureKind` order; empty when no eye was found.
    public var measures: [IrisQualityMeasure]
    /// 0–100 combined score (mapping in `IrisQualityAssessor`); 0 when no eye was found.
    public var score: Int
    /// True when every measure passes.
    public var acceptable: Bool
    /// What to tell the subject, most important first; empty when acceptable or when the frame
    /// holds nothing to advise on (blank frame, too small).
    public var retryReasons: [IrisRetryReason]

    public func measure(_ kind: IrisMeasureKind) -> IrisQualityMeasure? {
        measures.first { $0.kind == kind }
    }
}

/// Computes the ISO/IEC 29794-6 measures, a combined score and retry advice.
///
/// **Combined score.** Each measure (except pupil boundary circularity, which has no
/// recommended value and is reported only) is mapped to a component c ∈ [0, 1] by a piecewise
/// linear ramp through three points: `floor` → 0, the acceptance `threshold` → 0.8, `good` → 1
/// (mirrored for "at most" measures; the pupil/iris ratio ramps on both sides). The score is
/// `round(100 · (Π c_i)^(1/n))`, the geometric mean over the n = 11 components, so one very poor
/// measure drags the score down hard; when any measure fails its threshold the score is capped
/// at 79. Hence score ≥ 80 ⇔ all measures pass. Ramps (floor / threshold / good): usable area
/// 40/70/90 %, iris–sclera contrast 0/5/15, iris–pupil contrast 10/30/50, entropy 4/6/7 bits,
/// iris diameter 100/210/260 px (and 480/400/350 on the large side), pupil/iris ratio
/// 10/20/25 … 60/70/80, concentricity 70/90/97, margin 40/80/100, sharpness 0.2/1/4 (our
/// calibration), motion blur 60/30/15 and gaze angle 40/20/10° (lower is better).
public struct IrisQualityAssessor: Sendable {
    public var thresholds: IrisQualityThresholds
    public var segmenter: IrisSegmenter
    private let logger: Logger

    public init(thresholds: IrisQualityThresholds = IrisQualityThresholds(), segmenter: IrisSegmenter = IrisSegmenter(),
                logger: Logger = Logger(label: "BioIris.quality")) {
        self.thresholds = thresholds
        self.segmenter = segmenter
        self.logger = logger
    }

    /// Segments the frame, then assesses it.
    public func assess(_ image: GrayImage) -> IrisQualityReport {
        assess(image, segmentation: segmenter.segment(image))
    }

    /// Assesses a frame whose segmentation is already known.
    public func assess(_ image: GrayImage, segmentation result: IrisSegmentationResult) -> IrisQualityReport {
        guard let segmentation = result.segmentation else {
            var reasons: [IrisRetryReason] = []
            if case .noEye(let reason) = result {
                switch reason {
                case .noPupil: reasons = [.eyesClosed]
                case .noLimbus: reasons = [.lookAtCamera]
                case .uniformFrame, .imageTooSmall: reasons = []
                }
            }
            logger.debug("iris quality: no eye", metadata: ["result": "\(result)"])
            return IrisQualityReport(segmentation: result, measures: [], score: 0, acceptable: false, retryReasons: reasons)
        }
        let t = thresholds
        let medians = IrisMeasures.regionMedians(image, segmentation: segmentation)
        let pupilLevel = medians.pupil ?? 0
        let irisLevel = medians.iris ?? pupilLevel
        let scleraLevel = medians.sclera ?? irisLevel
        let nearLevel = medians.irisNearPupil ?? irisLevel

        var measures: [IrisQualityMeasure] = []
        func add(_ kind: IrisMeasureKind, _ value: Double, _ unit: String, _ requirement: String, passed: Bool, component: Double) {
            measures.append(IrisQualityMeasure(kind: kind, value: value, unit: unit, requirement: requirement, passed: passed,
                                               component: min(1, max(0, component))))
        }

        let usable = 100 * segmentation.usableIrisFraction
        add(.usableIrisArea, usable, "%", "≥ \(format(t.minimumUsableIrisArea))", passed: usable >= t.minimumUsableIrisArea,
            component: Self.rampUp(usable, floor: 40, threshold: t.minimumUsableIrisArea, good: 90))

        let scleraContrast = IrisMeasures.irisScleraContrast(pupil: pupilLevel, iris: irisLevel, sclera: scleraLevel)
        add(.irisScleraContrast, scleraContrast, "", "> \(format(t.minimumIrisScleraContrast))", passed: scleraContrast > t.minimumIrisScleraContrast,
            component: Self.rampUp(scleraContrast, floor: 0, threshold: t.minimumIrisScleraContrast, good: 15))

        let pupilContrast = IrisMeasures.irisPupilContrast(pupil: pupilLevel, iris: nearLevel)
        add(.irisPupilContrast, pupilContrast, "", "≥ \(format(t.minimumIrisPupilContrast))", passed: pupilContrast >= t.minimumIrisPupilContrast,
            component: Self.rampUp(pupilContrast, floor: 10, threshold: t.minimumIrisPupilContrast, good: 50))

        let circularity = IrisMeasures.pupilCircularity(normalisedRadii: segmentation.pupilBoundaryRadii)
        add(.pupilBoundaryCircularity, circularity, "", "reported only", passed: true, component: 1)

        let entropy = IrisMeasures.greyScaleEntropy(image)
        add(.greyScaleUtilisation, entropy, "bits", "≥ \(format(t.minimumGreyScaleEntropy))", passed: entropy >= t.minimumGreyScaleEntropy,
            component: Self.rampUp(entropy, floor: 4, threshold: t.minimumGreyScaleEntropy, good: 7))

        let diameter = 2 * segmentation.iris.radius
        add(.irisDiameter, diameter, "px", "\(format(t.minimumIrisDiameter))–\(format(t.maximumIrisDiameter))",
            passed: diameter >= t.minimumIrisDiameter && diameter <= t.maximumIrisDiameter,
            component: min(Self.rampUp(diameter, floor: 100, threshold: t.minimumIrisDiameter, good: t.minimumIrisDiameter + 50),
                           Self.rampDown(diameter, good: t.maximumIrisDiameter - 50, threshold: t.maximumIrisDiameter, floor: t.maximumIrisDiameter + 80)))

        let ratio = 100 * segmentation.pupil.radius / max(segmentation.iris.radius, 1)
        let ratioRange = t.pupilToIrisRatio
        add(.pupilToIrisRatio, ratio, "%", "\(format(ratioRange.lowerBound))–\(format(ratioRange.upperBound))",
            passed: ratioRange.contains(ratio),
            component: min(Self.rampUp(ratio, floor: ratioRange.lowerBound - 10, threshold: ratioRange.lowerBound, good: ratioRange.lowerBound + 5),
                           Self.rampDown(ratio, good: ratioRange.upperBound - 10, threshold: ratioRange.upperBound, floor: ratioRange.upperBound + 10)))

        let concentricity = IrisMeasures.concentricity(pupil: segmentation.pupil, iris: segmentation.iris)
        add(.pupilIrisConcentricity, concentricity, "", "≥ \(format(t.minimumConcentricity))", passed: concentricity >= t.minimumConcentricity,
            component: Self.rampUp(concentricity, floor: 70, threshold: t.minimumConcentricity, good: 97))

        let margin = IrisMeasures.marginAdequacy(iris: segmentation.iris, width: image.width, height: image.height)
        add(.marginAdequacy, margin, "", "> \(format(t.minimumMarginAdequacy))", passed: margin > t.minimumMarginAdequacy,
            component: Self.rampUp(margin, floor: 40, threshold: t.minimumMarginAdequacy, good: 100))

        let sharpness = IrisMeasures.sharpness(image)
        add(.sharpness, sharpness, "", "≥ \(format(t.minimumSharpness))", passed: sharpness >= t.minimumSharpness,
            component: Self.rampUp(sharpness, floor: 0.2, threshold: t.minimumSharpness, good: 4))

        let motion = IrisMeasures.motionBlur(image, segmentation: segmentation)
        add(.motionBlur, motion, "", "≤ \(format(t.maximumMotionBlur))", passed: motion <= t.maximumMotionBlur,
            component: Self.rampDown(motion, good: 15, threshold: t.maximumMotionBlur, floor: 60))

        let gaze = IrisMeasures.gazeAngle(segmentation)
        add(.gazeAngle, gaze, "°", "≤ \(format(t.maximumGazeAngle))", passed: gaze <= t.maximumGazeAngle,
            component: Self.rampDown(gaze, good: 10, threshold: t.maximumGazeAngle, floor: 40))

        let scored = measures.filter { $0.kind != .pupilBoundaryCircularity }
        var logSum = 0.0
        for measure in scored { logSum += log(max(measure.component, 1e-6)) }
        var score = Int((100 * exp(logSum / Double(scored.count))).rounded())
        let acceptable = measures.allSatisfy(\.passed)
        if !acceptable { score = min(score, 79) }

        let reasons = retryReasons(measures: measures, segmentation: segmentation, image: image)
        return IrisQualityReport(segmentation: result, measures: measures, score: max(0, min(100, score)),
                                 acceptable: acceptable, retryReasons: acceptable ? [] : reasons)
    }

    private func retryReasons(measures: [IrisQualityMeasure], segmentation: IrisSegmentation, image: GrayImage) -> [IrisRetryReason] {
        func failed(_ kind: IrisMeasureKind) -> Bool { measures.first { $0.kind == kind }?.passed == false }
        func value(_ kind: IrisMeasureKind) -> Double { measures.first { $0.kind == kind }?.value ?? 0 }
        var reasons: [IrisRetryReason] = []
        let specularShare = Double(segmentation.specularPixelCount) / Double(max(1, image.width * image.height))
        let shares = annulusOcclusionShares(segmentation)
        // Lids are the cause when they hide a real part of the iris and more of it than glare does.
        if failed(.usableIrisArea), shares.eyelid >= max(0.15, shares.specular) { reasons.append(.eyesClosed) }
        if specularShare > thresholds.maximumSpecularFraction || (failed(.usableIrisArea) && shares.specular > shares.eyelid) {
            reasons.append(.glassesReflection)
        }
        let diameter = value(.irisDiameter)
        if diameter < thresholds.minimumIrisDiameter { reasons.append(.tooFar) }
        if diameter > thresholds.maximumIrisDiameter { reasons.append(.tooClose) }
        if failed(.marginAdequacy), diameter <= thresholds.maximumIrisDiameter {
            // An iris that fills the frame's height is too close; one pushed to a side is off-centre.
            if 2.4 * segmentation.iris.radius >= Double(image.height) { reasons.append(.tooClose) } else { reasons.append(.lookAtCamera) }
        }
        if failed(.pupilIrisConcentricity) || failed(.gazeAngle), !reasons.contains(.lookAtCamera) { reasons.append(.lookAtCamera) }
        if failed(.sharpness) || failed(.motionBlur) { reasons.append(.tooBlurred) }
        if failed(.usableIrisArea), !reasons.contains(.eyesClosed), !reasons.contains(.glassesReflection) { reasons.append(.eyesClosed) }
        return reasons
    }

    /// Shares of the annulus hidden by eyelids and by specular reflections.
    private func annulusOcclusionShares(_ segmentation: IrisSegmentation) -> (eyelid: Double, specular: Double) {
        let pupil = segmentation.pupil
        let iris = segmentation.iris
        let mask = segmentation.occlusion
        let reach = iris.radius
        let x0 = max(0, Int((iris.centerX - reach).rounded(.down)))
        let x1 = min(mask.width - 1, Int((iris.centerX + reach).rounded(.up)))
        let y0 = max(0, Int((iris.centerY - reach).rounded(.down)))
        let y1 = min(mask.height - 1, Int((iris.centerY + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return (0, 0) }
        var annulus = 0
        var lid = 0
        var specular = 0
        for y in y0...y1 {
            for x in x0...x1 where iris.contains(x: Double(x), y: Double(y)) && !pupil.contains(x: Double(x), y: Double(y)) {
                annulus += 1
                let flags = mask[x, y]
                if flags.contains(.eyelid) { lid += 1 }
                if flags.contains(.specular) { specular += 1 }
            }
        }
        guard annulus > 0 else { return (0, 0) }
        return (Double(lid) / Double(annulus), Double(specular) / Double(annulus))
    }

    /// floor → 0, threshold → 0.8, good → 1, linear in between ("at least" measures).
    static func rampUp(_ value: Double, floor: Double, threshold: Double, good: Double) -> Double {
        if value <= floor { return 0 }
        if value < threshold { return 0.8 * (value - floor) / max(threshold - floor, 1e-9) }
        if value < good { return 0.8 + 0.2 * (value - threshold) / max(good - threshold, 1e-9) }
        return 1
    }

    /// good → 1, threshold → 0.8, floor → 0 ("at most" measures; good < threshold < floor).
    static func rampDown(_ value: Double, good: Double, threshold: Double, floor: Double) -> Double {
        if value >= floor { return 0 }
        if value > threshold { return 0.8 * (floor - value) / max(floor - threshold, 1e-9) }
        if value > good { return 0.8 + 0.2 * (threshold - value) / max(threshold - good, 1e-9) }
        return 1
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
