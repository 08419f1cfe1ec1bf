import XCTest
@testable import USBDescriptors

final class USBDescriptorParserTests: XCTestCase {
    // The example device of testing-with-umockdev.md section 2, as bytes written in this test so
    // the parser is checked even without ../shared.
    static let example: [UInt8] = [
        0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
        0x09, 0x02, 0x27, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
        0x09, 0x04, 0x00, 0x00, 0x03, 0xFF, 0x00, 0x00, 0x00,
        0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00,
        0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00,
        0x07, 0x05, 0x82, 0x03, 0x08, 0x00, 0x0A,
    ]

    func testExampleDeviceFromFactsFileMatchesItsDescription() throws {
        let bytes = try DescriptorFixtures.exampleDevice()
        XCTAssertEqual(bytes, Self.example)
        let report = try USBDescriptorParser.parseWithWarnings(bytes)
        XCTAssertEqual(report.warnings, [])
        let device = report.descriptors.device
        XCTAssertEqual(device.usbVersion.description, "2.00")
        XCTAssertEqual(device.maxPacketSize0, 64)
        XCTAssertEqual(device.vendorID, 0x1209)
        XCTAssertEqual(device.productID, 0x0001)
        XCTAssertEqual(device.deviceVersion.description, "1.00")
        XCTAssertEqual([device.manufacturerStringIndex, device.productStringIndex, device.serialNumberStringIndex], [1, 2, 3])
        XCTAssertEqual(device.numConfigurations, 1)

        let configuration = try XCTUnwrap(report.descriptors.configurations.first)
        XCTAssertEqual(report.descriptors.configurations.count, 1)
        XCTAssertEqual(configuration.totalLength, 39)
        XCTAssertEqual(configuration.configurationValue, 1)
        XCTAssertEqual(configuration.attributes, 0x80)
        XCTAssertFalse(configuration.isSelfPowered)
        XCTAssertEqual(configuration.maxPower, 0x32)
        XCTAssertEqual(configuration.extra, [])
        XCTAssertEqual(configuration.interfaces.map(\.number), [0])
        let setting = try XCTUnwrap(configuration.interfaces.first?.alternateSettings.first)
        XCTAssertEqual(setting.interfaceClass, 0xFF)
        XCTAssertEqual(setting.endpoints.map(\.address), [0x81, 0x01, 0x82])
        XCTAssertEqual(setting.endpoints.map(\.direction), [.deviceToHost, .hostToDevice, .deviceToHost])
        XCTAssertEqual(setting.endpoints.map(\.transferType), [.bulk, .bulk, .interrupt])
        XCTAssertEqual(setting.endpoints.map(\.maxPacketSize), [64, 64, 8])
        XCTAssertEqual(setting.endpoints.map(\.interval), [0, 0, 10])
    }

    func testLibfprintDevicesHaveTheStatedIdentities() throws {
        let uru = try USBDescriptorParser.parse(DescriptorFixtures.umockdevDescriptors("fixtures/libfprint/uru4000-msv2/device"))
        XCTAssertEqual([uru.device.vendorID, uru.device.productID], [0x045E, 0x00CA])
        let uruSetting = try XCTUnwrap(uru.configurations.first?.interfaces.first?.alternateSettings.first)
        XCTAssertEqual([uruSetting.interfaceClass, uruSetting.interfaceSubClass, uruSetting.interfaceProtocol], [0xFF, 0xFF, 0xFF])
        XCTAssertEqual(uruSetting.endpoints.map(\.address), [0x81, 0x82])
        XCTAssertEqual(uruSetting.endpoints.map(\.transferType), [.interrupt, .bulk])
        XCTAssertEqual(uruSetting.endpoints.map(\.interval), [8, 0])
        XCTAssertEqual(uru.configurations.first?.maxPower, 0x82)

        let nb = try USBDescriptorParser.parse(DescriptorFixtures.umockdevDescriptors("fixtures/libfprint/nb1010/device"))
        XCTAssertEqual([nb.device.vendorID, nb.device.productID], [0x298D, 0x1010])
        let nbSetting = try XCTUnwrap(nb.configurations.first?.interfaces.first?.alternateSettings.first)
        XCTAssertEqual(nbSetting.endpoints.map(\.address), [0x81, 0x02, 0x83])
        XCTAssertEqual(nbSetting.endpoints.map(\.transferType), [.interrupt, .bulk, .bulk])
        XCTAssertEqual(nbSetting.endpoints.map(\.maxPacketSize), [64, 64, 64])

        let upek = try USBDescriptorParser.parse(DescriptorFixtures.umockdevDescriptors("fixtures/libfprint/upektc_img-tcs1s/device"))
        XCTAssertEqual([upek.device.vendorID, upek.device.productID], [0x147E, 0x2016])
        XCTAssertEqual(upek.device.deviceVersion.rawValue, 2)
        XCTAssertEqual(upek.device.usbVersion.description, "1.10")
        let upekSetting = try XCTUnwrap(upek.configurations.first?.interfaces.first?.alternateSettings.first)
        XCTAssertEqual(upekSetting.endpoints.map(\.address), [0x81, 0x02, 0x83])
        XCTAssertEqual(upekSetting.endpoints.map(\.transferType), [.bulk, .bulk, .interrupt])
        XCTAssertEqual(upekSetting.endpoints.map(\.maxPacketSize), [64, 64, 4])
        XCTAssertEqual(upekSetting.endpoints.last?.interval, 20)
    }

    func testLogitechC270() throws {
        let bytes = try DescriptorFixtures.file("fixtures/uvc/logitech_c270.descriptors.bin")
        XCTAssertEqual(bytes.count, 2484)
        let report = try USBDescriptorParser.parseWithWarnings(bytes)
        let device = report.descriptors.device
        XCTAssertEqual([device.vendorID, device.productID], [0x046D, 0x0825])
        XCTAssertEqual([device.deviceClass, device.deviceSubClass, device.deviceProtocol], [0xEF, 0x02, 0x01])
        let configuration = try XCTUnwrap(report.descriptors.configurations.first)
        XCTAssertEqual(configuration.totalLength, 2466)
        XCTAssertEqual(configuration.interfaces.map(\.number), [0, 1, 2, 3])
        // The video IAD precedes interface 0.
        XCTAssertEqual(Array(configuration.extra.prefix(2)), [0x08, 0x0B])
        XCTAssertEqual(configuration.extra[2...3], [0x00, 0x02])

        let control = configuration.interfaces[0].alternateSettings[0]
        XCTAssertEqual(control.interfaceClass, 0x0E)
        XCTAssertEqual(control.interfaceSubClass, 0x01)
        XCTAssertEqual(control.endpoints.map(\.address), [0x87])
        XCTAssertEqual(control.endpoints.first?.transferType, .interrupt)
        XCTAssertEqual(control.endpoints.first?.maxPacketSize, 16)
        let controlExtra = USBDescriptorParser.rawDescriptors(in: control.extra)
        XCTAssertEqual(controlExtra.reduce(0) { $0 + $1.bytes.count }, control.extra.count)
        XCTAssertTrue(controlExtra.allSatisfy { $0.type == 0x24 })
        XCTAssertEqual(controlExtra.first?.subtype, 0x01, "VC header first")

        let streaming = configuration.interfaces[1]
        XCTAssertEqual(streaming.alternateSettings.map(\.alternateSetting), Array(0...11))
        XCTAssertEqual(streaming.alternateSettings[0].endpoints.count, 0)
        XCTAssertEqual(Array(streaming.alternateSettings[0].extra.prefix(4)), [0x10, 0x24, 0x01, 0x03], "VS input header")
        let sizes = streaming.alternateSettings.dropFirst().map { $0.endpoints.first?.bytesPerInterval ?? -1 }
        XCTAssertEqual(sizes, [192, 384, 512, 640, 800, 944, 1280, 1600, 1984, 2688, 3060])
        XCTAssertTrue(streaming.alternateSettings.dropFirst().allSatisfy { $0.endpoints.first?.address == 0x81 && $0.endpoints.first?.transferType == .isochronous })
        XCTAssertEqual(configuration.interfaces[2].alternateSettings.first?.interfaceClass, 0x01)
        XCTAssertEqual(configuration.interfaces[3].alternateSettings.first?.interfaceClass, 0x01)
        XCTAssertEqual(report.warnings, [])
    }

    func testMaliciousFixtureParsesWithoutReadingPastItsEnd() throws {
        let full = try DescriptorFixtures.file("fixtures/uvc/malicious_huge_frame_interval_type.descriptors.bin")
        let parsed = try USBDescriptorParser.parse(full)
        XCTAssertEqual([parsed.device.vendorID, parsed.device.productID], [0x1209, 0x0001])
        let configuration = try XCTUnwrap(parsed.configurations.first)
        XCTAssertEqual(configuration.totalLength, 103)
        XCTAssertEqual(configuration.interfaces.map(\.number), [0, 1])
        XCTAssertEqual(configuration.interfaces[1].alternateSettings.count, 1)
        XCTAssertEqual(configuration.interfaces[1].alternateSettings[0].endpoints, [])
        let streamingExtra = configuration.interfaces[1].alternateSettings[0].extra
        // The 30-byte MJPEG frame descriptor that claims 255 intervals is kept raw, whole.
        let frame = try XCTUnwrap(USBDescriptorParser.rawDescriptors(in: streamingExtra).first { $0.subtype == 0x07 })
        XCTAssertEqual(frame.bytes.count, 30)

        let configurationOnly = try DescriptorFixtures.file("fixtures/uvc/malicious_huge_frame_interval_type.config.bin")
        XCTAssertEqual(try USBDescriptorParser.parseConfiguration(configurationOnly), configuration)
        // Fed as sysfs order it must be refused cleanly: no device descriptor.
        XCTAssertThrowsError(try USBDescriptorParser.parse(configurationOnly)) { error in
            let parseError = error as? USBDescriptorParseError
            XCTAssertEqual(parseError?.kind, .unexpectedDescriptorType)
            XCTAssertEqual(parseError?.offset, 0)
            XCTAssertTrue(parseError?.reason.contains("no device descriptor") ?? false, "\(error)")
        }
    }

    func testTruncatedConfigurationNamesOffsetAndLengths() {
        let truncated = Array(Self.example.prefix(45))
        XCTAssertThrowsError(try USBDescriptorParser.parse(truncated)) { error in
            let parseError = error as? USBDescriptorParseError
            XCTAssertEqual(parseError?.kind, .truncated)
            XCTAssertEqual(parseError?.offset, 18)
            XCTAssertEqual(parseError?.reason, "truncated configuration descriptor at offset 18: wTotalLength 39 but only 27 bytes remain")
        }
    }

    func testErrorsForEachClassOfDamage() {
        func expect(_ bytes: [UInt8], _ kind: USBDescriptorParseError.Kind, at offset: Int, line: UInt = #line) {
            do {
                let result = try USBDescriptorParser.parse(bytes)
                XCTFail("expected \(kind), parsed \(result)", line: line)
            } catch {
                XCTAssertEqual(error.kind, kind, error.reason, line: line)
                XCTAssertEqual(error.offset, offset, error.reason, line: line)
                XCTAssertTrue(error.reason.contains("offset \(offset)"), error.reason, line: line)
            }
        }
        expect([], .empty, at: 0)
        expect([0x12], .truncated, at: 0)
        expect(Array(Self.example.prefix(10)), .truncated, at: 0)
        expect(Array(Self.example.prefix(18)), .missingConfiguration, at: 18)
        var badDeviceType = Self.example
        badDeviceType[1] = 0x04
        expect(badDeviceType, .unexpectedDescriptorType, at: 0)
        var shortDevice = Self.example
        shortDevice[0] = 8
        expect(shortDevice, .invalidLength, at: 0)
        var zeroLength = Self.example
        zeroLength[27] = 0 // interface descriptor bLength 0 would loop forever if accepted
        expect(zeroLength, .invalidLength, at: 27)
        var oneLength = Self.example
        oneLength[36] = 1
        expect(oneLength, .invalidLength, at: 36)
        var overlong = Self.example
        overlong[50] = 0x20 // last endpoint claims 32 bytes, 7 remain
        expect(overlong, .truncated, at: 50)
        var shortInterface = Self.example
        shortInterface[27] = 5
        expect(shortInterface, .invalidLength, at: 27)
        var tinyTotal = Self.example
        tinyTotal[20] = 5
        expect(tinyTotal, .invalidTotalLength, at: 18)
        var shortEndpoint = Self.example
        shortEndpoint[36] = 6
        expect(shortEndpoint, .invalidLength, at: 36)
        var wrongConfigurationType = Self.example
        wrongConfigurationType[19] = 0x04
        expect(wrongConfigurationType, .unexpectedDescriptorType, at: 18)
    }

    func testSloppyCountsAreWarningsNotErrors() throws {
        var bytes = Self.example
        bytes[31] = 5 // bNumEndpoints 5, three follow
        bytes[22] = 2 // bNumInterfaces 2, one follows
        let report = try USBDescriptorParser.parseWithWarnings(bytes)
        XCTAssertEqual(report.descriptors.configurations.first?.interfaces.first?.alternateSettings.first?.endpoints.count, 3)
        XCTAssertEqual(report.warnings.map(\.offset).sorted(), [22, 27])
        XCTAssertTrue(report.warnings.contains { $0.message.contains("declares 5 endpoints but 3 follow") }, "\(report.warnings)")
    }

    func testAlternateSettingsAreGroupedPerInterfaceAndExtrasGoWhereLibusbPutsThem() throws {
        let configuration: [UInt8] = [
            0x09, 0x02, 0x00, 0x00, 0x02, 0x01, 0x00, 0xC0, 0x00,
            0x08, 0x0B, 0x00, 0x02, 0x0E, 0x03, 0x00, 0x00, // IAD before the first interface
            0x09, 0x04, 0x00, 0x00, 0x00, 0x0E, 0x01, 0x00, 0x00,
            0x05, 0x24, 0x01, 0xAA, 0xBB, // class-specific after interface 0
            0x09, 0x04, 0x01, 0x00, 0x00, 0x0E, 0x02, 0x00, 0x00,
            0x09, 0x04, 0x01, 0x01, 0x01, 0x0E, 0x02, 0x00, 0x00,
            0x07, 0x05, 0x81, 0x05, 0x00, 0x0C, 0x01, // 2x1024 iso
            0x06, 0x30, 0x00, 0x00, 0x00, 0x00, // companion after the endpoint
        ]
        var bytes = configuration
        bytes[2] = UInt8(bytes.count)
        let (parsed, warnings) = try USBDescriptorParser.parseConfigurationWithWarnings(bytes + [0xEE, 0xEE])
        XCTAssertTrue(parsed.isSelfPowered)
        XCTAssertEqual(parsed.extra, [0x08, 0x0B, 0x00, 0x02, 0x0E, 0x03, 0x00, 0x00])
        XCTAssertEqual(parsed.interfaces.map(\.number), [0, 1])
        XCTAssertEqual(parsed.interfaces[0].alternateSettings[0].extra, [0x05, 0x24, 0x01, 0xAA, 0xBB])
        XCTAssertEqual(parsed.interfaces[1].alternateSettings.map(\.alternateSetting), [0, 1])
        let endpoint = try XCTUnwrap(parsed.interfaces[1].alternateSettings[1].endpoints.first)
        XCTAssertEqual(endpoint.transferType, .isochronous)
        XCTAssertEqual(endpoint.maxPacketSize, 1024)
        XCTAssertEqual(endpoint.bytesPerInterval, 2048)
        XCTAssertEqual(endpoint.extra, [0x06, 0x30, 0x00, 0x00, 0x00, 0x00])
        XCTAssertEqual(warnings.map(\.offset), [bytes.count], "trailing bytes reported")
    }

    func testTrailingStrayBytesAfterLastConfigurationAreTolerated() throws {
        let report = try USBDescriptorParser.parseWithWarnings(Self.example + [0x00, 0x01])
        XCTAssertEqual(report.descriptors.configurations.count, 1)
        XCTAssertEqual(report.warnings.map(\.offset), [57])
    }

    func testEveryTruncationOfEveryFixtureIsAnErrorNamingAnOffsetInside() throws {
        var fixtures = [(name: "built-in example", bytes: Self.example)]
        if let shared = try? DescriptorFixtures.allSysfsFixtures() { fixtures += shared } else {
            print("note: ../shared absent, truncating the built-in example only")
        }
        for (name, bytes) in fixtures {
            XCTAssertNoThrow(try USBDescriptorParser.parse(bytes), name)
            for length in 0..<bytes.count {
                do {
                    _ = try USBDescriptorParser.parse(Array(bytes.prefix(length)))
                    XCTFail("\(name) truncated to \(length) bytes parsed")
                } catch {
                    XCTAssertLessThanOrEqual(error.offset, length, "\(name) @\(length): \(error.reason)")
                    XCTAssertTrue(error.reason.contains("offset"), error.reason)
                }
            }
        }
    }

    func testRandomBitFlipsGiveAnErrorOrAConsistentResult() throws {
        var fixtures = [(name: "built-in example", bytes: Self.example)]
        if let shared = try? DescriptorFixtures.allSysfsFixtures() { fixtures += shared }
        var random = MutationRandom(seed: 0xB10C_A97E)
        var accepted = 0
        var rejected = 0
        for (name, original) in fixtures {
            for _ in 0..<1500 {
                var bytes = original
                for _ in 0...random.below(4) {
                    let bit = random.below(bytes.count * 8)
                    bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
                }
                do {
                    let report = try USBDescriptorParser.parseWithWarnings(bytes)
                    accepted += 1
                    assertConsistent(report.descriptors, inputCount: bytes.count, name)
                } catch {
                    rejected += 1
                    XCTAssertTrue((0...bytes.count).contains(error.offset), "\(name): \(error.reason)")
                }
            }
        }
        XCTAssertGreaterThan(accepted, 0)
        XCTAssertGreaterThan(rejected, 0)
    }

    private func assertConsistent(_ descriptors: USBDeviceDescriptors, inputCount: Int, _ name: String) {
        var covered = USBDescriptorType.deviceLength
        for configuration in descriptors.configurations {
            covered += Int(configuration.totalLength)
            XCTAssertEqual(USBDescriptorParser.rawDescriptors(in: configuration.extra).reduce(0) { $0 + $1.bytes.count }, configuration.extra.count, name)
            for setting in configuration.interfaces.flatMap(\.alternateSettings) {
                XCTAssertEqual(USBDescriptorParser.rawDescriptors(in: setting.extra).reduce(0) { $0 + $1.bytes.count }, setting.extra.count, name)
                for endpoint in setting.endpoints {
                    XCTAssertEqual(USBDescriptorParser.rawDescriptors(in: endpoint.extra).reduce(0) { $0 + $1.bytes.count }, endpoint.extra.count, name)
                }
            }
        }
        XCTAssertLessThanOrEqual(covered, inputCount, name)
    }

    func testEveryTruncationOfAConfigurationBlockIsAnError() throws {
        var blocks = [Array(Self.example.dropFirst(18))]
        if let configuration = try? DescriptorFixtures.file("fixtures/uvc/malicious_huge_frame_interval_type.config.bin") {
            blocks.append(configuration)
        }
        if let c270 = try? DescriptorFixtures.file("fixtures/uvc/logitech_c270.descriptors.bin") {
            blocks.append(Array(c270.dropFirst(18)))
        }
        for block in blocks {
            XCTAssertNoThrow(try USBDescriptorParser.parseConfiguration(block))
            for length in 0..<block.count {
                XCTAssertThrowsError(try USBDescriptorParser.parseConfiguration(Array(block.prefix(length))), "\(length)") { error in
                    XCTAssertTrue((error as? USBDescriptorParseError)?.reason.contains("offset") ?? false, "\(error)")
                }
            }
        }
    }

    func testRawDescriptorsStopAtDamage() {
        XCTAssertEqual(USBDescriptorParser.rawDescriptors(in: [0x03, 0x24, 0x01, 0x00, 0x24]).count, 1)
        XCTAssertEqual(USBDescriptorParser.rawDescriptors(in: [0x03, 0x24, 0x01, 0x09, 0x24]).count, 1)
        XCTAssertEqual(USBDescriptorParser.rawDescriptors(in: []).count, 0)
    }

    func testClassNames() {
        XCTAssertEqual(USBClassNames.name(for: 0x03), "HID")
        XCTAssertEqual(USBClassNames.name(for: 0x0E), "Video")
        XCTAssertEqual(USBClassNames.name(for: 0xFF), "Vendor Specific")
        XCTAssertEqual(USBClassNames.name(for: 0x42), "Unknown (0x42)")
        XCTAssertEqual(USBClassNames.deviceClassName(for: 0x00), "Defined per interface")
        XCTAssertEqual(USBClassNames.descriptorTypeName(for: 0x21, interfaceClass: 0x03), "HID")
        XCTAssertEqual(USBClassNames.descriptorTypeName(for: 0x24), "class-specific interface")
        XCTAssertEqual(USBClassNames.descriptorTypeName(for: 0x0B), "interface association")
    }
}
