// biocapture-bench: release-mode benchmarks. Prints one JSON object per figure:
// {"name": …, "unit": …, "value": …, "runs": …}.
//
//   swift run -c release biocapture-bench [--filter NAME] [--list]
import Foundation
import Logging

// Figures go to standard output; the libraries' logs only when something is wrong.
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .warning
    return handler
}

let arguments = Array(CommandLine.arguments.dropFirst())
var filter: String?
var listOnly = false
var index = 0
while index < arguments.count {
    switch arguments[index] {
    case "--filter" where index + 1 < arguments.count:
        filter = arguments[index + 1]
        index += 1
    case "--list":
        listOnly = true
    case "--help", "-h":
        print("usage: biocapture-bench [--filter SUBSTRING] [--list]")
        exit(0)
    default:
        FileHandle.standardError.write(Data("biocapture-bench: unknown argument '\(arguments[index])'\n".utf8))
        exit(2)
    }
    index += 1
}

let all = descriptorBenchmarks + usbBenchmarks + imagingBenchmarks + uvcBenchmarks + hidBenchmarks
    + signatureBenchmarks + fingerprintBenchmarks + irisBenchmarks + enrollmentBenchmarks
    + faceBenchmarks + upektcBenchmarks + nb1010Benchmarks + uru4000Benchmarks
let selected = all.filter { benchmark in filter.map { benchmark.name.contains($0) } ?? true }
if listOnly {
    for benchmark in selected { print(benchmark.name) }
    exit(0)
}
if selected.isEmpty {
    FileHandle.standardError.write(Data("biocapture-bench: no benchmark matches '\(filter ?? "")'\n".utf8))
    exit(2)
}

let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
var failed = false
for benchmark in selected {
    do {
        for figure in try await benchmark.run() {
            print(String(decoding: try encoder.encode(figure), as: UTF8.self))
        }
    } catch {
        failed = true
        FileHandle.standardError.write(Data("biocapture-bench: \(benchmark.name) failed: \(error)\n".utf8))
    }
}
exit(failed ? 1 : 0)
