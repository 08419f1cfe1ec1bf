import BioCapture
import BioCaptureUSB
import Foundation
import Logging
import USBKit

/// A capture device of the station with what the ladder needs to know about it.
public struct StationDevice: Sendable {
    public var identity: DeviceIdentity
    /// nil for simulated devices.
    public var access: DeviceAccessFacts?
    public var device: any CaptureDevice
}

/// What the station found, before any device is opened.
public struct StationInventory: Sendable {
    /// False when the machine has no USB device access (no usbfs).
    public var usbAvailable: Bool
    /// Why the USB scan failed, when it did.
    public var usbFault: CaptureFault?
    public var usbDevices: [USBStationDevice]
    /// USB devices no driver claims (hubs, keyboards…).
    public var unclaimedUSBDevices: Int
    public var simulatedDrivers: [DriverDescriptor]
}

/// Discovers the station's devices (USB scan against the driver table, plus the simulated
/// drivers when asked) and builds them through their drivers.
public final class Station: Sendable {
    public let registry: DriverRegistry
    private let logger: Logger
    private let sysfsRoot: String
    private let devRoot: String
    private let usb: USBStation?

    /// - Parameter useUSB: false skips libusb entirely (simulated station only).
    public init(registry: DriverRegistry, logger: Logger, useUSB: Bool = true,
                sysfsRoot: String = "/sys", devRoot: String = "/dev") {
        self.registry = registry
        self.logger = logger
        self.sysfsRoot = sysfsRoot
        self.devRoot = devRoot
        if useUSB, let context = try? USBContext(logger: logger) {
            usb = USBStation(context: context, registry: registry, logger: logger, sysfsRoot: sysfsRoot, devRoot: devRoot)
        } else {
            usb = nil
        }
    }

    /// Releases libusb.
    public func close() async {
        await usb?.context.close()
    }

    /// Whether this machine can reach USB devices at all.
    public var usbAvailable: Bool {
        FileManager.default.fileExists(atPath: devRoot + "/bus/usb")
    }

    public func inventory(includeSimulated: Bool) async -> StationInventory {
        var inventory = StationInventory(
            usbAvailable: usbAvailable, usbFault: nil, usbDevices: [], unclaimedUSBDevices: 0,
            simulatedDrivers: includeSimulated ? registry.simulatedDrivers : [])
        if let usb {
            do {
                let scan = try await usb.scan()
                inventory.usbDevices = scan.matched
                inventory.unclaimedUSBDevices = scan.unmatched.count
            } catch {
                inventory.usbFault = CaptureFault.classify(error)
            }
        }
        return inventory
    }

    /// USB capture devices as they are plugged in, for capturing a missing modality later in the
    /// same session (`EnrollmentSession.captureMissing(with:)`). Nil when USB is not in use.
    public func arrivals() throws -> AsyncStream<USBStationDevice>? {
        try usb?.arrivals()
    }

    /// Builds one USB device (an arrival) through its driver.
    public func makeDevice(_ found: USBStationDevice, template: DriverContext) async throws -> StationDevice {
        guard let usb else { throw CaptureFault(.noUSB) }
        let device = try await usb.makeDevice(found, context: template)
        return StationDevice(identity: found.identity, access: found.access, device: device)
    }

    /// Builds every device of the inventory. A device whose driver cannot build it is returned
    /// as a failure (it still belongs in a self-test report).
    public func makeDevices(
        _ inventory: StationInventory, template: DriverContext
    ) async -> (devices: [StationDevice], failures: [(identity: DeviceIdentity, fault: CaptureFault)]) {
        var devices: [StationDevice] = []
        var failures: [(DeviceIdentity, CaptureFault)] = []
        if let usb {
            for found in inventory.usbDevices {
                do {
                    let device = try await usb.makeDevice(found, context: template)
                    devices.append(StationDevice(identity: found.identity, access: found.access, device: device))
                } catch {
                    failures.append((found.identity, CaptureFault.classify(error, device: found.identity)))
                }
            }
        }
        for driver in inventory.simulatedDrivers {
            guard case .simulated(let factory) = driver.binding else { continue }
            var context = template
            context.identity = DeviceIdentity(
                id: driver.id, driverID: driver.id, modality: driver.modality, vendor: "BioCapture",
                model: driver.name, connectionPath: "simulated", isSimulated: true)
            do {
                let device = try await factory(context)
                devices.append(StationDevice(identity: device.identity, access: nil, device: device))
            } catch {
                failures.append((context.identity, CaptureFault.classify(error, device: context.identity)))
            }
        }
        return (devices, failures)
    }
}
