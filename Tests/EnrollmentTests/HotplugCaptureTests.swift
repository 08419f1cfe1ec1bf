import BioCapture
import BioCaptureTesting
import BioCaptureUSB
@testable import Enrollment
import Foundation
import Logging
import XCTest

/// "The missing modality can be captured later in the same session when the device is back":
/// a scanner fails, a replacement is plugged in (a real libusb hotplug arrival through
/// VirtualUSB), the station builds it through the driver table and the session captures only
/// the fingers that were missing.
final class HotplugCaptureTests: XCTestCase {
    func testAPluggedInScannerCapturesTheMissingFingers() async throws {
        do {
            try VirtualUSB.requireEmulation()
        } catch {
            if error.mustFail {
                XCTFail(error.description)
                throw error
            }
            throw XCTSkip(error.description)
        }
        let testbed = try VirtualUSBTestbed()
        defer { testbed.close() }
        let replacement = ScriptedFingerprintScanner(id: "replacement")
        let registry = DriverRegistry(drivers: [DriverDescriptor(
            id: "example-scanner", name: "Example scanner", modality: .fingerprint,
            devices: [SupportedDevice(USBID(ScriptedUSBDevice.vendorID, ScriptedUSBDevice.productID),
                                      vendor: "pid.codes", model: "Test scanner")],
            binding: .usb({ _, _ in replacement }))])
        let logger = Logger(label: "HotplugCaptureTests")
        let station = Station(registry: registry, logger: logger)
        let arrivals = try XCTUnwrap(try station.arrivals())

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hotplug-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = try EnrollmentJournal(path: directory.appendingPathComponent("j.sqlite").path)
        let failing = ScriptedFingerprintScanner(script: CaptureScript([.sample(quality: 90), .fault(CaptureFault(.disconnected))]))
        let devices = StationDevices(fingerprint: failing, iris: ScriptedIrisCamera(),
                                     face: ScriptedWebcam(script: CaptureScript(fallback: .sample(quality: 100))),
                                     signature: ScriptedSignaturePad())
        let session = try EnrollmentSession.start(journal: journal, subject: try NIK(validating: "3174051708850123"),
                                                  devices: devices, encoder: RawSampleEncoder())
        let first = try await session.run()
        XCTAssertEqual(first.missing.count, 9)
        XCTAssertEqual(first.unavailable[.fingerprint], .disconnected)

        try testbed.add(ScriptedUSBDevice())
        let waiter = Task { () -> USBStationDevice? in
            for await found in arrivals { return found }
            return nil
        }
        let timer = Task {
            try await Task.sleep(for: .seconds(5))
            waiter.cancel()
        }
        let arrived = await waiter.value
        timer.cancel()
        let found = try XCTUnwrap(arrived, "no hotplug arrival within 5 s")
        XCTAssertEqual(found.identity.driverID, "example-scanner")
        let built = try await station.makeDevice(found, template: DriverContext(identity: found.identity, logger: logger))
        let scanner = try XCTUnwrap(built.device as? ScriptedFingerprintScanner)

        let second = try await session.captureMissing(with: StationDevices(fingerprint: scanner))
        XCTAssertEqual(second.state, .complete)
        let asked = await replacement.requests.count
        XCTAssertEqual(asked, 9, "only the missing fingers")
        await session.close()
        await station.close()
    }
}
