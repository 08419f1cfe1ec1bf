import BioCapture
import Foundation
import USBDescriptors

/// A scriptable device for tests and benchmarks (VID 0x1209, PID 0x0001, high speed):
///
/// - interface 0 (vendor class): bulk OUT 0x01 and bulk IN 0x81 form a loopback (bytes written
///   to 0x01 come back on 0x81; a read waits, pending, until there is something to return);
///   interrupt IN 0x82 returns the packets the test pushes with `pushInterrupt(_:)` (pending until then);
/// - interface 1: alternate setting 0 without endpoints, alternate setting 1 with isochronous
///   IN 0x83 (1024 bytes); every packet `n` of a transfer is filled with the byte `n & 0xFF`
///   (`isochronousFill` bytes of it, at most the packet length);
/// - vendor control requests: OUT 0x01 writes register `wValue` with the data stage, IN 0x02
///   reads it back (stall for an unknown register), 0x03 always stalls.
///
/// Every request the device sees is kept in `log`.
public final class ScriptedUSBDevice: VirtualUSBDeviceModel, @unchecked Sendable {
    public static let vendorID: UInt16 = 0x1209
    public static let productID: UInt16 = 0x0001
    public static let bulkOut: UInt8 = 0x01
    public static let bulkIn: UInt8 = 0x81
    public static let interruptIn: UInt8 = 0x82
    public static let isochronousIn: UInt8 = 0x83
    public static let writeRegister: UInt8 = 0x01
    public static let readRegister: UInt8 = 0x02
    public static let alwaysStall: UInt8 = 0x03

    public let descriptors: USBDeviceDescriptors
    public let strings: [UInt8: String]
    public let speed: USBSpeed

    private let lock = NSLock()
    // Guarded by `lock`.
    private var loopback: [UInt8] = []
    private var waitingBulkReads: [VirtualUSBTransfer] = []
    private var interruptPackets: [[UInt8]] = []
    private var waitingInterruptReads: [VirtualUSBTransfer] = []
    private var registerValues: [UInt16: [UInt8]]
    private var requests: [String] = []
    private var events: [VirtualUSBDeviceEvent] = []
    private var fill = 16

    public init(
        productID: UInt16 = ScriptedUSBDevice.productID, serialNumber: String = "VUSB-0001",
        registers: [UInt16: [UInt8]] = [:], speed: USBSpeed = .high
    ) {
        let bulkPacket: UInt16 = speed == .high ? 512 : 64
        descriptors = USBDeviceDescriptors(
            device: USBDeviceDescriptor(
                usbVersion: USBBCDVersion(rawValue: 0x0200), deviceClass: 0, deviceSubClass: 0, deviceProtocol: 0,
                maxPacketSize0: 64, vendorID: Self.vendorID, productID: productID,
                deviceVersion: USBBCDVersion(rawValue: 0x0100), manufacturerStringIndex: 1, productStringIndex: 2,
                serialNumberStringIndex: 3, numConfigurations: 1),
            configurations: [
                USBConfigurationDescriptor(
                    totalLength: 0, configurationValue: 1, configurationStringIndex: 0, attributes: 0x80, maxPower: 50,
                    interfaces: [
                        USBInterface(number: 0, alternateSettings: [
                            USBInterfaceDescriptor(
                                interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0xFF, interfaceSubClass: 0,
                                interfaceProtocol: 0, interfaceStringIndex: 4,
                                endpoints: [
                                    USBEndpointDescriptor(address: Self.bulkIn, attributes: 0x02, maxPacketSizeField: bulkPacket, interval: 0),
                                    USBEndpointDescriptor(address: Self.bulkOut, attributes: 0x02, maxPacketSizeField: bulkPacket, interval: 0),
                                    USBEndpointDescriptor(address: Self.interruptIn, attributes: 0x03, maxPacketSizeField: 8, interval: 4),
                                ]),
                        ]),
                        USBInterface(number: 1, alternateSettings: [
                            USBInterfaceDescriptor(
                                interfaceNumber: 1, alternateSetting: 0, interfaceClass: 0xFF, interfaceSubClass: 1,
                                interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: []),
                            USBInterfaceDescriptor(
                                interfaceNumber: 1, alternateSetting: 1, interfaceClass: 0xFF, interfaceSubClass: 1,
                                interfaceProtocol: 0, interfaceStringIndex: 0,
                                endpoints: [
                                    USBEndpointDescriptor(address: Self.isochronousIn, attributes: 0x05, maxPacketSizeField: 1024, interval: 1),
                                ],
                                extra: [0x05, 0x24, 0x01, 0x10, 0x01]),
                        ]),
                    ]),
            ])
        strings = [1: "BioCapture Test", 2: "Scripted USB Device", 3: serialNumber, 4: "Loopback"]
        registerValues = registers
        self.speed = speed
    }

    /// The requests seen so far, described (e.g. "bulk OUT 0x1 4 bytes").
    public var log: [String] { lock.withLock { requests } }

    /// The state changes the testbed reported, in order.
    public var deviceEvents: [VirtualUSBDeviceEvent] { lock.withLock { events } }

    public func deviceEvent(_ event: VirtualUSBDeviceEvent) {
        lock.withLock { events.append(event) }
    }

    /// The register values now.
    public var registers: [UInt16: [UInt8]] { lock.withLock { registerValues } }

    /// How many bytes of each isochronous packet are filled (16 unless set).
    public var isochronousFill: Int {
        get { lock.withLock { fill } }
        set { lock.withLock { fill = max(0, newValue) } }
    }

    /// Queues a packet for interrupt IN 0x82, completing a waiting read at once if there is one.
    public func pushInterrupt(_ packet: [UInt8]) {
        var queued = false
        while !queued {
            let waiting: VirtualUSBTransfer? = lock.withLock {
                if waitingInterruptReads.isEmpty {
                    interruptPackets.append(packet)
                    return nil
                }
                return waitingInterruptReads.removeFirst()
            }
            guard let waiting else { return }
            // A read the host has meanwhile discarded does not take the packet.
            queued = waiting.complete(.data(packet))
        }
    }

    public func handle(_ transfer: VirtualUSBTransfer) -> VirtualUSBReply? {
        lock.withLock { requests.append(transfer.description) }
        switch transfer.type {
        case .control:
            return control(transfer)
        case .bulk where transfer.endpoint == Self.bulkOut:
            feedLoopback(transfer.outData)
            return .done
        case .bulk where transfer.endpoint == Self.bulkIn:
            return lock.withLock {
                if loopback.isEmpty {
                    waitingBulkReads.append(transfer)
                    return nil
                }
                let count = min(loopback.count, transfer.requestedLength)
                let bytes = Array(loopback.prefix(count))
                loopback.removeFirst(count)
                return .data(bytes)
            }
        case .interrupt where transfer.endpoint == Self.interruptIn:
            return lock.withLock {
                if interruptPackets.isEmpty {
                    waitingInterruptReads.append(transfer)
                    return nil
                }
                return .data(interruptPackets.removeFirst())
            }
        case .isochronous where transfer.endpoint == Self.isochronousIn:
            let fill = isochronousFill
            return .isochronous(transfer.isochronousPacketLengths.enumerated().map { index, length in
                VirtualUSBIsochronousPacket(data: Array(repeating: UInt8(truncatingIfNeeded: index), count: min(fill, length)))
            })
        default:
            return .stall
        }
    }

    private func feedLoopback(_ bytes: [UInt8]) {
        var remaining = bytes[...]
        while true {
            let (waiting, reply): (VirtualUSBTransfer?, [UInt8]) = lock.withLock {
                loopback += remaining
                remaining = []
                guard !loopback.isEmpty, !waitingBulkReads.isEmpty else { return (nil, []) }
                let reader = waitingBulkReads.removeFirst()
                let count = min(loopback.count, reader.requestedLength)
                let bytes = Array(loopback.prefix(count))
                loopback.removeFirst(count)
                return (reader, bytes)
            }
            guard let waiting else { return }
            if !waiting.complete(.data(reply)) {
                // The read was discarded meanwhile: the bytes go back to the front of the loopback.
                lock.withLock { loopback.insert(contentsOf: reply, at: 0) }
            }
        }
    }

    private func control(_ transfer: VirtualUSBTransfer) -> VirtualUSBReply {
        guard let setup = transfer.setup, setup.requestType & 0x60 == 0x40 else { return .stall }
        switch (setup.isDeviceToHost, setup.request) {
        case (false, Self.writeRegister):
            lock.withLock { registerValues[setup.value] = transfer.outData }
            return .done
        case (true, Self.readRegister):
            guard let value = lock.withLock({ registerValues[setup.value] }) else { return .stall }
            return .data(value)
        default:
            return .stall
        }
    }
}
