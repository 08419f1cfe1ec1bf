import BioCapture
import Foundation

/// Grows a ridge pattern by repeatedly filtering a seed image with Gabor-like kernels tuned to
/// the local orientation and ridge period (the SFinGe idea). Each pass amplifies the structure
/// that matches the local ridge flow and clips it; where patterns grown from different seeds
/// meet out of phase, the flow resolves into endings and bifurcations — natural minutiae.
///
/// Speed: kernels come from a bank (orientations x periods) built once per renderer; the
/// kernel for each pixel is looked up from a 4-px block map; each kernel row is one
/// `SIMD16<Float>` multiply (radius ≤ 7); the image is padded so the inner loop reads no bounds;
/// pixels outside the (dilated) finger mask are skipped.
struct RidgeRenderer: Sendable {
    let radius: Int
    let angleSteps: Int
    let periods: [Double]
    /// Kernel bank: kernel k at `kernels[k * side * 16 ..< (k + 1) * side * 16]`, each row
    /// padded with zeros to 16 taps so a row is one `SIMD16<Float>`.
    let kernels: [Float]

    var side: Int { 2 * radius + 1 }
    /// Taps per stored kernel row (the SIMD width).
    static let rowStride = 16
    /// Largest radius whose rows fit one SIMD16.
    static let maximumRadius = 7

    init(radius requestedRadius: Int, angleSteps: Int, periods: [Double]) {
        let radius = min(Self.maximumRadius, max(1, requestedRadius))
        self.radius = radius
        self.angleSteps = angleSteps
        self.periods = periods
        let side = 2 * radius + 1
        var bank = [Float](repeating: 0, count: angleSteps * periods.count * side * Self.rowStride)
        for (periodIndex, period) in periods.enumerated() {
            for angleIndex in 0..<angleSteps {
                let theta = Double(angleIndex) * .pi / Double(angleSteps)
                let sigmaAcross = 0.42 * period
                let sigmaAlong = 0.75 * period
                var taps = [Double](repeating: 0, count: side * side)
                var total = 0.0
                var envelopeTotal = 0.0
                var envelopes = [Double](repeating: 0, count: side * side)
                for dy in -radius...radius {
                    for dx in -radius...radius {
                        let along = Double(dx) * cos(theta) + Double(dy) * sin(theta)
                        let across = -Double(dx) * sin(theta) + Double(dy) * cos(theta)
                        let envelope = exp(-0.5 * (across * across / (sigmaAcross * sigmaAcross)
                            + along * along / (sigmaAlong * sigmaAlong)))
                        let index = (dy + radius) * side + dx + radius
                        envelopes[index] = envelope
                        taps[index] = envelope * cos(2 * .pi * across / period)
                        total += taps[index]
                        envelopeTotal += envelope
                    }
                }
                // Remove the DC response (the Gaussian-weighted mean) so flat areas stay flat.
                let dcShare = total / envelopeTotal
                var absolute = 0.0
                for index in 0..<taps.count {
                    taps[index] -= dcShare * envelopes[index]
                    absolute += abs(taps[index])
                }
                let base = (periodIndex * angleSteps + angleIndex) * side * Self.rowStride
                for row in 0..<side {
                    for column in 0..<side {
                        bank[base + row * Self.rowStride + column] = Float(taps[row * side + column] / absolute * 4)
                    }
                }
            }
        }
        kernels = bank
    }

    /// Kernel index for an orientation (radians) and a ridge period (pixels).
    func kernelIndex(angle: Double, period: Double) -> Int {
        var angleIndex = Int((angle / .pi * Double(angleSteps)).rounded())
        angleIndex %= angleSteps
        if angleIndex < 0 { angleIndex += angleSteps }
        var best = 0
        var bestDistance = Double.infinity
        for (index, candidate) in periods.enumerated() where abs(candidate - period) < bestDistance {
            best = index
            bestDistance = abs(candidate - period)
        }
        return best * angleSteps + angleIndex
    }

    /// Renders ridges in [-1, 1] (positive = ridge).
    /// - Parameters:
    ///   - kernelMap: per `mapBlock` x `mapBlock` block, the kernel index.
    ///   - active: per pixel, whether to compute it (the dilated finger mask).
    func render(
        width: Int, height: Int, mapBlock: Int, mapColumns: Int, kernelMap: [Int32],
        active: [Bool], seedSpacing: Double, iterations: Int, random: inout SeededRandom
    ) -> [Float] {
        // Extra columns on the right so a 16-wide row load never leaves the buffer.
        let paddedWidth = width + 2 * radius + Self.rowStride
        let paddedHeight = height + 2 * radius
        var current = [Float](repeating: 0, count: paddedWidth * paddedHeight)
        var next = current

        // Seeds: small blobs of random sign on a jittered grid inside the active area.
        let spacing = max(4, seedSpacing)
        var seedY = spacing * random.unit()
        while seedY < Double(height) {
            var seedX = spacing * random.unit()
            while seedX < Double(width) {
                let x = Int(seedX + (random.unit() - 0.5) * spacing * 0.8)
                let y = Int(seedY + (random.unit() - 0.5) * spacing * 0.8)
                let value: Float = random.unit() < 0.5 ? -1 : 1
                if x >= 1, y >= 1, x < width - 1, y < height - 1, active[y * width + x] {
                    for dy in -1...1 {
                        for dx in -1...1 {
                            current[(y + dy + radius) * paddedWidth + x + dx + radius] = value
                        }
                    }
                }
                seedX += spacing
            }
            seedY += spacing
        }

        let side = self.side
        let kernelSize = side * Self.rowStride
        for _ in 0..<iterations {
            var magnitude: Float = 0
            var counted = 0
            kernels.withUnsafeBufferPointer { bank in
                current.withUnsafeBufferPointer { source in
                    next.withUnsafeMutableBufferPointer { target in
                        guard let bankBase = bank.baseAddress, let sourceBase = source.baseAddress else { return }
                        let bankRaw = UnsafeRawPointer(bankBase)
                        let sourceRaw = UnsafeRawPointer(sourceBase)
                        let floatSize = MemoryLayout<Float>.stride
                        for y in 0..<height {
                            let mapRow = (y / mapBlock) * mapColumns
                            for x in 0..<width where active[y * width + x] {
                                let kernelBase = Int(kernelMap[mapRow + x / mapBlock]) * kernelSize
                                var sum = SIMD16<Float>(repeating: 0)
                                for ky in 0..<side {
                                    let pixels = sourceRaw.loadUnaligned(
                                        fromByteOffset: ((y + ky) * paddedWidth + x) * floatSize, as: SIMD16<Float>.self)
                                    let taps = bankRaw.loadUnaligned(
                                        fromByteOffset: (kernelBase + ky * Self.rowStride) * floatSize, as: SIMD16<Float>.self)
                                    sum += pixels * taps
                                }
                                let total = sum.sum()
                                target[(y + radius) * paddedWidth + x + radius] = total
                                if total != 0 {
                                    magnitude += abs(total)
                                    counted += 1
                                }
                            }
                        }
                    }
                }
            }
            // Normalise by the mean response, then clip: the clip is what turns the filtered
            // waves into ridges of constant contrast and lets the pattern spread outwards.
            let gain: Float = counted > 0 ? 2.2 / (magnitude / Float(counted)) : 1
            for index in 0..<next.count {
                next[index] = min(1, max(-1, next[index] * gain))
            }
            swap(&current, &next)
        }

        var ridges = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                ridges[y * width + x] = current[(y + radius) * paddedWidth + x + radius]
            }
        }
        return ridges
    }
}
