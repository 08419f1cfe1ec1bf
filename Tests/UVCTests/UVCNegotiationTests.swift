import BioCapture
import Logging
import USBDescriptors
import XCTest

@testable import UVC

final class UVCNegotiationTests: XCTestCase {
    private let logger = Logger(label: "UVCTests")

    private func c270Stream() throws -> UVCStreamingInterface {
        let configuration = try SysfsDescriptorReader.configuration(fromSysfs: try UVCFixtures.bytes("logitech_c270.descriptors.bin"))
        return try XCTUnwrap(try UVCDescriptorParser.parse(configuration: configuration).stream(interface: 1))
    }

    func testProbeSetGetCommitOnTheC270() async throws {
        let stream = try c270Stream()
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 640, height: 480, fps: 30))
        let camera = FakeUVCTransport()
        await camera.configure(payloadSize: 900, frameSize: 0)
        let negotiator = UVCNegotiator(transport: camera, logger: logger)
        let result = try await negotiator.negotiate(stream: stream, selection: selection,
                                                    uvcVersion: USBBCDVersion(rawValue: 0x0100), speed: .high)
        let calls = await camera.calls
        XCTAssertEqual(calls.map(\.setup.bytes), [
            [0x21, 0x01, 0x00, 0x01, 0x01, 0x00, 26, 0x00],
            [0xA1, 0x81, 0x00, 0x01, 0x01, 0x00, 26, 0x00],
            [0x21, 0x01, 0x00, 0x02, 0x01, 0x00, 26, 0x00],
        ])
        let sentProbe = try UVCStreamingControl(bytes: calls[0].data)
        XCTAssertEqual(sentProbe.hint, 1)
        XCTAssertEqual(sentProbe.formatIndex, 2)
        XCTAssertEqual(sentProbe.frameIndex, 1)
        XCTAssertEqual(sentProbe.frameInterval, 333_333)
        let committed = await camera.committed
        XCTAssertEqual(committed, calls[1 + 1].data)
        XCTAssertEqual(try UVCStreamingControl(bytes: try XCTUnwrap(committed)).maxPayloadTransferSize, 900)
        XCTAssertEqual(result.committed.maxPayloadTransferSize, 900)
        XCTAssertEqual(result.controlSize, .uvc10)
        XCTAssertEqual(result.transfer, .isochronous(alternateSetting: 6, endpoint: 0x81, bytesPerInterval: 944))
        // The camera left dwMaxVideoFrameSize at 0: the frame descriptor's buffer size is used.
        XCTAssertEqual(result.maxFrameSize, Int(selection.frame.maxVideoFrameBufferSize ?? 0))
        XCTAssertEqual(result.maxFrameSize, 614_400)

        let assembly = UVCFrameAssembler.Configuration(negotiated: result)
        XCTAssertEqual(assembly.kind, .mjpeg)
        XCTAssertEqual(assembly.maxFrameSize, 614_400)

        try await negotiator.activate(result)
        let alternates = await camera.alternateSettings
        XCTAssertEqual(alternates.map(\.interface), [1])
        XCTAssertEqual(alternates.map(\.alternate), [6])
    }

    func testUVC15UsesTheFortyEightByteForm() async throws {
        let stream = try c270Stream()
        let selection = try XCTUnwrap(stream.select(.yuy2, width: 640, height: 480, fps: 30))
        let camera = FakeUVCTransport()
        await camera.configure(payloadSize: 3000, frameSize: 1)
        let result = try await UVCNegotiator(transport: camera, logger: logger)
            .negotiate(stream: stream, selection: selection, uvcVersion: USBBCDVersion(rawValue: 0x0150), speed: .high)
        let calls = await camera.calls
        XCTAssertEqual(calls.first?.setup.bytes, [0x21, 0x01, 0x00, 0x01, 0x01, 0x00, 0x30, 0x00])
        XCTAssertEqual(calls.map(\.data.count), [48, 0, 48])
        XCTAssertEqual(result.controlSize, .uvc15)
        XCTAssertEqual(result.transfer, .isochronous(alternateSetting: 11, endpoint: 0x81, bytesPerInterval: 3060))
        XCTAssertEqual(result.maxFrameSize, 640 * 480 * 2, "uncompressed: width x height x 2 regardless of the camera's answer")
        XCTAssertEqual(UVCFrameAssembler.Configuration(negotiated: result).kind, .uncompressed(frameSize: 640 * 480 * 2))
    }

    func testACameraThatStallsOnceIsRetried() async throws {
        let stream = try c270Stream()
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 1280, height: 720, fps: 30))
        let camera = FakeUVCTransport()
        await camera.configure(payloadSize: 192, failures: 1)
        let result = try await UVCNegotiator(transport: camera, logger: logger)
            .negotiate(stream: stream, selection: selection, uvcVersion: USBBCDVersion(rawValue: 0x0100), speed: .high)
        XCTAssertEqual(result.transfer, .isochronous(alternateSetting: 1, endpoint: 0x81, bytesPerInterval: 192))
        let count = await camera.calls.count
        XCTAssertEqual(count, 4, "one stalled SET_CUR, then SET_CUR, GET_CUR, commit")
    }

    func testRepeatedStallsBecomeAStallFault() async throws {
        let stream = try c270Stream()
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 640, height: 480, fps: 30))
        let camera = FakeUVCTransport()
        await camera.configure(failures: 10)
        do {
            _ = try await UVCNegotiator(transport: camera, logger: logger, attempts: 3)
                .negotiate(stream: stream, selection: selection, uvcVersion: USBBCDVersion(rawValue: 0x0100), speed: .high)
            XCTFail("negotiation succeeded against a stalling camera")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .stalled)
            XCTAssertTrue(fault.isHardware)
        }
        let count = await camera.calls.count
        XCTAssertEqual(count, 3)
    }

    func testCameraThatChangesTheFrameIsAProtocolError() async throws {
        let stream = try c270Stream()
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 640, height: 480, fps: 30))
        let camera = FakeUVCTransport()
        await camera.configure(forcedFrameIndex: 7)
        do {
            _ = try await UVCNegotiator(transport: camera, logger: logger)
                .negotiate(stream: stream, selection: selection, uvcVersion: USBBCDVersion(rawValue: 0x0100), speed: .high)
            XCTFail("accepted a changed frame index")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .protocolError)
            XCTAssertTrue(fault.message.contains("frame 7"), fault.message)
        }
        let committed = await camera.committed
        XCTAssertNil(committed, "nothing is committed after a refused probe")
        let count = await camera.calls.count
        XCTAssertEqual(count, 4, "two attempts of SET_CUR + GET_CUR")
    }

    func testShortProbeAnswerIsAProtocolError() async throws {
        let stream = try c270Stream()
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 640, height: 480, fps: 30))
        let camera = FakeUVCTransport()
        await camera.configure(answerLength: 20)
        do {
            _ = try await UVCNegotiator(transport: camera, logger: logger, attempts: 1)
                .negotiate(stream: stream, selection: selection, uvcVersion: USBBCDVersion(rawValue: 0x0100), speed: .high)
            XCTFail("accepted a 20-byte probe answer")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .protocolError)
        }
    }

    func testPayloadLargerThanEveryAlternateSettingIsABandwidthFault() async throws {
        let stream = try c270Stream()
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 1280, height: 960, fps: 30))
        let camera = FakeUVCTransport()
        await camera.configure(payloadSize: 3072)
        do {
            _ = try await UVCNegotiator(transport: camera, logger: logger)
                .negotiate(stream: stream, selection: selection, uvcVersion: USBBCDVersion(rawValue: 0x0100), speed: .high)
            XCTFail("no alternate setting carries 3072 bytes")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .bandwidth)
            XCTAssertEqual(fault.domain, .environment)
        }
        let count = await camera.calls.count
        XCTAssertEqual(count, 2, "no retry and no commit for a bandwidth failure")
    }

    func testStreamWithoutEndpointsFailsBeforeTalkingToTheCamera() async throws {
        let configuration = try SysfsDescriptorReader.configuration(
            fromSysfs: try UVCFixtures.bytes("malicious_huge_frame_interval_type.descriptors.bin"))
        let stream = try XCTUnwrap(try UVCDescriptorParser.parse(configuration: configuration).stream(interface: 1))
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 640, height: 480, fps: 30))
        let camera = FakeUVCTransport()
        do {
            _ = try await UVCNegotiator(transport: camera, logger: logger)
                .negotiate(stream: stream, selection: selection, uvcVersion: USBBCDVersion(rawValue: 0x0100), speed: .high)
            XCTFail("negotiated a stream with no endpoint")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .notSupported)
        }
        let count = await camera.calls.count
        XCTAssertEqual(count, 0)
    }

    func testBulkStream() async throws {
        let bulk = USBEndpointDescriptor(address: 0x83, attributes: 0x02, maxPacketSizeField: 512, interval: 0)
        let extra: [UInt8] = [14, 0x24, 0x01, 0x01, 55, 0, 0x83, 0, 2, 0, 0, 0, 1, 0]
            + [11, 0x24, 0x06, 0x01, 0x01, 0x01, 0x01, 0, 0, 0, 0]
            + [30, 0x24, 0x07, 1, 0, 0x80, 0x02, 0xE0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x60, 0x09, 0,
               0x15, 0x16, 0x05, 0, 1, 0x15, 0x16, 0x05, 0]
        let setting = USBInterfaceDescriptor(interfaceNumber: 1, alternateSetting: 0, interfaceClass: 0x0E, interfaceSubClass: 0x02,
                                             interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: [bulk], extra: extra)
        let stream = try UVCDescriptorParser.parseVideoStreaming(interface: USBInterface(number: 1, alternateSettings: [setting]))
        XCTAssertEqual(stream.transferMode, .bulk)
        let selection = try XCTUnwrap(stream.select(.mjpeg, width: 640, height: 480, fps: 30))
        let camera = FakeUVCTransport()
        await camera.configure(payloadSize: 16_384)
        let negotiator = UVCNegotiator(transport: camera, logger: logger)
        let result = try await negotiator.negotiate(stream: stream, selection: selection,
                                                    uvcVersion: USBBCDVersion(rawValue: 0x0110), speed: .high)
        XCTAssertEqual(result.transfer, .bulk(endpoint: 0x83, transferSize: 16_384))
        XCTAssertEqual(result.controlSize, .uvc11)
        try await negotiator.activate(result)
        let alternates = await camera.alternateSettings
        XCTAssertEqual(alternates.map(\.alternate), [0])
    }

    func testExtensionUnitControlThroughRawBytes() async throws {
        // Like the Chicony/Realtek illuminator report: selector 0x0E, 2 bytes, `19 02` = on.
        let camera = FakeUVCTransport()
        await camera.setControl(entity: 4, selector: 0x0E, value: [0x00, 0x00])
        let access = UVCControlAccess(transport: camera, interface: 0)
        try await access.writeBytes([0x19, 0x02], selector: 0x0E, entity: 4)
        let current = try await access.readBytes(.getCurrent, selector: 0x0E, entity: 4, length: 2)
        XCTAssertEqual(current, [0x19, 0x02])
        do {
            _ = try await access.readBytes(.getCurrent, selector: 0x0E, entity: 4, length: 9)
            XCTFail("a 2-byte answer to a 9-byte read was accepted")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .protocolError)
        }
        await camera.setControl(entity: 4, selector: 0x06, value: [0x09, 0x00])
        let length = try await access.length(selector: 0x06, entity: 4)
        XCTAssertEqual(length, 9)
        let calls = await camera.calls
        XCTAssertEqual(calls.first?.setup.bytes, [0x21, 0x01, 0x00, 0x0E, 0x00, 0x04, 0x02, 0x00])
        XCTAssertEqual(calls.last?.setup.bytes, [0xA1, 0x85, 0x00, 0x06, 0x00, 0x04, 0x02, 0x00])
    }

    func testControlAccessReadsAndWritesThroughTheRequests() async throws {
        let camera = FakeUVCTransport()
        await camera.setControl(entity: 3, selector: 0x02, value: [0xFB, 0xFF])
        let access = UVCControlAccess(transport: camera, interface: 0)
        let brightness = try await access.read(.brightness, entity: 3)
        XCTAssertEqual(brightness, -5)
        try await access.write(.powerLineFrequency, Int(UVCControlDescription.PowerLineFrequency.hz50.rawValue), entity: 3)
        let info = try await access.info(.powerLineFrequency, entity: 3)
        XCTAssertEqual(info, [.supportsGet, .supportsSet])
        let calls = await camera.calls
        XCTAssertEqual(calls[0].setup.bytes, [0xA1, 0x81, 0x00, 0x02, 0x00, 0x03, 0x02, 0x00])
        XCTAssertEqual(calls[1].setup.bytes, [0x21, 0x01, 0x00, 0x05, 0x00, 0x03, 0x01, 0x00])
        XCTAssertEqual(calls[1].data, [0x01])
        XCTAssertEqual(calls[2].setup.bytes, [0xA1, 0x86, 0x00, 0x05, 0x00, 0x03, 0x01, 0x00])
        let stored = await camera.controlValues["3/5"]
        XCTAssertEqual(stored, [0x01])
        await camera.setControl(entity: 1, selector: 0x04, value: [0x01])
        do {
            _ = try await access.read(.exposureTimeAbsolute, entity: 1)
            XCTFail("a 1-byte answer for a 4-byte control was accepted")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .protocolError)
        }
    }
}
