import Foundation
import USBDescriptors

/// Descriptor benchmarks: raw sysfs-order descriptor parses per second.
///
/// Inputs are the shared fixtures (`$BIOCAPTURE_SHARED_DIR`, else `../shared` relative to the
/// current directory): the example device of testing-with-umockdev.md, the libfprint devices and
/// the UVC `.descriptors.bin` files. Without them the built-in example device is used alone.
let descriptorBenchmarks: [Benchmark] = [
    Benchmark(name: "usb.descriptors.parse") {
        let inputs = DescriptorBenchmarkInputs.load()
        let totalBytes = inputs.reduce(0) { $0 + $1.count }
        // Enough rounds that one measured run lasts a few milliseconds at least.
        let rounds = max(1, 200_000 / max(1, totalBytes))
        var parsed = 0
        let seconds = try medianSeconds(runs: 15) {
            for _ in 0..<rounds {
                for input in inputs {
                    let descriptors = try USBDescriptorParser.parse(input)
                    parsed &+= descriptors.configurations.count
                }
            }
        }
        guard parsed > 0 else { return [] }
        let parsesPerRun = Double(rounds * inputs.count)
        return [
            BenchmarkFigure(name: "usb.descriptors.parse", unit: "parses/s", value: parsesPerRun / seconds, runs: 15),
            BenchmarkFigure(name: "usb.descriptors.parse.bytes", unit: "MB/s",
                            value: Double(rounds * totalBytes) / seconds / 1_000_000, runs: 15),
        ]
    },
]

enum DescriptorBenchmarkInputs {
    /// The example device of testing-with-umockdev.md section 2.
    static let exampleDevice: [UInt8] = [
        0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
        0x09, 0x02, 0x27, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
        0x09, 0x04, 0x00, 0x00, 0x03, 0xFF, 0x00, 0x00, 0x00,
        0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00,
        0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00,
        0x07, 0x05, 0x82, 0x03, 0x08, 0x00, 0x0A,
    ]

    static func load() -> [[UInt8]] {
        let environment = ProcessInfo.processInfo.environment
        let shared = URL(fileURLWithPath: environment["BIOCAPTURE_SHARED_DIR"] ?? "../shared")
        var inputs: [[UInt8]] = []
        for text in ["hardware-facts/testing-with-umockdev.md", "fixtures/libfprint/uru4000-msv2/device",
                     "fixtures/libfprint/nb1010/device", "fixtures/libfprint/upektc_img-tcs1s/device"] {
            if let bytes = descriptorsLine(in: shared.appendingPathComponent(text)) { inputs.append(bytes) }
        }
        let uvc = shared.appendingPathComponent("fixtures/uvc")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: uvc.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".descriptors.bin") {
            if let data = FileManager.default.contents(atPath: uvc.appendingPathComponent(name).path) {
                inputs.append([UInt8](data))
            }
        }
        // Only inputs that parse measure the parser's full path.
        inputs = inputs.filter { (try? USBDescriptorParser.parse($0)) != nil }
        if inputs.isEmpty {
            FileHandle.standardError.write(Data("biocapture-bench: \(shared.path) has no descriptor fixtures, using the built-in example device\n".utf8))
            inputs = [exampleDevice]
        }
        return inputs
    }

    /// The first `H: descriptors=` line of a umockdev device description.
    private static func descriptorsLine(in url: URL) -> [UInt8]? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("H: descriptors=") }) else { return nil }
        let digits = Array(line.dropFirst("H: descriptors=".count))
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else { return nil }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }
}
