#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

/// A snapshot opened read-only and verified: identity, schema version, tables, integrity.
///
/// Not `Sendable`: it owns a connection. Open one per thread that needs one.
public final class SnapshotFile {
    public let database: Database
    public let path: String
    /// The `meta` table.
    public let meta: [String: String]

    /// Opens `path` immutable and read-only, then checks it is a snapshot of this schema
    /// version and that `PRAGMA quick_check` passes.
    public init(path: String) throws(SnapshotError) {
        self.path = path
        guard let size = Self.fileSize(path) else {
            throw SnapshotError(.missing, path: path, "no such file")
        }
        guard size > 0 else {
            throw SnapshotError(.notSQLite, path: path, "the file is empty, not a snapshot")
        }
        let database: Database
        do {
            database = try Database(path: path, mode: .readOnlyImmutable)
        } catch {
            throw SnapshotError(.unreadable, path: path, "cannot open: \(error.message)")
        }
        self.database = database

        let applicationID: Int64
        let version: Int64
        do {
            applicationID = try database.scalarInt("PRAGMA application_id") ?? 0
            version = try database.scalarInt("PRAGMA user_version") ?? 0
        } catch where error.primaryCode == SQLITE_CORRUPT {
            throw SnapshotError(.damaged, path: path, "the file is damaged: truncated or corrupt (\(error.message))")
        } catch {
            throw SnapshotError(.notSQLite, path: path, "not an SQLite database (\(error.message))")
        }
        guard applicationID == Int64(SnapshotSchema.applicationID) else {
            throw SnapshotError(.foreign, path: path,
                                "an SQLite database, but not a Kiosk Timeline snapshot (application_id \(applicationID))")
        }
        guard version <= Int64(SnapshotSchema.version) else {
            throw SnapshotError(.newerSchema, path: path,
                                "snapshot schema version \(version) is newer than this program reads (\(SnapshotSchema.version)); update timeline-server")
        }
        guard version == Int64(SnapshotSchema.version) else {
            throw SnapshotError(.olderSchema, path: path,
                                "snapshot schema version \(version) is older than this program reads (\(SnapshotSchema.version)); rebuild it with timeline-build")
        }
        do {
            let check = try database.scalarText("PRAGMA quick_check") ?? "no answer"
            guard check == "ok" else {
                throw SnapshotError(.damaged, path: path, "the file is damaged (quick_check: \(check))")
            }
            var tables = Set<String>()
            let statement = try database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
            while try statement.step() { if let name = statement.text(0) { tables.insert(name) } }
            let missing = SnapshotSchema.requiredTables.filter { !tables.contains($0) }
            guard missing.isEmpty else {
                throw SnapshotError(.incomplete, path: path, "missing tables: \(missing.joined(separator: ", "))")
            }
            var meta: [String: String] = [:]
            let rows = try database.prepare("SELECT key, value FROM meta")
            while try rows.step() { meta[rows.text(0) ?? ""] = rows.text(1) ?? "" }
            self.meta = meta
        } catch let error as SnapshotError {
            throw error
        } catch let error as SQLiteError {
            throw SnapshotError(.damaged, path: path, "the file is damaged (\(error.message))")
        } catch {
            throw SnapshotError(.damaged, path: path, "\(error)")
        }
    }

    /// Count of rows in a required table.
    public func count(_ table: String) throws(SQLiteError) -> Int {
        precondition(SnapshotSchema.requiredTables.contains(table), "unknown table \(table)")
        return Int(try database.scalarInt("SELECT count(*) FROM \"\(table)\"") ?? 0)
    }

    private static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}

@available(*, unavailable, message: "owns an SQLite connection")
extension SnapshotFile: Sendable {}
