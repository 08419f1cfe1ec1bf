// Imaging benchmarks: JPEG decode/encode through the CJPEGShim, side by side with libjpeg-turbo's
// own tjbench on the same picture, and PNG for reference.
//
// Unit: Mpixel/s = million image pixels (decoded or encoded) per second of wall time. Measured the
// way tjbench measures: 0.3 s warm-up, then as many iterations as fit in at least 1 s, total pixels
// over total time (a median of short runs would hide preemption that tjbench's figure includes,
// which matters on a loaded machine). `runs` is the number of timed iterations.
// JPEG settings on both sides: RGB input, quality 90, 4:2:0, standard Huffman tables, libjpeg's
// default (ISLOW) DCT and fancy upsampling. tjbench runs with -benchtime 1 -warmup 0.3 -nowrite;
// its figures come from its verbose "Throughput: … Megapixels/sec" lines.
import BioCapture
import Foundation
import Imaging

let imagingBenchmarks: [Benchmark] = [
    Benchmark(name: "imaging.jpeg.1920x1080") { try jpegFigures(width: 1920, height: 1080) },
    Benchmark(name: "imaging.jpeg.640x480") { try jpegFigures(width: 640, height: 480) },
    Benchmark(name: "imaging.tjbench.1920x1080") { try tjbenchFigures(width: 1920, height: 1080) },
    Benchmark(name: "imaging.tjbench.640x480") { try tjbenchFigures(width: 640, height: 480) },
    Benchmark(name: "imaging.png.640x480") { try pngFigures(width: 640, height: 480) },
]

/// A deterministic photo-like RGB picture: gradients, soft waves and a little noise, so the
/// entropy coder sees realistic data (a flat image would flatter both sides).
func benchmarkImage(width: Int, height: Int) -> RGBImage {
    var state: UInt32 = 12345
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            state = state &* 1_664_525 &+ 1_013_904_223
            let noise = Int(state >> 28) - 8
            let wave = sin(Double(x) / 23) * cos(Double(y) / 17)
            let base = (y * width + x) * 3
            pixels[base] = UInt8(clamping: x * 200 / width + Int(wave * 40) + noise)
            pixels[base + 1] = UInt8(clamping: y * 200 / height + Int(wave * 30) + noise)
            pixels[base + 2] = UInt8(clamping: 128 + Int(wave * 90) + noise / 2)
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels) ?? RGBImage(width: width, height: height)
}

/// Throughput like tjbench's: warm up, then iterate for at least `seconds`; returns Mpixel/s and
/// the number of timed iterations.
func throughput(megapixels: Double, warmup: Double = 0.3, seconds: Double = 1.0, _ body: () throws -> Void) rethrows
    -> (value: Double, runs: Int)
{
    let warmupEnd = DispatchTime.now().uptimeNanoseconds + UInt64(warmup * 1e9)
    repeat { try body() } while DispatchTime.now().uptimeNanoseconds < warmupEnd
    let start = DispatchTime.now().uptimeNanoseconds
    var runs = 0
    var elapsed = 0.0
    repeat {
        try body()
        runs += 1
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < seconds
    return (megapixels * Double(runs) / elapsed, runs)
}

func jpegFigures(width: Int, height: Int) throws -> [BenchmarkFigure] {
    let image = benchmarkImage(width: width, height: height)
    let options = JPEG.EncodeOptions(quality: 90, chromaSubsampling: .s420)
    let megapixels = Double(width * height) / 1e6
    var encoded: [UInt8] = []
    let encode = try throughput(megapixels: megapixels) { encoded = try JPEG.encode(image, options: options) }
    let decoder = try JPEG.Decoder()
    var decodedWidth = 0
    let decode = try throughput(megapixels: megapixels) { decodedWidth = try decoder.decode(encoded).image.width }
    guard decodedWidth == width else { throw ImageCodecError(.corrupt, format: .jpeg, "benchmark decode size mismatch") }
    let size = "\(width)x\(height)"
    return [
        BenchmarkFigure(name: "jpeg.encode.\(size)", unit: "Mpixel/s", value: encode.value, runs: encode.runs),
        BenchmarkFigure(name: "jpeg.decode.\(size)", unit: "Mpixel/s", value: decode.value, runs: decode.runs),
        BenchmarkFigure(name: "jpeg.size.\(size)", unit: "bytes", value: Double(encoded.count), runs: 1),
    ]
}

func pngFigures(width: Int, height: Int) throws -> [BenchmarkFigure] {
    let image = benchmarkImage(width: width, height: height).grayscale()
    let megapixels = Double(width * height) / 1e6
    var encoded: [UInt8] = []
    let encode = try throughput(megapixels: megapixels) { encoded = try PNG.encode(image) }
    let decode = try throughput(megapixels: megapixels) { _ = try PNG.decode(encoded) }
    let size = "\(width)x\(height)"
    return [
        BenchmarkFigure(name: "png.encode.gray.\(size)", unit: "Mpixel/s", value: encode.value, runs: encode.runs),
        BenchmarkFigure(name: "png.decode.gray.\(size)", unit: "Mpixel/s", value: decode.value, runs: decode.runs),
    ]
}

struct TjbenchError: Error, CustomStringConvertible {
    let description: String
}

/// Runs `/usr/bin/tjbench` on the benchmark picture saved as a PPM. When tjbench is not installed
/// (package libjpeg-turbo-progs) the benchmark is skipped with a message and no figure.
func tjbenchFigures(width: Int, height: Int) throws -> [BenchmarkFigure] {
    let tool = "/usr/bin/tjbench"
    guard FileManager.default.isExecutableFile(atPath: tool) else {
        FileHandle.standardError.write(Data(
            "biocapture-bench: \(tool) not found (install libjpeg-turbo-progs); skipping tjbench.\(width)x\(height)\n".utf8))
        return []
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("biocapture-tjbench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("image-\(width)x\(height).ppm")
    try ImageFile.write(benchmarkImage(width: width, height: height), to: input.path)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = [input.path, "90", "-subsamp", "420", "-rgb", "-benchtime", "1", "-warmup", "0.3", "-nowrite"]
    process.currentDirectoryURL = directory
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    // tjbench runs about 3 s here; a minute means it hangs.
    let deadline = Date().addingTimeInterval(60)
    var collected = Data()
    while process.isRunning {
        if Date() > deadline {
            process.terminate()
            throw TjbenchError(description: "tjbench did not finish within 60 s")
        }
        Thread.sleep(forTimeInterval: 0.05)
    }
    collected.append(output.fileHandleForReading.readDataToEndOfFile())
    let text = String(decoding: collected, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw TjbenchError(description: "tjbench exited with \(process.terminationStatus): \(text.suffix(300))")
    }
    let (compress, decompress) = try parseTjbench(text)
    let size = "\(width)x\(height)"
    return [
        BenchmarkFigure(name: "tjbench.encode.\(size)", unit: "Mpixel/s", value: compress, runs: 1),
        BenchmarkFigure(name: "tjbench.decode.\(size)", unit: "Mpixel/s", value: decompress, runs: 1),
    ]
}

/// Reads the "Throughput: X Megapixels/sec" lines that follow "Compress" and "Decompress".
func parseTjbench(_ text: String) throws -> (compress: Double, decompress: Double) {
    var section = ""
    var compress: Double?
    var decompress: Double?
    for line in text.split(separator: "\n") {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("Compress") { section = "compress" }
        if trimmed.hasPrefix("Decompress") { section = "decompress" }
        guard trimmed.hasPrefix("Throughput:"), trimmed.hasSuffix("Megapixels/sec") else { continue }
        let number = trimmed.dropFirst("Throughput:".count).dropLast("Megapixels/sec".count)
            .trimmingCharacters(in: .whitespaces)
        guard let value = Double(number) else { continue }
        if section == "compress", compress == nil { compress = value }
        if section == "decompress", decompress == nil { decompress = value }
    }
    guard let compress, let decompress else {
        throw TjbenchError(description: "could not find tjbench's throughput lines in: \(text.suffix(400))")
    }
    return (compress, decompress)
}
