import BioCaptureTesting
import Logging
import USBKit
import XCTest

/// Base of the USB driver tests: a VirtualUSB testbed and a libusb context per test, so each
/// driver runs through the real libusb path against its emulator. Without the umockdev preload
/// the tests skip with the reason; under CI=true they fail instead.
class EmulatedDriverTestCase: XCTestCase {
    var testbed: VirtualUSBTestbed!
    var context: USBContext!
    let logger = Logger(label: "BioFingerprintTests.drivers")

    override func setUp() async throws {
        try await super.setUp()
        do {
            try VirtualUSB.requireEmulation()
        } catch {
            if error.mustFail {
                XCTFail(error.description)
                throw error
            }
            throw XCTSkip(error.description)
        }
        testbed = try VirtualUSBTestbed()
        context = try USBContext(logger: logger)
    }

    override func tearDown() async throws {
        if let context { await context.close() }
        testbed?.close()
        context = nil
        testbed = nil
        try await super.tearDown()
    }
}
