import BioCapture

/// Words of the self-test report and CLI in English and Bahasa Indonesia, keyed by a stable id.
/// A test fails when an entry lacks a translation.
public enum StationMessages {
    public static func text(_ key: Key, _ language: MessageLanguage) -> String {
        table[key]?[language] ?? key.rawValue
    }

    public enum Key: String, CaseIterable, Sendable {
        case stepFound = "step.found"
        case stepPermissions = "step.permissions"
        case stepKernelDriver = "step.kernel-driver"
        case stepOpen = "step.open"
        case stepIdentity = "step.identity"
        case stepSensor = "step.sensor"
        case stepCapture = "step.capture"
        case stepQuality = "step.quality"
        case outcomePassed = "outcome.passed"
        case outcomeWarning = "outcome.warning"
        case outcomeFailed = "outcome.failed"
        case outcomeSkipped = "outcome.skipped"
        case verdictPass = "verdict.pass"
        case verdictDegraded = "verdict.degraded"
        case verdictFail = "verdict.fail"
        case modalityFingerprint = "modality.fingerprint"
        case modalityIris = "modality.iris"
        case modalityFace = "modality.face"
        case modalitySignature = "modality.signature"
        case domainHardware = "domain.hardware"
        case domainSoftware = "domain.software"
        case domainEnvironment = "domain.environment"
        case domainOperator = "domain.operator"
        case reportTitle = "report.title"
        case reportSummary = "report.summary"
        case reportGenerated = "report.generated"
        case reportNoDevices = "report.no-devices"
        case reportStoppedAt = "report.stopped-at"
        case reportRemedy = "report.remedy"
        case reportPictures = "report.pictures"
        case reportSimulated = "report.simulated"
        case reportDevice = "report.device"
        case reportVerdict = "report.verdict"
        case reportStep = "report.step"
        case reportResult = "report.result"
        case reportDetail = "report.detail"
        case reportFaults = "report.faults"
    }

    public static func key(for step: SelfTestStepID) -> Key {
        switch step {
        case .found: .stepFound
        case .permissions: .stepPermissions
        case .kernelDriver: .stepKernelDriver
        case .open: .stepOpen
        case .identity: .stepIdentity
        case .sensor: .stepSensor
        case .capture: .stepCapture
        case .quality: .stepQuality
        }
    }

    public static func key(for outcome: SelfTestStep.Outcome) -> Key {
        switch outcome {
        case .passed: .outcomePassed
        case .warning: .outcomeWarning
        case .failed: .outcomeFailed
        case .skipped: .outcomeSkipped
        }
    }

    public static func key(for verdict: SelfTestResult.Verdict) -> Key {
        switch verdict {
        case .pass: .verdictPass
        case .degraded: .verdictDegraded
        case .fail: .verdictFail
        }
    }

    public static func key(for modality: Modality) -> Key {
        switch modality {
        case .fingerprint: .modalityFingerprint
        case .iris: .modalityIris
        case .face: .modalityFace
        case .signature: .modalitySignature
        }
    }

    public static func key(for domain: FaultDomain) -> Key {
        switch domain {
        case .hardware: .domainHardware
        case .software: .domainSoftware
        case .environment: .domainEnvironment
        case .operator: .domainOperator
        }
    }

    static let table: [Key: LocalizedText] = [
        .stepFound: .init(en: "found on the bus", id: "terdeteksi di bus USB"),
        .stepPermissions: .init(en: "permissions", id: "izin akses"),
        .stepKernelDriver: .init(en: "kernel driver", id: "driver kernel"),
        .stepOpen: .init(en: "open", id: "membuka perangkat"),
        .stepIdentity: .init(en: "identity and firmware", id: "identitas dan firmware"),
        .stepSensor: .init(en: "sensor test without a subject", id: "uji sensor tanpa subjek"),
        .stepCapture: .init(en: "capture", id: "perekaman"),
        .stepQuality: .init(en: "quality", id: "kualitas"),
        .outcomePassed: .init(en: "ok", id: "baik"),
        .outcomeWarning: .init(en: "warning", id: "peringatan"),
        .outcomeFailed: .init(en: "FAILED", id: "GAGAL"),
        .outcomeSkipped: .init(en: "skipped", id: "dilewati"),
        .verdictPass: .init(en: "pass", id: "lulus"),
        .verdictDegraded: .init(en: "degraded", id: "menurun"),
        .verdictFail: .init(en: "FAIL", id: "GAGAL"),
        .modalityFingerprint: .init(en: "fingerprint scanner", id: "pemindai sidik jari"),
        .modalityIris: .init(en: "iris camera", id: "kamera iris"),
        .modalityFace: .init(en: "webcam", id: "kamera wajah"),
        .modalitySignature: .init(en: "signature pad", id: "alat tanda tangan"),
        .domainHardware: .init(en: "hardware", id: "perangkat keras"),
        .domainSoftware: .init(en: "software", id: "perangkat lunak"),
        .domainEnvironment: .init(en: "station set-up", id: "pengaturan stasiun"),
        .domainOperator: .init(en: "operator", id: "operator"),
        .reportTitle: .init(en: "BioCapture station self-test", id: "Uji mandiri stasiun BioCapture"),
        .reportSummary: .init(en: "Summary", id: "Ringkasan"),
        .reportGenerated: .init(en: "Generated", id: "Dibuat"),
        .reportNoDevices: .init(en: "No capture device was found.", id: "Tidak ada perangkat perekam yang ditemukan."),
        .reportStoppedAt: .init(en: "stopped at", id: "berhenti pada"),
        .reportRemedy: .init(en: "What to do", id: "Yang harus dilakukan"),
        .reportPictures: .init(en: "Pictures taken by the test", id: "Gambar yang diambil oleh uji"),
        .reportSimulated: .init(en: "simulated", id: "simulasi"),
        .reportDevice: .init(en: "Device", id: "Perangkat"),
        .reportVerdict: .init(en: "Verdict", id: "Hasil"),
        .reportStep: .init(en: "Step", id: "Langkah"),
        .reportResult: .init(en: "Result", id: "Status"),
        .reportDetail: .init(en: "Detail", id: "Keterangan"),
        .reportFaults: .init(en: "Faults", id: "Kerusakan"),
    ]
}
