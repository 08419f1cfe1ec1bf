/// USB benchmarks (filled in by that area's work).
let usbBenchmarks: [Benchmark] = []
