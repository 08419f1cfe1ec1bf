import BioCapture
import CZlib

/// PNG reading and writing (zlib from the `CZlib` system library; the PNG structure is parsed here).
///
/// Reads: bit depths 1–16 of greyscale, RGB, palette, grey+alpha and RGBA; alpha is dropped and
/// 16-bit samples are scaled to 8 bits (rounded). Greyscale and grey+alpha decode to a grey image,
/// everything else to RGB. Every chunk's CRC is checked, IHDR is validated, all five filter types
/// are undone, interlaced (Adam7) images are de-interlaced.
///
/// Writes: 8-bit greyscale and 8-bit RGB, non-interlaced.
public enum PNG {
    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Decoding options.
    public struct DecodeOptions: Sendable, Hashable {
        public var color: DecodedColor
        /// Images whose IHDR claims more pixels are refused before anything is inflated.
        public var maxPixels: Int
        /// Check every chunk's CRC (the default). Turn off only to salvage a damaged file or to let a
        /// fuzzer reach the code behind the CRC check.
        public var verifyCRC: Bool

        public init(color: DecodedColor = .asStored, maxPixels: Int = ImageLimits.defaultMaxPixels, verifyCRC: Bool = true) {
            self.color = color
            self.maxPixels = maxPixels
            self.verifyCRC = verifyCRC
        }
    }

    /// The row filters of PNG (filter method 0).
    public enum FilterType: UInt8, Sendable, Hashable, CaseIterable {
        case none = 0, sub = 1, up = 2, average = 3, paeth = 4
    }

    /// How the encoder picks each row's filter.
    public enum FilterStrategy: Sendable, Hashable {
        /// Per row, the filter whose output has the smallest sum of absolute (signed) bytes: the
        /// usual heuristic, good for photographs and fingerprints alike.
        case adaptive
        /// The same filter on every row.
        case fixed(FilterType)
    }

    /// Encoding options.
    public struct EncodeOptions: Sendable, Hashable {
        public var filter: FilterStrategy
        /// zlib level 0 (stored) to 9 (smallest).
        public var compressionLevel: Int

        public init(filter: FilterStrategy = .adaptive, compressionLevel: Int = 6) {
            self.filter = filter
            self.compressionLevel = compressionLevel
        }
    }

    /// Decoded header fields.
    struct Header {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colorType: Int
        var interlaced: Bool

        var samplesPerPixel: Int {
            switch colorType {
            case 0, 3: 1
            case 4: 2
            case 2: 3
            default: 4
            }
        }

        var bitsPerPixel: Int { samplesPerPixel * bitDepth }
        var rowBytes: Int { (width * bitsPerPixel + 7) / 8 }
        /// Distance in bytes to the corresponding byte of the previous pixel (at least 1).
        var filterStride: Int { max(1, bitsPerPixel / 8) }

        /// The reduced images stored one after the other: the whole image, or Adam7's seven passes
        /// (empty passes of small images carry no bytes at all, not even filter bytes).
        var passes: [Pass] {
            guard interlaced else { return [Pass(x0: 0, y0: 0, dx: 1, dy: 1, width: width, height: height)] }
            let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            return adam7.compactMap { x0, y0, dx, dy in
                let passWidth = width > x0 ? (width - x0 + dx - 1) / dx : 0
                let passHeight = height > y0 ? (height - y0 + dy - 1) / dy : 0
                guard passWidth > 0, passHeight > 0 else { return nil }
                return Pass(x0: x0, y0: y0, dx: dx, dy: dy, width: passWidth, height: passHeight)
            }
        }

        /// The header of one pass's reduced image.
        func reduced(to pass: Pass) -> Header {
            Header(width: pass.width, height: pass.height, bitDepth: bitDepth, colorType: colorType, interlaced: false)
        }

        /// Bytes of filtered data for all passes together.
        var filteredSize: Int? {
            var total = 0
            for pass in passes {
                let (rows, overflow) = pass.height.multipliedReportingOverflow(by: reduced(to: pass).rowBytes + 1)
                guard !overflow, total.addingReportingOverflow(rows).overflow == false else { return nil }
                total += rows
            }
            return total
        }
    }

    /// Where a reduced image's pixels go: pixel (x, y) of the pass is (x0 + x·dx, y0 + y·dy).
    struct Pass {
        var x0: Int, y0: Int, dx: Int, dy: Int, width: Int, height: Int
    }

    // MARK: - Decoding

    /// Decodes a PNG. Throws `.unsupportedFormat` (no signature), `.truncated`, `.corrupt`
    /// (bad CRC, bad IHDR, bad filter, bad zlib data…), `.tooLarge` or `.unsupportedFeature`.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = .init()) throws(ImageCodecError) -> DecodedImage {
        guard options.maxPixels > 0 else {
            throw ImageCodecError(.invalidArgument, format: .png, "maxPixels must be positive")
        }
        let prefix = min(bytes.count, 8)
        guard bytes[0..<prefix].elementsEqual(signature[0..<prefix]) else {
            throw ImageCodecError(.unsupportedFormat, format: .png, "missing the PNG signature", offset: 0)
        }
        guard bytes.count >= 8 else {
            throw ImageCodecError(.truncated, format: .png, "file ends inside the signature", offset: bytes.count)
        }

        var header: Header?
        var palette: [UInt8] = []
        var inflater: Inflater?
        var idatState = 0  // 0 before IDAT, 1 in the IDAT run, 2 after it
        var sawEnd = false
        var position = 8
        while position < bytes.count {
            guard bytes.count - position >= 8 else {
                throw ImageCodecError(.truncated, format: .png, "file ends inside a chunk header", offset: bytes.count)
            }
            let length = Int(readUInt32(bytes, position))
            let typeBytes = Array(bytes[(position + 4)..<(position + 8)])
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= 0x7FFF_FFFF else {
                throw ImageCodecError(.corrupt, format: .png, "chunk length \(length) exceeds 2^31-1", offset: position)
            }
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw ImageCodecError(.corrupt, format: .png, "chunk type is not four letters", offset: position + 4)
            }
            let dataStart = position + 8
            guard bytes.count - dataStart >= length + 4 else {
                throw ImageCodecError(.truncated, format: .png,
                                      "file ends inside chunk \(type) (needs \(length + 12) bytes from offset \(position))",
                                      offset: bytes.count)
            }
            let crcOffset = dataStart + length
            let storedCRC = readUInt32(bytes, crcOffset)
            let computedCRC = bytes.withUnsafeBufferPointer { buffer in
                UInt32(truncatingIfNeeded: crc32(0, buffer.baseAddress.map { $0 + position + 4 }, UInt32(length + 4)))
            }
            guard storedCRC == computedCRC || !options.verifyCRC else {
                throw ImageCodecError(.corrupt, format: .png,
                                      "CRC mismatch in chunk \(type): stored \(hex(storedCRC)), computed \(hex(computedCRC))",
                                      offset: crcOffset)
            }
            let data = bytes[dataStart..<crcOffset]

            if header == nil, type != "IHDR" {
                throw ImageCodecError(.corrupt, format: .png, "first chunk is \(type), not IHDR", offset: position)
            }
            if idatState == 1, type != "IDAT" { idatState = 2 }
            switch type {
            case "IHDR":
                guard header == nil else {
                    throw ImageCodecError(.corrupt, format: .png, "second IHDR chunk", offset: position)
                }
                let parsed = try parseHeader(data, offset: dataStart, maxPixels: options.maxPixels)
                header = parsed
            case "PLTE":
                guard let header, idatState == 0, palette.isEmpty else {
                    throw ImageCodecError(.corrupt, format: .png, "PLTE chunk out of place", offset: position)
                }
                guard length % 3 == 0, (3...768).contains(length) else {
                    throw ImageCodecError(.corrupt, format: .png, "PLTE length \(length) is not 3–768 and a multiple of 3",
                                          offset: position)
                }
                guard header.colorType != 0, header.colorType != 4 else {
                    throw ImageCodecError(.corrupt, format: .png, "PLTE chunk in a greyscale image", offset: position)
                }
                palette = Array(data)
            case "IDAT":
                guard let header else { break }
                guard idatState != 2 else {
                    throw ImageCodecError(.corrupt, format: .png, "IDAT chunks are not consecutive", offset: position)
                }
                if header.colorType == 3, palette.isEmpty {
                    throw ImageCodecError(.corrupt, format: .png, "palette image without PLTE before IDAT", offset: position)
                }
                if inflater == nil {
                    guard let size = header.filteredSize else {
                        throw ImageCodecError(.tooLarge, format: .png, "image data size overflows", offset: position)
                    }
                    inflater = try Inflater(expectedSize: size)
                }
                idatState = 1
                try inflater?.feed(bytes, range: dataStart..<crcOffset)
            case "IEND":
                sawEnd = true
            default:
                // Ancillary chunks (first letter lower case) may be skipped; critical ones may not.
                if typeBytes[0] & 0x20 == 0 {
                    throw ImageCodecError(.unsupportedFeature, format: .png, "unknown critical chunk \(type)",
                                          offset: position)
                }
            }
            position = crcOffset + 4
            if sawEnd { break }
        }

        guard let header else {
            throw ImageCodecError(.truncated, format: .png, "file ends before the IHDR chunk", offset: bytes.count)
        }
        guard let inflater else {
            if sawEnd { throw ImageCodecError(.corrupt, format: .png, "no IDAT chunk", offset: position) }
            throw ImageCodecError(.truncated, format: .png, "file ends before the image data", offset: bytes.count)
        }
        guard inflater.finished else {
            if sawEnd {
                throw ImageCodecError(.corrupt, format: .png,
                                      "compressed image data ends early (\(inflater.produced) of \(inflater.expected) bytes)",
                                      offset: position)
            }
            throw ImageCodecError(.truncated, format: .png, "file ends inside the image data", offset: bytes.count)
        }
        guard sawEnd else {
            throw ImageCodecError(.truncated, format: .png, "file ends before the IEND chunk", offset: bytes.count)
        }
        guard inflater.produced == inflater.expected else {
            throw ImageCodecError(.corrupt, format: .png,
                                  "image data has \(inflater.produced) bytes, \(inflater.expected) expected")
        }
        var filtered = inflater.takeOutput()
        guard header.interlaced else {
            try unfilter(&filtered, header: header)
            return try convert(filtered, header: header, palette: palette).converted(to: options.color)
        }
        return try deinterlace(filtered, header: header, palette: palette).converted(to: options.color)
    }

    static func parseHeader(_ data: ArraySlice<UInt8>, offset: Int, maxPixels: Int) throws(ImageCodecError) -> Header {
        guard data.count == 13 else {
            throw ImageCodecError(.corrupt, format: .png, "IHDR has \(data.count) bytes, 13 expected", offset: offset)
        }
        let base = data.startIndex
        let width = Int(readUInt32(data, base))
        let height = Int(readUInt32(data, base + 4))
        let bitDepth = Int(data[base + 8])
        let colorType = Int(data[base + 9])
        guard (1...0x7FFF_FFFF).contains(width), (1...0x7FFF_FFFF).contains(height) else {
            throw ImageCodecError(.corrupt, format: .png, "IHDR size \(width)x\(height) is invalid", offset: offset)
        }
        let allowedDepths: [Int] = switch colorType {
        case 0: [1, 2, 4, 8, 16]
        case 3: [1, 2, 4, 8]
        case 2, 4, 6: [8, 16]
        default: []
        }
        guard !allowedDepths.isEmpty else {
            throw ImageCodecError(.corrupt, format: .png, "IHDR colour type \(colorType) is invalid", offset: offset + 9)
        }
        guard allowedDepths.contains(bitDepth) else {
            throw ImageCodecError(.corrupt, format: .png,
                                  "IHDR bit depth \(bitDepth) is invalid for colour type \(colorType)", offset: offset + 8)
        }
        guard data[base + 10] == 0 else {
            throw ImageCodecError(.corrupt, format: .png, "IHDR compression method \(data[base + 10]) is not 0",
                                  offset: offset + 10)
        }
        guard data[base + 11] == 0 else {
            throw ImageCodecError(.corrupt, format: .png, "IHDR filter method \(data[base + 11]) is not 0",
                                  offset: offset + 11)
        }
        guard data[base + 12] <= 1 else {
            throw ImageCodecError(.corrupt, format: .png, "IHDR interlace method \(data[base + 12]) is not 0 or 1",
                                  offset: offset + 12)
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maxPixels else {
            throw ImageCodecError(.tooLarge, format: .png,
                                  "PNG claims \(width)x\(height) pixels, more than the cap of \(maxPixels)", offset: offset)
        }
        return Header(width: width, height: height, bitDepth: bitDepth, colorType: colorType,
                      interlaced: data[base + 12] == 1)
    }

    /// Decodes each Adam7 pass as a small image of its own and scatters its pixels.
    static func deinterlace(_ filtered: [UInt8], header: Header, palette: [UInt8]) throws(ImageCodecError) -> DecodedImage {
        let channels = header.colorType == 0 || header.colorType == 4 ? 1 : 3
        var pixels = [UInt8](repeating: 0, count: header.width * header.height * channels)
        var start = 0
        for pass in header.passes {
            let passHeader = header.reduced(to: pass)
            let length = pass.height * (passHeader.rowBytes + 1)
            var passData = Array(filtered[start..<(start + length)])
            start += length
            try unfilter(&passData, header: passHeader)
            let reduced = try convert(passData, header: passHeader, palette: palette).pixels
            for y in 0..<pass.height {
                for x in 0..<pass.width {
                    let from = (y * pass.width + x) * channels
                    let to = ((pass.y0 + y * pass.dy) * header.width + pass.x0 + x * pass.dx) * channels
                    for channel in 0..<channels { pixels[to + channel] = reduced[from + channel] }
                }
            }
        }
        return try DecodedImage.make(width: header.width, height: header.height, channels: channels, pixels: pixels,
                                     format: .png)
    }

    /// Undoes the per-row filters in place; afterwards row r's bytes are at r*(rowBytes+1)+1.
    static func unfilter(_ data: inout [UInt8], header: Header) throws(ImageCodecError) {
        let rowBytes = header.rowBytes
        let stride = header.filterStride
        let rowLength = rowBytes + 1
        // The first row has an all-zero row above it; a zero row keeps one code path for all rows.
        let zeroRow = [UInt8](repeating: 0, count: rowBytes)
        var badFilter: (row: Int, value: UInt8)?
        data.withUnsafeMutableBufferPointer { buffer in
            zeroRow.withUnsafeBufferPointer { zeros in
                guard let base = buffer.baseAddress, let zeroBase = zeros.baseAddress else { return }
                for row in 0..<header.height {
                    let start = row * rowLength
                    let filter = base[start]
                    let current = base + start + 1
                    let previous = row > 0 ? UnsafePointer(base + start + 1 - rowLength) : zeroBase
                    let lead = min(stride, rowBytes)
                    switch filter {
                    case 0:
                        break
                    case 1:
                        var index = stride
                        while index < rowBytes {
                            current[index] &+= current[index - stride]
                            index += 1
                        }
                    case 2:
                        for index in 0..<rowBytes { current[index] &+= previous[index] }
                    case 3:
                        for index in 0..<lead { current[index] &+= previous[index] >> 1 }
                        var index = stride
                        while index < rowBytes {
                            current[index] &+= UInt8((UInt16(current[index - stride]) + UInt16(previous[index])) >> 1)
                            index += 1
                        }
                    case 4:
                        // With nothing to the left, Paeth picks the byte above.
                        for index in 0..<lead { current[index] &+= previous[index] }
                        var index = stride
                        while index < rowBytes {
                            current[index] &+= UInt8(truncatingIfNeeded: paeth(
                                Int(current[index - stride]), Int(previous[index]), Int(previous[index - stride])))
                            index += 1
                        }
                    default:
                        badFilter = (row, filter)
                        return
                    }
                }
            }
        }
        if let badFilter {
            throw ImageCodecError(.corrupt, format: .png, "row \(badFilter.row) has filter type \(badFilter.value) (0–4 allowed)")
        }
    }

    @inline(__always)
    static func paeth(_ left: Int, _ above: Int, _ upperLeft: Int) -> Int {
        let estimate = left + above - upperLeft
        let distanceLeft = abs(estimate - left)
        let distanceAbove = abs(estimate - above)
        let distanceUpperLeft = abs(estimate - upperLeft)
        if distanceLeft <= distanceAbove && distanceLeft <= distanceUpperLeft { return left }
        if distanceAbove <= distanceUpperLeft { return above }
        return upperLeft
    }

    /// Turns unfiltered rows into 8-bit grey or RGB pixels.
    static func convert(_ data: [UInt8], header: Header, palette: [UInt8]) throws(ImageCodecError) -> DecodedImage {
        let width = header.width
        let height = header.height
        let rowLength = header.rowBytes + 1
        let depth = header.bitDepth
        let outputChannels = header.colorType == 0 || header.colorType == 4 ? 1 : 3
        let paletteCount = palette.count / 3
        var badIndex: Int?
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * outputChannels) { output, count in
            data.withUnsafeBufferPointer { input in
                for row in 0..<height {
                    let source = row * rowLength + 1
                    let target = row * width * outputChannels
                    switch (header.colorType, depth) {
                    case (0, 8), (2, 8):
                        for index in 0..<(width * outputChannels) { output[target + index] = input[source + index] }
                    case (0, 16), (2, 16):
                        for index in 0..<(width * outputChannels) {
                            output[target + index] = scale16(input[source + 2 * index], input[source + 2 * index + 1])
                        }
                    case (4, _), (6, _):
                        let bytesPerSample = depth / 8
                        let samples = header.samplesPerPixel
                        for x in 0..<width {
                            for channel in 0..<outputChannels {
                                let at = source + (x * samples + channel) * bytesPerSample
                                output[target + x * outputChannels + channel] =
                                    bytesPerSample == 1 ? input[at] : scale16(input[at], input[at + 1])
                            }
                        }
                    case (0, _):
                        let maximum = (1 << depth) - 1
                        for x in 0..<width {
                            let value = packedSample(input, rowStart: source, index: x, depth: depth)
                            output[target + x] = UInt8((value * 255 + maximum / 2) / maximum)
                        }
                    default:  // palette, 1–8 bits
                        for x in 0..<width {
                            let entry = packedSample(input, rowStart: source, index: x, depth: depth)
                            guard entry < paletteCount else {
                                badIndex = entry
                                output[target + 3 * x] = 0
                                output[target + 3 * x + 1] = 0
                                output[target + 3 * x + 2] = 0
                                continue
                            }
                            output[target + 3 * x] = palette[3 * entry]
                            output[target + 3 * x + 1] = palette[3 * entry + 1]
                            output[target + 3 * x + 2] = palette[3 * entry + 2]
                        }
                    }
                }
            }
            count = width * height * outputChannels
        }
        if let badIndex {
            throw ImageCodecError(.corrupt, format: .png, "palette index \(badIndex) beyond the \(paletteCount)-entry PLTE")
        }
        return try DecodedImage.make(width: width, height: height, channels: outputChannels, pixels: pixels, format: .png)
    }

    @inline(__always)
    static func scale16(_ high: UInt8, _ low: UInt8) -> UInt8 {
        let value = Int(high) << 8 | Int(low)
        return UInt8((value * 255 + 32767) / 65535)
    }

    @inline(__always)
    static func packedSample(_ input: UnsafeBufferPointer<UInt8>, rowStart: Int, index: Int, depth: Int) -> Int {
        let bit = index * depth
        let byte = Int(input[rowStart + bit / 8])
        let shift = 8 - depth - bit % 8
        return (byte >> shift) & ((1 << depth) - 1)
    }

    // MARK: - Encoding

    /// Encodes an 8-bit greyscale PNG.
    public static func encode(_ image: GrayImage, options: EncodeOptions = .init()) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 1, options: options)
    }

    /// Encodes an 8-bit RGB PNG.
    public static func encode(_ image: RGBImage, options: EncodeOptions = .init()) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 3, options: options)
    }

    /// Encodes a decoded image as it is (grey or RGB).
    public static func encode(_ image: DecodedImage, options: EncodeOptions = .init()) throws(ImageCodecError) -> [UInt8] {
        switch image {
        case .gray(let grey): try encode(grey, options: options)
        case .rgb(let rgb): try encode(rgb, options: options)
        }
    }

    private static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int, options: EncodeOptions)
        throws(ImageCodecError) -> [UInt8]
    {
        guard (0...9).contains(options.compressionLevel) else {
            throw ImageCodecError(.invalidArgument, format: .png, "compression level \(options.compressionLevel) is outside 0–9")
        }
        guard width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw ImageCodecError(.invalidArgument, format: .png, "\(width)x\(height) exceeds PNG's size limit")
        }
        let filtered = filterRows(pixels, width: width, height: height, channels: channels, strategy: options.filter)
        let compressed = try deflateData(filtered, level: options.compressionLevel)

        var output = signature
        var ihdr: [UInt8] = []
        appendUInt32(&ihdr, UInt32(width))
        appendUInt32(&ihdr, UInt32(height))
        ihdr += [8, channels == 1 ? 0 : 2, 0, 0, 0]
        appendChunk(&output, "IHDR", ihdr[...])
        // Chunks of at most 1 MiB keep readers that buffer whole chunks modest.
        let chunkLimit = 1 << 20
        var start = 0
        repeat {
            let end = min(compressed.count, start + chunkLimit)
            appendChunk(&output, "IDAT", compressed[start..<end])
            start = end
        } while start < compressed.count
        appendChunk(&output, "IEND", [][...])
        return output
    }

    static func filterRows(_ pixels: [UInt8], width: Int, height: Int, channels: Int, strategy: FilterStrategy) -> [UInt8] {
        let rowBytes = width * channels
        let rowLength = rowBytes + 1
        let filters: [FilterType] = switch strategy {
        case .adaptive: FilterType.allCases
        case .fixed(let type): [type]
        }
        var output = [UInt8](repeating: 0, count: height * rowLength)
        var candidate = [UInt8](repeating: 0, count: rowBytes)
        let zeroRow = [UInt8](repeating: 0, count: rowBytes)
        pixels.withUnsafeBufferPointer { source in
            zeroRow.withUnsafeBufferPointer { zeros in
                candidate.withUnsafeMutableBufferPointer { scratch in
                    output.withUnsafeMutableBufferPointer { target in
                        guard let sourceBase = source.baseAddress, let zeroBase = zeros.baseAddress,
                              let scratchBase = scratch.baseAddress, let targetBase = target.baseAddress
                        else { return }
                        for row in 0..<height {
                            let current = sourceBase + row * rowBytes
                            let above = row > 0 ? current - rowBytes : zeroBase
                            let destination = targetBase + row * rowLength
                            var bestScore = Int.max
                            for filter in filters {
                                // The chosen filter's bytes go straight to the output; a better one
                                // found later overwrites them from the scratch row.
                                let into = bestScore == Int.max ? destination + 1 : scratchBase
                                let score = applyFilter(filter, current: current, above: above, into: into,
                                                        count: rowBytes, stride: channels)
                                if score < bestScore {
                                    bestScore = score
                                    destination[0] = filter.rawValue
                                    if into != destination + 1 {
                                        (destination + 1).update(from: scratchBase, count: rowBytes)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Writes one filtered row and returns its score: the sum of the residuals as signed bytes.
    static func applyFilter(_ filter: FilterType, current: UnsafePointer<UInt8>, above: UnsafePointer<UInt8>,
                            into output: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) -> Int
    {
        var score = 0
        for index in 0..<count {
            let left: UInt8 = index >= stride ? current[index - stride] : 0
            let upperLeft: UInt8 = index >= stride ? above[index - stride] : 0
            let predictor: UInt8 = switch filter {
            case .none: 0
            case .sub: left
            case .up: above[index]
            case .average: UInt8((UInt16(left) + UInt16(above[index])) >> 1)
            case .paeth: UInt8(truncatingIfNeeded: paeth(Int(left), Int(above[index]), Int(upperLeft)))
            }
            let residual = current[index] &- predictor
            output[index] = residual
            score += Int(Int8(bitPattern: residual).magnitude)
        }
        return score
    }

    static func deflateData(_ data: [UInt8], level: Int) throws(ImageCodecError) -> [UInt8] {
        var capacity = compressBound(uLong(data.count))
        var failure: Int32 = Z_OK
        let output = [UInt8](unsafeUninitializedCapacity: Int(capacity)) { buffer, count in
            failure = data.withUnsafeBufferPointer { input in
                compress2(buffer.baseAddress, &capacity, input.baseAddress, uLong(input.count), Int32(level))
            }
            count = failure == Z_OK ? Int(capacity) : 0
        }
        guard failure == Z_OK else {
            let kind: ImageCodecError.Kind = failure == Z_MEM_ERROR ? .outOfMemory : .invalidArgument
            throw ImageCodecError(kind, format: .png, "zlib compress2 failed with code \(failure)")
        }
        return output
    }

    static func appendChunk(_ output: inout [UInt8], _ type: String, _ data: ArraySlice<UInt8>) {
        appendUInt32(&output, UInt32(data.count))
        let typeStart = output.count
        output += Array(type.utf8)
        output += data
        let crc = output.withUnsafeBufferPointer { buffer in
            crc32(0, buffer.baseAddress.map { $0 + typeStart }, UInt32(buffer.count - typeStart))
        }
        appendUInt32(&output, UInt32(truncatingIfNeeded: crc))
    }
}

/// Streaming zlib inflate into a buffer of known final size. zlib's state is released as soon as
/// the stream ends or fails, and at the latest in `deinit` (so errors thrown elsewhere cannot leak it).
final class Inflater {
    private var stream = z_stream()
    private var live = false
    private(set) var output: [UInt8]
    let expected: Int
    private(set) var produced = 0
    private(set) var finished = false

    /// The output starts small and doubles as data actually inflates, so a tiny file whose IHDR
    /// claims a large (but allowed) size cannot make us allocate that size up front.
    static let initialCapacity = 1 << 16

    init(expectedSize: Int) throws(ImageCodecError) {
        expected = expectedSize
        output = [UInt8](repeating: 0, count: min(expectedSize, Inflater.initialCapacity))
        let status = inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw ImageCodecError(status == Z_MEM_ERROR ? .outOfMemory : .corrupt, format: .png,
                                  "zlib inflateInit failed with code \(status)")
        }
        live = true
    }

    deinit { release() }

    /// Hands over the inflated bytes without copying them.
    func takeOutput() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &output)
        return taken
    }

    private func release() {
        if live { inflateEnd(&stream) }
        live = false
    }

    func feed(_ bytes: [UInt8], range: Range<Int>) throws(ImageCodecError) {
        guard !range.isEmpty else { return }
        guard !finished, live else {
            throw ImageCodecError(.corrupt, format: .png, "data after the end of the zlib stream", offset: range.lowerBound)
        }
        var status: Int32 = Z_OK
        let expected = self.expected
        var produced = self.produced
        var remainingInput = 0
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + range.lowerBound })
            stream.avail_in = UInt32(range.count)
            repeat {
                if produced == output.count, output.count < expected {
                    let grown = min(expected, output.count * 2)
                    output.append(contentsOf: repeatElement(0, count: grown - output.count))
                }
                output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress.map { $0 + produced }
                    stream.avail_out = UInt32(clamping: out.count - produced)
                    let before = stream.avail_out
                    status = inflate(&stream, Z_NO_FLUSH)
                    produced += Int(before - stream.avail_out)
                }
                stream.next_out = nil
            } while status == Z_OK && stream.avail_in > 0
            remainingInput = Int(stream.avail_in)
            stream.next_in = nil
        }
        self.produced = produced
        let failureOffset = range.upperBound - remainingInput
        switch status {
        case Z_STREAM_END:
            finished = true
            release()
            guard remainingInput == 0 else {
                throw ImageCodecError(.corrupt, format: .png, "data after the end of the zlib stream", offset: failureOffset)
            }
        case Z_OK, Z_BUF_ERROR:
            if produced == expected, remainingInput > 0 {
                release()
                throw ImageCodecError(.corrupt, format: .png, "more image data than the IHDR size allows",
                                      offset: failureOffset)
            }
        case Z_MEM_ERROR:
            release()
            throw ImageCodecError(.outOfMemory, format: .png, "zlib ran out of memory")
        default:
            let detail = stream.msg.map { String(cString: $0) } ?? "code \(status)"
            release()
            throw ImageCodecError(.corrupt, format: .png, "bad zlib data: \(detail)", offset: failureOffset)
        }
    }
}

@inline(__always)
func readUInt32<C: Collection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt32 where C.Index == Int {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
}

func appendUInt32(_ output: inout [UInt8], _ value: UInt32) {
    output += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
               UInt8(truncatingIfNeeded: value)]
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
