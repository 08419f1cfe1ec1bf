import BioCapture
import Foundation

/// How large the rendered picture is.
public enum SignatureRenderResolution: Sendable, Hashable {
    /// Pixels per inch of pad surface (300 dpi is the usual document resolution).
    case dotsPerInch(Double)
    /// A fixed pixel size; the region is scaled to fit inside it (aspect kept) and centred.
    case pixelSize(width: Int, height: Int)
}

/// What part of the pad is rendered.
public enum SignatureRenderRegion: Sendable, Hashable {
    /// The whole active area.
    case fullPad
    /// The ink's bounding box grown by `marginMillimetres` on every side (clipped to the pad).
    /// A series without ink renders the whole pad.
    case ink(marginMillimetres: Double)
}

/// Rendering choices.
public struct SignatureRenderOptions: Sendable, Hashable {
    public var resolution: SignatureRenderResolution
    public var region: SignatureRenderRegion
    /// Line width in millimetres at zero pressure and at full pressure; width is linear in between.
    public var minimumPenWidth: Double
    public var maximumPenWidth: Double

    public init(
        resolution: SignatureRenderResolution = .dotsPerInch(300), region: SignatureRenderRegion = .fullPad,
        minimumPenWidth: Double = 0.25, maximumPenWidth: Double = 0.9
    ) {
        self.resolution = resolution
        self.region = region
        self.minimumPenWidth = minimumPenWidth
        self.maximumPenWidth = maximumPenWidth
    }
}

/// Why a picture could not be rendered.
public enum SignatureRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Area, resolution or pen width is not a positive finite number.
    case invalidParameter(String)
    /// The picture would be larger than `SignatureRenderer.maximumPixels`.
    case imageTooLarge(width: Double, height: Double)

    public var description: String {
        switch self {
        case .invalidParameter(let what): "Cannot render the signature: \(what)."
        case .imageTooLarge(let width, let height):
            "Cannot render the signature: \(Int(width)) × \(Int(height)) pixels exceeds the limit of \(SignatureRenderer.maximumPixels) pixels."
        }
    }
}

/// Draws a pen time series as an 8-bit grey picture: white paper, black ink, anti-aliased lines
/// whose width follows pressure. Only reports with the tip down leave ink; hovering and
/// out-of-range reports leave none. A stroke of one report is drawn as a round dot.
public enum SignatureRenderer {
    /// Upper bound on rendered pixels (about a 96 × 60 mm pad at 2400 dpi), so a wrong argument
    /// cannot exhaust memory.
    public static let maximumPixels = 60_000_000

    /// Renders `points` recorded on a pad of `areaWidth` × `areaHeight` millimetres.
    public static func render(
        _ points: [PenPoint], areaWidth: Double, areaHeight: Double, options: SignatureRenderOptions = .init()
    ) throws(SignatureRenderError) -> GrayImage {
        guard areaWidth.isFinite, areaHeight.isFinite, areaWidth > 0, areaHeight > 0 else {
            throw .invalidParameter("the pad area must be positive")
        }
        guard options.minimumPenWidth.isFinite, options.maximumPenWidth.isFinite, options.minimumPenWidth > 0,
              options.maximumPenWidth >= options.minimumPenWidth
        else { throw .invalidParameter("pen widths must be positive with maximum ≥ minimum") }

        // Region in millimetres.
        var originX = 0.0, originY = 0.0, regionWidth = areaWidth, regionHeight = areaHeight
        if case .ink(let margin) = options.region {
            guard margin.isFinite, margin >= 0 else { throw .invalidParameter("the crop margin must be ≥ 0") }
            let ink = points.filter { $0.tipDown && $0.x.isFinite && $0.y.isFinite }
            if let minX = ink.map(\.x).min(), let maxX = ink.map(\.x).max(), let minY = ink.map(\.y).min(),
               let maxY = ink.map(\.y).max()
            {
                let halfPen = options.maximumPenWidth / 2
                originX = max(minX - margin - halfPen, 0)
                originY = max(minY - margin - halfPen, 0)
                regionWidth = min(maxX + margin + halfPen, areaWidth) - originX
                regionHeight = min(maxY + margin + halfPen, areaHeight) - originY
                if regionWidth <= 0 || regionHeight <= 0 {
                    originX = 0
                    originY = 0
                    regionWidth = areaWidth
                    regionHeight = areaHeight
                }
            }
        }

        // Pixels per millimetre and picture size.
        let scale: Double
        var width: Double, height: Double
        var offsetX = 0.0, offsetY = 0.0
        switch options.resolution {
        case .dotsPerInch(let dpi):
            guard dpi.isFinite, dpi > 0 else { throw .invalidParameter("the resolution must be positive") }
            scale = dpi / 25.4
            width = max((regionWidth * scale).rounded(), 1)
            height = max((regionHeight * scale).rounded(), 1)
        case .pixelSize(let pixelWidth, let pixelHeight):
            guard pixelWidth > 0, pixelHeight > 0 else { throw .invalidParameter("the pixel size must be positive") }
            width = Double(pixelWidth)
            height = Double(pixelHeight)
            scale = min(width / regionWidth, height / regionHeight)
            offsetX = (width - regionWidth * scale) / 2
            offsetY = (height - regionHeight * scale) / 2
        }
        guard width * height <= Double(maximumPixels) else { throw .imageTooLarge(width: width, height: height) }

        var canvas = InkCanvas(width: Int(width), height: Int(height))
        func pixel(_ point: PenPoint) -> (x: Double, y: Double, radius: Double) {
            let pressure = point.pressure.isFinite ? min(max(point.pressure, 0), 1) : 0
            let penWidth = options.minimumPenWidth + (options.maximumPenWidth - options.minimumPenWidth) * pressure
            return ((point.x - originX) * scale + offsetX, (point.y - originY) * scale + offsetY, penWidth * scale / 2)
        }
        for stroke in points.penStrokes() {
            let first = pixel(points[stroke.range.lowerBound])
            guard first.x.isFinite, first.y.isFinite else { continue }
            if stroke.range.count == 1 {
                canvas.drawSegment(from: first, to: first)
                continue
            }
            var previous = first
            for index in stroke.range.dropFirst() {
                let current = pixel(points[index])
                guard current.x.isFinite, current.y.isFinite else { continue }
                canvas.drawSegment(from: previous, to: current)
                previous = current
            }
        }
        return canvas.image()
    }

    /// Renders a core sample with its own pad area.
    public static func render(_ sample: SignatureSample, options: SignatureRenderOptions = .init()) throws(SignatureRenderError) -> GrayImage {
        try render(sample.points, areaWidth: sample.areaWidth, areaHeight: sample.areaHeight, options: options)
    }
}

/// Ink coverage per pixel (0 = paper, 1 = full ink). Overlapping segments take the maximum, so
/// joints between successive segments do not darken.
struct InkCanvas {
    let width: Int
    let height: Int
    var coverage: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        coverage = [Float](repeating: 0, count: width * height)
    }

    /// A capsule from `start` to `end` whose radius changes linearly along it; the edge is
    /// anti-aliased over one pixel.
    mutating func drawSegment(
        from start: (x: Double, y: Double, radius: Double), to end: (x: Double, y: Double, radius: Double)
    ) {
        let reach = max(start.radius, end.radius) + 1
        let minX = max(Int((min(start.x, end.x) - reach).rounded(.down)), 0)
        let maxX = min(Int((max(start.x, end.x) + reach).rounded(.up)), width - 1)
        let minY = max(Int((min(start.y, end.y) - reach).rounded(.down)), 0)
        let maxY = min(Int((max(start.y, end.y) + reach).rounded(.up)), height - 1)
        guard minX <= maxX, minY <= maxY else { return }
        let dx = end.x - start.x
        let dy = end.y - start.y
        let lengthSquared = dx * dx + dy * dy
        for row in minY...maxY {
            let centreY = Double(row) + 0.5
            for column in minX...maxX {
                let centreX = Double(column) + 0.5
                var along = 0.0
                if lengthSquared > 1e-12 {
                    along = min(max(((centreX - start.x) * dx + (centreY - start.y) * dy) / lengthSquared, 0), 1)
                }
                let nearestX = start.x + along * dx - centreX
                let nearestY = start.y + along * dy - centreY
                let distance = (nearestX * nearestX + nearestY * nearestY).squareRoot()
                let radius = start.radius + (end.radius - start.radius) * along
                // A pen narrower than a pixel still leaves a proportionally faint trace.
                let value = Float(min(max(radius + 0.5 - distance, 0), 1) * min(2 * radius, 1))
                let index = row * width + column
                if value > coverage[index] { coverage[index] = value }
            }
        }
    }

    func image() -> GrayImage {
        let pixels = coverage.map { UInt8((255 * (1 - $0)).rounded()) }
        return GrayImage(width: width, height: height, pixels: pixels) ?? GrayImage(width: width, height: height, filledWith: 255)
    }
}

extension GrayImage {
    /// The smallest rectangle holding every pixel darker than `threshold`, grown by `margin`
    /// pixels (clipped to the image). An image without such pixels is returned unchanged.
    public func croppedToInk(margin: Int = 0, threshold: UInt8 = 250) -> GrayImage {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for row in 0..<height {
            for column in 0..<width where pixels[row * width + column] < threshold {
                minX = Swift.min(minX, column)
                maxX = Swift.max(maxX, column)
                minY = Swift.min(minY, row)
                maxY = Swift.max(maxY, row)
            }
        }
        guard maxX >= 0 else { return self }
        let grow = Swift.max(margin, 0)
        let left = Swift.max(minX - grow, 0), top = Swift.max(minY - grow, 0)
        let right = Swift.min(maxX + grow, width - 1), bottom = Swift.min(maxY + grow, height - 1)
        let cropWidth = right - left + 1, cropHeight = bottom - top + 1
        var cropped = [UInt8](repeating: 255, count: cropWidth * cropHeight)
        for row in 0..<cropHeight {
            let source = (top + row) * width + left
            cropped.replaceSubrange(row * cropWidth..<(row + 1) * cropWidth, with: pixels[source..<source + cropWidth])
        }
        return GrayImage(width: cropWidth, height: cropHeight, pixels: cropped) ?? self
    }
}
