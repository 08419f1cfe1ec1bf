import BioCapture
import Foundation

/// One signature in a record: the pen time series and the facts needed to interpret it.
public struct SignatureRepresentation: Sendable, Hashable {
    public var points: [PenPoint]
    /// Active area in millimetres.
    public var areaWidth: Double
    public var areaHeight: Double
    /// When the capture started (UTC, millisecond precision in the record), if known.
    public var capturedAt: Date?
    /// USB vendor and product id of the pad; 0 when unknown.
    public var vendorID: UInt16
    public var productID: UInt16
    /// Quality 0–100 when measured.
    public var quality: Int?
    /// Pressure levels of the pad (1024 means 0…1023); the pressure channel's scale is
    /// `pressureLevels − 1`.
    public var pressureLevels: Int

    public init(
        points: [PenPoint], areaWidth: Double, areaHeight: Double, capturedAt: Date? = nil, vendorID: UInt16 = 0,
        productID: UInt16 = 0, quality: Int? = nil, pressureLevels: Int = 1024
    ) {
        self.points = points
        self.areaWidth = areaWidth
        self.areaHeight = areaHeight
        self.capturedAt = capturedAt
        self.vendorID = vendorID
        self.productID = productID
        self.quality = quality
        self.pressureLevels = pressureLevels
    }
}

/// A binary signature record in the style of ISO/IEC 19794-7 (signature/sign time series):
/// a general header, then one or more representations, each with a channel-inclusion mask,
/// channel descriptions with integer scales and big-endian integer samples.
///
/// The exact layout, and how it differs from the standard, is in
/// `hardware-notes/signature-records.md`. It is **not** byte-compatible with 19794-7, so it uses
/// its own format identifier `BCSG`.
public struct SignatureRecord: Sendable, Hashable {
    public var representations: [SignatureRepresentation]

    public init(representations: [SignatureRepresentation]) {
        self.representations = representations
    }

    /// A record of one representation made from a captured sample.
    public init(sample: SignatureSample, pressureLevels: Int = 1024, vendorID: UInt16 = 0, productID: UInt16 = 0) {
        representations = [
            SignatureRepresentation(
                points: sample.points, areaWidth: sample.areaWidth, areaHeight: sample.areaHeight,
                capturedAt: sample.metadata.capturedAt, vendorID: vendorID, productID: productID,
                quality: sample.metadata.quality, pressureLevels: pressureLevels)
        ]
    }
}

/// Channels of the record, in the order of the channel-inclusion bits (bit 15 first) and of the
/// interleaved sample values.
public enum SignatureRecordChannel: UInt8, Sendable, Hashable, CaseIterable {
    /// X in 0.01 mm from the left edge (2 bytes).
    case x = 0x58  // "X"
    /// Y in 0.01 mm from the top edge (2 bytes).
    case y = 0x59  // "Y"
    /// Time since capture start in 0.1 ms (4 bytes); absent with uniform sampling.
    case time = 0x54  // "T"
    /// Tip pressure, 0…scale (2 bytes).
    case pressure = 0x46  // "F"
    /// Tip switch, 0 or 1 (1 byte).
    case tipSwitch = 0x53  // "S"
    /// Pen in range (proximity), 0 or 1 (1 byte).
    case proximity = 0x50  // "P"

    /// The channel's bit in the inclusion mask.
    public var inclusionBit: UInt16 {
        switch self {
        case .x: 0x8000
        case .y: 0x4000
        case .time: 0x2000
        case .pressure: 0x1000
        case .tipSwitch: 0x0800
        case .proximity: 0x0400
        }
    }

    /// The unit code written in the channel description.
    var unitCode: UInt8 {
        switch self {
        case .x, .y: 1  // millimetre
        case .time: 2  // millisecond
        case .pressure: 3  // fraction of full scale
        case .tipSwitch, .proximity: 4  // boolean
        }
    }

    /// Sample width this version writes.
    var encodedWidth: Int {
        switch self {
        case .x, .y, .pressure: 2
        case .time: 4
        case .tipSwitch, .proximity: 1
        }
    }

    var name: String {
        switch self {
        case .x: "X"
        case .y: "Y"
        case .time: "T"
        case .pressure: "F (pressure)"
        case .tipSwitch: "S (tip switch)"
        case .proximity: "P (proximity)"
        }
    }
}

/// Why bytes are not a valid signature record. `offset` is the byte offset of the offending
/// field from the start of the record.
public struct SignatureRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case truncated
        case badFormatIdentifier
        case unsupportedVersion
        case lengthMismatch
        case invalidField
        case valueOutOfRange
        case timeNotMonotonic
        case trailingBytes
    }

    public var kind: Kind
    public var offset: Int
    public var detail: String

    public init(_ kind: Kind, offset: Int, _ detail: String) {
        self.kind = kind
        self.offset = offset
        self.detail = detail
    }

    public var description: String { "Invalid signature record at byte \(offset): \(detail)" }

    /// The error as a core fault (software domain: the stored data is unusable).
    public var fault: CaptureFault {
        CaptureFault(.decodeFailed, message: description, remedy: "Capture the signature again; keep the file for analysis.", underlying: self)
    }
}

/// Why a time series cannot be written as a record.
public struct SignatureRecordEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Representation index and point index (nil for representation-level fields).
    public var representation: Int
    public var point: Int?
    public var detail: String

    public var description: String {
        if let point { return "Cannot encode signature representation \(representation), point \(point): \(detail)" }
        return "Cannot encode signature representation \(representation): \(detail)"
    }
}

/// Encoder and validating decoder for `SignatureRecord`.
public enum SignatureRecordCodec {
    /// The format identifier (4 ASCII bytes).
    public static let formatIdentifier: [UInt8] = Array("BCSG".utf8)
    /// The version field: "010" and a NUL, as 19794 versions are written.
    public static let version: [UInt8] = [0x30, 0x31, 0x30, 0x00]
    /// General header size in bytes.
    public static let generalHeaderSize = 16
    /// Fixed part of a representation header before the channel descriptions.
    static let representationFixedSize = 26
    static let channelDescriptionSize = 8
    /// Largest sample count accepted (an hour at 200 reports per second is 720,000).
    public static let maximumSampleCount = 2_000_000
    /// Time channel resolution: units per millisecond.
    static let timeUnitsPerMillisecond = 10.0
    static let coordinateUnitsPerMillimetre = 100.0

    // MARK: Encoding

    /// Encodes `record`. A representation whose reports are exactly periodic from time 0 (a
    /// whole number of microseconds apart) is written with uniform sampling and no time channel.
    public static func encode(_ record: SignatureRecord) throws(SignatureRecordEncodingError) -> [UInt8] {
        guard !record.representations.isEmpty, record.representations.count <= Int(UInt16.max) else {
            throw SignatureRecordEncodingError(representation: 0, point: nil, detail: "a record holds 1–65535 representations")
        }
        var body: [UInt8] = []
        for (index, representation) in record.representations.enumerated() {
            try body.append(contentsOf: encodeRepresentation(representation, index: index))
        }
        let total = generalHeaderSize + body.count
        guard total <= Int(UInt32.max) else {
            throw SignatureRecordEncodingError(representation: 0, point: nil, detail: "the record exceeds 4 GiB")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        bytes += formatIdentifier
        bytes += version
        bytes.appendBigEndian(UInt32(total))
        bytes.appendBigEndian(UInt16(record.representations.count))
        bytes.appendBigEndian(UInt16(0))
        bytes += body
        return bytes
    }

    private static func encodeRepresentation(
        _ representation: SignatureRepresentation, index: Int
    ) throws(SignatureRecordEncodingError) -> [UInt8] {
        func fail(_ detail: String, point: Int? = nil) -> SignatureRecordEncodingError {
            SignatureRecordEncodingError(representation: index, point: point, detail: detail)
        }
        let points = representation.points
        guard points.count <= maximumSampleCount else { throw fail("more than \(maximumSampleCount) samples") }
        guard representation.pressureLevels >= 2, representation.pressureLevels <= 65536 else {
            throw fail("pressure levels must be 2…65536")
        }
        let areaWidth = try scaledArea(representation.areaWidth, name: "area width", fail: fail)
        let areaHeight = try scaledArea(representation.areaHeight, name: "area height", fail: fail)
        if let quality = representation.quality, !(0...100).contains(quality) { throw fail("quality must be 0…100") }

        let interval = uniformIntervalMicroseconds(points)
        var channels: [SignatureRecordChannel] = [.x, .y]
        if interval == nil { channels.append(.time) }
        channels += [.pressure, .tipSwitch, .proximity]
        let pressureScale = UInt32(representation.pressureLevels - 1)

        var bytes: [UInt8] = []
        let sampleBytes = channels.reduce(0) { $0 + $1.encodedWidth }
        bytes.reserveCapacity(representationFixedSize + channels.count * channelDescriptionSize + 4 + points.count * sampleBytes)
        bytes.appendBigEndian(UInt32(0))  // length, patched below
        try appendDate(representation.capturedAt, to: &bytes, fail: fail)
        bytes.appendBigEndian(representation.vendorID)
        bytes.appendBigEndian(representation.productID)
        bytes.append(representation.quality.map { UInt8($0) } ?? 255)
        bytes.appendBigEndian(areaWidth)
        bytes.appendBigEndian(areaHeight)
        bytes.appendBigEndian(UInt16(interval ?? 0))
        bytes.appendBigEndian(channels.reduce(UInt16(0)) { $0 | $1.inclusionBit })
        for channel in channels {
            bytes.append(channel.rawValue)
            bytes.append(UInt8(channel.encodedWidth))
            bytes.append(channel.unitCode)
            bytes.append(0)
            let scale: UInt32 =
                switch channel {
                case .x, .y: UInt32(coordinateUnitsPerMillimetre)
                case .time: UInt32(timeUnitsPerMillisecond)
                case .pressure: pressureScale
                case .tipSwitch, .proximity: 1
                }
            bytes.appendBigEndian(scale)
        }
        bytes.appendBigEndian(UInt32(points.count))
        var previousTime = -Double.infinity
        for (pointIndex, point) in points.enumerated() {
            guard point.x.isFinite, point.y.isFinite, point.pressure.isFinite, point.milliseconds.isFinite else {
                throw fail("a value is not a finite number", point: pointIndex)
            }
            let x = (point.x * coordinateUnitsPerMillimetre).rounded()
            let y = (point.y * coordinateUnitsPerMillimetre).rounded()
            guard x >= 0, x <= Double(areaWidth), y >= 0, y <= Double(areaHeight) else {
                throw fail("position (\(point.x), \(point.y)) mm is outside the pad area", point: pointIndex)
            }
            guard point.pressure >= 0, point.pressure <= 1 else {
                throw fail("pressure \(point.pressure) is outside 0…1", point: pointIndex)
            }
            guard point.milliseconds >= 0, point.milliseconds >= previousTime else {
                throw fail("time \(point.milliseconds) ms is negative or earlier than the previous report", point: pointIndex)
            }
            previousTime = point.milliseconds
            bytes.appendBigEndian(UInt16(x))
            bytes.appendBigEndian(UInt16(y))
            if interval == nil {
                let time = (point.milliseconds * timeUnitsPerMillisecond).rounded()
                guard time <= Double(UInt32.max) else { throw fail("time \(point.milliseconds) ms is too large", point: pointIndex) }
                bytes.appendBigEndian(UInt32(time))
            }
            bytes.appendBigEndian(UInt16((point.pressure * Double(pressureScale)).rounded()))
            bytes.append(point.tipDown ? 1 : 0)
            bytes.append(point.inRange ? 1 : 0)
        }
        guard bytes.count <= Int(UInt32.max) else { throw fail("the representation exceeds 4 GiB") }
        let length = UInt32(bytes.count)
        bytes[0] = UInt8(length >> 24)
        bytes[1] = UInt8((length >> 16) & 0xFF)
        bytes[2] = UInt8((length >> 8) & 0xFF)
        bytes[3] = UInt8(length & 0xFF)
        return bytes
    }

    private static func scaledArea(
        _ millimetres: Double, name: String, fail: (String, Int?) -> SignatureRecordEncodingError
    ) throws(SignatureRecordEncodingError) -> UInt16 {
        let scaled = (millimetres * coordinateUnitsPerMillimetre).rounded()
        guard millimetres.isFinite, scaled >= 1, scaled <= Double(UInt16.max) else {
            throw fail("\(name) \(millimetres) mm is outside 0.01…655.35 mm", nil)
        }
        return UInt16(scaled)
    }

    /// The report interval in whole microseconds when reports are exactly periodic from time 0.
    static func uniformIntervalMicroseconds(_ points: [PenPoint]) -> Int? {
        guard points.count >= 2, points[0].milliseconds == 0 else { return nil }
        let step = points[1].milliseconds - points[0].milliseconds
        let micro = (step * 1000).rounded()
        guard step.isFinite, micro >= 1, micro <= Double(UInt16.max), abs(step * 1000 - micro) < 1e-6 else { return nil }
        for (index, point) in points.enumerated() where abs(point.milliseconds - Double(index) * micro / 1000) > 1e-6 {
            return nil
        }
        return Int(micro)
    }

    private static func appendDate(
        _ date: Date?, to bytes: inout [UInt8], fail: (String, Int?) -> SignatureRecordEncodingError
    ) throws(SignatureRecordEncodingError) {
        guard let date else {
            bytes += [UInt8](repeating: 0xFF, count: 9)
            return
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        guard let year = parts.year, (1...9999).contains(year), let month = parts.month, let day = parts.day,
              let hour = parts.hour, let minute = parts.minute, let second = parts.second
        else { throw fail("the capture date is outside years 1…9999", nil) }
        let millisecond = min((parts.nanosecond ?? 0) / 1_000_000, 999)
        bytes.appendBigEndian(UInt16(year))
        bytes += [UInt8(month), UInt8(day), UInt8(hour), UInt8(minute), UInt8(second)]
        bytes.appendBigEndian(UInt16(millisecond))
    }

    // MARK: Decoding

    /// Decodes and validates a record. Any defect — truncation, wrong identifier or version,
    /// inconsistent lengths, unknown or duplicate channels, values out of range, time going
    /// backwards, bytes left over — is a `SignatureRecordError` naming the byte offset.
    public static func decode(_ bytes: [UInt8]) throws(SignatureRecordError) -> SignatureRecord {
        var reader = RecordReader(bytes: bytes)
        let identifier = try reader.bytes(4, field: "format identifier")
        guard identifier == formatIdentifier else {
            throw SignatureRecordError(.badFormatIdentifier, offset: 0, "format identifier is \(identifier.hexList), expected \"BCSG\"")
        }
        let versionBytes = try reader.bytes(4, field: "version")
        guard versionBytes == version else {
            throw SignatureRecordError(.unsupportedVersion, offset: 4, "version \(versionBytes.hexList) is not supported (expected \"010\")")
        }
        let declaredLength = Int(try reader.u32(field: "record length"))
        guard declaredLength == bytes.count else {
            throw SignatureRecordError(
                .lengthMismatch, offset: 8,
                "record length says \(declaredLength) bytes but \(bytes.count) are present")
        }
        let count = Int(try reader.u16(field: "representation count"))
        guard count >= 1 else { throw SignatureRecordError(.invalidField, offset: 12, "representation count is 0") }
        let flags = try reader.u16(field: "flags")
        guard flags == 0 else { throw SignatureRecordError(.invalidField, offset: 14, "reserved flags are \(flags), expected 0") }
        var representations: [SignatureRepresentation] = []
        for _ in 0..<count {
            representations.append(try decodeRepresentation(&reader))
        }
        guard reader.offset == bytes.count else {
            throw SignatureRecordError(.trailingBytes, offset: reader.offset, "\(bytes.count - reader.offset) bytes follow the last representation")
        }
        return SignatureRecord(representations: representations)
    }

    /// `decode(_:)` for bytes read from a file.
    public static func decode(_ data: Data) throws(SignatureRecordError) -> SignatureRecord {
        try decode([UInt8](data))
    }

    private static func decodeRepresentation(_ reader: inout RecordReader) throws(SignatureRecordError) -> SignatureRepresentation {
        let start = reader.offset
        let length = Int(try reader.u32(field: "representation length"))
        guard length >= representationFixedSize + 4 else {
            throw SignatureRecordError(.invalidField, offset: start, "representation length \(length) is shorter than its header")
        }
        guard length <= reader.remaining + 4 else {
            throw SignatureRecordError(
                .truncated, offset: start,
                "representation length \(length) runs past the end of the record (\(reader.remaining + 4) bytes left)")
        }
        let end = start + length
        let capturedAt = try readDate(&reader)
        let vendorID = try reader.u16(field: "vendor id")
        let productID = try reader.u16(field: "product id")
        let qualityOffset = reader.offset
        let qualityByte = try reader.u8(field: "quality")
        guard qualityByte <= 100 || qualityByte == 255 else {
            throw SignatureRecordError(.valueOutOfRange, offset: qualityOffset, "quality \(qualityByte) is neither 0…100 nor 255")
        }
        let widthOffset = reader.offset
        let areaWidth = try reader.u16(field: "area width")
        let areaHeight = try reader.u16(field: "area height")
        guard areaWidth > 0, areaHeight > 0 else {
            throw SignatureRecordError(.valueOutOfRange, offset: widthOffset, "the pad area is \(areaWidth) × \(areaHeight) (0.01 mm); both must be > 0")
        }
        let intervalOffset = reader.offset
        let interval = try reader.u16(field: "sampling interval")
        let maskOffset = reader.offset
        let mask = try reader.u16(field: "channel inclusion")
        let known = SignatureRecordChannel.allCases.reduce(UInt16(0)) { $0 | $1.inclusionBit }
        guard mask & ~known == 0 else {
            throw SignatureRecordError(.invalidField, offset: maskOffset, "channel inclusion 0x\(String(mask, radix: 16)) sets unknown channels")
        }
        guard mask & SignatureRecordChannel.x.inclusionBit != 0, mask & SignatureRecordChannel.y.inclusionBit != 0 else {
            throw SignatureRecordError(.invalidField, offset: maskOffset, "channels X and Y are mandatory")
        }
        let hasTime = mask & SignatureRecordChannel.time.inclusionBit != 0
        guard hasTime == (interval == 0) else {
            throw SignatureRecordError(
                .invalidField, offset: intervalOffset,
                hasTime ? "a time channel and a uniform sampling interval are both present"
                    : "neither a time channel nor a uniform sampling interval is present")
        }
        let channels = SignatureRecordChannel.allCases.filter { mask & $0.inclusionBit != 0 }
        var widths: [Int] = []
        var scales: [UInt32] = []
        for channel in channels {
            let descriptionOffset = reader.offset
            let identifier = try reader.u8(field: "channel identifier")
            guard identifier == channel.rawValue else {
                throw SignatureRecordError(
                    .invalidField, offset: descriptionOffset,
                    "channel description 0x\(String(identifier, radix: 16)) found where \(channel.name) was expected")
            }
            let width = Int(try reader.u8(field: "sample width"))
            guard width == 1 || width == 2 || width == 4 else {
                throw SignatureRecordError(.invalidField, offset: descriptionOffset + 1, "\(channel.name) sample width \(width) is not 1, 2 or 4")
            }
            let unit = try reader.u8(field: "unit")
            guard unit == channel.unitCode else {
                throw SignatureRecordError(.invalidField, offset: descriptionOffset + 2, "\(channel.name) unit code \(unit), expected \(channel.unitCode)")
            }
            _ = try reader.u8(field: "reserved")
            let scale = try reader.u32(field: "scale")
            let scaleValid: Bool =
                switch channel {
                case .tipSwitch, .proximity: scale == 1
                case .pressure: scale >= 1 && scale <= 65535
                default: scale >= 1
                }
            guard scaleValid else {
                throw SignatureRecordError(.valueOutOfRange, offset: descriptionOffset + 4, "\(channel.name) scale \(scale) is not allowed")
            }
            widths.append(width)
            scales.append(scale)
        }
        let countOffset = reader.offset
        let sampleCount = Int(try reader.u32(field: "sample count"))
        guard sampleCount <= maximumSampleCount else {
            throw SignatureRecordError(.valueOutOfRange, offset: countOffset, "sample count \(sampleCount) exceeds \(maximumSampleCount)")
        }
        let bytesPerSample = widths.reduce(0, +)
        let expected = sampleCount * bytesPerSample
        guard reader.offset + expected == end else {
            throw SignatureRecordError(
                .lengthMismatch, offset: countOffset,
                "\(sampleCount) samples of \(bytesPerSample) bytes need \(expected) bytes but the representation has \(end - reader.offset) left")
        }

        var points: [PenPoint] = []
        points.reserveCapacity(sampleCount)
        var previousTime = -1.0
        for index in 0..<sampleCount {
            let sampleOffset = reader.offset
            var point = PenPoint(x: 0, y: 0, pressure: 0, tipDown: false, inRange: true, milliseconds: Double(index) * Double(interval) / 1000)
            var hasTipSwitch = false
            for (channelIndex, channel) in channels.enumerated() {
                let valueOffset = reader.offset
                let value = try reader.unsigned(width: widths[channelIndex], field: channel.name)
                let scale = Double(scales[channelIndex])
                switch channel {
                case .x:
                    point.x = Double(value) / scale
                    guard value * 100 <= UInt64(areaWidth) * UInt64(scales[channelIndex]) else {
                        throw SignatureRecordError(.valueOutOfRange, offset: valueOffset, "sample \(index): X \(point.x) mm is beyond the pad width")
                    }
                case .y:
                    point.y = Double(value) / scale
                    guard value * 100 <= UInt64(areaHeight) * UInt64(scales[channelIndex]) else {
                        throw SignatureRecordError(.valueOutOfRange, offset: valueOffset, "sample \(index): Y \(point.y) mm is beyond the pad height")
                    }
                case .time:
                    point.milliseconds = Double(value) / scale
                case .pressure:
                    guard value <= UInt64(scales[channelIndex]) else {
                        throw SignatureRecordError(.valueOutOfRange, offset: valueOffset, "sample \(index): pressure \(value) exceeds the scale \(scales[channelIndex])")
                    }
                    point.pressure = Double(value) / scale
                case .tipSwitch, .proximity:
                    guard value <= 1 else {
                        throw SignatureRecordError(.valueOutOfRange, offset: valueOffset, "sample \(index): \(channel.name) is \(value), expected 0 or 1")
                    }
                    if channel == .tipSwitch {
                        point.tipDown = value == 1
                        hasTipSwitch = true
                    } else {
                        point.inRange = value == 1
                    }
                }
            }
            // Without a tip switch channel, pressure above zero means the tip touches.
            if !hasTipSwitch { point.tipDown = point.pressure > 0 }
            guard point.milliseconds >= previousTime else {
                throw SignatureRecordError(
                    .timeNotMonotonic, offset: sampleOffset,
                    "sample \(index): time \(point.milliseconds) ms is earlier than the previous \(previousTime) ms")
            }
            previousTime = point.milliseconds
            points.append(point)
        }
        let pressureIndex = channels.firstIndex(of: .pressure)
        return SignatureRepresentation(
            points: points, areaWidth: Double(areaWidth) / coordinateUnitsPerMillimetre,
            areaHeight: Double(areaHeight) / coordinateUnitsPerMillimetre, capturedAt: capturedAt, vendorID: vendorID,
            productID: productID, quality: qualityByte == 255 ? nil : Int(qualityByte),
            pressureLevels: pressureIndex.map { Int(scales[$0]) + 1 } ?? 1024)
    }

    private static func readDate(_ reader: inout RecordReader) throws(SignatureRecordError) -> Date? {
        let offset = reader.offset
        let raw = try reader.bytes(9, field: "capture date")
        if raw.allSatisfy({ $0 == 0xFF }) { return nil }
        let year = Int(raw[0]) << 8 | Int(raw[1])
        let millisecond = Int(raw[7]) << 8 | Int(raw[8])
        let (month, day, hour, minute, second) = (Int(raw[2]), Int(raw[3]), Int(raw[4]), Int(raw[5]), Int(raw[6]))
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
              second < 60, millisecond < 1000
        else {
            throw SignatureRecordError(
                .valueOutOfRange, offset: offset,
                "capture date \(year)-\(month)-\(day) \(hour):\(minute):\(second).\(millisecond) is not a valid UTC time")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: parts), calendar.component(.day, from: date) == day else {
            throw SignatureRecordError(.valueOutOfRange, offset: offset, "capture date \(year)-\(month)-\(day) does not exist")
        }
        return date.addingTimeInterval(Double(millisecond) / 1000)
    }
}

/// Bounds-checked big-endian reader; every read names the field it was reading when it fails.
struct RecordReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func bytes(_ count: Int, field: String) throws(SignatureRecordError) -> [UInt8] {
        guard count <= remaining else {
            throw SignatureRecordError(.truncated, offset: offset, "\(field) needs \(count) bytes but only \(remaining) remain")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func unsigned(width: Int, field: String) throws(SignatureRecordError) -> UInt64 {
        guard width <= remaining else {
            throw SignatureRecordError(.truncated, offset: offset, "\(field) needs \(width) bytes but only \(remaining) remain")
        }
        var value: UInt64 = 0
        for index in offset..<offset + width { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    mutating func u8(field: String) throws(SignatureRecordError) -> UInt8 { UInt8(try unsigned(width: 1, field: field)) }
    mutating func u16(field: String) throws(SignatureRecordError) -> UInt16 { UInt16(try unsigned(width: 2, field: field)) }
    mutating func u32(field: String) throws(SignatureRecordError) -> UInt32 { UInt32(try unsigned(width: 4, field: field)) }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }

    var hexList: String { map { String(format: "%02X", $0) }.joined(separator: " ") }
}
