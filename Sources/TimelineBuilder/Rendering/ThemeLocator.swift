import Foundation

/// Finds the default theme when `--theme` is not given.
public enum ThemeLocator {
    /// `$TIMELINE_THEME`; then `PREFIX/share/timeline-build/theme` (the builder's package) or
    /// `PREFIX/share/timeline-kiosk/theme` beside an installed binary; then `Assets/theme` in
    /// a source tree above the binary or the working directory.
    public static func defaultTheme(executable: String) -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["TIMELINE_THEME"], !env.isEmpty { return env }
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for package in ["timeline-build", "timeline-kiosk"] {
            let installed = binary.deletingLastPathComponent().appendingPathComponent("share/\(package)/theme")
            if fm.fileExists(atPath: installed.path) { return installed.path }
        }
        for start in [binary, URL(fileURLWithPath: fm.currentDirectoryPath, isDirectory: true)] {
            var folder = start
            for _ in 0..<8 {
                let candidate = folder.appendingPathComponent("Assets/theme")
                if fm.fileExists(atPath: candidate.appendingPathComponent("templates").path) { return candidate.path }
                folder.deleteLastPathComponent()
            }
        }
        return nil
    }
}
