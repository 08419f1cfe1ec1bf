import BioCapture

/// A floating-point copy of a grey image for the quality measures (row-major).
struct GreyPlane {
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

    @inline(__always)
    subscript(x: Int, y: Int) -> Float { values[y * width + x] }

    /// Bilinear sample with coordinates clamped to the image.
    func sample(x: Double, y: Double) -> Float {
        let cx = min(max(x, 0), Double(width - 1))
        let cy = min(max(y, 0), Double(height - 1))
        let x0 = min(Int(cx), max(0, width - 2))
        let y0 = min(Int(cy), max(0, height - 2))
        let x1 = min(x0 + 1, width - 1)
        let y1 = min(y0 + 1, height - 1)
        let fx = Float(cx - Double(x0))
        let fy = Float(cy - Double(y0))
        let top = self[x0, y0] + (self[x1, y0] - self[x0, y0]) * fx
        let bottom = self[x0, y1] + (self[x1, y1] - self[x0, y1]) * fx
        return top + (bottom - top) * fy
    }

    /// Mean over a (2r+1)² window at every pixel (windows are cut at the border), via a
    /// summed-area table so the cost does not depend on r.
    func boxMean(radius: Int) -> GreyPlane {
        let stride = width + 1
        var integral = [Double](repeating: 0, count: stride * (height + 1))
        for y in 0..<height {
            var rowSum = 0.0
            for x in 0..<width {
                rowSum += Double(values[y * width + x])
                integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + rowSum
            }
        }
        var result = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            let top = max(0, y - radius)
            let bottom = min(height, y + radius + 1)
            for x in 0..<width {
                let left = max(0, x - radius)
                let right = min(width, x + radius + 1)
                let total = integral[bottom * stride + right] - integral[top * stride + right]
                    - integral[bottom * stride + left] + integral[top * stride + left]
                result[y * width + x] = Float(total / Double((bottom - top) * (right - left)))
            }
        }
        return GreyPlane(width: width, height: height, values: result)
    }

    /// Sobel gradients (border pixels get zero).
    func sobelGradients() -> (gx: [Float], gy: [Float]) {
        var gx = [Float](repeating: 0, count: width * height)
        var gy = [Float](repeating: 0, count: width * height)
        guard width >= 3, height >= 3 else { return (gx, gy) }
        values.withUnsafeBufferPointer { v in
            for y in 1..<(height - 1) {
                let up = (y - 1) * width
                let mid = y * width
                let down = (y + 1) * width
                for x in 1..<(width - 1) {
                    let horizontal = (v[up + x + 1] + 2 * v[mid + x + 1] + v[down + x + 1])
                        - (v[up + x - 1] + 2 * v[mid + x - 1] + v[down + x - 1])
                    let vertical = (v[down + x - 1] + 2 * v[down + x] + v[down + x + 1])
                        - (v[up + x - 1] + 2 * v[up + x] + v[up + x + 1])
                    gx[mid + x] = horizontal
                    gy[mid + x] = vertical
                }
            }
        }
        return (gx, gy)
    }
}
