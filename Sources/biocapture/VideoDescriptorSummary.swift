import UVC
import USBDescriptors

/// The UVC formats, frame sizes and frame rates of a device's video functions, for `describe`.
struct VideoDescriptorSummary: Encodable {
    struct Frame: Encodable {
        var width: Int
        var height: Int
        /// Discrete rates, or for continuous intervals the range as min/max.
        var framesPerSecond: [Double]
        var continuous: Bool
    }

    struct Format: Encodable {
        var index: Int
        var pixelFormat: String
        var bitsPerPixel: Int?
        var frames: [Frame]
    }

    struct Stream: Encodable {
        var interface: Int
        var uvcVersion: String
        var formats: [Format]
    }

    var streams: [Stream]
    /// Why the video descriptors could not be read, when they could not.
    var error: String?
    var warnings: [String]

    /// nil when the configuration has no video function.
    init?(_ configuration: USBConfigurationDescriptor) {
        let hasVideo = configuration.interfaces.flatMap(\.alternateSettings).contains { $0.interfaceClass == 0x0E }
        guard hasVideo else { return nil }
        do {
            let functions = try UVCDescriptorParser.parseFunctions(configuration: configuration)
            streams = functions.flatMap { function in
                function.streams.map { stream in
                    Stream(interface: Int(stream.interfaceNumber), uvcVersion: function.control.header.uvcVersion.description,
                           formats: stream.formats.map { format in
                               Format(index: Int(format.index), pixelFormat: Self.name(format.pixelFormat),
                                      bitsPerPixel: format.bitsPerPixel, frames: format.frames.map(Self.frame))
                           })
                }
            }
            warnings = functions.flatMap { $0.warnings.map { "\($0)" } + $0.streams.flatMap { $0.warnings.map { "\($0)" } } }
            error = nil
        } catch {
            streams = []
            warnings = []
            self.error = "\(error)"
        }
    }

    static func frame(_ frame: UVCFrame) -> Frame {
        switch frame.intervals {
        case .discrete:
            return Frame(width: Int(frame.width), height: Int(frame.height), framesPerSecond: frame.framesPerSecond, continuous: false)
        case .continuous(let minimum, let maximum, _):
            let rates = [maximum, minimum].filter { $0 > 0 }.map { (1_000_000_000 / Double($0)).rounded() / 100 }
            return Frame(width: Int(frame.width), height: Int(frame.height), framesPerSecond: rates, continuous: true)
        }
    }

    static func name(_ format: UVCPixelFormat) -> String {
        switch format {
        case .yuy2: "YUY2"
        case .uyvy: "UYVY"
        case .nv12: "NV12"
        case .grey8: "GREY (8-bit)"
        case .infrared8: "infrared 8-bit"
        case .grey16: "Y16"
        case .mjpeg: "MJPEG"
        case .h264: "H.264"
        case .other(let guid): "other \(guid)"
        }
    }

    func text() -> [String] {
        var lines: [String] = []
        if let error {
            lines.append("  Video: descriptors not readable: \(error)")
            return lines
        }
        for stream in streams {
            lines.append("  Video streaming interface \(stream.interface) (UVC \(stream.uvcVersion)):")
            for format in stream.formats {
                lines.append("    format \(format.index): \(format.pixelFormat)" + (format.bitsPerPixel.map { ", \($0) bits/pixel" } ?? ""))
                for frame in format.frames {
                    let rates = frame.framesPerSecond.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }
                    let text = frame.continuous ? rates.joined(separator: "–") + " fps (continuous)" : rates.joined(separator: ", ") + " fps"
                    lines.append("      \(frame.width)×\(frame.height): \(text)")
                }
            }
        }
        for warning in warnings { lines.append("  Video warning: \(warning)") }
        return lines
    }
}
