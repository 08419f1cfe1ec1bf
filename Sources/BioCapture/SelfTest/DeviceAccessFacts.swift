/// What the station knows about a USB device before opening it: the first rungs of the ladder.
/// Filled by the USB scan (BioCaptureUSB); simulated devices have none.
public struct DeviceAccessFacts: Sendable, Hashable, Codable {
    /// "/dev/bus/usb/001/005".
    public var deviceNode: String?
    /// nil when it could not be checked (no usbfs).
    public var nodeReadable: Bool?
    public var nodeWritable: Bool?
    /// Kernel drivers bound to the device's interfaces, by interface number.
    public var boundKernelDrivers: [UInt8: String]
    /// The kernel drivers this device's BioCapture driver detaches when it claims the device.
    public var detachableKernelDrivers: [String]

    public init(deviceNode: String?, nodeReadable: Bool?, nodeWritable: Bool?,
                boundKernelDrivers: [UInt8: String] = [:], detachableKernelDrivers: [String] = []) {
        self.deviceNode = deviceNode
        self.nodeReadable = nodeReadable
        self.nodeWritable = nodeWritable
        self.boundKernelDrivers = boundKernelDrivers
        self.detachableKernelDrivers = detachableKernelDrivers
    }
}
