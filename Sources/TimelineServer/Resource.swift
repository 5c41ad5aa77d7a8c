/// One URL of the snapshot with its responses built once: the body, the gzip body and the
/// 304, or only its headers when it is read from the snapshot per request (over the cache budget).
final class Resource: Sendable {
    let path: String
    let etag: String
    let contentType: String
    let size: Int
    let hasGzip: Bool
    /// Headers of the plain body; the gzip body adds Content-Encoding.
    let headers: [(String, String)]
    let gzipHeaders: [(String, String)]
    let notModified: HTTPResponse
    /// Nil: read from the snapshot per request.
    let cached: Cached?

    struct Cached: Sendable {
        let body: Buffer
        let identity: HTTPResponse
        let gzip: HTTPResponse?
    }

    init(path: String, contentType: String, etag: String, immutable: Bool, size: Int, hasGzip: Bool,
         body: Buffer?, gzip: Buffer?) {
        self.path = path
        self.etag = etag
        self.contentType = contentType
        self.size = size
        self.hasGzip = hasGzip
        let common = Self.commonHeaders(contentType: contentType, etag: etag, immutable: immutable, hasGzip: hasGzip)
        let headers = common + [("Accept-Ranges", "bytes")]
        let gzipHeaders = common + [("Content-Encoding", "gzip")]
        self.headers = headers
        self.gzipHeaders = gzipHeaders
        notModified = HTTPResponse(copying: [], headers: Self.revalidationHeaders(etag: etag, immutable: immutable, hasGzip: hasGzip))
        if let body {
            cached = Cached(body: body, identity: HTTPResponse(buffer: body, headers: headers),
                            gzip: gzip.map { HTTPResponse(buffer: $0, headers: gzipHeaders) })
        } else {
            cached = nil
        }
    }

    static let immutableCache = "public, max-age=31536000, immutable"
    static let revalidateCache = "no-cache"

    /// Pages run under this policy: no inline script or style, nothing from elsewhere.
    static let contentSecurityPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// Headers every HTML answer carries, the search page's included.
    static let htmlSecurityHeaders: [(String, String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("Referrer-Policy", "no-referrer"),
    ]

    static func commonHeaders(contentType: String, etag: String?, immutable: Bool, hasGzip: Bool) -> [(String, String)] {
        var headers: [(String, String)] = [("Content-Type", contentType)]
        if let etag { headers.append(("ETag", etag)) }
        headers.append(("Cache-Control", immutable ? immutableCache : revalidateCache))
        if hasGzip { headers.append(("Vary", "Accept-Encoding")) }
        headers.append(("X-Content-Type-Options", "nosniff"))
        if contentType.hasPrefix("text/html") { headers += htmlSecurityHeaders }
        return headers
    }

    /// A 304 repeats what the client must keep using: ETag, Cache-Control, Vary.
    static func revalidationHeaders(etag: String, immutable: Bool, hasGzip: Bool) -> [(String, String)] {
        var headers: [(String, String)] = [("ETag", etag), ("Cache-Control", immutable ? immutableCache : revalidateCache)]
        if hasGzip { headers.append(("Vary", "Accept-Encoding")) }
        return headers
    }

    /// Bytes this resource holds in memory.
    var cachedBytes: Int {
        guard let cached else { return 0 }
        return cached.body.count + (cached.gzip?.bodyCount ?? 0)
    }
}
