import BioCapture
import Foundation
import Logging

/// Why a `FaceLocaliser` could not be made.
public enum FaceLocaliserError: Error, Sendable, CustomStringConvertible {
    /// A cascade file is absent: Debian's `opencv-data` package is not installed (or `directory` is wrong).
    case cascadesMissing(directory: String, missing: [String])
    /// A cascade file is there but unreadable or malformed.
    case cascadeUnreadable(CascadeError)

    public var description: String {
        switch self {
        case .cascadesMissing(let directory, let missing):
            "face cascades \(missing.joined(separator: ", ")) not found in \(directory): "
                + "install the Debian package opencv-data (apt-get install opencv-data) or pass the cascade directory"
        case .cascadeUnreadable(let error):
            "face cascade unreadable: \(error.description)"
        }
    }
}

/// How an eye centre was found.
public enum EyeLocationSource: String, Sendable, Hashable, Codable {
    /// An eye-cascade hit, refined to the darkest compact blob inside it.
    case cascade
    /// No usable eye-cascade hit: the blob search ran around the position eyes have in a face box.
    case geometric
}

/// One located face, in the pixels of the image given to `FaceLocaliser.locate`.
public struct LocatedFace: Sendable, Hashable {
    /// Viola–Jones face box (roughly brows to mouth, cheek to cheek).
    public var box: PixelRect
    /// The subject's left eye (on the image's right).
    public var leftEye: PixelPoint
    /// The subject's right eye (on the image's left).
    public var rightEye: PixelPoint
    public var leftEyeSource: EyeLocationSource
    public var rightEyeSource: EyeLocationSource
    /// Dark-blob contrast at each eye centre: (surround − core) / surround of grey levels, 0…1.
    /// An open eye (dark iris between bright sclera) gives a high value; a closed lid a low one.
    public var leftEyeContrast: Double
    public var rightEyeContrast: Double
    /// Eye-cascade detections inside the upper face (all sizes, after grouping).
    public var eyeCascadeHits: Int

    /// Distance between the eye centres in pixels.
    public var eyeDistance: Double { leftEye.distance(to: rightEye) }

    /// Roll of the eye line in degrees, positive when the subject's left eye (image right) is lower.
    public var rollDegrees: Double {
        atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x) * 180 / .pi
    }

    public var eyeMidpoint: PixelPoint {
        PixelPoint(x: (leftEye.x + rightEye.x) / 2, y: (leftEye.y + rightEye.y) / 2)
    }
}

/// Everything found in one image.
public struct FaceSearchResult: Sendable, Hashable {
    /// Faces found, largest first.
    public var faces: [LocatedFace]
    public var imageWidth: Int
    public var imageHeight: Int

    public var faceCount: Int { faces.count }
    /// The face a portrait is about: the largest.
    public var primary: LocatedFace? { faces.first }
}

/// Finds frontal faces and both eye centres.
///
/// Faces: OpenCV's `haarcascade_frontalface_default.xml` evaluated by `CascadeDetector` on a grey
/// copy shrunk to about 240 pixels on its long side (a portrait's face is large, so nothing is lost
/// and detection is ten times cheaper), boxes mapped back to full resolution.
/// Eyes: `haarcascade_eye.xml` inside the upper face box (resampled to a fixed width), then, per
/// side, the darkest compact blob (iris and pupil) near the hit — or near the usual eye position
/// in a face box when the eye cascade found nothing there — refined to a weighted centroid at full
/// resolution.
public struct FaceLocaliser: Sendable {
    public static let faceCascadeName = "haarcascade_frontalface_default.xml"
    public static let eyeCascadeName = "haarcascade_eye.xml"

    /// Long side of the grey copy the face cascade runs on.
    public var detectionLongSide = 240
    /// Smallest face searched, as a fraction of the short side of the image.
    public var minimumFaceFraction = 0.25

    private let faceDetector: CascadeDetector
    private let eyeDetector: CascadeDetector
    private let logger: Logger

    /// Loads (once per process and directory) the face and eye cascades from `cascadeDirectory`
    /// (default: Debian's `/usr/share/opencv4/haarcascades`).
    public init(cascadeDirectory: String = HaarCascade.systemDirectory, logger: Logger = Logger(label: "BioFace.FaceLocaliser")) throws(FaceLocaliserError) {
        let pair = try CascadeCache.shared.cascades(directory: cascadeDirectory)
        faceDetector = CascadeDetector(cascade: pair.face, scaleFactor: 1.1, minNeighbors: 3)
        eyeDetector = CascadeDetector(cascade: pair.eye, scaleFactor: 1.1, minNeighbors: 2)
        self.logger = logger
    }

    /// Whether the cascades are present in `directory` (tests skip on a machine without opencv-data).
    public static func cascadesAvailable(in directory: String = HaarCascade.systemDirectory) -> Bool {
        [faceCascadeName, eyeCascadeName].allSatisfy {
            FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0))
        }
    }

    /// Faces and eyes in `image`. Never fails: an image too small or without a face gives no faces.
    public func locate(in image: RGBImage) -> FaceSearchResult {
        let gray = image.grayscale()
        return locate(gray: gray)
    }

    /// As `locate(in:)` on a grey image.
    public func locate(gray: GrayImage) -> FaceSearchResult {
        var result = FaceSearchResult(faces: [], imageWidth: gray.width, imageHeight: gray.height)
        let longSide = max(gray.width, gray.height)
        let factor = max(1, Int((Double(longSide) / Double(detectionLongSide)).rounded()))
        let small = ImageOps.shrunk(gray, factor: factor)
        guard small.width > faceDetector.cascade.windowWidth + 1, small.height > faceDetector.cascade.windowHeight + 1 else {
            logger.debug("image too small for face detection", metadata: ["width": "\(gray.width)", "height": "\(gray.height)"])
            return result
        }
        let minimum = max(faceDetector.cascade.windowWidth, Int(Double(min(small.width, small.height)) * minimumFaceFraction))
        let boxes = faceDetector.detect(in: small, minSize: minimum)
        logger.debug("face cascade", metadata: ["faces": "\(boxes.count)", "factor": "\(factor)"])
        for box in boxes {
            let full = PixelRect(x: box.x * factor, y: box.y * factor, width: box.width * factor, height: box.height * factor)
            result.faces.append(locateEyes(in: gray, face: full))
        }
        return result
    }

    /// Eye centres inside a face box of `gray`.
    func locateEyes(in gray: GrayImage, face: PixelRect) -> LocatedFace {
        let w = Double(face.width)
        // Where eyes sit in a Viola–Jones frontal face box (fractions of the box), used as the prior.
        let priorY = Double(face.y) + 0.40 * w
        let priorRight = PixelPoint(x: Double(face.x) + 0.31 * w, y: priorY)
        let priorLeft = PixelPoint(x: Double(face.x) + 0.69 * w, y: priorY)

        // Eye cascade on the upper face, resampled to a fixed width so eyes are about 30 px.
        let band = PixelRect(x: face.x, y: face.y + Int(0.15 * w), width: face.width, height: Int(0.45 * w))
        var rightHit: PixelPoint?
        var leftHit: PixelPoint?
        var hits = 0
        if let region = ImageOps.crop(gray, band, toWidth: 120) {
            let eyes = eyeDetector.detect(in: region.image, minSize: 14, maxSize: 60)
            hits = eyes.count
            for eye in eyes {
                let centre = PixelPoint(
                    x: region.origin.x + eye.centerX / region.scale,
                    y: region.origin.y + eye.centerY / region.scale)
                let radius = 0.16 * w
                if centre.distance(to: priorRight) < radius, rightHit.map({ centre.distance(to: priorRight) < $0.distance(to: priorRight) }) ?? true {
                    rightHit = centre
                }
                if centre.distance(to: priorLeft) < radius, leftHit.map({ centre.distance(to: priorLeft) < $0.distance(to: priorLeft) }) ?? true {
                    leftHit = centre
                }
            }
        }
        var right = Self.darkBlob(in: gray, around: rightHit ?? priorRight, faceWidth: w)
        var left = Self.darkBlob(in: gray, around: leftHit ?? priorLeft, faceWidth: w)
        // Neither the eye cascade nor a flanked dark blob saw an eye (closed or covered): the best
        // guess is where eyes usually sit in the box, not whatever dark spot came nearest.
        if rightHit == nil, right.contrast < Self.weakEyeContrast { right.centre = priorRight }
        if leftHit == nil, left.contrast < Self.weakEyeContrast { left.centre = priorLeft }
        return LocatedFace(
            box: face, leftEye: left.centre, rightEye: right.centre,
            leftEyeSource: leftHit == nil ? .geometric : .cascade,
            rightEyeSource: rightHit == nil ? .geometric : .cascade,
            leftEyeContrast: left.contrast, rightEyeContrast: right.contrast, eyeCascadeHits: hits)
    }

    /// Below this dark-blob contrast an eye found without the eye cascade is not trusted.
    static let weakEyeContrast = 0.3

    /// The darkest compact blob of about an iris's size with brighter flanks on both sides (the
    /// sclera): maximises min(mean(left flank), mean(right flank)) − mean(core) over a search
    /// window. Flanks left and right only (in the core's own horizontal band), because lids and brows above and below an eye are dark
    /// too, and an eyebrow (dark, but elongated) has dark flanks. The centre is then refined to
    /// the centroid of the core's pixels darker than midway between core and flanks.
    static func darkBlob(in gray: GrayImage, around: PixelPoint, faceWidth: Double) -> (centre: PixelPoint, contrast: Double) {
        let core = max(1, Int((0.028 * faceWidth).rounded()))
        let flankNear = core + max(1, core / 4)
        let flankFar = max(flankNear + 1, Int((Double(core) * 2.2).rounded()))
        // Core and flanks share one horizontal band: along a horizontal line (brow, lid, lashes)
        // core and flanks are then equally dark and the score stays near zero.
        let bandHalfHeight = max(1, core / 2)
        let searchHalfWidth = Int(0.09 * faceWidth)
        let searchHalfHeight = Int(0.07 * faceWidth)
        let x0 = max(0, Int(around.x) - searchHalfWidth - flankFar)
        let y0 = max(0, Int(around.y) - searchHalfHeight - core)
        let x1 = min(gray.width, Int(around.x) + searchHalfWidth + flankFar + 1)
        let y1 = min(gray.height, Int(around.y) + searchHalfHeight + core + 1)
        guard x1 - x0 > 2 * flankFar + 1, y1 - y0 > 2 * core + 1 else { return (around, 0) }
        let windowWidth = x1 - x0
        let windowHeight = y1 - y0
        // Summed-area table over the window.
        let stride = windowWidth + 1
        var sums = [Int](repeating: 0, count: stride * (windowHeight + 1))
        for y in 0..<windowHeight {
            var row = 0
            for x in 0..<windowWidth {
                row += Int(gray.pixels[(y0 + y) * gray.width + x0 + x])
                sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row
            }
        }
        // Mean over columns ax..<bx, rows ay..<by of the window.
        func mean(_ ax: Int, _ ay: Int, _ bx: Int, _ by: Int) -> Double {
            let sum = sums[by * stride + bx] - sums[ay * stride + bx] - sums[by * stride + ax] + sums[ay * stride + ax]
            return Double(sum) / Double(max(1, (bx - ax) * (by - ay)))
        }
        var best = (score: -Double.infinity, x: 0, y: 0, coreMean: 0.0, flankMean: 0.0)
        for cy in core..<(windowHeight - core) {
            for cx in flankFar..<(windowWidth - flankFar) {
                let coreMean = mean(cx - core, cy - bandHalfHeight, cx + core + 1, cy + bandHalfHeight + 1)
                let left = mean(cx - flankFar, cy - bandHalfHeight, cx - flankNear, cy + bandHalfHeight + 1)
                let right = mean(cx + flankNear + 1, cy - bandHalfHeight, cx + flankFar + 1, cy + bandHalfHeight + 1)
                let flank = min(left, right)
                // A slight preference for the expected position breaks ties between look-alikes.
                let dx = Double(x0 + cx) - around.x
                let dy = Double(y0 + cy) - around.y
                let distancePenalty = 0.05 * (dx * dx + dy * dy).squareRoot() / max(1, faceWidth) * 255
                let score = flank - coreMean - distancePenalty
                if score > best.score { best = (score, cx, cy, coreMean, flank) }
            }
        }
        guard best.score > -Double.infinity else { return (around, 0) }
        let threshold = (best.coreMean + best.flankMean) / 2
        var weight = 0.0, sumX = 0.0, sumY = 0.0
        for y in max(0, best.y - core)..<min(windowHeight, best.y + core + 1) {
            for x in max(0, best.x - core)..<min(windowWidth, best.x + core + 1) {
                let w = threshold - Double(gray.pixels[(y0 + y) * gray.width + x0 + x])
                if w > 0 {
                    weight += w
                    sumX += w * Double(x)
                    sumY += w * Double(y)
                }
            }
        }
        let centre = weight > 0
            ? PixelPoint(x: Double(x0) + sumX / weight + 0.5, y: Double(y0) + sumY / weight + 0.5)
            : PixelPoint(x: Double(x0 + best.x) + 0.5, y: Double(y0 + best.y) + 0.5)
        let contrast = best.flankMean > 1 ? max(0, (best.flankMean - best.coreMean) / best.flankMean) : 0
        return (centre, contrast)
    }
}

/// Process-wide cache of parsed cascades, keyed by directory: parsing the 900 kB face cascade
/// takes a noticeable time, and every localiser of the process can share one copy.
final class CascadeCache: @unchecked Sendable {
    static let shared = CascadeCache()

    struct Pair: Sendable {
        let face: HaarCascade
        let eye: HaarCascade
    }

    // Guards `loaded`; held only for dictionary access and the one-time parse.
    private let lock = NSLock()
    private var loaded: [String: Pair] = [:]

    func cascades(directory: String) throws(FaceLocaliserError) -> Pair {
        lock.lock()
        defer { lock.unlock() }
        if let pair = loaded[directory] { return pair }
        let names = [FaceLocaliser.faceCascadeName, FaceLocaliser.eyeCascadeName]
        let missing = names.filter { !FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0)) }
        guard missing.isEmpty else { throw .cascadesMissing(directory: directory, missing: missing) }
        do {
            let face = try HaarCascade.load(named: FaceLocaliser.faceCascadeName, directory: directory)
            let eye = try HaarCascade.load(named: FaceLocaliser.eyeCascadeName, directory: directory)
            let pair = Pair(face: face, eye: eye)
            loaded[directory] = pair
            return pair
        } catch {
            throw .cascadeUnreadable(error)
        }
    }
}
