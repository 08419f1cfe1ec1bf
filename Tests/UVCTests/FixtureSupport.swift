import Foundation
import USBDescriptors
import XCTest

/// Locates `../shared/fixtures/uvc` relative to the package root (derived from this file's path).
enum UVCFixtures {
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // UVCTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .deletingLastPathComponent()  // parent of the package root
            .appendingPathComponent("shared/fixtures/uvc")
    }

    /// The bytes of a fixture, or an XCTSkip with the reason when `../shared` is absent.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("UVCTests: skipping, fixture \(name) not found under ../shared/fixtures/uvc")
            throw XCTSkip("fixture \(name) not found under ../shared/fixtures/uvc (no ../shared checkout)")
        }
        return Array(try Data(contentsOf: url))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }
}

/// Test-only reader of sysfs-order descriptor bytes (device descriptor + one configuration) into
/// the `USBDescriptors` model, so the UVC tests do not depend on the module's own parser.
/// It is deliberately small: it groups descriptors the way libusb does (class-specific bytes
/// after an interface go to that interface's `extra`, bytes after an endpoint to the endpoint's).
enum SysfsDescriptorReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func configuration(fromSysfs bytes: [UInt8]) throws -> USBConfigurationDescriptor {
        guard bytes.count >= 18, bytes[0] == 18, bytes[1] == 0x01 else {
            throw Failure(description: "not a device descriptor at offset 0")
        }
        return try configuration(Array(bytes[18...]))
    }

    static func configuration(_ bytes: [UInt8]) throws -> USBConfigurationDescriptor {
        guard bytes.count >= 9, bytes[0] == 9, bytes[1] == 0x02 else {
            throw Failure(description: "not a configuration descriptor")
        }
        let total = Int(bytes[2]) | Int(bytes[3]) << 8
        guard total <= bytes.count else { throw Failure(description: "wTotalLength \(total) > \(bytes.count)") }
        var configExtra: [UInt8] = []
        var settings: [USBInterfaceDescriptor] = []
        var offset = 9
        while offset < total {
            let length = Int(bytes[offset])
            guard length >= 2, offset + length <= total else { throw Failure(description: "bad bLength at \(offset)") }
            let descriptor = Array(bytes[offset..<(offset + length)])
            switch descriptor[1] {
            case 0x04 where length >= 9:
                settings.append(USBInterfaceDescriptor(
                    interfaceNumber: descriptor[2], alternateSetting: descriptor[3], interfaceClass: descriptor[5],
                    interfaceSubClass: descriptor[6], interfaceProtocol: descriptor[7], interfaceStringIndex: descriptor[8],
                    endpoints: []))
            case 0x05 where length >= 7 && !settings.isEmpty:
                settings[settings.count - 1].endpoints.append(USBEndpointDescriptor(
                    address: descriptor[2], attributes: descriptor[3],
                    maxPacketSizeField: UInt16(descriptor[4]) | UInt16(descriptor[5]) << 8, interval: descriptor[6]))
            default:
                if settings.isEmpty {
                    configExtra += descriptor
                } else if settings[settings.count - 1].endpoints.isEmpty {
                    settings[settings.count - 1].extra += descriptor
                } else {
                    let last = settings[settings.count - 1].endpoints.count - 1
                    settings[settings.count - 1].endpoints[last].extra += descriptor
                }
            }
            offset += length
        }
        return USBConfigurationDescriptor(
            totalLength: UInt16(total), configurationValue: bytes[5], configurationStringIndex: bytes[6],
            attributes: bytes[7], maxPower: bytes[8], interfaces: group(settings), extra: configExtra)
    }

    static func group(_ settings: [USBInterfaceDescriptor]) -> [USBInterface] {
        var interfaces: [USBInterface] = []
        for setting in settings {
            if let index = interfaces.firstIndex(where: { $0.number == setting.interfaceNumber }) {
                interfaces[index].alternateSettings.append(setting)
            } else {
                interfaces.append(USBInterface(number: setting.interfaceNumber, alternateSettings: [setting]))
            }
        }
        return interfaces
    }
}

/// Rebuilds descriptor bytes from `lsusb -v` text (the libuvc camera dumps are text only).
///
/// lsusb prints every field in wire order, so each field is encoded by the width its name
/// implies (b/i: 1, w: 2, dw: 4, bcd: 2, guid: 16, bmControls: bControlSize) and the result is
/// cut to bLength (lsusb prints a bmVideoStandards byte past a UVC 1.0 processing unit's end).
/// GUIDs in these dumps are printed in raw byte order. Only video class blocks, interfaces and
/// endpoints are rebuilt; audio blocks are skipped.
enum LsusbTextDump {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Field {
        var name: String
        var index: Int?
        var value: String
    }

    /// One printed descriptor block: its title and fields.
    struct Block {
        var title: String
        var fields: [Field] = []
        func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }
        func integer(_ name: String) -> Int? { value(name).flatMap(LsusbTextDump.integer) }
        func all(_ name: String) -> [Int] { fields.filter { $0.name == name }.compactMap { LsusbTextDump.integer($0.value) } }
    }

    static var fieldPattern: NSRegularExpression? { try? NSRegularExpression(
        pattern: #"^\s+((?:bcd|guid|bma|bm|ba|dw|b|w|i)[A-Z][A-Za-z0-9]*)(?:\(\s*(\d+)\))?\s+(\S+)"#) }

    static func blocks(_ text: String) -> [Block] {
        var blocks: [Block] = []
        guard let fieldPattern else { return [] }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("Descriptor:") || trimmed == "Interface Association:" {
                blocks.append(Block(title: trimmed))
                continue
            }
            let range = NSRange(line.startIndex..., in: line)
            guard !blocks.isEmpty, let match = fieldPattern.firstMatch(in: line, range: range),
                  let nameRange = Range(match.range(at: 1), in: line),
                  let valueRange = Range(match.range(at: 3), in: line) else { continue }
            let index = Range(match.range(at: 2), in: line).flatMap { Int(line[$0]) }
            blocks[blocks.count - 1].fields.append(Field(name: String(line[nameRange]), index: index,
                                                         value: String(line[valueRange])))
        }
        return blocks
    }

    static func integer(_ text: String) -> Int? {
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        return Int(text)
    }

    /// The bytes of one video class block.
    static func encode(_ block: Block) throws -> [UInt8] {
        guard let length = block.integer("bLength") else { throw Failure(description: "\(block.title) without bLength") }
        var bytes: [UInt8] = []
        var controlSize = 1
        for field in block.fields {
            if bytes.count >= length { break }
            let width: Int
            var value = 0
            var valueKnown = false
            switch true {
            case field.name.hasPrefix("guid"):
                let digits = field.value.filter(\.isHexDigit)
                guard digits.count == 32 else { throw Failure(description: "GUID \(field.value)") }
                var index = digits.startIndex
                for _ in 0..<16 {
                    let next = digits.index(index, offsetBy: 2)
                    bytes.append(UInt8(digits[index..<next], radix: 16) ?? 0)
                    index = next
                }
                continue
            case field.name.hasPrefix("bcd"):
                let parts = field.value.split(separator: ".")
                guard parts.count == 2, let major = Int(parts[0], radix: 16), let minor = Int(parts[1], radix: 16) else {
                    throw Failure(description: "BCD \(field.value)")
                }
                width = 2
                value = major << 8 | minor
                valueKnown = true
            case field.name == "bmControls" && field.index == nil, field.name == "bmaControls":
                width = controlSize
            case field.name.hasPrefix("dw"):
                width = 4
            case field.name.hasPrefix("w"):
                width = 2
            default:
                width = 1
            }
            if !valueKnown {
                if field.value.hasSuffix("MHz"), let megahertz = Double(field.value.dropLast(3)) {
                    value = Int((megahertz * 1_000_000).rounded())
                } else if let parsed = integer(field.value) {
                    value = parsed
                } else {
                    throw Failure(description: "\(block.title) field \(field.name) value \(field.value)")
                }
            }
            if field.name == "bControlSize" { controlSize = value }
            for i in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
        }
        guard bytes.count >= length else {
            throw Failure(description: "\(block.title): \(bytes.count) bytes rebuilt, bLength \(length)")
        }
        return Array(bytes.prefix(length))
    }

    /// A configuration model from the dump: interfaces, endpoints and video class bytes.
    static func configuration(_ text: String) throws -> USBConfigurationDescriptor {
        var settings: [USBInterfaceDescriptor] = []
        for block in blocks(text) {
            switch block.title {
            case "Interface Descriptor:":
                guard let number = block.integer("bInterfaceNumber"), let alt = block.integer("bAlternateSetting"),
                      let cls = block.integer("bInterfaceClass"), let sub = block.integer("bInterfaceSubClass") else {
                    throw Failure(description: "incomplete interface descriptor")
                }
                settings.append(USBInterfaceDescriptor(
                    interfaceNumber: UInt8(number), alternateSetting: UInt8(alt), interfaceClass: UInt8(cls),
                    interfaceSubClass: UInt8(sub), interfaceProtocol: 0, interfaceStringIndex: 0, endpoints: []))
            case "Endpoint Descriptor:":
                guard !settings.isEmpty, let address = block.integer("bEndpointAddress"),
                      let attributes = block.integer("bmAttributes"), let size = block.integer("wMaxPacketSize") else {
                    throw Failure(description: "incomplete endpoint descriptor")
                }
                settings[settings.count - 1].endpoints.append(USBEndpointDescriptor(
                    address: UInt8(address), attributes: UInt8(attributes), maxPacketSizeField: UInt16(size),
                    interval: UInt8(block.integer("bInterval") ?? 0)))
            case "VideoControl Interface Descriptor:", "VideoStreaming Interface Descriptor:":
                guard !settings.isEmpty else { throw Failure(description: "class block before any interface") }
                settings[settings.count - 1].extra += try encode(block)
            default:
                continue
            }
        }
        return USBConfigurationDescriptor(totalLength: 0, configurationValue: 1, configurationStringIndex: 0,
                                          attributes: 0x80, maxPower: 0, interfaces: SysfsDescriptorReader.group(settings))
    }
}
