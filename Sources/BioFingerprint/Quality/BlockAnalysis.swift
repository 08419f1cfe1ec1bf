import Foundation

/// Local measures of one square block (ISO/IEC 29794-4 style, 32 x 32 px by default).
struct BlockMeasures {
    var column: Int
    var row: Int
    var mean: Float = 0
    var deviation: Float = 0
    var foreground = false
    /// Ridge direction, radians in [0, π).
    var orientation: Double = 0
    /// Orientation certainty level 1 − λmin/λmax of the gradient covariance.
    var certainty: Double = 0
    /// (λmax − λmin) / (λmax + λmin).
    var coherence: Double = 0
    /// Frequency-domain analysis of the across-ridge signature.
    var frequencyDomain: Double = 0
    /// Ridge period (px) from the strongest signature frequency.
    var period: Double = 0
    /// Ridge/valley separability d' = (valley mean − ridge mean) / pooled within-class σ.
    var separability: Double = 0
    /// Valley mean − ridge mean, grey levels.
    var ridgeValleyContrast: Double = 0
    /// Mean ridge width / valley width along the signature (nil when no complete pair).
    var ridgeValleyRatio: Double?
    /// Standard deviation of the individual width ratios.
    var ridgeValleyRatioSpread: Double = 0
    /// Mean angular difference to the foreground neighbours beyond 4°, normalised by 86°.
    var orientationFlow: Double = 0
}

enum BlockAnalysis {
    /// Gradient covariance → orientation, OCL and coherence.
    static func orientation(
        gx: [Float], gy: [Float], width: Int, x0: Int, y0: Int, size: Int, into block: inout BlockMeasures
    ) {
        var a = 0.0, b = 0.0, c = 0.0
        for y in y0..<(y0 + size) {
            var rowA: Float = 0, rowB: Float = 0, rowC: Float = 0
            for x in x0..<(x0 + size) {
                let gxValue = gx[y * width + x]
                let gyValue = gy[y * width + x]
                rowA += gxValue * gxValue
                rowB += gyValue * gyValue
                rowC += gxValue * gyValue
            }
            a += Double(rowA)
            b += Double(rowB)
            c += Double(rowC)
        }
        let count = Double(size * size)
        a /= count
        b /= count
        c /= count
        let root = ((a - b) * (a - b) + 4 * c * c).squareRoot()
        let largest = (a + b + root) / 2
        let smallest = (a + b - root) / 2
        block.certainty = largest > 0 ? 1 - smallest / largest : 0
        block.coherence = a + b > 0 ? root / (a + b) : 0
        // The dominant gradient runs across the ridges; the ridges are perpendicular to it.
        var theta = 0.5 * atan2(2 * c, a - b) + .pi / 2
        if theta >= .pi { theta -= .pi }
        block.orientation = theta
    }

    /// Samples the block rotated so ridges run along the short side (32 across x 16 along), and
    /// derives FDA, separability (clarity), contrast and ridge/valley widths from it.
    static func ridgeProfile(plane: GreyPlane, centreX: Double, centreY: Double, size: Int, into block: inout BlockMeasures) {
        let across = size
        let along = max(4, size / 2)
        let directionX = cos(block.orientation)
        let directionY = sin(block.orientation)
        let normalX = -directionY
        let normalY = directionX
        var samples = [Float](repeating: 0, count: across * along)
        var signature = [Double](repeating: 0, count: across)
        for i in 0..<across {
            let offset = Double(i) - Double(across - 1) / 2
            var sum = 0.0
            for j in 0..<along {
                let lengthwise = Double(j) - Double(along - 1) / 2
                let value = plane.sample(
                    x: centreX + offset * normalX + lengthwise * directionX,
                    y: centreY + offset * normalY + lengthwise * directionY)
                samples[i * along + j] = value
                sum += Double(value)
            }
            signature[i] = sum / Double(along)
        }

        // Frequency-domain analysis: DFT of the signature without DC.
        let half = across / 2
        var amplitudes = [Double](repeating: 0, count: half + 1)
        for k in 1...half {
            var real = 0.0, imaginary = 0.0
            for (i, value) in signature.enumerated() {
                let phase = 2 * Double.pi * Double(k * i) / Double(across)
                real += value * cos(phase)
                imaginary -= value * sin(phase)
            }
            amplitudes[k] = (real * real + imaginary * imaginary).squareRoot()
        }
        // Look for the peak only where ridge periods can be (about 4.5…16 px at 500 ppi).
        let lowest = max(1, Int((Double(across) / 16).rounded(.up)))
        let highest = min(half - 1, Int(Double(across) / 4.5))
        var peak = lowest
        for k in lowest...max(lowest, highest) where amplitudes[k] > amplitudes[peak] { peak = k }
        let total = amplitudes[1...half].reduce(0, +)
        if total > 0 {
            let neighbours = (peak > 1 ? amplitudes[peak - 1] : 0) + (peak < half ? amplitudes[peak + 1] : 0)
            block.frequencyDomain = min(1, (amplitudes[peak] + 0.3 * neighbours) / total)
        }
        block.period = Double(across) / Double(peak)

        // Ridge/valley classes: columns darker than the signature's linear trend are ridge.
        let count = Double(across)
        let meanIndex = (count - 1) / 2
        let meanValue = signature.reduce(0, +) / count
        var slopeNumerator = 0.0, slopeDenominator = 0.0
        for (i, value) in signature.enumerated() {
            slopeNumerator += (Double(i) - meanIndex) * (value - meanValue)
            slopeDenominator += (Double(i) - meanIndex) * (Double(i) - meanIndex)
        }
        let slope = slopeDenominator > 0 ? slopeNumerator / slopeDenominator : 0
        var isRidge = [Bool](repeating: false, count: across)
        var ridgeSum = 0.0, ridgeSquares = 0.0, ridgeCount = 0.0
        var valleySum = 0.0, valleySquares = 0.0, valleyCount = 0.0
        for i in 0..<across {
            let trend = meanValue + slope * (Double(i) - meanIndex)
            isRidge[i] = signature[i] < trend
            for j in 0..<along {
                let value = Double(samples[i * along + j])
                if isRidge[i] {
                    ridgeSum += value
                    ridgeSquares += value * value
                    ridgeCount += 1
                } else {
                    valleySum += value
                    valleySquares += value * value
                    valleyCount += 1
                }
            }
        }
        if ridgeCount > 0, valleyCount > 0 {
            let ridgeMean = ridgeSum / ridgeCount
            let valleyMean = valleySum / valleyCount
            let ridgeVariance = max(0, ridgeSquares / ridgeCount - ridgeMean * ridgeMean)
            let valleyVariance = max(0, valleySquares / valleyCount - valleyMean * valleyMean)
            let pooled = ((ridgeVariance + valleyVariance) / 2).squareRoot()
            block.ridgeValleyContrast = valleyMean - ridgeMean
            block.separability = max(0, (valleyMean - ridgeMean) / max(pooled, 1))
        }

        // Widths of complete runs (runs touching the block ends are cut and ignored).
        var runs: [(ridge: Bool, length: Int)] = []
        var start = 0
        for i in 1...across where i == across || isRidge[i] != isRidge[start] {
            runs.append((isRidge[start], i - start))
            start = i
        }
        let inner = runs.count > 2 ? Array(runs[1..<(runs.count - 1)]) : []
        var ratios: [Double] = []
        var index = 0
        while index + 1 < inner.count {
            let first = inner[index]
            let second = inner[index + 1]
            let ridgeWidth = Double(first.ridge ? first.length : second.length)
            let valleyWidth = Double(first.ridge ? second.length : first.length)
            ratios.append(ridgeWidth / valleyWidth)
            index += 2
        }
        if !ratios.isEmpty {
            let mean = ratios.reduce(0, +) / Double(ratios.count)
            let variance = ratios.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ratios.count)
            block.ridgeValleyRatio = mean
            block.ridgeValleyRatioSpread = variance.squareRoot()
        }
    }

    /// Orientation flow of every foreground block against its foreground 8-neighbours.
    static func orientationFlow(blocks: inout [BlockMeasures], columns: Int, rows: Int) {
        let threshold = 4.0 * .pi / 180
        let range = 86.0 * .pi / 180
        for row in 0..<rows {
            for column in 0..<columns where blocks[row * columns + column].foreground {
                let own = blocks[row * columns + column].orientation
                var total = 0.0
                var neighbours = 0
                for dy in -1...1 {
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        let x = column + dx, y = row + dy
                        guard x >= 0, y >= 0, x < columns, y < rows, blocks[y * columns + x].foreground else { continue }
                        var difference = abs(blocks[y * columns + x].orientation - own)
                        if difference > .pi / 2 { difference = .pi - difference }
                        total += max(0, difference - threshold) / range
                        neighbours += 1
                    }
                }
                blocks[row * columns + column].orientationFlow = neighbours > 0 ? total / Double(neighbours) : 1
            }
        }
    }
}
