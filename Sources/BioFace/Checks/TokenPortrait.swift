import BioCapture
import Foundation

/// ISO/IEC 19794-5 token frontal geometry (from the face facts; marked "verify" there): a 3:4
/// portrait W wide and W / 0.75 high, eye line 0.6 W from the top, eye centres at 0.375 W and
/// 0.625 W (so the eye distance is 0.25 W).
public enum TokenGeometry {
    public static let aspectWidthOverHeight = 0.75
    public static let eyeLineFromTop = 0.6
    public static let rightEyeX = 0.375
    public static let leftEyeX = 0.625
    public static let eyeDistanceOverWidth = 0.25

    /// Image width whose token eye distance is `eyeDistance` pixels (a multiple of 4, so the eyes
    /// land on whole pixels).
    public static func width(forEyeDistance eyeDistance: Int) -> Int { 4 * max(1, eyeDistance) }

    public static func height(forWidth width: Int) -> Int { Int((Double(width) / aspectWidthOverHeight).rounded()) }
}

/// How to make a token portrait.
public struct TokenOptions: Sendable, Hashable {
    /// Eye distance in the token when the source has at least this much (downscaled to it).
    public var preferredEyeDistance = 120
    /// The least eye distance a token may have (ICAO guidance for a full frontal image: 90 px).
    public var minimumEyeDistance = 90
    /// A source with fewer pixels between the eyes than `minimumEyeDistance` is refused unless
    /// this is set; then it is upscaled to `minimumEyeDistance` and the result says so.
    public var allowUpscale = false
    /// Rotate so the eye line is horizontal (otherwise the roll is only reported).
    public var levelEyes = true

    public init() {}
}

/// Why no token could be cut.
public enum TokenCropError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The source has too few pixels between the eyes and upscaling was not allowed.
    case eyeDistanceTooSmall(source: Double, required: Int)
    /// The eye centres coincide or are not finite.
    case invalidEyes

    public var description: String {
        switch self {
        case .eyeDistanceTooSmall(let source, let required):
            "the eyes are \(String(format: "%.1f", source)) px apart in the source, a token needs \(required) px: move the camera closer or use a higher resolution (or allow upscaling)"
        case .invalidEyes:
            "the eye centres are missing or coincide"
        }
    }
}

/// A token portrait cut from a larger image.
public struct TokenPortrait: Sendable, Hashable {
    public var image: RGBImage
    /// Output pixels per source pixel.
    public var scale: Double
    /// Eye distance in the token, pixels.
    public var eyeDistance: Double
    /// Roll of the source eye line in degrees (positive: subject's left eye lower); removed when
    /// `levelled` is true.
    public var sourceRollDegrees: Double
    public var levelled: Bool
    /// Whether the source was enlarged (only with `TokenOptions.allowUpscale`).
    public var upscaled: Bool
    /// Fraction of token pixels that fell outside the source and were filled from its edge.
    public var outsideFraction: Double

    /// Cuts the token from `image` given the eye centres (subject's right eye = image left).
    public static func crop(
        _ image: RGBImage, rightEye: PixelPoint, leftEye: PixelPoint, options: TokenOptions = TokenOptions()
    ) throws(TokenCropError) -> TokenPortrait {
        let sourceDistance = rightEye.distance(to: leftEye)
        guard sourceDistance.isFinite, sourceDistance >= 1 else { throw .invalidEyes }
        var upscaled = false
        let outputDistance: Int
        if sourceDistance >= Double(options.minimumEyeDistance) {
            outputDistance = min(options.preferredEyeDistance, Int(sourceDistance.rounded(.down)))
        } else if options.allowUpscale {
            outputDistance = options.minimumEyeDistance
            upscaled = true
        } else {
            throw .eyeDistanceTooSmall(source: sourceDistance, required: options.minimumEyeDistance)
        }
        let width = TokenGeometry.width(forEyeDistance: outputDistance)
        let height = TokenGeometry.height(forWidth: width)
        let roll = atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x)
        let angle = options.levelEyes ? roll : 0
        let midpoint = PixelPoint(x: (rightEye.x + leftEye.x) / 2, y: (rightEye.y + leftEye.y) / 2)
        let scale = Double(outputDistance) / sourceDistance
        let sampled = AlignedSampler.sampleRGB(
            image, midpoint: midpoint, angle: angle, scale: scale, width: width, height: height,
            midpointAt: PixelPoint(x: 0.5 * Double(width), y: TokenGeometry.eyeLineFromTop * Double(width)))
        return TokenPortrait(
            image: sampled.image, scale: scale, eyeDistance: Double(outputDistance), sourceRollDegrees: roll * 180 / .pi,
            levelled: options.levelEyes, upscaled: upscaled, outsideFraction: sampled.outsideFraction)
    }
}

/// Resampling of a rotated, scaled window of a source image, with a box pre-filter when shrinking
/// by two or more (bilinear alone would alias).
enum AlignedSampler {
    /// Output pixel (X, Y) shows the source point midpoint + R(angle)·((X − midpointAt.x, Y − midpointAt.y) / scale).
    static func sampleRGB(
        _ image: RGBImage, midpoint: PixelPoint, angle: Double, scale: Double, width: Int, height: Int, midpointAt: PixelPoint
    ) -> (image: RGBImage, outsideFraction: Double) {
        let cosA = cos(angle), sinA = sin(angle)
        // Only the part of the source the window covers is pre-filtered (a 1080p frame holds far
        // more than one face).
        var (window, origin) = (image, PixelPoint(x: 0, y: 0))
        let factor = scale < 0.5 ? Int(1 / scale) : 1
        if factor > 1 {
            var low = (x: Double.infinity, y: Double.infinity)
            var high = (x: -Double.infinity, y: -Double.infinity)
            for (cx, cy) in [(0.0, 0.0), (Double(width), 0), (0, Double(height)), (Double(width), Double(height))] {
                let dx = (cx - midpointAt.x) / scale
                let dy = (cy - midpointAt.y) / scale
                let sx = midpoint.x + dx * cosA - dy * sinA
                let sy = midpoint.y + dx * sinA + dy * cosA
                low = (min(low.x, sx), min(low.y, sy))
                high = (max(high.x, sx), max(high.y, sy))
            }
            let margin = Double(2 * factor)
            if low.x.isFinite, low.y.isFinite, high.x.isFinite, high.y.isFinite {
                let x0 = max(0, min(image.width - 1, Int(low.x - margin)))
                let y0 = max(0, min(image.height - 1, Int(low.y - margin)))
                let x1 = max(x0 + 1, min(image.width, Int(high.x + margin) + 1))
                let y1 = max(y0 + 1, min(image.height, Int(high.y + margin) + 1))
                // Whole multiples of the factor keep the box grid aligned with the full image's.
                let alignedX0 = x0 - x0 % factor
                let alignedY0 = y0 - y0 % factor
                if let cut = crop(image, x: alignedX0, y: alignedY0, width: x1 - alignedX0, height: y1 - alignedY0) {
                    window = cut
                    origin = PixelPoint(x: Double(alignedX0), y: Double(alignedY0))
                }
            }
        }
        let source = factor > 1 ? shrink(window, factor: factor) : window
        let effectiveScale = scale * Double(factor)
        let mid = PixelPoint(x: (midpoint.x - origin.x) / Double(factor), y: (midpoint.y - origin.y) / Double(factor))
        // The full image's extent in `source` coordinates, for counting pixels outside it.
        let extent = (
            x0: -origin.x / Double(factor), y0: -origin.y / Double(factor),
            x1: (Double(image.width) - origin.x) / Double(factor), y1: (Double(image.height) - origin.y) / Double(factor))
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var outside = 0
        for y in 0..<height {
            let dy = (Double(y) + 0.5 - midpointAt.y) / effectiveScale
            for x in 0..<width {
                let dx = (Double(x) + 0.5 - midpointAt.x) / effectiveScale
                let sx = mid.x + dx * cosA - dy * sinA - 0.5
                let sy = mid.y + dx * sinA + dy * cosA - 0.5
                if sx < extent.x0 - 0.5 || sy < extent.y0 - 0.5 || sx > extent.x1 - 0.5 || sy > extent.y1 - 0.5 { outside += 1 }
                let (r, g, b) = ImageOps.sample(source, sx, sy)
                let base = (y * width + x) * 3
                pixels[base] = ImageOps.byte(r)
                pixels[base + 1] = ImageOps.byte(g)
                pixels[base + 2] = ImageOps.byte(b)
            }
        }
        let output = RGBImage(width: max(1, width), height: max(1, height), pixels: pixels) ?? RGBImage(width: max(1, width), height: max(1, height))
        return (output, Double(outside) / Double(max(1, width * height)))
    }

    /// Grey version of `sampleRGB` (BT.601 luma of the RGB sample).
    static func sampleGray(
        _ image: RGBImage, midpoint: PixelPoint, angle: Double, scale: Double, width: Int, height: Int, midpointAt: PixelPoint
    ) -> GrayImage {
        sampleRGB(image, midpoint: midpoint, angle: angle, scale: scale, width: width, height: height, midpointAt: midpointAt)
            .image.grayscale()
    }

    /// A rectangle of an RGB image (nil when empty after clamping).
    static func crop(_ image: RGBImage, x: Int, y: Int, width: Int, height: Int) -> RGBImage? {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(image.width, x + width), y1 = min(image.height, y + height)
        guard x1 > x0, y1 > y0 else { return nil }
        if x0 == 0, y0 == 0, x1 == image.width, y1 == image.height { return image }
        var pixels = [UInt8]()
        pixels.reserveCapacity((x1 - x0) * (y1 - y0) * 3)
        for row in y0..<y1 {
            let start = (row * image.width + x0) * 3
            pixels.append(contentsOf: image.pixels[start..<(start + (x1 - x0) * 3)])
        }
        return RGBImage(width: x1 - x0, height: y1 - y0, pixels: pixels)
    }

    /// Box-average shrink of an RGB image by an integer factor.
    static func shrink(_ image: RGBImage, factor: Int) -> RGBImage {
        let width = max(1, image.width / factor)
        let height = max(1, image.height / factor)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                var total = (0, 0, 0)
                var count = 0
                for sy in (y * factor)..<min(image.height, (y + 1) * factor) {
                    for sx in (x * factor)..<min(image.width, (x + 1) * factor) {
                        let base = (sy * image.width + sx) * 3
                        total.0 += Int(image.pixels[base])
                        total.1 += Int(image.pixels[base + 1])
                        total.2 += Int(image.pixels[base + 2])
                        count += 1
                    }
                }
                let base = (y * width + x) * 3
                let c = max(1, count)
                pixels[base] = UInt8(clamping: (total.0 + c / 2) / c)
                pixels[base + 1] = UInt8(clamping: (total.1 + c / 2) / c)
                pixels[base + 2] = UInt8(clamping: (total.2 + c / 2) / c)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels) ?? image
    }
}
