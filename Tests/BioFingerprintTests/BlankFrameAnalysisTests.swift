import BioCapture
import BioFingerprint
import XCTest

final class BlankFrameAnalysisTests: XCTestCase {
    private let device = DeviceIdentity(id: "t", driverID: "t", modality: .fingerprint, vendor: "v", model: "m",
                                        connectionPath: "test", isSimulated: true)

    private func blank(_ value: UInt8 = 230, width: Int = 64, height: Int = 80) -> GrayImage {
        var random = SeededRandom(seed: 3)
        var image = GrayImage(width: width, height: height, filledWith: value)
        for index in image.pixels.indices {
            image.pixels[index] = UInt8(clamping: Int(random.gaussian(mean: Double(value), deviation: 2).rounded()))
        }
        return image
    }

    func testAUniformBlankFramePasses() {
        let analysis = BlankFrameAnalysis(blank())
        XCTAssertFalse(analysis.hasDeadLines)
        XCTAssertTrue(analysis.isUniform)
        XCTAssertFalse(analysis.hasResidue)
        XCTAssertEqual(analysis.sensorStep(device: device).outcome, .passed)
    }

    func testDeadRowsAndColumnsAreCountedAndFailTheSensor() {
        var image = blank()
        // A row stuck dark and one stuck half-way (a row stuck bright is invisible on a bright blank frame).
        for x in 0..<image.width { image[x, 10] = 0; image[x, 40] = 110 }
        for y in 0..<image.height { image[7, y] = 0 }
        let analysis = BlankFrameAnalysis(image)
        XCTAssertEqual(analysis.deadRows, [10, 40])
        XCTAssertEqual(analysis.deadColumns, [7])
        let step = analysis.sensorStep(device: device)
        XCTAssertEqual(step.outcome, .failed)
        XCTAssertEqual(step.fault?.code, .sensorDefect)
        XCTAssertTrue(step.detail.contains("2 dead rows and 1 dead columns"), step.detail)
    }

    func testALatentPrintIsAWarning() {
        var image = blank()
        // Ridge-like stripes over a third of the platen.
        for y in 0..<image.height / 3 {
            for x in 0..<image.width where (x / 4) % 2 == 0 { image[x, y] = 150 }
        }
        let analysis = BlankFrameAnalysis(image)
        XCTAssertTrue(analysis.hasResidue)
        XCTAssertEqual(analysis.sensorStep(device: device).outcome, .warning)
    }
}
