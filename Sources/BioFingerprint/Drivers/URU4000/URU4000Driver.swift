import BioCapture
import Foundation

/// The `uru4000` driver: DigitalPersona U.are.U 4000 / 4000B (4500) and the Microsoft Fingerprint
/// Reader family, all one protocol.
///
/// Quirks (see `hardware-notes/uru4000.md`): `challenge-response` (AES answer while powering up,
/// 045e:00ca), `invert` (colours arrive inverted: every model), `flip-horizontal` and
/// `flip-vertical` (the 4000B delivers the image rotated by 180°).
/// Setting: `BIOCAPTURE_URU4000_SEED` (hex) fixes the first scramble seed so recordings replay.
public enum URU4000Driver {
    public static let driverID = "uru4000"
    public static let seedSetting = "BIOCAPTURE_URU4000_SEED"

    public enum QuirkKey {
        public static let challengeResponse = "challenge-response"
        public static let invert = "invert"
        public static let flipHorizontal = "flip-horizontal"
        public static let flipVertical = "flip-vertical"
    }

    static let invertOnly = DeviceQuirks([QuirkKey.invert: "true"])
    static let rotated = DeviceQuirks([QuirkKey.invert: "true", QuirkKey.flipHorizontal: "true", QuirkKey.flipVertical: "true"])
    static let challenged = DeviceQuirks([QuirkKey.invert: "true", QuirkKey.challengeResponse: "true"])

    public static let devices: [SupportedDevice] = [
        SupportedDevice(USBID(0x045E, 0x00BB), vendor: "Microsoft", model: "Keyboard with Fingerprint Reader", quirks: invertOnly),
        SupportedDevice(USBID(0x045E, 0x00BC), vendor: "Microsoft", model: "Wireless IntelliMouse with Fingerprint Reader",
                        quirks: invertOnly),
        SupportedDevice(USBID(0x045E, 0x00BD), vendor: "Microsoft", model: "Fingerprint Reader", quirks: invertOnly),
        SupportedDevice(USBID(0x045E, 0x00CA), vendor: "Microsoft", model: "Fingerprint Reader v2", quirks: challenged),
        SupportedDevice(USBID(0x05BA, 0x0007), vendor: "DigitalPersona", model: "U.are.U 4000", quirks: invertOnly),
        SupportedDevice(USBID(0x05BA, 0x0008), vendor: "DigitalPersona", model: "U.are.U 4000 (keyboard)", quirks: invertOnly),
        SupportedDevice(USBID(0x05BA, 0x000A), vendor: "DigitalPersona", model: "U.are.U 4000B / 4500", quirks: rotated),
    ]

    public static let driver = DriverDescriptor(
        id: driverID, name: "DigitalPersona U.are.U 4000 / Microsoft Fingerprint Reader", modality: .fingerprint,
        devices: devices, binding: .usb({ transport, context in try makeDevice(transport: transport, context: context) }))

    /// Builds the device; quirks come from the context, or from the id table when the context has none.
    public static func makeDevice(transport: any USBTransport, context: DriverContext) throws -> URU4000Device {
        var quirks = context.quirks
        if quirks.values.isEmpty {
            let id = USBID(transport.descriptors.device.vendorID, transport.descriptors.device.productID)
            quirks = devices.first { $0.id == id }?.quirks ?? invertOnly
        }
        var fixed: UInt32?
        if let text = context.settings[seedSetting] {
            guard let value = URU4000SeedSource.parse(text) else {
                throw CaptureFault(.invalidParameter,
                                   message: "\(seedSetting) must be a 32-bit hex number such as 51EA2124, not '\(text)'.",
                                   device: context.identity)
            }
            fixed = value
        }
        return URU4000Device(transport: transport, context: context, profile: URU4000Profile(quirks: quirks),
                             seeds: URU4000SeedSource(fixed: fixed, seed: context.seed ^ 0x5552_5534))
    }
}
