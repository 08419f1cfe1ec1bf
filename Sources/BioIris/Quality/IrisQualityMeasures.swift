import BioCapture
import Foundation

/// The ISO/IEC 29794-6 iris quality measures (plus motion blur, which BIQT does not implement).
/// Formulas follow the facts file `iris-and-face-quality.md` part A2, with BIQT's known
/// deviations corrected as described there.
public enum IrisMeasures {
    /// 9 × 9 zero-sum band-pass kernel of the sharpness measure (6.2.10).
    static let sharpnessKernel: [Int] = [
        0, 1, 1, 2, 2, 2, 1, 1, 0,
        1, 2, 4, 5, 5, 5, 4, 2, 1,
        1, 4, 5, 3, 0, 3, 5, 4, 1,
        2, 5, 3, -12, -24, -12, 3, 5, 2,
        2, 5, 0, -24, -40, -24, 0, 5, 2,
        2, 5, 3, -12, -24, -12, 3, 5, 2,
        1, 4, 5, 3, 0, 3, 5, 4, 1,
        1, 2, 4, 5, 5, 5, 4, 2, 1,
        0, 1, 1, 2, 2, 2, 1, 1, 0,
    ]

    /// Sharpness (6.2.10): the kernel's response at every 4th row and column (centres at least
    /// 4 px from the border), power = Σ response² / (W·H), value = 100·power² / (power² + c²),
    /// c = 180 000. Each response is squared (BIQT squares row sums instead).
    public static func sharpness(_ image: GrayImage) -> Double {
        let width = image.width
        let height = image.height
        guard width >= 9, height >= 9 else { return 0 }
        var total = 0.0
        image.pixels.withUnsafeBufferPointer { pixels in
            sharpnessKernel.withUnsafeBufferPointer { kernel in
                var y = 4
                while y <= height - 5 {
                    var x = 4
                    while x <= width - 5 {
                        var response = 0
                        for ky in 0..<9 {
                            let row = (y + ky - 4) * width + x - 4
                            let kernelRow = ky * 9
                            for kx in 0..<9 {
                                response += kernel[kernelRow + kx] * Int(pixels[row + kx])
                            }
                        }
                        total += Double(response) * Double(response)
                        x += 4
                    }
                    y += 4
                }
            }
        }
        let power = total / Double(width * height)
        let c = 180_000.0
        return 100 * power * power / (power * power + c * c)
    }

    /// Grey-scale utilisation (6.2.5): Shannon entropy of the whole image's histogram, in bits.
    public static func greyScaleEntropy(_ image: GrayImage) -> Double {
        var histogram = [Int](repeating: 0, count: 256)
        for value in image.pixels { histogram[Int(value)] += 1 }
        let total = Double(image.pixels.count)
        var entropy = 0.0
        for count in histogram where count > 0 {
            let p = Double(count) / total
            entropy -= p * log2(p)
        }
        return entropy
    }

    /// Pupil boundary circularity (6.2.4) from normalised boundary radii (0 = invalid):
    /// c_k = Σ_θ r_θ e^(−2πikθ/N) over the N valid samples; value = max(0, 100 − Σ_{k=1}^{16} |c_k|² / N).
    public static func pupilCircularity(normalisedRadii: [Double]) -> Double {
        let valid = normalisedRadii.filter { $0 > 0 && $0.isFinite }
        let n = valid.count
        guard n > 0 else { return 0 }
        var sum = 0.0
        for k in 1..<17 {
            var real = 0.0
            var imaginary = 0.0
            for (index, radius) in valid.enumerated() {
                let angle = -2 * Double.pi * Double(k) * Double(index) / Double(n)
                real += radius * cos(angle)
                imaginary += radius * sin(angle)
            }
            sum += real * real + imaginary * imaginary
        }
        return max(0, 100 - sum / Double(n))
    }

    /// Iris–pupil concentricity (6.2.8): 100·(1 − centre distance / R), floored at 0.
    public static func concentricity(pupil: IrisCircle, iris: IrisCircle) -> Double {
        guard iris.radius > 0 else { return 0 }
        return max(0, 100 * (1 - pupil.centerDistance(to: iris) / iris.radius))
    }

    /// Margin adequacy (6.2.9), the intended formula (distance from the iris edge to the frame
    /// edge): left (xi − R)/(0.6R), right (W − xi − R)/(0.6R), top (yi − R)/(0.2R), bottom
    /// (H − yi − R)/(0.2R), each floored at 0; value = 100·min, capped at 100.
    public static func marginAdequacy(iris: IrisCircle, width: Int, height: Int) -> Double {
        let r = iris.radius
        guard r > 0 else { return 0 }
        let left = max(0, (iris.centerX - r) / (0.6 * r))
        let right = max(0, (Double(width) - iris.centerX - r) / (0.6 * r))
        let top = max(0, (iris.centerY - r) / (0.2 * r))
        let bottom = max(0, (Double(height) - iris.centerY - r) / (0.2 * r))
        return min(100, 100 * min(left, right, top, bottom))
    }

    /// Medians of the pupil (inside 0.8 r), the iris ring ((r+R)/2 … 0.9 R), the iris just
    /// outside the pupil (r+2 … r + 0.25(R−r)) and the sclera (1.1 R … 1.2 R), skipping
    /// occluded pixels. Medians take the upper middle value for even counts.
    struct RegionMedians {
        var pupil: Double?
        var iris: Double?
        var irisNearPupil: Double?
        var sclera: Double?
    }

    static func regionMedians(_ image: GrayImage, segmentation: IrisSegmentation) -> RegionMedians {
        let pupil = segmentation.pupil
        let iris = segmentation.iris
        var pupilHistogram = [Int](repeating: 0, count: 256)
        var irisHistogram = [Int](repeating: 0, count: 256)
        var nearHistogram = [Int](repeating: 0, count: 256)
        var scleraHistogram = [Int](repeating: 0, count: 256)
        let reach = iris.radius * 1.2 + 1
        let x0 = max(0, Int((iris.centerX - reach).rounded(.down)))
        let x1 = min(image.width - 1, Int((iris.centerX + reach).rounded(.up)))
        let y0 = max(0, Int((iris.centerY - reach).rounded(.down)))
        let y1 = min(image.height - 1, Int((iris.centerY + reach).rounded(.up)))
        let occlusion = segmentation.occlusion
        let sameSize = occlusion.width == image.width && occlusion.height == image.height
        if x0 <= x1, y0 <= y1 {
            let pupilInner = pow(0.8 * pupil.radius, 2)
            let irisLow = pow((pupil.radius + iris.radius) / 2, 2)
            let irisHigh = pow(0.9 * iris.radius, 2)
            let nearLow = pow(pupil.radius + 2, 2)
            let nearHigh = pow(pupil.radius + 0.25 * (iris.radius - pupil.radius), 2)
            let scleraLow = pow(1.1 * iris.radius, 2)
            let scleraHigh = pow(1.2 * iris.radius, 2)
            for y in y0...y1 {
                for x in x0...x1 {
                    let index = y * image.width + x
                    if sameSize, occlusion.flags[index] != 0 { continue }
                    let value = Int(image.pixels[index])
                    let pdx = Double(x) - pupil.centerX
                    let pdy = Double(y) - pupil.centerY
                    let pupilDistance = pdx * pdx + pdy * pdy
                    let idx = Double(x) - iris.centerX
                    let idy = Double(y) - iris.centerY
                    let irisDistance = idx * idx + idy * idy
                    if pupilDistance < pupilInner { pupilHistogram[value] += 1 }
                    if irisDistance >= irisLow, irisDistance <= irisHigh, pupilDistance > pupil.radius * pupil.radius { irisHistogram[value] += 1 }
                    if pupilDistance >= nearLow, pupilDistance <= nearHigh, irisDistance < iris.radius * iris.radius { nearHistogram[value] += 1 }
                    if irisDistance >= scleraLow, irisDistance <= scleraHigh { scleraHistogram[value] += 1 }
                }
            }
        }
        func median(_ histogram: [Int]) -> Double? {
            let total = histogram.reduce(0, +)
            guard total > 0 else { return nil }
            var cumulative = 0
            for level in 0..<256 {
                cumulative += histogram[level]
                if cumulative * 2 > total { return Double(level) }
            }
            return 255
        }
        return RegionMedians(pupil: median(pupilHistogram), iris: median(irisHistogram),
                             irisNearPupil: median(nearHistogram), sclera: median(scleraHistogram))
    }

    /// Iris–sclera contrast (6.2.2): 100·(S − I)/(S + I − 2P); 0 if the denominator ≤ 0; floored at 0.
    public static func irisScleraContrast(pupil: Double, iris: Double, sclera: Double) -> Double {
        let denominator = sclera + iris - 2 * pupil
        guard denominator > 0 else { return 0 }
        return max(0, 100 * (sclera - iris) / denominator)
    }

    /// Iris–pupil contrast (6.2.3): Weber ratio w = (I − P)/(20 + P); value = 100·w/(0.75 + w), floored at 0.
    public static func irisPupilContrast(pupil: Double, iris: Double) -> Double {
        let weber = (iris - pupil) / (20 + pupil)
        guard weber > 0 else { return 0 }
        return 100 * weber / (0.75 + weber)
    }

    /// Motion blur (29794-6 names it, BIQT does not implement it): directional anisotropy of
    /// the pupil boundary's edge strength. A straight smear along direction d softens the edge
    /// where the boundary's normal is parallel to d and leaves it sharp where the normal is
    /// perpendicular, while defocus softens it everywhere alike. The strongest radial step
    /// (over ±1 px) near the boundary is measured at 128 angles, skipping occluded points; the
    /// angles are pooled into four orientation bins (0°, 45°, 90°, 135°, opposite sides together)
    /// and the value is 100·(1 − weakest bin / strongest bin).
    public static func motionBlur(_ image: GrayImage, segmentation: IrisSegmentation) -> Double {
        let pupil = segmentation.pupil
        let occlusion = segmentation.occlusion
        guard pupil.radius > 3, occlusion.width == image.width, occlusion.height == image.height else { return 0 }
        let width = image.width
        let height = image.height
        // Bilinear grey level, nil outside the frame.
        func sample(_ x: Double, _ y: Double) -> Double? {
            guard x >= 0, y >= 0, x < Double(width - 1), y < Double(height - 1) else { return nil }
            let x0 = Int(x)
            let y0 = Int(y)
            let fx = x - Double(x0)
            let fy = y - Double(y0)
            let base = y0 * width + x0
            let p = image.pixels
            let top = Double(p[base]) * (1 - fx) + Double(p[base + 1]) * fx
            let bottom = Double(p[base + width]) * (1 - fx) + Double(p[base + width + 1]) * fx
            return top * (1 - fy) + bottom * fy
        }
        var binTotals = [0.0, 0.0, 0.0, 0.0]
        var binCounts = [0, 0, 0, 0]
        for index in 0..<128 {
            let angle = Double(index) / 128 * 2 * .pi
            let c = cos(angle)
            let s = sin(angle)
            let bx = Int((pupil.centerX + c * pupil.radius).rounded())
            let by = Int((pupil.centerY + s * pupil.radius).rounded())
            var blocked = false
            for dy in -3...3 {
                for dx in -3...3 where !occlusion[bx + dx, by + dy].isEmpty { blocked = true }
            }
            if blocked { continue }
            var strongest = 0.0
            var radius = pupil.radius - 4
            while radius <= pupil.radius + 4 {
                if let inner = sample(pupil.centerX + c * (radius - 1), pupil.centerY + s * (radius - 1)),
                   let outer = sample(pupil.centerX + c * (radius + 1), pupil.centerY + s * (radius + 1)) {
                    strongest = max(strongest, (outer - inner) / 2)
                }
                radius += 0.5
            }
            // Orientation of the boundary normal, folded to 0…180°, in four 45° bins.
            var degrees = angle * 180 / .pi
            if degrees >= 180 { degrees -= 180 }
            let bin = Int(((degrees + 22.5) / 45).rounded(.down)) % 4
            binTotals[bin] += strongest
            binCounts[bin] += 1
        }
        var means: [Double] = []
        for bin in 0..<4 where binCounts[bin] >= 3 { means.append(binTotals[bin] / Double(binCounts[bin])) }
        guard means.count >= 3, let largest = means.max(), let smallest = means.min(), largest > 0 else { return 0 }
        return 100 * (1 - smallest / largest)
    }

    /// Off-axis gaze estimate in degrees (29794-6 names gaze angle; BIQT has none): a circular
    /// boundary seen at angle α projects to an ellipse with axis ratio ≈ cos α. Uses the limbus
    /// ellipse when it was fitted (the limbus is nearly circular), otherwise the pupil's, which
    /// also carries the pupil's own ovality; 0 when neither was fitted.
    public static func gazeAngle(_ segmentation: IrisSegmentation) -> Double {
        guard let ratio = segmentation.limbusAxisRatio ?? segmentation.pupilAxisRatio, ratio > 0 else { return 0 }
        return acos(min(1, ratio)) * 180 / .pi
    }
}
