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
            guard let match = registry.match(info.descriptors) else {
                unmatched.append(info)
                continue
            }
            let location = USBDeviceLocation(busNumber: info.busNumber, deviceAddress: info.deviceAddress,
                                              portPath: info.portPath, speed: info.speed)
            let name = match.supportedDevice.map { ($0.vendorName, $0.modelName) } ?? (match.driver.name, "USB \(match.driver.modality.rawValue) device")
            let identity = DeviceIdentity(
                id: "\(match.driver.id)@\(location.sysfsName)", driverID: match.driver.id,
                modality: match.driver.modality, vendor: name.0, model: name.1,
                connectionPath: "usb:\(location.sysfsName)", vendorID: info.vendorID, productID: info.productID,
                isSimulated: false)
            let access = USBSysfs.accessFacts(
                deviceName: location.sysfsName, busNumber: info.busNumber, deviceAddress: info.deviceAddress,
                detachable: match.driver.kernelDrivers, sysfsRoot: sysfsRoot, devRoot: devRoot)
            matched.append(USBStationDevice(info: info, match: match, identity: identity, access: access))
        }
        logger.debug("USB scan", metadata: ["matched": "\(matched.count)", "unmatched": "\(unmatched.count)"])
        return USBScanResult(matched: matched, unmatched: unmatched)
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
