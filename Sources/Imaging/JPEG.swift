import BioCapture
import CJPEGShim

/// JPEG decoding and encoding through libjpeg-turbo (the `CJPEGShim` C target).
///
/// libjpeg's fatal errors never end the process: the shim catches them (`setjmp` in C, a custom
/// `error_exit`) and they arrive here as `ImageCodecError`s.
///
/// **Motion-JPEG frames without Huffman tables.** UVC cameras usually send MJPEG frames with no
/// DHT segment, relying on the standard tables of JPEG Annex K.3. libjpeg-turbo 2.1.5 handles this
/// itself: `jinit_huff_decoder()` (jdhuff.c, the sequential Huffman decoder, set up inside
/// `jpeg_start_decompress`) calls `std_huff_tables()` (jstdhuff.c), which installs the standard
/// tables in every slot the stream left undefined. So such frames decode as they are; no DHT needs
/// to be inserted. `JPEGTests.testFrameWithoutDHTDecodesWithStandardTables` checks it: it strips
/// every DHT segment from an encoded image (written with the standard tables) and gets the same
/// pixels back.
public enum JPEG {
    /// How decoding treats libjpeg's warnings ("Corrupt JPEG data: N extraneous bytes…",
    /// "Premature end of JPEG file"…).
    public enum Strictness: Sendable, Hashable {
        /// Any warning is an error: the first one stops the decode (`.corrupt` or `.truncated`).
        case strict
        /// Warnings are counted and reported (`Decoded.warningCount`); the image is returned, with
        /// grey filling whatever was missing.
        case lenient
    }

    /// Decoding options.
    public struct DecodeOptions: Sendable, Hashable {
        /// Pixel layout of the result.
        public var color: DecodedColor
        /// Images whose header claims more than this many pixels (width × height) are refused
        /// before any pixel memory is allocated.
        public var maxPixels: Int
        /// Progressive images with more scans than this are refused (0: no limit). Guards against
        /// files made of thousands of tiny scans, which cost minutes of CPU.
        public var maxScans: Int
        public var strictness: Strictness

        public init(color: DecodedColor = .asStored, maxPixels: Int = ImageLimits.defaultMaxPixels,
                    maxScans: Int = 500, strictness: Strictness = .strict)
        {
            self.color = color
            self.maxPixels = maxPixels
            self.maxScans = maxScans
            self.strictness = strictness
        }

        public static let strict = DecodeOptions()
        public static let lenient = DecodeOptions(strictness: .lenient)
    }

    /// A decoded image with what libjpeg warned about on the way.
    public struct Decoded: Sendable, Hashable {
        public var image: DecodedImage
        /// Number of libjpeg warnings (always 0 in strict mode).
        public var warningCount: Int
        /// Text of the first warning, when there was one.
        public var firstWarning: String?
    }

    /// Decodes a JPEG. Throws `.truncated`, `.corrupt`, `.tooLarge`, `.unsupportedFeature`,
    /// `.unsupportedFormat` (no SOI marker) or `.outOfMemory`.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = .strict) throws(ImageCodecError) -> DecodedImage {
        try decodeReportingWarnings(bytes, options: options).image
    }

    /// Decodes a JPEG and reports libjpeg's warnings (relevant in lenient mode).
    public static func decodeReportingWarnings(_ bytes: [UInt8], options: DecodeOptions = .strict)
        throws(ImageCodecError) -> Decoded
    {
        let decoder = try Decoder()
        return try decoder.decode(bytes, options: options)
    }

    /// A reusable decoder (one `jpeg_decompress_struct`), for streams of frames such as MJPEG.
    /// Not thread-safe: use one per thread or task.
    public final class Decoder {
        private let handle: OpaquePointer

        /// Creates the decoder (`bc_jpeg_decoder_create`, i.e. `jpeg_create_decompress`).
        public init() throws(ImageCodecError) {
            guard let handle = bc_jpeg_decoder_create() else {
                throw ImageCodecError(.outOfMemory, format: .jpeg, "could not create a JPEG decoder")
            }
            self.handle = handle
        }

        deinit { bc_jpeg_decoder_destroy(handle) }

        /// Decodes one image (`bc_jpeg_decode_start` + `bc_jpeg_decode_finish`).
        public func decode(_ bytes: [UInt8], options: DecodeOptions = .strict) throws(ImageCodecError) -> Decoded {
            try bytes.withUnsafeBufferPointer { input throws(ImageCodecError) in try decode(input, options: options) }
        }

        /// Decodes one image straight from a buffer (for instance a USB transfer), without copying it.
        public func decode(_ input: UnsafeBufferPointer<UInt8>, options: DecodeOptions = .strict)
            throws(ImageCodecError) -> Decoded
        {
            guard let base = input.baseAddress, !input.isEmpty else {
                throw ImageCodecError(.truncated, format: .jpeg, "no data", offset: 0)
            }
            guard options.maxPixels > 0, options.maxScans >= 0 else {
                throw ImageCodecError(.invalidArgument, format: .jpeg, "maxPixels must be positive and maxScans not negative")
            }
            let components: Int32 = switch options.color {
            case .asStored: 0
            case .gray: 1
            case .rgb: 3
            }
            var report = bc_jpeg_report()
            let started = bc_jpeg_decode_start(
                handle, base, input.count, components, UInt64(options.maxPixels),
                Int32(clamping: options.maxScans), options.strictness == .strict ? 1 : 0, &report)
            guard started == BC_JPEG_OK else { throw JPEG.error(started, report) }
            let width = Int(report.output_width)
            let height = Int(report.output_height)
            let channels = Int(report.output_components)
            guard width > 0, height > 0, channels == 1 || channels == 3 else {
                bc_jpeg_decode_abort(handle)
                throw ImageCodecError(.corrupt, format: .jpeg, "unexpected output \(width)x\(height)x\(channels)")
            }
            let byteCount = width * height * channels
            var status = BC_JPEG_OK
            let handle = self.handle
            let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, count in
                status = bc_jpeg_decode_finish(handle, buffer.baseAddress, byteCount, width * channels, &report)
                count = status == BC_JPEG_OK ? byteCount : 0
            }
            guard status == BC_JPEG_OK else { throw JPEG.error(status, report) }
            let image = try DecodedImage.make(width: width, height: height, channels: channels, pixels: pixels,
                                              format: .jpeg)
            let warning = report.warning_count > 0 ? JPEG.text(report.first_warning) : nil
            return Decoded(image: image.converted(to: options.color), warningCount: Int(report.warning_count),
                           firstWarning: warning)
        }
    }

    /// Chroma subsampling of colour JPEGs.
    public enum ChromaSubsampling: Int32, Sendable, Hashable {
        /// Half resolution both ways: the usual, smallest files.
        case s420 = 420
        /// Half resolution horizontally.
        case s422 = 422
        /// Full resolution: best colour detail.
        case s444 = 444
    }

    /// Encoding options.
    public struct EncodeOptions: Sendable, Hashable {
        /// 1 (smallest, worst) to 100 (largest, best); libjpeg's `jpeg_set_quality` scale.
        public var quality: Int
        public var chromaSubsampling: ChromaSubsampling
        /// Compute optimal Huffman tables (a second pass: smaller, slower). Off by default so the
        /// output uses the standard tables that MJPEG decoders assume.
        public var optimizeHuffman: Bool
        /// Write a progressive JPEG (several scans of increasing detail; Huffman tables optimised).
        public var progressive: Bool

        public init(quality: Int = 90, chromaSubsampling: ChromaSubsampling = .s420, optimizeHuffman: Bool = false,
                    progressive: Bool = false)
        {
            self.quality = quality
            self.chromaSubsampling = chromaSubsampling
            self.optimizeHuffman = optimizeHuffman
            self.progressive = progressive
        }
    }

    /// Encodes a grey image as a greyscale JPEG (`bc_jpeg_encode`).
    public static func encode(_ image: GrayImage, options: EncodeOptions = .init()) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 1, options: options)
    }

    /// Encodes an RGB image as a YCbCr JPEG (`bc_jpeg_encode`).
    public static func encode(_ image: RGBImage, options: EncodeOptions = .init()) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 3, options: options)
    }

    /// Encodes a decoded image, grey or RGB as it is.
    public static func encode(_ image: DecodedImage, options: EncodeOptions = .init()) throws(ImageCodecError) -> [UInt8] {
        switch image {
        case .gray(let grey): try encode(grey, options: options)
        case .rgb(let rgb): try encode(rgb, options: options)
        }
    }

    private static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int, options: EncodeOptions)
        throws(ImageCodecError) -> [UInt8]
    {
        guard (1...100).contains(options.quality) else {
            throw ImageCodecError(.invalidArgument, format: .jpeg, "quality \(options.quality) is outside 1–100")
        }
        guard width <= 65500, height <= 65500 else {
            throw ImageCodecError(.invalidArgument, format: .jpeg,
                                  "\(width)x\(height) exceeds JPEG's 65500-pixel side limit")
        }
        var report = bc_jpeg_report()
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = pixels.withUnsafeBufferPointer { input in
            bc_jpeg_encode(input.baseAddress, UInt32(width), UInt32(height), Int32(channels), width * channels,
                           Int32(options.quality), options.chromaSubsampling.rawValue,
                           options.optimizeHuffman ? 1 : 0, options.progressive ? 1 : 0, &output, &length, &report)
        }
        guard status == BC_JPEG_OK, let output else { throw error(status, report) }
        defer { bc_jpeg_free(output) }
        return [UInt8](UnsafeBufferPointer(start: output, count: length))
    }

    static func error(_ status: bc_jpeg_status, _ report: bc_jpeg_report) -> ImageCodecError {
        let message = text(report.message)
        let offset = Int(clamping: report.input_offset)
        switch status {
        case BC_JPEG_TRUNCATED:
            return ImageCodecError(.truncated, format: .jpeg, "data ends early: \(message)", offset: offset)
        case BC_JPEG_NOT_JPEG:
            return ImageCodecError(.unsupportedFormat, format: .jpeg, "not a JPEG: \(message)", offset: 0)
        case BC_JPEG_TOO_LARGE:
            return ImageCodecError(.tooLarge, format: .jpeg, message)
        case BC_JPEG_UNSUPPORTED:
            return ImageCodecError(.unsupportedFeature, format: .jpeg, message)
        case BC_JPEG_OUT_OF_MEMORY:
            return ImageCodecError(.outOfMemory, format: .jpeg, message)
        case BC_JPEG_INVALID_ARGUMENT, BC_JPEG_BAD_STATE:
            return ImageCodecError(.invalidArgument, format: .jpeg, message)
        case BC_JPEG_TOO_MANY_SCANS:
            return ImageCodecError(.tooLarge, format: .jpeg, message, offset: offset)
        default:
            return ImageCodecError(.corrupt, format: .jpeg, message.isEmpty ? "corrupt JPEG data" : message,
                                   offset: offset)
        }
    }

    /// A NUL-terminated C message buffer (a fixed-size tuple) as a String.
    static func text<T>(_ buffer: T) -> String {
        withUnsafeBytes(of: buffer) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
