import BioCapture
import BioFace
import BioFingerprint
import BioIris
import BioSignature

/// The drivers BioCapture ships: the single source of truth for supported devices. The udev
/// rules, `describe`'s "which driver would claim it", `doctor`'s device checks, the README's
/// device table and the hardware-notes index are all generated from this one registry.
public enum StationDrivers {
    /// Every USB driver and every simulated driver, in matching order (ids first, then classes).
    public static func registry() -> DriverRegistry {
        DriverRegistry(drivers: usbDrivers + simulatedDrivers)
    }

    /// USB drivers, added as they are written.
    static let usbDrivers: [DriverDescriptor] = []

    /// Simulated drivers, registered like real ones.
    static let simulatedDrivers: [DriverDescriptor] = [
        SimulatedFingerprintScanner.driver,
        SimulatedIrisCamera.driver,
        SimulatedWebcam.driver,
        SimulatedSignaturePad.driver,
    ]
}
