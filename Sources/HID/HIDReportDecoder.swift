/// What one element of a field holds in a particular report.
public enum HIDValue: Sendable, Hashable {
    /// A variable element. `physical` is in the field's unit (cm, inch, degree…, exponent
    /// applied) and nil when the field declares no unit.
    case number(logical: Int64, physical: Double?)
    /// A Null State field reporting a value outside its logical range: "no value".
    case null
    /// An array field: the usages currently reported (key codes, buttons), "no event" left out.
    case usages([HIDUsage])
    /// A field wider than 32 bits (vendor blobs), LSB first.
    case bytes([UInt8])

    public var logical: Int64? {
        if case let .number(logical, _) = self { return logical }
        return nil
    }

    public var physical: Double? {
        if case let .number(_, physical) = self { return physical }
        return nil
    }
}

/// One decoded element.
public struct HIDFieldValue: Sendable, Hashable {
    /// Index in `HIDReport.fields`.
    public var fieldIndex: Int
    /// Element within the field (always 0 for array fields, which decode as one value).
    public var element: Int
    /// The element's usage; nil for array fields.
    public var usage: HIDUsage?
    public var value: HIDValue
}

/// A report decoded against its layout.
public struct HIDDecodedReport: Sendable, Hashable {
    public var type: HIDReportType
    public var reportID: UInt8
    /// Every non-padding element in bit order.
    public var values: [HIDFieldValue]

    /// The first element carrying `usage`.
    public func value(for usage: HIDUsage) -> HIDValue? {
        values.first { $0.usage == usage }?.value
    }

    public func logical(for usage: HIDUsage) -> Int64? { value(for: usage)?.logical }
}

extension HIDReportLayout {
    /// Decodes a report as it arrives on the interrupt endpoint or from GET_REPORT: starting with
    /// the report-ID byte when the descriptor uses report IDs. Bytes beyond the declared length
    /// (padding to the packet size) are ignored; fewer bytes is an error.
    public func decode(_ bytes: [UInt8], type: HIDReportType = .input) throws(HIDDecodeError) -> HIDDecodedReport {
        if usesReportIDs {
            guard let id = bytes.first else { throw HIDDecodeError(.emptyReport) }
            return try decode(payload: bytes, payloadStart: 1, reportID: id, type: type)
        }
        guard !bytes.isEmpty else { throw HIDDecodeError(.emptyReport) }
        return try decode(payload: bytes, payloadStart: 0, reportID: 0, type: type)
    }

    /// Decodes report bytes that do not start with the ID byte (the caller already stripped it).
    public func decode(payload: [UInt8], reportID: UInt8, type: HIDReportType = .input) throws(HIDDecodeError) -> HIDDecodedReport {
        try decode(payload: payload, payloadStart: 0, reportID: reportID, type: type)
    }

    func decode(payload bytes: [UInt8], payloadStart: Int, reportID: UInt8, type: HIDReportType)
        throws(HIDDecodeError) -> HIDDecodedReport
    {
        guard let report = report(type, id: reportID) else { throw HIDDecodeError(.unknownReportID(reportID)) }
        let available = bytes.count - payloadStart
        guard available >= report.payloadLength else {
            throw HIDDecodeError(.shortReport(reportID: reportID, expectedBytes: report.payloadLength, actualBytes: available))
        }
        var values: [HIDFieldValue] = []
        values.reserveCapacity(report.fields.count)
        for (fieldIndex, field) in report.fields.enumerated() where !field.isPadding {
            if field.isArray {
                values.append(HIDFieldValue(fieldIndex: fieldIndex, element: 0, usage: nil,
                                            value: arrayValue(field, bytes, payloadStart)))
                continue
            }
            let usages = field.elementUsages()
            for element in 0..<field.count {
                let bitOffset = field.bitOffset + element * field.bitSize
                let value: HIDValue
                if field.isOpaque {
                    value = .bytes(HIDBits.bytes(bytes, byteBase: payloadStart, bitOffset: bitOffset, bitCount: field.bitSize))
                } else {
                    let logical = HIDBits.logical(bytes, byteBase: payloadStart, bitOffset: bitOffset, field: field)
                    if field.flags.contains(.nullState), logical < field.logicalMinimum || logical > field.logicalMaximum {
                        value = .null
                    } else {
                        value = .number(logical: logical, physical: field.physicalValue(logical: logical))
                    }
                }
                values.append(HIDFieldValue(fieldIndex: fieldIndex, element: element,
                                            usage: element < usages.count ? usages[element] : usages.last, value: value))
            }
        }
        return HIDDecodedReport(type: type, reportID: reportID, values: values)
    }

    private func arrayValue(_ field: HIDField, _ bytes: [UInt8], _ payloadStart: Int) -> HIDValue {
        guard !field.isOpaque else {
            return .bytes(HIDBits.bytes(bytes, byteBase: payloadStart, bitOffset: field.bitOffset, bitCount: field.totalBits))
        }
        // Start index of each usage run, for a binary search per element.
        var starts: [Int] = []
        starts.reserveCapacity(field.usages.count)
        var total = 0
        for range in field.usages {
            starts.append(total)
            total += range.count
        }
        var usages: [HIDUsage] = []
        for element in 0..<field.count {
            let logical = HIDBits.logical(bytes, byteBase: payloadStart,
                                          bitOffset: field.bitOffset + element * field.bitSize, field: field)
            // Out-of-range indices mean "nothing pressed" (HID 1.11 §6.2.2.5).
            guard logical >= field.logicalMinimum, logical <= field.logicalMaximum else { continue }
            let index = Int(logical - field.logicalMinimum)
            guard index < total else { continue }
            var low = 0
            var high = starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= index { low = middle } else { high = middle - 1 }
            }
            let range = field.usages[low]
            let usage = HIDUsage(page: range.first.page, id: UInt16(truncatingIfNeeded: Int(range.first.id) + index - starts[low]))
            if usage.id != 0 { usages.append(usage) }
        }
        return .usages(usages)
    }
}

/// LSB-first bit extraction (hardware-facts §3): bit o is bit (o mod 8) of byte (o / 8).
public enum HIDBits {
    /// Up to 64 bits starting `bitOffset` bits after `bytes[byteBase]`. Callers check the length.
    @inline(__always)
    public static func unsigned(_ bytes: [UInt8], byteBase: Int, bitOffset: Int, bitCount: Int) -> UInt64 {
        var value: UInt64 = 0
        var produced = 0
        var bit = bitOffset
        let count = min(bitCount, 64)
        while produced < count {
            let index = byteBase + bit >> 3
            guard index < bytes.count else { break }
            let shift = bit & 7
            let take = min(8 - shift, count - produced)
            let chunk = (UInt64(bytes[index]) >> UInt64(shift)) & ((1 << UInt64(take)) - 1)
            value |= chunk << UInt64(produced)
            produced += take
            bit += take
        }
        return value
    }

    /// The element's logical value, sign-extended when the field's logical minimum is negative.
    @inline(__always)
    static func logical(_ bytes: [UInt8], byteBase: Int, bitOffset: Int, field: HIDField) -> Int64 {
        let raw = unsigned(bytes, byteBase: byteBase, bitOffset: bitOffset, bitCount: field.bitSize)
        guard field.isSigned, field.bitSize < 64 else { return Int64(bitPattern: raw) }
        let unusedBits = UInt64(64 - field.bitSize)
        return Int64(bitPattern: raw << unusedBits) >> Int64(unusedBits)
    }

    /// `bitCount` bits as ceil(bitCount / 8) bytes, LSB first.
    public static func bytes(_ bytes: [UInt8], byteBase: Int, bitOffset: Int, bitCount: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity((bitCount + 7) / 8)
        var done = 0
        while done < bitCount {
            let take = min(8, bitCount - done)
            result.append(UInt8(truncatingIfNeeded: unsigned(bytes, byteBase: byteBase, bitOffset: bitOffset + done, bitCount: take)))
            done += take
        }
        return result
    }
}
