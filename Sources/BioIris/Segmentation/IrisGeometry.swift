/// A circle in image pixel coordinates (x to the right, y downwards, pixel centres at integers).
public struct IrisCircle: Sendable, Hashable, Codable {
    public var centerX: Double
    public var centerY: Double
    public var radius: Double

    public init(centerX: Double, centerY: Double, radius: Double) {
        self.centerX = centerX
        self.centerY = centerY
        self.radius = radius
    }

    /// Distance between the two centres, in pixels.
    public func centerDistance(to other: IrisCircle) -> Double {
        let dx = centerX - other.centerX
        let dy = centerY - other.centerY
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Whether the point lies inside or on the circle.
    public func contains(x: Double, y: Double) -> Bool {
        let dx = x - centerX
        let dy = y - centerY
        return dx * dx + dy * dy <= radius * radius
    }
}

/// An eyelid margin modelled as a parabola `y = vertexY + curvature * (x - vertexX)²`.
///
/// The upper lid has a positive curvature (its lowest image-y point, the highest point on the
/// face, is the vertex); the lower lid has a negative curvature. Pixels above the upper lid or
/// below the lower lid are occluded.
public struct EyelidCurve: Sendable, Hashable, Codable {
    public var vertexX: Double
    public var vertexY: Double
    public var curvature: Double

    public init(vertexX: Double, vertexY: Double, curvature: Double) {
        self.vertexX = vertexX
        self.vertexY = vertexY
        self.curvature = curvature
    }

    /// The lid margin's y at column `x`.
    public func y(atX x: Double) -> Double {
        let dx = x - vertexX
        return vertexY + curvature * dx * dx
    }
}

/// Why a pixel is excluded from the usable iris, as bit flags in an `IrisOcclusionMask`.
public struct OcclusionKind: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Covered by the upper or lower eyelid.
    public static let eyelid = OcclusionKind(rawValue: 1)
    /// Covered by an eyelash.
    public static let eyelash = OcclusionKind(rawValue: 2)
    /// Specular reflection (illuminator or glasses) or its immediate neighbourhood.
    public static let specular = OcclusionKind(rawValue: 4)
}

/// A per-pixel occlusion map with the image's size; each byte holds `OcclusionKind` flags.
public struct IrisOcclusionMask: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public var flags: [UInt8]

    /// An all-clear mask.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        flags = [UInt8](repeating: 0, count: self.width * self.height)
    }

    /// The flags at a pixel; pixels outside the image count as unoccluded.
    public subscript(x: Int, y: Int) -> OcclusionKind {
        guard x >= 0, y >= 0, x < width, y < height else { return [] }
        return OcclusionKind(rawValue: flags[y * width + x])
    }

    /// Number of pixels carrying any of `kinds`.
    public func count(of kinds: OcclusionKind) -> Int {
        var total = 0
        for value in flags where value & kinds.rawValue != 0 { total += 1 }
        return total
    }
}
