import BioCapture
import Foundation

/// One generated eye: the 8-bit NIR image and what was drawn.
public struct SyntheticEye: Sendable {
    public var image: GrayImage
    public var truth: SyntheticEyeTruth
    public var parameters: SyntheticEyeParameters
}

/// Draws near-infrared eye images the way an iris camera sees them: a very dark pupil, a
/// mid-grey textured iris, a soft limbus, a bright sclera, skin, eyelids with lashes and the
/// illuminator's corneal reflections, then optics (defocus, motion) and sensor noise.
///
/// Deterministic: the same parameters give the same bytes on every run and machine (all
/// randomness comes from `SeededRandom`; no global generator is touched).
public enum SyntheticEyeGenerator {
    /// Largest side accepted; larger requests are clamped so a bad parameter cannot exhaust memory.
    public static let maximumSide = 4096

    /// Generates one eye image and its ground truth.
    public static func generate(_ requested: SyntheticEyeParameters) -> SyntheticEye {
        let parameters = sanitized(requested)
        let anatomy = IrisAnatomy(identitySeed: parameters.identitySeed)
        var renderer = EyeRenderer(parameters: parameters, anatomy: anatomy)
        let (image, truth) = renderer.render()
        return SyntheticEye(image: image, truth: truth, parameters: parameters)
    }

    static func sanitized(_ p: SyntheticEyeParameters) -> SyntheticEyeParameters {
        var p = p
        func finite(_ value: Double, _ fallback: Double) -> Double { value.isFinite ? value : fallback }
        p.width = min(max(p.width, 1), maximumSide)
        p.height = min(max(p.height, 1), maximumSide)
        p.irisRadius = min(max(finite(p.irisRadius, 110), 4), 2000)
        p.pupilToIrisRatio = min(max(finite(p.pupilToIrisRatio, 0.4), 0.1), 0.85)
        p.pupilNonCircularity = min(max(finite(p.pupilNonCircularity, 0), 0), 0.3)
        p.centerOffsetX = min(max(finite(p.centerOffsetX, 0), -4000), 4000)
        p.centerOffsetY = min(max(finite(p.centerOffsetY, 0), -4000), 4000)
        p.gazeYawDegrees = min(max(finite(p.gazeYawDegrees, 0), -60), 60)
        p.gazePitchDegrees = min(max(finite(p.gazePitchDegrees, 0), -60), 60)
        p.upperEyelidCover = min(max(finite(p.upperEyelidCover, 0), -0.5), 1.5)
        p.lowerEyelidCover = min(max(finite(p.lowerEyelidCover, 0), -0.5), 1.5)
        p.eyelashDensity = min(max(finite(p.eyelashDensity, 0), 0), 1)
        p.specularReflectionCount = min(max(p.specularReflectionCount, 0), 2)
        p.defocusSigma = min(max(finite(p.defocusSigma, 0), 0), 20)
        p.motionBlurLength = min(max(finite(p.motionBlurLength, 0), 0), 80)
        p.motionBlurAngleDegrees = finite(p.motionBlurAngleDegrees, 0)
        p.illumination = min(max(finite(p.illumination, 1), 0), 4)
        p.contrast = min(max(finite(p.contrast, 1), 0), 2)
        p.noiseSigma = min(max(finite(p.noiseSigma, 0), 0), 64)
        return p
    }
}

// MARK: - Identity: everything that belongs to the person

/// Per-identity anatomy: grey levels, shape constants and the iris texture in normalised polar
/// coordinates (rubber sheet), so the pattern stretches with dilation but stays the same iris.
struct IrisAnatomy: Sendable {
    static let radialSamples = 64
    static let angularSamples = 1024

    let irisGrey: Double
    let scleraGrey: Double
    let skinGrey: Double
    let pupilGrey: Double
    let lashGrey: Double
    let eyeHalfWidthFactor: Double
    let cornerDropFactor: Double
    let pupilShapePhase: Double
    /// Texture, `radialSamples` rows × `angularSamples` columns, roughly zero-mean, |t| ≲ 1.
    let texture: [Float]
    let lashes: [Lash]
    /// Coarse random grid for skin and sclera shading (bilinear), `skinGridSize`².
    let skinGrid: [Float]
    static let skinGridSize = 24

    struct Lash: Sendable {
        /// Root along the upper (or lower) lid, in units of the eye's half width (-1…1).
        let rootPosition: Double
        let onUpperLid: Bool
        /// Direction angle from straight down (radians, positive = towards larger x).
        let angle: Double
        /// Length in iris radii.
        let length: Double
        /// Bend per unit length (radians).
        let bend: Double
        let thickness: Double
        /// 0…1: lashes are drawn only if `rank < eyelashDensity`, so density thins the same set.
        let rank: Double
    }

    init(identitySeed: UInt64) {
        var random = SeededRandom(seed: identitySeed ^ 0x1815_A17E_0000_0001)
        irisGrey = 88 + 45 * random.unit()
        scleraGrey = 168 + 26 * random.unit()
        skinGrey = 150 + 35 * random.unit()
        pupilGrey = 12 + 14 * random.unit()
        lashGrey = 28 + 18 * random.unit()
        eyeHalfWidthFactor = 2.2 + 0.4 * random.unit()
        cornerDropFactor = 0.05 + 0.2 * random.unit()
        pupilShapePhase = random.unit() * .pi

        texture = IrisAnatomy.makeTexture(&random)

        var lashes: [Lash] = []
        for index in 0..<170 {
            let upper = index < 140
            let rootPosition = -0.95 + 1.9 * random.unit()
            let hangsDown = upper && random.unit() < 0.45
            let outward = rootPosition >= 0 ? 1.0 : -1.0
            let angle: Double
            let length: Double
            if !upper {
                angle = outward * (0.2 + 0.5 * random.unit())
                length = 0.08 + 0.12 * random.unit()
            } else if hangsDown {
                angle = outward * (0.05 + 0.45 * random.unit()) * (random.unit() < 0.8 ? 1 : -1)
                length = 0.12 + 0.3 * random.unit()
            } else {
                angle = .pi - outward * (0.3 + 0.7 * random.unit())
                length = 0.2 + 0.35 * random.unit()
            }
            lashes.append(Lash(
                rootPosition: rootPosition, onUpperLid: upper, angle: angle, length: length,
                bend: outward * (0.4 + 1.2 * random.unit()) * (hangsDown ? 1 : -1),
                thickness: 0.6 + 0.9 * random.unit(), rank: random.unit()
            ))
        }
        self.lashes = lashes

        var grid = [Float](repeating: 0, count: IrisAnatomy.skinGridSize * IrisAnatomy.skinGridSize)
        for index in grid.indices { grid[index] = Float(random.unit() * 2 - 1) }
        skinGrid = grid
    }

    /// Builds radial fibres (angular band-limited noise whose phase drifts with radius so fibres
    /// wave), the collarette ridge and its zone difference, crypts, concentric furrows and the
    /// darker limbal ring.
    private static func makeTexture(_ random: inout SeededRandom) -> [Float] {
        let rows = radialSamples
        let columns = angularSamples
        var texture = [Float](repeating: 0, count: rows * columns)

        // Fibre layers: 1-D angular noise looked up with a radius-dependent angular shift.
        let layerCount = 3
        var layers: [[Float]] = []
        var layerDrift: [(amplitude: Double, frequency: Double, phase: Double, weight: Double)] = []
        for layer in 0..<layerCount {
            var values = [Float](repeating: 0, count: columns)
            let lowest = layer == 0 ? 12 : 40
            let highest = layer == 0 ? 70 : 220
            for _ in 0..<36 {
                let k = Double(lowest + Int(random.unit() * Double(highest - lowest)))
                let amplitude = (0.5 + random.unit()) / k.squareRoot()
                let phase = random.unit() * 2 * .pi
                for column in 0..<columns {
                    let theta = Double(column) / Double(columns) * 2 * .pi
                    values[column] += Float(amplitude * cos(k * theta + phase))
                }
            }
            var peak: Float = 1e-6
            for value in values { peak = max(peak, abs(value)) }
            for column in 0..<columns { values[column] /= peak }
            layers.append(values)
            layerDrift.append((
                amplitude: 6 + 18 * random.unit(), frequency: 0.5 + 2 * random.unit(),
                phase: random.unit() * 2 * .pi, weight: layer == 0 ? 0.35 : 0.45
            ))
        }

        let collaretteRadius = 0.26 + 0.14 * random.unit()
        let collaretteWobble = (a: 0.02 + 0.03 * random.unit(), k: Double(4 + Int(random.unit() * 5)), p: random.unit() * 6.28)
        let pupillaryZoneShift = (random.unit() - 0.5) * 0.35
        // Blotches: coarse random grid (8 × 32) interpolated bilinearly, wrapping in angle.
        let blotchRows = 8
        let blotchColumns = 32
        var blotches = [Double](repeating: 0, count: blotchRows * blotchColumns)
        for index in blotches.indices { blotches[index] = random.unit() * 2 - 1 }

        for row in 0..<rows {
            let rho = Double(row) / Double(rows - 1)
            for column in 0..<columns {
                let theta = Double(column) / Double(columns) * 2 * .pi
                var value = 0.0
                for layer in 0..<layerCount {
                    let drift = layerDrift[layer]
                    let shift = drift.amplitude * sin(2 * .pi * drift.frequency * rho + drift.phase)
                    var index = (column + Int(shift.rounded())) % columns
                    if index < 0 { index += columns }
                    // Fine fibres fade towards the pupil edge and at the limbus.
                    let envelope = layer == 0 ? 1.0 : (0.4 + 0.6 * sin(.pi * min(1, rho * 1.1)))
                    value += drift.weight * envelope * Double(layers[layer][index])
                }
                let ridgeCentre = collaretteRadius + collaretteWobble.a * sin(collaretteWobble.k * theta + collaretteWobble.p)
                let ridgeDistance = (rho - ridgeCentre) / 0.035
                value += 0.55 * exp(-ridgeDistance * ridgeDistance)
                if rho < ridgeCentre { value += pupillaryZoneShift }
                // Blotches.
                let by = rho * Double(blotchRows - 1)
                let bx = theta / (2 * .pi) * Double(blotchColumns)
                let y0 = min(Int(by), blotchRows - 2)
                let x0 = Int(bx) % blotchColumns
                let x1 = (x0 + 1) % blotchColumns
                let fy = by - Double(y0)
                let fx = bx - floor(bx)
                let top = blotches[y0 * blotchColumns + x0] * (1 - fx) + blotches[y0 * blotchColumns + x1] * fx
                let bottom = blotches[(y0 + 1) * blotchColumns + x0] * (1 - fx) + blotches[(y0 + 1) * blotchColumns + x1] * fx
                value += 0.18 * (top * (1 - fy) + bottom * fy)
                // Limbal ring: the iris darkens just inside the limbus.
                let limbal = max(0, (rho - 0.82) / 0.18)
                value -= 0.35 * limbal * limbal
                texture[row * columns + column] = Float(value)
            }
        }

        // Crypts: dark lacunae near the collarette and in the ciliary zone.
        let cryptCount = 10 + Int(random.unit() * 18)
        for _ in 0..<cryptCount {
            let rho0 = collaretteRadius - 0.04 + random.unit() * (0.85 - collaretteRadius)
            let theta0 = random.unit() * 2 * .pi
            let sizeRho = 0.025 + 0.05 * random.unit()
            let sizeTheta = 0.03 + 0.09 * random.unit()
            let depth = 0.5 + 0.6 * random.unit()
            addBlob(&texture, rho: rho0, theta: theta0, sizeRho: sizeRho, sizeTheta: sizeTheta, amount: -depth)
        }
        // Furrows: thin concentric contraction arcs in the outer iris.
        let furrowCount = 3 + Int(random.unit() * 4)
        for _ in 0..<furrowCount {
            let rho0 = 0.58 + 0.34 * random.unit()
            let start = random.unit() * 2 * .pi
            let span = 0.5 + 1.6 * random.unit()
            var theta = start
            while theta < start + span {
                addBlob(&texture, rho: rho0 + 0.01 * sin(theta * 7), theta: theta, sizeRho: 0.014, sizeTheta: 0.05, amount: -0.35)
                theta += 0.03
            }
        }
        return texture
    }

    private static func addBlob(_ texture: inout [Float], rho: Double, theta: Double, sizeRho: Double, sizeTheta: Double, amount: Double) {
        let rows = radialSamples
        let columns = angularSamples
        let rowLow = max(0, Int(((rho - 2.5 * sizeRho) * Double(rows - 1)).rounded(.down)))
        let rowHigh = min(rows - 1, Int(((rho + 2.5 * sizeRho) * Double(rows - 1)).rounded(.up)))
        guard rowLow <= rowHigh else { return }
        let columnSpan = Int((2.5 * sizeTheta / (2 * .pi) * Double(columns)).rounded(.up))
        let centreColumn = Int((theta / (2 * .pi) * Double(columns)).rounded())
        for row in rowLow...rowHigh {
            let dr = (Double(row) / Double(rows - 1) - rho) / sizeRho
            for offset in -columnSpan...columnSpan {
                let dt = Double(offset) / Double(columns) * 2 * .pi / sizeTheta
                let weight = exp(-(dr * dr + dt * dt))
                var column = (centreColumn + offset) % columns
                if column < 0 { column += columns }
                texture[row * columns + column] += Float(amount * weight)
            }
        }
    }

    /// Texture at normalised radius `rho` (0 pupil edge … 1 limbus) and angle `theta` (radians).
    @inline(__always)
    func textureValue(rho: Double, theta: Double) -> Double {
        let rows = IrisAnatomy.radialSamples
        let columns = IrisAnatomy.angularSamples
        let ry = min(max(rho, 0), 1) * Double(rows - 1)
        var ax = theta * (Double(columns) / (2 * .pi))
        if ax < 0 { ax += Double(columns) }
        let y0 = min(Int(ry), rows - 2)
        let fy = ry - Double(y0)
        let x0Raw = Int(ax)
        let fx = ax - Double(x0Raw)
        let x0 = x0Raw % columns
        let x1 = (x0 + 1) % columns
        return texture.withUnsafeBufferPointer { t in
            let a = Double(t[y0 * columns + x0]) * (1 - fx) + Double(t[y0 * columns + x1]) * fx
            let b = Double(t[(y0 + 1) * columns + x0]) * (1 - fx) + Double(t[(y0 + 1) * columns + x1]) * fx
            return a * (1 - fy) + b * fy
        }
    }
}
