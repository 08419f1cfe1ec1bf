import BioCapture
import BioFingerprint
import Foundation
import USBDescriptors

/// An emulated NEXT Biometrics NB-1010-U for VirtualUSB: the same descriptors (298d:1010, full
/// speed, interrupt IN 0x81, bulk OUT 0x02, bulk IN 0x83) and the same command protocol as the
/// real sensor, with synthetic fingerprints from `SyntheticFingerprintGenerator` (256 × 180).
///
/// A finger arrives after `fingerAfterChecks` finger checks. The device answers a command by
/// queueing its 16-byte response for the next bulk IN read; after a capture command the next
/// 90 reads return the image frames. A read with nothing queued stays pending until the host
/// gives up (as a silent device does).
public final class NB1010Emulator: VirtualUSBDeviceModel, @unchecked Sendable {
    /// What the emulated device does wrong.
    public enum Fault: Sendable, Hashable {
        /// The device leaves the bus while image frame `frame` (0-based) is being read.
        case unplugMidImage(frame: Int)
        /// The command endpoint stalls when the command with this code is sent.
        case stallOnCommand(UInt8)
        /// Nobody ever puts a finger on the sensor (finger value stays low).
        case noFinger
        /// Image frame `frame` arrives with a damaged header.
        case corruptImageHeader(frame: Int)
        /// Image frame `frame` arrives short.
        case shortFrame(frame: Int)
        /// The device takes commands but never answers any (it never finishes powering up).
        case powerUpNeverCompletes
        /// The sensor sends the same row 180 times although it reports a finger.
        case stuckRows
    }

    public let descriptors: USBDeviceDescriptors
    public let strings: [UInt8: String] = [1: "NEXT Biometrics", 2: "NB-1010-U"]
    public let speed: USBSpeed = .full

    /// Finger value with no finger on the sensor, and with one.
    public static let idleFingerValue: UInt8 = 0x05
    public static let fingerOnValue: UInt8 = 0xE8

    private let lock = NSLock()
    // Guarded by `lock`.
    private var queued: [[UInt8]] = []
    private var commands: [[UInt8]] = []
    private var checks = 0
    private var framesSent = 0
    private var capturesDone = 0
    private var faultValue: Fault?
    private var fingerAfter: Int
    private var handler: (@Sendable () -> Void)?

    private let generator: SyntheticFingerprintGenerator
    private let subject: UInt64

    /// - Parameters:
    ///   - seed: the synthetic subject (same seed, same finger).
    ///   - fingerAfterChecks: finger checks answered "no finger" before the finger is on.
    ///   - fault: what the device does wrong, if anything.
    public init(seed: UInt64 = 1, fingerAfterChecks: Int = 2, fault: Fault? = nil) {
        subject = seed
        fingerAfter = max(0, fingerAfterChecks)
        faultValue = fault
        generator = SyntheticFingerprintGenerator(parameters: SyntheticFingerprintParameters(
            width: NB1010Protocol.imageWidth, height: NB1010Protocol.imageHeight))
        descriptors = USBDeviceDescriptors(
            device: USBDeviceDescriptor(
                usbVersion: USBBCDVersion(rawValue: 0x0200), deviceClass: 0, deviceSubClass: 0, deviceProtocol: 0,
                maxPacketSize0: 64, vendorID: NB1010Protocol.vendorID, productID: NB1010Protocol.productID,
                deviceVersion: USBBCDVersion(rawValue: 0x0001), manufacturerStringIndex: 1, productStringIndex: 2,
                serialNumberStringIndex: 0, numConfigurations: 1),
            configurations: [
                USBConfigurationDescriptor(
                    totalLength: 0, configurationValue: 1, configurationStringIndex: 0, attributes: 0xA0, maxPower: 50,
                    interfaces: [
                        USBInterface(number: 0, alternateSettings: [
                            USBInterfaceDescriptor(
                                interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0, interfaceSubClass: 0,
                                interfaceProtocol: 0, interfaceStringIndex: 0,
                                endpoints: [
                                    USBEndpointDescriptor(address: 0x81, attributes: 0x03, maxPacketSizeField: 64, interval: 5),
                                    USBEndpointDescriptor(address: NB1010Protocol.commandEndpoint, attributes: 0x02,
                                                          maxPacketSizeField: 64, interval: 0),
                                    USBEndpointDescriptor(address: NB1010Protocol.responseEndpoint, attributes: 0x02,
                                                          maxPacketSizeField: 64, interval: 0),
                                ]),
                        ]),
                    ]),
            ])
    }

    /// The fault now acted out (settable between captures).
    public var fault: Fault? {
        get { lock.withLock { faultValue } }
        set { lock.withLock { faultValue = newValue } }
    }

    /// Called (on another thread) when the device wants to leave the bus; a test sets it to
    /// `{ testbed.unplug(device) }`.
    public var unplugHandler: (@Sendable () -> Void)? {
        get { lock.withLock { handler } }
        set { lock.withLock { handler = newValue } }
    }

    /// Every command the host sent, byte for byte.
    public var receivedCommands: [[UInt8]] { lock.withLock { commands } }
    /// Finger checks answered so far.
    public var fingerChecks: Int { lock.withLock { checks } }
    /// Image frames delivered so far (all captures).
    public var framesDelivered: Int { lock.withLock { framesSent } }

    /// The image the device sends for capture number `index` (0-based) of this subject.
    public func image(capture index: Int) -> GrayImage {
        let master = generator.master(identity: subject, finger: .rightIndex)
        return generator.impression(of: master, conditions: .natural(seed: subject, attempt: index + 1))
    }

    public func handle(_ transfer: VirtualUSBTransfer) -> VirtualUSBReply? {
        switch (transfer.type, transfer.endpoint) {
        case (.bulk, NB1010Protocol.commandEndpoint):
            return command(transfer.outData)
        case (.bulk, NB1010Protocol.responseEndpoint):
            return read(transfer)
        case (.interrupt, 0x81):
            return nil  // never used by the protocol: stays pending
        default:
            return .stall
        }
    }

    private func response(code: UInt8, sequence: UInt8, value: UInt8 = 0) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: NB1010Protocol.responseLength)
        bytes[0] = NB1010Protocol.marker
        bytes[1] = code
        bytes[2] = sequence
        bytes[4] = UInt8(NB1010Protocol.responseLength)
        bytes[NB1010Protocol.fingerValueOffset] = value
        return bytes
    }

    private func command(_ bytes: [UInt8]) -> VirtualUSBReply {
        var frames: [[UInt8]]?
        let reply: VirtualUSBReply = lock.withLock {
            commands.append(bytes)
            guard bytes.count >= NB1010Protocol.headerLength, bytes[0] == NB1010Protocol.marker,
                  Int(bytes[4]) | Int(bytes[5]) << 8 == bytes.count
            else { return .stall }
            let code = bytes[1]
            let sequence = bytes[2]
            if faultValue == .stallOnCommand(code) { return .stall }
            if faultValue == .powerUpNeverCompletes { return .done }
            switch NB1010Protocol.Command(code: code) {
            case .fingerCheck:
                checks += 1
                let present = faultValue != .noFinger && checks > fingerAfter
                queued.append(response(code: 0x37, sequence: sequence, value: present ? Self.fingerOnValue : Self.idleFingerValue))
            case .preCapture:
                queued.append(response(code: 0x20, sequence: sequence))
            case .capture:
                queued.append(response(code: 0x20, sequence: sequence, value: 0x03))
                frames = []
            case nil:
                return .stall
            }
            return .done
        }
        if frames != nil {
            // Rendering takes a while: done outside the lock, before the host reads frame 0.
            let index = lock.withLock { capturesDone }
            var picture = image(capture: index)
            if lock.withLock({ faultValue }) == .stuckRows {
                let row = Array(picture.pixels[0..<picture.width])
                picture.pixels = Array((0..<picture.height).map { _ in row }.joined())
            }
            let rendered = (0..<NB1010Protocol.frameCount).map { NB1010Protocol.encodeFrame(picture, index: $0) }
            lock.withLock {
                capturesDone += 1
                queued.append(contentsOf: rendered)
            }
        }
        return reply
    }

    private func read(_ transfer: VirtualUSBTransfer) -> VirtualUSBReply? {
        enum Action { case reply([UInt8]), pending, unplug }
        let action: Action = lock.withLock {
            guard !queued.isEmpty else { return .pending }
            var next = queued[0]
            let isFrame = next.count == NB1010Protocol.frameLength
            if isFrame {
                let frame = Int(next[NB1010Protocol.frameRowOffset]) / NB1010Protocol.rowsPerFrame
                switch faultValue {
                case .unplugMidImage(let at) where at == frame:
                    return .unplug
                case .corruptImageHeader(let at) where at == frame:
                    next[0] = 0x00
                    next[1] = 0x5A
                case .shortFrame(let at) where at == frame:
                    next = Array(next.prefix(NB1010Protocol.frameLength - 100))
                default:
                    break
                }
                framesSent += 1
            }
            queued.removeFirst()
            return .reply(Array(next.prefix(transfer.requestedLength)))
        }
        switch action {
        case .reply(let bytes): return .data(bytes)
        case .pending: return nil
        case .unplug:
            if let handler = unplugHandler { DispatchQueue.global().async { handler() } }
            return nil
        }
    }

    public func deviceEvent(_ event: VirtualUSBDeviceEvent) {
        if event == .reset || event == .unplugged { lock.withLock { queued = [] } }
    }
}
