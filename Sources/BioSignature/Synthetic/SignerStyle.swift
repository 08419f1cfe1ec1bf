import BioCapture
import Foundation

/// One movement target of a letter: move `advance` to the right, to height `height` (x-height
/// units above the baseline), turning by `curvature` radians on the way (positive =
/// counter-clockwise, with y up).
struct LetterSegment: Sendable, Hashable {
    var advance: Double
    var height: Double
    var curvature: Double
}

/// Letter-like movement patterns of cursive handwriting, each written from the baseline back to
/// the baseline so they chain. Heights: 1 = small letter, about 2.2 = ascender, below 0 = descender.
enum LetterShapes {
    static let garland: [LetterSegment] = [  // u, w
        .init(advance: 0.25, height: 1.0, curvature: 0.6), .init(advance: 0.12, height: 0.0, curvature: 0.9),
    ]
    static let arch: [LetterSegment] = [  // n, m
        .init(advance: 0.10, height: 1.0, curvature: 0.2), .init(advance: 0.35, height: 0.0, curvature: -1.8),
    ]
    static let smallLoop: [LetterSegment] = [  // e
        .init(advance: 0.40, height: 1.0, curvature: 2.0), .init(advance: -0.05, height: 0.0, curvature: 1.3),
    ]
    static let tallLoop: [LetterSegment] = [  // l, h, b
        .init(advance: 0.50, height: 2.3, curvature: 1.8), .init(advance: -0.10, height: 0.0, curvature: 0.8),
    ]
    static let oval: [LetterSegment] = [  // a, o, d
        .init(advance: 0.35, height: 0.95, curvature: 0.6), .init(advance: -0.40, height: 0.15, curvature: 2.0),
        .init(advance: 0.45, height: 1.0, curvature: 1.8), .init(advance: 0.10, height: 0.0, curvature: 0.3),
    ]
    static let descender: [LetterSegment] = [  // g, y, j
        .init(advance: 0.25, height: 1.0, curvature: 0.7), .init(advance: 0.0, height: -1.2, curvature: 0.2),
        .init(advance: 0.05, height: 0.3, curvature: -2.2),
    ]
    static let stem: [LetterSegment] = [  // t, i
        .init(advance: 0.30, height: 1.7, curvature: 0.3), .init(advance: 0.05, height: 0.0, curvature: 0.6),
    ]
    static let small: [[LetterSegment]] = [garland, arch, smallLoop, tallLoop, oval, descender, stem]

    /// Capitals: larger, with an entry stroke from the left.
    static let capitalLoop: [LetterSegment] = [
        .init(advance: 0.6, height: 3.0, curvature: 1.2), .init(advance: -0.5, height: 0.0, curvature: 0.5),
        .init(advance: 0.9, height: 1.6, curvature: -2.4), .init(advance: 0.1, height: 0.0, curvature: 0.4),
    ]
    static let capitalStem: [LetterSegment] = [
        .init(advance: 0.3, height: 2.9, curvature: 0.2), .init(advance: 0.1, height: 0.0, curvature: 0.3),
        .init(advance: 0.5, height: 1.8, curvature: -2.8), .init(advance: 0.2, height: 0.0, curvature: 0.8),
    ]
    static let capitalOval: [LetterSegment] = [
        .init(advance: 0.1, height: 2.6, curvature: 0.4), .init(advance: -0.6, height: 1.0, curvature: 2.4),
        .init(advance: 1.0, height: 0.2, curvature: 2.4), .init(advance: 0.2, height: 0.0, curvature: 0.3),
    ]
    static let capitals: [[LetterSegment]] = [capitalLoop, capitalStem, capitalOval]
}

/// Everything that makes one synthetic signer recognisable; derived from the signer seed only.
struct SignerStyle: Sendable {
    /// Letter patterns per word (each word is written as one pen-down movement unless split).
    var words: [[[LetterSegment]]]
    /// Letter indices after which this signer lifts the pen inside a word.
    var liftsAfterLetter: [Set<Int>]
    /// Forward lean (radians): positive leans right.
    var slant: Double
    /// Height of a small letter in millimetres before fitting to the pad.
    var xHeightMillimetres: Double
    /// Seconds between successive movement commands.
    var componentInterval: Double
    var logDelay: Double
    var logSpread: Double
    /// Typical pen pressure (0–1).
    var basePressure: Double
    /// A final underline or a trailing flourish stroke.
    var hasUnderline: Bool
    /// Baseline tilt (radians), positive climbs to the right.
    var baselineTilt: Double
    /// How widely this signer spaces letters (multiplies every letter's advance).
    var letterWidth: Double

    init(signer seed: UInt64) {
        var random = SeededRandom(seed: seed ^ 0x5167_4E41_5455_5245)
        let wordCount = 1 + Int(random.unit() * 2.6)  // 1–3 words
        var words: [[[LetterSegment]]] = []
        var lifts: [Set<Int>] = []
        // Some people write big initials, some barely larger than the rest.
        let capitalScale = 0.65 + random.unit() * 0.55
        let hasExitStroke = random.unit() < 0.7
        for wordIndex in 0..<wordCount {
            let letters = (wordIndex == 0 ? 4 : 3) + Int(random.unit() * 4)
            let capital = LetterShapes.capitals[Int(random.unit() * 3) % 3].map { segment in
                LetterSegment(
                    advance: segment.advance * capitalScale,
                    height: segment.height > 1.2 ? 1 + (segment.height - 1) * capitalScale : segment.height,
                    curvature: segment.curvature)
            }
            var word: [[LetterSegment]] = [capital]
            for _ in 1..<letters { word.append(LetterShapes.small[Int(random.unit() * 7) % 7]) }
            if hasExitStroke {
                // A trailing flick up and to the right, as many signatures end.
                word[word.count - 1].append(LetterSegment(advance: 0.5 + random.unit() * 0.4, height: 0.5 + random.unit() * 0.4, curvature: 0.4))
            }
            words.append(word)
            var wordLifts: Set<Int> = []
            if letters > 3, random.unit() < 0.3 { wordLifts.insert(1 + Int(random.unit() * Double(letters - 2))) }
            lifts.append(wordLifts)
        }
        self.words = words
        liftsAfterLetter = lifts
        slant = random.gaussian(mean: 0.25, deviation: 0.15)
        xHeightMillimetres = 4.5 + random.unit() * 3.0
        componentInterval = 0.085 + random.unit() * 0.05
        logDelay = log(0.17 + random.unit() * 0.08)
        logSpread = 0.24 + random.unit() * 0.08
        basePressure = 0.38 + random.unit() * 0.27
        hasUnderline = random.unit() < 0.45
        baselineTilt = random.gaussian(mean: 0, deviation: 0.03)
        letterWidth = 1.1 + random.unit() * 0.5
    }
}
