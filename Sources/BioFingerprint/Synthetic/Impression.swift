import BioCapture
import Foundation

extension SyntheticFingerprintGenerator {
    /// One capture of a master under the given conditions, same size as the master.
    ///
    /// Each output pixel is mapped back into the master (rotation and offset about the image
    /// centre, plus a smooth elastic displacement), the ridge value and finger outline are
    /// sampled there, and the skin/sensor model turns them into a grey level: pressure sets the
    /// contact area and ridge thickness, dryness thins and breaks ridges and lightens them,
    /// wetness thickens and merges them and darkens patches, then sensor noise is added.
    public func impression(of master: MasterFingerprint, conditions requested: ImpressionConditions) -> GrayImage {
        let conditions = requested.sanitized
        let width = master.width
        let height = master.height
        var random = SeededRandom(seed: SeedMixer.mix(conditions.seed, master.identitySeed, 0x1335))
        let pressure = min(1, max(0, conditions.pressure))
        let moisture = min(1, max(-1, conditions.moisture))
        let dryness = max(0, -moisture)
        let wetness = max(0, moisture)

        let distortionX = ValueNoise(width: width, height: height, cell: 90, random: &random)
        let distortionY = ValueNoise(width: width, height: height, cell: 90, random: &random)
        let breaks = ValueNoise(width: width, height: height, cell: 7, random: &random)
        let breaksCoarse = ValueNoise(width: width, height: height, cell: 40, random: &random)
        let wetPatches = ValueNoise(width: width, height: height, cell: 28, random: &random)
        let inkVariation = ValueNoise(width: width, height: height, cell: 18, random: &random)

        let angle = conditions.rotationDegrees * .pi / 180
        let cosine = cos(angle)
        let sine = sin(angle)
        let centreX = Double(width) / 2
        let centreY = Double(height) / 2
        let distortionAmplitude = 2 * max(0, conditions.distortion)

        // Skin and sensor model constants (grey levels are for an optical, light-background sensor).
        let contactRadius = Float(0.80 + 0.25 * pressure)
        let ridgeThreshold = Float(0.1 - 0.5 * (pressure - 0.55) + 0.45 * dryness - 0.5 * wetness)
        let background = min(255, max(0, conditions.background))
        let valleyLevel = background - 12 - 35 * wetness
        let ridgeLevel = 30 + 130 * max(0, 0.55 - pressure) / 0.55 + 90 * dryness - 15 * wetness
        let breakShare = 0.75 * dryness
        let noise = max(0, conditions.noise)

        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            let qy = Double(y) - centreY - conditions.offsetY
            for x in 0..<width {
                let qx = Double(x) - centreX - conditions.offsetX
                // Inverse rotation takes the output pixel back to the master frame.
                var mx = centreX + cosine * qx + sine * qy
                var my = centreY - sine * qx + cosine * qy
                if distortionAmplitude > 0 {
                    mx += distortionAmplitude * (distortionX.sample(x: x, y: y) - 0.5)
                    my += distortionAmplitude * (distortionY.sample(x: x, y: y) - 0.5)
                }
                var grey = background
                if let (ridge, radius) = master.sample(x: mx, y: my), radius < contactRadius + 0.04 {
                    // Contact fades out towards the master's edge (the finger base leaving the
                    // frame) instead of ending in a straight cut when the finger is rotated.
                    let edge = min(min(mx, my), min(Double(width - 1) - mx, Double(height - 1) - my))
                    let contact = Double(smoothStep(contactRadius + 0.04, contactRadius - 0.04, radius))
                        * Double(smoothStep(0, 24, Float(edge)))
                    var ink = Double(smoothStep(ridgeThreshold - 0.3, ridgeThreshold + 0.3, ridge))
                    if breakShare > 0 {
                        // Dry skin: fine-grained gaps along the ridges, clustered in patches.
                        let gap = 0.6 * breaks.sample(x: x, y: y) + 0.4 * breaksCoarse.sample(x: x, y: y)
                        ink *= Double(smoothStep(Float(breakShare - 0.08), Float(breakShare + 0.08), Float(gap)))
                    }
                    if wetness > 0 {
                        // Wet skin: water fills valleys in patches, merging neighbouring ridges.
                        let patch = wetPatches.sample(x: x, y: y)
                        let fill = Double(smoothStep(Float(1 - 0.9 * wetness), Float(1.15 - 0.9 * wetness), Float(patch)))
                        ink = max(ink, fill * (0.55 + 0.4 * wetness))
                    }
                    // Uneven skin contact: ridges are not equally dark everywhere.
                    let localRidge = ridgeLevel + 36 * (inkVariation.sample(x: x, y: y) - 0.5)
                    grey = background + contact * ((valleyLevel - background) + ink * (localRidge - valleyLevel))
                }
                if noise > 0 { grey += noise * random.fastGaussian() }
                pixels[y * width + x] = UInt8(min(255, max(0, grey)).rounded())
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels) ?? GrayImage(width: width, height: height)
    }

    /// Convenience: the impression of an identity's finger for one attempt with natural
    /// variation (`ImpressionConditions.natural`), optionally adjusted. Callers that capture
    /// the same finger repeatedly should keep the master and call `impression(of:conditions:)`.
    public func capture(
        identity seed: UInt64, finger: FingerPosition, attempt: Int,
        adjust: (inout ImpressionConditions) -> Void = { _ in }
    ) -> SyntheticFingerprintCapture {
        let master = master(identity: seed, finger: finger)
        var conditions = ImpressionConditions.natural(seed: SeedMixer.mix(seed, UInt64(finger.rawValue)), attempt: attempt)
        adjust(&conditions)
        return SyntheticFingerprintCapture(
            image: impression(of: master, conditions: conditions), master: master, conditions: conditions)
    }
}

/// One synthetic capture with what produced it.
public struct SyntheticFingerprintCapture: Sendable {
    public var image: GrayImage
    public var master: MasterFingerprint
    public var conditions: ImpressionConditions
}

extension MasterFingerprint {
    /// Bilinear sample of (ridge value, outline radius); nil outside the master.
    func sample(x: Double, y: Double) -> (Float, Float)? {
        guard x >= 0, y >= 0, x <= Double(width - 1), y <= Double(height - 1) else { return nil }
        let x0 = min(Int(x), width - 2)
        let y0 = min(Int(y), height - 2)
        let fx = Float(x - Double(x0))
        let fy = Float(y - Double(y0))
        let index = y0 * width + x0
        func lerp(_ field: [Float]) -> Float {
            let top = field[index] + (field[index + 1] - field[index]) * fx
            let bottom = field[index + width] + (field[index + width + 1] - field[index + width]) * fx
            return top + (bottom - top) * fy
        }
        return (lerp(ridges), lerp(outline))
    }
}

/// Hermite step from 0 at `edge0` to 1 at `edge1` (edges may be reversed).
@inline(__always)
func smoothStep(_ edge0: Float, _ edge1: Float, _ value: Float) -> Float {
    let t = min(1, max(0, (value - edge0) / (edge1 - edge0)))
    return t * t * (3 - 2 * t)
}

/// Smooth random field in [0, 1]: random values on a grid of `cell`-px cells, interpolated with
/// a smooth step. Cheap enough to evaluate per pixel.
struct ValueNoise {
    let cell: Double
    let columns: Int
    let values: [Double]

    init(width: Int, height: Int, cell: Double, random: inout SeededRandom) {
        self.cell = cell
        columns = Int(Double(width) / cell) + 2
        let rows = Int(Double(height) / cell) + 2
        values = (0..<(columns * rows)).map { _ in random.unit() }
    }

    func sample(x: Int, y: Int) -> Double {
        let gx = Double(x) / cell
        let gy = Double(y) / cell
        let ix = Int(gx)
        let iy = Int(gy)
        var fx = gx - Double(ix)
        var fy = gy - Double(iy)
        fx = fx * fx * (3 - 2 * fx)
        fy = fy * fy * (3 - 2 * fy)
        let index = iy * columns + ix
        let top = values[index] + (values[index + 1] - values[index]) * fx
        let bottom = values[index + columns] + (values[index + columns + 1] - values[index + columns]) * fx
        return top + (bottom - top) * fy
    }
}

extension SeededRandom {
    /// An approximately normal value (sum of four uniforms, scaled to unit variance): much
    /// cheaper than Box–Muller and good enough for sensor noise.
    mutating func fastGaussian() -> Double {
        let value = next()
        var sum = 0.0
        for shift in stride(from: 0, to: 64, by: 16) {
            sum += Double((value >> UInt64(shift)) & 0xFFFF) / 65535.0
        }
        return (sum - 2) * 1.7320508
    }
}
