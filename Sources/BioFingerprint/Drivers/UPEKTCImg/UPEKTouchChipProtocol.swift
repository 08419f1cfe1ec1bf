import BioCapture

/// The wire format of UPEK TouchChip coprocessors in image mode (the "Ciao" protocol): framing,
/// CRC, the fixed activation packets, the capture commands and the decoding of the replies.
///
/// Pure code: no transport, no clock. See `hardware-notes/upektc_img.md`.
public enum UPEKCiao {
    /// ASCII "Ciao", the first four bytes of every message in both directions.
    public static let magic: [UInt8] = [0x43, 0x69, 0x61, 0x6F]
    /// Prefix (4) + class (1) + sequence/length (2) before the payload; CRC (2) after it.
    public static let headerLength = 7
    public static let overhead = 9
    /// The longest message the coprocessor sends.
    public static let maximumMessageLength = 2052
    /// The first read of every reply; a longer message is completed by one continuation read.
    public static let firstReadLength = 64
    public static let continuationReadLength = maximumMessageLength - firstReadLength
    /// Payload lengths are 12-bit.
    public static let maximumPayloadLength = 0xFFF

    public static let bulkIn: UInt8 = 0x81
    public static let bulkOut: UInt8 = 0x02
    public static let interfaceNumber: UInt8 = 0

    /// Vendor request 0x0C, wValue 0x0100, wIndex 0x0400, one data byte 0x00: sent before each
    /// configuration packet during activation.
    public static let activationControl = USBControlSetup(requestType: 0x40, request: 0x0C, value: 0x0100, index: 0x0400, length: 1)
    public static let activationControlData: [UInt8] = [0x00]

    /// CRC-16/XMODEM (polynomial 0x1021, initial 0, no reflection, no final XOR).
    public static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    /// A complete message: prefix, class, sequence nibble and 12-bit length, payload, CRC (LE).
    /// Only the low 4 bits of `sequence` are used; a payload longer than 4095 bytes (which no
    /// command has) is cut to what the length field can announce.
    public static func encode(messageClass: UInt8, sequence: UInt8, payload: [UInt8]) -> [UInt8] {
        let length = min(payload.count, maximumPayloadLength)
        var bytes = magic
        bytes.append(messageClass)
        bytes.append((sequence & 0x0F) << 4 | UInt8(length >> 8))
        bytes.append(UInt8(length & 0xFF))
        bytes += payload.prefix(length)
        let crc = crc16(bytes[4...])
        bytes.append(UInt8(crc & 0xFF))
        bytes.append(UInt8(crc >> 8))
        return bytes
    }

    /// The whole message length a header announces, or nil when fewer than 7 bytes are at hand.
    public static func announcedLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= headerLength else { return nil }
        return (Int(bytes[5] & 0x0F) << 8 | Int(bytes[6])) + overhead
    }

    /// A decoded message.
    public struct Message: Sendable, Hashable {
        public var messageClass: UInt8
        public var sequence: UInt8
        public var payload: [UInt8]
        /// The message as received, prefix to CRC (offsets in the facts count from here).
        public var bytes: [UInt8]

        /// Byte `offset` of the whole message, or nil past its end.
        public func byte(_ offset: Int) -> UInt8? { offset >= 0 && offset < bytes.count ? bytes[offset] : nil }
    }

    /// Decodes exactly one message; `bytes` may carry trailing bytes after it, which are ignored.
    public static func decode(_ bytes: [UInt8]) throws(UPEKProtocolError) -> Message {
        guard bytes.count >= headerLength else { throw .truncated(expected: headerLength, received: bytes.count) }
        guard Array(bytes.prefix(4)) == magic else { throw .badMagic(Array(bytes.prefix(4))) }
        guard let total = announcedLength(bytes) else { throw .truncated(expected: headerLength, received: bytes.count) }
        guard total <= maximumMessageLength else { throw .tooLong(total) }
        guard bytes.count >= total else { throw .truncated(expected: total, received: bytes.count) }
        let crcOffset = total - 2
        let expected = crc16(bytes[4..<crcOffset])
        let received = UInt16(bytes[crcOffset]) | UInt16(bytes[crcOffset + 1]) << 8
        guard expected == received else { throw .badCRC(expected: expected, received: received) }
        return Message(messageClass: bytes[4], sequence: bytes[5] >> 4,
                       payload: Array(bytes[headerLength..<crcOffset]), bytes: Array(bytes[0..<total]))
    }
}

/// The fixed packets of activation and the capture commands.
extension UPEKCiao {
    /// Configuration packet 1 (class 4), sent with sequence 0.
    public static let initOnePayload: [UInt8] = [0x01, 0x00, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00]
    /// Configuration packet 3 (class 4), sent with sequence 0.
    public static let initThreePayload: [UInt8] = [0x01, 0x00, 0xBC, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00]
    /// Packet 2 (class 7, sequence 0) and the deinit command (class 7, current sequence) share
    /// this payload.
    public static let classSevenPayload: [UInt8] = [0x01]
    /// "Get info" (class 0): the reply names the sensor.
    public static let getInfoPayload: [UInt8] = [0x28, 0x04, 0x00, 0x00, 0x00, 0x06, 0x04]
    /// Acknowledges a status message (class 0).
    public static let statusAckPayload: [UInt8] = [0x28, 0x05, 0x00, 0x00, 0x00, 0x00, 0x30, 0x01]
    /// Acknowledges an image frame (class 0).
    public static let frameAckPayload: [UInt8] = [0x30]

    /// Starts waiting for a finger and imaging it. The timeout field is -2 (wait forever): the
    /// host, not the coprocessor, enforces the caller's deadline.
    public static func initCapturePayload(swipe: Bool) -> [UInt8] {
        [0x28, 0x0B, 0x00, 0x00, 0x00, 0x0E, 0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0x02, swipe ? 0x00 : 0x01, 0x02]
    }

    public static let initOne = encode(messageClass: 0x04, sequence: 0, payload: initOnePayload)
    public static let initTwo = encode(messageClass: 0x07, sequence: 0, payload: classSevenPayload)
    public static let initThree = encode(messageClass: 0x04, sequence: 0, payload: initThreePayload)
    /// The class-8 acknowledgement always goes with sequence 0.
    public static let classEightAck = encode(messageClass: 0x09, sequence: 0, payload: [])

    public static func getInfo(sequence: UInt8) -> [UInt8] { encode(messageClass: 0x00, sequence: sequence, payload: getInfoPayload) }
    public static func initCapture(sequence: UInt8, swipe: Bool) -> [UInt8] {
        encode(messageClass: 0x00, sequence: sequence, payload: initCapturePayload(swipe: swipe))
    }
    public static func statusAck(sequence: UInt8) -> [UInt8] { encode(messageClass: 0x00, sequence: sequence, payload: statusAckPayload) }
    public static func frameAck(sequence: UInt8) -> [UInt8] { encode(messageClass: 0x00, sequence: sequence, payload: frameAckPayload) }
    public static func deinitCommand(sequence: UInt8) -> [UInt8] { encode(messageClass: 0x07, sequence: sequence, payload: classSevenPayload) }
}

/// The host's 4-bit sequence counter: reset at activation, advanced by every numbered command.
public struct UPEKSequenceCounter: Sendable, Hashable {
    public private(set) var value: UInt8 = 0

    public init() {}

    /// The number for the next command; the counter then advances (wrapping 15 → 0).
    public mutating func take() -> UInt8 {
        defer { value = (value + 1) & 0x0F }
        return value
    }

    public mutating func reset() { value = 0 }
}

/// The sensors the get-info reply can announce.
public enum UPEKSensorVariant: String, Sendable, Hashable, Codable, CaseIterable {
    case tcs1, tcs2, tcs3, tcs4, tcs5

    /// The size the get-info reply reports.
    public var reportedSize: (width: Int, height: Int) {
        switch self {
        case .tcs1: (256, 360)
        case .tcs2: (208, 288)
        case .tcs3: (248, 360)
        case .tcs4: (192, 512)
        case .tcs5: (144, 512)
        }
    }

    /// The image the coprocessor delivers: 3/4 of the reported size in both directions.
    public var imageSize: (width: Int, height: Int) {
        let reported = reportedSize
        return (reported.width * 3 / 4, reported.height * 3 / 4)
    }

    /// The sensors are 508 ppi; the coprocessor delivers 3/4 of the pixels in each direction.
    public static let imageResolutionPPI = 381

    public var modelName: String {
        switch self {
        case .tcs1: "TCS1"
        case .tcs2: "TCS2"
        case .tcs3: "TCS3"
        case .tcs4: "TCS4"
        case .tcs5: "TCS5"
        }
    }

    public init?(reportedWidth: Int, height: Int) {
        guard let match = Self.allCases.first(where: { $0.reportedSize == (reportedWidth, height) }) else { return nil }
        self = match
    }
}

/// What the get-info reply says about the sensor.
public struct UPEKSensorInfo: Sendable, Hashable {
    public var variant: UPEKSensorVariant
    public var reportedWidth: Int
    public var reportedHeight: Int
    /// A swipe sensor (bit 7 of message byte 49 set); an area (press) sensor otherwise.
    public var isSwipe: Bool
    /// Message byte 49 as reported (kept for the self-test's identity line).
    public var sensorFlags: UInt8

    public var imageWidth: Int { variant.imageSize.width }
    public var imageHeight: Int { variant.imageSize.height }

    /// Decodes a get-info reply (class 0; message bytes 12..13 = 06 14; geometry at 49..53).
    public init(getInfoReply message: UPEKCiao.Message) throws(UPEKProtocolError) {
        guard message.messageClass == 0x00, message.byte(12) == 0x06, message.byte(13) == 0x14 else {
            throw .unexpectedReply(stage: "get-info", message.messageClass, message.byte(UPEKCiao.headerLength))
        }
        guard let flags = message.byte(49), let w0 = message.byte(50), let w1 = message.byte(51),
              let h0 = message.byte(52), let h1 = message.byte(53)
        else { throw .truncated(expected: 54 + 2, received: message.bytes.count) }
        let width = Int(w0) | Int(w1) << 8
        let height = Int(h0) | Int(h1) << 8
        guard let variant = UPEKSensorVariant(reportedWidth: width, height: height) else {
            throw .unknownSensor(width: width, height: height)
        }
        self.variant = variant
        reportedWidth = width
        reportedHeight = height
        isSwipe = flags & 0x80 != 0
        sensorFlags = flags
    }
}

/// A status code of a class-0/type-0x28 message (message byte 18).
public enum UPEKCaptureStatus: Sendable, Hashable {
    case noFinger
    case keepFingerOn
    case fingerPresent
    case fingerGone
    case swipeTooShort
    case tooMuchHorizontalMovement
    case unknown(UInt8)

    public init(code: UInt8) {
        switch code {
        case 0x0C: self = .noFinger
        case 0x13: self = .keepFingerOn
        case 0x00: self = .fingerPresent
        case 0x01: self = .fingerGone
        case 0x1E: self = .swipeTooShort
        case 0x1D: self = .tooMuchHorizontalMovement
        default: self = .unknown(code)
        }
    }

    /// The operator's retry reason for a failed presentation, nil for the normal statuses.
    public var retryReason: RetryReason? {
        switch self {
        case .swipeTooShort:
            RetryReason(code: "too-short", english: "The swipe was too short. Swipe the whole finger again.",
                        indonesian: "Usapan terlalu pendek. Usapkan seluruh jari sekali lagi.")
        case .tooMuchHorizontalMovement:
            RetryReason(code: "centre-finger", english: "The finger moved sideways. Centre the finger and try again.",
                        indonesian: "Jari bergeser ke samping. Letakkan jari di tengah dan coba lagi.")
        case .unknown:
            RetryReason(code: "general", english: "The scanner could not read the finger. Try again.",
                        indonesian: "Pemindai tidak dapat membaca jari. Coba lagi.")
        case .noFinger, .keepFingerOn, .fingerPresent, .fingerGone:
            nil
        }
    }
}

/// One message of the capture loop, classified.
public enum UPEKCaptureMessage: Sendable, Hashable {
    case status(UPEKCaptureStatus)
    /// Type 0x2C: the first image frame (its pixels only).
    case firstFrame(ArraySlice<UInt8>)
    /// Type 0x24: a frame in the middle.
    case frame(ArraySlice<UInt8>)
    /// Type 0x20: the last frame; not acknowledged.
    case lastFrame(ArraySlice<UInt8>)
    /// Class 8: acknowledged with the class-9 message, then the loop reads on.
    case classEight

    /// Classifies a decoded message of the capture loop.
    public init(_ message: UPEKCiao.Message) throws(UPEKProtocolError) {
        let bytes = message.bytes
        let payloadLength = message.payload.count
        switch message.messageClass {
        case 0x08:
            self = .classEight
        case 0x00:
            guard let type = message.payload.first else {
                throw .unexpectedReply(stage: "capture", message.messageClass, nil)
            }
            switch type {
            case 0x28:
                guard let code = message.byte(18), 18 < bytes.count - 2 else {
                    throw .truncated(expected: 21, received: bytes.count)
                }
                self = .status(UPEKCaptureStatus(code: code))
            case 0x2C:
                guard payloadLength >= 11 else { throw .frameTooShort(type: type, payloadLength: payloadLength) }
                self = .firstFrame(bytes[18..<(18 + payloadLength - 11)])
            case 0x24:
                self = .frame(bytes[8..<(8 + payloadLength - 1)])
            case 0x20:
                guard payloadLength >= 5 else { throw .frameTooShort(type: type, payloadLength: payloadLength) }
                self = .lastFrame(bytes[8..<(8 + payloadLength - 5)])
            default:
                throw .unexpectedReply(stage: "capture", message.messageClass, type)
            }
        default:
            throw .unexpectedReply(stage: "capture", message.messageClass, message.payload.first)
        }
    }
}

/// Concatenates frame pixels into the image; refuses to grow past twice the expected size.
public struct UPEKImageAssembler: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var pixels: [UInt8] = []
    public private(set) var frames = 0

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels.reserveCapacity(width * height)
    }

    public var expectedCount: Int { width * height }

    public mutating func append(_ frame: ArraySlice<UInt8>) throws(UPEKProtocolError) {
        guard pixels.count + frame.count <= 2 * expectedCount else {
            throw .imageSize(expected: expectedCount, received: pixels.count + frame.count)
        }
        pixels += frame
        frames += 1
    }

    /// The image, when exactly width × height pixels arrived.
    public func image() throws(UPEKProtocolError) -> GrayImage {
        guard pixels.count == expectedCount, let image = GrayImage(width: width, height: height, pixels: pixels) else {
            throw .imageSize(expected: expectedCount, received: pixels.count)
        }
        return image
    }
}

/// What can be wrong with bytes from the coprocessor.
public enum UPEKProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated(expected: Int, received: Int)
    case badMagic([UInt8])
    case tooLong(Int)
    case badCRC(expected: UInt16, received: UInt16)
    case unexpectedReply(stage: String, UInt8, UInt8?)
    case unknownSensor(width: Int, height: Int)
    case frameTooShort(type: UInt8, payloadLength: Int)
    case imageSize(expected: Int, received: Int)

    public var description: String {
        switch self {
        case .truncated(let expected, let received): "message truncated: \(received) of \(expected) bytes"
        case .badMagic(let prefix): "message does not start with \"Ciao\" (\(UPEKHex.bytes(prefix)))"
        case .tooLong(let total): "message announces \(total) bytes, more than the \(UPEKCiao.maximumMessageLength) allowed"
        case .badCRC(let expected, let received): "CRC mismatch: computed \(UPEKHex.word(expected)), received \(UPEKHex.word(received))"
        case .unexpectedReply(let stage, let messageClass, let type):
            "unexpected reply during \(stage): class \(UPEKHex.byte(messageClass))" + (type.map { ", type \(UPEKHex.byte($0))" } ?? "")
        case .unknownSensor(let width, let height): "unknown sensor type: get-info reports \(width) × \(height)"
        case .frameTooShort(let type, let length): "frame type \(UPEKHex.byte(type)) has only \(length) payload bytes"
        case .imageSize(let expected, let received): "image has \(received) pixel bytes, expected \(expected)"
        }
    }

    /// The fault this error is at the driver boundary: all of them blame the device.
    public func fault(device: DeviceIdentity?) -> CaptureFault {
        switch self {
        case .truncated:
            CaptureFault(.shortFrame, message: "The scanner sent a truncated message: \(self).", underlying: self, device: device)
        case .imageSize(let expected, let received) where received < expected:
            CaptureFault(.shortFrame, message: "The scanner sent an incomplete image: \(self).", underlying: self, device: device)
        case .badMagic, .tooLong, .badCRC, .frameTooShort, .imageSize:
            CaptureFault(.corruptFrame, message: "The scanner sent a damaged message: \(self).", underlying: self, device: device)
        case .unexpectedReply:
            CaptureFault(.protocolError, message: "The scanner broke the protocol: \(self).", underlying: self, device: device)
        case .unknownSensor:
            CaptureFault(.unsupportedDevice, domain: .hardware,
                         message: "The scanner reports a sensor this driver does not know: \(self).",
                         remedy: "Replace the scanner with a supported UPEK TouchChip model, or report its get-info reply.",
                         underlying: self, device: device)
        }
    }
}

/// Hexadecimal text for messages (kept here so the module needs no USB descriptor import).
enum UPEKHex {
    static func byte(_ value: UInt8) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }

    static func word(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func bytes(_ values: [UInt8]) -> String { values.map(byte).joined(separator: " ") }
}
