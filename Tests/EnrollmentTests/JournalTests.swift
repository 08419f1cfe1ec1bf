import BioCapture
@testable import Enrollment
import Foundation
import GRDB
import XCTest

final class JournalTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var journalPath: String { directory.appendingPathComponent("journal.sqlite").path }

    private let device = DeviceIdentity(
        id: "sim-fingerprint", driverID: "sim-fingerprint", modality: .fingerprint, vendor: "BioCapture",
        model: "Simulated scanner", connectionPath: "simulated", isSimulated: true)

    private func sample(_ slot: String, bytes: Int = 2_000, seed: UInt8 = 1) -> JournalSample {
        JournalSample(slot: slot, modality: .fingerprint, encoding: "png",
                      data: Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* Int(seed) &+ 7) }),
                      quality: 55, attempts: 1, forced: false, device: device, capturedAt: Date())
    }

    private let subject: NIK = {
        do { return try NIK(validating: "5371014505900001") } catch { preconditionFailure("fixture NIK") }
    }()

    func testCreatesAPrivateWALJournalWithFullSync() throws {
        let journal = try EnrollmentJournal(path: journalPath)
        let attributes = try FileManager.default.attributesOfItem(atPath: journalPath)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let settings = try journal.durabilitySettings()
        XCTAssertEqual(settings.journalMode, "wal")
        XCTAssertEqual(settings.synchronous, 2, "synchronous=FULL")
    }

    func testStoresListsAndVerifiesSessions() throws {
        let journal = try EnrollmentJournal(path: journalPath)
        let session = try journal.createSession(subject: subject, plan: ["finger-1", "finger-2", "finger-3"], at: Date())
        let first = try journal.storeSample(sample("finger-1"), session: session, at: Date())
        let second = try journal.storeSample(sample("finger-2", seed: 3), session: session, at: Date())
        XCTAssertEqual(first.sequence, 1)
        XCTAssertEqual(second.sequence, 2)
        XCTAssertNotEqual(first.chainHash, second.chainHash)
        try journal.recordException(SubjectException(slot: "finger-3", kind: .missing, permanence: .permanent,
                                                     reason: "amputated"), session: session, at: Date())
        try journal.recordFault(CaptureFault(.disconnected, device: device), slot: "finger-3", session: session,
                                at: Date())

        var summary = try XCTUnwrap(try journal.session(session))
        XCTAssertEqual(summary.state, .incomplete)
        XCTAssertEqual(summary.samples, 2)
        XCTAssertEqual(summary.exceptions, 1)
        XCTAssertEqual(summary.faults, 1)
        XCTAssertEqual(try journal.plan(session: session), ["finger-1", "finger-2", "finger-3"])

        try journal.finish(session: session, at: Date())
        summary = try XCTUnwrap(try journal.session(session))
        XCTAssertEqual(summary.state, .complete)
        XCTAssertThrowsError(try journal.storeSample(sample("finger-3"), session: session, at: Date()))

        let verification = try journal.verify()
        XCTAssertTrue(verification.isIntact, "\(verification.problems)")
        XCTAssertEqual(verification.samplesChecked, 2)

        // Reopening keeps everything (migrations are idempotent).
        let reopened = try EnrollmentJournal(path: journalPath)
        XCTAssertEqual(try reopened.samples(session: session).map(\.slot), ["finger-1", "finger-2"])
    }

    func testASlotIsStoredOnlyOnce() throws {
        let journal = try EnrollmentJournal(path: journalPath)
        let session = try journal.createSession(subject: subject, plan: ["face"], at: Date())
        try journal.storeSample(sample("face"), session: session, at: Date())
        XCTAssertThrowsError(try journal.storeSample(sample("face"), session: session, at: Date())) { error in
            XCTAssertEqual((error as? CaptureFault)?.code, .apiMisuse)
            XCTAssertTrue("\(error)".contains("never replaced"), "\(error)")
        }
        XCTAssertEqual(try journal.samples(session: session).count, 1)
    }

    func testVerifyDetectsTamperedDataAndBrokenChains() throws {
        let journal = try EnrollmentJournal(path: journalPath)
        let session = try journal.createSession(subject: subject, plan: ["a", "b", "c"], at: Date())
        for slot in ["a", "b", "c"] { try journal.storeSample(sample(slot), session: session, at: Date()) }
        XCTAssertTrue(try journal.verify().isIntact)

        let raw = try DatabaseQueue(path: journalPath)
        try raw.write { db in
            try db.execute(sql: "UPDATE sample SET data = ? WHERE slot = 'b'", arguments: [Data([1, 2, 3])])
        }
        var verification = try journal.verify()
        XCTAssertFalse(verification.isIntact)
        XCTAssertTrue(verification.problems.contains { $0.contains("does not match its SHA-256") }, "\(verification.problems)")

        try raw.write { db in try db.execute(sql: "DELETE FROM sample WHERE slot = 'b'") }
        verification = try journal.verify()
        XCTAssertTrue(verification.problems.contains { $0.contains("hash chain broken") }, "\(verification.problems)")
        XCTAssertTrue(verification.problems.contains { $0.contains("a sample is missing") }, "\(verification.problems)")
    }

    func testADamagedFileIsAClassifiedSoftwareFault() throws {
        do {
            let journal = try EnrollmentJournal(path: journalPath)
            let session = try journal.createSession(subject: subject, plan: ["a"], at: Date())
            try journal.storeSample(sample("a", bytes: 50_000), session: session, at: Date())
        }
        // Checkpointing happened at close; scribble over the middle of the file.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: journalPath))
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 200))
        try handle.close()
        do {
            let journal = try EnrollmentJournal(path: journalPath)
            let verification = try journal.verify()
            XCTAssertFalse(verification.isIntact)
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .journalCorrupt, "\(fault)")
            XCTAssertEqual(fault.domain, .software)
        }
    }

    func testRunningOutOfSpaceKeepsWhatWasStored() throws {
        let journal = try EnrollmentJournal(path: journalPath, logger: .init(label: "test"), maximumPageCount: 40)
        let session = try journal.createSession(subject: subject, plan: [], at: Date())
        var stored = 0
        var fault: CaptureFault?
        for index in 0..<100 {
            do {
                try journal.storeSample(sample("finger-\(index)", bytes: 20_000), session: session, at: Date())
                stored += 1
            } catch let error as CaptureFault {
                fault = error
                break
            }
        }
        XCTAssertEqual(fault?.code, .diskFull)
        XCTAssertEqual(fault?.domain, .environment)
        XCTAssertGreaterThan(stored, 0)
        XCTAssertEqual(try journal.samples(session: session).count, stored)
        XCTAssertTrue(try journal.verify().isIntact)
    }

    func testSQLiteErrorsAreClassified() {
        let cases: [(ResultCode, FaultCode, FaultDomain)] = [
            (.SQLITE_FULL, .diskFull, .environment),
            (.SQLITE_READONLY, .readOnlyStorage, .environment),
            (.SQLITE_CORRUPT, .journalCorrupt, .software),
            (.SQLITE_NOTADB, .journalCorrupt, .software),
            (.SQLITE_CANTOPEN, .permissionDenied, .environment),
            (.SQLITE_BUSY, .busy, .environment),
            (.SQLITE_MISUSE, .internalError, .software),
        ]
        for (code, expected, domain) in cases {
            let fault = EnrollmentJournal.classify(DatabaseError(resultCode: code), doing: "store a sample")
            XCTAssertEqual(fault.code, expected, "\(code)")
            XCTAssertEqual(fault.domain, domain, "\(code)")
        }
    }

    func testAnUnwritablePathIsAnEnvironmentFault() {
        XCTAssertThrowsError(try EnrollmentJournal(path: "/proc/biocapture-no-such-dir/journal.sqlite")) { error in
            XCTAssertEqual((error as? CaptureFault)?.domain, .environment, "\(error)")
        }
    }
}
