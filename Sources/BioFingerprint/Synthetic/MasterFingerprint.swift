import BioCapture

/// The "true" finger of one synthetic identity: class, singular points, orientation and
/// ridge-period fields, the rendered ridge pattern and the finger outline. Every capture of
/// the same identity and finger is an impression of this one master, so the same seed and
/// finger always give the same master.
public struct MasterFingerprint: Sendable {
    public let identitySeed: UInt64
    public let finger: FingerPosition
    public let width: Int
    public let height: Int
    public let patternClass: FingerprintPatternClass
    /// Cores and deltas in master pixel coordinates.
    public let singularPoints: [SingularPoint]
    /// The analytic orientation field the ridges were grown from.
    public let orientationModel: OrientationModel
    /// Ridge orientation (radians, [0, π)) sampled at the centre of `orientationBlock`-px blocks.
    public let orientation: BlockField
    /// Ridge period in pixels sampled on the same blocks.
    public let ridgePeriod: BlockField
    /// Ridge pattern in [-1, 1], positive on ridges, row-major `width * height`.
    public let ridges: [Float]
    /// Normalised elliptical radius of the finger outline per pixel: below 1 inside the finger.
    public let outline: [Float]

    public var cores: [SingularPoint] { singularPoints.filter { $0.kind == .core } }
    public var deltas: [SingularPoint] { singularPoints.filter { $0.kind == .delta } }

    /// The master itself drawn as a clean, full-contact print (ridges dark on light).
    public func cleanImage() -> GrayImage {
        var pixels = [UInt8](repeating: 245, count: width * height)
        for index in 0..<pixels.count where outline[index] < 1 {
            let ink = max(0, min(1, (Double(ridges[index]) + 0.5)))
            pixels[index] = UInt8(clamping: Int((225 - 190 * ink).rounded()))
        }
        return GrayImage(width: width, height: height, pixels: pixels) ?? GrayImage(width: width, height: height)
    }
}
