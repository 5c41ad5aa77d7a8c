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
        /// The path comes back too: a damaged index entry can lead to another row, whose
        /// bytes match their own digests.
        static let resource = "SELECT content_type, etag, cache, body, gzip, gzip_digest, path FROM resources WHERE path = ?1"
        static let shells = "SELECT lang, head, middle, tail, empty, digest FROM search_pages"
        /// Every stored digest with what it covers, for `verifyEverything()`.
        static let allResources = "SELECT path, etag, body, gzip, gzip_digest FROM resources ORDER BY path"
        /// Every row read from the table itself, then looked up through the index as the
        /// server does: a damaged index entry hides a path or leads elsewhere, which
        /// `quick_check` does not look for.
        static let tableOrder = "SELECT rowid, path FROM resources NOT INDEXED"
        static let indexLookup = "SELECT rowid FROM resources WHERE path = ?1"
        static let allCards = "SELECT event_id, lang, card_html, card_digest FROM event_text ORDER BY event_id, lang"
        static let allItems = "SELECT id, item_json, item_digest FROM events ORDER BY id"
        /// Best matches first; the rank is FTS5's bm25.
        static let search = """
            SELECT h.event_id, t.card_html, e.item_json, t.card_digest, e.item_digest, t.lang
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
    /// Search fragments (event and language) already checked against their digests on this
    /// connection: each is hashed once, not on every search that finds it.
    private var verified = Set<String>()
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
        guard resource.text(6) == path else {
            throw SnapshotError(.damaged, path: file.path, "the index of resources is damaged: '\(path)' leads to another row")
        }
        let head = ResourceHead(
            path: path, contentType: resource.text(0) ?? "application/octet-stream", etag: resource.text(1) ?? "",
            cache: SnapshotSchema.CachePolicy(rawValue: resource.text(2) ?? "") ?? .revalidate)
        let gzipDigest = resource.text(5)
        return try resource.withBlob(3) { plain in
            try check(plain, against: head.etag, etag: true, what: "resource \(path)")
            if resource.isNull(4) {
                // No gzip body: then no digest of one either. A damaged record header can
                // turn the blob into NULL, which would quietly stop compression.
                guard resource.isNull(5) else {
                    throw SnapshotError(.damaged, path: file.path, "gzip body of \(path) is damaged: it is missing")
                }
                return try body(head, plain, nil)
            }
            return try resource.withBlob(4) { gzip in
                try check(gzip, against: gzipDigest ?? "", etag: false, what: "gzip body of \(path)")
                return try body(head, plain, gzip)
            }
        }
    }

    /// Throws `.damaged` unless `bytes` have the recorded digest (or ETag).
    private func check(_ bytes: UnsafeRawBufferPointer, against recorded: String, etag: Bool, what: String) throws(SnapshotError) {
        let digest = SnapshotSchema.digest(bytes)
        guard (etag ? SnapshotSchema.etag(digest: digest) : digest) == recorded else {
            throw SnapshotError(.damaged, path: file.path, "\(what) is damaged: its bytes do not match their digest")
        }
    }

    private func check(_ text: String, against recorded: String, what: String) throws(SnapshotError) {
        guard SnapshotSchema.digest(text) == recorded else {
            throw SnapshotError(.damaged, path: file.path, "\(what) is damaged: its bytes do not match their digest")
        }
    }

    /// Reads every stored byte that is ever sent and checks it against its digest; throws the
    /// first that fails. Seconds for a large exhibit: for `--check`, not for start-up.
    public func verifyEverything() throws {
        let resources = try database.prepare(SQL.allResources)
        while try resources.step() {
            let path = resources.text(0) ?? "", etag = resources.text(1) ?? ""
            try resources.withBlob(2) { try check($0, against: etag, etag: true, what: "resource \(path)") }
            if !resources.isNull(3) {
                let recorded = resources.text(4) ?? ""
                try resources.withBlob(3) { try check($0, against: recorded, etag: false, what: "gzip body of \(path)") }
            } else if !resources.isNull(4) {
                throw SnapshotError(.damaged, path: file.path, "gzip body of \(path) is damaged: it is missing")
            }
        }
        let rows = try database.prepare(SQL.tableOrder), lookup = try database.prepare(SQL.indexLookup)
        while try rows.step() {
            let path = rows.text(1) ?? ""
            lookup.reset()
            try lookup.bind(1, path)
            guard try lookup.step(), lookup.int(0) == rows.int(0) else {
                throw SnapshotError(.damaged, path: file.path, "the index of resources is damaged: '\(path)' cannot be found")
            }
        }
        let cards = try database.prepare(SQL.allCards)
        while try cards.step() {
            try check(cards.text(2) ?? "", against: cards.text(3) ?? "",
                      what: "search card of \(cards.text(0) ?? "") (\(cards.text(1) ?? ""))")
        }
        let items = try database.prepare(SQL.allItems)
        while try items.step() {
            try check(items.text(1) ?? "", against: items.text(2) ?? "", what: "search item of \(items.text(0) ?? "")")
        }
        _ = try searchShells()
    }

    /// The search page shells by language, each checked against its digest.
    public func searchShells() throws -> [String: SearchShell] {
        var shells: [String: SearchShell] = [:]
        let rows = try database.prepare(SQL.shells)
        while try rows.step() {
            let shell = SearchShell(head: rows.text(1) ?? "", middle: rows.text(2) ?? "",
                                    tail: rows.text(3) ?? "", empty: rows.text(4) ?? "")
            try check([shell.head, shell.middle, shell.tail, shell.empty].joined(separator: "\u{0}"),
                      against: rows.text(5) ?? "", what: "search page (\(rows.text(0) ?? ""))")
            shells[rows.text(0) ?? ""] = shell
        }
        return shells
    }

    /// Events matching an FTS5 `expression` in `lang`, best first, at most `limit`; a search
    /// is interrupted after about `stepLimit` virtual-machine steps (a visitor's query must
    /// not hold the serving thread).
    public func search(_ expression: String, lang: String, limit: Int, stepLimit: Int32) throws -> [SearchHit] {
        database.limitSteps(stepLimit)
        defer {
            search.reset()
            database.limitSteps(nil)
        }
        try search.bind([.text(expression), .text(lang), .int(Int64(limit))])
        var hits: [SearchHit] = []
        while try search.step() {
            let hit = SearchHit(eventID: search.text(0) ?? "", cardHTML: search.text(1) ?? "",
                                itemJSON: search.text(2) ?? "{}")
            let key = hit.eventID + "\u{0}" + (search.text(5) ?? "")
            if !verified.contains(key) {
                try check(hit.cardHTML, against: search.text(3) ?? "", what: "search card of \(hit.eventID) (\(search.text(5) ?? ""))")
                try check(hit.itemJSON, against: search.text(4) ?? "", what: "search item of \(hit.eventID)")
                verified.insert(key)
            }
            hits.append(hit)
        }
        return hits
    }
}

@available(*, unavailable, message: "an SQLite connection is used from one thread at a time")
extension SnapshotReader: Sendable {}
