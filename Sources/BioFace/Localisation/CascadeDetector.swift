import BioCapture
import Foundation

/// A detection rectangle in image pixels.
public struct PixelRect: Sendable, Hashable, Codable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var centerX: Double { Double(x) + Double(width) / 2 }
    public var centerY: Double { Double(y) + Double(height) / 2 }
}

/// Summed-area tables of an image and of its squares.
struct IntegralImage {
    let width: Int
    let height: Int
    /// (width + 1) × (height + 1), row-major; entry (x, y) sums pixels above and left of it.
    let sums: [Int32]
    let squares: [Double]

    init(_ image: GrayImage) {
        let width = image.width
        let height = image.height
        self.width = width
        self.height = height
        let stride = width + 1
        var sums = [Int32](repeating: 0, count: stride * (height + 1))
        var squares = [Double](repeating: 0, count: stride * (height + 1))
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                var rowSum: Int32 = 0
                var rowSquares: Double = 0
                for x in 0..<width {
                    let value = Int32(pixels[y * width + x])
                    rowSum += value
                    rowSquares += Double(value * value)
                    sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + rowSum
                    squares[(y + 1) * stride + x + 1] = squares[y * stride + x + 1] + rowSquares
                }
            }
        }
        self.sums = sums
        self.squares = squares
    }

    @inline(__always)
    func sum(x: Int, y: Int, width w: Int, height h: Int) -> Int32 {
        let stride = width + 1
        let a = y * stride + x
        let b = a + w
        let c = (y + h) * stride + x
        let d = c + w
        return sums[d] - sums[b] - sums[c] + sums[a]
    }

    @inline(__always)
    func squareSum(x: Int, y: Int, width w: Int, height h: Int) -> Double {
        let stride = width + 1
        let a = y * stride + x
        let b = a + w
        let c = (y + h) * stride + x
        let d = c + w
        return squares[d] - squares[b] - squares[c] + squares[a]
    }
}

/// Multi-scale sliding-window detection with a `HaarCascade` over an image pyramid, and grouping
/// of overlapping hits (a detection needs `minNeighbors` supporting windows).
public struct CascadeDetector: Sendable {
    public let cascade: HaarCascade
    public var scaleFactor: Double = 1.1
    public var minNeighbors: Int = 3
    /// Windows move by this many pixels of the scaled image (1 = every position).
    public var step: Int = 1

    public init(cascade: HaarCascade, scaleFactor: Double = 1.1, minNeighbors: Int = 3, step: Int = 1) {
        self.cascade = cascade
        self.scaleFactor = max(1.01, scaleFactor)
        self.minNeighbors = max(0, minNeighbors)
        self.step = max(1, step)
    }

    /// Objects between `minSize` and `maxSize` pixels wide (nil: the whole image).
    public func detect(in image: GrayImage, minSize: Int = 0, maxSize: Int? = nil) -> [PixelRect] {
        var hits: [PixelRect] = []
        var scale = 1.0
        let largest = min(maxSize ?? Int.max, image.width, image.height * cascade.windowWidth / max(1, cascade.windowHeight))
        while true {
            let windowWidth = Int((Double(cascade.windowWidth) * scale).rounded())
            let windowHeight = Int((Double(cascade.windowHeight) * scale).rounded())
            if windowWidth > largest || windowWidth > image.width || windowHeight > image.height { break }
            if windowWidth >= minSize {
                let scaledWidth = Int(Double(image.width) / scale)
                let scaledHeight = Int(Double(image.height) / scale)
                guard scaledWidth > cascade.windowWidth, scaledHeight > cascade.windowHeight else { break }
                let scaled = Self.resize(image, width: scaledWidth, height: scaledHeight)
                let integral = IntegralImage(scaled)
                let offsets = RectangleOffsets(cascade.flat, stride: integral.width + 1)
                let stepHere = scale > 2 ? 1 : step
                withPointers(integral, offsets) { pointers in
                    var y = 0
                    while y + pointers.windowHeight < scaledHeight {
                        var x = 0
                        while x + pointers.windowWidth < scaledWidth {
                            if evaluate(integral, x: x, y: y, pointers: pointers) {
                                hits.append(PixelRect(
                                    x: Int((Double(x) * scale).rounded()), y: Int((Double(y) * scale).rounded()),
                                    width: windowWidth, height: windowHeight))
                            }
                            x += stepHere
                        }
                        y += stepHere
                    }
                }
            }
            scale *= scaleFactor
        }
        return Self.group(hits, minNeighbors: minNeighbors)
    }

    /// Whether the window at (x, y) of the scaled image passes every stage.
    func evaluate(_ integral: IntegralImage, x: Int, y: Int) -> Bool {
        let offsets = RectangleOffsets(cascade.flat, stride: integral.width + 1)
        return evaluate(integral, x: x, y: y, offsets: offsets)
    }

    /// Corner offsets of every feature rectangle for one integral-image stride: a, b, c, d =
    /// top-left, top-right, bottom-left, bottom-right, relative to the window's top-left corner.
    struct RectangleOffsets {
        var corners: [Int32]

        init(_ flat: FlatCascade, stride: Int) {
            corners = []
            corners.reserveCapacity(flat.rectX.count * 4)
            for index in flat.rectX.indices {
                let a = Int(flat.rectY[index]) * stride + Int(flat.rectX[index])
                let b = a + Int(flat.rectWidth[index])
                let c = a + Int(flat.rectHeight[index]) * stride
                let d = c + Int(flat.rectWidth[index])
                corners.append(contentsOf: [Int32(a), Int32(b), Int32(c), Int32(d)])
            }
        }
    }

    /// The flat cascade, the rectangle offsets of one scale and that scale's sums as raw buffers,
    /// valid inside `withPointers` only: fetched once per scale, not once per window.
    struct Pointers {
        let sums: UnsafeBufferPointer<Int32>
        let corners: UnsafeBufferPointer<Int32>
        let nodeFeature: UnsafeBufferPointer<Int32>
        let nodeThreshold: UnsafeBufferPointer<Float>
        let nodeLeft: UnsafeBufferPointer<Int32>
        let nodeRight: UnsafeBufferPointer<Int32>
        let leaves: UnsafeBufferPointer<Float>
        let featureFirst: UnsafeBufferPointer<Int32>
        let featureCount: UnsafeBufferPointer<Int32>
        let rectWeight: UnsafeBufferPointer<Float>
        let stageFirst: UnsafeBufferPointer<Int32>
        let stageCount: UnsafeBufferPointer<Int32>
        let stageThreshold: UnsafeBufferPointer<Float>
        let classifierNode: UnsafeBufferPointer<Int32>
        let classifierLeaf: UnsafeBufferPointer<Int32>
        let windowWidth: Int
        let windowHeight: Int
    }

    func withPointers<Result>(_ integral: IntegralImage, _ offsets: RectangleOffsets, _ body: (Pointers) -> Result) -> Result {
        let flat = cascade.flat
        return integral.sums.withUnsafeBufferPointer { sums in
            offsets.corners.withUnsafeBufferPointer { corners in
            flat.nodeFeature.withUnsafeBufferPointer { nodeFeature in
            flat.nodeThreshold.withUnsafeBufferPointer { nodeThreshold in
            flat.nodeLeft.withUnsafeBufferPointer { nodeLeft in
            flat.nodeRight.withUnsafeBufferPointer { nodeRight in
            flat.leaves.withUnsafeBufferPointer { leaves in
            flat.featureFirst.withUnsafeBufferPointer { featureFirst in
            flat.featureCount.withUnsafeBufferPointer { featureCount in
            flat.rectWeight.withUnsafeBufferPointer { rectWeight in
            flat.stageFirst.withUnsafeBufferPointer { stageFirst in
            flat.stageCount.withUnsafeBufferPointer { stageCount in
            flat.stageThreshold.withUnsafeBufferPointer { stageThreshold in
            flat.classifierNode.withUnsafeBufferPointer { classifierNode in
            flat.classifierLeaf.withUnsafeBufferPointer { classifierLeaf in
                body(Pointers(
                    sums: sums, corners: corners, nodeFeature: nodeFeature, nodeThreshold: nodeThreshold,
                    nodeLeft: nodeLeft, nodeRight: nodeRight, leaves: leaves, featureFirst: featureFirst,
                    featureCount: featureCount, rectWeight: rectWeight, stageFirst: stageFirst, stageCount: stageCount,
                    stageThreshold: stageThreshold, classifierNode: classifierNode, classifierLeaf: classifierLeaf,
                    windowWidth: cascade.windowWidth, windowHeight: cascade.windowHeight))
            }}}}}}}}}}}}}}
        }
    }

    func evaluate(_ integral: IntegralImage, x: Int, y: Int, offsets: RectangleOffsets) -> Bool {
        withPointers(integral, offsets) { evaluate(integral, x: x, y: y, pointers: $0) }
    }

    func evaluate(_ integral: IntegralImage, x: Int, y: Int, pointers p: Pointers) -> Bool {
        // Only `p` is read here: touching `cascade` copies the whole struct in debug builds.
        let innerWidth = p.windowWidth - 2
        let innerHeight = p.windowHeight - 2
        let area = Double(innerWidth * innerHeight)
        let sum = Double(integral.sum(x: x + 1, y: y + 1, width: innerWidth, height: innerHeight))
        let squares = integral.squareSum(x: x + 1, y: y + 1, width: innerWidth, height: innerHeight)
        let spread = area * squares - sum * sum
        guard spread > 0 else { return false }
        let norm = spread.squareRoot()
        // A flat window (standard deviation below 10 grey levels) is no object.
        guard area / norm < 0.1 else { return false }
        let inverseNorm = Float(1 / norm)
        let origin = y * (integral.width + 1) + x
        for stage in 0..<p.stageFirst.count {
            var total: Float = 0
            let first = Int(p.stageFirst[stage])
            for classifier in first..<(first + Int(p.stageCount[stage])) {
                let nodeBase = Int(p.classifierNode[classifier])
                let leafBase = Int(p.classifierLeaf[classifier])
                var node = 0
                while true {
                    let global = nodeBase + node
                    let feature = Int(p.nodeFeature[global])
                    let rectFirst = Int(p.featureFirst[feature])
                    var value: Float = 0
                    for rect in rectFirst..<(rectFirst + Int(p.featureCount[feature])) {
                        let corner = rect * 4
                        let rectSum = p.sums[origin + Int(p.corners[corner + 3])] - p.sums[origin + Int(p.corners[corner + 1])]
                            - p.sums[origin + Int(p.corners[corner + 2])] + p.sums[origin + Int(p.corners[corner])]
                        value += p.rectWeight[rect] * Float(rectSum)
                    }
                    let next = Int(value * inverseNorm < p.nodeThreshold[global] ? p.nodeLeft[global] : p.nodeRight[global])
                    if next <= 0 {
                        total += p.leaves[leafBase - next]
                        break
                    }
                    node = next
                }
            }
            if total < p.stageThreshold[stage] { return false }
        }
        return true
    }

    /// Bilinear downscale.
    static func resize(_ image: GrayImage, width: Int, height: Int) -> GrayImage {
        if width == image.width && height == image.height { return image }
        var pixels = [UInt8](repeating: 0, count: width * height)
        let xRatio = Double(image.width) / Double(width)
        let yRatio = Double(image.height) / Double(height)
        for y in 0..<height {
            let sourceY = min(Double(image.height - 1), (Double(y) + 0.5) * yRatio - 0.5)
            let y0 = max(0, Int(sourceY))
            let y1 = min(image.height - 1, y0 + 1)
            let fy = max(0, sourceY - Double(y0))
            for x in 0..<width {
                let sourceX = min(Double(image.width - 1), (Double(x) + 0.5) * xRatio - 0.5)
                let x0 = max(0, Int(sourceX))
                let x1 = min(image.width - 1, x0 + 1)
                let fx = max(0, sourceX - Double(x0))
                let top = Double(image.pixels[y0 * image.width + x0]) * (1 - fx) + Double(image.pixels[y0 * image.width + x1]) * fx
                let bottom = Double(image.pixels[y1 * image.width + x0]) * (1 - fx) + Double(image.pixels[y1 * image.width + x1]) * fx
                pixels[y * width + x] = UInt8(clamping: Int((top * (1 - fy) + bottom * fy).rounded()))
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels) ?? image
    }

    /// Clusters similar rectangles (corners within 20 % of the smaller size) and keeps clusters
    /// with more than `minNeighbors` members, averaged.
    static func group(_ rects: [PixelRect], minNeighbors: Int) -> [PixelRect] {
        guard !rects.isEmpty else { return [] }
        var parent = Array(rects.indices)
        func root(_ index: Int) -> Int {
            var current = index
            while parent[current] != current {
                parent[current] = parent[parent[current]]
                current = parent[current]
            }
            return current
        }
        func similar(_ a: PixelRect, _ b: PixelRect) -> Bool {
            let delta = 0.2 * Double(min(a.width, b.width) + min(a.height, b.height)) * 0.5
            return abs(Double(a.x - b.x)) <= delta && abs(Double(a.y - b.y)) <= delta
                && abs(Double(a.x + a.width - b.x - b.width)) <= delta
                && abs(Double(a.y + a.height - b.y - b.height)) <= delta
        }
        for i in rects.indices {
            for j in rects.indices where j > i && similar(rects[i], rects[j]) {
                let (a, b) = (root(i), root(j))
                if a != b { parent[a] = b }
            }
        }
        var clusters: [Int: [PixelRect]] = [:]
        for index in rects.indices { clusters[root(index), default: []].append(rects[index]) }
        return clusters.values.filter { $0.count > minNeighbors }.map { members in
            let count = Double(members.count)
            return PixelRect(
                x: Int((Double(members.map(\.x).reduce(0, +)) / count).rounded()),
                y: Int((Double(members.map(\.y).reduce(0, +)) / count).rounded()),
                width: Int((Double(members.map(\.width).reduce(0, +)) / count).rounded()),
                height: Int((Double(members.map(\.height).reduce(0, +)) / count).rounded()))
        }.sorted { $0.width * $0.height > $1.width * $1.height }
    }
}
