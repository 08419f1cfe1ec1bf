import Foundation

/// One printed figure.
struct BenchmarkFigure: Encodable {
    let name: String
    let unit: String
    let value: Double
    let runs: Int
}

/// A named benchmark producing one or more figures. Each area keeps its own file
/// (`DescriptorBenchmarks.swift`, `USBBenchmarks.swift`, `ImagingBenchmarks.swift`…).
struct Benchmark: Sendable {
    let name: String
    let run: @Sendable () async throws -> [BenchmarkFigure]
}

/// Runs `body` `runs` times after one warm-up and returns the median wall time in seconds.
func medianSeconds(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<max(1, runs) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
}

/// Async form of `medianSeconds`.
func medianSecondsAsync(runs: Int, _ body: () async throws -> Void) async rethrows -> Double {
    try await body()
    var times: [Double] = []
    for _ in 0..<max(1, runs) {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
}
