import XCTest
@testable import HID

/// Every report and field of every non-empty fixture against hid-tools 0.12 (`HIDToolsReference.swift`).
final class HIDToolsCrossCheckTests: XCTestCase {
    /// Our layout in hid-tools' shape: one line per element, padding merged into one field, start
    /// counted from the ID byte, then run-length encoded exactly like the reference.
    func dump(_ layout: HIDReportLayout) -> [String] {
        var lines: [String] = []
        let base = layout.usesReportIDs ? 8 : 0
        for report in layout.reports {
            lines.append("  \(report.type) id=\(report.id) bits=\(report.bitLength + base)")
            var elements: [(start: Int, size: Int, count: Int, usage: String, rest: String)] = []
            for field in report.fields {
                let rest = "lmin=\(field.logicalMinimum) lmax=\(field.logicalMaximum) pmin=\(field.physicalMinimum) "
                    + "pmax=\(field.physicalMaximum) unit=0x\(String(field.unit.rawValue, radix: 16)) "
                    + "exp=\(field.unitExponent) flags=0x\(String(field.flags.rawValue, radix: 16))"
                if field.isArray && !field.isConstant {
                    elements.append((base + field.bitOffset, field.bitSize, field.count, "ARRAY", rest))
                } else if field.usages.isEmpty {
                    elements.append((base + field.bitOffset, field.totalBits, 1, "0x0", rest))
                } else {
                    for element in 0..<field.count {
                        let usage = field.usage(forElement: element).map { "0x" + String($0.extended, radix: 16) } ?? "?"
                        elements.append((base + field.bitOffset + element * field.bitSize, field.bitSize, 1, usage, rest))
                    }
                }
            }
            var index = 0
            while index < elements.count {
                let first = elements[index]
                var run = 1
                while index + run < elements.count {
                    let next = elements[index + run]
                    guard next.usage == first.usage, next.rest == first.rest, next.size == first.size,
                          next.count == first.count, next.start == first.start + run * first.size else { break }
                    run += 1
                }
                lines.append("    start=\(first.start) size=\(first.size) count=\(first.count) usage=\(first.usage) \(first.rest) x\(run)")
                index += run
            }
        }
        return lines
    }

    func testEveryFieldMatchesHidTools() throws {
        var expected: [String: [String]] = [:]
        var current = ""
        for line in hidToolsReferenceDump.split(separator: "\n").map(String.init) {
            if line.hasPrefix("FILE ") {
                current = String(line.split(separator: " ")[1])
                expected[current] = []
            } else {
                expected[current, default: []].append(line)
            }
        }
        XCTAssertEqual(expected.count, 6)
        var compared = 0
        for name in HIDFixtures.nonEmpty {
            let fileName = String(name.split(separator: "/").last ?? "")
            let reference = try XCTUnwrap(expected[fileName], fileName)
            let ours = dump(try HIDReportLayout.parse(try HIDFixtures.load(name)))
            XCTAssertEqual(ours.count, reference.count, "\(fileName): line count")
            for (line, (mine, theirs)) in zip(ours, reference).enumerated() where mine != theirs {
                XCTFail("\(fileName) line \(line + 1):\n ours:      \(mine)\n hid-tools: \(theirs)")
                break
            }
            compared += reference.count
        }
        XCTAssertEqual(compared, 486, "reference lines compared (6 FILE lines excluded)")
    }
}
