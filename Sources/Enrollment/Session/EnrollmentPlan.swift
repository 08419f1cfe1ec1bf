import BioCapture

/// One thing to capture: a plan slot. Its `key` names the slot in the journal and the export.
public enum CaptureSlot: Sendable, Hashable, Codable, CustomStringConvertible {
    case face
    /// A second portrait kept when a subject exception is recorded (policy).
    case exceptionPhoto
    case iris(EyeLabel)
    case finger(FingerPosition)
    case signature

    public var modality: Modality {
        switch self {
        case .face, .exceptionPhoto: .face
        case .iris: .iris
        case .finger: .fingerprint
        case .signature: .signature
        }
    }

    /// "face", "exception-photo", "iris-right", "finger-2", "signature".
    public var key: String {
        switch self {
        case .face: "face"
        case .exceptionPhoto: "exception-photo"
        case .iris(let eye): "iris-\(eye == .left ? "left" : eye == .right ? "right" : "unknown")"
        case .finger(let position): "finger-\(position.rawValue)"
        case .signature: "signature"
        }
    }

    public var description: String { key }

    public init?(key: String) {
        switch key {
        case "face": self = .face
        case "exception-photo": self = .exceptionPhoto
        case "iris-left": self = .iris(.left)
        case "iris-right": self = .iris(.right)
        case "signature": self = .signature
        default:
            guard key.hasPrefix("finger-"), let number = Int(key.dropFirst("finger-".count)),
                  let position = FingerPosition(rawValue: number), position != .unknown
            else { return nil }
            self = .finger(position)
        }
    }

    /// What to ask of the subject, in both languages.
    public var instruction: LocalizedTextCodable {
        switch self {
        case .face:
            return LocalizedTextCodable(en: "Look straight at the camera with a neutral face.",
                                        id: "Lihat lurus ke kamera dengan wajah netral.")
        case .exceptionPhoto:
            return LocalizedTextCodable(en: "Photograph the missing or injured finger or eye for the record.",
                                        id: "Foto jari atau mata yang hilang/terluka untuk catatan.")
        case .iris(let eye):
            let english = eye == .left ? "left" : "right"
            let indonesian = eye == .left ? "kiri" : "kanan"
            return LocalizedTextCodable(en: "Look into the iris camera; capturing the \(english) eye. Keep your eyes wide open.",
                                        id: "Lihat ke kamera iris; merekam mata \(indonesian). Buka mata lebar-lebar.")
        case .finger(let position):
            return LocalizedTextCodable(en: "Place the \(position.name) flat on the scanner.",
                                        id: "Letakkan \(position.indonesianName) rata di atas pemindai.")
        case .signature:
            return LocalizedTextCodable(en: "Sign inside the box on the signature pad.",
                                        id: "Tanda tangan di dalam kotak pada alat tanda tangan.")
        }
    }
}

extension FingerPosition {
    /// The finger's name in Bahasa Indonesia.
    public var indonesianName: String {
        switch self {
        case .unknown: "jari"
        case .rightThumb: "ibu jari kanan"
        case .rightIndex: "jari telunjuk kanan"
        case .rightMiddle: "jari tengah kanan"
        case .rightRing: "jari manis kanan"
        case .rightLittle: "jari kelingking kanan"
        case .leftThumb: "ibu jari kiri"
        case .leftIndex: "jari telunjuk kiri"
        case .leftMiddle: "jari tengah kiri"
        case .leftRing: "jari manis kiri"
        case .leftLittle: "jari kelingking kiri"
        }
    }
}

/// The order of capture for one subject.
public struct EnrollmentPlan: Sendable, Hashable {
    public var slots: [CaptureSlot]

    public init(slots: [CaptureSlot]) { self.slots = slots }

    /// The e-KTP order: face → both irises → ten fingers → signature (14 samples).
    /// Single-finger scanners take one finger at a time in `fingerOrder`.
    public static func standard(
        fingerOrder: [FingerPosition] = [
            .rightThumb, .rightIndex, .rightMiddle, .rightRing, .rightLittle,
            .leftThumb, .leftIndex, .leftMiddle, .leftRing, .leftLittle,
        ]
    ) -> EnrollmentPlan {
        EnrollmentPlan(slots: [.face, .iris(.right), .iris(.left)] + fingerOrder.map(CaptureSlot.finger) + [.signature])
    }
}

/// How hard to try for one modality.
public struct ModalityPolicy: Sendable, Hashable {
    /// Minimum quality 0–100 for a sample to be accepted at once.
    public var qualityThreshold: Int
    /// Attempts per slot, including retries the subject caused.
    public var attempts: Int
    /// How long one attempt may wait for the subject.
    public var deadline: Duration
    /// After the last attempt, keep the best sample even below the threshold, flagged as forced.
    public var forceCaptureAfterLastAttempt: Bool

    public init(qualityThreshold: Int, attempts: Int = 3, deadline: Duration = .seconds(20),
                forceCaptureAfterLastAttempt: Bool = true) {
        self.qualityThreshold = qualityThreshold
        self.attempts = max(1, attempts)
        self.deadline = deadline
        self.forceCaptureAfterLastAttempt = forceCaptureAfterLastAttempt
    }
}

/// Policy for a whole enrollment.
public struct EnrollmentPolicy: Sendable, Hashable {
    public var fingerprint = ModalityPolicy(qualityThreshold: 40)
    public var iris = ModalityPolicy(qualityThreshold: 60)
    /// Face samples carry 100 when every portrait check passed.
    public var face = ModalityPolicy(qualityThreshold: 100)
    public var signature = ModalityPolicy(qualityThreshold: 50, deadline: .seconds(60))
    /// Capture an exception photo when the subject has a recorded exception.
    public var exceptionPhotoRequired = false

    public init() {}

    public func policy(for modality: Modality) -> ModalityPolicy {
        switch modality {
        case .fingerprint: fingerprint
        case .iris: iris
        case .face: face
        case .signature: signature
        }
    }
}

/// The devices a session captures with; any may be absent.
public struct StationDevices: Sendable {
    public var fingerprint: (any FingerprintScanner)?
    public var iris: (any IrisCamera)?
    public var face: (any Webcam)?
    public var signature: (any SignaturePad)?

    public init(fingerprint: (any FingerprintScanner)? = nil, iris: (any IrisCamera)? = nil,
                face: (any Webcam)? = nil, signature: (any SignaturePad)? = nil) {
        self.fingerprint = fingerprint
        self.iris = iris
        self.face = face
        self.signature = signature
    }

    func device(for modality: Modality) -> (any CaptureDevice)? {
        switch modality {
        case .fingerprint: fingerprint
        case .iris: iris
        case .face: face
        case .signature: signature
        }
    }
}
