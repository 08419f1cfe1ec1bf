import BioCapture

/// A single-channel float image used inside segmentation (pyramids, inpainting, sampling).
struct FloatPlane: Sendable {
    let width: Int
    let height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        self.width = width
        self.height = height
        self.values = values
    }

    init(_ image: GrayImage) {
        width = image.width
        height = image.height
        values = image.pixels.map { Float($0) }
    }

    /// Box-averaged half-size plane (odd last row/column dropped).
    func halved() -> FloatPlane {
        let newWidth = max(1, width / 2)
        let newHeight = max(1, height / 2)
        var result = [Float](repeating: 0, count: newWidth * newHeight)
        values.withUnsafeBufferPointer { source in
            for y in 0..<newHeight {
                let y0 = min(2 * y, height - 1)
                let y1 = min(2 * y + 1, height - 1)
                for x in 0..<newWidth {
                    let x0 = min(2 * x, width - 1)
                    let x1 = min(2 * x + 1, width - 1)
                    result[y * newWidth + x] = 0.25 * (source[y0 * width + x0] + source[y0 * width + x1]
                        + source[y1 * width + x0] + source[y1 * width + x1])
                }
            }
        }
        return FloatPlane(width: newWidth, height: newHeight, values: result)
    }

    /// 3 × 3 box smoothing with clamped borders.
    func boxSmoothed() -> FloatPlane {
        var result = values
        values.withUnsafeBufferPointer { source in
            for y in 0..<height {
                let ya = max(y - 1, 0)
                let yb = min(y + 1, height - 1)
                for x in 0..<width {
                    let xa = max(x - 1, 0)
                    let xb = min(x + 1, width - 1)
                    var sum: Float = 0
                    for yy in [ya, y, yb] {
                        let row = yy * width
                        sum += source[row + xa] + source[row + x] + source[row + xb]
                    }
                    result[y * width + x] = sum / 9
                }
            }
        }
        return FloatPlane(width: width, height: height, values: result)
    }

    /// Bilinear sample; nil outside the image.
    @inline(__always)
    func sample(_ x: Double, _ y: Double) -> Float? {
        guard x >= 0, y >= 0, x <= Double(width - 1), y <= Double(height - 1) else { return nil }
        let x0 = min(Int(x), max(width - 2, 0))
        let y0 = min(Int(y), max(height - 2, 0))
        let x1 = min(x0 + 1, width - 1)
        let y1 = min(y0 + 1, height - 1)
        let fx = Float(x - Double(x0))
        let fy = Float(y - Double(y0))
        let top = values[y0 * width + x0] * (1 - fx) + values[y0 * width + x1] * fx
        let bottom = values[y1 * width + x0] * (1 - fx) + values[y1 * width + x1] * fx
        return top * (1 - fy) + bottom * fy
    }
}
