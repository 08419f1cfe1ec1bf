import BioCapture
import BioSignature
import Foundation

/// Signature benchmarks: synthesis, checks, rendering and the binary record, on STU-430-sized
/// synthetic signatures (200 reports per second, 96 × 60 mm).
let signatureBenchmarks: [Benchmark] = [
    Benchmark(name: "signature.synthesize") {
        let generator = SyntheticSignatureGenerator(pad: .stu430)
        let batch = 40
        var sink = 0
        let seconds = medianSeconds(runs: 7) {
            for signer in 0..<batch { sink &+= generator.signature(signer: UInt64(signer), attempt: 1).count }
        }
        precondition(sink > 0)
        return [BenchmarkFigure(name: "signature.synthesize", unit: "signatures/s", value: Double(batch) / seconds, runs: 7)]
    },
    Benchmark(name: "signature.check") {
        let generator = SyntheticSignatureGenerator(pad: .stu430)
        let series = (0..<20).map { generator.signature(signer: UInt64($0)) }
        let checker = SignatureChecker()
        var passed = 0
        let seconds = medianSeconds(runs: 9) {
            for points in series where checker.check(points, areaWidth: 96, areaHeight: 60).passed { passed += 1 }
        }
        precondition(passed > 0)
        return [BenchmarkFigure(name: "signature.check", unit: "checks/s", value: Double(series.count) / seconds, runs: 9)]
    },
    Benchmark(name: "signature.render.300dpi") {
        let generator = SyntheticSignatureGenerator(pad: .stu430)
        let series = (0..<5).map { generator.signature(signer: UInt64($0)) }
        let options = SignatureRenderOptions(resolution: .dotsPerInch(300))
        var darkest = 255
        let seconds = try medianSeconds(runs: 7) {
            for points in series {
                let image = try SignatureRenderer.render(points, areaWidth: 96, areaHeight: 60, options: options)
                darkest = min(darkest, Int(image.pixels[image.pixels.count / 2]))
            }
        }
        return [BenchmarkFigure(name: "signature.render.300dpi", unit: "renders/s", value: Double(series.count) / seconds, runs: 7)]
    },
    Benchmark(name: "signature.record") {
        let generator = SyntheticSignatureGenerator(pad: .stu430)
        let records = (0..<20).map {
            SignatureRecord(representations: [SignatureRepresentation(points: generator.signature(signer: UInt64($0)), areaWidth: 96, areaHeight: 60)])
        }
        var bytes = 0
        let seconds = try medianSeconds(runs: 9) {
            for record in records {
                let encoded = try SignatureRecordCodec.encode(record)
                bytes += try SignatureRecordCodec.decode(encoded).representations.count
            }
        }
        precondition(bytes > 0)
        return [BenchmarkFigure(name: "signature.record.roundtrip", unit: "records/s", value: Double(records.count) / seconds, runs: 9)]
    },
]
