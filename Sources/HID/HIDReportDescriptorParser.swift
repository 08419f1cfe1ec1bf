/// The item-by-item state machine of HID 1.11 §6.2.2, with the Linux hid-core interpretations
/// real devices rely on (hardware-facts §3–4). One pass, linear in the descriptor length.
struct HIDReportDescriptorParser {
    /// Linux rejects Report Size above 256 bits.
    static let maximumReportSize = 256
    /// Linux's HID_MAX_BUFFER_SIZE is 16 KiB per report.
    static let maximumReportBits = 16_384 * 8
    static let maximumPushDepth = 16
    static let maximumCollectionDepth = 64

    /// Global state: persists until changed, saved and restored by Push/Pop.
    struct Globals {
        var usagePage: UInt16 = 0
        var logicalMinimum: Int64 = 0
        /// Maxima keep their item so the signedness can follow the minimum in effect at the
        /// Main item, whatever the order of the two items.
        var logicalMaximum = RawValue()
        var physicalMinimum: Int64 = 0
        var physicalMaximum = RawValue()
        var unitExponent = 0
        var unit: UInt32 = 0
        var reportSize = 0
        var reportID: UInt8 = 0
        var reportCount = 0
    }

    struct RawValue {
        var unsigned: UInt32 = 0
        var signed: Int64 = 0

        /// Linux: unsigned when the corresponding minimum is >= 0, signed otherwise.
        func resolved(minimum: Int64) -> Int64 { minimum < 0 ? signed : Int64(unsigned) }
    }

    struct LocalUsage {
        var range: HIDUsageRange
        /// Declared with 1 or 2 bytes: its page came from the Usage Page item, not itself.
        var isShort: Bool
    }

    /// Local state: cleared after every Main item.
    struct Locals {
        var usages: [LocalUsage] = []
        var usageMinimum: (value: UInt32, isShort: Bool, page: UInt16, offset: Int)?
        var designatorMinimum: UInt32?
        var designatorRange: ClosedRange<UInt32>?
        var stringMinimum: UInt32?
        var stringRange: ClosedRange<UInt32>?
        var delimiterOpen = false
        var delimiterSets = 0
    }

    struct ReportKey: Hashable {
        var type: HIDReportType
        var id: UInt8
    }

    let descriptor: [UInt8]
    var globals = Globals()
    var globalStack: [Globals] = []
    var locals = Locals()
    var collectionStack: [Int] = []
    var collections: [HIDCollection] = []
    /// Reports in creation order, and where each (type, ID) sits, so fields append in place.
    var reports: [HIDReport] = []
    var reportIndex: [ReportKey: Int] = [:]
    var usesReportIDs = false
    var warnings: [HIDParseWarning] = []

    init(descriptor: [UInt8]) {
        self.descriptor = descriptor
    }

    mutating func run() throws(HIDParseError) -> HIDReportLayout {
        guard !descriptor.isEmpty else { throw HIDParseError(offset: 0, reason: .emptyDescriptor) }
        var offset = 0
        while offset < descriptor.count {
            let item = try HIDItemScanner.item(in: descriptor, at: offset)
            switch item.kind {
            case .main: try main(item)
            case .global: try global(item)
            case .local: try local(item)
            case .long: break  // none are defined; the size told us how far to skip
            case .reserved: warn(item.offset, "reserved item type (prefix 0x\(hex(descriptor[offset]))) ignored")
            }
            offset += item.totalLength
        }
        if !collectionStack.isEmpty {
            throw HIDParseError(offset: descriptor.count, reason: .unclosedCollections(count: collectionStack.count))
        }
        if locals.delimiterOpen { throw HIDParseError(offset: descriptor.count, reason: .unclosedDelimiter) }
        if !globalStack.isEmpty { warn(descriptor.count, "\(globalStack.count) Push item(s) without Pop") }
        if usesReportIDs && reports.contains(where: { $0.id == 0 }) {
            warn(0, "some Main items come before the first Report ID although the descriptor uses report IDs")
        }
        let sorted = reports.sorted { ($0.type, $0.id) < ($1.type, $1.id) }
        return HIDReportLayout(descriptorLength: descriptor.count, usesReportIDs: usesReportIDs, reports: sorted,
                               collections: collections, warnings: warnings)
    }

    mutating func warn(_ offset: Int, _ message: String) {
        // A hostile descriptor could repeat the same oddity thousands of times.
        if warnings.count < 100 { warnings.append(HIDParseWarning(offset: offset, message: message)) }
    }

    // MARK: Main items

    mutating func main(_ item: HIDItem) throws(HIDParseError) {
        defer { locals = Locals() }
        if locals.delimiterOpen { throw HIDParseError(offset: item.offset, reason: .unclosedDelimiter) }
        switch item.tag {
        case 0x8: try addField(item, type: .input)
        case 0x9: try addField(item, type: .output)
        case 0xB: try addField(item, type: .feature)
        case 0xA: try openCollection(item)
        case 0xC:
            guard collectionStack.popLast() != nil else {
                throw HIDParseError(offset: item.offset, reason: .endCollectionWithoutCollection)
            }
        default: warn(item.offset, "unknown Main item tag 0x\(hex(item.tag)) ignored")
        }
    }

    mutating func openCollection(_ item: HIDItem) throws(HIDParseError) {
        guard collectionStack.count < Self.maximumCollectionDepth else {
            throw HIDParseError(offset: item.offset, reason: .collectionNestingTooDeep(limit: Self.maximumCollectionDepth))
        }
        completeShortUsages()
        let collection = HIDCollection(
            index: collections.count, kind: HIDCollection.Kind(rawValue: UInt8(truncatingIfNeeded: item.unsignedValue)),
            usage: locals.usages.first?.range.first, parent: collectionStack.last, depth: collectionStack.count,
            descriptorOffset: item.offset)
        collectionStack.append(collection.index)
        collections.append(collection)
    }

    mutating func addField(_ item: HIDItem, type: HIDReportType) throws(HIDParseError) {
        let size = globals.reportSize
        let count = globals.reportCount
        guard size > 0 else { throw HIDParseError(offset: item.offset, reason: .reportSizeZero) }
        guard size <= Self.maximumReportSize else {
            throw HIDParseError(offset: item.offset, reason: .reportSizeTooLarge(bits: size, limit: Self.maximumReportSize))
        }
        guard count > 0 else { throw HIDParseError(offset: item.offset, reason: .reportCountZero) }
        let logicalMaximum = globals.logicalMaximum.resolved(minimum: globals.logicalMinimum)
        guard logicalMaximum >= globals.logicalMinimum else {
            throw HIDParseError(offset: item.offset, reason: .logicalRangeInverted(minimum: globals.logicalMinimum, maximum: logicalMaximum))
        }
        if locals.usageMinimum != nil { warn(item.offset, "Usage Minimum without Usage Maximum ignored") }

        let key = ReportKey(type: type, id: globals.reportID)
        let index: Int
        if let existing = reportIndex[key] {
            index = existing
        } else {
            index = reports.count
            reports.append(HIDReport(type: type, id: globals.reportID, fields: [], bitLength: 0))
            reportIndex[key] = index
        }
        let bitOffset = reports[index].bitLength
        // size <= 256 and count < 2^32, so the product cannot overflow Int.
        let newLength = bitOffset + size * count
        guard newLength <= Self.maximumReportBits else {
            throw HIDParseError(offset: item.offset, reason: .reportTooLarge(bits: newLength, limit: Self.maximumReportBits))
        }
        completeShortUsages()
        let application = collectionStack.first { collections[$0].kind == .application }.flatMap { collections[$0].usage }
        let field = HIDField(
            reportType: type, reportID: globals.reportID, bitOffset: bitOffset, bitSize: size, count: count,
            flags: HIDMainItemFlags(rawValue: item.unsignedValue), usages: locals.usages.map(\.range),
            logicalMinimum: globals.logicalMinimum, logicalMaximum: logicalMaximum,
            physicalMinimum: globals.physicalMinimum,
            physicalMaximum: globals.physicalMaximum.resolved(minimum: globals.physicalMinimum),
            unit: HIDUnit(rawValue: globals.unit), unitExponent: globals.unitExponent,
            collectionPath: collectionStack, application: application,
            designatorRange: locals.designatorRange, stringRange: locals.stringRange, descriptorOffset: item.offset)
        reports[index].fields.append(field)
        reports[index].bitLength = newLength
    }

    /// A Usage Page item after the usages it should apply to (`Usage X, Usage Page GD, Input`)
    /// re-pages the trailing short usages, back to the first one already on the current page —
    /// the HID spec's "last declared Usage Page" rule as Linux applies it.
    mutating func completeShortUsages() {
        let page = globals.usagePage
        var index = locals.usages.count - 1
        while index >= 0 {
            if locals.usages[index].isShort {
                if locals.usages[index].range.first.page == page { break }
                locals.usages[index].range.first.page = page
            }
            index -= 1
        }
    }

    // MARK: Global items

    mutating func global(_ item: HIDItem) throws(HIDParseError) {
        switch item.tag {
        case 0x0:
            if item.unsignedValue > 0xFFFF { warn(item.offset, "Usage Page 0x\(hex(item.unsignedValue)) wider than 16 bits; high bits dropped") }
            globals.usagePage = UInt16(truncatingIfNeeded: item.unsignedValue)
        case 0x1: globals.logicalMinimum = item.signedValue
        case 0x2: globals.logicalMaximum = RawValue(unsigned: item.unsignedValue, signed: item.signedValue)
        case 0x3: globals.physicalMinimum = item.signedValue
        case 0x4: globals.physicalMaximum = RawValue(unsigned: item.unsignedValue, signed: item.signedValue)
        case 0x5: globals.unitExponent = hidUnitExponent(signedItemValue: item.signedValue)
        case 0x6: globals.unit = item.unsignedValue
        case 0x7: globals.reportSize = Int(item.unsignedValue)
        case 0x8:
            guard item.unsignedValue != 0 else { throw HIDParseError(offset: item.offset, reason: .reportIDZero) }
            guard item.unsignedValue <= 0xFF else {
                throw HIDParseError(offset: item.offset, reason: .reportIDTooLarge(Int64(item.unsignedValue)))
            }
            globals.reportID = UInt8(item.unsignedValue)
            usesReportIDs = true
        case 0x9: globals.reportCount = Int(item.unsignedValue)
        case 0xA:
            guard globalStack.count < Self.maximumPushDepth else {
                throw HIDParseError(offset: item.offset, reason: .pushStackTooDeep(limit: Self.maximumPushDepth))
            }
            globalStack.append(globals)
        case 0xB:
            guard let saved = globalStack.popLast() else { throw HIDParseError(offset: item.offset, reason: .popWithoutPush) }
            globals = saved
        default:
            throw HIDParseError(offset: item.offset, reason: .unknownGlobalTag(item.tag))
        }
    }

    // MARK: Local items

    mutating func local(_ item: HIDItem) throws(HIDParseError) {
        // Inside the second and later delimiter sets usages are alternatives: keep the first set.
        let isAlternative = locals.delimiterSets > 1 && locals.delimiterOpen
        switch item.tag {
        case 0x0:
            guard !isAlternative else { return }
            let usage = completeUsage(item)
            locals.usages.append(LocalUsage(range: HIDUsageRange(first: usage, count: 1), isShort: !item.hasExtendedData))
        case 0x1:
            guard !isAlternative else { return }
            let usage = completeUsage(item)
            locals.usageMinimum = (item.unsignedValue, !item.hasExtendedData, usage.page, item.offset)
        case 0x2:
            guard !isAlternative else { return }
            try addUsageRange(item)
        case 0x3: locals.designatorRange = item.unsignedValue...item.unsignedValue
        case 0x4: locals.designatorMinimum = item.unsignedValue
        case 0x5: locals.designatorRange = closedRange(locals.designatorMinimum ?? 0, item.unsignedValue)
        case 0x7: locals.stringRange = item.unsignedValue...item.unsignedValue
        case 0x8: locals.stringMinimum = item.unsignedValue
        case 0x9: locals.stringRange = closedRange(locals.stringMinimum ?? 0, item.unsignedValue)
        case 0xA:
            if item.unsignedValue == 1 {
                guard !locals.delimiterOpen else { throw HIDParseError(offset: item.offset, reason: .nestedDelimiter) }
                locals.delimiterOpen = true
                locals.delimiterSets += 1
            } else if item.unsignedValue == 0 {
                guard locals.delimiterOpen else { throw HIDParseError(offset: item.offset, reason: .delimiterCloseWithoutOpen) }
                locals.delimiterOpen = false
            } else {
                warn(item.offset, "Delimiter value \(item.unsignedValue) is neither open (1) nor close (0); ignored")
            }
        default:
            warn(item.offset, "unknown Local item tag 0x\(hex(item.tag)) ignored")
        }
    }

    func closedRange(_ low: UInt32, _ high: UInt32) -> ClosedRange<UInt32> { min(low, high)...max(low, high) }

    /// A 4-byte usage carries its page; a shorter one takes the current Usage Page.
    func completeUsage(_ item: HIDItem) -> HIDUsage {
        item.hasExtendedData
            ? HIDUsage(extended: item.unsignedValue)
            : HIDUsage(page: globals.usagePage, id: UInt16(truncatingIfNeeded: item.unsignedValue))
    }

    mutating func addUsageRange(_ item: HIDItem) throws(HIDParseError) {
        guard let minimum = locals.usageMinimum else {
            throw HIDParseError(offset: item.offset, reason: .usageMaximumWithoutMinimum)
        }
        locals.usageMinimum = nil
        let maximum = completeUsage(item)
        let isShort = minimum.isShort && !item.hasExtendedData
        // A short end takes the other end's page when only one of them is extended.
        let minimumPage = minimum.isShort && item.hasExtendedData ? maximum.page : minimum.page
        let maximumPage = item.hasExtendedData || minimum.isShort ? maximum.page : minimum.page
        guard minimumPage == maximumPage else {
            throw HIDParseError(offset: item.offset, reason: .usageRangeAcrossPages(minimumPage: minimumPage, maximumPage: maximumPage))
        }
        let first = UInt16(truncatingIfNeeded: minimum.value)
        guard maximum.id >= first else {
            warn(item.offset, "Usage Maximum 0x\(hex(maximum.id)) below Usage Minimum 0x\(hex(first)); range ignored")
            return
        }
        locals.usages.append(LocalUsage(
            range: HIDUsageRange(first: HIDUsage(page: minimumPage, id: first), count: Int(maximum.id - first) + 1),
            isShort: isShort))
    }
}
