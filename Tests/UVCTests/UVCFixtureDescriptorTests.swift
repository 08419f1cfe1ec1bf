import BioCapture
import USBDescriptors
import XCTest

@testable import UVC

/// The real camera dumps parse to what their sources state (see ../shared/fixtures/uvc/README.md).
final class UVCFixtureDescriptorTests: XCTestCase {
    private let mjpegRates: [Double] = [30, 25, 20, 15, 10, 5]

    private func c270() throws -> UVCVideoFunction {
        let configuration = try SysfsDescriptorReader.configuration(fromSysfs: try UVCFixtures.bytes("logitech_c270.descriptors.bin"))
        return try UVCDescriptorParser.parse(configuration: configuration)
    }

    private func sizes(_ format: UVCFormat?) -> [String] {
        (format?.frames ?? []).map { "\($0.width)x\($0.height)" }
    }

    // MARK: Logitech C270 (binary, esp-usb)

    func testC270VideoControl() throws {
        let function = try c270()
        let control = function.control
        XCTAssertEqual(control.interfaceNumber, 0)
        XCTAssertEqual(control.header.uvcVersion.rawValue, 0x0100)
        XCTAssertEqual(control.header.totalLength, 160)
        XCTAssertEqual(control.header.clockFrequency, 48_000_000)
        XCTAssertEqual(control.header.streamingInterfaces, [1])
        XCTAssertEqual(control.interruptEndpoint, 0x87)
        XCTAssertEqual(control.interruptMaxTransferSize, 16)
        XCTAssertEqual(control.cameraTerminal?.terminalID, 1)
        XCTAssertEqual(control.processingUnits.map(\.unitID), [2])
        XCTAssertNil(control.processingUnit?.videoStandards, "UVC 1.0 processing unit (bLength 11) has no bmVideoStandards")
        XCTAssertEqual(control.extensionUnits.map(\.unitID), [3, 4, 6, 7])
        XCTAssertEqual(control.outputTerminals.map(\.terminalID), [5])
        XCTAssertEqual(control.outputTerminals.first?.terminalType, 0x0101)
    }

    func testC270StreamingInterfaceAndFormats() throws {
        let function = try c270()
        XCTAssertEqual(function.streams.map(\.interfaceNumber), [1], "audio interfaces 2 and 3 are ignored")
        let stream = try XCTUnwrap(function.stream(interface: 1))
        XCTAssertEqual(stream.inputHeader.declaredFormatCount, 3)
        XCTAssertEqual(stream.inputHeader.endpointAddress, 0x81)
        XCTAssertEqual(stream.inputHeader.terminalLink, 5)
        XCTAssertEqual(stream.inputHeader.stillCaptureMethod, 1)
        XCTAssertEqual(stream.inputHeader.totalLength, 0x0736)
        XCTAssertEqual(stream.formats.map(\.index), [1, 2], "bNumFormats says 3; trust the two descriptors present")
        XCTAssertTrue(function.warnings.contains { $0.detail.contains("bNumFormats 3 but 2") }, "\(function.warnings)")
        XCTAssertEqual(stream.formats.map(\.pixelFormat), [.yuy2, .mjpeg])
        XCTAssertEqual(stream.formats.map { $0.frames.count }, [19, 19])
        XCTAssertNotNil(stream.formats[0].colorMatching)
        XCTAssertNotNil(stream.formats[1].colorMatching)
        XCTAssertEqual(stream.formats[0].bitsPerPixel, 16)
        if case .uncompressed(let guid, _) = stream.formats[0].kind {
            XCTAssertEqual(guid.bytes, [0x59, 0x55, 0x59, 0x32, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])
            XCTAssertEqual(guid.canonicalString, "{32595559-0000-0010-8000-00AA00389B71}")
        } else {
            XCTFail("format 1 is not uncompressed")
        }
    }

    func testC270FrameSizesAndRatesMatchEspUsb() throws {
        let stream = try XCTUnwrap(try c270().stream(interface: 1))
        let allSizes = ["640x480", "160x120", "176x144", "320x176", "320x240", "352x288", "432x240", "544x288", "640x360",
                        "752x416", "800x448", "800x600", "864x480", "960x544", "960x720", "1024x576", "1184x656",
                        "1280x720", "1280x960"]
        let mjpeg = stream.format(.mjpeg)
        XCTAssertEqual(sizes(mjpeg), allSizes)
        for frame in mjpeg?.frames ?? [] {
            for fps in mjpegRates {
                XCTAssertTrue(frame.supports(fps: fps), "MJPEG \(frame.width)x\(frame.height) @ \(fps)")
            }
        }
        let yuy2 = stream.format(.yuy2)
        XCTAssertEqual(sizes(yuy2), allSizes)
        let expected: [String: [Double]] = [
            "752x416": [25, 20, 15, 10, 5], "800x448": [20, 15, 10, 5], "800x600": [20, 15, 10, 5],
            "864x480": [20, 15, 10, 5], "960x544": [15, 10, 5], "960x720": [10, 5], "1024x576": [10, 5],
            "1184x656": [10, 5], "1280x720": [7.5, 5], "1280x960": [7.5, 5],
        ]
        for frame in yuy2?.frames ?? [] {
            let key = "\(frame.width)x\(frame.height)"
            XCTAssertEqual(frame.framesPerSecond, expected[key] ?? mjpegRates, "YUY2 \(key)")
        }
        let mjpeg640 = try XCTUnwrap(mjpeg?.frame(width: 640, height: 480))
        XCTAssertEqual(mjpeg640.intervals, .discrete([333_333, 400_000, 500_000, 666_666, 1_000_000, 2_000_000]))
        XCTAssertEqual(mjpeg640.defaultFrameInterval, 333_333)

        // Requests esp-usb states as unsupported.
        XCTAssertNil(stream.select(.mjpeg, width: 640, height: 480, fps: 28))
        XCTAssertNil(stream.select(.mjpeg, width: 645, height: 480, fps: 30))
        XCTAssertNil(stream.select(.h264, width: 640, height: 480, fps: 30))
        XCTAssertEqual(stream.select(.mjpeg, width: 640, height: 480, fps: 30)?.frameInterval, 333_333)
        XCTAssertEqual(stream.select(.yuy2, width: 1280, height: 720, fps: 7.5)?.frameInterval, 1_333_333)
        XCTAssertNil(stream.select(.yuy2, width: 1280, height: 720, fps: 10))
    }

    func testC270AlternateSettingsAndBandwidthChoice() throws {
        let stream = try XCTUnwrap(try c270().stream(interface: 1))
        XCTAssertEqual(stream.transferMode, .isochronous)
        XCTAssertEqual(stream.endpoints.map(\.alternateSetting), Array(1...11))
        XCTAssertEqual(stream.endpoints.map { $0.capacity(speed: .high) },
                       [192, 384, 512, 640, 800, 944, 1280, 1600, 1984, 2688, 3060])
        XCTAssertEqual(stream.endpoints.map { $0.capacity(speed: .full) },
                       [192, 384, 512, 640, 800, 944, 640, 800, 992, 896, 1020])
        // Our rule: the smallest alternate setting whose capacity is at least the payload size.
        XCTAssertEqual(try UVCNegotiator.chooseTransfer(stream: stream, maxPayloadTransferSize: 400, speed: .high),
                       .isochronous(alternateSetting: 3, endpoint: 0x81, bytesPerInterval: 512))
        XCTAssertEqual(try UVCNegotiator.chooseTransfer(stream: stream, maxPayloadTransferSize: 128, speed: .high),
                       .isochronous(alternateSetting: 1, endpoint: 0x81, bytesPerInterval: 192))
        XCTAssertEqual(try UVCNegotiator.chooseTransfer(stream: stream, maxPayloadTransferSize: 3060, speed: .high),
                       .isochronous(alternateSetting: 11, endpoint: 0x81, bytesPerInterval: 3060))
        XCTAssertThrowsError(try UVCNegotiator.chooseTransfer(stream: stream, maxPayloadTransferSize: 3061, speed: .high)) {
            let fault = $0 as? CaptureFault
            XCTAssertEqual(fault?.code, .bandwidth)
            XCTAssertEqual(fault?.domain, .environment)
        }
    }

    // MARK: Hostile (esp-usb malicious_uvc.hpp)

    func testMaliciousFrameIntervalTypeIsClamped() throws {
        let configuration = try SysfsDescriptorReader.configuration(
            fromSysfs: try UVCFixtures.bytes("malicious_huge_frame_interval_type.descriptors.bin"))
        let function = try UVCDescriptorParser.parse(configuration: configuration)
        let stream = try XCTUnwrap(function.stream(interface: 1))
        let format = try XCTUnwrap(stream.format(index: 1))
        XCTAssertEqual(format.pixelFormat, .mjpeg)
        let frame = try XCTUnwrap(format.frame(index: 1))
        XCTAssertEqual(frame.width, 640)
        XCTAssertEqual(frame.height, 480)
        XCTAssertEqual(frame.intervals, .discrete([333_333]))
        XCTAssertTrue(function.warnings.contains { $0.detail.contains("bFrameIntervalType 255") && $0.detail.contains("clamped") },
                      "\(function.warnings)")
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 640, height: 480, fps: 30))
        XCTAssertEqual(selection.frameInterval, 333_333)
        XCTAssertEqual(stream.endpoints, [], "interface 1 has no endpoint and no alternate setting")
        XCTAssertEqual(stream.transferMode, .none)
        XCTAssertThrowsError(try UVCNegotiator.chooseTransfer(stream: stream, maxPayloadTransferSize: 512, speed: .high)) {
            XCTAssertEqual(($0 as? CaptureFault)?.code, .notSupported)
        }
    }

    func testMaliciousConfigurationOnlyVariantIsRejectedBySysfsOrderReading() throws {
        let bytes = try UVCFixtures.bytes("malicious_huge_frame_interval_type.config.bin")
        XCTAssertThrowsError(try SysfsDescriptorReader.configuration(fromSysfs: bytes))
        // Read as a bare configuration it gives the same clamped stream as the .descriptors.bin variant.
        let function = try UVCDescriptorParser.parse(configuration: try SysfsDescriptorReader.configuration(bytes))
        XCTAssertEqual(function.stream(interface: 1)?.format(index: 1)?.frame(index: 1)?.intervals, .discrete([333_333]))
    }

    // MARK: Logitech C920 (lsusb text, libuvc)

    func testC920DumpRebuiltFromTextParses() throws {
        let text = try UVCFixtures.text("logitech_hd_pro_920.txt")
        let function = try UVCDescriptorParser.parse(configuration: try LsusbTextDump.configuration(text))
        let control = function.control
        XCTAssertEqual(control.header.uvcVersion.rawValue, 0x0100)
        XCTAssertEqual(control.header.totalLength, 214)
        XCTAssertEqual(control.header.clockFrequency, 300_000_000)
        XCTAssertEqual(control.cameraTerminal?.camera?.controls, 0x0002_0A2E)
        XCTAssertEqual(control.processingUnit?.unitID, 3)
        XCTAssertEqual(control.processingUnit?.controls, 0x175B)
        XCTAssertNil(control.processingUnit?.videoStandards, "bLength 11: valid UVC 1.0 form, no bmVideoStandards")
        XCTAssertEqual(control.extensionUnits.map(\.unitID), [6, 8, 9, 10, 11, 12])
        XCTAssertEqual(control.extensionUnits.first?.guid.rawOrderString, "{D09EE423-7811-314F-AE52-D2FB8A8D3B48}")
        XCTAssertEqual(control.extensionUnits.first?.selectors, Array(1...10))
        XCTAssertEqual(control.outputTerminals.first?.sourceID, 3)
        XCTAssertEqual(control.interruptEndpoint, 0x83)

        let stream = try XCTUnwrap(function.stream(interface: 1))
        XCTAssertEqual(stream.inputHeader.stillCaptureMethod, 0)
        XCTAssertEqual(stream.inputHeader.terminalLink, 4)
        XCTAssertEqual(stream.formats.map(\.pixelFormat), [.yuy2, .h264, .mjpeg])
        XCTAssertEqual(stream.formats.map { $0.frames.count }, [19, 17, 17])
        XCTAssertTrue(stream.formats.allSatisfy { $0.colorMatching != nil })
        XCTAssertEqual(stream.formats[2].colorMatching?.matrixCoefficients, 4)
        let yuy2 = try XCTUnwrap(stream.format(.yuy2))
        XCTAssertEqual(yuy2.frame(width: 640, height: 480)?.intervals,
                       .discrete([333_333, 416_666, 500_000, 666_666, 1_000_000, 1_333_333, 2_000_000]))
        XCTAssertEqual(yuy2.frame(width: 1920, height: 1080)?.intervals, .discrete([2_000_000]))
        XCTAssertEqual(yuy2.frame(width: 2304, height: 1296)?.intervals, .discrete([4_999_998]))
        XCTAssertEqual(yuy2.frame(width: 2304, height: 1536)?.intervals, .discrete([4_999_998]))
        XCTAssertEqual(yuy2.frames.last.map { "\($0.width)x\($0.height)" }, "2304x1536")
        XCTAssertTrue(yuy2.frames.contains { $0.width == 160 && $0.height == 90 })
        XCTAssertEqual(yuy2.frames.first?.maxVideoFrameBufferSize, 614_400)
        let h264 = try XCTUnwrap(stream.format(.h264))
        if case .frameBased(_, _, let variable) = h264.kind { XCTAssertTrue(variable) } else { XCTFail("H.264 not frame-based") }
        XCTAssertTrue(h264.frames.allSatisfy { $0.bytesPerLine == 0 && $0.maxVideoFrameBufferSize == nil })
        let mjpeg = try XCTUnwrap(stream.format(.mjpeg))
        XCTAssertEqual(mjpeg.frames.first.map { "\($0.width)x\($0.height)" }, "640x480")
        XCTAssertNotNil(mjpeg.frame(width: 1920, height: 1080))
        for format in [h264, mjpeg] {
            for frame in format.frames {
                guard case .discrete(let values) = frame.intervals else { return XCTFail("continuous intervals") }
                XCTAssertEqual(values.first, 333_333, "\(format.pixelFormat) \(frame.width)x\(frame.height)")
                XCTAssertEqual(values.last, 2_000_000, "\(format.pixelFormat) \(frame.width)x\(frame.height)")
            }
        }
        XCTAssertEqual(stream.endpoints.map { $0.capacity(speed: .high) },
                       [192, 384, 512, 640, 800, 944, 1280, 1600, 1984, 2688, 3060])
        try assertFramesMatchText(text, stream)
    }

    // MARK: Microsoft LifeCam Show (lsusb text, libuvc)

    func testLifeCamShowDumpRebuiltFromTextParses() throws {
        let text = try UVCFixtures.text("ms_lifecam_show.txt")
        let function = try UVCDescriptorParser.parse(configuration: try LsusbTextDump.configuration(text))
        XCTAssertEqual(function.control.header.uvcVersion.rawValue, 0x0100)
        XCTAssertEqual(function.control.header.clockFrequency, 24_000_000)
        XCTAssertEqual(function.control.extensionUnits.map(\.unitID), [4])
        XCTAssertEqual(function.control.extensionUnits.first?.numberOfControls, 8)
        // bmControls f9 01 c0 sets nine bits although bNumControls says 8: the bitmap is what exists.
        XCTAssertEqual(function.control.extensionUnits.first?.selectors, [1, 4, 5, 6, 7, 8, 9, 23, 24])
        let stream = try XCTUnwrap(function.stream(interface: 1))
        XCTAssertEqual(stream.inputHeader.endpointAddress, 0x82)
        XCTAssertEqual(stream.inputHeader.stillCaptureMethod, 2)
        XCTAssertEqual(stream.inputHeader.triggerSupport, 1)
        XCTAssertEqual(stream.inputHeader.triggerUsage, 1)
        let sixSizes = ["352x288", "640x480", "320x240", "176x144", "160x120", "800x600"]
        let yuy2 = try XCTUnwrap(stream.format(.yuy2))
        XCTAssertEqual(sizes(yuy2), sixSizes)
        XCTAssertTrue(yuy2.frames.allSatisfy { $0.intervals == .discrete([666_667]) })
        let yuy2Still = try XCTUnwrap(yuy2.stillImageFrame)
        XCTAssertEqual(yuy2Still.sizes.map { "\($0.width)x\($0.height)" }, sixSizes)
        XCTAssertEqual(yuy2Still.declaredCompressionCount, 6)
        XCTAssertEqual(yuy2Still.compressions, [], "bLength 30 holds no compression values: clamped")
        let mjpeg = try XCTUnwrap(stream.format(.mjpeg))
        XCTAssertEqual(sizes(mjpeg), sixSizes + ["1024x768", "1280x960", "1600x1200"])
        XCTAssertEqual(mjpeg.frames.map(\.intervals),
                       Array(repeating: .discrete([666_667]), count: 6) + Array(repeating: .discrete([1_333_333]), count: 3))
        XCTAssertEqual(mjpeg.frame(width: 1600, height: 1200)?.framesPerSecond, [7.5])
        XCTAssertEqual(mjpeg.stillImageFrame?.sizes.count, 9)
        XCTAssertEqual(mjpeg.stillImageFrame?.compressions, [])
        XCTAssertEqual(function.warnings.filter { $0.detail.contains("compression patterns") }.count, 2, "\(function.warnings)")
        XCTAssertEqual(stream.endpoints.map { $0.capacity(speed: .high) }, [128, 512, 1024, 1536, 2048, 2688, 3072])
        try assertFramesMatchText(text, stream)
    }

    /// Every frame descriptor's size and intervals as printed equal what the parser read from the
    /// rebuilt bytes (the parser reads fixed offsets; the text lists fields by name).
    private func assertFramesMatchText(_ text: String, _ stream: UVCStreamingInterface,
                                       file: StaticString = #filePath, line: UInt = #line) throws {
        let printed = LsusbTextDump.blocks(text).filter { block in
            block.title == "VideoStreaming Interface Descriptor:"
                && [5, 7, 17].contains(block.integer("bDescriptorSubtype") ?? -1)
        }.map { block in
            "\(block.integer("wWidth") ?? -1)x\(block.integer("wHeight") ?? -1) \(block.all("dwFrameInterval"))"
        }
        let parsed = stream.formats.flatMap(\.frames).map { frame -> String in
            guard case .discrete(let values) = frame.intervals else { return "continuous" }
            return "\(frame.width)x\(frame.height) \(values.map(Int.init))"
        }
        XCTAssertEqual(parsed, printed, file: file, line: line)
        XCTAssertFalse(parsed.isEmpty, file: file, line: line)
    }
}
