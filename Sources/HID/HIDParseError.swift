import BioCapture

/// Why a report descriptor was rejected, and where (byte offset of the offending item's prefix,
/// or the descriptor length when the problem is only visible at its end).
public struct HIDParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The descriptor has no bytes at all (an interface whose descriptor could not be read).
        case emptyDescriptor
        /// The item's prefix announces more data bytes than remain.
        case truncatedItem(declaredBytes: Int, remainingBytes: Int)
        /// A long item (prefix 0xFE) whose header or data runs past the end.
        case truncatedLongItem
        case popWithoutPush
        case pushStackTooDeep(limit: Int)
        case endCollectionWithoutCollection
        case collectionNestingTooDeep(limit: Int)
        /// Collections still open when the descriptor ends.
        case unclosedCollections(count: Int)
        case reportSizeZero
        case reportSizeTooLarge(bits: Int, limit: Int)
        case reportCountZero
        /// One report (type, ID) would exceed `limit` bits: a corrupt or hostile descriptor.
        case reportTooLarge(bits: Int, limit: Int)
        case reportIDZero
        case reportIDTooLarge(Int64)
        case usageMaximumWithoutMinimum
        case usageRangeAcrossPages(minimumPage: UInt16, maximumPage: UInt16)
        /// A Main item whose Logical Maximum is below its Logical Minimum.
        case logicalRangeInverted(minimum: Int64, maximum: Int64)
        case unknownGlobalTag(UInt8)
        case nestedDelimiter
        case delimiterCloseWithoutOpen
        case unclosedDelimiter
        case tooManyItems(limit: Int)
    }

    public var offset: Int
    public var reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    /// Plain-English reason, without the offset.
    public var reasonText: String {
        switch reason {
        case .emptyDescriptor: "empty report descriptor"
        case let .truncatedItem(declared, remaining):
            "truncated item: its prefix announces \(declared) data byte(s) but only \(remaining) remain"
        case .truncatedLongItem: "truncated long item"
        case .popWithoutPush: "Pop without a matching Push"
        case let .pushStackTooDeep(limit): "more than \(limit) nested Push items"
        case .endCollectionWithoutCollection: "End Collection without an open Collection"
        case let .collectionNestingTooDeep(limit): "collections nested deeper than \(limit)"
        case let .unclosedCollections(count): "\(count) collection(s) not closed at the end of the descriptor"
        case .reportSizeZero: "Main item with Report Size 0"
        case let .reportSizeTooLarge(bits, limit): "Report Size \(bits) bits exceeds the limit of \(limit)"
        case .reportCountZero: "Main item with Report Count 0"
        case let .reportTooLarge(bits, limit): "report would be \(bits) bits long, more than the limit of \(limit)"
        case .reportIDZero: "Report ID 0 is reserved"
        case let .reportIDTooLarge(value): "Report ID \(value) does not fit in one byte"
        case .usageMaximumWithoutMinimum: "Usage Maximum without a Usage Minimum"
        case let .usageRangeAcrossPages(minPage, maxPage):
            "Usage Minimum (page 0x\(hex(minPage))) and Usage Maximum (page 0x\(hex(maxPage))) on different pages"
        case let .logicalRangeInverted(minimum, maximum):
            "Logical Maximum \(maximum) is below Logical Minimum \(minimum)"
        case let .unknownGlobalTag(tag): "unknown global item tag 0x\(hex(tag))"
        case .nestedDelimiter: "Delimiter opened inside an open Delimiter set"
        case .delimiterCloseWithoutOpen: "Delimiter close without an open Delimiter set"
        case .unclosedDelimiter: "Delimiter set not closed before the Main item or the end"
        case let .tooManyItems(limit): "more than \(limit) items"
        }
    }

    public var description: String { "HID report descriptor error at byte \(offset): \(reasonText)" }

    /// Where the descriptor came from decides who is to blame (hardware-facts §8).
    public enum Source: Sendable { case device, file }

    /// The design's classification: a malformed descriptor read from a device is the device's
    /// fault; one read from a file is bad input.
    public func captureFault(source: Source, device: DeviceIdentity? = nil) -> CaptureFault {
        switch source {
        case .device:
            CaptureFault(.protocolError, message: "The device sent a malformed HID report descriptor: \(description).",
                         underlying: self, device: device)
        case .file:
            CaptureFault(.invalidParameter, domain: .operator,
                         message: "The file is not a valid HID report descriptor: \(description).",
                         remedy: "Check that the file holds the raw report descriptor bytes (sysfs report_descriptor).",
                         underlying: self, device: device)
        }
    }
}

/// A report that cannot be decoded against its layout.
public struct HIDDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case emptyReport
        /// The layout has no report of this type with this ID.
        case unknownReportID(UInt8)
        /// The report is shorter than the layout declares (bytes counted after the ID byte).
        case shortReport(reportID: UInt8, expectedBytes: Int, actualBytes: Int)
        /// The report decoded is not the one the digitizer capabilities describe.
        case notPenReport(reportID: UInt8, expected: UInt8)
    }

    public var reason: Reason
    public init(_ reason: Reason) { self.reason = reason }

    public var description: String {
        switch reason {
        case .emptyReport: "empty HID report"
        case let .unknownReportID(id): "HID report ID \(id) is not declared by the report descriptor"
        case let .shortReport(id, expected, actual):
            "HID report \(id) has \(actual) byte(s) after its ID, the descriptor declares \(expected)"
        case let .notPenReport(id, expected): "HID report \(id) is not the pen report (\(expected))"
        }
    }

    /// A short or unknown report from a device is corrupt data (hardware-facts §8).
    public func captureFault(device: DeviceIdentity? = nil) -> CaptureFault {
        CaptureFault(.corruptFrame, message: "The device sent an HID report that does not match its descriptor: \(description).",
                     underlying: self, device: device)
    }
}

func hex(_ value: some BinaryInteger) -> String {
    String(value, radix: 16, uppercase: true)
}
