import BioCapture
import BioFingerprint
import Foundation

/// Fingerprint benchmarks: synthetic print generation (what a simulated scanner pays per
/// capture) and the quality measure (what every preview frame and capture pays).
let fingerprintBenchmarks: [Benchmark] = [
    Benchmark(name: "fingerprint.synthetic") {
        let generator = SyntheticFingerprintGenerator()
        var identity: UInt64 = 0
        var sink = 0
        // A new identity every time: master (class, fields, Gabor-grown ridges) + one impression.
        let newIdentity = medianSeconds(runs: 7) {
            identity += 1
            let master = generator.master(identity: identity, finger: .rightIndex)
            sink &+= Int(generator.impression(of: master, conditions: .nominal).pixels[1000])
        }
        // Another attempt of a known finger: the master is cached by the caller.
        let master = generator.master(identity: 1, finger: .rightIndex)
        var attempt = 0
        let impression = medianSeconds(runs: 21) {
            attempt += 1
            let conditions = ImpressionConditions.natural(seed: 1, attempt: attempt)
            sink &+= Int(generator.impression(of: master, conditions: conditions).pixels[1000])
        }
        keepAlive(sink)
        return [
            BenchmarkFigure(name: "fingerprint.synthetic.prints_per_second_new_identity", unit: "prints/s",
                            value: 1 / newIdentity, runs: 7),
            BenchmarkFigure(name: "fingerprint.synthetic.new_identity_print_400x500", unit: "ms", value: newIdentity * 1000, runs: 7),
            BenchmarkFigure(name: "fingerprint.synthetic.impressions_per_second_cached_master", unit: "prints/s",
                            value: 1 / impression, runs: 21),
        ]
    },
    Benchmark(name: "fingerprint.quality") {
        let generator = SyntheticFingerprintGenerator()
        let measure = FingerprintQualityMeasure()
        let images = (1...5).map { generator.capture(identity: UInt64($0), finger: .leftIndex, attempt: 1).image }
        var index = 0
        var sink = 0
        let seconds = medianSeconds(runs: 21) {
            sink &+= measure.assess(images[index % images.count]).score
            index += 1
        }
        let empty = GrayImage(width: 400, height: 500, filledWith: 235)
        let emptySeconds = medianSeconds(runs: 21) { sink &+= measure.assess(empty).score }
        keepAlive(sink)
        return [
            BenchmarkFigure(name: "fingerprint.quality.assess_400x500", unit: "ms", value: seconds * 1000, runs: 21),
            BenchmarkFigure(name: "fingerprint.quality.assess_empty_400x500", unit: "ms", value: emptySeconds * 1000, runs: 21),
        ]
    },
]

/// Uses a checksum of the results so the optimiser cannot drop the measured work.
private func keepAlive(_ sink: Int) {
    if sink == Int.min { FileHandle.standardError.write(Data("checksum \(sink)\n".utf8)) }
}
