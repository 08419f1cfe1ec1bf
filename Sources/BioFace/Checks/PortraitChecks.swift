import BioCapture
import Foundation
import Logging

/// The local rules a portrait is judged by. Thresholds are documented in `hardware-notes/face-checks.md`.
public struct PortraitPolicy: Sendable, Hashable {
    /// The background colour expected (e-KTP: red or blue by birth year — a local rule, so a parameter).
    public var background: PortraitBackground
    public var minimumEyeDistance = 90.0
    public var maximumRollDegrees = 5.0
    /// Eye midpoint: horizontally within 0.5 ± this fraction of the width.
    public var horizontalCentreTolerance = 0.05
    /// Eye midpoint: vertically within this band, as fractions of the height from the top
    /// (ISO/IEC 19794-5 full frontal: 50–70 % from the bottom).
    public var eyeLineBand = 0.30...0.50
    /// Mean face grey level (BT.601 luma / 255).
    public var brightness = 0.28...0.80
    /// Standard deviation of the face grey level (/ 255).
    public var minimumContrast = 0.05
    /// Largest fraction of face pixels at grey 0–25 and at 247–255.
    public var maximumUnderExposed = 0.05
    public var maximumOverExposed = 0.05
    /// Least ratio darker / brighter of the mean grey of the two face halves.
    public var minimumLightingEvenness = 0.80
    /// Least variance of the Laplacian over the face at 64 px eye distance.
    public var minimumSharpness = 40.0
    /// Largest standard deviation of the background grey level.
    public var maximumBackgroundDeviation = 12.0
    /// Red/blue: largest hue difference in degrees from the expected colour; white: largest saturation × 100.
    public var maximumBackgroundColourDistance = 25.0
    /// Red/blue backgrounds must be at least this saturated (HSV) to count as coloured.
    public var minimumBackgroundSaturation = 0.3
    /// Least dark-blob contrast at both eye centres (an open eye shows a dark iris between bright sclera).
    public var minimumEyeOpenContrast = 0.30

    public init(background: PortraitBackground) {
        self.background = background
    }
}

/// The checks a portrait goes through.
public enum PortraitCheckKind: String, Sendable, Hashable, Codable, CaseIterable {
    case faceFoundOnce = "face-found-once"
    case eyesOpen = "eyes-open"
    case eyesLevel = "eyes-level"
    case centred
    case eyeDistance = "eye-distance"
    case brightness
    case contrast
    case underExposure = "under-exposure"
    case overExposure = "over-exposure"
    case lightingEvenness = "lighting-evenness"
    case sharpness
    case backgroundUniformity = "background-uniformity"
    case backgroundColour = "background-colour"

    /// Points taken off the quality score when this check fails (see `PortraitAssessment.quality`).
    public var penalty: Int {
        switch self {
        case .faceFoundOnce: 100
        case .eyesOpen, .eyeDistance, .backgroundColour: 40
        default: 20
        }
    }
}

/// What a check's value is compared with.
public enum CheckLimit: Sendable, Hashable, CustomStringConvertible {
    case atLeast(Double)
    case atMost(Double)
    case between(Double, Double)

    public func accepts(_ value: Double) -> Bool {
        switch self {
        case .atLeast(let low): value >= low
        case .atMost(let high): value <= high
        case .between(let low, let high): value >= low && value <= high
        }
    }

    public var description: String {
        switch self {
        case .atLeast(let low): "≥ \(Self.format(low))"
        case .atMost(let high): "≤ \(Self.format(high))"
        case .between(let low, let high): "\(Self.format(low))…\(Self.format(high))"
        }
    }

    static func format(_ value: Double) -> String { String(format: value == value.rounded() ? "%.0f" : "%.3g", value) }
}

/// One check's outcome.
public struct PortraitCheck: Sendable, Hashable {
    public var kind: PortraitCheckKind
    /// The measured value; nil when it could not be measured (no face).
    public var value: Double?
    public var limit: CheckLimit
    public var passed: Bool
    /// What to tell the subject or operator, in English and Indonesian.
    public var feedback: LocalizedText
}

/// All checks of one portrait and the combined quality.
public struct PortraitAssessment: Sendable, Hashable {
    public var checks: [PortraitCheck]
    public var search: FaceSearchResult
    /// The token cut from the image, when a face was found and the eyes are far enough apart.
    public var token: TokenPortrait?
    public var tokenError: TokenCropError?

    public var allPassed: Bool { checks.allSatisfy(\.passed) }

    /// 100 when every check passed; otherwise 100 minus the `penalty` of each failed check,
    /// floored at 0 (no face → 0), and never above 80.
    public var quality: Int {
        if allPassed { return 100 }
        let lost = checks.filter { !$0.passed }.map(\.kind.penalty).reduce(0, +)
        return max(0, min(80, 100 - lost))
    }

    public subscript(kind: PortraitCheckKind) -> PortraitCheck? { checks.first { $0.kind == kind } }

    public var failed: [PortraitCheckKind] { checks.filter { !$0.passed }.map(\.kind) }
}

/// Runs the portrait checks: localisation, a levelled grey face at a fixed eye distance for the
/// face measures, the frame for geometry and background.
public struct PortraitAssessor: Sendable {
    public var policy: PortraitPolicy
    public var tokenOptions = TokenOptions()
    private let localiser: FaceLocaliser
    private let logger: Logger

    /// Eye distance of the normalised face the face measures run on (makes them independent of the camera resolution).
    static let normalisedEyeDistance = 64.0

    public init(policy: PortraitPolicy, localiser: FaceLocaliser, logger: Logger = Logger(label: "BioFace.PortraitAssessor")) {
        self.policy = policy
        self.localiser = localiser
        self.logger = logger
    }

    /// Localises the face and runs every check.
    public func assess(_ image: RGBImage) -> PortraitAssessment {
        assess(image, search: localiser.locate(in: image))
    }

    /// Runs every check with a localisation already made for `image` (e.g. by a live preview).
    public func assess(_ image: RGBImage, search: FaceSearchResult) -> PortraitAssessment {
        var checks: [PortraitCheck] = []
        let count = search.faceCount
        checks.append(check(.faceFoundOnce, Double(count), .between(1, 1), feedback: Feedback.faceCount(count)))
        guard let face = search.primary else {
            for kind in PortraitCheckKind.allCases where kind != .faceFoundOnce {
                checks.append(PortraitCheck(kind: kind, value: nil, limit: limit(for: kind), passed: false, feedback: Feedback.notMeasured))
            }
            logger.debug("no face found", metadata: ["width": "\(image.width)", "height": "\(image.height)"])
            return PortraitAssessment(checks: checks, search: search, token: nil, tokenError: nil)
        }

        // Geometry in the frame.
        let eyeOpen = min(face.leftEyeContrast, face.rightEyeContrast)
        checks.append(check(.eyesOpen, eyeOpen, limit(for: .eyesOpen), feedback: Feedback.eyesOpen))
        let roll = face.rollDegrees
        checks.append(check(.eyesLevel, roll, limit(for: .eyesLevel), feedback: Feedback.roll(roll)))
        let mid = face.eyeMidpoint
        let horizontal = mid.x / Double(image.width) - 0.5
        let vertical = mid.y / Double(image.height)
        let band = policy.eyeLineBand
        let verticalExcess = vertical < band.lowerBound ? band.lowerBound - vertical : max(0, vertical - band.upperBound)
        let halfBand = max(0.01, (band.upperBound - band.lowerBound) / 2)
        let centring = max(abs(horizontal) / max(0.001, policy.horizontalCentreTolerance), verticalExcess / halfBand + (verticalExcess > 0 ? 1 : 0))
        checks.append(check(.centred, centring, limit(for: .centred), feedback: Feedback.centring(horizontal: horizontal, vertical: vertical, band: band, tolerance: policy.horizontalCentreTolerance)))
        let distance = face.eyeDistance
        checks.append(check(.eyeDistance, distance, limit(for: .eyeDistance), feedback: Feedback.eyeDistance))

        // Face measures on a levelled grey face with a fixed eye distance.
        let measures = FaceMeasures(image: image, face: face, eyeDistance: Self.normalisedEyeDistance)
        checks.append(check(.brightness, measures.brightness, limit(for: .brightness), feedback: Feedback.brightness(measures.brightness, policy.brightness)))
        checks.append(check(.contrast, measures.contrast, limit(for: .contrast), feedback: Feedback.contrast))
        checks.append(check(.underExposure, measures.underExposed, limit(for: .underExposure), feedback: Feedback.underExposure))
        checks.append(check(.overExposure, measures.overExposed, limit(for: .overExposure), feedback: Feedback.overExposure))
        checks.append(check(.lightingEvenness, measures.evenness, limit(for: .lightingEvenness), feedback: Feedback.evenness(brighterSide: measures.brighterSide)))
        checks.append(check(.sharpness, measures.sharpness, limit(for: .sharpness), feedback: Feedback.sharpness))

        // Background in the frame, outside the head.
        let background = BackgroundMeasures(image: image, face: face)
        checks.append(check(.backgroundUniformity, background?.deviation, limit(for: .backgroundUniformity), feedback: Feedback.backgroundUniformity(measured: background != nil)))
        let backgroundDistance = background.map { self.colourDistance($0) }
        checks.append(check(.backgroundColour, backgroundDistance, limit(for: .backgroundColour), feedback: Feedback.backgroundColour(expected: policy.background, measured: background != nil)))

        var token: TokenPortrait?
        var tokenError: TokenCropError?
        do {
            token = try TokenPortrait.crop(image, rightEye: face.rightEye, leftEye: face.leftEye, options: tokenOptions)
        } catch {
            tokenError = error
        }
        return PortraitAssessment(checks: checks, search: search, token: token, tokenError: tokenError)
    }

    func limit(for kind: PortraitCheckKind) -> CheckLimit {
        switch kind {
        case .faceFoundOnce: .between(1, 1)
        case .eyesOpen: .atLeast(policy.minimumEyeOpenContrast)
        case .eyesLevel: .between(-policy.maximumRollDegrees, policy.maximumRollDegrees)
        case .centred: .atMost(1)
        case .eyeDistance: .atLeast(policy.minimumEyeDistance)
        case .brightness: .between(policy.brightness.lowerBound, policy.brightness.upperBound)
        case .contrast: .atLeast(policy.minimumContrast)
        case .underExposure: .atMost(policy.maximumUnderExposed)
        case .overExposure: .atMost(policy.maximumOverExposed)
        case .lightingEvenness: .atLeast(policy.minimumLightingEvenness)
        case .sharpness: .atLeast(policy.minimumSharpness)
        case .backgroundUniformity: .atMost(policy.maximumBackgroundDeviation)
        case .backgroundColour: .atMost(policy.maximumBackgroundColourDistance)
        }
    }

    /// Red/blue: hue difference in degrees (180 when the background is too grey to have a hue);
    /// white: saturation × 100, or 100 when it is dark.
    func colourDistance(_ background: BackgroundMeasures) -> Double {
        let (hue, saturation, value) = background.hsv
        switch policy.background {
        case .white:
            return value < 0.5 ? 100 : saturation * 100
        case .red, .blue:
            guard saturation >= policy.minimumBackgroundSaturation else { return 180 }
            let reference = policy.background.rgb
            let expected = BackgroundMeasures.hsv(Double(reference.red), Double(reference.green), Double(reference.blue)).hue
            let difference = abs(hue - expected).truncatingRemainder(dividingBy: 360)
            return min(difference, 360 - difference)
        }
    }

    private func check(_ kind: PortraitCheckKind, _ value: Double?, _ limit: CheckLimit, feedback: (Bool) -> LocalizedText) -> PortraitCheck {
        guard let value, value.isFinite else {
            return PortraitCheck(kind: kind, value: nil, limit: limit, passed: false, feedback: feedback(false))
        }
        let passed = limit.accepts(value)
        return PortraitCheck(kind: kind, value: value, limit: limit, passed: passed, feedback: feedback(passed))
    }
}

/// Measures on the face region of a levelled grey face scaled to a fixed eye distance.
struct FaceMeasures {
    var brightness = Double.nan
    var contrast = Double.nan
    var underExposed = Double.nan
    var overExposed = Double.nan
    /// Mean grey of the darker face half / of the brighter half.
    var evenness = Double.nan
    /// −1: the image's left half is brighter, 1: the right half, 0: even.
    var brighterSide = 0
    var sharpness = Double.nan

    /// The face region: an ellipse centred 0.45 eye distances below the eye midpoint, 0.8 eye
    /// distances wide and 1.1 high on each side (inside the face from forehead to chin).
    static let regionCentreBelowEyes = 0.45
    static let regionHalfWidth = 0.8
    static let regionHalfHeight = 1.1

    init(image: RGBImage, face: LocatedFace, eyeDistance: Double) {
        let width = Int((2 * Self.regionHalfWidth + 0.2) * eyeDistance)
        let height = Int((2 * Self.regionHalfHeight + 0.2) * eyeDistance)
        let centre = PixelPoint(x: Double(width) / 2, y: Double(height) / 2)
        let eyesAt = PixelPoint(x: centre.x, y: centre.y - Self.regionCentreBelowEyes * eyeDistance)
        let angle = face.rollDegrees * .pi / 180
        let scale = eyeDistance / max(1, face.eyeDistance)
        let gray = AlignedSampler.sampleGray(
            image, midpoint: face.eyeMidpoint, angle: angle, scale: scale, width: width, height: height, midpointAt: eyesAt)
        let a = Self.regionHalfWidth * eyeDistance
        let b = Self.regionHalfHeight * eyeDistance
        var histogram = [Int](repeating: 0, count: 256)
        var total = 0.0, squares = 0.0, count = 0
        var halves = (left: 0.0, leftCount: 0, right: 0.0, rightCount: 0)
        var laplacianSum = 0.0, laplacianSquares = 0.0, laplacianCount = 0
        for y in 0..<height {
            for x in 0..<width {
                let dx = (Double(x) + 0.5 - centre.x) / a
                let dy = (Double(y) + 0.5 - centre.y) / b
                guard dx * dx + dy * dy <= 1 else { continue }
                let value = Int(gray.pixels[y * width + x])
                histogram[value] += 1
                let level = Double(value) / 255
                total += level
                squares += level * level
                count += 1
                if dx < 0 {
                    halves.left += level
                    halves.leftCount += 1
                } else {
                    halves.right += level
                    halves.rightCount += 1
                }
                if x > 0, y > 0, x < width - 1, y < height - 1 {
                    let p = gray.pixels
                    let laplacian = Double(Int(p[(y - 1) * width + x]) + Int(p[(y + 1) * width + x]) + Int(p[y * width + x - 1])
                        + Int(p[y * width + x + 1]) - 4 * value)
                    laplacianSum += laplacian
                    laplacianSquares += laplacian * laplacian
                    laplacianCount += 1
                }
            }
        }
        guard count > 0 else { return }
        let n = Double(count)
        brightness = total / n
        contrast = max(0, squares / n - brightness * brightness).squareRoot()
        underExposed = Double(histogram[0...25].reduce(0, +)) / n
        overExposed = Double(histogram[247...255].reduce(0, +)) / n
        if halves.leftCount > 0, halves.rightCount > 0 {
            let left = halves.left / Double(halves.leftCount)
            let right = halves.right / Double(halves.rightCount)
            evenness = max(left, right) > 0 ? min(left, right) / max(left, right) : 1
            brighterSide = abs(left - right) < 0.01 ? 0 : (left > right ? -1 : 1)
        }
        if laplacianCount > 0 {
            let m = laplacianSum / Double(laplacianCount)
            sharpness = laplacianSquares / Double(laplacianCount) - m * m
        }
    }
}

/// Background statistics from the frame, outside an ellipse around the head (in eye-line
/// coordinates: centred 0.3 eye distances above the eye midpoint, 1.75 eye distances across and 2.3
/// up and down from there) and above 1.2 eye distances below the eyes (shoulders).
struct BackgroundMeasures {
    var meanRGB: (Double, Double, Double)
    /// Standard deviation of the grey level.
    var deviation: Double
    var pixelCount: Int

    var hsv: (hue: Double, saturation: Double, value: Double) { Self.hsv(meanRGB.0, meanRGB.1, meanRGB.2) }

    init?(image: RGBImage, face: LocatedFace) {
        let ied = max(1, face.eyeDistance)
        let mid = face.eyeMidpoint
        let angle = face.rollDegrees * .pi / 180
        let cosA = cos(angle), sinA = sin(angle)
        var sum = (0.0, 0.0, 0.0)
        var grey = 0.0, greySquares = 0.0
        var count = 0
        // Every second pixel is plenty for a mean and a spread.
        for y in stride(from: 0, to: image.height, by: 2) {
            for x in stride(from: 0, to: image.width, by: 2) {
                let dx = Double(x) - mid.x
                let dy = Double(y) - mid.y
                let along = (dx * cosA + dy * sinA) / ied
                let across = (-dx * sinA + dy * cosA) / ied
                guard across < 1.2 else { continue }
                let ex = along / 1.75
                let ey = (across + 0.3) / 2.3
                guard ex * ex + ey * ey > 1 else { continue }
                let base = (y * image.width + x) * 3
                let r = Double(image.pixels[base]), g = Double(image.pixels[base + 1]), b = Double(image.pixels[base + 2])
                sum.0 += r
                sum.1 += g
                sum.2 += b
                let luma = 0.299 * r + 0.587 * g + 0.114 * b
                grey += luma
                greySquares += luma * luma
                count += 1
            }
        }
        // Too little background visible to judge it (the head fills the frame).
        guard count >= 200 else { return nil }
        let n = Double(count)
        meanRGB = (sum.0 / n, sum.1 / n, sum.2 / n)
        let mean = grey / n
        deviation = max(0, greySquares / n - mean * mean).squareRoot()
        pixelCount = count
    }

    /// HSV of an 8-bit colour: hue in degrees, saturation and value 0…1.
    static func hsv(_ r: Double, _ g: Double, _ b: Double) -> (hue: Double, saturation: Double, value: Double) {
        let high = max(r, g, b), low = min(r, g, b)
        let delta = high - low
        let value = high / 255
        let saturation = high > 0 ? delta / high : 0
        guard delta > 0 else { return (0, saturation, value) }
        var hue: Double
        if high == r {
            hue = 60 * ((g - b) / delta)
        } else if high == g {
            hue = 60 * (2 + (b - r) / delta)
        } else {
            hue = 60 * (4 + (r - g) / delta)
        }
        if hue < 0 { hue += 360 }
        return (hue, saturation, value)
    }
}
