import BioCapture
import Foundation
import BioSignature
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
        do {
            return EncodedSample(encoding: "json", data: try SignatureTimeSeries(sample: sample).encodeJSON())
        } catch {
            throw error.fault
        }
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
