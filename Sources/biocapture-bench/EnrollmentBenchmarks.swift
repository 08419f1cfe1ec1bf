import BioCapture
import Enrollment
import Foundation
import Logging

/// Enrollment figures:
/// - durable sample commits per second through the journal, next to the same inserts (same
///   blob size, WAL, synchronous=FULL, one transaction each) through the `sqlite3` command-line tool;
/// - CPU time of one whole simulated enrollment with zero latency;
/// - resident memory over many enrollments (`BIOCAPTURE_BENCH_ENROLLMENTS`, default 1000): it
///   must not grow.
let enrollmentBenchmarks: [Benchmark] = [
    Benchmark(name: "enrollment.journal.commits") { try journalCommits() },
    Benchmark(name: "enrollment.simulated.cpu") { try await enrollmentCPU() },
    Benchmark(name: "enrollment.memory") { try await enrollmentMemory() },
]

private let sampleBytes = 140_000  // about one fingerprint PNG
private let commitCount = 200

private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("biocapture-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func journalCommits() throws -> [BenchmarkFigure] {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let journal = try EnrollmentJournal(path: directory.appendingPathComponent("bench.sqlite").path,
                                        logger: Logger(label: "bench"))
    let subject = try NIK(validating: "3174051708850123")
    let session = try journal.createSession(subject: subject, plan: [], at: Date())
    var random = SeededRandom(seed: 1)
    let payload = Data((0..<sampleBytes).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    let device = DeviceIdentity(id: "bench", driverID: "bench", modality: .fingerprint, vendor: "bench",
                                model: "bench", connectionPath: "bench", isSimulated: true)
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<commitCount {
        try journal.storeSample(JournalSample(
            slot: "s\(index)", modality: .fingerprint, encoding: "png", data: payload, quality: 50, attempts: 1,
            forced: false, device: device, capturedAt: Date()), session: session, at: Date())
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var figures = [BenchmarkFigure(name: "journal.commit.durable", unit: "commits/s", value: Double(commitCount) / seconds,
                                   runs: commitCount)]

    // The same work through the sqlite3 tool: WAL, synchronous=FULL, one transaction per insert.
    guard let sqlite3 = ["/usr/bin/sqlite3", "/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        FileHandle.standardError.write(Data("biocapture-bench: sqlite3 not installed; raw comparison skipped\n".utf8))
        return figures
    }
    var script = "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nCREATE TABLE sample (id INTEGER PRIMARY KEY, slot TEXT, data BLOB, sha256 TEXT);\n"
    for index in 0..<commitCount {
        script += "INSERT INTO sample (slot, data, sha256) VALUES ('s\(index)', randomblob(\(sampleBytes)), hex(randomblob(32)));\n"
    }
    let scriptURL = directory.appendingPathComponent("raw.sql")
    try script.write(to: scriptURL, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sqlite3)
    process.arguments = [directory.appendingPathComponent("raw.sqlite").path]
    process.standardInput = try FileHandle(forReadingFrom: scriptURL)
    process.standardOutput = FileHandle.nullDevice
    let rawStart = DispatchTime.now().uptimeNanoseconds
    try process.run()
    process.waitUntilExit()
    let rawSeconds = Double(DispatchTime.now().uptimeNanoseconds - rawStart) / 1e9
    figures.append(BenchmarkFigure(name: "sqlite3.commit.durable", unit: "commits/s", value: Double(commitCount) / rawSeconds,
                                   runs: commitCount))
    return figures
}

/// One zero-latency enrollment on the simulated station.
private func enroll(journal: EnrollmentJournal, seed: UInt64) async throws -> EnrollmentSummary {
    let logger = Logger(label: "bench")
    let station = Station(registry: StationDrivers.registry(), logger: logger, useUSB: false)
    let template = DriverContext(
        identity: DeviceIdentity(id: "", driverID: "", modality: .fingerprint, vendor: "", model: "",
                                 connectionPath: "", isSimulated: true),
        logger: logger, seed: seed, settings: ["latency-ms": "0", "frame-interval-ms": "0"])
    let built = await station.makeDevices(await station.inventory(includeSimulated: true), template: template)
    func first<T>(_ type: T.Type) -> T? { built.devices.lazy.compactMap { $0.device as? T }.first }
    let devices = StationDevices(fingerprint: first((any FingerprintScanner).self), iris: first((any IrisCamera).self),
                                 face: first((any Webcam).self), signature: first((any SignaturePad).self))
    let session = try EnrollmentSession.start(journal: journal, subject: try NIK(validating: "3174051708850123"),
                                              devices: devices, encoder: StandardSampleEncoder(), logger: logger)
    let summary = try await session.run()
    await session.close()
    await station.close()
    return summary
}

private func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

private func enrollmentCPU() async throws -> [BenchmarkFigure] {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let journal = try EnrollmentJournal(path: directory.appendingPathComponent("cpu.sqlite").path, logger: Logger(label: "bench"))
    _ = try await enroll(journal: journal, seed: 99)  // warm-up
    var samples: [Double] = []
    for run in 0..<3 {
        let before = cpuSeconds()
        let summary = try await enroll(journal: journal, seed: UInt64(run))
        samples.append(cpuSeconds() - before)
        guard summary.state == .complete else { throw CaptureFault(.internalError, message: "bench enrollment incomplete") }
    }
    samples.sort()
    return [BenchmarkFigure(name: "enrollment.simulated.cpu", unit: "s", value: samples[1], runs: samples.count)]
}

/// Resident and peak memory from /proc/self/status, in MiB.
private func memory() -> (resident: Double, peak: Double) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func value(_ key: String) -> Double {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
        return (Double(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "0") ?? 0) / 1024
    }
    return (value("VmRSS:"), value("VmHWM:"))
}

private func enrollmentMemory() async throws -> [BenchmarkFigure] {
    let count = ProcessInfo.processInfo.environment["BIOCAPTURE_BENCH_ENROLLMENTS"].flatMap(Int.init) ?? 1000
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var journal = try EnrollmentJournal(path: directory.appendingPathComponent("0.sqlite").path, logger: Logger(label: "bench"))
    var afterFirstTenth = 0.0
    for index in 0..<count {
        // A new journal every 50 sessions keeps the disk use bounded; memory is what is measured.
        if index > 0, index % 50 == 0 {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(index - 50).sqlite"))
            journal = try EnrollmentJournal(path: directory.appendingPathComponent("\(index).sqlite").path,
                                            logger: Logger(label: "bench"))
        }
        _ = try await enroll(journal: journal, seed: UInt64(index))
        if index + 1 == max(1, count / 10) { afterFirstTenth = memory().resident }
    }
    let end = memory()
    return [
        BenchmarkFigure(name: "enrollment.memory.resident.after-10pct", unit: "MiB", value: afterFirstTenth, runs: max(1, count / 10)),
        BenchmarkFigure(name: "enrollment.memory.resident.end", unit: "MiB", value: end.resident, runs: count),
        BenchmarkFigure(name: "enrollment.memory.growth", unit: "MiB", value: end.resident - afterFirstTenth, runs: count),
        BenchmarkFigure(name: "enrollment.memory.peak", unit: "MiB", value: end.peak, runs: count),
    ]
}
