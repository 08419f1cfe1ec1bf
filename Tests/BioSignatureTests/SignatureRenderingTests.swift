import BioCapture
import XCTest

@testable import BioSignature

final class SignatureRenderingTests: XCTestCase {
    /// A pen-down line from (10, 10) to (40, 10) mm, a hover path down to (40, 40) and across to
    /// (70, 40), and a single tap at (80, 50).
    private func knownSeries(pressure: Double = 0.5) -> [PenPoint] {
        var points: [PenPoint] = []
        var time = 0.0
        func add(_ x: Double, _ y: Double, _ down: Bool, _ p: Double) {
            points.append(PenPoint(x: x, y: y, pressure: down ? p : 0, tipDown: down, inRange: true, milliseconds: time))
            time += 5
        }
        for step in 0...60 { add(10 + 0.5 * Double(step), 10, true, pressure) }
        for step in 1...30 { add(40, 10 + Double(step), false, 0) }
        for step in 1...30 { add(40 + Double(step), 40, false, 0) }
        add(80, 50, true, pressure)
        add(80, 52, false, 0)
        return points
    }

    private func pixel(_ image: GrayImage, mmX: Double, mmY: Double, dpi: Double) -> UInt8 {
        image[Int(mmX / 25.4 * dpi), Int(mmY / 25.4 * dpi)]
    }

    func testInkWhereThePenWasDownAndNoneWhereItHovered() throws {
        let dpi = 300.0
        let image = try SignatureRenderer.render(knownSeries(), areaWidth: 96, areaHeight: 60, options: .init(resolution: .dotsPerInch(dpi)))
        XCTAssertEqual(image.width, 1134)
        XCTAssertEqual(image.height, 709)
        for x in stride(from: 11.0, through: 39.0, by: 1) {
            XCTAssertLessThan(pixel(image, mmX: x, mmY: 10, dpi: dpi), 60, "ink on the line at x = \(x)")
        }
        for y in stride(from: 12.0, through: 39.0, by: 1) {
            XCTAssertEqual(pixel(image, mmX: 40, mmY: y, dpi: dpi), 255, "no ink on the hover path at y = \(y)")
        }
        for x in stride(from: 42.0, through: 69.0, by: 1) {
            XCTAssertEqual(pixel(image, mmX: x, mmY: 40, dpi: dpi), 255, "no ink on the hover path at x = \(x)")
        }
        XCTAssertLessThan(pixel(image, mmX: 80, mmY: 50, dpi: dpi), 100, "a single tap leaves a dot")
        XCTAssertEqual(pixel(image, mmX: 80, mmY: 52, dpi: dpi), 255)
        XCTAssertEqual(image[0, 0], 255, "white paper")
        // Anti-aliasing: the line's edge has intermediate greys.
        let column = Int(25 / 25.4 * dpi)
        let profile = (Int(9 / 25.4 * dpi)...Int(11 / 25.4 * dpi)).map { image[column, $0] }
        XCTAssertTrue(profile.contains { $0 > 20 && $0 < 235 }, "edge greys in \(profile)")
    }

    func testLineWidthFollowsPressure() throws {
        func darkRows(_ pressure: Double) throws -> Int {
            let image = try SignatureRenderer.render(knownSeries(pressure: pressure), areaWidth: 96, areaHeight: 60, options: .init(resolution: .dotsPerInch(600)))
            let column = Int(25 / 25.4 * 600)
            return (0..<image.height).filter { image[column, $0] < 128 }.count
        }
        let light = try darkRows(0.05)
        let heavy = try darkRows(1.0)
        // 0.25 mm + 0.65 mm × pressure at 600 dpi: about 7 px versus about 21 px.
        XCTAssertEqual(Double(light), (0.25 + 0.65 * 0.05) / 25.4 * 600, accuracy: 2)
        XCTAssertEqual(Double(heavy), 0.9 / 25.4 * 600, accuracy: 2)
    }

    func testPixelSizeAndCropToInk() throws {
        let points = knownSeries()
        let fixed = try SignatureRenderer.render(points, areaWidth: 96, areaHeight: 60, options: .init(resolution: .pixelSize(width: 480, height: 480)))
        XCTAssertEqual(fixed.width, 480)
        XCTAssertEqual(fixed.height, 480)
        XCTAssertEqual(fixed[240, 20], 255, "letterbox above the pad stays white")

        let cropped = try SignatureRenderer.render(
            points, areaWidth: 96, areaHeight: 60, options: .init(resolution: .dotsPerInch(100), region: .ink(marginMillimetres: 2)))
        // Ink spans x 10…80 and y 10…50 mm; with 2 mm margins and half the widest pen (0.45 mm):
        // 74.9 × 44.9 mm at 100 dpi.
        XCTAssertEqual(cropped.width, Int((74.9 / 25.4 * 100).rounded()))
        XCTAssertEqual(cropped.height, Int((44.9 / 25.4 * 100).rounded()))
        XCTAssertLessThan(cropped.pixels.min() ?? 255, 100)

        let empty = [PenPoint(x: 5, y: 5, pressure: 0, tipDown: false, inRange: true, milliseconds: 0)]
        let blank = try SignatureRenderer.render(empty, areaWidth: 96, areaHeight: 60, options: .init(resolution: .dotsPerInch(100), region: .ink(marginMillimetres: 2)))
        XCTAssertEqual(blank.width, Int((96 / 25.4 * 100).rounded()), "no ink renders the whole pad")
        XCTAssertEqual(blank.pixels.min(), 255)
    }

    func testCroppedToInkOnAnImage() {
        var image = GrayImage(width: 50, height: 40, filledWith: 255)
        image[10, 12] = 0
        image[20, 15] = 100
        let cropped = image.croppedToInk(margin: 2)
        XCTAssertEqual(cropped.width, 15)
        XCTAssertEqual(cropped.height, 8)
        XCTAssertEqual(cropped[2, 2], 0)
        XCTAssertEqual(cropped[12, 5], 100)
        XCTAssertEqual(GrayImage(width: 5, height: 5, filledWith: 255).croppedToInk(margin: 3).width, 5)
    }

    func testSyntheticSignatureInkStaysNearPenDownReports() throws {
        let points = SyntheticSignatureGenerator().signature(signer: 21)
        let dpi = 100.0
        let image = try SignatureRenderer.render(points, areaWidth: 96, areaHeight: 60, options: .init(resolution: .dotsPerInch(dpi)))
        let down = points.filter(\.tipDown)
        var dark = 0
        for row in 0..<image.height {
            for column in 0..<image.width where image[column, row] < 200 {
                dark += 1
                let x = (Double(column) + 0.5) / dpi * 25.4
                let y = (Double(row) + 0.5) / dpi * 25.4
                let nearest = down.map { hypot($0.x - x, $0.y - y) }.min() ?? .infinity
                XCTAssertLessThan(nearest, 1.5, "dark pixel at (\(x), \(y)) mm far from any pen-down report")
            }
        }
        XCTAssertGreaterThan(dark, 200)
    }

    func testInvalidParametersAreErrors() {
        XCTAssertThrowsError(try SignatureRenderer.render([], areaWidth: 0, areaHeight: 60))
        XCTAssertThrowsError(try SignatureRenderer.render([], areaWidth: 96, areaHeight: .nan))
        XCTAssertThrowsError(try SignatureRenderer.render([], areaWidth: 96, areaHeight: 60, options: .init(resolution: .dotsPerInch(-1))))
        XCTAssertThrowsError(try SignatureRenderer.render([], areaWidth: 96, areaHeight: 60, options: .init(resolution: .pixelSize(width: 0, height: 10))))
        XCTAssertThrowsError(try SignatureRenderer.render([], areaWidth: 96, areaHeight: 60, options: .init(resolution: .dotsPerInch(100_000)))) { error in
            guard case SignatureRenderError.imageTooLarge = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try SignatureRenderer.render([], areaWidth: 96, areaHeight: 60, options: .init(minimumPenWidth: 1, maximumPenWidth: 0.5)))
    }

    func testNonFiniteReportsAreSkippedNotDrawn() throws {
        var points = knownSeries()
        points[5].x = .nan
        points[6].y = .infinity
        let image = try SignatureRenderer.render(points, areaWidth: 96, areaHeight: 60, options: .init(resolution: .dotsPerInch(100)))
        XCTAssertLessThan(image.pixels.min() ?? 255, 100)
    }
}
