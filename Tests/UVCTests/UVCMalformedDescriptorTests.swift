import Foundation
import USBDescriptors
import XCTest

@testable import UVC

/// Malformed and hostile class-specific descriptors fail with a clear error, never a crash.
final class UVCMalformedDescriptorTests: XCTestCase {
    private func c270Blocks() throws -> (control: [UInt8], streaming: [UInt8]) {
        let configuration = try SysfsDescriptorReader.configuration(fromSysfs: try UVCFixtures.bytes("logitech_c270.descriptors.bin"))
        let control = try XCTUnwrap(configuration.interfaces.first { $0.number == 0 }?.alternateSettings.first?.extra)
        let streaming = try XCTUnwrap(configuration.interfaces.first { $0.number == 1 }?.alternateSettings.first?.extra)
        return (control, streaming)
    }

    /// Offsets where a descriptor starts.
    private func boundaries(_ bytes: [UInt8]) -> Set<Int> {
        var result: Set<Int> = [bytes.count]
        var offset = 0
        while offset < bytes.count, bytes[offset] >= 2 {
            result.insert(offset)
            offset += Int(bytes[offset])
        }
        return result
    }

    private func lastStart(before cut: Int, _ bytes: [UInt8]) -> Int {
        boundaries(bytes).filter { $0 < cut }.max() ?? 0
    }

    func testTruncationAtEveryOffsetOfTheVideoControlBlock() throws {
        let block = try c270Blocks().control
        XCTAssertEqual(block.count, 160)
        let starts = boundaries(block)
        for cut in 0..<block.count {
            let prefix = Array(block[..<cut])
            do {
                let control = try UVCDescriptorParser.parseVideoControl(prefix, interfaceNumber: 0)
                XCTAssertTrue(starts.contains(cut), "cut \(cut) inside a descriptor parsed")
                XCTAssertTrue(control.warnings.contains { $0.detail.contains("wTotalLength 160") })
            } catch let error as UVCDescriptorError {
                if cut == 0 {
                    XCTAssertEqual(error.kind, .notFound)
                } else {
                    XCTAssertFalse(starts.contains(cut), "cut \(cut) at a boundary failed: \(error)")
                    XCTAssertEqual(error.kind, .truncated, "cut \(cut): \(error)")
                    XCTAssertEqual(error.offset, lastStart(before: cut, block), "cut \(cut): \(error)")
                    XCTAssertTrue(error.description.contains("VideoControl interface 0, offset \(error.offset)"))
                }
            }
        }
    }

    func testTruncationAtEveryOffsetOfTheStreamingBlock() throws {
        let block = try c270Blocks().streaming
        XCTAssertEqual(block.count, 0x0736)
        let starts = boundaries(block)
        var parsedCount = 0
        for cut in 0..<block.count {
            do {
                let stream = try UVCDescriptorParser.parseVideoStreaming(Array(block[..<cut]), interfaceNumber: 1)
                XCTAssertTrue(starts.contains(cut), "cut \(cut) inside a descriptor parsed")
                XCTAssertLessThanOrEqual(stream.formats.flatMap(\.frames).count, 38)
                parsedCount += 1
            } catch let error as UVCDescriptorError {
                if cut == 0 {
                    XCTAssertEqual(error.kind, .missingHeader)
                } else {
                    XCTAssertEqual(error.kind, .truncated, "cut \(cut): \(error)")
                    XCTAssertEqual(error.offset, lastStart(before: cut, block), "cut \(cut)")
                }
            }
        }
        XCTAssertEqual(parsedCount, starts.count - 2, "every boundary but 0 and the full length parses")
    }

    func testBitFlipsNeverCrash() throws {
        let (control, streaming) = try c270Blocks()
        var failures = 0
        var successes = 0
        for (block, isControl) in [(control, true), (streaming, false)] {
            for index in block.indices {
                for bit in 0..<8 {
                    var mutated = block
                    mutated[index] ^= UInt8(1 << bit)
                    do {
                        if isControl {
                            _ = try UVCDescriptorParser.parseVideoControl(mutated, interfaceNumber: 0)
                        } else {
                            let stream = try UVCDescriptorParser.parseVideoStreaming(mutated, interfaceNumber: 1)
                            XCTAssertLessThanOrEqual(stream.formats.flatMap(\.frames).count, mutated.count / 26)
                        }
                        successes += 1
                    } catch let error as UVCDescriptorError {
                        XCTAssertLessThan(error.offset, mutated.count)
                        XCTAssertGreaterThanOrEqual(error.offset, 0)
                        failures += 1
                    }
                }
            }
        }
        XCTAssertEqual(successes + failures, (control.count + streaming.count) * 8)
        XCTAssertGreaterThan(failures, 0, "flipping bLength bits must break some descriptors")
        XCTAssertGreaterThan(successes, 0)
    }

    func testZeroLengthDescriptorIsRejectedWithItsOffset() {
        let header: [UInt8] = [0x0D, 0x24, 0x01, 0x00, 0x01, 0x0D, 0x00, 0, 0, 0, 0, 0x01, 0x01]
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoControl(header + [0x00, 0x24, 0x02], interfaceNumber: 0)) {
            let error = $0 as? UVCDescriptorError
            XCTAssertEqual(error?.kind, .invalidLength)
            XCTAssertEqual(error?.offset, 13)
        }
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoControl(header + [0x01], interfaceNumber: 0)) {
            XCTAssertEqual(($0 as? UVCDescriptorError)?.kind, .truncated)
        }
    }

    func testCountsThatExceedBLengthFail() {
        let header: [UInt8] = [0x0D, 0x24, 0x01, 0x00, 0x01, 0x0D, 0x00, 0, 0, 0, 0, 0x01, 0x01]
        // Header claiming 200 streaming interfaces in 13 bytes.
        var lyingHeader = header
        lyingHeader[11] = 200
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoControl(lyingHeader, interfaceNumber: 0)) {
            XCTAssertEqual(($0 as? UVCDescriptorError)?.kind, .tooShort)
            XCTAssertTrue("\($0)".contains("bInCollection 200"))
        }
        // Extension unit with bNrInPins 200.
        var unit: [UInt8] = [27, 0x24, 0x06, 0x05] + [UInt8](repeating: 0xAB, count: 16) + [4, 200, 1, 2, 0xFF, 0x03, 0]
        XCTAssertEqual(unit.count, 27)
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoControl(header + unit, interfaceNumber: 0)) {
            let error = $0 as? UVCDescriptorError
            XCTAssertEqual(error?.kind, .tooShort)
            XCTAssertEqual(error?.offset, 13)
        }
        unit[21] = 1
        XCTAssertEqual(try UVCDescriptorParser.parseVideoControl(header + unit, interfaceNumber: 0).extensionUnits.first?.selectors,
                       [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        // Camera terminal with bControlSize 100.
        let camera: [UInt8] = [18, 0x24, 0x02, 0x01, 0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0x2E, 0x0A, 0x02]
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoControl(header + camera, interfaceNumber: 0)) {
            XCTAssertEqual(($0 as? UVCDescriptorError)?.kind, .tooShort)
        }
    }

    private let inputHeader: [UInt8] = [14, 0x24, 0x01, 0x01, 55, 0, 0x81, 0, 2, 0, 0, 0, 1, 0]
    private let mjpegFormat: [UInt8] = [11, 0x24, 0x06, 0x01, 0x01, 0x01, 0x01, 0, 0, 0, 0]

    private func frame(subtype: UInt8 = 0x07, length: UInt8, intervalType: UInt8, intervals: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = [length, 0x24, subtype, 1, 0, 0x80, 0x02, 0xE0, 0x01]
        bytes += [UInt8](repeating: 0, count: 16) + [intervalType]
        bytes[21] = 0x15  // dwDefaultFrameInterval 333333 = 0x00051615
        bytes[22] = 0x16
        bytes[23] = 0x05
        for value in intervals { bytes += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        return bytes
    }

    func testContinuousIntervals() throws {
        let continuous = frame(length: 38, intervalType: 0, intervals: [333_333, 2_000_000, 333_333])
        let stream = try UVCDescriptorParser.parseVideoStreaming(inputHeader + mjpegFormat + continuous, interfaceNumber: 1)
        let parsed = try XCTUnwrap(stream.formats.first?.frames.first)
        XCTAssertEqual(parsed.intervals, .continuous(min: 333_333, max: 2_000_000, step: 333_333))
        XCTAssertTrue(parsed.supports(fps: 15))
        XCTAssertEqual(parsed.interval(forFPS: 10), 999_999)
        XCTAssertFalse(parsed.supports(fps: 12))
        XCTAssertFalse(parsed.supports(fps: 60))

        let tooShort = frame(length: 30, intervalType: 0, intervals: [333_333])
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoStreaming(inputHeader + mjpegFormat + tooShort, interfaceNumber: 1)) {
            let error = $0 as? UVCDescriptorError
            XCTAssertEqual(error?.kind, .tooShort)
            XCTAssertEqual(error?.offset, 25)
        }
    }

    func testFrameWithoutRoomForAnyIntervalKeepsAnEmptyList() throws {
        let bare = frame(length: 26, intervalType: 9, intervals: [])
        let stream = try UVCDescriptorParser.parseVideoStreaming(inputHeader + mjpegFormat + bare, interfaceNumber: 1)
        XCTAssertEqual(stream.formats.first?.frames.first?.intervals, .discrete([]))
        XCTAssertTrue(stream.warnings.contains { $0.detail.contains("bFrameIntervalType 9") })
        XCTAssertFalse(stream.formats.first?.frames.first?.supports(fps: 30) ?? true)
    }

    func testMisplacedAndUnknownDescriptorsAreSkipped() throws {
        let color: [UInt8] = [6, 0x24, 0x0D, 1, 1, 4]
        let vendor: [UInt8] = [5, 0x24, 0x7F, 0xAA, 0xBB]
        let uncompressedFrame = frame(subtype: 0x05, length: 30, intervalType: 1, intervals: [333_333])
        let bytes = inputHeader + color + mjpegFormat + vendor + uncompressedFrame + frame(length: 30, intervalType: 1, intervals: [333_333])
        let stream = try UVCDescriptorParser.parseVideoStreaming(bytes, interfaceNumber: 1)
        XCTAssertEqual(stream.formats.count, 1)
        XCTAssertEqual(stream.formats.first?.frames.count, 1, "the uncompressed frame does not belong to MJPEG")
        XCTAssertNil(stream.formats.first?.colorMatching)
        XCTAssertEqual(stream.unknownDescriptors.map(\.subtype), [0x7F])
        XCTAssertTrue(stream.warnings.contains { $0.detail.contains("COLORFORMAT before any format") })
        XCTAssertTrue(stream.warnings.contains { $0.detail.contains("does not belong") })
    }

    func testOutputStreamAndMissingHeaders() {
        let outputHeader: [UInt8] = [9, 0x24, 0x02, 1, 20, 0, 0x01, 3, 0]
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoStreaming(outputHeader, interfaceNumber: 1)) {
            let error = $0 as? UVCDescriptorError
            XCTAssertEqual(error?.kind, .missingHeader)
            XCTAssertTrue(error?.detail.contains("OUTPUT_HEADER") ?? false)
        }
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoControl([9, 0x24, 0x03, 4, 1, 1, 0, 3, 0], interfaceNumber: 0)) {
            XCTAssertEqual(($0 as? UVCDescriptorError)?.kind, .missingHeader)
        }
    }

    func testVideoAssociationWithoutControlHeaderIsNotFound() {
        // Like esp-usb's cfg_iad_no_vc_header: an IAD announcing video, a VC interface with no class descriptors.
        let vc = USBInterfaceDescriptor(interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0x0E, interfaceSubClass: 0x01,
                                        interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: [])
        let configuration = USBConfigurationDescriptor(
            totalLength: 34, configurationValue: 1, configurationStringIndex: 0, attributes: 0x80, maxPower: 50,
            interfaces: [USBInterface(number: 0, alternateSettings: [vc])],
            extra: [8, 0x0B, 0, 2, 0x0E, 0x03, 0, 0])
        XCTAssertThrowsError(try UVCDescriptorParser.parse(configuration: configuration)) {
            XCTAssertEqual(($0 as? UVCDescriptorError)?.kind, .notFound)
        }
        let noVideo = USBConfigurationDescriptor(totalLength: 9, configurationValue: 1, configurationStringIndex: 0,
                                                 attributes: 0x80, maxPower: 50, interfaces: [])
        XCTAssertThrowsError(try UVCDescriptorParser.parse(configuration: noVideo)) {
            XCTAssertEqual(($0 as? UVCDescriptorError)?.kind, .notFound)
        }
    }

    func testStreamingInterfaceThatIsNotVideoIsIgnored() throws {
        let (control, streaming) = try c270Blocks()
        let vc = USBInterfaceDescriptor(interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0x0E, interfaceSubClass: 0x01,
                                        interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: [], extra: control)
        let audio = USBInterfaceDescriptor(interfaceNumber: 1, alternateSetting: 0, interfaceClass: 0x01, interfaceSubClass: 0x02,
                                           interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: [], extra: streaming)
        let configuration = USBConfigurationDescriptor(
            totalLength: 0, configurationValue: 1, configurationStringIndex: 0, attributes: 0x80, maxPower: 50,
            interfaces: [USBInterface(number: 0, alternateSettings: [vc]), USBInterface(number: 1, alternateSettings: [audio])])
        let function = try UVCDescriptorParser.parse(configuration: configuration)
        XCTAssertEqual(function.streams.count, 0)
        XCTAssertTrue(function.warnings.contains { $0.detail.contains("not a VideoStreaming interface") })
    }

    func testRawBlockAPIWithoutTheModel() throws {
        let (control, streaming) = try c270Blocks()
        let function = try UVCDescriptorParser.parse(videoControlExtra: control, streamingInterfaces: [(number: 1, extra: streaming)])
        XCTAssertEqual(function.streams.first?.formats.map { $0.frames.count }, [19, 19])
        XCTAssertEqual(function.streams.first?.transferMode, UVCTransferMode.none)
    }

    func testUVC15ProcessingUnitAndEncodingUnit() throws {
        let header: [UInt8] = [0x0D, 0x24, 0x01, 0x50, 0x01, 0x26, 0x00, 0, 0, 0, 0, 0x01, 0x01]
        let processing: [UInt8] = [13, 0x24, 0x05, 2, 1, 0, 0, 3, 0x5B, 0x17, 0x04, 0, 0x1B]
        let encoding: [UInt8] = [13, 0x24, 0x07, 7, 2, 0, 3, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]
        let control = try UVCDescriptorParser.parseVideoControl(header + processing + encoding, interfaceNumber: 0)
        XCTAssertEqual(control.header.uvcVersion.rawValue, 0x0150)
        XCTAssertEqual(control.processingUnit?.controls, 0x04175B)
        XCTAssertEqual(control.processingUnit?.videoStandards, 0x1B)
        XCTAssertEqual(control.encodingUnits.first?.unitID, 7)
        XCTAssertEqual(control.encodingUnits.first?.controls, 0x030201)
        XCTAssertEqual(control.encodingUnits.first?.runtimeControls, 0x060504)
        XCTAssertEqual(UVCStreamingControlSize(uvcVersion: control.header.uvcVersion), .uvc15)
    }

    func testSelectorUnitAndGUIDs() throws {
        let header: [UInt8] = [0x0D, 0x24, 0x01, 0x10, 0x01, 0x14, 0x00, 0, 0, 0, 0, 0x01, 0x01]
        let selector: [UInt8] = [8, 0x24, 0x04, 9, 2, 1, 3, 0]
        let control = try UVCDescriptorParser.parseVideoControl(header + selector, interfaceNumber: 0)
        XCTAssertEqual(control.selectorUnits.first?.sourceIDs, [1, 3])
        var lying = selector
        lying[4] = 3
        XCTAssertThrowsError(try UVCDescriptorParser.parseVideoControl(header + lying, interfaceNumber: 0)) {
            XCTAssertEqual(($0 as? UVCDescriptorError)?.kind, .tooShort)
        }
        XCTAssertEqual(UVCGUID(fourCC: "NV12").fourCC, "NV12")
        XCTAssertEqual(UVCPixelFormat(guid: UVCGUID(fourCC: "Y800")), .grey8)
        XCTAssertEqual(UVCPixelFormat(guid: UVCGUID(fourCC: "Y16")), .grey16)
        XCTAssertEqual(UVCPixelFormat(guid: try XCTUnwrap(UVCPixelFormat.l8InfraredGUID)), .infrared8)
        XCTAssertEqual(UVCPixelFormat(guid: try XCTUnwrap(UVCPixelFormat.d3dL8GUID)), .grey8)
        let msxu = try XCTUnwrap(UVCGUID(bytes: [0xDC, 0x95, 0x3F, 0x0F, 0x32, 0x26, 0x4E, 0x4C, 0x92, 0xC9, 0xA0, 0x47, 0x82, 0xF4, 0x3B, 0xC8]))
        XCTAssertEqual(msxu.canonicalString, "{0F3F95DC-2632-4C4E-92C9-A04782F43BC8}")
        XCTAssertNil(msxu.fourCC)
        let encoded = try JSONEncoder().encode(msxu)
        XCTAssertEqual(try JSONDecoder().decode(UVCGUID.self, from: encoded), msxu)
        XCTAssertThrowsError(try JSONDecoder().decode(UVCGUID.self, from: Data("[1,2,3]".utf8)))
        XCTAssertNil(UVCGUID(bytes: [1, 2, 3]))
    }
}
