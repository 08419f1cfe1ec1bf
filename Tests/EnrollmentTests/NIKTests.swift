@testable import Enrollment
import XCTest

final class NIKTests: XCTestCase {
    func testAcceptsWellFormedNumbers() throws {
        let woman = try NIK(validating: "5371014505900001")
        XCTAssertEqual(woman.sex, .female)
        XCTAssertEqual(woman.birthDay, 5)
        XCTAssertEqual(woman.birthMonth, 5)
        XCTAssertEqual(woman.birthYearTwoDigits, 90)
        XCTAssertEqual(woman.regionCode, "537101")
        XCTAssertEqual(woman.serial, 1)

        let man = try NIK(validating: "3174 05 170885 0123")
        XCTAssertEqual(man.sex, .male)
        XCTAssertEqual(man.digits, "3174051708850123")
        XCTAssertEqual(man.provinceCode, 31)

        // 29 February exists in 2000 (and in 1900? no — but 2000 is enough).
        XCTAssertNoThrow(try NIK(validating: "3201012902000001"))
        // Women's day 71 = 31st.
        XCTAssertNoThrow(try NIK(validating: "3201017101990002"))
    }

    func testRefusesMalformedNumbersWithTheReason() {
        let cases: [(String, String)] = [
            ("537101450590001", "exactly 16 digits"),
            ("53710145059000011", "exactly 16 digits"),
            ("53710145059O0001", "digits only"),
            ("９９７１０１４５０５９０００１", "exactly 16 digits"),
            ("9971014505900001", "not a province code"),
            ("5300014505900001", "regency/city code"),
            ("5371004505900001", "district code"),
            ("5371013205900001", "birth day 32"),
            ("5371010005900001", "birth day 0"),
            ("5371017205900001", "birth day 72"),
            ("5371010513900001", "birth month 13"),
            ("5371013102900001", "does not exist"),
            ("5371012902010001", "does not exist"),  // 2001 and 1901 are not leap years
            ("5371014505900000", "serial number"),
        ]
        for (text, reason) in cases {
            XCTAssertThrowsError(try NIK(validating: text), text) { error in
                XCTAssertTrue(String(describing: error).contains(reason), "\(text): \(error)")
            }
        }
    }
}
