import BioCapture
import USBDescriptors

@testable import UVC

/// An in-memory camera behind `USBTransport` that answers UVC probe/commit and control requests.
///
/// It records every request; its behaviour (payload size it asks for, frame index it insists on,
/// failures of the first requests) is set per test.
actor FakeUVCTransport: USBTransport {
    nonisolated let descriptors: USBDeviceDescriptors
    nonisolated let location = USBDeviceLocation(busNumber: 1, deviceAddress: 4, portPath: [2], speed: .high)

    struct Call: Equatable {
        var setup: USBControlSetup
        var data: [UInt8]
    }

    private(set) var calls: [Call] = []
    private(set) var alternateSettings: [(interface: UInt8, alternate: UInt8)] = []
    /// dwMaxPayloadTransferSize the camera fills into its probe answer.
    var payloadSize: UInt32 = 944
    /// dwMaxVideoFrameSize the camera fills in.
    var frameSize: UInt32 = 614_400
    /// When set, the camera answers this frame index instead of the one asked for.
    var forcedFrameIndex: UInt8?
    /// The first `failures` control requests stall.
    var failures = 0
    /// Bytes the camera answers to GET_CUR of the probe (nil: the requested length).
    var answerLength: Int?
    /// Values of camera-terminal / processing-unit controls by (entity, selector).
    var controlValues: [String: [UInt8]] = [:]
    private var probe: [UInt8] = []
    private(set) var committed: [UInt8]?

    init(descriptors: USBDeviceDescriptors? = nil) {
        self.descriptors = descriptors ?? USBDeviceDescriptors(
            device: USBDeviceDescriptor(
                usbVersion: USBBCDVersion(rawValue: 0x0200), deviceClass: 0xEF, deviceSubClass: 2, deviceProtocol: 1,
                maxPacketSize0: 64, vendorID: 0x046D, productID: 0x0825, deviceVersion: USBBCDVersion(rawValue: 0x0012),
                manufacturerStringIndex: 0, productStringIndex: 0, serialNumberStringIndex: 0, numConfigurations: 1),
            configurations: [])
    }

    func configure(payloadSize: UInt32? = nil, frameSize: UInt32? = nil, forcedFrameIndex: UInt8? = nil,
                   failures: Int? = nil, answerLength: Int? = nil) {
        if let payloadSize { self.payloadSize = payloadSize }
        if let frameSize { self.frameSize = frameSize }
        if let forcedFrameIndex { self.forcedFrameIndex = forcedFrameIndex }
        if let failures { self.failures = failures }
        if let answerLength { self.answerLength = answerLength }
    }

    func setControl(entity: UInt8, selector: UInt8, value: [UInt8]) {
        controlValues["\(entity)/\(selector)"] = value
    }

    func open() async throws {}
    func close() async {}
    func stringDescriptor(index: UInt8) async throws -> String? { nil }
    func setConfiguration(_ value: UInt8) async throws {}
    func claimInterface(_ number: UInt8) async throws {}
    func releaseInterface(_ number: UInt8) async throws {}
    func setAlternateSetting(interface: UInt8, alternateSetting: UInt8) async throws {
        alternateSettings.append((interface, alternateSetting))
    }
    func clearHalt(endpoint: UInt8) async throws {}
    func reset() async throws {}
    func kernelDriver(interface: UInt8) async throws -> String? { nil }

    func control(_ setup: USBControlSetup, data: [UInt8], timeout: Duration) async throws -> [UInt8] {
        calls.append(Call(setup: setup, data: data))
        if failures > 0 {
            failures -= 1
            throw TransportError(.pipe, operation: "control", detail: "fake stall")
        }
        let selector = UInt8(setup.value >> 8)
        let entity = UInt8(setup.index >> 8)
        if entity == 0, selector == UVCStreamingSelector.probe.rawValue || selector == UVCStreamingSelector.commit.rawValue {
            if setup.request == UVCRequest.setCurrent.rawValue {
                guard data.count == Int(setup.length) else {
                    throw TransportError(.pipe, operation: "SET_CUR", detail: "wLength \(setup.length) but \(data.count) bytes")
                }
                if selector == UVCStreamingSelector.probe.rawValue { probe = data } else { committed = data }
                return []
            }
            var answer = try UVCStreamingControl(bytes: probe)
            answer.maxPayloadTransferSize = payloadSize
            answer.maxVideoFrameSize = frameSize
            if let forcedFrameIndex { answer.frameIndex = forcedFrameIndex }
            let size = UVCStreamingControlSize(rawValue: Int(setup.length)) ?? .uvc10
            return Array(answer.encoded(size: size).prefix(answerLength ?? Int(setup.length)))
        }
        let key = "\(entity)/\(selector)"
        switch setup.request {
        case UVCRequest.setCurrent.rawValue:
            controlValues[key] = data
            return []
        case UVCRequest.getInfo.rawValue:
            return [0x03]
        default:
            guard let value = controlValues[key] else { throw TransportError(.pipe, operation: "GET", detail: "no control \(key)") }
            return value
        }
    }

    func bulkIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        throw TransportError(.notSupported)
    }
    func bulkOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int {
        throw TransportError(.notSupported)
    }
    func interruptIn(endpoint: UInt8, length: Int, timeout: Duration) async throws -> [UInt8] {
        throw TransportError(.notSupported)
    }
    func interruptOut(endpoint: UInt8, data: [UInt8], timeout: Duration) async throws -> Int {
        throw TransportError(.notSupported)
    }
    func isochronousIn(endpoint: UInt8, packets: Int, packetLength: Int, timeout: Duration) async throws -> [USBIsochronousPacket] {
        throw TransportError(.notSupported)
    }
}
