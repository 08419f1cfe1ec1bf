import BioCapture
import Foundation
import XCTest

import BioIris

/// A minimal binary PGM (P5) writer so tests and the cross-check can hand images to other tools
/// without an image-codec dependency.
enum PGMFile {
    static func encode(_ image: GrayImage) -> Data {
        var data = Data("P5\n\(image.width) \(image.height)\n255\n".utf8)
        data.append(contentsOf: image.pixels)
        return data
    }

    static func write(_ image: GrayImage, to url: URL) throws {
        try encode(image).write(to: url)
    }
}

/// Writes sample eyes for looking at them and for the iris-iqm cross-check, only when
/// `BIOIRIS_SAMPLE_DIR` names a directory (never during normal test runs).
final class SampleImageExportTests: XCTestCase {
    func testExportSampleEyesWhenRequested() throws {
        guard let directory = ProcessInfo.processInfo.environment["BIOIRIS_SAMPLE_DIR"] else {
            throw XCTSkip("set BIOIRIS_SAMPLE_DIR to export sample eyes")
        }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Start the two tables afresh so a second export does not append to the first.
        for table in ["truth.txt", "bioiris.csv"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(table))
        }
        for (name, parameters) in SampleEyes.catalogue {
            let eye = SyntheticEyeGenerator.generate(parameters)
            try PGMFile.write(eye.image, to: folder.appendingPathComponent("\(name).pgm"))
            let report = IrisQualityAssessor().assess(eye.image)
            var measureLine = name
            if let found = report.segmentation.segmentation {
                measureLine += String(format: ",%.2f,%.2f,%.2f,%.2f,%.2f,%.2f", found.pupil.centerX, found.pupil.centerY, found.pupil.radius,
                                      found.iris.centerX, found.iris.centerY, found.iris.radius)
            } else {
                measureLine += ",,,,,,"
            }
            for kind in IrisMeasureKind.allCases {
                measureLine += report.measure(kind).map { String(format: ",%.4f", $0.value) } ?? ","
            }
            measureLine += ",\(report.score)\n"
            let measuresURL = folder.appendingPathComponent("bioiris.csv")
            if let handle = try? FileHandle(forWritingTo: measuresURL) {
                handle.seekToEndOfFile()
                handle.write(Data(measureLine.utf8))
                try handle.close()
            } else {
                let header = "name,pupil_x,pupil_y,pupil_r,iris_x,iris_y,iris_r," + IrisMeasureKind.allCases.map(\.rawValue).joined(separator: ",") + ",score\n"
                try Data((header + measureLine).utf8).write(to: measuresURL)
            }
            let t = eye.truth
            let line = String(format: "%@ pupil %.2f %.2f %.2f iris %.2f %.2f %.2f occluded %.4f\n", name,
                              t.pupil.centerX, t.pupil.centerY, t.pupil.radius, t.iris.centerX, t.iris.centerY, t.iris.radius, t.occludedFraction)
            let truthURL = folder.appendingPathComponent("truth.txt")
            if let handle = try? FileHandle(forWritingTo: truthURL) {
                handle.seekToEndOfFile()
                handle.write(Data(line.utf8))
                try handle.close()
            } else {
                try Data(line.utf8).write(to: truthURL)
            }
        }
    }
}

/// Named conditions used by the export and the cross-check.
enum SampleEyes {
    static let catalogue: [(String, SyntheticEyeParameters)] = [
        ("01-nominal", SyntheticEyeParameters(identitySeed: 11, captureSeed: 1)),
        ("02-dilated", SyntheticEyeParameters(identitySeed: 12, captureSeed: 2, pupilToIrisRatio: 0.62)),
        ("03-constricted", SyntheticEyeParameters(identitySeed: 13, captureSeed: 3, irisRadius: 125, pupilToIrisRatio: 0.22)),
        ("04-far", SyntheticEyeParameters(identitySeed: 14, captureSeed: 4, irisRadius: 82)),
        ("05-close", SyntheticEyeParameters(identitySeed: 15, captureSeed: 5, irisRadius: 140, specularReflectionCount: 2)),
        ("06-occluded", SyntheticEyeParameters(identitySeed: 16, captureSeed: 6, upperEyelidCover: 0.4, lowerEyelidCover: 0.15, eyelashDensity: 1)),
        ("07-offangle", SyntheticEyeParameters(identitySeed: 17, captureSeed: 7, centerOffsetX: 40, gazeYawDegrees: 22)),
        ("08-defocus", SyntheticEyeParameters(identitySeed: 18, captureSeed: 8, defocusSigma: 3)),
        ("09-motion", SyntheticEyeParameters(identitySeed: 19, captureSeed: 9, motionBlurLength: 14, motionBlurAngleDegrees: 0)),
        ("10-lowcontrast", SyntheticEyeParameters(identitySeed: 20, captureSeed: 10, illumination: 0.7, contrast: 0.45, noiseSigma: 4)),
        ("11-glasses", SyntheticEyeParameters(identitySeed: 21, captureSeed: 11, glassesReflections: true)),
        ("12-closed", SyntheticEyeParameters(identitySeed: 22, captureSeed: 12, upperEyelidCover: 0.7, lowerEyelidCover: 0.4)),
        ("13-offcentre", SyntheticEyeParameters(identitySeed: 23, captureSeed: 13, centerOffsetX: 165, centerOffsetY: 60)),
    ]
}
