import BioCapture

/// The five Henry classes a synthetic master print can have.
///
/// Left and right follow the usual convention for a print as the sensor sees it: in a
/// **left loop** the ridges enter and leave on the left and the delta lies to the right of
/// the core; in a **right loop** the delta lies to the left.
public enum FingerprintPatternClass: String, Sendable, Hashable, Codable, CaseIterable {
    case arch
    case tentedArch
    case leftLoop
    case rightLoop
    case whorl

    /// How many cores and deltas the class has (the orientation field's singular points).
    public var singularPointCounts: (cores: Int, deltas: Int) {
        switch self {
        case .arch: (0, 0)
        case .tentedArch, .leftLoop, .rightLoop: (1, 1)
        case .whorl: (2, 2)
        }
    }

    /// Picks a class with roughly the frequencies seen in large populations (loops about
    /// 65 %, whorls about 28 %, arches and tented arches the rest). Loops on the right hand
    /// lean towards right loops and vice versa, as ulnar loops dominate.
    static func draw(for finger: FingerIdentityHand, using random: inout SeededRandom) -> FingerprintPatternClass {
        let value = random.unit()
        let ulnar: FingerprintPatternClass = finger == .left ? .leftLoop : .rightLoop
        let radial: FingerprintPatternClass = finger == .left ? .rightLoop : .leftLoop
        switch value {
        case ..<0.04: return .arch
        case ..<0.07: return .tentedArch
        case ..<0.35: return .whorl
        case ..<0.92: return finger == .unknown ? (random.unit() < 0.5 ? .leftLoop : .rightLoop) : ulnar
        default: return finger == .unknown ? (random.unit() < 0.5 ? .leftLoop : .rightLoop) : radial
        }
    }
}

/// Which hand a finger belongs to, for the class draw.
enum FingerIdentityHand {
    case left, right, unknown
}

/// A singular point of the orientation field, in master-print pixel coordinates.
public struct SingularPoint: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Poincaré index +1/2: the ridges turn back around it (the innermost loop).
        case core
        /// Poincaré index −1/2: three ridge flows meet (a triangle).
        case delta
    }

    public var kind: Kind
    public var x: Double
    public var y: Double

    public init(kind: Kind, x: Double, y: Double) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
