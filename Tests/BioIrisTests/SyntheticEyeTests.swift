import BioCapture
import BioIris
import XCTest

final class SyntheticEyeTests: XCTestCase {
    func testSameParametersGiveIdenticalBytes() {
        let parameters = SyntheticEyeParameters(identitySeed: 42, captureSeed: 7, specularReflectionCount: 2, noiseSigma: 3)
        let first = SyntheticEyeGenerator.generate(parameters)
        let second = SyntheticEyeGenerator.generate(parameters)
        XCTAssertEqual(first.image, second.image)
        XCTAssertEqual(first.truth, second.truth)
        XCTAssertEqual(first.image.width, 640)
        XCTAssertEqual(first.image.height, 480)
    }

    func testCaptureSeedChangesNoiseButNotTheIrisPattern() {
        let a = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 5, captureSeed: 1))
        let b = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 5, captureSeed: 2))
        let other = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 6, captureSeed: 1))
        XCTAssertNotEqual(a.image, b.image)
        // Mean absolute difference inside the iris ring: same identity ≈ noise only, another
        // identity differs by its texture and grey levels.
        func ringDifference(_ x: GrayImage, _ y: GrayImage, truth: SyntheticEyeTruth) -> Double {
            var total = 0.0
            var count = 0.0
            for py in 0..<x.height {
                for px in 0..<x.width {
                    let dx = Double(px) - truth.iris.centerX
                    let dy = Double(py) - truth.iris.centerY
                    let d = (dx * dx + dy * dy).squareRoot()
                    guard d > truth.pupil.radius + 12, d < truth.iris.radius - 8, truth.occlusion[px, py].isEmpty else { continue }
                    total += abs(Double(x[px, py]) - Double(y[px, py]))
                    count += 1
                }
            }
            return total / max(count, 1)
        }
        let same = ringDifference(a.image, b.image, truth: a.truth)
        let different = ringDifference(a.image, other.image, truth: a.truth)
        XCTAssertLessThan(same, 4)
        XCTAssertGreaterThan(different, 3 * same)
    }

    func testGroundTruthFollowsParameters() {
        let eye = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 3, irisRadius: 120, pupilToIrisRatio: 0.5, centerOffsetX: 20))
        XCTAssertEqual(eye.truth.iris.radius, 120, accuracy: 1e-9)
        XCTAssertEqual(eye.truth.pupil.radius, 60, accuracy: 1e-9)
        XCTAssertEqual(eye.truth.iris.centerX, 339.5, accuracy: 1e-9)
        // The pupil is dark, the sclera beside the iris bright.
        let pupilGrey = eye.image[Int(eye.truth.pupil.centerX) - 30, Int(eye.truth.pupil.centerY) + 20]
        let scleraGrey = eye.image[Int(eye.truth.iris.centerX + 135), Int(eye.truth.iris.centerY)]
        XCTAssertLessThan(pupilGrey, 45)
        XCTAssertGreaterThan(scleraGrey, 120)
    }

    func testEyelidCoverRaisesOccludedFractionAndClosedEyeIsFullyOccluded() {
        let open = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 9, upperEyelidCover: 0.05, lowerEyelidCover: 0, eyelashDensity: 0))
        let half = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 9, upperEyelidCover: 0.4, lowerEyelidCover: 0.1, eyelashDensity: 0))
        let closed = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 9, upperEyelidCover: 0.7, lowerEyelidCover: 0.4))
        XCTAssertLessThan(open.truth.occludedFraction, 0.1)
        XCTAssertGreaterThan(half.truth.occludedFraction, 0.3)
        XCTAssertTrue(closed.truth.eyesClosed)
        XCTAssertEqual(closed.truth.occludedFraction, 1)
    }

    func testReflectionsAreSaturatedAndCounted() {
        let eye = SyntheticEyeGenerator.generate(SyntheticEyeParameters(identitySeed: 4, specularReflectionCount: 2))
        XCTAssertEqual(eye.truth.specularCenters.count, 2)
        for centre in eye.truth.specularCenters {
            XCTAssertGreaterThanOrEqual(eye.image[Int(centre.x.rounded()), Int(centre.y.rounded())], 240)
        }
    }

    func testOddSizesAndAbsurdParametersDoNotTrap() {
        for (width, height) in [(1, 1), (2, 7), (640, 1), (1, 480), (5000, 3), (33, 33)] {
            let eye = SyntheticEyeGenerator.generate(SyntheticEyeParameters(width: width, height: height, irisRadius: .nan, defocusSigma: 2, motionBlurLength: 9))
            XCTAssertEqual(eye.image.pixels.count, eye.image.width * eye.image.height)
        }
        let clamped = SyntheticEyeGenerator.generate(SyntheticEyeParameters(width: -3, height: 0, pupilToIrisRatio: .infinity))
        XCTAssertEqual(clamped.image.width, 1)
        XCTAssertEqual(clamped.image.height, 1)
    }
}
