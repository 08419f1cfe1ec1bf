import BioCapture
import Foundation

/// Bad presentations the checks must catch, for tests, demos and the simulated pad.
public enum DefectiveSignatureKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The pen hovers over the pad and leaves without touching it.
    case empty
    /// A single short tap.
    case dot
    /// The subject starts signing and lifts the pen after about a third of a second.
    case liftedTooEarly
    /// Dense back-and-forth strokes over a small area instead of a signature.
    case scribble
    /// A pad without a working pressure channel that reports 0 while the tip is down.
    case pressureStuckAtZero
    /// A pad without a pressure channel that reports full pressure whenever the tip is down.
    case pressureStuckAtFull
    /// A real signature written very small (about 10 mm wide).
    case tooSmall
    /// A signature that runs off the right edge of the pad.
    case runsOffEdge
}

/// Deterministic synthetic signature time series for a signature pad.
///
/// The handwriting model: each signer (a seed) has a style — words made of letter-like movement
/// patterns (loops, arches, garlands, ovals, descenders, capitals), a slant, a size, a tempo and a
/// typical pressure. Each word is written as one pen-down stroke whose path is the sum of
/// overlapping sigma-lognormal movement primitives (see `LognormalComponent`), so the speed rises
/// and falls smoothly and corners come out rounded. Between strokes the pen hovers (in range, tip
/// up); the series starts with the pen approaching and ends with one out-of-range report.
/// Pressure rises over the first tens of milliseconds after touch-down, dips with speed, and
/// falls before lift-off. Reports are sampled at the pad's report rate and quantised to its
/// sensor resolution and pressure levels.
///
/// The same signer seed gives the same style; `attempt` perturbs targets, timing, size, position
/// and pressure slightly, as successive signatures of one person differ.
public struct SyntheticSignatureGenerator: Sendable {
    public var pad: SignaturePadProfile

    public init(pad: SignaturePadProfile = .stu430) {
        self.pad = pad
    }

    /// A genuine-looking signature of signer `signer`, attempt `attempt` (1 = first).
    public func signature(signer: UInt64, attempt: Int = 1) -> [PenPoint] {
        var random = attemptRandom(signer: signer, attempt: attempt)
        let style = SignerStyle(signer: signer)
        let plan = planSignature(style: style, random: &random)
        return sample(plan, style: style, placement: .natural, random: &random)
    }

    /// The signature wrapped as a core `SignatureSample`.
    public func sample(signer: UInt64, attempt: Int = 1, metadata: CaptureMetadata) -> SignatureSample {
        SignatureSample(
            points: signature(signer: signer, attempt: attempt), areaWidth: pad.areaWidth,
            areaHeight: pad.areaHeight, metadata: metadata)
    }

    /// A bad presentation of kind `kind`; `seed` picks the signer and the details.
    public func defective(_ kind: DefectiveSignatureKind, seed: UInt64) -> [PenPoint] {
        var random = attemptRandom(signer: seed, attempt: 0x0BAD)
        let style = SignerStyle(signer: seed)
        switch kind {
        case .empty:
            let timeline = Timeline(
                approachFrom: ModelVector(x: -3, y: 1), strokes: [], leaveTo: ModelVector(x: 4, y: 2),
                approachSeconds: 0.9 + random.unit() * 0.5, leaveSeconds: 0.3)
            return sample(timeline, style: style, placement: .natural, random: &random)
        case .dot:
            let tap = LognormalComponent(
                chord: ModelVector(x: 0.03, y: -0.02), curvature: 0, onset: 0, logDelay: log(0.03), logSpread: 0.2)
            let stroke = PlannedStroke(origin: ModelVector(x: 0, y: 0), components: [tap])
            let timeline = Timeline(
                approachFrom: ModelVector(x: -2, y: 2), strokes: [stroke.shifted(by: 0.4 - stroke.penDown)],
                leaveTo: ModelVector(x: 2, y: 3), approachSeconds: 0.4, leaveSeconds: 0.25)
            return sample(timeline, style: style, placement: .fixedScale(millimetresPerUnit: 5), random: &random)
        case .liftedTooEarly:
            var timeline = planSignature(style: style, random: &random)
            guard var first = timeline.strokes.first else { return [] }
            first.penUp = first.penDown + 0.25 + random.unit() * 0.1
            timeline.strokes = [first]
            return sample(timeline, style: style, placement: .fixedScale(millimetresPerUnit: style.xHeightMillimetres), random: &random)
        case .scribble:
            return sample(planScribble(random: &random), style: style, placement: .fixedScale(millimetresPerUnit: 8), random: &random)
        case .pressureStuckAtZero, .pressureStuckAtFull:
            let stuck: Double = kind == .pressureStuckAtZero ? 0 : 1
            return signature(signer: seed, attempt: 1).map { point in
                var copy = point
                if copy.tipDown { copy.pressure = stuck }
                return copy
            }
        case .tooSmall:
            let timeline = planSignature(style: style, random: &random)
            return sample(timeline, style: style, placement: .width(millimetres: 10 + random.unit() * 2), random: &random)
        case .runsOffEdge:
            let timeline = planSignature(style: style, random: &random)
            return sample(timeline, style: style, placement: .crossingRightEdge, random: &random)
        }
    }

    // MARK: - Planning

    private func attemptRandom(signer: UInt64, attempt: Int) -> SeededRandom {
        var mixer = SeededRandom(seed: signer &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: attempt))
        return SeededRandom(seed: mixer.next())
    }

    /// Plans the pen-down strokes of a signature in model units and lays them out in time.
    private func planSignature(style: SignerStyle, random: inout SeededRandom) -> Timeline {
        let shear = tan(style.slant)
        let tempo = 1 + random.gaussian(deviation: 0.05)
        var strokes: [PlannedStroke] = []
        var cursor = 0.0
        for (wordIndex, word) in style.words.enumerated() {
            var segments: [[LetterSegment]] = [[]]
            for (letterIndex, letter) in word.enumerated() {
                segments[segments.count - 1].append(contentsOf: letter)
                if style.liftsAfterLetter[wordIndex].contains(letterIndex) { segments.append([]) }
            }
            for part in segments where !part.isEmpty {
                var previous = ModelVector(x: cursor, y: 0)
                let origin = ModelVector(x: previous.x, y: previous.y)
                var components: [LognormalComponent] = []
                var onset = 0.0
                for segment in part {
                    let target = ModelVector(
                        x: previous.x + segment.advance * style.letterWidth + random.gaussian(deviation: 0.03),
                        y: segment.height + random.gaussian(deviation: 0.04))
                    let chord = ModelVector(
                        x: (target.x + target.y * shear) - (previous.x + previous.y * shear), y: target.y - previous.y)
                    components.append(
                        LognormalComponent(
                            chord: chord, curvature: segment.curvature + random.gaussian(deviation: 0.08),
                            onset: onset, logDelay: style.logDelay + random.gaussian(deviation: 0.04),
                            logSpread: style.logSpread * (1 + random.gaussian(deviation: 0.04))))
                    onset += style.componentInterval * tempo * (1 + random.gaussian(deviation: 0.05))
                    previous = target
                }
                strokes.append(PlannedStroke(origin: ModelVector(x: origin.x, y: origin.y), components: components))
                cursor = previous.x + 0.15
            }
            cursor += 0.8 + random.unit() * 0.5
        }
        if style.hasUnderline, let firstStroke = strokes.first {
            let start = ModelVector(x: firstStroke.origin.x - 0.3 + random.gaussian(deviation: 0.1), y: -1.5)
            let middle = ModelVector(x: (start.x + cursor) / 2, y: -1.75 + random.gaussian(deviation: 0.1))
            let end = ModelVector(x: cursor - 0.4, y: -1.3 + random.gaussian(deviation: 0.1))
            let slow = style.logDelay + 0.35
            let components = [
                LognormalComponent(chord: middle - start, curvature: 0.25, onset: 0, logDelay: slow, logSpread: style.logSpread),
                LognormalComponent(
                    chord: end - middle, curvature: 0.35, onset: style.componentInterval * 1.6, logDelay: slow,
                    logSpread: style.logSpread),
            ]
            strokes.append(PlannedStroke(origin: start, components: components))
        }
        return layOut(strokes, random: &random)
    }

    /// Dense left-right zigzags drifting up and down: what an impatient subject does instead of
    /// signing.
    private func planScribble(random: inout SeededRandom) -> Timeline {
        var components: [LognormalComponent] = []
        let width = 2.4 + random.unit() * 1.0
        var onset = 0.0
        var previous = ModelVector(x: 0, y: 0)
        let count = 36 + Int(random.unit() * 12)
        for index in 0..<count {
            // Alternate between the two sides of a fixed band so the pen keeps going over the
            // same place, drifting only a little up and down.
            let side = index.isMultiple(of: 2) ? width : 0
            let target = ModelVector(
                x: side + random.gaussian(deviation: 0.15), y: 0.3 * sin(Double(index) * 0.45) + random.gaussian(deviation: 0.05))
            components.append(
                LognormalComponent(
                    chord: target - previous, curvature: index.isMultiple(of: 2) ? 0.3 : -0.3, onset: onset,
                    logDelay: log(0.12), logSpread: 0.25))
            previous = target
            onset += 0.075 * (1 + random.gaussian(deviation: 0.05))
        }
        return layOut([PlannedStroke(origin: ModelVector(x: 0, y: 0), components: components)], random: &random)
    }

    /// Places strokes one after another in time with hover gaps that grow with the distance the
    /// pen travels in the air.
    private func layOut(_ strokes: [PlannedStroke], random: inout SeededRandom) -> Timeline {
        var placed: [PlannedStroke] = []
        var clock = 0.25 + random.unit() * 0.2
        var previousEnd: ModelVector?
        for stroke in strokes {
            let start = stroke.position(at: stroke.penDown)
            if let end = previousEnd {
                clock += 0.12 + 0.05 * (start - end).length + random.unit() * 0.08
            }
            let moved = stroke.shifted(by: clock - stroke.penDown)
            placed.append(moved)
            previousEnd = moved.position(at: moved.penUp)
            clock = moved.penUp
        }
        let first = placed.first?.origin ?? ModelVector(x: 0, y: 0)
        let last = previousEnd ?? first
        return Timeline(
            approachFrom: first + ModelVector(x: -1.5 - random.unit(), y: 1.5 + random.unit()), strokes: placed,
            leaveTo: last + ModelVector(x: 1 + random.unit(), y: 1.5 + random.unit()),
            approachSeconds: placed.first?.penDown ?? 0.5, leaveSeconds: 0.15 + random.unit() * 0.15)
    }

    // MARK: - Sampling

    enum Placement {
        /// The signer's own size, shrunk if needed to fit the pad, placed near the centre.
        case natural
        case fixedScale(millimetresPerUnit: Double)
        /// Scaled so the ink is this wide.
        case width(millimetres: Double)
        /// Natural size, but placed so the ink crosses the right edge.
        case crossingRightEdge
    }

    /// Turns a timeline into pad reports.
    private func sample(
        _ timeline: Timeline, style: SignerStyle, placement: Placement, random: inout SeededRandom
    ) -> [PenPoint] {
        let bounds = timeline.inkBounds()
        let margin = 5.0
        let natural = style.xHeightMillimetres * (1 + random.gaussian(deviation: 0.04))
        var scale: Double
        switch placement {
        case .natural, .crossingRightEdge:
            // People fill a small pad: short names are written larger, at least about 24 mm wide.
            scale = bounds.width > 0 ? max(natural, 24 / bounds.width) : natural
            if bounds.width > 0 { scale = min(scale, (pad.areaWidth - 2 * margin) / bounds.width) }
            if bounds.height > 0 { scale = min(scale, (pad.areaHeight - 2 * margin) / bounds.height) }
        case .fixedScale(let millimetresPerUnit):
            scale = millimetresPerUnit
        case .width(let millimetres):
            scale = bounds.width > 0 ? millimetres / bounds.width : natural
        }
        let inkWidth = bounds.width * scale
        let inkHeight = bounds.height * scale
        var centreX = pad.areaWidth / 2 + random.gaussian(deviation: 2)
        var centreY = pad.areaHeight * 0.55 + random.gaussian(deviation: 1.5)
        let edge = 3.0
        centreX = min(max(centreX, edge + inkWidth / 2), pad.areaWidth - edge - inkWidth / 2)
        centreY = min(max(centreY, edge + inkHeight / 2), pad.areaHeight - edge - inkHeight / 2)
        if case .crossingRightEdge = placement { centreX = pad.areaWidth - inkWidth * 0.3 }
        let tilt = style.baselineTilt + random.gaussian(deviation: 0.015)
        let cosTilt = cos(tilt)
        let sinTilt = sin(tilt)
        let mid = ModelVector(x: bounds.minX + bounds.width / 2, y: bounds.minY + bounds.height / 2)

        let unit = pad.millimetresPerUnit
        let maxLevel = Double(max(pad.pressureLevels - 1, 1))
        func padPoint(_ model: ModelVector) -> (x: Double, y: Double) {
            let dx = model.x - mid.x
            let dy = model.y - mid.y
            let x = centreX + scale * (cosTilt * dx - sinTilt * dy)
            let y = centreY - scale * (sinTilt * dx + cosTilt * dy)
            // The pad reports whole sensor units inside its active area.
            let clampedX = min(max(x, 0), pad.areaWidth)
            let clampedY = min(max(y, 0), pad.areaHeight)
            return ((clampedX / unit).rounded() * unit, (clampedY / unit).rounded() * unit)
        }

        let basePressure = min(max(style.basePressure + random.gaussian(deviation: 0.03), 0.15), 0.9)
        let wobblePhase = random.unit() * 2 * Double.pi
        let peakSpeeds = timeline.strokes.map { stroke in
            stride(from: stroke.penDown, through: stroke.penUp, by: 0.01).map { stroke.speed(at: $0) }.max() ?? 1
        }
        let interval = pad.reportIntervalMilliseconds / 1000
        var points: [PenPoint] = []
        var index = 0
        while true {
            let time = Double(index) * interval
            guard let state = timeline.state(at: time) else { break }
            let position = padPoint(state.position)
            var pressure = 0.0
            if let strokeIndex = state.strokeIndex {
                let stroke = timeline.strokes[strokeIndex]
                let landing = smoothStep((time - stroke.penDown) / 0.04)
                let lifting = smoothStep((stroke.penUp - time) / 0.035)
                let speedShare = stroke.speed(at: time) / max(peakSpeeds[strokeIndex], 1e-9)
                let wobble = 0.05 * sin(2 * Double.pi * time / 0.9 + wobblePhase)
                let body = basePressure * (1 - 0.25 * speedShare) + wobble
                pressure = max(body * (0.15 + 0.85 * min(landing, lifting)), 1 / maxLevel)
                pressure = (min(pressure, 1) * maxLevel).rounded() / maxLevel
            }
            points.append(
                PenPoint(
                    x: position.x, y: position.y, pressure: pressure, tipDown: state.strokeIndex != nil, inRange: true,
                    milliseconds: Double(index) * pad.reportIntervalMilliseconds))
            index += 1
        }
        if let last = points.last {
            // The pen leaves the sensing range: one last report without proximity.
            points.append(
                PenPoint(
                    x: last.x, y: last.y, pressure: 0, tipDown: false, inRange: false,
                    milliseconds: Double(index) * pad.reportIntervalMilliseconds))
        }
        return points
    }
}

private func smoothStep(_ value: Double) -> Double {
    let clamped = min(max(value, 0), 1)
    return clamped * clamped * (3 - 2 * clamped)
}

/// A whole presentation in model units: approach, strokes with hover gaps, leave.
struct Timeline: Sendable {
    var approachFrom: ModelVector
    var strokes: [PlannedStroke]
    var leaveTo: ModelVector
    /// For an empty presentation, how long the pen hovers; otherwise the first pen-down time.
    var approachSeconds: Double
    var leaveSeconds: Double

    struct State {
        var position: ModelVector
        var strokeIndex: Int?
    }

    var endTime: Double { (strokes.last?.penUp ?? approachSeconds) + leaveSeconds }

    /// Where the pen is at `time`, or nil once it has left.
    func state(at time: Double) -> State? {
        guard time <= endTime else { return nil }
        guard let first = strokes.first else {
            let fraction = time / max(endTime, 1e-9)
            return State(position: hover(from: approachFrom, to: leaveTo, fraction: fraction), strokeIndex: nil)
        }
        if time < first.penDown {
            let fraction = time / max(first.penDown, 1e-9)
            return State(position: hover(from: approachFrom, to: first.position(at: first.penDown), fraction: fraction), strokeIndex: nil)
        }
        for (index, stroke) in strokes.enumerated() {
            if time <= stroke.penUp { return State(position: stroke.position(at: max(time, stroke.penDown)), strokeIndex: index) }
            let nextIndex = index + 1
            if nextIndex < strokes.count, time < strokes[nextIndex].penDown {
                let next = strokes[nextIndex]
                let fraction = (time - stroke.penUp) / max(next.penDown - stroke.penUp, 1e-9)
                return State(
                    position: hover(from: stroke.position(at: stroke.penUp), to: next.position(at: next.penDown), fraction: fraction),
                    strokeIndex: nil)
            }
        }
        guard let last = strokes.last else { return nil }
        let fraction = (time - last.penUp) / max(leaveSeconds, 1e-9)
        return State(position: hover(from: last.position(at: last.penUp), to: leaveTo, fraction: fraction), strokeIndex: nil)
    }

    /// A minimum-jerk move through the air.
    private func hover(from start: ModelVector, to end: ModelVector, fraction: Double) -> ModelVector {
        let s = min(max(fraction, 0), 1)
        let shape = s * s * s * (10 - 15 * s + 6 * s * s)
        return start + (end - start) * shape
    }

    /// Bounds of the ink in model units.
    func inkBounds() -> (minX: Double, minY: Double, width: Double, height: Double) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for stroke in strokes {
            for time in stride(from: stroke.penDown, through: stroke.penUp, by: 0.005) {
                let point = stroke.position(at: time)
                minX = min(minX, point.x)
                maxX = max(maxX, point.x)
                minY = min(minY, point.y)
                maxY = max(maxY, point.y)
            }
        }
        guard minX.isFinite else { return (approachFrom.x, approachFrom.y, 0, 0) }
        return (minX, minY, maxX - minX, maxY - minY)
    }
}
