import BioCapture
import Foundation
import Logging

/// Why no eye was found in a frame.
public enum NoEyeReason: String, Sendable, Hashable, CaseIterable {
    /// The frame is smaller than 32 × 32 pixels (or too thin to hold an iris).
    case imageTooSmall
    /// The frame has (almost) no grey-level variation: lens cap, dark illuminator, blank sensor.
    case uniformFrame
    /// No dark, compact, round blob that could be a pupil (eye closed, no eye in view).
    case noPupil
    /// A pupil-like blob was found but no iris boundary around it.
    case noLimbus
}

/// Pupil, limbus, eyelids and occlusions found in one frame.
public struct IrisSegmentation: Sendable, Hashable {
    /// Pupil boundary (inner iris boundary).
    public var pupil: IrisCircle
    /// Limbus (outer iris boundary).
    public var iris: IrisCircle
    /// Upper eyelid margin where it crosses the iris; nil when the lid is clear of the iris.
    public var upperEyelid: EyelidCurve?
    /// Lower eyelid margin where it crosses the iris; nil when the lid is clear of the iris.
    public var lowerEyelid: EyelidCurve?
    /// Occlusion flags for every pixel. Eyelid and eyelash flags are set inside the region
    /// around the iris (1.3 × the limbus radius); specular flags everywhere.
    public var occlusion: IrisOcclusionMask
    /// Fraction (0–1) of the iris annulus, between the pupil and limbus circles and inside the
    /// image, that is not occluded.
    public var usableIrisFraction: Double
    /// Pupil boundary radius at 256 regularly spaced angles divided by the pupil radius
    /// (0 where the boundary could not be found), for the circularity measure.
    public var pupilBoundaryRadii: [Double]
    /// Edge strengths of the two boundaries (grey levels per pixel of radius).
    public var pupilEdgeStrength: Double
    public var limbusEdgeStrength: Double
    /// Number of specular (near-saturated) pixels in the frame, after dilation.
    public var specularPixelCount: Int
    /// Minor / major semi-axis of the ellipse fitted to the pupil boundary (nil when no ellipse
    /// fit was accepted). Gaze away from the camera squeezes it to about cos(angle).
    public var pupilAxisRatio: Double?
    /// The same for the limbus; only fitted when its top and bottom are visible.
    public var limbusAxisRatio: Double?
    /// 0–1: how much to trust this segmentation (edge strengths and plausible geometry).
    public var confidence: Double
}

/// The segmenter's answer for one frame.
public enum IrisSegmentationResult: Sendable, Hashable {
    case eye(IrisSegmentation)
    case noEye(NoEyeReason)

    /// The segmentation, if an eye was found.
    public var segmentation: IrisSegmentation? {
        if case .eye(let segmentation) = self { return segmentation }
        return nil
    }
}

/// Classical iris segmentation for 8-bit NIR frames (no learned models).
///
/// Steps: (1) specular reflections (pixels at or above `specularThreshold`, dilated) are masked
/// and filled by row interpolation; (2) a pyramid is built and the pupil is seeded as the most
/// compact dark connected blob on the coarsest level; (3) the pupil circle (lower 240°) and then
/// the limbus circle (left and right ±30° arcs, which lids rarely cover) are found with Daugman's
/// integro-differential operator, coarse to fine; (4) each eyelid is fitted as the parabola that
/// maximises the mean vertical grey-level step along it inside the iris; (5) both boundaries are
/// fitted again on everything visible between the lids — the pupil and, when its top and bottom
/// show, the limbus as least-squares ellipses through sub-pixel edge points (reported as circles:
/// centre and mean semi-axis), which removes the bias of circles on oval pupils and off-axis eyes;
/// (6) eyelashes are the pixels in the annulus much darker than the iris.
public struct IrisSegmenter: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Grey level at or above which a pixel is a specular reflection.
        public var specularThreshold: UInt8
        /// Pixels of dilation around specular pixels.
        public var specularDilation: Int
        /// Smallest pupil radius looked for, full-resolution pixels.
        public var minimumPupilRadius: Double
        /// Grey-level standard deviation below which a frame counts as uniform.
        public var uniformFrameDeviation: Double
        /// Smallest pupil edge strength (grey levels / px) accepted as a pupil.
        public var minimumPupilEdge: Double
        /// Smallest limbus edge strength (grey levels / px) accepted as a limbus.
        public var minimumLimbusEdge: Double
        /// Below this confidence the frame is reported as holding no eye.
        public var minimumConfidence: Double

        public init(specularThreshold: UInt8 = 235, specularDilation: Int = 2, minimumPupilRadius: Double = 8,
                    uniformFrameDeviation: Double = 3, minimumPupilEdge: Double = 4, minimumLimbusEdge: Double = 0.8,
                    minimumConfidence: Double = 0.15) {
            self.specularThreshold = specularThreshold
            self.specularDilation = specularDilation
            self.minimumPupilRadius = minimumPupilRadius
            self.uniformFrameDeviation = uniformFrameDeviation
            self.minimumPupilEdge = minimumPupilEdge
            self.minimumLimbusEdge = minimumLimbusEdge
            self.minimumConfidence = minimumConfidence
        }
    }

    public var configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "BioIris.segmentation")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Segments one frame. Never traps: frames of any size give either an eye or a reason.
    public func segment(_ image: GrayImage) -> IrisSegmentationResult {
        let width = image.width
        let height = image.height
        guard width >= 32, height >= 32, image.pixels.count == width * height else {
            logger.debug("iris segmentation: frame too small", metadata: ["width": "\(width)", "height": "\(height)"])
            return .noEye(.imageTooSmall)
        }

        // Uniform frame check on a sparse sample (cheap, and enough to tell a blank frame).
        var sum = 0.0
        var sumSquares = 0.0
        var sampleCount = 0.0
        let stride = max(1, (width * height) / 20000)
        var index = 0
        while index < image.pixels.count {
            let value = Double(image.pixels[index])
            sum += value
            sumSquares += value * value
            sampleCount += 1
            index += stride
        }
        let mean = sum / sampleCount
        let deviation = max(0, sumSquares / sampleCount - mean * mean).squareRoot()
        guard deviation >= configuration.uniformFrameDeviation else {
            logger.debug("iris segmentation: uniform frame", metadata: ["deviation": "\(deviation)"])
            return .noEye(.uniformFrame)
        }

        var occlusion = IrisOcclusionMask(width: width, height: height)
        let specularCount = markSpecular(image, occlusion: &occlusion)
        let filled = fillSpecular(image, occlusion: occlusion)

        // Pyramid: level 0 full size; coarsest level at most ~200 px on its long side while the
        // short side keeps at least 30 px.
        var pyramid = [filled]
        while let last = pyramid.last, max(last.width, last.height) > 200, min(last.width, last.height) >= 60 {
            pyramid.append(last.halved())
        }
        let coarseLevel = pyramid.count - 1
        let coarseScale = Double(1 << coarseLevel)
        let coarse = pyramid[coarseLevel].boxSmoothed()

        guard let seed = pupilSeed(coarse, scale: coarseScale) else {
            return .noEye(.noPupil)
        }
        guard let pupil = refinePupil(pyramid: pyramid, seed: seed) else {
            return .noEye(.noPupil)
        }
        guard pupil.strength >= configuration.minimumPupilEdge, pupil.radius >= configuration.minimumPupilRadius else {
            logger.debug("iris segmentation: weak pupil edge", metadata: ["strength": "\(pupil.strength)"])
            return .noEye(.noPupil)
        }
        guard let limbus = findLimbus(pyramid: pyramid, pupil: pupil), limbus.strength >= configuration.minimumLimbusEdge else {
            return .noEye(.noLimbus)
        }

        var pupilCircle = IrisCircle(centerX: pupil.centerX, centerY: pupil.centerY, radius: pupil.radius)
        var irisCircle = IrisCircle(centerX: limbus.centerX, centerY: limbus.centerY, radius: limbus.radius)
        let levels = estimateTissueLevels(filled, pupil: pupilCircle, iris: irisCircle)
        let lidPlane = pyramid.count > 1 ? pyramid[1] : pyramid[0]
        let lidScale = pyramid.count > 1 ? 2.0 : 1.0
        let lidThreshold = max(6, 0.4 * (levels.sclera - levels.iris))
        let upper = findEyelid(lidPlane, scale: lidScale, pupil: pupilCircle, iris: irisCircle, upper: true, threshold: lidThreshold)
        let lower = findEyelid(lidPlane, scale: lidScale, pupil: pupilCircle, iris: irisCircle, upper: false, threshold: lidThreshold)

        if let refitted = refitPupil(filled, pupil: pupilCircle, lid: upper, shadowBand: 0.1 * irisCircle.radius) {
            pupilCircle = refitted
        }
        if let refitted = refitLimbus(filled, iris: irisCircle, pupil: pupilCircle, upper: upper, lower: lower) {
            irisCircle = refitted
        }
        var pupilAxisRatio: Double?
        var limbusAxisRatio: Double?
        // Ellipse fits on sub-pixel edge points remove the bias a circle has on oval pupils and
        // off-axis eyes; the circles reported are the ellipses' centres and mean semi-axes.
        // A narrow search band first (it keeps lid and lash edges out); a wider one only when
        // the first fit fails, as it does on strongly off-axis (≥ 30°) pupils whose first circle
        // sits far from the ellipse.
        for (range, allowedShift) in [(0.2, 0.25), (0.4, 0.45)] {
            guard let pupilEllipse = ellipseBoundary(filled, circle: pupilCircle, upper: upper, lower: lower, band: 0.1 * irisCircle.radius,
                                                     occlusion: occlusion, relativeRange: range, span: 1.5,
                                                     minimumStep: Float(max(6, 0.3 * (levels.iris - levels.pupil))),
                                                     allowedShift: allowedShift, maximumResidual: 1.5) else { continue }
            pupilCircle = pupilEllipse.circle
            pupilAxisRatio = pupilEllipse.axisRatio
            break
        }
        if let irisEllipse = ellipseBoundary(filled, circle: irisCircle, upper: upper, lower: lower, band: 0.12 * irisCircle.radius,
                                             occlusion: occlusion, relativeRange: 0.1, span: 3,
                                             minimumStep: Float(max(4, 0.3 * (levels.sclera - levels.iris))),
                                             needsTopAndBottom: true, maximumResidual: 3),
           irisEllipse.circle.radius - irisEllipse.circle.centerDistance(to: pupilCircle) > pupilCircle.radius * 1.1 {
            irisCircle = irisEllipse.circle
            limbusAxisRatio = irisEllipse.axisRatio
        }
        let usable = markLidsAndLashes(filled, occlusion: &occlusion, pupil: pupilCircle, iris: irisCircle,
                                       upper: upper, lower: lower, levels: levels)
        let radii = pupilBoundaryRadii(filled, pupil: pupilCircle, occlusion: occlusion)

        let ratio = pupilCircle.radius / max(irisCircle.radius, 1)
        let plausibleRatio = ratio >= 0.1 && ratio <= 0.85 ? 1.0 : 0.3
        let centreOffset = pupilCircle.centerDistance(to: irisCircle) / max(irisCircle.radius, 1)
        let plausibleCentre = max(0, min(1, 1.5 - 2.5 * centreOffset))
        let confidence = min(1, pupil.strength / 15) * min(1, limbus.strength / 4) * plausibleRatio * plausibleCentre
        guard confidence >= configuration.minimumConfidence else {
            logger.debug("iris segmentation: implausible eye rejected", metadata: ["confidence": "\(confidence)"])
            return .noEye(.noPupil)
        }

        return .eye(IrisSegmentation(
            pupil: pupilCircle, iris: irisCircle, upperEyelid: upper, lowerEyelid: lower,
            occlusion: occlusion, usableIrisFraction: usable, pupilBoundaryRadii: radii,
            pupilEdgeStrength: pupil.strength, limbusEdgeStrength: limbus.strength,
            specularPixelCount: specularCount, pupilAxisRatio: pupilAxisRatio, limbusAxisRatio: limbusAxisRatio,
            confidence: confidence
        ))
    }

    // MARK: Specular reflections

    private func markSpecular(_ image: GrayImage, occlusion: inout IrisOcclusionMask) -> Int {
        let width = image.width
        let height = image.height
        let threshold = configuration.specularThreshold
        let reach = max(0, configuration.specularDilation)
        let flag = OcclusionKind.specular.rawValue
        var marked = 0
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                for x in 0..<width where pixels[y * width + x] >= threshold {
                    for yy in max(0, y - reach)...min(height - 1, y + reach) {
                        for xx in max(0, x - reach)...min(width - 1, x + reach) {
                            let target = yy * width + xx
                            if occlusion.flags[target] & flag == 0 {
                                occlusion.flags[target] |= flag
                                marked += 1
                            }
                        }
                    }
                }
            }
        }
        return marked
    }

    /// Replaces masked pixels by linear interpolation between the nearest unmasked pixels on the
    /// same row (or copies the one available side), so bright spots do not bias the edge search.
    private func fillSpecular(_ image: GrayImage, occlusion: IrisOcclusionMask) -> FloatPlane {
        var plane = FloatPlane(image)
        let width = image.width
        let flag = OcclusionKind.specular.rawValue
        for y in 0..<image.height {
            let row = y * width
            var x = 0
            while x < width {
                guard occlusion.flags[row + x] & flag != 0 else { x += 1; continue }
                let start = x
                while x < width, occlusion.flags[row + x] & flag != 0 { x += 1 }
                let left: Float? = start > 0 ? plane.values[row + start - 1] : nil
                let right: Float? = x < width ? plane.values[row + x] : nil
                let span = Float(x - start + 1)
                for fill in start..<x {
                    switch (left, right) {
                    case let (l?, r?):
                        let t = Float(fill - start + 1) / span
                        plane.values[row + fill] = l + (r - l) * t
                    case let (l?, nil): plane.values[row + fill] = l
                    case let (nil, r?): plane.values[row + fill] = r
                    case (nil, nil): plane.values[row + fill] = 128
                    }
                }
            }
        }
        return plane
    }

    // MARK: Pupil

    private struct Seed {
        var centerX: Double
        var centerY: Double
        var radius: Double
    }

    /// Darkest compact connected blob on the coarse level, in full-resolution coordinates.
    private func pupilSeed(_ coarse: FloatPlane, scale: Double) -> Seed? {
        let width = coarse.width
        let height = coarse.height
        var histogram = [Int](repeating: 0, count: 256)
        for value in coarse.values { histogram[Int(min(max(value, 0), 255))] += 1 }
        let total = coarse.values.count
        func percentile(_ fraction: Double) -> Double {
            let target = Int(Double(total) * fraction)
            var cumulative = 0
            for level in 0..<256 {
                cumulative += histogram[level]
                if cumulative > target { return Double(level) }
            }
            return 255
        }
        let darkest = percentile(0.003)
        let median = percentile(0.5)
        let minimumArea = max(3.0, .pi * pow(configuration.minimumPupilRadius / scale, 2) * 0.5)

        // Try a few thresholds from tight to loose: a lid or lash shadow may touch the pupil at a
        // loose threshold, a noisy low-contrast pupil needs a loose one.
        var best: (seed: Seed, score: Double)?
        for fraction in [0.2, 0.3, 0.42] {
            let threshold = Float(darkest + max(8, fraction * (median - darkest)))
            var label = [Int32](repeating: 0, count: width * height)
            var stack: [Int] = []
            var nextLabel: Int32 = 0
            for start in 0..<(width * height) where label[start] == 0 && coarse.values[start] <= threshold {
                nextLabel += 1
                label[start] = nextLabel
                stack.append(start)
                var area = 0.0
                var sumX = 0.0
                var sumY = 0.0
                var minX = width, maxX = 0, minY = height, maxY = 0
                var darkness = 0.0
                while let current = stack.popLast() {
                    let x = current % width
                    let y = current / width
                    area += 1
                    sumX += Double(x)
                    sumY += Double(y)
                    darkness += Double(coarse.values[current])
                    minX = min(minX, x); maxX = max(maxX, x)
                    minY = min(minY, y); maxY = max(maxY, y)
                    if x > 0, label[current - 1] == 0, coarse.values[current - 1] <= threshold { label[current - 1] = nextLabel; stack.append(current - 1) }
                    if x + 1 < width, label[current + 1] == 0, coarse.values[current + 1] <= threshold { label[current + 1] = nextLabel; stack.append(current + 1) }
                    if y > 0, label[current - width] == 0, coarse.values[current - width] <= threshold { label[current - width] = nextLabel; stack.append(current - width) }
                    if y + 1 < height, label[current + width] == 0, coarse.values[current + width] <= threshold { label[current + width] = nextLabel; stack.append(current + width) }
                }
                guard area >= minimumArea else { continue }
                let boxWidth = Double(maxX - minX + 1)
                let boxHeight = Double(maxY - minY + 1)
                let extent = max(boxWidth, boxHeight)
                let compactness = area / (.pi * extent * extent / 4)
                let aspect = min(boxWidth, boxHeight) / extent
                // A blob touching the frame border is rarely a whole pupil.
                let touchesBorder = minX == 0 || minY == 0 || maxX == width - 1 || maxY == height - 1
                guard compactness > 0.45, aspect > 0.5, !touchesBorder else { continue }
                let meanDarkness = darkness / area
                let score = area * compactness * compactness * aspect / (1 + meanDarkness / 64)
                if score > (best?.score ?? 0) {
                    best = (Seed(centerX: (sumX / area + 0.5) * scale - 0.5, centerY: (sumY / area + 0.5) * scale - 0.5,
                                 radius: max((area / .pi).squareRoot(), extent / 2) * scale), score)
                }
            }
        }
        return best?.seed
    }

    private func refinePupil(pyramid: [FloatPlane], seed: Seed) -> IntegroDifferential.Candidate? {
        // The upper 120° are left out: a drooping lid or lashes often cover the pupil's top.
        // Once the upper lid is known the pupil is fitted again on all of its visible boundary
        // (see refitPupil), which removes the bias a partial arc gives on oval pupils.
        var candidate = IntegroDifferential.Candidate(centerX: seed.centerX, centerY: seed.centerY, radius: seed.radius, strength: 0)
        var first = true
        for level in stride(from: min(pyramid.count - 1, 2), through: 0, by: -1) {
            let plane = pyramid[level]
            let scale = Double(1 << level)
            let cx = (candidate.centerX + 0.5) / scale - 0.5
            let cy = (candidate.centerY + 0.5) / scale - 0.5
            let r = candidate.radius / scale
            let reach = first ? max(2, r * 0.3) : 1.5
            let step = first ? 1.0 : 0.5
            let radiusRange = first ? max(1.5, r * 0.6)...(r * 1.45 + 1) : max(1, r - 1.5)...(r + 1.5)
            let directions = IntegroDifferential.directions(ranges: [-30...210], count: first ? 48 : 96)
            guard let found = IntegroDifferential.search(
                plane, centersX: IntegroDifferential.grid(around: cx, reach: reach, step: step),
                centersY: IntegroDifferential.grid(around: cy, reach: reach, step: step),
                radii: radiusRange, radiusStep: first ? 1 : 0.5, span: 1, directionGroups: [directions], sign: 1
            ) else { return nil }
            candidate = IntegroDifferential.Candidate(centerX: (found.centerX + 0.5) * scale - 0.5, centerY: (found.centerY + 0.5) * scale - 0.5,
                                                      radius: found.radius * scale, strength: found.strength / scale)
            first = false
        }
        return candidate
    }

    /// The first fit leaves out the pupil's top, where a lid may hang; once the upper lid is
    /// known, fit again on the whole visible boundary (all directions whose boundary point lies
    /// below the lid), which centres non-circular pupils better.
    private func refitPupil(_ plane: FloatPlane, pupil: IrisCircle, lid: EyelidCurve?, shadowBand: Double) -> IrisCircle? {
        let all = IntegroDifferential.directions(ranges: [0...360], count: 96)
        let visible = all.filter { direction in
            guard let lid else { return true }
            let x = pupil.centerX + direction.0 * (pupil.radius + 2)
            let y = pupil.centerY + direction.1 * (pupil.radius + 2)
            // Lashes and the lid's shadow hide the boundary just below the lid margin too.
            return y > lid.y(atX: x) + 2 + shadowBand
        }
        guard visible.count >= 30 else { return nil }
        var centre = (x: pupil.centerX, y: pupil.centerY, radius: pupil.radius)
        for (reach, step) in [(4.0, 1.0), (1.0, 0.5)] {
            guard let found = IntegroDifferential.search(
                plane, centersX: IntegroDifferential.grid(around: centre.x, reach: reach, step: step),
                centersY: IntegroDifferential.grid(around: centre.y, reach: reach, step: step),
                radii: max(1, centre.radius - reach)...(centre.radius + reach), radiusStep: step, span: 1,
                directionGroups: [visible], sign: 1
            ) else { return nil }
            centre = (found.centerX, found.centerY, found.radius)
        }
        return IrisCircle(centerX: centre.x, centerY: centre.y, radius: centre.radius)
    }

    /// Edge points on the visible part of a boundary (between the lids with a margin, off
    /// reflections), an ellipse through them, and the equivalent circle; nil when too few points
    /// or an implausible ellipse.
    private func ellipseBoundary(_ plane: FloatPlane, circle: IrisCircle, upper: EyelidCurve?, lower: EyelidCurve?, band: Double,
                                 occlusion: IrisOcclusionMask, relativeRange: Double, span: Double, minimumStep: Float,
                                 needsTopAndBottom: Bool = false, allowedShift: Double = 0.25,
                                 maximumResidual: Double) -> (circle: IrisCircle, axisRatio: Double)? {
        let all = IntegroDifferential.directions(ranges: [0...360], count: 128)
        let visible = all.filter { direction in
            let x = circle.centerX + direction.0 * circle.radius
            let y = circle.centerY + direction.1 * circle.radius
            guard x >= 2, y >= 2, x <= Double(plane.width - 3), y <= Double(plane.height - 3) else { return false }
            if let upper, y < upper.y(atX: x) + band { return false }
            if let lower, y > lower.y(atX: x) - band { return false }
            return occlusion[Int(x.rounded()), Int(y.rounded())].isEmpty
        }
        guard visible.count >= 40 else { return nil }
        // Without points near the top and the bottom an ellipse's height and centre trade off
        // freely (the soft limbus under a lid); the circle fit is then the safer answer.
        if needsTopAndBottom {
            let top = visible.filter { $0.1 < -0.8 }.count
            let bottom = visible.filter { $0.1 > 0.8 }.count
            guard top >= 6, bottom >= 6 else { return nil }
        }
        let points = BoundaryFit.edgePoints(plane, centerX: circle.centerX, centerY: circle.centerY, directions: visible,
                                            radii: (circle.radius * (1 - relativeRange))...(circle.radius * (1 + relativeRange)),
                                            span: span, minimumStep: minimumStep)
        guard points.count >= max(24, visible.count / 2),
              let ellipse = BoundaryFit.ellipse(through: points, originX: circle.centerX, originY: circle.centerY) else { return nil }
        let fitted = IrisCircle(centerX: ellipse.centerX, centerY: ellipse.centerY, radius: ellipse.meanRadius)
        guard ellipse.semiAxisB >= 0.6 * ellipse.semiAxisA,
              ellipse.residualRMS <= maximumResidual,
              fitted.centerDistance(to: circle) <= max(4, allowedShift * circle.radius),
              abs(fitted.radius - circle.radius) <= max(2, allowedShift * circle.radius) else { return nil }
        return (fitted, ellipse.semiAxisB / ellipse.semiAxisA)
    }

    /// The limbus search uses only the left and right arcs, which fix the centre's height
    /// loosely; once the lids are known, fit again on every part of the limbus that lies between
    /// them (with a margin for the lid's shadow and lashes).
    private func refitLimbus(_ plane: FloatPlane, iris: IrisCircle, pupil: IrisCircle, upper: EyelidCurve?, lower: EyelidCurve?) -> IrisCircle? {
        let band = 0.12 * iris.radius
        let all = IntegroDifferential.directions(ranges: [0...360], count: 128)
        let visible = all.filter { direction in
            let x = iris.centerX + direction.0 * (iris.radius + 3)
            let y = iris.centerY + direction.1 * (iris.radius + 3)
            guard x >= 0, y >= 0, x <= Double(plane.width - 1), y <= Double(plane.height - 1) else { return false }
            if let upper, y < upper.y(atX: x) + band { return false }
            if let lower, y > lower.y(atX: x) - band { return false }
            return true
        }
        // Without the top and bottom the earlier fit is as good as this one.
        let belowCentre = visible.filter { $0.1 > 0.6 }.count
        let aboveCentre = visible.filter { $0.1 < -0.6 }.count
        guard visible.count >= 48, belowCentre >= 6 || aboveCentre >= 6 else { return nil }
        var centre = (x: iris.centerX, y: iris.centerY, radius: iris.radius)
        for (reach, step) in [(3.0, 1.0), (1.0, 0.5)] {
            guard let found = IntegroDifferential.search(
                plane, centersX: IntegroDifferential.grid(around: centre.x, reach: reach, step: step),
                centersY: IntegroDifferential.grid(around: centre.y, reach: reach, step: step),
                radii: max(1, centre.radius - reach)...(centre.radius + reach), radiusStep: step, span: 3,
                directionGroups: [visible], sign: 1,
                enclosing: (pupil.centerX, pupil.centerY, pupil.radius * 1.12)
            ) else { return nil }
            centre = (found.centerX, found.centerY, found.radius)
        }
        return IrisCircle(centerX: centre.x, centerY: centre.y, radius: centre.radius)
    }

    // MARK: Limbus

    private func findLimbus(pyramid: [FloatPlane], pupil: IntegroDifferential.Candidate) -> IntegroDifferential.Candidate? {
        // Left and right arcs, below the upper lid's usual reach.
        let rightArc: [ClosedRange<Double>] = [-30...30]
        let leftArc: [ClosedRange<Double>] = [150...210]
        func arcs(_ count: Int) -> [[(Double, Double)]] {
            [IntegroDifferential.directions(ranges: rightArc, count: count / 2),
             IntegroDifferential.directions(ranges: leftArc, count: count / 2)]
        }
        let coarseLevel = min(pyramid.count - 1, 2)
        let plane = pyramid[coarseLevel]
        let scale = Double(1 << coarseLevel)
        let cx = (pupil.centerX + 0.5) / scale - 0.5
        let cy = (pupil.centerY + 0.5) / scale - 0.5
        let pupilRadius = pupil.radius / scale
        let smallest = max(pupilRadius * 1.2, pupilRadius + 3)
        let largest = min(max(pupilRadius / 0.12, smallest + 4), Double(max(plane.width, plane.height)) * 0.6)
        guard largest > smallest + 2 else { return nil }
        let reach = max(2, min(4, pupilRadius * 0.25 + 1.5))
        guard var found = IntegroDifferential.search(
            plane, centersX: IntegroDifferential.grid(around: cx, reach: reach, step: 1),
            centersY: IntegroDifferential.grid(around: cy, reach: reach * 0.6, step: 1),
            radii: smallest...largest, radiusStep: 1, span: 1,
            directionGroups: arcs(40), sign: 1, enclosing: (cx, cy, pupilRadius * 1.12)
        ) else { return nil }
        var foundScale = scale
        for level in stride(from: coarseLevel - 1, through: 0, by: -1) {
            let finer = pyramid[level]
            let levelScale = Double(1 << level)
            let ratio = foundScale / levelScale
            let fx = (found.centerX + 0.5) * ratio - 0.5
            let fy = (found.centerY + 0.5) * ratio - 0.5
            let fr = found.radius * ratio
            let lowerBound = max(fr - 1.5 * ratio, (pupil.radius / levelScale) * 1.15)
            guard fr + 1.5 * ratio > lowerBound else { return nil }
            guard let refined = IntegroDifferential.search(
                finer, centersX: IntegroDifferential.grid(around: fx, reach: 1.0 * ratio, step: level == 0 ? 0.5 : 1),
                centersY: IntegroDifferential.grid(around: fy, reach: 1.0 * ratio, step: level == 0 ? 0.5 : 1),
                radii: lowerBound...(fr + 1.5 * ratio), radiusStep: level == 0 ? 0.5 : 1, span: level == 0 ? 3 : 1,
                directionGroups: arcs(level == 0 ? 96 : 64), sign: 1,
                enclosing: ((pupil.centerX + 0.5) / levelScale - 0.5, (pupil.centerY + 0.5) / levelScale - 0.5, pupil.radius / levelScale * 1.12)
            ) else { return nil }
            found = refined
            foundScale = levelScale
        }
        return IntegroDifferential.Candidate(centerX: (found.centerX + 0.5) * foundScale - 0.5, centerY: (found.centerY + 0.5) * foundScale - 0.5,
                                             radius: found.radius * foundScale, strength: found.strength / foundScale)
    }

    // MARK: Tissue levels

    struct TissueLevels {
        var pupil: Double
        var iris: Double
        var sclera: Double
    }

    /// Medians of the pupil interior, the middle of the iris ring and the sclera just outside
    /// the limbus on the left and right (where lids rarely reach).
    private func estimateTissueLevels(_ plane: FloatPlane, pupil: IrisCircle, iris: IrisCircle) -> TissueLevels {
        func median(_ values: inout [Float]) -> Double {
            guard !values.isEmpty else { return 0 }
            values.sort()
            return Double(values[values.count / 2])
        }
        var pupilValues: [Float] = []
        var irisValues: [Float] = []
        var scleraValues: [Float] = []
        for step in 0..<64 {
            let angle = Double(step) / 64 * 2 * .pi
            let c = cos(angle)
            let s = sin(angle)
            for fraction in [0.2, 0.45, 0.7] {
                if let value = plane.sample(pupil.centerX + c * pupil.radius * fraction, pupil.centerY + s * pupil.radius * fraction) { pupilValues.append(value) }
            }
            let middle = (pupil.radius + iris.radius) / 2
            for radius in [middle, (middle + iris.radius * 0.9) / 2] {
                if let value = plane.sample(iris.centerX + c * radius, iris.centerY + s * radius) { irisValues.append(value) }
            }
            if abs(s) < 0.5, let value = plane.sample(iris.centerX + c * iris.radius * 1.15, iris.centerY + s * iris.radius * 1.15) {
                scleraValues.append(value)
            }
        }
        let irisMedian = median(&irisValues)
        return TissueLevels(pupil: median(&pupilValues), iris: irisMedian, sclera: scleraValues.isEmpty ? irisMedian : median(&scleraValues))
    }

    // MARK: Eyelids

    /// Best parabola whose mean vertical step (lid brighter than iris) inside the iris exceeds
    /// `threshold`; nil when the lid is clear of the iris.
    private func findEyelid(_ plane: FloatPlane, scale: Double, pupil: IrisCircle, iris: IrisCircle, upper: Bool, threshold: Double) -> EyelidCurve? {
        let cx = (iris.centerX + 0.5) / scale - 0.5
        let cy = (iris.centerY + 0.5) / scale - 0.5
        let radius = iris.radius / scale
        let pcx = (pupil.centerX + 0.5) / scale - 0.5
        let pcy = (pupil.centerY + 0.5) / scale - 0.5
        let pupilGuard = pupil.radius / scale + 2
        let offset = max(1.0, 2 / scale * 1.5)
        let direction: Double = upper ? 1 : -1
        // Vertex rows from the iris edge inwards to the pupil centre.
        let startY = cy - direction * radius
        let endY = pcy
        let rowCount = Int(abs(endY - startY))
        guard rowCount > 2 else { return nil }
        var best: (curve: EyelidCurve, score: Double)?
        let span = radius * 0.9
        let sampleXs = stride(from: -span, through: span, by: 1.0).map { $0 }
        for vertexShift in [-0.2, 0.0, 0.2] {
            let vx = cx + vertexShift * radius
            for curvatureStep in 0...5 {
                let curvature = direction * Double(curvatureStep) * 0.09 / radius
                for row in 0...rowCount {
                    let vy = startY + direction * Double(row)
                    var total = 0.0
                    var used = 0
                    for dx in sampleXs {
                        let x = cx + dx
                        let y = vy + curvature * (x - vx) * (x - vx)
                        let ix = x - cx
                        let iy = y - cy
                        guard ix * ix + iy * iy < radius * radius * 0.95 else { continue }
                        let px = x - pcx
                        let py = y - pcy
                        guard px * px + py * py > pupilGuard * pupilGuard else { continue }
                        guard let above = plane.sample(x, y - offset), let below = plane.sample(x, y + offset) else { continue }
                        total += Double(upper ? above - below : below - above)
                        used += 1
                    }
                    guard used >= max(4, sampleXs.count / 4) else { continue }
                    // Mean step weighted by how much of the lid crosses the iris.
                    let score = total / Double(used) * min(1, Double(used) / Double(sampleXs.count / 2))
                    if score > (best?.score ?? -.infinity) {
                        best = (EyelidCurve(vertexX: vx, vertexY: vy, curvature: curvature), score)
                    }
                }
            }
        }
        guard let found = best, found.score >= threshold else { return nil }
        let curve = EyelidCurve(vertexX: (found.curve.vertexX + 0.5) * scale - 0.5, vertexY: (found.curve.vertexY + 0.5) * scale - 0.5,
                                curvature: found.curve.curvature / scale)
        // A lid at the very edge of the iris occludes nothing.
        let topOfIris = iris.centerY - iris.radius
        let bottomOfIris = iris.centerY + iris.radius
        if upper, curve.vertexY <= topOfIris + 2 { return nil }
        if !upper, curve.vertexY >= bottomOfIris - 2 { return nil }
        return curve
    }

    // MARK: Masks

    /// Marks lids and lashes around the iris and returns the usable fraction of the annulus.
    private func markLidsAndLashes(_ plane: FloatPlane, occlusion: inout IrisOcclusionMask, pupil: IrisCircle, iris: IrisCircle,
                                   upper: EyelidCurve?, lower: EyelidCurve?, levels: TissueLevels) -> Double {
        let width = plane.width
        let height = plane.height
        let reach = iris.radius * 1.3
        let x0 = max(0, Int((iris.centerX - reach).rounded(.down)))
        let x1 = min(width - 1, Int((iris.centerX + reach).rounded(.up)))
        let y0 = max(0, Int((iris.centerY - reach).rounded(.down)))
        let y1 = min(height - 1, Int((iris.centerY + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return 0 }
        let lashThreshold = Float(levels.pupil + 0.45 * (levels.iris - levels.pupil))
        let lidFlag = OcclusionKind.eyelid.rawValue
        let lashFlag = OcclusionKind.eyelash.rawValue
        let irisRadiusSquared = iris.radius * iris.radius
        let pupilRadiusSquared = pupil.radius * pupil.radius
        var annulus = 0
        var usable = 0
        for y in y0...y1 {
            let fy = Double(y)
            for x in x0...x1 {
                let fx = Double(x)
                let index = y * width + x
                if let upper, fy < upper.y(atX: fx) { occlusion.flags[index] |= lidFlag }
                if let lower, fy > lower.y(atX: fx) { occlusion.flags[index] |= lidFlag }
                let ix = fx - iris.centerX
                let iy = fy - iris.centerY
                let px = fx - pupil.centerX
                let py = fy - pupil.centerY
                guard ix * ix + iy * iy <= irisRadiusSquared, px * px + py * py > pupilRadiusSquared else { continue }
                annulus += 1
                if occlusion.flags[index] == 0, plane.values[index] < lashThreshold {
                    occlusion.flags[index] |= lashFlag
                }
                if occlusion.flags[index] == 0 { usable += 1 }
            }
        }
        // Parts of the annulus outside the frame count as not usable.
        let fullAnnulus = Double.pi * (irisRadiusSquared - pupilRadiusSquared)
        return fullAnnulus > 0 ? min(1, Double(usable) / max(fullAnnulus, Double(annulus))) : 0
    }

    /// Pupil boundary radius at 256 angles (strongest outward dark-to-bright step between 0.6 r
    /// and 1.4 r), divided by r; 0 where occluded, outside the frame or without a clear edge.
    private func pupilBoundaryRadii(_ plane: FloatPlane, pupil: IrisCircle, occlusion: IrisOcclusionMask) -> [Double] {
        var radii = [Double](repeating: 0, count: 256)
        let r = pupil.radius
        guard r > 1 else { return radii }
        let step = 0.5
        for index in 0..<256 {
            let angle = Double(index) / 256 * 2 * .pi
            let c = cos(angle)
            let s = sin(angle)
            var bestStep: Float = 0
            var bestRadius = 0.0
            var radius = r * 0.6
            while radius <= r * 1.4 {
                let inner = radius - 1.5
                let outer = radius + 1.5
                if let a = plane.sample(pupil.centerX + c * inner, pupil.centerY + s * inner),
                   let b = plane.sample(pupil.centerX + c * outer, pupil.centerY + s * outer), b - a > bestStep {
                    bestStep = b - a
                    bestRadius = radius
                }
                radius += step
            }
            let bx = Int((pupil.centerX + c * bestRadius).rounded())
            let by = Int((pupil.centerY + s * bestRadius).rounded())
            if bestStep > 8, occlusion[bx, by].isEmpty { radii[index] = bestRadius / r }
        }
        return radii
    }
}
