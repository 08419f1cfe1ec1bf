import BioCapture
import Foundation

/// The JSON form of a signature capture, for `biocapture capture signature --output sig.json`
/// and `biocapture check signature --input sig.json`.
///
/// ```json
/// {"format": "biocapture.signature", "version": 1, "areaWidth": 96, "areaHeight": 60,
///  "reportRate": 200, "pressureLevels": 1024, "device": "STU-430",
///  "capturedAt": "2026-11-25T12:00:00Z",
///  "points": [{"x": 10.5, "y": 20.25, "pressure": 0.4, "tipDown": true, "inRange": true,
///              "milliseconds": 0}]}
/// ```
/// Decoding always validates (see `validate()`).
public struct SignatureTimeSeries: Sendable, Hashable, Codable {
    public static let formatName = "biocapture.signature"
    public static let currentVersion = 1
    /// Largest number of reports accepted (an hour at 200 reports per second is 720,000).
    public static let maximumPointCount = 2_000_000

    public var format: String
    public var version: Int
    /// Active area in millimetres.
    public var areaWidth: Double
    public var areaHeight: Double
    /// Reports per second, when known.
    public var reportRate: Double?
    /// Pressure levels of the pad, when known.
    public var pressureLevels: Int?
    /// The pad model or device id, when known.
    public var device: String?
    public var capturedAt: Date?
    public var points: [PenPoint]

    public init(
        points: [PenPoint], areaWidth: Double, areaHeight: Double, reportRate: Double? = nil,
        pressureLevels: Int? = nil, device: String? = nil, capturedAt: Date? = nil
    ) {
        format = Self.formatName
        version = Self.currentVersion
        self.areaWidth = areaWidth
        self.areaHeight = areaHeight
        self.reportRate = reportRate
        self.pressureLevels = pressureLevels
        self.device = device
        self.capturedAt = capturedAt
        self.points = points
    }

    /// The series of a captured sample.
    public init(sample: SignatureSample, pad: SignaturePadProfile? = nil) {
        self.init(
            points: sample.points, areaWidth: sample.areaWidth, areaHeight: sample.areaHeight,
            reportRate: pad?.reportRate, pressureLevels: pad?.pressureLevels,
            device: sample.metadata.device.id, capturedAt: sample.metadata.capturedAt)
    }

    /// Checks every rule a stored series must satisfy:
    /// - `format` is `biocapture.signature` and `version` is 1;
    /// - the area is finite and positive; `reportRate` (if present) finite and positive;
    ///   `pressureLevels` (if present) 2…65536; at most `maximumPointCount` points;
    /// - each point: x, y, pressure and milliseconds finite; 0 ≤ x ≤ areaWidth and
    ///   0 ≤ y ≤ areaHeight; 0 ≤ pressure ≤ 1; milliseconds ≥ 0 and never less than the previous
    ///   point's (equal times are allowed: some pads send two reports per scan); `tipDown`
    ///   implies `inRange`.
    public func validate() throws(SignatureDataError) {
        guard format == Self.formatName else { throw SignatureDataError(field: "format", "is \"\(format)\", expected \"\(Self.formatName)\"") }
        guard version == Self.currentVersion else { throw SignatureDataError(field: "version", "\(version) is not supported (expected \(Self.currentVersion))") }
        guard areaWidth.isFinite, areaWidth > 0 else { throw SignatureDataError(field: "areaWidth", "must be a positive number of millimetres, got \(areaWidth)") }
        guard areaHeight.isFinite, areaHeight > 0 else { throw SignatureDataError(field: "areaHeight", "must be a positive number of millimetres, got \(areaHeight)") }
        if let rate = reportRate, !(rate.isFinite && rate > 0) {
            throw SignatureDataError(field: "reportRate", "must be a positive number of reports per second, got \(rate)")
        }
        if let levels = pressureLevels, !(2...65536).contains(levels) {
            throw SignatureDataError(field: "pressureLevels", "must be 2…65536, got \(levels)")
        }
        guard points.count <= Self.maximumPointCount else {
            throw SignatureDataError(field: "points", "has \(points.count) reports, more than \(Self.maximumPointCount)")
        }
        var previous = -Double.infinity
        for (index, point) in points.enumerated() {
            for (name, value) in [("x", point.x), ("y", point.y), ("pressure", point.pressure), ("milliseconds", point.milliseconds)]
            where !value.isFinite {
                throw SignatureDataError(point: index, field: name, "is not a finite number (\(value))")
            }
            guard point.x >= 0, point.x <= areaWidth else {
                throw SignatureDataError(point: index, field: "x", "\(point.x) mm is outside the pad (0…\(areaWidth))")
            }
            guard point.y >= 0, point.y <= areaHeight else {
                throw SignatureDataError(point: index, field: "y", "\(point.y) mm is outside the pad (0…\(areaHeight))")
            }
            guard point.pressure >= 0, point.pressure <= 1 else {
                throw SignatureDataError(point: index, field: "pressure", "\(point.pressure) is outside 0…1")
            }
            guard point.milliseconds >= 0 else {
                throw SignatureDataError(point: index, field: "milliseconds", "time \(point.milliseconds) is negative")
            }
            guard point.milliseconds >= previous else {
                throw SignatureDataError(
                    point: index, field: "milliseconds", "time \(point.milliseconds) ms goes back from \(previous) ms (time must not decrease)")
            }
            guard !point.tipDown || point.inRange else {
                throw SignatureDataError(point: index, field: "tipDown", "the tip is down while the pen is out of range")
            }
            previous = point.milliseconds
        }
    }

    /// Decodes and validates JSON. Malformed JSON, missing fields, wrong types and rule
    /// violations are all `SignatureDataError`s that name the field (and point index).
    /// `"NaN"`, `"Infinity"` and `"-Infinity"` strings are read as numbers so that they are
    /// reported as non-finite values rather than as type errors.
    public static func decode(json data: Data) throws(SignatureDataError) -> SignatureTimeSeries {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let series: SignatureTimeSeries
        do {
            series = try decoder.decode(SignatureTimeSeries.self, from: data)
        } catch let error as DecodingError {
            throw SignatureDataError(decoding: error)
        } catch {
            throw SignatureDataError(field: "", "is not readable JSON: \(error)")
        }
        try series.validate()
        return series
    }

    /// Validates, then encodes as JSON (sorted keys, ISO 8601 dates).
    public func encodeJSON(pretty: Bool = false) throws(SignatureDataError) -> Data {
        try validate()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        do {
            return try encoder.encode(self)
        } catch {
            throw SignatureDataError(field: "", "could not be encoded: \(error)")
        }
    }
}

/// Why a signature time series (JSON or in memory) is unusable.
public struct SignatureDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The point index, for errors in one report.
    public var point: Int?
    /// The field's JSON name (`x`, `milliseconds`, `areaWidth`…); empty for the document.
    public var field: String
    public var detail: String

    public init(point: Int? = nil, field: String, _ detail: String) {
        self.point = point
        self.field = field
        self.detail = detail
    }

    init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> (Int?, String) {
            var pointIndex: Int?
            var names: [String] = []
            for key in keys {
                if let index = key.intValue { pointIndex = index } else { names.append(key.stringValue) }
            }
            return (pointIndex, names.last ?? "")
        }
        switch error {
        case .typeMismatch(let type, let context):
            let (index, name) = path(context.codingPath)
            self.init(point: index, field: name, "has the wrong type (expected \(type))")
        case .valueNotFound(let type, let context):
            let (index, name) = path(context.codingPath)
            self.init(point: index, field: name, "is null (expected \(type))")
        case .keyNotFound(let key, let context):
            let (index, _) = path(context.codingPath)
            self.init(point: index, field: key.stringValue, "is missing")
        case .dataCorrupted(let context):
            let (index, name) = path(context.codingPath)
            var reason = context.debugDescription
            if let underlying = context.underlyingError { reason += " (\(underlying))" }
            self.init(point: index, field: name, context.codingPath.isEmpty ? "the document is not valid JSON: \(reason)" : "is malformed: \(reason)")
        @unknown default:
            self.init(field: "", "could not be decoded: \(error)")
        }
    }

    /// The error as a core fault: the file or argument is unusable (software domain, like any
    /// undecodable stored data).
    public var fault: CaptureFault {
        CaptureFault(.decodeFailed, message: description, remedy: "Check the file, or capture the signature again.", underlying: self)
    }

    public var description: String {
        var location = "signature data"
        if let point { location += ", point \(point)" }
        if !field.isEmpty { location += ", field \(field)" }
        return "Invalid \(location): \(detail)"
    }
}
