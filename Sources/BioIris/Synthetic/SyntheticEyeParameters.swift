/// Everything that shapes one synthetic near-infrared eye image.
///
/// `identitySeed` fixes the person: iris texture (radial fibres, crypts, collarette, furrows),
/// tissue grey levels, eyelashes and skin texture, so two captures of the same identity show the
/// same iris pattern even when pupil dilation, gaze or blur differ. `captureSeed` fixes what
/// changes between captures: sensor noise and where the illuminator's reflections land.
public struct SyntheticEyeParameters: Sendable, Hashable {
    /// The person: texture and anatomy.
    public var identitySeed: UInt64
    /// The capture: noise and reflection placement.
    public var captureSeed: UInt64
    /// Image size; the ISO/IEC 19794-6 VGA kind is 640 × 480.
    public var width: Int
    public var height: Int
    /// Limbus (iris) radius in pixels; 80–140 px covers the usual capture distances.
    public var irisRadius: Double
    /// Pupil radius / iris radius (dilation), 0.15–0.75.
    public var pupilToIrisRatio: Double
    /// Relative amplitude of the pupil's deviation from a circle (0 = circle, 0.05 = visibly oval).
    public var pupilNonCircularity: Double
    /// Iris centre offset from the image centre, pixels.
    public var centerOffsetX: Double
    public var centerOffsetY: Double
    /// Gaze away from the camera: yaw (horizontal) and pitch (vertical), degrees. The iris and
    /// pupil appear as ellipses squeezed by the cosine of the angle, the pupil shifts slightly.
    public var gazeYawDegrees: Double
    public var gazePitchDegrees: Double
    /// Fraction of the iris's vertical diameter hidden by the upper eyelid (0 = lid at or above
    /// the iris top). With `lowerEyelidCover`, a sum of 1 or more closes the eye.
    public var upperEyelidCover: Double
    /// Fraction of the iris's vertical diameter hidden by the lower eyelid.
    public var lowerEyelidCover: Double
    /// Eyelash density, 0 (none) … 1 (dense, many lashes across the upper iris).
    public var eyelashDensity: Double
    /// Number of corneal reflections of the illuminator (0–2), placed in or next to the pupil.
    public var specularReflectionCount: Int
    /// Large saturated reflections from spectacle lenses.
    public var glassesReflections: Bool
    /// Defocus: Gaussian blur standard deviation, pixels (0 = sharp).
    public var defocusSigma: Double
    /// Motion blur: length of the straight smear in pixels (0 = none) and its direction.
    public var motionBlurLength: Double
    public var motionBlurAngleDegrees: Double
    /// Illuminator level: 1 nominal, < 1 darker, > 1 brighter (may saturate).
    public var illumination: Double
    /// Tissue contrast: 1 nominal; smaller values pull pupil, iris, sclera and skin towards a
    /// common grey (poor illumination spectrum, fog, strong ambient light).
    public var contrast: Double
    /// Sensor noise standard deviation in grey levels.
    public var noiseSigma: Double

    public init(
        identitySeed: UInt64 = 1,
        captureSeed: UInt64 = 1,
        width: Int = 640,
        height: Int = 480,
        irisRadius: Double = 110,
        pupilToIrisRatio: Double = 0.4,
        pupilNonCircularity: Double = 0,
        centerOffsetX: Double = 0,
        centerOffsetY: Double = 0,
        gazeYawDegrees: Double = 0,
        gazePitchDegrees: Double = 0,
        upperEyelidCover: Double = 0.12,
        lowerEyelidCover: Double = 0.04,
        eyelashDensity: Double = 0.5,
        specularReflectionCount: Int = 1,
        glassesReflections: Bool = false,
        defocusSigma: Double = 0,
        motionBlurLength: Double = 0,
        motionBlurAngleDegrees: Double = 0,
        illumination: Double = 1,
        contrast: Double = 1,
        noiseSigma: Double = 2
    ) {
        self.identitySeed = identitySeed
        self.captureSeed = captureSeed
        self.width = width
        self.height = height
        self.irisRadius = irisRadius
        self.pupilToIrisRatio = pupilToIrisRatio
        self.pupilNonCircularity = pupilNonCircularity
        self.centerOffsetX = centerOffsetX
        self.centerOffsetY = centerOffsetY
        self.gazeYawDegrees = gazeYawDegrees
        self.gazePitchDegrees = gazePitchDegrees
        self.upperEyelidCover = upperEyelidCover
        self.lowerEyelidCover = lowerEyelidCover
        self.eyelashDensity = eyelashDensity
        self.specularReflectionCount = specularReflectionCount
        self.glassesReflections = glassesReflections
        self.defocusSigma = defocusSigma
        self.motionBlurLength = motionBlurLength
        self.motionBlurAngleDegrees = motionBlurAngleDegrees
        self.illumination = illumination
        self.contrast = contrast
        self.noiseSigma = noiseSigma
    }
}

/// What the generator drew, for checking segmentation and quality against known values.
public struct SyntheticEyeTruth: Sendable, Hashable {
    /// Pupil: centre and mean radius (for off-angle gaze the mean of the ellipse's semi-axes).
    public var pupil: IrisCircle
    /// Limbus: centre and mean radius.
    public var iris: IrisCircle
    /// Semi-axes of the drawn ellipses (horizontal, vertical), pixels; equal without gaze.
    public var pupilSemiAxes: (x: Double, y: Double)
    public var irisSemiAxes: (x: Double, y: Double)
    public var upperEyelid: EyelidCurve
    public var lowerEyelid: EyelidCurve
    /// True when the lids meet: no iris is visible.
    public var eyesClosed: Bool
    /// Fraction (0–1) of the iris annulus (between pupil and limbus) hidden by lids, lashes or
    /// reflections.
    public var occludedFraction: Double
    /// Fraction of the annulus hidden by the eyelids alone.
    public var eyelidOccludedFraction: Double
    /// Centres of the illuminator's corneal reflections.
    public var specularCenters: [(x: Double, y: Double)]
    /// Per-pixel truth of what hides the iris (lids, lashes, reflections).
    public var occlusion: IrisOcclusionMask

    public static func == (lhs: SyntheticEyeTruth, rhs: SyntheticEyeTruth) -> Bool {
        lhs.pupil == rhs.pupil && lhs.iris == rhs.iris
            && lhs.pupilSemiAxes == rhs.pupilSemiAxes && lhs.irisSemiAxes == rhs.irisSemiAxes
            && lhs.upperEyelid == rhs.upperEyelid && lhs.lowerEyelid == rhs.lowerEyelid
            && lhs.eyesClosed == rhs.eyesClosed && lhs.occludedFraction == rhs.occludedFraction
            && lhs.eyelidOccludedFraction == rhs.eyelidOccludedFraction
            && lhs.specularCenters.elementsEqual(rhs.specularCenters, by: { $0 == $1 })
            && lhs.occlusion == rhs.occlusion
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pupil)
        hasher.combine(iris)
        hasher.combine(occludedFraction)
    }
}
