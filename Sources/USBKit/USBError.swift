import CLibUSB

/// A libusb failure: the `libusb_error` code, the transfer status when a transfer failed,
/// and the operation that failed.
///
/// Compare codes with the named values: `error.code == .noDevice`. A transfer that completed
/// with a failing `libusb_transfer_status` carries that status in `transferStatus` and the
/// `libusb_error` that libusb's own synchronous API would report in `code` (stall → `.pipe`,
/// timed out → `.timeout`, no device → `.noDevice`, overflow → `.overflow`, error/cancelled → `.io`).
/// `LIBUSB_ERROR_INTERRUPTED` is retried where it occurs and never reaches callers.
public struct USBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `libusb_error` value.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        init(_ error: libusb_error) { self.rawValue = error.rawValue }

        /// `LIBUSB_ERROR_IO`: input/output error.
        public static let io = Code(LIBUSB_ERROR_IO)
        /// `LIBUSB_ERROR_INVALID_PARAM`: invalid parameter (our bug).
        public static let invalidParam = Code(LIBUSB_ERROR_INVALID_PARAM)
        /// `LIBUSB_ERROR_ACCESS`: access denied (insufficient permissions, udev rules missing).
        public static let access = Code(LIBUSB_ERROR_ACCESS)
        /// `LIBUSB_ERROR_NO_DEVICE`: the device has been disconnected.
        public static let noDevice = Code(LIBUSB_ERROR_NO_DEVICE)
        /// `LIBUSB_ERROR_NOT_FOUND`: entity not found.
        public static let notFound = Code(LIBUSB_ERROR_NOT_FOUND)
        /// `LIBUSB_ERROR_BUSY`: resource busy (a kernel driver or another program holds it).
        public static let busy = Code(LIBUSB_ERROR_BUSY)
        /// `LIBUSB_ERROR_TIMEOUT`: operation timed out.
        public static let timeout = Code(LIBUSB_ERROR_TIMEOUT)
        /// `LIBUSB_ERROR_OVERFLOW`: the device sent more than asked.
        public static let overflow = Code(LIBUSB_ERROR_OVERFLOW)
        /// `LIBUSB_ERROR_PIPE`: pipe error (endpoint halted, request not supported).
        public static let pipe = Code(LIBUSB_ERROR_PIPE)
        /// `LIBUSB_ERROR_INTERRUPTED`: system call interrupted (retried, never surfaced).
        public static let interrupted = Code(LIBUSB_ERROR_INTERRUPTED)
        /// `LIBUSB_ERROR_NO_MEM`: insufficient memory.
        public static let noMem = Code(LIBUSB_ERROR_NO_MEM)
        /// `LIBUSB_ERROR_NOT_SUPPORTED`: operation not supported or unimplemented on this platform.
        public static let notSupported = Code(LIBUSB_ERROR_NOT_SUPPORTED)
        /// `LIBUSB_ERROR_OTHER`: other error.
        public static let other = Code(LIBUSB_ERROR_OTHER)

        /// Every named code, in libusb's order.
        public static let allNamed: [Code] = [
            .io, .invalidParam, .access, .noDevice, .notFound, .busy, .timeout, .overflow, .pipe,
            .interrupted, .noMem, .notSupported, .other,
        ]

        /// The named value's Swift name, or nil for a code libusb does not define.
        public var name: String? {
            switch self {
            case .io: "io"
            case .invalidParam: "invalidParam"
            case .access: "access"
            case .noDevice: "noDevice"
            case .notFound: "notFound"
            case .busy: "busy"
            case .timeout: "timeout"
            case .overflow: "overflow"
            case .pipe: "pipe"
            case .interrupted: "interrupted"
            case .noMem: "noMem"
            case .notSupported: "notSupported"
            case .other: "other"
            default: nil
            }
        }

        /// libusb's own name for the code (`libusb_error_name`), e.g. "LIBUSB_ERROR_NO_DEVICE".
        public var libusbName: String { String(cString: libusb_error_name(rawValue)) }

        public var description: String { "\(libusbName) (\(rawValue))" }
    }

    /// A failing `libusb_transfer_status` of an asynchronous transfer.
    public struct TransferStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        init(_ status: libusb_transfer_status) { self.rawValue = status.rawValue }

        /// `LIBUSB_TRANSFER_COMPLETED` (only seen inside per-packet isochronous results).
        public static let completed = TransferStatus(LIBUSB_TRANSFER_COMPLETED)
        /// `LIBUSB_TRANSFER_ERROR`: the transfer failed.
        public static let error = TransferStatus(LIBUSB_TRANSFER_ERROR)
        /// `LIBUSB_TRANSFER_TIMED_OUT`.
        public static let timedOut = TransferStatus(LIBUSB_TRANSFER_TIMED_OUT)
        /// `LIBUSB_TRANSFER_CANCELLED`.
        public static let cancelled = TransferStatus(LIBUSB_TRANSFER_CANCELLED)
        /// `LIBUSB_TRANSFER_STALL`: the endpoint halted (bulk/interrupt) or the request was not
        /// supported (control).
        public static let stall = TransferStatus(LIBUSB_TRANSFER_STALL)
        /// `LIBUSB_TRANSFER_NO_DEVICE`: the device was disconnected.
        public static let noDevice = TransferStatus(LIBUSB_TRANSFER_NO_DEVICE)
        /// `LIBUSB_TRANSFER_OVERFLOW`: the device sent more data than requested.
        public static let overflow = TransferStatus(LIBUSB_TRANSFER_OVERFLOW)

        public static let allNamed: [TransferStatus] = [.completed, .error, .timedOut, .cancelled, .stall, .noDevice, .overflow]

        /// The `libusb_error` that libusb's synchronous API reports for this status.
        public var errorCode: Code {
            switch self {
            case .timedOut: .timeout
            case .stall: .pipe
            case .noDevice: .noDevice
            case .overflow: .overflow
            default: .io
            }
        }

        public var description: String {
            switch self {
            case .completed: "LIBUSB_TRANSFER_COMPLETED"
            case .error: "LIBUSB_TRANSFER_ERROR"
            case .timedOut: "LIBUSB_TRANSFER_TIMED_OUT"
            case .cancelled: "LIBUSB_TRANSFER_CANCELLED"
            case .stall: "LIBUSB_TRANSFER_STALL"
            case .noDevice: "LIBUSB_TRANSFER_NO_DEVICE"
            case .overflow: "LIBUSB_TRANSFER_OVERFLOW"
            default: "libusb transfer status \(rawValue)"
            }
        }
    }

    public var code: Code
    /// Set when an asynchronous transfer completed with a failing status.
    public var transferStatus: TransferStatus?
    /// The libusb call or transfer that failed, e.g. "libusb_claim_interface(0)", "bulk IN 0x81".
    public var operation: String

    public init(code: Code, transferStatus: TransferStatus? = nil, operation: String = "") {
        self.code = code
        self.transferStatus = transferStatus
        self.operation = operation
    }

    /// The error for a transfer that completed with `status`.
    public init(transferStatus status: TransferStatus, operation: String) {
        self.init(code: status.errorCode, transferStatus: status, operation: operation)
    }

    public var description: String {
        var text = code.description
        if let transferStatus { text = "\(transferStatus) → \(text)" }
        return operation.isEmpty ? text : "\(operation): \(text)"
    }
}

extension USBError.Code {
    /// Lets `catch USBError.Code.noDevice { … }` match a `USBError` with that code.
    public static func ~= (code: USBError.Code, error: any Error) -> Bool {
        (error as? USBError)?.code == code
    }
}

extension USBError.TransferStatus {
    /// Lets `catch USBError.TransferStatus.stall { … }` match a `USBError` with that transfer status.
    public static func ~= (status: USBError.TransferStatus, error: any Error) -> Bool {
        (error as? USBError)?.transferStatus == status
    }
}

/// The funnel every libusb call goes through: a negative result becomes a thrown `USBError`,
/// `LIBUSB_ERROR_INTERRUPTED` is retried (a bounded number of times, then reported as `.io`),
/// a non-negative result is returned.
@discardableResult
func libusbCall(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws(USBError) -> Int32 {
    let maximumRetries = 100
    for _ in 0..<maximumRetries {
        let result = body()
        if result >= 0 { return result }
        if result == LIBUSB_ERROR_INTERRUPTED.rawValue { continue }
        throw USBError(code: USBError.Code(rawValue: result), operation: operation())
    }
    throw USBError(code: .io, operation: operation() + " (interrupted \(maximumRetries) times in a row)")
}
