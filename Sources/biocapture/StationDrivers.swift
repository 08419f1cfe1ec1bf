import BioCapture

/// The drivers this build of `biocapture` knows. The udev rules, `describe`'s "which driver
/// would claim it" and `doctor`'s device checks all come from this one registry.
enum StationDrivers {
    /// No drivers yet: they are registered here as they are added.
    static func registry() -> DriverRegistry {
        DriverRegistry()
    }
}
