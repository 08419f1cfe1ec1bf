import Foundation
import XCTest

/// Locates `../shared/fixtures/hid` relative to the package root (derived from this file).
enum HIDFixtures {
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // HIDTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .deletingLastPathComponent()
            .appendingPathComponent("shared/fixtures/hid")
    }

    static let intuosS = "wacom-intuos-s-3rd-gen/0003:056A:0374.000A.hid.bin"
    static let dth134Pen = "wacom-dth134/0003:056A:03EC.0002.hid.bin"
    static let dth134Empty3 = "wacom-dth134/0003:056A:03EC.0003.hid.bin"
    static let dth134Empty4 = "wacom-dth134/0003:056A:03EC.0004.hid.bin"
    static let dth134Touch = "wacom-dth134/0003:056A:03EC.0005.hid.bin"
    static let padVendor = "penpower-remotego-writing-pad/0003:256C:5101.0002.hid.bin"
    static let padPen = "penpower-remotego-writing-pad/0003:256C:5101.0003.hid.bin"
    static let padKeyboard = "penpower-remotego-writing-pad/0003:256C:5101.0004.hid.bin"

    static let nonEmpty = [intuosS, dth134Pen, dth134Touch, padVendor, padPen, padKeyboard]

    /// The fixture's bytes; skips the test (with the reason) when `../shared` is absent.
    static func load(_ name: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("skipping: HID fixture \(name) not found under \(directory.path) (no ../shared checkout)")
            throw XCTSkip("HID fixture \(name) not found under \(directory.path)")
        }
        return Array(try Data(contentsOf: url))
    }
}
