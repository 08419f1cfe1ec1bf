/// One item of a report descriptor as it sits in the bytes.
public struct HIDItem: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable, Codable {
        case main = 0, global = 1, local = 2, reserved = 3
        /// Prefix 0xFE: no long items are defined; parsers skip them.
        case long = 4
    }

    /// Byte offset of the prefix in the descriptor.
    public var offset: Int
    public var kind: Kind
    /// bTag (bits 7..4 of the prefix) for short items; bLongItemTag for long ones.
    public var tag: UInt8
    /// Number of data bytes: 0, 1, 2 or 4 for short items; bDataSize for long items.
    public var dataSize: Int
    /// The data zero-extended (short items; the first 4 bytes of a long item's data).
    public var unsignedValue: UInt32
    /// Prefix + data (+ 2 header bytes for long items).
    public var totalLength: Int

    public init(offset: Int, kind: Kind, tag: UInt8, dataSize: Int, unsignedValue: UInt32, totalLength: Int) {
        self.offset = offset
        self.kind = kind
        self.tag = tag
        self.dataSize = dataSize
        self.unsignedValue = unsignedValue
        self.totalLength = totalLength
    }

    /// The data sign-extended from its size (1, 2 or 4 bytes).
    public var signedValue: Int64 {
        switch dataSize {
        case 0: 0
        case 1: Int64(Int8(truncatingIfNeeded: unsignedValue))
        case 2: Int64(Int16(truncatingIfNeeded: unsignedValue))
        default: Int64(Int32(bitPattern: unsignedValue))
        }
    }

    /// Whether the data is the 4-byte form, which for Usage items carries its own page.
    public var hasExtendedData: Bool { dataSize > 2 }

    /// The short-item name ("Input", "Usage Page", …).
    public var name: String {
        switch (kind, tag) {
        case (.main, 0x8): "Input"
        case (.main, 0x9): "Output"
        case (.main, 0xB): "Feature"
        case (.main, 0xA): "Collection"
        case (.main, 0xC): "End Collection"
        case (.global, 0x0): "Usage Page"
        case (.global, 0x1): "Logical Minimum"
        case (.global, 0x2): "Logical Maximum"
        case (.global, 0x3): "Physical Minimum"
        case (.global, 0x4): "Physical Maximum"
        case (.global, 0x5): "Unit Exponent"
        case (.global, 0x6): "Unit"
        case (.global, 0x7): "Report Size"
        case (.global, 0x8): "Report ID"
        case (.global, 0x9): "Report Count"
        case (.global, 0xA): "Push"
        case (.global, 0xB): "Pop"
        case (.local, 0x0): "Usage"
        case (.local, 0x1): "Usage Minimum"
        case (.local, 0x2): "Usage Maximum"
        case (.local, 0x3): "Designator Index"
        case (.local, 0x4): "Designator Minimum"
        case (.local, 0x5): "Designator Maximum"
        case (.local, 0x7): "String Index"
        case (.local, 0x8): "String Minimum"
        case (.local, 0x9): "String Maximum"
        case (.local, 0xA): "Delimiter"
        case (.long, _): "Long Item"
        default: "Reserved (\(kind), tag 0x\(hex(tag)))"
        }
    }
}

/// Splits a report descriptor into items without interpreting them.
public enum HIDItemScanner {
    /// All items in order. Throws `HIDParseError` (with the prefix's offset) for an empty
    /// descriptor or an item that runs past the end.
    public static func items(in descriptor: [UInt8]) throws(HIDParseError) -> [HIDItem] {
        guard !descriptor.isEmpty else { throw HIDParseError(offset: 0, reason: .emptyDescriptor) }
        var items: [HIDItem] = []
        items.reserveCapacity(descriptor.count / 2)
        var offset = 0
        while offset < descriptor.count {
            let item = try item(in: descriptor, at: offset)
            items.append(item)
            offset += item.totalLength
        }
        return items
    }

    /// The item whose prefix is at `offset` (which must be inside the descriptor).
    static func item(in descriptor: [UInt8], at offset: Int) throws(HIDParseError) -> HIDItem {
        let prefix = descriptor[offset]
        let remaining = descriptor.count - offset - 1
        if prefix == 0xFE {
            guard remaining >= 2 else { throw HIDParseError(offset: offset, reason: .truncatedLongItem) }
            let dataSize = Int(descriptor[offset + 1])
            guard remaining - 2 >= dataSize else { throw HIDParseError(offset: offset, reason: .truncatedLongItem) }
            return HIDItem(offset: offset, kind: .long, tag: descriptor[offset + 2], dataSize: dataSize,
                           unsignedValue: littleEndian(descriptor, from: offset + 3, count: min(4, dataSize)),
                           totalLength: 3 + dataSize)
        }
        let sizeCode = prefix & 0x3
        let dataSize = sizeCode == 3 ? 4 : Int(sizeCode)
        guard remaining >= dataSize else {
            throw HIDParseError(offset: offset, reason: .truncatedItem(declaredBytes: dataSize, remainingBytes: remaining))
        }
        let kind = HIDItem.Kind(rawValue: (prefix >> 2) & 0x3) ?? .reserved
        return HIDItem(offset: offset, kind: kind, tag: prefix >> 4, dataSize: dataSize,
                       unsignedValue: littleEndian(descriptor, from: offset + 1, count: dataSize),
                       totalLength: 1 + dataSize)
    }

    @inline(__always)
    static func littleEndian(_ bytes: [UInt8], from start: Int, count: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<count { value |= UInt32(bytes[start + index]) << UInt32(index * 8) }
        return value
    }
}
