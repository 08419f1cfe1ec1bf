import BioCapture
import Foundation
import XCTest

@testable import BioFace

/// Shared fixtures: the cascades (skip without opencv-data, fail under CI=true) and a cache of
/// rendered and localised portraits, so each synthetic image costs its render and detection once
/// per test run.
enum FaceFixtures {
    struct MissingCascades: Error, CustomStringConvertible {
        var description: String
    }

    /// The localiser over the system cascades, or a skip (a fail under `CI=true`) when Debian's
    /// opencv-data is not installed.
    static func localiser() throws -> FaceLocaliser {
        let directory = HaarCascade.systemDirectory
        guard FaceLocaliser.cascadesAvailable(in: directory) else {
            let reason = "face cascades missing in \(directory): install the Debian package opencv-data"
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                throw MissingCascades(description: "CI=true and " + reason)
            }
            print("BioFaceTests: skipping — \(reason)")
            throw XCTSkip(reason)
        }
        return try FaceLocaliser(cascadeDirectory: directory)
    }

    struct Rendered: Sendable {
        let image: RGBImage
        let truth: PortraitGenerator.Truth
        let search: FaceSearchResult
    }

    private final class Cache: @unchecked Sendable {
        // Guards `items`; XCTest may run test classes on different threads.
        let lock = NSLock()
        var items: [String: Rendered] = [:]
    }

    private static let cache = Cache()

    /// A rendered portrait and its localisation, cached by seed and parameters.
    static func portrait(seed: UInt64, _ configure: (inout PortraitParameters) -> Void = { _ in }) throws -> Rendered {
        var parameters = PortraitParameters()
        configure(&parameters)
        let key = "\(seed) \(parameters)"
        cache.lock.lock()
        let cached = cache.items[key]
        cache.lock.unlock()
        if let cached { return cached }
        let localiser = try localiser()
        let (image, truth) = PortraitGenerator(identitySeed: seed).render(parameters)
        let rendered = Rendered(image: image, truth: truth, search: localiser.locate(in: image))
        cache.lock.lock()
        cache.items[key] = rendered
        cache.lock.unlock()
        return rendered
    }

    static func assess(_ rendered: Rendered, background: PortraitBackground) throws -> PortraitAssessment {
        PortraitAssessor(policy: PortraitPolicy(background: background), localiser: try localiser())
            .assess(rendered.image, search: rendered.search)
    }

    static func describe(_ assessment: PortraitAssessment) -> String {
        assessment.checks.map { "\($0.kind.rawValue)=\($0.value.map { String(format: "%.3g", $0) } ?? "nil")\($0.passed ? "" : " FAILED")" }
            .joined(separator: ", ")
    }

    static func point(_ truth: (x: Double, y: Double)) -> PixelPoint { PixelPoint(x: truth.x, y: truth.y) }
}
