import BioCapture
import Crypto
import _CryptoExtras

/// The wire protocol of the U.are.U 4000 family as pure values: register requests, interrupt
/// packets, the v2 challenge-response, the image header, the key stream and the image decoder.
/// Nothing here talks to a device, so every piece is unit-tested with the recording's bytes.
public enum URU4000Protocol {
    public static let interruptEndpoint: UInt8 = 0x81
    public static let imageEndpoint: UInt8 = 0x82
    public static let interruptLength = 64
    public static let imageWidth = 384
    public static let imageHeight = 290
    public static let headerLength = 64
    /// The bulk request length: header plus a full 290-row image.
    public static let imageTransferLength = headerLength + imageWidth * imageHeight
    /// Vendor request number used for every register access.
    public static let registerRequest: UInt8 = 0x04

    /// Registers the driver uses.
    public enum Register: UInt16, Sendable {
        case hardwareStatus = 0x07
        case scrambleDataIndex = 0x33
        case scrambleDataKey = 0x34
        case mode = 0x4E
        case deviceInfo = 0xF0
        case response = 0x2000
        case challenge = 0x2010
    }

    /// Values of the MODE register.
    public enum Mode: UInt8, Sendable {
        case initialise = 0x00
        case awaitFingerOn = 0x10
        case awaitFingerOff = 0x12
        case capture = 0x20
        case off = 0x70
        case ready = 0x80
    }

    /// HWSTAT bits.
    public enum HardwareStatus {
        public static let lowPower: UInt8 = 0x80
        public static let fault: UInt8 = 0x04
        public static let rebootDone: UInt8 = 0x01
    }

    /// The SETUP packet that reads `length` bytes from `register`.
    public static func readSetup(_ register: Register, length: Int) -> USBControlSetup {
        USBControlSetup(requestType: 0xC0, request: registerRequest, value: register.rawValue, index: 0,
                        length: UInt16(clamping: length))
    }

    /// The SETUP packet that writes `length` bytes to `register`.
    public static func writeSetup(_ register: Register, length: Int) -> USBControlSetup {
        USBControlSetup(requestType: 0x40, request: registerRequest, value: register.rawValue, index: 0,
                        length: UInt16(clamping: length))
    }

    /// The DEVICE_INFO payload as a version text: bytes 10–11 and 4–5, as the family's tools show them.
    public static func versionText(deviceInfo: [UInt8]) -> String? {
        guard deviceInfo.count >= 12 else { return nil }
        func word(_ at: Int) -> String {
            let high = String(deviceInfo[at + 1], radix: 16), low = String(deviceInfo[at], radix: 16)
            return (high.count < 2 ? "0" + high : high) + (low.count < 2 ? "0" + low : low)
        }
        return "\(word(10))/\(word(4))"
    }
}

// MARK: - Interrupt packets

/// What an interrupt packet on 0x81 announces (its first two bytes, big-endian).
public enum URU4000Interrupt: Sendable, Hashable {
    case scanPowerOn
    case fingerOn
    case fingerOff
    /// The next image transfer will probably fail.
    case death
    case other(UInt16)

    /// Decodes a packet; nil when it is shorter than the protocol's 64 bytes.
    public init?(packet: [UInt8]) {
        guard packet.count >= URU4000Protocol.interruptLength else { return nil }
        switch UInt16(packet[0]) << 8 | UInt16(packet[1]) {
        case 0x56AA: self = .scanPowerOn
        case 0x0101: self = .fingerOn
        case 0x0200: self = .fingerOff
        case 0x0800: self = .death
        case let value: self = .other(value)
        }
    }

    /// The type code as it appears on the wire.
    public var code: UInt16 {
        switch self {
        case .scanPowerOn: 0x56AA
        case .fingerOn: 0x0101
        case .fingerOff: 0x0200
        case .death: 0x0800
        case .other(let value): value
        }
    }

    /// A 64-byte packet of this type (for emulators).
    public var packet: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: URU4000Protocol.interruptLength)
        bytes[0] = UInt8(code >> 8)
        bytes[1] = UInt8(code & 0xFF)
        return bytes
    }
}

// MARK: - Challenge-response (045e:00ca)

public enum URU4000ChallengeResponse {
    /// The fixed protocol key of the v2 reader.
    public static let key: [UInt8] = [0x79, 0xAC, 0x91, 0x79, 0x5C, 0xA1, 0x47, 0x8E,
                                      0x98, 0xE0, 0x0F, 0x3C, 0x59, 0x8F, 0x5F, 0x4B]

    /// The response to a 16-byte challenge: one AES-128 block encryption under `key`
    /// (swift-crypto's `AES.permute`).
    public static func response(to challenge: [UInt8]) throws -> [UInt8] {
        guard challenge.count == 16 else {
            throw CaptureFault(.protocolError, message: "The reader's challenge has \(challenge.count) bytes instead of 16.")
        }
        var block = challenge
        do {
            try AES.permute(&block, key: SymmetricKey(data: key))
        } catch {
            throw CaptureFault(.internalError, message: "AES failed on the reader's challenge.",
                               underlying: UnclassifiedError(error))
        }
        return block
    }
}

// MARK: - Image header

/// One entry of the image header's block table.
public struct URU4000Block: Sendable, Hashable {
    public static let changeKey: UInt8 = 0x80
    public static let noKeyUpdate: UInt8 = 0x04
    public static let encrypted: UInt8 = 0x02
    public static let notPresent: UInt8 = 0x01

    public var flags: UInt8
    public var lines: Int

    public init(flags: UInt8, lines: Int) {
        self.flags = flags
        self.lines = lines
    }

    public var isPresent: Bool { flags & Self.notPresent == 0 }
}

/// The 64-byte header of an image transfer.
public struct URU4000ImageHeader: Sendable, Hashable {
    public var numberOfLines: Int
    public var keyNumber: UInt8
    /// The table up to (not including) the first entry with 0 lines; at most 15 entries.
    public var blocks: [URU4000Block]

    public init(numberOfLines: Int, keyNumber: UInt8, blocks: [URU4000Block]) {
        self.numberOfLines = numberOfLines
        self.keyNumber = keyNumber
        self.blocks = blocks
    }

    /// Parses and validates a transfer: fewer than 290 rows, and at least that many rows of data.
    /// A header that fails is a hardware `corrupt-frame`; a transfer shorter than its header a
    /// `short-frame`.
    public init(transfer: [UInt8]) throws {
        let width = URU4000Protocol.imageWidth
        guard transfer.count >= URU4000Protocol.headerLength else {
            throw CaptureFault(.shortFrame, message: "The image transfer has \(transfer.count) bytes, less than its 64-byte header.")
        }
        let lines = Int(transfer[4]) | Int(transfer[5]) << 8
        guard lines < URU4000Protocol.imageHeight else {
            throw CaptureFault(.corruptFrame, message: "The image header announces \(lines) rows (at most 289 are possible).")
        }
        guard transfer.count >= URU4000Protocol.headerLength + lines * width else {
            throw CaptureFault(.corruptFrame,
                               message: "The image header announces \(lines) rows but the transfer holds \(transfer.count) bytes.")
        }
        var blocks: [URU4000Block] = []
        for index in 0..<15 {
            let entry = URU4000Block(flags: transfer[16 + 2 * index], lines: Int(transfer[17 + 2 * index]))
            if entry.lines == 0 { break }
            blocks.append(entry)
        }
        self.init(numberOfLines: lines, keyNumber: transfer[6], blocks: blocks)
    }

    /// The blocks the decoder walks: in order while fewer than `numberOfLines` data rows are done.
    public var walkedBlocks: [URU4000Block] {
        var walked: [URU4000Block] = []
        var rowsDone = 0
        for block in blocks where rowsDone < numberOfLines {
            walked.append(block)
            if block.isPresent { rowsDone += block.lines }
        }
        return walked
    }

    /// How many key changes the walked blocks ask for (each needs a fresh key exchange).
    public var keyChanges: Int { walkedBlocks.filter { $0.flags & URU4000Block.changeKey != 0 }.count }
}

// MARK: - Key stream

/// The family's 32-bit LFSR key stream.
public struct URU4000KeyStream: Sendable, Hashable {
    public static let taps: UInt32 = 0x9248_144D
    public private(set) var key: UInt32

    public init(key: UInt32) { self.key = key }

    /// The mask byte of the current state: key bits 4, 8, 11, 14, 18, 21, 24, 29 as bits 0–7.
    @inline(__always)
    public var mask: UInt8 {
        let k = key
        var m = (k >> 4) & 1
        m |= ((k >> 8) & 1) << 1
        m |= ((k >> 11) & 1) << 2
        m |= ((k >> 14) & 1) << 3
        m |= ((k >> 18) & 1) << 4
        m |= ((k >> 21) & 1) << 5
        m |= ((k >> 24) & 1) << 6
        m |= ((k >> 29) & 1) << 7
        return UInt8(truncatingIfNeeded: m)
    }

    @inline(__always)
    public mutating func advance() {
        let parity = UInt32((key & Self.taps).nonzeroBitCount & 1)
        key = parity << 31 | key >> 1
    }

    public mutating func advance(by steps: Int) {
        for _ in 0..<max(0, steps) { advance() }
    }

    /// Descrambles `bytes[range]` in place: each byte becomes the next scrambled byte XOR the mask,
    /// the last byte becomes 0; the stream advances once per byte.
    public mutating func descramble(_ bytes: inout [UInt8], range: Range<Int>) {
        guard !range.isEmpty else { return }
        bytes.withUnsafeMutableBufferPointer { buffer in
            var index = range.lowerBound
            let last = range.upperBound - 1
            while index < last {
                let m = mask
                advance()
                buffer[index] = buffer[index + 1] ^ m
                index += 1
            }
            buffer[last] = 0
            advance()
        }
    }
}

// MARK: - Image decoding

/// The 32-bit value exchanged for a key: the host's seed and the device's answer.
public enum URU4000KeyExchange {
    /// The 5 bytes written to SCRAMBLE_DATA_INDEX: the key number, then the seed little-endian.
    public static func indexPayload(keyNumber: UInt8, seed: UInt32) -> [UInt8] {
        [keyNumber, UInt8(seed & 0xFF), UInt8(seed >> 8 & 0xFF), UInt8(seed >> 16 & 0xFF), UInt8(seed >> 24)]
    }

    /// The key from the 4 bytes read back from SCRAMBLE_DATA_KEY.
    public static func key(reply: [UInt8], seed: UInt32) throws -> UInt32 {
        guard reply.count == 4 else {
            throw CaptureFault(.protocolError, message: "The scramble key reply has \(reply.count) bytes instead of 4.")
        }
        let value = UInt32(reply[0]) | UInt32(reply[1]) << 8 | UInt32(reply[2]) << 16 | UInt32(reply[3]) << 24
        return value ^ seed
    }

    /// The device side: what it answers for a key and a seed (for emulators).
    public static func reply(key: UInt32, seed: UInt32) -> [UInt8] {
        let value = key ^ seed
        return [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}

/// Orientation and polarity of a model.
public struct URU4000Orientation: Sendable, Hashable {
    public var invert: Bool
    public var flipHorizontally: Bool
    public var flipVertically: Bool

    public init(invert: Bool = true, flipHorizontally: Bool = false, flipVertically: Bool = false) {
        self.invert = invert
        self.flipHorizontally = flipHorizontally
        self.flipVertically = flipVertically
    }
}

/// Turns an image transfer into the 384 × 290 picture.
///
/// Decoding is two steps because a scrambled image needs keys from the device: `plan(transfer:)`
/// says whether and how many keys are needed, `decode(_:keys:orientation:)` does the rest.
public enum URU4000ImageDecoder {
    /// What the device must be asked before decoding.
    public struct Plan: Sendable, Hashable {
        public var header: URU4000ImageHeader
        public var scrambled: Bool
        /// Key numbers to exchange, in order: the header's, then one more per key change.
        public var keyNumbers: [UInt8]
    }

    /// The noise of the first two present rows: low for a plain image, high for a scrambled one.
    public static func noise(transfer: [UInt8], header: URU4000ImageHeader) -> Int {
        let width = URU4000Protocol.imageWidth
        let presentRows = header.blocks.filter(\.isPresent).reduce(0) { $0 + $1.lines }
        guard min(presentRows, header.numberOfLines) >= 2 else { return 0 }
        let base = URU4000Protocol.headerLength
        var sums = [Int](repeating: 0, count: width)
        var total = 0
        for column in 0..<width {
            let sum = Int(transfer[base + column]) + Int(transfer[base + width + column])
            sums[column] = sum
            total += sum
        }
        let mean = total / width
        var squares = 0
        for sum in sums { squares += (sum - mean) * (sum - mean) }
        return squares / width
    }

    public static let scrambledNoiseThreshold = 5000

    public static func plan(transfer: [UInt8]) throws -> Plan {
        let header = try URU4000ImageHeader(transfer: transfer)
        let scrambled = noise(transfer: transfer, header: header) >= scrambledNoiseThreshold
        var numbers: [UInt8] = []
        if scrambled {
            numbers.append(header.keyNumber)
            var number = header.keyNumber
            for _ in 0..<header.keyChanges {
                number &+= 1
                numbers.append(number)
            }
        }
        return Plan(header: header, scrambled: scrambled, keyNumbers: numbers)
    }

    /// Descrambles (with one key per `plan.keyNumbers` entry), assembles and orients the picture.
    public static func decode(_ transfer: [UInt8], plan: Plan, keys: [UInt32],
                              orientation: URU4000Orientation) throws -> GrayImage
    {
        let width = URU4000Protocol.imageWidth
        let height = URU4000Protocol.imageHeight
        let base = URU4000Protocol.headerLength
        let walked = plan.header.walkedBlocks
        var data = transfer
        if plan.scrambled {
            guard keys.count == plan.keyNumbers.count, let first = keys.first else {
                throw CaptureFault(.internalError, message: "The image needs \(plan.keyNumbers.count) keys, \(keys.count) were given.")
            }
            var stream = URU4000KeyStream(key: first)
            var nextKey = 1
            var rowsDone = 0
            for block in walked {
                if block.flags & URU4000Block.changeKey != 0, nextKey < keys.count {
                    stream = URU4000KeyStream(key: keys[nextKey])
                    nextKey += 1
                }
                let count = block.lines * width
                switch block.flags & (URU4000Block.noKeyUpdate | URU4000Block.encrypted) {
                case URU4000Block.encrypted where block.isPresent:
                    let start = base + rowsDone * width
                    let end = min(start + count, data.count)
                    stream.descramble(&data, range: start..<end)
                    stream.advance(by: count - (end - start))
                case 0, URU4000Block.encrypted:
                    stream.advance(by: count)
                default:
                    break
                }
                if block.isPresent { rowsDone += block.lines }
            }
        }
        var pixels = [UInt8](repeating: 0, count: width * height)
        var outputRow = 0
        var dataRow = 0
        for block in walked {
            for line in 0..<block.lines {
                let target = outputRow + line
                let source = dataRow + line
                guard target < height, source < plan.header.numberOfLines else { break }
                let from = base + source * width
                pixels.withUnsafeMutableBufferPointer { out in
                    data.withUnsafeBufferPointer { input in
                        for x in 0..<width { out[target * width + x] = input[from + x] }
                    }
                }
            }
            outputRow += block.lines
            if block.isPresent { dataRow += block.lines }
        }
        guard let image = GrayImage(width: width, height: height, pixels: pixels) else {
            throw CaptureFault(.internalError, message: "The assembled image has the wrong size.")
        }
        return orient(image, orientation)
    }

    /// Flips and inverts as the model needs (horizontal flip, vertical flip, then inversion).
    public static func orient(_ image: GrayImage, _ orientation: URU4000Orientation) -> GrayImage {
        var result = image
        let width = image.width, height = image.height
        if orientation.flipHorizontally || orientation.flipVertically {
            for y in 0..<height {
                let sourceY = orientation.flipVertically ? height - 1 - y : y
                for x in 0..<width {
                    let sourceX = orientation.flipHorizontally ? width - 1 - x : x
                    result.pixels[y * width + x] = image.pixels[sourceY * width + sourceX]
                }
            }
        }
        if orientation.invert {
            for index in result.pixels.indices { result.pixels[index] = 255 &- result.pixels[index] }
        }
        return result
    }
}
