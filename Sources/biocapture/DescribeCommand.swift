import ArgumentParser
import BioCapture
import Enrollment
import Foundation
import USBDescriptors

/// `biocapture describe --descriptors FILE [--json]`: decode raw USB descriptors.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Decode raw USB descriptors (Linux sysfs `descriptors` order) and say which driver would claim the device.",
        discussion: """
            FILE holds the 18-byte device descriptor followed by each full configuration, as in \
            /sys/bus/usb/devices/*/descriptors. Exit status 65 when the bytes are malformed \
            (the message names the byte offset), 66 when FILE cannot be read.
            """
    )

    /// Descriptor files are at most 18 + 8 × 65535 bytes; anything larger is not one (and
    /// reading it whole, e.g. /dev/zero, would never end).
    static let maximumFileSize = 1 << 20

    @Option(name: .long, help: ArgumentHelp("Raw descriptor file (sysfs order).", valueName: "FILE"))
    var descriptors: String

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    func run() async throws {
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
