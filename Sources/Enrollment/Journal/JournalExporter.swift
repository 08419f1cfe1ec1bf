import BioCapture
import BioSignature
import Foundation
import Imaging

/// Writes a finished session to a folder: face JPEG, fingerprint and iris PNG, signature PNG and
/// time series, and `manifest.json` with qualities, hashes, exceptions, faults and device
/// identities. The stored bytes are written as they are (the hashes in the manifest are the
/// journal's); only the signature picture is rendered from the time series.
public enum JournalExporter {
    public struct Manifest: Encodable, Sendable {
        public struct Sample: Encodable, Sendable {
            public var slot: String
            public var modality: String
            public var file: String
            public var encoding: String
            public var sha256: String
            public var chainHash: String
            public var quality: Int?
            public var attempts: Int
            public var forced: Bool
            public var device: DeviceIdentity?
            public var capturedAt: Date
            /// Files derived from the sample (the signature picture).
            public var derivedFiles: [String]
        }

        public var format = "biocapture-export-v1"
        public var tool = "biocapture \(BioCaptureVersion.current)"
        public var session: String
        public var subject: String
        public var state: String
        public var createdAt: Date
        public var finishedAt: Date
        public var samples: [Sample]
        public var exceptions: [SubjectException]
        public var faults: [JournalFaultRecord]
        /// Hash of the last link of the session's chain: one value that covers every sample.
        public var chainHead: String?
    }

    /// Exports `session`; refuses an incomplete one unless `allowIncomplete`. The folder is created
    /// (it must not exist, or be empty) and files are written privately (0600).
    @discardableResult
    public static func export(journal: EnrollmentJournal, session id: String, to directory: String,
                              allowIncomplete: Bool = false) throws -> Manifest {
        guard let summary = try journal.session(id) else {
            throw CaptureFault(.notFound, domain: .software, message: "There is no session \(id) in \(journal.path).",
                               remedy: "List the sessions with `biocapture journal list \(journal.path)`.")
        }
        guard summary.state == .complete || allowIncomplete else {
            throw CaptureFault(.apiMisuse, message: "Session \(id) is \(summary.state.rawValue): only finished sessions are exported.",
                               remedy: "Resume it with `biocapture enroll --journal \(journal.path) --resume \(id)`, or export with --allow-incomplete.")
        }
        let fileManager = FileManager.default
        if let existing = try? fileManager.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw CaptureFault(.apiMisuse, domain: .environment, message: "The export folder \(directory) is not empty.",
                               remedy: "Choose a new or empty folder; an export never overwrites files.")
        }
        do {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
        } catch {
            throw CaptureFault(.permissionDenied, domain: .environment,
                               message: "Cannot create the export folder \(directory): \(error.localizedDescription).")
        }

        let decoder = JSONDecoder()
        var samples: [Manifest.Sample] = []
        for record in try journal.samples(session: id) {
            let extensionName = record.encoding == "jpeg" ? "jpg" : record.encoding
            let file = "\(record.slot).\(extensionName)"
            try write(record.data, to: directory, name: file)
            var derived: [String] = []
            if record.modality == .signature, record.encoding == "json" {
                let picture = "\(record.slot).png"
                try write(try renderSignature(record.data), to: directory, name: picture)
                derived.append(picture)
            }
            samples.append(Manifest.Sample(
                slot: record.slot, modality: record.modality.rawValue, file: file, encoding: record.encoding,
                sha256: record.sha256, chainHash: record.chainHash, quality: record.quality, attempts: record.attempts,
                forced: record.forced, device: try? decoder.decode(DeviceIdentity.self, from: Data(record.deviceJSON.utf8)),
                capturedAt: record.capturedAt, derivedFiles: derived))
        }
        let manifest = Manifest(
            session: id, subject: summary.subject, state: summary.state.rawValue, createdAt: summary.createdAt,
            finishedAt: summary.updatedAt, samples: samples, exceptions: try journal.exceptions(session: id),
            faults: try journal.faults(session: id), chainHead: samples.last?.chainHash)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try write(try encoder.encode(manifest), to: directory, name: "manifest.json")
        return manifest
    }

    private static func renderSignature(_ json: Data) throws -> Data {
        do {
            let series = try SignatureTimeSeries.decode(json: json)
            let image = try SignatureRenderer.render(series.points, areaWidth: series.areaWidth, areaHeight: series.areaHeight,
                                                     options: SignatureRenderOptions(resolution: .dotsPerInch(300)))
            return Data(try PNG.encode(image))
        } catch let error as SignatureDataError {
            throw error.fault
        } catch let error as ImageCodecError {
            throw error.captureFault(domain: .software)
        } catch {
            throw CaptureFault(.decodeFailed, message: "The stored signature could not be rendered: \(error).")
        }
    }

    private static func write(_ data: Data, to directory: String, name: String) throws {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CaptureFault(.diskFull, domain: .environment, message: "Cannot write \(path) (disk full or not writable).",
                               remedy: "Free space or choose another folder; the journal still holds every sample.")
        }
    }
}
