import Foundation
import XCTest

/// Locates the shared fixtures (`../shared` next to the package root) and decodes them.
enum DescriptorFixtures {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var sharedDirectory: URL { packageRoot.deletingLastPathComponent().appendingPathComponent("shared") }

    /// The shared directory, or an XCTSkip with the reason when it is absent (a user's clone).
    static func shared() throws -> URL {
        let directory = sharedDirectory
        guard FileManager.default.fileExists(atPath: directory.path) else {
            let reason = "\(directory.path) is absent: shared fixtures are not available in this checkout"
            print("skipping: \(reason)")
            throw XCTSkip(reason)
        }
        return directory
    }

    static func file(_ relativePath: String) throws -> [UInt8] {
        let url = try shared().appendingPathComponent(relativePath)
        return [UInt8](try Data(contentsOf: url))
    }

    /// The bytes of the first `H: descriptors=` line of the first paragraph of a umockdev
    /// device file (or of any text holding such a line).
    static func umockdevDescriptors(_ relativePath: String, firstParagraphOnly: Bool = true) throws -> [UInt8] {
        let url = try shared().appendingPathComponent(relativePath)
        let text = try String(contentsOf: url, encoding: .utf8)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if firstParagraphOnly && line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            if line.hasPrefix("H: descriptors=") {
                return try XCTUnwrap(bytes(hex: String(line.dropFirst("H: descriptors=".count))), "bad hex in \(relativePath)")
            }
        }
        XCTFail("no H: descriptors= line in \(relativePath)")
        return []
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.filter { !$0.isWhitespace })
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else { return nil }
            result.append(byte)
            index += 2
        }
        return result
    }

    /// The example device of testing-with-umockdev.md section 2.
    static func exampleDevice() throws -> [UInt8] {
        try umockdevDescriptors("hardware-facts/testing-with-umockdev.md", firstParagraphOnly: false)
    }

    /// Every sysfs-order fixture, by name.
    static func allSysfsFixtures() throws -> [(name: String, bytes: [UInt8])] {
        [
            ("example", try exampleDevice()),
            ("uru4000-msv2", try umockdevDescriptors("fixtures/libfprint/uru4000-msv2/device")),
            ("nb1010", try umockdevDescriptors("fixtures/libfprint/nb1010/device")),
            ("upektc_img-tcs1s", try umockdevDescriptors("fixtures/libfprint/upektc_img-tcs1s/device")),
            ("logitech_c270", try file("fixtures/uvc/logitech_c270.descriptors.bin")),
            ("malicious", try file("fixtures/uvc/malicious_huge_frame_interval_type.descriptors.bin")),
        ]
    }
}

/// A small deterministic generator (xorshift64*) so mutation tests are reproducible.
struct MutationRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
