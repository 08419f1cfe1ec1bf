import BioCapture
import Foundation
import Logging

/// The technician's diagnostic ladder for one device:
/// found on the bus → permissions → kernel driver → open → identity and firmware → sensor test
/// without a subject → a capture when a subject is present → quality.
///
/// The first four rungs are the station's (this type); the rest are the device's own
/// `selfTest()`, run after a successful open. The ladder stops at the first failed rung, names it,
/// and lists the rungs it did not climb as skipped.
///
/// The details of the station's own rungs (and of skipped rungs) are written in the language
/// asked for; the details of the device's own rungs are the driver's.
public enum SelfTestLadder {
    /// Runs the ladder. `access` is nil for simulated devices.
    /// - Parameter language: the language of the rung details this type writes.
    /// - Parameter progress: called with each rung as soon as it is climbed (for a live display).
    public static func run(
        _ device: any CaptureDevice, access: DeviceAccessFacts?, logger: Logger = Logger(label: "biocapture.selftest"),
        language: MessageLanguage = .english,
        progress: @Sendable (SelfTestStep) -> Void = { _ in }
    ) async -> SelfTestResult {
        let text = DetailText(language)
        let identity = device.identity
        var steps: [SelfTestStep] = []
        func climb(_ step: SelfTestStep) {
            steps.append(step)
            progress(step)
        }

        climb(SelfTestStep(.found, .passed, detail: foundDetail(identity, text)))

        let permissions = permissionsStep(identity, access: access, text)
        climb(permissions)
        if permissions.outcome == .failed { return finish(identity, steps, text) }

        climb(kernelDriverStep(access, text))

        do {
            try await device.open()
            climb(SelfTestStep(.open, .passed, detail: text(.opened)))
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            logger.warning("self-test open failed", metadata: ["device": "\(identity.id)", "fault": "\(fault)"])
            climb(SelfTestStep(.open, .failed, detail: fault.localizedMessage(language), fault: fault))
            return finish(identity, steps, text)
        }

        let own = await device.selfTest()
        await device.close()
        for step in own.steps where !steps.contains(where: { $0.id == step.id }) {
            climb(step)
            if step.outcome == .failed { break }
        }
        return finish(identity, steps, text, images: own.images)
    }

    /// The result for a device its driver could not even build: found, then failed at open.
    /// - Parameter language: the language of the rung details.
    public static func unbuildable(
        _ identity: DeviceIdentity, access: DeviceAccessFacts?, fault: CaptureFault, language: MessageLanguage = .english
    ) -> SelfTestResult {
        let text = DetailText(language)
        var steps = [SelfTestStep(.found, .passed, detail: foundDetail(identity, text))]
        let permissions = permissionsStep(identity, access: access, text)
        steps.append(permissions)
        if permissions.outcome != .failed {
            steps.append(kernelDriverStep(access, text))
            steps.append(SelfTestStep(.open, .failed, detail: fault.localizedMessage(language), fault: fault))
        }
        return finish(identity, steps, text)
    }

    /// Adds the rungs not climbed as skipped, naming the failed one.
    private static func finish(_ identity: DeviceIdentity, _ steps: [SelfTestStep], _ text: DetailText,
                               images: [String: GrayImage] = [:]) -> SelfTestResult {
        var all = steps
        let failed = steps.first { $0.outcome == .failed }?.id
        for id in SelfTestStepID.allCases where !all.contains(where: { $0.id == id }) {
            let reason = failed.map { text(.notRun, ["step": $0.rawValue]) } ?? text(.notApplicable)
            all.append(SelfTestStep(id, .skipped, detail: reason))
        }
        all.sort { order($0.id) < order($1.id) }
        return SelfTestResult(device: identity, steps: all, images: images)
    }

    private static func order(_ id: SelfTestStepID) -> Int {
        SelfTestStepID.allCases.firstIndex(of: id) ?? 0
    }

    private static func foundDetail(_ identity: DeviceIdentity, _ text: DetailText) -> String {
        if identity.isSimulated { return text(.simulatedDevice, ["id": identity.id]) }
        var text = identity.connectionPath
        if let ids = identity.usbIDText { text += " (\(ids))" }
        return text
    }

    private static func permissionsStep(_ identity: DeviceIdentity, access: DeviceAccessFacts?, _ text: DetailText) -> SelfTestStep {
        guard let access else { return SelfTestStep(.permissions, .passed, detail: text(.simulatedNoNode)) }
        guard let node = access.deviceNode else {
            let fault = CaptureFault(.noUSB, device: identity)
            return SelfTestStep(.permissions, .failed, detail: fault.localizedMessage(text.language), fault: fault)
        }
        switch (access.nodeReadable, access.nodeWritable) {
        case (true?, true?):
            return SelfTestStep(.permissions, .passed, detail: text(.readWrite, ["node": node]))
        case (nil, _), (_, nil):
            return SelfTestStep(.permissions, .warning, detail: text(.notChecked, ["node": node]))
        default:
            // The catalogue's message, so reports translate it; the detail names the node.
            let fault = CaptureFault(.permissionDenied, device: identity)
            return SelfTestStep(.permissions, .failed, detail: text(.accessDenied, ["node": node]), fault: fault)
        }
    }

    private static func kernelDriverStep(_ access: DeviceAccessFacts?, _ text: DetailText) -> SelfTestStep {
        guard let access else { return SelfTestStep(.kernelDriver, .passed, detail: text(.simulatedNoKernelDriver)) }
        guard !access.boundKernelDrivers.isEmpty else {
            return SelfTestStep(.kernelDriver, .passed, detail: text(.noKernelDriver))
        }
        let bound = access.boundKernelDrivers.keys.sorted()
            .map { text(.driverOnInterface, ["driver": access.boundKernelDrivers[$0] ?? "?", "interface": String($0)]) }
            .joined(separator: ", ")
        let foreign = access.boundKernelDrivers.values.filter { !access.detachableKernelDrivers.contains($0) && $0 != "usbfs" }
        if foreign.isEmpty {
            return SelfTestStep(.kernelDriver, .passed, detail: text(.driversDetached, ["drivers": bound]))
        }
        return SelfTestStep(.kernelDriver, .warning, detail: text(.foreignDriver, ["drivers": bound]))
    }
}

extension SelfTestLadder {
    /// The rung details the ladder itself writes, keyed so a test can check every one is
    /// translated.
    public enum DetailKey: String, CaseIterable, Sendable {
        case simulatedDevice = "ladder.found.simulated"
        case simulatedNoNode = "ladder.permissions.simulated"
        case readWrite = "ladder.permissions.read-write"
        case notChecked = "ladder.permissions.not-checked"
        case accessDenied = "ladder.permissions.denied"
        case simulatedNoKernelDriver = "ladder.kernel-driver.simulated"
        case noKernelDriver = "ladder.kernel-driver.none"
        case driverOnInterface = "ladder.kernel-driver.on-interface"
        case driversDetached = "ladder.kernel-driver.detached"
        case foreignDriver = "ladder.kernel-driver.foreign"
        case opened = "ladder.open.opened"
        case notRun = "ladder.skipped.not-run"
        case notApplicable = "ladder.skipped.not-applicable"
    }

    /// English and Indonesian texts of every `DetailKey`; `{name}` marks a value filled in.
    public static let detailTexts: [DetailKey: LocalizedText] = [
        .simulatedDevice: .init(en: "simulated device {id}", id: "perangkat simulasi {id}"),
        .simulatedNoNode: .init(en: "simulated: no device node", id: "simulasi: tanpa node perangkat"),
        .readWrite: .init(en: "{node} is readable and writable", id: "{node} dapat dibaca dan ditulis"),
        .notChecked: .init(en: "could not check {node}", id: "{node} tidak dapat diperiksa"),
        .accessDenied: .init(
            en: "USB access denied: this user cannot open {node}.",
            id: "Akses USB ditolak: pengguna ini tidak dapat membuka {node}."),
        .simulatedNoKernelDriver: .init(en: "simulated: no kernel driver", id: "simulasi: tanpa driver kernel"),
        .noKernelDriver: .init(en: "no kernel driver bound", id: "tidak ada driver kernel yang terpasang"),
        .driverOnInterface: .init(en: "{driver} on interface {interface}", id: "{driver} pada antarmuka {interface}"),
        .driversDetached: .init(
            en: "{drivers}: detached while BioCapture captures",
            id: "{drivers}: dilepas selama BioCapture merekam"),
        .foreignDriver: .init(
            en: "{drivers}: an unexpected driver holds the device; open may fail as busy",
            id: "{drivers}: ada driver tak terduga yang memegang perangkat; membuka perangkat bisa gagal karena sibuk"),
        .opened: .init(en: "opened", id: "berhasil dibuka"),
        .notRun: .init(
            en: "not run: the ladder stopped at '{step}'",
            id: "tidak dijalankan: pengujian berhenti pada langkah '{step}'"),
        .notApplicable: .init(en: "not applicable to this device", id: "tidak berlaku untuk perangkat ini"),
    ]

    /// The detail `key` in `language`, each `{name}` replaced by `arguments[name]` in one pass.
    public static func detail(_ key: DetailKey, _ language: MessageLanguage, _ arguments: [String: String] = [:]) -> String {
        detailTexts[key]?.filled(language, arguments) ?? key.rawValue
    }

    /// The details of one run, in its language.
    struct DetailText {
        let language: MessageLanguage

        init(_ language: MessageLanguage) { self.language = language }

        func callAsFunction(_ key: DetailKey, _ arguments: [String: String] = [:]) -> String {
            SelfTestLadder.detail(key, language, arguments)
        }
    }
}
