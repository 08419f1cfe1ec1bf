import BioCapture
import BioCaptureTesting
import Enrollment
import Foundation
import XCTest

/// The rung details the ladder writes follow the language it is given; English stays the default.
final class SelfTestLadderLanguageTests: XCTestCase {
    func testDeniedAccessIsExplainedInIndonesian() async {
        let denied = DeviceAccessFacts(deviceNode: "/dev/bus/usb/001/005", nodeReadable: true, nodeWritable: false)
        let result = await SelfTestLadder.run(ScriptedFingerprintScanner(), access: denied, language: .indonesian)
        XCTAssertEqual(result.failedStep, .permissions)
        let permissions = result.steps.first { $0.id == .permissions }
        XCTAssertEqual(permissions?.detail, "Akses USB ditolak: pengguna ini tidak dapat membuka /dev/bus/usb/001/005.")
        XCTAssertEqual(permissions?.fault?.code, .permissionDenied)
        XCTAssertEqual(permissions?.fault?.localizedMessage(.indonesian), "Akses USB ditolak.")
        XCTAssertEqual(result.steps.first { $0.id == .open }?.detail, "tidak dijalankan: pengujian berhenti pada langkah 'permissions'")
        XCTAssertEqual(result.steps.first { $0.id == .found }?.detail, "perangkat simulasi scripted-fingerprint")
    }

    func testKernelDriverDetailsInBothLanguages() async {
        let camera = DeviceAccessFacts(deviceNode: "/dev/bus/usb/001/006", nodeReadable: true, nodeWritable: true,
                                       boundKernelDrivers: [1: "uvcvideo"], detachableKernelDrivers: ["uvcvideo"])
        let indonesian = await SelfTestLadder.run(ScriptedWebcam(), access: camera, language: .indonesian)
        XCTAssertEqual(indonesian.steps.first { $0.id == .permissions }?.detail, "/dev/bus/usb/001/006 dapat dibaca dan ditulis")
        XCTAssertEqual(indonesian.steps.first { $0.id == .kernelDriver }?.detail,
                       "uvcvideo pada antarmuka 1: dilepas selama BioCapture merekam")
        XCTAssertEqual(indonesian.steps.first { $0.id == .open }?.detail, "berhasil dibuka")

        let english = await SelfTestLadder.run(ScriptedWebcam(), access: camera)
        XCTAssertEqual(english.steps.first { $0.id == .kernelDriver }?.detail, "uvcvideo on interface 1: detached while BioCapture captures")
        XCTAssertEqual(english.steps.first { $0.id == .open }?.detail, "opened")
    }

    func testAnUnbuildableDeviceInIndonesian() {
        let identity = DeviceIdentity(id: "x", driverID: "d", modality: .iris, vendor: "v", model: "m",
                                      connectionPath: "usb 1-2", isSimulated: true)
        let result = SelfTestLadder.unbuildable(identity, access: nil, fault: CaptureFault(.busy), language: .indonesian)
        XCTAssertEqual(result.steps.first { $0.id == .found }?.detail, "perangkat simulasi x")
        XCTAssertEqual(result.steps.first { $0.id == .permissions }?.detail, "simulasi: tanpa node perangkat")
        XCTAssertEqual(result.steps.first { $0.id == .kernelDriver }?.detail, "simulasi: tanpa driver kernel")
        XCTAssertEqual(result.steps.first { $0.id == .open }?.detail, CaptureFault(.busy).localizedMessage(.indonesian))
        XCTAssertNotEqual(CaptureFault(.busy).localizedMessage(.indonesian), CaptureFault(.busy).message)
    }
}
