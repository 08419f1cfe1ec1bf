import BioCapture
import Foundation
import Logging
import USBDescriptors
import USBKit

/// `USBTransport` over libusb: the drivers' only way to USBKit.
///
/// Claiming an interface detaches a bound kernel driver (libusb's auto-detach), and releasing it
/// (or closing) gives the interface back to that driver. Every USBKit error is translated to a
/// `TransportError`; the driver classifies it.
public final class LibUSBTransport: USBTransport, @unchecked Sendable {
    public let context: USBContext
    public let device: USBDeviceInfo
    private let logger: Logger
    private let state = NSLock()
    private var handle: USBDeviceHandle?
    private var claimed: Set<UInt8> = []

    public init(context: USBContext, device: USBDeviceInfo, logger: Logger) {
        self.context = context
        self.device = device
        self.logger = logger
    }

    public var descriptors: USBDeviceDescriptors { device.descriptors }

    public var location: USBDeviceLocation {
        USBDeviceLocation(busNumber: device.busNumber, deviceAddress: device.deviceAddress,
                          portPath: device.portPath, speed: device.speed)
    }

    private func openHandle(_ operation: String) throws -> USBDeviceHandle {
        guard let handle = state.withLock({ handle }) else {
            throw TransportError(.invalidParameter, operation: operation, detail: "the transport is not open")
        }
        return handle
    }

    /// Runs a USBKit call and translates its errors.
    private func call<T>(_ operation: String, _ body: (USBDeviceHandle) async throws -> T) async throws -> T {
        let handle = try openHandle(operation)
        do {
            return try await body(handle)
        } catch {
            throw TransportError.from(error, operation: operation)
        }
    }

    public func open() async throws {
        if state.withLock({ handle != nil }) { return }
        let opened: USBDeviceHandle
        do {
            opened = try await context.open(device)
        } catch {
            throw TransportError.from(error, operation: "open \(device)")
        }
        do {
            try opened.setAutoDetachKernelDriver(true)
        } catch where error.code == .notSupported {
            logger.debug("kernel driver auto-detach not supported here", metadata: ["device": "\(device)"])
        } catch {
            await opened.close()
            throw TransportError(error)
        }
        state.withLock { handle = opened }
    }

    public func close() async {
        let (closing, interfaces): (USBDeviceHandle?, Set<UInt8>) = state.withLock {
            defer {
                handle = nil
                claimed = []
            }
            return (handle, claimed)
        }
        guard let closing else { return }
        for interface in interfaces.sorted() {
            do {
                try await closing.releaseInterface(interface)
            } catch {
                logger.debug("release on close failed", metadata: ["interface": "\(interface)", "error": "\(error)"])
            }
        }
        await closing.close()
    }

    public func stringDescriptor(index: UInt8) async throws -> String? {
        try await call("string descriptor \(index)") { try await $0.stringDescriptor(index: index) }
    }

    public func setConfiguration(_ value: UInt8) async throws {
        try await call("set configuration \(value)") { try await $0.setConfiguration(Int(value)) }
    }

    /// Claims with libusb's kernel-driver auto-detach. Where usbfs lacks the ioctls auto-detach
    /// needs (recorded-traffic replay, some containers) the claim fails with an unnamed or I/O error;
    /// when no kernel driver is bound that is harmless, so the claim is tried once more without
    /// auto-detach. A driver that really holds the interface still gives `busy`.
    public func claimInterface(_ number: UInt8) async throws {
        let handle = try openHandle("claim interface \(number)")
        do {
            try await handle.claimInterface(number)
        } catch let error as USBError where error.code == .other || error.code == .io {
            let bound = (try? await handle.isKernelDriverActive(interface: number)) ?? false
            guard !bound else { throw TransportError(error) }
            logger.debug("auto-detach unavailable; claiming without it", metadata: ["interface": "\(number)"])
            do {
                try handle.setAutoDetachKernelDriver(false)
                try await handle.claimInterface(number)
            } catch {
                throw TransportError.from(error, operation: "claim interface \(number)")
            }
        } catch {
            throw TransportError.from(error, operation: "claim interface \(number)")
        }
        state.withLock { _ = claimed.insert(number) }
    }

    public func releaseInterface(_ number: UInt8) async throws {
        try await call("release interface \(number)") { try await $0.releaseInterface(number) }
        state.withLock { _ = claimed.remove(number) }
    }

    public func setAlternateSetting(interface: UInt8, alternateSetting: UInt8) async throws {
        try await call("set interface \(interface) alternate setting \(alternateSetting)") {
            try await $0.setAlternateSetting(interface: interface, alternateSetting: alternateSetting)
        }
    }

    public func clearHalt(endpoint: UInt8) async throws {
        try await call("clear halt \(Hex.byte(endpoint))") { try await $0.clearHalt(endpoint: endpoint) }
    }

    public func reset() async throws {
        try await call("reset") { try await $0.reset() }
    }

    public func kernelDriver(interface: UInt8) async throws -> String? {
        let active = try await call("kernel driver on interface \(interface)") {
            try await $0.isKernelDriverActive(interface: interface)
        }
        guard active else { return nil }
        return USBSysfs.boundDriver(deviceName: location.sysfsName, interface: interface,
                                    configuration: descriptors.configurations.first?.configurationValue ?? 1)
            ?? "unknown"
    }

    public func control(_ setup: USBControlSetup, data: [UInt8], timeout: Duration) async throws -> [UInt8] {
        if setup.isDeviceToHost {
            return try await call("control IN \(Hex.byte(setup.requestType))/\(Hex.byte(setup.request))") {
                try await $0.controlTransferIn(requestType: setup.requestType, request: setup.request, value: setup.value,
                                               index: setup.index, length: Int(setup.length), timeout: timeout)
            }
        }
        _ = try await call("control OUT \(Hex.byte(setup.requestType))/\(Hex.byte(setup.request))") {
            try await $0.controlTransferOut(requestType: setup.requestType, request: setup.request, value: setup.value,
                                            index: setup.index, data: data, timeout: timeout)
        }
        return []
    }

    public func bulkIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        try await call("bulk IN \(Hex.byte(endpoint))") {
            try await $0.bulkTransferIn(endpoint: endpoint, length: length, timeout: timeout)
        }
    }

    public func bulkOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int {
        try await call("bulk OUT \(Hex.byte(endpoint))") {
            try await $0.bulkTransferOut(endpoint: endpoint, data: data, timeout: timeout)
        }
    }

    public func interruptIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        try await call("interrupt IN \(Hex.byte(endpoint))") {
            try await $0.interruptTransferIn(endpoint: endpoint, length: length, timeout: timeout)
        }
    }

    public func interruptOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int {
        try await call("interrupt OUT \(Hex.byte(endpoint))") {
            try await $0.interruptTransferOut(endpoint: endpoint, data: data, timeout: timeout)
        }
    }

    public func isochronousIn(endpoint: UInt8, packets: Int, packetLength: Int, timeout: Duration) async throws
        -> [USBIsochronousPacket]
    {
        let results = try await call("isochronous IN \(Hex.byte(endpoint))") {
            try await $0.isochronousTransferIn(endpoint: endpoint, packetCount: packets, packetLength: packetLength,
                                               timeout: timeout)
        }
        return results.map { result in
            let failure: TransportError.Kind? = result.status == .completed ? nil
                : TransportError(USBError(transferStatus: result.status, operation: "")).kind
            return USBIsochronousPacket(data: result.data, failure: failure)
        }
    }
}
