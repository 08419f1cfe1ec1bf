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
public enum SelfTestLadder {
    /// Runs the ladder. `access` is nil for simulated devices.
    /// - Parameter progress: called with each rung as soon as it is climbed (for a live display).
    public static func run(
        _ device: any CaptureDevice, access: DeviceAccessFacts?, logger: Logger = Logger(label: "biocapture.selftest"),
        progress: @Sendable (SelfTestStep) -> Void = { _ in }
    ) async -> SelfTestResult {
        let identity = device.identity
        var steps: [SelfTestStep] = []
        func climb(_ step: SelfTestStep) {
            steps.append(step)
            progress(step)
        }

        climb(SelfTestStep(.found, .passed, detail: foundDetail(identity)))

        let permissions = permissionsStep(identity, access: access)
        climb(permissions)
        if permissions.outcome == .failed { return finish(identity, steps) }

        climb(kernelDriverStep(access))

        do {
            try await device.open()
            climb(SelfTestStep(.open, .passed, detail: "opened"))
        } catch {
            let fault = CaptureFault.classify(error, device: identity)
            logger.warning("self-test open failed", metadata: ["device": "\(identity.id)", "fault": "\(fault)"])
            climb(SelfTestStep(.open, .failed, detail: fault.message, fault: fault))
            return finish(identity, steps)
        }

        let own = await device.selfTest()
        await device.close()
        for step in own.steps where !steps.contains(where: { $0.id == step.id }) {
            climb(step)
            if step.outcome == .failed { break }
        }
        return finish(identity, steps, images: own.images)
    }

    /// The result for a device its driver could not even build: found, then failed at open.
    public static func unbuildable(_ identity: DeviceIdentity, access: DeviceAccessFacts?, fault: CaptureFault) -> SelfTestResult {
        var steps = [SelfTestStep(.found, .passed, detail: foundDetail(identity))]
        let permissions = permissionsStep(identity, access: access)
        steps.append(permissions)
        if permissions.outcome != .failed {
            steps.append(kernelDriverStep(access))
            steps.append(SelfTestStep(.open, .failed, detail: fault.message, fault: fault))
        }
        return finish(identity, steps)
    }

    /// Adds the rungs not climbed as skipped, naming the failed one.
    private static func finish(_ identity: DeviceIdentity, _ steps: [SelfTestStep],
                               images: [String: GrayImage] = [:]) -> SelfTestResult {
        var all = steps
        let failed = steps.first { $0.outcome == .failed }?.id
        for id in SelfTestStepID.allCases where !all.contains(where: { $0.id == id }) {
            let reason = failed.map { "not run: the ladder stopped at '\($0.rawValue)'" } ?? "not applicable to this device"
            all.append(SelfTestStep(id, .skipped, detail: reason))
        }
        all.sort { order($0.id) < order($1.id) }
        return SelfTestResult(device: identity, steps: all, images: images)
    }

    private static func order(_ id: SelfTestStepID) -> Int {
        SelfTestStepID.allCases.firstIndex(of: id) ?? 0
    }

    private static func foundDetail(_ identity: DeviceIdentity) -> String {
        if identity.isSimulated { return "simulated device \(identity.id)" }
        var text = identity.connectionPath
        if let ids = identity.usbIDText { text += " (\(ids))" }
        return text
    }

    private static func permissionsStep(_ identity: DeviceIdentity, access: DeviceAccessFacts?) -> SelfTestStep {
        guard let access else { return SelfTestStep(.permissions, .passed, detail: "simulated: no device node") }
        guard let node = access.deviceNode else {
            let fault = CaptureFault(.noUSB, device: identity)
            return SelfTestStep(.permissions, .failed, detail: fault.message, fault: fault)
        }
        switch (access.nodeReadable, access.nodeWritable) {
        case (true?, true?):
            return SelfTestStep(.permissions, .passed, detail: "\(node) is readable and writable")
        case (nil, _), (_, nil):
            return SelfTestStep(.permissions, .warning, detail: "could not check \(node)")
        default:
            let fault = CaptureFault(.permissionDenied,
                                     message: "USB access denied: this user cannot open \(node).", device: identity)
            return SelfTestStep(.permissions, .failed, detail: fault.message, fault: fault)
        }
    }

    private static func kernelDriverStep(_ access: DeviceAccessFacts?) -> SelfTestStep {
        guard let access else { return SelfTestStep(.kernelDriver, .passed, detail: "simulated: no kernel driver") }
        guard !access.boundKernelDrivers.isEmpty else {
            return SelfTestStep(.kernelDriver, .passed, detail: "no kernel driver bound")
        }
        let bound = access.boundKernelDrivers.keys.sorted().map { "\(access.boundKernelDrivers[$0] ?? "?") on interface \($0)" }
        let foreign = access.boundKernelDrivers.values.filter { !access.detachableKernelDrivers.contains($0) && $0 != "usbfs" }
        if foreign.isEmpty {
            return SelfTestStep(.kernelDriver, .passed,
                                detail: "\(bound.joined(separator: ", ")): detached while BioCapture captures")
        }
        return SelfTestStep(.kernelDriver, .warning,
                            detail: "\(bound.joined(separator: ", ")): an unexpected driver holds the device; open may fail as busy")
    }
}
