import CLibUSB
import USBDescriptors

/// A reference to a `libusb_device` (`libusb_ref_device` / `libusb_unref_device`) that keeps
/// its libusb context alive.
final class USBDeviceReference: @unchecked Sendable {
    let pointer: OpaquePointer
    let storage: LibUSBContextStorage

    init(_ pointer: OpaquePointer, storage: LibUSBContextStorage) {
        self.pointer = libusb_ref_device(pointer)
        self.storage = storage
    }

    deinit { libusb_unref_device(pointer) }
}

/// A USB device as enumeration sees it, before it is opened.
public struct USBDeviceInfo: Sendable, CustomStringConvertible {
    /// `libusb_get_bus_number`.
    public var busNumber: Int
    /// `libusb_get_device_address`.
    public var deviceAddress: Int
    /// `libusb_get_port_numbers`: ports from the root hub, e.g. [1, 4] for "1-1.4".
    public var portPath: [Int]
    /// `libusb_get_device_speed`.
    public var speed: USBSpeed
    /// Built from `libusb_get_device_descriptor` and `libusb_get_config_descriptor` for every
    /// configuration; class-specific descriptors are kept raw in the `extra` fields.
    public var descriptors: USBDeviceDescriptors

    let reference: USBDeviceReference

    public var vendorID: UInt16 { descriptors.device.vendorID }
    public var productID: UInt16 { descriptors.device.productID }

    public var description: String {
        "\(Hex.word(vendorID)):\(Hex.word(productID)) bus \(busNumber) address \(deviceAddress) (\(speed.rawValue) speed)"
    }

    /// Reads everything from a `libusb_device`; throws when libusb cannot read its descriptors.
    init(device: OpaquePointer, storage: LibUSBContextStorage) throws(USBError) {
        busNumber = Int(libusb_get_bus_number(device))
        deviceAddress = Int(libusb_get_device_address(device))
        var ports = [UInt8](repeating: 0, count: 8)
        let portCount = ports.withUnsafeMutableBufferPointer { buffer in
            libusb_get_port_numbers(device, buffer.baseAddress, Int32(buffer.count))
        }
        portPath = portCount > 0 ? ports.prefix(Int(portCount)).map(Int.init) : []
        speed = Self.speed(libusb_get_device_speed(device))
        descriptors = try Self.readDescriptors(device)
        reference = USBDeviceReference(device, storage: storage)
    }

    static func speed(_ raw: Int32) -> USBSpeed {
        switch UInt32(bitPattern: raw) {
        case LIBUSB_SPEED_LOW.rawValue: .low
        case LIBUSB_SPEED_FULL.rawValue: .full
        case LIBUSB_SPEED_HIGH.rawValue: .high
        case LIBUSB_SPEED_SUPER.rawValue: .superSpeed
        case LIBUSB_SPEED_SUPER_PLUS.rawValue: .superSpeedPlus
        default: .unknown
        }
    }

    /// `libusb_get_device_descriptor` + `libusb_get_config_descriptor` (freed with
    /// `libusb_free_config_descriptor`) for each configuration index.
    static func readDescriptors(_ device: OpaquePointer) throws(USBError) -> USBDeviceDescriptors {
        var raw = libusb_device_descriptor()
        try libusbCall("libusb_get_device_descriptor") { libusb_get_device_descriptor(device, &raw) }
        let deviceDescriptor = USBDeviceDescriptor(
            usbVersion: USBBCDVersion(rawValue: raw.bcdUSB), deviceClass: raw.bDeviceClass,
            deviceSubClass: raw.bDeviceSubClass, deviceProtocol: raw.bDeviceProtocol,
            maxPacketSize0: raw.bMaxPacketSize0, vendorID: raw.idVendor, productID: raw.idProduct,
            deviceVersion: USBBCDVersion(rawValue: raw.bcdDevice), manufacturerStringIndex: raw.iManufacturer,
            productStringIndex: raw.iProduct, serialNumberStringIndex: raw.iSerialNumber,
            numConfigurations: raw.bNumConfigurations)
        var configurations: [USBConfigurationDescriptor] = []
        for index in 0..<raw.bNumConfigurations {
            var config: UnsafeMutablePointer<libusb_config_descriptor>?
            try libusbCall("libusb_get_config_descriptor(\(index))") {
                libusb_get_config_descriptor(device, index, &config)
            }
            guard let config else { continue }
            defer { libusb_free_config_descriptor(config) }
            configurations.append(configuration(config.pointee))
        }
        return USBDeviceDescriptors(device: deviceDescriptor, configurations: configurations)
    }

    private static func bytes(_ pointer: UnsafePointer<UInt8>?, _ length: Int32) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: Int(length)))
    }

    private static func configuration(_ config: libusb_config_descriptor) -> USBConfigurationDescriptor {
        var interfaces: [USBInterface] = []
        if let interfaceArray = config.interface {
            for interfaceIndex in 0..<Int(config.bNumInterfaces) {
                let interface = interfaceArray[interfaceIndex]
                var settings: [USBInterfaceDescriptor] = []
                if let altArray = interface.altsetting {
                    for altIndex in 0..<Int(max(0, interface.num_altsetting)) {
                        settings.append(interfaceDescriptor(altArray[altIndex]))
                    }
                }
                let number = settings.first?.interfaceNumber ?? UInt8(truncatingIfNeeded: interfaceIndex)
                interfaces.append(USBInterface(number: number, alternateSettings: settings))
            }
        }
        return USBConfigurationDescriptor(
            totalLength: config.wTotalLength, configurationValue: config.bConfigurationValue,
            configurationStringIndex: config.iConfiguration, attributes: config.bmAttributes,
            maxPower: config.MaxPower, interfaces: interfaces, extra: bytes(config.extra, config.extra_length))
    }

    private static func interfaceDescriptor(_ setting: libusb_interface_descriptor) -> USBInterfaceDescriptor {
        var endpoints: [USBEndpointDescriptor] = []
        if let endpointArray = setting.endpoint {
            for index in 0..<Int(setting.bNumEndpoints) {
                let endpoint = endpointArray[index]
                endpoints.append(USBEndpointDescriptor(
                    address: endpoint.bEndpointAddress, attributes: endpoint.bmAttributes,
                    maxPacketSizeField: endpoint.wMaxPacketSize, interval: endpoint.bInterval,
                    extra: bytes(endpoint.extra, endpoint.extra_length)))
            }
        }
        return USBInterfaceDescriptor(
            interfaceNumber: setting.bInterfaceNumber, alternateSetting: setting.bAlternateSetting,
            interfaceClass: setting.bInterfaceClass, interfaceSubClass: setting.bInterfaceSubClass,
            interfaceProtocol: setting.bInterfaceProtocol, interfaceStringIndex: setting.iInterface,
            endpoints: endpoints, extra: bytes(setting.extra, setting.extra_length))
    }
}
