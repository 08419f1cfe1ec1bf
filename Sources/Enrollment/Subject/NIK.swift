/// An Indonesian population identity number (Nomor Induk Kependudukan): `PP KK CC DDMMYY SSSS`.
///
/// Checked for structure before anything is captured: a bad NIK is refused and nothing is written.
/// The check is structural only (region code shape, a real birth date, a serial); whether the
/// person exists is the population registry's business.
public struct NIK: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Sex: String, Sendable, Hashable, Codable { case male, female }

    public let digits: String
    /// PP: province code.
    public let provinceCode: Int
    /// PPKKCC: the region (province, regency/city, district) of registration.
    public let regionCode: String
    public let birthDay: Int
    public let birthMonth: Int
    /// Two-digit birth year (the century is not part of the number).
    public let birthYearTwoDigits: Int
    public let sex: Sex
    public let serial: Int

    public var description: String { digits }

    /// Province codes in use (Dukcapil). Newer Papua provinces (2022) got codes 92–96 region space.
    public static let provinceCodes: Set<Int> = [
        11, 12, 13, 14, 15, 16, 17, 18, 19, 21,
        31, 32, 33, 34, 35, 36,
        51, 52, 53,
        61, 62, 63, 64, 65,
        71, 72, 73, 74, 75, 76,
        81, 82,
        91, 92, 93, 94, 95, 96,
    ]

    /// Validates `text` (spaces and dots allowed as separators, as people write it).
    public init(validating text: String) throws(NIKError) {
        let cleaned = text.filter { $0 != " " && $0 != "." && $0 != "-" }
        guard cleaned.count == 16 else { throw NIKError(.length, text: text) }
        guard cleaned.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw NIKError(.notDigits, text: text) }
        let values = cleaned.compactMap { $0.wholeNumberValue }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + values[$1] } }

        let province = number(0..<2)
        guard Self.provinceCodes.contains(province) else { throw NIKError(.province(province), text: text) }
        guard number(2..<4) > 0 else { throw NIKError(.regency, text: text) }
        guard number(4..<6) > 0 else { throw NIKError(.district, text: text) }

        var day = number(6..<8)
        var sex = Sex.male
        if day > 40 {
            day -= 40
            sex = .female
        }
        let month = number(8..<10)
        let year = number(10..<12)
        guard (1...12).contains(month) else { throw NIKError(.month(month), text: text) }
        guard (1...31).contains(day) else { throw NIKError(.day(number(6..<8)), text: text) }
        // The century is unknown: accept a date that exists in 19YY or 20YY.
        guard Self.dateExists(day: day, month: month, year: 1900 + year)
            || Self.dateExists(day: day, month: month, year: 2000 + year)
        else { throw NIKError(.date(day: day, month: month, year: year), text: text) }
        let serial = number(12..<16)
        guard serial > 0 else { throw NIKError(.serial, text: text) }

        digits = cleaned
        provinceCode = province
        regionCode = String(cleaned.prefix(6))
        birthDay = day
        birthMonth = month
        birthYearTwoDigits = year
        self.sex = sex
        self.serial = serial
    }

    static func dateExists(day: Int, month: Int, year: Int) -> Bool {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(month) && (1...lengths[month - 1]).contains(day)
    }
}

/// Why a NIK was refused, in words an operator can act on.
public struct NIKError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case length, notDigits, province(Int), regency, district, day(Int), month(Int)
        case date(day: Int, month: Int, year: Int), serial
    }

    public let reason: Reason
    public let text: String

    init(_ reason: Reason, text: String) {
        self.reason = reason
        self.text = text
    }

    public var description: String {
        let detail: String
        switch reason {
        case .length: detail = "a NIK has exactly 16 digits"
        case .notDigits: detail = "a NIK has digits only"
        case .province(let code): detail = "\(code) is not a province code (digits 1–2)"
        case .regency: detail = "the regency/city code (digits 3–4) cannot be 00"
        case .district: detail = "the district code (digits 5–6) cannot be 00"
        case .day(let value): detail = "birth day \(value) (digits 7–8) must be 01–31, or 41–71 for women"
        case .month(let value): detail = "birth month \(value) (digits 9–10) must be 01–12"
        case .date(let day, let month, let year):
            detail = "birth date \(day)-\(month)-\(year < 10 ? "0" : "")\(year) does not exist"
        case .serial: detail = "the serial number (digits 13–16) cannot be 0000"
        }
        return "NIK '\(text)' refused: \(detail). Check the number on the family card (Kartu Keluarga)."
    }
}
