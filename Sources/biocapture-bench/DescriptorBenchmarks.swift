/// Descriptor benchmarks (filled in by that area's work).
let descriptorBenchmarks: [Benchmark] = []
