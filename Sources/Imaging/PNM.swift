import BioCapture

/// Netpbm greymaps and pixmaps: PGM (P5 binary, P2 ASCII) and PPM (P6 binary, P3 ASCII).
///
/// Reads maxval 1–65535: samples are scaled to 0–255 (rounded) unless maxval is 255; two-byte
/// big-endian samples when maxval > 255, as the format says. Comments (`#` to end of line) are
/// allowed between header fields. Writes P5 (grey) and P6 (RGB) with maxval 255.
public enum PNM {
    /// Decoding options.
    public struct DecodeOptions: Sendable, Hashable {
        public var color: DecodedColor
        public var maxPixels: Int

        public init(color: DecodedColor = .asStored, maxPixels: Int = ImageLimits.defaultMaxPixels) {
            self.color = color
            self.maxPixels = maxPixels
        }
    }

    /// Decodes P2, P3, P5 or P6 (grey for P2/P5, RGB for P3/P6).
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = .init()) throws(ImageCodecError) -> DecodedImage {
        guard options.maxPixels > 0 else {
            throw ImageCodecError(.invalidArgument, format: .pgm, "maxPixels must be positive")
        }
        guard bytes.count >= 2 else {
            if bytes.first == UInt8(ascii: "P") {
                throw ImageCodecError(.truncated, format: .pgm, "file ends inside the magic number", offset: bytes.count)
            }
            throw ImageCodecError(.unsupportedFormat, format: .pgm, "not a PGM/PPM file (no P2/P3/P5/P6 magic)", offset: 0)
        }
        let format: ImageFormat
        let binary: Bool
        switch (bytes[0], bytes[1]) {
        case (UInt8(ascii: "P"), UInt8(ascii: "5")): (format, binary) = (.pgm, true)
        case (UInt8(ascii: "P"), UInt8(ascii: "2")): (format, binary) = (.pgm, false)
        case (UInt8(ascii: "P"), UInt8(ascii: "6")): (format, binary) = (.ppm, true)
        case (UInt8(ascii: "P"), UInt8(ascii: "3")): (format, binary) = (.ppm, false)
        case (UInt8(ascii: "P"), UInt8(ascii: "1")), (UInt8(ascii: "P"), UInt8(ascii: "4")),
             (UInt8(ascii: "P"), UInt8(ascii: "7")):
            throw ImageCodecError(.unsupportedFeature, format: .pgm,
                                  "Netpbm type P\(Character(UnicodeScalar(bytes[1]))) is not supported (P2, P3, P5, P6 are)",
                                  offset: 0)
        default:
            throw ImageCodecError(.unsupportedFormat, format: .pgm, "not a PGM/PPM file (no P2/P3/P5/P6 magic)", offset: 0)
        }
        guard bytes.count > 2 else {
            throw ImageCodecError(.truncated, format: format, "file ends after the magic number", offset: 2)
        }
        guard isWhitespace(bytes[2]) || bytes[2] == UInt8(ascii: "#") else {
            throw ImageCodecError(.corrupt, format: format, "no whitespace after the magic number", offset: 2)
        }
        let channels = format == .pgm ? 1 : 3
        var scanner = Scanner(bytes: bytes, position: 2, format: format)
        let width = try scanner.headerNumber("width")
        let height = try scanner.headerNumber("height")
        let maxval = try scanner.headerNumber("maxval")
        guard width > 0, height > 0 else {
            throw ImageCodecError(.corrupt, format: format, "size \(width)x\(height) is not positive")
        }
        guard (1...65535).contains(maxval) else {
            throw ImageCodecError(.corrupt, format: format, "maxval \(maxval) is outside 1–65535")
        }
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixelCount <= options.maxPixels else {
            throw ImageCodecError(.tooLarge, format: format,
                                  "image claims \(width)x\(height) pixels, more than the cap of \(options.maxPixels)")
        }
        let sampleCount = pixelCount * channels
        var samples = [UInt8](repeating: 0, count: sampleCount)
        if binary {
            // Exactly one whitespace byte separates maxval from the raster.
            guard scanner.position < bytes.count, isWhitespace(bytes[scanner.position]) else {
                if scanner.position >= bytes.count {
                    throw ImageCodecError(.truncated, format: format, "file ends before the raster", offset: bytes.count)
                }
                throw ImageCodecError(.corrupt, format: format, "no whitespace after maxval", offset: scanner.position)
            }
            let start = scanner.position + 1
            let bytesPerSample = maxval > 255 ? 2 : 1
            let needed = sampleCount * bytesPerSample
            guard bytes.count - start >= needed else {
                throw ImageCodecError(.truncated, format: format,
                                      "raster needs \(needed) bytes from offset \(start), file has \(bytes.count - start)",
                                      offset: bytes.count)
            }
            var outOfRange: Int?
            for index in 0..<sampleCount {
                let value = bytesPerSample == 1
                    ? Int(bytes[start + index])
                    : Int(bytes[start + 2 * index]) << 8 | Int(bytes[start + 2 * index + 1])
                if value > maxval, outOfRange == nil { outOfRange = start + index * bytesPerSample }
                samples[index] = scale(min(value, maxval), maxval)
            }
            if let outOfRange {
                throw ImageCodecError(.corrupt, format: format, "sample exceeds maxval \(maxval)", offset: outOfRange)
            }
        } else {
            for index in 0..<sampleCount {
                let value = try scanner.rasterNumber()
                guard value <= maxval else {
                    throw ImageCodecError(.corrupt, format: format, "sample \(value) exceeds maxval \(maxval)",
                                          offset: scanner.position)
                }
                samples[index] = scale(value, maxval)
            }
        }
        return try DecodedImage.make(width: width, height: height, channels: channels, pixels: samples, format: format)
            .converted(to: options.color)
    }

    @inline(__always)
    static func scale(_ value: Int, _ maxval: Int) -> UInt8 {
        maxval == 255 ? UInt8(value) : UInt8((value * 255 + maxval / 2) / maxval)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// Reads whitespace-separated decimal numbers, skipping `#` comments.
    struct Scanner {
        let bytes: [UInt8]
        var position: Int
        let format: ImageFormat

        mutating func skipSeparators() {
            while position < bytes.count {
                if isWhitespace(bytes[position]) {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
                } else {
                    return
                }
            }
        }

        mutating func number(_ what: String) throws(ImageCodecError) -> Int {
            skipSeparators()
            guard position < bytes.count else {
                throw ImageCodecError(.truncated, format: format, "file ends before the \(what)", offset: bytes.count)
            }
            let start = position
            var value = 0
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) {
                value = value * 10 + Int(bytes[position] - 0x30)
                guard value <= 0x7FFF_FFFF else {
                    throw ImageCodecError(.corrupt, format: format, "\(what) is too large", offset: start)
                }
                position += 1
            }
            guard position > start else {
                throw ImageCodecError(.corrupt, format: format, "expected a decimal \(what)", offset: start)
            }
            return value
        }

        mutating func headerNumber(_ what: String) throws(ImageCodecError) -> Int {
            let value = try number(what)
            guard position < bytes.count else {
                throw ImageCodecError(.truncated, format: format, "file ends after the \(what)", offset: bytes.count)
            }
            guard isWhitespace(bytes[position]) || bytes[position] == UInt8(ascii: "#") else {
                throw ImageCodecError(.corrupt, format: format, "unexpected byte after the \(what)", offset: position)
            }
            return value
        }

        mutating func rasterNumber() throws(ImageCodecError) -> Int {
            try number("raster sample")
        }
    }

    /// Encodes a grey image as P5 (maxval 255).
    public static func encode(_ image: GrayImage) -> [UInt8] {
        Array("P5\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
    }

    /// Encodes an RGB image as P6 (maxval 255).
    public static func encode(_ image: RGBImage) -> [UInt8] {
        Array("P6\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
    }
}
