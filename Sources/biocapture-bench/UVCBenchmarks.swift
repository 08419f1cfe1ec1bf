import UVC

/// UVC benchmarks: payload assembly throughput.
///
/// Frames are MJPEG-sized: width x height / 4 bytes (about 2 bits per pixel, a typical webcam
/// MJPEG rate), SOI … EOI, split into 3072-byte payloads whose 12-byte headers carry PTS and SCR
/// like a real camera's. Throughput counts every payload byte (headers included) fed in.
let uvcBenchmarks: [Benchmark] = [
    uvcAssemblyBenchmark(width: 640, height: 480, withHuffmanTables: true),
    uvcAssemblyBenchmark(width: 1920, height: 1080, withHuffmanTables: true),
    uvcAssemblyBenchmark(width: 640, height: 480, withHuffmanTables: false),
    uvcAssemblyBenchmark(width: 1920, height: 1080, withHuffmanTables: false),
]

private func uvcAssemblyBenchmark(width: Int, height: Int, withHuffmanTables: Bool) -> Benchmark {
    let suffix = withHuffmanTables ? "" : ".dht-inserted"
    let name = "uvc.assembly.mjpeg.\(width)x\(height)\(suffix)"
    return Benchmark(name: name) {
        let framesPerRun = 30
        let payloads = syntheticMJPEGPayloads(width: width, height: height, frames: framesPerRun,
                                              withHuffmanTables: withHuffmanTables, payloadSize: 3072)
        let bytesPerRun = payloads.reduce(0) { $0 + $1.count }
        var delivered = 0
        let runs = 20
        let seconds = medianSeconds(runs: runs) {
            var assembler = UVCFrameAssembler(configuration: .init(kind: .mjpeg, maxFrameSize: width * height * 2))
            for payload in payloads {
                assembler.append(payload) { event in
                    if case .frame = event { delivered += 1 }
                }
            }
        }
        guard delivered == framesPerRun * (runs + 1) else {
            throw UVCBenchmarkFailure(message: "\(name): \(delivered) frames delivered, \(framesPerRun * (runs + 1)) expected")
        }
        return [
            BenchmarkFigure(name: name, unit: "MB/s", value: Double(bytesPerRun) / seconds / 1e6, runs: runs),
            BenchmarkFigure(name: name + ".frames", unit: "frames/s", value: Double(framesPerRun) / seconds, runs: runs),
        ]
    }
}

private struct UVCBenchmarkFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// `frames` MJPEG-like frames cut into payloads of `payloadSize` bytes (12-byte header + data),
/// FID toggling per frame, EOF on each frame's last payload.
private func syntheticMJPEGPayloads(
    width: Int, height: Int, frames: Int, withHuffmanTables: Bool, payloadSize: Int
) -> [[UInt8]] {
    var header: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x08, 0x41, 0x56, 0x49, 0x31, 0x00, 0x00]
    header += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
    header += [0xFF, 0xC0, 0x00, 0x11, 0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF),
               0x03, 0x01, 0x21, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
    if withHuffmanTables { header += MJPEGFrame.defaultHuffmanSegment }
    header += [0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00]
    let size = width * height / 4
    var generator: UInt32 = 0x1234_5678
    var frame = header
    frame.reserveCapacity(size)
    while frame.count < size - 2 {
        generator = generator &* 1_664_525 &+ 1_013_904_223
        let byte = UInt8(truncatingIfNeeded: generator >> 24)
        // Entropy-coded data never holds a bare FF: stuff it as the encoder would.
        frame.append(byte)
        if byte == 0xFF { frame.append(0x00) }
    }
    frame += [0xFF, 0xD9]

    let dataPerPayload = payloadSize - 12
    var payloads: [[UInt8]] = []
    for index in 0..<frames {
        let fid: UInt8 = index % 2 == 0 ? 0 : 1
        var offset = 0
        while offset < frame.count {
            let end = min(frame.count, offset + dataPerPayload)
            let eof: UInt8 = end == frame.count ? 0x02 : 0
            let pts = UInt32(index * 333_333)
            var payload: [UInt8] = [12, 0x80 | 0x08 | 0x04 | eof | fid]
            payload += (0..<4).map { UInt8(truncatingIfNeeded: pts >> (8 * $0)) }
            payload += [0, 0, 0, 0, 0, 0]
            payload += frame[offset..<end]
            payloads.append(payload)
            offset = end
        }
    }
    return payloads
}
