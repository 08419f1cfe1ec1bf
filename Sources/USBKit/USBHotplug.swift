import CLibUSB
import Foundation
import Logging

/// A device arriving or leaving (`LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED` / `…_LEFT`).
public struct USBHotplugEvent: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable { case arrived, left }

    public var kind: Kind
    public var device: USBDeviceInfo

    public var description: String { "\(kind.rawValue): \(device)" }
}

/// The user data of one hotplug registration.
final class USBHotplugRegistration: @unchecked Sendable {
    let continuation: AsyncStream<USBHotplugEvent>.Continuation
    let storage: LibUSBContextStorage
    let eventLoop: USBEventLoop
    let logger: Logger
    private let handle = Locked<libusb_hotplug_callback_handle?>(nil)

    init(continuation: AsyncStream<USBHotplugEvent>.Continuation, storage: LibUSBContextStorage, eventLoop: USBEventLoop, logger: Logger) {
        self.continuation = continuation
        self.storage = storage
        self.eventLoop = eventLoop
        self.logger = logger
    }

    func setHandle(_ value: libusb_hotplug_callback_handle) { handle.withLock { $0 = value } }

    /// `libusb_hotplug_deregister_callback`; the registration stays alive until the event thread
    /// has left libusb, where a callback could still be running.
    func deregister() {
        guard let value = handle.withLock({ current -> libusb_hotplug_callback_handle? in
            defer { current = nil }
            return current
        }) else { return }
        libusb_hotplug_deregister_callback(storage.pointer, value)
        eventLoop.hotplugDeregistered(retiring: self)
    }

    func deliver(device: OpaquePointer, event: libusb_hotplug_event) {
        eventLoop.noteProgress()
        let kind: USBHotplugEvent.Kind = event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? .arrived : .left
        do {
            let info = try USBDeviceInfo(device: device, storage: storage)
            continuation.yield(USBHotplugEvent(kind: kind, device: info))
        } catch {
            logger.warning("hotplug event for a device whose descriptors cannot be read", metadata: ["error": "\(error)"])
        }
    }
}

private let hotplugCallback: libusb_hotplug_callback_fn = { _, device, event, userData in
    guard let device, let userData else { return 0 }
    Unmanaged<USBHotplugRegistration>.fromOpaque(userData).takeUnretainedValue().deliver(device: device, event: event)
    return 0
}

extension USBContext {
    /// Devices arriving and leaving (`libusb_hotplug_register_callback`), optionally only one
    /// vendor/product. Devices already present are not reported. The callback is deregistered
    /// when the stream terminates (the consuming task ends or is cancelled). Throws
    /// `.notSupported` when libusb has no hotplug support on this system.
    public func hotplugEvents(vendorID: UInt16? = nil, productID: UInt16? = nil) throws(USBError) -> AsyncStream<USBHotplugEvent> {
        try checkOpen("libusb_hotplug_register_callback")
        guard libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 else {
            throw USBError(code: .notSupported, operation: "libusb_hotplug_register_callback")
        }
        let (stream, continuation) = AsyncStream.makeStream(of: USBHotplugEvent.self, bufferingPolicy: .bufferingNewest(256))
        let registration = USBHotplugRegistration(continuation: continuation, storage: storage, eventLoop: eventLoop, logger: logger)
        let userData = Unmanaged.passRetained(registration)
        eventLoop.hotplugRegistered()
        var handle: libusb_hotplug_callback_handle = 0
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        do {
            try libusbCall("libusb_hotplug_register_callback") {
                libusb_hotplug_register_callback(
                    storage.pointer, events, 0,
                    vendorID.map(Int32.init) ?? LIBUSB_HOTPLUG_MATCH_ANY,
                    productID.map(Int32.init) ?? LIBUSB_HOTPLUG_MATCH_ANY,
                    LIBUSB_HOTPLUG_MATCH_ANY, hotplugCallback, userData.toOpaque(), &handle)
            }
        } catch {
            userData.release()
            eventLoop.hotplugDeregistered(retiring: registration)
            throw error
        }
        registration.setHandle(handle)
        let id = ObjectIdentifier(registration)
        register(hotplugStream: continuation, id: id)
        continuation.onTermination = { [weak self] _ in
            registration.deregister()
            self?.unregisterHotplugStream(id: id)
            // Balanced here: the event loop keeps the registration until no callback can run.
            userData.release()
        }
        return stream
    }
}
