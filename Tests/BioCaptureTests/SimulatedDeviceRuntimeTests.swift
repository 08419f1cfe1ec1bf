import BioCapture
import Logging
import XCTest

final class SimulatedDeviceRuntimeTests: XCTestCase {
    private func runtime(_ specs: [String], modality: Modality = .fingerprint) throws -> SimulatedDeviceRuntime {
        let identity = DeviceIdentity(id: "sim-\(modality.rawValue)", driverID: "sim-\(modality.rawValue)",
                                      modality: modality, vendor: "BioCapture", model: "Simulated",
                                      connectionPath: "simulated", isSimulated: true)
        let context = DriverContext(identity: identity, logger: Logger(label: "test"),
                                    faultPlan: try FaultPlan(parsing: specs),
                                    settings: ["latency-ms": "1", "transfer-timeout-ms": "20"])
        return SimulatedDeviceRuntime(identity: identity, context: context, defaultLatency: .milliseconds(300))
    }

    private func expectFault(_ code: FaultCode, _ domain: FaultDomain, _ body: () async throws -> Void,
                             file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("no fault", file: file, line: line)
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, code, file: file, line: line)
            XCTAssertEqual(fault.domain, domain, file: file, line: line)
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }

    func testOpenTimeFaultsAreEnvironmentFaults() async throws {
        let denied = try runtime(["fingerprint:permission-denied"])
        await expectFault(.permissionDenied, .environment) { try await denied.open() }
        let busy = try runtime(["fingerprint:busy"])
        await expectFault(.busy, .environment) { try await busy.open() }
        try await busy.open()  // struck once
        let status = await busy.status
        XCTAssertEqual(status, .ready)
    }

    func testDisconnectMidCaptureIsHardwareAndSticks() async throws {
        let device = try runtime(["fingerprint:disconnect@capture"])
        try await device.open()
        _ = try await device.begin(phase: "sensor")
        await expectFault(.disconnected, .hardware) { _ = try await device.begin(phase: "capture") }
        let status = await device.status
        XCTAssertEqual(status, .disconnected)
        await expectFault(.disconnected, .hardware) { _ = try await device.begin(phase: "capture") }
    }

    func testPowerLossReEnumerates() async throws {
        let device = try runtime(["fingerprint:power-loss@capture"])
        try await device.open()
        await expectFault(.powerLoss, .environment) { _ = try await device.begin(phase: "capture") }
        try await device.open()
        let kind = try await device.begin(phase: "capture")
        XCTAssertNil(kind)
    }

    func testTimeoutWaitsForTheTransferTimeout() async throws {
        let device = try runtime(["fingerprint:timeout@3"])
        try await device.open()
        _ = try await device.begin(phase: "capture")  // operation 2; open was the first
        await expectFault(.timeout, .hardware) { _ = try await device.begin(phase: "capture") }
    }

    func testDamagingFaultsAreHandedToTheCaller() async throws {
        let device = try runtime(["fingerprint:sensor-defect@sensor", "fingerprint:corrupt-frame@capture"])
        try await device.open()
        let first = try await device.begin(phase: "sensor")
        XCTAssertEqual(first, .sensorDefect)
        let second = try await device.begin(phase: "capture")
        XCTAssertEqual(second, .corruptFrame)
        let third = try await device.begin(phase: "capture")
        XCTAssertEqual(third, .sensorDefect, "a defective sensor stays defective")
        let defective = await device.sensorDefective
        XCTAssertTrue(defective)
    }

    func testOtherModalitiesFaultsAreIgnored() async throws {
        let device = try runtime(["iris:disconnect", "face:stall"])
        try await device.open()
        let kind = try await device.begin(phase: "capture")
        XCTAssertNil(kind)
    }

    func testUseBeforeOpenIsAPIMisuse() async throws {
        let device = try runtime([])
        await expectFault(.apiMisuse, .software) { _ = try await device.begin(phase: "capture") }
    }
}
