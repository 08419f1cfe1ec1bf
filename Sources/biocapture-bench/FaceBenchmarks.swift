import BioCapture
import BioFace
import Foundation

/// Face benchmarks: localisation per VGA frame, synthetic portrait rendering, full portrait checks.
/// Need Debian's opencv-data for the cascades (the localisation figures fail without it).
let faceBenchmarks: [Benchmark] = [
    Benchmark(name: "face.localise.640x480") {
        let localiser = try FaceLocaliser()
        var parameters = PortraitParameters()
        parameters.width = 640
        parameters.height = 480
        let frame = PortraitGenerator(identitySeed: 1).render(parameters).image
        var found = 0
        let runs = 20
        let seconds = medianSeconds(runs: runs) { found = localiser.locate(in: frame).faceCount }
        guard found == 1 else { throw FaceBenchmarkFailure(message: "expected one face in the benchmark frame, found \(found)") }
        return [BenchmarkFigure(name: "face.localise.640x480", unit: "ms/frame", value: seconds * 1000, runs: runs)]
    },
    Benchmark(name: "face.synthetic.portraits") {
        var results: [BenchmarkFigure] = []
        for (width, height) in [(640, 480), (960, 720)] {
            var parameters = PortraitParameters()
            parameters.width = width
            parameters.height = height
            let generator = PortraitGenerator(identitySeed: 3)
            var seed: UInt64 = 0
            let runs = 10
            let seconds = medianSeconds(runs: runs) {
                seed += 1
                _ = generator.render(parameters, captureSeed: seed)
            }
            results.append(BenchmarkFigure(name: "face.synthetic.portraits.\(width)x\(height)", unit: "portraits/s", value: 1 / seconds, runs: runs))
        }
        return results
    },
    Benchmark(name: "face.assess.960x720") {
        let localiser = try FaceLocaliser()
        let assessor = PortraitAssessor(policy: PortraitPolicy(background: .blue), localiser: localiser)
        let frame = PortraitGenerator(identitySeed: 1).render(PortraitParameters()).image
        var quality = 0
        let runs = 10
        let seconds = medianSeconds(runs: runs) { quality = assessor.assess(frame).quality }
        guard quality == 100 else { throw FaceBenchmarkFailure(message: "the good benchmark portrait scored \(quality)") }
        return [BenchmarkFigure(name: "face.assess.960x720", unit: "ms/portrait", value: seconds * 1000, runs: runs)]
    },
]

struct FaceBenchmarkFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
