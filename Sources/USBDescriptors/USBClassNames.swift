/// Display names of USB class codes (USB-IF "Defined Class Codes") and descriptor types.
public enum USBClassNames {
    /// The name of a base class code as used in bInterfaceClass, e.g. 0x03 → "HID",
    /// 0x0E → "Video", 0xFF → "Vendor Specific". Unknown codes give "Unknown (0xNN)".
    public static func name(for classCode: UInt8) -> String {
        switch classCode {
        case 0x00: "Unspecified"
        case 0x01: "Audio"
        case 0x02: "Communications (CDC Control)"
        case 0x03: "HID"
        case 0x05: "Physical"
        case 0x06: "Image"
        case 0x07: "Printer"
        case 0x08: "Mass Storage"
        case 0x09: "Hub"
        case 0x0A: "CDC Data"
        case 0x0B: "Smart Card"
        case 0x0D: "Content Security"
        case 0x0E: "Video"
        case 0x0F: "Personal Healthcare"
        case 0x10: "Audio/Video"
        case 0x11: "Billboard"
        case 0x12: "USB Type-C Bridge"
        case 0x13: "USB Bulk Display"
        case 0x14: "MCTP over USB"
        case 0x3C: "I3C"
        case 0xDC: "Diagnostic Device"
        case 0xE0: "Wireless Controller"
        case 0xEF: "Miscellaneous"
        case 0xFE: "Application Specific"
        case 0xFF: "Vendor Specific"
        default: "Unknown (\(hexByte(classCode)))"
        }
    }

    /// The name of a bDeviceClass: 0x00 means each interface names its own class.
    public static func deviceClassName(for classCode: UInt8) -> String {
        classCode == 0x00 ? "Defined per interface" : name(for: classCode)
    }

    /// The name of a descriptor type as found in `extra` blocks. Class-specific types
    /// (0x21…0x25) are named by the interface class they belong to when given.
    public static func descriptorTypeName(for type: UInt8, interfaceClass: UInt8? = nil) -> String {
        switch type {
        case USBDescriptorType.device: return "device"
        case USBDescriptorType.configuration: return "configuration"
        case USBDescriptorType.string: return "string"
        case USBDescriptorType.interface: return "interface"
        case USBDescriptorType.endpoint: return "endpoint"
        case USBDescriptorType.deviceQualifier: return "device qualifier"
        case USBDescriptorType.otherSpeedConfiguration: return "other speed configuration"
        case USBDescriptorType.interfacePower: return "interface power"
        case USBDescriptorType.otg: return "OTG"
        case USBDescriptorType.debug: return "debug"
        case USBDescriptorType.interfaceAssociation: return "interface association"
        case USBDescriptorType.bos: return "BOS"
        case USBDescriptorType.deviceCapability: return "device capability"
        case 0x21 where interfaceClass == 0x03: return "HID"
        case 0x22 where interfaceClass == 0x03: return "HID report"
        case 0x23 where interfaceClass == 0x03: return "HID physical"
        case 0x21: return "class-specific device"
        case 0x22: return "class-specific configuration"
        case 0x23: return "class-specific string"
        case USBDescriptorType.classSpecificInterface: return "class-specific interface"
        case USBDescriptorType.classSpecificEndpoint: return "class-specific endpoint"
        case USBDescriptorType.superSpeedEndpointCompanion: return "SuperSpeed endpoint companion"
        case USBDescriptorType.superSpeedPlusIsochronousEndpointCompanion: return "SuperSpeedPlus isochronous endpoint companion"
        default: return "type \(hexByte(type))"
        }
    }
}
