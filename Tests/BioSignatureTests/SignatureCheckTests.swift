import BioCapture
import XCTest

@testable import BioSignature

final class SignatureCheckTests: XCTestCase {
    let generator = SyntheticSignatureGenerator(pad: .stu430)
    let checker = SignatureChecker()

    private func check(_ points: [PenPoint]) -> SignatureCheckReport {
        checker.check(points, areaWidth: 96, areaHeight: 60)
    }

    func testGoodSyntheticSignaturesPassOverManySeeds() {
        for signer in UInt64(1)...150 {
            for attempt in 1...2 {
                let report = check(generator.signature(signer: signer, attempt: attempt))
                XCTAssertTrue(report.passed, "signer \(signer) attempt \(attempt): \(report.issues) \(report.measures)")
                XCTAssertEqual(report.feedback.english, "Signature accepted.")
            }
        }
    }

    func testEachDefectIsFlaggedWithItsReason() {
        let expected: [DefectiveSignatureKind: SignatureIssue] = [
            .empty: .empty, .dot: .dot, .liftedTooEarly: .liftedTooEarly, .scribble: .scribble,
            .pressureStuckAtZero: .noPressure, .pressureStuckAtFull: .noPressure, .tooSmall: .tooSmall,
            .runsOffEdge: .touchesEdge,
        ]
        XCTAssertEqual(Set(expected.keys), Set(DefectiveSignatureKind.allCases))
        for (kind, issue) in expected {
            for seed in UInt64(1)...25 {
                let report = check(generator.defective(kind, seed: seed))
                XCTAssertFalse(report.passed, "\(kind) seed \(seed) must fail")
                XCTAssertEqual(report.primaryIssue, issue, "\(kind) seed \(seed): \(report.issues) \(report.measures)")
            }
        }
    }

    func testImpliedIssuesAreLeftOut() {
        XCTAssertEqual(check(generator.defective(.empty, seed: 3)).issues, [.empty])
        XCTAssertEqual(check(generator.defective(.dot, seed: 3)).issues, [.dot])
        XCTAssertEqual(check([]).issues, [.empty])
        XCTAssertFalse(check(generator.defective(.liftedTooEarly, seed: 3)).issues.contains(.tooSmall))
    }

    /// A hand-made series with known measures: a 40 mm horizontal line in 1 s, then hover,
    /// then a 10 mm vertical line in 0.25 s.
    func testMeasuresOfAKnownSeries() {
        var points: [PenPoint] = []
        for step in 0...100 {
            let pressure = 0.3 + 0.4 * Double(step % 10) / 10
            points.append(PenPoint(x: 20 + 0.4 * Double(step), y: 30, pressure: pressure, tipDown: true, inRange: true, milliseconds: Double(step) * 10))
        }
        for step in 1...10 {
            points.append(PenPoint(x: 60, y: 30 - Double(step), pressure: 0, tipDown: false, inRange: true, milliseconds: 1000 + Double(step) * 10))
        }
        for step in 0...25 {
            points.append(PenPoint(x: 60, y: 20 + 0.4 * Double(step), pressure: 0.5, tipDown: true, inRange: true, milliseconds: 1110 + Double(step) * 10))
        }
        let report = check(points)
        let m = report.measures
        XCTAssertEqual(m.strokeCount, 2)
        XCTAssertEqual(m.tipDownPointCount, 127)
        XCTAssertEqual(m.inkLength, 50, accuracy: 1e-9)
        XCTAssertEqual(m.writingMilliseconds, 1360, accuracy: 1e-9)
        XCTAssertEqual(m.penDownMilliseconds, 1250, accuracy: 1e-9)
        XCTAssertEqual(m.inkMinX, 20, accuracy: 1e-9)
        XCTAssertEqual(m.inkMinY, 20, accuracy: 1e-9)
        XCTAssertEqual(m.inkWidth, 40, accuracy: 1e-9)
        XCTAssertEqual(m.inkHeight, 10, accuracy: 1e-9)
        XCTAssertEqual(m.widthFraction, 40.0 / 96, accuracy: 1e-9)
        XCTAssertEqual(m.areaFraction, 400.0 / 5760, accuracy: 1e-9)
        XCTAssertEqual(m.pressureMinimum, 0.3, accuracy: 1e-9)
        XCTAssertEqual(m.pressureMaximum, 0.66, accuracy: 1e-9)
        XCTAssertEqual(m.nearestEdgeDistance ?? -1, 20, accuracy: 1e-9)
        XCTAssertLessThan(m.overdrawRatio, 1.1)
        XCTAssertTrue(report.passed, "\(report.issues)")
    }

    func testThresholdsAreHonoured() {
        var points: [PenPoint] = []
        for step in 0...100 {
            points.append(PenPoint(x: 0.5 + 0.4 * Double(step), y: 30 + 5 * sin(Double(step) / 8), pressure: 0.2 + 0.005 * Double(step), tipDown: true, inRange: true, milliseconds: Double(step) * 10))
        }
        XCTAssertEqual(check(points).issues, [.touchesEdge], "x = 0.5 mm is within the 1 mm edge margin")
        var relaxed = SignatureCheckThresholds()
        relaxed.edgeMargin = 0.25
        XCTAssertTrue(SignatureChecker(thresholds: relaxed).check(points, areaWidth: 96, areaHeight: 60).passed)

        var taps: [PenPoint] = []
        for tap in 0..<45 {
            let base = Double(tap) * 40
            taps.append(PenPoint(x: 10 + Double(tap), y: 20 + Double(tap % 7), pressure: 0.3 + 0.01 * Double(tap % 5), tipDown: true, inRange: true, milliseconds: base))
            taps.append(PenPoint(x: 10.5 + Double(tap), y: 20.5 + Double(tap % 7), pressure: 0.4, tipDown: true, inRange: true, milliseconds: base + 10))
            taps.append(PenPoint(x: 10.5 + Double(tap), y: 20.5 + Double(tap % 7), pressure: 0, tipDown: false, inRange: true, milliseconds: base + 20))
        }
        XCTAssertTrue(check(taps).issues.contains(.tooManyStrokes), "\(check(taps).issues)")
    }

    func testNonFiniteReportsDoNotCrashTheChecks() {
        var points = generator.signature(signer: 2)
        points[points.count / 2].x = .nan
        points[points.count / 3].pressure = .infinity
        let report = check(points)
        XCTAssertTrue(report.measures.inkLength.isFinite)
    }

    func testFeedbackIsBilingualAndBecomesARetryReason() {
        var english = Set<String>()
        for issue in SignatureIssue.allCases {
            let text = issue.feedback
            XCTAssertFalse(text.english.isEmpty)
            XCTAssertFalse(text.indonesian.isEmpty)
            XCTAssertNotEqual(text.english, text.indonesian)
            XCTAssertEqual(text[.indonesian], text.indonesian)
            english.insert(text.english)
            let reason = issue.retryReason
            XCTAssertEqual(reason.code, issue.rawValue)
            XCTAssertEqual(reason.message.id, text.indonesian)
        }
        XCTAssertEqual(english.count, SignatureIssue.allCases.count, "every issue has its own words")
        XCTAssertEqual(SignatureIssue.liftedTooEarly.rawValue, "signature-lifted-too-early")
    }

    func testReportIsCodable() throws {
        let report = check(generator.defective(.scribble, seed: 4))
        let data = try JSONEncoder().encode(report)
        XCTAssertEqual(try JSONDecoder().decode(SignatureCheckReport.self, from: data), report)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("signature-scribble"))
    }
}
