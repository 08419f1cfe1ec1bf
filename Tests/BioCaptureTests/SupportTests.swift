import BioCapture
import XCTest

final class SupportTests: XCTestCase {
    func testSeededRandomIsDeterministicAndSpread() {
        var first = SeededRandom(seed: 42)
        var second = SeededRandom(seed: 42)
        var other = SeededRandom(seed: 43)
        let a = (0..<100).map { _ in first.next() }
        XCTAssertEqual(a, (0..<100).map { _ in second.next() })
        XCTAssertNotEqual(a, (0..<100).map { _ in other.next() })
        var generator = SeededRandom(seed: 7)
        let units = (0..<10_000).map { _ in generator.unit() }
        XCTAssertTrue(units.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = units.reduce(0, +) / Double(units.count)
        XCTAssertEqual(mean, 0.5, accuracy: 0.02)
        let normals = (0..<10_000).map { _ in generator.gaussian(mean: 10, deviation: 2) }
        XCTAssertEqual(normals.reduce(0, +) / Double(normals.count), 10, accuracy: 0.1)
    }

    func testDeadlineCancelsASlowOperation() async {
        let clock = SystemCaptureClock()
        do {
            _ = try await clock.withDeadline(.milliseconds(50), fault: CaptureFault(.timeout)) {
                try await Task.sleep(for: .seconds(30))
                return 1
            }
            XCTFail("the deadline did not fire")
        } catch let fault as CaptureFault {
            XCTAssertEqual(fault.code, .timeout)
        } catch {
            XCTFail("unexpected \(error)")
        }
    }

    func testDeadlinePassesAFastResult() async throws {
        let value = try await SystemCaptureClock().withDeadline(.seconds(5), fault: CaptureFault(.timeout)) { 7 }
        XCTAssertEqual(value, 7)
    }

    func testImagesValidateTheirSize() throws {
        XCTAssertNil(GrayImage(width: 2, height: 2, pixels: [1, 2, 3]))
        XCTAssertNil(GrayImage(width: 0, height: 2, pixels: []))
        XCTAssertNil(RGBImage(width: 1, height: 1, pixels: [1, 2]))
        var image = try XCTUnwrap(GrayImage(width: 2, height: 2, pixels: [0, 50, 100, 250]))
        XCTAssertEqual(image[1, 1], 250)
        image[0, 1] = 10
        XCTAssertEqual(image.pixels, [0, 50, 10, 250])
        XCTAssertEqual(image.mean, 77.5)
        let rgb = image.rgb()
        XCTAssertEqual(rgb[1, 0].green, 50)
        XCTAssertEqual(rgb.grayscale(), image)
    }

    func testControlSetupBytesRoundTrip() throws {
        let setup = USBControlSetup(
            requestType: USBControlSetup.requestType(deviceToHost: true, kind: .vendor, recipient: .device),
            request: 0x04, value: 0x1234, index: 0xABCD, length: 64)
        XCTAssertEqual(setup.bytes, [0xC0, 0x04, 0x34, 0x12, 0xCD, 0xAB, 0x40, 0x00])
        XCTAssertTrue(setup.isDeviceToHost)
        XCTAssertEqual(USBControlSetup(bytes: setup.bytes), setup)
        XCTAssertNil(USBControlSetup(bytes: [1, 2, 3]))
    }
}
