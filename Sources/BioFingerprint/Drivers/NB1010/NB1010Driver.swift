import BioCapture

/// The `nb1010` driver: NEXT Biometrics NB-1010-U press-type fingerprint sensor.
///
/// Quirk keys (hardware-notes/nb1010.md): `ppi` (resolution reported with each image, default
/// 500), `finger-threshold` (finger values above it mean a finger, default 0x30), `poll-ms`
/// (pause between finger checks, default 50).
public enum NB1010Driver {
    public static let driverID = "nb1010"

    public static let driver = DriverDescriptor(
        id: driverID, name: "NEXT Biometrics NB-1010-U", modality: .fingerprint,
        devices: [
            SupportedDevice(
                USBID(NB1010Protocol.vendorID, NB1010Protocol.productID), vendor: "NEXT Biometrics", model: "NB-1010-U",
                quirks: DeviceQuirks(["ppi": "500", "finger-threshold": "0x30", "poll-ms": "50"])),
        ],
        binding: .usb({ transport, context in NB1010Device(transport: transport, context: context) }))
}
