import BioCapture
import Foundation

public enum SessionState: String, Sendable, Hashable, Codable {
    case incomplete, complete, cancelled
}

/// A sample on its way into the journal: encoded bytes plus what the journal keeps beside them.
public struct JournalSample: Sendable {
    /// The plan slot it fills: "face", "iris-left", "finger-2", "signature"…
    public var slot: String
    public var modality: Modality
    /// "png", "jpeg", "json".
    public var encoding: String
    public var data: Data
    public var quality: Int?
    public var attempts: Int
    /// Captured after the last attempt although the quality gate did not pass.
    public var forced: Bool
    public var device: DeviceIdentity
    public var capturedAt: Date

    public init(slot: String, modality: Modality, encoding: String, data: Data, quality: Int?, attempts: Int,
                forced: Bool, device: DeviceIdentity, capturedAt: Date) {
        self.slot = slot
        self.modality = modality
        self.encoding = encoding
        self.data = data
        self.quality = quality
        self.attempts = attempts
        self.forced = forced
        self.device = device
        self.capturedAt = capturedAt
    }
}

public struct StoredSampleRecord: Sendable, Hashable {
    public var sequence: Int
    public var slot: String
    public var sha256: String
    public var chainHash: String
}

public struct JournalSampleRecord: Sendable {
    public var sequence: Int
    public var slot: String
    public var modality: Modality
    public var encoding: String
    public var data: Data
    public var sha256: String
    public var chainHash: String
    public var quality: Int?
    public var attempts: Int
    public var forced: Bool
    public var deviceJSON: String
    public var capturedAt: Date
}

public struct JournalFaultRecord: Sendable, Hashable, Codable {
    public var slot: String?
    public var domain: String
    public var code: String
    public var message: String
    public var deviceJSON: String?
}

/// A subject who cannot give a biometric (missing or injured finger, eye), kept apart from a
/// device that cannot capture it.
public struct SubjectException: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case missing, injured, unusable }
    public enum Permanence: String, Sendable, Hashable, Codable { case temporary, permanent }

    public var slot: String
    public var kind: Kind
    public var permanence: Permanence
    public var reason: String

    public init(slot: String, kind: Kind, permanence: Permanence, reason: String) {
        self.slot = slot
        self.kind = kind
        self.permanence = permanence
        self.reason = reason
    }
}

public struct SessionSummary: Sendable, Hashable, Codable {
    public var id: String
    public var subject: String
    public var state: SessionState
    public var samples: Int
    public var exceptions: Int
    public var faults: Int
    public var createdAt: Date
    public var updatedAt: Date
}

public struct JournalVerification: Sendable, Hashable {
    public var problems: [String]
    public var samplesChecked: Int
    public var isIntact: Bool { problems.isEmpty }
}
