import BioCapture
@testable import BioFingerprint
import XCTest

final class FingerprintQualityTests: XCTestCase {
    static let seeds: [UInt64] = [3, 17, 29]
    static let generator = SyntheticFingerprintGenerator(parameters: SyntheticFingerprintParameters(width: 288, height: 360))
    let measure = FingerprintQualityMeasure()

    /// Masters are the slow part; build them once for all quality tests.
    static let masters: [MasterFingerprint] = seeds.map { generator.master(identity: $0, finger: .rightIndex) }

    func conditions(_ index: Int) -> ImpressionConditions {
        var conditions = ImpressionConditions.nominal
        conditions.seed = UInt64(index)
        return conditions
    }

    func meanScore(_ make: (MasterFingerprint, ImpressionConditions) -> GrayImage) -> Double {
        var total = 0.0
        for (index, master) in Self.masters.enumerated() {
            total += Double(measure.assess(make(master, conditions(index))).score)
        }
        return total / Double(Self.masters.count)
    }

    func testEmptyAndUniformFramesScoreNearZero() {
        var random = SeededRandom(seed: 1)
        let frames = [
            GrayImage(width: 320, height: 400, filledWith: 0),
            GrayImage(width: 320, height: 400, filledWith: 128),
            GrayImage(width: 320, height: 400, filledWith: 255),
            // Blank platen with a little sensor noise.
            GrayImage(width: 320, height: 400, pixels: (0..<(320 * 400)).map { _ in
                UInt8(clamping: Int(random.gaussian(mean: 235, deviation: 3).rounded()))
            }),
        ]
        for frame in frames.compactMap({ $0 }) {
            let report = measure.assess(frame)
            XCTAssertLessThanOrEqual(report.score, 5, "mean \(frame.mean)")
            XCTAssertTrue(report.feedback.contains(.empty), "mean \(frame.mean): \(report.feedback)")
        }
    }

    func testRandomNoiseIsNotAFingerprint() throws {
        var random = SeededRandom(seed: 2)
        let noise = try XCTUnwrap(GrayImage(width: 320, height: 400, pixels: (0..<(320 * 400)).map { _ in
            UInt8(clamping: Int(random.gaussian(mean: 128, deviation: 40).rounded()))
        }))
        XCTAssertLessThan(measure.assess(noise).score, 20)
    }

    func testCleanSyntheticPrintsScoreHighWithoutFeedback() {
        for (index, master) in Self.masters.enumerated() {
            let report = measure.assess(Self.generator.impression(of: master, conditions: conditions(index)))
            XCTAssertGreaterThanOrEqual(report.score, 65, "seed \(Self.seeds[index])")
            XCTAssertEqual(report.feedback, [], "seed \(Self.seeds[index])")
            XCTAssertGreaterThan(report.features.orientationCertainty, 0.8)
            XCTAssertGreaterThanOrEqual(report.features.minutiaeCount, 20)
            XCTAssertLessThanOrEqual(report.features.minutiaeCount, 150)
            XCTAssertEqual(report.features.areaRatio, 1, accuracy: 0.05)
        }
    }

    func testScoreFallsUnderEachDegradation() {
        let generator = Self.generator
        let base = meanScore { generator.impression(of: $0, conditions: $1) }
        let blurred = meanScore { ImageDegradation.gaussianBlur(generator.impression(of: $0, conditions: $1), sigma: 2.2) }
        let faint = meanScore { ImageDegradation.contrast(generator.impression(of: $0, conditions: $1), factor: 0.3) }
        let dry = meanScore { generator.impression(of: $0, conditions: $1.dry(0.6)) }
        let wet = meanScore { generator.impression(of: $0, conditions: $1.wet(0.7)) }
        let partial = meanScore { master, conditions in
            var moved = conditions
            moved.offsetX = 0.5 * Double(master.width)
            return generator.impression(of: master, conditions: moved)
        }
        for (name, score) in [("blur", blurred), ("contrast", faint), ("dry", dry), ("wet", wet), ("area", partial)] {
            XCTAssertLessThan(score, base - 5, "\(name): \(score) vs base \(base)")
        }
    }

    func testScoreFallsSteadilyWithStrongerDegradation() {
        let generator = Self.generator
        var previous = Double.infinity
        for amount in [0.0, 0.4, 0.7, 1.0] {
            let score = meanScore { generator.impression(of: $0, conditions: $1.dry(amount)) }
            XCTAssertLessThan(score, previous, "dryness \(amount)")
            previous = score
        }
        previous = .infinity
        for factor in [1.0, 0.5, 0.25, 0.1] {
            let score = meanScore { ImageDegradation.contrast(generator.impression(of: $0, conditions: $1), factor: factor) }
            XCTAssertLessThan(score, previous, "contrast \(factor)")
            previous = score
        }
    }

    func testFeedbackNamesTheProblem() {
        let master = Self.masters[0]
        let generator = Self.generator
        func feedback(_ adjust: (inout ImpressionConditions) -> Void) -> [FingerprintFeedback] {
            var conditions = conditions(0)
            adjust(&conditions)
            return measure.assess(generator.impression(of: master, conditions: conditions)).feedback
        }
        XCTAssertTrue(feedback { $0.moisture = -0.8 }.contains(.tooDry))
        XCTAssertTrue(feedback { $0.moisture = 0.8 }.contains(.tooWet))
        XCTAssertTrue(feedback { $0.pressure = 0.15 }.contains(.tooLightPressure))
        XCTAssertTrue(feedback { $0.offsetX = 0.3 * Double(master.width) }.contains(.offCentre))
        XCTAssertTrue(feedback { $0.offsetX = 0.55 * Double(master.width); $0.offsetY = 0.3 * Double(master.height) }
            .contains(.tooLittleArea))
        XCTAssertFalse(feedback { $0.moisture = 0.8 }.contains(.tooDry))
        XCTAssertFalse(feedback { $0.moisture = -0.8 }.contains(.tooWet))
    }

    func testFeedbackTextsAreBilingualAndDistinct() {
        let cases = FingerprintFeedback.allCases
        XCTAssertEqual(Set(cases.map(\.code)).count, cases.count)
        XCTAssertEqual(Set(cases.map(\.text.english)).count, cases.count)
        XCTAssertEqual(Set(cases.map(\.text.indonesian)).count, cases.count)
        for item in cases {
            XCTAssertNotEqual(item.text.english, item.text.indonesian)
            XCTAssertEqual(item.retryReason.code, item.code)
            XCTAssertEqual(item.retryReason.message[.indonesian], item.text.indonesian)
        }
    }

    func testBlankBordersAreTrimmed() throws {
        let print = Self.generator.impression(of: Self.masters[1], conditions: conditions(1))
        let border = 40
        var framed = GrayImage(width: print.width + 2 * border, height: print.height + 2 * border, filledWith: 255)
        for y in 0..<print.height {
            for x in 0..<print.width { framed[x + border, y + border] = print[x, y] }
        }
        let plain = measure.assess(print)
        let trimmed = measure.assess(framed)
        XCTAssertEqual(trimmed.features.trimmedWidth, print.width)
        XCTAssertEqual(trimmed.features.trimmedHeight, print.height)
        XCTAssertEqual(Double(trimmed.score), Double(plain.score), accuracy: 6)
        let first = try XCTUnwrap(trimmed.minutiae.first)
        XCTAssertGreaterThanOrEqual(first.x, border, "minutiae are reported in the input's coordinates")
    }

    func testBinPositionFollowsTheLimits() {
        let limits = FingerprintQualityMeasure.certaintyLimits
        XCTAssertEqual(FingerprintQualityMeasure.binPosition(0, limits), 0, accuracy: 1e-9)
        XCTAssertEqual(FingerprintQualityMeasure.binPosition(limits[0], limits), 0.1, accuracy: 1e-9)
        XCTAssertEqual(FingerprintQualityMeasure.binPosition(limits[4], limits), 0.5, accuracy: 1e-9)
        XCTAssertEqual(FingerprintQualityMeasure.binPosition((limits[4] + limits[5]) / 2, limits), 0.55, accuracy: 1e-9)
        XCTAssertEqual(FingerprintQualityMeasure.binPosition(1, limits), 1, accuracy: 1e-9)
        XCTAssertEqual(FingerprintQualityMeasure.binPosition(0.8, FingerprintQualityMeasure.frequencyLimits), 0.86, accuracy: 1e-9)
    }

    func testScoreIsDeterministicAndInRange() {
        let image = Self.generator.impression(of: Self.masters[2], conditions: ImpressionConditions.natural(seed: 5, attempt: 2))
        let first = measure.assess(image)
        XCTAssertEqual(first, measure.assess(image))
        XCTAssertTrue((0...100).contains(first.score))
    }

    func testTinyImagesAreHandled() throws {
        let tiny = try XCTUnwrap(GrayImage(width: 3, height: 2, pixels: [0, 255, 0, 255, 0, 255]))
        XCTAssertEqual(measure.assess(tiny).score, 0)
        let narrow = Self.generator.impression(of: Self.masters[0], conditions: conditions(0))
        var strip = GrayImage(width: narrow.width, height: 20)
        for y in 0..<20 {
            for x in 0..<narrow.width { strip[x, y] = narrow[x, y + 180] }
        }
        XCTAssertEqual(measure.assess(strip).score, 0, "smaller than one block")
    }
}

final class MinutiaeExtractorTests: XCTestCase {
    /// Horizontal ridges of period 10 (dark ridges), with ridge number `interrupted` cut off
    /// to the right of `endX`: exactly one ending (plus its mirror where the ridge resumes if
    /// `resumeX` is given).
    func stripes(width: Int = 160, height: Int = 120, interrupted: Int? = nil, endX: Int = 80) -> GrayImage {
        var image = GrayImage(width: width, height: height, filledWith: 220)
        for y in 0..<height {
            let phase = Double(y).truncatingRemainder(dividingBy: 10)
            let onRidge = phase >= 3 && phase < 8
            let ridgeNumber = y / 10
            for x in 0..<width where onRidge {
                if ridgeNumber == interrupted && x >= endX { continue }
                image[x, y] = 40
            }
        }
        return image
    }

    func testParallelRidgesHaveNoMinutiae() {
        let image = stripes()
        let mask = [Bool](repeating: true, count: image.pixels.count)
        XCTAssertEqual(SimpleMinutiaeExtractor().minutiae(in: image, mask: mask), [])
    }

    func testARidgeEndingIsFoundWhereItIs() throws {
        let image = stripes(interrupted: 6, endX: 80)
        let mask = [Bool](repeating: true, count: image.pixels.count)
        let found = SimpleMinutiaeExtractor().minutiae(in: image, mask: mask)
        XCTAssertEqual(found.count, 1, "\(found)")
        let ending = try XCTUnwrap(found.first)
        XCTAssertEqual(ending.kind, .ending)
        XCTAssertEqual(Double(ending.x), 80, accuracy: 5)
        XCTAssertEqual(Double(ending.y), 65, accuracy: 3)
    }

    func testABifurcationIsFound() throws {
        // Join ridges 5 and 6 with a bridge to the right of x = 80 (valley filled): a fork.
        var image = stripes()
        for y in 58...63 {
            for x in 80..<160 { image[x, y] = 40 }
        }
        let mask = [Bool](repeating: true, count: image.pixels.count)
        let found = SimpleMinutiaeExtractor().minutiae(in: image, mask: mask)
        XCTAssertEqual(found.count, 1, "\(found)")
        let fork = try XCTUnwrap(found.first)
        XCTAssertEqual(fork.kind, .bifurcation)
        XCTAssertEqual(Double(fork.x), 80, accuracy: 6)
    }

    func testMinutiaeAtTheMaskEdgeAreIgnored() {
        let image = stripes(interrupted: 6, endX: 80)
        var mask = [Bool](repeating: true, count: image.pixels.count)
        for y in 0..<image.height {
            for x in 85..<image.width { mask[y * image.width + x] = false }
        }
        XCTAssertEqual(SimpleMinutiaeExtractor().minutiae(in: image, mask: mask), [])
    }
}

/// Degradations applied to finished images (written here so the tests control them exactly).
enum ImageDegradation {
    /// Separable Gaussian blur with edge clamping.
    static func gaussianBlur(_ image: GrayImage, sigma: Double) -> GrayImage {
        let radius = Int((3 * sigma).rounded(.up))
        var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let width = image.width, height = image.height
        var horizontal = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0
                for (offset, weight) in zip(-radius...radius, kernel) {
                    sum += weight * Double(image[min(width - 1, max(0, x + offset)), y])
                }
                horizontal[y * width + x] = sum
            }
        }
        var output = image
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0
                for (offset, weight) in zip(-radius...radius, kernel) {
                    sum += weight * horizontal[min(height - 1, max(0, y + offset)) * width + x]
                }
                output[x, y] = UInt8(clamping: Int(sum.rounded()))
            }
        }
        return output
    }

    /// Scales grey levels towards the image mean.
    static func contrast(_ image: GrayImage, factor: Double) -> GrayImage {
        let mean = image.mean
        var output = image
        output.pixels = image.pixels.map { UInt8(clamping: Int((mean + factor * (Double($0) - mean)).rounded())) }
        return output
    }
}
