import BioCapture
import Foundation
import Logging

/// Settings of the synthetic generator. Defaults give a 500 ppi single-finger plain impression.
public struct SyntheticFingerprintParameters: Sendable, Hashable {
    /// Image size in pixels (500 ppi: 400 x 500 is about 20 x 25 mm).
    public var width: Int
    public var height: Int
    /// Range the master's mean ridge period (pixels per ridge + valley) is drawn from.
    public var ridgePeriodRange: ClosedRange<Double>
    /// Force a pattern class instead of drawing it from the identity seed.
    public var patternClass: FingerprintPatternClass?
    /// Amplitude (radians) of the smooth random correction added to the orientation model.
    public var orientationCorrection: Double
    /// Mean distance between the random seeds the ridges grow from (pixels). Smaller spacing
    /// gives more minutiae.
    public var seedSpacing: Double
    /// Gabor filtering passes; enough for the pattern to cover the finger from the seeds.
    public var filterIterations: Int
    /// Gabor kernel radius (the kernel is (2r+1)²), 3…7. 6 covers more than one ridge period.
    public var kernelRadius: Int

    public init(
        width: Int = 400, height: Int = 500, ridgePeriodRange: ClosedRange<Double> = 9...11,
        patternClass: FingerprintPatternClass? = nil, orientationCorrection: Double = 0.12,
        seedSpacing: Double = 22, filterIterations: Int = 9, kernelRadius: Int = 6
    ) {
        self.width = width
        self.height = height
        self.ridgePeriodRange = ridgePeriodRange
        self.patternClass = patternClass
        self.orientationCorrection = orientationCorrection
        self.seedSpacing = seedSpacing
        self.filterIterations = filterIterations
        self.kernelRadius = kernelRadius
    }
}

/// SFinGe-style synthetic fingerprint generator: a master print per identity and finger
/// (class, singular points, orientation and frequency fields, Gabor-grown ridges, finger
/// outline), then impressions of it under `ImpressionConditions` (pressure, moisture,
/// placement, distortion, noise). Pure and deterministic: only `SeededRandom` is used.
public struct SyntheticFingerprintGenerator: Sendable {
    public let parameters: SyntheticFingerprintParameters
    private let renderer: RidgeRenderer
    private let logger: Logger

    /// Block size of the public orientation / period fields of a master.
    public static let orientationBlock = 8
    /// Block size of the kernel lookup map used while rendering.
    static let kernelBlock = 4

    public init(parameters: SyntheticFingerprintParameters = .init(), logger: Logger = Logger(label: "BioFingerprint.Synthetic")) {
        var checked = parameters
        checked.width = max(64, parameters.width)
        checked.height = max(64, parameters.height)
        checked.kernelRadius = min(RidgeRenderer.maximumRadius, max(3, parameters.kernelRadius))
        checked.filterIterations = min(40, max(1, parameters.filterIterations))
        let lower = min(30, max(5, parameters.ridgePeriodRange.lowerBound.isFinite ? parameters.ridgePeriodRange.lowerBound : 9))
        let upper = min(30, parameters.ridgePeriodRange.upperBound.isFinite ? parameters.ridgePeriodRange.upperBound : 11)
        checked.ridgePeriodRange = lower...max(lower, upper)
        checked.orientationCorrection = parameters.orientationCorrection.isFinite
            ? min(0.5, max(0, parameters.orientationCorrection)) : 0.12
        checked.seedSpacing = parameters.seedSpacing.isFinite ? min(200, max(4, parameters.seedSpacing)) : 22
        checked.width = min(4096, checked.width)
        checked.height = min(4096, checked.height)
        self.parameters = checked
        let periods = stride(
            from: (checked.ridgePeriodRange.lowerBound - 1).rounded(.down),
            through: checked.ridgePeriodRange.upperBound + 1, by: 0.5
        ).map { $0 }
        renderer = RidgeRenderer(radius: checked.kernelRadius, angleSteps: 24, periods: periods)
        self.logger = logger
    }

    // MARK: Master

    /// The master print of an identity's finger. Same seed and finger → identical master.
    public func master(identity seed: UInt64, finger: FingerPosition) -> MasterFingerprint {
        let width = parameters.width
        let height = parameters.height
        var random = SeededRandom(seed: SeedMixer.mix(seed, UInt64(finger.rawValue), 0xF1A6))
        let hand: FingerIdentityHand = switch finger {
        case .unknown: .unknown
        case .rightThumb, .rightIndex, .rightMiddle, .rightRing, .rightLittle: .right
        case .leftThumb, .leftIndex, .leftMiddle, .leftRing, .leftLittle: .left
        }
        let drawnClass = FingerprintPatternClass.draw(for: hand, using: &random)
        let patternClass = parameters.patternClass ?? drawnClass

        // Finger outline: an ellipse for the tip, stretched downwards towards the finger base.
        let scale = Double(min(width, height)) / 400
        let centreX = Double(width) / 2 + random.gaussian(deviation: 6 * scale)
        let centreY = Double(height) * 0.47 + random.gaussian(deviation: 6 * scale)
        let semiX = Double(width) * (0.39 + 0.05 * random.unit())
        let semiTop = Double(height) * (0.38 + 0.05 * random.unit())
        let semiBottom = Double(height) * (0.55 + 0.08 * random.unit())
        let outlineWaves = (0..<3).map { _ in (amplitude: 0.012 * random.unit(), phase: 2 * Double.pi * random.unit()) }

        let singularPoints = Self.singularPoints(
            for: patternClass, centreX: centreX, centreY: centreY, scale: scale, random: &random)
        let corrections = (0..<3).map { _ -> OrientationModel.CorrectionMode in
            let wavelength = Double(max(width, height)) * (0.8 + 1.2 * random.unit())
            let direction = 2 * Double.pi * random.unit()
            return OrientationModel.CorrectionMode(
                amplitude: parameters.orientationCorrection / 3 * (0.5 + random.unit()),
                kx: 2 * .pi / wavelength * cos(direction),
                ky: 2 * .pi / wavelength * sin(direction),
                phase: 2 * .pi * random.unit())
        }
        let model = OrientationModel(
            patternClass: patternClass,
            singularPoints: singularPoints,
            baseAngle: random.gaussian(deviation: 0.06),
            arch: (centreX: centreX + random.gaussian(deviation: 10 * scale),
                   scale: (70 + 30 * random.unit()) * scale,
                   peakY: centreY + (20 + 40 * random.unit()) * scale,
                   height: (110 + 60 * random.unit()) * scale,
                   strength: 1.4 + 0.8 * random.unit()),
            corrections: corrections)

        let meanPeriod = parameters.ridgePeriodRange.lowerBound
            + (parameters.ridgePeriodRange.upperBound - parameters.ridgePeriodRange.lowerBound) * random.unit()
        let periodWaves = (0..<2).map { _ in
            (amplitude: 0.35 + 0.25 * random.unit(),
             kx: 2 * Double.pi / (Double(width) * (0.7 + random.unit())) * (random.unit() - 0.5) * 2,
             ky: 2 * Double.pi / (Double(height) * (0.7 + random.unit())) * (random.unit() - 0.5) * 2,
             phase: 2 * Double.pi * random.unit())
        }
        func period(x: Double, y: Double) -> Double {
            var value = meanPeriod
            for wave in periodWaves { value += wave.amplitude * cos(wave.kx * x + wave.ky * y + wave.phase) }
            return min(parameters.ridgePeriodRange.upperBound + 0.8, max(parameters.ridgePeriodRange.lowerBound - 0.8, value))
        }

        // Outline radius per pixel.
        var outline = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            let dy = Double(y) - centreY
            let semiY = dy < 0 ? semiTop : semiBottom
            for x in 0..<width {
                let dx = Double(x) - centreX
                var radius = ((dx / semiX) * (dx / semiX) + (dy / semiY) * (dy / semiY)).squareRoot()
                let angle = atan2(dy, dx)
                for (order, wave) in outlineWaves.enumerated() {
                    radius *= 1 + wave.amplitude * cos(Double(order + 2) * angle + wave.phase)
                }
                outline[y * width + x] = Float(radius)
            }
        }

        // Public block fields and the finer kernel map used for rendering.
        let block = Self.orientationBlock
        let columns = (width + block - 1) / block
        let rows = (height + block - 1) / block
        var orientationValues = [Double](repeating: 0, count: columns * rows)
        var periodValues = [Double](repeating: 0, count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let x = (Double(column) + 0.5) * Double(block)
                let y = (Double(row) + 0.5) * Double(block)
                orientationValues[row * columns + column] = model.angle(x: x, y: y)
                periodValues[row * columns + column] = period(x: x, y: y)
            }
        }
        let kernelBlock = Self.kernelBlock
        let mapColumns = (width + kernelBlock - 1) / kernelBlock
        let mapRows = (height + kernelBlock - 1) / kernelBlock
        var kernelMap = [Int32](repeating: 0, count: mapColumns * mapRows)
        for row in 0..<mapRows {
            for column in 0..<mapColumns {
                let x = (Double(column) + 0.5) * Double(kernelBlock)
                let y = (Double(row) + 0.5) * Double(kernelBlock)
                kernelMap[row * mapColumns + column] = Int32(
                    renderer.kernelIndex(angle: model.angle(x: x, y: y), period: period(x: x, y: y)))
            }
        }
        // Render a margin beyond the outline so pressed-hard impressions and distortion still
        // find ridges.
        let active = outline.map { $0 < 1.2 }
        let ridges = renderer.render(
            width: width, height: height, mapBlock: kernelBlock, mapColumns: mapColumns,
            kernelMap: kernelMap, active: active, seedSpacing: parameters.seedSpacing * scale.squareRoot(),
            iterations: parameters.filterIterations, random: &random)

        logger.debug("synthetic master", metadata: [
            "class": "\(patternClass.rawValue)", "finger": "\(finger.rawValue)",
            "period": "\(meanPeriod)",
        ])
        return MasterFingerprint(
            identitySeed: seed, finger: finger, width: width, height: height,
            patternClass: patternClass, singularPoints: singularPoints, orientationModel: model,
            orientation: BlockField(blockSize: block, columns: columns, rows: rows, values: orientationValues),
            ridgePeriod: BlockField(blockSize: block, columns: columns, rows: rows, values: periodValues),
            ridges: ridges, outline: outline)
    }

    /// Class-typical singular point positions around the finger centre.
    private static func singularPoints(
        for patternClass: FingerprintPatternClass, centreX: Double, centreY: Double, scale: Double,
        random: inout SeededRandom
    ) -> [SingularPoint] {
        switch patternClass {
        case .arch:
            return []
        case .tentedArch:
            let core = SingularPoint(kind: .core, x: centreX + random.gaussian(deviation: 8 * scale),
                                     y: centreY - (10 + 20 * random.unit()) * scale)
            let delta = SingularPoint(kind: .delta, x: core.x + random.gaussian(deviation: 6 * scale),
                                      y: core.y + (60 + 30 * random.unit()) * scale)
            return [core, delta]
        case .leftLoop, .rightLoop:
            let side: Double = patternClass == .leftLoop ? 1 : -1
            let core = SingularPoint(kind: .core, x: centreX - side * (10 + 20 * random.unit()) * scale,
                                     y: centreY - (20 + 30 * random.unit()) * scale)
            let delta = SingularPoint(kind: .delta, x: core.x + side * (80 + 40 * random.unit()) * scale,
                                      y: core.y + (110 + 40 * random.unit()) * scale)
            return [core, delta]
        case .whorl:
            let upper = SingularPoint(kind: .core, x: centreX + random.gaussian(deviation: 10 * scale),
                                      y: centreY - (30 + 20 * random.unit()) * scale)
            let lower = SingularPoint(kind: .core, x: upper.x + random.gaussian(deviation: 12 * scale),
                                      y: upper.y + (20 + 25 * random.unit()) * scale)
            let meanY = (upper.y + lower.y) / 2
            let left = SingularPoint(kind: .delta, x: centreX - (105 + 35 * random.unit()) * scale,
                                     y: meanY + (100 + 40 * random.unit()) * scale)
            let right = SingularPoint(kind: .delta, x: centreX + (105 + 35 * random.unit()) * scale,
                                      y: meanY + (100 + 40 * random.unit()) * scale)
            return [upper, lower, left, right]
        }
    }
}
