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
    /// Face half-height as a fraction of the frame height.
    public var faceScale = 0.27
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

        for y in 0..<height {
            for x in 0..<width {
                let (u, v) = faceCoordinates(Double(x) + 0.5, Double(y) + 0.5)
                // Background with a gentle vertical gradient.
                let gradient = 1.0 - 0.08 * Double(y) / Double(height)
                var r = Double(background.red) * gradient
                var g = Double(background.green) * gradient
                var b = Double(background.blue) * gradient

                func blend(_ colour: (Double, Double, Double), _ coverage: Double) {
                    guard coverage > 0 else { return }
                    let c = min(1, coverage)
                    r += (colour.0 - r) * c
                    g += (colour.1 - g) * c
                    b += (colour.2 - b) * c
                }
                func ellipse(_ cu: Double, _ cv: Double, _ ru: Double, _ rv: Double) -> Double {
                    let d = ((u - cu) / ru) * ((u - cu) / ru) + ((v - cv) / rv) * ((v - cv) / rv)
                    // Signed distance approximation in face units, smoothed over `edge`.
                    let distance = (d.squareRoot() - 1) * min(ru, rv)
                    return max(0, min(1, 0.5 - distance / edge))
                }

                // Shoulders and neck.
                let shirt = (52.0, 58.0, 66.0)
                blend(shirt, ellipse(0, 2.75, 2.2, 1.25))
                let skinShade = (identity.skin.0 * 0.82, identity.skin.1 * 0.8, identity.skin.2 * 0.8)
                blend(skinShade, ellipse(0, 1.2, 0.42, 0.75) * (v > 0.6 ? 1 : 0))
                // Hair behind the head.
                blend(identity.hair, ellipse(0, -0.25, 1.12, 1.2))
                // Ears.
                blend(skinShade, ellipse(-1.0, -0.02, 0.14, 0.24))
                blend(skinShade, ellipse(1.0, -0.02, 0.14, 0.24))
                // Face with shading: darker towards the outline and on the side away from the light.
                let face = ellipse(0, 0, 1.0, 1.22)
                if face > 0 {
                    let radial = min(1, (u * u + (v / 1.22) * (v / 1.22)).squareRoot())
                    let light = (1 - 0.22 * radial * radial) * (1 + 0.28 * parameters.sideLight * u)
                    blend((identity.skin.0 * light, identity.skin.1 * light, identity.skin.2 * light), face)
                }
                // Fringe of hair over the forehead.
                blend(identity.hair, ellipse(0, -1.12, 1.02, 0.42) * (v < -0.78 ? 1 : 0.0))

                let fu = u - featureShift
                // Eyebrows.
                for side in [-1.0, 1.0] {
                    let cu = side * eyeDX
                    let browV = eyeY - 0.2 + 0.02 * ((fu - cu) / 0.2) * ((fu - cu) / 0.2)
                    let along = abs(fu - cu) < 0.21 ? 1.0 : 0.0
                    let thickness = max(0, 1 - abs(v - browV) / 0.035)
                    blend((identity.hair.0 * 1.2, identity.hair.1 * 1.2, identity.hair.2 * 1.2), along * min(1, thickness * 1.6))
                }
                // Eyes.
                for side in [-1.0, 1.0] {
                    let cu = side * eyeDX + featureShift
                    let size = identity.eyeSize
                    if parameters.eyesOpen {
                        let socket = ellipse(cu, eyeY, 0.2 * size, 0.11 * size)
                        blend((identity.skin.0 * 0.7, identity.skin.1 * 0.66, identity.skin.2 * 0.66), socket * 0.6)
                        blend((228, 224, 220), ellipse(cu, eyeY, 0.15 * size, 0.065 * size))
                        blend(identity.iris, ellipse(cu, eyeY, 0.062 * size, 0.062 * size) * ellipse(cu, eyeY, 0.15 * size, 0.065 * size))
                        blend((12, 10, 10), ellipse(cu, eyeY, 0.028 * size, 0.028 * size))
                        blend((250, 250, 250), ellipse(cu + 0.02, eyeY - 0.02, 0.01, 0.01))
                        // Upper lid line.
                        let lid = max(0, 1 - abs(v - (eyeY - 0.062 * size * max(0, 1 - ((u - cu) / (0.15 * size)) * ((u - cu) / (0.15 * size))).squareRoot())) / 0.012)
                        blend((30, 22, 20), (abs(u - cu) < 0.15 * size ? lid : 0))
                    } else {
                        let socket = ellipse(cu, eyeY, 0.2 * size, 0.1 * size)
                        blend((identity.skin.0 * 0.78, identity.skin.1 * 0.74, identity.skin.2 * 0.74), socket * 0.6)
                        let lash = max(0, 1 - abs(v - eyeY - 0.01 * (1 - ((u - cu) / 0.15) * ((u - cu) / 0.15))) / 0.012)
                        blend((30, 22, 20), abs(u - cu) < 0.15 * size ? lash : 0)
                    }
                }
                // Nose: shaded sides, bright bridge, nostrils.
                let noseU = fu
                if v > -0.05, v < 0.36 {
                    for side in [-1.0, 1.0] {
                        let shade = max(0, 1 - abs(noseU - side * 0.1) / 0.04) * 0.35
                        blend((identity.skin.0 * 0.72, identity.skin.1 * 0.68, identity.skin.2 * 0.68), shade)
                    }
                }
                for side in [-1.0, 1.0] {
                    blend((60, 40, 38), ellipse(side * 0.085 + featureShift, 0.38, 0.045, 0.025))
                }
                // Mouth.
                let mouthV = 0.64
                let halfWidth = identity.mouthWidth / identity.faceWidth
                let curve = -0.08 * parameters.smile * (1 - (noseU / halfWidth) * (noseU / halfWidth))
                let lips = ellipse(featureShift, mouthV + curve * 0.5, halfWidth, 0.07 + 0.05 * parameters.smile)
                blend((identity.skin.0 * 0.75 + 25, identity.skin.1 * 0.5, identity.skin.2 * 0.5), lips)
                if parameters.smile > 0.3 {
                    blend((240, 236, 230), ellipse(featureShift, mouthV + curve * 0.5, halfWidth * 0.8, 0.035 * parameters.smile))
                }
                let seam = max(0, 1 - abs(v - (mouthV + curve)) / 0.012) * (abs(noseU) < halfWidth ? 1 : 0)
                blend((70, 30, 30), seam)

                let base = (y * width + x) * 3
                pixels[base] = UInt8(clamping: Int((r * parameters.exposure).rounded()))
                pixels[base + 1] = UInt8(clamping: Int((g * parameters.exposure).rounded()))
                pixels[base + 2] = UInt8(clamping: Int((b * parameters.exposure).rounded()))
            }
        }

        if parameters.blurSigma > 0.3 {
            pixels = Self.gaussianBlur(pixels, width: width, height: height, sigma: parameters.blurSigma)
        }
        if parameters.noise > 0 {
            for index in pixels.indices {
                pixels[index] = UInt8(clamping: Int((Double(pixels[index]) + random.gaussian(deviation: parameters.noise)).rounded()))
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

    /// Separable Gaussian blur on interleaved RGB.
    static func gaussianBlur(_ pixels: [UInt8], width: Int, height: Int, sigma: Double) -> [UInt8] {
        let radius = max(1, Int((sigma * 3).rounded(.up)))
        var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var horizontal = [Double](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<3 {
                    var sum = 0.0
                    for k in -radius...radius {
                        let sx = min(width - 1, max(0, x + k))
                        sum += kernel[k + radius] * Double(pixels[(y * width + sx) * 3 + channel])
                    }
                    horizontal[(y * width + x) * 3 + channel] = sum
                }
            }
        }
        var output = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<3 {
                    var sum = 0.0
                    for k in -radius...radius {
                        let sy = min(height - 1, max(0, y + k))
                        sum += kernel[k + radius] * horizontal[(sy * width + x) * 3 + channel]
                    }
                    output[(y * width + x) * 3 + channel] = UInt8(clamping: Int(sum.rounded()))
                }
            }
        }
        return output
    }
}
