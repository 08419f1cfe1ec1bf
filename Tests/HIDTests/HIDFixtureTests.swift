import XCTest
@testable import HID

/// The real descriptors in `../shared/fixtures/hid`, checked against an independent decoder.
///
/// Expected numbers come from **hid-tools 0.12** (PyPI, `pip install hid-tools`), recorded on
/// 2026-11-25: `hid-decode FILE` for the item values and `hidtools.hid.ReportDescriptor`
/// (the parser behind hid-decode) for field bit positions. hid-tools counts `start` from the
/// first bit of the report including the ID byte; the constants below subtract those 8 bits.
/// A full field-by-field comparison of all 9,927 field elements (121 reports) of the six non-empty fixtures
/// against hid-tools 0.12 showed no difference (see hardware-notes/hid-digitizer.md).
final class HIDFixtureTests: XCTestCase {
    struct Expected {
        var usage: HIDUsage
        var bitOffset: Int
        var bitSize: Int
        var logical: ClosedRange<Int64>
        var physical: ClosedRange<Int64>
        var unit: UInt32
        var exponent: Int
    }

    func field(_ layout: HIDReportLayout, _ type: HIDReportType, id: UInt8, usage: HIDUsage,
               file: StaticString = #filePath, line: UInt = #line) throws -> (HIDField, Int) {
        let report = try XCTUnwrap(layout.report(type, id: id), "no \(type) report \(id)", file: file, line: line)
        for field in report.fields {
            if let element = field.element(for: usage) { return (field, element) }
        }
        XCTFail("no \(usage) in \(type) report \(id)", file: file, line: line)
        throw XCTSkip("missing usage")
    }

    func check(_ layout: HIDReportLayout, id: UInt8, _ expected: [Expected], file: StaticString = #filePath, line: UInt = #line) throws {
        for item in expected {
            let (field, element) = try field(layout, .input, id: id, usage: item.usage, file: file, line: line)
            let context = "\(item.usage) in report \(id)"
            XCTAssertEqual(field.bitOffset + element * field.bitSize, item.bitOffset, context, file: file, line: line)
            XCTAssertEqual(field.bitSize, item.bitSize, context, file: file, line: line)
            XCTAssertEqual(field.logicalMinimum, item.logical.lowerBound, context, file: file, line: line)
            XCTAssertEqual(field.logicalMaximum, item.logical.upperBound, context, file: file, line: line)
            XCTAssertEqual(field.physicalMinimum, item.physical.lowerBound, context, file: file, line: line)
            XCTAssertEqual(field.physicalMaximum, item.physical.upperBound, context, file: file, line: line)
            XCTAssertEqual(field.unit.rawValue, item.unit, context, file: file, line: line)
            XCTAssertEqual(field.unitExponent, item.exponent, context, file: file, line: line)
        }
    }

    func testEveryNonEmptyFixtureParses() throws {
        // hid-tools 0.12 report sizes in bits, including the ID byte (its `HidReport.bitsize`).
        let inputReportBits: [String: [UInt8: Int]] = [
            HIDFixtures.intuosS: [16: 216, 17: 72, 19: 72, 172: 1536],
            HIDFixtures.dth134Pen: [6: 272, 19: 72, 30: 272, 80: 136, 84: 392, 85: 392, 172: 1536, 254: 16],
            HIDFixtures.dth134Touch: [3: 320, 12: 400, 31: 64, 48: 496],
            HIDFixtures.padVendor: [8: 96],
            HIDFixtures.padPen: [10: 80],
            HIDFixtures.padKeyboard: [3: 64],
        ]
        for name in HIDFixtures.nonEmpty {
            let layout = try HIDReportLayout.parse(try HIDFixtures.load(name))
            XCTAssertTrue(layout.usesReportIDs, name)
            let inputs = layout.reports(of: .input)
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: inputs.map { ($0.id, $0.bitLength + 8) }), inputReportBits[name], name)
            XCTAssertTrue(layout.warnings.isEmpty, "\(name): \(layout.warnings)")
        }
    }

    func testEmptyFixturesGiveAClearError() throws {
        for name in [HIDFixtures.dth134Empty3, HIDFixtures.dth134Empty4] {
            let bytes = try HIDFixtures.load(name)
            XCTAssertThrowsError(try HIDReportLayout.parse(bytes)) { error in
                XCTAssertEqual(error as? HIDParseError, HIDParseError(offset: 0, reason: .emptyDescriptor))
                XCTAssertEqual("\(error)", "HID report descriptor error at byte 0: empty report descriptor")
            }
        }
    }

    func testIntuosSPenReportMatchesHidTools() throws {
        let layout = try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.intuosS))
        let page = HIDUsage.wacomVendorPage
        // hid-tools 0.12: start=16/40/64 size=24/24/16, lmax 15200/9500/4095, pmax 15200/9500/9500,
        // unit 0x11/0x11/0x0, exp -3/-3/0 (pressure's pmax 9500 leaks from Y).
        try check(layout, id: 16, [
            Expected(usage: HIDUsage(page: page, id: 0x42), bitOffset: 0, bitSize: 1, logical: 0...1, physical: 0...0, unit: 0, exponent: 0),
            Expected(usage: HIDUsage(page: page, id: 0x32), bitOffset: 5, bitSize: 1, logical: 0...1, physical: 0...0, unit: 0, exponent: 0),
            Expected(usage: HIDUsage(page: page, id: 0x130), bitOffset: 8, bitSize: 24, logical: 0...15200, physical: 0...15200, unit: 0x11, exponent: -3),
            Expected(usage: HIDUsage(page: page, id: 0x131), bitOffset: 32, bitSize: 24, logical: 0...9500, physical: 0...9500, unit: 0x11, exponent: -3),
            Expected(usage: HIDUsage(page: page, id: 0x30), bitOffset: 56, bitSize: 16, logical: 0...4095, physical: 0...9500, unit: 0, exponent: 0),
            Expected(usage: HIDUsage(page: page, id: 0x5B), bitOffset: 128, bitSize: 32,
                     logical: -2_147_483_648...2_147_483_647, physical: 0...9500, unit: 0, exponent: 0),
        ])
        let pen = try XCTUnwrap(HIDDigitizerCapabilities(layout: layout))
        XCTAssertEqual(pen.reportID, 16)
        XCTAssertFalse(pen.declaresStandardPen, "Intuos S uses the vendor mirror page only")
        XCTAssertEqual(pen.application, HIDUsage(page: page, id: 0x01))
        XCTAssertEqual(pen.x.lengthMillimetres ?? 0, 152.0, accuracy: 1e-9)
        XCTAssertEqual(pen.y.lengthMillimetres ?? 0, 95.0, accuracy: 1e-9)
        XCTAssertEqual(pen.x.countsPerMillimetre ?? 0, 100.0, accuracy: 1e-9)
        XCTAssertEqual(pen.x.countsPerInch ?? 0, 2540.0, accuracy: 1e-6)
        XCTAssertEqual(pen.pressureLevels, 4096)
        XCTAssertNotNil(pen.tipSwitch)
        XCTAssertNotNil(pen.barrelSwitch)
        XCTAssertEqual(pen.inRange?.bitOffset, 5)
        XCTAssertEqual(pen.reportLength, 27)
        // Pressure has no unit, so its leaked physical range must not yield a physical value.
        let (pressureField, _) = try field(layout, .input, id: 16, usage: HIDUsage(page: page, id: 0x30))
        XCTAssertNil(pressureField.physicalValue(logical: 100))
    }

    func testDTH134PenReportsMatchHidTools() throws {
        let layout = try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.dth134Pen))
        // hid-tools 0.12, report 6: start=24/48/72/88/104/240 (minus 8 for the ID byte).
        try check(layout, id: 6, [
            Expected(usage: .tipSwitch, bitOffset: 8, bitSize: 1, logical: 0...1, physical: 0...0, unit: 0, exponent: 0),
            Expected(usage: .eraser, bitOffset: 12, bitSize: 1, logical: 0...1, physical: 0...0, unit: 0, exponent: 0),
            Expected(usage: .invert, bitOffset: 13, bitSize: 1, logical: 0...1, physical: 0...0, unit: 0, exponent: 0),
            Expected(usage: .inRange, bitOffset: 14, bitSize: 1, logical: 0...1, physical: 0...0, unit: 0, exponent: 0),
            Expected(usage: .x, bitOffset: 16, bitSize: 16, logical: 0...29376, physical: 0...29376, unit: 0x11, exponent: -3),
            Expected(usage: .y, bitOffset: 40, bitSize: 16, logical: 0...16524, physical: 0...16524, unit: 0x11, exponent: -3),
            Expected(usage: .tipPressure, bitOffset: 64, bitSize: 16, logical: 0...4095, physical: 0...0, unit: 0, exponent: 0),
            Expected(usage: .xTilt, bitOffset: 80, bitSize: 16, logical: -9000...9000, physical: -9000...9000, unit: 0x14, exponent: -2),
            Expected(usage: .yTilt, bitOffset: 96, bitSize: 16, logical: -9000...9000, physical: -9000...9000, unit: 0x14, exponent: -2),
            Expected(usage: HIDUsage(page: 0x0D, id: 0x56), bitOffset: 232, bitSize: 16, logical: 0...65535, physical: 0...0, unit: 0, exponent: 0),
        ])
        // Report 30: the vendor mirror, 24-bit X/Y, tilt -90..90 with exponent 0 (hid-tools 0.12).
        let vendor = HIDUsage.wacomVendorPage
        try check(layout, id: 30, [
            Expected(usage: HIDUsage(page: vendor, id: 0x130), bitOffset: 16, bitSize: 24, logical: 0...29376, physical: 0...29376, unit: 0x11, exponent: -3),
            Expected(usage: HIDUsage(page: vendor, id: 0x131), bitOffset: 40, bitSize: 24, logical: 0...16524, physical: 0...16524, unit: 0x11, exponent: -3),
            Expected(usage: HIDUsage(page: vendor, id: 0x30), bitOffset: 64, bitSize: 16, logical: 0...4095, physical: 0...0, unit: 0, exponent: 0),
            Expected(usage: HIDUsage(page: vendor, id: 0x3D), bitOffset: 80, bitSize: 16, logical: -90...90, physical: -90...90, unit: 0x14, exponent: 0),
        ])
        let all = HIDDigitizerCapabilities.all(in: layout)
        XCTAssertEqual(all.map(\.reportID), [6, 30], "standard report first, then the vendor mirror")
        let pen = try XCTUnwrap(HIDDigitizerCapabilities(layout: layout))
        XCTAssertEqual(pen.reportID, 6)
        XCTAssertTrue(pen.declaresStandardPen)
        XCTAssertEqual(pen.application, .pen)
        XCTAssertEqual(pen.x.lengthMillimetres ?? 0, 293.76, accuracy: 1e-9)
        XCTAssertEqual(pen.y.lengthMillimetres ?? 0, 165.24, accuracy: 1e-9)
        XCTAssertEqual(pen.y.countsPerMillimetre ?? 0, 100.0, accuracy: 1e-9)
        XCTAssertEqual(pen.pressureLevels, 4096)
        XCTAssertEqual(pen.xTilt?.logicalMinimum, -9000)
        XCTAssertNotNil(pen.eraser)
        // Physical tilt: 4500 counts x 10^-2 degrees = 45 degrees.
        let (tilt, _) = try field(layout, .input, id: 6, usage: .xTilt)
        XCTAssertEqual(tilt.physicalValue(logical: 4500) ?? 0, 45.0, accuracy: 1e-9)
        XCTAssertEqual(tilt.unit.description, "deg")
        XCTAssertEqual(tilt.unitFitsUsage, true)
    }

    func testDTH134TouchIsNotAPen() throws {
        let layout = try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.dth134Touch))
        // hid-tools 0.12, report 12 first contact: X start=48 size=16 lmax 11752 pmax 2938 unit 0x11 exp -2.
        try check(layout, id: 12, [
            Expected(usage: .x, bitOffset: 40, bitSize: 16, logical: 0...11752, physical: 0...2938, unit: 0x11, exponent: -2),
            Expected(usage: .y, bitOffset: 56, bitSize: 16, logical: 0...6608, physical: 0...1652, unit: 0x11, exponent: -2),
        ])
        let (x, element) = try field(layout, .input, id: 12, usage: .x)
        XCTAssertEqual(element, 0)
        XCTAssertTrue(layout.collections(of: x).contains { $0.usage == .finger })
        XCTAssertNil(HIDDigitizerCapabilities(layout: layout), "touch screens are not pens")
    }

    func testWritingPadPenReportMatchesHidTools() throws {
        let layout = try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.padPen))
        // hid-tools 0.12: start=16/32/48/64/72, unit 0x33 exp -3 leaking into pressure and tilt.
        try check(layout, id: 10, [
            Expected(usage: .x, bitOffset: 8, bitSize: 16, logical: 0...32767, physical: 0...2048, unit: 0x33, exponent: -3),
            Expected(usage: .y, bitOffset: 24, bitSize: 16, logical: 0...32767, physical: 0...2048, unit: 0x33, exponent: -3),
            Expected(usage: .tipPressure, bitOffset: 40, bitSize: 16, logical: 0...8191, physical: 0...2048, unit: 0x33, exponent: -3),
            Expected(usage: .xTilt, bitOffset: 56, bitSize: 8, logical: -127...127, physical: 0...2048, unit: 0x33, exponent: -3),
            Expected(usage: .yTilt, bitOffset: 64, bitSize: 8, logical: -127...127, physical: 0...2048, unit: 0x33, exponent: -3),
            Expected(usage: .inRange, bitOffset: 6, bitSize: 1, logical: 0...1, physical: 0...0, unit: 0, exponent: 0),
        ])
        // Report Count 6 over 4 usages: bits 3, 4 and 5 all carry Invert (hid-tools 0.12 agrees).
        let report = try XCTUnwrap(layout.report(.input, id: 10))
        let buttons = report.fields[0]
        XCTAssertEqual(buttons.count, 6)
        XCTAssertEqual((0..<6).map { buttons.usage(forElement: $0) },
                       [.tipSwitch, .barrelSwitch, .eraser, .invert, .invert, .invert])
        XCTAssertEqual(report.fields[2].isPadding, true)

        // The inherited inch unit fits X but not pressure or tilt, so those get no physical value.
        let (xField, _) = try field(layout, .input, id: 10, usage: .x)
        let (pressureField, _) = try field(layout, .input, id: 10, usage: .tipPressure)
        let (tiltField, _) = try field(layout, .input, id: 10, usage: .xTilt)
        XCTAssertEqual(xField.unitFitsUsage, true)
        XCTAssertEqual(pressureField.unitFitsUsage, false)
        XCTAssertEqual(tiltField.unitFitsUsage, false)
        XCTAssertEqual(xField.physicalValue(logical: 32767) ?? 0, 2.048, accuracy: 1e-12)  // inch
        XCTAssertNil(pressureField.physicalValue(logical: 4000))
        XCTAssertNil(tiltField.physicalValue(logical: 10))
        XCTAssertNil(report.fields[0].unitFitsUsage, "switches: no expectation")

        let pen = try XCTUnwrap(HIDDigitizerCapabilities(layout: layout))
        XCTAssertEqual(pen.reportID, 10)
        XCTAssertTrue(pen.declaresStandardPen)
        XCTAssertTrue(pen.x.unitQuirk, "unit 0x33 is inch cubed; read as inch")
        XCTAssertEqual(HIDUnit(rawValue: 0x33).description, "in³")
        // 2048 x 10^-3 inch = 52.0192 mm over 32767 counts.
        XCTAssertEqual(pen.x.lengthMillimetres ?? 0, 52.0192, accuracy: 1e-9)
        XCTAssertEqual(pen.x.countsPerInch ?? 0, 32767 / 2.048, accuracy: 1e-6)
        XCTAssertEqual(pen.pressureLevels, 8192)
        XCTAssertEqual(pen.xTilt?.logicalMinimum, -127)
    }

    func testWritingPadKeyboardAndVendorInterfaces() throws {
        let keyboard = try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.padKeyboard))
        let report = try XCTUnwrap(keyboard.report(.input, id: 3))
        XCTAssertEqual(report.fields.count, 2)
        XCTAssertEqual(report.fields[0].usage(forElement: 0), HIDUsage(page: 0x07, id: 0xE0))
        XCTAssertEqual(report.fields[0].usage(forElement: 7), HIDUsage(page: 0x07, id: 0xE7))
        let keys = report.fields[1]
        XCTAssertTrue(keys.isArray)
        XCTAssertEqual(keys.count, 6)
        XCTAssertEqual(keys.usages, [HIDUsageRange(first: HIDUsage(page: 0x07, id: 0), count: 256)])
        XCTAssertEqual(keys.logicalMaximum, 255)
        // Left Shift + keys a and b; zeros are "no event".
        let decoded = try keyboard.decode([3, 0x02, 0x04, 0x05, 0, 0, 0, 0])
        XCTAssertEqual(decoded.value(for: HIDUsage(page: 0x07, id: 0xE1)), .number(logical: 1, physical: nil))
        XCTAssertEqual(decoded.value(for: HIDUsage(page: 0x07, id: 0xE0)), .number(logical: 0, physical: nil))
        XCTAssertEqual(decoded.values.last?.value, .usages([HIDUsage(page: 0x07, id: 4), HIDUsage(page: 0x07, id: 5)]))

        let vendor = try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.padVendor))
        let blob = try XCTUnwrap(vendor.report(.input, id: 8)?.fields.first)
        XCTAssertEqual(blob.bitSize, 88)
        XCTAssertTrue(blob.isOpaque)
        XCTAssertEqual(blob.usage(forElement: 0), HIDUsage(page: 0xFF00, id: 1))
        let payload: [UInt8] = Array(1...11)
        XCTAssertEqual(try vendor.decode([8] + payload).values.first?.value, .bytes(payload))
        XCTAssertNil(HIDDigitizerCapabilities(layout: vendor))
    }

    func testPenDecodeOnFixtureLayouts() throws {
        // DTH134 report 6: tip + in range, X 14688, Y 8262, pressure 2048, tilt -4500 / 4500.
        let dth = try XCTUnwrap(HIDDigitizerCapabilities(layout: try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.dth134Pen))))
        var report = [UInt8](repeating: 0, count: 34)
        report[0] = 6
        report[1] = 1  // contact count
        report[2] = 0b0100_0001  // tip (bit 8), in range (bit 14)
        report[3] = 0x60; report[4] = 0x39  // X 0x3960 = 14688 at bit 16
        report[6] = 0x46; report[7] = 0x20  // Y 0x2046 = 8262 at bit 40
        report[9] = 0x00; report[10] = 0x08  // pressure 2048 at bit 64
        report[11] = 0x6C; report[12] = 0xEE  // X tilt -4500 at bit 80
        report[13] = 0x94; report[14] = 0x11  // Y tilt 4500 at bit 96
        let sample = try dth.decodePen(report)
        XCTAssertEqual(sample.x, 14688)
        XCTAssertEqual(sample.y, 8262)
        XCTAssertEqual(sample.xMillimetres ?? 0, 146.88, accuracy: 1e-9)
        XCTAssertEqual(sample.pressure, 2048)
        XCTAssertEqual(sample.normalizedPressure ?? 0, 2048.0 / 4095.0, accuracy: 1e-12)
        XCTAssertEqual(sample.xTilt, -4500)
        XCTAssertEqual(sample.yTilt, 4500)
        XCTAssertEqual(sample.state, .down)
        XCTAssertFalse(sample.eraser)

        // Intuos S report 16 hovering: in range (bit 5), no tip, X 24 bits.
        let intuos = try XCTUnwrap(HIDDigitizerCapabilities(layout: try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.intuosS))))
        var hover = [UInt8](repeating: 0, count: 27)
        hover[0] = 16
        hover[1] = 0b0010_0000
        hover[2] = 0x10; hover[3] = 0x27; hover[4] = 0x00  // X 10000
        hover[5] = 0x88; hover[6] = 0x13; hover[7] = 0x00  // Y 5000
        let hoverSample = try intuos.decodePen(hover)
        XCTAssertEqual(hoverSample.x, 10000)
        XCTAssertEqual(hoverSample.y, 5000)
        XCTAssertEqual(hoverSample.yMillimetres ?? 0, 50.0, accuracy: 1e-9)
        XCTAssertEqual(hoverSample.state, .hover)
        XCTAssertThrowsError(try intuos.decodePen(Array(hover.prefix(10)))) { error in
            XCTAssertEqual(error as? HIDDecodeError, HIDDecodeError(.shortReport(reportID: 16, expectedBytes: 26, actualBytes: 9)))
        }
        XCTAssertThrowsError(try intuos.decodePen([17] + hover.dropFirst())) { error in
            XCTAssertEqual(error as? HIDDecodeError, HIDDecodeError(.notPenReport(reportID: 17, expected: 16)))
        }
        // The generic decoder agrees with the typed one.
        let layout = try HIDReportLayout.parse(try HIDFixtures.load(HIDFixtures.intuosS))
        let generic = try layout.decode(hover)
        XCTAssertEqual(generic.logical(for: HIDUsage(page: 0xFF0D, id: 0x130)), 10000)
        XCTAssertEqual(generic.value(for: HIDUsage(page: 0xFF0D, id: 0x131))?.physical ?? 0, 5.0, accuracy: 1e-9)  // cm
    }
}
