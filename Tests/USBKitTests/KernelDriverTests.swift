import BioCaptureTesting
import USBKit
import XCTest

final class KernelDriverTests: VirtualUSBTestCase {
    func testBoundKernelDriverMakesClaimBusyUnlessAutoDetached() async throws {
        device.bindKernelDriver("uvcvideo", interface: 0)
        let handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: ScriptedUSBDevice.productID)
        let active = try await handle.isKernelDriverActive(interface: 0)
        XCTAssertTrue(active)
        let name = try await handle.kernelDriverName(interface: 0)
        XCTAssertEqual(name, "uvcvideo")
        let noName = try await handle.kernelDriverName(interface: 1)
        XCTAssertNil(noName)
        let otherActive = try await handle.isKernelDriverActive(interface: 1)
        XCTAssertFalse(otherActive)
        do {
            try await handle.claimInterface(0)
            XCTFail("claiming an interface a kernel driver holds must fail")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .busy)
        }
        try handle.setAutoDetachKernelDriver(true)
        try await handle.claimInterface(0)
        XCTAssertNil(device.kernelDriver(interface: 0), "auto-detach disconnected the driver")
        let nameWhileClaimed = try await handle.kernelDriverName(interface: 0)
        XCTAssertNil(nameWhileClaimed)
        XCTAssertEqual(device.statistics.claimedInterfaces, [0])
        try await handle.releaseInterface(0)
        XCTAssertEqual(device.kernelDriver(interface: 0), "uvcvideo", "release re-attached the driver")
        await handle.close()
    }

    func testDriverBoundWhenTheDeviceArrivesIsNamed() async throws {
        let keyboard = try testbed.add(ScriptedUSBDevice(productID: 0x0005), kernelDrivers: [1: "usbhid"])
        let handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: 0x0005)
        XCTAssertEqual(handle.info.deviceAddress, keyboard.deviceAddress)
        let name = try await handle.kernelDriverName(interface: 1)
        XCTAssertEqual(name, "usbhid")
        let none = try await handle.kernelDriverName(interface: 0)
        XCTAssertNil(none)
        await handle.close()
    }

    func testExplicitDetachAndAttach() async throws {
        device.bindKernelDriver("usbhid", interface: 1)
        let handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: ScriptedUSBDevice.productID)
        try await handle.detachKernelDriver(interface: 1)
        let activeAfterDetach = try await handle.isKernelDriverActive(interface: 1)
        XCTAssertFalse(activeAfterDetach)
        do {
            try await handle.detachKernelDriver(interface: 1)
            XCTFail("nothing left to detach")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .notFound)
        }
        try await handle.claimInterface(1)
        do {
            try await handle.attachKernelDriver(interface: 1)
            XCTFail("cannot attach while we hold the interface")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .busy)
        }
        try await handle.releaseInterface(1)
        try await handle.attachKernelDriver(interface: 1)
        XCTAssertEqual(device.kernelDriver(interface: 1), "usbhid")
        let name = try await handle.kernelDriverName(interface: 1)
        XCTAssertEqual(name, "usbhid")
        await handle.close()
    }

    func testConfigurationAlternateSettingAndReset() async throws {
        let handle = try await openScripted()
        let configuration = try await handle.configuration()
        XCTAssertEqual(configuration, 1)
        try await handle.setConfiguration(1)
        try await handle.claimInterface(1)
        try await handle.setAlternateSetting(interface: 1, alternateSetting: 1)
        XCTAssertEqual(device.statistics.alternateSettings[1], 1)
        do {
            try await handle.setAlternateSetting(interface: 1, alternateSetting: 7)
            XCTFail("unknown alternate setting")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .notFound)
        }
        try await handle.reset()
        XCTAssertEqual(device.statistics.resets, 1)
        try await handle.clearHalt(endpoint: ScriptedUSBDevice.bulkIn)
        await handle.close()
        let events = model.deviceEvents
        XCTAssertEqual(Array(events.prefix(4)), [
            .interfaceClaimed(0), .configurationSet(1), .interfaceClaimed(1),
            .alternateSettingSelected(interface: 1, alternateSetting: 1),
        ])
        // libusb releases the claimed interfaces around a reset and claims them again.
        let resetIndex = try XCTUnwrap(events.firstIndex(of: .reset))
        XCTAssertTrue(events[..<resetIndex].contains(.interfaceReleased(1)))
        XCTAssertTrue(events[resetIndex...].contains(.interfaceClaimed(0)))
        XCTAssertTrue(events[resetIndex...].contains(.interfaceClaimed(1)))
        XCTAssertTrue(model.deviceEvents.contains(.haltCleared(endpoint: ScriptedUSBDevice.bulkIn)))
        XCTAssertTrue(model.deviceEvents.contains(.interfaceReleased(0)), "close released the claimed interfaces")
    }

    func testBusyFaultOnClaim() async throws {
        device.injectFault(.busy)
        let handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: ScriptedUSBDevice.productID)
        do {
            try await handle.claimInterface(0)
            XCTFail("expected busy")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .busy)
        }
        try await handle.claimInterface(0)
        await handle.close()
    }
}
