import BioCapture
import Logging
import USBDescriptors

/// A format, frame and interval picked from a streaming interface's descriptors.
public struct UVCStreamSelection: Sendable, Hashable {
    public var format: UVCFormat
    public var frame: UVCFrame
    /// dwFrameInterval in 100 ns units.
    public var frameInterval: UInt32

    public init(format: UVCFormat, frame: UVCFrame, frameInterval: UInt32) {
        self.format = format
        self.frame = frame
        self.frameInterval = frameInterval
    }

    /// Bytes of one frame when the format is uncompressed (width x height x bits per pixel / 8).
    public var uncompressedFrameSize: Int? {
        guard format.isUncompressed, let bits = format.bitsPerPixel else { return nil }
        return Int(frame.width) * Int(frame.height) * bits / 8
    }
}

extension UVCStreamingInterface {
    /// The first format of `pixelFormat` with a `width` x `height` frame offering `fps`
    /// (within `tolerance`), or nil.
    public func select(_ pixelFormat: UVCPixelFormat, width: Int, height: Int, fps: Double,
                       tolerance: Double = 0.05) -> UVCStreamSelection? {
        for format in formats where format.pixelFormat == pixelFormat {
            for frame in format.frames where Int(frame.width) == width && Int(frame.height) == height {
                if let interval = frame.interval(forFPS: fps, tolerance: tolerance) {
                    return UVCStreamSelection(format: format, frame: frame, frameInterval: interval)
                }
            }
        }
        return nil
    }
}

/// How the negotiated stream moves data.
public enum UVCTransferPlan: Sendable, Hashable {
    /// Select `alternateSetting` and read isochronous packets of up to `bytesPerInterval` bytes.
    case isochronous(alternateSetting: UInt8, endpoint: UInt8, bytesPerInterval: Int)
    /// Read bulk transfers of dwMaxPayloadTransferSize bytes from `endpoint` (alternate setting 0).
    case bulk(endpoint: UInt8, transferSize: Int)
}

/// The outcome of probe/commit.
public struct UVCNegotiatedStream: Sendable, Hashable {
    public var interface: UInt8
    public var selection: UVCStreamSelection
    /// The structure committed (the camera's GET_CUR answer).
    public var committed: UVCStreamingControl
    public var controlSize: UVCStreamingControlSize
    /// Bytes to expect per frame: dwMaxVideoFrameSize, or the frame descriptor's buffer size when
    /// the camera answered 0 or the format is uncompressed (as Linux uvcvideo does).
    public var maxFrameSize: Int
    public var transfer: UVCTransferPlan
}

/// Probe/commit negotiation of one VideoStreaming interface over a `USBTransport`.
///
/// Sequence: SET_CUR(probe) with bmHint = 1 → GET_CUR(probe) → check the camera kept the
/// format and frame → SET_CUR(commit) with the camera's answer. Some cameras fail the first
/// attempt (esp-usb retries once), so the whole sequence is tried `attempts` times.
/// The alternate setting is chosen after commit but not selected: `activate(_:)` does that.
public struct UVCNegotiator: Sendable {
    public var transport: any USBTransport
    public var logger: Logger
    public var timeout: Duration
    public var attempts: Int

    public init(transport: any USBTransport, logger: Logger, timeout: Duration = .seconds(1), attempts: Int = 2) {
        self.transport = transport
        self.logger = logger
        self.timeout = timeout
        self.attempts = max(1, attempts)
    }

    /// Negotiates `selection` on `stream` for a function of version `uvcVersion` at bus `speed`.
    ///
    /// Throws `CaptureFault`: `notSupported` when the interface has no streaming endpoint (nothing
    /// is sent to the camera), `protocolError` when the camera answers something unusable,
    /// `bandwidth-unavailable` when no alternate setting carries the payload size, or the
    /// transport's classified fault.
    public func negotiate(
        stream: UVCStreamingInterface, selection: UVCStreamSelection, uvcVersion: USBBCDVersion, speed: USBSpeed
    ) async throws -> UVCNegotiatedStream {
        guard stream.transferMode != .none else {
            throw CaptureFault(.notSupported,
                               message: "VideoStreaming interface \(stream.interfaceNumber) has no streaming endpoint in any alternate setting; the camera cannot stream from it.")
        }
        guard stream.format(index: selection.format.index)?.frame(index: selection.frame.index) != nil else {
            throw CaptureFault(.invalidParameter,
                               message: "Format \(selection.format.index) frame \(selection.frame.index) is not offered by interface \(stream.interfaceNumber).")
        }
        let size = UVCStreamingControlSize(uvcVersion: uvcVersion)
        var lastError: (any Error)?
        for attempt in 1...attempts {
            try Task.checkCancellation()
            do {
                return try await negotiateOnce(stream: stream, selection: selection, size: size, speed: speed)
            } catch let fault as CaptureFault where fault.code == .bandwidth || fault.code == .cancelled {
                throw fault
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastError = error
                logger.debug("UVC probe/commit attempt failed", metadata: [
                    "interface": "\(stream.interfaceNumber)", "attempt": "\(attempt)", "error": "\(error)",
                ])
            }
        }
        throw CaptureFault.classify(lastError ?? CaptureFault(.internalError))
    }

    private func negotiateOnce(
        stream: UVCStreamingInterface, selection: UVCStreamSelection, size: UVCStreamingControlSize, speed: USBSpeed
    ) async throws -> UVCNegotiatedStream {
        let interface = stream.interfaceNumber
        let length = UInt16(size.rawValue)
        let probe = UVCStreamingControl(formatIndex: selection.format.index, frameIndex: selection.frame.index,
                                        frameInterval: selection.frameInterval)
        _ = try await transport.control(
            UVCControlRequests.streaming(.setCurrent, .probe, interface: interface, length: length),
            data: probe.encoded(size: size), timeout: timeout)
        let answer = try await transport.control(
            UVCControlRequests.streaming(.getCurrent, .probe, interface: interface, length: length), timeout: timeout)
        let agreed: UVCStreamingControl
        do {
            agreed = try UVCStreamingControl(bytes: answer)
        } catch {
            throw CaptureFault(.protocolError, message: "The camera's probe answer is unusable: \(error).", underlying: error)
        }
        guard agreed.formatIndex == probe.formatIndex, agreed.frameIndex == probe.frameIndex else {
            throw CaptureFault(.protocolError,
                               message: "The camera changed the probe to format \(agreed.formatIndex) frame \(agreed.frameIndex) (asked \(probe.formatIndex)/\(probe.frameIndex)).")
        }
        let transfer = try Self.chooseTransfer(stream: stream, maxPayloadTransferSize: Int(agreed.maxPayloadTransferSize),
                                               speed: speed)
        _ = try await transport.control(
            UVCControlRequests.streaming(.setCurrent, .commit, interface: interface, length: length),
            data: agreed.encoded(size: size), timeout: timeout)

        var maxFrameSize = Int(agreed.maxVideoFrameSize)
        if let bufferSize = selection.frame.maxVideoFrameBufferSize, maxFrameSize == 0 || selection.format.isUncompressed {
            maxFrameSize = Int(bufferSize)
        }
        if let exact = selection.uncompressedFrameSize { maxFrameSize = max(maxFrameSize, exact) }
        logger.debug("UVC stream committed", metadata: [
            "interface": "\(interface)", "format": "\(agreed.formatIndex)", "frame": "\(agreed.frameIndex)",
            "interval": "\(agreed.frameInterval)", "payload": "\(agreed.maxPayloadTransferSize)",
            "transfer": "\(transfer)",
        ])
        return UVCNegotiatedStream(interface: interface, selection: selection, committed: agreed, controlSize: size,
                                   maxFrameSize: maxFrameSize, transfer: transfer)
    }

    /// The transfer for a committed payload size: the smallest isochronous alternate setting
    /// whose capacity at `speed` is at least `maxPayloadTransferSize`, or the bulk endpoint.
    /// A payload size of 0 (camera left it unset) takes the largest alternate setting.
    public static func chooseTransfer(
        stream: UVCStreamingInterface, maxPayloadTransferSize: Int, speed: USBSpeed
    ) throws -> UVCTransferPlan {
        switch stream.transferMode {
        case .none:
            throw CaptureFault(.notSupported,
                               message: "VideoStreaming interface \(stream.interfaceNumber) has no streaming endpoint.")
        case .bulk:
            guard let endpoint = stream.endpoints.first(where: { $0.alternateSetting == 0 && $0.transferType == .bulk }) else {
                throw CaptureFault(.notSupported, message: "No bulk endpoint on interface \(stream.interfaceNumber).")
            }
            return .bulk(endpoint: endpoint.address, transferSize: maxPayloadTransferSize)
        case .isochronous:
            let candidates = stream.endpoints
                .filter { $0.alternateSetting > 0 && $0.transferType == .isochronous }
                .map { ($0, $0.capacity(speed: speed)) }
                .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.alternateSetting < $1.0.alternateSetting }
            let chosen = maxPayloadTransferSize == 0
                ? candidates.last
                : candidates.first { $0.1 >= maxPayloadTransferSize }
            guard let (endpoint, capacity) = chosen else {
                let largest = candidates.last?.1 ?? 0
                throw CaptureFault(.bandwidth,
                                   message: "No alternate setting of interface \(stream.interfaceNumber) carries \(maxPayloadTransferSize) bytes per interval (largest \(largest)).")
            }
            return .isochronous(alternateSetting: endpoint.alternateSetting, endpoint: endpoint.address,
                                bytesPerInterval: capacity)
        }
    }

    /// Selects the alternate setting of an isochronous plan (SET_INTERFACE); bulk streams stay on
    /// alternate setting 0.
    public func activate(_ stream: UVCNegotiatedStream) async throws {
        switch stream.transfer {
        case .isochronous(let alternateSetting, _, _):
            try await transport.setAlternateSetting(interface: stream.interface, alternateSetting: alternateSetting)
        case .bulk:
            try await transport.setAlternateSetting(interface: stream.interface, alternateSetting: 0)
        }
    }
}
