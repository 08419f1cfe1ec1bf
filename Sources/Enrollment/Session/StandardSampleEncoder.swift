import BioCapture
import Foundation
import Imaging

/// The formats samples are kept in: face JPEG, fingerprint and iris PNG (lossless: the matcher
/// and the quality measures see exactly what the sensor gave), signature as its JSON time series.
public struct StandardSampleEncoder: SampleEncoder {
    public var faceQuality: Int

    public init(faceQuality: Int = 92) { self.faceQuality = faceQuality }

    public func encode(_ sample: FingerprintSample) throws -> EncodedSample {
        EncodedSample(encoding: "png", data: Data(try wrap { try PNG.encode(sample.image) }))
    }

    public func encode(_ sample: IrisSample) throws -> EncodedSample {
        EncodedSample(encoding: "png", data: Data(try wrap { try PNG.encode(sample.image) }))
    }

    public func encode(_ sample: FaceSample) throws -> EncodedSample {
        var options = JPEG.EncodeOptions()
        options.quality = faceQuality
        return EncodedSample(encoding: "jpeg", data: Data(try wrap { try JPEG.encode(sample.image, options: options) }))
    }

    public func encode(_ sample: SignatureSample) throws -> EncodedSample {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let record = SignatureTimeSeries(areaWidth: sample.areaWidth, areaHeight: sample.areaHeight, points: sample.points)
        return EncodedSample(encoding: "json", data: try encoder.encode(record))
    }

    /// An image we made that cannot be encoded is our bug.
    private func wrap(_ body: () throws -> [UInt8]) throws -> [UInt8] {
        do {
            return try body()
        } catch let error as ImageCodecError {
            throw error.captureFault(domain: .software)
        }
    }
}

/// A signature's pen time series as stored and exported (millimetres, normalised pressure).
public struct SignatureTimeSeries: Sendable, Codable {
    public var format = "biocapture-signature-v1"
    public var areaWidth: Double
    public var areaHeight: Double
    public var points: [PenPoint]

    public init(areaWidth: Double, areaHeight: Double, points: [PenPoint]) {
        self.areaWidth = areaWidth
        self.areaHeight = areaHeight
        self.points = points
    }
}
