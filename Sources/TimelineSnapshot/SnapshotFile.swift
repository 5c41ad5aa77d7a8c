#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

/// A snapshot opened read-only and verified: identity, schema version, tables, size, and
/// with `.full` SQLite's own `PRAGMA quick_check`.
///
/// The file is opened once (`open(2)`) and held; every connection, this one and the readers,
/// is checked to be on that same file (device and inode) before and after it opens, so a
/// snapshot renamed into place meanwhile never mixes into this one. Readers are opened at
/// load time, not later: once the path names another file, no reader can be made.
///
/// Not `Sendable`: it owns a connection. Readers are opened one per thread that needs one.
public final class SnapshotFile {
    /// How much to check before trusting the file.
    public enum Verification: Sendable {
        /// Identity, schema version, tables, `meta`, and a file length that matches the page
        /// count: milliseconds whatever the size, for start-up.
        case structure
        /// All of that, then `PRAGMA quick_check` over every page: for `--check` and reloads.
        case full
    }

    public let path: String
    public let file: OpenFile
    /// The `meta` table.
    public let meta: [String: String]
    /// The connection that verified the file: for tools and tests that query it directly.
    public let database: Database

    public init(path: String, verification: Verification = .full) throws(SnapshotError) {
        self.path = path
        let file: OpenFile
        do { file = try OpenFile(path: path) } catch {
            if error.code == ENOENT { throw SnapshotError(.missing, path: path, "no such file") }
            throw SnapshotError(.unreadable, path: path, error.reason)
        }
        guard file.size > 0 else {
            throw SnapshotError(.notSQLite, path: path, "the file is empty, not a snapshot")
        }
        self.file = file
        let database: Database
        do {
            database = try file.connect()
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
            // The builder VACUUMs: a whole snapshot is exactly its pages. Shorter was cut in a
            // copy; longer had something appended.
            let pages = try database.scalarInt("PRAGMA page_count") ?? 0
            let pageSize = try database.scalarInt("PRAGMA page_size") ?? 0
            guard pages * pageSize == file.size else {
                throw SnapshotError(.damaged, path: path,
                                    "the file is damaged: \(file.size) bytes where its \(pages) pages make \(pages * pageSize)")
            }
            if verification == .full {
                let check = try database.scalarText("PRAGMA quick_check") ?? "no answer"
                guard check == "ok" else {
                    throw SnapshotError(.damaged, path: path, "the file is damaged (quick_check: \(check))")
                }
            }
            var tables = Set<String>()
            let statement = try database.prepare(SnapshotReader.SQL.tables)
            while try statement.step() { if let name = statement.text(0) { tables.insert(name) } }
            let missing = SnapshotSchema.requiredTables.filter { !tables.contains($0) }
            guard missing.isEmpty else {
                throw SnapshotError(.incomplete, path: path, "missing tables: \(missing.joined(separator: ", "))")
            }
            var meta: [String: String] = [:]
            let rows = try database.prepare(SnapshotReader.SQL.meta)
            while try rows.step() { meta[rows.text(0) ?? ""] = rows.text(1) ?? "" }
            let absent = SnapshotSchema.Meta.required.filter { meta[$0] == nil }
            guard absent.isEmpty else {
                throw SnapshotError(.incomplete, path: path, "missing meta keys: \(absent.joined(separator: ", "))")
            }
            self.meta = meta
        } catch let error as SnapshotError {
            throw error
        } catch let error as SQLiteError {
            throw SnapshotError(.damaged, path: path, "the file is damaged (\(error.message))")
        } catch {
            throw SnapshotError(.damaged, path: path, "\(error)")
        }
    }

    /// Rows in a required table.
    public func count(_ table: String) throws(SQLiteError) -> Int {
        precondition(SnapshotSchema.requiredTables.contains(table), "unknown table \(table)")
        return Int(try database.scalarInt("SELECT count(*) FROM \"\(table)\"") ?? 0)
    }

    /// A new connection to the same open file, with its statements prepared; fails if the
    /// path no longer names that file.
    public func reader() throws(SQLiteError) -> SnapshotReader {
        try SnapshotReader(openedFrom: file)
    }
}

@available(*, unavailable, message: "owns an SQLite connection")
extension SnapshotFile: Sendable {}

/// A file descriptor opened read-only (`open(2)`), closed in `deinit`: it pins the file
/// (its device and inode) that a snapshot's connections must all be on.
///
/// `Sendable`: the descriptor is only read, and closed when the last owner lets go.
public final class OpenFile: Sendable {
    public let path: String
    public let descriptor: Int32
    public let size: Int64
    private let device: UInt64
    private let inode: UInt64

    public init(path: String) throws(SystemError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open \(path)") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = SystemError("stat \(path)")
            close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw SystemError(code: EINVAL, operation: "open \(path)", reason: "not a regular file")
        }
        self.path = path
        descriptor = fd
        size = Int64(info.st_size)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    deinit { close(descriptor) }

    /// Whether `path` still names the file this descriptor holds.
    public var isStillAtPath: Bool {
        var info = stat()
        return stat(path, &info) == 0 && UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// An immutable read-only connection to this very file (SQLite opens by path: the file
    /// is checked to be the same one before and after).
    public func connect() throws(SQLiteError) -> Database {
        let replaced = SQLiteError(code: SQLITE_CANTOPEN, message: "\(path) was replaced while it was being opened")
        guard isStillAtPath else { throw replaced }
        // SQLite's pager opens the file inside sqlite3_open_v2 (only the header is read later).
        let database = try Database(path: path, mode: .readOnlyImmutable)
        guard isStillAtPath else { throw replaced }
        return database
    }
}

/// A failed system call: the `errno` and what was being done.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let operation: String
    public let reason: String

    /// From the current `errno`.
    public init(_ operation: String) {
        let code = errno
        self.init(code: code, operation: operation, reason: String(cString: strerror(code)))
    }

    public init(code: Int32, operation: String, reason: String) {
        self.code = code
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(operation): \(reason)" }
}
