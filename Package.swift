// swift-tools-version:6.0
// BioCapture: biometric capture drivers and abstraction layer for an enrollment station.
// Layers (dependencies point down only) are described in Docs/Architecture.md.
import PackageDescription

/// Pixel-crunching modules (synthesis, quality, localisation) are optimised in debug builds too:
/// unoptimised they are 20–50× slower, which makes simulated stations and their tests crawl.
let numericSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "BioCapture",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "BioCapture", targets: ["BioCapture"]),
        .library(name: "USBDescriptors", targets: ["USBDescriptors"]),
        .library(name: "USBKit", targets: ["USBKit"]),
        .library(name: "BioCaptureUSB", targets: ["BioCaptureUSB"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "BioCaptureTesting", targets: ["BioCaptureTesting"]),
        .library(name: "Enrollment", targets: ["Enrollment"]),
        .library(name: "BioFace", targets: ["BioFace"]),
        .library(name: "UVC", targets: ["UVC"]),
        .library(name: "HID", targets: ["HID"]),
        .library(name: "BioSignature", targets: ["BioSignature"]),
        .library(name: "BioFingerprint", targets: ["BioFingerprint"]),
        .library(name: "BioIris", targets: ["BioIris"]),
        .executable(name: "biocapture", targets: ["biocapture"]),
        .executable(name: "biocapture-bench", targets: ["biocapture-bench"]),
        .executable(name: "FuzzUSBDescriptors", targets: ["FuzzUSBDescriptors"]),
        .executable(name: "FuzzJPEG", targets: ["FuzzJPEG"]),
        .executable(name: "FuzzUVCDescriptors", targets: ["FuzzUVCDescriptors"]),
        .executable(name: "FuzzHIDDescriptor", targets: ["FuzzHIDDescriptor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        // System libraries (pkg-config) and the small C shims C demands.
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "CUMockdev", pkgConfig: "umockdev-1.0", providers: [.apt(["libumockdev-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "CJPEGShim",
            linkerSettings: [.linkedLibrary("jpeg")]
        ),
        .target(name: "CVirtualUSB", dependencies: ["CUMockdev"]),

        // USB descriptor model and raw-descriptor parser: pure Swift, no C, no biometrics.
        .target(name: "USBDescriptors"),
        // Typed libusb-1.0 wrapper: knows nothing of biometrics.
        .target(
            name: "USBKit",
            dependencies: ["CLibUSB", "USBDescriptors", .product(name: "Logging", package: "swift-log")]
        ),
        // Core: no C. Device protocols, samples, faults, registry, transport abstraction.
        .target(
            name: "BioCapture",
            dependencies: ["USBDescriptors", .product(name: "Logging", package: "swift-log")]
        ),
        // The only bridge from drivers to USBKit.
        .target(
            name: "BioCaptureUSB",
            dependencies: ["BioCapture", "USBKit", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Imaging", dependencies: ["BioCapture", "CJPEGShim", "CZlib"], swiftSettings: numericSettings),
        // USB Video Class protocol (descriptors, probe/commit, payloads): shared by webcam and iris drivers.
        .target(
            name: "UVC",
            dependencies: ["BioCapture", "USBDescriptors", .product(name: "Logging", package: "swift-log")]
        ),
        // USB HID class protocol (report descriptors, reports, digitizers) shared by pad drivers.
        .target(name: "HID", dependencies: ["BioCapture", "USBDescriptors"]),
        // Fingerprint modality: synthetic prints and the NFIQ 2-style quality measure (no C).
        .target(
            name: "BioFingerprint",
            dependencies: [
                "BioCapture", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: numericSettings
        ),
        // Test support shipped as a library (like swift-nio's EmbeddedChannel).
        .target(
            name: "BioCaptureTesting",
            dependencies: ["BioCapture", "USBKit", "CVirtualUSB", "CUMockdev", "BioFingerprint"]
        ),

        // Face: portraits, Viola–Jones localisation (cascades from Debian's opencv-data), checks.
        .target(
            name: "BioFace",
            dependencies: ["BioCapture", .product(name: "Logging", package: "swift-log")],
            swiftSettings: numericSettings
        ),
        // Signature pads: synthetic handwriting, checks, rendering, records (pure Swift).
        .target(
            name: "BioSignature",
            dependencies: ["BioCapture", .product(name: "Logging", package: "swift-log")],
            swiftSettings: numericSettings
        ),

        // Orchestration and the power-safe journal.
        .target(
            name: "Enrollment",
            dependencies: [
                "BioCapture", "BioCaptureUSB", "USBKit", "Imaging", "BioFace", "BioSignature", "BioFingerprint", "BioIris",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Iris modality: synthetic NIR eyes, classical segmentation, ISO/IEC 29794-6 quality. Pure Swift.
        .target(
            name: "BioIris",
            dependencies: ["BioCapture", .product(name: "Logging", package: "swift-log")],
            swiftSettings: numericSettings
        ),

        .executableTarget(
            name: "biocapture",
            dependencies: [
                "BioCapture", "BioCaptureUSB", "USBKit", "USBDescriptors", "Imaging", "Enrollment", "HID", "BioSignature",
                "BioFace", "BioFingerprint", "BioIris", "UVC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "biocapture-bench",
            dependencies: [
                "BioCapture", "BioCaptureUSB", "USBKit", "USBDescriptors", "Imaging", "BioCaptureTesting",
                "UVC", "HID", "BioSignature", "BioFingerprint", "BioIris", "Enrollment", "BioFace",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "FuzzUSBDescriptors", dependencies: ["USBDescriptors"]),
        .executableTarget(name: "FuzzJPEG", dependencies: ["Imaging"]),
        .executableTarget(name: "FuzzUVCDescriptors", dependencies: ["UVC", "USBDescriptors"]),
        .executableTarget(name: "FuzzHIDDescriptor", dependencies: ["HID"]),

        .testTarget(name: "BioCaptureTests", dependencies: ["BioCapture", "BioCaptureTesting"]),
        .testTarget(name: "USBDescriptorsTests", dependencies: ["USBDescriptors"]),
        .testTarget(name: "USBKitTests", dependencies: ["USBKit", "BioCaptureTesting"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "UVCTests", dependencies: ["UVC", "BioCapture", "USBDescriptors"]),
        .testTarget(name: "HIDTests", dependencies: ["HID", "BioCapture", "USBDescriptors"]),
        .testTarget(
            name: "BioFingerprintTests",
            dependencies: ["BioFingerprint", "BioCapture", "Imaging", "BioCaptureTesting", "BioCaptureUSB", "USBKit"]
        ),
        .testTarget(
            name: "BioCaptureUSBTests",
            dependencies: ["BioCaptureUSB", "BioCapture", "USBKit", "BioCaptureTesting"]
        ),
        .testTarget(name: "BioFaceTests", dependencies: ["BioFace", "BioCapture"]),
        .testTarget(name: "BioSignatureTests", dependencies: ["BioSignature", "BioCapture"]),
        .testTarget(name: "EnrollmentTests", dependencies: ["Enrollment", "BioCapture", "BioCaptureTesting"]),
        .testTarget(name: "BioIrisTests", dependencies: ["BioIris", "BioCapture"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["biocapture", "BioCapture", "BioCaptureUSB", "Enrollment", "BioCaptureTesting", "Imaging"],
            // Golden outputs, read from the source tree by GoldenOutputTests (not bundled).
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
