import BioCapture
import Foundation
import XCTest

@testable import Imaging

/// Test-side encoders written independently of the module, so a bug in the module's encoder cannot
/// hide the same bug in its decoder.
enum TestPNG {
    /// CRC-32 (ISO 3309, polynomial 0xEDB88320) computed bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    /// A zlib stream made of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8], blockSize: Int = 65535) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(data.count, start + blockSize)
            let length = UInt16(end - start)
            output.append(end == data.count ? 1 : 0)
            output += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            output += data[start..<end]
            start = end
        } while start < data.count
        output += bigEndian(adler32(data))
        return output
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    static func ihdr(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, interlace: UInt8 = 0,
                     compression: UInt8 = 0, filterMethod: UInt8 = 0) -> [UInt8]
    {
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height))
            + [bitDepth, colorType, compression, filterMethod, interlace])
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// Applies the PNG filter of each row (`filters[row % count]`) to raw rows with `bpp` bytes per
    /// complete pixel (at least 1).
    static func filter(rows: [[UInt8]], bpp: Int, filters: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        for (r, row) in rows.enumerated() {
            let type = filters[r % filters.count]
            let prior = r > 0 ? rows[r - 1] : [UInt8](repeating: 0, count: row.count)
            output.append(type)
            for i in 0..<row.count {
                let a = i >= bpp ? Int(row[i - bpp]) : 0
                let b = Int(prior[i])
                let c = i >= bpp ? Int(prior[i - bpp]) : 0
                let predicted: Int
                switch type {
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4: predicted = paeth(a, b, c)
                default: predicted = 0
                }
                output.append(UInt8(truncatingIfNeeded: Int(row[i]) - predicted))
            }
        }
        return output
    }

    /// A complete PNG from raw (unfiltered) rows.
    static func make(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]], bpp: Int,
                     filters: [UInt8], palette: [UInt8]? = nil, idatSplit: Int? = nil,
                     extraChunks: [[UInt8]] = []) -> [UInt8]
    {
        var png = signature + ihdr(width: width, height: height, bitDepth: bitDepth, colorType: colorType)
        for extra in extraChunks { png += extra }
        if let palette { png += chunk("PLTE", palette) }
        let stream = zlibStored(filter(rows: rows, bpp: bpp, filters: filters))
        if let idatSplit {
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + idatSplit)
                png += chunk("IDAT", Array(stream[start..<end]))
                start = end
            }
        } else {
            png += chunk("IDAT", stream)
        }
        png += chunk("IEND", [])
        return png
    }
}

enum Synthetic {
    /// A smooth gradient with a deterministic texture: compresses like a photo, not like noise.
    static func gray(width: Int, height: Int, seed: UInt32 = 1) -> GrayImage {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 1_664_525 &+ 1_013_904_223
                let base = x * 200 / max(1, width - 1) + y * 55 / max(1, height - 1)
                let ripple = Int((sin(Double(x) / 7) + cos(Double(y) / 5)) * 10)
                pixels[y * width + x] = UInt8(clamping: base + ripple + Int(state >> 29))
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels) ?? GrayImage(width: width, height: height)
    }

    static func rgb(width: Int, height: Int, seed: UInt32 = 1) -> RGBImage {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 1_664_525 &+ 1_013_904_223
                let base = (y * width + x) * 3
                pixels[base] = UInt8(clamping: x * 255 / max(1, width - 1) + Int(state >> 30))
                pixels[base + 1] = UInt8(clamping: y * 255 / max(1, height - 1))
                pixels[base + 2] = UInt8(clamping: 128 + Int(sin(Double(x + y) / 9) * 100))
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels) ?? RGBImage(width: width, height: height)
    }

    /// Deterministic pseudo-random bytes.
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }
}

/// Largest absolute per-sample difference and the mean absolute difference.
func differences(_ a: [UInt8], _ b: [UInt8]) -> (max: Int, mean: Double) {
    guard a.count == b.count else { return (Int.max, .infinity) }
    var maximum = 0
    var total = 0
    for index in 0..<a.count {
        let difference = abs(Int(a[index]) - Int(b[index]))
        maximum = max(maximum, difference)
        total += difference
    }
    return (maximum, Double(total) / Double(max(1, a.count)))
}

/// Runs `body` and returns the codec error it throws, failing the test when it does not throw.
func expectCodecError<T>(_ body: () throws(ImageCodecError) -> T, _ message: String = "",
                         file: StaticString = #filePath, line: UInt = #line) -> ImageCodecError?
{
    do {
        _ = try body()
        XCTFail("expected an ImageCodecError \(message)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// `../shared` next to the package root, or nil (tests then skip with a printed reason).
func sharedDirectory() -> URL? {
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: shared.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        return nil
    }
    return shared
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
