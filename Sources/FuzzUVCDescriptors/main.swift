// FuzzUVCDescriptors: libFuzzer target for every UVC parser that reads device bytes.
//
// The first input byte picks the parser, the rest is its input:
//   0: VideoControl class block    1: VideoStreaming class block
//   2: payload stream (2-byte little-endian lengths split the rest into payloads) into the
//      MJPEG assembler with Huffman-table insertion, then the uncompressed one
//   3: probe/commit and still-probe answers    4: MJPEG marker scan / DHT insertion
//   5: the model-level entry points (interface extra + endpoint extra) and the alternate-setting choice
//
// Build (testing-with-umockdev.md section 8):
//   swift build -c release --product FuzzUVCDescriptors --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link,address
//   SWIFT_BACKTRACE=enable=no .build-fuzz/release/FuzzUVCDescriptors -max_total_time=60 \
//     -rss_limit_mb=2048 -max_len=4096 corpus/
// Without FUZZING, the program replays the files given as arguments (crash inputs → regression tests).
import Foundation
import USBDescriptors
import UVC

/// A broken invariant is what the fuzzer looks for: report it and abort so libFuzzer keeps the input.
func invariantViolated(_ message: String) -> Never {
    FileHandle.standardError.write(Data("FuzzUVCDescriptors: invariant violated: \(message)\n".utf8))
    abort()
}

func exercise(_ data: UnsafeRawBufferPointer) {
    guard let selector = data.first else { return }
    let bytes = Array(data.dropFirst())
    switch selector % 6 {
    case 0:
        if let control = try? UVCDescriptorParser.parseVideoControl(bytes, interfaceNumber: 0) {
            for description in UVCControlDescription.all { _ = description.entityID(in: control) }
            for unit in control.extensionUnits { _ = unit.selectors }
        }
    case 1:
        if let stream = try? UVCDescriptorParser.parseVideoStreaming(bytes, interfaceNumber: 1) {
            for format in stream.formats {
                _ = format.pixelFormat
                for frame in format.frames {
                    _ = frame.framesPerSecond
                    _ = frame.supports(fps: 30)
                    _ = frame.interval(forFPS: 7.5)
                }
            }
        }
    case 2:
        var payloads: [[UInt8]] = []
        var offset = 0
        while offset + 2 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            offset += 2
            let end = min(bytes.count, offset + length)
            payloads.append(Array(bytes[offset..<end]))
            offset = end
        }
        var mjpeg = UVCFrameAssembler(configuration: .init(kind: .mjpeg, maxFrameSize: 8192))
        var uncompressed = UVCFrameAssembler(configuration: .init(kind: .uncompressed(frameSize: 64), maxFrameSize: 0))
        var delivered = 0
        for payload in payloads {
            mjpeg.append(payload) { if case .frame = $0 { delivered += 1 } }
            uncompressed.append(payload) { if case .frame = $0 { delivered += 1 } }
        }
        mjpeg.finish { _ in }
        uncompressed.finish { _ in }
        if delivered > payloads.count * 2 { invariantViolated("more frames than payloads") }
    case 3:
        if let control = try? UVCStreamingControl(bytes: bytes) {
            for size in UVCStreamingControlSize.allCases {
                let encoded = control.encoded(size: size)
                guard let again = try? UVCStreamingControl(bytes: encoded), again == control.truncated(to: size) else {
                    invariantViolated("probe/commit round trip failed for \(size)")
                }
            }
        }
        _ = try? UVCStillControl(bytes: bytes)
        _ = try? UVCPayloadHeader(parsing: bytes)
    case 5:
        let half = bytes.count / 2
        let classBytes = Array(bytes[..<half])
        let endpointExtra = Array(bytes[half...])
        let endpoint = USBEndpointDescriptor(address: 0x81, attributes: 0x05, maxPacketSizeField: 0x1400, interval: 1,
                                             extra: endpointExtra)
        let interrupt = USBEndpointDescriptor(address: 0x87, attributes: 0x03, maxPacketSizeField: 16, interval: 8,
                                              extra: endpointExtra)
        let control = USBInterfaceDescriptor(interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0x0E,
                                             interfaceSubClass: 0x01, interfaceProtocol: 0, interfaceStringIndex: 0,
                                             endpoints: [interrupt], extra: classBytes)
        let streaming = [
            USBInterfaceDescriptor(interfaceNumber: 1, alternateSetting: 0, interfaceClass: 0x0E, interfaceSubClass: 0x02,
                                   interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: [], extra: classBytes),
            USBInterfaceDescriptor(interfaceNumber: 1, alternateSetting: 1, interfaceClass: 0x0E, interfaceSubClass: 0x02,
                                   interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: [endpoint]),
        ]
        let configuration = USBConfigurationDescriptor(
            totalLength: 0, configurationValue: 1, configurationStringIndex: 0, attributes: 0x80, maxPower: 50,
            interfaces: [USBInterface(number: 0, alternateSettings: [control]),
                         USBInterface(number: 1, alternateSettings: streaming)])
        if let function = try? UVCDescriptorParser.parse(configuration: configuration) {
            for stream in function.streams {
                for speed in [USBSpeed.full, .high, .superSpeed] {
                    _ = try? UVCNegotiator.chooseTransfer(stream: stream, maxPayloadTransferSize: 3072, speed: speed)
                }
            }
        }
        _ = try? UVCDescriptorParser.parseVideoStreaming(interface: USBInterface(number: 1, alternateSettings: streaming))
    default:
        if let fixed = try? MJPEGFrame.insertingDefaultHuffmanTables(bytes) {
            guard let again = try? MJPEGFrame.insertingDefaultHuffmanTables(fixed), again == fixed else {
                invariantViolated("DHT insertion is not idempotent")
            }
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    exercise(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
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
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    exercise(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
exit(status)
#else
var failures = 0
for path in CommandLine.arguments.dropFirst() {
    guard let contents = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("FuzzUVCDescriptors: cannot read \(path)\n".utf8))
        failures += 1
        continue
    }
    contents.withUnsafeBytes { exercise($0) }
    print("FuzzUVCDescriptors: \(path): ok")
}
exit(failures == 0 ? 0 : 1)
#endif
