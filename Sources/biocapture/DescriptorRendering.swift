import BioCapture
import USBDescriptors

/// Class triple "ff/00/00".
private func classTriple(_ base: UInt8, _ sub: UInt8, _ proto: UInt8) -> String {
    "\(Hex.byte(base))/\(Hex.byte(sub))/\(Hex.byte(proto))"
}

/// Human text for `describe`.
enum DescriptorText {
    static func render(_ report: USBDescriptorParseReport, match: DriverMatch?) -> String {
        let descriptors = report.descriptors
        let device = descriptors.device
        var lines: [String] = []
        lines.append("Device \(Hex.word(device.vendorID)):\(Hex.word(device.productID))")
        lines.append("  USB version:     \(device.usbVersion)")
        lines.append("  device class:    \(classTriple(device.deviceClass, device.deviceSubClass, device.deviceProtocol)) (\(USBClassNames.deviceClassName(for: device.deviceClass)))")
        lines.append("  device version:  \(device.deviceVersion)")
        lines.append("  EP0 max packet:  \(device.maxPacketSize0)")
        lines.append("  string indexes:  manufacturer \(device.manufacturerStringIndex), product \(device.productStringIndex), serial \(device.serialNumberStringIndex)")
        lines.append("  configurations:  \(device.numConfigurations)")
        for configuration in descriptors.configurations {
            lines.append(configurationLine(configuration, usbVersion: device.usbVersion))
            appendExtra(configuration.extra, indent: "  ", interfaceClass: nil, to: &lines)
            for interface in configuration.interfaces {
                for setting in interface.alternateSettings {
                    let count = setting.endpoints.count
                    lines.append("  Interface \(setting.interfaceNumber) alternate setting \(setting.alternateSetting): class "
                        + classTriple(setting.interfaceClass, setting.interfaceSubClass, setting.interfaceProtocol)
                        + " (\(USBClassNames.name(for: setting.interfaceClass))), \(count) endpoint\(count == 1 ? "" : "s"), string \(setting.interfaceStringIndex)")
                    appendExtra(setting.extra, indent: "    ", interfaceClass: setting.interfaceClass, to: &lines)
                    for endpoint in setting.endpoints {
                        lines.append("    " + endpointLine(endpoint))
                        appendExtra(endpoint.extra, indent: "      ", interfaceClass: setting.interfaceClass, to: &lines)
                    }
                }
            }
            if let video = VideoDescriptorSummary(configuration) { lines.append(contentsOf: video.text()) }
        }
        for warning in report.warnings {
            lines.append("Note: \(warning.message)")
        }
        lines.append(driverLine(match))
        return lines.joined(separator: "\n") + "\n"
    }

    static func configurationLine(_ configuration: USBConfigurationDescriptor, usbVersion: USBBCDVersion) -> String {
        let interfaces = configuration.interfaces.count
        var parts = ["\(configuration.totalLength) bytes", "\(interfaces) interface\(interfaces == 1 ? "" : "s")",
                     configuration.isSelfPowered ? "self-powered" : "bus-powered"]
        if configuration.supportsRemoteWakeup { parts.append("remote wake-up") }
        parts.append(DescriptorFacts.maxPowerText(configuration.maxPower, usbVersion: usbVersion))
        parts.append("string \(configuration.configurationStringIndex)")
        return "Configuration \(configuration.configurationValue): " + parts.joined(separator: ", ")
    }

    static func endpointLine(_ endpoint: USBEndpointDescriptor) -> String {
        let direction = endpoint.direction == .deviceToHost ? "IN " : "OUT"
        var packet = "max packet \(endpoint.maxPacketSize)"
        if endpoint.bytesPerInterval != endpoint.maxPacketSize {
            packet += " x\(endpoint.bytesPerInterval / max(1, endpoint.maxPacketSize)) (\(endpoint.bytesPerInterval) bytes per interval)"
        }
        return "Endpoint 0x\(Hex.byte(endpoint.address)) \(direction) \(endpoint.transferType), \(packet), interval \(endpoint.interval)"
    }

    static func driverLine(_ match: DriverMatch?) -> String {
        guard let match else { return "Driver: no BioCapture driver claims this device" }
        var text = "Driver: \(match.driver.name) (driver \(match.driver.id), \(match.driver.modality.rawValue))"
        if let device = match.supportedDevice {
            text += ", matched by id \(device.id) (\(device.vendorName) \(device.modelName))"
        } else if let interface = match.interfaceNumber {
            text += ", matched by class on interface \(interface)"
        }
        return text
    }

    private static func appendExtra(_ extra: [UInt8], indent: String, interfaceClass: UInt8?, to lines: inout [String]) {
        for descriptor in USBDescriptorParser.rawDescriptors(in: extra) {
            let name = USBClassNames.descriptorTypeName(for: descriptor.type, interfaceClass: interfaceClass)
            lines.append("\(indent)extra \(name) (\(descriptor.bytes.count) bytes): \(Hex.bytes(descriptor.bytes))")
        }
    }
}

/// Facts derived from descriptors for display.
enum DescriptorFacts {
    /// bMaxPower is in 2 mA units below SuperSpeed and 8 mA units at SuperSpeed; the descriptors
    /// alone do not say the negotiated speed, so USB 3 devices get both readings.
    static func maxPowerMilliamps(_ maxPower: UInt8, usbVersion: USBBCDVersion) -> (belowSuperSpeed: Int, superSpeed: Int?) {
        (Int(maxPower) * 2, usbVersion.rawValue >= 0x0300 ? Int(maxPower) * 8 : nil)
    }

    static func maxPowerText(_ maxPower: UInt8, usbVersion: USBBCDVersion) -> String {
        let power = maxPowerMilliamps(maxPower, usbVersion: usbVersion)
        if let superSpeed = power.superSpeed {
            return "max power \(superSpeed) mA at SuperSpeed (\(power.belowSuperSpeed) mA below)"
        }
        return "max power \(power.belowSuperSpeed) mA"
    }
}

/// The JSON document of `describe --json`.
enum DescriptorJSON {
    struct Report: Encodable {
        var device: Device
        var configurations: [Configuration]
        var driver: Driver?
        var warnings: [USBDescriptorWarning]
        /// UVC formats of the video functions, when the device has any.
        var video: [VideoDescriptorSummary]

        init(report: USBDescriptorParseReport, match: DriverMatch?) {
            let descriptors = report.descriptors
            device = Device(descriptors.device)
            configurations = descriptors.configurations.map { Configuration($0, usbVersion: descriptors.device.usbVersion) }
            driver = match.map(Driver.init)
            warnings = report.warnings
            video = descriptors.configurations.compactMap(VideoDescriptorSummary.init)
        }

        enum CodingKeys: String, CodingKey { case device, configurations, driver, warnings, video }

        // "driver": null says "no driver claims it" explicitly instead of omitting the key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(device, forKey: .device)
            try container.encode(configurations, forKey: .configurations)
            try container.encode(driver, forKey: .driver)
            try container.encode(warnings, forKey: .warnings)
            if !video.isEmpty { try container.encode(video, forKey: .video) }
        }
    }

    struct Device: Encodable {
        var id: String
        var vendorID: String
        var productID: String
        var usbVersion: String
        var deviceVersion: String
        var deviceClass: UInt8
        var deviceSubClass: UInt8
        var deviceProtocol: UInt8
        var className: String
        var maxPacketSize0: UInt8
        var manufacturerStringIndex: UInt8
        var productStringIndex: UInt8
        var serialNumberStringIndex: UInt8
        var numConfigurations: UInt8

        init(_ device: USBDeviceDescriptor) {
            vendorID = Hex.word(device.vendorID)
            productID = Hex.word(device.productID)
            id = vendorID + ":" + productID
            usbVersion = device.usbVersion.description
            deviceVersion = device.deviceVersion.description
            deviceClass = device.deviceClass
            deviceSubClass = device.deviceSubClass
            deviceProtocol = device.deviceProtocol
            className = USBClassNames.deviceClassName(for: device.deviceClass)
            maxPacketSize0 = device.maxPacketSize0
            manufacturerStringIndex = device.manufacturerStringIndex
            productStringIndex = device.productStringIndex
            serialNumberStringIndex = device.serialNumberStringIndex
            numConfigurations = device.numConfigurations
        }
    }

    struct Configuration: Encodable {
        var configurationValue: UInt8
        var totalLength: UInt16
        var stringIndex: UInt8
        var attributes: UInt8
        var selfPowered: Bool
        var remoteWakeup: Bool
        var maxPower: UInt8
        var maxPowerMilliamps: Int
        var maxPowerMilliampsSuperSpeed: Int?
        var interfaces: [Interface]
        var extra: [ExtraDescriptor]

        init(_ configuration: USBConfigurationDescriptor, usbVersion: USBBCDVersion) {
            configurationValue = configuration.configurationValue
            totalLength = configuration.totalLength
            stringIndex = configuration.configurationStringIndex
            attributes = configuration.attributes
            selfPowered = configuration.isSelfPowered
            remoteWakeup = configuration.supportsRemoteWakeup
            maxPower = configuration.maxPower
            let power = DescriptorFacts.maxPowerMilliamps(configuration.maxPower, usbVersion: usbVersion)
            maxPowerMilliamps = power.belowSuperSpeed
            maxPowerMilliampsSuperSpeed = power.superSpeed
            interfaces = configuration.interfaces.map(Interface.init)
            extra = ExtraDescriptor.split(configuration.extra, interfaceClass: nil)
        }
    }

    struct Interface: Encodable {
        var number: UInt8
        var alternateSettings: [AlternateSetting]

        init(_ interface: USBInterface) {
            number = interface.number
            alternateSettings = interface.alternateSettings.map(AlternateSetting.init)
        }
    }

    struct AlternateSetting: Encodable {
        var alternateSetting: UInt8
        var interfaceClass: UInt8
        var interfaceSubClass: UInt8
        var interfaceProtocol: UInt8
        var className: String
        var stringIndex: UInt8
        var endpoints: [Endpoint]
        var extra: [ExtraDescriptor]

        init(_ setting: USBInterfaceDescriptor) {
            alternateSetting = setting.alternateSetting
            interfaceClass = setting.interfaceClass
            interfaceSubClass = setting.interfaceSubClass
            interfaceProtocol = setting.interfaceProtocol
            className = USBClassNames.name(for: setting.interfaceClass)
            stringIndex = setting.interfaceStringIndex
            endpoints = setting.endpoints.map { Endpoint($0, interfaceClass: setting.interfaceClass) }
            extra = ExtraDescriptor.split(setting.extra, interfaceClass: setting.interfaceClass)
        }
    }

    struct Endpoint: Encodable {
        var address: String
        var number: UInt8
        var direction: String
        var transferType: String
        var maxPacketSize: Int
        var bytesPerInterval: Int
        var interval: UInt8
        var extra: [ExtraDescriptor]

        init(_ endpoint: USBEndpointDescriptor, interfaceClass: UInt8) {
            address = "0x" + Hex.byte(endpoint.address)
            number = endpoint.number
            direction = endpoint.direction.rawValue
            transferType = endpoint.transferType.description
            maxPacketSize = endpoint.maxPacketSize
            bytesPerInterval = endpoint.bytesPerInterval
            interval = endpoint.interval
            extra = ExtraDescriptor.split(endpoint.extra, interfaceClass: interfaceClass)
        }
    }

    struct ExtraDescriptor: Encodable {
        var type: UInt8
        var typeName: String
        var hex: String

        static func split(_ block: [UInt8], interfaceClass: UInt8?) -> [ExtraDescriptor] {
            USBDescriptorParser.rawDescriptors(in: block).map {
                ExtraDescriptor(type: $0.type,
                                typeName: USBClassNames.descriptorTypeName(for: $0.type, interfaceClass: interfaceClass),
                                hex: Hex.bytes($0.bytes, separator: ""))
            }
        }
    }

    struct Driver: Encodable {
        var id: String
        var name: String
        var modality: String
        var matchedBy: String
        var interfaceNumber: UInt8?

        init(_ match: DriverMatch) {
            id = match.driver.id
            name = match.driver.name
            modality = match.driver.modality.rawValue
            matchedBy = match.supportedDevice == nil ? "class" : "id"
            interfaceNumber = match.interfaceNumber
        }
    }
}
