import Foundation
import HID

/// HID benchmarks: report-descriptor parsing over the real fixtures and pen-report decoding.
let hidBenchmarks: [Benchmark] = [
    Benchmark(name: "hid.descriptor-parse") {
        let descriptors = HIDBenchmarkData.descriptors()
        let rounds = 200
        var parsed = 0
        let seconds = try medianSeconds(runs: 5) {
            for _ in 0..<rounds {
                for descriptor in descriptors.map(\.bytes) { parsed &+= try HIDReportLayout.parse(descriptor).reports.count }
            }
        }
        guard parsed > 0 else { throw HIDBenchmarkData.Failure(message: "no reports parsed") }
        let count = Double(rounds * descriptors.count)
        let bytes = Double(rounds * descriptors.reduce(0) { $0 + $1.bytes.count })
        return [
            BenchmarkFigure(name: "hid.descriptor-parse", unit: "descriptors/s", value: count / seconds, runs: 5),
            BenchmarkFigure(name: "hid.descriptor-parse.throughput", unit: "MB/s", value: bytes / seconds / 1e6, runs: 5),
        ]
    },
    Benchmark(name: "hid.pen-decode") {
        let (layout, reports) = try HIDBenchmarkData.penReports()
        guard let pen = HIDDigitizerCapabilities(layout: layout) else {
            throw HIDBenchmarkData.Failure(message: "pen descriptor has no pen report")
        }
        let rounds = 50
        var checksum: Int64 = 0
        let typed = try medianSeconds(runs: 5) {
            for _ in 0..<rounds {
                for report in reports { checksum &+= try pen.decodePen(report).x }
            }
        }
        let generic = try medianSeconds(runs: 5) {
            for _ in 0..<rounds / 10 {
                for report in reports { checksum &+= Int64(try layout.decode(report).values.count) }
            }
        }
        guard checksum != 0 else { throw HIDBenchmarkData.Failure(message: "decoded nothing") }
        let count = Double(rounds * reports.count)
        return [
            BenchmarkFigure(name: "hid.pen-decode.typed", unit: "reports/s", value: count / typed, runs: 5),
            BenchmarkFigure(name: "hid.pen-decode.generic", unit: "reports/s", value: count / 10 / generic, runs: 5),
        ]
    },
]

enum HIDBenchmarkData {
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// `../shared/fixtures/hid` next to the package root, found from this source file.
    static var fixtureDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/hid")
    }

    static let fixtureNames = [
        "wacom-intuos-s-3rd-gen/0003:056A:0374.000A.hid.bin",
        "wacom-dth134/0003:056A:03EC.0002.hid.bin",
        "wacom-dth134/0003:056A:03EC.0005.hid.bin",
        "penpower-remotego-writing-pad/0003:256C:5101.0002.hid.bin",
        "penpower-remotego-writing-pad/0003:256C:5101.0003.hid.bin",
        "penpower-remotego-writing-pad/0003:256C:5101.0004.hid.bin",
    ]

    /// A small pen descriptor of our own for machines without the shared fixtures:
    /// report 2, tip + in range, X/Y 16 bits, pressure 16 bits.
    static let builtInPen: [UInt8] = [
        0x05, 0x0D, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02, 0x09, 0x20, 0xA1, 0x00,
        0x09, 0x42, 0x09, 0x32, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x02, 0x81, 0x02, 0x95, 0x06, 0x81, 0x03,
        0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x26, 0xFF, 0x7F, 0x75, 0x10, 0x95, 0x02, 0x81, 0x02,
        0x05, 0x0D, 0x09, 0x30, 0x26, 0xFF, 0x03, 0x75, 0x10, 0x95, 0x01, 0x81, 0x02,
        0xC0, 0xC0,
    ]

    static func descriptors() -> [(name: String, bytes: [UInt8])] {
        let found = fixtureNames.compactMap { name -> (String, [UInt8])? in
            guard let data = FileManager.default.contents(atPath: fixtureDirectory.appendingPathComponent(name).path) else { return nil }
            return (name, Array(data))
        }
        return found.isEmpty ? [("built-in pen", builtInPen)] : found
    }

    /// 1,000 pen reports of a moving, pressing pen for the DTH-134 pen descriptor (or the built-in one).
    static func penReports() throws -> (HIDReportLayout, [[UInt8]]) {
        let source = descriptors().first { $0.name.contains("03EC.0002") }?.bytes ?? builtInPen
        let layout = try HIDReportLayout.parse(source)
        guard let pen = HIDDigitizerCapabilities(layout: layout) else { throw Failure(message: "no pen report") }
        var reports: [[UInt8]] = []
        for step in 0..<1000 {
            var report = [UInt8](repeating: 0, count: pen.reportLength)
            if pen.usesReportIDs { report[0] = pen.reportID }
            let base = pen.usesReportIDs ? 1 : 0
            func put(_ location: HIDFieldLocation?, _ value: Int64) {
                guard let location else { return }
                for bit in 0..<location.bitSize where (value >> Int64(bit)) & 1 == 1 {
                    let position = location.bitOffset + bit
                    report[base + position / 8] |= UInt8(1) << UInt8(position % 8)
                }
            }
            put(pen.tipSwitch, step % 7 == 0 ? 0 : 1)
            put(pen.inRange, 1)
            put(pen.x.location, Int64(step * 13) % (pen.x.logicalMaximum + 1))
            put(pen.y.location, Int64(step * 7) % (pen.y.logicalMaximum + 1))
            put(pen.pressure, Int64(step) % ((pen.pressure?.logicalMaximum ?? 0) + 1))
            reports.append(report)
        }
        return (layout, reports)
    }
}
