import Foundation
import XCTest

final class DescribeCommandTests: XCTestCase {
    static let exampleGolden = """
        Device 1209:0001
          USB version:     2.00
          device class:    00/00/00 (Defined per interface)
          device version:  1.00
          EP0 max packet:  64
          string indexes:  manufacturer 1, product 2, serial 3
          configurations:  1
        Configuration 1: 39 bytes, 1 interface, bus-powered, max power 100 mA, string 0
          Interface 0 alternate setting 0: class ff/00/00 (Vendor Specific), 3 endpoints, string 0
            Endpoint 0x81 IN  bulk, max packet 64, interval 0
            Endpoint 0x01 OUT bulk, max packet 64, interval 0
            Endpoint 0x82 IN  interrupt, max packet 8, interval 10
        Driver: no BioCapture driver claims this device

        """

    private func write(_ bytes: [UInt8], name: String = "descriptors") throws -> String {
        let url = try CLIRunner.temporaryDirectory(self).appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func testExampleDeviceGoldenText() throws {
        let result = try CLIRunner.run(["describe", "--descriptors", write(exampleDeviceBytes)])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, Self.exampleGolden)
        XCTAssertEqual(result.stderr, "")
    }

    func testExampleDeviceFromTheFactsFileGivesTheSameText() throws {
        let text = try String(contentsOf: CLIRunner.shared().appendingPathComponent("hardware-facts/testing-with-umockdev.md"), encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("H: descriptors=") })
        let hex = Array(line.dropFirst("H: descriptors=".count))
        let bytes = stride(from: 0, to: hex.count - 1, by: 2).compactMap { UInt8(String(hex[$0...$0 + 1]), radix: 16) }
        let result = try CLIRunner.run(["describe", "--descriptors", write(bytes)])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, Self.exampleGolden)
    }

    func testJSONHasTheDocumentedKeysAndValues() throws {
        let result = try CLIRunner.run(["describe", "--json", "--descriptors", write(exampleDeviceBytes)])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try CLIRunner.jsonObject(result.stdout)
        XCTAssertEqual(Set(json.keys), ["device", "configurations", "driver", "warnings"])
        XCTAssertTrue(json["driver"] is NSNull, "driver must be an explicit null")
        let device = try XCTUnwrap(json["device"] as? [String: Any])
        XCTAssertEqual(device["id"] as? String, "1209:0001")
        XCTAssertEqual(device["usbVersion"] as? String, "2.00")
        XCTAssertEqual(device["deviceVersion"] as? String, "1.00")
        XCTAssertEqual(device["serialNumberStringIndex"] as? Int, 3)
        let configuration = try XCTUnwrap((json["configurations"] as? [[String: Any]])?.first)
        XCTAssertEqual(configuration["totalLength"] as? Int, 39)
        XCTAssertEqual(configuration["maxPowerMilliamps"] as? Int, 100)
        let setting = try XCTUnwrap(((configuration["interfaces"] as? [[String: Any]])?.first?["alternateSettings"] as? [[String: Any]])?.first)
        XCTAssertEqual(setting["className"] as? String, "Vendor Specific")
        let endpoints = try XCTUnwrap(setting["endpoints"] as? [[String: Any]])
        XCTAssertEqual(endpoints.compactMap { $0["address"] as? String }, ["0x81", "0x01", "0x82"])
        XCTAssertEqual(endpoints.compactMap { $0["transferType"] as? String }, ["bulk", "bulk", "interrupt"])
        XCTAssertEqual(endpoints.compactMap { $0["direction"] as? String }, ["in", "out", "in"])
        XCTAssertEqual(endpoints.last?["interval"] as? Int, 10)
        // Sorted keys: "configurations" precedes "device" in the text.
        let configurationsIndex = try XCTUnwrap(result.stdout.range(of: "\"configurations\""))
        let deviceIndex = try XCTUnwrap(result.stdout.range(of: "\"device\""))
        XCTAssertLessThan(configurationsIndex.lowerBound, deviceIndex.lowerBound)
    }

    func testTruncatedFilesFailWithTheOffset() throws {
        for length in [0, 1, 10, 17, 18, 20, 30, 45, 56] {
            let result = try CLIRunner.run(["describe", "--descriptors", write(Array(exampleDeviceBytes.prefix(length)), name: "cut\(length)")])
            XCTAssertEqual(result.status, 65, "length \(length): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("offset"), "length \(length): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "length \(length)")
        }
        let cut = try CLIRunner.run(["describe", "--descriptors", write(Array(exampleDeviceBytes.prefix(45)))])
        XCTAssertTrue(cut.stderr.contains("truncated configuration descriptor at offset 18: wTotalLength 39 but only 27 bytes remain"), cut.stderr)
    }

    func testMissingFileIsReportedWithItsOwnStatus() throws {
        let path = try CLIRunner.temporaryDirectory(self).appendingPathComponent("absent.bin").path
        let result = try CLIRunner.run(["describe", "--descriptors", path])
        XCTAssertEqual(result.status, 66)
        XCTAssertTrue(result.stderr.contains("cannot read \(path): no such file"), result.stderr)
    }

    func testSharedFixturesDescribeOrFailCleanly() throws {
        let uvc = try CLIRunner.shared().appendingPathComponent("fixtures/uvc")
        let c270 = try CLIRunner.run(["describe", "--json", "--descriptors", uvc.appendingPathComponent("logitech_c270.descriptors.bin").path])
        XCTAssertEqual(c270.status, 0, c270.stderr)
        let json = try CLIRunner.jsonObject(c270.stdout)
        let configuration = try XCTUnwrap((json["configurations"] as? [[String: Any]])?.first)
        XCTAssertEqual((configuration["interfaces"] as? [Any])?.count, 4)
        XCTAssertEqual((configuration["extra"] as? [[String: Any]])?.first?["typeName"] as? String, "interface association")

        let malicious = try CLIRunner.run(["describe", "--descriptors", uvc.appendingPathComponent("malicious_huge_frame_interval_type.descriptors.bin").path])
        XCTAssertEqual(malicious.status, 0, malicious.stderr)
        XCTAssertTrue(malicious.stdout.contains("Interface 1 alternate setting 0: class 0e/02/00 (Video)"), malicious.stdout)

        let configurationOnly = try CLIRunner.run(["describe", "--descriptors", uvc.appendingPathComponent("malicious_huge_frame_interval_type.config.bin").path])
        XCTAssertEqual(configurationOnly.status, 65)
        XCTAssertTrue(configurationOnly.stderr.contains("at offset 0"), configurationOnly.stderr)
    }
}
