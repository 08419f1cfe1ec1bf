import BioCapture

/// What a frame taken with nothing on the platen says about the sensor: dead rows and
/// columns, how uniform the background is, and whether a latent print (or dirt) is left.
///
/// Dead lines are rows or columns whose mean differs from the median line by more than
/// `deadLineDeviation` grey levels (stuck dark or bright). Residue is the share of 16×16 blocks
/// whose local deviation is ridge-like (above `residueBlockDeviation`).
public struct BlankFrameAnalysis: Sendable, Hashable, Codable {
    public var deadRows: [Int]
    public var deadColumns: [Int]
    /// Standard deviation of the grey levels outside dead lines.
    public var deviation: Double
    public var mean: Double
    /// Share of blocks that look like a latent print, 0–1.
    public var residueShare: Double

    public static let deadLineDeviation = 60.0
    public static let maximumDeviation = 12.0
    public static let residueBlockDeviation = 18.0
    public static let maximumResidueShare = 0.05

    public init(_ image: GrayImage) {
        let width = image.width
        let height = image.height
        var rowMeans = [Double](repeating: 0, count: height)
        var columnMeans = [Double](repeating: 0, count: width)
        for y in 0..<height {
            for x in 0..<width {
                let value = Double(image.pixels[y * width + x])
                rowMeans[y] += value
                columnMeans[x] += value
            }
        }
        rowMeans = rowMeans.map { $0 / Double(width) }
        columnMeans = columnMeans.map { $0 / Double(height) }
        let rowMedian = rowMeans.sorted()[height / 2]
        let columnMedian = columnMeans.sorted()[width / 2]
        deadRows = rowMeans.indices.filter { abs(rowMeans[$0] - rowMedian) > Self.deadLineDeviation }
        deadColumns = columnMeans.indices.filter { abs(columnMeans[$0] - columnMedian) > Self.deadLineDeviation }

        let deadRowSet = Set(deadRows)
        let deadColumnSet = Set(deadColumns)
        var sum = 0.0
        var squares = 0.0
        var count = 0.0
        for y in 0..<height where !deadRowSet.contains(y) {
            for x in 0..<width where !deadColumnSet.contains(x) {
                let value = Double(image.pixels[y * width + x])
                sum += value
                squares += value * value
                count += 1
            }
        }
        mean = count > 0 ? sum / count : 0
        deviation = count > 0 ? max(0, squares / count - mean * mean).squareRoot() : 0

        let block = 16
        var blocks = 0
        var residue = 0
        var by = 0
        while by + block <= height {
            var bx = 0
            while bx + block <= width {
                var blockSum = 0.0
                var blockSquares = 0.0
                for y in by..<(by + block) {
                    for x in bx..<(bx + block) {
                        let value = Double(image.pixels[y * width + x])
                        blockSum += value
                        blockSquares += value * value
                    }
                }
                let n = Double(block * block)
                let blockMean = blockSum / n
                let blockDeviation = max(0, blockSquares / n - blockMean * blockMean).squareRoot()
                blocks += 1
                if blockDeviation > Self.residueBlockDeviation { residue += 1 }
                bx += block
            }
            by += block
        }
        residueShare = blocks > 0 ? Double(residue) / Double(blocks) : 0
    }

    public var hasDeadLines: Bool { !deadRows.isEmpty || !deadColumns.isEmpty }
    public var isUniform: Bool { deviation <= Self.maximumDeviation }
    public var hasResidue: Bool { residueShare > Self.maximumResidueShare }

    /// The self-test rung for the sensor, from this analysis.
    public func sensorStep(device: DeviceIdentity) -> SelfTestStep {
        let measurements = ["deadRows": Double(deadRows.count), "deadColumns": Double(deadColumns.count),
                            "deviation": deviation, "residueShare": residueShare]
        if hasDeadLines {
            let detail = "sensor has \(deadRows.count) dead rows and \(deadColumns.count) dead columns"
            return SelfTestStep(.sensor, .failed,
                                detail: LocalizedText(en: detail, id: "sensor memiliki \(deadRows.count) baris mati dan \(deadColumns.count) kolom mati"),
                                fault: CaptureFault(.sensorDefect, message: "The sensor is damaged: \(detail).", device: device),
                                measurements: measurements)
        }
        if hasResidue {
            return SelfTestStep(.sensor, .warning,
                                detail: LocalizedText(en: "latent print or dirt on the platen (\(Int(residueShare * 100)) % of the area): clean it", id: "ada bekas sidik jari atau kotoran di kaca pemindai (\(Int(residueShare * 100)) % area): bersihkan"),
                                measurements: measurements)
        }
        if !isUniform {
            return SelfTestStep(.sensor, .warning,
                                detail: LocalizedText(en: "blank frame is uneven (deviation \(Int(deviation)) grey levels)", id: "bingkai kosong tidak merata (simpangan \(Int(deviation)) tingkat abu-abu)"), measurements: measurements)
        }
        return SelfTestStep(.sensor, .passed, detail: LocalizedText(en: "blank frame uniform, no dead rows or columns", id: "bingkai kosong merata, tanpa baris atau kolom mati"),
                            measurements: measurements)
    }
}
