import BioCapture

/// Plain-language feedback for each check, in English and Bahasa Indonesia. Each function gives
/// the text for a passed (`true`) or failed (`false`) check.
enum Feedback {
    static let notMeasured = LocalizedText(
        en: "Not measured: no face was found.",
        id: "Tidak diukur: wajah tidak ditemukan.")

    static func faceCount(_ count: Int) -> (Bool) -> LocalizedText {
        { passed in
            if passed { return LocalizedText(en: "One face found.", id: "Satu wajah ditemukan.") }
            if count == 0 {
                return LocalizedText(
                    en: "No face found: the subject should face the camera, fully in the frame.",
                    id: "Wajah tidak ditemukan: subjek harus menghadap kamera dan berada penuh di dalam bingkai.")
            }
            return LocalizedText(
                en: "\(count) faces found: only the subject may be in the picture.",
                id: "\(count) wajah ditemukan: hanya subjek yang boleh ada di dalam foto.")
        }
    }

    static func eyesOpen(_ passed: Bool) -> LocalizedText {
        passed
            ? LocalizedText(en: "Both eyes are open.", id: "Kedua mata terbuka.")
            : LocalizedText(
                en: "The eyes look closed or hidden: ask the subject to open both eyes and look at the camera (remove tinted glasses).",
                id: "Mata tampak tertutup atau terhalang: minta subjek membuka kedua mata dan melihat ke kamera (lepaskan kacamata gelap).")
    }

    static func roll(_ degrees: Double) -> (Bool) -> LocalizedText {
        { passed in
            if passed { return LocalizedText(en: "The eyes are level.", id: "Kedua mata sejajar.") }
            // Positive roll: the subject's left eye (image right) is lower.
            return degrees > 0
                ? LocalizedText(
                    en: "The head is tilted: ask the subject to straighten the head (the eye on the picture's right is too low).",
                    id: "Kepala miring: minta subjek menegakkan kepala (mata di sisi kanan foto terlalu rendah).")
                : LocalizedText(
                    en: "The head is tilted: ask the subject to straighten the head (the eye on the picture's left is too low).",
                    id: "Kepala miring: minta subjek menegakkan kepala (mata di sisi kiri foto terlalu rendah).")
        }
    }

    static func centring(horizontal: Double, vertical: Double, band: ClosedRange<Double>, tolerance: Double) -> (Bool) -> LocalizedText {
        { passed in
            if passed { return LocalizedText(en: "The face is centred.", id: "Wajah berada di tengah.") }
            var english: [String] = []
            var indonesian: [String] = []
            if horizontal < -tolerance {
                english.append("move the camera or the subject so the face is further right in the picture")
                indonesian.append("geser kamera atau subjek agar wajah lebih ke kanan di dalam foto")
            } else if horizontal > tolerance {
                english.append("move the camera or the subject so the face is further left in the picture")
                indonesian.append("geser kamera atau subjek agar wajah lebih ke kiri di dalam foto")
            }
            if vertical < band.lowerBound {
                english.append("lower the camera or raise the subject: the eyes are too high in the picture")
                indonesian.append("turunkan kamera atau naikkan posisi subjek: mata terlalu tinggi di dalam foto")
            } else if vertical > band.upperBound {
                english.append("raise the camera or lower the subject's seat: the eyes are too low in the picture")
                indonesian.append("naikkan kamera atau turunkan kursi subjek: mata terlalu rendah di dalam foto")
            }
            return LocalizedText(
                en: "The face is not centred: " + english.joined(separator: "; ") + ".",
                id: "Wajah tidak di tengah: " + indonesian.joined(separator: "; ") + ".")
        }
    }

    static func eyeDistance(_ passed: Bool) -> LocalizedText {
        passed
            ? LocalizedText(en: "The face is large enough.", id: "Ukuran wajah cukup besar.")
            : LocalizedText(
                en: "The face is too small: move the subject closer to the camera.",
                id: "Wajah terlalu kecil: dekatkan subjek ke kamera.")
    }

    static func brightness(_ value: Double, _ range: ClosedRange<Double>) -> (Bool) -> LocalizedText {
        { passed in
            if passed { return LocalizedText(en: "The face is well lit.", id: "Pencahayaan wajah baik.") }
            return value < range.lowerBound
                ? LocalizedText(
                    en: "The face is too dark: add light in front of the subject or check the camera exposure.",
                    id: "Wajah terlalu gelap: tambahkan cahaya di depan subjek atau periksa eksposur kamera.")
                : LocalizedText(
                    en: "The face is too bright: reduce the light or the camera exposure.",
                    id: "Wajah terlalu terang: kurangi cahaya atau eksposur kamera.")
        }
    }

    static func contrast(_ passed: Bool) -> LocalizedText {
        passed
            ? LocalizedText(en: "The face has enough contrast.", id: "Kontras wajah cukup.")
            : LocalizedText(
                en: "The face looks flat or washed out: check the light and clean the camera lens.",
                id: "Wajah tampak datar atau pudar: periksa pencahayaan dan bersihkan lensa kamera.")
    }

    static func underExposure(_ passed: Bool) -> LocalizedText {
        passed
            ? LocalizedText(en: "No dark, clipped areas on the face.", id: "Tidak ada bagian wajah yang terlalu gelap.")
            : LocalizedText(
                en: "Parts of the face are black: add light or remove what casts a shadow.",
                id: "Sebagian wajah hitam: tambahkan cahaya atau singkirkan benda yang menimbulkan bayangan.")
    }

    static func overExposure(_ passed: Bool) -> LocalizedText {
        passed
            ? LocalizedText(en: "No burnt-out areas on the face.", id: "Tidak ada bagian wajah yang terlalu terang.")
            : LocalizedText(
                en: "Parts of the face are white: reduce the light, avoid flash reflections, or lower the exposure.",
                id: "Sebagian wajah putih: kurangi cahaya, hindari pantulan lampu kilat, atau turunkan eksposur.")
    }

    static func evenness(brighterSide: Int) -> (Bool) -> LocalizedText {
        { passed in
            if passed { return LocalizedText(en: "The light on the face is even.", id: "Cahaya pada wajah merata.") }
            return brighterSide < 0
                ? LocalizedText(
                    en: "The light is uneven: the left side of the picture is brighter; light the face evenly from the front.",
                    id: "Cahaya tidak merata: sisi kiri foto lebih terang; terangi wajah secara merata dari depan.")
                : LocalizedText(
                    en: "The light is uneven: the right side of the picture is brighter; light the face evenly from the front.",
                    id: "Cahaya tidak merata: sisi kanan foto lebih terang; terangi wajah secara merata dari depan.")
        }
    }

    static func sharpness(_ passed: Bool) -> LocalizedText {
        passed
            ? LocalizedText(en: "The face is sharp.", id: "Wajah tajam.")
            : LocalizedText(
                en: "The face is blurred: the subject should keep still; check the camera focus and clean the lens.",
                id: "Wajah buram: subjek harus diam; periksa fokus kamera dan bersihkan lensa.")
    }

    static func backgroundUniformity(measured: Bool) -> (Bool) -> LocalizedText {
        { passed in
            if passed { return LocalizedText(en: "The background is plain.", id: "Latar belakang polos.") }
            if !measured {
                return LocalizedText(
                    en: "Too little background is visible: move the camera back.",
                    id: "Latar belakang terlalu sedikit terlihat: mundurkan kamera.")
            }
            return LocalizedText(
                en: "The background is not plain: remove objects or shadows behind the subject.",
                id: "Latar belakang tidak polos: singkirkan benda atau bayangan di belakang subjek.")
        }
    }

    static func backgroundColour(expected: PortraitBackground, measured: Bool) -> (Bool) -> LocalizedText {
        let (english, indonesian) = switch expected {
        case .red: ("red", "merah")
        case .blue: ("blue", "biru")
        case .white: ("white", "putih")
        }
        return { passed in
            if passed {
                return LocalizedText(en: "The background is \(english) as required.", id: "Latar belakang \(indonesian) sesuai ketentuan.")
            }
            if !measured {
                return LocalizedText(
                    en: "The background colour could not be seen: move the camera back.",
                    id: "Warna latar belakang tidak terlihat: mundurkan kamera.")
            }
            return LocalizedText(
                en: "Wrong background colour: this subject needs a \(english) background.",
                id: "Warna latar belakang salah: subjek ini memerlukan latar belakang \(indonesian).")
        }
    }
}
