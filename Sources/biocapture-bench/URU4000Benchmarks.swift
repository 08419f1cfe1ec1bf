import BioCapture
import BioFingerprint
import Foundation

/// The uru4000 image path on one core: header check, noise test, descrambling (25 728 LFSR steps
/// per 67-row block), assembly and inversion of a 384 × 290 frame — what every capture pays once
/// the bytes are off the bus.
let uru4000Benchmarks: [Benchmark] = [
    Benchmark(name: "uru4000.decode") {
        let key: UInt32 = 0xDB89_6F5F
        let transfer = uru4000ScrambledFrame(key: key)
        var sink = 0
        let seconds = try medianSeconds(runs: 21) {
            let plan = try URU4000ImageDecoder.plan(transfer: transfer)
            let image = try URU4000ImageDecoder.decode(transfer, plan: plan, keys: plan.keyNumbers.map { _ in key },
                                                       orientation: URU4000Orientation())
            sink &+= Int(image.pixels[1000])
        }
        uru4000KeepAlive(sink)
        return [
            BenchmarkFigure(name: "uru4000.decode.frames_per_second", unit: "frames/s", value: 1 / seconds, runs: 21),
            BenchmarkFigure(name: "uru4000.decode.frame_384x290", unit: "ms", value: seconds * 1000, runs: 21),
        ]
    },
]

/// A frame laid out like the msv2 recording's (289 rows, scrambled blocks around a plain row and
/// a gap) with random bytes, so the noise test takes the descrambling branch.
private func uru4000ScrambledFrame(key: UInt32) -> [UInt8] {
    var random = SeededRandom(seed: 4000)
    var transfer = [UInt8](repeating: 0, count: URU4000Protocol.headerLength + 289 * URU4000Protocol.imageWidth)
    for index in URU4000Protocol.headerLength..<transfer.count { transfer[index] = UInt8(truncatingIfNeeded: random.next()) }
    transfer[4] = 0x21
    transfer[5] = 0x01
    transfer[6] = 5
    let table: [(UInt8, UInt8)] = [(0x02, 67), (0x00, 1), (0x02, 49), (0x01, 1), (0x00, 1), (0x02, 49), (0x00, 1), (0x02, 121)]
    for (index, entry) in table.enumerated() {
        transfer[16 + 2 * index] = entry.0
        transfer[17 + 2 * index] = entry.1
    }
    return transfer
}

/// A checksum the optimiser must keep, so the measured work is not dropped.
private func uru4000KeepAlive(_ sink: Int) {
    if sink == Int.min { FileHandle.standardError.write(Data("checksum \(sink)\n".utf8)) }
}
