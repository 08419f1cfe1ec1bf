import BioCaptureTesting
import USBDescriptors
import USBKit
import XCTest

final class EnumerationTests: VirtualUSBTestCase {
    func testEnumerationListsTheDeviceWithAllDescriptors() async throws {
        let devices = try await context.devices()
        let found = try XCTUnwrap(devices.first { $0.vendorID == ScriptedUSBDevice.vendorID && $0.productID == ScriptedUSBDevice.productID })
        XCTAssertEqual(found.busNumber, device.busNumber)
        XCTAssertEqual(found.deviceAddress, device.deviceAddress)
        XCTAssertEqual(found.portPath, [device.deviceAddress])
        XCTAssertEqual(found.speed, .high)

        let descriptors = found.descriptors
        XCTAssertEqual(descriptors.device.usbVersion.rawValue, 0x0200)
        XCTAssertEqual(descriptors.device.maxPacketSize0, 64)
        XCTAssertEqual(descriptors.device.serialNumberStringIndex, 3)
        XCTAssertEqual(descriptors.configurations.count, 1)
        let configuration = try XCTUnwrap(descriptors.configurations.first)
        XCTAssertEqual(configuration.configurationValue, 1)
        XCTAssertEqual(configuration.maxPower, 50)
        XCTAssertEqual(configuration.interfaces.map(\.number), [0, 1])
        let vendor = try XCTUnwrap(configuration.interfaces.first?.alternateSettings.first)
        XCTAssertEqual(vendor.interfaceClass, 0xFF)
        XCTAssertEqual(vendor.endpoints.map(\.address), [0x81, 0x01, 0x82])
        XCTAssertEqual(vendor.endpoints.map(\.transferType), [.bulk, .bulk, .interrupt])
        XCTAssertEqual(vendor.endpoints.map(\.maxPacketSize), [512, 512, 8])
        XCTAssertEqual(vendor.endpoints[2].interval, 4)
        let streaming = configuration.interfaces[1].alternateSettings
        XCTAssertEqual(streaming.map(\.alternateSetting), [0, 1])
        XCTAssertEqual(streaming[1].endpoints.first?.transferType, .isochronous)
        XCTAssertEqual(streaming[1].extra, [0x05, 0x24, 0x01, 0x10, 0x01], "class-specific bytes stay raw")
        // The model as libusb parsed it equals the model the device was built from, apart from
        // the computed total length.
        var expected = model.descriptors
        expected.configurations[0].totalLength = configuration.totalLength
        XCTAssertEqual(descriptors, expected)
        XCTAssertEqual(Int(configuration.totalLength), USBDescriptorSerializer.bytes(of: configuration).count)
    }

    func testStringDescriptors() async throws {
        let handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: ScriptedUSBDevice.productID)
        let languages = try await handle.supportedLanguages(timeout: timeout)
        XCTAssertEqual(languages, [0x0409])
        let manufacturer = try await handle.stringDescriptor(index: 1, timeout: timeout)
        XCTAssertEqual(manufacturer, "BioCapture Test")
        let serial = try await handle.stringDescriptorASCII(index: 3, timeout: timeout)
        XCTAssertEqual(serial, "VUSB-0001")
        let none = try await handle.stringDescriptor(index: 0, timeout: timeout)
        XCTAssertNil(none)
        do {
            _ = try await handle.stringDescriptor(index: 9, timeout: timeout)
            XCTFail("an unknown string index must stall")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .pipe)
            XCTAssertEqual(error.transferStatus, .stall)
        }
        await handle.close()
    }

    func testNonASCIIStringsDecodeFromUTF16() async throws {
        await context.close()
        context = nil
        testbed.close()
        testbed = try VirtualUSBTestbed()
        model = ScriptedUSBDevice(serialNumber: "Bandung–Ω✓")
        device = try testbed.add(model)
        context = try USBContext(logger: .init(label: "USBKitTests"))
        let handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: ScriptedUSBDevice.productID)
        let serial = try await handle.stringDescriptor(index: 3, timeout: timeout)
        XCTAssertEqual(serial, "Bandung–Ω✓")
        let ascii = try await handle.stringDescriptorASCII(index: 3, timeout: timeout)
        XCTAssertEqual(ascii, "Bandung???")
        await handle.close()
    }
}
