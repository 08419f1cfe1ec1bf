/// An 8-bit greyscale image, row-major, no padding (`pixels.count == width * height`).
///
/// Pixel containers live in the core so samples can carry them without C; codecs (JPEG, PNG,
/// PGM) are in the `Imaging` module.
public struct GrayImage: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// Creates an image; returns nil when the sizes do not match the pixel count.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).overflow == false,
              pixels.count == width * height
        else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A uniform image.
    public init(width: Int, height: Int, filledWith value: UInt8 = 0) {
        precondition(width > 0 && height > 0, "image size must be positive")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: value, count: width * height)
    }

    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Mean grey level, 0–255.
    public var mean: Double {
        var total = 0
        for value in pixels { total += Int(value) }
        return Double(total) / Double(pixels.count)
    }
}

/// An 8-bit RGB image, interleaved R, G, B, row-major, no padding.
public struct RGBImage: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height * 3).overflow == false,
              pixels.count == width * height * 3
        else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public init(width: Int, height: Int, red: UInt8 = 0, green: UInt8 = 0, blue: UInt8 = 0) {
        precondition(width > 0 && height > 0, "image size must be positive")
        self.width = width
        self.height = height
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for index in stride(from: 0, to: pixels.count, by: 3) {
            pixels[index] = red
            pixels[index + 1] = green
            pixels[index + 2] = blue
        }
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        get {
            let base = (y * width + x) * 3
            return (pixels[base], pixels[base + 1], pixels[base + 2])
        }
        set {
            let base = (y * width + x) * 3
            pixels[base] = newValue.red
            pixels[base + 1] = newValue.green
            pixels[base + 2] = newValue.blue
        }
    }

    /// Luma (ITU-R BT.601 weights), rounded.
    public func grayscale() -> GrayImage {
        var grey = [UInt8](repeating: 0, count: width * height)
        for index in 0..<grey.count {
            let base = index * 3
            let luma = 299 * Int(pixels[base]) + 587 * Int(pixels[base + 1]) + 114 * Int(pixels[base + 2])
            grey[index] = UInt8((luma + 500) / 1000)
        }
        return GrayImage(width: width, height: height, pixels: grey) ?? GrayImage(width: width, height: height)
    }
}

extension GrayImage {
    /// The same picture as RGB with R = G = B.
    public func rgb() -> RGBImage {
        var rgb = [UInt8](repeating: 0, count: pixels.count * 3)
        for (index, value) in pixels.enumerated() {
            rgb[index * 3] = value
            rgb[index * 3 + 1] = value
            rgb[index * 3 + 2] = value
        }
        return RGBImage(width: width, height: height, pixels: rgb) ?? RGBImage(width: width, height: height)
    }
}
