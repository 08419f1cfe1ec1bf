import BioCapture
import BioCaptureTesting
import BioFingerprint
import Foundation

/// The `upektc_img` image path on one core: every frame message of a TCS1 image (26 messages,
/// 51 840 pixels) CRC-checked, classified and assembled, as the driver does after each read.
let upektcBenchmarks: [Benchmark] = [
    Benchmark(name: "upektc_img.decode") {
        var random = SeededRandom(seed: 0x1147E)
        let pixels = (0..<(192 * 270)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let messages = UPEKTouchChipEmulator.frames(of: pixels).map {
            UPEKCiao.encode(messageClass: 0x00, sequence: 0, payload: $0)
        }
        var sink = 0
        let runs = 51
        let seconds = try medianSeconds(runs: runs) {
            var assembler = UPEKImageAssembler(width: 192, height: 270)
            for bytes in messages {
                switch try UPEKCaptureMessage(try UPEKCiao.decode(bytes)) {
                case .firstFrame(let frame), .frame(let frame), .lastFrame(let frame): try assembler.append(frame)
                case .status, .classEight: break
                }
            }
            sink &+= Int(try assembler.image().pixels[1000])
        }
        keepAlive(sink)
        return [
            BenchmarkFigure(name: "upektc_img.decode.frames_per_second", unit: "frames/s",
                            value: Double(messages.count) / seconds, runs: runs),
            BenchmarkFigure(name: "upektc_img.decode.images_per_second_192x270", unit: "images/s", value: 1 / seconds, runs: runs),
        ]
    },
]

/// Uses a checksum of the results so the optimiser cannot drop the measured work.
private func keepAlive(_ sink: Int) {
    if sink == Int.min { FileHandle.standardError.write(Data("checksum \(sink)\n".utf8)) }
}
