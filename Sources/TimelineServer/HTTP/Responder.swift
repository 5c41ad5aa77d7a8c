import Synchronization
import TimelineSnapshot

/// Limits of the responder's HTTP handling.
public struct ResponderOptions: Sendable, Equatable {
    /// Longest request target (path and query) answered; longer gets 414.
    public var maxTargetBytes = 8 << 10

    public init() {}
}

/// Answers requests from the current `Site`: routing and HTTP semantics, no I/O of its own.
///
/// Each request reads the current site once and is answered wholly from it; `swap(to:)`
/// replaces it atomically for the requests that come after.
public final class Responder: Sendable {
    let options: ResponderOptions
    let log: Log
    private let current: Mutex<Site>

    public init(site: Site, options: ResponderOptions = ResponderOptions(), log: Log = Log()) {
        self.options = options
        self.log = log
        current = Mutex(site)
        uriTooLong = HTTPResponse(text: "414 URI Too Long: at most \(options.maxTargetBytes) bytes\n",
                                  headers: Self.plainHeaders())
    }

    /// The site requests are answered from now.
    public var site: Site { current.withLock { $0 } }

    /// Makes `site` the one answering from the next request on; returns the one it replaces.
    @discardableResult
    public func swap(to site: Site) -> Site {
        current.withLock { old in
            let previous = old
            old = site
            return previous
        }
    }

    // Answers that do not depend on the snapshot.
    static let methodNotAllowed = HTTPResponse(text: "405 Method Not Allowed: this server only reads (GET, HEAD)\n",
                                               headers: plainHeaders() + [("Allow", "GET, HEAD")])
    static let badRequest = HTTPResponse(text: "400 Bad Request\n", headers: plainHeaders())
    static let unavailable = HTTPResponse(text: "503 Service Unavailable: the snapshot could not be read\n",
                                          headers: plainHeaders())
    let uriTooLong: HTTPResponse

    static func plainHeaders(type: String = "text/plain; charset=utf-8") -> [(String, String)] {
        [("Content-Type", type), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
    }

    // MARK: Routing

    public func respond<Request: RequestHead>(to request: Request) -> Reply {
        let method = request.method
        guard method == "GET" || method == "HEAD" else { return Reply(405, Self.methodNotAllowed) }
        guard request.targetLength <= options.maxTargetBytes else { return Reply(414, uriTooLong) }
        let path = request.path
        guard path.utf8.first == UInt8(ascii: "/") else { return Reply(400, Self.badRequest) }
        let site = self.site
        switch path {
        case SiteURL.health: return Reply(200, site.healthz)
        case SiteURL.searchPage: return searchPage(site, request)
        case SiteURL.searchAPI: return searchAPI(site, request)
        default: break
        }
        do {
            if let resource = try site.resource(path) { return serve(resource, request) }
            return try notFound(site, path, request)
        } catch {
            // A damaged body is never sent: 503, and one log line per path.
            if case .damaged(_, reported: true) = error {} else { log.error("\(error); answered 503") }
            return Reply(503, Self.unavailable)
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
                    let headers = resource.headers + [("Content-Range", "bytes \(first)-\(last)/\(resource.size)")]
                    return Reply(206, HTTPResponse(buffer: resource.body, offset: first, count: last - first + 1,
                                                   headers: headers))
                case .unsatisfiable:
                    return Reply(416, HTTPResponse(bytes: [], headers: Self.plainHeaders()
                                                   + [("Content-Range", "bytes */\(resource.size)")]))
                case .ignored:
                    break
                }
            }
        }
        let gzip = resource.gzip != nil && Self.acceptsGzip(request.header("Accept-Encoding"))
        return Reply(status, gzip ? resource.gzip! : resource.identity)
    }

    /// The snapshot's own 404 page, in the language the path names.
    func notFound<Request: RequestHead>(_ site: Site, _ path: String, _ request: Request) throws(ServerError) -> Reply {
        let segment = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        let lang = site.languages.contains(segment) ? segment : site.defaultLanguage
        var page = try site.resource(SiteURL.notFound(lang))
        if page == nil { page = try site.resource(SiteURL.notFound(site.defaultLanguage)) }
        guard let page else { throw .snapshot("\(site.path): no 404 page") }
        return serve(page, request, status: 404)
    }

    // MARK: Search

    func searchPage<Request: RequestHead>(_ site: Site, _ request: Request) -> Reply {
        let query = request.query("q") ?? ""
        let lang = site.search.language(request.query("lang"))
        guard let hits = results(site, query, lang) else { return Reply(503, Self.unavailable) }
        let headers = Resource.commonHeaders(contentType: "text/html; charset=utf-8", etag: nil, immutable: false,
                                             hasGzip: false, policies: site.policies)
        return Reply(200, HTTPResponse(text: site.search.page(query: query, lang: lang, hits: hits), headers: headers))
    }

    func searchAPI<Request: RequestHead>(_ site: Site, _ request: Request) -> Reply {
        let query = request.query("q") ?? ""
        let lang = site.search.language(request.query("lang"))
        guard let hits = results(site, query, lang) else { return Reply(503, Self.unavailable) }
        let body = site.search.api(query: query, lang: lang, hits: hits, contentHash: site.contentHash)
        return Reply(200, HTTPResponse(text: body, headers: Self.plainHeaders(type: "application/json")))
    }

    /// The hits, or nil when stored bytes failed their digest (the answer is then 503).
    private func results(_ site: Site, _ query: String, _ lang: String) -> [SnapshotReader.SearchHit]? {
        switch site.search.search(query, lang: lang, readers: site.readers) {
        case .results(let hits):
            return hits
        case .failed(let reason):
            log.warning("search for \(query.count) characters gave no answer: \(reason)")
            return []
        case .damaged(let reason):
            log.error("\(reason); search answered 503")
            return nil
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
