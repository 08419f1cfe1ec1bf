import ArgumentParser
import BioCapture
import Enrollment
import Foundation
import HID
import USBDescriptors

/// `biocapture describe (--descriptors FILE | --hid-report-descriptor FILE) [--json]`: decode raw
/// USB descriptors or a HID report descriptor.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Decode raw USB descriptors (sysfs order) or a HID report descriptor.",
        discussion: """
            --descriptors FILE holds the 18-byte device descriptor followed by each full \
            configuration, as in /sys/bus/usb/devices/*/descriptors; the output says which driver \
            would claim the device. --hid-report-descriptor FILE holds a HID report descriptor \
            (e.g. /sys/bus/hid/devices/*/report_descriptor); the output lists report ids, fields, \
            usages, logical and physical ranges and units, and for digitizers X/Y/pressure ranges \
            and resolution. Exit status 65 when the bytes are malformed (the message names the \
            byte offset), 66 when FILE cannot be read, 64 when neither or both options are given.
            """
    )

    /// Descriptor files are at most 18 + 8 × 65535 bytes; anything larger is not one (and
    /// reading it whole, e.g. /dev/zero, would never end).
    static let maximumFileSize = 1 << 20

    @Option(name: .long, help: ArgumentHelp("Raw descriptor file (sysfs order).", valueName: "FILE"))
    var descriptors: String?

    @Option(name: .long, help: ArgumentHelp("HID report descriptor file.", valueName: "FILE"))
    var hidReportDescriptor: String?

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    func validate() throws {
        if (descriptors == nil) == (hidReportDescriptor == nil) {
            throw ValidationError("give exactly one of --descriptors FILE or --hid-report-descriptor FILE")
        }
    }

    func run() async throws {
        if let hidReportDescriptor {
            try describeHID(hidReportDescriptor)
            return
        }
        guard let descriptors else { throw CLIExitStatus.usage }
        let bytes: [UInt8]
        switch DescriptorFileReader.read(path: descriptors, limit: Self.maximumFileSize) {
        case .success(let contents):
            bytes = contents
        case .failure(let failure):
            printError("biocapture describe: \(failure.message)")
            throw failure.exitCode
        }
        let report: USBDescriptorParseReport
        do {
            report = try USBDescriptorParser.parseWithWarnings(bytes)
        } catch {
            printError("biocapture describe: \(descriptors) is not valid USB descriptor data: \(error.reason)")
            throw CLIExitStatus.dataError
        }
        let match = StationDrivers.registry().match(report.descriptors)
        if json {
            try printJSON(DescriptorJSON.Report(report: report, match: match))
        } else {
            print(DescriptorText.render(report, match: match), terminator: "")
        }
    }
}

extension DescribeCommand {
    /// HID report descriptors are at most 4096 bytes (the HID descriptor's wDescriptorLength
    /// could say 65535; the kernel caps at 4096).
    static let maximumHIDDescriptorSize = 65_535

    func describeHID(_ path: String) throws {
        let bytes: [UInt8]
        switch DescriptorFileReader.read(path: path, limit: Self.maximumHIDDescriptorSize) {
        case .success(let contents):
            bytes = contents
        case .failure(let failure):
            printError("biocapture describe: \(failure.message)")
            throw failure.exitCode
        }
        let summary: HIDDescriptorSummary
        do {
            summary = try HIDDescriptorSummary(descriptor: bytes)
        } catch {
            printError("biocapture describe: \(path) is not a valid HID report descriptor: \(error)")
            throw CLIExitStatus.dataError
        }
        if json {
            try printJSON(summary)
        } else {
            print(summary.renderText(), terminator: "")
        }
    }
}

/// Reads an input file with a size cap, classifying failures for the exit status.
enum DescriptorFileReader {
    struct Failure: Error {
        var message: String
        var exitCode: ExitCode
    }

    static func read(path: String, limit: Int) -> Result<[UInt8], Failure> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Failure(message: "cannot read \(path): no such file", exitCode: CLIExitStatus.noInput))
        }
        if isDirectory.boolValue {
            return .failure(Failure(message: "cannot read \(path): it is a directory, not a descriptor file", exitCode: CLIExitStatus.noInput))
        }
        // Only regular files: opening a FIFO or reading a terminal could wait forever.
        // (sysfs attributes are regular files.)
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            return .failure(Failure(message: "cannot read \(path): not a regular file", exitCode: CLIExitStatus.noInput))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(Failure(message: "cannot read \(path): permission denied or not a regular file", exitCode: CLIExitStatus.noInput))
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                return .failure(Failure(
                    message: "\(path) is larger than \(limit) bytes: too large to be USB descriptors",
                    exitCode: CLIExitStatus.dataError))
            }
            return .success([UInt8](data))
        } catch {
            return .failure(Failure(message: "cannot read \(path): \(error.localizedDescription)", exitCode: CLIExitStatus.ioError))
        }
    }
}
