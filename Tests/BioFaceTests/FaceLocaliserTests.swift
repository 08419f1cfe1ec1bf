import BioCapture
import Foundation
import XCTest

@testable import BioFace

final class FaceLocaliserTests: XCTestCase {
    /// Eye centres within 3 px of the generator's truth at 960×720 (the brief allows ~6 px).
    func testEyesWithinAFewPixelsOfTruth() throws {
        var worst = 0.0
        for (seed, roll) in [(UInt64(1), 0.0), (3, 0.0), (4, 0.0), (5, 0.0), (1, 15.0)] {
            let rendered = try FaceFixtures.portrait(seed: seed) {
                $0.rollDegrees = roll
                if seed == 3 || seed == 5 { $0.background = .red }
            }
            XCTAssertEqual(rendered.search.faceCount, 1, "seed \(seed)")
            let face = try XCTUnwrap(rendered.search.primary)
            let leftError = face.leftEye.distance(to: FaceFixtures.point(rendered.truth.leftEye))
            let rightError = face.rightEye.distance(to: FaceFixtures.point(rendered.truth.rightEye))
            worst = max(worst, leftError, rightError)
            XCTAssertLessThan(leftError, 3, "seed \(seed) roll \(roll): left eye \(face.leftEye) vs \(rendered.truth.leftEye)")
            XCTAssertLessThan(rightError, 3, "seed \(seed) roll \(roll): right eye \(face.rightEye) vs \(rendered.truth.rightEye)")
            // Subject's left eye is on the image's right.
            XCTAssertGreaterThan(face.leftEye.x, face.rightEye.x)
            XCTAssertEqual(face.leftEyeSource, .cascade)
            XCTAssertEqual(face.rightEyeSource, .cascade)
            XCTAssertGreaterThanOrEqual(face.eyeCascadeHits, 2)
            // The face box holds both eyes and the face centre.
            let box = face.box
            for point in [face.leftEye, face.rightEye, PixelPoint(x: rendered.truth.faceCenterX, y: rendered.truth.faceCenterY)] {
                XCTAssertTrue(Double(box.x) < point.x && point.x < Double(box.x + box.width), "seed \(seed)")
                XCTAssertTrue(Double(box.y) < point.y && point.y < Double(box.y + box.height), "seed \(seed)")
            }
            XCTAssertEqual(face.rollDegrees, roll, accuracy: 1)
        }
        XCTAssertLessThan(worst, 3)
    }

    /// The token puts the eyes where ISO/IEC 19794-5 says, levelled, found again by the localiser.
    func testTokenPlacesTheEyesOnTheTokenGeometry() throws {
        let localiser = try FaceFixtures.localiser()
        let rendered = try FaceFixtures.portrait(seed: 1) { $0.rollDegrees = 15 }
        let face = try XCTUnwrap(rendered.search.primary)
        let token = try TokenPortrait.crop(rendered.image, rightEye: face.rightEye, leftEye: face.leftEye)
        XCTAssertEqual(token.image.width, 480)
        XCTAssertEqual(token.image.height, 640)
        XCTAssertEqual(Double(token.image.width) / Double(token.image.height), 0.75, accuracy: 0.001)
        let again = try XCTUnwrap(localiser.locate(in: token.image).primary)
        XCTAssertEqual(again.rightEye.x, 0.375 * 480, accuracy: 3)
        XCTAssertEqual(again.leftEye.x, 0.625 * 480, accuracy: 3)
        XCTAssertEqual(again.rightEye.y, 0.6 * 480, accuracy: 3)
        XCTAssertEqual(again.leftEye.y, 0.6 * 480, accuracy: 3)
        XCTAssertEqual(again.rollDegrees, 0, accuracy: 1.5)
        XCTAssertGreaterThanOrEqual(again.eyeDistance, 90)
    }

    func testTokenRefusesOrFlagsUpscaling() throws {
        let image = RGBImage(width: 200, height: 200, red: 10, green: 20, blue: 30)
        let right = PixelPoint(x: 70, y: 80)
        let left = PixelPoint(x: 130, y: 80)
        XCTAssertThrowsError(try TokenPortrait.crop(image, rightEye: right, leftEye: left)) { error in
            XCTAssertEqual(error as? TokenCropError, .eyeDistanceTooSmall(source: 60, required: 90))
            XCTAssertTrue("\(error)".contains("60.0 px apart"))
        }
        var options = TokenOptions()
        options.allowUpscale = true
        let token = try TokenPortrait.crop(image, rightEye: right, leftEye: left, options: options)
        XCTAssertTrue(token.upscaled)
        XCTAssertEqual(token.eyeDistance, 90)
        XCTAssertEqual(token.image.width, 360)
        XCTAssertEqual(token.image.height, 480)
        XCTAssertEqual(token.scale, 1.5, accuracy: 1e-9)
        XCTAssertGreaterThan(token.outsideFraction, 0.3, "a 200 px source cannot fill a 240×320 source window")
        XCTAssertThrowsError(try TokenPortrait.crop(image, rightEye: right, leftEye: right)) { error in
            XCTAssertEqual(error as? TokenCropError, .invalidEyes)
        }
        XCTAssertThrowsError(try TokenPortrait.crop(image, rightEye: right, leftEye: PixelPoint(x: .nan, y: 0)))
    }

    /// Shrinking only the covered part of a large frame gives the same pixels as shrinking it all.
    func testAlignedSamplingOfALargeFrameMatchesTheWholeFrameReference() throws {
        var random = SeededRandom(seed: 3)
        var pixels = [UInt8](repeating: 0, count: 900 * 700 * 3)
        for index in pixels.indices { pixels[index] = UInt8(truncatingIfNeeded: random.next()) }
        let image = try XCTUnwrap(RGBImage(width: 900, height: 700, pixels: pixels))
        let midpoint = PixelPoint(x: 431.3, y: 377.8)
        let angle = 0.2
        let scale = 0.3
        let at = PixelPoint(x: 30, y: 36)
        let sampled = AlignedSampler.sampleRGB(image, midpoint: midpoint, angle: angle, scale: scale, width: 60, height: 80, midpointAt: at)
        // Reference: shrink the whole frame by the same factor and sample it.
        let factor = 3
        let shrunk = AlignedSampler.shrink(image, factor: factor)
        let effective = scale * Double(factor)
        var worst = 0.0
        for y in 0..<80 {
            for x in 0..<60 {
                let dx = (Double(x) + 0.5 - at.x) / effective
                let dy = (Double(y) + 0.5 - at.y) / effective
                let sx = midpoint.x / 3 + dx * cos(angle) - dy * sin(angle) - 0.5
                let sy = midpoint.y / 3 + dx * sin(angle) + dy * cos(angle) - 0.5
                let expected = ImageOps.sample(shrunk, sx, sy)
                let got = sampled.image[x, y]
                worst = max(worst, abs(Double(got.red) - expected.0), abs(Double(got.green) - expected.1), abs(Double(got.blue) - expected.2))
            }
        }
        XCTAssertLessThanOrEqual(worst, 0.5 + 1e-9)
        XCTAssertEqual(sampled.outsideFraction, 0)
    }

    func testMissingCascadesNameThePackage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bioface-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        XCTAssertFalse(FaceLocaliser.cascadesAvailable(in: directory))
        XCTAssertThrowsError(try FaceLocaliser(cascadeDirectory: directory)) { error in
            guard case .cascadesMissing(_, let missing) = error as? FaceLocaliserError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(missing, [FaceLocaliser.faceCascadeName, FaceLocaliser.eyeCascadeName])
            XCTAssertTrue("\(error)".contains("opencv-data"))
        }
        // Present but malformed.
        for name in [FaceLocaliser.faceCascadeName, FaceLocaliser.eyeCascadeName] {
            XCTAssertTrue(FileManager.default.createFile(
                atPath: (directory as NSString).appendingPathComponent(name), contents: Data("<opencv_storage><cascade>".utf8)))
        }
        XCTAssertThrowsError(try FaceLocaliser(cascadeDirectory: directory)) { error in
            guard case .cascadeUnreadable = error as? FaceLocaliserError else { return XCTFail("unexpected \(error)") }
        }
    }

    func testGeneratorIsDeterministic() {
        var parameters = PortraitParameters()
        parameters.width = 64
        parameters.height = 48
        let generator = PortraitGenerator(identitySeed: 9)
        XCTAssertEqual(generator.render(parameters).image, generator.render(parameters).image)
        XCTAssertNotEqual(generator.render(parameters, captureSeed: 1).image, generator.render(parameters).image)
        XCTAssertNotEqual(PortraitGenerator(identitySeed: 10).render(parameters).image, generator.render(parameters).image)
    }
}
