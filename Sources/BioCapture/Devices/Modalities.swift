import Foundation

/// Finger positions as ISO/IEC 19794-4 and ANSI/NIST-ITL number them.
public enum FingerPosition: Int, Sendable, Hashable, Codable, CaseIterable {
    case unknown = 0
    case rightThumb = 1, rightIndex = 2, rightMiddle = 3, rightRing = 4, rightLittle = 5
    case leftThumb = 6, leftIndex = 7, leftMiddle = 8, leftRing = 9, leftLittle = 10

    public var name: String {
        switch self {
        case .unknown: "unknown finger"
        case .rightThumb: "right thumb"
        case .rightIndex: "right index finger"
        case .rightMiddle: "right middle finger"
        case .rightRing: "right ring finger"
        case .rightLittle: "right little finger"
        case .leftThumb: "left thumb"
        case .leftIndex: "left index finger"
        case .leftMiddle: "left middle finger"
        case .leftRing: "left ring finger"
        case .leftLittle: "left little finger"
        }
    }
}

/// Which eye (ISO/IEC 19794-6 subject eye labels).
public enum EyeLabel: Int, Sendable, Hashable, Codable, CaseIterable {
    case unknown = 0, right = 1, left = 2, both = 3
}

/// Why a capture should be retried by the operator: the device worked, the presentation did not.
public struct RetryReason: Sendable, Hashable, Codable {
    public var code: String
    public var message: LocalizedTextCodable

    public init(code: String, english: String, indonesian: String) {
        self.code = code
        self.message = LocalizedTextCodable(en: english, id: indonesian)
    }
}

/// `LocalizedText` in a Codable form for samples and events.
public struct LocalizedTextCodable: Sendable, Hashable, Codable {
    public var en: String
    public var id: String
    public init(en: String, id: String) {
        self.en = en
        self.id = id
    }
    public subscript(language: MessageLanguage) -> String { language == .english ? en : id }
}

/// What a capture call ends with when no fault occurred.
public enum CaptureOutcome<Sample: Sendable>: Sendable {
    case captured(Sample)
    /// The presentation was not usable; ask the subject again.
    case retry(RetryReason)
}

/// Common facts of every captured sample.
public struct CaptureMetadata: Sendable, Hashable, Codable {
    public var device: DeviceIdentity
    public var attempt: Int
    public var capturedAt: Date
    /// Quality 0–100 as measured by BioCapture's own measure, when measured.
    public var quality: Int?

    public init(device: DeviceIdentity, attempt: Int, capturedAt: Date, quality: Int? = nil) {
        self.device = device
        self.attempt = attempt
        self.capturedAt = capturedAt
        self.quality = quality
    }
}

public struct FingerprintSample: Sendable, Hashable {
    public var image: GrayImage
    public var resolutionPPI: Int
    public var position: FingerPosition
    public var metadata: CaptureMetadata

    public init(image: GrayImage, resolutionPPI: Int, position: FingerPosition, metadata: CaptureMetadata) {
        self.image = image
        self.resolutionPPI = resolutionPPI
        self.position = position
        self.metadata = metadata
    }
}

public struct FingerprintCaptureRequest: Sendable, Hashable {
    public var position: FingerPosition
    /// How long to wait for a finger before giving up (an operator outcome, not a fault).
    public var deadline: Duration
    public var attempt: Int

    public init(position: FingerPosition = .unknown, deadline: Duration = .seconds(20), attempt: Int = 1) {
        self.position = position
        self.deadline = deadline
        self.attempt = attempt
    }
}

public protocol FingerprintScanner: CaptureDevice {
    func captureFingerprint(_ request: FingerprintCaptureRequest) async throws -> CaptureOutcome<FingerprintSample>
}

public struct IrisSample: Sendable, Hashable {
    public enum ImageKind: String, Sendable, Hashable, Codable { case uncropped, cropped }
    public var image: GrayImage
    public var eye: EyeLabel
    public var imageKind: ImageKind
    public var metadata: CaptureMetadata

    public init(image: GrayImage, eye: EyeLabel, imageKind: ImageKind, metadata: CaptureMetadata) {
        self.image = image
        self.eye = eye
        self.imageKind = imageKind
        self.metadata = metadata
    }
}

public struct IrisCaptureRequest: Sendable, Hashable {
    public var eye: EyeLabel
    public var deadline: Duration
    public var attempt: Int

    public init(eye: EyeLabel = .both, deadline: Duration = .seconds(20), attempt: Int = 1) {
        self.eye = eye
        self.deadline = deadline
        self.attempt = attempt
    }
}

public protocol IrisCamera: CaptureDevice {
    func captureIris(_ request: IrisCaptureRequest) async throws -> CaptureOutcome<[IrisSample]>
}

public struct FaceSample: Sendable, Hashable {
    public var image: RGBImage
    public var metadata: CaptureMetadata

    public init(image: RGBImage, metadata: CaptureMetadata) {
        self.image = image
        self.metadata = metadata
    }
}

public struct FaceCaptureRequest: Sendable, Hashable {
    public var deadline: Duration
    public var attempt: Int

    public init(deadline: Duration = .seconds(20), attempt: Int = 1) {
        self.deadline = deadline
        self.attempt = attempt
    }
}

public protocol Webcam: CaptureDevice {
    func captureFace(_ request: FaceCaptureRequest) async throws -> CaptureOutcome<FaceSample>
}

/// One pen report in physical units.
public struct PenPoint: Sendable, Hashable, Codable {
    /// Millimetres from the active area's top-left corner.
    public var x: Double
    public var y: Double
    /// Normalised 0–1.
    public var pressure: Double
    public var tipDown: Bool
    public var inRange: Bool
    /// Time since the capture started.
    public var milliseconds: Double

    public init(x: Double, y: Double, pressure: Double, tipDown: Bool, inRange: Bool, milliseconds: Double) {
        self.x = x
        self.y = y
        self.pressure = pressure
        self.tipDown = tipDown
        self.inRange = inRange
        self.milliseconds = milliseconds
    }
}

public struct SignatureSample: Sendable, Hashable {
    public var points: [PenPoint]
    /// Active area in millimetres.
    public var areaWidth: Double
    public var areaHeight: Double
    public var metadata: CaptureMetadata

    public init(points: [PenPoint], areaWidth: Double, areaHeight: Double, metadata: CaptureMetadata) {
        self.points = points
        self.areaWidth = areaWidth
        self.areaHeight = areaHeight
        self.metadata = metadata
    }
}

public struct SignatureCaptureRequest: Sendable, Hashable {
    public var deadline: Duration
    public var attempt: Int

    public init(deadline: Duration = .seconds(60), attempt: Int = 1) {
        self.deadline = deadline
        self.attempt = attempt
    }
}

public protocol SignaturePad: CaptureDevice {
    func captureSignature(_ request: SignatureCaptureRequest) async throws -> CaptureOutcome<SignatureSample>
}
