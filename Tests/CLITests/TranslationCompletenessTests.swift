import BioCapture
import Enrollment
import Foundation
import XCTest
@testable import biocapture

/// Every message of the CLI and of the self-test ladder exists in English and Bahasa Indonesia,
/// the Indonesian text is a translation (not the English left in place), and both texts take
/// the same placeholders.
final class TranslationCompletenessTests: XCTestCase {
    func testEveryCLIMessageKeyHasBothLanguages() {
        for key in CLIMessageKey.allCases {
            guard let entry = CLIMessages.table[key] else {
                XCTFail("\(key.rawValue) has no entry in CLIMessages.table")
                continue
            }
            XCTAssertFalse(entry.english.trimmingCharacters(in: .whitespaces).isEmpty, "\(key.rawValue): English is empty")
            XCTAssertFalse(entry.indonesian.trimmingCharacters(in: .whitespaces).isEmpty, "\(key.rawValue): Indonesian is empty")
            if !CLIMessages.identicalInBothLanguages.contains(key) {
                XCTAssertNotEqual(entry.english, entry.indonesian, "\(key.rawValue): the Indonesian text is the English one")
            }
            XCTAssertEqual(CLIMessages.placeholders(in: entry.english), CLIMessages.placeholders(in: entry.indonesian),
                           "\(key.rawValue): placeholders differ between the languages")
        }
        XCTAssertEqual(CLIMessages.table.count, CLIMessageKey.allCases.count)
    }

    /// The exception list only holds keys that really read the same, so it cannot hide a
    /// forgotten translation once the text changes.
    func testTheSameInBothLanguagesListIsAccurate() {
        for key in CLIMessages.identicalInBothLanguages {
            XCTAssertEqual(CLIMessages.table[key]?.english, CLIMessages.table[key]?.indonesian,
                           "\(key.rawValue) is listed as identical but its texts differ: remove it from the list")
        }
    }

    func testEveryLadderDetailHasBothLanguages() {
        for key in SelfTestLadder.DetailKey.allCases {
            guard let entry = SelfTestLadder.detailTexts[key] else {
                XCTFail("\(key.rawValue) has no entry in SelfTestLadder.detailTexts")
                continue
            }
            XCTAssertFalse(entry.english.isEmpty, key.rawValue)
            XCTAssertFalse(entry.indonesian.isEmpty, key.rawValue)
            XCTAssertNotEqual(entry.english, entry.indonesian, "\(key.rawValue): the Indonesian text is the English one")
            XCTAssertEqual(CLIMessages.placeholders(in: entry.english), CLIMessages.placeholders(in: entry.indonesian), key.rawValue)
        }
    }

    func testPlaceholdersAreFilledOnceAndUnknownOnesKept() {
        XCTAssertEqual(LocalizedText.fill("cannot write {path}: {reason}", ["path": "/a/{reason}", "reason": "full"]),
                       "cannot write /a/{reason}: full")
        XCTAssertEqual(LocalizedText.fill("{unknown} and {path", ["path": "x"]), "{unknown} and {path")
        XCTAssertEqual(CLIMessages.text(.udevWrote, .indonesian, ["path": "/etc/x"]), "/etc/x ditulis")
        XCTAssertEqual(SelfTestLadder.detail(.readWrite, .indonesian, ["node": "/dev/bus/usb/001/002"]),
                       "/dev/bus/usb/001/002 dapat dibaca dan ditulis")
    }

    /// Each text function fills every placeholder its template names (none is left as `{…}`).
    func testTextFunctionsLeaveNoPlaceholderBehind() {
        for language in MessageLanguage.allCases {
            let doctor = DoctorText(language)
            let udev = UdevText(language)
            let devices = DevicesText(language)
            let journal = JournalText(language)
            let texts: [String] = [
                doctor.usbfsPresent("/p"), doctor.usbfsMissing("/p"), doctor.sysfsPresent("/p", devices: 1),
                doctor.sysfsPresent("/p", devices: 2), doctor.sysfsMissing("/p"), doctor.accessNoDevice(seen: 1),
                doctor.accessNoDevice(seen: 3), doctor.accessOK(["a"]), doctor.accessDenied(["a"]), doctor.nodeMissing(["a"]),
                doctor.accessRemedy, doctor.deviceAtNode("d", "/n"), doctor.rulesMissing(["/a", "/b"]), doctor.rulesNoPolicy("/d"),
                doctor.rulesBothPolicies(["/a"]), doctor.rulesStale(["/a"]), doctor.rulesOK("/d", policy: "uaccess"),
                doctor.rulesRemedy, doctor.kernelExpected(["i → d"]), doctor.kernelFree(1), doctor.kernelFree(2),
                doctor.kernelUnexpected(["i → d"]), doctor.groupsList("u", []), doctor.groupsRoot("root"),
                doctor.groupsMissingPlugdev("u", ["u"]), doctor.groupsPlugdevRemedy("u"), doctor.diskOK("/j", "1 GiB"),
                doctor.diskLow("/j", "1 MiB", "1 GiB"), doctor.diskMissing("/j"), doctor.clockOK("t"), doctor.clockReset("t"),
                doctor.powerMains(doctor.batterySummary([50])), doctor.powerBattery(""), doctor.powerLow("", onMains: true),
                doctor.powerLow("", onMains: false), doctor.powerCritical(""), doctor.summary(ok: 1, warnings: 1, failed: 0),
                doctor.summary(ok: 1, warnings: 2, failed: 0),
                udev.wrote("/p"), udev.removedOtherPolicy("/p"), udev.createdDirectory("/p"),
                udev.permissionDenied("/p", headless: true), udev.readOnly("/p"), udev.writeFailed("/p", "r"),
                udev.reasonExitStatus(2), udev.ranUdevadm(["a", "b"]), udev.udevadmFailed(["a"], "d"),
                udev.udevadmTimedOut(["a"], seconds: 30),
                devices.scanFailed("r"), devices.noAccess, devices.unclaimed(1), devices.unclaimed(2),
                journal.noJournal("/j"), journal.noSessions("/j"), journal.intact(samples: 3), journal.notIntact(problems: 2),
                journal.exported(session: "s", output: "/o", samples: 1),
                journal.sessionLine(id: "s", subject: "n", state: .complete, samples: 1, exceptions: 0, faults: 0),
                SelftestText.unknownDevice("x", known: [], language), SelftestText.unknownDevice("x", known: ["a"], language),
                SelftestText.reportFailed("/d", "r", language), SelftestText.reportWritten("/d", language),
                EnrollText.badException("s", language), EnrollText.started("s", resumed: true, missing: 2, language),
                EnrollText.started("s", resumed: false, missing: 2, language),
                EnrollText.quality(40, threshold: 60, language),
                EnrollText.exception(SubjectException(slot: "finger-2", kind: .injured, permanence: .temporary, reason: "r"), language),
            ]
            for text in texts {
                XCTAssertFalse(text.contains("{") || text.contains("}"), "\(language): unfilled placeholder in \(text)")
            }
        }
    }

    func testIndonesianDoctorChecksUseTheTable() {
        let check = DoctorChecks.diskSpace(path: "/j", availableBytes: 512 << 20, language: .indonesian)
        XCTAssertEqual(check.message, "hanya 512 MiB kosong di /j (di bawah 1.0 GiB)")
        XCTAssertEqual(check.title, "Ruang disk kosong untuk jurnal")
        let power = DoctorChecks.power([PowerSupplyFact(name: "AC", type: "Mains", online: false),
                                        PowerSupplyFact(name: "BAT0", type: "Battery", capacity: 25)], language: .indonesian)
        XCTAssertEqual(power.message, "baterai lemah (baterai 25 %), tidak sedang diisi")
        let groups = DoctorChecks.groups(user: "op", groups: ["op"], isRoot: false, plugdevPolicyInstalled: true, language: .indonesian)
        XCTAssertEqual(groups.status, .warning)
        XCTAssertEqual(groups.remedy, "jalankan sudo usermod -aG plugdev op, lalu logout dan login kembali")
        XCTAssertEqual(DoctorChecks.groups(user: "op", groups: [], isRoot: false, plugdevPolicyInstalled: false, language: .indonesian).message,
                       "pengguna op termasuk grup: (tidak ada)")
        XCTAssertEqual(DoctorChecks.groups(user: "root", groups: ["root"], isRoot: true, plugdevPolicyInstalled: false, language: .indonesian).message,
                       "berjalan sebagai root (uid 0): akses perangkat tidak dibatasi oleh grup")
        let denied = UdevInstaller.classify(EACCES, path: "/etc/udev/rules.d/60-biocapture.rules", headless: false, language: .indonesian)
        XCTAssertTrue(denied.message.hasPrefix("izin ditolak saat menulis /etc/udev/rules.d/60-biocapture.rules"), denied.message)
        XCTAssertEqual(denied.exitCode.rawValue, 77)
    }

    func testExceptionsAndQualityLinesInIndonesian() {
        let exception = SubjectException(slot: "finger-2", kind: .missing, permanence: .permanent, reason: "amputasi")
        XCTAssertEqual(EnrollText.exception(exception, .indonesian), "finger-2: tidak ada (permanen) — alasan: amputasi")
        XCTAssertEqual(EnrollText.exception(exception, .english), "finger-2: missing (permanent) — amputasi")
        XCTAssertEqual(EnrollText.quality(42, threshold: 60, .indonesian), "kualitas 42 / 60")
    }

    func testTheDoctorTagsLineUpInBothLanguages() {
        let checks = [
            DoctorCheck(id: "usbfs", title: "A", status: .ok, message: "m"),
            DoctorCheck(id: "b", title: "B", status: .warning, message: "m", remedy: "r"),
            DoctorCheck(id: "c", title: "C", status: .fail, message: "m", remedy: "r"),
        ]
        let report = DoctorReport(checks: checks)
        XCTAssertEqual(DoctorText(.english).render(report), """
            [ok]   A: m
            [warn] B: m
                   remedy: r
            [FAIL] C: m
                   remedy: r
            1 ok, 1 warning, 1 failed

            """)
        XCTAssertEqual(DoctorText(.indonesian).render(report), """
            [baik]       A: m
            [peringatan] B: m
                         tindakan: r
            [GAGAL]      C: m
                         tindakan: r
            1 baik, 1 peringatan, 1 gagal

            """)
    }
}
