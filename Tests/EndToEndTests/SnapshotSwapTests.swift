import Foundation
import Testing
import TimelineSnapshot
#if canImport(Glibc)
import Glibc
#endif

/// Snapshot swaps (SIGHUP) while keep-alive clients keep the server busy: no request fails,
/// every answer comes whole from one snapshot, bad files are refused, memory comes back.
@Suite(.serialized) struct SnapshotSwapTests {
    /// What a snapshot holds for the paths the clients ask for.
    struct Expected {
        let hash: String
        /// Path → (ETag, body).
        let resources: [String: (String, [UInt8])]
        /// Event page URLs, for checking search results.
        let eventURLs: Set<String>

        init(_ path: String, paths: [String]) throws {
            let file = try SnapshotFile(path: path)
            hash = file.meta[SnapshotSchema.Meta.contentHash]!
            var resources: [String: (String, [UInt8])] = [:]
            let row = try file.database.prepare("SELECT etag, body FROM resources WHERE path = ?")
            for p in paths {
                try row.bind(1, p)
                guard try row.step() else { throw ProcessError("\(path) has no \(p)") }
                resources[p] = (row.text(0)!, row.blob(1)!)
                row.reset()
            }
            self.resources = resources
            var urls = Set<String>()
            let events = try file.database.prepare("SELECT path FROM resources WHERE path LIKE '/%/events/%'")
            while try events.step() { urls.insert(events.text(0)!) }
            eventURLs = urls
        }
    }

    /// The fixture, and the fixture with one more event (its own word: "zebra").
    static func twoSnapshots() throws -> (String, String) {
        let folder = Binaries.temporaryFolder("swap")
        let exhibit = folder + "/exhibit"
        try FileManager.default.copyItem(atPath: Binaries.root.appendingPathComponent("Tests/Fixtures/good").path,
                                         toPath: exhibit)
        try """
        ---
        title: A zebra event
        summary: Only in the second snapshot.
        date: 2010-05-05
        eras: [late]
        sources: [notes]
        ---
        Zebra.
        """.write(toFile: exhibit + "/events/zebra.md", atomically: true, encoding: .utf8)
        try "---\ntitle: حدث الحمار الوحشي\nsummary: في اللقطة الثانية فقط.\n---\nحمار وحشي zebra.\n"
            .write(toFile: exhibit + "/events/zebra.ar.md", atomically: true, encoding: .utf8)
        let b = folder + "/b.db"
        let built = try Binaries.run(Binaries.build, [exhibit, "-o", b, "-q"])
        guard built.status == 0 else { throw ProcessError("building b: \(built.stderr)") }
        return (Binaries.fixtureSnapshot, b)
    }

    @Test func swapsUnderLoadFailNothingAndMixNothing() throws {
        let (a, b) = try Self.twoSnapshots()
        let paths = ["/api/events", "/en/", "/ar/", "/en/events/a-day", "/api/en/timeline"]
        let expected = [try Expected(a, paths: paths), try Expected(b, paths: paths)]
        let byHash = Dictionary(uniqueKeysWithValues: expected.map { ($0.hash, $0) })
        #expect(expected[0].hash != expected[1].hash)
        #expect(expected[0].resources["/api/events"]!.1 != expected[1].resources["/api/events"]!.1)

        let folder = Binaries.temporaryFolder("swap-live")
        let live = folder + "/live.db"
        let bad = Self.badFiles(folder: folder, good: a)
        #expect(link(a, live) == 0)
        let notify = try NotifySocket()
        let server = try ServerProcess(snapshot: live, environment: ["NOTIFY_SOCKET": notify.path])
        #expect(notify.receive()?.hasPrefix("READY=1") == true)

        // Put `file` at the live path atomically (link, then rename over), or remove it.
        func install(_ file: String?) {
            let staged = live + ".staged"
            unlink(staged)
            if let file {
                precondition(link(file, staged) == 0)
                precondition(rename(staged, live) == 0)
            } else {
                unlink(live)
            }
        }
        func swap(to file: String?) -> Bool {
            install(file)
            kill(server.pid, SIGHUP)
            return notify.receive(until: "READY=1", within: 10) != nil
        }

        // Clients: keep-alive connections asking round the paths and a search, checking
        // each answer against both snapshots.
        let stop = Flag()
        let tally = Tally()
        let clients = 6
        let port = server.port
        let group = DispatchGroup()
        for client in 0..<clients {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var connection: RawHTTPConnection?
                var turn = client
                while !stop.isSet {
                    turn += 1
                    do {
                        if connection == nil { connection = try RawHTTPConnection(port: port) }
                        if turn % (paths.count + 1) == paths.count {
                            let reply = try connection!.request("GET", "/api/search?lang=en&q=zebra")
                            tally.check(reply.status == 200, "search status \(reply.status)")
                            let json = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
                            let hash = json?["content_hash"] as? String ?? ""
                            guard let site = byHash[hash] else { tally.check(false, "search from unknown site \(hash)"); continue }
                            let urls = (json?["results"] as? [[String: Any]] ?? []).compactMap { ($0["url"] as? [String: String])?["en"] }
                            tally.check(urls.allSatisfy(site.eventURLs.contains), "search results not in the site that answered")
                            // "zebra" is an event of the second snapshot only.
                            tally.check(urls.count == (hash == expected[1].hash ? 1 : 0), "zebra in \(hash.prefix(8)): \(urls)")
                        } else {
                            let path = paths[turn % (paths.count + 1)]
                            let reply = try connection!.request("GET", path)
                            tally.check(reply.status == 200, "\(path): status \(reply.status)")
                            let etag = reply.header("ETag") ?? ""
                            let whole = expected.contains { $0.resources[path]!.0 == etag && $0.resources[path]!.1 == reply.body }
                            tally.check(whole, "\(path): ETag and body not from one snapshot")
                        }
                    } catch {
                        tally.check(false, "connection error: \(error)")
                        connection = nil
                    }
                }
            }
        }

        // A swap every 200 ms for six seconds, alternating, every fifth a bad file.
        var swaps = 0, refusedAsExpected = 0
        let started = Date()
        while Date().timeIntervalSince(started) < 6 {
            usleep(200_000)
            swaps += 1
            if swaps % 5 == 0 {
                #expect(swap(to: bad[(swaps / 5) % bad.count]))
                refusedAsExpected += 1
            } else {
                #expect(swap(to: swaps % 2 == 0 ? a : b))
            }
        }
        stop.set()
        group.wait()
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(5))")
        #expect(tally.checks > 500, "\(tally.checks) answers checked")
        #expect(swaps >= 25)

        // 1,000 swaps, each followed by a request, and memory back where it was.
        let probe = try RawHTTPConnection(port: server.port)
        #expect(swap(to: a))
        for path in paths { _ = try probe.request("GET", path) }
        let baseline = server.residentKB()
        for n in 0..<1000 {
            #expect(swap(to: n % 2 == 0 ? b : a))
            _ = try probe.request("GET", paths[n % paths.count])
        }
        #expect(swap(to: a))
        for path in paths { _ = try probe.request("GET", path) }
        let after = server.residentKB()
        #expect(after - baseline <= 1024, "resident memory \(baseline) kB after the first swap, \(after) kB after 1,000")

        let (status, log) = server.stop()
        #expect(status == 0)
        let refusals = log.split(separator: "\n").filter { $0.contains("reload refused") }
        #expect(refusals.count == refusedAsExpected, "one line per bad file")
        print("swap test: \(tally.checks) answers checked over \(swaps) swaps; RSS \(baseline) kB → \(after) kB after 1,000 more")
    }

    /// Files a swap must refuse: cut short, noise, another SQLite database, no file at all.
    static func badFiles(folder: String, good: String) -> [String?] {
        let bytes = FileManager.default.contents(atPath: good)!
        let cut = folder + "/cut.db", noise = folder + "/noise.db", foreign = folder + "/foreign.db"
        _ = FileManager.default.createFile(atPath: cut, contents: bytes.prefix(bytes.count - 4096))
        _ = FileManager.default.createFile(atPath: noise, contents: Data((0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        try! Database(path: foreign, mode: .create).execute("CREATE TABLE notes (x)")
        return [cut, noise, foreign, nil]
    }
}

/// A flag set once, read by many threads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Counts checks and keeps the first failures, from many threads.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var checks = 0
    private(set) var failures: [String] = []
    func check(_ ok: Bool, _ message: @autoclosure () -> String) {
        lock.withLock {
            checks += 1
            if !ok && failures.count < 20 { failures.append(message()) }
        }
    }
}
