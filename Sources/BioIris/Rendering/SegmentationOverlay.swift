import BioCapture
import Foundation

/// Draws what segmentation found onto a copy of the frame, for reports and previews: the pupil
/// and limbus circles (white, two pixels wide) and the eyelid curves where they cross the iris
/// (black). The report's picture of an iris shows at a glance whether the boundaries are right.
public enum SegmentationOverlay {
    public static func draw(_ segmentation: IrisSegmentation, on image: GrayImage) -> GrayImage {
        var canvas = image
        circle(segmentation.pupil, on: &canvas, value: 255)
        circle(segmentation.iris, on: &canvas, value: 255)
        for lid in [segmentation.upperEyelid, segmentation.lowerEyelid].compactMap({ $0 }) {
            let left = Int(segmentation.iris.centerX - segmentation.iris.radius)
            let right = Int(segmentation.iris.centerX + segmentation.iris.radius)
            for x in max(0, left)...max(0, min(canvas.width - 1, right)) {
                let y = Int(lid.y(atX: Double(x)).rounded())
                plot(x, y, on: &canvas, value: 0)
                plot(x, y + 1, on: &canvas, value: 0)
            }
        }
        return canvas
    }

    private static func circle(_ circle: IrisCircle, on canvas: inout GrayImage, value: UInt8) {
        guard circle.radius.isFinite, circle.radius > 0, circle.radius < 10_000 else { return }
        let steps = max(64, Int(circle.radius * 2 * .pi * 2))
        for step in 0..<steps {
            let angle = Double(step) / Double(steps) * 2 * .pi
            for thickness in [0.0, 1.0] {
                let x = Int((circle.centerX + (circle.radius + thickness) * cos(angle)).rounded())
                let y = Int((circle.centerY + (circle.radius + thickness) * sin(angle)).rounded())
                plot(x, y, on: &canvas, value: value)
            }
        }
    }

    private static func plot(_ x: Int, _ y: Int, on canvas: inout GrayImage, value: UInt8) {
        guard x >= 0, y >= 0, x < canvas.width, y < canvas.height else { return }
        canvas[x, y] = value
    }
}
