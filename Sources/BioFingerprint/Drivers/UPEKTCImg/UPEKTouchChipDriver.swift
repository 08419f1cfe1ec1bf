import BioCapture

/// The id-table entry of the UPEK TouchChip image-mode driver (`upektc_img`).
///
/// 147e:2016 and 147e:2020 are shared with UPEK's other protocols: only the revisions in the
/// `bcdDevice` quirk speak this one, so the factory refuses any other revision.
///
/// Quirk keys (see `hardware-notes/upektc_img.md`):
/// - `bcdDevice`: the device revision (bcdDevice) that speaks the image-mode "Ciao" protocol.
public enum UPEKTouchChipDriver {
    public static let driverID = "upektc_img"

    public static let driver = DriverDescriptor(
        id: driverID, name: "UPEK TouchChip image sensors (TCS1–TCS5, Ciao protocol)", modality: .fingerprint,
        devices: [
            SupportedDevice(USBID(0x147E, 0x2016), vendor: "UPEK", model: "TouchChip Biometric Coprocessor (TCS1/2/3 area, TCS4/5 swipe)",
                            quirks: DeviceQuirks(["bcdDevice": "0x0002"])),
            SupportedDevice(USBID(0x147E, 0x2020), vendor: "UPEK", model: "TouchChip/Eikon Biometric Coprocessor",
                            quirks: DeviceQuirks(["bcdDevice": "0x0001"])),
        ],
        binding: .usb({ transport, context in try makeDevice(transport: transport, context: context) }))

    /// Builds the scanner after checking the revision: other revisions of these ids belong to
    /// other UPEK protocols and must not be driven with this one.
    public static func makeDevice(transport: any USBTransport, context: DriverContext) throws -> UPEKTouchChipScanner {
        let revision = Int(transport.descriptors.device.deviceVersion.rawValue)
        if let required = context.quirks.integer("bcdDevice"), revision != required {
            throw CaptureFault(
                .unsupportedDevice,
                message: "This UPEK device (revision 0x\(UPEKHex.word(UInt16(truncatingIfNeeded: revision)))) speaks another UPEK protocol, not the image-mode one.",
                remedy: "Use a TouchChip in image mode (bcdDevice 0x\(UPEKHex.word(UInt16(truncatingIfNeeded: required))))",
                device: context.identity)
        }
        return UPEKTouchChipScanner(transport: transport, context: context)
    }
}
