import BioCapture
import XCTest

final class FaultModelTests: XCTestCase {
    func testEveryCatalogueEntryHasBothLanguagesAndARemedy() {
        XCTAssertFalse(FaultCatalog.entries.isEmpty)
        var codes: Set<FaultCode> = []
        for entry in FaultCatalog.entries {
            XCTAssertTrue(codes.insert(entry.code).inserted, "duplicate code \(entry.code)")
            for language in MessageLanguage.allCases {
                XCTAssertFalse(entry.message[language].isEmpty, "\(entry.code) lacks a \(language) message")
                XCTAssertFalse(entry.remedy[language].isEmpty, "\(entry.code) lacks a \(language) remedy")
            }
            XCTAssertNotEqual(entry.message.english, entry.message.indonesian, "\(entry.code) message untranslated")
            XCTAssertNotEqual(entry.remedy.english, entry.remedy.indonesian, "\(entry.code) remedy untranslated")
            XCTAssertTrue(entry.code.rawValue.allSatisfy { $0.isLowercase || $0 == "-" }, "code \(entry.code) is not kebab-case")
        }
    }

    /// The design's table: how each transport error is classified.
    func testEveryTransportErrorKindMapsToTheDocumentedDomainAndCode() {
        let expected: [TransportError.Kind: (FaultDomain, FaultCode)] = [
            .io: (.hardware, .ioError),
            .invalidParameter: (.software, .invalidParameter),
            .access: (.environment, .permissionDenied),
            .noDevice: (.hardware, .disconnected),
            .notFound: (.environment, .notFound),
            .busy: (.environment, .busy),
            .timeout: (.hardware, .timeout),
            .overflow: (.hardware, .overflow),
            .pipe: (.hardware, .stalled),
            .interrupted: (.software, .internalError),
            .noMemory: (.software, .outOfMemory),
            .notSupported: (.environment, .notSupported),
            .other: (.hardware, .ioError),
            .cancelled: (.operator, .cancelled),
            .shortTransfer: (.hardware, .shortFrame),
        ]
        XCTAssertEqual(Set(expected.keys), Set(TransportError.Kind.allCases), "a transport error kind has no expectation")
        for kind in TransportError.Kind.allCases {
            let fault = CaptureFault(transport: TransportError(kind, operation: "bulk IN 0x82"))
            XCTAssertEqual(fault.domain, expected[kind]?.0, "domain of \(kind)")
            XCTAssertEqual(fault.code, expected[kind]?.1, "code of \(kind)")
            XCTAssertNotNil(fault.underlying)
        }
        XCTAssertTrue(CaptureFault(transport: TransportError(.noDevice)).isHardware)
        XCTAssertFalse(CaptureFault(transport: TransportError(.access)).isHardware)
    }

    func testClassifyKeepsFaultsAndWrapsOtherErrors() {
        let device = DeviceIdentity(id: "sim-fingerprint", driverID: "sim-fingerprint", modality: .fingerprint,
                                    vendor: "BioCapture", model: "Simulated", connectionPath: "simulated",
                                    isSimulated: true)
        let stalled = CaptureFault.classify(TransportError(.pipe), device: device)
        XCTAssertEqual(stalled.code, .stalled)
        XCTAssertEqual(stalled.device?.id, "sim-fingerprint")

        let cancelled = CaptureFault.classify(CancellationError())
        XCTAssertEqual(cancelled.code, .cancelled)
        XCTAssertEqual(cancelled.domain, .operator)

        struct Strange: Error {}
        let unknown = CaptureFault.classify(Strange())
        XCTAssertEqual(unknown.domain, .software)
        XCTAssertEqual(unknown.code, .internalError)

        let original = CaptureFault(.sensorDefect, message: "3 dead rows")
        let passed = CaptureFault.classify(original, device: device)
        XCTAssertEqual(passed.message, "3 dead rows")
        XCTAssertEqual(passed.domain, .hardware)
    }

    func testLocalizedTextsFollowTheCatalogueUnlessTheDriverSaidMore() {
        let plain = CaptureFault(.permissionDenied)
        XCTAssertEqual(plain.localizedMessage(.indonesian), "Akses USB ditolak.")
        XCTAssertTrue(plain.localizedRemedy(.english).contains("udev-rules --install"))
        let specific = CaptureFault(.sensorDefect, message: "sensor has 3 dead rows")
        XCTAssertEqual(specific.localizedMessage(.indonesian), "sensor has 3 dead rows")
        XCTAssertEqual(MessageLanguage(localeIdentifier: "id_ID.UTF-8"), .indonesian)
        XCTAssertEqual(MessageLanguage(localeIdentifier: "en_US.UTF-8"), .english)
        XCTAssertEqual(MessageLanguage(localeIdentifier: nil), .english)
    }

    func testFaultEncodesTheDocumentedJSONKeys() throws {
        let fault = CaptureFault(transport: TransportError(.noDevice, operation: "bulk IN 0x82", detail: "LIBUSB_ERROR_NO_DEVICE"))
        let data = try JSONEncoder().encode(fault)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["domain"] as? String, "hardware")
        XCTAssertEqual(object["code"] as? String, "disconnected")
        XCTAssertNotNil(object["message"] as? String)
        XCTAssertNotNil(object["remedy"] as? String)
        XCTAssertEqual(object["underlying"] as? String, "bulk IN 0x82: noDevice (LIBUSB_ERROR_NO_DEVICE)")
    }
}
