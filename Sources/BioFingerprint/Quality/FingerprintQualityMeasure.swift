import BioCapture
import Foundation
import Logging

/// Settings of the quality measure.
public struct FingerprintQualityParameters: Sendable, Hashable {
    /// Side of the square blocks the local measures use (ISO/IEC 29794-4: 32 px at 500 ppi).
    public var blockSize: Int
    /// A block is foreground when its grey standard deviation is at least this many grey
    /// levels (above sensor noise)…
    public var minimumBlockDeviation: Double
    /// …and at least this share of the 90th percentile of the block deviations.
    public var relativeBlockDeviation: Double
    /// Foreground area that counts as "enough", as a share of the sensor (untrimmed image) area…
    public var expectedForegroundShare: Double
    /// …but never more than this many pixels (a full plain impression of one finger at 500 ppi).
    public var maximumExpectedForegroundPixels: Int
    /// Minutiae per 100 000 foreground pixels that count as a complete print.
    public var expectedMinutiaeDensity: Double
    /// Rows and columns whose mean grey is above this are trimmed as blank platen.
    public var blankLevel: Double

    public init(
        blockSize: Int = 32, minimumBlockDeviation: Double = 8, relativeBlockDeviation: Double = 0.2,
        expectedForegroundShare: Double = 0.5, maximumExpectedForegroundPixels: Int = 100_000,
        expectedMinutiaeDensity: Double = 35, blankLevel: Double = 250
    ) {
        self.blockSize = blockSize
        self.minimumBlockDeviation = minimumBlockDeviation
        self.relativeBlockDeviation = relativeBlockDeviation
        self.expectedForegroundShare = expectedForegroundShare
        self.maximumExpectedForegroundPixels = maximumExpectedForegroundPixels
        self.expectedMinutiaeDensity = expectedMinutiaeDensity
        self.blankLevel = blankLevel
    }
}

/// The native measures behind a score (means over foreground blocks unless noted).
public struct FingerprintQualityFeatures: Sendable, Hashable, Codable {
    /// Image size after trimming blank borders.
    public var trimmedWidth = 0
    public var trimmedHeight = 0
    /// Mean and standard deviation of the grey levels of the trimmed image (NFIQ 2 "Mu", σ).
    public var meanGrey = 0.0
    public var greyDeviation = 0.0
    /// Mean grey of the foreground blocks.
    public var foregroundMeanGrey = 0.0
    public var foregroundBlocks = 0
    public var totalBlocks = 0
    public var foregroundPixels = 0
    /// Foreground pixels / expected foreground pixels (capped at 1).
    public var areaRatio = 0.0
    /// Foreground centroid relative to the sensor centre, as a share of width and height.
    public var centroidOffsetX = 0.0
    public var centroidOffsetY = 0.0
    /// Orientation certainty level (0…1).
    public var orientationCertainty = 0.0
    /// Orientation-map coherence inside the foreground (0…1).
    public var coherence = 0.0
    /// Frequency-domain analysis (0…1).
    public var frequencyDomain = 0.0
    /// Ridge/valley separability d' (the local-clarity measure used here).
    public var clarity = 0.0
    /// Valley mean − ridge mean, grey levels.
    public var ridgeValleyContrast = 0.0
    /// Median ridge/valley width ratio (1 = equal widths; < 1 thin ridges; > 1 thick ridges).
    public var ridgeValleyRatio = 0.0
    /// Orientation flow (0 = smooth … 1 = chaotic).
    public var orientationFlow = 0.0
    /// Mean ridge period in pixels.
    public var ridgePeriod = 0.0
    public var minutiaeCount = 0
    /// Share of minutiae in blocks with OCL > 0.8.
    public var minutiaeInCertainBlocks = 0.0

    public init() {}
}

/// The 0…1 components that make up the score.
public struct FingerprintQualityComponents: Sendable, Hashable, Codable {
    public var area = 0.0
    public var orientationCertainty = 0.0
    public var clarity = 0.0
    public var frequencyDomain = 0.0
    public var ridgeValleyUniformity = 0.0
    public var orientationFlow = 0.0
    public var contrast = 0.0
    public var minutiae = 0.0
    /// Weighted mean of the local components (all but area, contrast and minutiae).
    public var local = 0.0

    public init() {}
}

/// Result of `FingerprintQualityMeasure.assess`.
public struct FingerprintQualityReport: Sendable, Hashable, Codable {
    /// 0 (unusable) … 100 (excellent). NFIQ 2-style, not NFIQ 2.
    public var score: Int
    public var features: FingerprintQualityFeatures
    public var components: FingerprintQualityComponents
    /// What to change, most important first; empty when nothing stands out.
    public var feedback: [FingerprintFeedback]
    /// The minutiae counted, in the coordinates of the assessed image (for overlays).
    public var minutiae: [DetectedMinutia]
}

/// A model-free, **NFIQ 2-style** fingerprint quality score, 0–100, for 8-bit 500 ppi plain
/// impressions. It is *not* NFIQ 2 (ISO/IEC 29794-4): NFIQ 2 maps its features to a score with
/// a trained random forest that is not used here, so scores are comparable in spirit only.
///
/// Pipeline:
/// 1. Trim rows/columns whose mean grey is above 250 (blank platen).
/// 2. Gate: mean grey > 250, grey σ < 1, or no foreground block → score 0, feedback `.empty`.
/// 3. 32 x 32 blocks; a block is foreground when its σ ≥ 8 grey levels and ≥ 0.2 x the 90th
///    percentile of block σ (NFIQ 2 segments by normalised local σ; this is the same idea).
/// 4. Per foreground block: OCL (1 − λmin/λmax of the gradient covariance) and ridge orientation;
///    the block resampled with ridges vertical (32 across x 16 along); FDA of its across-ridge
///    signature (peak ± 0.3·neighbours over the sum of the first half of the spectrum, peak
///    searched at 4.5–16 px periods); local clarity as ridge/valley separability
///    d' = (valley mean − ridge mean) / pooled within-class σ (NFIQ 2's LCS measures the overlap
///    of the same two classes); ridge/valley width ratios (RVU); ridge–valley contrast in grey
///    levels; orientation flow to the 8 foreground neighbours (differences under 4° ignored,
///    normalised by 86°).
/// 5. Minutiae from `SimpleMinutiaeExtractor` (binarise, Zhang–Suen thinning, crossing number).
/// 6. Components in 0…1: OCL, FDA and OF through their NFIQ 2 histogram bin limits (bin position
///    / 10, interpolated); clarity = (d' − 0.5) / 3; RVU = exp(−|ln ratio|) / (1 + spread);
///    contrast = (valley − ridge) / 100; area = foreground / expected (expected = 50 % of the
///    sensor area, at most 100 000 px); minutiae = credible count / (35 per 100 000 foreground
///    px), where each minutia counts min(1, max(0, (OCL of its block − 0.3) / 0.4)), reduced
///    again when far above the expected count (a noisy skeleton).
/// 7. local = 0.25 OCL + 0.25 clarity + 0.15 FDA + 0.20 OF + 0.15 RVU;
///    score = 100 · √area · (0.6 + 0.4 · contrast) · (0.8 · local + 0.2 · minutiae), rounded.
/// The weights were set by hand on synthetic prints of known degradation (see
/// hardware-notes/fingerprint-quality.md), not fitted to NFIQ 2 scores.
public struct FingerprintQualityMeasure: Sendable {
    public let parameters: FingerprintQualityParameters
    private let extractor: SimpleMinutiaeExtractor
    private let logger: Logger

    public init(parameters: FingerprintQualityParameters = .init(), logger: Logger = Logger(label: "BioFingerprint.Quality")) {
        var checked = parameters
        checked.blockSize = min(128, max(8, parameters.blockSize))
        self.parameters = checked
        extractor = SimpleMinutiaeExtractor()
        self.logger = logger
    }

    static let certaintyLimits = [0.337, 0.479, 0.579, 0.655, 0.716, 0.766, 0.81, 0.852, 0.898]
    static let frequencyLimits = [0.268, 0.304, 0.33, 0.355, 0.38, 0.407, 0.44, 0.50, 1]
    static let flowLimits = [0.01715, 0.035, 0.0557, 0.081, 0.115, 0.1718, 0.2569, 0.4758, 0.748]

    /// Scores one image.
    public func assess(_ image: GrayImage) -> FingerprintQualityReport {
        var features = FingerprintQualityFeatures()
        var components = FingerprintQualityComponents()
        func empty() -> FingerprintQualityReport {
            FingerprintQualityReport(score: 0, features: features, components: components, feedback: [.empty], minutiae: [])
        }

        // 1. Trim blank borders.
        guard let trim = trimmedBounds(image) else { return empty() }
        let width = trim.right - trim.left
        let height = trim.bottom - trim.top
        var values = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            let source = (y + trim.top) * image.width + trim.left
            for x in 0..<width { values[y * width + x] = Float(image.pixels[source + x]) }
        }
        let plane = GreyPlane(width: width, height: height, values: values)
        features.trimmedWidth = width
        features.trimmedHeight = height

        // 2. Gate.
        var total = 0.0, squares = 0.0
        for value in values {
            total += Double(value)
            squares += Double(value) * Double(value)
        }
        let count = Double(values.count)
        features.meanGrey = total / count
        features.greyDeviation = max(0, squares / count - features.meanGrey * features.meanGrey).squareRoot()
        let block = parameters.blockSize
        guard features.meanGrey <= parameters.blankLevel, features.greyDeviation >= 1,
              width >= block, height >= block
        else { return empty() }

        // 3. Blocks and segmentation.
        let columns = width / block
        let rows = height / block
        let originX = (width - columns * block) / 2
        let originY = (height - rows * block) / 2
        var blocks: [BlockMeasures] = []
        blocks.reserveCapacity(columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                var measures = BlockMeasures(column: column, row: row)
                var sum: Float = 0, sumSquares: Float = 0
                for y in (originY + row * block)..<(originY + (row + 1) * block) {
                    for x in (originX + column * block)..<(originX + (column + 1) * block) {
                        let value = values[y * width + x]
                        sum += value
                        sumSquares += value * value
                    }
                }
                let blockCount = Float(block * block)
                measures.mean = sum / blockCount
                measures.deviation = max(0, sumSquares / blockCount - measures.mean * measures.mean).squareRoot()
                blocks.append(measures)
            }
        }
        let deviations = blocks.map { Double($0.deviation) }.sorted()
        let reference = deviations[min(deviations.count - 1, Int(Double(deviations.count) * 0.9))]
        let threshold = max(parameters.minimumBlockDeviation, parameters.relativeBlockDeviation * reference)
        for index in blocks.indices where Double(blocks[index].deviation) >= threshold {
            blocks[index].foreground = true
        }
        let foreground = blocks.indices.filter { blocks[$0].foreground }
        features.totalBlocks = blocks.count
        features.foregroundBlocks = foreground.count
        features.foregroundPixels = foreground.count * block * block
        guard !foreground.isEmpty else { return empty() }

        // 4. Local measures.
        let (gx, gy) = plane.sobelGradients()
        for index in foreground {
            let x0 = originX + blocks[index].column * block
            let y0 = originY + blocks[index].row * block
            BlockAnalysis.orientation(gx: gx, gy: gy, width: width, x0: x0, y0: y0, size: block, into: &blocks[index])
            BlockAnalysis.ridgeProfile(
                plane: plane, centreX: Double(x0) + Double(block) / 2, centreY: Double(y0) + Double(block) / 2,
                size: block, into: &blocks[index])
        }
        BlockAnalysis.orientationFlow(blocks: &blocks, columns: columns, rows: rows)

        // 5. Minutiae inside the foreground blocks, where the local σ (17 x 17 window) also
        //    passes the segmentation threshold: a finer outline than the blocks, so ridge ends at
        //    the finger's edge are not counted.
        let localMean = plane.boxMean(radius: 8)
        let localSquares = GreyPlane(width: width, height: height, values: values.map { $0 * $0 }).boxMean(radius: 8)
        let pixelThreshold = Float(threshold * threshold)
        var mask = [Bool](repeating: false, count: width * height)
        for index in foreground {
            let x0 = originX + blocks[index].column * block
            let y0 = originY + blocks[index].row * block
            for y in y0..<(y0 + block) {
                for x in x0..<(x0 + block) {
                    let pixel = y * width + x
                    let mean = localMean.values[pixel]
                    mask[pixel] = localSquares.values[pixel] - mean * mean >= pixelThreshold
                }
            }
        }
        let minutiae = extractor.minutiae(in: plane, mask: mask)

        // 6. Features and components.
        let n = Double(foreground.count)
        var centroidX = 0.0, centroidY = 0.0, foregroundGrey = 0.0
        var ratios: [Double] = []
        for index in foreground {
            let measures = blocks[index]
            centroidX += Double(originX + measures.column * block) + Double(block) / 2
            centroidY += Double(originY + measures.row * block) + Double(block) / 2
            foregroundGrey += Double(measures.mean)
            features.orientationCertainty += measures.certainty / n
            features.coherence += measures.coherence / n
            features.frequencyDomain += measures.frequencyDomain / n
            features.clarity += measures.separability / n
            features.ridgeValleyContrast += measures.ridgeValleyContrast / n
            features.orientationFlow += measures.orientationFlow / n
            features.ridgePeriod += measures.period / n
            components.orientationCertainty += Self.binPosition(measures.certainty, Self.certaintyLimits) / n
            components.frequencyDomain += Self.binPosition(measures.frequencyDomain, Self.frequencyLimits) / n
            components.orientationFlow += (1 - Self.binPosition(measures.orientationFlow, Self.flowLimits)) / n
            components.clarity += min(1, max(0, (measures.separability - 0.5) / 3)) / n
            if let ratio = measures.ridgeValleyRatio {
                ratios.append(ratio)
                components.ridgeValleyUniformity += exp(-abs(log(ratio))) / (1 + measures.ridgeValleyRatioSpread) / n
            }
        }
        features.foregroundMeanGrey = foregroundGrey / n
        features.centroidOffsetX = (centroidX / n + Double(trim.left)) / Double(image.width) - 0.5
        features.centroidOffsetY = (centroidY / n + Double(trim.top)) / Double(image.height) - 0.5
        ratios.sort()
        features.ridgeValleyRatio = ratios.isEmpty ? 0 : ratios[ratios.count / 2]
        features.minutiaeCount = minutiae.count
        // Each minutia is weighted by how certain its block's orientation is: noise yields
        // plenty of skeleton ends too, but not in blocks of clear ridge flow.
        var credible = 0.0
        if !minutiae.isEmpty {
            var certain = 0
            for point in minutiae {
                let column = (point.x - originX) / block
                let row = (point.y - originY) / block
                guard column >= 0, row >= 0, column < columns, row < rows else { continue }
                let certainty = blocks[row * columns + column].certainty
                if certainty > 0.8 { certain += 1 }
                credible += min(1, max(0, (certainty - 0.3) / 0.4))
            }
            features.minutiaeInCertainBlocks = Double(certain) / Double(minutiae.count)
        }

        let expected = min(
            parameters.expectedForegroundShare * Double(image.width * image.height),
            Double(parameters.maximumExpectedForegroundPixels))
        features.areaRatio = min(1, Double(features.foregroundPixels) / max(1, expected))
        components.area = features.areaRatio
        components.contrast = min(1, max(0, features.ridgeValleyContrast / 100))
        let expectedMinutiae = parameters.expectedMinutiaeDensity * Double(features.foregroundPixels) / 100_000
        let minutiaeRatio = credible / max(1, expectedMinutiae)
        // Far more minutiae than a finger has means a broken or noisy skeleton, not detail.
        components.minutiae = minutiaeRatio <= 1 ? minutiaeRatio : min(1, max(0, 1 - (minutiaeRatio - 2) / 3))
        components.local = 0.25 * components.orientationCertainty + 0.25 * components.clarity
            + 0.15 * components.frequencyDomain + 0.20 * components.orientationFlow
            + 0.15 * components.ridgeValleyUniformity
        // Contrast scales the whole score: faint prints lose minutiae in matching however
        // regular their ridges are.
        let contrastFactor = 0.6 + 0.4 * components.contrast
        let raw = 100 * components.area.squareRoot() * contrastFactor
            * (0.8 * components.local + 0.2 * components.minutiae)
        let score = Int(min(100, max(0, raw)).rounded())

        let feedback = Self.feedback(features: features, components: components)
        logger.debug("fingerprint quality", metadata: [
            "score": "\(score)", "foregroundBlocks": "\(foreground.count)", "minutiae": "\(minutiae.count)",
        ])
        let placed = minutiae.map { DetectedMinutia(kind: $0.kind, x: $0.x + trim.left, y: $0.y + trim.top) }
        return FingerprintQualityReport(
            score: score, features: features, components: components, feedback: feedback, minutiae: placed)
    }

    /// Position of `value` among NFIQ 2 histogram bin limits, as a share 0…1 (bin index / 10,
    /// interpolated inside the bin; values above the last limit approach 1).
    static func binPosition(_ value: Double, _ limits: [Double]) -> Double {
        guard let first = limits.first, let last = limits.last else { return 0 }
        if value <= first { return first > 0 ? 0.1 * max(0, value) / first : 0 }
        for index in 1..<limits.count where value < limits[index] {
            let lower = limits[index - 1], upper = limits[index]
            return 0.1 * (Double(index) + (value - lower) / (upper - lower))
        }
        let width = last - limits[limits.count - 2]
        return min(1, 0.9 + 0.1 * (value - last) / max(width, 1e-9))
    }

    /// The row/column range left after trimming blank borders; nil if everything is blank.
    func trimmedBounds(_ image: GrayImage) -> (left: Int, right: Int, top: Int, bottom: Int)? {
        let width = image.width, height = image.height
        let limit = parameters.blankLevel
        func rowMean(_ y: Int) -> Double {
            var sum = 0
            for x in 0..<width { sum += Int(image.pixels[y * width + x]) }
            return Double(sum) / Double(width)
        }
        func columnMean(_ x: Int, _ top: Int, _ bottom: Int) -> Double {
            var sum = 0
            for y in top..<bottom { sum += Int(image.pixels[y * width + x]) }
            return Double(sum) / Double(bottom - top)
        }
        var top = 0
        while top < height, rowMean(top) > limit { top += 1 }
        guard top < height else { return nil }
        var bottom = height
        while bottom > top, rowMean(bottom - 1) > limit { bottom -= 1 }
        var left = 0
        while left < width, columnMean(left, top, bottom) > limit { left += 1 }
        guard left < width else { return nil }
        var right = width
        while right > left, columnMean(right - 1, top, bottom) > limit { right -= 1 }
        return (left, right, top, bottom)
    }

    /// Actionable feedback from the features; most important first.
    static func feedback(features: FingerprintQualityFeatures, components: FingerprintQualityComponents) -> [FingerprintFeedback] {
        var result: [FingerprintFeedback] = []
        let offCentre = abs(features.centroidOffsetX) > 0.15 || abs(features.centroidOffsetY) > 0.15
        if features.areaRatio < 0.6 { result.append(.tooLittleArea) }
        if offCentre { result.append(.offCentre) }
        let thinRidges = features.ridgeValleyRatio > 0 && features.ridgeValleyRatio < 0.75
        let thickRidges = features.ridgeValleyRatio > 1.4
        let faint = features.ridgeValleyContrast < 80
        let broken = components.orientationCertainty < 0.55 || components.clarity < 0.45
        if features.foregroundMeanGrey < 100 || (thickRidges && broken) {
            result.append(.tooWet)
        } else if (faint || thinRidges) && broken {
            result.append(.tooDry)
        } else if faint && features.foregroundMeanGrey > 165 {
            result.append(.tooLightPressure)
        }
        return result
    }
}
