import BioCapture
import BioFingerprint
import Foundation
import Imaging
import XCTest

/// Loads a capture PNG (8-bit RGB with R = G = B) as a grey image through the Imaging module.
let libfprintCaptureLoader: (@Sendable (URL) throws -> GrayImage)? = { url in
    try ImageFile.read(url.path).grayImage
}

/// Scores of the libfprint recordings' capture images. Measured by hand (PNG decoded with
/// Python's zlib) when the measure was written: nb1010 57, upektc_img-tcs1s 32, uru4000-msv2
/// 16 (see hardware-notes/fingerprint-quality.md; only nb1010 shows fingerprint ridges).
final class RealCaptureQualityTests: XCTestCase {
    static var fixtures: URL {
        // Tests/BioFingerprintTests/<file> → package root → ../shared/fixtures/libfprint
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("shared/fixtures/libfprint")
    }

    func load(_ folder: String) throws -> GrayImage {
        let url = Self.fixtures.appendingPathComponent(folder).appendingPathComponent("capture.png")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("libfprint fixtures not found at \(url.path) (../shared is absent in this checkout)")
        }
        guard let loader = libfprintCaptureLoader else {
            throw XCTSkip("no PNG loader wired into BioFingerprintTests yet (set libfprintCaptureLoader)")
        }
        return try loader(url)
    }

    func testRidgedCaptureScoresAsAFingerprint() throws {
        let image = try load("nb1010")
        let report = FingerprintQualityMeasure().assess(image)
        XCTAssertGreaterThanOrEqual(report.score, 40)
        XCTAssertLessThanOrEqual(report.score, 80)
        XCTAssertFalse(report.feedback.contains(.empty))
        XCTAssertEqual(report.features.ridgePeriod, 10, accuracy: 2.5, "500 ppi ridge period")
    }

    func testAllCapturesScoreInRangeAndBelowTheRidgedOne() throws {
        let measure = FingerprintQualityMeasure()
        let ridged = measure.assess(try load("nb1010")).score
        for folder in ["upektc_img-tcs1s", "uru4000-msv2"] {
            let report = measure.assess(try load(folder))
            XCTAssertTrue((1...100).contains(report.score), "\(folder): \(report.score)")
            XCTAssertFalse(report.feedback.contains(.empty), folder)
            // These two show skin without clear ridge flow (creases, pores).
            XCTAssertLessThan(report.score, ridged, folder)
        }
    }
}
