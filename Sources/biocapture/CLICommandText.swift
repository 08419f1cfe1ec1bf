import ArgumentParser
import BioCapture
import Enrollment
import Foundation

/// Texts of `selftest` that are not in the station message catalogue. The language parameters
/// default to English so existing callers keep compiling; pass the resolved language.
enum SelftestText {
    static func unknownDevice(_ id: String, known: [String], _ language: MessageLanguage = .english) -> String {
        CLIMessages.text(.selftestUnknownDevice, language, [
            "id": id, "known": known.isEmpty ? CLIMessages.text(.selftestKnownNone, language) : joined(known),
        ])
    }
    static func reportFailed(_ directory: String, _ reason: String, _ language: MessageLanguage = .english) -> String {
        CLIMessages.text(.selftestReportFailed, language, ["directory": directory, "reason": reason])
    }
    static func reportWritten(_ directory: String, _ language: MessageLanguage) -> String {
        CLIMessages.text(.selftestReportWritten, language, ["directory": directory])
    }
    static func noUSB(_ language: MessageLanguage) -> String {
        CLIMessages.text(.selftestNoUSB, language)
    }
    static func latencyRange(_ language: MessageLanguage = .english) -> String {
        CLIMessages.text(.latencyRange, language)
    }
}

/// Texts of `enroll` (and the missing-journal message `journal` shares).
enum EnrollText {
    static func noJournal(_ path: String, _ language: MessageLanguage = .english) -> String {
        JournalText(language).noJournal(path)
    }
    static func badException(_ spec: String, _ language: MessageLanguage = .english) -> String {
        CLIMessages.text(.enrollBadException, language, ["spec": spec])
    }
    static func started(_ id: String, resumed: Bool, missing: Int, _ language: MessageLanguage) -> String {
        CLIMessages.text(resumed ? .enrollResumed : .enrollStarted, language, ["id": id, "missing": String(missing)])
    }
    static func stored(forced: Bool, _ language: MessageLanguage) -> String {
        CLIMessages.text(forced ? .enrollStoredForced : .enrollStored, language)
    }
    static func finished(_ summary: EnrollmentSummary, _ language: MessageLanguage) -> String {
        if summary.state == .complete {
            return CLIMessages.text(.enrollComplete, language, [
                "id": summary.sessionID, "stored": String(summary.stored.count), "excepted": String(summary.excepted.count),
            ])
        }
        return CLIMessages.text(.enrollIncomplete, language, [
            "id": summary.sessionID, "missing": summary.missing.joined(separator: ", "),
        ])
    }
    static func subjectOrResume(_ language: MessageLanguage = .english) -> String {
        CLIMessages.text(.enrollSubjectOrResume, language)
    }
    static func exceptionNeedsSubject(_ language: MessageLanguage = .english) -> String {
        CLIMessages.text(.enrollExceptionNeedsSubject, language)
    }
    static func seedHex(_ language: MessageLanguage = .english) -> String {
        CLIMessages.text(.enrollSeedHex, language)
    }
    static func latencyRange(_ language: MessageLanguage = .english) -> String {
        CLIMessages.text(.latencyRange, language)
    }
    static func quality(_ quality: Int, threshold: Int, _ language: MessageLanguage) -> String {
        CLIMessages.text(.enrollQuality, language, ["quality": String(quality), "threshold": String(threshold)])
    }
    /// One recorded subject exception; the reason is the operator's own words, shown unchanged.
    static func exception(_ exception: SubjectException, _ language: MessageLanguage) -> String {
        let kind: CLIMessageKey = switch exception.kind {
        case .missing: .exceptionMissing
        case .injured: .exceptionInjured
        case .unusable: .exceptionUnusable
        }
        let permanence: CLIMessageKey = exception.permanence == .permanent ? .exceptionPermanent : .exceptionTemporary
        return CLIMessages.text(.enrollExceptionLine, language, [
            "slot": exception.slot, "kind": CLIMessages.text(kind, language),
            "permanence": CLIMessages.text(permanence, language), "reason": exception.reason,
        ])
    }
}

/// The `--lang` option every command shares.
enum CLILanguageOption {
    /// Accepts en, id or no option; the error is worded in the environment's language.
    static func validate(_ option: String?) throws {
        if let option, option != "en", option != "id" {
            throw ValidationError(CLIMessages.text(.badLanguage, CLILanguage.resolve(nil)))
        }
    }
}
