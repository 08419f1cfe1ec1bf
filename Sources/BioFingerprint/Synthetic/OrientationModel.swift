import Foundation

/// The ridge orientation of a master print as a function of position.
///
/// Ridge direction at (x, y) is (cos θ, sin θ) in image coordinates (x right, y down),
/// θ in [0, π). For classes with singular points θ follows the zero-pole model: each delta
/// adds half the argument of (z − delta), each core subtracts half the argument of (z − core),
/// on top of a base direction (horizontal ridges); in image coordinates (y down) the signs are
/// mirrored: cores add and deltas subtract half the argument. Arches have no singular points: their field
/// is the slope of a family of humped ridges. In both cases a small, smooth, single-valued
/// correction (a few long-wave cosines) is added; a continuous single-valued term cannot create
/// or remove singular points, so the Poincaré indices stay those of the class.
public struct OrientationModel: Sendable, Hashable {
    public let patternClass: FingerprintPatternClass
    public let singularPoints: [SingularPoint]
    /// Base ridge direction far from the singular points, radians.
    public let baseAngle: Double
    /// Arch shape: centre column, horizontal scale and the row where the hump is strongest.
    let archCentreX: Double
    let archScale: Double
    let archPeakY: Double
    let archHeight: Double
    let archStrength: Double
    /// Correction modes: amplitude (rad), wave vector (rad/px), phase.
    let corrections: [CorrectionMode]

    struct CorrectionMode: Sendable, Hashable {
        var amplitude: Double
        var kx: Double
        var ky: Double
        var phase: Double
    }

    init(
        patternClass: FingerprintPatternClass,
        singularPoints: [SingularPoint],
        baseAngle: Double,
        arch: (centreX: Double, scale: Double, peakY: Double, height: Double, strength: Double),
        corrections: [CorrectionMode]
    ) {
        self.patternClass = patternClass
        self.singularPoints = singularPoints
        self.baseAngle = baseAngle
        archCentreX = arch.centreX
        archScale = arch.scale
        archPeakY = arch.peakY
        archHeight = arch.height
        archStrength = arch.strength
        self.corrections = corrections
    }

    /// Ridge orientation at a point, radians in [0, π).
    public func angle(x: Double, y: Double) -> Double {
        var theta = baseAngle
        if patternClass == .arch {
            // Ridges y = y0 + k·g(x) with g a Gaussian hump: the slope of that family.
            let u = (x - archCentreX) / archScale
            let vertical = (y - archPeakY) / archHeight
            let strength = archStrength * exp(-0.5 * vertical * vertical)
            theta += atan(strength * u * exp(-0.5 * u * u))
        } else {
            for point in singularPoints {
                let argument = atan2(y - point.y, x - point.x)
                // Image rows grow downwards, so the usual signs of the model (y up) are swapped.
                theta += point.kind == .core ? 0.5 * argument : -0.5 * argument
            }
        }
        for mode in corrections {
            theta += mode.amplitude * cos(mode.kx * x + mode.ky * y + mode.phase)
        }
        return Self.wrap(theta)
    }

    /// Maps any angle to [0, π).
    static func wrap(_ angle: Double) -> Double {
        var value = angle.truncatingRemainder(dividingBy: .pi)
        if value < 0 { value += .pi }
        return value >= .pi ? 0 : value
    }
}

/// A 2-D field sampled on a square grid of blocks (the centre of block (i, j) is at
/// ((i + 0.5)·blockSize, (j + 0.5)·blockSize)).
public struct BlockField: Sendable, Hashable {
    public let blockSize: Int
    public let columns: Int
    public let rows: Int
    public var values: [Double]

    public init(blockSize: Int, columns: Int, rows: Int, values: [Double]) {
        self.blockSize = blockSize
        self.columns = columns
        self.rows = rows
        self.values = values
    }

    public subscript(column: Int, row: Int) -> Double {
        values[row * columns + column]
    }
}
