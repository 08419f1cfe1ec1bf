import BioCapture
import BioCaptureTesting
import USBKit
import XCTest

final class FaultTests: VirtualUSBTestCase {
    func testStallHaltsTheEndpointUntilClearHalt() async throws {
        let handle = try await openScripted()
        device.injectFault(.stall)
        do {
            try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [1, 2, 3], timeout: timeout)
            XCTFail("expected a stall")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .pipe)
            XCTAssertEqual(error.transferStatus, .stall)
        }
        do {
            try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [1, 2, 3], timeout: timeout)
            XCTFail("the endpoint stays halted")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .pipe)
        }
        try await handle.clearHalt(endpoint: ScriptedUSBDevice.bulkOut)
        XCTAssertEqual(device.statistics.clearedHalts, [ScriptedUSBDevice.bulkOut])
        let written = try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [1, 2, 3], timeout: timeout)
        XCTAssertEqual(written, 3)
        await handle.close()
    }

    func testUnplugDuringAPendingTransferEndsItWithNoDevice() async throws {
        let handle = try await openScripted()
        let read = Task {
            try await handle.interruptTransferIn(endpoint: ScriptedUSBDevice.interruptIn, length: 8, timeout: .seconds(10))
        }
        try await waitUntil("the interrupt read is pending") { device.pendingTransferCount == 1 }
        testbed.unplug(device)
        do {
            _ = try await read.value
            XCTFail("expected the transfer to fail")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .noDevice)
            XCTAssertEqual(error.transferStatus, .noDevice)
        }
        XCTAssertFalse(device.isConnected)
        do {
            try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [1], timeout: timeout)
            XCTFail("later transfers must fail")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .noDevice)
        }
        do {
            try await handle.releaseInterface(0)
            XCTFail("later calls must fail")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .noDevice)
        }
        await handle.close()
        let deadline = ContinuousClock.now + .seconds(2)
        var remaining = try await context.devices().filter { $0.vendorID == ScriptedUSBDevice.vendorID }
        while !remaining.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
            remaining = try await context.devices().filter { $0.vendorID == ScriptedUSBDevice.vendorID }
        }
        XCTAssertTrue(remaining.isEmpty, "the device left enumeration")
    }

    func testFaultPlanDrivesTheSameVocabularyAsTheSimulators() async throws {
        let handle = try await openScripted()
        // Transfers are the schedule's operations: #1 fine, #2 stalls, #3 overflows, #4 short, #5 timeout.
        device.setFaultPlan(try FaultPlan(parsing: [
            "fingerprint:stall@2", "fingerprint:overflow@3", "fingerprint:short-packet@4", "fingerprint:timeout@5",
        ]))
        let payload = Array(repeating: UInt8(0x42), count: 64)
        let first = try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: payload, timeout: timeout)
        XCTAssertEqual(first, 64)
        do {
            _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 64, timeout: timeout)
            XCTFail("#2 stalls")
        } catch let error as USBError { XCTAssertEqual(error.code, .pipe) }
        try await handle.clearHalt(endpoint: ScriptedUSBDevice.bulkIn)
        do {
            _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 64, timeout: timeout)
            XCTFail("#3 overflows")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .overflow)
            XCTAssertEqual(error.transferStatus, .overflow)
        }
        let short = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 64, timeout: timeout)
        XCTAssertEqual(short, Array(repeating: 0x42, count: 32), "#4 ends short: half of what the device had")
        do {
            _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 16, timeout: .milliseconds(50))
            XCTFail("#5 times out")
        } catch let error as USBError { XCTAssertEqual(error.code, .timeout) }
        try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [1, 2, 3], timeout: timeout)
        let seventh = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 64, timeout: timeout)
        XCTAssertEqual(seventh, [1, 2, 3], "#6 and #7 are normal again")
        await handle.close()
    }

    func testSlowReplyArrivesLateButInTime() async throws {
        let handle = try await openScripted()
        device.slowDelay = .milliseconds(80)
        device.injectFault(.slow)
        let started = ContinuousClock.now
        let value = try await handle.controlTransferIn(
            requestType: 0xC0, request: ScriptedUSBDevice.readRegister, value: 0x10, index: 0, length: 2, timeout: timeout)
        XCTAssertEqual(value, [0xCA, 0xFE])
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(80))
        device.injectFault(.slow)
        do {
            _ = try await handle.controlTransferIn(
                requestType: 0xC0, request: ScriptedUSBDevice.readRegister, value: 0x10, index: 0, length: 2,
                timeout: .milliseconds(20))
            XCTFail("a reply later than the deadline is a timeout")
        } catch let error as USBError { XCTAssertEqual(error.code, .timeout) }
        await handle.close()
    }

    func testDisconnectFaultUnplugsTheDevice() async throws {
        let handle = try await openScripted()
        device.setFaultPlan(try FaultPlan(parsing: ["fingerprint:disconnect@2"]))
        try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [9], timeout: timeout)
        do {
            _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 8, timeout: timeout)
            XCTFail("expected the device to vanish")
        } catch let error as USBError { XCTAssertEqual(error.code, .noDevice) }
        try await waitUntil("the testbed removed the device") { testbed.devices.isEmpty }
        await handle.close()
    }
}
