import BioCapture
import Foundation

/// The background a portrait is taken against. e-KTP uses red or blue (by birth year, a local
/// rule: configurable); white is there for other documents.
public enum PortraitBackground: String, Sendable, Hashable, Codable, CaseIterable {
    case red, blue, white

    public var rgb: (red: UInt8, green: UInt8, blue: UInt8) {
        switch self {
        case .red: (196, 30, 38)
        case .blue: (22, 72, 170)
        case .white: (238, 238, 236)
        }
    }
}

/// Everything that varies in a synthetic portrait. Identity (skin, hair, feature sizes) comes from
/// the identity seed; pose, expression, light and camera from the capture settings.
public struct PortraitParameters: Sendable, Hashable {
    public var width = 960
    public var height = 720
    public var background = PortraitBackground.blue
    /// Face centre as a fraction of the frame.
    public var centerX = 0.5
    public var centerY = 0.48
    /// Face half-height as a fraction of the frame height. 0.22 leaves room above the hair and
    /// shows the shoulders, so an ISO/IEC 19794-5 token (height 5.3 eye distances) fits in the frame.
    public var faceScale = 0.22
    /// Head roll in degrees (positive: clockwise in the image).
    public var rollDegrees = 0.0
    /// Head turn, −1 (left) … 1 (right); shifts the features inside the face outline.
    public var yaw = 0.0
    public var eyesOpen = true
    /// 0 neutral … 1 broad smile (mouth open).
    public var smile = 0.0
    /// Overall light level, 1 = well exposed.
    public var exposure = 1.0
    /// Side light, −1 (from the left) … 1 (from the right), 0 = even.
    public var sideLight = 0.0
    /// Gaussian blur sigma in pixels (focus).
    public var blurSigma = 0.0
    /// Sensor noise sigma in grey levels.
    public var noise = 2.0

    public init() {}
}

/// Deterministic synthetic frontal portraits (ICAO-like framing) for the simulated webcam and tests.
public struct PortraitGenerator: Sendable {
    public struct Identity: Sendable, Hashable {
        var skin: (Double, Double, Double)
        var hair: (Double, Double, Double)
        var iris: (Double, Double, Double)
        var eyeSpacing: Double
        var eyeSize: Double
        var mouthWidth: Double
        var faceWidth: Double

        public static func == (lhs: Identity, rhs: Identity) -> Bool {
            lhs.eyeSpacing == rhs.eyeSpacing && lhs.eyeSize == rhs.eyeSize && lhs.mouthWidth == rhs.mouthWidth
                && lhs.faceWidth == rhs.faceWidth && lhs.skin == rhs.skin
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(eyeSpacing)
            hasher.combine(eyeSize)
        }

        init(seed: UInt64) {
            var random = SeededRandom(seed: seed ^ 0xFACE_FACE)
            // Skin tones from light to dark brown.
            let tone = random.unit()
            skin = (235 - 110 * tone, 190 - 105 * tone, 160 - 95 * tone)
            let hairLevel = 15 + 35 * random.unit()
            hair = (hairLevel, hairLevel * 0.85, hairLevel * 0.7)
            let irisLevel = 40 + 40 * random.unit()
            iris = (irisLevel, irisLevel * 0.7, irisLevel * 0.5)
            eyeSpacing = 0.36 + 0.05 * random.unit()
            eyeSize = 0.9 + 0.2 * random.unit()
            mouthWidth = 0.26 + 0.08 * random.unit()
            faceWidth = 0.74 + 0.08 * random.unit()
        }
    }

    /// Where the generator put things, in frame pixels (the ground truth for localisation tests).
    public struct Truth: Sendable, Hashable {
        public var faceCenterX: Double
        public var faceCenterY: Double
        /// Half height of the face outline (chin to hairline ≈ 2 × this).
        public var faceHalfHeight: Double
        public var leftEye: (x: Double, y: Double)
        public var rightEye: (x: Double, y: Double)

        public static func == (lhs: Truth, rhs: Truth) -> Bool {
            lhs.faceCenterX == rhs.faceCenterX && lhs.faceCenterY == rhs.faceCenterY
                && lhs.leftEye == rhs.leftEye && lhs.rightEye == rhs.rightEye
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(faceCenterX)
            hasher.combine(faceCenterY)
        }
    }

    public let identitySeed: UInt64

    public init(identitySeed: UInt64) { self.identitySeed = identitySeed }

    /// Renders one portrait. `captureSeed` varies the noise from frame to frame.
    public func render(_ parameters: PortraitParameters, captureSeed: UInt64 = 0) -> (image: RGBImage, truth: Truth) {
        let identity = Identity(seed: identitySeed)
        let width = max(16, parameters.width)
        let height = max(16, parameters.height)
        let scale = parameters.faceScale * Double(height)
        let centerX = parameters.centerX * Double(width)
        let centerY = parameters.centerY * Double(height)
        let roll = parameters.rollDegrees * .pi / 180
        let cosRoll = cos(roll)
        let sinRoll = sin(roll)
        let background = parameters.background.rgb
        var random = SeededRandom(seed: identitySeed &* 31 &+ captureSeed &+ 7)

        // Face coordinates: u across (−1 … 1 at the cheeks), v down (−1 hairline … 1 chin).
        func faceCoordinates(_ x: Double, _ y: Double) -> (Double, Double) {
            let dx = x - centerX
            let dy = y - centerY
            let u = (dx * cosRoll + dy * sinRoll) / scale
            let v = (-dx * sinRoll + dy * cosRoll) / scale
            return (u / identity.faceWidth, v)
        }

        let featureShift = parameters.yaw * 0.25
        let eyeY = -0.12
        let eyeDX = identity.eyeSpacing / identity.faceWidth
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let edge = 1.5 / scale  // anti-aliasing width in face units

        let fw = identity.faceWidth
        let skin = identity.skin
        let skinShade = (skin.0 * 0.82, skin.1 * 0.8, skin.2 * 0.8)
        let shirt = (52.0, 58.0, 66.0)
        let brow = (identity.hair.0 * 1.2, identity.hair.1 * 1.2, identity.hair.2 * 1.2)
        let size = identity.eyeSize
        let halfWidth = identity.mouthWidth / fw
        let mouthV = 0.64

        for y in 0..<height {
            // Background with a gentle vertical gradient.
            let gradient = 1.0 - 0.08 * Double(y) / Double(height)
            let rowBackground = (Double(background.red) * gradient, Double(background.green) * gradient, Double(background.blue) * gradient)
            for x in 0..<width {
                let (u, v) = faceCoordinates(Double(x) + 0.5, Double(y) + 0.5)
                var c = rowBackground

                // Shoulders and neck stay upright when the head rolls.
                let bodyU = (Double(x) + 0.5 - centerX) / scale / fw
                let bodyV = (Double(y) + 0.5 - centerY) / scale
                if bodyV > 0.5 {
                    Self.blend(&c, shirt, Self.ellipse(bodyU, bodyV, 0, 2.75, 2.2, 1.25, edge))
                    if bodyV > 0.6 { Self.blend(&c, skinShade, Self.ellipse(bodyU, bodyV, 0, 1.2, 0.42, 0.75, edge)) }
                }
                // Everything else lies inside this box: skip it elsewhere (speed).
                if abs(u) < 1.25, v > -1.55, v < 1.35 {
                    // Hair behind the head, ears.
                    Self.blend(&c, identity.hair, Self.ellipse(u, v, 0, -0.25, 1.12, 1.2, edge))
                    Self.blend(&c, skinShade, Self.ellipse(u, v, -1.0, -0.02, 0.14, 0.24, edge))
                    Self.blend(&c, skinShade, Self.ellipse(u, v, 1.0, -0.02, 0.14, 0.24, edge))
                    // Face with shading: darker towards the outline and on the side away from the light.
                    let face = Self.ellipse(u, v, 0, 0, 1.0, 1.22, edge)
                    if face > 0 {
                        let radial = min(1, (u * u + (v / 1.22) * (v / 1.22)).squareRoot())
                        let light = (1 - 0.22 * radial * radial) * (1 + 0.5 * parameters.sideLight * u)
                        Self.blend(&c, (skin.0 * light, skin.1 * light, skin.2 * light), face)
                        // Hairline: an arch, higher over the forehead than at the temples, with a
                        // slight wave and a soft edge where the hair thins out.
                        let hairline = -0.86 + 0.3 * u * u + 0.035 * sin(7 * u + 0.6)
                        let hair = max(0, min(1, (hairline - v) / (4 * edge) + 0.5))
                        // Full hair coverage even where the face edge is anti-aliased: no skin seam inside the hair.
                        Self.blend(&c, identity.hair, hair)
                    }

                    let fu = u - featureShift
                    // Eyebrows.
                    if v > eyeY - 0.3, v < eyeY - 0.1 {
                        var side = -1.0
                        while side <= 1 {
                            let cu = side * eyeDX
                            let browV = eyeY - 0.2 + 0.02 * ((fu - cu) / 0.2) * ((fu - cu) / 0.2)
                            let along = abs(fu - cu) < 0.21 ? 1.0 : 0.0
                            let thickness = max(0, 1 - abs(v - browV) / 0.035)
                            Self.blend(&c, brow, along * min(1, thickness * 1.6))
                            side += 2
                        }
                    }
                    // Eyes. Iris, pupil and highlight are circles in the image (their u radii are
                    // divided by the face width, because u is).
                    if abs(v - eyeY) < 0.16 {
                        var side = -1.0
                        while side <= 1 {
                            let cu = side * eyeDX + featureShift
                            if abs(u - cu) < 0.3 {
                                if parameters.eyesOpen {
                                    let socket = Self.ellipse(u, v, cu, eyeY, 0.22 * size, 0.11 * size, edge)
                                    Self.blend(&c, (skin.0 * 0.7, skin.1 * 0.66, skin.2 * 0.66), socket * 0.6)
                                    let opening = Self.ellipse(u, v, cu, eyeY, 0.17 * size, 0.065 * size, edge)
                                    Self.blend(&c, (228, 224, 220), opening)
                                    let irisRadius = 0.062 * size
                                    Self.blend(&c, identity.iris, Self.ellipse(u, v, cu, eyeY, irisRadius / fw, irisRadius, edge) * opening)
                                    Self.blend(&c, (12, 10, 10), Self.ellipse(u, v, cu, eyeY, 0.026 * size / fw, 0.026 * size, edge))
                                    Self.blend(&c, (250, 250, 250), Self.ellipse(u, v, cu + 0.018 / fw, eyeY - 0.018, 0.009 / fw, 0.009, edge))
                                    // Upper lid line.
                                    let across = (u - cu) / (0.17 * size)
                                    let lidV = eyeY - 0.065 * size * max(0, 1 - across * across).squareRoot()
                                    let lid = max(0, 1 - abs(v - lidV) / 0.012)
                                    Self.blend(&c, (30, 22, 20), abs(across) < 1 ? lid : 0)
                                } else {
                                    let socket = Self.ellipse(u, v, cu, eyeY, 0.22 * size, 0.1 * size, edge)
                                    Self.blend(&c, (skin.0 * 0.78, skin.1 * 0.74, skin.2 * 0.74), socket * 0.6)
                                    let across = (u - cu) / (0.17 * size)
                                    let lash = max(0, 1 - abs(v - eyeY - 0.01 * (1 - across * across)) / 0.012)
                                    Self.blend(&c, (30, 22, 20), abs(across) < 1 ? lash : 0)
                                }
                            }
                            side += 2
                        }
                    }
                    // Nose: shaded sides, nostrils.
                    if v > -0.05, v < 0.36 {
                        var side = -1.0
                        while side <= 1 {
                            let shade = max(0, 1 - abs(fu - side * 0.1) / 0.04) * 0.35
                            Self.blend(&c, (skin.0 * 0.72, skin.1 * 0.68, skin.2 * 0.68), shade)
                            side += 2
                        }
                    }
                    if v > 0.3, v < 0.46 {
                        Self.blend(&c, (60, 40, 38), Self.ellipse(u, v, -0.085 + featureShift, 0.38, 0.045, 0.025, edge))
                        Self.blend(&c, (60, 40, 38), Self.ellipse(u, v, 0.085 + featureShift, 0.38, 0.045, 0.025, edge))
                    }
                    // Mouth.
                    if v > 0.45, v < 0.85 {
                        let curve = -0.08 * parameters.smile * (1 - (fu / halfWidth) * (fu / halfWidth))
                        let lips = Self.ellipse(u, v, featureShift, mouthV + curve * 0.5, halfWidth, 0.07 + 0.05 * parameters.smile, edge)
                        Self.blend(&c, (skin.0 * 0.75 + 25, skin.1 * 0.5, skin.2 * 0.5), lips)
                        if parameters.smile > 0.3 {
                            Self.blend(&c, (240, 236, 230), Self.ellipse(u, v, featureShift, mouthV + curve * 0.5, halfWidth * 0.8, 0.035 * parameters.smile, edge))
                        }
                        let seam = max(0, 1 - abs(v - (mouthV + curve)) / 0.012) * (abs(fu) < halfWidth ? 1 : 0)
                        Self.blend(&c, (70, 30, 30), seam)
                    }
                }

                let base = (y * width + x) * 3
                pixels[base] = ImageOps.byte(c.0 * parameters.exposure)
                pixels[base + 1] = ImageOps.byte(c.1 * parameters.exposure)
                pixels[base + 2] = ImageOps.byte(c.2 * parameters.exposure)
            }
        }

        if parameters.blurSigma > 0.3 {
            pixels = Self.gaussianBlur(pixels, width: width, height: height, sigma: parameters.blurSigma)
        }
        if parameters.noise > 0 {
            for index in pixels.indices {
                pixels[index] = ImageOps.byte(Double(pixels[index]) + random.gaussian(deviation: parameters.noise))
            }
        }

        func toFrame(_ u: Double, _ v: Double) -> (x: Double, y: Double) {
            let su = u * identity.faceWidth * scale
            let sv = v * scale
            return (centerX + su * cosRoll - sv * sinRoll, centerY + su * sinRoll + sv * cosRoll)
        }
        // The subject's left eye is on the image's right.
        let truth = Truth(
            faceCenterX: centerX, faceCenterY: centerY, faceHalfHeight: scale * 1.22,
            leftEye: toFrame(eyeDX + featureShift, eyeY), rightEye: toFrame(-eyeDX + featureShift, eyeY))
        let image = RGBImage(width: width, height: height, pixels: pixels) ?? RGBImage(width: width, height: height)
        return (image, truth)
    }

    /// Mixes `colour` over `c` with `coverage` (0…1).
    @inline(__always)
    static func blend(_ c: inout (Double, Double, Double), _ colour: (Double, Double, Double), _ coverage: Double) {
        guard coverage > 0 else { return }
        let k = min(1, coverage)
        c.0 += (colour.0 - c.0) * k
        c.1 += (colour.1 - c.1) * k
        c.2 += (colour.2 - c.2) * k
    }

    /// Coverage (0…1, anti-aliased over `edge`) of the ellipse centred (cu, cv) with radii (ru, rv)
    /// at face point (u, v), from an approximate signed distance.
    @inline(__always)
    static func ellipse(_ u: Double, _ v: Double, _ cu: Double, _ cv: Double, _ ru: Double, _ rv: Double, _ edge: Double) -> Double {
        let du = (u - cu) / ru
        let dv = (v - cv) / rv
        let d = du * du + dv * dv
        if d > 4 { return 0 }
        let distance = (d.squareRoot() - 1) * min(ru, rv)
        return max(0, min(1, 0.5 - distance / edge))
    }

    /// Separable Gaussian blur on interleaved RGB (edges replicated).
    static func gaussianBlur(_ pixels: [UInt8], width: Int, height: Int, sigma: Double) -> [UInt8] {
        let radius = max(1, Int((sigma * 3).rounded(.up)))
        var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let taps = kernel.count
        var output = [UInt8](repeating: 0, count: pixels.count)
        var plane = [Double](repeating: 0, count: width * height)
        var line = [Double](repeating: 0, count: max(width, height) + 2 * radius)
        kernel.withUnsafeBufferPointer { k in
            for channel in 0..<3 {
                // Rows: pad each row into `line`, convolve into `plane`.
                for y in 0..<height {
                    for x in 0..<(width + 2 * radius) {
                        let sx = min(width - 1, max(0, x - radius))
                        line[x] = Double(pixels[(y * width + sx) * 3 + channel])
                    }
                    line.withUnsafeBufferPointer { l in
                        plane.withUnsafeMutableBufferPointer { out in
                            for x in 0..<width {
                                var sum = 0.0
                                for t in 0..<taps { sum += k[t] * l[x + t] }
                                out[y * width + x] = sum
                            }
                        }
                    }
                }
                // Columns.
                for x in 0..<width {
                    for y in 0..<(height + 2 * radius) {
                        line[y] = plane[min(height - 1, max(0, y - radius)) * width + x]
                    }
                    line.withUnsafeBufferPointer { l in
                        for y in 0..<height {
                            var sum = 0.0
                            for t in 0..<taps { sum += k[t] * l[y + t] }
                            output[(y * width + x) * 3 + channel] = ImageOps.byte(sum)
                        }
                    }
                }
            }
        }
        return output
    }
}
