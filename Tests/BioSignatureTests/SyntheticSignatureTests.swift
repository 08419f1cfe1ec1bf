import BioCapture
import XCTest

@testable import BioSignature

final class SyntheticSignatureTests: XCTestCase {
    let generator = SyntheticSignatureGenerator(pad: .stu430)

    func testSameSeedAndAttemptGiveIdenticalSeries() {
        XCTAssertEqual(generator.signature(signer: 42, attempt: 3), generator.signature(signer: 42, attempt: 3))
        for kind in DefectiveSignatureKind.allCases {
            XCTAssertEqual(generator.defective(kind, seed: 9), generator.defective(kind, seed: 9), "\(kind)")
        }
    }

    func testAttemptsDifferSlightlyAndSignersDifferMore() {
        var sameSignerDistances: [Double] = []
        var otherSignerDistances: [Double] = []
        for signer in UInt64(1)...12 {
            let first = generator.signature(signer: signer, attempt: 1)
            let second = generator.signature(signer: signer, attempt: 2)
            XCTAssertNotEqual(first, second, "attempts of signer \(signer) must not be identical")
            XCTAssertEqual(first.penStrokes().count, second.penStrokes().count, "signer \(signer) keeps the stroke count")
            sameSignerDistances.append(shapeDistance(first, second))
            otherSignerDistances.append(shapeDistance(first, generator.signature(signer: signer + 100, attempt: 1)))
        }
        let same = sameSignerDistances.reduce(0, +) / Double(sameSignerDistances.count)
        let other = otherSignerDistances.reduce(0, +) / Double(otherSignerDistances.count)
        XCTAssertLessThan(same * 2.5, other, "same signer \(same) vs other signers \(other)")
    }

    func testReportsFollowThePadRateResolutionAndArea() {
        let points = generator.signature(signer: 7)
        XCTAssertGreaterThan(points.count, 200)
        for (index, point) in points.enumerated() {
            XCTAssertEqual(point.milliseconds, Double(index) * 5, accuracy: 1e-9)
            XCTAssertTrue((0...96).contains(point.x) && (0...60).contains(point.y))
            XCTAssertEqual(point.x * 100, (point.x * 100).rounded(), accuracy: 1e-6, "x on the 0.01 mm grid")
            XCTAssertEqual(point.pressure * 1023, (point.pressure * 1023).rounded(), accuracy: 1e-6, "pressure on 1024 levels")
            if !point.tipDown { XCTAssertEqual(point.pressure, 0) }
        }
        XCTAssertEqual(points.last?.inRange, false, "the series ends with the pen leaving")
        XCTAssertEqual(points.first?.tipDown, false, "the pen approaches before touching")
        XCTAssertTrue(points.dropLast().allSatisfy(\.inRange))
    }

    func testHoverBetweenStrokesAndPressureRisesAndFalls() {
        for signer in UInt64(1)...20 {
            let points = generator.signature(signer: signer)
            let strokes = points.penStrokes()
            XCTAssertGreaterThanOrEqual(strokes.count, 1)
            for (first, second) in zip(strokes, strokes.dropFirst()) {
                let gap = points[first.range.upperBound..<second.range.lowerBound]
                XCTAssertFalse(gap.isEmpty, "signer \(signer): pen-up gap between strokes")
                XCTAssertTrue(gap.allSatisfy { $0.inRange && !$0.tipDown && $0.pressure == 0 })
            }
            for stroke in strokes where stroke.range.count > 40 {
                let run = Array(points[stroke.range])
                let middle = run[run.count / 2 - 5..<run.count / 2 + 5].map(\.pressure).max() ?? 0
                XCTAssertLessThan(run[0].pressure, middle * 0.6, "signer \(signer): pressure rises after touch-down")
                XCTAssertLessThan(run[run.count - 1].pressure, middle * 0.6, "signer \(signer): pressure falls before lift-off")
                XCTAssertGreaterThan(run[0].pressure, 0, "the first touching report has pressure")
            }
        }
    }

    func testVelocityIsSmoothAndStartsSlow() {
        let points = generator.signature(signer: 11)
        for stroke in points.penStrokes() where stroke.range.count > 40 {
            let run = Array(points[stroke.range])
            var speeds: [Double] = []
            for (a, b) in zip(run, run.dropFirst()) {
                speeds.append(hypot(b.x - a.x, b.y - a.y) / ((b.milliseconds - a.milliseconds) / 1000))
            }
            let peak = speeds.max() ?? 0
            XCTAssertGreaterThan(peak, 20, "handwriting reaches tens of mm/s")
            XCTAssertLessThan(peak, 600, "but not metres per second")
            XCTAssertLessThan(speeds[0], peak * 0.3, "the stroke starts slowly")
            // No jumps: speed changes by less than a quarter of the peak from one report to the next.
            for (a, b) in zip(speeds, speeds.dropFirst()) { XCTAssertLessThan(abs(b - a), peak * 0.25) }
        }
    }

    func testDefectsHaveTheirDefiningProperty() {
        let empty = generator.defective(.empty, seed: 1)
        XCTAssertFalse(empty.isEmpty)
        XCTAssertFalse(empty.contains(where: \.tipDown))
        let dot = generator.defective(.dot, seed: 1).filter(\.tipDown)
        XCTAssertFalse(dot.isEmpty)
        XCTAssertLessThan((dot.last?.milliseconds ?? 0) - (dot.first?.milliseconds ?? 0), 100)
        let zero = generator.defective(.pressureStuckAtZero, seed: 1).filter(\.tipDown)
        XCTAssertTrue(zero.allSatisfy { $0.pressure == 0 })
        let full = generator.defective(.pressureStuckAtFull, seed: 1).filter(\.tipDown)
        XCTAssertTrue(full.allSatisfy { $0.pressure == 1 })
        let early = generator.defective(.liftedTooEarly, seed: 1).filter(\.tipDown)
        XCTAssertLessThan((early.last?.milliseconds ?? 0) - (early.first?.milliseconds ?? 0), 400)
    }

    func testSampleCarriesTheArea() {
        let identity = DeviceIdentity(
            id: "sim-signature", driverID: "simulated", modality: .signature, vendor: "Wacom", model: "STU-430",
            connectionPath: "simulated", vendorID: 0x056A, productID: 0x00A4, isSimulated: true)
        let sample = generator.sample(signer: 5, metadata: CaptureMetadata(device: identity, attempt: 1, capturedAt: Date(timeIntervalSince1970: 0)))
        XCTAssertEqual(sample.areaWidth, 96)
        XCTAssertEqual(sample.areaHeight, 60)
        XCTAssertEqual(sample.points, generator.signature(signer: 5))
    }

    /// Mean distance (mm) between the two ink paths, each resampled to 200 points by arc length.
    private func shapeDistance(_ a: [PenPoint], _ b: [PenPoint]) -> Double {
        let first = resample(a.filter(\.tipDown), count: 200)
        let second = resample(b.filter(\.tipDown), count: 200)
        return zip(first, second).map { hypot($0.0 - $1.0, $0.1 - $1.1) }.reduce(0, +) / 200
    }

    private func resample(_ points: [PenPoint], count: Int) -> [(Double, Double)] {
        guard let first = points.first else { return [] }
        var cumulative = [0.0]
        for (a, b) in zip(points, points.dropFirst()) { cumulative.append(cumulative[cumulative.count - 1] + hypot(b.x - a.x, b.y - a.y)) }
        let total = cumulative.last ?? 0
        var result: [(Double, Double)] = []
        var index = 0
        for step in 0..<count {
            let target = total * Double(step) / Double(count - 1)
            while index < cumulative.count - 2, cumulative[index + 1] < target { index += 1 }
            let point = index < points.count ? points[index] : first
            result.append((point.x, point.y))
        }
        return result
    }
}
