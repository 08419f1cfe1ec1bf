import BioCapture
import XCTest
@testable import HID

final class HIDParserTests: XCTestCase {
    func parseError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> HIDParseError? {
        do {
            let layout = try HIDReportLayout.parse(bytes)
            XCTFail("parsed unexpectedly: \(layout.reports.count) report(s)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Errors carry the right offset

    func testErrorOffsets() {
        let cases: [(String, [UInt8], HIDParseError)] = [
            ("empty", [], HIDParseError(offset: 0, reason: .emptyDescriptor)),
            ("4-byte item with 2 bytes left", [0x05, 0x0D, 0x27, 0x01, 0x02],
             HIDParseError(offset: 2, reason: .truncatedItem(declaredBytes: 4, remainingBytes: 2))),
            ("truncated 1-byte item", [0x05], HIDParseError(offset: 0, reason: .truncatedItem(declaredBytes: 1, remainingBytes: 0))),
            ("long item header", [0x05, 0x01, 0xFE, 0x05], HIDParseError(offset: 2, reason: .truncatedLongItem)),
            ("long item data", [0xFE, 0x05, 0x10, 1, 2], HIDParseError(offset: 0, reason: .truncatedLongItem)),
            ("Pop without Push", [0x05, 0x01, 0xA4, 0xB4, 0xB4], HIDParseError(offset: 4, reason: .popWithoutPush)),
            ("End Collection without Collection", [0x09, 0x01, 0xA1, 0x01, 0xC0, 0xC0],
             HIDParseError(offset: 5, reason: .endCollectionWithoutCollection)),
            ("Report Size 0", [0x75, 0x00, 0x95, 0x01, 0x81, 0x02], HIDParseError(offset: 4, reason: .reportSizeZero)),
            ("Report Count 0", [0x75, 0x08, 0x95, 0x00, 0x81, 0x02], HIDParseError(offset: 4, reason: .reportCountZero)),
            ("Report Size 300", [0x76, 0x2C, 0x01, 0x95, 0x01, 0x91, 0x02],
             HIDParseError(offset: 5, reason: .reportSizeTooLarge(bits: 300, limit: 256))),
            ("absurd report", [0x75, 0x08, 0x97, 0xFF, 0xFF, 0xFF, 0x00, 0xB1, 0x02],
             HIDParseError(offset: 7, reason: .reportTooLarge(bits: 0xFF_FFFF * 8, limit: 131_072))),
            ("Report ID 0", [0x85, 0x00], HIDParseError(offset: 0, reason: .reportIDZero)),
            ("Report ID 256", [0x05, 0x01, 0x86, 0x00, 0x01], HIDParseError(offset: 2, reason: .reportIDTooLarge(256))),
            ("Usage Maximum first", [0x05, 0x09, 0x29, 0x05], HIDParseError(offset: 2, reason: .usageMaximumWithoutMinimum)),
            ("range across pages", [0x1B, 0x01, 0x00, 0x09, 0x00, 0x2B, 0x05, 0x00, 0x07, 0x00],
             HIDParseError(offset: 5, reason: .usageRangeAcrossPages(minimumPage: 0x09, maximumPage: 0x07))),
            ("inverted logical range", [0x15, 0x05, 0x25, 0x01, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02],
             HIDParseError(offset: 8, reason: .logicalRangeInverted(minimum: 5, maximum: 1))),
            ("unknown global tag", [0x05, 0x01, 0xC4], HIDParseError(offset: 2, reason: .unknownGlobalTag(0xC))),
            ("unclosed collection", [0x09, 0x02, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00, 0xC0],
             HIDParseError(offset: 9, reason: .unclosedCollections(count: 1))),
            ("nested delimiter", [0xA9, 0x01, 0xA9, 0x01], HIDParseError(offset: 2, reason: .nestedDelimiter)),
            ("delimiter close", [0xA9, 0x00], HIDParseError(offset: 0, reason: .delimiterCloseWithoutOpen)),
            ("Main item inside a delimiter", [0xA9, 0x01, 0x09, 0x30, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02],
             HIDParseError(offset: 8, reason: .unclosedDelimiter)),
        ]
        for (name, bytes, expected) in cases {
            XCTAssertEqual(parseError(bytes), expected, name)
        }
        let deepPush = [UInt8](repeating: 0xA4, count: 17)
        XCTAssertEqual(parseError(deepPush), HIDParseError(offset: 16, reason: .pushStackTooDeep(limit: 16)))
        let deepCollections = Array([[UInt8]](repeating: [0xA1, 0x00], count: 65).joined())
        XCTAssertEqual(parseError(deepCollections), HIDParseError(offset: 128, reason: .collectionNestingTooDeep(limit: 64)))
    }

    func testErrorDescriptionsAndFaults() throws {
        let error = HIDParseError(offset: 2, reason: .truncatedItem(declaredBytes: 4, remainingBytes: 2))
        XCTAssertEqual(error.description,
                       "HID report descriptor error at byte 2: truncated item: its prefix announces 4 data byte(s) but only 2 remain")
        XCTAssertEqual(error.captureFault(source: .device).domain, .hardware)
        XCTAssertEqual(error.captureFault(source: .device).code, .protocolError)
        XCTAssertEqual(error.captureFault(source: .file).domain, .operator)
        XCTAssertEqual(HIDDecodeError(.shortReport(reportID: 1, expectedBytes: 4, actualBytes: 2)).captureFault().domain, .hardware)
    }

    // MARK: Item rules

    func testSignedAndUnsignedValues() throws {
        // 25 FF after Logical Minimum 0 is 255; after a negative minimum it is -1.
        let unsigned = try HIDReportLayout.parse([0x15, 0x00, 0x25, 0xFF, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02])
        XCTAssertEqual(unsigned.reports[0].fields[0].logicalMaximum, 255)
        let signed = try HIDReportLayout.parse([0x15, 0x80, 0x25, 0xFF, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02])
        XCTAssertEqual(signed.reports[0].fields[0].logicalMinimum, -128)
        XCTAssertEqual(signed.reports[0].fields[0].logicalMaximum, -1)
        // Maximum before minimum: the signedness follows the minimum in effect at the Main item.
        let reordered = try HIDReportLayout.parse([0x25, 0xFF, 0x15, 0x80, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02])
        XCTAssertEqual(reordered.reports[0].fields[0].logicalMaximum, -1)
        // 4-byte values: 0xFFFFFFFF is 4294967295 after a zero minimum, and -2^31 as a minimum.
        let wide = try HIDReportLayout.parse([0x15, 0x00, 0x27, 0xFF, 0xFF, 0xFF, 0xFF, 0x75, 0x20, 0x95, 0x01, 0x81, 0x02,
                                              0x17, 0x00, 0x00, 0x00, 0x80, 0x27, 0xFF, 0xFF, 0xFF, 0x7F, 0x81, 0x02])
        XCTAssertEqual(wide.reports[0].fields[0].logicalMaximum, 4_294_967_295)
        XCTAssertEqual(wide.reports[0].fields[1].logicalMinimum, -2_147_483_648)
        XCTAssertEqual(wide.reports[0].fields[1].logicalMaximum, 2_147_483_647)
        // Physical maximum follows the physical minimum's sign the same way.
        let physical = try HIDReportLayout.parse([0x35, 0x00, 0x45, 0xF0, 0x65, 0x11, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02,
                                                  0x35, 0x81, 0x45, 0x7F, 0x81, 0x02])
        XCTAssertEqual(physical.reports[0].fields[0].physicalMaximum, 240)
        XCTAssertEqual(physical.reports[0].fields[1].physicalMinimum, -127)
    }

    func testNegativeValuesDecodeWithSignExtension() throws {
        // X Tilt 8-bit -127..127, Y Tilt 16-bit -32768..32767 at bit 8, then a 4-bit -8..7 field.
        let layout = try HIDReportLayout.parse([
            0x05, 0x0D, 0x09, 0x3D, 0x15, 0x81, 0x25, 0x7F, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02,
            0x09, 0x3E, 0x16, 0x00, 0x80, 0x26, 0xFF, 0x7F, 0x75, 0x10, 0x81, 0x02,
            0x09, 0x41, 0x15, 0xF8, 0x25, 0x07, 0x75, 0x04, 0x81, 0x02, 0x75, 0x04, 0x81, 0x03,
        ])
        let decoded = try layout.decode([0xFF, 0x00, 0x80, 0x09])
        XCTAssertEqual(decoded.logical(for: .xTilt), -1)
        XCTAssertEqual(decoded.logical(for: .yTilt), -32768)
        XCTAssertEqual(decoded.logical(for: HIDUsage(page: 0x0D, id: 0x41)), -7)
        XCTAssertEqual(try layout.decode([0x81, 0xFF, 0x7F, 0x07]).logical(for: .yTilt), 32767)
        XCTAssertEqual(try layout.decode([0x81, 0xFF, 0x7F, 0x07]).logical(for: .xTilt), -127)
    }

    func testUnitExponentQuirk() throws {
        XCTAssertEqual(hidUnitExponent(signedItemValue: 0x0D), -3, "Wacom nibble 55 0D")
        XCTAssertEqual(hidUnitExponent(signedItemValue: -3), -3, "Huion full byte 55 FD")
        XCTAssertEqual(hidUnitExponent(signedItemValue: 0x07), 7)
        XCTAssertEqual(hidUnitExponent(signedItemValue: 0x08), -8)
        XCTAssertEqual(hidUnitExponent(signedItemValue: 0x0E), -2)
        XCTAssertEqual(hidUnitExponent(signedItemValue: 0x10), 16)
        func exponent(_ items: [UInt8]) throws -> Int {
            try HIDReportLayout.parse(items + [0x65, 0x11, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02]).reports[0].fields[0].unitExponent
        }
        XCTAssertEqual(try exponent([0x55, 0x0D]), -3)
        XCTAssertEqual(try exponent([0x55, 0xFD]), -3)
        XCTAssertEqual(try exponent([0x56, 0x0D, 0x00]), -3, "2-byte nibble form")
        XCTAssertEqual(try exponent([0x56, 0xFE, 0xFF]), -2, "2-byte signed form")
        XCTAssertEqual(try exponent([0x55, 0x02]), 2)
    }

    func testUnitDecoding() {
        XCTAssertEqual(HIDUnit(rawValue: 0x11).description, "cm")
        XCTAssertEqual(HIDUnit(rawValue: 0x13).description, "in")
        XCTAssertEqual(HIDUnit(rawValue: 0x14).description, "deg")
        XCTAssertEqual(HIDUnit(rawValue: 0x12).description, "rad")
        XCTAssertEqual(HIDUnit(rawValue: 0x1001).description, "s")
        XCTAssertEqual(HIDUnit(rawValue: 0xE111).description, "cm·g·s⁻²", "newton-like: length 1, mass 1, time -2")
        XCTAssertEqual(HIDUnit(rawValue: 0).description, "none")
        XCTAssertEqual(HIDUnit(rawValue: 0x11).millimetresPerLengthUnit, 10)
        XCTAssertEqual(HIDUnit(rawValue: 0x13).millimetresPerLengthUnit, 25.4)
        XCTAssertEqual(HIDUnit(rawValue: 0x33).millimetresPerLengthUnit, 25.4)
        XCTAssertNil(HIDUnit(rawValue: 0x14).millimetresPerLengthUnit)
        XCTAssertEqual(HIDUnit(rawValue: 0xE111).time, -2)
        XCTAssertTrue(HIDUnit(rawValue: 0x14).isAngle)
        XCTAssertTrue(HIDUnit(rawValue: 0x10).isNone, "a system without dimensions carries no meaning")
    }

    func testPushPopRestoresUsagePageAndHuionDecodeVector() throws {
        // Huion H58L style: X/Y declared on Generic Desktop between Push and Pop inside a Digitizer
        // collection, so the `09 30` after Pop is Tip Pressure again. Bit 7 of byte 1 is declared
        // constant but carries In Range on real hardware; here it is declared In Range.
        let descriptor: [UInt8] = [
            0x05, 0x0D, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x07, 0x09, 0x20, 0xA1, 0x00,
            0x09, 0x42, 0x09, 0x44, 0x09, 0x45, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x03, 0x81, 0x02,
            0x95, 0x04, 0x81, 0x03,
            0x09, 0x32, 0x95, 0x01, 0x81, 0x02,
            0xA4,  // Push
            0x05, 0x01, 0x65, 0x13, 0x55, 0xFD, 0x35, 0x00,
            0x09, 0x30, 0x46, 0x40, 0x1F, 0x26, 0x00, 0x7D, 0x75, 0x10, 0x81, 0x02,  // X: 8000 mil, 32000
            0x09, 0x31, 0x46, 0x88, 0x13, 0x26, 0x20, 0x4E, 0x81, 0x02,  // Y: 5000 mil, 20000
            0xB4,  // Pop
            0x09, 0x30, 0x26, 0xFF, 0x07, 0x75, 0x10, 0x81, 0x02,  // Tip Pressure 0..2047
            0xC0, 0xC0,
        ]
        let layout = try HIDReportLayout.parse(descriptor)
        let report = try XCTUnwrap(layout.report(.input, id: 7))
        let pressureField = try XCTUnwrap(report.fields.last)
        XCTAssertEqual(pressureField.usage(forElement: 0), .tipPressure, "Pop restored the Digitizer page")
        XCTAssertEqual(pressureField.unit, .none, "Pop restored the unit")
        XCTAssertEqual(pressureField.logicalMaximum, 2047)
        let xField = report.fields[3]
        XCTAssertEqual(xField.usage(forElement: 0), .x)
        XCTAssertEqual(xField.unitExponent, -3, "full signed byte FD")

        let pen = try XCTUnwrap(HIDDigitizerCapabilities(layout: layout))
        XCTAssertTrue(pen.declaresStandardPen)
        XCTAssertEqual(pen.x.lengthMillimetres ?? 0, 203.2, accuracy: 1e-9)  // 8 inches
        XCTAssertEqual(pen.x.countsPerInch ?? 0, 4000, accuracy: 1e-9)
        // DIGImend H58L vector (hardware-facts §6).
        let down = try pen.decodePen([0x07, 0x81, 0x4A, 0x44, 0xC0, 0x25, 0xE5, 0x00])
        XCTAssertEqual(down.x, 17482)
        XCTAssertEqual(down.y, 9664)
        XCTAssertEqual(down.pressure, 229)
        XCTAssertTrue(down.tip)
        XCTAssertEqual(down.state, .down)
        let hover = try pen.decodePen([0x07, 0x80, 0x4A, 0x44, 0xC0, 0x25, 0x00, 0x00])
        XCTAssertEqual(hover.state, .hover)
        XCTAssertEqual(hover.pressure, 0)
        let away = try pen.decodePen([0x07, 0x00, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(away.state, .away)
    }

    func testLongItemsAreSkipped() throws {
        let plain: [UInt8] = [0x05, 0x01, 0x09, 0x30, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02]
        var withLong = Array(plain[0..<4])
        withLong += [0xFE, 0x03, 0x10, 0x81, 0x02, 0xC0]  // data that looks like items must not be read
        withLong += [0xFE, 0x00, 0x11]  // empty long item
        withLong += plain[4...]
        let a = try HIDReportLayout.parse(plain)
        let b = try HIDReportLayout.parse(withLong)
        XCTAssertEqual(a.reports.map(\.fields.count), b.reports.map(\.fields.count))
        XCTAssertEqual(b.reports[0].fields[0].usage(forElement: 0), .x)
        XCTAssertEqual(try HIDItemScanner.items(in: withLong).filter { $0.kind == .long }.map(\.totalLength), [6, 3])
    }

    func testUsageRangesAndExtendedUsages() throws {
        let layout = try HIDReportLayout.parse([
            0x05, 0x09, 0x19, 0x01, 0x29, 0x03, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x03, 0x81, 0x02,  // buttons 1..3
            0x05, 0x0D, 0x0B, 0x30, 0x00, 0x01, 0x00, 0x75, 0x05, 0x95, 0x01, 0x81, 0x02,  // 4-byte usage GD:X on Digitizer page
            0x1B, 0x01, 0x00, 0x09, 0x00, 0x2B, 0x03, 0x00, 0x09, 0x00, 0x75, 0x08, 0x95, 0x01, 0x15, 0x01, 0x25, 0x03, 0x81, 0x00,
        ])
        let fields = layout.reports[0].fields
        XCTAssertEqual((0..<3).map { fields[0].usage(forElement: $0) },
                       [HIDUsage(page: 9, id: 1), HIDUsage(page: 9, id: 2), HIDUsage(page: 9, id: 3)])
        XCTAssertEqual(fields[1].usage(forElement: 0), .x)
        XCTAssertEqual(fields[2].usages, [HIDUsageRange(first: HIDUsage(page: 9, id: 1), count: 3)])
        // Array of buttons with logical minimum 1: value 2 means the second usage, 0 means none.
        let decoded = try layout.decode([0b0000_0101, 0x02])
        XCTAssertEqual(decoded.logical(for: HIDUsage(page: 9, id: 1)), 1)
        XCTAssertEqual(decoded.logical(for: HIDUsage(page: 9, id: 2)), 0)
        XCTAssertEqual(decoded.values.last?.value, .usages([HIDUsage(page: 9, id: 2)]))
        XCTAssertEqual(try layout.decode([0, 0]).values.last?.value, .usages([]))
        // A huge range is stored, not expanded.
        let huge = try HIDReportLayout.parse([0x06, 0x00, 0xFF, 0x19, 0x00, 0x2A, 0xFF, 0xFF, 0x75, 0x10, 0x95, 0x01, 0x26, 0xFF, 0xFF, 0x81, 0x00])
        XCTAssertEqual(huge.reports[0].fields[0].usageCount, 65536)
        XCTAssertEqual(huge.reports[0].fields[0].usage(atIndex: 65535), HIDUsage(page: 0xFF00, id: 0xFFFF))
    }

    func testUsagePageAfterUsagesApplies() throws {
        // `Usage 0x30, Usage Page GD, Input`: the late page applies (HID 1.11 "last declared page").
        let layout = try HIDReportLayout.parse([0x05, 0x0D, 0x09, 0x30, 0x05, 0x01, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02])
        XCTAssertEqual(layout.reports[0].fields[0].usage(forElement: 0), .x)
        // But a usage already on the current page stops the re-paging of earlier ones.
        let mixed = try HIDReportLayout.parse([0x05, 0x01, 0x09, 0x30, 0x05, 0x0D, 0x09, 0x30, 0x75, 0x08, 0x95, 0x02, 0x81, 0x02])
        XCTAssertEqual(mixed.reports[0].fields[0].usage(forElement: 0), .x)
        XCTAssertEqual(mixed.reports[0].fields[0].usage(forElement: 1), .tipPressure)
    }

    func testCollectionsDesignatorsStringsAndDelimiters() throws {
        let layout = try HIDReportLayout.parse([
            0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00,
            0x39, 0x04, 0x79, 0x05, 0x49, 0x01, 0x59, 0x03,
            0xA9, 0x01, 0x09, 0x30, 0xA9, 0x00, 0xA9, 0x01, 0x09, 0x31, 0xA9, 0x00,  // alternatives: keep X
            0x75, 0x08, 0x95, 0x01, 0x81, 0x06,
            0xC0, 0xA1, 0x80, 0xC0, 0xC0,
        ])
        XCTAssertEqual(layout.collections.count, 3)
        XCTAssertEqual(layout.collections[0].kind, .application)
        XCTAssertEqual(layout.collections[0].usage, HIDUsage(page: 1, id: 2))
        XCTAssertEqual(layout.collections[1].parent, 0)
        XCTAssertEqual(layout.collections[1].depth, 1)
        XCTAssertEqual(layout.collections[2].kind, .vendor(0x80))
        let field = layout.reports[0].fields[0]
        XCTAssertEqual(field.collectionPath, [0, 1])
        XCTAssertEqual(field.application, HIDUsage(page: 1, id: 2))
        XCTAssertEqual(field.designatorRange, 1...3)
        XCTAssertEqual(field.stringRange, 5...5)
        XCTAssertEqual(field.usages.count, 1)
        XCTAssertEqual(field.usage(forElement: 0), .x)
        XCTAssertTrue(field.flags.contains(.relative))
        XCTAssertEqual(field.flags.description, "Data,Var,Rel")
    }

    func testReportIDsAndLengths() throws {
        let layout = try HIDReportLayout.parse([
            0x85, 0x01, 0x09, 0x30, 0x75, 0x0C, 0x95, 0x01, 0x26, 0xFF, 0x0F, 0x81, 0x02,  // 12 bits -> 2 bytes
            0x85, 0x02, 0x09, 0x31, 0x75, 0x08, 0x81, 0x02, 0xB1, 0x02, 0x91, 0x02,
            0x85, 0x01, 0x09, 0x32, 0x75, 0x04, 0x81, 0x02,  // back to report 1: offset continues at 12
        ])
        XCTAssertTrue(layout.usesReportIDs)
        let one = try XCTUnwrap(layout.report(.input, id: 1))
        XCTAssertEqual(one.fields.map(\.bitOffset), [0, 12])
        XCTAssertEqual(one.payloadLength, 2)
        XCTAssertEqual(layout.wireLength(of: one), 3)
        XCTAssertNotNil(layout.report(.feature, id: 2))
        XCTAssertNotNil(layout.report(.output, id: 2))
        XCTAssertEqual(layout.maximumInputReportLength, 3)
        // Straddling bytes: 12-bit value 0xABC then a 4-bit value 0x5.
        let decoded = try layout.decode([0x01, 0xBC, 0x5A])
        XCTAssertEqual(decoded.reportID, 1)
        XCTAssertEqual(decoded.values.map { $0.value.logical }, [0xABC, 0x5])
        // The same payload without the ID byte decodes identically.
        XCTAssertEqual(try layout.decode(payload: [0xBC, 0x5A], reportID: 1), decoded)
        // Extra bytes are fine, missing ones are not, unknown IDs are reported.
        XCTAssertEqual(try layout.decode([0x01, 0xBC, 0x5A, 0xEE, 0xEE]), decoded)
        XCTAssertThrowsError(try layout.decode([0x01, 0xBC])) { error in
            XCTAssertEqual(error as? HIDDecodeError, HIDDecodeError(.shortReport(reportID: 1, expectedBytes: 2, actualBytes: 1)))
        }
        XCTAssertThrowsError(try layout.decode([0x09, 0, 0])) { error in
            XCTAssertEqual(error as? HIDDecodeError, HIDDecodeError(.unknownReportID(9)))
        }
        XCTAssertThrowsError(try layout.decode([])) { error in
            XCTAssertEqual(error as? HIDDecodeError, HIDDecodeError(.emptyReport))
        }
        XCTAssertEqual(try layout.decode([0x02, 0x7F], type: .feature).values.first?.value.logical, 0x7F)

        // Without report IDs there is no prefix byte.
        let plain = try HIDReportLayout.parse([0x05, 0x01, 0x09, 0x30, 0x75, 0x08, 0x95, 0x01, 0x26, 0xFF, 0x00, 0x81, 0x02])
        XCTAssertFalse(plain.usesReportIDs)
        XCTAssertEqual(try plain.decode([0xC8]).logical(for: .x), 200)
    }

    func testNullStateAndPhysicalValues() throws {
        // Hat switch style: logical 0..7 with Null State; value 15 is "no value".
        let layout = try HIDReportLayout.parse([
            0x05, 0x01, 0x09, 0x39, 0x15, 0x00, 0x25, 0x07, 0x75, 0x04, 0x95, 0x01, 0x81, 0x42, 0x81, 0x03,
            0x09, 0x30, 0x26, 0x10, 0x27, 0x35, 0x00, 0x46, 0xE8, 0x03, 0x65, 0x13, 0x55, 0x0E, 0x75, 0x10, 0x81, 0x02,
        ])
        XCTAssertEqual(try layout.decode([0x0F, 0, 0]).value(for: HIDUsage(page: 1, id: 0x39)), .null)
        XCTAssertEqual(try layout.decode([0x03, 0, 0]).value(for: HIDUsage(page: 1, id: 0x39)), .number(logical: 3, physical: nil))
        // X: 0..10000 logical over 0..1000 x 10^-2 inch: 5000 counts = 5.00 inch.
        let x = try layout.decode([0, 0x88, 0x13]).value(for: .x)
        XCTAssertEqual(x?.logical, 5000)
        XCTAssertEqual(x?.physical ?? 0, 5.0, accuracy: 1e-12)
    }

    func testWarningsForToleratedOddities() throws {
        let layout = try HIDReportLayout.parse([
            0x19, 0x01, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02,  // Usage Minimum without Maximum
            0x0C,  // reserved type (bType 3, not a long item)
            0x85, 0x03, 0x81, 0x02,
        ])
        XCTAssertEqual(layout.warnings.map(\.offset), [6, 8, 0])
        XCTAssertNotNil(layout.report(.input, id: 0), "the item before the first Report ID stays in report 0")
    }

    // MARK: Robustness on real descriptors

    func testTruncatedAtEveryOffsetNeverCrashes() throws {
        for name in HIDFixtures.nonEmpty {
            let bytes = try HIDFixtures.load(name)
            let boundaries = Set(try HIDItemScanner.items(in: bytes).map(\.offset))
            for length in 0..<bytes.count {
                do {
                    _ = try HIDReportLayout.parse(Array(bytes.prefix(length)))
                } catch {
                    switch error.reason {
                    case .truncatedItem, .truncatedLongItem:
                        XCTAssertTrue(boundaries.contains(error.offset), "\(name) cut at \(length): \(error)")
                        XCTAssertLessThan(error.offset, length)
                    case .unclosedCollections:
                        XCTAssertEqual(error.offset, length, "\(name) cut at \(length)")
                    case .emptyDescriptor:
                        XCTAssertEqual(length, 0)
                    default:
                        XCTFail("\(name) cut at \(length): unexpected \(error)")
                    }
                }
            }
        }
    }

    func testBitFlipsNeverCrash() throws {
        var random = SeededRandom(seed: 0x48_49_44)
        var parsed = 0
        var rejected = 0
        for name in HIDFixtures.nonEmpty {
            let bytes = try HIDFixtures.load(name)
            // Every bit of the small descriptors; a seeded sample of the big ones.
            let flips = bytes.count <= 100 ? bytes.count * 8 : 500
            for index in 0..<flips {
                var mutated = bytes
                let bit = bytes.count <= 100 ? index : Int(random.next() % UInt64(bytes.count * 8))
                mutated[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
                do {
                    let layout = try HIDReportLayout.parse(mutated)
                    parsed += 1
                    // Whatever parsed must also decode a zero report of each declared length.
                    for report in layout.reports(of: .input).prefix(4) {
                        let wire = [UInt8](repeating: 0, count: layout.wireLength(of: report))
                        _ = try layout.decode(layout.usesReportIDs ? [report.id] + wire.dropFirst() : wire)
                    }
                    if index % 10 == 0 { _ = HIDDescriptorSummary(layout: layout).renderText() }
                } catch is HIDParseError {
                    rejected += 1
                } catch let error as HIDDecodeError {
                    // Report ID 0 reports (items before the first Report ID) cannot be addressed.
                    guard case .unknownReportID(0) = error.reason else { return XCTFail("\(name) flip \(bit): \(error)") }
                }
            }
        }
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertGreaterThan(rejected, 0)
    }
}
