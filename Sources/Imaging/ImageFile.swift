import BioCapture
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing image files, choosing the codec by content (read) or extension (write).
public enum ImageFile {
    /// Options for reading.
    public struct ReadOptions: Sendable, Hashable {
        public var color: DecodedColor
        public var maxPixels: Int
        /// JPEG warnings policy (other formats are always strict).
        public var jpegStrictness: JPEG.Strictness
        /// Files larger than this are refused before being read.
        public var maxFileBytes: Int

        public init(color: DecodedColor = .asStored, maxPixels: Int = ImageLimits.defaultMaxPixels,
                    jpegStrictness: JPEG.Strictness = .strict, maxFileBytes: Int = 512 << 20)
        {
            self.color = color
            self.maxPixels = maxPixels
            self.jpegStrictness = jpegStrictness
            self.maxFileBytes = maxFileBytes
        }
    }

    /// Options for writing.
    public struct WriteOptions: Sendable, Hashable {
        public var jpeg: JPEG.EncodeOptions
        public var png: PNG.EncodeOptions

        public init(jpeg: JPEG.EncodeOptions = .init(), png: PNG.EncodeOptions = .init()) {
            self.jpeg = jpeg
            self.png = png
        }
    }

    /// The format of encoded bytes, by magic number: JPEG (FF D8 FF), PNG (its signature),
    /// PGM (P2/P5), PPM (P3/P6). Nil when none matches.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.count >= 8, Array(bytes[0..<8]) == PNG.signature { return .png }
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P") {
            switch bytes[1] {
            case UInt8(ascii: "2"), UInt8(ascii: "5"): return .pgm
            case UInt8(ascii: "3"), UInt8(ascii: "6"): return .ppm
            default: return nil
            }
        }
        return nil
    }

    /// The format a file name's extension names (.png, .pgm, .ppm, .jpg, .jpeg; any case).
    public static func format(forPath path: String) -> ImageFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "png": return .png
        case "pgm": return .pgm
        case "ppm", "pnm": return .ppm
        case "jpg", "jpeg", "jpe": return .jpeg
        default: return nil
        }
    }

    /// Decodes bytes of any supported format, recognised by magic number.
    public static func decode(_ bytes: [UInt8], options: ReadOptions = .init()) throws(ImageCodecError) -> DecodedImage {
        guard let format = sniff(bytes) else {
            if bytes.isEmpty {
                throw ImageCodecError(.truncated, "empty data", offset: 0)
            }
            // A proper prefix of a magic number is a cut-off file, not an unknown format.
            let magics: [(ImageFormat, [UInt8])] = [(.jpeg, [0xFF, 0xD8, 0xFF]), (.png, PNG.signature),
                                                    (.pgm, Array("P5".utf8))]
            for (format, magic) in magics where bytes.count < magic.count && magic.starts(with: bytes) {
                throw ImageCodecError(.truncated, format: format, "data ends inside the magic number",
                                      offset: bytes.count)
            }
            let head = bytes.prefix(4).map { hexByte($0) }.joined(separator: " ")
            throw ImageCodecError(.unsupportedFormat,
                                  "unrecognised image data (starts with \(head)); PNG, JPEG, PGM and PPM are supported",
                                  offset: 0)
        }
        return try decode(bytes, as: format, options: options)
    }

    /// Decodes bytes with the given format's decoder.
    public static func decode(_ bytes: [UInt8], as format: ImageFormat, options: ReadOptions = .init())
        throws(ImageCodecError) -> DecodedImage
    {
        switch format {
        case .jpeg:
            return try JPEG.decode(bytes, options: .init(color: options.color, maxPixels: options.maxPixels,
                                                         strictness: options.jpegStrictness))
        case .png:
            return try PNG.decode(bytes, options: .init(color: options.color, maxPixels: options.maxPixels))
        case .pgm, .ppm:
            return try PNM.decode(bytes, options: .init(color: options.color, maxPixels: options.maxPixels))
        }
    }

    /// Encodes an image in the given format. PGM takes grey images only; an RGB image is refused
    /// (`.invalidArgument`) rather than silently converted. PPM expands grey to R = G = B.
    public static func encode(_ image: DecodedImage, as format: ImageFormat, options: WriteOptions = .init())
        throws(ImageCodecError) -> [UInt8]
    {
        switch (format, image) {
        case (.jpeg, _): return try JPEG.encode(image, options: options.jpeg)
        case (.png, _): return try PNG.encode(image, options: options.png)
        case (.pgm, .gray(let grey)): return PNM.encode(grey)
        case (.pgm, .rgb):
            throw ImageCodecError(.invalidArgument, format: .pgm,
                                  "PGM holds grey images only; convert with grayImage or write .ppm/.png")
        case (.ppm, _): return PNM.encode(image.rgbImage)
        }
    }

    /// Reads and decodes an image file; the content decides the format, not the extension.
    public static func read(_ path: String, options: ReadOptions = .init()) throws(ImageCodecError) -> DecodedImage {
        let bytes = try readBytes(path, limit: options.maxFileBytes)
        do {
            return try decode(bytes, options: options)
        } catch {
            throw error.at(path: path)
        }
    }

    /// Encodes by the path's extension and writes the file atomically (a temporary file in the
    /// same directory, then rename), so readers never see half an image.
    public static func write(_ image: DecodedImage, to path: String, options: WriteOptions = .init()) throws(ImageCodecError) {
        guard let format = format(forPath: path) else {
            throw ImageCodecError(.unsupportedFormat,
                                  "cannot tell the format from the file name; use .png, .pgm, .ppm, .jpg or .jpeg",
                                  path: path)
        }
        let bytes: [UInt8]
        do {
            bytes = try encode(image, as: format, options: options)
        } catch {
            throw error.at(path: path)
        }
        try writeBytes(bytes, to: path)
    }

    /// Writes a grey image (see `write(_:to:options:)`).
    public static func write(_ image: GrayImage, to path: String, options: WriteOptions = .init()) throws(ImageCodecError) {
        try write(.gray(image), to: path, options: options)
    }

    /// Writes an RGB image (see `write(_:to:options:)`).
    public static func write(_ image: RGBImage, to path: String, options: WriteOptions = .init()) throws(ImageCodecError) {
        try write(.rgb(image), to: path, options: options)
    }

    // MARK: - File access (POSIX, so errno gives precise kinds)

    static func fileError(_ code: Int32, _ action: String, path: String) -> ImageCodecError {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOENT, ENOTDIR:
            return ImageCodecError(.fileNotFound, "file not found (\(action): \(reason))", path: path)
        case EACCES, EPERM, EROFS:
            return ImageCodecError(.permissionDenied, "permission denied (\(action): \(reason))", path: path)
        default:
            return ImageCodecError(.ioFailed, "\(action) failed: \(reason)", path: path)
        }
    }

    static func readBytes(_ path: String, limit: Int) throws(ImageCodecError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw fileError(errno, "open", path: path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw fileError(errno, "stat", path: path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw ImageCodecError(.ioFailed, "not a regular file", path: path)
        }
        let size = Int(status.st_size)
        guard size <= limit else {
            throw ImageCodecError(.tooLarge, "file has \(size) bytes, more than the limit of \(limit)", path: path)
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            while filled < size {
                let count = Glibc.read(descriptor, buffer.baseAddress.map { $0 + filled }, size - filled)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if count == 0 { return }  // the file shrank while we read it
                filled += count
            }
        }
        if failure != 0 { throw fileError(failure, "read", path: path) }
        return filled == size ? bytes : Array(bytes[0..<filled])
    }

    static func writeBytes(_ bytes: [UInt8], to path: String) throws(ImageCodecError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fileError(errno, "create", path: path) }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += count
            }
        }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw fileError(failure, "write", path: path)
        }
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return digits.count == 1 ? "0" + digits : digits
}
