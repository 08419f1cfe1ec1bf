import BioCapture
import Foundation

/// Rasterises one eye from sanitised parameters and an identity's anatomy.
struct EyeRenderer {
    let p: SyntheticEyeParameters
    let anatomy: IrisAnatomy
    let width: Int
    let height: Int

    // Geometry (pixels).
    let irisCenterX: Double
    let irisCenterY: Double
    let squeezeX: Double
    let squeezeY: Double
    let irisRadius: Double
    let pupilRadius: Double
    let pupilCenterX: Double
    let pupilCenterY: Double
    let upperLid: EyelidCurve
    let lowerLid: EyelidCurve
    let eyeHalfWidth: Double
    let eyesClosed: Bool

    /// Limbus transition width (pixels): the limbus is a soft edge, not a step.
    let limbusSoftness: Double

    init(parameters: SyntheticEyeParameters, anatomy: IrisAnatomy) {
        p = parameters
        self.anatomy = anatomy
        width = parameters.width
        height = parameters.height
        irisRadius = parameters.irisRadius
        pupilRadius = parameters.irisRadius * parameters.pupilToIrisRatio
        irisCenterX = Double(width - 1) / 2 + parameters.centerOffsetX
        irisCenterY = Double(height - 1) / 2 + parameters.centerOffsetY
        let yaw = parameters.gazeYawDegrees * .pi / 180
        let pitch = parameters.gazePitchDegrees * .pi / 180
        squeezeX = cos(yaw)
        squeezeY = cos(pitch)
        // Corneal refraction makes the pupil look shifted towards the gaze direction.
        pupilCenterX = irisCenterX + 0.12 * irisRadius * sin(yaw)
        pupilCenterY = irisCenterY + 0.12 * irisRadius * sin(pitch)
        limbusSoftness = max(1.5, irisRadius * 0.03)

        eyeHalfWidth = irisRadius * anatomy.eyeHalfWidthFactor
        let cornerY = irisCenterY + anatomy.cornerDropFactor * irisRadius
        let verticalRadius = irisRadius * squeezeY
        let upperVertexY = irisCenterY - verticalRadius + parameters.upperEyelidCover * 2 * verticalRadius
        let lowerVertexY = irisCenterY + verticalRadius - parameters.lowerEyelidCover * 2 * verticalRadius
        let halfWidthSquared = eyeHalfWidth * eyeHalfWidth
        upperLid = EyelidCurve(vertexX: irisCenterX, vertexY: upperVertexY, curvature: (cornerY - upperVertexY) / halfWidthSquared)
        lowerLid = EyelidCurve(vertexX: irisCenterX, vertexY: lowerVertexY, curvature: (cornerY - lowerVertexY) / halfWidthSquared)
        eyesClosed = upperVertexY >= lowerVertexY - 1
    }

    mutating func render() -> (GrayImage, SyntheticEyeTruth) {
        let count = width * height
        var scene = [Float](repeating: 0, count: count)
        var occlusion = IrisOcclusionMask(width: width, height: height)
        var inAnnulus = [Bool](repeating: false, count: count)

        drawFace(into: &scene, occlusion: &occlusion, annulus: &inAnnulus)
        drawLashes(into: &scene, occlusion: &occlusion)

        // Tissue contrast and illumination (with the illuminator's fall-off towards the corners)
        // apply to the scene; corneal reflections saturate regardless.
        let contrast = Float(p.contrast)
        let pivot: Float = 110
        let illumination = p.illumination
        let diagonal = Double(width * width + height * height).squareRoot() / 2
        for y in 0..<height {
            let dy = Double(y) - Double(height - 1) / 2
            for x in 0..<width {
                let dx = Double(x) - Double(width - 1) / 2
                let falloff = 1 - 0.4 * (dx * dx + dy * dy) / (diagonal * diagonal)
                let index = y * width + x
                let value = pivot + contrast * (scene[index] - pivot)
                scene[index] = value * Float(illumination * falloff)
            }
        }

        var capture = SeededRandom(seed: p.captureSeed ^ 0x5EC0_1A12_0000_0002)
        let specularCenters = drawReflections(into: &scene, occlusion: &occlusion, random: &capture)

        if p.defocusSigma > 0.3 {
            SyntheticFilters.gaussianBlur(&scene, width: width, height: height, sigma: p.defocusSigma)
        }
        if p.motionBlurLength >= 1.5 {
            SyntheticFilters.motionBlur(&scene, width: width, height: height, length: p.motionBlurLength, angleDegrees: p.motionBlurAngleDegrees)
        }

        var pixels = [UInt8](repeating: 0, count: count)
        let sigma = Float(p.noiseSigma)
        let unitScale: Float = 1.0 / 65535
        for index in 0..<count {
            var value = scene[index]
            if sigma > 0 {
                // Irwin–Hall: four 16-bit uniforms from one draw, variance 1/3 → scale by √3.
                let bits = capture.next()
                let sum = Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF) + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
                value += sigma * 1.7320508 * (sum * unitScale - 2)
            }
            pixels[index] = UInt8(min(max(value.rounded(), 0), 255))
        }
        let image = GrayImage(width: width, height: height, pixels: pixels) ?? GrayImage(width: width, height: height)

        var annulusCount = 0
        var occludedCount = 0
        var lidCount = 0
        for index in 0..<count where inAnnulus[index] {
            annulusCount += 1
            let flags = occlusion.flags[index]
            if flags != 0 { occludedCount += 1 }
            if flags & OcclusionKind.eyelid.rawValue != 0 { lidCount += 1 }
        }
        let occludedFraction: Double
        let lidFraction: Double
        if eyesClosed || annulusCount == 0 {
            occludedFraction = 1
            lidFraction = 1
        } else {
            occludedFraction = Double(occludedCount) / Double(annulusCount)
            lidFraction = Double(lidCount) / Double(annulusCount)
        }

        let truth = SyntheticEyeTruth(
            pupil: IrisCircle(centerX: pupilCenterX, centerY: pupilCenterY, radius: pupilRadius * (squeezeX + squeezeY) / 2),
            iris: IrisCircle(centerX: irisCenterX, centerY: irisCenterY, radius: irisRadius * (squeezeX + squeezeY) / 2),
            pupilSemiAxes: (pupilRadius * squeezeX, pupilRadius * squeezeY),
            irisSemiAxes: (irisRadius * squeezeX, irisRadius * squeezeY),
            upperEyelid: upperLid, lowerEyelid: lowerLid, eyesClosed: eyesClosed,
            occludedFraction: occludedFraction, eyelidOccludedFraction: lidFraction,
            specularCenters: specularCenters, occlusion: occlusion
        )
        return (image, truth)
    }

    // MARK: Face, eyeball, iris

    /// Smooth low-frequency shading in -1…1: two octaves of the identity's random grid at
    /// unrelated scales and offsets, so neither octave's cell pattern shows.
    private func skinShading(x: Double, y: Double) -> Double {
        0.7 * gridNoise(x: x, y: y, span: irisRadius * 12, offset: 0)
            + 0.3 * gridNoise(x: y * 0.83 + x * 0.31, y: x * 0.79 - y * 0.27, span: irisRadius * 5, offset: 3.7)
    }

    private func gridNoise(x: Double, y: Double, span: Double, offset: Double) -> Double {
        let size = IrisAnatomy.skinGridSize
        let scale = Double(size - 1) / span
        let gx = min(max((x - irisCenterX) * scale + Double(size - 1) / 2 + offset, 0), Double(size - 1) - 0.001)
        let gy = min(max((y - irisCenterY) * scale + Double(size - 1) / 2 + offset, 0), Double(size - 1) - 0.001)
        let x0 = Int(gx)
        let y0 = Int(gy)
        // Smoothstep weights hide the grid's cell edges.
        let rawX = gx - Double(x0)
        let rawY = gy - Double(y0)
        let fx = rawX * rawX * (3 - 2 * rawX)
        let fy = rawY * rawY * (3 - 2 * rawY)
        let x1 = min(x0 + 1, size - 1)
        let y1 = min(y0 + 1, size - 1)
        let grid = anatomy.skinGrid
        let top = Double(grid[y0 * size + x0]) * (1 - fx) + Double(grid[y0 * size + x1]) * fx
        let bottom = Double(grid[y1 * size + x0]) * (1 - fx) + Double(grid[y1 * size + x1]) * fx
        return top * (1 - fy) + bottom * fy
    }

    @inline(__always)
    private static func ramp(_ value: Double) -> Double { min(max(value, 0), 1) }

    private func drawFace(into scene: inout [Float], occlusion: inout IrisOcclusionMask, annulus: inout [Bool]) {
        let skinGrey = anatomy.skinGrey
        let scleraGrey = anatomy.scleraGrey
        let irisGrey = anatomy.irisGrey
        let pupilGrey = anatomy.pupilGrey
        let outerReach = irisRadius + 4 * limbusSoftness
        let outerReachSquared = outerReach * outerReach
        let phase = anatomy.pupilShapePhase
        let cos2Phase = cos(2 * phase)
        let sin2Phase = sin(2 * phase)
        let nonCircular = p.pupilNonCircularity
        let irisRadius = self.irisRadius
        let pupilRadius = self.pupilRadius
        let creaseOffset = 0.32 * irisRadius
        let creaseWidth = 0.07 * irisRadius
        let shadowLength = 0.07 * irisRadius

        for y in 0..<height {
            let fy = Double(y)
            let ey = (fy - irisCenterY) / squeezeY
            let py = (fy - pupilCenterY) / squeezeY
            for x in 0..<width {
                let fx = Double(x)
                let index = y * width + x
                let upperY = upperLid.y(atX: fx)
                let lowerY = lowerLid.y(atX: fx)
                let opening = eyesClosed ? 0 : EyeRenderer.ramp((fy - upperY) / 1.5 + 0.5) * EyeRenderer.ramp((lowerY - fy) / 1.5 + 0.5)

                // Skin: broad shading, the upper lid crease and a darker lid margin.
                var skin = skinGrey * (1 + 0.16 * skinShading(x: fx, y: fy))
                // Beyond the eye corners the two lid parabolas cross; there is no margin or crease there.
                let withinCorners = EyeRenderer.ramp((eyeHalfWidth - abs(fx - irisCenterX)) / (0.15 * irisRadius))
                let crease = (fy - (upperY - creaseOffset)) / creaseWidth
                skin *= 1 - 0.12 * withinCorners * exp(-crease * crease)
                let marginDistance = eyesClosed ? abs(fy - (upperY + lowerY) / 2) : min(abs(fy - upperY), abs(fy - lowerY))
                skin *= 1 - 0.25 * withinCorners * exp(-marginDistance / 2.5)

                var value = skin
                let ex = (fx - irisCenterX) / squeezeX
                let distanceSquared = ex * ex + ey * ey
                var inIris = false
                if opening > 0 {
                    let across = (fx - irisCenterX) / eyeHalfWidth
                    var eye = scleraGrey * (1 - 0.2 * across * across) * (1 + 0.03 * skinShading(x: fy, y: fx))
                    if distanceSquared < outerReachSquared {
                        let distance = distanceSquared.squareRoot()
                        let limbus = EyeRenderer.ramp((irisRadius - distance) / limbusSoftness + 0.5)
                        let smoothLimbus = limbus * limbus * (3 - 2 * limbus)
                        let px = (fx - pupilCenterX) / squeezeX
                        let pupilDistanceSquared = px * px + py * py
                        var boundary = pupilRadius
                        if nonCircular > 0, pupilDistanceSquared > 1e-9 {
                            let cos2 = (px * px - py * py) / pupilDistanceSquared
                            let sin2 = 2 * px * py / pupilDistanceSquared
                            boundary *= 1 + nonCircular * (cos2 * cos2Phase + sin2 * sin2Phase)
                        }
                        let pupilDistance = pupilDistanceSquared.squareRoot()
                        let pupilMix = EyeRenderer.ramp((boundary - pupilDistance) / 1.2 + 0.5)
                        let rho = (distance - pupilRadius) / max(irisRadius - pupilRadius, 1)
                        let theta = atan2(ey, ex)
                        let irisValue = irisGrey * (1 + 0.3 * anatomy.textureValue(rho: rho, theta: theta))
                        eye = eye * (1 - smoothLimbus) + irisValue * smoothLimbus
                        eye = eye * (1 - pupilMix) + pupilGrey * pupilMix
                        inIris = distance < irisRadius && pupilDistance > boundary
                    }
                    // The upper lid shades the eyeball just below it.
                    let below = fy - upperY
                    if below > 0 { eye *= 1 - 0.3 * exp(-below / shadowLength) }
                    value = skin * (1 - opening) + eye * opening
                } else if distanceSquared < irisRadius * irisRadius {
                    inIris = true
                }
                scene[index] = Float(value)
                if inIris {
                    annulus[index] = true
                    if opening < 0.5 { occlusion.flags[index] |= OcclusionKind.eyelid.rawValue }
                }
            }
        }
    }

    // MARK: Eyelashes

    private func drawLashes(into scene: inout [Float], occlusion: inout IrisOcclusionMask) {
        guard p.eyelashDensity > 0 else { return }
        var coverage = [Float](repeating: 0, count: width * height)
        let lashGrey = Float(anatomy.lashGrey)
        for lash in anatomy.lashes where lash.rank < p.eyelashDensity {
            let rootX = irisCenterX + lash.rootPosition * eyeHalfWidth * 0.92
            let lid = lash.onUpperLid ? upperLid : lowerLid
            var x = rootX
            var y = lid.y(atX: rootX) + (lash.onUpperLid ? -0.5 : 0.5)
            let length = lash.length * irisRadius
            let step = 0.6
            var travelled = 0.0
            var angle = lash.angle
            let bendPerStep = lash.bend * step / max(length, 1)
            while travelled < length {
                let halfWidth = lash.thickness * (1 - 0.55 * travelled / length) / 2
                let reach = Int(halfWidth.rounded(.up)) + 1
                let cx = Int(x.rounded())
                let cy = Int(y.rounded())
                for oy in -reach...reach {
                    let py = cy + oy
                    guard py >= 0, py < height else { continue }
                    for ox in -reach...reach {
                        let px = cx + ox
                        guard px >= 0, px < width else { continue }
                        let dx = Double(px) - x
                        let dy = Double(py) - y
                        let alpha = Float(EyeRenderer.ramp(halfWidth + 0.5 - (dx * dx + dy * dy).squareRoot()))
                        let index = py * width + px
                        if alpha > coverage[index] { coverage[index] = alpha }
                    }
                }
                x += sin(angle) * step
                y += cos(angle) * step
                angle += bendPerStep
                travelled += step
            }
        }
        for index in coverage.indices where coverage[index] > 0 {
            let alpha = min(1, coverage[index] * 0.92)
            scene[index] = scene[index] * (1 - alpha) + lashGrey * alpha
            if alpha > 0.5 { occlusion.flags[index] |= OcclusionKind.eyelash.rawValue }
        }
    }

    // MARK: Reflections

    private func drawReflections(into scene: inout [Float], occlusion: inout IrisOcclusionMask, random: inout SeededRandom) -> [(x: Double, y: Double)] {
        var centres: [(x: Double, y: Double)] = []
        if p.specularReflectionCount > 0, !eyesClosed {
            // The illuminator sits beside the lens: its reflection lands in the pupil or on the
            // pupil boundary; a second LED gives a second spot a little to the side.
            let spotRadius = max(1.5, irisRadius * (0.028 + 0.02 * random.unit()))
            let baseX = pupilCenterX + (random.unit() - 0.5) * 1.0 * pupilRadius
            let baseY = pupilCenterY + (random.unit() - 0.5) * 0.8 * pupilRadius
            centres.append((baseX, baseY))
            if p.specularReflectionCount > 1 {
                let separation = (0.3 + 0.25 * random.unit()) * irisRadius
                let sideways = baseX > pupilCenterX ? -separation : separation
                centres.append((baseX + sideways, baseY + (random.unit() - 0.5) * 6))
            }
            for centre in centres {
                stampBrightBlob(into: &scene, occlusion: &occlusion, centerX: centre.x, centerY: centre.y,
                                radiusX: spotRadius, radiusY: spotRadius, rotation: 0, strength: 1)
            }
        }
        if p.glassesReflections {
            let count = 1 + Int(random.unit() * 2.99)
            for _ in 0..<count {
                let cx = irisCenterX + (random.unit() - 0.5) * 2.0 * irisRadius
                let cy = irisCenterY + (random.unit() - 0.5) * 1.4 * irisRadius
                let rx = irisRadius * (0.18 + 0.25 * random.unit())
                let ry = irisRadius * (0.07 + 0.12 * random.unit())
                stampBrightBlob(into: &scene, occlusion: &occlusion, centerX: cx, centerY: cy,
                                radiusX: rx, radiusY: ry, rotation: random.unit() * .pi, strength: 0.97)
            }
        }
        return centres
    }

    private func stampBrightBlob(into scene: inout [Float], occlusion: inout IrisOcclusionMask, centerX: Double, centerY: Double,
                                 radiusX: Double, radiusY: Double, rotation: Double, strength: Double) {
        let halo = 2.0
        let reach = max(radiusX, radiusY) + 4 * halo
        let x0 = max(0, Int((centerX - reach).rounded(.down)))
        let x1 = min(width - 1, Int((centerX + reach).rounded(.up)))
        let y0 = max(0, Int((centerY - reach).rounded(.down)))
        let y1 = min(height - 1, Int((centerY + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let c = cos(rotation)
        let s = sin(rotation)
        let meanRadius = (radiusX + radiusY) / 2
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) - centerX
                let dy = Double(y) - centerY
                let u = (dx * c + dy * s) / radiusX
                let v = (-dx * s + dy * c) / radiusY
                let normalised = (u * u + v * v).squareRoot()
                let outside = (normalised - 1) * meanRadius
                let weight = outside <= 0 ? 1 : exp(-(outside / halo) * (outside / halo))
                guard weight > 0.01 else { continue }
                let index = y * width + x
                let target: Float = 262
                scene[index] += (target - scene[index]) * Float(weight * strength)
                if weight > 0.3 { occlusion.flags[index] |= OcclusionKind.specular.rawValue }
            }
        }
    }
}

/// Blur filters for the generator's optics (float buffers, clamped borders).
enum SyntheticFilters {
    static func gaussianBlur(_ buffer: inout [Float], width: Int, height: Int, sigma: Double) {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = [Float](repeating: 0, count: 2 * radius + 1)
        var total: Float = 0
        for offset in -radius...radius {
            let weight = Float(exp(-Double(offset * offset) / (2 * sigma * sigma)))
            kernel[offset + radius] = weight
            total += weight
        }
        for index in kernel.indices { kernel[index] /= total }
        var temporary = [Float](repeating: 0, count: buffer.count)
        for y in 0..<height {
            let row = y * width
            for x in 0..<width {
                var sum: Float = 0
                for offset in -radius...radius {
                    let sx = min(max(x + offset, 0), width - 1)
                    sum += kernel[offset + radius] * buffer[row + sx]
                }
                temporary[row + x] = sum
            }
        }
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for offset in -radius...radius {
                    let sy = min(max(y + offset, 0), height - 1)
                    sum += kernel[offset + radius] * temporary[sy * width + x]
                }
                buffer[y * width + x] = sum
            }
        }
    }

    /// Averages along a straight segment of `length` pixels (bilinear samples), as when the
    /// head moves during the exposure.
    static func motionBlur(_ buffer: inout [Float], width: Int, height: Int, length: Double, angleDegrees: Double) {
        let taps = max(2, Int(length.rounded()))
        let angle = angleDegrees * .pi / 180
        let stepX = cos(angle)
        let stepY = sin(angle)
        var offsets: [(Double, Double)] = []
        for tap in 0..<taps {
            let t = (Double(tap) - Double(taps - 1) / 2) * length / Double(taps)
            offsets.append((t * stepX, t * stepY))
        }
        let source = buffer
        let weight = Float(1) / Float(taps)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for (ox, oy) in offsets {
                    sum += bilinear(source, width: width, height: height, x: Double(x) + ox, y: Double(y) + oy)
                }
                buffer[y * width + x] = sum * weight
            }
        }
    }

    @inline(__always)
    static func bilinear(_ buffer: [Float], width: Int, height: Int, x: Double, y: Double) -> Float {
        let cx = min(max(x, 0), Double(width - 1))
        let cy = min(max(y, 0), Double(height - 1))
        let x0 = min(Int(cx), max(width - 2, 0))
        let y0 = min(Int(cy), max(height - 2, 0))
        let x1 = min(x0 + 1, width - 1)
        let y1 = min(y0 + 1, height - 1)
        let fx = Float(cx - Double(x0))
        let fy = Float(cy - Double(y0))
        let top = buffer[y0 * width + x0] * (1 - fx) + buffer[y0 * width + x1] * fx
        let bottom = buffer[y1 * width + x0] * (1 - fx) + buffer[y1 * width + x1] * fx
        return top * (1 - fy) + bottom * fy
    }
}
