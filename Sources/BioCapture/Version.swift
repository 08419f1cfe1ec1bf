/// The library's version, shown by the CLI and written into reports and generated files.
public enum BioCaptureVersion {
    public static let current = "0.1.0"
}
