import BioCaptureTesting
import Foundation
import USBKit

/// USB benchmarks: libusb through USBKit against a VirtualUSB device (in-process umockdev
/// testbed). They measure the whole host path (USBKit, libusb, usbfs ioctls answered by the
/// emulator), not a bus. Run with `umockdev-wrapper swift run -c release biocapture-bench --filter usb`.
let usbBenchmarks: [Benchmark] = [
    Benchmark(name: "usb.control-roundtrip") {
        try await withScriptedDevice { handle in
            let count = 2000
            let seconds = try await medianSecondsAsync(runs: 5) {
                for _ in 0..<count {
                    let value = try await handle.controlTransferIn(
                        requestType: 0xC0, request: ScriptedUSBDevice.readRegister, value: 0x10, index: 0, length: 2,
                        timeout: .seconds(1))
                    guard value.count == 2 else { throw USBBenchmarkError("control read returned \(value.count) bytes") }
                }
            }
            return [BenchmarkFigure(name: "usb.control-roundtrip", unit: "transfers/s", value: Double(count) / seconds, runs: 5)]
        }
    },
    Benchmark(name: "usb.bulk-roundtrip") {
        try await withScriptedDevice { handle in
            let count = 1000
            let payload: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
            let seconds = try await medianSecondsAsync(runs: 5) {
                for _ in 0..<count {
                    try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: payload, timeout: .seconds(1))
                    let echo = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: 64, timeout: .seconds(1))
                    guard echo == payload else { throw USBBenchmarkError("bulk loopback returned \(echo.count) bytes") }
                }
            }
            return [BenchmarkFigure(name: "usb.bulk-roundtrip", unit: "roundtrips/s", value: Double(count) / seconds, runs: 5)]
        }
    },
    Benchmark(name: "usb.bulk-throughput") {
        try await withScriptedDevice { handle in
            let chunk = 64 * 1024
            let chunks = 64
            let payload = (0..<chunk).map { UInt8(truncatingIfNeeded: $0) }
            // Sequential: one 64 KiB write then one 64 KiB read at a time.
            let sequential = try await medianSecondsAsync(runs: 3) {
                for _ in 0..<chunks {
                    try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: payload, timeout: .seconds(2))
                    let back = try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: chunk, timeout: .seconds(2))
                    guard back.count == chunk else { throw USBBenchmarkError("bulk read returned \(back.count) bytes") }
                }
            }
            // Pipelined: eight reads in flight while the writes go out.
            let pipelined = try await medianSecondsAsync(runs: 3) {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<chunks {
                        group.addTask {
                            try await handle.bulkTransferIn(endpoint: ScriptedUSBDevice.bulkIn, length: chunk, timeout: .seconds(5)).count
                        }
                    }
                    for _ in 0..<chunks {
                        try await handle.bulkTransferOut(endpoint: ScriptedUSBDevice.bulkOut, data: payload, timeout: .seconds(5))
                    }
                    var total = 0
                    for try await count in group { total += count }
                    guard total == chunk * chunks else { throw USBBenchmarkError("pipelined reads returned \(total) bytes") }
                }
            }
            let megabytes = Double(chunk * chunks) / 1_000_000
            return [
                BenchmarkFigure(name: "usb.bulk-throughput.sequential", unit: "MB/s", value: megabytes / sequential, runs: 3),
                BenchmarkFigure(name: "usb.bulk-throughput.pipelined", unit: "MB/s", value: megabytes / pipelined, runs: 3),
            ]
        }
    },
]

struct USBBenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Builds a testbed with a `ScriptedUSBDevice`, opens it, claims interface 0, runs `body`, and
/// tears everything down in the order umockdev needs (libusb first, then the testbed).
private func withScriptedDevice(_ body: (USBDeviceHandle) async throws -> [BenchmarkFigure]) async throws -> [BenchmarkFigure] {
    guard VirtualUSB.isEmulationActive else {
        throw USBBenchmarkError(
            "the USB benchmarks need the umockdev emulation: run `umockdev-wrapper swift run -c release biocapture-bench --filter usb`")
    }
    let testbed = try VirtualUSBTestbed()
    defer { testbed.close() }
    try testbed.add(ScriptedUSBDevice(registers: [0x10: [0xCA, 0xFE]]))
    // The context and handle live only inside this call, so libusb is gone before the testbed.
    return try await runOnScriptedDevice(body)
}

private func runOnScriptedDevice(_ body: (USBDeviceHandle) async throws -> [BenchmarkFigure]) async throws -> [BenchmarkFigure] {
    let context = try USBContext()
    let handle: USBDeviceHandle
    do {
        handle = try await context.open(vendorID: ScriptedUSBDevice.vendorID, productID: ScriptedUSBDevice.productID)
    } catch {
        await context.close()
        throw error
    }
    do {
        try await handle.claimInterface(0)
        let figures = try await body(handle)
        await handle.close()
        await context.close()
        return figures
    } catch {
        await handle.close()
        await context.close()
        throw error
    }
}
