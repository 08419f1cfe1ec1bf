import BioCapture
import USBDescriptors
import XCTest

@testable import UVC

final class UVCStreamingControlTests: XCTestCase {
    private func sample() -> UVCStreamingControl {
        var control = UVCStreamingControl(formatIndex: 2, frameIndex: 5, frameInterval: 666_666)
        control.keyFrameRate = 0x0102
        control.pFrameRate = 0x0304
        control.compressionQuality = 0x0506
        control.compressionWindowSize = 0x0708
        control.delay = 0x090A
        control.maxVideoFrameSize = 0x0B0C_0D0E
        control.maxPayloadTransferSize = 0x0F10_1112
        control.clockFrequency = 0x1314_1516
        control.framingInfo = 0x03
        control.preferredVersion = 0x17
        control.minVersion = 0x18
        control.maxVersion = 0x19
        control.usage = 0x1A
        control.bitDepthLuma = 0x1B
        control.settings = 0x1C
        control.maxNumberOfRefFramesPlus1 = 0x1D
        control.rateControlModes = 0x1E1F
        control.layoutPerStream = 0x2021_2223_2425_2627
        return control
    }

    func testSizeFollowsBcdUVC() {
        XCTAssertEqual(UVCStreamingControlSize(uvcVersion: USBBCDVersion(rawValue: 0x0100)), .uvc10)
        XCTAssertEqual(UVCStreamingControlSize(uvcVersion: USBBCDVersion(rawValue: 0x010A)), .uvc10)
        XCTAssertEqual(UVCStreamingControlSize(uvcVersion: USBBCDVersion(rawValue: 0x0110)), .uvc11)
        XCTAssertEqual(UVCStreamingControlSize(uvcVersion: USBBCDVersion(rawValue: 0x0150)), .uvc15)
        XCTAssertEqual(UVCStreamingControlSize.allCases.map(\.rawValue), [26, 34, 48])
    }

    func testRoundTripInAllThreeSizes() throws {
        let control = sample()
        for size in UVCStreamingControlSize.allCases {
            let bytes = control.encoded(size: size)
            XCTAssertEqual(bytes.count, size.rawValue)
            let decoded = try UVCStreamingControl(bytes: bytes)
            XCTAssertEqual(decoded, control.truncated(to: size), "\(size)")
            XCTAssertEqual(decoded.encoded(size: size), bytes)
        }
        XCTAssertEqual(try UVCStreamingControl(bytes: control.encoded(size: .uvc15)), control)
    }

    func testWireLayoutIsLittleEndianAtTheDocumentedOffsets() {
        let bytes = sample().encoded(size: .uvc15)
        XCTAssertEqual(Array(bytes[0..<8]), [0x01, 0x00, 0x02, 0x05, 0x2A, 0x2C, 0x0A, 0x00])
        XCTAssertEqual(Array(bytes[16..<26]), [0x0A, 0x09, 0x0E, 0x0D, 0x0C, 0x0B, 0x12, 0x11, 0x10, 0x0F])
        XCTAssertEqual(Array(bytes[26..<34]), [0x16, 0x15, 0x14, 0x13, 0x03, 0x17, 0x18, 0x19])
        XCTAssertEqual(Array(bytes[34..<40]), [0x1A, 0x1B, 0x1C, 0x1D, 0x1F, 0x1E])
        XCTAssertEqual(Array(bytes[40..<48]), [0x27, 0x26, 0x25, 0x24, 0x23, 0x22, 0x21, 0x20])
    }

    func testShortAnswersAreRejectedAndLongOnesTolerated() throws {
        XCTAssertThrowsError(try UVCStreamingControl(bytes: [UInt8](repeating: 0, count: 25))) {
            XCTAssertEqual(($0 as? UVCStreamingControlError)?.required, 26)
        }
        // A 1.0 camera answering 26 bytes to a 34-byte request keeps the 1.1 fields at zero.
        let decoded = try UVCStreamingControl(bytes: sample().encoded(size: .uvc11).prefix(30).map { $0 })
        XCTAssertEqual(decoded.clockFrequency, 0)
        XCTAssertEqual(decoded.maxPayloadTransferSize, 0x0F10_1112)
        let long = sample().encoded(size: .uvc15) + [0xEE, 0xEE]
        XCTAssertEqual(try UVCStreamingControl(bytes: long), sample())
    }

    func testStillControlRoundTrip() throws {
        let still = UVCStillControl(formatIndex: 1, frameIndex: 3, compressionIndex: 1,
                                    maxVideoFrameSize: 921_600, maxPayloadTransferSize: 3072)
        XCTAssertEqual(still.encoded, [1, 3, 1, 0x00, 0x10, 0x0E, 0x00, 0x00, 0x0C, 0x00, 0x00])
        XCTAssertEqual(try UVCStillControl(bytes: still.encoded), still)
        XCTAssertThrowsError(try UVCStillControl(bytes: [1, 2, 3]))
    }

    func testControlRequestSetupPackets() {
        // Trace from the facts file: SET_CUR probe and GET_MIN probe on interface 1, 48-byte form.
        XCTAssertEqual(UVCControlRequests.streaming(.setCurrent, .probe, interface: 1, length: 48).bytes,
                       [0x21, 0x01, 0x00, 0x01, 0x01, 0x00, 0x30, 0x00])
        XCTAssertEqual(UVCControlRequests.streaming(.getMinimum, .probe, interface: 1, length: 48).bytes,
                       [0xA1, 0x82, 0x00, 0x01, 0x01, 0x00, 0x30, 0x00])
        XCTAssertEqual(UVCRequest.allCases.map(\.rawValue), [0x01, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87])
        XCTAssertEqual(UVCRequest.allCases.filter { !$0.isGet }, [.setCurrent])
        // Extension unit 14 on VC interface 0, selector 6 (MSXU face authentication), GET_LEN.
        let getLength = UVCControlRequests.setup(.getLength, selector: 0x06, entity: 14, interface: 0, length: 2)
        XCTAssertEqual(getLength.bytes, [0xA1, 0x85, 0x00, 0x06, 0x00, 0x0E, 0x02, 0x00])
        XCTAssertTrue(getLength.isDeviceToHost)
        let exposure = UVCControlRequests.control(.getMaximum, .exposureTimeAbsolute, entity: 1, interface: 0)
        XCTAssertEqual(exposure.bytes, [0xA1, 0x83, 0x00, 0x04, 0x00, 0x01, 0x04, 0x00])
        XCTAssertEqual(UVCControlRequests.control(.getLength, .brightness, entity: 2, interface: 0).length, 2)
        XCTAssertEqual(UVCControlRequests.control(.getInfo, .brightness, entity: 2, interface: 0).length, 1)
        XCTAssertEqual(UVCControlRequests.streaming(.setCurrent, .stillImageTrigger, interface: 1, length: 1).value, 0x0500)
    }

    func testControlDescriptionsAgainstTheC920Bitmaps() {
        let camera: UInt64 = 0x0002_0A2E
        let processing: UInt64 = 0x175B
        let cameraControls = UVCControlDescription.all.filter { $0.entity == .cameraTerminal && $0.isAvailable(in: camera) }
        XCTAssertEqual(cameraControls.map(\.key), ["auto-exposure-mode", "auto-exposure-priority", "exposure-time-absolute",
                                                   "focus-absolute", "zoom-absolute", "focus-auto"])
        let unitControls = UVCControlDescription.all.filter { $0.entity == .processingUnit && $0.isAvailable(in: processing) }
        XCTAssertEqual(unitControls.map(\.key), ["brightness", "contrast", "saturation", "sharpness", "white-balance-temperature",
                                                 "backlight-compensation", "gain", "power-line-frequency",
                                                 "white-balance-temperature-auto"])
        XCTAssertEqual(UVCControlDescription.focusAuto.selector, 0x08)
        XCTAssertEqual(UVCControlDescription.whiteBalanceTemperatureAuto.selector, 0x0B)
        XCTAssertEqual(UVCControlDescription.powerLineFrequency.selector, 0x05)
        XCTAssertEqual(Set(UVCControlDescription.all.map(\.key)).count, UVCControlDescription.all.count)
    }

    func testControlValueEncoding() {
        XCTAssertEqual(UVCControlDescription.brightness.encode(-5), [0xFB, 0xFF])
        XCTAssertEqual(UVCControlDescription.brightness.decode([0xFB, 0xFF]), -5)
        XCTAssertEqual(UVCControlDescription.contrast.decode([0xFB, 0xFF]), 0xFFFB)
        XCTAssertEqual(UVCControlDescription.exposureTimeAbsolute.encode(0x1234_5678), [0x78, 0x56, 0x34, 0x12])
        XCTAssertEqual(UVCControlDescription.exposureTimeAbsolute.decode([0x78, 0x56, 0x34, 0x12, 0x99]), 0x1234_5678)
        XCTAssertNil(UVCControlDescription.exposureTimeAbsolute.decode([0x78, 0x56]))
        XCTAssertEqual(UVCControlDescription.exposureTimeRelative.decode([0xFF]), -1)
    }

    func testControlEntityLookupInTheC270() throws {
        let configuration = try SysfsDescriptorReader.configuration(fromSysfs: try UVCFixtures.bytes("logitech_c270.descriptors.bin"))
        let control = try UVCDescriptorParser.parse(configuration: configuration).control
        XCTAssertEqual(UVCControlDescription.brightness.entityID(in: control), 2)
        XCTAssertEqual(control.processingUnit?.controls, 0x175B)
        XCTAssertEqual(UVCControlDescription.powerLineFrequency.entityID(in: control), 2)
        XCTAssertEqual(control.cameraTerminal?.camera?.controls, 0x0E)
        XCTAssertEqual(UVCControlDescription.exposureTimeAbsolute.entityID(in: control), 1)
        XCTAssertNil(UVCControlDescription.focusAuto.entityID(in: control), "the C270 has fixed focus")
    }
}
