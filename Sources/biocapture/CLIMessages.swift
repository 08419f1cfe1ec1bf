import ArgumentParser
import BioCapture
import Enrollment
import Foundation

// Every user-visible sentence of the CLI commands, in English and Bahasa Indonesia, in one
// table keyed by `CLIMessageKey`. The per-command text types (CLIText.swift, CLICommandText.swift:
// `UdevText`, `DoctorText`, `DevicesText`, `JournalText`, `SelftestText`, `EnrollText`) only pick a key and fill its
// placeholders, so the table is the single place a translator edits and a test can check that
// no key lacks a translation.

/// A stable identifier for one message of the CLI.
enum CLIMessageKey: String, CaseIterable, Sendable {
    // shared
    case badLanguage = "cli.bad-language"
    case wordOr = "cli.word.or"
    case wordNone = "cli.word.none"

    // udev-rules
    case udevWrote = "udev.wrote"
    case udevRemovedOtherPolicy = "udev.removed-other-policy"
    case udevCreatedDirectory = "udev.created-directory"
    case udevPermissionDenied = "udev.permission-denied"
    case udevReadOnly = "udev.read-only"
    case udevWriteFailed = "udev.write-failed"
    case udevReasonPermissionDenied = "udev.reason.permission-denied"
    case udevReasonNoDirectory = "udev.reason.no-directory"
    case udevReasonExitStatus = "udev.reason.exit-status"
    case udevadmMissing = "udev.udevadm-missing"
    case udevRanUdevadm = "udev.ran-udevadm"
    case udevadmFailed = "udev.udevadm-failed"
    case udevadmTimedOut = "udev.udevadm-timed-out"
    case udevReplug = "udev.replug"
    case udevPolicyUaccess = "udev.policy.uaccess"
    case udevPolicyPlugdev = "udev.policy.plugdev"
    case udevHeadlessNeedsInstall = "udev.headless-needs-install"
    case udevOutputAndInstall = "udev.output-and-install"
    case udevRulesDirNeedsInstall = "udev.rules-dir-needs-install"

    // doctor
    case doctorNoUSBHeadline = "doctor.no-usb-headline"
    case doctorTagOK = "doctor.tag.ok"
    case doctorTagWarning = "doctor.tag.warning"
    case doctorTagFail = "doctor.tag.fail"
    case doctorRemedyLabel = "doctor.remedy-label"
    case doctorSummary = "doctor.summary"
    case doctorSummaryOneWarning = "doctor.summary.one-warning"
    case doctorUsbfsTitle = "doctor.usbfs.title"
    case doctorUsbfsPresent = "doctor.usbfs.present"
    case doctorUsbfsMissing = "doctor.usbfs.missing"
    case doctorUsbfsRemedy = "doctor.usbfs.remedy"
    case doctorSysfsTitle = "doctor.sysfs.title"
    case doctorSysfsPresentOne = "doctor.sysfs.present.one"
    case doctorSysfsPresentMany = "doctor.sysfs.present.many"
    case doctorSysfsMissing = "doctor.sysfs.missing"
    case doctorSysfsRemedy = "doctor.sysfs.remedy"
    case doctorAccessTitle = "doctor.access.title"
    case doctorAccessNoSysfs = "doctor.access.no-sysfs"
    case doctorAccessNoDeviceOne = "doctor.access.no-device.one"
    case doctorAccessNoDeviceMany = "doctor.access.no-device.many"
    case doctorAccessNoDeviceRemedy = "doctor.access.no-device.remedy"
    case doctorAccessOK = "doctor.access.ok"
    case doctorAccessDenied = "doctor.access.denied"
    case doctorAccessNodeMissing = "doctor.access.node-missing"
    case doctorAccessRemedy = "doctor.access.remedy"
    case doctorAccessNodeMissingRemedy = "doctor.access.node-missing.remedy"
    case doctorAccessDeviceAtNode = "doctor.access.device-at-node"
    case doctorRulesTitle = "doctor.rules.title"
    case doctorRulesMissing = "doctor.rules.missing"
    case doctorRulesNoPolicy = "doctor.rules.no-policy"
    case doctorRulesBothPolicies = "doctor.rules.both-policies"
    case doctorRulesStale = "doctor.rules.stale"
    case doctorRulesOK = "doctor.rules.ok"
    case doctorRulesRemedy = "doctor.rules.remedy"
    case doctorKernelTitle = "doctor.kernel.title"
    case doctorKernelNotChecked = "doctor.kernel.not-checked"
    case doctorKernelNoDevice = "doctor.kernel.no-device"
    case doctorKernelExpected = "doctor.kernel.expected"
    case doctorKernelFreeOne = "doctor.kernel.free.one"
    case doctorKernelFreeMany = "doctor.kernel.free.many"
    case doctorKernelUnexpected = "doctor.kernel.unexpected"
    case doctorKernelRemedy = "doctor.kernel.remedy"
    case doctorGroupsTitle = "doctor.groups.title"
    case doctorGroupsList = "doctor.groups.list"
    case doctorGroupsRoot = "doctor.groups.root"
    case doctorGroupsMissingPlugdev = "doctor.groups.missing-plugdev"
    case doctorGroupsPlugdevRemedy = "doctor.groups.plugdev-remedy"
    case doctorDiskTitle = "doctor.disk.title"
    case doctorDiskOK = "doctor.disk.ok"
    case doctorDiskLow = "doctor.disk.low"
    case doctorDiskMissing = "doctor.disk.missing"
    case doctorDiskRemedy = "doctor.disk.remedy"
    case doctorDiskMissingRemedy = "doctor.disk.missing.remedy"
    case doctorClockTitle = "doctor.clock.title"
    case doctorClockOK = "doctor.clock.ok"
    case doctorClockReset = "doctor.clock.reset"
    case doctorClockRemedy = "doctor.clock.remedy"
    case doctorPowerTitle = "doctor.power.title"
    case doctorPowerUnknown = "doctor.power.unknown"
    case doctorPowerMains = "doctor.power.mains"
    case doctorPowerBattery = "doctor.power.battery"
    case doctorPowerLowCharging = "doctor.power.low.charging"
    case doctorPowerLowNotCharging = "doctor.power.low.not-charging"
    case doctorPowerCritical = "doctor.power.critical"
    case doctorBatterySummary = "doctor.power.battery-summary"
    case doctorPowerRemedy = "doctor.power.remedy"

    // devices
    case devicesNoUSB = "devices.no-usb"
    case devicesScanFailed = "devices.scan-failed"
    case devicesNoCaptureDevices = "devices.no-capture-devices"
    case devicesUSBHeading = "devices.usb-heading"
    case devicesNoAccess = "devices.no-access"
    case devicesUnclaimedOne = "devices.unclaimed.one"
    case devicesUnclaimedMany = "devices.unclaimed.many"
    case devicesSimulatedHeading = "devices.simulated-heading"

    // journal
    case journalMissing = "journal.missing"
    case journalNoSessions = "journal.no-sessions"
    case journalSessionLine = "journal.session-line"
    case journalStateComplete = "journal.state.complete"
    case journalStateIncomplete = "journal.state.incomplete"
    case journalStateCancelled = "journal.state.cancelled"
    case journalIntact = "journal.intact"
    case journalNotIntact = "journal.not-intact"
    case journalExported = "journal.exported"

    // selftest
    case selftestUnknownDevice = "selftest.unknown-device"
    case selftestKnownNone = "selftest.known-none"
    case selftestReportFailed = "selftest.report-failed"
    case selftestReportWritten = "selftest.report-written"
    case selftestNoUSB = "selftest.no-usb"
    case latencyRange = "cli.latency-range"

    // enroll
    case enrollBadException = "enroll.bad-exception"
    case enrollStarted = "enroll.started"
    case enrollResumed = "enroll.resumed"
    case enrollStored = "enroll.stored"
    case enrollStoredForced = "enroll.stored-forced"
    case enrollComplete = "enroll.complete"
    case enrollIncomplete = "enroll.incomplete"
    case enrollSubjectOrResume = "enroll.subject-or-resume"
    case enrollExceptionNeedsSubject = "enroll.exception-needs-subject"
    case enrollSeedHex = "enroll.seed-hex"
    case enrollQuality = "enroll.quality"
    case enrollExceptionLine = "enroll.exception-line"
    case exceptionMissing = "enroll.exception.missing"
    case exceptionInjured = "enroll.exception.injured"
    case exceptionUnusable = "enroll.exception.unusable"
    case exceptionTemporary = "enroll.exception.temporary"
    case exceptionPermanent = "enroll.exception.permanent"
}

/// The CLI's message table and the function that fills a message's `{name}` placeholders.
enum CLIMessages {
    /// The text of `key` in `language`, each `{name}` replaced by `arguments[name]`.
    static func text(_ key: CLIMessageKey, _ language: MessageLanguage, _ arguments: [String: String] = [:]) -> String {
        guard let entry = table[key] else { return key.rawValue }
        return entry.filled(language, arguments)
    }

    /// The placeholder names of a template (`{path}` → "path").
    static func placeholders(in template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            names.insert(String(rest[afterOpen..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Messages allowed to read the same in both languages because they consist only of words
    /// Indonesian technicians use unchanged (a program name such as "udev" or "USB", a command
    /// line). A test fails when any other key's Indonesian text equals its English text, and
    /// when a key listed here is no longer identical. Empty today: every message has words.
    static let identicalInBothLanguages: Set<CLIMessageKey> = []

    static let installCommand = "sudo biocapture udev-rules --install"
    static let installHeadlessCommand = "sudo biocapture udev-rules --install --headless"

    static let table: [CLIMessageKey: LocalizedText] = [
        .badLanguage: .init(en: "--lang takes en or id", id: "--lang hanya menerima en atau id"),
        .wordOr: .init(en: "or", id: "atau"),
        .wordNone: .init(en: "(none)", id: "(tidak ada)"),

        // udev-rules
        .udevWrote: .init(en: "wrote {path}", id: "{path} ditulis"),
        .udevRemovedOtherPolicy: .init(
            en: "removed {path} (the other access policy; only one may be active)",
            id: "{path} dihapus (kebijakan akses yang lain; hanya satu yang boleh aktif)"),
        .udevCreatedDirectory: .init(en: "created directory {path}", id: "direktori {path} dibuat"),
        .udevPermissionDenied: .init(
            en: "permission denied writing {path}: installing udev rules needs root. Run: {command}",
            id: "izin ditolak saat menulis {path}: memasang aturan udev memerlukan hak root. Jalankan: {command}"),
        .udevReadOnly: .init(
            en: "cannot write {path}: the file system is read-only (remount it read-write or install the rules in the system image)",
            id: "tidak dapat menulis {path}: sistem berkas hanya bisa dibaca (pasang ulang dengan izin baca-tulis atau pasang aturan di image sistem)"),
        .udevWriteFailed: .init(en: "cannot write {path}: {reason}", id: "tidak dapat menulis {path}: {reason}"),
        .udevReasonPermissionDenied: .init(en: "permission denied", id: "izin ditolak"),
        .udevReasonNoDirectory: .init(en: "the directory does not exist", id: "direktori tidak ada"),
        .udevReasonExitStatus: .init(en: "exit status {status}", id: "status keluar {status}"),
        .udevadmMissing: .init(
            en: "udevadm not found: rules are installed but udev was not told to reload them. Reload with `udevadm control --reload-rules` or reboot, then replug the devices.",
            id: "udevadm tidak ditemukan: aturan sudah terpasang tetapi udev belum diminta memuatnya ulang. Muat ulang dengan `udevadm control --reload-rules` atau nyalakan ulang komputer, lalu cabut dan pasang kembali perangkat."),
        .udevRanUdevadm: .init(en: "ran udevadm {arguments}", id: "udevadm {arguments} sudah dijalankan"),
        .udevadmFailed: .init(
            en: "udevadm {arguments} failed: {detail}. The rules are installed; reboot or run it by hand, then replug the devices.",
            id: "udevadm {arguments} gagal: {detail}. Aturan sudah terpasang; nyalakan ulang komputer atau jalankan perintah itu secara manual, lalu cabut dan pasang kembali perangkat."),
        .udevadmTimedOut: .init(
            en: "udevadm {arguments} did not finish within {seconds} s and was stopped. The rules are installed; reboot or run it by hand.",
            id: "udevadm {arguments} tidak selesai dalam {seconds} detik dan dihentikan. Aturan sudah terpasang; nyalakan ulang komputer atau jalankan perintah itu secara manual."),
        .udevReplug: .init(
            en: "Unplug and replug the devices (or reboot) so they get the new permissions.",
            id: "Cabut dan pasang kembali perangkat (atau nyalakan ulang komputer) agar izin akses yang baru berlaku."),
        .udevPolicyUaccess: .init(
            en: "access policy: uaccess (the user logged in at the station's seat)",
            id: "kebijakan akses: uaccess (pengguna yang sedang login di stasiun ini)"),
        .udevPolicyPlugdev: .init(
            en: "access policy: plugdev (members of group plugdev; add the operator account with `sudo usermod -aG plugdev USER` and log in again)",
            id: "kebijakan akses: plugdev (anggota grup plugdev; tambahkan akun operator dengan `sudo usermod -aG plugdev USER` lalu login kembali)"),
        .udevHeadlessNeedsInstall: .init(
            en: "--headless only applies together with --install", id: "--headless hanya berlaku bersama --install"),
        .udevOutputAndInstall: .init(
            en: "--output and --install cannot be combined", id: "--output dan --install tidak dapat dipakai bersamaan"),
        .udevRulesDirNeedsInstall: .init(
            en: "--rules-dir only applies together with --install", id: "--rules-dir hanya berlaku bersama --install"),

        // doctor
        .doctorNoUSBHeadline: .init(
            en: "This machine has no USB device access: /dev/bus/usb is missing, so real devices cannot be used here (simulated devices still work).",
            id: "Mesin ini tidak memiliki akses perangkat USB: /dev/bus/usb tidak ada, sehingga perangkat sungguhan tidak dapat dipakai di sini (perangkat simulasi tetap berfungsi)."),
        .doctorTagOK: .init(en: "ok", id: "baik"),
        .doctorTagWarning: .init(en: "warn", id: "peringatan"),
        .doctorTagFail: .init(en: "FAIL", id: "GAGAL"),
        .doctorRemedyLabel: .init(en: "remedy", id: "tindakan"),
        .doctorSummary: .init(en: "{ok} ok, {warnings} warnings, {failed} failed", id: "{ok} baik, {warnings} peringatan, {failed} gagal"),
        .doctorSummaryOneWarning: .init(en: "{ok} ok, {warnings} warning, {failed} failed", id: "{ok} baik, {warnings} peringatan, {failed} gagal"),
        .doctorUsbfsTitle: .init(en: "USB device nodes (usbfs)", id: "Node perangkat USB (usbfs)"),
        .doctorUsbfsPresent: .init(en: "{path} is present", id: "{path} tersedia"),
        .doctorUsbfsMissing: .init(
            en: "this machine has no USB device access: {path} is missing (no usbfs), so real devices cannot be used; simulated devices still work",
            id: "mesin ini tidak memiliki akses perangkat USB: {path} tidak ada (usbfs tidak ada), sehingga perangkat sungguhan tidak dapat dipakai; perangkat simulasi tetap berfungsi"),
        .doctorUsbfsRemedy: .init(
            en: "On a station: check that the kernel has USB support and /dev is a devtmpfs. In a container: pass the host's USB nodes (e.g. --device /dev/bus/usb).",
            id: "Di stasiun: periksa bahwa kernel mendukung USB dan /dev adalah devtmpfs. Di dalam kontainer: teruskan node USB milik host (misalnya --device /dev/bus/usb)."),
        .doctorSysfsTitle: .init(en: "USB in sysfs", id: "USB di sysfs"),
        .doctorSysfsPresentOne: .init(en: "{path} is present ({count} USB device listed)", id: "{path} tersedia ({count} perangkat USB terdaftar)"),
        .doctorSysfsPresentMany: .init(en: "{path} is present ({count} USB devices listed)", id: "{path} tersedia ({count} perangkat USB terdaftar)"),
        .doctorSysfsMissing: .init(
            en: "{path} is missing: devices cannot be listed or identified",
            id: "{path} tidak ada: perangkat tidak dapat didaftar atau dikenali"),
        .doctorSysfsRemedy: .init(
            en: "Mount sysfs on /sys (it is missing in some containers) and check that the kernel has USB support.",
            id: "Mount sysfs ke /sys (di sebagian kontainer sysfs tidak ada) dan periksa bahwa kernel mendukung USB."),
        .doctorAccessTitle: .init(en: "Access to supported devices", id: "Akses ke perangkat yang didukung"),
        .doctorAccessNoSysfs: .init(
            en: "cannot look for supported devices: USB is not visible in sysfs",
            id: "tidak dapat mencari perangkat yang didukung: USB tidak terlihat di sysfs"),
        .doctorAccessNoDeviceOne: .init(
            en: "no supported device is connected ({count} USB device seen)",
            id: "tidak ada perangkat yang didukung yang tersambung ({count} perangkat USB terlihat)"),
        .doctorAccessNoDeviceMany: .init(
            en: "no supported device is connected ({count} USB devices seen)",
            id: "tidak ada perangkat yang didukung yang tersambung ({count} perangkat USB terlihat)"),
        .doctorAccessNoDeviceRemedy: .init(
            en: "Connect the scanner, camera or pad; try another port or cable; `biocapture describe` on /sys/bus/usb/devices/*/descriptors shows what each device is.",
            id: "Sambungkan pemindai, kamera atau alat tanda tangan; coba port atau kabel lain; `biocapture describe` pada /sys/bus/usb/devices/*/descriptors menunjukkan jenis setiap perangkat."),
        .doctorAccessOK: .init(en: "this user can read and write {devices}", id: "pengguna ini dapat membaca dan menulis {devices}"),
        .doctorAccessDenied: .init(
            en: "this user cannot open {devices} for reading and writing",
            id: "pengguna ini tidak dapat membuka {devices} untuk membaca dan menulis"),
        .doctorAccessNodeMissing: .init(en: "device node missing for {devices}", id: "node perangkat tidak ada untuk {devices}"),
        .doctorAccessRemedy: .init(
            en: "Install the udev rules ({command}, or with --headless and the user in group plugdev), then unplug and replug the device.",
            id: "Pasang aturan udev ({command}, atau dengan --headless dan pengguna dalam grup plugdev), lalu cabut dan pasang kembali perangkat."),
        .doctorAccessNodeMissingRemedy: .init(
            en: "Replug the device; if the node stays missing, /dev/bus/usb is not populated (check devtmpfs/udev).",
            id: "Cabut dan pasang kembali perangkat; jika node tetap tidak ada, /dev/bus/usb tidak terisi (periksa devtmpfs/udev)."),
        .doctorAccessDeviceAtNode: .init(en: "{device} at {node}", id: "{device} di {node}"),
        .doctorRulesTitle: .init(en: "udev rules", id: "Aturan udev"),
        .doctorRulesMissing: .init(
            en: "BioCapture udev rules are not installed (60-biocapture.rules not found in {directories})",
            id: "aturan udev BioCapture belum terpasang (60-biocapture.rules tidak ditemukan di {directories})"),
        .doctorRulesNoPolicy: .init(
            en: "identification rules are installed in {directory} but no access rule (61-biocapture-uaccess.rules or 61-biocapture-plugdev.rules): devices stay root-only",
            id: "aturan identifikasi terpasang di {directory} tetapi aturan akses tidak ada (61-biocapture-uaccess.rules atau 61-biocapture-plugdev.rules): perangkat hanya bisa dipakai oleh root"),
        .doctorRulesBothPolicies: .init(
            en: "both access policies are installed ({paths}): only one should be active",
            id: "kedua kebijakan akses terpasang ({paths}): seharusnya hanya satu yang aktif"),
        .doctorRulesStale: .init(
            en: "installed rules differ from what this version of biocapture generates: {paths}",
            id: "aturan yang terpasang berbeda dari yang dibuat oleh versi biocapture ini: {paths}"),
        .doctorRulesOK: .init(
            en: "rules installed in {directory} and up to date (access policy {policy})",
            id: "aturan terpasang di {directory} dan sudah versi terbaru (kebijakan akses {policy})"),
        .doctorRulesRemedy: .init(
            en: "Run {install} (desktop station) or {installHeadless} (headless station), then replug the devices.",
            id: "Jalankan {install} (stasiun dengan layar) atau {installHeadless} (stasiun tanpa layar), lalu cabut dan pasang kembali perangkat."),
        .doctorKernelTitle: .init(en: "Kernel drivers on supported devices", id: "Driver kernel pada perangkat yang didukung"),
        .doctorKernelNotChecked: .init(
            en: "not checked: USB is not visible in sysfs", id: "tidak diperiksa: USB tidak terlihat di sysfs"),
        .doctorKernelNoDevice: .init(
            en: "no supported device connected: nothing to check",
            id: "tidak ada perangkat yang didukung yang tersambung: tidak ada yang perlu diperiksa"),
        .doctorKernelExpected: .init(
            en: "kernel drivers bound as expected ({items}); BioCapture detaches them while it captures",
            id: "driver kernel terpasang sesuai harapan ({items}); BioCapture melepasnya selama perekaman"),
        .doctorKernelFreeOne: .init(
            en: "no kernel driver holds the {count} supported device",
            id: "tidak ada driver kernel yang memegang {count} perangkat yang didukung"),
        .doctorKernelFreeMany: .init(
            en: "no kernel driver holds the {count} supported devices",
            id: "tidak ada driver kernel yang memegang {count} perangkat yang didukung"),
        .doctorKernelUnexpected: .init(
            en: "interfaces held by another driver or program: {items}",
            id: "antarmuka dipegang oleh driver atau program lain: {items}"),
        .doctorKernelRemedy: .init(
            en: "Close other programs using the device (fprintd, another biocapture, a video app); for `usbfs`, find the program with `sudo lsof /dev/bus/usb/BBB/DDD`.",
            id: "Tutup program lain yang memakai perangkat (fprintd, biocapture lain, aplikasi video); untuk `usbfs`, cari programnya dengan `sudo lsof /dev/bus/usb/BBB/DDD`."),
        .doctorGroupsTitle: .init(en: "User and groups", id: "Pengguna dan grup"),
        .doctorGroupsList: .init(en: "user {user} is in groups: {groups}", id: "pengguna {user} termasuk grup: {groups}"),
        .doctorGroupsRoot: .init(
            en: "running as {user} (uid 0): device access is not limited by groups",
            id: "berjalan sebagai {user} (uid 0): akses perangkat tidak dibatasi oleh grup"),
        .doctorGroupsMissingPlugdev: .init(
            en: "user {user} is not in group plugdev, which the installed headless rules require (groups: {groups})",
            id: "pengguna {user} bukan anggota grup plugdev, padahal aturan headless yang terpasang memerlukannya (grup: {groups})"),
        .doctorGroupsPlugdevRemedy: .init(
            en: "sudo usermod -aG plugdev {user}, then log out and in again",
            id: "jalankan sudo usermod -aG plugdev {user}, lalu logout dan login kembali"),
        .doctorDiskTitle: .init(en: "Free disk space for the journal", id: "Ruang disk kosong untuk jurnal"),
        .doctorDiskOK: .init(en: "{free} free in {path}", id: "{free} kosong di {path}"),
        .doctorDiskLow: .init(en: "only {free} free in {path} (below {threshold})", id: "hanya {free} kosong di {path} (di bawah {threshold})"),
        .doctorDiskMissing: .init(
            en: "journal directory {path} does not exist or cannot be examined",
            id: "direktori jurnal {path} tidak ada atau tidak dapat diperiksa"),
        .doctorDiskRemedy: .init(
            en: "Free space (export and remove finished journals, clear old logs) or choose another --journal-dir.",
            id: "Kosongkan ruang disk (ekspor lalu hapus jurnal yang sudah selesai, bersihkan log lama) atau pilih --journal-dir lain."),
        .doctorDiskMissingRemedy: .init(
            en: "Create the directory or pass an existing one with --journal-dir.",
            id: "Buat direktori tersebut atau berikan direktori yang sudah ada dengan --journal-dir."),
        .doctorClockTitle: .init(en: "System clock", id: "Jam sistem"),
        .doctorClockOK: .init(en: "clock reads {now}", id: "jam menunjukkan {now}"),
        .doctorClockReset: .init(
            en: "clock reads {now}: it has been reset (capture timestamps and certificates will be wrong)",
            id: "jam menunjukkan {now}: jam sudah ter-reset (cap waktu perekaman dan sertifikat akan salah)"),
        .doctorClockRemedy: .init(
            en: "Set the date (`sudo timedatectl set-ntp true` when online, or `sudo timedatectl set-time 'YYYY-MM-DD HH:MM'`) and replace the mainboard's clock battery.",
            id: "Atur tanggal (`sudo timedatectl set-ntp true` bila tersambung ke internet, atau `sudo timedatectl set-time 'YYYY-MM-DD HH:MM'`) dan ganti baterai jam pada mainboard."),
        .doctorPowerTitle: .init(en: "Power supply", id: "Catu daya"),
        .doctorPowerUnknown: .init(
            en: "no power supply information (desktop on mains without battery, or not reported)",
            id: "tidak ada informasi catu daya (komputer desktop dengan listrik PLN tanpa baterai, atau tidak dilaporkan)"),
        .doctorPowerMains: .init(en: "on mains power{batteries}", id: "memakai listrik PLN{batteries}"),
        .doctorPowerBattery: .init(
            en: "running on battery: the AC adapter is offline{batteries}",
            id: "berjalan dengan baterai: adaptor AC tidak tersambung{batteries}"),
        .doctorPowerLowCharging: .init(en: "battery low{batteries}, charging", id: "baterai lemah{batteries}, sedang diisi"),
        .doctorPowerLowNotCharging: .init(en: "battery low{batteries}, not charging", id: "baterai lemah{batteries}, tidak sedang diisi"),
        .doctorPowerCritical: .init(
            en: "battery nearly empty{batteries} and not on mains: the station may shut down during enrollment",
            id: "baterai hampir habis{batteries} dan tidak tersambung ke listrik: stasiun bisa mati di tengah pendaftaran"),
        .doctorBatterySummary: .init(en: " (battery {capacities})", id: " (baterai {capacities})"),
        .doctorPowerRemedy: .init(
            en: "Connect the AC adapter (check the socket, the adapter and the UPS) before enrolling.",
            id: "Sambungkan adaptor AC (periksa stopkontak, adaptor dan UPS) sebelum mulai pendaftaran."),

        // devices
        .devicesNoUSB: .init(
            en: "This machine has no USB device access: /dev/bus/usb is missing (a container or a virtual machine without USB pass-through). Real devices cannot be used here; `--simulated` lists the simulated ones.",
            id: "Mesin ini tidak memiliki akses perangkat USB: /dev/bus/usb tidak ada (kontainer atau mesin virtual tanpa penerusan USB). Perangkat sungguhan tidak dapat dipakai di sini; `--simulated` menampilkan perangkat simulasi."),
        .devicesScanFailed: .init(en: "The USB scan failed: {reason}", id: "Pemindaian USB gagal: {reason}"),
        .devicesNoCaptureDevices: .init(
            en: "No supported capture device is connected.",
            id: "Tidak ada perangkat perekam yang didukung yang tersambung."),
        .devicesUSBHeading: .init(en: "USB capture devices:", id: "Perangkat perekam USB:"),
        .devicesNoAccess: .init(
            en: "[no access: run `{command}`]", id: "[tidak ada akses: jalankan `{command}`]"),
        .devicesUnclaimedOne: .init(
            en: "{count} other USB device (not capture devices)", id: "{count} perangkat USB lain (bukan perangkat perekam)"),
        .devicesUnclaimedMany: .init(
            en: "{count} other USB devices (not capture devices)", id: "{count} perangkat USB lain (bukan perangkat perekam)"),
        .devicesSimulatedHeading: .init(en: "Simulated devices:", id: "Perangkat simulasi:"),

        // journal
        .journalMissing: .init(en: "There is no journal at {path}.", id: "Tidak ada jurnal di {path}."),
        .journalNoSessions: .init(en: "No sessions in {file}.", id: "Tidak ada sesi di {file}."),
        .journalSessionLine: .init(
            en: "{id}  {subject}  {state}  {samples} samples, {exceptions} exceptions, {faults} faults",
            id: "{id}  {subject}  {state}  {samples} sampel, {exceptions} pengecualian, {faults} gangguan"),
        .journalStateComplete: .init(en: "complete", id: "lengkap"),
        .journalStateIncomplete: .init(en: "incomplete", id: "belum lengkap"),
        .journalStateCancelled: .init(en: "cancelled", id: "dibatalkan"),
        .journalIntact: .init(
            en: "Journal intact: {samples} samples, hashes and chains verified.",
            id: "Jurnal utuh: {samples} sampel, hash dan rantai hash sudah diverifikasi."),
        .journalNotIntact: .init(en: "Journal NOT intact ({count} problems):", id: "Jurnal TIDAK utuh ({count} masalah):"),
        .journalExported: .init(
            en: "Exported session {session} to {output}: {count} samples, manifest.json.",
            id: "Sesi {session} diekspor ke {output}: {count} sampel, manifest.json."),

        // selftest
        .selftestUnknownDevice: .init(
            en: "No device with id '{id}'. Known: {known}.", id: "Tidak ada perangkat dengan id '{id}'. Yang dikenal: {known}."),
        .selftestKnownNone: .init(
            en: "none (add --simulated for the simulated station)", id: "tidak ada (tambahkan --simulated untuk stasiun simulasi)"),
        .selftestReportFailed: .init(
            en: "cannot write the report into {directory}: {reason}", id: "tidak dapat menulis laporan ke {directory}: {reason}"),
        .selftestReportWritten: .init(
            en: "Report written to {directory}/selftest.html and selftest.json",
            id: "Laporan ditulis ke {directory}/selftest.html dan selftest.json"),
        .selftestNoUSB: .init(
            en: "This machine has no USB device access (/dev/bus/usb is missing): only simulated devices are tested.",
            id: "Mesin ini tidak memiliki akses perangkat USB (/dev/bus/usb tidak ada): hanya perangkat simulasi yang diuji."),
        .latencyRange: .init(
            en: "--latency takes 0 to 60000 milliseconds", id: "--latency hanya menerima 0 sampai 60000 milidetik"),

        // enroll
        .enrollBadException: .init(
            en: "invalid exception '{spec}': expected SLOT:KIND:PERMANENCE:REASON with SLOT like finger-2 or iris-left, KIND missing|injured|unusable, PERMANENCE temporary|permanent",
            id: "pengecualian '{spec}' tidak valid: bentuk yang benar SLOT:KIND:PERMANENCE:REASON dengan SLOT misalnya finger-2 atau iris-left, KIND missing|injured|unusable, PERMANENCE temporary|permanent"),
        .enrollStarted: .init(en: "Session {id} started: {missing} samples.", id: "Sesi {id} dimulai: {missing} sampel."),
        .enrollResumed: .init(en: "Resuming session {id}: {missing} samples to go.", id: "Melanjutkan sesi {id}: {missing} sampel tersisa."),
        .enrollStored: .init(en: "stored", id: "disimpan"),
        .enrollStoredForced: .init(en: "stored (forced: quality below the threshold)", id: "disimpan (dipaksa: kualitas di bawah ambang)"),
        .enrollComplete: .init(
            en: "Session {id} complete: {stored} samples, {excepted} exceptions.",
            id: "Sesi {id} selesai: {stored} sampel, {excepted} pengecualian."),
        .enrollIncomplete: .init(
            en: "Session {id} is incomplete; missing: {missing}. Resume it with --resume {id}.",
            id: "Sesi {id} belum lengkap; kurang: {missing}. Lanjutkan dengan --resume {id}."),
        .enrollSubjectOrResume: .init(
            en: "give exactly one of --subject NIK or --resume SESSION",
            id: "berikan tepat salah satu: --subject NIK atau --resume SESI"),
        .enrollExceptionNeedsSubject: .init(
            en: "--exception applies to a new session (--subject)",
            id: "--exception hanya berlaku untuk sesi baru (--subject)"),
        .enrollSeedHex: .init(en: "--seed takes a hexadecimal number", id: "--seed hanya menerima bilangan heksadesimal"),
        .enrollQuality: .init(en: "quality {quality} / {threshold}", id: "kualitas {quality} / {threshold}"),
        .enrollExceptionLine: .init(
            en: "{slot}: {kind} ({permanence}) — {reason}", id: "{slot}: {kind} ({permanence}) — alasan: {reason}"),
        .exceptionMissing: .init(en: "missing", id: "tidak ada"),
        .exceptionInjured: .init(en: "injured", id: "cedera"),
        .exceptionUnusable: .init(en: "unusable", id: "tidak dapat dipakai"),
        .exceptionTemporary: .init(en: "temporary", id: "sementara"),
        .exceptionPermanent: .init(en: "permanent", id: "permanen"),
    ]
}
