/// Every read of a snapshot the server makes, on one connection with its statements
/// prepared once: resources by path, the search shells, full-text search.
///
/// The SQL that reads a snapshot lives here and nowhere else. Not `Sendable`: a connection
/// is used by one thread at a time (the server keeps a pool of readers).
public final class SnapshotReader {
    /// The statements, named.
    enum SQL {
        static let tables = "SELECT name FROM sqlite_schema WHERE type = 'table'"
        static let meta = "SELECT key, value FROM meta"
        static let resource = "SELECT content_type, etag, cache, body, gzip FROM resources WHERE path = ?1"
        static let shells = "SELECT lang, head, middle, tail, empty FROM search_pages"
        /// Best matches first; the rank is FTS5's bm25.
        static let search = """
            SELECT h.event_id, t.card_html, e.item_json
            FROM (SELECT event_id, lang, rank FROM search WHERE search MATCH ?1 AND lang = ?2 ORDER BY rank LIMIT ?3) h
            JOIN event_text t ON t.event_id = h.event_id AND t.lang = h.lang
            JOIN events e ON e.id = h.event_id
            ORDER BY h.rank
            """
    }

    /// What is known of a resource before its bytes.
    public struct ResourceHead: Sendable {
        public let path: String
        public let contentType: String
        public let etag: String
        public let cache: SnapshotSchema.CachePolicy
    }

    /// The search page of one language, cut where the server splices:
    /// `head + escaped query + middle + (cards or empty) + tail`.
    public struct SearchShell: Sendable {
        public let head: String, middle: String, tail: String, empty: String
    }

    /// One search result: the event, its result card and its `/api/events` item.
    public struct SearchHit: Sendable, Equatable {
        public let eventID: String
        public let cardHTML: String
        public let itemJSON: String
    }

    private let file: OpenFile
    private let database: Database
    private let resource: Statement
    private let search: Statement

    public init(openedFrom file: OpenFile) throws(SQLiteError) {
        self.file = file
        database = try file.connect()
        // A kiosk reads each page rarely and the OS caches the file: a small page cache keeps
        // every connection's memory bounded (256 pages, 1 MiB).
        try database.execute("PRAGMA cache_size = 256")
        resource = try database.prepare(SQL.resource, persistent: true)
        search = try database.prepare(SQL.search, persistent: true)
    }

    /// The resource at `path`: `body` gets its head, its bytes and its gzip bytes (nil when
    /// it has none), valid only during the call. Nil when the snapshot has no such path.
    public func withResource<T>(
        _ path: String,
        _ body: (ResourceHead, UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> T
    ) throws -> T? {
        defer { resource.reset() }
        try resource.bind(1, path)
        guard try resource.step() else { return nil }
        let head = ResourceHead(
            path: path, contentType: resource.text(0) ?? "application/octet-stream", etag: resource.text(1) ?? "",
            cache: SnapshotSchema.CachePolicy(rawValue: resource.text(2) ?? "") ?? .revalidate)
        return try resource.withBlob(3) { plain in
            if resource.isNull(4) { return try body(head, plain, nil) }
            return try resource.withBlob(4) { gzip in try body(head, plain, gzip) }
        }
    }

    /// The search page shells by language.
    public func searchShells() throws(SQLiteError) -> [String: SearchShell] {
        var shells: [String: SearchShell] = [:]
        let rows = try database.prepare(SQL.shells)
        while try rows.step() {
            shells[rows.text(0) ?? ""] = SearchShell(head: rows.text(1) ?? "", middle: rows.text(2) ?? "",
                                                     tail: rows.text(3) ?? "", empty: rows.text(4) ?? "")
        }
        return shells
    }

    /// Events matching an FTS5 `expression` in `lang`, best first, at most `limit`; a search
    /// is interrupted after about `stepLimit` virtual-machine steps (a visitor's query must
    /// not hold the serving thread).
    public func search(_ expression: String, lang: String, limit: Int, stepLimit: Int32) throws(SQLiteError) -> [SearchHit] {
        database.limitSteps(stepLimit)
        defer {
            search.reset()
            database.limitSteps(nil)
        }
        try search.bind([.text(expression), .text(lang), .int(Int64(limit))])
        var hits: [SearchHit] = []
        while try search.step() {
            hits.append(SearchHit(eventID: search.text(0) ?? "", cardHTML: search.text(1) ?? "",
                                  itemJSON: search.text(2) ?? "{}"))
        }
        return hits
    }
}

@available(*, unavailable, message: "an SQLite connection is used from one thread at a time")
extension SnapshotReader: Sendable {}
