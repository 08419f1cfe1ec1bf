import Foundation
import XCTest
@testable import HID

final class HIDSummaryTests: XCTestCase {
    func testWritingPadSummaryTextAndJSON() throws {
        let summary = try HIDDescriptorSummary(descriptor: try HIDFixtures.load(HIDFixtures.padPen))
        XCTAssertEqual(summary.descriptorLength, 93)
        XCTAssertEqual(summary.reports.count, 1)
        let report = summary.reports[0]
        XCTAssertEqual(report.type, "input")
        XCTAssertEqual(report.id, 10)
        XCTAssertEqual(report.bytes, 10)
        XCTAssertEqual(report.application?.name, "Pen")
        let x = try XCTUnwrap(report.fields.first { $0.usages.first?.name == "X" })
        XCTAssertEqual(x.usages.map(\.name), ["X", "Y"])
        XCTAssertEqual(x.physical, HIDDescriptorSummary.Range(minimum: 0, maximum: 2048))
        XCTAssertEqual(x.unit, "in³")
        XCTAssertEqual(x.collections, ["Application Digitizer:Stylus", "Application Digitizer:Pen"])
        // Repeats of the last usage are listed once.
        XCTAssertEqual(report.fields[0].usages.map(\.name), ["Tip Switch", "Barrel Switch", "Eraser", "Invert"])

        let digitizer = try XCTUnwrap(summary.digitizers.first)
        XCTAssertEqual(digitizer.reportID, 10)
        XCTAssertEqual(digitizer.pressureLevels, 8192)
        XCTAssertEqual(digitizer.x.countsPerMillimetre ?? 0, 32767 / 52.0192, accuracy: 1e-9)

        let text = summary.renderText()
        XCTAssertTrue(text.hasPrefix("HID report descriptor: 93 bytes, 1 report(s), report IDs used\n"), text)
        XCTAssertTrue(text.contains("input report 10: 72 bits, 10 bytes on the wire, application Digitizer:Pen"), text)
        XCTAssertTrue(text.contains("  bit 8: 2 x 16 bits Data,Var,Abs Generic Desktop:X, Generic Desktop:Y logical 0..32767 physical 0..2048 in³ x10^-3"), text)
        XCTAssertTrue(text.contains("  X: 0..32767, bit 8, 16 bits, 52.02 mm, 629.90 counts/mm (16000 lpi) [unit in³ read as a length]"), text)
        XCTAssertTrue(text.contains("  pressure: 0..8191 (8192 levels), bit 40, 16 bits"), text)
        XCTAssertTrue(text.contains("  tilt: X -127..127, Y -127..127"), text)
        XCTAssertTrue(text.contains("bit 7: 1 bit Cnst,Var,Abs (padding)"), text)
        // Pressure and tilt inherit X's inch unit and 0..2048: not shown as physical ranges.
        XCTAssertTrue(text.contains("  bit 40: 16 bits Data,Var,Abs Digitizer:Tip Pressure logical 0..8191\n"), text)
        XCTAssertTrue(text.contains("  bit 56: 2 x 8 bits Data,Var,Abs Digitizer:X Tilt, Digitizer:Y Tilt logical -127..127\n"), text)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(summary)
        XCTAssertEqual(try JSONDecoder().decode(HIDDescriptorSummary.self, from: json), summary)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(object["usesReportIDs"] as? Bool, true)
    }

    func testSummaryOfEveryFixtureRenders() throws {
        for name in HIDFixtures.nonEmpty {
            let summary = try HIDDescriptorSummary(descriptor: try HIDFixtures.load(name))
            let text = summary.renderText()
            XCTAssertFalse(text.isEmpty)
            if name == HIDFixtures.intuosS {
                XCTAssertTrue(text.contains("Pen digitizer: input report 16 (vendor page layout)"), text)
                XCTAssertTrue(text.contains("  X: 0..15200, bit 8, 24 bits, 152.00 mm, 100.00 counts/mm (2540 lpi)"), text)
            }
            if name == HIDFixtures.dth134Pen {
                XCTAssertTrue(text.contains("Pen digitizer: input report 6 (standard Digitizer page)"), text)
                XCTAssertTrue(text.contains("Also a pen report: input report 30 (vendor page layout)"), text)
            }
            if name == HIDFixtures.padKeyboard {
                XCTAssertTrue(text.contains("array of [Keyboard:No Event...Keyboard:0x00FF]"), text)
                XCTAssertTrue(text.contains("No pen digitizer report."), text)
            }
        }
    }

    func testUsageNames() {
        XCTAssertEqual(HIDUsage.tipSwitch.description, "Digitizer:Tip Switch")
        XCTAssertEqual(HIDUsage(page: 0xFF0D, id: 0x130).description, "Vendor 0xFF0D (Wacom):X (Wacom)")
        XCTAssertEqual(HIDUsage(page: 0xFF00, id: 0x01).description, "Vendor 0xFF00:0x0001")
        XCTAssertEqual(HIDUsage(page: 0x01, id: 0x30).hexString, "0x00010030")
        XCTAssertEqual(HIDUsage(extended: 0x000D_0042), .tipSwitch)
        XCTAssertEqual(HIDUsage(page: 0x07, id: 0x04).description, "Keyboard:Key a")
    }
}
