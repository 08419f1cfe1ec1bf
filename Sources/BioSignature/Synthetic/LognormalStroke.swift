import Foundation

/// A point or vector in the synthesiser's model plane: x to the right, y **up**, one unit = the
/// signer's x-height (the height of a small letter).
struct ModelVector: Sendable, Hashable {
    var x: Double
    var y: Double

    static func + (lhs: ModelVector, rhs: ModelVector) -> ModelVector { ModelVector(x: lhs.x + rhs.x, y: lhs.y + rhs.y) }
    static func - (lhs: ModelVector, rhs: ModelVector) -> ModelVector { ModelVector(x: lhs.x - rhs.x, y: lhs.y - rhs.y) }
    static func * (lhs: ModelVector, rhs: Double) -> ModelVector { ModelVector(x: lhs.x * rhs, y: lhs.y * rhs) }
    var length: Double { (x * x + y * y).squareRoot() }
}

/// One movement primitive of the kinematic theory of rapid movements: the pen's speed follows a
/// lognormal curve in time while its direction turns at a constant rate along the travelled
/// distance, so the primitive draws a circular arc.
///
/// Progress along the arc is the lognormal cumulative distribution
/// `Λ(t) = ½(1 + erf((ln(t − t₀) − μ) / (σ√2)))`; speed is `D · dΛ/dt`; direction is
/// `θ(t) = θₛ + (θₑ − θₛ)·Λ(t)`. Integrating the velocity over Λ gives the displacement in closed
/// form, so positions are exact at any report time and no numerical integration drifts.
struct LognormalComponent: Sendable, Hashable {
    /// Arc length `D` in model units.
    var amplitude: Double
    /// Time the motor command is issued, `t₀`, in seconds.
    var onset: Double
    /// `μ`: log of the neuromuscular delay (seconds).
    var logDelay: Double
    /// `σ`: log response time spread.
    var logSpread: Double
    /// Direction at the start of the arc (radians, y up).
    var startAngle: Double
    /// Direction at the end of the arc.
    var endAngle: Double

    /// A component that moves by `chord` while turning by `curvature` radians (positive =
    /// counter-clockwise). The arc length is chosen so the chord is exactly `chord`.
    init(chord: ModelVector, curvature: Double, onset: Double, logDelay: Double, logSpread: Double) {
        let direction = atan2(chord.y, chord.x)
        let half = curvature / 2
        // A circular arc turning by Δ has chord = arc · sin(Δ/2)/(Δ/2), and the chord points along
        // the mean direction.
        let sinc = abs(half) < 1e-6 ? 1 : sin(half) / half
        amplitude = chord.length / sinc
        self.onset = onset
        self.logDelay = logDelay
        self.logSpread = logSpread
        startAngle = direction - half
        endAngle = direction + half
    }

    /// Fraction of the arc travelled at time `t` (0…1).
    func progress(at time: Double) -> Double {
        let elapsed = time - onset
        guard elapsed > 0 else { return 0 }
        return 0.5 * (1 + erf((log(elapsed) - logDelay) / (logSpread * 2.0.squareRoot())))
    }

    /// Speed in model units per second at time `t`.
    func speed(at time: Double) -> Double {
        let elapsed = time - onset
        guard elapsed > 0 else { return 0 }
        let z = (log(elapsed) - logDelay) / logSpread
        return amplitude / (logSpread * (2 * Double.pi).squareRoot() * elapsed) * exp(-0.5 * z * z)
    }

    /// Displacement from the component's start at time `t`.
    func displacement(at time: Double) -> ModelVector {
        let fraction = progress(at: time)
        let turn = endAngle - startAngle
        if abs(turn) < 1e-6 {
            return ModelVector(x: amplitude * fraction * cos(startAngle), y: amplitude * fraction * sin(startAngle))
        }
        let angle = startAngle + turn * fraction
        let radius = amplitude / turn
        return ModelVector(x: radius * (sin(angle) - sin(startAngle)), y: -radius * (cos(angle) - cos(startAngle)))
    }

    /// When the pen has covered a tiny share of this arc (about 1 %).
    var motionStart: Double { onset + exp(logDelay - 2.3 * logSpread) }
    /// When about 99 % of the arc is covered.
    var motionEnd: Double { onset + exp(logDelay + 2.3 * logSpread) }
}

/// A planned pen-down movement: a start point and overlapping lognormal components. Because the
/// components overlap in time, corners between successive targets are rounded and the speed never
/// drops to zero inside a stroke, as in fluent handwriting.
struct PlannedStroke: Sendable {
    var origin: ModelVector
    var components: [LognormalComponent]
    /// Seconds, in the same clock as the components' onsets.
    var penDown: Double
    var penUp: Double

    init(origin: ModelVector, components: [LognormalComponent]) {
        self.origin = origin
        self.components = components
        let first = components.map(\.motionStart).min() ?? 0
        let last = components.map(\.motionEnd).max() ?? first
        // The tip lands slightly before the hand starts moving and lifts as the last arc settles.
        penDown = first - 0.012
        penUp = last
    }

    func position(at time: Double) -> ModelVector {
        var point = origin
        for component in components { point = point + component.displacement(at: time) }
        return point
    }

    func speed(at time: Double) -> Double {
        // Speeds of overlapping components add only where their directions agree; the
        // velocity-vector magnitude is what the hand actually does.
        var velocity = ModelVector(x: 0, y: 0)
        for component in components {
            let speed = component.speed(at: time)
            guard speed > 0 else { continue }
            let angle = component.startAngle + (component.endAngle - component.startAngle) * component.progress(at: time)
            velocity = velocity + ModelVector(x: cos(angle), y: sin(angle)) * speed
        }
        return velocity.length
    }

    /// Moves the whole stroke in time.
    func shifted(by seconds: Double) -> PlannedStroke {
        var copy = self
        for index in copy.components.indices { copy.components[index].onset += seconds }
        copy.penDown += seconds
        copy.penUp += seconds
        return copy
    }
}
