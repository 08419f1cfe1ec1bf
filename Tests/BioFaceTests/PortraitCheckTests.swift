import BioCapture
import Foundation
import XCTest

@testable import BioFace

final class PortraitCheckTests: XCTestCase {
    /// Identity seeds and backgrounds the good portrait is tried with.
    static let goodCases: [(seed: UInt64, background: PortraitBackground)] = [(1, .blue), (3, .red), (4, .blue), (5, .red)]

    func testGoodPortraitPassesEveryCheck() throws {
        for (seed, background) in Self.goodCases {
            let rendered = try FaceFixtures.portrait(seed: seed) { $0.background = background }
            let assessment = try FaceFixtures.assess(rendered, background: background)
            XCTAssertEqual(assessment.checks.count, PortraitCheckKind.allCases.count)
            XCTAssertTrue(assessment.allPassed, "seed \(seed) \(background): \(FaceFixtures.describe(assessment))")
            XCTAssertEqual(assessment.quality, 100, "seed \(seed)")
            XCTAssertEqual(assessment[.faceFoundOnce]?.value, 1)
            XCTAssertGreaterThanOrEqual(assessment[.eyeDistance]?.value ?? 0, 90)
            for check in assessment.checks {
                XCTAssertFalse(check.feedback.english.isEmpty)
                XCTAssertFalse(check.feedback.indonesian.isEmpty)
                XCTAssertNotEqual(check.feedback.english, check.feedback.indonesian)
            }
            let token = try XCTUnwrap(assessment.token, "seed \(seed): \(String(describing: assessment.tokenError))")
            // 120 px between the eyes when the source has that many, else the source's own (≥ 90).
            let sourceDistance = try XCTUnwrap(assessment.search.primary?.eyeDistance)
            XCTAssertEqual(token.eyeDistance, min(120, sourceDistance.rounded(.down)))
            XCTAssertEqual(token.image.width, 4 * Int(token.eyeDistance))
            XCTAssertEqual(token.image.height, Int((Double(token.image.width) / 0.75).rounded()))
            XCTAssertFalse(token.upscaled)
            XCTAssertLessThan(token.outsideFraction, 0.01, "the synthetic frame holds the whole token")
        }
    }

    /// Each degradation, on a portrait that otherwise passes, fails the check made for it.
    private func assertFails(
        _ kind: PortraitCheckKind, seed: UInt64 = 1, _ configure: (inout PortraitParameters) -> Void,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> PortraitAssessment {
        let rendered = try FaceFixtures.portrait(seed: seed, configure)
        let assessment = try FaceFixtures.assess(rendered, background: .blue)
        XCTAssertEqual(assessment.search.faceCount, 1, "the degraded face is still found", file: file, line: line)
        let check = try XCTUnwrap(assessment[kind], file: file, line: line)
        XCTAssertFalse(check.passed, "\(kind) should fail: \(FaceFixtures.describe(assessment))", file: file, line: line)
        XCTAssertNotNil(check.value, file: file, line: line)
        XCTAssertLessThan(assessment.quality, 100, file: file, line: line)
        XCTAssertEqual(assessment.quality, max(0, min(80, 100 - assessment.failed.map(\.penalty).reduce(0, +))), file: file, line: line)
        return assessment
    }

    func testTooDarkFailsBrightness() throws {
        let assessment = try assertFails(.brightness) { $0.exposure = 0.35 }
        XCTAssertLessThan(assessment[.brightness]?.value ?? 1, 0.28)
        XCTAssertTrue(assessment[.brightness]?.feedback.english.contains("too dark") ?? false)
        XCTAssertTrue(assessment[.brightness]?.feedback.indonesian.contains("terlalu gelap") ?? false)
    }

    func testOffCentreFailsCentring() throws {
        let assessment = try assertFails(.centred) { $0.centerX = 0.25 }
        XCTAssertGreaterThan(assessment[.centred]?.value ?? 0, 4, "a quarter of the width off is 5 tolerances")
        XCTAssertTrue(assessment[.centred]?.feedback.english.contains("further right") ?? false)
        XCTAssertTrue(assessment[.eyesLevel]?.passed ?? false)
    }

    func testTiltedFailsEyesLevel() throws {
        let assessment = try assertFails(.eyesLevel) { $0.rollDegrees = 15 }
        XCTAssertEqual(assessment[.eyesLevel]?.value ?? 0, 15, accuracy: 1)
        // The token is levelled: the roll is removed.
        let token = try XCTUnwrap(assessment.token)
        XCTAssertTrue(token.levelled)
        XCTAssertEqual(token.sourceRollDegrees, 15, accuracy: 1)
    }

    func testBlurFailsSharpness() throws {
        let assessment = try assertFails(.sharpness) { $0.blurSigma = 4 }
        let sharp = try FaceFixtures.assess(try FaceFixtures.portrait(seed: 1), background: .blue)
        XCTAssertLessThan(assessment[.sharpness]?.value ?? .infinity, (sharp[.sharpness]?.value ?? 0) / 10)
    }

    func testClosedEyesFailEyesOpen() throws {
        let assessment = try assertFails(.eyesOpen) { $0.eyesOpen = false }
        XCTAssertLessThan(assessment[.eyesOpen]?.value ?? 1, 0.3)
        // No eye seen: the centres fall back to the usual place in the face box, near the truth.
        let rendered = try FaceFixtures.portrait(seed: 1) { $0.eyesOpen = false }
        let face = try XCTUnwrap(rendered.search.primary)
        XCTAssertEqual(face.leftEyeSource, .geometric)
        XCTAssertEqual(face.rightEyeSource, .geometric)
        XCTAssertEqual(face.eyeCascadeHits, 0)
        let tolerance = 0.06 * Double(face.box.width)
        XCTAssertLessThan(face.leftEye.distance(to: FaceFixtures.point(rendered.truth.leftEye)), tolerance)
        XCTAssertLessThan(face.rightEye.distance(to: FaceFixtures.point(rendered.truth.rightEye)), tolerance)
    }

    func testStrongSideLightFailsEvenness() throws {
        let assessment = try assertFails(.lightingEvenness) { $0.sideLight = 1 }
        XCTAssertTrue(assessment[.lightingEvenness]?.feedback.english.contains("right side of the picture is brighter") ?? false)
        let fromLeft = try assertFails(.lightingEvenness) { $0.sideLight = -1 }
        XCTAssertTrue(fromLeft[.lightingEvenness]?.feedback.english.contains("left side of the picture is brighter") ?? false)
    }

    func testWrongBackgroundColourFails() throws {
        // A blue background where this subject's birth year asks for red.
        let rendered = try FaceFixtures.portrait(seed: 1)
        let assessment = try FaceFixtures.assess(rendered, background: .red)
        XCTAssertEqual(assessment.failed, [.backgroundColour], FaceFixtures.describe(assessment))
        XCTAssertGreaterThan(assessment[.backgroundColour]?.value ?? 0, 90, "blue is far from red in hue")
        XCTAssertEqual(assessment.quality, 60)
        XCTAssertTrue(assessment[.backgroundColour]?.feedback.indonesian.contains("merah") ?? false)
        // A white background is neither.
        let white = try FaceFixtures.portrait(seed: 1) { $0.background = .white }
        XCTAssertFalse(try FaceFixtures.assess(white, background: .blue)[.backgroundColour]?.passed ?? true)
        XCTAssertTrue(try FaceFixtures.assess(white, background: .white)[.backgroundColour]?.passed ?? false)
    }

    func testClutteredBackgroundFailsUniformity() throws {
        let rendered = try FaceFixtures.portrait(seed: 1)
        var image = rendered.image
        // Stripes down the left fifth of the frame, far from the head.
        for y in 0..<image.height {
            for x in 0..<(image.width / 5) where (x / 12) % 2 == 0 {
                image[x, y] = (230, 220, 90)
            }
        }
        let assessor = PortraitAssessor(policy: PortraitPolicy(background: .blue), localiser: try FaceFixtures.localiser())
        let assessment = assessor.assess(image, search: rendered.search)
        XCTAssertFalse(assessment[.backgroundUniformity]?.passed ?? true, FaceFixtures.describe(assessment))
    }

    func testNoFaceGivesNoFaceFoundNotACrash() throws {
        let assessor = PortraitAssessor(policy: PortraitPolicy(background: .red), localiser: try FaceFixtures.localiser())
        var random = SeededRandom(seed: 42)
        var noise = GrayImage(width: 640, height: 480)
        for index in noise.pixels.indices { noise.pixels[index] = UInt8(truncatingIfNeeded: random.next()) }
        for image in [RGBImage(width: 640, height: 480, red: 128, green: 128, blue: 128), noise.rgb()] {
            let assessment = assessor.assess(image)
            XCTAssertEqual(assessment.search.faceCount, 0)
            XCTAssertEqual(assessment[.faceFoundOnce]?.value, 0)
            XCTAssertFalse(assessment[.faceFoundOnce]?.passed ?? true)
            XCTAssertTrue(assessment[.faceFoundOnce]?.feedback.english.hasPrefix("No face found") ?? false)
            XCTAssertEqual(assessment.quality, 0)
            XCTAssertNil(assessment.token)
            for check in assessment.checks where check.kind != .faceFoundOnce {
                XCTAssertNil(check.value)
                XCTAssertFalse(check.passed)
            }
        }
    }

    func testTwoFacesFailFaceFoundOnce() throws {
        // Two small portraits side by side.
        var parameters = PortraitParameters()
        parameters.width = 400
        parameters.height = 300
        let left = PortraitGenerator(identitySeed: 1).render(parameters).image
        let right = PortraitGenerator(identitySeed: 4).render(parameters).image
        var both = RGBImage(width: 800, height: 300)
        for y in 0..<300 {
            for x in 0..<400 {
                both[x, y] = left[x, y]
                both[x + 400, y] = right[x, y]
            }
        }
        let assessor = PortraitAssessor(policy: PortraitPolicy(background: .blue), localiser: try FaceFixtures.localiser())
        let assessment = assessor.assess(both)
        XCTAssertEqual(assessment.search.faceCount, 2)
        XCTAssertFalse(assessment[.faceFoundOnce]?.passed ?? true)
        XCTAssertTrue(assessment[.faceFoundOnce]?.feedback.english.hasPrefix("2 faces") ?? false)
        XCTAssertFalse(assessment[.eyeDistance]?.passed ?? true, "each face is too small as well")
    }

    func testTinyAndOddSizedImagesNeverCrash() throws {
        let localiser = try FaceFixtures.localiser()
        let assessor = PortraitAssessor(policy: PortraitPolicy(background: .blue), localiser: localiser)
        var random = SeededRandom(seed: 7)
        for (width, height) in [(1, 1), (2, 3), (23, 17), (24, 24), (25, 31), (3, 400), (400, 3), (97, 61), (201, 149)] {
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for index in pixels.indices { pixels[index] = UInt8(truncatingIfNeeded: random.next()) }
            let image = try XCTUnwrap(RGBImage(width: width, height: height, pixels: pixels))
            let assessment = assessor.assess(image)
            XCTAssertEqual(assessment.checks.count, PortraitCheckKind.allCases.count)
            XCTAssertLessThanOrEqual(assessment.quality, 80, "\(width)×\(height)")
        }
        // A small, odd-sized portrait: whatever is found, nothing traps.
        var parameters = PortraitParameters()
        parameters.width = 161
        parameters.height = 119
        let small = PortraitGenerator(identitySeed: 2).render(parameters).image
        let assessment = assessor.assess(small)
        XCTAssertLessThan(assessment.quality, 100, "eyes this close together fail the eye distance")
        if assessment.search.faceCount > 0 {
            XCTAssertEqual(assessment.tokenError, .eyeDistanceTooSmall(
                source: assessment.search.faces[0].eyeDistance, required: 90))
        }
    }

    func testCheckLimitsAndQualityFormula() {
        XCTAssertTrue(CheckLimit.atLeast(2).accepts(2))
        XCTAssertFalse(CheckLimit.atLeast(2).accepts(1.99))
        XCTAssertTrue(CheckLimit.atMost(2).accepts(2))
        XCTAssertFalse(CheckLimit.atMost(2).accepts(2.01))
        XCTAssertTrue(CheckLimit.between(-5, 5).accepts(-5))
        XCTAssertFalse(CheckLimit.between(-5, 5).accepts(5.1))
        XCTAssertEqual(CheckLimit.between(1, 1).description, "1…1")
        XCTAssertEqual(CheckLimit.atLeast(0.3).description, "≥ 0.3")
        func assessment(failing: [PortraitCheckKind]) -> PortraitAssessment {
            PortraitAssessment(
                checks: PortraitCheckKind.allCases.map {
                    PortraitCheck(kind: $0, value: 0, limit: .atLeast(0), passed: !failing.contains($0), feedback: LocalizedText(en: "e", id: "i"))
                },
                search: FaceSearchResult(faces: [], imageWidth: 1, imageHeight: 1), token: nil, tokenError: nil)
        }
        XCTAssertEqual(assessment(failing: []).quality, 100)
        XCTAssertEqual(assessment(failing: [.sharpness]).quality, 80)
        XCTAssertEqual(assessment(failing: [.eyesOpen]).quality, 60)
        XCTAssertEqual(assessment(failing: [.eyesOpen, .sharpness, .brightness]).quality, 20)
        XCTAssertEqual(assessment(failing: [.faceFoundOnce]).quality, 0)
        XCTAssertEqual(assessment(failing: [.eyesOpen, .eyeDistance, .backgroundColour]).quality, 0)
    }
}
