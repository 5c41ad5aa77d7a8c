#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TimelineSnapshot

/// Sizes and limits of a site, each with a default chosen for a small kiosk board.
public struct SiteOptions: Sendable, Equatable {
    /// Bytes of built responses kept in memory; beyond it the least recently used are dropped
    /// and read again from the snapshot when asked for.
    public var cacheBytes = 64 << 20
    /// Most search results returned.
    public var maxResults = 50
    /// SQLite virtual-machine steps one search may take before it is interrupted.
    public var searchStepLimit: Int32 = 2_000_000

    public init() {}
}

/// Everything one snapshot file gives, frozen: its identity, its readers (all opened at
/// load and checked to be on the file pinned then), the responses built from it and its search.
///
/// Built whole off the serving thread, then swapped in by the `Responder`. It dies when the
/// last request using it ends; response bodies it built live on in libmicrohttpd until the
/// last client has them (`HTTPResponse`).
public final class Site: Sendable {
    public let path: String
    public let exhibitID: String
    public let contentHash: String
    public let eventCount: Int
    public let schemaVersion: Int
    public let languages: [String]
    public let defaultLanguage: String
    /// When this site was loaded, UTC, ISO 8601 to the second.
    public let loadedAt: String
    /// Seconds since boot at load (`CLOCK_MONOTONIC`), for logs and tests.
    public let loadedMonotonic: Double

    let policies: SecurityPolicies
    let readers: ReaderPool
    let cache: ResponseCache
    let search: SearchEngine
    let healthz: HTTPResponse

    /// Opens and verifies `path`; nothing but the search shells is read ahead: responses are
    /// built on first request, so start-up does not grow with the exhibit.
    public init(path: String, options: SiteOptions = SiteOptions(),
                verification: SnapshotFile.Verification = .full) throws(ServerError) {
        let snapshot: SnapshotFile
        do { snapshot = try SnapshotFile(path: path, verification: verification) } catch { throw .snapshot(error.description) }
        let meta = snapshot.meta
        typealias Meta = SnapshotSchema.Meta
        self.path = path
        exhibitID = meta[Meta.exhibitID] ?? ""
        contentHash = meta[Meta.contentHash] ?? ""
        eventCount = Int(meta[Meta.eventCount] ?? "") ?? 0
        schemaVersion = Int(meta[Meta.schemaVersion] ?? "") ?? 0
        languages = (meta[Meta.languages] ?? "").split(separator: ",").map(String.init)
        defaultLanguage = meta[Meta.defaultLanguage] ?? languages.first ?? "en"
        policies = SecurityPolicies(page: meta[Meta.pagePolicy] ?? "default-src 'none'",
                                    svg: meta[Meta.svgPolicy] ?? "default-src 'none'")
        (loadedAt, loadedMonotonic) = Self.now()
        do {
            let opened = try (0..<ReaderPool.size).map { _ in try snapshot.reader() }
            let shells = try opened[0].searchShells()
            readers = ReaderPool(opened)
            search = SearchEngine(shells: shells, languages: languages, defaultLanguage: defaultLanguage,
                                  maxResults: options.maxResults, stepLimit: options.searchStepLimit)
        } catch {
            throw .snapshot("\(path): cannot read the snapshot: \(error)")
        }
        cache = ResponseCache(budget: options.cacheBytes)
        guard search.shells[defaultLanguage] != nil else {
            throw .snapshot("\(path): the snapshot has no search page for '\(defaultLanguage)'")
        }
        healthz = HTTPResponse(
            text: "{\"status\":\"ok\",\"exhibit\":\(Escape.json(exhibitID)),\"schema_version\":\(schemaVersion),"
                + "\"events\":\(eventCount),\"content_hash\":\(Escape.json(contentHash)),"
                + "\"loaded_at\":\(Escape.json(loadedAt))}\n",
            headers: Responder.plainHeaders(type: "application/json"))
        // The 404 page is what every unknown path gets: it must be there, and it is read now.
        guard try resource(SiteURL.notFound(defaultLanguage)) != nil else {
            throw .snapshot("\(path): the snapshot has no 404 page for '\(defaultLanguage)'")
        }
    }

    /// The resource at `path`, from the cache or read now and checked against its digest; nil
    /// when the snapshot has none. A damaged one throws `.damaged` (and is remembered, so it
    /// is reported once and refused quickly after).
    func resource(_ path: String) throws(ServerError) -> Resource? {
        if let cached = cache.resource(path) { return cached }
        if cache.isDamaged(path) { throw .damaged(path, reported: true) }
        let policies = self.policies
        let read: Resource?
        do {
            read = try readers.with { reader in
                try reader.withResource(path) { head, body, gzip in
                    Resource(head: head, body: body, gzip: gzip, policies: policies)
                }
            }
        } catch let error as SnapshotError where error.kind == .damaged {
            cache.markDamaged(path)
            throw .damaged(error.description, reported: false)
        } catch let error as SQLiteError where error.isDamage {
            cache.markDamaged(path)
            throw .damaged("\(self.path): cannot read \(path): the file is damaged (\(error))", reported: false)
        } catch {
            throw .snapshot("\(self.path): cannot read \(path): \(error)")
        }
        return read.map { cache.keep($0) }
    }

    /// Checks every byte the site could send against its digest (`--check`).
    public func verifyEverything() throws(ServerError) {
        do {
            try readers.with { try $0.verifyEverything() }
        } catch let error as SnapshotError {
            throw .snapshot(error.description)
        } catch {
            throw .snapshot("\(path): the file is damaged (\(error))")
        }
    }

    /// One line for logs and systemd's STATUS.
    public var summary: String {
        "exhibit \(exhibitID), \(eventCount) events, content hash \(contentHash)"
    }

    private static func now() -> (String, Double) {
        var wall = timespec(), mono = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        clock_gettime(CLOCK_MONOTONIC, &mono)
        var seconds = wall.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
        return (text, Double(mono.tv_sec) + Double(mono.tv_nsec) / 1e9)
    }
}
