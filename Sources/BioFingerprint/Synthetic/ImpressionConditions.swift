import BioCapture

/// How one capture differs from the master: the finger's skin state, how it was placed, and the
/// sensor. All values are plain numbers so a simulator can expose them as options.
public struct ImpressionConditions: Sendable, Hashable, Codable {
    /// 0 = barely touching (small, faint contact) … 1 = pressed hard (large contact, thick
    /// ridges). About 0.55 is a normal press.
    public var pressure: Double
    /// −1 = very dry (thin, broken, faint ridges) … 0 = normal … 1 = very wet (thick, merged
    /// ridges, dark patches).
    public var moisture: Double
    /// Rotation of the finger on the platen, degrees, counter-clockwise as seen in the image.
    public var rotationDegrees: Double
    /// Where the finger centre lands relative to the image centre, pixels (partial placement
    /// when large).
    public var offsetX: Double
    public var offsetY: Double
    /// Amplitude of the smooth elastic skin distortion, pixels (a few pixels is natural).
    public var distortion: Double
    /// Standard deviation of the sensor's grey-level noise.
    public var noise: Double
    /// Grey level where nothing touches the platen (optical sensors: light).
    public var background: Double
    /// Seed of everything random in this impression (noise, dry breaks, wet patches, distortion
    /// shape). Derive it from the attempt number to make captures reproducible.
    public var seed: UInt64

    public init(
        pressure: Double = 0.55, moisture: Double = 0, rotationDegrees: Double = 0,
        offsetX: Double = 0, offsetY: Double = 0, distortion: Double = 2, noise: Double = 4,
        background: Double = 235, seed: UInt64 = 0
    ) {
        self.pressure = pressure
        self.moisture = moisture
        self.rotationDegrees = rotationDegrees
        self.offsetX = offsetX
        self.offsetY = offsetY
        self.distortion = distortion
        self.noise = noise
        self.background = background
        self.seed = seed
    }

    /// A good, centred, normal press.
    public static let nominal = ImpressionConditions()

    /// Natural variation between captures of a cooperative subject: small rotation and offset,
    /// pressure and moisture near normal, a little distortion. Same seed and attempt give the
    /// same conditions.
    public static func natural(seed: UInt64, attempt: Int) -> ImpressionConditions {
        var random = SeededRandom(seed: SeedMixer.mix(seed, UInt64(bitPattern: Int64(attempt)), 0x1A5E))
        let pressure = min(0.95, max(0.3, random.gaussian(mean: 0.58, deviation: 0.1)))
        let moisture = min(0.6, max(-0.6, random.gaussian(mean: 0, deviation: 0.2)))
        return ImpressionConditions(
            pressure: pressure,
            moisture: moisture,
            rotationDegrees: random.gaussian(mean: 0, deviation: 6),
            offsetX: random.gaussian(mean: 0, deviation: 12),
            offsetY: random.gaussian(mean: 0, deviation: 14),
            distortion: 1 + 2.5 * random.unit(),
            noise: 3 + 3 * random.unit(),
            background: 228 + 14 * random.unit(),
            seed: random.next()
        )
    }

    /// The same conditions with every value made usable: non-finite values fall back to the
    /// nominal ones, magnitudes are limited to what a sensor can show.
    var sanitized: ImpressionConditions {
        func finite(_ value: Double, _ fallback: Double, _ range: ClosedRange<Double>) -> Double {
            value.isFinite ? min(range.upperBound, max(range.lowerBound, value)) : fallback
        }
        var copy = self
        copy.pressure = finite(pressure, 0.55, 0...1)
        copy.moisture = finite(moisture, 0, -1...1)
        copy.rotationDegrees = finite(rotationDegrees, 0, -360...360)
        copy.offsetX = finite(offsetX, 0, -10_000...10_000)
        copy.offsetY = finite(offsetY, 0, -10_000...10_000)
        copy.distortion = finite(distortion, 2, 0...50)
        copy.noise = finite(noise, 4, 0...255)
        copy.background = finite(background, 235, 0...255)
        return copy
    }

    /// Conditions of this impression with the skin made dry (`amount` 0…1).
    public func dry(_ amount: Double) -> ImpressionConditions {
        var copy = self
        copy.moisture = -min(1, max(0, amount))
        return copy
    }

    /// Conditions of this impression with the skin made wet (`amount` 0…1).
    public func wet(_ amount: Double) -> ImpressionConditions {
        var copy = self
        copy.moisture = min(1, max(0, amount))
        return copy
    }
}

/// Derives independent seeds from several inputs (so identity, finger and attempt streams
/// never overlap).
enum SeedMixer {
    static func mix(_ values: UInt64...) -> UInt64 {
        var state: UInt64 = 0x6A09_E667_F3BC_C908
        for value in values {
            var random = SeededRandom(seed: state ^ value)
            state = random.next()
        }
        return state
    }
}
