import BioCapture
@testable import BioFace
import Foundation
import Logging
import XCTest

final class SyntheticPortraitDetectionTests: XCTestCase {
    /// The cascades come from Debian's opencv-data: skip without it, but fail under CI
    /// (CI installs it).
    static func frontalFace() throws -> HaarCascade {
        do {
            return try HaarCascade.load(named: "haarcascade_frontalface_default.xml")
        } catch {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("\(error) (CI must install opencv-data)")
                throw error
            }
            throw XCTSkip("\(error)")
        }
    }

    func testPortraitsAreDeterministicPerSeed() {
        let generator = PortraitGenerator(identitySeed: 7)
        var parameters = PortraitParameters()
        parameters.width = 160
        parameters.height = 120
        let first = generator.render(parameters, captureSeed: 1)
        let second = generator.render(parameters, captureSeed: 1)
        XCTAssertEqual(first.image, second.image)
        XCTAssertNotEqual(first.image, PortraitGenerator(identitySeed: 8).render(parameters, captureSeed: 1).image)
        XCTAssertNotEqual(first.image, generator.render(parameters, captureSeed: 2).image, "noise differs per frame")
    }

    func testTheCascadeFindsTheSyntheticFaceWhereTheGeneratorPutIt() throws {
        let detector = CascadeDetector(cascade: try Self.frontalFace(), scaleFactor: 1.15, minNeighbors: 3, step: 2)
        for seed in [1, 2, 3] as [UInt64] {
            var parameters = PortraitParameters()
            parameters.width = 320
            parameters.height = 240
            let (image, truth) = PortraitGenerator(identitySeed: seed).render(parameters)
            let faces = detector.detect(in: image.grayscale(), minSize: 40)
            XCTAssertEqual(faces.count, 1, "seed \(seed): \(faces)")
            let face = try XCTUnwrap(faces.first)
            XCTAssertEqual(face.centerX, truth.faceCenterX, accuracy: 15, "seed \(seed)")
            XCTAssertEqual(face.centerY, truth.faceCenterY, accuracy: 25, "seed \(seed)")
        }
    }

    func testNoFaceInAUniformOrNoisyFrame() throws {
        let detector = CascadeDetector(cascade: try Self.frontalFace(), step: 2)
        XCTAssertEqual(detector.detect(in: GrayImage(width: 200, height: 150, filledWith: 128)), [])
        var random = SeededRandom(seed: 5)
        let noise = GrayImage(width: 200, height: 150,
                              pixels: (0..<(200 * 150)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        XCTAssertEqual(detector.detect(in: try XCTUnwrap(noise), minSize: 40).count, 0)
        XCTAssertEqual(detector.detect(in: GrayImage(width: 3, height: 3)), [], "smaller than the window")
    }

    func testMalformedCascadesAreRefusedClearly() {
        XCTAssertThrowsError(try HaarCascade(xml: Data("<opencv_storage><cascade>".utf8))) { error in
            XCTAssertTrue("\(error)".contains("cascade"), "\(error)")
        }
        let wrongType = Data("<opencv_storage><cascade><featureType>LBP</featureType><width>24</width><height>24</height></cascade></opencv_storage>".utf8)
        XCTAssertThrowsError(try HaarCascade(xml: wrongType)) { error in
            XCTAssertTrue("\(error)".contains("not HAAR"), "\(error)")
        }
        XCTAssertThrowsError(try HaarCascade.load(named: "no-such-cascade.xml", directory: "/nonexistent")) { error in
            XCTAssertTrue("\(error)".contains("opencv-data"), "\(error)")
        }
    }

    func testTheSimulatedWebcamCapturesAPortrait() async throws {
        let identity = DeviceIdentity(id: "", driverID: "sim-webcam", modality: .face, vendor: "BioCapture",
                                      model: "Simulated webcam", connectionPath: "simulated", isSimulated: true)
        let webcam = SimulatedWebcam(context: DriverContext(identity: identity, logger: Logger(label: "test"), seed: 4,
                                                            settings: ["latency-ms": "1", "background": "red"]))
        try await webcam.open()
        guard case .captured(let sample) = try await webcam.captureFace(FaceCaptureRequest(deadline: .seconds(5))) else {
            return XCTFail("no portrait")
        }
        XCTAssertEqual(sample.image.width, 640)
        XCTAssertEqual(sample.image.height, 480)
        let corner = sample.image[2, 2]
        XCTAssertGreaterThan(Int(corner.red), Int(corner.blue) + 80, "red background")
        await webcam.close()
    }
}
