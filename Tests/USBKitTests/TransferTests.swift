import BioCaptureTesting
import USBKit
import XCTest

final class TransferTests: VirtualUSBTestCase {
    func testControlOutThenInReadsTheRegisterBack() async throws {
        let handle = try await openScripted()
        let initial = try await handle.controlTransferIn(
            requestType: 0xC0, request: ScriptedUSBDevice.readRegister, value: 0x10, index: 0, length: 16, timeout: timeout)
        XCTAssertEqual(initial, [0xCA, 0xFE], "a short reply returns the bytes that came")
        let sent = try await handle.controlTransferOut(
            requestType: 0x40, request: ScriptedUSBDevice.writeRegister, value: 0x20, index: 0, data: [1, 2, 3, 4, 5],
            timeout: timeout)
        XCTAssertEqual(sent, 5)
        XCTAssertEqual(model.registers[0x20], [1, 2, 3, 4, 5])
        let readBack = try await handle.controlTransferIn(
            requestType: 0xC0, request: ScriptedUSBDevice.readRegister, value: 0x20, index: 0, length: 3, timeout: timeout)
        XCTAssertEqual(readBack, [1, 2, 3], "the device's longer answer is cut to wLength by the request itself")
        let noData = try await handle.controlTransferOut(
            requestType: 0x40, request: ScriptedUSBDevice.writeRegister, value: 0x30, index: 0, timeout: timeout)
        XCTAssertEqual(noData, 0)
        XCTAssertEqual(model.registers[0x30], [])
        await handle.close()
    }

    func testControlRequestTheDeviceRejectsStalls() async throws {
        let handle = try await openScripted()
        do {
            try await handle.controlTransferOut(
                requestType: 0x40, request: ScriptedUSBDevice.alwaysStall, value: 0, index: 0, timeout: timeout)
            XCTFail("expected a stall")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .pipe)
            XCTAssertEqual(error.transferStatus, .stall)
        }
        await handle.close()
    }

    func testBulkLoopbackOneAtATime() async throws {
        let handle = try await openScripted()
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let written = try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: payload, timeout: timeout)
        XCTAssertEqual(written, 1000)
        let first = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 600, timeout: timeout)
        XCTAssertEqual(first, Array(payload[0..<600]))
        let rest = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 600, timeout: timeout)
        XCTAssertEqual(rest, Array(payload[600...]), "short read: the remaining 400 bytes")
        await handle.close()
    }

    func testBulkReadWaitsForDataWrittenLater() async throws {
        let handle = try await openScripted()
        async let read = handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 64, timeout: .seconds(2))
        try await waitUntil("the read is pending") { device.pendingTransferCount == 1 }
        try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: Array("hello".utf8), timeout: timeout)
        let received = try await read
        XCTAssertEqual(String(decoding: received, as: UTF8.self), "hello")
        await handle.close()
    }

    func testInterruptPacketsPushedByTheTest() async throws {
        let handle = try await openScripted()
        model.pushInterrupt([0x01, 0x01])
        let first = try await handle.interruptTransferIn(endpoint: ScriptedUSBDevice.interruptIn, length: 8, timeout: timeout)
        XCTAssertEqual(first, [0x01, 0x01])
        async let second = handle.interruptTransferIn(endpoint: ScriptedUSBDevice.interruptIn, length: 8, timeout: .seconds(2))
        try await waitUntil("the interrupt read is pending") { device.pendingTransferCount == 1 }
        model.pushInterrupt([0x02, 0x00, 0x7F])
        let secondPacket = try await second
        XCTAssertEqual(secondPacket, [0x02, 0x00, 0x7F])
        await handle.close()
    }

    func testManyTransfersInFlightAtOnce() async throws {
        let handle = try await openScripted()
        let count = 32
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 4, timeout: .seconds(3))
                }
            }
            for index in 0..<4 {
                group.addTask {
                    try await handle.interruptTransferIn(endpoint: ScriptedUSBDevice.interruptIn, length: 8, timeout: .seconds(3)) + [0xEE, UInt8(index)]
                }
            }
            try await waitUntil("all reads are pending") { device.pendingTransferCount == count + 4 }
            XCTAssertEqual(device.pendingTransferCount, count + 4)
            let payload = (0..<(count * 4)).map { UInt8(truncatingIfNeeded: $0) }
            try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: payload, timeout: timeout)
            for index in 0..<4 { model.pushInterrupt([0xA0, UInt8(index)]) }
            var bulkChunks: [[UInt8]] = []
            var interruptCount = 0
            for try await chunk in group {
                if chunk.count == 4 && chunk[2] == 0xEE { interruptCount += 1 } else { bulkChunks.append(chunk) }
            }
            XCTAssertEqual(interruptCount, 4)
            XCTAssertEqual(bulkChunks.count, count)
            XCTAssertTrue(bulkChunks.allSatisfy { $0.count == 4 })
            XCTAssertEqual(bulkChunks.flatMap { $0 }.sorted(), payload.sorted(), "every byte arrived exactly once")
        }
        XCTAssertEqual(device.pendingTransferCount, 0)
        await handle.close()
    }

    func testCancellingTheTaskCancelsThePendingTransfer() async throws {
        let handle = try await openScripted()
        let read = Task {
            try await handle.interruptTransferIn(endpoint: ScriptedUSBDevice.interruptIn, length: 8, timeout: .seconds(10))
        }
        try await waitUntil("the interrupt read is pending") { device.pendingTransferCount == 1 }
        let started = ContinuousClock.now
        read.cancel()
        do {
            _ = try await read.value
            XCTFail("a cancelled transfer must throw")
        } catch is CancellationError {
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
        }
        XCTAssertEqual(device.statistics.discardedTransfers, 1)
        XCTAssertEqual(device.pendingTransferCount, 0)
        // The endpoint still works afterwards, and the packet goes to the new read.
        model.pushInterrupt([0x05])
        let next = try await handle.interruptTransferIn(endpoint: ScriptedUSBDevice.interruptIn, length: 8, timeout: timeout)
        XCTAssertEqual(next, [0x05])
        await handle.close()
    }

    func testAlreadyCancelledTaskDoesNotSubmit() async throws {
        let handle = try await openScripted()
        let submittedBefore = device.statistics.submittedTransfers
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 8, timeout: .seconds(2))
        }
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch is CancellationError {}
        XCTAssertEqual(device.statistics.submittedTransfers, submittedBefore)
        await handle.close()
    }

    func testTimeoutWhenTheDeviceNeverAnswers() async throws {
        let handle = try await openScripted()
        let started = ContinuousClock.now
        do {
            _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 64, timeout: .milliseconds(100))
            XCTFail("expected a timeout")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .timeout)
            XCTAssertEqual(error.transferStatus, .timedOut)
        }
        let elapsed = ContinuousClock.now - started
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(100))
        XCTAssertLessThan(elapsed, .seconds(1))
        XCTAssertEqual(device.statistics.discardedTransfers, 1, "libusb discarded the URB at its deadline")
        await handle.close()
    }

    func testInvalidArgumentsAreRejectedBeforeSubmission() async throws {
        let handle = try await openScripted()
        do {
            _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkOut, length: 8, timeout: timeout)
            XCTFail("OUT endpoint used for IN")
        } catch let error as USBError { XCTAssertEqual(error.code, .invalidParam) }
        do {
            _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 8, timeout: .zero)
            XCTFail("zero timeout")
        } catch let error as USBError { XCTAssertEqual(error.code, .invalidParam) }
        do {
            _ = try await handle.controlTransferIn(requestType: 0x40, request: 2, value: 0, index: 0, length: 2, timeout: timeout)
            XCTFail("host-to-device request type for control IN")
        } catch let error as USBError { XCTAssertEqual(error.code, .invalidParam) }
        XCTAssertEqual(device.statistics.submittedTransfers, 0)
        await handle.close()
        do {
            _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 8, timeout: timeout)
            XCTFail("closed handle")
        } catch let error as USBError { XCTAssertEqual(error.code, .invalidParam) }
    }

    func testClosingTheHandleCancelsItsPendingTransfers() async throws {
        let handle = try await openScripted()
        let read = Task {
            try await handle.interruptTransferIn(endpoint: ScriptedUSBDevice.interruptIn, length: 8, timeout: .seconds(10))
        }
        try await waitUntil("the interrupt read is pending") { device.pendingTransferCount == 1 }
        await handle.close()
        do {
            _ = try await read.value
            XCTFail("expected the read to end")
        } catch let error as USBError {
            XCTAssertEqual(error.transferStatus, .cancelled)
        }
        XCTAssertTrue(handle.isClosed)
    }
}
