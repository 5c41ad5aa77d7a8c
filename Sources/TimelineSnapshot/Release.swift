import CSQLite

/// The release both programs report with `--version`, kept beside the snapshot format they share.
public enum Release {
    public static let version = "0.1.0"
    /// The SQLite library linked at run time (not the header built against).
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}
