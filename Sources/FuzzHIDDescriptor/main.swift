// FuzzHIDDescriptor: libFuzzer target for the HID report-descriptor parser and report decoder.
//
// Fuzzing build (testing-with-umockdev.md §8):
//   swift build -c release --product FuzzHIDDescriptor --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link,address
//   SWIFT_BACKTRACE=enable=no .build-fuzz/release/FuzzHIDDescriptor -max_total_time=60 \
//     -rss_limit_mb=2048 -max_len=4096 corpus/
// Without FUZZING, every argument is a file replayed through the same code (crash inputs become
// regression cases).
import Foundation
import HID

/// The input is a report descriptor; its last bytes double as report data so the decoder,
/// the digitizer analysis and the summary run on whatever parsed.
func exercise(_ bytes: [UInt8]) {
    guard let layout = try? HIDReportLayout.parse(bytes) else { return }
    let tail = Array(bytes.suffix(64))
    for report in layout.reports.prefix(8) {
        let wire = layout.usesReportIDs ? [report.id] + tail : tail
        _ = try? layout.decode(wire, type: report.type)
        _ = try? layout.decode(payload: tail, reportID: report.id, type: report.type)
    }
    if let pen = HIDDigitizerCapabilities(layout: layout) {
        _ = try? pen.decodePen([pen.reportID] + tail)
        _ = try? pen.decodePen(tail)
    }
    _ = HIDDescriptorSummary(layout: layout).renderText()
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    exercise(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    guard let data else { return 0 }
    exercise(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
})
#else
let paths = CommandLine.arguments.dropFirst()
if paths.isEmpty {
    FileHandle.standardError.write(Data("usage: FuzzHIDDescriptor FILE... (replays inputs; build with -DFUZZING to fuzz)\n".utf8))
    exit(2)
}
for path in paths {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("FuzzHIDDescriptor: cannot read \(path)\n".utf8))
        exit(1)
    }
    exercise(Array(data))
    print("\(path): ok")
}
#endif
