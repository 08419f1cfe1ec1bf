import BioCapture
import BioFingerprint
import Foundation
import USBDescriptors

/// An emulated UPEK TouchChip coprocessor in image mode (147e:2016, bcdDevice 2, full speed),
/// speaking the "Ciao" protocol as `hardware-notes/upektc_img.md` describes: it answers the
/// activation packets, reports the configured sensor in its get-info reply, and on init-capture
/// plays a capture: status messages (each after a zero-length read, as the real one does), then
/// a synthetic fingerprint cut into 0x2C / 0x24 / 0x20 frames, one per host acknowledgement.
///
/// Faults act out what a failing coprocessor does (`Fault`).
public final class UPEKTouchChipEmulator: VirtualUSBDeviceModel, @unchecked Sendable {
    public enum Fault: Sendable, Hashable {
        /// The device goes silent after this many frames; the test unplugs it (`isHolding`).
        case holdAfterFrames(Int)
        /// The vendor control request of activation stalls.
        case stallOnControl
        /// Only "no finger" is ever reported.
        case noFinger
        /// The first frame does not start with "Ciao".
        case corruptFrameHeader
        /// A middle frame carries a wrong CRC.
        case badCRC
        /// The device accepts the activation request and never answers.
        case powerUpNeverCompletes
        /// get-info reports a geometry no TouchChip has.
        case unknownSensor
        /// One middle frame is left out: the image ends short.
        case missingFrame
        /// The coprocessor rejects the presentation ("swipe too short").
        case swipeTooShort
    }

    public let descriptors: USBDeviceDescriptors
    public let strings: [UInt8: String] = [1: "UPEK", 2: "Biometric Coprocessor"]
    public let speed: USBSpeed = .full
    public let variant: UPEKSensorVariant
    public let isSwipe: Bool
    /// The image the emulator delivers (the delivered size of `variant`).
    public let image: GrayImage
    public let fault: Fault?
    /// Class-8 messages sent before the first frame (each must be answered with class 9).
    public let classEightMessages: Int
    /// "No finger" statuses before the finger arrives.
    public let noFingerStatuses: Int

    private let lock = NSLock()
    // Guarded by `lock`.
    private var queue: [[UInt8]] = []
    private var current: ArraySlice<UInt8> = []
    private var waitingReads: [VirtualUSBTransfer] = []
    private var script: [[UInt8]] = []
    private var sentFrames = 0
    private var holding = false
    private var hostMessages: [UPEKCiao.Message] = []
    private var rejectedOut = 0

    /// - Parameters:
    ///   - swipe: the get-info swipe bit; by default set for TCS4 and TCS5.
    ///   - image: the print to deliver (a synthetic one of the variant's size unless given).
    ///   - revision: bcdDevice; anything but 2 plays a 147e:2016 that speaks another UPEK protocol.
    public init(variant: UPEKSensorVariant = .tcs1, swipe: Bool? = nil, image: GrayImage? = nil, fault: Fault? = nil,
                noFingerStatuses: Int = 1, classEightMessages: Int = 0, revision: UInt16 = 0x0002, seed: UInt64 = 1) {
        self.variant = variant
        isSwipe = swipe ?? (variant == .tcs4 || variant == .tcs5)
        self.fault = fault
        self.noFingerStatuses = max(0, noFingerStatuses)
        self.classEightMessages = max(0, classEightMessages)
        let size = variant.imageSize
        if let image, image.width == size.width, image.height == size.height {
            self.image = image
        } else {
            self.image = Self.syntheticImage(width: size.width, height: size.height, seed: seed)
        }
        descriptors = USBDeviceDescriptors(
            device: USBDeviceDescriptor(
                usbVersion: USBBCDVersion(rawValue: 0x0110), deviceClass: 0, deviceSubClass: 0, deviceProtocol: 0,
                maxPacketSize0: 8, vendorID: 0x147E, productID: 0x2016, deviceVersion: USBBCDVersion(rawValue: revision),
                manufacturerStringIndex: 1, productStringIndex: 2, serialNumberStringIndex: 0, numConfigurations: 1),
            configurations: [
                USBConfigurationDescriptor(
                    totalLength: 0, configurationValue: 1, configurationStringIndex: 0, attributes: 0xA0, maxPower: 50,
                    interfaces: [
                        USBInterface(number: 0, alternateSettings: [
                            USBInterfaceDescriptor(
                                interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0xFF, interfaceSubClass: 0,
                                interfaceProtocol: 0, interfaceStringIndex: 0,
                                endpoints: [
                                    USBEndpointDescriptor(address: 0x81, attributes: 0x02, maxPacketSizeField: 64, interval: 0),
                                    USBEndpointDescriptor(address: 0x02, attributes: 0x02, maxPacketSizeField: 64, interval: 0),
                                    USBEndpointDescriptor(address: 0x83, attributes: 0x03, maxPacketSizeField: 4, interval: 20),
                                ]),
                        ]),
                    ]),
            ])
    }

    /// A synthetic print of the delivered size (right index finger of subject `seed`).
    public static func syntheticImage(width: Int, height: Int, seed: UInt64) -> GrayImage {
        let generator = SyntheticFingerprintGenerator(parameters: SyntheticFingerprintParameters(width: width, height: height))
        let master = generator.master(identity: seed, finger: .rightIndex)
        return generator.impression(of: master, conditions: .natural(seed: seed, attempt: 1))
    }

    /// Frames sent in the current capture.
    public var framesSent: Int { lock.withLock { sentFrames } }
    /// True once a `holdAfterFrames` fault has gone silent.
    public var isHolding: Bool { lock.withLock { holding } }
    /// Every host message received on bulk OUT, decoded.
    public var receivedMessages: [UPEKCiao.Message] { lock.withLock { hostMessages } }
    /// Host messages that failed to decode (bad CRC, no "Ciao"): a correct driver sends none.
    public var rejectedMessages: Int { lock.withLock { rejectedOut } }

    public func deviceEvent(_ event: VirtualUSBDeviceEvent) {
        guard event == .unplugged || event == .reset else { return }
        lock.withLock {
            queue = []
            current = []
            waitingReads = []
            script = []
        }
    }

    public func handle(_ transfer: VirtualUSBTransfer) -> VirtualUSBReply? {
        switch transfer.type {
        case .control:
            guard let setup = transfer.setup, setup == UPEKCiao.activationControl else { return .stall }
            if fault == .stallOnControl { return .stall }
            if fault != .powerUpNeverCompletes {
                send(UPEKCiao.encode(messageClass: 0x03, sequence: 0, payload: [0x01, 0x00, 0x00, 0x00, 0xC0]))
            }
            return .done
        case .bulk where transfer.endpoint == UPEKCiao.bulkOut:
            return hostMessage(transfer.outData)
        case .bulk where transfer.endpoint == UPEKCiao.bulkIn:
            return lock.withLock {
                if let reply = nextChunk(transfer.requestedLength) { return .data(reply) }
                waitingReads.append(transfer)
                return nil
            }
        case .interrupt:
            // The interrupt endpoint is unused: nothing to say, ever.
            return nil
        default:
            return .stall
        }
    }

    // MARK: - Host messages

    private func hostMessage(_ bytes: [UInt8]) -> VirtualUSBReply {
        let message: UPEKCiao.Message
        do {
            message = try UPEKCiao.decode(bytes)
        } catch {
            lock.withLock { rejectedOut += 1 }
            return .stall
        }
        lock.withLock { hostMessages.append(message) }
        switch (message.messageClass, message.payload) {
        case (0x04, _):
            send(UPEKCiao.encode(messageClass: 0x05, sequence: 0, payload: [0x01]))
        case (0x07, _):
            lock.withLock { script = [] }
            send(UPEKCiao.encode(messageClass: 0x01, sequence: 0, payload: []))
        case (0x00, UPEKCiao.getInfoPayload):
            send(getInfoReply())
        case (0x00, let payload) where payload.count == 14 && payload.first == 0x28:
            startCapture()
        case (0x00, UPEKCiao.statusAckPayload), (0x00, UPEKCiao.frameAckPayload), (0x09, _):
            advanceScript()
        default:
            break
        }
        return .done
    }

    private func getInfoReply() -> [UInt8] {
        var payload = [UInt8](repeating: 0, count: 0x37)
        payload[0] = 0x28
        payload[1] = 0x34
        payload[5] = 0x06
        payload[6] = 0x14
        let size = fault == .unknownSensor ? (width: 100, height: 100) : variant.reportedSize
        // Message byte n is payload byte n - 7.
        payload[42] = isSwipe ? 0xE6 : 0x66
        payload[43] = UInt8(size.width & 0xFF)
        payload[44] = UInt8(size.width >> 8)
        payload[45] = UInt8(size.height & 0xFF)
        payload[46] = UInt8(size.height >> 8)
        return UPEKCiao.encode(messageClass: 0x00, sequence: 0, payload: payload)
    }

    private static func status(_ code: UInt8) -> [UInt8] {
        // The code lands at message byte 18 (payload byte 11).
        let payload: [UInt8] = [0x28, 0x0B, 0x00, 0x00, 0x00, 0x0E, 0x02, 0x00, 0x00, 0x00, 0x00, code, 0x00, 0x00]
        return UPEKCiao.encode(messageClass: 0x00, sequence: 0, payload: payload)
    }

    /// The frames of the image: 2032 pixels in the first (after 10 extra bytes), 2042 in each
    /// middle one, the rest in the last (followed by 4 bytes that are not pixels).
    public static func frames(of pixels: [UInt8]) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        let firstCount = min(2032, pixels.count)
        frames.append([0x2C] + [UInt8](repeating: 0, count: 10) + pixels[0..<firstCount])
        var offset = firstCount
        while pixels.count - offset > 2042 {
            frames.append([0x24] + pixels[offset..<(offset + 2042)])
            offset += 2042
        }
        frames.append([0x20] + pixels[offset...] + [0x00, 0x00, 0x00, 0x00])
        return frames
    }

    private func startCapture() {
        var steps: [[UInt8]] = []
        // An empty element is a zero-length read, as the real coprocessor gives before statuses.
        for _ in 0..<noFingerStatuses { steps += [[], Self.status(0x0C)] }
        if fault == .noFinger {
            if steps.isEmpty { steps = [[], Self.status(0x0C)] }
            lock.withLock { script = Array(steps.dropFirst(2)) }
            sendAll(Array(steps.prefix(2)))
            return
        }
        if fault == .swipeTooShort {
            steps += [[], Self.status(0x1E), Self.status(0x01)]
        } else {
            steps += [[], Self.status(0x00)]
            for _ in 0..<classEightMessages { steps.append(UPEKCiao.encode(messageClass: 0x08, sequence: 0, payload: [])) }
            var frames = Self.frames(of: image.pixels).map { UPEKCiao.encode(messageClass: 0x00, sequence: 0, payload: $0) }
            switch fault {
            case .corruptFrameHeader:
                frames[0][2] = 0x62
            case .badCRC where frames.count > 2:
                frames[1][frames[1].count - 1] ^= 0xFF
            case .missingFrame where frames.count > 2:
                frames.remove(at: 1)
            default:
                break
            }
            steps.append([])
            steps += frames
        }
        lock.withLock {
            script = steps
            sentFrames = 0
            holding = false
        }
        advanceScript()
    }

    /// Sends the next message of the capture (with the zero-length reads before it).
    private func advanceScript() {
        var toSend: [[UInt8]] = []
        lock.withLock {
            while let next = script.first {
                if case .holdAfterFrames(let limit) = fault, Self.isFrame(next), sentFrames >= limit {
                    holding = true
                    return
                }
                script.removeFirst()
                toSend.append(next)
                if Self.isFrame(next) { sentFrames += 1 }
                if !next.isEmpty { return }
            }
        }
        sendAll(toSend)
    }

    private static func isFrame(_ message: [UInt8]) -> Bool {
        message.count > 9 && message[4] == 0x00 && [0x2C, 0x24, 0x20].contains(message[7])
    }

    // MARK: - Bulk IN

    private func send(_ message: [UInt8]) { sendAll([message]) }

    private func sendAll(_ messages: [[UInt8]]) {
        lock.withLock { queue += messages }
        while true {
            let (reader, chunk): (VirtualUSBTransfer?, [UInt8]) = lock.withLock {
                guard !waitingReads.isEmpty else { return (nil, []) }
                let reader = waitingReads[0]
                guard let chunk = nextChunk(reader.requestedLength) else { return (nil, []) }
                waitingReads.removeFirst()
                return (reader, chunk)
            }
            guard let reader else { return }
            if !reader.complete(.data(chunk)) {
                // The host gave up on that read: the bytes go back in front.
                lock.withLock { current = chunk[...] + current }
            }
        }
    }

    /// Up to `length` bytes of the message being sent, or a zero-length reply for an empty
    /// queue element; nil when nothing is to be sent. Called with `lock` held.
    private func nextChunk(_ length: Int) -> [UInt8]? {
        if current.isEmpty {
            guard !queue.isEmpty else { return nil }
            let message = queue.removeFirst()
            if message.isEmpty { return [] }
            current = message[...]
        }
        let count = min(length, current.count)
        let chunk = Array(current.prefix(count))
        current = current.dropFirst(count)
        return chunk
    }
}
