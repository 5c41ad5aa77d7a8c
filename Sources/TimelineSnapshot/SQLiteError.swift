import CSQLite

/// An SQLite failure: the result code, SQLite's message and, where known, the statement.
///
/// Every wrapper call goes through `check(_:_:)`, the one place a result code becomes an error.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in: \(sql.prefix(120)))" }
        return text
    }

    /// The primary result code (the low byte of an extended code).
    public var primaryCode: Int32 { code & 0xff }

    /// The file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB), not the statement or its budget.
    public var isDamage: Bool { primaryCode == SQLITE_CORRUPT || primaryCode == SQLITE_NOTADB }
}

/// Turns a result code into a thrown `SQLiteError`, reading the message from `handle`.
@inline(__always)
func check(_ rc: Int32, _ handle: OpaquePointer?, sql: String? = nil,
           ok: Int32 = SQLITE_OK) throws(SQLiteError) {
    guard rc == ok else {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) }
            ?? String(cString: sqlite3_errstr(rc))
        throw SQLiteError(code: rc, message: message, sql: sql)
    }
}
