import BioCaptureTesting
import USBDescriptors
import USBKit
import XCTest

final class IsochronousTests: VirtualUSBTestCase {
    func testIsochronousInReportsEveryPacket() async throws {
        let handle = try await openScripted()
        try await handle.claimInterface(1)
        try await handle.setAlternateSetting(interface: 1, alternateSetting: 1)
        model.isochronousFill = 100
        let packets = try await handle.isochronousTransferIn(
            endpoint: ScriptedUSBDevice.isochronousIn, packetCount: 8, packetLength: 1024, timeout: timeout)
        XCTAssertEqual(packets.count, 8)
        for (index, packet) in packets.enumerated() {
            XCTAssertEqual(packet.status, .completed)
            XCTAssertEqual(packet.actualLength, 100)
            XCTAssertEqual(packet.data, Array(repeating: UInt8(index), count: 100))
        }
        await handle.close()
    }

    func testIsochronousPacketFailuresArePerPacket() async throws {
        final class LossyModel: VirtualUSBDeviceModel, @unchecked Sendable {
            let inner = ScriptedUSBDevice()
            var descriptors: USBDeviceDescriptors { inner.descriptors }
            var strings: [UInt8: String] { inner.strings }
            func handle(_ transfer: VirtualUSBTransfer) -> VirtualUSBReply? {
                guard transfer.type == .isochronous else { return inner.handle(transfer) }
                return .isochronous([
                    VirtualUSBIsochronousPacket(data: [1, 2, 3]),
                    VirtualUSBIsochronousPacket(data: [], status: -EXDEV),
                    VirtualUSBIsochronousPacket(data: [7]),
                ])
            }
        }
        await context.close()
        context = nil
        testbed.close()
        testbed = try VirtualUSBTestbed()
        try testbed.add(LossyModel())
        context = try USBContext(logger: .init(label: "USBKitTests"))
        let handle = try await openScripted()
        try await handle.claimInterface(1)
        try await handle.setAlternateSetting(interface: 1, alternateSetting: 1)
        let packets = try await handle.isochronousTransferIn(
            endpoint: ScriptedUSBDevice.isochronousIn, packetCount: 3, packetLength: 512, timeout: timeout)
        XCTAssertEqual(packets.map(\.data), [[1, 2, 3], [], [7]])
        XCTAssertEqual(packets.map(\.status), [.completed, .error, .completed])
        await handle.close()
    }
}
