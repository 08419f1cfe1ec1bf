import BioCapture
import BioIris
import XCTest

final class IrisSegmentationTests: XCTestCase {
    private let segmenter = IrisSegmenter()

    /// Checks the found circles against the generator's. For off-angle eyes the truth radius is
    /// the mean of the ellipse's semi-axes, so the radius tolerance widens by half their spread.
    private func assertLocated(_ parameters: SyntheticEyeParameters, file: StaticString = #filePath, line: UInt = #line) {
        let eye = SyntheticEyeGenerator.generate(parameters)
        guard let found = segmenter.segment(eye.image).segmentation else {
            XCTFail("no eye found for \(parameters)", file: file, line: line)
            return
        }
        let t = eye.truth
        let irisSpread = abs(t.irisSemiAxes.x - t.irisSemiAxes.y) / 2
        let pupilSpread = abs(t.pupilSemiAxes.x - t.pupilSemiAxes.y) / 2
        XCTAssertLessThanOrEqual(found.pupil.centerDistance(to: t.pupil), 3, "pupil centre, seed \(parameters.identitySeed)", file: file, line: line)
        XCTAssertLessThanOrEqual(abs(found.pupil.radius - t.pupil.radius), 3 + pupilSpread, "pupil radius, seed \(parameters.identitySeed)", file: file, line: line)
        XCTAssertLessThanOrEqual(found.iris.centerDistance(to: t.iris), 3, "iris centre, seed \(parameters.identitySeed)", file: file, line: line)
        XCTAssertLessThanOrEqual(abs(found.iris.radius - t.iris.radius), 3 + irisSpread, "iris radius, seed \(parameters.identitySeed)", file: file, line: line)
        XCTAssertGreaterThan(found.confidence, 0.5, file: file, line: line)
    }

    func testLocatesPupilAndLimbusOverSeedsAndDistances() {
        for seed in UInt64(1)...8 {
            assertLocated(SyntheticEyeParameters(identitySeed: seed, captureSeed: seed + 50, irisRadius: 80 + Double(seed) * 7,
                                                 specularReflectionCount: Int(seed % 3)))
        }
    }

    func testLocatesDilatedAndConstrictedPupils() {
        for (seed, ratio) in [(UInt64(11), 0.2), (12, 0.3), (13, 0.55), (14, 0.65)] {
            assertLocated(SyntheticEyeParameters(identitySeed: seed, pupilToIrisRatio: ratio, pupilNonCircularity: 0.01))
        }
    }

    func testLocatesOffAngleOffCentreAndOccludedEyes() {
        assertLocated(SyntheticEyeParameters(identitySeed: 21, centerOffsetX: 40, gazeYawDegrees: 15))
        assertLocated(SyntheticEyeParameters(identitySeed: 22, centerOffsetX: -35, centerOffsetY: 15, gazeYawDegrees: -12))
        assertLocated(SyntheticEyeParameters(identitySeed: 23, upperEyelidCover: 0.3, lowerEyelidCover: 0.12, eyelashDensity: 0.9))
        assertLocated(SyntheticEyeParameters(identitySeed: 24, upperEyelidCover: 0.25, eyelashDensity: 1, specularReflectionCount: 2))
    }

    func testOvalAndOffAxisPupilsAreCentredToAPixel() throws {
        // The pupil ellipse fit removes the bias a circle has on an oval pupil whose top is hidden.
        for (seed, yaw) in [(UInt64(41), 12.0), (42, -10), (43, 0), (44, 6)] {
            let eye = SyntheticEyeGenerator.generate(SyntheticEyeParameters(
                identitySeed: seed, pupilToIrisRatio: 0.58, pupilNonCircularity: 0.03, gazeYawDegrees: yaw,
                upperEyelidCover: 0.2, eyelashDensity: 0.6))
            let found = try XCTUnwrap(segmenter.segment(eye.image).segmentation)
            XCTAssertLessThanOrEqual(found.pupil.centerDistance(to: eye.truth.pupil), 1, "seed \(seed)")
            XCTAssertEqual(found.pupil.radius, eye.truth.pupil.radius, accuracy: 1, "seed \(seed)")
        }
    }

    func testUsableAreaTracksTruthAndLidsAreFound() throws {
        let eye = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 31, upperEyelidCover: 0.35, lowerEyelidCover: 0.1, eyelashDensity: 0.3))
        let found = try XCTUnwrap(segmenter.segment(eye.image).segmentation)
        let upper = try XCTUnwrap(found.upperEyelid)
        XCTAssertEqual(upper.y(atX: eye.truth.iris.centerX), eye.truth.upperEyelid.y(atX: eye.truth.iris.centerX), accuracy: 6)
        XCTAssertEqual(found.usableIrisFraction, 1 - eye.truth.occludedFraction, accuracy: 0.08)
        XCTAssertGreaterThan(found.occlusion.count(of: .eyelid), 1000)
    }

    func testSpecularReflectionsAreMasked() throws {
        let eye = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 32, specularReflectionCount: 2))
        let found = try XCTUnwrap(segmenter.segment(eye.image).segmentation)
        for centre in eye.truth.specularCenters {
            XCTAssertTrue(found.occlusion[Int(centre.x.rounded()), Int(centre.y.rounded())].contains(.specular))
        }
        XCTAssertGreaterThan(found.specularPixelCount, 20)
    }

    func testBlankFramesGiveNoEye() {
        for value: UInt8 in [0, 128, 255] {
            XCTAssertEqual(segmenter.segment(GrayImage(width: 640, height: 480, filledWith: value)), .noEye(.uniformFrame))
        }
        var noise = SeededRandom(seed: 1)
        let pixels = (0..<(640 * 480)).map { _ in UInt8(100 + noise.next() % 3) }
        XCTAssertEqual(segmenter.segment(GrayImage(width: 640, height: 480, pixels: pixels) ?? GrayImage(width: 1, height: 1)), .noEye(.uniformFrame))
    }

    func testClosedEyeGivesNoEye() {
        let eye = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 33, upperEyelidCover: 0.7, lowerEyelidCover: 0.4))
        XCTAssertNil(segmenter.segment(eye.image).segmentation)
    }

    func testOddSizesNeverTrap() {
        var random = SeededRandom(seed: 99)
        for (width, height) in [(1, 1), (1, 480), (640, 1), (31, 31), (32, 32), (2000, 33), (33, 2000), (4096, 40), (97, 61)] {
            let pixels = (0..<(width * height)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            guard let image = GrayImage(width: width, height: height, pixels: pixels) else { return XCTFail("bad test image") }
            _ = segmenter.segment(image)
        }
        XCTAssertEqual(segmenter.segment(GrayImage(width: 1, height: 1)), .noEye(.imageTooSmall))
        // A small but real eye in a wide strip.
        let strip = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 2, width: 1200, height: 140, irisRadius: 40))
        _ = segmenter.segment(strip.image)
    }
}
