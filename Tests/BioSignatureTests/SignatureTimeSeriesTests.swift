import BioCapture
import XCTest

@testable import BioSignature

final class SignatureTimeSeriesTests: XCTestCase {
    private func document(points: String, extra: String = "") -> Data {
        Data(#"{"format": "biocapture.signature", "version": 1, "areaWidth": 96, "areaHeight": 60\#(extra), "points": [\#(points)]}"#.utf8)
    }

    private func point(x: String = "10", y: String = "20", pressure: String = "0.5", tipDown: Bool = true, inRange: Bool = true, ms: String = "0") -> String {
        #"{"x": \#(x), "y": \#(y), "pressure": \#(pressure), "tipDown": \#(tipDown), "inRange": \#(inRange), "milliseconds": \#(ms)}"#
    }

    private func expectError(_ data: Data, point: Int?, field: String, containing text: String, line: UInt = #line) {
        XCTAssertThrowsError(try SignatureTimeSeries.decode(json: data), line: line) { error in
            guard let error = error as? SignatureDataError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(error.point, point, "\(error)", line: line)
            XCTAssertEqual(error.field, field, "\(error)", line: line)
            XCTAssertTrue(error.description.contains(text), "\(error)", line: line)
        }
    }

    func testRoundTripOfASyntheticSignature() throws {
        let points = SyntheticSignatureGenerator().signature(signer: 6)
        let series = SignatureTimeSeries(
            points: points, areaWidth: 96, areaHeight: 60, reportRate: 200, pressureLevels: 1024, device: "STU-430",
            capturedAt: Date(timeIntervalSince1970: 1_764_072_000))
        let data = try series.encodeJSON()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains(#""format":"biocapture.signature""#))
        XCTAssertTrue(text.contains(#""capturedAt":"2025-11-25T12:00:00Z""#))
        let decoded = try SignatureTimeSeries.decode(json: data)
        XCTAssertEqual(decoded, series)
        XCTAssertTrue(SignatureChecker().check(decoded).passed)
    }

    func testErrorsBecomeDecodeFaults() {
        let error = SignatureDataError(point: 3, field: "x", "is not a finite number (nan)")
        XCTAssertEqual(error.fault.code, .decodeFailed)
        XCTAssertEqual(error.description, "Invalid signature data, point 3, field x: is not a finite number (nan)")
    }

    func testAMinimalDocumentDecodes() throws {
        let series = try SignatureTimeSeries.decode(json: document(points: point() + "," + point(tipDown: false, ms: "5")))
        XCTAssertEqual(series.points.count, 2)
        XCTAssertNil(series.reportRate)
        XCTAssertEqual(series.points[1].milliseconds, 5)
    }

    func testNonFiniteValuesAreNamed() {
        expectError(document(points: point() + "," + point(x: #""NaN""#, ms: "5")), point: 1, field: "x", containing: "not a finite number")
        expectError(document(points: point(pressure: #""Infinity""#)), point: 0, field: "pressure", containing: "not a finite number")
        expectError(document(points: point(ms: #""-Infinity""#)), point: 0, field: "milliseconds", containing: "not a finite number")
        // A number too large for a Double is a malformed value, also named.
        XCTAssertThrowsError(try SignatureTimeSeries.decode(json: document(points: point(y: "1e999")))) { error in
            XCTAssertTrue(error is SignatureDataError)
        }
    }

    func testTimeRules() {
        expectError(document(points: point(ms: "-1")), point: 0, field: "milliseconds", containing: "negative")
        expectError(
            document(points: point(ms: "10") + "," + point(ms: "15") + "," + point(ms: "12")), point: 2, field: "milliseconds",
            containing: "goes back")
        XCTAssertNoThrow(try SignatureTimeSeries.decode(json: document(points: point(ms: "10") + "," + point(ms: "10"))), "equal times are allowed")
    }

    func testRangeRules() {
        expectError(document(points: point(x: "-0.5")), point: 0, field: "x", containing: "outside the pad")
        expectError(document(points: point(y: "60.01")), point: 0, field: "y", containing: "outside the pad")
        expectError(document(points: point(pressure: "1.5")), point: 0, field: "pressure", containing: "outside 0…1")
        expectError(document(points: point(tipDown: true, inRange: false)), point: 0, field: "tipDown", containing: "out of range")
        expectError(document(points: "", extra: #", "reportRate": 0"#), point: nil, field: "reportRate", containing: "positive")
        expectError(document(points: "", extra: #", "pressureLevels": 1"#), point: nil, field: "pressureLevels", containing: "2…65536")
        expectError(
            Data(#"{"format": "biocapture.signature", "version": 1, "areaWidth": -96, "areaHeight": 60, "points": []}"#.utf8),
            point: nil, field: "areaWidth", containing: "positive")
    }

    func testStructuralErrors() {
        expectError(Data("not json".utf8), point: nil, field: "", containing: "not valid JSON")
        expectError(Data(#"{"format": "other", "version": 1, "areaWidth": 96, "areaHeight": 60, "points": []}"#.utf8), point: nil, field: "format", containing: "expected")
        expectError(Data(#"{"format": "biocapture.signature", "version": 2, "areaWidth": 96, "areaHeight": 60, "points": []}"#.utf8), point: nil, field: "version", containing: "not supported")
        expectError(document(points: #"{"x": 1, "y": 2, "pressure": 0, "tipDown": false, "inRange": true}"#), point: 0, field: "milliseconds", containing: "missing")
        expectError(document(points: point(x: #""ten""#)), point: 0, field: "x", containing: "wrong type")
        expectError(document(points: point(pressure: "null")), point: 0, field: "pressure", containing: "null")
    }

    func testEncodingValidatesFirst() {
        let series = SignatureTimeSeries(
            points: [PenPoint(x: .nan, y: 1, pressure: 0, tipDown: false, inRange: true, milliseconds: 0)], areaWidth: 96, areaHeight: 60)
        XCTAssertThrowsError(try series.encodeJSON()) { error in
            XCTAssertEqual((error as? SignatureDataError)?.field, "x")
        }
    }
}
