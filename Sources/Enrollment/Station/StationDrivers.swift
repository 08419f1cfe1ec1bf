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
    static let usbDrivers: [DriverDescriptor] = [
        NB1010Driver.driver,
        UPEKTouchChipDriver.driver,
        URU4000Driver.driver,
    ]

    /// Simulated drivers, registered like real ones.
    static let simulatedDrivers: [DriverDescriptor] = [
        SimulatedFingerprintScanner.driver,
        SimulatedIrisCamera.driver,
        SimulatedWebcam.driver,
        SimulatedSignaturePad.driver,
    ]
}

extension StationDrivers {
    /// The README's supported-devices table, generated from the registry (a test keeps the
    /// README's copy equal to this).
    public static func supportedDevicesMarkdown(_ registry: DriverRegistry = registry()) -> String {
        var lines = ["| driver | modality | device | USB id | kind | quirks |", "|---|---|---|---|---|---|"]
        for driver in registry.drivers {
            if driver.isSimulated {
                lines.append("| `\(driver.id)` | \(driver.modality.rawValue) | \(driver.name) | — | simulated | — |")
                continue
            }
            for device in driver.devices {
                let quirks = device.quirks.values.isEmpty ? "—" : "`\(device.quirks)`"
                lines.append("| `\(driver.id)` | \(driver.modality.rawValue) | \(device.vendorName) \(device.modelName) | `\(device.id)` | USB | \(quirks) |")
            }
            for match in driver.classMatches {
                lines.append("| `\(driver.id)` | \(driver.modality.rawValue) | \(driver.name) | any \(match) | USB class | — |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `hardware-notes/README.md`: one line per driver pointing at its page.
    public static func hardwareNotesIndex(_ registry: DriverRegistry = registry()) -> String {
        var lines = [
            "# Hardware notes",
            "",
            "Generated from the driver table (`StationDrivers`); a test fails when this file differs.",
            "One page per driver: what it supports, the protocol in our words, quirks, how it is tested,",
            "known faults and what the self-test checks.",
            "",
        ]
        for driver in registry.drivers {
            lines.append("- [\(driver.id)](\(driver.id).md) — \(driver.name) (\(driver.modality.rawValue)\(driver.isSimulated ? ", simulated" : ""))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
