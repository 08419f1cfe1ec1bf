import ArgumentParser
import BioCapture
import BioFace
import BioFingerprint
import BioIris
import BioSignature
import Enrollment
import Foundation
import Imaging

/// `biocapture check MODALITY --input FILE [--json]`: score a stored sample and say what to do.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Score a stored sample: fingerprint (PNG/PGM), iris (PNG/PGM), face (JPEG/PNG), signature (JSON time series).",
        discussion: """
            Exit status: 0 the sample passes its checks; 1 it does not (the output says why and \
            what to do); 65 the file is not a valid image or time series; 66 it cannot be read; \
            69 the face cascades (Debian's opencv-data) are missing.
            """
    )

    @Argument(help: "fingerprint, iris, face or signature")
    var modality: ModalityArgument

    @Option(name: .long, help: ArgumentHelp("The stored sample.", valueName: "FILE"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("Face: the expected background colour (red, blue, white).", valueName: "COLOUR"))
    var background: String = "blue"

    @Option(name: .long, help: ArgumentHelp("Message language: en or id (default: from LANG).", valueName: "LANG"))
    var lang: String?

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    func validate() throws {
        try CLILanguageOption.validate(lang)
        if PortraitBackground(rawValue: background) == nil { throw ValidationError("--background takes red, blue or white") }
    }

    func run() async throws {
        let language = CLILanguage.resolve(lang)
        guard FileManager.default.fileExists(atPath: input) else {
            printError("cannot read \(input): no such file")
            throw CLIExitStatus.noInput
        }
        let report: CheckReport
        switch modality {
        case .signature: report = try checkSignature(language)
        case .fingerprint: report = checkFingerprint(try readImage().grayImage, language)
        case .iris: report = checkIris(try readImage().grayImage, language)
        case .face: report = try checkFace(try readImage().rgbImage, language)
        }
        if json {
            try printJSON(report)
        } else {
            print(report.text(), terminator: "")
        }
        if !report.passed { throw CLIExitStatus.failure }
    }

    private func readImage() throws -> DecodedImage {
        do {
            return try ImageFile.read(input)
        } catch {
            printError("\(input): \(error)")
            throw error.kind == .fileNotFound || error.kind == .permissionDenied ? CLIExitStatus.noInput : CLIExitStatus.dataError
        }
    }

    private func checkFingerprint(_ image: GrayImage, _ language: MessageLanguage) -> CheckReport {
        let quality = FingerprintQualityMeasure().assess(image)
        let threshold = EnrollmentPolicy().fingerprint.qualityThreshold
        return CheckReport(
            modality: "fingerprint", width: image.width, height: image.height, score: quality.score,
            passed: quality.score >= threshold, summary: "NFIQ 2-style quality \(quality.score) (accepted from \(threshold))",
            measures: [
                .init(name: "foreground-area", value: quality.features.areaRatio, requirement: nil, passed: nil),
                .init(name: "ridge-period-px", value: quality.features.ridgePeriod, requirement: nil, passed: nil),
                .init(name: "minutiae", value: Double(quality.features.minutiaeCount), requirement: nil, passed: nil),
            ],
            feedback: quality.feedback.map { $0.text[language] })
    }

    private func checkIris(_ image: GrayImage, _ language: MessageLanguage) -> CheckReport {
        let quality = IrisQualityAssessor().assess(image)
        var report = CheckReport(
            modality: "iris", width: image.width, height: image.height, score: quality.score, passed: quality.acceptable,
            summary: "ISO/IEC 29794-6 score \(quality.score)",
            measures: quality.measures.map {
                .init(name: $0.kind.rawValue, value: $0.value, requirement: "\($0.requirement) \($0.unit)", passed: $0.passed)
            },
            feedback: quality.retryReasons.map { language == .indonesian ? $0.indonesian : $0.english })
        if let segmentation = quality.segmentation.segmentation {
            report.circles = [
                .init(name: "pupil", x: segmentation.pupil.centerX, y: segmentation.pupil.centerY, radius: segmentation.pupil.radius),
                .init(name: "limbus", x: segmentation.iris.centerX, y: segmentation.iris.centerY, radius: segmentation.iris.radius),
            ]
        } else if case .noEye(let reason) = quality.segmentation {
            report.summary = "no eye found (\(reason.rawValue))"
        }
        return report
    }

    private func checkFace(_ image: RGBImage, _ language: MessageLanguage) throws -> CheckReport {
        let localiser: FaceLocaliser
        do {
            localiser = try FaceLocaliser()
        } catch {
            printError("\(error)")
            throw ExitCode(69)
        }
        let policy = PortraitPolicy(background: PortraitBackground(rawValue: background) ?? .blue)
        let assessment = PortraitAssessor(policy: policy, localiser: localiser).assess(image)
        var report = CheckReport(
            modality: "face", width: image.width, height: image.height, score: assessment.quality,
            passed: assessment.allPassed,
            summary: assessment.allPassed ? "every portrait check passed" : "portrait quality \(assessment.quality)",
            measures: assessment.checks.map {
                .init(name: $0.kind.rawValue, value: $0.value, requirement: "\($0.limit)", passed: $0.passed)
            },
            feedback: assessment.checks.filter { !$0.passed }.map { $0.feedback[language] })
        if let face = assessment.search.faces.first {
            report.faceBox = .init(x: face.box.x, y: face.box.y, width: face.box.width, height: face.box.height)
            report.points = [
                .init(name: "left-eye", x: face.leftEye.x, y: face.leftEye.y),
                .init(name: "right-eye", x: face.rightEye.x, y: face.rightEye.y),
            ]
        }
        return report
    }

    private func checkSignature(_ language: MessageLanguage) throws -> CheckReport {
        guard let data = FileManager.default.contents(atPath: input) else {
            printError("cannot read \(input)")
            throw CLIExitStatus.noInput
        }
        let series: SignatureTimeSeries
        do {
            series = try SignatureTimeSeries.decode(json: data)
        } catch {
            printError("\(input): \(error)")
            throw CLIExitStatus.dataError
        }
        let result = SignatureChecker().check(series)
        let measures = result.measures
        return CheckReport(
            modality: "signature", width: nil, height: nil, score: result.passed ? 100 : 0, passed: result.passed,
            summary: result.feedback[language],
            measures: [
                .init(name: "strokes", value: Double(measures.strokeCount), requirement: nil, passed: nil),
                .init(name: "ink-length-mm", value: measures.inkLength, requirement: nil, passed: nil),
                .init(name: "writing-ms", value: measures.writingMilliseconds, requirement: nil, passed: nil),
            ],
            feedback: result.issues.map { $0.feedback[language] })
    }
}

/// What `check` prints.
struct CheckReport: Encodable {
    struct Measure: Encodable {
        var name: String
        var value: Double?
        var requirement: String?
        var passed: Bool?
    }

    struct Box: Encodable { var x: Int, y: Int, width: Int, height: Int }
    struct Point: Encodable { var name: String, x: Double, y: Double }
    struct Circle: Encodable { var name: String, x: Double, y: Double, radius: Double }

    var modality: String
    var width: Int?
    var height: Int?
    var score: Int
    var passed: Bool
    var summary: String
    var measures: [Measure]
    var feedback: [String]
    var faceBox: Box?
    var points: [Point]?
    var circles: [Circle]?

    func text() -> String {
        var lines = ["\(modality): \(passed ? "PASS" : "FAIL") — \(summary)"]
        if let faceBox { lines.append("face box: x \(faceBox.x), y \(faceBox.y), \(faceBox.width)×\(faceBox.height)") }
        for point in points ?? [] { lines.append("\(point.name): (\(Int(point.x.rounded())), \(Int(point.y.rounded())))") }
        for circle in circles ?? [] {
            lines.append(String(format: "%@: centre (%.1f, %.1f), radius %.1f", circle.name, circle.x, circle.y, circle.radius))
        }
        for measure in measures {
            var line = "  \(measure.name): " + (measure.value.map { String(format: "%.3g", $0) } ?? "—")
            if let requirement = measure.requirement { line += "  (\(requirement))" }
            if let passed = measure.passed { line += passed ? "  ok" : "  FAIL" }
            lines.append(line)
        }
        for advice in feedback { lines.append("→ \(advice)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
