import BioCapture
import Foundation
import USBDescriptors

/// A USB device written in Swift, served to libusb through a `VirtualUSBTestbed`.
///
/// The testbed answers the standard requests itself (GET_DESCRIPTOR from `descriptors` and
/// `strings`, GET_STATUS, SET_CONFIGURATION, SET_INTERFACE, CLEAR_HALT…) and hands every other
/// transfer to `handle(_:)`. Methods are called on umockdev's thread, never with a testbed lock
/// held, so a model may keep its own lock and complete transfers later from any thread.
public protocol VirtualUSBDeviceModel: AnyObject, Sendable {
    /// The device's descriptors (the testbed serializes them into sysfs and GET_DESCRIPTOR replies).
    var descriptors: USBDeviceDescriptors { get }
    /// String descriptors by index, served in US English (language 0x0409).
    var strings: [UInt8: String] { get }
    /// The bus speed the device reports.
    var speed: USBSpeed { get }

    /// A transfer was submitted. Return the reply now, or nil to keep it pending and complete it
    /// later with `transfer.complete(_:)` (a finger that arrives later, an interrupt endpoint
    /// with nothing to say). A pending transfer that the host discards (timeout, cancel) or that
    /// an unplug ends reports `isPending == false` and ignores `complete`.
    func handle(_ transfer: VirtualUSBTransfer) -> VirtualUSBReply?

    /// The host changed the device's state (configuration, alternate setting, halt, reset,
    /// claims) or the device was unplugged. A UVC emulator starts streaming when its streaming
    /// interface gets a non-zero alternate setting, for example. Default: nothing.
    func deviceEvent(_ event: VirtualUSBDeviceEvent)
}

extension VirtualUSBDeviceModel {
    public var speed: USBSpeed { .high }
    public var strings: [UInt8: String] { [:] }
    public func deviceEvent(_ event: VirtualUSBDeviceEvent) {}
}

/// A change of device state the testbed handled itself, reported to the model.
public enum VirtualUSBDeviceEvent: Sendable, Hashable {
    case configurationSet(Int)
    case alternateSettingSelected(interface: UInt8, alternateSetting: UInt8)
    case interfaceClaimed(UInt8)
    case interfaceReleased(UInt8)
    case haltCleared(endpoint: UInt8)
    case reset
    case unplugged
}

/// How a model answers a transfer.
public enum VirtualUSBReply: Sendable, Hashable {
    /// Completed. IN: these bytes; fewer than asked is a short packet, more is an overflow on
    /// bulk and interrupt endpoints (babble), while control replies are cut to wLength as a
    /// device does. OUT: every byte accepted (the bytes are ignored).
    case data([UInt8])
    /// OUT: the device accepted only this many bytes.
    case accepted(Int)
    /// The endpoint halts (-EPIPE). Bulk and interrupt endpoints stay halted until CLEAR_HALT.
    case stall
    /// The URB ends with `-errno` as its status (e.g. `EPROTO`, `EOVERFLOW`, `ENODEV`).
    case failure(errno: Int32)
    /// Isochronous: one entry per packet.
    case isochronous([VirtualUSBIsochronousPacket])

    /// OUT accepted completely; IN zero-length.
    public static let done = VirtualUSBReply.data([])
}

/// One isochronous packet of a reply.
public struct VirtualUSBIsochronousPacket: Sendable, Hashable {
    public var data: [UInt8]
    /// 0, or a negative errno for this packet (e.g. -EXDEV for a missed packet).
    public var status: Int32

    public init(data: [UInt8], status: Int32 = 0) {
        self.data = data
        self.status = status
    }
}

/// A transfer the host submitted (one URB), as a model sees it.
public final class VirtualUSBTransfer: @unchecked Sendable, CustomStringConvertible {
    public let type: USBTransferType
    /// The endpoint address with its direction bit; 0 for control.
    public let endpoint: UInt8
    /// Control transfers: the SETUP packet.
    public let setup: USBControlSetup?
    /// OUT transfers: the bytes the host sends (control: the data stage).
    public let outData: [UInt8]
    /// IN transfers: how many bytes the host can take (control: wLength).
    public let requestedLength: Int
    /// Isochronous: the length of each packet.
    public let isochronousPacketLengths: [Int]
    /// 1-based number of this transfer on its device.
    public let sequenceNumber: Int

    weak var device: VirtualUSBDevice?

    init(type: USBTransferType, endpoint: UInt8, setup: USBControlSetup?, outData: [UInt8], requestedLength: Int,
         isochronousPacketLengths: [Int], sequenceNumber: Int) {
        self.type = type
        self.endpoint = endpoint
        self.setup = setup
        self.outData = outData
        self.requestedLength = requestedLength
        self.isochronousPacketLengths = isochronousPacketLengths
        self.sequenceNumber = sequenceNumber
    }

    /// Whether data flows to the host.
    public var isIn: Bool {
        if let setup { return setup.isDeviceToHost }
        return endpoint & 0x80 != 0
    }

    /// Whether the transfer still waits for a reply.
    public var isPending: Bool { device?.isPending(self) ?? false }

    /// Completes a pending transfer; returns false (and does nothing) when it is no longer
    /// pending (already answered, discarded by the host, or the device was unplugged).
    @discardableResult
    public func complete(_ reply: VirtualUSBReply, after delay: Duration = .zero) -> Bool {
        device?.complete(self, with: reply, delay: delay) ?? false
    }

    public var description: String {
        let direction = isIn ? "IN" : "OUT"
        if let setup {
            return "control \(direction) type 0x\(String(setup.requestType, radix: 16)) request 0x\(String(setup.request, radix: 16)) length \(setup.length)"
        }
        return "\(type) \(direction) 0x\(String(endpoint, radix: 16)) \(isIn ? "\(requestedLength) bytes asked" : "\(outData.count) bytes")"
    }
}
