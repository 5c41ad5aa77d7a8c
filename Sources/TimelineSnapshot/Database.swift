import CSQLite

/// An open SQLite connection (`sqlite3_open_v2`), closed in `deinit`.
///
/// Not `Sendable`: an SQLite connection is used from one thread at a time. The server
/// gives each worker its own, or guards one with a lock of its own choosing.
public final class Database {
    /// How to open a file.
    public enum Mode: Sendable {
        /// `file:PATH?immutable=1`, read-only: no locks, no journal, nothing written.
        case readOnlyImmutable
        /// Read-write, creating the file when missing (the builder's temporary file).
        case create
    }

    let handle: OpaquePointer
    public let path: String

    public init(path: String, mode: Mode) throws(SQLiteError) {
        var db: OpaquePointer?
        let rc: Int32
        switch mode {
        case .readOnlyImmutable:
            rc = sqlite3_open_v2("file:\(Self.uriEscape(path))?immutable=1", &db,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
        case .create:
            rc = sqlite3_open_v2(path, &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        }
        guard rc == SQLITE_OK, let db else {
            // sqlite3_open_v2 may hand back a handle even on failure; it must still be closed.
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message)
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows (`sqlite3_exec`).
    public func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// Compiles one statement (`sqlite3_prepare_v3`).
    public func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteError) -> Statement {
        try Statement(database: self, sql: sql, persistent: persistent)
    }

    /// The first column of the first row, as an integer; nil when there is no row.
    public func scalarInt(_ sql: String) throws(SQLiteError) -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int(0)
    }

    /// The first column of the first row, as text; nil when there is no row or it is NULL.
    public func scalarText(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.text(0)
    }

    /// Runs `body` in a transaction, committing on return and rolling back on a throw.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Installs a progress handler that interrupts any statement running longer than
    /// `instructions` virtual-machine steps (`sqlite3_progress_handler`); nil removes it.
    public func limitSteps(_ instructions: Int32?) {
        if let instructions {
            // Called every `instructions` steps: returning non-zero interrupts the statement,
            // so a single call means the statement has used up its budget.
            sqlite3_progress_handler(handle, instructions, { _ in 1 }, nil)
        } else {
            sqlite3_progress_handler(handle, 0, nil, nil)
        }
    }

    /// Percent-encodes what a URI filename must not contain raw.
    static func uriEscape(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                out += "%" + String(byte, radix: 16, uppercase: true)
            default:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }
}

@available(*, unavailable, message: "an SQLite connection is used from one thread at a time")
extension Database: Sendable {}
