import BioCapture

/// What the subject or operator should change, derived from the quality features (the
/// NFIQ 2 "actionable feedback" idea, extended with skin-state hints).
public enum FingerprintFeedback: String, Sendable, Hashable, Codable, CaseIterable {
    /// No finger: blank, uniform or near-white frame.
    case empty
    /// Faint, thin, broken ridges with low contrast.
    case tooDry
    /// Dark image, thick ridges merging into patches.
    case tooWet
    /// Too little of the finger touches the sensor.
    case tooLittleArea
    /// The finger is not in the middle of the sensor.
    case offCentre
    /// Faint but continuous ridges: the finger barely touches.
    case tooLightPressure

    /// Stable code for logs, journals and retry reasons.
    public var code: String {
        switch self {
        case .empty: "FP_EMPTY"
        case .tooDry: "FP_TOO_DRY"
        case .tooWet: "FP_TOO_WET"
        case .tooLittleArea: "FP_TOO_LITTLE_AREA"
        case .offCentre: "FP_OFF_CENTRE"
        case .tooLightPressure: "FP_TOO_LIGHT_PRESSURE"
        }
    }

    /// The instruction for the subject or operator, in English and Indonesian.
    public var text: LocalizedText {
        switch self {
        case .empty:
            LocalizedText(
                en: "No finger detected. Place the finger flat on the sensor.",
                id: "Jari tidak terdeteksi. Letakkan jari rata di atas sensor.")
        case .tooDry:
            LocalizedText(
                en: "The finger is too dry. Breathe on it or moisten it slightly, then press again.",
                id: "Jari terlalu kering. Tiup atau basahi sedikit jari, lalu tekan kembali.")
        case .tooWet:
            LocalizedText(
                en: "The finger is too wet or the sensor is dirty. Wipe the finger and the sensor, then try again.",
                id: "Jari terlalu basah atau sensor kotor. Lap jari dan sensor, lalu coba lagi.")
        case .tooLittleArea:
            LocalizedText(
                en: "Too little of the finger touches the sensor. Lay the finger flat to cover more of it.",
                id: "Bagian jari yang menempel terlalu sedikit. Letakkan jari lebih rata agar menutupi sensor.")
        case .offCentre:
            LocalizedText(
                en: "The finger is off centre. Move it to the middle of the sensor.",
                id: "Posisi jari tidak di tengah. Geser jari ke tengah sensor.")
        case .tooLightPressure:
            LocalizedText(
                en: "Press a little harder.",
                id: "Tekan sedikit lebih kuat.")
        }
    }

    /// A `RetryReason` for a capture outcome.
    public var retryReason: RetryReason {
        RetryReason(code: code, english: text.english, indonesian: text.indonesian)
    }
}
