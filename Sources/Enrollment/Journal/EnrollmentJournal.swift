import BioCapture
import Crypto
import Foundation
import GRDB
import Logging

/// The power-safe enrollment journal: one SQLite database in WAL mode with `synchronous=FULL`.
///
/// Each accepted sample is committed in its own transaction together with its SHA-256 and the
/// session's hash chain, so a power cut loses at most the capture in flight. The file is created
/// with mode 0600 (biometric data is sensitive personal data). Every failure is a `CaptureFault`:
/// disk full and a read-only disk are environment faults, a damaged database is a software fault
/// (`journal-corrupt`); what is already stored is never deleted or rewritten.
public final class EnrollmentJournal: Sendable {
    public let path: String
    private let database: DatabaseQueue
    private let logger: Logger

    /// Opens (creating when missing) the journal at `path` and brings its schema up to date.
    public convenience init(path: String, logger: Logger = Logger(label: "biocapture.journal")) throws {
        try self.init(path: path, logger: logger, maximumPageCount: nil)
    }

    /// `maximumPageCount` caps the database size (tests use it to run out of space for real).
    init(path: String, logger: Logger, maximumPageCount: Int?) throws {
        self.path = path
        self.logger = logger
        try Self.createPrivately(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "biocapture.journal"
        // WAL set here rather than through `journalMode = .wal`: GRDB then lowers synchronous to
        // NORMAL, which can lose the last committed sample on a power cut.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let maximumPageCount {
                try db.execute(sql: "PRAGMA max_page_count = \(maximumPageCount)")
            }
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw Self.classify(error, doing: "open the journal at \(path)")
        }
    }

    /// Creates the file with mode 0600 before SQLite does (SQLite would use the umask, and gives
    /// the -wal and -shm files the main file's mode).
    private static func createPrivately(_ path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            let fault: FaultCode = code == ENOSPC ? .diskFull : code == EROFS ? .readOnlyStorage
                : code == EACCES ? .permissionDenied : .notFound
            throw CaptureFault(
                fault, domain: .environment,
                message: "Cannot create or open the journal file \(path): \(String(cString: strerror(code))).")
        }
        close(descriptor)
    }

    // MARK: Schema

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sessions-samples-faults-exceptions") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    id TEXT PRIMARY KEY NOT NULL,
                    subject TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('incomplete', 'complete', 'cancelled')),
                    plan TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    chain_head TEXT NOT NULL
                );
                CREATE TABLE sample (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL REFERENCES session(id),
                    sequence INTEGER NOT NULL,
                    slot TEXT NOT NULL,
                    modality TEXT NOT NULL,
                    encoding TEXT NOT NULL,
                    data BLOB NOT NULL,
                    sha256 TEXT NOT NULL,
                    chain_hash TEXT NOT NULL,
                    quality INTEGER,
                    attempts INTEGER NOT NULL,
                    forced INTEGER NOT NULL,
                    device TEXT NOT NULL,
                    captured_at REAL NOT NULL,
                    stored_at REAL NOT NULL,
                    UNIQUE (session_id, sequence),
                    UNIQUE (session_id, slot)
                );
                CREATE TABLE fault (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL REFERENCES session(id),
                    slot TEXT,
                    domain TEXT NOT NULL,
                    code TEXT NOT NULL,
                    message TEXT NOT NULL,
                    device TEXT,
                    recorded_at REAL NOT NULL
                );
                CREATE TABLE subject_exception (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL REFERENCES session(id),
                    slot TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    permanence TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    recorded_at REAL NOT NULL,
                    UNIQUE (session_id, slot)
                );
                CREATE TABLE station_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT REFERENCES session(id),
                    kind TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                """)
        }
        return migrator
    }

    // MARK: Writing

    /// Starts a session for a validated subject; returns its transaction id.
    @discardableResult
    public func createSession(subject: NIK, plan: [String], id: String = UUID().uuidString.lowercased(),
                              at time: Date) throws -> String {
        let planText = plan.joined(separator: ",")
        try write("create a session") { db in
            try db.execute(
                sql: """
                    INSERT INTO session (id, subject, state, plan, created_at, updated_at, chain_head)
                    VALUES (?, ?, 'incomplete', ?, ?, ?, ?)
                    """,
                arguments: [id, subject.digits, planText, time.timeIntervalSince1970,
                            time.timeIntervalSince1970, Self.genesisHash(sessionID: id)])
        }
        return id
    }

    /// Stores one accepted sample in its own durable transaction and extends the hash chain.
    @discardableResult
    public func storeSample(_ sample: JournalSample, session: String, at time: Date) throws -> StoredSampleRecord {
        let digest = Self.hex(SHA256.hash(data: sample.data))
        let deviceText = Self.json(sample.device)
        return try write("store the \(sample.slot) sample") { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT chain_head, state FROM session WHERE id = ?", arguments: [session])
            else { throw CaptureFault(.apiMisuse, message: "No session \(session) in the journal.") }
            let state: String = row["state"]
            guard state == "incomplete" else {
                throw CaptureFault(.apiMisuse, message: "Session \(session) is \(state); it takes no more samples.")
            }
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM sample WHERE session_id = ? AND slot = ?)",
                arguments: [session, sample.slot]) == true
            {
                throw CaptureFault(
                    .apiMisuse,
                    message: "Session \(session) already holds a \(sample.slot) sample; a stored sample is never replaced.")
            }
            let previous: String = row["chain_head"]
            let sequence = (try Int.fetchOne(
                db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM sample WHERE session_id = ?",
                arguments: [session]) ?? 0) + 1
            let chain = Self.chainHash(previous: previous, sequence: sequence, slot: sample.slot, sha256: digest,
                                       quality: sample.quality, forced: sample.forced)
            try db.execute(
                sql: """
                    INSERT INTO sample (session_id, sequence, slot, modality, encoding, data, sha256, chain_hash,
                                        quality, attempts, forced, device, captured_at, stored_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [session, sequence, sample.slot, sample.modality.rawValue, sample.encoding, sample.data,
                            digest, chain, sample.quality, sample.attempts, sample.forced, deviceText,
                            sample.capturedAt.timeIntervalSince1970, time.timeIntervalSince1970])
            try db.execute(
                sql: "UPDATE session SET chain_head = ?, updated_at = ? WHERE id = ?",
                arguments: [chain, time.timeIntervalSince1970, session])
            return StoredSampleRecord(sequence: sequence, slot: sample.slot, sha256: digest, chainHash: chain)
        }
    }

    public func recordFault(_ fault: CaptureFault, slot: String?, session: String, at time: Date) throws {
        try write("record a fault") { db in
            try db.execute(
                sql: """
                    INSERT INTO fault (session_id, slot, domain, code, message, device, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [session, slot, fault.domain.rawValue, fault.code.rawValue, fault.message,
                            fault.device.map(Self.json), time.timeIntervalSince1970])
        }
    }

    public func recordException(_ exception: SubjectException, session: String, at time: Date) throws {
        try write("record an exception") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO subject_exception (session_id, slot, kind, permanence, reason, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [session, exception.slot, exception.kind.rawValue, exception.permanence.rawValue,
                            exception.reason, time.timeIntervalSince1970])
        }
    }

    /// Records something about the station (a clock jump, a resume after a power cut).
    public func recordStationEvent(kind: String, detail: String, session: String?, at time: Date) throws {
        try write("record a station event") { db in
            try db.execute(
                sql: "INSERT INTO station_event (session_id, kind, detail, recorded_at) VALUES (?, ?, ?, ?)",
                arguments: [session, kind, detail, time.timeIntervalSince1970])
        }
    }

    public func finish(session: String, state: SessionState = .complete, at time: Date) throws {
        try write("finish the session") { db in
            try db.execute(
                sql: "UPDATE session SET state = ?, updated_at = ? WHERE id = ?",
                arguments: [state.rawValue, time.timeIntervalSince1970, session])
            guard db.changesCount == 1 else {
                throw CaptureFault(.apiMisuse, message: "No session \(session) in the journal.")
            }
        }
    }

    // MARK: Reading

    public func sessions() throws -> [SessionSummary] {
        try read("list sessions") { db in
            try Row.fetchAll(db, sql: """
                SELECT s.id, s.subject, s.state, s.created_at, s.updated_at,
                       (SELECT COUNT(*) FROM sample WHERE session_id = s.id) AS samples,
                       (SELECT COUNT(*) FROM subject_exception WHERE session_id = s.id) AS exceptions,
                       (SELECT COUNT(*) FROM fault WHERE session_id = s.id) AS faults
                FROM session s ORDER BY s.created_at, s.id
                """).map { row in
                SessionSummary(
                    id: row["id"], subject: row["subject"],
                    state: SessionState(rawValue: row["state"]) ?? .incomplete,
                    samples: row["samples"], exceptions: row["exceptions"], faults: row["faults"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
            }
        }
    }

    public func session(_ id: String) throws -> SessionSummary? {
        try sessions().first { $0.id == id }
    }

    /// The plan a session was started with.
    public func plan(session: String) throws -> [String] {
        try read("read the plan") { db in
            let text = try String.fetchOne(db, sql: "SELECT plan FROM session WHERE id = ?", arguments: [session])
            return text.map { $0.split(separator: ",").map(String.init) } ?? []
        }
    }

    public func samples(session: String) throws -> [JournalSampleRecord] {
        try read("read samples") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM sample WHERE session_id = ? ORDER BY sequence", arguments: [session]
            ).map { row in
                JournalSampleRecord(
                    sequence: row["sequence"], slot: row["slot"],
                    modality: Modality(rawValue: row["modality"]) ?? .fingerprint,
                    encoding: row["encoding"], data: row["data"], sha256: row["sha256"],
                    chainHash: row["chain_hash"], quality: row["quality"], attempts: row["attempts"],
                    forced: row["forced"], deviceJSON: row["device"],
                    capturedAt: Date(timeIntervalSince1970: row["captured_at"]))
            }
        }
    }

    public func faults(session: String) throws -> [JournalFaultRecord] {
        try read("read faults") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM fault WHERE session_id = ? ORDER BY id", arguments: [session]
            ).map { row in
                JournalFaultRecord(slot: row["slot"], domain: row["domain"], code: row["code"],
                                   message: row["message"], deviceJSON: row["device"])
            }
        }
    }

    public func exceptions(session: String) throws -> [SubjectException] {
        try read("read exceptions") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM subject_exception WHERE session_id = ? ORDER BY id", arguments: [session]
            ).compactMap { row in
                guard let kind = SubjectException.Kind(rawValue: row["kind"]),
                      let permanence = SubjectException.Permanence(rawValue: row["permanence"])
                else { return nil }
                return SubjectException(slot: row["slot"], kind: kind, permanence: permanence, reason: row["reason"])
            }
        }
    }

    /// The latest wall-clock time the journal has recorded anything at (for clock-jump detection).
    public func latestRecordedTime() throws -> Date? {
        try read("read the latest time") { db in
            let value = try Double.fetchOne(db, sql: """
                SELECT MAX(t) FROM (
                    SELECT MAX(updated_at) AS t FROM session
                    UNION ALL SELECT MAX(stored_at) FROM sample
                    UNION ALL SELECT MAX(recorded_at) FROM station_event)
                """)
            return value.map(Date.init(timeIntervalSince1970:))
        }
    }

    public func stationEvents() throws -> [(kind: String, detail: String, session: String?)] {
        try read("read station events") { db in
            try Row.fetchAll(db, sql: "SELECT kind, detail, session_id FROM station_event ORDER BY id").map {
                (kind: $0["kind"], detail: $0["detail"], session: $0["session_id"])
            }
        }
    }

    /// The durability settings in force on the journal's connection.
    public func durabilitySettings() throws -> (journalMode: String, synchronous: Int) {
        try read("read the settings") { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            return (mode, synchronous)
        }
    }

    // MARK: Verification

    /// Checks SQLite's integrity, every sample's SHA-256 and each session's hash chain.
    public func verify() throws -> JournalVerification {
        var problems: [String] = []
        let integrity: [String]
        do {
            integrity = try database.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            throw Self.classify(error, doing: "check the journal's integrity")
        }
        if integrity != ["ok"] {
            problems.append(contentsOf: integrity.map { "SQLite integrity: \($0)" })
        }
        var sampleCount = 0
        do {
            try database.read { db in
                let sessions = try Row.fetchAll(db, sql: "SELECT id, chain_head FROM session ORDER BY id")
                for session in sessions {
                    let id: String = session["id"]
                    var previous = Self.genesisHash(sessionID: id)
                    let rows = try Row.fetchAll(
                        db, sql: "SELECT * FROM sample WHERE session_id = ? ORDER BY sequence", arguments: [id])
                    for (index, row) in rows.enumerated() {
                        sampleCount += 1
                        let sequence: Int = row["sequence"]
                        let slot: String = row["slot"]
                        let data: Data = row["data"] ?? Data()
                        let stored: String = row["sha256"]
                        let actual = Self.hex(SHA256.hash(data: data))
                        if sequence != index + 1 {
                            problems.append("session \(id): sample sequence \(sequence) where \(index + 1) was expected (a sample is missing)")
                        }
                        if actual != stored {
                            problems.append("session \(id): sample \(sequence) (\(slot)) does not match its SHA-256")
                        }
                        let expected = Self.chainHash(
                            previous: previous, sequence: sequence, slot: slot, sha256: stored,
                            quality: row["quality"], forced: row["forced"])
                        let chain: String = row["chain_hash"]
                        if chain != expected {
                            problems.append("session \(id): hash chain broken at sample \(sequence) (\(slot))")
                        }
                        previous = chain
                    }
                    let head: String = session["chain_head"]
                    if head != previous {
                        problems.append("session \(id): chain head does not match its last sample")
                    }
                }
            }
        } catch {
            problems.append("reading samples failed: \(Self.classify(error, doing: "verify").message)")
        }
        return JournalVerification(problems: problems, samplesChecked: sampleCount)
    }

    // MARK: Helpers

    private func write<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let fault as CaptureFault {
            throw fault
        } catch {
            let fault = Self.classify(error, doing: what)
            logger.error("journal write failed", metadata: ["action": "\(what)", "fault": "\(fault)"])
            throw fault
        }
    }

    private func read<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let fault as CaptureFault {
            throw fault
        } catch {
            throw Self.classify(error, doing: what)
        }
    }

    /// SQLite result codes → the fault model.
    static func classify(_ error: any Error, doing what: String) -> CaptureFault {
        if let fault = error as? CaptureFault { return fault }
        guard let databaseError = error as? DatabaseError else {
            return CaptureFault(.internalError, message: "Could not \(what).", underlying: UnclassifiedError(error))
        }
        let detail = databaseError.message ?? "\(databaseError.resultCode)"
        switch databaseError.resultCode.primaryResultCode {
        case .SQLITE_FULL:
            return CaptureFault(.diskFull, message: "Could not \(what): the disk is full (\(detail)).",
                                underlying: UnclassifiedError(error))
        case .SQLITE_READONLY:
            return CaptureFault(.readOnlyStorage, message: "Could not \(what): the journal is read-only (\(detail)).",
                                underlying: UnclassifiedError(error))
        case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_FORMAT:
            return CaptureFault(.journalCorrupt, message: "Could not \(what): the journal is damaged (\(detail)).",
                                underlying: UnclassifiedError(error))
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return CaptureFault(.permissionDenied, domain: .environment,
                                message: "Could not \(what): the journal cannot be opened (\(detail)).",
                                remedy: "Check the journal path and that this user may write to it.",
                                underlying: UnclassifiedError(error))
        case .SQLITE_IOERR:
            return CaptureFault(.ioError, domain: .environment,
                                message: "Could not \(what): disk input/output error (\(detail)).",
                                remedy: "Check the disk; nothing stored has been lost.",
                                underlying: UnclassifiedError(error))
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return CaptureFault(.busy, message: "Could not \(what): another program holds the journal (\(detail)).",
                                remedy: "Close the other BioCapture program using this journal, then try again.",
                                underlying: UnclassifiedError(error))
        default:
            return CaptureFault(.internalError, message: "Could not \(what) (\(detail)).",
                                underlying: UnclassifiedError(error))
        }
    }

    static func genesisHash(sessionID: String) -> String {
        hex(SHA256.hash(data: Data("biocapture-journal-v1|\(sessionID)".utf8)))
    }

    static func chainHash(previous: String, sequence: Int, slot: String, sha256: String, quality: Int?,
                          forced: Bool) -> String {
        let link = "\(previous)|\(sequence)|\(slot)|\(sha256)|\(quality.map(String.init) ?? "-")|\(forced ? 1 : 0)"
        return hex(SHA256.hash(data: Data(link.utf8)))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
