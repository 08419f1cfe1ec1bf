import BioCapture

/// A decoded picture: grey or RGB, as the file (or the requested output) had it.
public enum DecodedImage: Sendable, Hashable {
    case gray(GrayImage)
    case rgb(RGBImage)

    public var width: Int {
        switch self {
        case .gray(let image): image.width
        case .rgb(let image): image.width
        }
    }

    public var height: Int {
        switch self {
        case .gray(let image): image.height
        case .rgb(let image): image.height
        }
    }

    /// Number of interleaved 8-bit channels: 1 or 3.
    public var channels: Int {
        switch self {
        case .gray: 1
        case .rgb: 3
        }
    }

    /// The packed pixels (grey, or interleaved R, G, B).
    public var pixels: [UInt8] {
        switch self {
        case .gray(let image): image.pixels
        case .rgb(let image): image.pixels
        }
    }

    /// The picture as grey: grey as is, RGB through `RGBImage.grayscale()` (BT.601 luma).
    public var grayImage: GrayImage {
        switch self {
        case .gray(let image): image
        case .rgb(let image): image.grayscale()
        }
    }

    /// The picture as RGB: RGB as is, grey with R = G = B.
    public var rgbImage: RGBImage {
        switch self {
        case .gray(let image): image.rgb()
        case .rgb(let image): image
        }
    }
}

/// The pixel layout a decoder should produce.
public enum DecodedColor: Sendable, Hashable {
    /// Grey stays grey, colour becomes RGB.
    case asStored
    /// Always grey (colour is converted to luma).
    case gray
    /// Always RGB (grey is expanded to R = G = B).
    case rgb
}

extension DecodedImage {
    /// Builds an image from packed pixels the decoder produced; sizes were checked by the decoder.
    static func make(width: Int, height: Int, channels: Int, pixels: [UInt8], format: ImageFormat)
        throws(ImageCodecError) -> DecodedImage
    {
        if channels == 1, let image = GrayImage(width: width, height: height, pixels: pixels) {
            return .gray(image)
        }
        if channels == 3, let image = RGBImage(width: width, height: height, pixels: pixels) {
            return .rgb(image)
        }
        throw ImageCodecError(.corrupt, format: format,
                              "decoder produced \(pixels.count) bytes for \(width)x\(height)x\(channels)")
    }

    /// Converts to the requested layout.
    func converted(to color: DecodedColor) -> DecodedImage {
        switch (color, self) {
        case (.asStored, _), (.gray, .gray), (.rgb, .rgb): self
        case (.gray, .rgb(let image)): .gray(image.grayscale())
        case (.rgb, .gray(let image)): .rgb(image.rgb())
        }
    }
}

/// Limits every decoder enforces before it allocates pixel memory.
public enum ImageLimits {
    /// Default pixel cap against decompression bombs: 40 megapixels (a 7300×5500 image), far
    /// above any capture device of the station and far below what would exhaust its memory.
    public static let defaultMaxPixels = 40_000_000
}
