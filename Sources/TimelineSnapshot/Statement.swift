import CSQLite

/// A compiled statement (`sqlite3_prepare_v3`), finalized in `deinit`.
///
/// Keeps its `Database` alive. Not `Sendable`, like the connection it belongs to.
public final class Statement {
    let handle: OpaquePointer
    let database: Database
    public let sql: String

    init(database: Database, sql: String, persistent: Bool) throws(SQLiteError) {
        var stmt: OpaquePointer?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        try check(sqlite3_prepare_v3(database.handle, sql, -1, flags, &stmt, nil), database.handle, sql: sql)
        guard let stmt else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement", sql: sql)
        }
        self.handle = stmt
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Binding (1-based, as sqlite3_bind_*)

    public func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) {
        let rc = value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        try check(rc, database.handle, sql: sql)
    }

    public func bind(_ index: Int32, _ value: Int?) throws(SQLiteError) {
        try bind(index, value.map(Int64.init))
    }

    public func bind(_ index: Int32, _ value: Bool) throws(SQLiteError) {
        try bind(index, Int64(value ? 1 : 0))
    }

    public func bind(_ index: Int32, _ value: Double?) throws(SQLiteError) {
        let rc = value.map { sqlite3_bind_double(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        try check(rc, database.handle, sql: sql)
    }

    public func bind(_ index: Int32, _ value: String?) throws(SQLiteError) {
        let rc: Int32
        if let value {
            rc = sqlite3_bind_text(handle, index, value, -1, csqlite_transient())
        } else {
            rc = sqlite3_bind_null(handle, index)
        }
        try check(rc, database.handle, sql: sql)
    }

    public func bind(_ index: Int32, blob value: [UInt8]?) throws(SQLiteError) {
        let rc: Int32
        if let value {
            rc = value.withUnsafeBytes {
                // A zero-length buffer may have a nil base address; SQLite wants a zero-length blob.
                sqlite3_bind_blob(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                  Int32($0.count), csqlite_transient())
            }
        } else {
            rc = sqlite3_bind_null(handle, index)
        }
        try check(rc, database.handle, sql: sql)
    }

    /// Binds the values in order from index 1.
    public func bind(_ values: [SQLValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: try bind(index, nil as Int64?)
            case .int(let v): try bind(index, v)
            case .double(let v): try bind(index, v)
            case .text(let v): try bind(index, v)
            case .blob(let v): try bind(index, blob: v)
            }
        }
    }

    // MARK: Stepping

    /// Steps once (`sqlite3_step`): true while a row is ready, false when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        try check(rc, database.handle, sql: sql, ok: SQLITE_DONE)
        return false
    }

    /// Resets for another run and clears bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds, runs to completion and resets: for INSERTs in a loop.
    public func run(_ values: [SQLValue]) throws(SQLiteError) {
        defer { reset() }
        try bind(values)
        while try step() {}
    }

    // MARK: Columns (0-based, as sqlite3_column_*)

    public var columnCount: Int32 { sqlite3_column_count(handle) }

    public func columnName(_ index: Int32) -> String {
        String(cString: sqlite3_column_name(handle, index))
    }

    public func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    public func int(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    public func double(_ index: Int32) -> Double {
        sqlite3_column_double(handle, index)
    }

    public func text(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The blob's bytes without copying them; valid only inside `body`.
    public func withBlob<T>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, index), count: count))
    }

    public func blob(_ index: Int32) -> [UInt8]? {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard let pointer = sqlite3_column_blob(handle, index) else {
            return isNull(index) ? nil : []
        }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

@available(*, unavailable, message: "belongs to a connection used from one thread at a time")
extension Statement: Sendable {}

/// A value to bind.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(nilLiteral: ()) { self = .null }

    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    public init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: Bool) { self = .int(value ? 1 : 0) }
    public init(_ value: Double?) { self = value.map(SQLValue.double) ?? .null }
}
