import BioCapture
import Foundation

/// One self-contained HTML page (no external files; pictures inline as data URIs) that a technician
/// can open offline or send: station summary, each device's verdict with its steps and faults,
/// and the pictures the test captured.
public enum HTMLReport {
    /// - Parameters:
    ///   - pictures: per device id, named PNG images the test captured.
    public static func render(_ report: StationReport, pictures: [String: [(name: String, png: Data)]],
                              language: MessageLanguage) -> String {
        func t(_ key: StationMessages.Key) -> String { escape(StationMessages.text(key, language)) }
        var html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <title>\(t(.reportTitle)) — \(escape(report.hostname))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
            .pass { color: #176317; } .degraded { color: #8a5a00; } .fail { color: #b00020; font-weight: bold; }
            .passed { color: #176317; } .warning { color: #8a5a00; } .failed { color: #b00020; font-weight: bold; }
            .skipped { color: #777; }
            section.device { border-top: 2px solid #ddd; padding-top: 0.5em; }
            img { max-width: 320px; border: 1px solid #999; margin: 0.3em; image-rendering: pixelated; }
            figure { display: inline-block; margin: 0 1em 0 0; }
            </style>
            </head>
            <body>
            <h1>\(t(.reportTitle))</h1>
            <p>\(t(.reportGenerated)): \(escape(iso8601(report.generatedAt))) · \(escape(report.hostname)) · biocapture \(escape(report.version))</p>
            <h2>\(t(.reportSummary))</h2>

            """
        if report.devices.isEmpty {
            html += "<p>\(t(.reportNoDevices))</p>\n"
        } else {
            html += "<table>\n<tr><th>\(t(.reportDevice))</th><th>\(t(.reportVerdict))</th><th>\(t(.reportDetail))</th></tr>\n"
            for device in report.devices {
                let verdictKey = StationMessages.key(for: SelfTestResult.Verdict(rawValue: device.verdict) ?? .fail)
                let stopped = device.failedStep.map {
                    "\(t(.reportStoppedAt)) \(escape(StationMessages.text(StationMessages.key(for: SelfTestStepID(rawValue: $0) ?? .found), language)))"
                } ?? ""
                html += "<tr><td><a href=\"#\(anchor(device.id))\">\(escape(device.id))</a></td>"
                    + "<td class=\"\(escape(device.verdict))\">\(t(verdictKey))</td><td>\(stopped)</td></tr>\n"
            }
            html += "</table>\n"
        }
        for device in report.devices {
            let modalityKey = StationMessages.key(for: Modality(rawValue: device.modality) ?? .fingerprint)
            let verdictKey = StationMessages.key(for: SelfTestResult.Verdict(rawValue: device.verdict) ?? .fail)
            html += "<section class=\"device\" id=\"\(anchor(device.id))\">\n"
            html += "<h2>\(escape(device.id)) — \(t(modalityKey))\(device.simulated ? " (\(t(.reportSimulated)))" : "")</h2>\n"
            html += "<p>\(escape(device.vendor)) \(escape(device.model))"
            if let serial = device.serialNumber { html += " · S/N \(escape(serial))" }
            if let firmware = device.firmwareVersion { html += " · firmware \(escape(firmware))" }
            html += " · \(escape(device.connection))</p>\n"
            html += "<p>\(t(.reportVerdict)): <span class=\"\(escape(device.verdict))\">\(t(verdictKey))</span></p>\n"
            html += "<table>\n<tr><th>\(t(.reportStep))</th><th>\(t(.reportResult))</th><th>\(t(.reportDetail))</th></tr>\n"
            for step in device.steps {
                let outcomeKey = StationMessages.key(for: SelfTestStep.Outcome(rawValue: step.outcome) ?? .failed)
                html += "<tr><td>\(escape(step.name))</td><td class=\"\(escape(step.outcome))\">\(t(outcomeKey))</td>"
                    + "<td>\(escape(step.detail))</td></tr>\n"
            }
            html += "</table>\n"
            if !device.faults.isEmpty {
                html += "<h3>\(t(.reportFaults))</h3>\n<ul>\n"
                for fault in device.faults {
                    let domainKey = StationMessages.key(for: FaultDomain(rawValue: fault.domain) ?? .software)
                    html += "<li><strong>\(t(domainKey))</strong> <code>\(escape(fault.code))</code>: \(escape(fault.message))"
                        + "<br>\(t(.reportRemedy)): \(escape(fault.remedy))</li>\n"
                }
                html += "</ul>\n"
            }
            if let images = pictures[device.id], !images.isEmpty {
                html += "<h3>\(t(.reportPictures))</h3>\n"
                for image in images {
                    html += "<figure><img alt=\"\(escape(image.name))\" src=\"data:image/png;base64,\(image.png.base64EncodedString())\">"
                        + "<figcaption>\(escape(image.name))</figcaption></figure>\n"
                }
            }
            html += "</section>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func anchor(_ id: String) -> String {
        "device-" + String(id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    private static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}
