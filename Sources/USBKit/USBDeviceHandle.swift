import CLibUSB
import Foundation
import Logging

/// An open device (`libusb_device_handle`).
///
/// Blocking libusb calls run on the context's serial queue; transfers are asynchronous libusb
/// transfers completed by the context's event thread, any number in flight at once. Every
/// transfer takes a timeout (zero is rejected: libusb would wait forever) and honours task
/// cancellation (`libusb_cancel_transfer`, ending in `CancellationError`).
public final class USBDeviceHandle: @unchecked Sendable {
    public let context: USBContext
    public let info: USBDeviceInfo
    let pointer: OpaquePointer
    private let state = Locked(State())

    private struct State {
        var closed = false
        var transfers: [ObjectIdentifier: USBTransferBox] = [:]
    }

    init(context: USBContext, info: USBDeviceInfo, pointer: OpaquePointer) {
        self.context = context
        self.info = info
        self.pointer = pointer
    }

    deinit {
        // Transfers keep their handle alive, so none is in flight here.
        if !state.withLock({ $0.closed }) { libusb_close(pointer) }
    }

    /// Cancels this handle's transfers still in flight (waiting at most one second for them to
    /// end), then closes it (`libusb_close`). Idempotent.
    public func close() async {
        let transfers: [USBTransferBox]? = state.withLock { state in
            if state.closed { return nil }
            state.closed = true
            return Array(state.transfers.values)
        }
        guard let transfers else { return }
        for transfer in transfers { transfer.cancel() }
        let deadline = ContinuousClock.now + .seconds(1)
        while state.withLock({ !$0.transfers.isEmpty }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
        let handle = USBOpaqueHandle(pointer: pointer)
        let closeNow: @Sendable () -> Void = { libusb_close(handle.pointer) }
        if (try? await context.blocking("libusb_close", closeNow)) == nil {
            closeNow()  // the context is closed: no queue to hop to, and closing must still happen
        }
        context.logger.debug("closed USB device", metadata: ["device": "\(info)"])
    }

    public var isClosed: Bool { state.withLock { $0.closed } }

    private func checkOpen(_ operation: @autoclosure () -> String) throws(USBError) {
        if state.withLock({ $0.closed }) {
            throw USBError(code: .invalidParam, operation: operation() + ": the device handle is closed")
        }
    }

    /// Runs a blocking libusb call on the context's queue, with this handle's pointer.
    @discardableResult
    private func blocking<Result: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (OpaquePointer) throws(USBError) -> Result
    ) async throws -> Result {
        try checkOpen(operation)
        let handle = USBOpaqueHandle(pointer: pointer)
        return try await context.blocking(operation) { () throws(USBError) -> Result in
            try body(handle.pointer)
        }
    }

    // MARK: Configuration and interfaces

    /// `libusb_get_configuration`: the active configuration value (0 when unconfigured).
    public func configuration() async throws -> Int {
        try await blocking("libusb_get_configuration") { handle throws(USBError) in
            var value: Int32 = 0
            try libusbCall("libusb_get_configuration") { libusb_get_configuration(handle, &value) }
            return Int(value)
        }
    }

    /// `libusb_set_configuration`.
    public func setConfiguration(_ value: Int) async throws {
        let operation = "libusb_set_configuration(\(value))"
        try await blocking(operation) { handle throws(USBError) in
            try libusbCall(operation) { libusb_set_configuration(handle, Int32(clamping: value)) }
        }
    }

    /// `libusb_claim_interface`.
    public func claimInterface(_ number: UInt8) async throws {
        let operation = "libusb_claim_interface(\(number))"
        try await blocking(operation) { handle throws(USBError) in
            try libusbCall(operation) { libusb_claim_interface(handle, Int32(number)) }
        }
    }

    /// `libusb_release_interface` (re-attaches a kernel driver detached by auto-detach).
    public func releaseInterface(_ number: UInt8) async throws {
        let operation = "libusb_release_interface(\(number))"
        try await blocking(operation) { handle throws(USBError) in
            try libusbCall(operation) { libusb_release_interface(handle, Int32(number)) }
        }
    }

    /// `libusb_set_interface_alt_setting`.
    public func setAlternateSetting(interface: UInt8, alternateSetting: UInt8) async throws {
        let operation = "libusb_set_interface_alt_setting(\(interface), \(alternateSetting))"
        try await blocking(operation) { handle throws(USBError) in
            try libusbCall(operation) {
                libusb_set_interface_alt_setting(handle, Int32(interface), Int32(alternateSetting))
            }
        }
    }

    /// `libusb_clear_halt`.
    public func clearHalt(endpoint: UInt8) async throws {
        let operation = "libusb_clear_halt(0x\(String(endpoint, radix: 16)))"
        try await blocking(operation) { handle throws(USBError) in
            try libusbCall(operation) { libusb_clear_halt(handle, endpoint) }
        }
    }

    /// `libusb_reset_device`. `.notFound` means the device re-enumerated: close and open again.
    public func reset() async throws {
        try await blocking("libusb_reset_device") { handle throws(USBError) in
            try libusbCall("libusb_reset_device") { libusb_reset_device(handle) }
        }
    }

    /// `libusb_kernel_driver_active`: whether a kernel driver is bound to the interface.
    public func isKernelDriverActive(interface: UInt8) async throws -> Bool {
        let operation = "libusb_kernel_driver_active(\(interface))"
        return try await blocking(operation) { handle throws(USBError) in
            try libusbCall(operation) { libusb_kernel_driver_active(handle, Int32(interface)) } == 1
        }
    }

    /// The name of the kernel driver bound to an interface ("uvcvideo", "usbhid"), or nil when
    /// none is (`libusb_kernel_driver_active`). libusb does not report names, so the name comes
    /// from the interface's sysfs `driver` link; "unknown" when sysfs does not say.
    public func kernelDriverName(interface: UInt8) async throws -> String? {
        guard try await isKernelDriverActive(interface: interface) else { return nil }
        let configuration = try await configuration()
        let ports = info.portPath.map(String.init).joined(separator: ".")
        let link = "/sys/bus/usb/devices/\(info.busNumber)-\(ports):\(configuration).\(interface)/driver"
        return try await context.blocking("readlink \(link)") { () -> String in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { return "unknown" }
            let name = (target as NSString).lastPathComponent
            return name.isEmpty ? "unknown" : name
        }
    }

    /// `libusb_detach_kernel_driver`.
    public func detachKernelDriver(interface: UInt8) async throws {
        let operation = "libusb_detach_kernel_driver(\(interface))"
        try await blocking(operation) { handle throws(USBError) in
            try libusbCall(operation) { libusb_detach_kernel_driver(handle, Int32(interface)) }
        }
    }

    /// `libusb_attach_kernel_driver`.
    public func attachKernelDriver(interface: UInt8) async throws {
        let operation = "libusb_attach_kernel_driver(\(interface))"
        try await blocking(operation) { handle throws(USBError) in
            try libusbCall(operation) { libusb_attach_kernel_driver(handle, Int32(interface)) }
        }
    }

    /// `libusb_set_auto_detach_kernel_driver`: when enabled, claiming an interface detaches a
    /// bound kernel driver and releasing it re-attaches the driver.
    public func setAutoDetachKernelDriver(_ enabled: Bool) throws(USBError) {
        try checkOpen("libusb_set_auto_detach_kernel_driver")
        try libusbCall("libusb_set_auto_detach_kernel_driver") {
            libusb_set_auto_detach_kernel_driver(pointer, enabled ? 1 : 0)
        }
    }

    // MARK: String descriptors

    /// The language IDs the device supports (string descriptor 0).
    ///
    /// Like `libusb_get_string_descriptor`, this is a GET_DESCRIPTOR control request, sent as an
    /// asynchronous transfer so it honours the timeout and task cancellation.
    public func supportedLanguages(timeout: Duration = .seconds(1)) async throws -> [UInt16] {
        let units = try await stringDescriptorUnits(index: 0, languageID: 0, timeout: timeout)
        return units
    }

    /// The string descriptor `index` in UTF-16 (`libusb_get_string_descriptor`), in `languageID`
    /// or the device's first language; nil for index 0 (no string).
    public func stringDescriptor(index: UInt8, languageID: UInt16? = nil, timeout: Duration = .seconds(1)) async throws -> String? {
        guard index != 0 else { return nil }
        let language: UInt16
        if let languageID {
            language = languageID
        } else {
            language = try await supportedLanguages(timeout: timeout).first ?? 0x0409
        }
        let units = try await stringDescriptorUnits(index: index, languageID: language, timeout: timeout)
        return String(decoding: units, as: UTF16.self)
    }

    /// The string descriptor `index` as ASCII, non-ASCII characters replaced by "?"
    /// (`libusb_get_string_descriptor_ascii`); nil for index 0.
    public func stringDescriptorASCII(index: UInt8, timeout: Duration = .seconds(1)) async throws -> String? {
        guard let text = try await stringDescriptor(index: index, timeout: timeout) else { return nil }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isASCII ? $0 : "?" }))
    }

    private func stringDescriptorUnits(index: UInt8, languageID: UInt16, timeout: Duration) async throws -> [UInt16] {
        let operation = "GET_DESCRIPTOR(string \(index))"
        let bytes = try await controlTransferIn(
            requestType: 0x80, request: UInt8(LIBUSB_REQUEST_GET_DESCRIPTOR.rawValue),
            value: UInt16(LIBUSB_DT_STRING.rawValue) << 8 | UInt16(index), index: languageID,
            length: 255, timeout: timeout)
        guard bytes.count >= 2, bytes[1] == UInt8(LIBUSB_DT_STRING.rawValue), Int(bytes[0]) <= bytes.count, bytes[0] >= 2 else {
            throw USBError(code: .io, operation: operation + ": malformed string descriptor (\(bytes.count) bytes)")
        }
        let payload = bytes[2..<Int(bytes[0])]
        var units: [UInt16] = []
        units.reserveCapacity(payload.count / 2)
        var iterator = payload.makeIterator()
        while let low = iterator.next(), let high = iterator.next() {
            units.append(UInt16(low) | UInt16(high) << 8)
        }
        return units
    }

    // MARK: Transfers

    /// A control transfer with a data stage from the device (`LIBUSB_TRANSFER_TYPE_CONTROL`);
    /// returns the bytes received (fewer than `length` on a short reply). `requestType` must
    /// have the direction bit (0x80) set.
    public func controlTransferIn(
        requestType: UInt8, request: UInt8, value: UInt16, index: UInt16, length: Int, timeout: Duration
    ) async throws -> [UInt8] {
        let operation = "control IN \(hex(requestType))/\(hex(request))"
        guard requestType & 0x80 != 0 else { throw USBError(code: .invalidParam, operation: operation + ": request type is host-to-device") }
        guard (0...0xFFFF).contains(length) else { throw USBError(code: .invalidParam, operation: operation + ": length \(length)") }
        let setup = setupBytes(requestType, request, value, index, UInt16(length))
        let outcome = try await perform(
            type: UInt8(LIBUSB_TRANSFER_TYPE_CONTROL.rawValue), endpoint: 0, direction: .input, setup: setup,
            outData: [], length: length, timeout: timeout, operation: operation)
        return outcome.data
    }

    /// A control transfer without data stage or with a data stage to the device; returns the
    /// number of data bytes sent. `requestType` must have the direction bit clear.
    @discardableResult
    public func controlTransferOut(
        requestType: UInt8, request: UInt8, value: UInt16, index: UInt16, data: [UInt8] = [], timeout: Duration
    ) async throws -> Int {
        let operation = "control OUT \(hex(requestType))/\(hex(request))"
        guard requestType & 0x80 == 0 else { throw USBError(code: .invalidParam, operation: operation + ": request type is device-to-host") }
        guard data.count <= 0xFFFF else { throw USBError(code: .invalidParam, operation: operation + ": \(data.count) bytes") }
        let setup = setupBytes(requestType, request, value, index, UInt16(data.count))
        let outcome = try await perform(
            type: UInt8(LIBUSB_TRANSFER_TYPE_CONTROL.rawValue), endpoint: 0, direction: .output, setup: setup,
            outData: data, length: data.count, timeout: timeout, operation: operation)
        return outcome.actualLength
    }

    /// A bulk IN transfer; returns the bytes received (short reads return what arrived).
    public func bulkTransferIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        try await streamIn(type: LIBUSB_TRANSFER_TYPE_BULK, name: "bulk", endpoint: endpoint, length: length, timeout: timeout)
    }

    /// A bulk OUT transfer; returns the number of bytes the device accepted.
    @discardableResult
    public func bulkTransferOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int {
        try await streamOut(type: LIBUSB_TRANSFER_TYPE_BULK, name: "bulk", endpoint: endpoint, data: data, timeout: timeout)
    }

    /// An interrupt IN transfer; returns the bytes received.
    public func interruptTransferIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        try await streamIn(type: LIBUSB_TRANSFER_TYPE_INTERRUPT, name: "interrupt", endpoint: endpoint, length: length, timeout: timeout)
    }

    /// An interrupt OUT transfer; returns the number of bytes the device accepted.
    @discardableResult
    public func interruptTransferOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int {
        try await streamOut(type: LIBUSB_TRANSFER_TYPE_INTERRUPT, name: "interrupt", endpoint: endpoint, data: data, timeout: timeout)
    }

    /// An isochronous IN transfer of `packetCount` packets of up to `packetLength` bytes each
    /// (`libusb_alloc_transfer` with iso packets); returns every packet's status and data.
    /// The transfer as a whole fails only when libusb fails it; packet failures are per packet.
    public func isochronousTransferIn(
        endpoint: UInt8, packetCount: Int, packetLength: Int, timeout: Duration
    ) async throws -> [USBIsochronousPacketResult] {
        let operation = "isochronous IN \(hex(endpoint))"
        guard endpoint & 0x80 != 0 else { throw USBError(code: .invalidParam, operation: operation + ": not an IN endpoint") }
        guard (1...1024).contains(packetCount), (0...0x10000).contains(packetLength) else {
            throw USBError(code: .invalidParam, operation: operation + ": \(packetCount) packets of \(packetLength) bytes")
        }
        let outcome = try await perform(
            type: UInt8(LIBUSB_TRANSFER_TYPE_ISOCHRONOUS.rawValue), endpoint: endpoint, direction: .input, setup: nil,
            outData: [], length: packetCount * packetLength,
            isoPacketLengths: Array(repeating: packetLength, count: packetCount), timeout: timeout, operation: operation)
        return outcome.packets
    }

    /// An isochronous OUT transfer, one packet per element of `packets`; returns every packet's status.
    public func isochronousTransferOut(endpoint: UInt8, packets: [[UInt8]], timeout: Duration) async throws -> [USBIsochronousPacketResult] {
        let operation = "isochronous OUT \(hex(endpoint))"
        guard endpoint & 0x80 == 0 else { throw USBError(code: .invalidParam, operation: operation + ": not an OUT endpoint") }
        guard (1...1024).contains(packets.count), packets.allSatisfy({ $0.count <= 0x10000 }) else {
            throw USBError(code: .invalidParam, operation: operation + ": \(packets.count) packets")
        }
        let outcome = try await perform(
            type: UInt8(LIBUSB_TRANSFER_TYPE_ISOCHRONOUS.rawValue), endpoint: endpoint, direction: .output, setup: nil,
            outData: packets.flatMap { $0 }, length: packets.reduce(0) { $0 + $1.count },
            isoPacketLengths: packets.map(\.count), timeout: timeout, operation: operation)
        return outcome.packets
    }

    private func streamIn(type: libusb_transfer_type, name: String, endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        let operation = "\(name) IN \(hex(endpoint))"
        guard endpoint & 0x80 != 0 else { throw USBError(code: .invalidParam, operation: operation + ": not an IN endpoint") }
        guard (0...Int(Int32.max)).contains(length) else { throw USBError(code: .invalidParam, operation: operation + ": length \(length)") }
        return try await perform(
            type: UInt8(type.rawValue), endpoint: endpoint, direction: .input, setup: nil, outData: [],
            length: length, timeout: timeout, operation: operation).data
    }

    private func streamOut(type: libusb_transfer_type, name: String, endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int {
        let operation = "\(name) OUT \(hex(endpoint))"
        guard endpoint & 0x80 == 0 else { throw USBError(code: .invalidParam, operation: operation + ": not an OUT endpoint") }
        guard data.count <= Int(Int32.max) else { throw USBError(code: .invalidParam, operation: operation + ": \(data.count) bytes") }
        return try await perform(
            type: UInt8(type.rawValue), endpoint: endpoint, direction: .output, setup: nil, outData: data,
            length: data.count, timeout: timeout, operation: operation).actualLength
    }

    private func perform(
        type: UInt8, endpoint: UInt8, direction: USBTransferBox.Direction, setup: [UInt8]?, outData: [UInt8],
        length: Int, isoPacketLengths: [Int] = [], timeout: Duration, operation: String
    ) async throws -> USBTransferOutcome {
        try Task.checkCancellation()
        guard let milliseconds = timeout.libusbTimeoutMilliseconds else {
            throw USBError(code: .invalidParam, operation: operation + ": the timeout must be positive")
        }
        try checkOpen(operation)
        let box = try USBTransferBox(
            handle: self, type: type, endpoint: endpoint, direction: direction, setup: setup, outData: outData,
            length: length, isoPacketLengths: isoPacketLengths, timeoutMilliseconds: milliseconds, operation: operation)
        let registered = state.withLock { state in
            if !state.closed { state.transfers[ObjectIdentifier(box)] = box }
            return !state.closed
        }
        guard registered else { throw USBError(code: .invalidParam, operation: operation + ": the device handle is closed") }
        defer { _ = state.withLock { $0.transfers.removeValue(forKey: ObjectIdentifier(box)) } }
        let outcome = try await box.run()
        if outcome.status != .completed {
            throw USBError(transferStatus: outcome.status, operation: operation)
        }
        return outcome
    }

    private func setupBytes(_ requestType: UInt8, _ request: UInt8, _ value: UInt16, _ index: UInt16, _ length: UInt16) -> [UInt8] {
        [requestType, request, UInt8(value & 0xFF), UInt8(value >> 8),
         UInt8(index & 0xFF), UInt8(index >> 8), UInt8(length & 0xFF), UInt8(length >> 8)]
    }
}

func hex(_ value: UInt8) -> String {
    let digits = String(value, radix: 16)
    return "0x" + (digits.count < 2 ? "0" : "") + digits
}
