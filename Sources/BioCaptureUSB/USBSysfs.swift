import BioCapture
import Foundation
import USBDescriptors

/// A USB device as sysfs shows it.
public struct SysfsUSBDevice: Sendable {
    /// Kernel name ("1-3", "usb1").
    public var name: String
    public var sysfsPath: String
    public var busNumber: Int?
    public var deviceNumber: Int?
    public var descriptors: USBDeviceDescriptors?
    public var match: DriverMatch?

    /// "1-3 (1209:0001, ExampleScan 100)".
    public var label: String {
        guard let descriptors else { return name }
        var text = "\(name) (\(Hex.word(descriptors.device.vendorID)):\(Hex.word(descriptors.device.productID))"
        if let model = match?.supportedDevice { text += " \(model.vendorName) \(model.modelName)" } else if let match { text += " \(match.driver.name)" }
        return text + ")"
    }

    /// `/dev/bus/usb/BBB/DDD` under `devRoot`.
    public func nodePath(devRoot: String) -> String? {
        guard let busNumber, let deviceNumber else { return nil }
        return USBSysfs.nodePath(devRoot: devRoot, busNumber: busNumber, deviceAddress: deviceNumber)
    }
}

/// Lists USB devices from sysfs and matches them against the driver table.
public enum USBSysfs {
    /// nil when `SYSFS/bus/usb/devices` does not exist.
    public static func scan(sysfsRoot: String, registry: DriverRegistry) -> [SysfsUSBDevice]? {
        let directory = sysfsRoot + "/bus/usb/devices"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var devices: [SysfsUSBDevice] = []
        // Interfaces ("1-3:1.0") sit in the same directory; only devices have `descriptors`.
        for name in names.sorted() where !name.contains(":") {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path + "/descriptors") else { continue }
            let descriptors = try? USBDescriptorParser.parse([UInt8](data))
            devices.append(SysfsUSBDevice(
                name: name, sysfsPath: path,
                busNumber: readInteger(path + "/busnum"), deviceNumber: readInteger(path + "/devnum"),
                descriptors: descriptors, match: descriptors.flatMap { registry.match($0) }))
        }
        return devices
    }

    /// The kernel driver bound to each interface of a device ("1-3:1.0" → "uvcvideo"), nil when none.
    public static func interfaceDrivers(of device: SysfsUSBDevice, sysfsRoot: String) -> [(interface: String, driver: String?)] {
        let directory = sysfsRoot + "/bus/usb/devices"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasPrefix(device.name + ":") }.sorted().map { interface in
            let link = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + interface + "/driver")
            return (interface, link.map { ($0 as NSString).lastPathComponent })
        }
    }

    public static func readInteger(_ path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `/dev/bus/usb/BBB/DDD` under `devRoot`.
    public static func nodePath(devRoot: String, busNumber: Int, deviceAddress: Int) -> String {
        func threeDigits(_ value: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, 3 - text.count)) + text
        }
        return devRoot + "/bus/usb/" + threeDigits(busNumber) + "/" + threeDigits(deviceAddress)
    }

    /// The kernel driver bound to one interface ("1-3:1.0/driver" → "uvcvideo"), nil when none.
    public static func boundDriver(deviceName: String, interface: UInt8, configuration: UInt8,
                                   sysfsRoot: String = "/sys") -> String? {
        let path = sysfsRoot + "/bus/usb/devices/\(deviceName):\(configuration).\(interface)/driver"
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { ($0 as NSString).lastPathComponent }
    }

    /// What the ladder's first rungs need to know about a device: its node, whether this user may
    /// use it, and which kernel drivers hold its interfaces.
    public static func accessFacts(
        deviceName: String, busNumber: Int, deviceAddress: Int, detachable: [String],
        sysfsRoot: String = "/sys", devRoot: String = "/dev"
    ) -> DeviceAccessFacts {
        let node = nodePath(devRoot: devRoot, busNumber: busNumber, deviceAddress: deviceAddress)
        let exists = FileManager.default.fileExists(atPath: node)
        var bound: [UInt8: String] = [:]
        let directory = sysfsRoot + "/bus/usb/devices"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for name in names where name.hasPrefix(deviceName + ":") {
                guard let number = name.split(separator: ".").last.flatMap({ UInt8($0) }),
                      let link = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + name + "/driver")
                else { continue }
                bound[number] = (link as NSString).lastPathComponent
            }
        }
        return DeviceAccessFacts(
            deviceNode: exists ? node : nil,
            nodeReadable: exists ? access(node, R_OK) == 0 : nil,
            nodeWritable: exists ? access(node, W_OK) == 0 : nil,
            boundKernelDrivers: bound, detachableKernelDrivers: detachable)
    }
}
