import CLibUSB
import USBKit
import XCTest

/// No device needed: the mapping of every libusb constant to a named value.
final class USBErrorTests: XCTestCase {
    func testEveryLibusbErrorCodeHasANamedValue() {
        let constants: [(libusb_error, USBError.Code, String)] = [
            (LIBUSB_ERROR_IO, .io, "LIBUSB_ERROR_IO"),
            (LIBUSB_ERROR_INVALID_PARAM, .invalidParam, "LIBUSB_ERROR_INVALID_PARAM"),
            (LIBUSB_ERROR_ACCESS, .access, "LIBUSB_ERROR_ACCESS"),
            (LIBUSB_ERROR_NO_DEVICE, .noDevice, "LIBUSB_ERROR_NO_DEVICE"),
            (LIBUSB_ERROR_NOT_FOUND, .notFound, "LIBUSB_ERROR_NOT_FOUND"),
            (LIBUSB_ERROR_BUSY, .busy, "LIBUSB_ERROR_BUSY"),
            (LIBUSB_ERROR_TIMEOUT, .timeout, "LIBUSB_ERROR_TIMEOUT"),
            (LIBUSB_ERROR_OVERFLOW, .overflow, "LIBUSB_ERROR_OVERFLOW"),
            (LIBUSB_ERROR_PIPE, .pipe, "LIBUSB_ERROR_PIPE"),
            (LIBUSB_ERROR_INTERRUPTED, .interrupted, "LIBUSB_ERROR_INTERRUPTED"),
            (LIBUSB_ERROR_NO_MEM, .noMem, "LIBUSB_ERROR_NO_MEM"),
            (LIBUSB_ERROR_NOT_SUPPORTED, .notSupported, "LIBUSB_ERROR_NOT_SUPPORTED"),
            (LIBUSB_ERROR_OTHER, .other, "LIBUSB_ERROR_OTHER"),
        ]
        // libusb defines the errors as -1...-12 and -99; every one of them is named.
        let libusbValues = Set((1...12).map { Int32(-$0) } + [-99])
        XCTAssertEqual(Set(constants.map { $0.0.rawValue }), libusbValues)
        XCTAssertEqual(Set(USBError.Code.allNamed.map(\.rawValue)), libusbValues)
        for (constant, named, libusbName) in constants {
            XCTAssertEqual(USBError.Code(rawValue: constant.rawValue), named)
            XCTAssertEqual(named.libusbName, libusbName)
            XCTAssertNotNil(named.name)
        }
        XCTAssertEqual(Set(USBError.Code.allNamed.compactMap(\.name)).count, 13, "names are distinct")
        XCTAssertNil(USBError.Code(rawValue: -50).name)
    }

    func testEveryTransferStatusHasANamedValueAndTheSyncMapping() {
        let statuses: [(libusb_transfer_status, USBError.TransferStatus, USBError.Code)] = [
            (LIBUSB_TRANSFER_ERROR, .error, .io),
            (LIBUSB_TRANSFER_TIMED_OUT, .timedOut, .timeout),
            (LIBUSB_TRANSFER_CANCELLED, .cancelled, .io),
            (LIBUSB_TRANSFER_STALL, .stall, .pipe),
            (LIBUSB_TRANSFER_NO_DEVICE, .noDevice, .noDevice),
            (LIBUSB_TRANSFER_OVERFLOW, .overflow, .overflow),
        ]
        for (constant, named, code) in statuses {
            XCTAssertEqual(USBError.TransferStatus(rawValue: constant.rawValue), named)
            XCTAssertEqual(named.errorCode, code)
            let error = USBError(transferStatus: named, operation: "bulk IN 0x81")
            XCTAssertEqual(error.code, code)
            XCTAssertEqual(error.transferStatus, named)
            XCTAssertTrue(error.description.hasPrefix("bulk IN 0x81: "))
        }
        XCTAssertEqual(USBError.TransferStatus.completed.rawValue, LIBUSB_TRANSFER_COMPLETED.rawValue)
    }

    func testCatchPatternsMatchCodeAndTransferStatus() {
        func fail(_ error: USBError) throws { throw error }
        var matched: [String] = []
        do { try fail(USBError(code: .busy, operation: "claim")) } catch USBError.Code.noDevice {
            matched.append("noDevice")
        } catch USBError.Code.busy {
            matched.append("busy")
        } catch {
            matched.append("other")
        }
        do { try fail(USBError(transferStatus: .stall, operation: "bulk")) } catch USBError.TransferStatus.stall {
            matched.append("stall")
        } catch {
            matched.append("other")
        }
        do { throw CancellationError() } catch USBError.Code.io {
            matched.append("io")
        } catch {
            matched.append("not a USBError")
        }
        XCTAssertEqual(matched, ["busy", "stall", "not a USBError"])
    }
}
