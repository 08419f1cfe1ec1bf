import BioCapture
@testable import Enrollment
import Logging
import XCTest

/// Every rung a simulated device reports itself has its detail in both languages (the station's
/// own rungs are covered by the CLI's translation tests).
final class SimulatorTranslationTests: XCTestCase {
    func testEverySimulatorRungIsTranslated() async throws {
        let logger = Logger(label: "SimulatorTranslationTests")
        let station = Station(registry: StationDrivers.registry(), logger: logger, useUSB: false)
        let template = DriverContext(
            identity: DeviceIdentity(id: "", driverID: "", modality: .fingerprint, vendor: "", model: "",
                                     connectionPath: "", isSimulated: true),
            logger: logger, seed: 3, settings: ["latency-ms": "1", "frame-interval-ms": "1"])
        let built = await station.makeDevices(await station.inventory(includeSimulated: true), template: template)
        XCTAssertEqual(built.devices.count, 4)
        for candidate in built.devices {
            try await candidate.device.open()
            let result = await candidate.device.selfTest()
            await candidate.device.close()
            XCTAssertFalse(result.steps.isEmpty)
            for step in result.steps {
                let translated = try XCTUnwrap(step.localizedDetail, "\(candidate.identity.id) \(step.id): no translation")
                if step.id != .identity {  // the identity line is names and numbers in both languages
                    XCTAssertNotEqual(translated.english, translated.indonesian, "\(candidate.identity.id) \(step.id)")
                }
            }
        }
        // A failed rung carries the fault's text in both languages.
        let failed = SelfTestStep.failed(.sensor, CaptureFault(.illuminatorDark))
        XCTAssertEqual(failed.detail(in: .indonesian), "Lampu inframerah tidak menyala.")
    }
}
