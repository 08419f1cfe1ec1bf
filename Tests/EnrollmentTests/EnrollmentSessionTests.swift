import BioCapture
import BioCaptureTesting
@testable import Enrollment
import Foundation
import XCTest

/// A clock whose wall time the test can move, with monotonic time following real time.
final class AdjustableClock: CaptureClock, @unchecked Sendable {
    private let lock = NSLock()
    private var wallOffset: TimeInterval = 0
    private let base = SystemCaptureClock()

    func shiftWallClock(by seconds: TimeInterval) {
        lock.withLock { wallOffset += seconds }
    }

    func now() -> Duration { base.now() }
    func wallClock() -> Date { lock.withLock { Date().addingTimeInterval(wallOffset) } }
    func sleep(for duration: Duration) async throws { try await base.sleep(for: duration) }
}

/// Stores the pixels as they are: enough to check what was kept.
struct RawSampleEncoder: SampleEncoder {
    func encode(_ sample: FingerprintSample) throws -> EncodedSample { EncodedSample(encoding: "raw", data: Data(sample.image.pixels)) }
    func encode(_ sample: IrisSample) throws -> EncodedSample { EncodedSample(encoding: "raw", data: Data(sample.image.pixels)) }
    func encode(_ sample: FaceSample) throws -> EncodedSample { EncodedSample(encoding: "raw", data: Data(sample.image.pixels)) }
    func encode(_ sample: SignatureSample) throws -> EncodedSample {
        EncodedSample(encoding: "raw", data: Data("\(sample.points.count)".utf8))
    }
}

final class EnrollmentSessionTests: XCTestCase {
    private var directory: URL!
    private var journal: EnrollmentJournal!
    private let subject: NIK = {
        do { return try NIK(validating: "3174051708850123") } catch { preconditionFailure("fixture NIK") }
    }()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        journal = try EnrollmentJournal(path: directory.appendingPathComponent("journal.sqlite").path)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func station(
        fingerprint: CaptureScript = CaptureScript(), iris: CaptureScript = CaptureScript(),
        face: CaptureScript = CaptureScript(fallback: .sample(quality: 100)), signature: CaptureScript = CaptureScript()
    ) -> (StationDevices, ScriptedFingerprintScanner) {
        let scanner = ScriptedFingerprintScanner(script: fingerprint)
        return (StationDevices(fingerprint: scanner, iris: ScriptedIrisCamera(script: iris),
                               face: ScriptedWebcam(script: face), signature: ScriptedSignaturePad(script: signature)),
                scanner)
    }

    private func collect(_ session: EnrollmentSession) -> Task<[EnrollmentEvent], Never> {
        Task {
            var events: [EnrollmentEvent] = []
            for await event in session.events { events.append(event) }
            return events
        }
    }

    func testAFullEnrollmentStoresFourteenSamplesAndCompletes() async throws {
        let (devices, scanner) = station()
        let session = try EnrollmentSession.start(journal: journal, subject: subject, devices: devices,
                                                  encoder: RawSampleEncoder())
        let events = collect(session)
        let summary = try await session.run()
        await session.close()
        XCTAssertEqual(summary.state, .complete)
        XCTAssertEqual(summary.stored.count, 14)
        XCTAssertEqual(summary.stored.first, "face")
        XCTAssertEqual(Array(summary.stored.prefix(3)), ["face", "iris-right", "iris-left"])
        XCTAssertEqual(summary.stored.last, "signature")
        XCTAssertEqual(try journal.session(session.id)?.state, .complete)
        XCTAssertEqual(try journal.samples(session: session.id).count, 14)
        XCTAssertTrue(try journal.verify().isIntact)
        let positions = await scanner.requests.map(\.position)
        XCTAssertEqual(positions, EnrollmentPlan.standard().slots.compactMap {
            if case .finger(let position) = $0 { return position } else { return nil }
        })
        let received = await events.value
        guard case .started(let id, let resumed, let missing) = received.first else {
            return XCTFail("first event is not started: \(String(describing: received.first))")
        }
        XCTAssertEqual(id, session.id)
        XCTAssertFalse(resumed)
        XCTAssertEqual(missing.count, 14)
        XCTAssertEqual(received.filter { if case .stored = $0 { true } else { false } }.count, 14)
        guard case .finished = received.last else { return XCTFail("last event is not finished") }
    }

    func testRetriesKeepTheBestAttemptAndForceCaptureIsFlagged() async throws {
        let (devices, _) = station(fingerprint: CaptureScript(
            [.sample(quality: 20), .sample(quality: 35), .sample(quality: 30),  // finger 1: forced 35
             .retry(code: "too-short"), .sample(quality: 50)],                   // finger 2: accepted on attempt 2
            fallback: .sample(quality: 80)))
        let session = try EnrollmentSession.start(journal: journal, subject: subject, devices: devices,
                                                  encoder: RawSampleEncoder())
        _ = try await session.run()
        let samples = try journal.samples(session: session.id)
        let first = try XCTUnwrap(samples.first { $0.slot == "finger-1" })
        XCTAssertEqual(first.quality, 35)
        XCTAssertTrue(first.forced)
        XCTAssertEqual(first.attempts, 3)
        XCTAssertEqual(first.data.first, 35, "the best attempt's pixels are the ones kept")
        let second = try XCTUnwrap(samples.first { $0.slot == "finger-2" })
        XCTAssertEqual(second.quality, 50)
        XCTAssertFalse(second.forced)
        XCTAssertEqual(second.attempts, 2)
    }

    func testWithoutForceCaptureALowQualitySlotStaysMissing() async throws {
        var policy = EnrollmentPolicy()
        policy.iris = ModalityPolicy(qualityThreshold: 60, attempts: 2, forceCaptureAfterLastAttempt: false)
        let (devices, _) = station(iris: CaptureScript([.sample(quality: 10), .sample(quality: 20)],
                                                       fallback: .sample(quality: 90)))
        let session = try EnrollmentSession.start(journal: journal, subject: subject, policy: policy,
                                                  devices: devices, encoder: RawSampleEncoder())
        let summary = try await session.run()
        XCTAssertEqual(summary.state, .incomplete)
        XCTAssertEqual(summary.missing, ["iris-right"])
        let faults = try journal.faults(session: session.id)
        XCTAssertEqual(faults.map(\.code), ["low-quality"])
        XCTAssertEqual(faults.first?.domain, "operator")
    }

    func testADeviceFaultDegradesTheStationAndTheSlotIsCapturedWhenTheDeviceIsBack() async throws {
        let unplugged = CaptureFault(.disconnected)
        let (devices, _) = station(iris: CaptureScript([.fault(unplugged)]))
        let session = try EnrollmentSession.start(journal: journal, subject: subject, devices: devices,
                                                  encoder: RawSampleEncoder())
        let first = try await session.run()
        XCTAssertEqual(first.state, .incomplete)
        XCTAssertEqual(first.missing, ["iris-right", "iris-left"])
        XCTAssertEqual(first.unavailable[.iris], .disconnected)
        XCTAssertEqual(first.stored.count, 12, "the other modalities went on")
        let faults = try journal.faults(session: session.id)
        XCTAssertEqual(faults.count, 1)
        XCTAssertEqual(faults.first?.domain, "hardware")
        XCTAssertEqual(faults.first?.slot, "iris-right")

        let replacement = ScriptedIrisCamera(id: "iris-2")
        let second = try await session.captureMissing(with: StationDevices(iris: replacement))
        XCTAssertEqual(second.state, .complete)
        XCTAssertEqual(try journal.samples(session: session.id).count, 14)
        let observed1 = await replacement.requests.map(\.eye)
        XCTAssertEqual(observed1, [.right, .left])
    }

    func testAnOpenFailureIsClassifiedAndRecorded() async throws {
        let scanner = ScriptedFingerprintScanner(openFault: CaptureFault(.permissionDenied))
        let devices = StationDevices(fingerprint: scanner, iris: ScriptedIrisCamera(),
                                     face: ScriptedWebcam(script: CaptureScript(fallback: .sample(quality: 100))),
                                     signature: ScriptedSignaturePad())
        let session = try EnrollmentSession.start(journal: journal, subject: subject, devices: devices,
                                                  encoder: RawSampleEncoder())
        let summary = try await session.run()
        XCTAssertEqual(summary.missing.count, 10)
        XCTAssertEqual(summary.unavailable[.fingerprint], .permissionDenied)
        XCTAssertEqual(try journal.faults(session: session.id).map(\.domain), ["environment"])
        let observed2 = await scanner.core.openCalls
        XCTAssertEqual(observed2, 1, "a failed device is not retried for every finger")
    }

    func testSubjectExceptionsAreNotCapturedAndAskForAnExceptionPhoto() async throws {
        var policy = EnrollmentPolicy()
        policy.exceptionPhotoRequired = true
        let (devices, scanner) = station()
        let missingThumb = SubjectException(slot: "finger-1", kind: .missing, permanence: .permanent, reason: "amputated")
        let session = try EnrollmentSession.start(journal: journal, subject: subject, policy: policy,
                                                  exceptions: [missingThumb], devices: devices,
                                                  encoder: RawSampleEncoder())
        let summary = try await session.run()
        XCTAssertEqual(summary.state, .complete)
        XCTAssertEqual(summary.excepted, ["finger-1"])
        XCTAssertTrue(summary.stored.contains("exception-photo"))
        XCTAssertEqual(summary.stored.count, 14, "13 biometrics + the exception photo")
        let askedPositions = await scanner.requests.map(\.position)
        XCTAssertFalse(askedPositions.contains(.rightThumb))
        XCTAssertEqual(try journal.exceptions(session: session.id), [missingThumb])
    }

    func testOperatorFaultsCostAnAttemptButNotTheDevice() async throws {
        let (devices, _) = station(fingerprint: CaptureScript(
            [.fault(CaptureFault(.noSubject)), .fault(CaptureFault(.noSubject)), .sample(quality: 70)],
            fallback: .sample(quality: 70)))
        let session = try EnrollmentSession.start(journal: journal, subject: subject, devices: devices,
                                                  encoder: RawSampleEncoder())
        let summary = try await session.run()
        XCTAssertEqual(summary.state, .complete)
        XCTAssertNil(summary.unavailable[.fingerprint])
        let first = try XCTUnwrap(try journal.samples(session: session.id).first { $0.slot == "finger-1" })
        XCTAssertEqual(first.attempts, 3)
        XCTAssertEqual(try journal.faults(session: session.id).map(\.domain), ["operator", "operator"])
    }

    func testResumeCapturesOnlyWhatIsMissing() async throws {
        let (failing, _) = station(fingerprint: CaptureScript(
            [.sample(quality: 90), .sample(quality: 90), .fault(CaptureFault(.stalled))]))
        let first = try EnrollmentSession.start(journal: journal, subject: subject, devices: failing,
                                                encoder: RawSampleEncoder())
        _ = try await first.run()
        await first.close()
        XCTAssertEqual(try EnrollmentSession.incompleteSessions(in: journal).map(\.id), [first.id])

        let (devices, scanner) = station()
        let resumed = try EnrollmentSession.resume(sessionID: first.id, journal: journal, devices: devices,
                                                   encoder: RawSampleEncoder())
        let events = collect(resumed)
        let summary = try await resumed.run()
        await resumed.close()
        XCTAssertEqual(summary.state, .complete)
        let observed3 = await scanner.requests.count
        XCTAssertEqual(observed3, 8, "the two stored fingers are not captured again")
        XCTAssertEqual(try journal.samples(session: first.id).count, 14)
        XCTAssertTrue(try journal.verify().isIntact)
        guard case .started(_, let wasResumed, let missing) = await events.value.first else { return XCTFail("no start") }
        XCTAssertTrue(wasResumed)
        XCTAssertEqual(missing.count, 8)
        XCTAssertThrowsError(try EnrollmentSession.resume(sessionID: first.id, journal: journal, devices: devices,
                                                          encoder: RawSampleEncoder()))
    }

    func testCancellationStopsAtOnceAndLeavesTheSessionResumable() async throws {
        let (devices, _) = station(fingerprint: CaptureScript([.sample(quality: 90)], fallback: .hang))
        let session = try EnrollmentSession.start(journal: journal, subject: subject, devices: devices,
                                                  encoder: RawSampleEncoder())
        let task = Task { try await session.run() }
        // Wait until the hanging second finger is being asked for.
        let deadline = Date().addingTimeInterval(10)
        while try journal.samples(session: session.id).count < 4, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled session reported success")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertEqual(try journal.session(session.id)?.state, .incomplete)
        XCTAssertEqual(try journal.samples(session: session.id).count, 4)
    }

    func testAClockThatWentBackIsRecorded() async throws {
        let clock = AdjustableClock()
        let (devices, _) = station()
        let first = try EnrollmentSession.start(journal: journal, subject: subject, devices: devices,
                                                encoder: RawSampleEncoder(), clock: clock)
        _ = try await first.run()
        clock.shiftWallClock(by: -86_400 * 400)
        let second = try EnrollmentSession.start(journal: journal, subject: subject, devices: devices,
                                                 encoder: RawSampleEncoder(), clock: clock)
        let events = collect(second)
        await second.close()
        let received = await events.value
        XCTAssertTrue(received.contains { if case .clockJump = $0 { true } else { false } })
        XCTAssertEqual(try journal.stationEvents().filter { $0.kind == "clock-reset" }.count, 1)
    }
}
