import BioCapture
import Foundation

/// A point in image pixels (sub-pixel precision).
public struct PixelPoint: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public func distance(to other: PixelPoint) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

/// Small pixel operations shared by localisation, cropping and checks.
enum ImageOps {
    /// Rounded and clamped to 0…255 (the generic `UInt8(clamping:)` is slow in debug builds).
    @inline(__always)
    static func byte(_ value: Double) -> UInt8 {
        value <= 0 ? 0 : (value >= 255 ? 255 : UInt8(value.rounded()))
    }

    /// Grey image shrunk by an integer `factor` (box average).
    static func shrunk(_ image: GrayImage, factor: Int) -> GrayImage {
        let factor = max(1, factor)
        guard factor > 1 else { return image }
        let width = max(1, image.width / factor)
        let height = max(1, image.height / factor)
        var output = [UInt8](repeating: 0, count: width * height)
        let area = factor * factor
        for y in 0..<height {
            for x in 0..<width {
                var total = 0
                for sy in (y * factor)..<min(image.height, (y + 1) * factor) {
                    let row = sy * image.width
                    for sx in (x * factor)..<min(image.width, (x + 1) * factor) { total += Int(image.pixels[row + sx]) }
                }
                output[y * width + x] = UInt8(clamping: (total + area / 2) / area)
            }
        }
        return GrayImage(width: width, height: height, pixels: output) ?? image
    }

    /// Bilinear sample of a grey image with the coordinates clamped to the image (edge replicated).
    @inline(__always)
    static func sample(_ image: GrayImage, _ x: Double, _ y: Double) -> Double {
        let cx = min(Double(image.width - 1), max(0, x))
        let cy = min(Double(image.height - 1), max(0, y))
        let x0 = Int(cx)
        let y0 = Int(cy)
        let x1 = min(image.width - 1, x0 + 1)
        let y1 = min(image.height - 1, y0 + 1)
        let fx = cx - Double(x0)
        let fy = cy - Double(y0)
        let p = image.pixels
        let top = Double(p[y0 * image.width + x0]) * (1 - fx) + Double(p[y0 * image.width + x1]) * fx
        let bottom = Double(p[y1 * image.width + x0]) * (1 - fx) + Double(p[y1 * image.width + x1]) * fx
        return top * (1 - fy) + bottom * fy
    }

    /// Bilinear RGB sample, edge replicated.
    @inline(__always)
    static func sample(_ image: RGBImage, _ x: Double, _ y: Double) -> (Double, Double, Double) {
        let cx = min(Double(image.width - 1), max(0, x))
        let cy = min(Double(image.height - 1), max(0, y))
        let x0 = Int(cx)
        let y0 = Int(cy)
        let x1 = min(image.width - 1, x0 + 1)
        let y1 = min(image.height - 1, y0 + 1)
        let fx = cx - Double(x0)
        let fy = cy - Double(y0)
        let p = image.pixels
        let a = (y0 * image.width + x0) * 3
        let b = (y0 * image.width + x1) * 3
        let c = (y1 * image.width + x0) * 3
        let d = (y1 * image.width + x1) * 3
        func channel(_ k: Int) -> Double {
            let top = Double(p[a + k]) * (1 - fx) + Double(p[b + k]) * fx
            let bottom = Double(p[c + k]) * (1 - fx) + Double(p[d + k]) * fx
            return top * (1 - fy) + bottom * fy
        }
        return (channel(0), channel(1), channel(2))
    }

    /// Cuts `rect` (clamped to the image) out of a grey image and resamples it to `width` pixels wide.
    static func crop(_ image: GrayImage, _ rect: PixelRect, toWidth width: Int) -> (image: GrayImage, scale: Double, origin: PixelPoint)? {
        let x0 = max(0, rect.x)
        let y0 = max(0, rect.y)
        let x1 = min(image.width, rect.x + rect.width)
        let y1 = min(image.height, rect.y + rect.height)
        guard x1 - x0 >= 4, y1 - y0 >= 4 else { return nil }
        let scale = Double(max(4, width)) / Double(x1 - x0)
        let outWidth = max(4, Int((Double(x1 - x0) * scale).rounded()))
        let outHeight = max(4, Int((Double(y1 - y0) * scale).rounded()))
        var pixels = [UInt8](repeating: 0, count: outWidth * outHeight)
        for y in 0..<outHeight {
            let sy = Double(y0) + (Double(y) + 0.5) / scale - 0.5
            for x in 0..<outWidth {
                let sx = Double(x0) + (Double(x) + 0.5) / scale - 0.5
                pixels[y * outWidth + x] = UInt8(clamping: Int(sample(image, sx, sy).rounded()))
            }
        }
        guard let output = GrayImage(width: outWidth, height: outHeight, pixels: pixels) else { return nil }
        return (output, scale, PixelPoint(x: Double(x0), y: Double(y0)))
    }
}
