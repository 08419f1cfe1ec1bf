import BioCapture
import CUMockdev
import CVirtualUSB
import Foundation
import USBDescriptors

typealias IoctlData = UnsafeMutablePointer<UMockdevIoctlData>

/// usbdevfs ioctl request codes (x86-64) and the layout of `struct usbdevfs_urb`.
enum USBDevFS {
    static let getCapabilities: UInt = 0x8004_551A
    static let claimInterface: UInt = 0x8004_550F
    static let releaseInterface: UInt = 0x8004_5510
    static let setInterface: UInt = 0x8008_5504
    static let setConfiguration: UInt = 0x8004_5505
    static let clearHalt: UInt = 0x8004_5515
    static let resetEndpoint: UInt = 0x8004_5503
    static let reset: UInt = 0x5514
    static let getDriver: UInt = 0x4104_5508
    static let disconnectClaim: UInt = 0x8108_551B
    static let ioctl: UInt = 0xC010_5512
    static let submitURB: UInt = 0x8038_550A
    static let reapURB: UInt = 0x4008_550C
    static let reapURBNoDelay: UInt = 0x4008_550D
    static let discardURB: UInt = 0x550B
    /// Codes inside USBDEVFS_IOCTL.
    static let ioctlDisconnect: Int32 = 0x5516
    static let ioctlConnect: Int32 = 0x5517

    /// ZERO_PACKET | BULK_CONTINUATION | NO_PACKET_SIZE_LIM | BULK_SCATTER_GATHER | REAP_AFTER_DISCONNECT:
    /// with NO_PACKET_SIZE_LIM libusb sends one URB per bulk transfer.
    static let capabilities: UInt32 = 0x1F

    enum URBType: UInt8 { case isochronous = 0, interrupt = 1, control = 2, bulk = 3 }
    static let urbHeaderSize = 56
    static let isoDescriptorSize = 12
    static let maximumBufferLength = 64 << 20
    static let maximumIsoPackets = 1024
}

/// The fault kinds that act at USB level; the others (corrupt-frame, sensor-defect…) are left
/// in the schedule for device emulators to act out in their payloads.
let usbLevelFaultKinds: Set<FaultKind> = [.disconnect, .powerLoss, .timeout, .stall, .overflow, .shortPacket, .slow]

/// A submitted URB: the client's URB and buffer as umockdev resolved them (we own one
/// reference to each), and the model's view of it.
final class VirtualURB {
    let urb: IoctlData
    let buffer: IoctlData?
    let clientAddress: UInt
    let transfer: VirtualUSBTransfer
    let bufferLength: Int
    var readyAt = ContinuousClock.now
    /// Fault modifiers applied when the reply arrives.
    var shortenReply = false
    var extraDelay: Duration = .zero

    init(urb: IoctlData, buffer: IoctlData?, transfer: VirtualUSBTransfer, bufferLength: Int) {
        self.urb = urb
        self.buffer = buffer
        clientAddress = UInt(urb.pointee.client_addr)
        self.transfer = transfer
        self.bufferLength = bufferLength
    }

    deinit {
        cvirtualusb_object_unref(buffer)
        cvirtualusb_object_unref(urb)
    }

    func store<T>(_ value: T, at offset: Int) {
        guard let bytes = urb.pointee.data else { return }
        UnsafeMutableRawPointer(bytes).storeBytes(of: value, toByteOffset: offset, as: T.self)
    }

    func writeBuffer(_ bytes: ArraySlice<UInt8>, at offset: Int) {
        guard let buffer, let base = buffer.pointee.data, offset >= 0, offset + bytes.count <= bufferLength else { return }
        bytes.withUnsafeBufferPointer { source in
            guard let source = source.baseAddress else { return }
            (base + offset).update(from: source, count: bytes.count)
        }
    }
}

/// What the testbed has seen a device do; for assertions.
public struct VirtualUSBDeviceStatistics: Sendable, Hashable {
    public var submittedTransfers = 0
    public var reapedTransfers = 0
    public var discardedTransfers = 0
    public var clearedHalts: [UInt8] = []
    public var resets = 0
    public var claimedInterfaces: Set<UInt8> = []
    public var configuration: Int = 1
    public var alternateSettings: [UInt8: UInt8] = [:]
    public var unansweredIoctls: [UInt] = []
}

/// One device plugged into a `VirtualUSBTestbed`: answers libusb's usbfs ioctls for its
/// device node on umockdev's thread, hands transfers to its model and acts out faults.
public final class VirtualUSBDevice: @unchecked Sendable, CustomStringConvertible {
    public let model: any VirtualUSBDeviceModel
    public let busNumber: Int
    public let deviceAddress: Int
    /// sysfs path as the testbed knows it, e.g. "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2".
    public let sysfsPath: String
    /// e.g. "/dev/bus/usb/001/002".
    public let deviceNode: String

    let descriptors: USBDeviceDescriptors
    private let deviceDescriptorBytes: [UInt8]
    private let configurationBytes: [[UInt8]]
    /// Called (off umockdev's thread) when a fault unplugs the device.
    var unplugRequested: (@Sendable (VirtualUSBDevice) -> Void)?
    /// Called (off umockdev's thread) when a power-loss fault unplugs the device, which then re-enumerates.
    var powerCycleRequested: (@Sendable (VirtualUSBDevice) -> Void)?
    /// The kernel drivers bound when the device was plugged in (a power cycle binds them again).
    let initialKernelDrivers: [UInt8: String]

    private let lock = NSLock()
    // Guarded by `lock`.
    private var connected = true
    private var kernelDrivers: [UInt8: String]
    private var detachedDrivers: [UInt8: String] = [:]
    private var halted: Set<UInt8> = []
    private var pending: [VirtualURB] = []
    private var completed: [VirtualURB] = []
    private var schedule: FaultSchedule
    private var injected: [FaultKind] = []
    private var sequence = 0
    private var stats = VirtualUSBDeviceStatistics()
    private var slowDelayValue: Duration = .milliseconds(100)

    init(model: any VirtualUSBDeviceModel, busNumber: Int, deviceAddress: Int, port: Int,
         kernelDrivers: [UInt8: String], faultPlan: FaultPlan) {
        self.model = model
        self.busNumber = busNumber
        self.deviceAddress = deviceAddress
        sysfsPath = "/sys/devices/pci0000:00/0000:00:14.0/usb\(busNumber)/\(busNumber)-\(port)"
        deviceNode = String(format: "/dev/bus/usb/%03d/%03d", busNumber, deviceAddress)
        descriptors = model.descriptors
        var device = descriptors.device
        device.numConfigurations = UInt8(truncatingIfNeeded: descriptors.configurations.count)
        deviceDescriptorBytes = USBDescriptorSerializer.bytes(of: device)
        configurationBytes = descriptors.configurations.map(USBDescriptorSerializer.bytes(of:))
        self.kernelDrivers = kernelDrivers
        initialKernelDrivers = kernelDrivers
        schedule = FaultSchedule(faultPlan)
        stats.configuration = Int(descriptors.configurations.first?.configurationValue ?? 0)
    }

    public var description: String { "virtual USB device \(deviceNode) (\(sysfsPath))" }

    // MARK: Controls for tests

    public var isConnected: Bool { lock.withLock { connected } }
    public var statistics: VirtualUSBDeviceStatistics { lock.withLock { stats } }
    /// Transfers submitted and not yet answered.
    public var pendingTransferCount: Int { lock.withLock { pending.count } }

    /// The delay a `slow` fault adds to a reply (100 ms unless set).
    public var slowDelay: Duration {
        get { lock.withLock { slowDelayValue } }
        set { lock.withLock { slowDelayValue = newValue } }
    }

    /// Binds an emulated kernel driver (e.g. "uvcvideo", "usbhid") to an interface: claiming it
    /// fails with EBUSY until the host detaches the driver. The interface's sysfs `driver` link
    /// names it, as the kernel's does.
    public func bindKernelDriver(_ name: String, interface: UInt8) {
        lock.withLock { kernelDrivers[interface] = name }
        driverBound?(self, interface, name)
    }

    /// Called when a test binds a kernel driver, to update the sysfs link.
    var driverBound: (@Sendable (VirtualUSBDevice, UInt8, String) -> Void)?

    /// The sysfs path of an interface of the first configuration, e.g. ".../1-2/1-2:1.0".
    func interfaceSysfsPath(_ interface: UInt8) -> String {
        let name = (sysfsPath as NSString).lastPathComponent
        let configuration = descriptors.configurations.first?.configurationValue ?? 1
        return "\(sysfsPath)/\(name):\(configuration).\(interface)"
    }

    /// The emulated kernel driver bound to an interface, if any.
    public func kernelDriver(interface: UInt8) -> String? { lock.withLock { kernelDrivers[interface] } }

    /// Acts out `kind` on the next transfer the model would handle (`busy` on the next claim).
    public func injectFault(_ kind: FaultKind) { lock.withLock { injected.append(kind) } }

    /// Replaces the fault plan. USB-level kinds: disconnect (unplug), power-loss (unplug, then the
    /// same model re-enumerates as a new device after the testbed's `replugDelay`), timeout,
    /// stall, overflow, short-packet, slow on transfers, busy on claims. Every transfer the model handles is one operation of the
    /// schedule (standard requests the testbed answers itself are not counted), every claim one
    /// more (phase "claim", where only `busy` strikes).
    public func setFaultPlan(_ plan: FaultPlan) { lock.withLock { schedule = FaultSchedule(plan) } }

    /// Ends every pending transfer with -ENODEV and answers all later ioctls with ENODEV
    /// (REAP first drains what has completed). The testbed's `unplug` also removes the device.
    func disconnect() {
        let wasConnected: Bool = lock.withLock {
            guard connected else { return false }
            connected = false
            let now = ContinuousClock.now
            for urb in pending {
                apply(.failure(errno: ENODEV), to: urb)
                urb.readyAt = now
                completed.append(urb)
            }
            pending.removeAll()
            for urb in completed { urb.readyAt = min(urb.readyAt, now) }
            return true
        }
        if wasConnected { model.deviceEvent(.unplugged) }
    }

    /// Drops every URB (testbed teardown).
    func dropAll() {
        lock.withLock {
            pending.removeAll()
            completed.removeAll()
        }
    }

    func isPending(_ transfer: VirtualUSBTransfer) -> Bool {
        lock.withLock { pending.contains { $0.transfer === transfer } }
    }

    func complete(_ transfer: VirtualUSBTransfer, with reply: VirtualUSBReply, delay: Duration) -> Bool {
        lock.withLock {
            guard let index = pending.firstIndex(where: { $0.transfer === transfer }) else { return false }
            let urb = pending.remove(at: index)
            apply(reply, to: urb)
            urb.readyAt = ContinuousClock.now + max(delay, .zero) + urb.extraDelay
            completed.append(urb)
            return true
        }
    }

    // MARK: ioctl handling (umockdev's thread)

    func handleIoctl(_ client: UnsafeMutablePointer<UMockdevIoctlClient>) {
        let request = UInt(umockdev_ioctl_client_get_request(client))
        guard let argument = umockdev_ioctl_client_get_arg(client) else {
            umockdev_ioctl_client_complete(client, -1, EFAULT)
            return
        }
        var keepAlive: [AnyObject] = []
        var resolved: [IoctlData] = []
        let (result, errorNumber) = answer(request, argument, keepAlive: &keepAlive, resolved: &resolved)
        umockdev_ioctl_client_complete(client, result, result < 0 ? errorNumber : 0)
        for data in resolved { cvirtualusb_object_unref(data) }
        _ = keepAlive
        // Told after the host's call has completed and without any testbed lock held.
        for event in lock.withLock({ () -> [VirtualUSBDeviceEvent] in
            defer { pendingEvents.removeAll() }
            return pendingEvents
        }) {
            model.deviceEvent(event)
        }
    }

    /// Events for the model, collected under `lock` while answering an ioctl.
    private var pendingEvents: [VirtualUSBDeviceEvent] = []

    private func resolve(_ data: IoctlData, offset: Int, length: Int, into resolved: inout [IoctlData]) -> IoctlData? {
        var error: UnsafeMutablePointer<GError>?
        let child = umockdev_ioctl_data_resolve(data, gsize(offset), gsize(length), &error)
        if let error { g_error_free(error) }
        if let child { resolved.append(child) }
        return child
    }

    private func load<T>(_ data: IoctlData, _ offset: Int, as type: T.Type) -> T? {
        guard let bytes = data.pointee.data, offset + MemoryLayout<T>.size <= Int(data.pointee.data_len) else { return nil }
        return UnsafeRawPointer(bytes).loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    private func answer(_ request: UInt, _ argument: IoctlData, keepAlive: inout [AnyObject],
                        resolved: inout [IoctlData]) -> (Int, Int32) {
        switch request {
        case USBDevFS.reapURB, USBDevFS.reapURBNoDelay:
            return reap(argument, keepAlive: &keepAlive, resolved: &resolved)
        default:
            break
        }
        guard isConnected else { return (-1, ENODEV) }
        switch request {
        case USBDevFS.getCapabilities:
            guard let value = resolve(argument, offset: 0, length: 4, into: &resolved), let bytes = value.pointee.data else { return (-1, EFAULT) }
            UnsafeMutableRawPointer(bytes).storeBytes(of: USBDevFS.capabilities, as: UInt32.self)
            return (0, 0)
        case USBDevFS.claimInterface:
            guard let value = resolve(argument, offset: 0, length: 4, into: &resolved), let number = load(value, 0, as: UInt32.self) else { return (-1, EFAULT) }
            return claim(UInt8(truncatingIfNeeded: number))
        case USBDevFS.releaseInterface:
            guard let value = resolve(argument, offset: 0, length: 4, into: &resolved), let number = load(value, 0, as: UInt32.self) else { return (-1, EFAULT) }
            let interface = UInt8(truncatingIfNeeded: number)
            return lock.withLock {
                guard stats.claimedInterfaces.remove(interface) != nil else { return (-1, EINVAL) }
                pendingEvents.append(.interfaceReleased(interface))
                return (0, 0)
            }
        case USBDevFS.setInterface:
            guard let value = resolve(argument, offset: 0, length: 8, into: &resolved),
                  let interface = load(value, 0, as: UInt32.self), let alternate = load(value, 4, as: UInt32.self) else { return (-1, EFAULT) }
            return setInterface(UInt8(truncatingIfNeeded: interface), UInt8(truncatingIfNeeded: alternate))
        case USBDevFS.setConfiguration:
            guard let value = resolve(argument, offset: 0, length: 4, into: &resolved), let configuration = load(value, 0, as: Int32.self) else { return (-1, EFAULT) }
            let known = configuration <= 0 || descriptors.configurations.contains { Int32($0.configurationValue) == configuration }
            guard known else { return (-1, EINVAL) }
            lock.withLock {
                stats.configuration = Int(max(0, configuration))
                stats.alternateSettings = [:]
                pendingEvents.append(.configurationSet(Int(max(0, configuration))))
            }
            return (0, 0)
        case USBDevFS.clearHalt:
            guard let value = resolve(argument, offset: 0, length: 4, into: &resolved), let endpoint = load(value, 0, as: UInt32.self) else { return (-1, EFAULT) }
            let address = UInt8(truncatingIfNeeded: endpoint)
            lock.withLock {
                halted.remove(address)
                stats.clearedHalts.append(address)
                pendingEvents.append(.haltCleared(endpoint: address))
            }
            return (0, 0)
        case USBDevFS.resetEndpoint:
            return (0, 0)
        case USBDevFS.reset:
            lock.withLock {
                stats.resets += 1
                halted.removeAll()
                stats.alternateSettings = [:]
                pendingEvents.append(.reset)
            }
            return (0, 0)
        case USBDevFS.getDriver:
            guard let value = resolve(argument, offset: 0, length: 260, into: &resolved), let interface = load(value, 0, as: UInt32.self),
                  let bytes = value.pointee.data else { return (-1, EFAULT) }
            guard let name = lock.withLock({ kernelDrivers[UInt8(truncatingIfNeeded: interface)] }) else { return (-1, ENODATA) }
            let utf8 = Array(name.utf8.prefix(255)) + [0]
            for (offset, byte) in utf8.enumerated() { bytes[4 + offset] = byte }
            return (0, 0)
        case USBDevFS.disconnectClaim:
            // Not answered on purpose: libusb falls back to GETDRIVER + IOCTL(DISCONNECT) + CLAIM.
            return (-1, ENOTTY)
        case USBDevFS.ioctl:
            guard let value = resolve(argument, offset: 0, length: 16, into: &resolved),
                  let interfaceNumber = load(value, 0, as: Int32.self), let code = load(value, 4, as: Int32.self) else { return (-1, EFAULT) }
            return driverControl(UInt8(truncatingIfNeeded: interfaceNumber), code: code)
        case USBDevFS.submitURB:
            return submit(argument, resolved: &resolved)
        case USBDevFS.discardURB:
            guard let address = load(argument, 0, as: UInt.self) else { return (-1, EFAULT) }
            return discard(clientAddress: address)
        default:
            lock.withLock { stats.unansweredIoctls.append(request) }
            return (-1, ENOTTY)
        }
    }

    private func activeConfiguration() -> USBConfigurationDescriptor? {
        let value = lock.withLock { stats.configuration }
        return descriptors.configurations.first { Int($0.configurationValue) == value } ?? descriptors.configurations.first
    }

    private func claim(_ interface: UInt8) -> (Int, Int32) {
        guard activeConfiguration()?.interfaces.contains(where: { $0.number == interface }) ?? false else { return (-1, ENOENT) }
        return lock.withLock {
            if let kind = injected.first(where: { $0 == .busy }), let index = injected.firstIndex(of: kind) {
                injected.remove(at: index)
                return (-1, EBUSY)
            }
            if schedule.hasPending, schedule.next(phase: "claim", eligible: [.busy]) == .busy { return (-1, EBUSY) }
            if kernelDrivers[interface] != nil { return (-1, EBUSY) }
            stats.claimedInterfaces.insert(interface)
            pendingEvents.append(.interfaceClaimed(interface))
            return (0, 0)
        }
    }

    private func setInterface(_ interface: UInt8, _ alternate: UInt8) -> (Int, Int32) {
        let exists = activeConfiguration()?.interfaces.first { $0.number == interface }?
            .alternateSettings.contains { $0.alternateSetting == alternate } ?? false
        guard exists else { return (-1, EINVAL) }
        lock.withLock {
            stats.alternateSettings[interface] = alternate
            pendingEvents.append(.alternateSettingSelected(interface: interface, alternateSetting: alternate))
        }
        return (0, 0)
    }

    private func driverControl(_ interface: UInt8, code: Int32) -> (Int, Int32) {
        lock.withLock {
            switch code {
            case USBDevFS.ioctlDisconnect:
                guard let name = kernelDrivers.removeValue(forKey: interface) else { return (-1, ENODATA) }
                detachedDrivers[interface] = name
                return (0, 0)
            case USBDevFS.ioctlConnect:
                if stats.claimedInterfaces.contains(interface) { return (-1, EBUSY) }
                guard let name = detachedDrivers.removeValue(forKey: interface) else { return (0, 0) }
                kernelDrivers[interface] = name
                return (1, 0)  // libusb reads 0 as "no driver to attach" (NOT_FOUND)
            default:
                return (-1, ENOTTY)
            }
        }
    }

    private func submit(_ argument: IoctlData, resolved: inout [IoctlData]) -> (Int, Int32) {
        guard var urb = resolve(argument, offset: 0, length: USBDevFS.urbHeaderSize, into: &resolved),
              let rawType = load(urb, 0, as: UInt8.self), let type = USBDevFS.URBType(rawValue: rawType),
              let endpoint = load(urb, 1, as: UInt8.self), let bufferLength32 = load(urb, 24, as: Int32.self),
              let packets32 = load(urb, 36, as: Int32.self)
        else { return (-1, EFAULT) }
        let bufferLength = Int(bufferLength32)
        guard (0...USBDevFS.maximumBufferLength).contains(bufferLength) else { return (-1, EINVAL) }
        var packetLengths: [Int] = []
        if type == .isochronous {
            let packetCount = Int(packets32)
            guard (1...USBDevFS.maximumIsoPackets).contains(packetCount) else { return (-1, EINVAL) }
            // The header was resolved without room for the packet descriptors: drop the cached
            // resolution, put the client's URB address back and resolve the whole URB.
            let clientAddress = urb.pointee.client_addr
            var error: UnsafeMutablePointer<GError>?
            _ = umockdev_ioctl_data_reload(argument, &error)
            if let error { g_error_free(error) }
            guard let slot = argument.pointee.data, argument.pointee.data_len >= 8 else { return (-1, EFAULT) }
            UnsafeMutableRawPointer(slot).storeBytes(of: clientAddress, as: gulong.self)
            guard let whole = resolve(argument, offset: 0, length: USBDevFS.urbHeaderSize + packetCount * USBDevFS.isoDescriptorSize, into: &resolved)
            else { return (-1, EFAULT) }
            urb = whole
            for index in 0..<packetCount {
                guard let length = load(urb, USBDevFS.urbHeaderSize + index * USBDevFS.isoDescriptorSize, as: UInt32.self) else { return (-1, EFAULT) }
                packetLengths.append(Int(length))
            }
            guard packetLengths.reduce(0, +) <= bufferLength else { return (-1, EINVAL) }
        }
        if type == .control && bufferLength < 8 { return (-1, EINVAL) }
        if type != .control {
            let known = activeConfiguration()?.interfaces.contains { interface in
                interface.alternateSettings.contains { $0.endpoints.contains { $0.address == endpoint } }
            } ?? false
            guard known else { return (-1, ENOENT) }
        }
        var buffer: IoctlData?
        if bufferLength > 0 {
            guard let resolvedBuffer = resolve(urb, offset: 16, length: bufferLength, into: &resolved) else { return (-1, EFAULT) }
            buffer = resolvedBuffer
        }
        let bufferBytes: [UInt8] = buffer.flatMap { data in
            data.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: bufferLength)) }
        } ?? []

        var setup: USBControlSetup?
        var outData: [UInt8] = []
        var requested = 0
        let transferType: USBTransferType
        switch type {
        case .control:
            transferType = .control
            setup = USBControlSetup(bytes: bufferBytes.prefix(8))
            let dataLength = min(Int(setup?.length ?? 0), bufferLength - 8)
            if setup?.isDeviceToHost ?? false {
                requested = dataLength
            } else {
                outData = Array(bufferBytes[8..<(8 + dataLength)])
            }
        case .bulk, .interrupt, .isochronous:
            transferType = type == .bulk ? .bulk : type == .interrupt ? .interrupt : .isochronous
            if endpoint & 0x80 != 0 { requested = bufferLength } else { outData = bufferBytes }
        }

        // Both references now belong to the URB record (and are released with it).
        for data in [urb, buffer].compactMap({ $0 }) {
            _ = cvirtualusb_object_ref(data)
        }
        let (virtualURB, fault, standardReply, haltedNow): (VirtualURB, FaultKind?, VirtualUSBReply?, Bool) = lock.withLock {
            sequence += 1
            stats.submittedTransfers += 1
            let transfer = VirtualUSBTransfer(
                type: transferType, endpoint: endpoint, setup: setup, outData: outData, requestedLength: requested,
                isochronousPacketLengths: packetLengths, sequenceNumber: sequence)
            transfer.device = self
            let record = VirtualURB(urb: urb, buffer: buffer, transfer: transfer, bufferLength: bufferLength)
            pending.append(record)
            let isHalted = (transferType == .bulk || transferType == .interrupt) && halted.contains(endpoint)
            let standard = setup.flatMap(standardReply(to:))
            var fault: FaultKind?
            if !isHalted && standard == nil {
                if let index = injected.firstIndex(where: { usbLevelFaultKinds.contains($0) }) {
                    fault = injected.remove(at: index)
                } else if schedule.hasPending {
                    fault = schedule.next(eligible: usbLevelFaultKinds)
                }
            }
            switch fault {
            case .shortPacket: record.shortenReply = true
            case .slow: record.extraDelay = slowDelayValue
            default: break
            }
            return (record, fault, standard, isHalted)
        }
        let transfer = virtualURB.transfer
        if haltedNow {
            _ = complete(transfer, with: .stall, delay: .zero)
            return (0, 0)
        }
        if let standardReply {
            _ = complete(transfer, with: standardReply, delay: .zero)
            return (0, 0)
        }
        switch fault {
        case .disconnect:
            disconnect()
            if let unplugRequested {
                DispatchQueue.global().async { unplugRequested(self) }
            }
        case .powerLoss:
            disconnect()
            if let powerCycleRequested {
                DispatchQueue.global().async { powerCycleRequested(self) }
            }
        case .timeout:
            break  // stays pending until libusb discards it at its deadline
        case .stall:
            _ = complete(transfer, with: .stall, delay: .zero)
        case .overflow:
            _ = complete(transfer, with: .failure(errno: EOVERFLOW), delay: .zero)
        default:
            if let reply = model.handle(transfer) {
                _ = complete(transfer, with: reply, delay: .zero)
            }
        }
        return (0, 0)
    }

    /// The standard requests the testbed answers from the descriptors; nil for everything else.
    private func standardReply(to setup: USBControlSetup) -> VirtualUSBReply? {
        guard setup.requestType & 0x60 == 0 else { return nil }
        switch (setup.requestType, setup.request) {
        case (0x80, 0x06):  // GET_DESCRIPTOR
            let descriptorType = UInt8(setup.value >> 8)
            let index = Int(setup.value & 0xFF)
            switch descriptorType {
            case 0x01: return .data(deviceDescriptorBytes)
            case 0x02: return index < configurationBytes.count ? .data(configurationBytes[index]) : .stall
            case 0x03:
                if index == 0 { return .data(USBDescriptorSerializer.languageDescriptor([0x0409])) }
                guard let text = model.strings[UInt8(index)] else { return .stall }
                return .data(USBDescriptorSerializer.stringDescriptor(text))
            default: return .stall
            }
        case (0x80, 0x00), (0x81, 0x00), (0x82, 0x00):  // GET_STATUS
            return .data([0, 0])
        case (0x80, 0x08):  // GET_CONFIGURATION
            return .data([UInt8(truncatingIfNeeded: stats.configuration)])
        default:
            return nil
        }
    }

    /// Writes a reply into the URB (status, actual length, IN data). Caller holds `lock`.
    private func apply(_ reply: VirtualUSBReply, to urb: VirtualURB) {
        let transfer = urb.transfer
        var reply = reply
        if urb.shortenReply {
            switch reply {
            case .data(let bytes) where transfer.isIn: reply = .data(Array(bytes.prefix(bytes.count / 2)))
            case .data, .accepted: reply = .accepted(transfer.outData.count / 2)
            default: break
            }
        }
        var status: Int32 = 0
        var actual = 0
        var errorCount: Int32 = 0
        let dataOffset = transfer.type == .control ? 8 : 0
        switch reply {
        case .data(let bytes) where transfer.type == .isochronous:
            var packets: [VirtualUSBIsochronousPacket] = []
            var rest = bytes[...]
            for length in transfer.isochronousPacketLengths {
                packets.append(VirtualUSBIsochronousPacket(data: Array(rest.prefix(length))))
                rest = rest.dropFirst(length)
            }
            (actual, errorCount) = writeIsochronous(packets, to: urb)
        case .data(let bytes):
            if transfer.isIn {
                let count = min(bytes.count, transfer.requestedLength)
                urb.writeBuffer(bytes[0..<count], at: dataOffset)
                actual = count
                // A device answers a control request with at most wLength bytes; on bulk and
                // interrupt endpoints more data than the host asked for is babble.
                if bytes.count > transfer.requestedLength && transfer.type != .control { status = -EOVERFLOW }
            } else {
                actual = transfer.outData.count
            }
        case .accepted(let count):
            actual = transfer.isIn ? 0 : min(max(0, count), transfer.outData.count)
        case .stall:
            status = -EPIPE
            if transfer.type == .bulk || transfer.type == .interrupt { halted.insert(transfer.endpoint) }
        case .failure(let errorNumber):
            status = -abs(errorNumber)
        case .isochronous(let packets):
            (actual, errorCount) = writeIsochronous(packets, to: urb)
        }
        urb.store(status, at: 4)
        urb.store(Int32(actual), at: 28)
        if transfer.type == .isochronous { urb.store(errorCount, at: 40) }
    }

    private func writeIsochronous(_ packets: [VirtualUSBIsochronousPacket], to urb: VirtualURB) -> (Int, Int32) {
        var offset = 0
        var total = 0
        var errors: Int32 = 0
        for (index, length) in urb.transfer.isochronousPacketLengths.enumerated() {
            let packet = index < packets.count ? packets[index] : VirtualUSBIsochronousPacket(data: [])
            let count = min(packet.data.count, length)
            if urb.transfer.isIn { urb.writeBuffer(packet.data[0..<count], at: offset) }
            let descriptor = USBDevFS.urbHeaderSize + index * USBDevFS.isoDescriptorSize
            let packetActual = urb.transfer.isIn ? count : length
            urb.store(UInt32(packetActual), at: descriptor + 4)
            urb.store(UInt32(bitPattern: -abs(packet.status)), at: descriptor + 8)
            if packet.status != 0 { errors += 1 }
            total += packetActual
            offset += length
        }
        return (total, errors)
    }

    private func reap(_ argument: IoctlData, keepAlive: inout [AnyObject], resolved: inout [IoctlData]) -> (Int, Int32) {
        let (record, isConnected): (VirtualURB?, Bool) = lock.withLock {
            let now = ContinuousClock.now
            guard let index = completed.firstIndex(where: { $0.readyAt <= now }) else { return (nil, connected) }
            stats.reapedTransfers += 1
            return (completed.remove(at: index), connected)
        }
        guard let record else { return (-1, isConnected ? EAGAIN : ENODEV) }
        guard let slot = resolve(argument, offset: 0, length: MemoryLayout<UInt>.size, into: &resolved) else {
            lock.withLock { completed.insert(record, at: 0) }
            return (-1, EFAULT)
        }
        _ = umockdev_ioctl_data_set_ptr(slot, 0, record.urb)
        keepAlive.append(record)
        return (0, 0)
    }

    private func discard(clientAddress: UInt) -> (Int, Int32) {
        lock.withLock {
            let now = ContinuousClock.now
            if let index = pending.firstIndex(where: { $0.clientAddress == clientAddress }) {
                let urb = pending.remove(at: index)
                urb.shortenReply = false
                apply(.failure(errno: ENOENT), to: urb)
                urb.readyAt = now
                completed.append(urb)
                stats.discardedTransfers += 1
                return (0, 0)
            }
            // A reply that has not "arrived" yet (slow) can still be unlinked.
            if let index = completed.firstIndex(where: { $0.clientAddress == clientAddress && $0.readyAt > now }) {
                let urb = completed[index]
                urb.shortenReply = false
                apply(.failure(errno: ENOENT), to: urb)
                urb.readyAt = now
                stats.discardedTransfers += 1
                return (0, 0)
            }
            return (-1, EINVAL)
        }
    }
}

/// The "handle-ioctl" signal handler; `user_data` is the device (retained while attached).
let virtualUSBHandleIoctl: cvirtualusb_handle_ioctl_fn = { _, client, userData in
    guard let client, let userData else { return 0 }
    Unmanaged<VirtualUSBDevice>.fromOpaque(userData).takeUnretainedValue().handleIoctl(client)
    return 1
}
