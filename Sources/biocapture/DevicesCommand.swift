import ArgumentParser
import BioCapture
import BioCaptureUSB
import Enrollment
import Foundation

/// `biocapture devices [--simulated] [--json] [--lang en|id]`: the capture devices this station can use.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the capture devices on the USB bus (and the simulated ones with --simulated).",
        discussion: """
            Exit status 0 when the listing worked (also when nothing is connected or the machine \
            has no USB access: that is said plainly); 1 when the USB scan itself failed.
            """
    )

    @Flag(name: .long, help: "Also list the simulated devices (one per modality).")
    var simulated = false

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Message language: en or id (default: from LC_ALL, LC_MESSAGES, LANG).", valueName: "LANG"))
    var lang: String?

    func validate() throws {
        try CLILanguageOption.validate(lang)
    }

    func run() async throws {
        let language = CLILanguage.resolve(lang)
        let environment = CLIEnvironment.current
        let station = Station(registry: StationDrivers.registry(), logger: CLILogging.logger("devices"),
                              sysfsRoot: environment.sysfsRoot, devRoot: environment.devRoot)
        let inventory = await station.inventory(includeSimulated: simulated)
        await station.close()
        let listing = DeviceListing(inventory, language: language)
        if json {
            try printJSON(listing)
        } else {
            print(listing.text(language), terminator: "")
        }
        if inventory.usbFault != nil { throw CLIExitStatus.failure }
    }
}

/// The listing as printed with --json.
struct DeviceListing: Encodable {
    struct Device: Encodable {
        var id: String
        var modality: String
        var driver: String
        var vendor: String
        var model: String
        var usbID: String?
        var connection: String
        var simulated: Bool
        var deviceNode: String?
        var accessible: Bool?
        var kernelDrivers: [String: String]?
    }

    var usbAvailable: Bool
    var usbError: String?
    var devices: [Device]
    var unclaimedUSBDevices: Int

    /// `language` chooses the words of `usbError`; keys and codes stay English.
    init(_ inventory: StationInventory, language: MessageLanguage = .english) {
        usbAvailable = inventory.usbAvailable
        usbError = inventory.usbFault.map { $0.localizedMessage(language) }
        unclaimedUSBDevices = inventory.unclaimedUSBDevices
        devices = inventory.usbDevices.map { found in
            Device(
                id: found.identity.id, modality: found.identity.modality.rawValue, driver: found.identity.driverID,
                vendor: found.identity.vendor, model: found.identity.model, usbID: found.identity.usbIDText,
                connection: found.identity.connectionPath, simulated: false, deviceNode: found.access.deviceNode,
                accessible: found.access.nodeWritable.flatMap { writable in found.access.nodeReadable.map { $0 && writable } },
                kernelDrivers: Dictionary(uniqueKeysWithValues: found.access.boundKernelDrivers.map { ("\($0.key)", $0.value) }))
        } + inventory.simulatedDrivers.map { driver in
            Device(id: driver.id, modality: driver.modality.rawValue, driver: driver.id, vendor: "BioCapture",
                   model: driver.name, usbID: nil, connection: "simulated", simulated: true, deviceNode: nil,
                   accessible: nil, kernelDrivers: nil)
        }
    }

    func text(_ language: MessageLanguage = .english) -> String {
        let text = DevicesText(language)
        var lines: [String] = []
        if !usbAvailable {
            lines.append(text.noUSB)
        } else if let usbError {
            lines.append(text.scanFailed(usbError))
        }
        let usb = devices.filter { !$0.simulated }
        let simulated = devices.filter(\.simulated)
        if usbAvailable {
            lines.append(usb.isEmpty ? text.noCaptureDevices : text.usbHeading)
            for device in usb {
                var line = "  \(device.id)  \(device.modality)  \(device.vendor) \(device.model)"
                if let usbID = device.usbID { line += " (\(usbID))" }
                if device.accessible == false { line += "  " + text.noAccess }
                lines.append(line)
            }
            if unclaimedUSBDevices > 0 { lines.append(text.unclaimed(unclaimedUSBDevices)) }
        }
        if !simulated.isEmpty {
            lines.append(text.simulatedHeading)
            for device in simulated {
                lines.append("  \(device.id)  \(device.modality)  \(device.model)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
