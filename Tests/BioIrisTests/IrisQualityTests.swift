import BioCapture
import BioIris
import XCTest

final class IrisQualityTests: XCTestCase {
    private let assessor = IrisQualityAssessor()

    private func report(_ parameters: SyntheticEyeParameters) -> IrisQualityReport {
        assessor.assess(SyntheticEyeGenerator.generate(parameters).image)
    }

    private func value(_ report: IrisQualityReport, _ kind: IrisMeasureKind, file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard let measure = report.measure(kind) else {
            XCTFail("no \(kind) measure (segmentation: \(report.segmentation.segmentation == nil ? "no eye" : "eye"))", file: file, line: line)
            return .nan
        }
        return measure.value
    }

    func testNominalEyePassesEverything() {
        let nominal = report(SyntheticEyeParameters(identitySeed: 1, captureSeed: 1))
        XCTAssertTrue(nominal.acceptable, "\(nominal.measures.filter { !$0.passed })")
        XCTAssertGreaterThanOrEqual(nominal.score, 80)
        XCTAssertEqual(nominal.retryReasons, [])
        XCTAssertEqual(nominal.measures.count, IrisMeasureKind.allCases.count)
    }

    func testDefocusLowersSharpnessAndFailsIt() {
        let sharp = report(SyntheticEyeParameters(identitySeed: 2))
        let soft = report(SyntheticEyeParameters(identitySeed: 2, defocusSigma: 1.2))
        let blurred = report(SyntheticEyeParameters(identitySeed: 2, defocusSigma: 2.5))
        XCTAssertGreaterThan(value(sharp, .sharpness), value(soft, .sharpness))
        XCTAssertGreaterThan(value(soft, .sharpness), value(blurred, .sharpness))
        XCTAssertEqual(blurred.measure(.sharpness)?.passed, false)
        XCTAssertTrue(blurred.retryReasons.contains(.tooBlurred))
        XCTAssertLessThan(blurred.score, sharp.score)
    }

    func testMotionBlurIsDirectionalAndDetected() {
        let still = report(SyntheticEyeParameters(identitySeed: 3))
        let defocused = report(SyntheticEyeParameters(identitySeed: 3, defocusSigma: 2))
        let horizontal = report(SyntheticEyeParameters(identitySeed: 3, motionBlurLength: 10))
        let vertical = report(SyntheticEyeParameters(identitySeed: 3, motionBlurLength: 10, motionBlurAngleDegrees: 90))
        XCTAssertLessThan(value(still, .motionBlur), 30)
        XCTAssertLessThan(value(defocused, .motionBlur), 30, "defocus is not motion")
        XCTAssertGreaterThan(value(horizontal, .motionBlur), 40)
        XCTAssertGreaterThan(value(vertical, .motionBlur), 40)
        XCTAssertTrue(horizontal.retryReasons.contains(.tooBlurred))
    }

    func testOcclusionLowersUsableArea() {
        let open = report(SyntheticEyeParameters(identitySeed: 4, upperEyelidCover: 0.05, eyelashDensity: 0.2))
        let drooping = report(SyntheticEyeParameters(identitySeed: 4, upperEyelidCover: 0.35, lowerEyelidCover: 0.15, eyelashDensity: 0.8))
        XCTAssertGreaterThan(value(open, .usableIrisArea), value(drooping, .usableIrisArea) + 15)
        XCTAssertEqual(drooping.measure(.usableIrisArea)?.passed, false)
        XCTAssertTrue(drooping.retryReasons.contains(.eyesClosed))
    }

    func testDilationRaisesPupilToIrisRatio() {
        let small = report(SyntheticEyeParameters(identitySeed: 5, pupilToIrisRatio: 0.25))
        let large = report(SyntheticEyeParameters(identitySeed: 5, pupilToIrisRatio: 0.6))
        XCTAssertEqual(value(small, .pupilToIrisRatio), 25, accuracy: 3)
        XCTAssertEqual(value(large, .pupilToIrisRatio), 60, accuracy: 3)
        let extreme = report(SyntheticEyeParameters(identitySeed: 5, pupilToIrisRatio: 0.75))
        XCTAssertEqual(extreme.measure(.pupilToIrisRatio)?.passed, false)
    }

    func testLowContrastLowersContrastMeasures() {
        let normal = report(SyntheticEyeParameters(identitySeed: 6))
        let flat = report(SyntheticEyeParameters(identitySeed: 6, contrast: 0.4))
        XCTAssertGreaterThan(value(normal, .irisPupilContrast), value(flat, .irisPupilContrast) + 10)
        XCTAssertGreaterThan(value(normal, .greyScaleUtilisation), value(flat, .greyScaleUtilisation))
        let washed = report(SyntheticEyeParameters(identitySeed: 6, illumination: 1.6, contrast: 0.5))
        XCTAssertGreaterThan(value(normal, .irisScleraContrast), value(washed, .irisScleraContrast))
    }

    func testDistanceAndPositionGiveTheRightAdvice() {
        let far = report(SyntheticEyeParameters(identitySeed: 7, irisRadius: 82))
        XCTAssertEqual(far.measure(.irisDiameter)?.passed, false)
        XCTAssertTrue(far.retryReasons.contains(.tooFar))
        let offCentre = report(SyntheticEyeParameters(identitySeed: 7, centerOffsetX: 190))
        XCTAssertEqual(offCentre.measure(.marginAdequacy)?.passed, false)
        XCTAssertTrue(offCentre.retryReasons.contains(.lookAtCamera))
        let close = report(SyntheticEyeParameters(identitySeed: 7, irisRadius: 215, pupilToIrisRatio: 0.3))
        XCTAssertTrue(close.retryReasons.contains(.tooClose), "\(close.retryReasons) \(close.measures.filter { !$0.passed })")
    }

    func testGazeAngleFollowsYawAndAsksToLookAtTheCamera() {
        let straight = report(SyntheticEyeParameters(identitySeed: 10))
        let sideways = report(SyntheticEyeParameters(identitySeed: 10, gazeYawDegrees: 30))
        XCTAssertLessThan(value(straight, .gazeAngle), 8)
        XCTAssertEqual(value(sideways, .gazeAngle), 30, accuracy: 4)
        XCTAssertEqual(sideways.measure(.gazeAngle)?.passed, false)
        XCTAssertTrue(sideways.retryReasons.contains(.lookAtCamera))
        let farSideways = report(SyntheticEyeParameters(identitySeed: 10, gazeYawDegrees: 38))
        XCTAssertEqual(value(farSideways, .gazeAngle), 38, accuracy: 4)
    }

    func testGlassesGlareLowersUsableAreaAndIsNamed() throws {
        let withoutGlasses = report(SyntheticEyeParameters(identitySeed: 8, captureSeed: 3))
        let parameters = SyntheticEyeParameters(identitySeed: 8, captureSeed: 3, glassesReflections: true)
        let image = SyntheticEyeGenerator.generate(parameters).image
        let segmentation = try XCTUnwrap(IrisSegmenter().segment(image).segmentation)
        XCTAssertGreaterThan(Double(segmentation.specularPixelCount) / (640 * 480), IrisQualityThresholds().maximumSpecularFraction)
        let withGlasses = assessor.assess(image, segmentation: .eye(segmentation))
        XCTAssertGreaterThan(value(withoutGlasses, .usableIrisArea), value(withGlasses, .usableIrisArea) + 3)
        // With a stricter usable-area limit the glare makes the frame fail, and the advice names
        // the glasses rather than the eyelids.
        var strict = IrisQualityThresholds()
        strict.minimumUsableIrisArea = 86
        let strictReport = IrisQualityAssessor(thresholds: strict).assess(image, segmentation: .eye(segmentation))
        XCTAssertFalse(strictReport.acceptable)
        XCTAssertTrue(strictReport.retryReasons.contains(.glassesReflection))
        XCTAssertFalse(strictReport.retryReasons.contains(.eyesClosed))
    }

    func testNoEyeReports() {
        let blank = assessor.assess(GrayImage(width: 640, height: 480, filledWith: 90))
        XCTAssertEqual(blank.score, 0)
        XCTAssertFalse(blank.acceptable)
        XCTAssertTrue(blank.measures.isEmpty)
        XCTAssertEqual(blank.segmentation, .noEye(.uniformFrame))
        let closed = report(SyntheticEyeParameters(identitySeed: 9, upperEyelidCover: 0.7, lowerEyelidCover: 0.4))
        XCTAssertEqual(closed.retryReasons, [.eyesClosed])
        XCTAssertEqual(assessor.assess(GrayImage(width: 1, height: 1)).segmentation, .noEye(.imageTooSmall))
    }

    func testRetryReasonsHaveBothLanguages() {
        for reason in IrisRetryReason.allCases {
            XCTAssertFalse(reason.english.isEmpty)
            XCTAssertFalse(reason.indonesian.isEmpty)
            XCTAssertNotEqual(reason.english, reason.indonesian)
        }
    }

    func testMeasureFormulasOnKnownValues() {
        // Iris–sclera contrast: P 20, I 100, S 180 → 100·80/240.
        XCTAssertEqual(IrisMeasures.irisScleraContrast(pupil: 20, iris: 100, sclera: 180), 100.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(IrisMeasures.irisScleraContrast(pupil: 50, iris: 40, sclera: 50), 0)
        // Iris–pupil contrast: w = 80/40 = 2 → 100·2/2.75.
        XCTAssertEqual(IrisMeasures.irisPupilContrast(pupil: 20, iris: 100), 200 / 2.75, accuracy: 1e-9)
        // Concentricity and margins.
        XCTAssertEqual(IrisMeasures.concentricity(pupil: IrisCircle(centerX: 10, centerY: 0, radius: 5), iris: IrisCircle(centerX: 0, centerY: 0, radius: 100)), 90, accuracy: 1e-9)
        let centred = IrisCircle(centerX: 320, centerY: 240, radius: 100)
        XCTAssertEqual(IrisMeasures.marginAdequacy(iris: centred, width: 640, height: 480), 100)
        let low = IrisCircle(centerX: 320, centerY: 370, radius: 100)
        XCTAssertEqual(IrisMeasures.marginAdequacy(iris: low, width: 640, height: 480), 50, accuracy: 1e-9)
        // Entropy: two equally likely grey levels = 1 bit; a uniform frame 0 bits.
        let twoLevels = GrayImage(width: 2, height: 1, pixels: [0, 255]) ?? GrayImage(width: 1, height: 1)
        XCTAssertEqual(IrisMeasures.greyScaleEntropy(twoLevels), 1, accuracy: 1e-12)
        XCTAssertEqual(IrisMeasures.greyScaleEntropy(GrayImage(width: 9, height: 9, filledWith: 7)), 0)
        // Circularity: a perfect circle scores 100, a visibly oval boundary less.
        XCTAssertEqual(IrisMeasures.pupilCircularity(normalisedRadii: [Double](repeating: 1, count: 256)), 100, accuracy: 1e-9)
        let oval = (0..<256).map { 1 + 0.05 * cos(2 * 2 * Double.pi * Double($0) / 256) }
        XCTAssertEqual(IrisMeasures.pupilCircularity(normalisedRadii: oval), 100 - 256 * 0.05 * 0.05 / 4, accuracy: 1e-6)
        // Sharpness: a flat frame has no band-pass energy.
        XCTAssertEqual(IrisMeasures.sharpness(GrayImage(width: 64, height: 64, filledWith: 128)), 0)
    }

    func testOddSizedFramesNeverTrap() {
        for (width, height) in [(1, 1), (3, 500), (500, 3), (9, 9), (40, 33)] {
            let report = assessor.assess(GrayImage(width: width, height: height, filledWith: 60))
            XCTAssertEqual(report.score, 0)
        }
    }
}
