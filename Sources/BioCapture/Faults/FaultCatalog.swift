/// The languages messages are written in: English and Bahasa Indonesia.
public enum MessageLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case english = "en"
    case indonesian = "id"

    /// The language a `LANG`/`LC_ALL`/`LC_MESSAGES` value asks for (`id_ID.UTF-8` → Indonesian).
    public init(localeIdentifier: String?) {
        let lowered = (localeIdentifier ?? "").lowercased()
        self = lowered.hasPrefix("id") || lowered.hasPrefix("in_") ? .indonesian : .english
    }
}

/// A text in every supported language.
public struct LocalizedText: Sendable, Hashable, Codable {
    public let english: String
    public let indonesian: String

    private enum CodingKeys: String, CodingKey {
        case english = "en"
        case indonesian = "id"
    }

    public init(en english: String, id indonesian: String) {
        self.english = english
        self.indonesian = indonesian
    }

    public subscript(language: MessageLanguage) -> String {
        switch language {
        case .english: english
        case .indonesian: indonesian
        }
    }

    /// The text in `language` with each `{name}` replaced by `arguments[name]`.
    public func filled(_ language: MessageLanguage, _ arguments: [String: String]) -> String {
        Self.fill(self[language], arguments)
    }

    /// Replaces `{name}` placeholders in one pass, so an argument that itself contains braces
    /// (a path, a device label) is never expanded again. Unknown names are left as written.
    public static func fill(_ template: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty else { return template }
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else {
                rest = rest[open...]
                break
            }
            let name = String(rest[afterOpen..<close])
            result += arguments[name] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}

extension FaultCode {
    // hardware
    public static let disconnected: FaultCode = "disconnected"
    public static let stalled: FaultCode = "stalled"
    public static let timeout: FaultCode = "timeout"
    public static let ioError: FaultCode = "io-error"
    public static let overflow: FaultCode = "overflow"
    public static let corruptFrame: FaultCode = "corrupt-frame"
    public static let shortFrame: FaultCode = "short-frame"
    public static let sensorDefect: FaultCode = "sensor-defect"
    public static let illuminatorDark: FaultCode = "illuminator-dark"
    public static let protocolError: FaultCode = "protocol-error"
    public static let powerUpFailed: FaultCode = "power-up-failed"
    // software
    public static let invalidParameter: FaultCode = "invalid-parameter"
    public static let apiMisuse: FaultCode = "api-misuse"
    public static let decodeFailed: FaultCode = "decode-failed"
    public static let journalCorrupt: FaultCode = "journal-corrupt"
    public static let outOfMemory: FaultCode = "out-of-memory"
    public static let internalError: FaultCode = "internal-error"
    public static let unsupportedDevice: FaultCode = "unsupported-device"
    // environment
    public static let permissionDenied: FaultCode = "permission-denied"
    public static let busy: FaultCode = "busy"
    public static let notFound: FaultCode = "not-found"
    public static let notSupported: FaultCode = "not-supported"
    public static let noUSB: FaultCode = "no-usb"
    public static let diskFull: FaultCode = "disk-full"
    public static let readOnlyStorage: FaultCode = "read-only-storage"
    public static let clockReset: FaultCode = "clock-reset"
    public static let powerLoss: FaultCode = "power-loss"
    public static let bandwidth: FaultCode = "bandwidth-unavailable"
    public static let kernelDriverBound: FaultCode = "kernel-driver-bound"
    // operator
    public static let noSubject: FaultCode = "no-subject"
    public static let lowQuality: FaultCode = "low-quality"
    public static let cancelled: FaultCode = "cancelled"
}

/// One catalogue entry: the domain a code belongs to by default, and its words.
public struct FaultCatalogEntry: Sendable {
    public let code: FaultCode
    public let domain: FaultDomain
    public let message: LocalizedText
    public let remedy: LocalizedText
}

/// Default domain, message and remedy for every published fault code, in English and Indonesian.
///
/// Drivers may say more specific things (which endpoint stalled, how many rows are dead); the
/// catalogue is what a person reads when they do not.
public enum FaultCatalog {
    public static func entry(for code: FaultCode) -> FaultCatalogEntry? { table[code] }

    public static var entries: [FaultCatalogEntry] { all }

    private static let table: [FaultCode: FaultCatalogEntry] = {
        var table: [FaultCode: FaultCatalogEntry] = [:]
        for entry in all { table[entry.code] = entry }
        return table
    }()

    private static func entry(
        _ code: FaultCode, _ domain: FaultDomain,
        message: LocalizedText, remedy: LocalizedText
    ) -> FaultCatalogEntry {
        FaultCatalogEntry(code: code, domain: domain, message: message, remedy: remedy)
    }

    private static let all: [FaultCatalogEntry] = [
        entry(.disconnected, .hardware,
              message: .init(en: "The device vanished during a transfer (unplugged, loose cable or lost power).",
                             id: "Perangkat hilang saat transfer data (tercabut, kabel longgar, atau kehilangan daya)."),
              remedy: .init(en: "Check the cable and the USB port, plug the device in again, then run selftest again.",
                            id: "Periksa kabel dan port USB, pasang kembali perangkat, lalu jalankan selftest lagi.")),
        entry(.stalled, .hardware,
              message: .init(en: "The device refused a request (endpoint stalled).",
                             id: "Perangkat menolak permintaan (endpoint macet/stall)."),
              remedy: .init(en: "Unplug the device for ten seconds and plug it in again; if it keeps happening, send it for repair.",
                            id: "Cabut perangkat selama sepuluh detik lalu pasang lagi; jika terus terjadi, kirim untuk diperbaiki.")),
        entry(.timeout, .hardware,
              message: .init(en: "The device did not answer in time.",
                             id: "Perangkat tidak menjawab tepat waktu."),
              remedy: .init(en: "Plug the device into another USB port (not a hub) and run selftest again; if it still does not answer, send it for repair.",
                            id: "Pasang perangkat ke port USB lain (bukan hub) dan jalankan selftest lagi; jika tetap tidak menjawab, kirim untuk diperbaiki.")),
        entry(.ioError, .hardware,
              message: .init(en: "A USB input/output error occurred.",
                             id: "Terjadi kesalahan input/output USB."),
              remedy: .init(en: "Check the cable and the USB port, then run selftest again.",
                            id: "Periksa kabel dan port USB, lalu jalankan selftest lagi.")),
        entry(.overflow, .hardware,
              message: .init(en: "The device sent more data than was asked for.",
                             id: "Perangkat mengirim data lebih banyak dari yang diminta."),
              remedy: .init(en: "Unplug and replug the device; if it keeps happening, send it for repair.",
                            id: "Cabut dan pasang kembali perangkat; jika terus terjadi, kirim untuk diperbaiki.")),
        entry(.corruptFrame, .hardware,
              message: .init(en: "The device sent a damaged image or message.",
                             id: "Perangkat mengirim gambar atau pesan yang rusak."),
              remedy: .init(en: "Try another cable and USB port; if images stay damaged, send the device for repair.",
                            id: "Coba kabel dan port USB lain; jika gambar tetap rusak, kirim perangkat untuk diperbaiki.")),
        entry(.shortFrame, .hardware,
              message: .init(en: "The device sent an incomplete image.",
                             id: "Perangkat mengirim gambar yang tidak lengkap."),
              remedy: .init(en: "Try another cable and USB port, then run selftest again.",
                            id: "Coba kabel dan port USB lain, lalu jalankan selftest lagi.")),
        entry(.sensorDefect, .hardware,
              message: .init(en: "The sensor is damaged (dead rows, columns or areas).",
                             id: "Sensor rusak (baris, kolom, atau area mati)."),
              remedy: .init(en: "Hardware fault: use the spare device and send this one for repair.",
                            id: "Kerusakan perangkat keras: gunakan perangkat cadangan dan kirim perangkat ini untuk diperbaiki.")),
        entry(.illuminatorDark, .hardware,
              message: .init(en: "The infrared illuminator does not light up.",
                             id: "Lampu inframerah tidak menyala."),
              remedy: .init(en: "Hardware fault: use the spare iris camera and send this one for repair.",
                            id: "Kerusakan perangkat keras: gunakan kamera iris cadangan dan kirim kamera ini untuk diperbaiki.")),
        entry(.protocolError, .hardware,
              message: .init(en: "The device answered something the protocol does not allow.",
                             id: "Perangkat memberi jawaban yang tidak sesuai protokol."),
              remedy: .init(en: "Unplug and replug the device and run selftest again; if it repeats, send it for repair.",
                            id: "Cabut dan pasang kembali perangkat lalu jalankan selftest lagi; jika berulang, kirim untuk diperbaiki.")),
        entry(.powerUpFailed, .hardware,
              message: .init(en: "The device did not finish powering up.",
                             id: "Perangkat gagal menyala sepenuhnya."),
              remedy: .init(en: "Plug the device directly into the PC (not a hub); if it still fails, send it for repair.",
                            id: "Pasang perangkat langsung ke PC (bukan hub); jika tetap gagal, kirim untuk diperbaiki.")),
        entry(.invalidParameter, .software,
              message: .init(en: "BioCapture passed an invalid parameter (a software bug).",
                             id: "BioCapture mengirim parameter yang tidak valid (kesalahan perangkat lunak)."),
              remedy: .init(en: "Collect the log and report it to the BioCapture maintainers.",
                            id: "Kumpulkan log dan laporkan ke pengelola BioCapture.")),
        entry(.apiMisuse, .software,
              message: .init(en: "The capture library was used in a way it does not allow.",
                             id: "Pustaka perekaman digunakan dengan cara yang tidak diizinkan."),
              remedy: .init(en: "Report it to the enrollment software's developers with the log.",
                            id: "Laporkan ke pengembang perangkat lunak pendaftaran beserta log-nya.")),
        entry(.decodeFailed, .software,
              message: .init(en: "A well-formed image could not be decoded.",
                             id: "Gambar yang formatnya benar tidak dapat didekode."),
              remedy: .init(en: "Collect the log and the file, and report it to the BioCapture maintainers.",
                            id: "Kumpulkan log dan berkasnya, lalu laporkan ke pengelola BioCapture.")),
        entry(.journalCorrupt, .software,
              message: .init(en: "The enrollment journal is damaged.",
                             id: "Jurnal pendaftaran rusak."),
              remedy: .init(en: "Do not delete it: copy the journal file aside and run `biocapture journal verify` on the copy.",
                            id: "Jangan dihapus: salin berkas jurnal ke tempat lain dan jalankan `biocapture journal verify` pada salinannya.")),
        entry(.outOfMemory, .software,
              message: .init(en: "The station ran out of memory.",
                             id: "Memori stasiun habis."),
              remedy: .init(en: "Close other programs and try again; restart the station if it repeats.",
                            id: "Tutup program lain dan coba lagi; mulai ulang stasiun jika berulang.")),
        entry(.internalError, .software,
              message: .init(en: "An unexpected internal error occurred.",
                             id: "Terjadi kesalahan internal yang tidak terduga."),
              remedy: .init(en: "Collect the log and report it to the BioCapture maintainers.",
                            id: "Kumpulkan log dan laporkan ke pengelola BioCapture.")),
        entry(.unsupportedDevice, .software,
              message: .init(en: "The device reported something this driver does not support.",
                             id: "Perangkat melaporkan sesuatu yang tidak didukung driver ini."),
              remedy: .init(en: "Report the device model and the log to the BioCapture maintainers.",
                            id: "Laporkan model perangkat dan log ke pengelola BioCapture.")),
        entry(.permissionDenied, .environment,
              message: .init(en: "USB access denied.",
                             id: "Akses USB ditolak."),
              remedy: .init(en: "Install the udev rules: `sudo biocapture udev-rules --install`, then unplug and replug the device.",
                            id: "Pasang aturan udev: `sudo biocapture udev-rules --install`, lalu cabut dan pasang kembali perangkat.")),
        entry(.busy, .environment,
              message: .init(en: "Another program or a kernel driver is using the device.",
                             id: "Program lain atau driver kernel sedang memakai perangkat."),
              remedy: .init(en: "Close other capture programs (and the vendor's service), then try again.",
                            id: "Tutup program perekaman lain (dan layanan bawaan vendor), lalu coba lagi.")),
        entry(.notFound, .environment,
              message: .init(en: "The device or one of its interfaces was not found.",
                             id: "Perangkat atau salah satu antarmukanya tidak ditemukan."),
              remedy: .init(en: "Check that the device is plugged in and listed by `biocapture devices`.",
                            id: "Pastikan perangkat terpasang dan muncul di `biocapture devices`.")),
        entry(.notSupported, .environment,
              message: .init(en: "This system does not support the operation.",
                             id: "Sistem ini tidak mendukung operasi tersebut."),
              remedy: .init(en: "Run `biocapture doctor` to see what the station is missing.",
                            id: "Jalankan `biocapture doctor` untuk melihat apa yang kurang di stasiun.")),
        entry(.noUSB, .environment,
              message: .init(en: "This machine has no USB device access (no usbfs).",
                             id: "Mesin ini tidak memiliki akses perangkat USB (usbfs tidak ada)."),
              remedy: .init(en: "Run on the enrollment station itself, or give the container access to /dev/bus/usb.",
                            id: "Jalankan di stasiun pendaftaran itu sendiri, atau beri kontainer akses ke /dev/bus/usb.")),
        entry(.diskFull, .environment,
              message: .init(en: "The disk is full.",
                             id: "Disk penuh."),
              remedy: .init(en: "Export and archive finished sessions to free space; nothing stored has been lost.",
                            id: "Ekspor dan arsipkan sesi yang sudah selesai untuk mengosongkan ruang; data yang tersimpan tidak hilang.")),
        entry(.readOnlyStorage, .environment,
              message: .init(en: "The journal's disk is read-only.",
                             id: "Disk jurnal hanya bisa dibaca (read-only)."),
              remedy: .init(en: "Check the disk (it may have been remounted read-only after an error); nothing stored has been lost.",
                            id: "Periksa disk (mungkin dipasang ulang sebagai read-only setelah kesalahan); data yang tersimpan tidak hilang.")),
        entry(.clockReset, .environment,
              message: .init(en: "The station's clock jumped (reset after a power cut?).",
                             id: "Jam stasiun melompat (ter-reset setelah listrik padam?)."),
              remedy: .init(en: "Set the date and time, and check the PC's clock battery.",
                            id: "Atur tanggal dan jam, dan periksa baterai jam PC.")),
        entry(.powerLoss, .environment,
              message: .init(en: "The station lost power; the device re-enumerated.",
                             id: "Stasiun kehilangan daya; perangkat terdeteksi ulang."),
              remedy: .init(en: "Resume the session; use a UPS if power cuts are frequent.",
                            id: "Lanjutkan sesi; gunakan UPS jika listrik sering padam.")),
        entry(.bandwidth, .environment,
              message: .init(en: "Not enough USB bandwidth for the camera.",
                             id: "Bandwidth USB tidak cukup untuk kamera."),
              remedy: .init(en: "Plug the camera into a different USB port, away from other cameras.",
                            id: "Pasang kamera ke port USB lain, terpisah dari kamera lain.")),
        entry(.kernelDriverBound, .environment,
              message: .init(en: "A kernel driver holds the device and could not be detached.",
                             id: "Driver kernel memegang perangkat dan tidak dapat dilepas."),
              remedy: .init(en: "Run `biocapture doctor`; close programs using the camera or tablet.",
                            id: "Jalankan `biocapture doctor`; tutup program yang memakai kamera atau tablet.")),
        entry(.noSubject, .operator,
              message: .init(en: "Nothing was presented to the sensor before the deadline.",
                             id: "Tidak ada yang ditempelkan/dihadapkan ke sensor sebelum batas waktu."),
              remedy: .init(en: "Ask the subject to present again; if no subject is ever detected, run selftest.",
                            id: "Minta subjek mencoba lagi; jika subjek tidak pernah terdeteksi, jalankan selftest.")),
        entry(.lowQuality, .operator,
              message: .init(en: "The capture quality stayed too low.",
                             id: "Kualitas hasil rekaman tetap terlalu rendah."),
              remedy: .init(en: "Follow the on-screen advice and capture again, or record an exception.",
                            id: "Ikuti saran di layar dan rekam lagi, atau catat pengecualian.")),
        entry(.cancelled, .operator,
              message: .init(en: "The capture was cancelled.",
                             id: "Perekaman dibatalkan."),
              remedy: .init(en: "Start the capture again when ready.",
                            id: "Mulai perekaman lagi bila sudah siap.")),
    ]
}
