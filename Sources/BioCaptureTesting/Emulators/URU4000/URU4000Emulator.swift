import BioCapture
import BioFingerprint
import Foundation
import USBDescriptors

/// A U.are.U 4000 family reader in Swift, served through `VirtualUSBTestbed`: the same register
/// protocol, interrupt packets, AES challenge (045e:00ca), key exchange and scrambled images as the
/// real device, with a synthetic finger from `SyntheticFingerprintGenerator`.
///
/// The finger goes on as soon as the host asks for it (MODE 0x10) and lifts when asked (MODE 0x12),
/// unless a fault says otherwise. `expectedImage` is what a correct driver returns.
public final class URU4000Emulator: VirtualUSBDeviceModel, @unchecked Sendable {
    /// What can go wrong, one per emulator.
    public enum Fault: Sendable, Hashable {
        case none
        /// `onCaptureRequested` is called when the host asks for the image; the test unplugs there.
        case unplugMidImage
        /// Control requests on this register stall (e.g. MODE, 0x4E).
        case stallControl(register: UInt16)
        /// No finger is ever put on the reader.
        case noFinger
        /// The image header announces 512 rows.
        case corruptHeader
        /// A 0x0800 "death" packet, then an empty image.
        case death
        /// HWSTAT never leaves low power.
        case neverPowersUp
        /// Powers up but never sends "scan power on".
        case noPowerOnInterrupt
    }

    public let descriptors: USBDeviceDescriptors
    public let strings: [UInt8: String]
    public var speed: USBSpeed { .full }
    public let fault: Fault
    public let challengeResponse: Bool
    public let orientation: URU4000Orientation
    /// Whether images are scrambled (a plain image exercises the noise test's other branch).
    public let scrambled: Bool
    /// What the driver must produce from this emulator's image.
    public let expectedImage: GrayImage
    /// Called (on umockdev's thread) when the host writes MODE 0x20 under `.unplugMidImage`.
    public var onCaptureRequested: (@Sendable () -> Void)? {
        get { lock.withLock { captureHook } }
        set { lock.withLock { captureHook = newValue } }
    }

    /// The image as the device sends it (header + rows), before scrambling.
    private let plainRows: [UInt8]
    private let blockTable: [URU4000Block]
    private let lock = NSLock()
    // Guarded by `lock`.
    private var hardwareStatus: UInt8 = 0x03
    private var challenge: [UInt8] = []
    private var challengeAnswered = false
    private var mode: UInt8 = 0
    private var keyNumber: UInt8 = 5
    private var seed: UInt32 = 0
    private var interruptQueue: [[UInt8]] = []
    private var pendingInterrupts: [VirtualUSBTransfer] = []
    private var pendingImage: VirtualUSBTransfer?
    private var imageRequested = false
    private var random: SeededRandom
    private var captureHook: (@Sendable () -> Void)?
    private var log: [String] = []

    public init(productID: UInt16 = 0x00CA, fault: Fault = .none, scrambled: Bool = true, seed: UInt64 = 7) {
        let vendorID: UInt16 = productID == 0x000A || productID == 0x0007 || productID == 0x0008 ? 0x05BA : 0x045E
        self.fault = fault
        self.scrambled = scrambled
        challengeResponse = vendorID == 0x045E && productID == 0x00CA
        orientation = productID == 0x000A && vendorID == 0x05BA
            ? URU4000Orientation(invert: true, flipHorizontally: true, flipVertically: true) : URU4000Orientation()
        random = SeededRandom(seed: seed)
        descriptors = USBDeviceDescriptors(
            device: USBDeviceDescriptor(
                usbVersion: USBBCDVersion(rawValue: 0x0110), deviceClass: 0, deviceSubClass: 0, deviceProtocol: 0,
                maxPacketSize0: 8, vendorID: vendorID, productID: productID,
                deviceVersion: USBBCDVersion(rawValue: 0x0100), manufacturerStringIndex: 1, productStringIndex: 2,
                serialNumberStringIndex: 0, numConfigurations: 1),
            configurations: [
                USBConfigurationDescriptor(
                    totalLength: 0, configurationValue: 1, configurationStringIndex: 0, attributes: 0xA0, maxPower: 50,
                    interfaces: [
                        USBInterface(number: 0, alternateSettings: [
                            USBInterfaceDescriptor(
                                interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0xFF, interfaceSubClass: 0xFF,
                                interfaceProtocol: 0xFF, interfaceStringIndex: 0,
                                endpoints: [
                                    USBEndpointDescriptor(address: 0x81, attributes: 0x03, maxPacketSizeField: 64, interval: 8),
                                    USBEndpointDescriptor(address: 0x82, attributes: 0x02, maxPacketSizeField: 64, interval: 0),
                                ]),
                        ]),
                    ]),
            ])
        strings = [1: vendorID == 0x045E ? "Microsoft" : "DigitalPersona, Inc.",
                   2: vendorID == 0x045E ? "Microsoft Fingerprint Reader" : "U.are.U 4000"]

        let width = URU4000Protocol.imageWidth, height = URU4000Protocol.imageHeight
        let generator = SyntheticFingerprintGenerator(parameters: SyntheticFingerprintParameters(width: width, height: height))
        let print = generator.impression(of: generator.master(identity: seed, finger: .rightIndex),
                                         conditions: .natural(seed: seed, attempt: 1))
        // The table: scrambled blocks, a plain row, a gap (the row after it repeats), and the rest.
        let table = [URU4000Block(flags: 0x02, lines: 100), URU4000Block(flags: 0x00, lines: 1),
                     URU4000Block(flags: 0x02, lines: 80), URU4000Block(flags: 0x01, lines: 1),
                     URU4000Block(flags: 0x02, lines: 108)]
        blockTable = table.map { block in
            scrambled || block.flags & URU4000Block.notPresent != 0 ? block : URU4000Block(flags: 0x04, lines: block.lines)
        }
        // Device polarity and orientation: undo what the driver will do.
        let deviceView = URU4000ImageDecoder.orient(print, orientation)
        var rows: [UInt8] = []
        var expected = [UInt8](repeating: 0, count: width * height)
        var outputRow = 0
        for block in blockTable {
            if block.isPresent {
                for line in 0..<block.lines {
                    var row = Array(deviceView.pixels[(outputRow + line) * width..<(outputRow + line + 1) * width])
                    if block.flags & 0x06 == URU4000Block.encrypted && line == block.lines - 1 {
                        row[width - 1] = 0  // the scrambling loses each block's last byte
                    }
                    rows += row
                }
            }
            outputRow += block.lines
        }
        // What the driver shows: the sent rows in output order (a gap repeats the next rows).
        outputRow = 0
        var dataRow = 0
        for block in blockTable {
            for line in 0..<block.lines where outputRow + line < height {
                let source = dataRow + line
                for x in 0..<width { expected[(outputRow + line) * width + x] = rows[source * width + x] }
            }
            outputRow += block.lines
            if block.isPresent { dataRow += block.lines }
        }
        plainRows = rows
        let flat = GrayImage(width: width, height: height, pixels: expected) ?? GrayImage(width: width, height: height)
        // Back to the driver's orientation (inversion and the 180° turn are their own inverses).
        expectedImage = URU4000ImageDecoder.orient(flat, orientation)
    }

    /// The device's scramble key for a key number.
    public static func key(for keyNumber: UInt8) -> UInt32 {
        0x6D2B_79F5 &* (UInt32(keyNumber) &+ 1) ^ 0xA5C3_0F1E
    }

    /// Requests the device saw, in order ("read 0x07", "write 0x4e 10", "bulk 111424").
    public var requests: [String] { lock.withLock { log } }

    // MARK: Transfers

    public func handle(_ transfer: VirtualUSBTransfer) -> VirtualUSBReply? {
        if let setup = transfer.setup { return control(setup, data: transfer.outData) }
        switch transfer.endpoint {
        case URU4000Protocol.interruptEndpoint:
            lock.lock()
            if !interruptQueue.isEmpty {
                let packet = interruptQueue.removeFirst()
                lock.unlock()
                return .data(packet)
            }
            pendingInterrupts.append(transfer)
            lock.unlock()
            return nil
        case URU4000Protocol.imageEndpoint:
            lock.lock()
            log.append("bulk \(transfer.requestedLength)")
            if imageRequested {
                imageRequested = false
                lock.unlock()
                return imageReply()
            }
            pendingImage = transfer
            lock.unlock()
            return nil
        default:
            return .stall
        }
    }

    private func control(_ setup: USBControlSetup, data: [UInt8]) -> VirtualUSBReply {
        guard setup.request == URU4000Protocol.registerRequest, setup.requestType & 0x60 == 0x40 else { return .stall }
        if case .stallControl(let register) = fault, register == setup.value { return .stall }
        lock.lock()
        defer { lock.unlock() }
        if setup.isDeviceToHost {
            log.append("read 0x" + String(setup.value, radix: 16))
            switch URU4000Protocol.Register(rawValue: setup.value) {
            case .hardwareStatus: return .data([hardwareStatus])
            case .challenge:
                challenge = (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                return .data(challenge)
            case .deviceInfo: return .data([0x50, 0x25, 0x50, 0x25, 0x00, 0x34, 0, 0, 0, 0x13, 0x00, 0x59, 0x67, 0x19, 0x18, 0x00])
            case .scrambleDataKey: return .data(URU4000KeyExchange.reply(key: Self.key(for: keyNumber), seed: seed))
            default: return .stall
            }
        }
        log.append("write 0x" + String(setup.value, radix: 16) + " " + data.map { String($0, radix: 16) }.joined(separator: " "))
        switch URU4000Protocol.Register(rawValue: setup.value) {
        case .hardwareStatus:
            guard let value = data.first else { return .stall }
            if value & 0x80 != 0 || fault == .neverPowersUp || (challengeResponse && !challengeAnswered) {
                hardwareStatus = value | 0x80
            } else {
                let wasLow = hardwareStatus & 0x80 != 0
                hardwareStatus = value
                if wasLow && fault != .noPowerOnInterrupt { sendLocked(URU4000Interrupt.scanPowerOn.packet) }
            }
        case .response:
            let wanted = (try? URU4000ChallengeResponse.response(to: challenge)) ?? []
            challengeAnswered = !challenge.isEmpty && data == wanted
        case .scrambleDataIndex:
            guard data.count == 5 else { return .stall }
            keyNumber = data[0]
            seed = UInt32(data[1]) | UInt32(data[2]) << 8 | UInt32(data[3]) << 16 | UInt32(data[4]) << 24
        case .mode:
            guard let value = data.first else { return .stall }
            mode = value
            switch URU4000Protocol.Mode(rawValue: value) {
            case .awaitFingerOn:
                if fault != .noFinger { sendLocked(URU4000Interrupt.fingerOn.packet) }
            case .awaitFingerOff:
                sendLocked(URU4000Interrupt.fingerOff.packet)
            case .capture:
                startImageLocked()
            default:
                break
            }
        default:
            return .stall
        }
        return .done
    }

    /// Called with `lock` held.
    private func sendLocked(_ packet: [UInt8]) {
        if !pendingInterrupts.isEmpty {
            let transfer = pendingInterrupts.removeFirst()
            if transfer.complete(.data(packet)) { return }
        }
        interruptQueue.append(packet)
    }

    /// Called with `lock` held.
    private func startImageLocked() {
        switch fault {
        case .unplugMidImage:
            if let hook = captureHook { DispatchQueue.global().async { hook() } }
            return
        case .death:
            sendLocked(URU4000Interrupt.death.packet)
        default:
            break
        }
        guard let transfer = pendingImage else {
            imageRequested = true
            return
        }
        pendingImage = nil
        let reply = imageReplyLocked()
        // Give a "death" packet time to reach the host first, as on the wire.
        transfer.complete(reply, after: fault == .death ? .milliseconds(20) : .zero)
    }

    private func imageReply() -> VirtualUSBReply {
        lock.withLock { imageReplyLocked() }
    }

    /// The transfer: header, then the rows scrambled under the key of the current key number.
    private func imageReplyLocked() -> VirtualUSBReply {
        if fault == .death { return .data([]) }
        let width = URU4000Protocol.imageWidth
        var header = [UInt8](repeating: 0, count: URU4000Protocol.headerLength)
        let lines = plainRows.count / width
        header[4] = UInt8(lines & 0xFF)
        header[5] = UInt8(lines >> 8)
        if fault == .corruptHeader {
            header[4] = 0x00
            header[5] = 0x02
        }
        keyNumber = 5
        header[6] = keyNumber
        for (index, block) in blockTable.enumerated() {
            header[16 + 2 * index] = block.flags
            header[17 + 2 * index] = UInt8(block.lines)
        }
        var rows = plainRows
        if scrambled { Self.scramble(&rows, table: blockTable, key: Self.key(for: keyNumber)) }
        return .data(header + rows)
    }

    /// The device side of the descrambling: each ciphertext byte after the first is the plaintext
    /// byte before it XOR the mask; the first byte is arbitrary.
    static func scramble(_ rows: inout [UInt8], table: [URU4000Block], key: UInt32) {
        let width = URU4000Protocol.imageWidth
        var stream = URU4000KeyStream(key: key)
        var dataRow = 0
        for block in table {
            let count = block.lines * width
            switch block.flags & 0x06 {
            case URU4000Block.encrypted where block.isPresent:
                let start = dataRow * width
                let plain = Array(rows[start..<start + count])
                rows[start] = 0x5A
                for index in 0..<(count - 1) {
                    rows[start + index + 1] = plain[index] ^ stream.mask
                    stream.advance()
                }
                stream.advance()
            case 0, URU4000Block.encrypted:
                stream.advance(by: count)
            default:
                break
            }
            if block.isPresent { dataRow += block.lines }
        }
    }

    public func deviceEvent(_ event: VirtualUSBDeviceEvent) {
        if event == .unplugged {
            lock.withLock {
                pendingInterrupts.removeAll()
                pendingImage = nil
            }
        }
    }
}
