import BioCapture
@testable import BioFingerprint
import XCTest

final class SyntheticFingerprintTests: XCTestCase {
    /// Smaller than a real print so debug-mode tests stay quick; the model scales with size.
    static let small = SyntheticFingerprintParameters(width: 160, height: 200)

    func testSameSeedAndFingerGiveIdenticalPixels() {
        let generator = SyntheticFingerprintGenerator(parameters: Self.small)
        let first = generator.capture(identity: 42, finger: .rightIndex, attempt: 1)
        let second = generator.capture(identity: 42, finger: .rightIndex, attempt: 1)
        XCTAssertEqual(first.image.pixels, second.image.pixels)
        XCTAssertEqual(first.master.ridges, second.master.ridges)
        XCTAssertEqual(first.conditions, second.conditions)
        // A fresh generator (new kernel bank) reproduces it too.
        let third = SyntheticFingerprintGenerator(parameters: Self.small).capture(identity: 42, finger: .rightIndex, attempt: 1)
        XCTAssertEqual(first.image, third.image)
    }

    func testDifferentSeedsFingersAndAttemptsDiffer() {
        let generator = SyntheticFingerprintGenerator(parameters: Self.small)
        let base = generator.capture(identity: 42, finger: .rightIndex, attempt: 1)
        let otherSeed = generator.capture(identity: 43, finger: .rightIndex, attempt: 1)
        let otherFinger = generator.capture(identity: 42, finger: .leftIndex, attempt: 1)
        let otherAttempt = generator.capture(identity: 42, finger: .rightIndex, attempt: 2)
        for other in [otherSeed, otherFinger, otherAttempt] {
            let differing = zip(base.image.pixels, other.image.pixels).filter { abs(Int($0) - Int($1)) > 40 }.count
            XCTAssertGreaterThan(differing, base.image.pixels.count / 10)
        }
        // Another attempt is another impression of the same master.
        XCTAssertEqual(base.master.ridges, otherAttempt.master.ridges)
        XCTAssertNotEqual(base.conditions, otherAttempt.conditions)
        XCTAssertNotEqual(base.master.ridges, otherSeed.master.ridges)
    }

    func testOutputHasRequestedSizeAndPlausibleGreyLevels() {
        let generator = SyntheticFingerprintGenerator(parameters: Self.small)
        let image = generator.capture(identity: 9, finger: .leftThumb, attempt: 3).image
        XCTAssertEqual(image.width, 160)
        XCTAssertEqual(image.height, 200)
        let dark = image.pixels.filter { $0 < 100 }.count
        let light = image.pixels.filter { $0 > 180 }.count
        XCTAssertGreaterThan(dark, image.pixels.count / 10, "ridges are dark")
        XCTAssertGreaterThan(light, image.pixels.count / 4, "valleys and background are light")
    }

    func testSingularPointsOfEachClassAppearInTheOrientationField() {
        for patternClass in FingerprintPatternClass.allCases {
            for seed: UInt64 in [1, 2, 3] {
                var parameters = SyntheticFingerprintParameters(width: 200, height: 250, patternClass: patternClass)
                parameters.filterIterations = 1 // only the field matters here
                let master = SyntheticFingerprintGenerator(parameters: parameters).master(identity: seed, finger: .rightMiddle)
                let found = PoincareIndex.singularities(of: master.orientation)
                let expected = patternClass.singularPointCounts
                XCTAssertEqual(found.cores.count, expected.cores, "\(patternClass) seed \(seed) cores")
                XCTAssertEqual(found.deltas.count, expected.deltas, "\(patternClass) seed \(seed) deltas")
                XCTAssertEqual(master.cores.count, expected.cores)
                XCTAssertEqual(master.deltas.count, expected.deltas)
                // Each detected point lies within two blocks of a model point of the same kind.
                let tolerance = 2.0 * Double(master.orientation.blockSize)
                for (points, model) in [(found.cores, master.cores), (found.deltas, master.deltas)] {
                    for point in points {
                        let nearest = model.map { hypot($0.x - point.x, $0.y - point.y) }.min() ?? .infinity
                        XCTAssertLessThan(nearest, tolerance, "\(patternClass) seed \(seed)")
                    }
                }
            }
        }
    }

    func testLoopSidesFollowTheConvention() {
        for (patternClass, sign) in [(FingerprintPatternClass.leftLoop, 1.0), (.rightLoop, -1.0)] {
            var parameters = SyntheticFingerprintParameters(patternClass: patternClass)
            parameters.filterIterations = 1
            let master = SyntheticFingerprintGenerator(parameters: parameters).master(identity: 5, finger: .rightRing)
            let core = try? XCTUnwrap(master.cores.first)
            let delta = try? XCTUnwrap(master.deltas.first)
            XCTAssertGreaterThan(sign * ((delta?.x ?? 0) - (core?.x ?? 0)), 30, "\(patternClass): delta side")
            XCTAssertGreaterThan((delta?.y ?? 0) - (core?.y ?? 0), 50, "delta below the core")
        }
    }

    func testPatternClassIsDrawnPerIdentityAndVaries() {
        var parameters = SyntheticFingerprintParameters(width: 64, height: 64)
        parameters.filterIterations = 1
        let generator = SyntheticFingerprintGenerator(parameters: parameters)
        var seen: Set<FingerprintPatternClass> = []
        for seed: UInt64 in 0..<60 {
            let master = generator.master(identity: seed, finger: .rightIndex)
            XCTAssertEqual(master.patternClass, generator.master(identity: seed, finger: .rightIndex).patternClass)
            seen.insert(master.patternClass)
        }
        XCTAssertTrue(seen.contains(.whorl))
        XCTAssertTrue(seen.contains(.rightLoop))
        XCTAssertGreaterThanOrEqual(seen.count, 3)
    }

    func testRidgePeriodIsAboutTenPixels() {
        let generator = SyntheticFingerprintGenerator(parameters: Self.small)
        let master = generator.master(identity: 77, finger: .leftMiddle)
        let mean = master.ridgePeriod.values.reduce(0, +) / Double(master.ridgePeriod.values.count)
        XCTAssertGreaterThan(mean, 8.5)
        XCTAssertLessThan(mean, 11.5)
        // Measured on the rendered print (FDA peak of the rotated blocks).
        let report = FingerprintQualityMeasure().assess(generator.impression(of: master, conditions: .nominal))
        XCTAssertEqual(report.features.ridgePeriod, mean, accuracy: 1.6)
    }

    func testImpressionConditionsChangeThePrintAsIntended() {
        let generator = SyntheticFingerprintGenerator(parameters: Self.small)
        let master = generator.master(identity: 11, finger: .rightThumb)
        let nominal = generator.impression(of: master, conditions: .nominal)
        let wet = generator.impression(of: master, conditions: ImpressionConditions.nominal.wet(0.8))
        let dry = generator.impression(of: master, conditions: ImpressionConditions.nominal.dry(0.8))
        XCTAssertLessThan(wet.mean, nominal.mean - 15, "wet prints are darker")
        XCTAssertGreaterThan(dry.mean, nominal.mean + 15, "dry prints are lighter")

        var light = ImpressionConditions.nominal
        light.pressure = 0.15
        let lightImage = generator.impression(of: master, conditions: light)
        func contact(_ image: GrayImage) -> Int { image.pixels.filter { $0 < 200 }.count }
        XCTAssertLessThan(contact(lightImage), contact(nominal) * 8 / 10, "light pressure: less contact")

        var shifted = ImpressionConditions.nominal
        shifted.offsetX = 25
        let shiftedImage = generator.impression(of: master, conditions: shifted)
        func centroidX(_ image: GrayImage) -> Double {
            var sum = 0.0, count = 0.0
            for y in 0..<image.height {
                for x in 0..<image.width where image[x, y] < 150 {
                    sum += Double(x)
                    count += 1
                }
            }
            return sum / max(count, 1)
        }
        XCTAssertEqual(centroidX(shiftedImage) - centroidX(nominal), 25, accuracy: 6)

        var noisy = ImpressionConditions.nominal
        noisy.noise = 0
        noisy.distortion = 0
        let clean = generator.impression(of: master, conditions: noisy)
        noisy.noise = 15
        let withNoise = generator.impression(of: master, conditions: noisy)
        XCTAssertEqual(clean.pixels[0], UInt8(235), "background level without noise")
        XCTAssertNotEqual(clean.pixels, withNoise.pixels)
    }

    func testUnusableConditionsAndParametersAreTamed() {
        var parameters = Self.small
        parameters.orientationCorrection = .nan
        parameters.seedSpacing = .infinity
        parameters.kernelRadius = 40
        let generator = SyntheticFingerprintGenerator(parameters: parameters)
        XCTAssertEqual(generator.parameters.kernelRadius, RidgeRenderer.maximumRadius)
        let master = generator.master(identity: 1, finger: .rightIndex)
        let wild = ImpressionConditions(
            pressure: .nan, moisture: -.infinity, rotationDegrees: .infinity, offsetX: 1e300,
            offsetY: .nan, distortion: .greatestFiniteMagnitude, noise: 1e300, background: -5)
        let image = generator.impression(of: master, conditions: wild)
        XCTAssertEqual(image.pixels.count, master.width * master.height)
        // Offset 1e300 is clamped to 10 000 px: the finger is off the sensor, only (clamped,
        // very strong) noise is left, which must not look like a fingerprint.
        XCTAssertLessThan(FingerprintQualityMeasure().assess(image).score, 20)
    }

    func testNaturalConditionsAreDeterministicAndModest() {
        for attempt in 1...20 {
            let conditions = ImpressionConditions.natural(seed: 99, attempt: attempt)
            XCTAssertEqual(conditions, ImpressionConditions.natural(seed: 99, attempt: attempt))
            XCTAssertTrue((0.3...0.95).contains(conditions.pressure))
            XCTAssertTrue((-0.6...0.6).contains(conditions.moisture))
            XCTAssertLessThan(abs(conditions.rotationDegrees), 40)
        }
        XCTAssertNotEqual(ImpressionConditions.natural(seed: 99, attempt: 1), ImpressionConditions.natural(seed: 99, attempt: 2))
    }
}

/// Poincaré index of an orientation field on its block grid: around each 2 x 2 cell, the sum of
/// orientation changes (each wrapped to (−π/2, π/2]) is ±π at a singular point, 0 elsewhere.
/// The loop is walked counter-clockwise as the image is seen. Angles are in image coordinates
/// (y down), which turn clockwise on screen, so a core (index +1/2 in the usual y-up
/// convention) sums to −π here and a delta to +π.
enum PoincareIndex {
    static func singularities(of field: BlockField) -> (cores: [(x: Double, y: Double)], deltas: [(x: Double, y: Double)]) {
        var cores: [(x: Double, y: Double)] = []
        var deltas: [(x: Double, y: Double)] = []
        func wrapped(_ difference: Double) -> Double {
            var value = difference
            while value > .pi / 2 { value -= .pi }
            while value <= -.pi / 2 { value += .pi }
            return value
        }
        for row in 0..<(field.rows - 1) {
            for column in 0..<(field.columns - 1) {
                // Counter-clockwise on screen: down the left side, right along the bottom, up.
                let loop = [field[column, row], field[column, row + 1], field[column + 1, row + 1], field[column + 1, row]]
                var total = 0.0
                for index in 0..<4 { total += wrapped(loop[(index + 1) % 4] - loop[index]) }
                let centre = (x: (Double(column) + 1) * Double(field.blockSize), y: (Double(row) + 1) * Double(field.blockSize))
                if total < -.pi * 0.9 { cores.append(centre) }
                if total > .pi * 0.9 { deltas.append(centre) }
            }
        }
        return (cores, deltas)
    }
}
