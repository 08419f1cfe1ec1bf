import CLibUSB
import Foundation

/// One isochronous packet as it completed.
public struct USBIsochronousPacketResult: Sendable, Hashable {
    /// IN: the bytes received (`actual_length`); OUT: empty.
    public var data: [UInt8]
    /// `actual_length` of the packet.
    public var actualLength: Int
    /// The packet's `libusb_transfer_status` (`.completed` when it went through).
    public var status: USBError.TransferStatus

    public init(data: [UInt8], actualLength: Int, status: USBError.TransferStatus) {
        self.data = data
        self.actualLength = actualLength
        self.status = status
    }
}

/// What a completed transfer produced.
struct USBTransferOutcome: Sendable {
    var status: USBError.TransferStatus
    var actualLength: Int
    var data: [UInt8]
    var packets: [USBIsochronousPacketResult]
}

/// libusb's completion callback. It runs on the context's event thread; the box was passed
/// retained through `user_data` at submission.
private let transferCompleted: libusb_transfer_cb_fn = { transfer in
    guard let transfer, let userData = transfer.pointee.user_data else { return }
    Unmanaged<USBTransferBox>.fromOpaque(userData).takeRetainedValue().finish()
}

/// One asynchronous transfer (`libusb_alloc_transfer` … `libusb_free_transfer`) and the
/// continuation waiting for it.
final class USBTransferBox: @unchecked Sendable {
    enum Direction { case input, output }

    let transfer: UnsafeMutablePointer<libusb_transfer>
    let buffer: UnsafeMutableRawBufferPointer
    let operation: String
    let handle: USBDeviceHandle
    private let direction: Direction
    /// Control transfers: the 8 setup bytes precede the data in the buffer.
    private let dataOffset: Int
    private let isoPacketLengths: [Int]

    private let lock = NSLock()
    // Guarded by `lock`.
    private var continuation: CheckedContinuation<USBTransferOutcome, any Error>?
    private var submitted = false
    private var finished = false
    private var cancelRequested = false

    init(
        handle: USBDeviceHandle, type: UInt8, endpoint: UInt8, direction: Direction,
        setup: [UInt8]?, outData: [UInt8], length: Int, isoPacketLengths: [Int],
        timeoutMilliseconds: UInt32, operation: String
    ) throws(USBError) {
        guard let transfer = libusb_alloc_transfer(Int32(isoPacketLengths.count)) else {
            throw USBError(code: .noMem, operation: operation + ": libusb_alloc_transfer")
        }
        self.transfer = transfer
        self.handle = handle
        self.operation = operation
        self.direction = direction
        self.isoPacketLengths = isoPacketLengths
        dataOffset = setup?.count ?? 0
        let totalLength = dataOffset + length
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, totalLength), alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        if let setup { buffer.copyBytes(from: setup) }
        if direction == .output, !outData.isEmpty {
            UnsafeMutableRawBufferPointer(rebasing: buffer[dataOffset...]).copyBytes(from: outData)
        }
        transfer.pointee.dev_handle = handle.pointer
        transfer.pointee.flags = 0
        transfer.pointee.endpoint = endpoint
        transfer.pointee.type = type
        transfer.pointee.timeout = timeoutMilliseconds
        transfer.pointee.length = Int32(totalLength)
        transfer.pointee.callback = transferCompleted
        transfer.pointee.buffer = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
        transfer.pointee.num_iso_packets = Int32(isoPacketLengths.count)
        for (index, packetLength) in isoPacketLengths.enumerated() {
            biocapture_libusb_iso_packet(transfer, Int32(index)).pointee.length = UInt32(packetLength)
        }
    }

    deinit {
        libusb_free_transfer(transfer)
        buffer.deallocate()
    }

    /// Submits (`libusb_submit_transfer`) and waits for completion; task cancellation calls
    /// `libusb_cancel_transfer` and ends in `CancellationError`.
    func run() async throws -> USBTransferOutcome {
        try handle.context.register(self)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<USBTransferOutcome, any Error>) in
                submit(continuation)
            }
        } onCancel: {
            cancel(byTask: true)
        }
    }

    private func submit(_ continuation: CheckedContinuation<USBTransferOutcome, any Error>) {
        lock.lock()
        if cancelRequested {
            finished = true
            lock.unlock()
            handle.context.unregister(self)
            continuation.resume(throwing: CancellationError())
            return
        }
        self.continuation = continuation
        let eventLoop = handle.context.eventLoop
        eventLoop.transferStarting()
        let retained = Unmanaged.passRetained(self)
        transfer.pointee.user_data = retained.toOpaque()
        do {
            try libusbCall(operation) { libusb_submit_transfer(transfer) }
        } catch {
            transfer.pointee.user_data = nil
            retained.release()
            self.continuation = nil
            finished = true
            lock.unlock()
            eventLoop.transferEnded()
            handle.context.unregister(self)
            continuation.resume(throwing: error)
            return
        }
        submitted = true
        lock.unlock()
    }

    /// `libusb_cancel_transfer` if the transfer is in flight; otherwise it will not be submitted.
    /// A transfer cancelled by its task ends in `CancellationError`; one cancelled because its
    /// handle or context closes ends in a `USBError` with transfer status `.cancelled`.
    func cancel(byTask: Bool = false) {
        lock.lock()
        if byTask { cancelRequested = true }
        if submitted && !finished {
            _ = libusb_cancel_transfer(transfer)
        }
        lock.unlock()
    }

    /// Called from libusb's completion callback on the event thread.
    fileprivate func finish() {
        let status = USBError.TransferStatus(rawValue: transfer.pointee.status.rawValue)
        let actualLength = max(0, Int(transfer.pointee.actual_length))
        var data: [UInt8] = []
        var packets: [USBIsochronousPacketResult] = []
        if isoPacketLengths.isEmpty {
            if direction == .input {
                let available = min(actualLength, buffer.count - dataOffset)
                data = Array(UnsafeRawBufferPointer(rebasing: buffer[dataOffset..<(dataOffset + available)]))
            }
        } else {
            var offset = 0
            for (index, requested) in isoPacketLengths.enumerated() {
                let descriptor = biocapture_libusb_iso_packet(transfer, Int32(index)).pointee
                let received = min(Int(descriptor.actual_length), requested)
                var bytes: [UInt8] = []
                if direction == .input && received > 0 {
                    bytes = Array(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + received)]))
                }
                packets.append(USBIsochronousPacketResult(
                    data: bytes, actualLength: Int(descriptor.actual_length),
                    status: USBError.TransferStatus(rawValue: descriptor.status.rawValue)))
                offset += requested
            }
        }
        lock.lock()
        finished = true
        let continuation = self.continuation
        self.continuation = nil
        let cancelledByTask = cancelRequested
        lock.unlock()

        handle.context.eventLoop.transferEnded()
        handle.context.unregister(self)
        if status == .cancelled && cancelledByTask {
            continuation?.resume(throwing: CancellationError())
        } else {
            continuation?.resume(returning: USBTransferOutcome(
                status: status, actualLength: actualLength, data: data, packets: packets))
        }
    }
}
