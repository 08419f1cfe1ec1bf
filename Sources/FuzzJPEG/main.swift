// FuzzJPEG: libFuzzer target for the image decoders (JPEG through libjpeg-turbo, PNG, PGM/PPM).
//
// Built with `-Xswiftc -DFUZZING` and the fuzzer sanitizer (see scripts/fuzz.sh and
// Docs/Fuzzing.md), it hands control to libFuzzer. Built normally, it replays the files (or the
// files in the directories) given as arguments, so a crash input becomes a reproducible case.
// With BIOCAPTURE_FUZZ_SEED_DIR set, it writes a small seed corpus there and exits.
//
// Top-level code on purpose: SwiftPM renames an executable's `main`, so `-parse-as-library` with
// libFuzzer's own main does not link; libFuzzer is entered through LLVMFuzzerRunDriver instead.
import BioCapture
import Foundation
import Imaging

/// Small enough that a lenient decode of a header-only input stays in the millisecond range.
let fuzzPixelCap = 1 << 20

/// Decodes the input with every decoder. Invariants that must hold for any input are checked:
/// a successful decode has the size its pixels say, and what PNG/PNM decode re-encodes losslessly.
func fuzzOneInput(_ bytes: [UInt8]) {
    for strictness in [JPEG.Strictness.strict, .lenient] {
        if let decoded = try? JPEG.decodeReportingWarnings(bytes, options: .init(maxPixels: fuzzPixelCap, strictness: strictness)) {
            check(decoded.image, "JPEG")
            if strictness == .strict, decoded.warningCount != 0 { fail("strict JPEG decode returned with warnings") }
        }
    }
    for verifyCRC in [true, false] {
        if let image = try? PNG.decode(bytes, options: .init(maxPixels: fuzzPixelCap, verifyCRC: verifyCRC)) {
            check(image, "PNG")
            let again = (try? PNG.encode(image)).flatMap { try? PNG.decode($0) }
            if again != image { fail("PNG re-encode round trip differs") }
        }
    }
    if let image = try? PNM.decode(bytes, options: .init(maxPixels: fuzzPixelCap)) {
        check(image, "PNM")
        let encoded = switch image {
        case .gray(let grey): PNM.encode(grey)
        case .rgb(let rgb): PNM.encode(rgb)
        }
        if (try? PNM.decode(encoded)) != image { fail("PNM re-encode round trip differs") }
    }
}

func check(_ image: DecodedImage, _ decoder: String) {
    if image.width <= 0 || image.height <= 0 || image.width * image.height > fuzzPixelCap
        || image.pixels.count != image.width * image.height * image.channels
    {
        fail("\(decoder) returned an inconsistent image \(image.width)x\(image.height)x\(image.channels)")
    }
}

/// An invariant broke: crash on purpose so libFuzzer saves the input.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("FuzzJPEG invariant violated: \(message)\n".utf8))
    abort()
}

/// A seed corpus of small valid files of each format.
func writeSeeds(to directory: String) -> Int32 {
    var seeds: [(String, [UInt8])] = []
    let grey = GrayImage(width: 16, height: 8, pixels: (0..<128).map { UInt8(($0 * 7) & 0xFF) })
        ?? GrayImage(width: 16, height: 8)
    let rgb = RGBImage(width: 8, height: 8, pixels: (0..<192).map { UInt8(($0 * 13) & 0xFF) })
        ?? RGBImage(width: 8, height: 8)
    if let bytes = try? JPEG.encode(grey, options: .init(quality: 75)) { seeds.append(("grey.jpg", bytes)) }
    if let bytes = try? JPEG.encode(rgb, options: .init(quality: 50)) { seeds.append(("rgb420.jpg", bytes)) }
    if let bytes = try? JPEG.encode(rgb, options: .init(quality: 90, chromaSubsampling: .s444, optimizeHuffman: true)) {
        seeds.append(("rgb444-optimized.jpg", bytes))
    }
    if let bytes = try? JPEG.encode(rgb, options: .init(quality: 60, progressive: true)) {
        seeds.append(("rgb-progressive.jpg", bytes))
    }
    if let bytes = try? PNG.encode(grey) { seeds.append(("grey.png", bytes)) }
    if let bytes = try? PNG.encode(rgb, options: .init(filter: .fixed(.paeth))) { seeds.append(("rgb.png", bytes)) }
    seeds.append(("grey.pgm", PNM.encode(grey)))
    seeds.append(("rgb.ppm", PNM.encode(rgb)))
    seeds.append(("ascii.pgm", Array("P2\n# seed\n3 2\n15\n0 1 2\n3 4 15\n".utf8)))
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in seeds {
            try Data(bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-" + name))
        }
    } catch {
        FileHandle.standardError.write(Data("FuzzJPEG: cannot write seeds to \(directory): \(error)\n".utf8))
        return 1
    }
    print("FuzzJPEG: wrote \(seeds.count) seeds to \(directory)")
    return 0
}

if let seedDirectory = ProcessInfo.processInfo.environment["BIOCAPTURE_FUZZ_SEED_DIR"] {
    exit(writeSeeds(to: seedDirectory))
}

#if FUZZING
typealias FuzzTestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: FuzzTestOneInput
) -> CInt

/// libFuzzer's runtime references this symbol even when the driver gets a callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    fuzzOneInput(bytes)
    return 0
}

var fuzzArgc = CommandLine.argc
var fuzzArgv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&fuzzArgc, &fuzzArgv) { data, size in
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    fuzzOneInput(bytes)
    return 0
})
#else
var replayed = 0
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") {
    print("usage: FuzzJPEG FILE-OR-DIRECTORY...   (replays inputs; build with -DFUZZING to fuzz)")
    exit(arguments.isEmpty ? 2 : 0)
}
var files: [String] = []
for argument in arguments {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
        FileHandle.standardError.write(Data("FuzzJPEG: no such file: \(argument)\n".utf8))
        exit(2)
    }
    if isDirectory.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
        files += names.sorted().map { argument + "/" + $0 }
    } else {
        files.append(argument)
    }
}
for file in files {
    guard let data = FileManager.default.contents(atPath: file) else {
        FileHandle.standardError.write(Data("FuzzJPEG: cannot read \(file)\n".utf8))
        exit(2)
    }
    fuzzOneInput([UInt8](data))
    replayed += 1
}
print("FuzzJPEG: replayed \(replayed) input(s) without a crash")
#endif
