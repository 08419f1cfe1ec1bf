import BioCapture
import BioFingerprint
import Foundation

/// The NB-1010-U image path: 90 reads of 540 bytes checked and assembled into one 256 × 180
/// image (what the driver does per capture once the bytes have arrived), on one core.
let nb1010Benchmarks: [Benchmark] = [
    Benchmark(name: "nb1010.image-decode") {
        var random = SeededRandom(seed: 1010)
        let pixels = (0..<(NB1010Protocol.imageWidth * NB1010Protocol.imageHeight)).map { _ in
            UInt8.random(in: 0...255, using: &random)
        }
        guard let image = GrayImage(width: NB1010Protocol.imageWidth, height: NB1010Protocol.imageHeight, pixels: pixels) else {
            return []
        }
        let frames = (0..<NB1010Protocol.frameCount).map { NB1010Protocol.encodeFrame(image, index: $0) }
        let imagesPerRun = 200
        var sink = 0
        let seconds = try medianSeconds(runs: 9) {
            for _ in 0..<imagesPerRun {
                var assembler = NB1010ImageAssembler()
                for frame in frames { try assembler.add(frame) }
                sink &+= Int(try assembler.image().pixels[4097])
            }
        }
        // A checksum of the decoded pixels keeps the optimiser from dropping the measured work.
        if sink == Int.min { FileHandle.standardError.write(Data("checksum \(sink)\n".utf8)) }
        let imagesPerSecond = Double(imagesPerRun) / seconds
        return [
            BenchmarkFigure(name: "nb1010.decode.images_per_second", unit: "images/s", value: imagesPerSecond, runs: 9),
            BenchmarkFigure(name: "nb1010.decode.frames_per_second", unit: "frames/s",
                            value: imagesPerSecond * Double(NB1010Protocol.frameCount), runs: 9),
        ]
    },
]
