// Fuzz target for the raw USB descriptor parser.
//
// Fuzzing build (libFuzzer + ASan):
//   swift build -c release --product FuzzUSBDescriptors --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link,address
//   SWIFT_BACKTRACE=enable=no .build-fuzz/release/FuzzUSBDescriptors -max_total_time=60 \
//     -rss_limit_mb=2048 -max_len=4096 CORPUS_DIR
// Normal build: `FuzzUSBDescriptors FILE...` replays inputs (crash files become regression tests).
//
// Top-level code on purpose: SwiftPM renames an executable's `main`, so the fuzzing build calls
// libFuzzer's driver from here instead of letting libFuzzer own `main`.
import Foundation
import USBDescriptors

/// Parses one input every way the library offers and checks what a successful parse promises.
/// Returns a short verdict for the replay mode.
func exercise(_ bytes: [UInt8]) -> String {
    var verdict: String
    do {
        let report = try USBDescriptorParser.parseWithWarnings(bytes)
        var covered = USBDescriptorType.deviceLength
        for configuration in report.descriptors.configurations {
            covered += Int(configuration.totalLength)
            checkBlock(configuration.extra)
            for setting in configuration.interfaces.flatMap(\.alternateSettings) {
                checkBlock(setting.extra)
                for endpoint in setting.endpoints { checkBlock(endpoint.extra) }
                _ = USBClassNames.name(for: setting.interfaceClass)
            }
        }
        if covered > bytes.count {
            fail("configurations cover \(covered) bytes of \(bytes.count)")
        }
        verdict = "parsed: \(report.descriptors.configurations.count) configuration(s), \(report.warnings.count) warning(s)"
    } catch {
        if error.offset < 0 || error.offset > bytes.count { fail("error offset \(error.offset) outside \(bytes.count) bytes") }
        verdict = "rejected: \(error.reason)"
    }
    // The same bytes read as a configuration block alone.
    do {
        let configuration = try USBDescriptorParser.parseConfiguration(bytes)
        if Int(configuration.totalLength) > bytes.count { fail("wTotalLength beyond the input accepted") }
    } catch {
        if error.offset < 0 || error.offset > bytes.count { fail("error offset \(error.offset) outside \(bytes.count) bytes") }
    }
    return verdict
}

/// Every extra block the parser builds is a sequence of whole descriptors.
func checkBlock(_ block: [UInt8]) {
    let total = USBDescriptorParser.rawDescriptors(in: block).reduce(0) { $0 + $1.bytes.count }
    if total != block.count { fail("extra block of \(block.count) bytes splits into \(total)") }
}

/// An invariant broke: stop so libFuzzer (or the replay) records the input.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("FuzzUSBDescriptors: invariant broken: \(message)\n".utf8))
    abort()
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// libFuzzer's runtime references this symbol even when the driver is given a callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    _ = exercise(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

var fuzzArgc = CommandLine.argc
var fuzzArgv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let fuzzStatus = LLVMFuzzerRunDriver(&fuzzArgc, &fuzzArgv) { data, size in
    fuzzTestOneInput(data, size)
}
exit(fuzzStatus)
#else
let paths = CommandLine.arguments.dropFirst()
if paths.isEmpty {
    FileHandle.standardError.write(Data("usage: FuzzUSBDescriptors FILE... (replays inputs; build with -DFUZZING to fuzz)\n".utf8))
    exit(64)
}
var unreadable = false
for path in paths {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("FuzzUSBDescriptors: cannot read \(path)\n".utf8))
        unreadable = true
        continue
    }
    print("\(path): \(exercise([UInt8](data)))")
}
exit(unreadable ? 66 : 0)
#endif
