import Foundation

/// Daugman's integro-differential operator: the circle (x0, y0, r) that maximises the smoothed
/// radial derivative of the mean grey level along the circle (or along chosen arcs of it).
enum IntegroDifferential {
    struct Candidate: Sendable {
        var centerX: Double
        var centerY: Double
        var radius: Double
        /// Smoothed derivative at the best radius, grey levels per pixel of radius.
        var strength: Double
    }

    /// Unit direction vectors for the given angle ranges (degrees, image coordinates: 0° = +x,
    /// 90° = +y, i.e. downwards), `count` directions spread over the ranges in proportion.
    static func directions(ranges: [ClosedRange<Double>], count: Int) -> [(Double, Double)] {
        let total = ranges.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) }
        guard total > 0, count > 0 else { return [] }
        var result: [(Double, Double)] = []
        for range in ranges {
            let share = max(1, Int((Double(count) * (range.upperBound - range.lowerBound) / total).rounded()))
            for index in 0..<share {
                let degrees = range.lowerBound + (Double(index) + 0.5) * (range.upperBound - range.lowerBound) / Double(share)
                let radians = degrees * .pi / 180
                result.append((cos(radians), sin(radians)))
            }
        }
        return result
    }

    /// Mean grey level on each circle; NaN where fewer than 60 % of the samples fall inside the
    /// image or outside `excluded` (a mask plane, 1 = excluded, optional).
    static func ringMeans(_ plane: FloatPlane, centerX: Double, centerY: Double, radii: [Double],
                          directions: [(Double, Double)]) -> [Double] {
        var means = [Double](repeating: .nan, count: radii.count)
        let needed = Int(Double(directions.count) * 0.6)
        let maxX = Double(plane.width - 1)
        let maxY = Double(plane.height - 1)
        let width = plane.width
        plane.values.withUnsafeBufferPointer { pixels in
            for (index, radius) in radii.enumerated() {
                var sum: Float = 0
                var count = 0
                for (dx, dy) in directions {
                    let x = centerX + radius * dx
                    let y = centerY + radius * dy
                    guard x >= 0, y >= 0, x < maxX, y < maxY else { continue }
                    let x0 = Int(x)
                    let y0 = Int(y)
                    let fx = Float(x - Double(x0))
                    let fy = Float(y - Double(y0))
                    let base = y0 * width + x0
                    let top = pixels[base] + (pixels[base + 1] - pixels[base]) * fx
                    let bottom = pixels[base + width] + (pixels[base + width + 1] - pixels[base + width]) * fx
                    sum += top + (bottom - top) * fy
                    count += 1
                }
                if count >= max(needed, 1) { means[index] = Double(sum) / Double(count) }
            }
        }
        return means
    }

    /// Searches centres × radii. `sign` +1 finds dark-inside/bright-outside edges. The derivative
    /// at radius index i is (M[i+span] − M[i−span]) / (2·span·step), smoothed with [1 2 1]/4.
    /// With several direction groups (e.g. the left and right arcs of the limbus) the edge must
    /// appear in every group: the candidate's strength is the weakest group's derivative, so a
    /// shifted circle that meets a strong edge on one side only cannot win. `enclosing` rejects
    /// circles that do not contain that inner circle.
    static func search(_ plane: FloatPlane, centersX: [Double], centersY: [Double], radii: ClosedRange<Double>,
                       radiusStep: Double, span: Int, directionGroups: [[(Double, Double)]], sign: Double,
                       enclosing inner: (x: Double, y: Double, radius: Double)? = nil) -> Candidate? {
        guard radii.upperBound > radii.lowerBound, radiusStep > 0, span >= 1, !directionGroups.isEmpty else { return nil }
        let padding = Double(span + 1) * radiusStep
        var sampled: [Double] = []
        var radius = max(0.5, radii.lowerBound - padding)
        while radius <= radii.upperBound + padding + 1e-9 {
            sampled.append(radius)
            radius += radiusStep
        }
        guard sampled.count > 2 * span + 2 else { return nil }
        var best: Candidate?
        var combined = [Double](repeating: .infinity, count: sampled.count)
        var derivative = [Double](repeating: .nan, count: sampled.count)
        for cy in centersY {
            for cx in centersX {
                for index in combined.indices { combined[index] = .infinity }
                // The limbus must contain the pupil with a margin: a circle that borrows the
                // pupil's edge on one side is not an iris.
                var smallestAllowed = 0.0
                if let inner {
                    let dx = cx - inner.x
                    let dy = cy - inner.y
                    smallestAllowed = (dx * dx + dy * dy).squareRoot() + inner.radius
                }
                for directions in directionGroups {
                    let means = ringMeans(plane, centerX: cx, centerY: cy, radii: sampled, directions: directions)
                    for index in 0..<sampled.count {
                        if index >= span, index + span < sampled.count {
                            derivative[index] = sign * (means[index + span] - means[index - span]) / (2 * Double(span) * radiusStep)
                        } else {
                            derivative[index] = .nan
                        }
                    }
                    for index in 1..<(sampled.count - 1) {
                        let a = derivative[index - 1]
                        let b = derivative[index]
                        let c = derivative[index + 1]
                        let smoothed = (a.isNaN || b.isNaN || c.isNaN) ? -Double.infinity : 0.25 * a + 0.5 * b + 0.25 * c
                        combined[index] = min(combined[index], smoothed)
                    }
                }
                for index in 1..<(sampled.count - 1) {
                    let r = sampled[index]
                    guard r >= radii.lowerBound - 1e-9, r <= radii.upperBound + 1e-9, r >= smallestAllowed, combined[index].isFinite else { continue }
                    if combined[index] > (best?.strength ?? -.infinity) {
                        best = Candidate(centerX: cx, centerY: cy, radius: r, strength: combined[index])
                    }
                }
            }
        }
        return best
    }

    /// Values `center - reach ... center + reach` in steps of `step`.
    static func grid(around center: Double, reach: Double, step: Double) -> [Double] {
        guard step > 0 else { return [center] }
        let count = Int((reach / step).rounded(.down))
        return (-count...count).map { center + Double($0) * step }
    }
}
