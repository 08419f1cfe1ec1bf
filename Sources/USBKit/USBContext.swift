import CLibUSB
import Dispatch
import Foundation
import Logging

/// One libusb session (`libusb_init` / `libusb_exit`) with its own event thread and its own
/// serial queue for the libusb calls that block (open, claim, set configuration, reset…), so
/// nothing blocks Swift's cooperative thread pool.
///
/// Thread-safe: all mutable state is behind locks. `close()` (or the last reference going away)
/// cancels transfers still in flight and stops the event thread; libusb itself is released when
/// the last device reference or handle is gone.
public final class USBContext: @unchecked Sendable {
    let storage: LibUSBContextStorage
    let eventLoop: USBEventLoop
    private let blockingQueue: DispatchQueue
    public let logger: Logger
    private let state = Locked(State())

    private struct State {
        var closed = false
        var transfers: [ObjectIdentifier: USBTransferBox] = [:]
        var hotplugStreams: [ObjectIdentifier: AsyncStream<USBHotplugEvent>.Continuation] = [:]
    }

    /// Creates a session (`libusb_init`) and starts its event thread (which parks until there is
    /// something to wait for). Without a logger nothing is logged.
    public init(logger: Logger = Logger(label: "USBKit", factory: { _ in SwiftLogNoOpLogHandler() })) throws(USBError) {
        self.logger = logger
        storage = try LibUSBContextStorage()
        eventLoop = USBEventLoop(contextPointer: storage.pointer, logger: logger)
        blockingQueue = DispatchQueue(label: "USBKit.blocking")
        logger.debug("libusb context created")
    }

    deinit {
        // libusb_exit (when no device or handle keeps `storage`) must not run on the event thread
        // while it is still inside libusb.
        eventLoop.stop(keepingAlive: storage)
    }

    /// Diagnostics: how many times the event thread has called
    /// `libusb_handle_events_timeout_completed`. It does not grow while the thread is parked
    /// (nothing in flight, no hotplug stream).
    public var eventLoopIterations: UInt64 { eventLoop.iterationCount }

    /// Diagnostics: asynchronous transfers submitted and not yet completed.
    public var transfersInFlight: Int { eventLoop.transfersInFlight }

    /// Whether `close()` has been called.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Finishes every hotplug stream, cancels transfers still in flight (waiting at most one
    /// second for them to end), then stops the event thread. Later calls on this context or its
    /// handles throw. libusb itself (`libusb_exit`) is released with the last reference to the
    /// context, its handles and device infos. Idempotent.
    public func close() async {
        let (transfers, streams) = state.withLock { state in
            state.closed = true
            defer { state.hotplugStreams.removeAll() }
            return (Array(state.transfers.values), Array(state.hotplugStreams.values))
        }
        for stream in streams { stream.finish() }
        for transfer in transfers { transfer.cancel() }
        let deadline = ContinuousClock.now + .seconds(1)
        while eventLoop.transfersInFlight > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
        eventLoop.stop()
        logger.debug("libusb context closed")
    }

    func checkOpen(_ operation: @autoclosure () -> String) throws(USBError) {
        if state.withLock({ $0.closed }) {
            throw USBError(code: .invalidParam, operation: operation() + ": the USB context is closed")
        }
    }

    func register(_ transfer: USBTransferBox) throws(USBError) {
        let closed = state.withLock { state in
            if !state.closed { state.transfers[ObjectIdentifier(transfer)] = transfer }
            return state.closed
        }
        if closed { throw USBError(code: .invalidParam, operation: transfer.operation + ": the USB context is closed") }
    }

    func register(hotplugStream continuation: AsyncStream<USBHotplugEvent>.Continuation, id: ObjectIdentifier) {
        state.withLock { $0.hotplugStreams[id] = continuation }
    }

    func unregisterHotplugStream(id: ObjectIdentifier) {
        _ = state.withLock { $0.hotplugStreams.removeValue(forKey: id) }
    }

    func unregister(_ transfer: USBTransferBox) {
        _ = state.withLock { $0.transfers.removeValue(forKey: ObjectIdentifier(transfer)) }
    }

    /// Runs a blocking libusb call on this context's serial queue and awaits its result.
    @discardableResult
    func blocking<Result: Sendable>(
        _ operation: String, _ body: @escaping @Sendable () throws(USBError) -> Result
    ) async throws -> Result {
        try checkOpen(operation)
        return try await withCheckedThrowingContinuation { continuation in
            blockingQueue.async {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// The devices on the system (`libusb_get_device_list`), with their descriptors. A device
    /// whose descriptors cannot be read is left out (and logged).
    public func devices() async throws -> [USBDeviceInfo] {
        let storage = storage
        let logger = logger
        return try await blocking("libusb_get_device_list") { () throws(USBError) -> [USBDeviceInfo] in
            var list: UnsafeMutablePointer<OpaquePointer?>?
            let count = try libusbCall("libusb_get_device_list") {
                Int32(clamping: libusb_get_device_list(storage.pointer, &list))
            }
            defer { libusb_free_device_list(list, 1) }
            guard let list else { return [] }
            var devices: [USBDeviceInfo] = []
            for index in 0..<Int(count) {
                guard let device = list[index] else { continue }
                do {
                    devices.append(try USBDeviceInfo(device: device, storage: storage))
                } catch {
                    logger.warning("skipping a USB device whose descriptors cannot be read", metadata: ["error": "\(error)"])
                }
            }
            return devices
        }
    }

    /// Opens a device (`libusb_open`).
    public func open(_ device: USBDeviceInfo) async throws -> USBDeviceHandle {
        let reference = device.reference
        let operation = "libusb_open(\(device))"
        let pointer = try await blocking(operation) { () throws(USBError) -> USBOpaqueHandle in
            var handle: OpaquePointer?
            try libusbCall(operation) { libusb_open(reference.pointer, &handle) }
            guard let handle else { throw USBError(code: .other, operation: operation + " returned no handle") }
            return USBOpaqueHandle(pointer: handle)
        }
        logger.debug("opened USB device", metadata: ["device": "\(device)"])
        return USBDeviceHandle(context: self, info: device, pointer: pointer.pointer)
    }

    /// Opens the first device with this vendor and product ID; throws `.notFound` when none is present.
    public func open(vendorID: UInt16, productID: UInt16) async throws -> USBDeviceHandle {
        guard let device = try await devices().first(where: { $0.vendorID == vendorID && $0.productID == productID }) else {
            throw USBError(code: .notFound, operation: "open \(vendorID):\(productID)")
        }
        return try await open(device)
    }
}

/// A `libusb_device_handle *` crossing from the blocking queue back to the caller.
struct USBOpaqueHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
