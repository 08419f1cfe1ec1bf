import BioCapture
import CUMockdev
import CVirtualUSB
import Foundation
import USBDescriptors

/// A failure to build or drive the umockdev testbed.
public struct VirtualUSBError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// An in-process umockdev testbed (`umockdev_testbed_new`) whose USB devices are Swift models.
///
/// Rules (all learned the hard way):
/// - Requires the preload (`umockdev-wrapper swift test`); see `VirtualUSB.requireEmulation()`.
/// - The testbed is process-global (it redirects `/sys` and `/dev` through `$UMOCKDEV_DIR`):
///   one at a time, tests run serially.
/// - Create it before any `USBContext`: libusb reads the emulated `/sys` at `libusb_init`.
/// - libusb's udev hotplug monitor is process-wide and binds to the testbed that exists when the
///   first context starts; it restarts only when every context has been released. So close
///   and release every `USBContext`, and every `USBDeviceHandle`/`USBDeviceInfo` (they keep
///   libusb alive) before closing the testbed; otherwise the next testbed gets no hotplug
///   events (arrivals and unplugs go unnoticed).
/// - Closing takes about 0.2 s (umockdev's teardown).
///
/// ```swift
/// let testbed = try VirtualUSBTestbed()
/// let model = ScriptedUSBDevice()
/// let device = try testbed.add(model)
/// // … USBContext, open, transfers; device.injectFault(.stall); testbed.unplug(device) …
/// testbed.close()
/// ```
public final class VirtualUSBTestbed: @unchecked Sendable {
    private let testbed: UnsafeMutablePointer<UMockdevTestbed>
    private let lock = NSLock()
    /// Serializes the calls that change the testbed's files (add, unplug, close): umockdev's
    /// testbed is not thread-safe, and a fault may unplug a device from another thread.
    private let operations = NSLock()
    // Guarded by `lock`.
    private var attachments: [Attachment] = []
    private var nextAddress: [Int: Int] = [:]
    private var closed = false
    private var replugDelayValue: Duration = .milliseconds(200)

    /// How long a device that lost power stays away before it re-enumerates (200 ms unless set).
    public var replugDelay: Duration {
        get { lock.withLock { replugDelayValue } }
        set { lock.withLock { replugDelayValue = newValue } }
    }

    private struct Attachment {
        var device: VirtualUSBDevice
        var handler: UnsafeMutablePointer<UMockdevIoctlBase>
        var signalID: gulong
        var retained: Unmanaged<VirtualUSBDevice>
        var plugged: Bool
    }

    /// Creates the testbed; throws when the umockdev preload is not active.
    public init() throws(VirtualUSBError) {
        guard VirtualUSB.isEmulationActive else { throw VirtualUSBError(VirtualUSB.unavailableReason) }
        guard let testbed = umockdev_testbed_new() else { throw VirtualUSBError("umockdev_testbed_new failed") }
        self.testbed = testbed
    }

    deinit { close() }

    /// The devices currently plugged in.
    public var devices: [VirtualUSBDevice] {
        lock.withLock { attachments.filter(\.plugged).map(\.device) }
    }

    /// Plugs a device in: writes its sysfs entry (with the `descriptors` attribute serialized
    /// from the model), attaches an ioctl handler to its node and emits the "add" uevent (a
    /// hotplug arrival for a running libusb).
    ///
    /// - Parameters:
    ///   - busNumber: the bus (1 unless given).
    ///   - deviceAddress: the device number on the bus; the next free one (from 2) unless given.
    ///   - kernelDrivers: emulated kernel drivers bound per interface ("uvcvideo", "usbhid").
    ///   - faultPlan: USB-level faults to act out (disconnect, timeout, stall, overflow,
    ///     short-packet, slow on transfers; busy on claims). Restrict it to the device's modality first.
    @discardableResult
    public func add(
        _ model: any VirtualUSBDeviceModel, busNumber: Int = 1, deviceAddress: Int? = nil,
        kernelDrivers: [UInt8: String] = [:], faultPlan: FaultPlan = FaultPlan()
    ) throws(VirtualUSBError) -> VirtualUSBDevice {
        operations.lock()
        defer { operations.unlock() }
        guard (1...127).contains(busNumber) else { throw VirtualUSBError("bus number \(busNumber) is out of range 1...127") }
        let allocation: Result<Int, VirtualUSBError> = lock.withLock {
            guard !closed else { return .failure(VirtualUSBError("the testbed is closed")) }
            let address = deviceAddress ?? nextAddress[busNumber, default: 2]
            guard (1...127).contains(address) else {
                return .failure(VirtualUSBError("device address \(address) is out of range 1...127"))
            }
            guard !attachments.contains(where: { $0.plugged && $0.device.busNumber == busNumber && $0.device.deviceAddress == address }) else {
                return .failure(VirtualUSBError("bus \(busNumber) already has a device at address \(address)"))
            }
            nextAddress[busNumber] = max(nextAddress[busNumber, default: 2], address + 1)
            return .success(address)
        }
        let address = try allocation.get()
        let device = VirtualUSBDevice(
            model: model, busNumber: busNumber, deviceAddress: address, port: address,
            kernelDrivers: kernelDrivers, faultPlan: faultPlan)
        device.unplugRequested = { [weak self] device in self?.unplug(device) }
        device.powerCycleRequested = { [weak self] device in self?.powerCycle(device) }

        guard let handler = umockdev_ioctl_base_new() else { throw VirtualUSBError("umockdev_ioctl_base_new failed") }
        let retained = Unmanaged.passRetained(device)
        let signalID = cvirtualusb_connect_handle_ioctl(handler, virtualUSBHandleIoctl, retained.toOpaque())
        device.driverBound = { [weak self] device, interface, name in
            self?.linkDriver(name, interface: interface, of: device)
        }
        // Everything is in place before the "add" uevent that add_from_string sends: a hotplug
        // listener may open the device the moment it arrives.
        var error: UnsafeMutablePointer<GError>?
        guard umockdev_testbed_attach_ioctl(testbed, device.deviceNode, handler, &error) != 0 else {
            let message = Self.take(error)
            cvirtualusb_disconnect(handler, signalID)
            cvirtualusb_object_unref(handler)
            retained.release()
            throw VirtualUSBError("umockdev_testbed_attach_ioctl(\(device.deviceNode)) failed: \(message)")
        }
        lock.withLock {
            attachments.append(Attachment(device: device, handler: handler, signalID: signalID, retained: retained, plugged: true))
        }
        let texts = [Self.umockdevDescription(of: device, model: model)]
            + Self.umockdevInterfaceDescriptions(of: device, kernelDrivers: kernelDrivers)
        for text in texts where umockdev_testbed_add_from_string(testbed, text, &error) == 0 {
            let message = Self.take(error)
            _ = umockdev_testbed_detach_ioctl(testbed, device.deviceNode, &error)
            _ = Self.take(error)
            lock.withLock { attachments.removeAll { $0.device === device } }
            cvirtualusb_disconnect(handler, signalID)
            cvirtualusb_object_unref(handler)
            retained.release()
            throw VirtualUSBError("umockdev_testbed_add_from_string failed: \(message)")
        }
        return device
    }

    /// Unplugs a device as a cable pull does: pending transfers end with -ENODEV, later ioctls
    /// fail with ENODEV, then the "remove" uevent is sent (hotplug LEFT) and the device leaves
    /// sysfs. Idempotent.
    public func unplug(_ device: VirtualUSBDevice) {
        operations.lock()
        defer { operations.unlock() }
        device.disconnect()
        let index: Int? = lock.withLock {
            guard !closed else { return nil }
            return attachments.firstIndex { $0.device === device && $0.plugged }
        }
        guard let index else { return }
        umockdev_testbed_uevent(testbed, device.sysfsPath, "remove")
        umockdev_testbed_remove_device(testbed, device.sysfsPath)
        lock.withLock { attachments[index].plugged = false }
    }

    /// Unplugs a device and plugs its model in again after `replugDelay`, as a new device (new
    /// address) with the kernel drivers it started with: what a power loss looks like to the host.
    public func powerCycle(_ device: VirtualUSBDevice) {
        unplug(device)
        let delay = replugDelay
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [weak self] in
            // A testbed closed meanwhile refuses the device; nothing else can go wrong here.
            _ = try? self?.add(device.model, busNumber: device.busNumber, kernelDrivers: device.initialKernelDrivers)
        }
    }

    /// Detaches every ioctl handler and removes the testbed. Close every `USBContext` first.
    /// Idempotent.
    public func close() {
        operations.lock()
        defer { operations.unlock() }
        let toDetach: [Attachment]? = lock.withLock {
            guard !closed else { return nil }
            closed = true
            defer { attachments.removeAll() }
            return attachments
        }
        guard let toDetach else { return }
        for attachment in toDetach {
            var error: UnsafeMutablePointer<GError>?
            _ = umockdev_testbed_detach_ioctl(testbed, attachment.device.deviceNode, &error)
            _ = Self.take(error)
            cvirtualusb_disconnect(attachment.handler, attachment.signalID)
            cvirtualusb_object_unref(attachment.handler)
            attachment.device.dropAll()
            attachment.retained.release()
        }
        cvirtualusb_object_unref(testbed)
    }

    private func linkDriver(_ name: String, interface: UInt8, of device: VirtualUSBDevice) {
        operations.lock()
        defer { operations.unlock() }
        guard !lock.withLock({ closed }) else { return }
        umockdev_testbed_set_attribute_link(testbed, device.interfaceSysfsPath(interface), "driver", Self.driverLinkTarget(name))
    }

    private static func driverLinkTarget(_ name: String) -> String {
        "../../../../../../bus/usb/drivers/\(name)"
    }

    /// One paragraph per interface of the first configuration (`DEVTYPE=usb_interface`, which
    /// libusb ignores), with a `driver` link when a kernel driver is bound.
    static func umockdevInterfaceDescriptions(of device: VirtualUSBDevice, kernelDrivers: [UInt8: String]) -> [String] {
        guard let configuration = device.descriptors.configurations.first else { return [] }
        return configuration.interfaces.map { interface in
            let setting = interface.alternateSettings.first
            var lines = [
                "P: " + device.interfaceSysfsPath(interface.number).dropFirst("/sys".count),
                "E: SUBSYSTEM=usb",
                "E: DEVTYPE=usb_interface",
                "E: INTERFACE=\(setting?.interfaceClass ?? 0)/\(setting?.interfaceSubClass ?? 0)/\(setting?.interfaceProtocol ?? 0)",
                String(format: "A: bInterfaceNumber=%02x", interface.number),
                String(format: "A: bInterfaceClass=%02x", setting?.interfaceClass ?? 0),
                "A: bNumEndpoints=\(setting?.endpoints.count ?? 0)",
            ]
            if let driver = kernelDrivers[interface.number] {
                lines.append("E: DRIVER=\(driver)")
                lines.append("L: driver=\(driverLinkTarget(driver))")
            }
            return lines.joined(separator: "\n") + "\n\n"
        }
    }

    private static func take(_ error: UnsafeMutablePointer<GError>?) -> String {
        guard let error else { return "unknown error" }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }

    /// The device in umockdev's text format (`umockdev-record` output), with the sysfs
    /// attributes libusb reads: busnum, devnum, speed, bConfigurationValue, descriptors.
    static func umockdevDescription(of device: VirtualUSBDevice, model: any VirtualUSBDeviceModel) -> String {
        let descriptors = device.descriptors
        let deviceDescriptor = descriptors.device
        let bus = String(format: "%03d", device.busNumber)
        let address = String(format: "%03d", device.deviceAddress)
        let minor = (device.busNumber - 1) * 128 + device.deviceAddress - 1
        let descriptorHex = USBDescriptorSerializer.sysfsBytes(of: descriptors).map { String(format: "%02X", $0) }.joined()
        let configuration = descriptors.configurations.first
        var lines = [
            "P: " + device.sysfsPath.dropFirst("/sys".count),
            "N: bus/usb/\(bus)/\(address)",
            "E: DEVNAME=/dev/bus/usb/\(bus)/\(address)",
            "E: DEVTYPE=usb_device",
            "E: DRIVER=usb",
            "E: PRODUCT=\(String(deviceDescriptor.vendorID, radix: 16))/\(String(deviceDescriptor.productID, radix: 16))/\(String(deviceDescriptor.deviceVersion.rawValue, radix: 16))",
            "E: TYPE=\(deviceDescriptor.deviceClass)/\(deviceDescriptor.deviceSubClass)/\(deviceDescriptor.deviceProtocol)",
            "E: BUSNUM=\(bus)",
            "E: DEVNUM=\(address)",
            "E: MAJOR=189",
            "E: MINOR=\(minor)",
            "E: SUBSYSTEM=usb",
            String(format: "E: ID_VENDOR_ID=%04x", deviceDescriptor.vendorID),
            String(format: "E: ID_MODEL_ID=%04x", deviceDescriptor.productID),
            "E: ID_BUS=usb",
            "A: authorized=1",
            "A: bConfigurationValue=\(configuration?.configurationValue ?? 0)\\n",
            String(format: "A: bDeviceClass=%02x", deviceDescriptor.deviceClass),
            String(format: "A: bDeviceProtocol=%02x", deviceDescriptor.deviceProtocol),
            String(format: "A: bDeviceSubClass=%02x", deviceDescriptor.deviceSubClass),
            "A: bMaxPacketSize0=\(deviceDescriptor.maxPacketSize0)",
            "A: bNumConfigurations=\(descriptors.configurations.count)",
            "A: bNumInterfaces=\(configuration?.interfaces.count ?? 0)",
            String(format: "A: bcdDevice=%04x", deviceDescriptor.deviceVersion.rawValue),
            String(format: "A: bmAttributes=%02x", configuration?.attributes ?? 0x80),
            "A: busnum=\(device.busNumber)\\n",
            "A: devnum=\(device.deviceAddress)\\n",
            "A: devpath=\(device.deviceAddress)",
            "A: dev=189:\(minor)",
            String(format: "A: idProduct=%04x", deviceDescriptor.productID),
            String(format: "A: idVendor=%04x", deviceDescriptor.vendorID),
            "A: speed=\(sysfsSpeed(model.speed))\\n",
            "A: version=\(deviceDescriptor.usbVersion)",
        ]
        let strings = model.strings
        for (name, index) in [("manufacturer", deviceDescriptor.manufacturerStringIndex),
                              ("product", deviceDescriptor.productStringIndex),
                              ("serial", deviceDescriptor.serialNumberStringIndex)] {
            if index != 0, let text = strings[index] { lines.append("A: \(name)=\(escape(text))") }
        }
        lines.append("H: descriptors=\(descriptorHex)")
        return lines.joined(separator: "\n") + "\n\n"
    }

    private static func sysfsSpeed(_ speed: USBSpeed) -> String {
        switch speed {
        case .low: "1.5"
        case .full: "12"
        case .high: "480"
        case .superSpeed: "5000"
        case .superSpeedPlus: "10000"
        case .unknown: "unknown"
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
