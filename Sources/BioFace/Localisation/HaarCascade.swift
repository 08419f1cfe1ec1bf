import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A boosted cascade of Haar-like features as OpenCV's `traincascade` writes it (the XML files in
/// Debian's `opencv-data`, `/usr/share/opencv4/haarcascades/`), evaluated by our own code.
///
/// Facts used (OpenCV's file format and evaluator): a window of `width`×`height`; each weak
/// classifier is a small tree whose internal nodes are `left right feature threshold` (a child
/// ≤ 0 names leaf `-child`); a feature is up to three weighted rectangles summed over the window;
/// its value is divided by `sqrt(area·Σx² − (Σx)²)` over the window shrunk by one pixel on each
/// side, and compared with the node threshold (`<` goes left); a stage passes when its leaf values
/// add up to at least the stage threshold. Windows with a grey-level standard deviation below 10
/// are rejected as flat.
public struct HaarCascade: Sendable {
    public struct Rectangle: Sendable, Hashable {
        public var x: Int, y: Int, width: Int, height: Int
        public var weight: Float
    }

    public struct Feature: Sendable {
        public var rectangles: [Rectangle]
        public var tilted: Bool
    }

    public struct Node: Sendable {
        public var left: Int
        public var right: Int
        public var featureIndex: Int
        public var threshold: Float
    }

    public struct WeakClassifier: Sendable {
        public var nodes: [Node]
        public var leaves: [Float]
    }

    public struct Stage: Sendable {
        public var threshold: Float
        public var classifiers: [WeakClassifier]
    }

    public let windowWidth: Int
    public let windowHeight: Int
    public let stages: [Stage]
    public let features: [Feature]
    /// The same cascade in flat arrays for the evaluator's inner loop.
    let flat: FlatCascade

    /// Where Debian's `opencv-data` puts the cascades.
    public static let systemDirectory = "/usr/share/opencv4/haarcascades"

    /// Loads `haarcascade_frontalface_default.xml`, `haarcascade_eye.xml`… from `directory`.
    public static func load(named name: String, directory: String = systemDirectory) throws(CascadeError) -> HaarCascade {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CascadeError(path: path, reason: "file not found: install Debian's opencv-data package")
        }
        return try HaarCascade(xml: data, path: path)
    }

    /// Parses a cascade. Tilted (45°) features are not supported and are refused.
    public init(xml data: Data, path: String = "<memory>") throws(CascadeError) {
        let reader = CascadeXMLReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else {
            throw CascadeError(path: path, reason: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        if let problem = reader.problem { throw CascadeError(path: path, reason: problem) }
        guard reader.featureType == "HAAR" else {
            throw CascadeError(path: path, reason: "feature type '\(reader.featureType ?? "none")' is not HAAR")
        }
        guard let width = reader.width, let height = reader.height, (4...256).contains(width), (4...256).contains(height)
        else { throw CascadeError(path: path, reason: "missing or absurd window size") }
        guard !reader.stages.isEmpty else { throw CascadeError(path: path, reason: "no stages") }
        for feature in reader.features {
            if feature.tilted { throw CascadeError(path: path, reason: "tilted features are not supported") }
            for rectangle in feature.rectangles {
                guard rectangle.x >= 0, rectangle.y >= 0, rectangle.width > 0, rectangle.height > 0,
                      rectangle.x + rectangle.width <= width, rectangle.y + rectangle.height <= height
                else { throw CascadeError(path: path, reason: "a feature rectangle lies outside the \(width)×\(height) window") }
            }
        }
        for stage in reader.stages {
            for classifier in stage.classifiers {
                for node in classifier.nodes {
                    guard node.featureIndex >= 0, node.featureIndex < reader.features.count,
                          node.left < classifier.nodes.count, node.right < classifier.nodes.count,
                          -node.left < classifier.leaves.count, -node.right < classifier.leaves.count
                    else { throw CascadeError(path: path, reason: "a classifier node refers to a missing feature, node or leaf") }
                }
                guard !classifier.nodes.isEmpty else { throw CascadeError(path: path, reason: "an empty weak classifier") }
            }
        }
        windowWidth = width
        windowHeight = height
        stages = reader.stages
        features = reader.features
        flat = FlatCascade(stages: reader.stages, features: reader.features)
    }
}

/// A cascade in contiguous arrays: the tree walk in `CascadeDetector.evaluate` runs millions of
/// times per frame, and nested arrays of structs cost a reference count and a bounds check each.
struct FlatCascade: Sendable {
    /// Per stage: first classifier, classifier count, threshold.
    var stageFirst: [Int32] = []
    var stageCount: [Int32] = []
    var stageThreshold: [Float] = []
    /// Per classifier: first node (global index) and first leaf (global index).
    var classifierNode: [Int32] = []
    var classifierLeaf: [Int32] = []
    /// Per node: feature, threshold, left, right (children as in the file: > 0 node, ≤ 0 leaf −child).
    var nodeFeature: [Int32] = []
    var nodeThreshold: [Float] = []
    var nodeLeft: [Int32] = []
    var nodeRight: [Int32] = []
    var leaves: [Float] = []
    /// Per feature: first rectangle and rectangle count; rectangles as x, y, width, height, weight.
    var featureFirst: [Int32] = []
    var featureCount: [Int32] = []
    var rectX: [Int32] = []
    var rectY: [Int32] = []
    var rectWidth: [Int32] = []
    var rectHeight: [Int32] = []
    var rectWeight: [Float] = []

    init(stages: [HaarCascade.Stage], features: [HaarCascade.Feature]) {
        for stage in stages {
            stageFirst.append(Int32(classifierNode.count))
            stageCount.append(Int32(stage.classifiers.count))
            stageThreshold.append(stage.threshold)
            for classifier in stage.classifiers {
                classifierNode.append(Int32(nodeFeature.count))
                classifierLeaf.append(Int32(leaves.count))
                for node in classifier.nodes {
                    nodeFeature.append(Int32(node.featureIndex))
                    nodeThreshold.append(node.threshold)
                    nodeLeft.append(Int32(node.left))
                    nodeRight.append(Int32(node.right))
                }
                leaves.append(contentsOf: classifier.leaves)
            }
        }
        for feature in features {
            featureFirst.append(Int32(rectX.count))
            featureCount.append(Int32(feature.rectangles.count))
            for rectangle in feature.rectangles {
                rectX.append(Int32(rectangle.x))
                rectY.append(Int32(rectangle.y))
                rectWidth.append(Int32(rectangle.width))
                rectHeight.append(Int32(rectangle.height))
                rectWeight.append(rectangle.weight)
            }
        }
    }
}

public struct CascadeError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cascade \(path): \(reason)" }
}

/// Streams the XML into stages and features without building a tree.
private final class CascadeXMLReader: NSObject, XMLParserDelegate {
    var featureType: String?
    var width: Int?
    var height: Int?
    var stages: [HaarCascade.Stage] = []
    var features: [HaarCascade.Feature] = []
    var problem: String?

    private var path: [String] = []
    private var text = ""
    private var currentStage: HaarCascade.Stage?
    private var currentNodes: [HaarCascade.Node] = []
    private var currentLeaves: [Float] = []
    private var currentRects: [HaarCascade.Rectangle] = []
    private var currentTilted = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        path.append(name)
        text = ""
        if name == "_" {
            if parent == "stages" { currentStage = HaarCascade.Stage(threshold: 0, classifiers: []) }
            if parent == "features" {
                currentRects = []
                currentTilted = false
            }
            if parent == "weakClassifiers" {
                currentNodes = []
                currentLeaves = []
            }
        }
    }

    private var parent: String? { path.count >= 2 ? path[path.count - 2] : nil }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let grandparent = path.count >= 3 ? path[path.count - 3] : nil
        switch name {
        case "featureType" where parent == "cascade": featureType = value
        case "width" where parent == "cascade": width = Int(value)
        case "height" where parent == "cascade": height = Int(value)
        case "stageThreshold": currentStage?.threshold = Float(value) ?? .nan
        case "internalNodes":
            let numbers = value.split(whereSeparator: \.isWhitespace)
            guard numbers.count % 4 == 0, !numbers.isEmpty else {
                problem = "internalNodes must hold groups of four numbers"
                break
            }
            for index in stride(from: 0, to: numbers.count, by: 4) {
                guard let left = Int(numbers[index]), let right = Int(numbers[index + 1]),
                      let feature = Int(numbers[index + 2]), let threshold = Float(numbers[index + 3])
                else {
                    problem = "unreadable internalNodes '\(value.prefix(60))'"
                    break
                }
                currentNodes.append(HaarCascade.Node(left: left, right: right, featureIndex: feature, threshold: threshold))
            }
        case "leafValues":
            currentLeaves = value.split(whereSeparator: \.isWhitespace).compactMap { Float($0) }
        case "tilted": currentTilted = value != "0"
        case "_":
            if parent == "weakClassifiers" {
                currentStage?.classifiers.append(HaarCascade.WeakClassifier(nodes: currentNodes, leaves: currentLeaves))
            } else if parent == "stages", let stage = currentStage {
                stages.append(stage)
                currentStage = nil
            } else if parent == "rects" {
                let numbers = value.split(whereSeparator: \.isWhitespace)
                // Weights are written as "-1." or "3.": accept a trailing point.
                if numbers.count == 5, let x = Int(numbers[0]), let y = Int(numbers[1]), let w = Int(numbers[2]),
                   let h = Int(numbers[3]), let weight = Float(numbers[4]) ?? Float(numbers[4] + "0")
                {
                    currentRects.append(HaarCascade.Rectangle(x: x, y: y, width: w, height: h, weight: weight))
                } else {
                    problem = "unreadable feature rectangle '\(value)'"
                }
            } else if parent == "features", grandparent == "cascade" {
                features.append(HaarCascade.Feature(rectangles: currentRects, tilted: currentTilted))
            }
        default: break
        }
        path.removeLast()
        text = ""
    }
}
