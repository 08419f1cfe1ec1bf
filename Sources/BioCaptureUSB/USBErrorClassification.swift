import BioCapture
import USBKit

extension TransportError {
    /// A USBKit error in the core's words. Transfer statuses keep their meaning: a cancelled
    /// transfer is `.cancelled` (not a fault), a failed one `.io`.
    public init(_ error: USBError) {
        let kind: Kind
        switch error.transferStatus {
        case .cancelled?: kind = .cancelled
        default:
            switch error.code {
            case .io: kind = .io
            case .invalidParam: kind = .invalidParameter
            case .access: kind = .access
            case .noDevice: kind = .noDevice
            case .notFound: kind = .notFound
            case .busy: kind = .busy
            case .timeout: kind = .timeout
            case .overflow: kind = .overflow
            case .pipe: kind = .pipe
            case .interrupted: kind = .interrupted
            case .noMem: kind = .noMemory
            case .notSupported: kind = .notSupported
            default: kind = .other
            }
        }
        self.init(kind, operation: error.operation, detail: error.transferStatus.map { "\($0) → \(error.code)" } ?? "\(error.code)")
    }

    /// Any error from a USBKit call as the transport reports it: USB errors translated,
    /// cancellation and transport errors passed through, anything else as `.other`.
    static func from(_ error: any Error, operation: String) -> any Error {
        switch error {
        case let usb as USBError: return TransportError(usb)
        case is CancellationError, is TransportError: return error
        default: return TransportError(.other, operation: operation, detail: String(describing: error))
        }
    }
}

extension CaptureFault {
    /// The design's classification of a libusb failure.
    public init(usb error: USBError, device: DeviceIdentity? = nil) {
        self.init(transport: TransportError(error), device: device)
    }
}
