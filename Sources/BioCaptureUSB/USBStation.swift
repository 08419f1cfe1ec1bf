import BioCapture
import Foundation
import Logging
import USBDescriptors
import USBKit

/// A USB device the driver table claims, ready to be built.
public struct USBStationDevice: Sendable {
    public var info: USBDeviceInfo
    public var match: DriverMatch
    /// Identity before the device is opened (serial and firmware come with `open()`).
    public var identity: DeviceIdentity
    public var access: DeviceAccessFacts
}

/// What a scan of the bus found.
public struct USBScanResult: Sendable {
    public var matched: [USBStationDevice]
    /// Devices no BioCapture driver claims (hubs, keyboards…).
    public var unmatched: [USBDeviceInfo]
}

/// Finds the station's USB capture devices: libusb enumeration matched against the driver table,
/// and builds devices through their drivers on a `LibUSBTransport`.
public final class USBStation: Sendable {
    public let context: USBContext
    public let registry: DriverRegistry
    private let logger: Logger
    private let sysfsRoot: String
    private let devRoot: String

    public init(context: USBContext, registry: DriverRegistry, logger: Logger,
                sysfsRoot: String = "/sys", devRoot: String = "/dev") {
        self.context = context
        self.registry = registry
        self.logger = logger
        self.sysfsRoot = sysfsRoot
        self.devRoot = devRoot
    }

    /// The station's view of one USB device, or nil when no driver claims it.
    static func station(_ info: USBDeviceInfo, registry: DriverRegistry, sysfsRoot: String, devRoot: String) -> USBStationDevice? {
        guard let match = registry.match(info.descriptors) else { return nil }
        let location = USBDeviceLocation(busNumber: info.busNumber, deviceAddress: info.deviceAddress,
                                          portPath: info.portPath, speed: info.speed)
        let name = match.supportedDevice.map { ($0.vendorName, $0.modelName) }
            ?? (match.driver.name, "USB \(match.driver.modality.rawValue) device")
        let identity = DeviceIdentity(
            id: "\(match.driver.id)@\(location.sysfsName)", driverID: match.driver.id,
            modality: match.driver.modality, vendor: name.0, model: name.1,
            connectionPath: "usb:\(location.sysfsName)", vendorID: info.vendorID, productID: info.productID,
            isSimulated: false)
        let access = USBSysfs.accessFacts(
            deviceName: location.sysfsName, busNumber: info.busNumber, deviceAddress: info.deviceAddress,
            detachable: match.driver.kernelDrivers, sysfsRoot: sysfsRoot, devRoot: devRoot)
        return USBStationDevice(info: info, match: match, identity: identity, access: access)
    }

    public func scan() async throws -> USBScanResult {
        let devices: [USBDeviceInfo]
        do {
            devices = try await context.devices()
        } catch {
            throw CaptureFault.classify(TransportError.from(error, operation: "list USB devices"))
        }
        var matched: [USBStationDevice] = []
        var unmatched: [USBDeviceInfo] = []
        for info in devices {
            if let found = Self.station(info, registry: registry, sysfsRoot: sysfsRoot, devRoot: devRoot) {
                matched.append(found)
            } else {
                unmatched.append(info)
            }
        }
        logger.debug("USB scan", metadata: ["matched": "\(matched.count)", "unmatched": "\(unmatched.count)"])
        return USBScanResult(matched: matched, unmatched: unmatched)
    }

    /// Capture devices as they are plugged in (libusb hotplug), matched against the driver table;
    /// devices no driver claims are ignored. The stream ends when the context is closed.
    public func arrivals() throws -> AsyncStream<USBStationDevice> {
        let events: AsyncStream<USBHotplugEvent>
        do {
            events = try context.hotplugEvents()
        } catch {
            throw CaptureFault(usb: error)
        }
        let registry = self.registry
        let sysfsRoot = self.sysfsRoot
        let devRoot = self.devRoot
        return AsyncStream { continuation in
            let task = Task {
                for await event in events where event.kind == .arrived {
                    if let found = Self.station(event.device, registry: registry, sysfsRoot: sysfsRoot, devRoot: devRoot) {
                        continuation.yield(found)
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Builds the device through its driver's factory on a libusb transport.
    public func makeDevice(_ device: USBStationDevice, context driverContext: DriverContext) async throws -> any CaptureDevice {
        guard case .usb(let factory) = device.match.driver.binding else {
            throw CaptureFault(.apiMisuse, message: "Driver \(device.match.driver.id) is not a USB driver.")
        }
        var context = driverContext
        context.identity = device.identity
        context.quirks = device.match.quirks
        let transport = LibUSBTransport(context: self.context, device: device.info, logger: context.logger)
        return try await factory(transport, context)
    }
}
