import TimelineSnapshot

/// One URL of the snapshot, read once, with its responses built: the body, the gzip body
/// and the 304. Held by a `Site`'s cache, or made for one request when over its budget.
final class Resource: Sendable {
    let path: String
    let etag: String
    let contentType: String
    let size: Int
    /// Headers of the plain body; the gzip body adds Content-Encoding.
    let headers: [(String, String)]
    let body: Buffer
    let identity: HTTPResponse
    let gzip: HTTPResponse?
    let notModified: HTTPResponse

    init(head: SnapshotReader.ResourceHead, body: UnsafeRawBufferPointer, gzip: UnsafeRawBufferPointer?,
         policies: SecurityPolicies) {
        path = head.path
        etag = head.etag
        contentType = head.contentType
        size = body.count
        let immutable = head.cache == .immutable, hasGzip = gzip != nil
        let common = Self.commonHeaders(contentType: contentType, etag: etag, immutable: immutable, hasGzip: hasGzip,
                                        policies: policies)
        headers = common + [("Accept-Ranges", "bytes")]
        self.body = Buffer(body)
        identity = HTTPResponse(buffer: self.body, headers: headers)
        self.gzip = gzip.map { HTTPResponse(buffer: Buffer($0), headers: common + [("Content-Encoding", "gzip")]) }
        let revalidation = Self.revalidationHeaders(etag: etag, immutable: immutable, hasGzip: hasGzip)
        notModified = HTTPResponse(bytes: [], headers: revalidation)
        func cost(_ headers: [(String, String)]) -> Int {
            headers.reduce(240) { $0 + $1.0.utf8.count + $1.1.utf8.count + 130 }
        }
        let responses = cost(headers) + (gzip == nil ? 0 : cost(common) + 160) + cost(revalidation)
        // The Swift side: this object, the header array kept for ranges, three wrappers.
        bytes = body.count + (gzip?.count ?? 0) + responses + cost(headers) + 512
    }

    /// Bytes this resource holds in memory: its bodies, and the responses around them. A
    /// libmicrohttpd response measured 208 bytes, and each header about its text plus 130
    /// (Debian 12, libmicrohttpd 0.9.75): about 1.4 KB a response for a page, as much as a
    /// small body, so the cache budget counts it.
    let bytes: Int

    static let immutableCache = "public, max-age=31536000, immutable"
    static let revalidateCache = "no-cache"

    static func commonHeaders(contentType: String, etag: String?, immutable: Bool, hasGzip: Bool,
                              policies: SecurityPolicies) -> [(String, String)] {
        var headers: [(String, String)] = [("Content-Type", contentType)]
        if let etag { headers.append(("ETag", etag)) }
        headers.append(("Cache-Control", immutable ? immutableCache : revalidateCache))
        if hasGzip { headers.append(("Vary", "Accept-Encoding")) }
        headers.append(("X-Content-Type-Options", "nosniff"))
        headers += policies.headers(for: contentType)
        return headers
    }

    /// A 304 repeats what the client must keep using: ETag, Cache-Control, Vary.
    static func revalidationHeaders(etag: String, immutable: Bool, hasGzip: Bool) -> [(String, String)] {
        var headers: [(String, String)] = [("ETag", etag), ("Cache-Control", immutable ? immutableCache : revalidateCache)]
        if hasGzip { headers.append(("Vary", "Accept-Encoding")) }
        return headers
    }
}

/// The theme's Content-Security-Policies, as the snapshot stores them (`meta`).
struct SecurityPolicies: Sendable {
    let page: String
    let svg: String

    /// Headers a response of this type carries besides the common ones.
    func headers(for contentType: String) -> [(String, String)] {
        if contentType.hasPrefix("text/html") {
            return [("Content-Security-Policy", page), ("Referrer-Policy", "no-referrer")]
        }
        // An SVG opened on its own is a document: no script, nothing fetched.
        if contentType.hasPrefix("image/svg+xml") { return [("Content-Security-Policy", svg)] }
        return []
    }
}
