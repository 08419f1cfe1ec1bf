import Foundation
import XCTest

/// Runs the built `biocapture` binary and captures its output.
enum CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var sharedDirectory: URL { packageRoot.deletingLastPathComponent().appendingPathComponent("shared") }

    /// The shared directory, or XCTSkip with a printed reason.
    static func shared() throws -> URL {
        guard FileManager.default.fileExists(atPath: sharedDirectory.path) else {
            let reason = "\(sharedDirectory.path) is absent: shared fixtures are not available in this checkout"
            print("skipping: \(reason)")
            throw XCTSkip(reason)
        }
        return sharedDirectory
    }

    /// The `biocapture` executable: next to the test bundle (the build products directory),
    /// else `.build/debug/biocapture` under the package root.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let url = directory.appendingPathComponent("biocapture")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        XCTFail("biocapture binary not found near \(candidates.map(\.path))")
        throw XCTSkip("biocapture binary not found")
    }

    /// Runs biocapture with `arguments`; `environment` entries are added to (or, when nil,
    /// removed from) this process's environment. Stopped after `deadline` seconds.
    static func run(_ arguments: [String], environment: [String: String?] = [:], deadline: TimeInterval = 60) throws -> Result {
        try runProgram(binary(), arguments: arguments, environment: environment, deadline: deadline)
    }

    /// Runs any program (e.g. `setpriv … biocapture …`) the same way.
    static func runProgram(_ executable: URL, arguments: [String], environment: [String: String?] = [:], deadline: TimeInterval = 60) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("biocapture-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let end = Date().addingTimeInterval(deadline)
        while process.isRunning && Date() < end { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            XCTFail("biocapture \(arguments) did not finish within \(deadline) s")
        }
        process.waitUntilExit()
        try stdoutHandle.close()
        try stderrHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }

    /// A fresh temporary directory removed by the test's teardown.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("biocapture-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static func jsonObject(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(text.prefix(200))")
    }
}

/// The example device of testing-with-umockdev.md section 2.
let exampleDeviceBytes: [UInt8] = [
    0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
    0x09, 0x02, 0x27, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
    0x09, 0x04, 0x00, 0x00, 0x03, 0xFF, 0x00, 0x00, 0x00,
    0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00,
    0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00,
    0x07, 0x05, 0x82, 0x03, 0x08, 0x00, 0x0A,
]
