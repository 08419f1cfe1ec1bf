import BioCapture
import XCTest

final class FaultPlanTests: XCTestCase {
    func testParsesEveryForm() throws {
        let plain = try FaultInjection(parsing: "fingerprint:disconnect")
        XCTAssertEqual(plain, FaultInjection(modality: .fingerprint, kind: .disconnect))
        let named = try FaultInjection(parsing: "iris:corrupt-frame@capture")
        XCTAssertEqual(named.step, .named("capture"))
        let numbered = try FaultInjection(parsing: "face:timeout@3x2")
        XCTAssertEqual(numbered.step, .index(3))
        XCTAssertEqual(numbered.count, 2)
        let counted = try FaultInjection(parsing: "signature:stall x4".replacingOccurrences(of: " ", with: ""))
        XCTAssertEqual(counted.count, 4)
        XCTAssertEqual(counted.step, nil)
        XCTAssertEqual(try FaultInjection(parsing: "FINGERPRINT:Power-Loss").kind, .powerLoss)
        XCTAssertEqual(numbered.description, "face:timeout@3x2")
    }

    func testRejectsBadSpecsWithAReason() {
        let cases: [(String, String)] = [
            ("fingerprint", "MODALITY:KIND"),
            ("toe:disconnect", "unknown modality 'toe'"),
            ("iris:explode", "unknown fault kind 'explode'"),
            ("iris:timeout@", "STEP after '@' is empty"),
            ("iris:timeout@0", "starts at 1"),
            ("iris:timeout@3x0", "COUNT"),
            ("iris:timeout@cap%ture", "STEP must be"),
        ]
        for (spec, reason) in cases {
            XCTAssertThrowsError(try FaultInjection(parsing: spec), spec) { error in
                XCTAssertTrue(String(describing: error).contains(reason), "\(spec): \(error)")
            }
        }
    }

    func testEachKindHasTheDomainTheDesignAssigns() {
        let expected: [FaultKind: FaultDomain?] = [
            .disconnect: .hardware, .timeout: .hardware, .stall: .hardware, .corruptFrame: .hardware,
            .sensorDefect: .hardware, .permissionDenied: .environment, .busy: .environment,
            .powerLoss: .environment, .overflow: .hardware, .shortPacket: .hardware, .slow: nil,
        ]
        for kind in FaultKind.allCases {
            XCTAssertEqual(kind.domain, expected[kind] ?? nil, "\(kind)")
        }
    }

    func testScheduleStrikesAtTheRightOperation() throws {
        var schedule = FaultSchedule(try FaultPlan(parsing: ["fingerprint:timeout@3x2", "fingerprint:stall@capture"]))
        XCTAssertNil(schedule.next(phase: "open"))
        XCTAssertNil(schedule.next(phase: "open"))
        XCTAssertEqual(schedule.next(phase: "open"), .timeout)
        XCTAssertEqual(schedule.next(phase: "open"), .timeout)
        XCTAssertNil(schedule.next(phase: "open"))
        XCTAssertEqual(schedule.next(phase: "capture"), .stall)
        XCTAssertNil(schedule.next(phase: "capture"))
        XCTAssertFalse(schedule.hasPending)
    }

    func testScheduleWaitsForAnEligibleOperation() throws {
        var schedule = FaultSchedule(try FaultPlan(parsing: ["iris:corrupt-frame"]))
        XCTAssertNil(schedule.next(eligible: [.timeout, .stall]))
        XCTAssertEqual(schedule.next(eligible: [.corruptFrame]), .corruptFrame)
        XCTAssertNil(schedule.next(eligible: [.corruptFrame]))
    }

    func testPlanRestrictsToOneModality() throws {
        let plan = try FaultPlan(parsing: ["iris:stall", "face:busy", "iris:timeout"])
        XCTAssertEqual(plan.restricted(to: .iris).injections.map(\.kind), [.stall, .timeout])
        XCTAssertTrue(plan.restricted(to: .signature).isEmpty)
    }
}
