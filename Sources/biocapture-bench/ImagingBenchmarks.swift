/// Imaging benchmarks (filled in by that area's work).
let imagingBenchmarks: [Benchmark] = []
