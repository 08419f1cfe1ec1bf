import BioCapture
import Foundation

/// A ridge ending or bifurcation found by `SimpleMinutiaeExtractor`.
public struct DetectedMinutia: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case ending, bifurcation }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// A deliberately simple minutiae extractor for the quality measure: smooth, binarise against
/// the local mean (ridges dark), thin to one-pixel skeletons (Zhang–Suen), then the crossing
/// number of each skeleton pixel (1 = ending, 3 = bifurcation). Spurious points are dropped:
/// those outside the eroded foreground and pairs closer than `minimumSeparation` (typical of
/// broken ridges, bridges and spurs). It is not an identification-grade extractor; it gives
/// counts comparable enough to rate quality.
public struct SimpleMinutiaeExtractor: Sendable {
    public var minimumSeparation: Int
    /// Radius of the local mean used as the binarisation threshold.
    public var thresholdRadius: Int
    /// Minutiae closer than this to the edge of the mask are dropped (the ridges end there
    /// because the print ends).
    public var borderMargin: Int

    public init(minimumSeparation: Int = 8, thresholdRadius: Int = 8, borderMargin: Int = 16) {
        self.minimumSeparation = minimumSeparation
        self.thresholdRadius = thresholdRadius
        self.borderMargin = borderMargin
    }

    /// Minutiae of `image` inside `mask` (same size, true = usable foreground).
    public func minutiae(in image: GrayImage, mask: [Bool]) -> [DetectedMinutia] {
        guard mask.count == image.pixels.count else { return [] }
        return minutiae(in: GreyPlane(image), mask: mask)
    }

    func minutiae(in plane: GreyPlane, mask: [Bool]) -> [DetectedMinutia] {
        let width = plane.width
        let height = plane.height
        guard width >= 5, height >= 5 else { return [] }
        let smooth = plane.boxMean(radius: 1)
        let local = plane.boxMean(radius: thresholdRadius)
        var skeleton = [UInt8](repeating: 0, count: width * height)
        for index in 0..<skeleton.count where mask[index] && smooth.values[index] < local.values[index] {
            skeleton[index] = 1
        }
        for x in 0..<width {
            skeleton[x] = 0
            skeleton[(height - 1) * width + x] = 0
        }
        for y in 0..<height {
            skeleton[y * width] = 0
            skeleton[y * width + width - 1] = 0
        }
        Self.thin(&skeleton, width: width, height: height)

        var found: [DetectedMinutia] = []
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) where skeleton[y * width + x] == 1 {
                let ring = Self.ring(skeleton, width: width, x: x, y: y)
                var transitions = 0
                for i in 0..<8 where ring[i] != ring[(i + 1) % 8] { transitions += 1 }
                let crossing = transitions / 2
                if crossing == 1 {
                    found.append(DetectedMinutia(kind: .ending, x: x, y: y))
                } else if crossing == 3 {
                    found.append(DetectedMinutia(kind: .bifurcation, x: x, y: y))
                }
            }
        }

        // Drop points near the mask border (ridges end there because the print ends) and
        // clusters of close points.
        let interior = found.filter { point in
            for radius in [borderMargin / 2, borderMargin] {
                for step in 0..<12 {
                    let angle = Double(step) * Double.pi / 6
                    let x = point.x + Int((Double(radius) * cos(angle)).rounded())
                    let y = point.y + Int((Double(radius) * sin(angle)).rounded())
                    if x < 0 || y < 0 || x >= width || y >= height || !mask[y * width + x] { return false }
                }
            }
            return true
        }
        var keep = [Bool](repeating: true, count: interior.count)
        let limit = minimumSeparation * minimumSeparation
        for i in 0..<interior.count {
            for j in (i + 1)..<max(i + 1, interior.count) {
                let dx = interior[i].x - interior[j].x
                let dy = interior[i].y - interior[j].y
                if abs(dy) > minimumSeparation { continue }
                if dx * dx + dy * dy < limit {
                    keep[i] = false
                    keep[j] = false
                }
            }
        }
        return zip(interior, keep).compactMap { $1 ? $0 : nil }
    }

    /// The 8 neighbours in circular order starting north, clockwise.
    @inline(__always)
    static func ring(_ image: [UInt8], width: Int, x: Int, y: Int) -> SIMD8<UInt8> {
        let up = (y - 1) * width, mid = y * width, down = (y + 1) * width
        return SIMD8(image[up + x], image[up + x + 1], image[mid + x + 1], image[down + x + 1],
                     image[down + x], image[down + x - 1], image[mid + x - 1], image[up + x - 1])
    }

    /// Zhang–Suen thinning in place (1 = ridge). Border pixels must be 0.
    static func thin(_ image: inout [UInt8], width: Int, height: Int) {
        var candidates: [Int] = []
        for index in 0..<image.count where image[index] == 1 { candidates.append(index) }
        var changed = true
        var removal: [Int] = []
        while changed {
            changed = false
            for pass in 0..<2 {
                removal.removeAll(keepingCapacity: true)
                for index in candidates where image[index] == 1 {
                    let x = index % width, y = index / width
                    let p = ring(image, width: width, x: x, y: y)
                    let neighbours = Int(p[0]) + Int(p[1]) + Int(p[2]) + Int(p[3]) + Int(p[4]) + Int(p[5]) + Int(p[6]) + Int(p[7])
                    guard neighbours >= 2, neighbours <= 6 else { continue }
                    var rises = 0
                    for i in 0..<8 where p[i] == 0 && p[(i + 1) % 8] == 1 { rises += 1 }
                    guard rises == 1 else { continue }
                    // p0 = N, p2 = E, p4 = S, p6 = W.
                    if pass == 0 {
                        guard p[0] * p[2] * p[4] == 0, p[2] * p[4] * p[6] == 0 else { continue }
                    } else {
                        guard p[0] * p[2] * p[6] == 0, p[0] * p[4] * p[6] == 0 else { continue }
                    }
                    removal.append(index)
                }
                for index in removal { image[index] = 0 }
                if !removal.isEmpty { changed = true }
            }
            candidates = candidates.filter { image[$0] == 1 }
        }
    }
}
