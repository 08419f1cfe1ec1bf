import BioCaptureTesting
import USBKit
import XCTest

/// The event thread under umockdev, where poll() never sleeps: it must park when idle and
/// must not spin while a transfer waits.
final class EventLoopTests: VirtualUSBTestCase {
    func testEventThreadParksWhenNothingIsInFlight() async throws {
        let handle = try await openScripted()
        try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: [1], timeout: timeout)
        _ = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 8, timeout: timeout)
        XCTAssertEqual(context.transfersInFlight, 0)
        try await Task.sleep(for: .milliseconds(20))
        let before = context.eventLoopIterations
        try await Task.sleep(for: .milliseconds(150))
        XCTAssertEqual(context.eventLoopIterations, before, "an idle context makes no libusb calls")
        await handle.close()
    }

    func testWaitingTransferDoesNotSpin() async throws {
        let handle = try await openScripted()
        let before = context.eventLoopIterations
        let started = ContinuousClock.now
        do {
            _ = try await handle.interruptTransferIn(endpoint: ScriptedUSBDevice.interruptIn, length: 8, timeout: .milliseconds(200))
            XCTFail("nothing was pushed: the read must time out")
        } catch let error as USBError {
            XCTAssertEqual(error.code, .timeout)
        }
        let elapsed = ContinuousClock.now - started
        let iterations = context.eventLoopIterations - before
        // An unbounded loop makes tens of thousands of calls in 200 ms under umockdev; the idle
        // wait (at most 1 ms) bounds it to about one per millisecond.
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        XCTAssertLessThan(Double(iterations), milliseconds * 3 + 50, "\(iterations) iterations in \(elapsed)")
        XCTAssertGreaterThan(iterations, 0)
        await handle.close()
    }
}
