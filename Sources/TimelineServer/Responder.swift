import TimelineSnapshot

/// Limits and sizes of the responder, each with a default chosen for a small kiosk board.
public struct ResponderOptions: Sendable {
    /// Bytes of bodies kept in memory; resources beyond it are read from the snapshot per request.
    public var cacheBytes = 64 << 20
    /// Longest request target (path and query) answered; longer gets 414.
    public var maxTargetBytes = 8 << 10
    /// Most search results returned.
    public var maxResults = 50
    /// SQLite virtual-machine steps one search may take before it is interrupted.
    public var searchStepLimit: Int32 = 2_000_000

    public init() {}
}

/// Answers requests from a snapshot: the routing and HTTP semantics, with no I/O of its own.
///
/// Everything is built in `init` and frozen: lookups share prebuilt responses, and only
/// ranges, searches and resources over the cache budget build a response per request.
public final class Responder: Sendable {
    public let exhibitID: String
    public let contentHash: String
    public let eventCount: Int
    public let resourceCount: Int
    /// Bytes of bodies held in memory, and how many resources are read per request instead.
    public let cachedBytes: Int
    public let onDemandCount: Int

    let resources: [String: Resource]
    let languages: [String]
    let defaultLanguage: String
    let options: ResponderOptions
    let pool: ConnectionPool
    let search: SearchEngine
    let log: Log

    let healthz: HTTPResponse
    let methodNotAllowed: HTTPResponse
    let badRequest: HTTPResponse
    let uriTooLong: HTTPResponse
    let unavailable: HTTPResponse

    /// Opens and verifies the snapshot, then builds every response it can ahead of time.
    public init(snapshot path: String, options: ResponderOptions = ResponderOptions(), log: Log = Log()) throws(ServerError) {
        let snapshot: SnapshotFile
        do { snapshot = try SnapshotFile(path: path) } catch { throw .snapshot(error.description) }
        self.options = options
        self.log = log
        let meta = snapshot.meta
        exhibitID = meta[SnapshotSchema.Meta.exhibitID] ?? ""
        contentHash = meta[SnapshotSchema.Meta.contentHash] ?? ""
        languages = (meta[SnapshotSchema.Meta.languages] ?? "").split(separator: ",").map(String.init)
        defaultLanguage = meta[SnapshotSchema.Meta.defaultLanguage] ?? languages.first ?? "en"
        pool = ConnectionPool(path: path, stepLimit: options.searchStepLimit)

        var resources: [String: Resource] = [:]
        var cachedBytes = 0, onDemand = 0
        do {
            eventCount = try snapshot.count("events")
            // Each page is read once: a large page cache would only raise the start-up peak.
            try snapshot.database.execute("PRAGMA cache_size = 16")
            // Pages first, then smaller before larger: the budget keeps what visitors ask for most.
            let rows = try snapshot.database.prepare("""
                SELECT path, content_type, etag, cache, length(body), length(gzip), body, gzip FROM resources
                ORDER BY content_type NOT LIKE 'text/html%', length(body) + ifnull(length(gzip), 0), path
                """)
            while try rows.step() {
                let size = Int(rows.int(4)), gzipSize = rows.isNull(5) ? 0 : Int(rows.int(5))
                let keep = cachedBytes + size + gzipSize <= options.cacheBytes
                let resource = Resource(
                    path: rows.text(0) ?? "", contentType: rows.text(1) ?? "application/octet-stream",
                    etag: rows.text(2) ?? "", immutable: rows.text(3) == SnapshotSchema.CachePolicy.immutable.rawValue,
                    size: size, hasGzip: gzipSize > 0,
                    body: keep ? rows.withBlob(6) { Buffer($0) } : nil,
                    gzip: keep && gzipSize > 0 ? rows.withBlob(7) { Buffer($0) } : nil)
                if keep { cachedBytes += resource.cachedBytes } else { onDemand += 1 }
                resources[resource.path] = resource
            }
            search = try SearchEngine(snapshot: snapshot, pool: pool, languages: languages,
                                      defaultLanguage: defaultLanguage, maxResults: options.maxResults)
        } catch {
            throw .snapshot("\(path): cannot read the snapshot: \(error)")
        }
        guard resources[SiteURL.notFound(defaultLanguage)] != nil, search.shells[defaultLanguage] != nil else {
            throw .snapshot("\(path): the snapshot has no 404 or search page for '\(defaultLanguage)'")
        }
        self.resources = resources
        self.resourceCount = resources.count
        self.cachedBytes = cachedBytes
        self.onDemandCount = onDemand

        let version = meta[SnapshotSchema.Meta.schemaVersion] ?? "\(SnapshotSchema.version)"
        healthz = HTTPResponse(text: "{\"status\":\"ok\",\"exhibit\":\(Escape.json(exhibitID)),\"schema_version\":\(version),"
                               + "\"events\":\(eventCount),\"content_hash\":\(Escape.json(contentHash))}\n",
                               headers: Self.plainHeaders(type: "application/json"))
        methodNotAllowed = HTTPResponse(text: "405 Method Not Allowed: this server only reads (GET, HEAD)\n",
                                        headers: Self.plainHeaders() + [("Allow", "GET, HEAD")])
        badRequest = HTTPResponse(text: "400 Bad Request\n", headers: Self.plainHeaders())
        uriTooLong = HTTPResponse(text: "414 URI Too Long: at most \(options.maxTargetBytes) bytes\n",
                                  headers: Self.plainHeaders())
        unavailable = HTTPResponse(text: "503 Service Unavailable: the snapshot could not be read\n",
                                   headers: Self.plainHeaders())
    }

    static func plainHeaders(type: String = "text/plain; charset=utf-8") -> [(String, String)] {
        [("Content-Type", type), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
    }

    // MARK: Routing

    public func respond<Request: RequestHead>(to request: Request) -> Reply {
        let method = request.method
        guard method == "GET" || method == "HEAD" else { return Reply(405, methodNotAllowed) }
        guard request.targetLength <= options.maxTargetBytes else { return Reply(414, uriTooLong) }
        let path = request.path
        guard path.utf8.first == UInt8(ascii: "/") else { return Reply(400, badRequest) }
        if let resource = resources[path] { return serve(resource, request) }
        switch path {
        case SiteURL.health: return Reply(200, healthz)
        case SiteURL.searchPage: return searchPage(request)
        case SiteURL.searchAPI: return searchAPI(request)
        default: return notFound(path, request)
        }
    }

    // MARK: Resources

    func serve<Request: RequestHead>(_ resource: Resource, _ request: Request, status: Int32 = 200) -> Reply {
        if status == 200 {
            if let tags = request.header("If-None-Match"), Self.matches(tags, resource.etag) {
                return Reply(304, resource.notModified)
            }
            if let range = request.header("Range"), request.header("If-Range").map({ $0 == resource.etag }) ?? true {
                switch ByteRange.parse(range, size: resource.size) {
                case let .bytes(first, last):
                    return partial(resource, first, last)
                case .unsatisfiable:
                    return Reply(416, HTTPResponse(copying: [], headers: Self.plainHeaders()
                                                   + [("Content-Range", "bytes */\(resource.size)")]))
                case .ignored:
                    break
                }
            }
        }
        let gzip = resource.hasGzip && Self.acceptsGzip(request.header("Accept-Encoding"))
        if let cached = resource.cached {
            return Reply(status, gzip ? cached.gzip ?? cached.identity : cached.identity)
        }
        guard let body = read(resource, gzip: gzip) else { return Reply(503, unavailable) }
        return Reply(status, HTTPResponse(copying: body, headers: gzip ? resource.gzipHeaders : resource.headers))
    }

    private func partial(_ resource: Resource, _ first: Int, _ last: Int) -> Reply {
        let headers = resource.headers + [("Content-Range", "bytes \(first)-\(last)/\(resource.size)")]
        if let cached = resource.cached {
            return Reply(206, HTTPResponse(buffer: cached.body, offset: first, count: last - first + 1, headers: headers))
        }
        guard let body = read(resource, gzip: false) else { return Reply(503, unavailable) }
        return Reply(206, HTTPResponse(copying: Array(body[first...last]), headers: headers))
    }

    /// A body over the cache budget, from the snapshot.
    private func read(_ resource: Resource, gzip: Bool) -> [UInt8]? {
        do {
            return try pool.with { database in
                let statement = try database.prepare("SELECT \(gzip ? "gzip" : "body") FROM resources WHERE path = ?")
                try statement.bind(1, resource.path)
                guard try statement.step() else { throw SQLiteError(code: 1, message: "row vanished") }
                return statement.blob(0) ?? []
            }
        } catch {
            log.error("cannot read \(resource.path) from the snapshot: \(error)")
            return nil
        }
    }

    /// The snapshot's own 404 page, in the language the path names.
    func notFound<Request: RequestHead>(_ path: String, _ request: Request) -> Reply {
        let segment = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        let lang = languages.contains(segment) ? segment : defaultLanguage
        let page = resources[SiteURL.notFound(lang)] ?? resources[SiteURL.notFound(defaultLanguage)]!
        return serve(page, request, status: 404)
    }

    // MARK: Search

    func searchPage<Request: RequestHead>(_ request: Request) -> Reply {
        let query = request.query("q") ?? ""
        let lang = search.language(request.query("lang"))
        let ids = results(query, lang)
        let headers = Resource.commonHeaders(contentType: "text/html; charset=utf-8", etag: nil, immutable: false, hasGzip: false)
        return Reply(200, HTTPResponse(text: search.page(query: query, lang: lang, ids: ids), headers: headers))
    }

    func searchAPI<Request: RequestHead>(_ request: Request) -> Reply {
        let query = request.query("q") ?? ""
        let lang = search.language(request.query("lang"))
        let body = search.api(query: query, lang: lang, ids: results(query, lang))
        return Reply(200, HTTPResponse(text: body, headers: Self.plainHeaders(type: "application/json")))
    }

    private func results(_ query: String, _ lang: String) -> [String] {
        switch search.search(query, lang: lang) {
        case .results(let ids):
            return ids
        case .failed(let reason):
            log.warning("search for \(query.count) characters gave no answer: \(reason)")
            return []
        }
    }

    // MARK: Header semantics

    /// `If-None-Match`: `*`, or a list of entity tags compared weakly (RFC 9110 §13.1.2).
    static func matches(_ header: String, _ etag: String) -> Bool {
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingSpaces()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }

    /// Whether `Accept-Encoding` allows gzip (`gzip` or `*` without `q=0`).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let name = parts.first?.trimmingSpaces().lowercased(), name == "gzip" || name == "x-gzip" || name == "*" else {
                continue
            }
            let refused = parts.dropFirst().contains { parameter in
                let p = parameter.trimmingSpaces().lowercased()
                return p.hasPrefix("q=") && (Double(p.dropFirst(2)) ?? 1) == 0
            }
            return !refused
        }
        return false
    }
}
