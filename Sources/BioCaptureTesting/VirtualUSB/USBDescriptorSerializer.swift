import USBDescriptors

/// Turns the descriptor model back into wire bytes (the inverse of a descriptor parser), as
/// the kernel exposes them in sysfs `descriptors`: the device descriptor, then every
/// configuration with its interfaces, alternate settings, endpoints and raw `extra` blocks in
/// wire order. Counts and lengths (bNumInterfaces, bNumEndpoints, wTotalLength) are computed
/// from the model, so emulators cannot get them inconsistent.
public enum USBDescriptorSerializer {
    /// The 18-byte device descriptor.
    public static func bytes(of device: USBDeviceDescriptor) -> [UInt8] {
        var bytes: [UInt8] = [18, 0x01]
        append16(device.usbVersion.rawValue, to: &bytes)
        bytes += [device.deviceClass, device.deviceSubClass, device.deviceProtocol, device.maxPacketSize0]
        append16(device.vendorID, to: &bytes)
        append16(device.productID, to: &bytes)
        append16(device.deviceVersion.rawValue, to: &bytes)
        bytes += [device.manufacturerStringIndex, device.productStringIndex, device.serialNumberStringIndex,
                  device.numConfigurations]
        return bytes
    }

    /// One whole configuration (what GET_DESCRIPTOR(CONFIGURATION) returns with wLength = wTotalLength).
    public static func bytes(of configuration: USBConfigurationDescriptor) -> [UInt8] {
        var body: [UInt8] = configuration.extra
        for interface in configuration.interfaces {
            for setting in interface.alternateSettings {
                body += [9, 0x04, setting.interfaceNumber, setting.alternateSetting,
                         UInt8(truncatingIfNeeded: setting.endpoints.count), setting.interfaceClass,
                         setting.interfaceSubClass, setting.interfaceProtocol, setting.interfaceStringIndex]
                body += setting.extra
                for endpoint in setting.endpoints {
                    body += [7, 0x05, endpoint.address, endpoint.attributes]
                    append16(endpoint.maxPacketSizeField, to: &body)
                    body.append(endpoint.interval)
                    body += endpoint.extra
                }
            }
        }
        let totalLength = UInt16(truncatingIfNeeded: 9 + body.count)
        var bytes: [UInt8] = [9, 0x02]
        append16(totalLength, to: &bytes)
        bytes += [UInt8(truncatingIfNeeded: configuration.interfaces.count), configuration.configurationValue,
                  configuration.configurationStringIndex, configuration.attributes, configuration.maxPower]
        return bytes + body
    }

    /// The sysfs `descriptors` file: device descriptor followed by every configuration.
    public static func sysfsBytes(of descriptors: USBDeviceDescriptors) -> [UInt8] {
        var device = descriptors.device
        device.numConfigurations = UInt8(truncatingIfNeeded: descriptors.configurations.count)
        return descriptors.configurations.reduce(bytes(of: device)) { $0 + bytes(of: $1) }
    }

    /// A string descriptor (type 3) holding `text` in UTF-16LE, truncated to the 126 code units that fit.
    public static func stringDescriptor(_ text: String) -> [UInt8] {
        let units = Array(text.utf16.prefix(126))
        var bytes: [UInt8] = [UInt8(2 + units.count * 2), 0x03]
        for unit in units { append16(unit, to: &bytes) }
        return bytes
    }

    /// String descriptor 0: the supported language IDs.
    public static func languageDescriptor(_ languages: [UInt16]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(2 + languages.prefix(126).count * 2), 0x03]
        for language in languages.prefix(126) { append16(language, to: &bytes) }
        return bytes
    }

    private static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value & 0xFF))
        bytes.append(UInt8(value >> 8))
    }
}
