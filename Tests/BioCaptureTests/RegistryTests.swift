import BioCapture
import Logging
import USBDescriptors
import XCTest

final class RegistryTests: XCTestCase {
    private func descriptors(vendor: UInt16, product: UInt16, interfaceClass: UInt8, subClass: UInt8 = 0)
        -> USBDeviceDescriptors
    {
        let interface = USBInterfaceDescriptor(
            interfaceNumber: 1, alternateSetting: 0, interfaceClass: interfaceClass,
            interfaceSubClass: subClass, interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: [])
        let configuration = USBConfigurationDescriptor(
            totalLength: 25, configurationValue: 1, configurationStringIndex: 0, attributes: 0x80,
            maxPower: 50, interfaces: [USBInterface(number: 1, alternateSettings: [interface])])
        let device = USBDeviceDescriptor(
            usbVersion: USBBCDVersion(rawValue: 0x0200), deviceClass: 0, deviceSubClass: 0, deviceProtocol: 0,
            maxPacketSize0: 64, vendorID: vendor, productID: product, deviceVersion: USBBCDVersion(rawValue: 0x0100),
            manufacturerStringIndex: 1, productStringIndex: 2, serialNumberStringIndex: 0, numConfigurations: 1)
        return USBDeviceDescriptors(device: device, configurations: [configuration])
    }

    private let unusedFactory: USBDeviceFactory = { _, context in
        throw CaptureFault(.unsupportedDevice, device: context.identity)
    }

    private func registry() -> DriverRegistry {
        DriverRegistry(drivers: [
            DriverDescriptor(
                id: "scanner", name: "Example scanner", modality: .fingerprint,
                devices: [
                    SupportedDevice(USBID(0x1209, 0x0001), vendor: "Example", model: "Scan 100",
                                    quirks: DeviceQuirks(["orientation": "flip-vertical", "unit": "0x3"])),
                    SupportedDevice(USBID(0x1209, 0x0002), vendor: "Example", model: "Scan 200"),
                ],
                binding: .usb(unusedFactory)),
            DriverDescriptor(
                id: "webcam", name: "UVC webcam", modality: .face,
                classMatches: [USBInterfaceClassMatch(interfaceClass: 0x0E, interfaceSubClass: 0x01)],
                kernelDrivers: ["uvcvideo"], binding: .usb(unusedFactory)),
            DriverDescriptor(
                id: "sim-fingerprint", name: "Simulated scanner", modality: .fingerprint,
                binding: .simulated({ context in throw CaptureFault(.unsupportedDevice, device: context.identity) })),
        ])
    }

    func testMatchesByIDThenByClass() throws {
        let registry = registry()
        let byID = try XCTUnwrap(registry.match(descriptors(vendor: 0x1209, product: 0x0001, interfaceClass: 0xFF)))
        XCTAssertEqual(byID.driver.id, "scanner")
        XCTAssertEqual(byID.quirks.string("orientation"), "flip-vertical")
        XCTAssertEqual(byID.quirks.integer("unit"), 3)

        let camera = try XCTUnwrap(registry.match(descriptors(vendor: 0x046D, product: 0x0825, interfaceClass: 0x0E, subClass: 1)))
        XCTAssertEqual(camera.driver.id, "webcam")
        XCTAssertEqual(camera.interfaceNumber, 1)
        XCTAssertNil(camera.supportedDevice)

        XCTAssertNil(registry.match(descriptors(vendor: 0x046D, product: 0x0825, interfaceClass: 0x0E, subClass: 2)))
        XCTAssertNil(registry.match(descriptors(vendor: 0xFFFF, product: 0x0001, interfaceClass: 0x03)))
    }

    func testSimulatedDriversNeverClaimUSBDevices() {
        let registry = registry()
        XCTAssertEqual(registry.simulatedDrivers.map(\.id), ["sim-fingerprint"])
        XCTAssertEqual(registry.usbDrivers.map(\.id), ["scanner", "webcam"])
    }

    func testDuplicateIDsAreReported() {
        var registry = registry()
        XCTAssertEqual(registry.duplicateIDs, [])
        registry.register(DriverDescriptor(
            id: "other", name: "Other", modality: .fingerprint,
            devices: [SupportedDevice(USBID(0x1209, 0x0002), vendor: "Example", model: "Clone")],
            binding: .usb(unusedFactory)))
        XCTAssertEqual(registry.duplicateIDs, [USBID(0x1209, 0x0002)])
    }

    func testUSBIDText() {
        XCTAssertEqual(USBID(0x045E, 0x00BD).description, "045e:00bd")
        XCTAssertEqual(USBID(text: "045e:00bd"), USBID(0x045E, 0x00BD))
        XCTAssertNil(USBID(text: "45e:00bd"))
        XCTAssertNil(USBID(text: "zzzz:00bd"))
    }

    func testUdevRulesComeFromTheTable() {
        let registry = registry()
        let identification = UdevRules.identification(for: registry)
        XCTAssertTrue(identification.contains(#"ATTR{idVendor}=="1209", ATTR{idProduct}=="0001""#))
        XCTAssertTrue(identification.contains(#"ATTR{idVendor}=="1209", ATTR{idProduct}=="0002""#))
        XCTAssertTrue(identification.contains(#"ENV{ID_USB_INTERFACES}=="*:0e01??:*""#))
        XCTAssertTrue(identification.contains(#"ENV{ID_BIOCAPTURE_DRIVER}="webcam""#))
        XCTAssertFalse(identification.contains("sim-fingerprint"), "simulated drivers have no udev rule")
        XCTAssertFalse(identification.contains("MODE"), "identification carries no access policy")

        let uaccess = UdevRules.access(.uaccess)
        XCTAssertTrue(uaccess.contains(#"TAG+="uaccess""#))
        let plugdev = UdevRules.access(.plugdev)
        XCTAssertTrue(plugdev.contains(#"MODE="0660", GROUP="plugdev""#))
        for (_, contents) in UdevRules.files(for: registry) {
            XCTAssertFalse(contents.contains("0666"), "world-writable access is never granted")
        }
    }
}
