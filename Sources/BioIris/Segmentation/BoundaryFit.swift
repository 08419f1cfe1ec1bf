import Foundation

/// Sub-pixel boundary points and a least-squares ellipse through them.
///
/// The integro-differential operator finds the best *circle*; real pupils are slightly oval and
/// off-axis gaze makes both boundaries elliptical, and a circle matched to part of an ellipse
/// has a biased centre. Fitting an ellipse to edge points and reporting its centre and mean
/// semi-axis removes that bias.
enum BoundaryFit {
    struct Ellipse {
        var centerX: Double
        var centerY: Double
        var semiAxisA: Double
        var semiAxisB: Double
        /// Centred quadratic form (scaled coordinates): uᵀ M u = level on the ellipse.
        fileprivate var m11: Double
        fileprivate var m12: Double
        fileprivate var m22: Double
        fileprivate var level: Double
        fileprivate var scale: Double
        /// Root-mean-square radial distance of the kept edge points from the ellipse, pixels.
        var residualRMS: Double = 0
        var meanRadius: Double { (semiAxisA + semiAxisB) / 2 }

        /// The ellipse's radius along the direction (dx, dy) from its centre, pixels.
        func radius(towardsX dx: Double, y dy: Double) -> Double {
            let length = (dx * dx + dy * dy).squareRoot()
            guard length > 0 else { return meanRadius }
            let nx = dx / length
            let ny = dy / length
            let form = m11 * nx * nx + 2 * m12 * nx * ny + m22 * ny * ny
            guard form > 0 else { return meanRadius }
            return (level / form).squareRoot() * scale
        }
    }

    /// For each direction, the radius of the strongest outward dark-to-bright step in
    /// `radii` (sub-pixel by a parabola through the peak and its neighbours). Points whose step
    /// is below `minimumStep` are dropped.
    static func edgePoints(_ plane: FloatPlane, centerX: Double, centerY: Double, directions: [(Double, Double)],
                           radii: ClosedRange<Double>, step: Double = 0.5, span: Double = 1.5, minimumStep: Float) -> [(Double, Double)] {
        var points: [(Double, Double)] = []
        let count = Int(((radii.upperBound - radii.lowerBound) / step).rounded(.down)) + 1
        guard count >= 3 else { return points }
        var profile = [Float](repeating: -.infinity, count: count)
        for (dx, dy) in directions {
            for index in 0..<count {
                let radius = radii.lowerBound + Double(index) * step
                if let inner = plane.sample(centerX + dx * (radius - span), centerY + dy * (radius - span)),
                   let outer = plane.sample(centerX + dx * (radius + span), centerY + dy * (radius + span)) {
                    profile[index] = outer - inner
                } else {
                    profile[index] = -.infinity
                }
            }
            var best = 0
            for index in 1..<count where profile[index] > profile[best] { best = index }
            guard profile[best] >= minimumStep, best > 0, best < count - 1 else { continue }
            let left = Double(profile[best - 1])
            let middle = Double(profile[best])
            let right = Double(profile[best + 1])
            let curvature = left - 2 * middle + right
            let offset = curvature < 0 ? max(-0.5, min(0.5, 0.5 * (left - right) / curvature)) : 0
            let radius = radii.lowerBound + (Double(best) + offset) * step
            points.append((centerX + dx * radius, centerY + dy * radius))
        }
        return points
    }

    /// Least-squares conic `A x² + B xy + C y² + D x + E y = 1` in coordinates relative to
    /// (`originX`, `originY`), which must lie inside the ellipse; one pass drops points whose
    /// radial residual exceeds max(1.5 px, 3 × the median residual), then refits.
    static func ellipse(through points: [(Double, Double)], originX: Double, originY: Double) -> Ellipse? {
        guard points.count >= 12 else { return nil }
        guard var fitted = solve(points, originX: originX, originY: originY) else { return nil }
        var residuals: [Double] = []
        for point in points { residuals.append(radialResidual(point, fitted)) }
        let median = residuals.sorted()[residuals.count / 2]
        let limit = max(1.5, 3 * median)
        var kept = zip(points, residuals).filter { $0.1 <= limit }.map(\.0)
        if kept.count >= 12, kept.count < points.count, let refitted = solve(kept, originX: originX, originY: originY) {
            fitted = refitted
        } else {
            kept = points
        }
        var sumSquares = 0.0
        for point in kept {
            let residual = radialResidual(point, fitted)
            sumSquares += residual * residual
        }
        fitted.residualRMS = (sumSquares / Double(kept.count)).squareRoot()
        return fitted
    }

    private static func radialResidual(_ point: (Double, Double), _ ellipse: Ellipse) -> Double {
        let dx = point.0 - ellipse.centerX
        let dy = point.1 - ellipse.centerY
        return abs((dx * dx + dy * dy).squareRoot() - ellipse.radius(towardsX: dx, y: dy))
    }

    private static func solve(_ points: [(Double, Double)], originX: Double, originY: Double) -> Ellipse? {
        // Normal equations of the 5-parameter linear least-squares problem.
        var normal = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 5)
        let scale = 100.0 // keeps the x² terms near 1 for numerical balance
        for (px, py) in points {
            let x = (px - originX) / scale
            let y = (py - originY) / scale
            let row = [x * x, x * y, y * y, x, y]
            for i in 0..<5 {
                for j in 0..<5 { normal[i][j] += row[i] * row[j] }
                normal[i][5] += row[i]
            }
        }
        // Gaussian elimination with partial pivoting.
        for column in 0..<5 {
            var pivot = column
            for row in (column + 1)..<5 where abs(normal[row][column]) > abs(normal[pivot][column]) { pivot = row }
            guard abs(normal[pivot][column]) > 1e-12 else { return nil }
            if pivot != column { normal.swapAt(pivot, column) }
            for row in 0..<5 where row != column {
                let factor = normal[row][column] / normal[column][column]
                if factor == 0 { continue }
                for k in column..<6 { normal[row][k] -= factor * normal[column][k] }
            }
        }
        let a = normal[0][5] / normal[0][0]
        let b = normal[1][5] / normal[1][1]
        let c = normal[2][5] / normal[2][2]
        let d = normal[3][5] / normal[3][3]
        let e = normal[4][5] / normal[4][4]
        // Ellipse only: 4AC − B² > 0.
        let determinant = 4 * a * c - b * b
        guard determinant > 1e-12, a > 0, c > 0 else { return nil }
        let x0 = (b * e - 2 * c * d) / determinant
        let y0 = (b * d - 2 * a * e) / determinant
        // Centred form: uᵀ M u = 1 − (D x0 + E y0)/2, M = [[A, B/2], [B/2, C]].
        let level = 1 - (d * x0 + e * y0) / 2
        guard level > 0 else { return nil }
        let trace = a + c
        let root = ((a - c) * (a - c) + b * b).squareRoot()
        let lambda1 = (trace + root) / 2
        let lambda2 = (trace - root) / 2
        guard lambda1 > 0, lambda2 > 0 else { return nil }
        let axis1 = (level / lambda1).squareRoot() * scale
        let axis2 = (level / lambda2).squareRoot() * scale
        guard axis1.isFinite, axis2.isFinite else { return nil }
        return Ellipse(centerX: originX + x0 * scale, centerY: originY + y0 * scale, semiAxisA: max(axis1, axis2), semiAxisB: min(axis1, axis2),
                       m11: a, m12: b / 2, m22: c, level: level, scale: scale)
    }
}
