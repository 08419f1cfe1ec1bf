import BioCapture

/// The NEXT Biometrics NB-1010-U wire protocol: pure encoding and decoding, no I/O.
///
/// Every message starts with 0x80, a message code and a sequence number, and carries its total
/// length little-endian at bytes 4–5. Commands go out on bulk OUT 0x02; responses (16 bytes) and
/// image data (90 reads of 540 bytes, two 256-pixel rows each) come back on bulk IN 0x83.
public enum NB1010Protocol {
    public static let vendorID: UInt16 = 0x298D
    public static let productID: UInt16 = 0x1010
    public static let interfaceNumber: UInt8 = 0
    public static let commandEndpoint: UInt8 = 0x02
    public static let responseEndpoint: UInt8 = 0x83

    /// Every message begins with this byte.
    public static let marker: UInt8 = 0x80
    /// A command's fixed header: marker, code, sequence, 0, length (2), 0, 0.
    public static let headerLength = 8
    /// What the host asks for after each command.
    public static let responseLength = 16
    /// Where the finger check response carries the finger value.
    public static let fingerValueOffset = 12
    /// Finger values above this mean a finger is on the sensor.
    public static let defaultFingerThreshold: UInt8 = 0x30

    public static let imageWidth = 256
    public static let imageHeight = 180
    public static let rowsPerFrame = 2
    /// Image reads after a capture command.
    public static let frameCount = imageHeight / rowsPerFrame
    /// Bytes of every image read: header, two rows, trailer.
    public static let frameLength = 540
    public static let frameHeaderLength = 25
    public static let frameTrailerLength = 3
    /// Message code of an image read.
    public static let frameCode: UInt8 = 0x21
    /// Offset of the "more frames follow" flag in a frame header.
    public static let frameMoreOffset = 12
    /// Offset of the index of the frame's second row in a frame header.
    public static let frameRowOffset = 16

    /// The commands the driver sends.
    public enum Command: Sendable, Hashable, CaseIterable {
        /// Reports the finger value (response 0x37).
        case fingerCheck
        /// Sent before every capture; its meaning is not known (response 0x20).
        case preCapture
        /// Starts the image transfer (response 0x20, then the image reads).
        case capture

        public var code: UInt8 {
            switch self {
            case .fingerCheck: 0x38
            case .preCapture: 0x0D
            case .capture: 0x12
            }
        }

        /// The response code the device answers with.
        public var responseCode: UInt8 {
            switch self {
            case .fingerCheck: 0x37
            case .preCapture, .capture: 0x20
            }
        }

        /// The device echoes the sequence number without checking it; these are the numbers the
        /// known host software sends, kept so recorded traffic replays byte for byte.
        public var sequence: UInt8 {
            switch self {
            case .fingerCheck: 1
            case .preCapture: 3
            case .capture: 4
            }
        }

        /// The parameter bytes after the 8-byte header.
        public var parameters: [UInt8] {
            switch self {
            case .fingerCheck:
                return []
            case .preCapture:
                return [0x00, 0x04, 0x00, 0x00]
            case .capture:
                // Message bytes 8 and 28 are the only non-zero parameters (meaning unknown).
                var bytes = [UInt8](repeating: 0, count: 24)
                bytes[0] = 0x02
                bytes[20] = 0x20
                return bytes
            }
        }

        /// The command as it goes on the wire.
        public var bytes: [UInt8] {
            NB1010Protocol.encode(code: code, sequence: sequence, parameters: parameters)
        }

        /// The command with this code, if the driver knows it.
        public init?(code: UInt8) {
            guard let known = Self.allCases.first(where: { $0.code == code }) else { return nil }
            self = known
        }
    }

    /// Builds a message: header with the total length, then the parameters.
    public static func encode(code: UInt8, sequence: UInt8, parameters: [UInt8]) -> [UInt8] {
        let length = headerLength + parameters.count
        return [marker, code, sequence, 0x00, UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8), 0x00, 0x00]
            + parameters
    }

    /// A decoded message header (responses and frames share it).
    public struct MessageHeader: Sendable, Hashable {
        public var code: UInt8
        public var sequence: UInt8
        /// The length field (bytes 4–5).
        public var length: Int
    }

    /// Why bytes from the device are not a valid message.
    public enum DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Fewer bytes than the message needs.
        case short(what: String, expected: Int, actual: Int)
        /// Byte 0 is not 0x80.
        case badMarker(what: String, found: UInt8)
        /// A different message code than the one expected.
        case unexpectedCode(what: String, expected: UInt8, found: UInt8)
        /// The length field disagrees with the message.
        case badLength(what: String, expected: Int, found: Int)
        /// A frame announces rows other than the ones expected next.
        case rowMismatch(frame: Int, expectedRow: Int, foundRow: Int)

        public var description: String {
            switch self {
            case .short(let what, let expected, let actual):
                "\(what): \(actual) bytes, \(expected) expected"
            case .badMarker(let what, let found):
                "\(what): first byte 0x\(String(found, radix: 16)), 0x80 expected"
            case .unexpectedCode(let what, let expected, let found):
                "\(what): code 0x\(String(found, radix: 16)), 0x\(String(expected, radix: 16)) expected"
            case .badLength(let what, let expected, let found):
                "\(what): length field \(found), \(expected) expected"
            case .rowMismatch(let frame, let expectedRow, let foundRow):
                "image frame \(frame): header names row \(foundRow), row \(expectedRow) expected"
            }
        }

        /// Whether too few bytes came (a short frame) rather than wrong bytes (a corrupt one).
        public var isShort: Bool {
            if case .short = self { return true }
            return false
        }
    }

    /// Decodes the first 6 bytes of a message.
    public static func header(_ bytes: [UInt8], what: String, minimum: Int) throws(DecodeError) -> MessageHeader {
        guard bytes.count >= minimum else { throw .short(what: what, expected: minimum, actual: bytes.count) }
        guard bytes[0] == marker else { throw .badMarker(what: what, found: bytes[0]) }
        return MessageHeader(code: bytes[1], sequence: bytes[2], length: Int(bytes[4]) | Int(bytes[5]) << 8)
    }

    /// Checks a 16-byte response to `command`.
    public static func decodeResponse(_ bytes: [UInt8], to command: Command) throws(DecodeError) -> MessageHeader {
        let what = "response to command 0x\(String(command.code, radix: 16))"
        let decoded = try header(bytes, what: what, minimum: responseLength)
        guard decoded.code == command.responseCode else {
            throw .unexpectedCode(what: what, expected: command.responseCode, found: decoded.code)
        }
        return decoded
    }

    /// The finger value (0–255) of a finger check response.
    public static func fingerValue(_ response: [UInt8]) throws(DecodeError) -> UInt8 {
        _ = try decodeResponse(response, to: .fingerCheck)
        return response[fingerValueOffset]
    }

    /// Checks image read `index` (0-based) and returns the range of its pixel bytes.
    public static func framePixels(_ frame: [UInt8], index: Int) throws(DecodeError) -> Range<Int> {
        let what = "image frame \(index)"
        guard frame.count == frameLength else { throw .short(what: what, expected: frameLength, actual: frame.count) }
        let decoded = try header(frame, what: what, minimum: frameLength)
        guard decoded.code == frameCode else { throw .unexpectedCode(what: what, expected: frameCode, found: decoded.code) }
        guard decoded.length == frameLength else { throw .badLength(what: what, expected: frameLength, found: decoded.length) }
        let expectedRow = index * rowsPerFrame + rowsPerFrame - 1
        let row = Int(frame[frameRowOffset])
        guard row == expectedRow else { throw .rowMismatch(frame: index, expectedRow: expectedRow, foundRow: row) }
        return frameHeaderLength..<(frameHeaderLength + rowsPerFrame * imageWidth)
    }

    /// Builds image read `index` of `image` as the device sends it (for emulators and tests).
    public static func encodeFrame(_ image: GrayImage, index: Int) -> [UInt8] {
        var frame = [UInt8](repeating: 0, count: frameLength)
        frame[0] = marker
        frame[1] = frameCode
        frame[4] = UInt8(frameLength & 0xFF)
        frame[5] = UInt8(frameLength >> 8)
        frame[frameMoreOffset] = index < frameCount - 1 ? 1 : 0
        frame[frameRowOffset] = UInt8(truncatingIfNeeded: index * rowsPerFrame + rowsPerFrame - 1)
        frame[21] = 0x01
        frame[24] = 0x01
        let start = index * rowsPerFrame * image.width
        let count = rowsPerFrame * imageWidth
        if image.width == imageWidth, start + count <= image.pixels.count {
            frame.replaceSubrange(frameHeaderLength..<(frameHeaderLength + count), with: image.pixels[start..<(start + count)])
        }
        return frame
    }
}

/// Puts the 90 image reads of one capture together, checking each as it comes.
public struct NB1010ImageAssembler: Sendable {
    public private(set) var pixels: [UInt8]
    public private(set) var framesReceived = 0

    public init() {
        pixels = []
        pixels.reserveCapacity(NB1010Protocol.imageWidth * NB1010Protocol.imageHeight)
    }

    public var isComplete: Bool { framesReceived == NB1010Protocol.frameCount }

    /// Adds the next image read.
    public mutating func add(_ frame: [UInt8]) throws(NB1010Protocol.DecodeError) {
        let range = try NB1010Protocol.framePixels(frame, index: framesReceived)
        pixels.append(contentsOf: frame[range])
        framesReceived += 1
    }

    /// The image once every read arrived; the sensor's orientation and polarity need no change.
    public func image() throws(NB1010Protocol.DecodeError) -> GrayImage {
        guard isComplete, let image = GrayImage(width: NB1010Protocol.imageWidth, height: NB1010Protocol.imageHeight, pixels: pixels)
        else {
            throw .short(what: "image", expected: NB1010Protocol.frameCount, actual: framesReceived)
        }
        return image
    }
}
