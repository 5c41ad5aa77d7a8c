import Foundation
import Testing
import TimelineSnapshot
@testable import TimelineServer

/// The responder in process: routing and HTTP semantics without a socket.
@Suite struct ResponderTests {
    let responder = Fixture.responder

    func get(_ path: String, _ headers: [String: String] = [:], query: [String: String] = [:],
             method: String = "GET", using responder: Responder = Fixture.responder) -> Reply {
        responder.respond(to: PlainRequest(method, path, headers: headers, query: query))
    }

    @Test func servesPagesWithTheirHeaders() {
        let reply = get("/en/events/a-day")
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
        #expect(reply.header("Cache-Control") == "no-cache")
        #expect(reply.header("ETag")?.count == 34)
        #expect(reply.header("Vary") == "Accept-Encoding")
        #expect(reply.header("Content-Security-Policy")?.hasPrefix("default-src 'self'") == true)
        #expect(reply.header("X-Content-Type-Options") == "nosniff")
        #expect(reply.header("Referrer-Policy") == "no-referrer")
        #expect(reply.text.contains("<h1>A single day</h1>"))
        // The root is the default language's home.
        #expect(get("/").text == get("/en/").text)
    }

    @Test func prebuiltResponsesAreShared() {
        #expect(get("/en/").response === get("/en/").response)
        #expect(get("/en/", ["Accept-Encoding": "gzip"]).response === get("/en/", ["Accept-Encoding": "br, gzip"]).response)
    }

    @Test func fingerprintedAssetsAreCachedForever() throws {
        let home = get("/en/").text
        let css = try #require(home.firstMatch(of: /href="(\/assets\/[0-9a-f]{10}\/style\.css)"/)?.1)
        let reply = get(String(css))
        #expect(reply.status == 200)
        #expect(reply.header("Cache-Control") == "public, max-age=31536000, immutable")
        #expect(reply.header("Content-Type") == "text/css; charset=utf-8")
        #expect(reply.header("Content-Security-Policy") == nil)
    }

    @Test func conditionalRequestsGet304() {
        let etag = get("/en/credits").header("ETag")!
        for header in [etag, "\"other\", \(etag)", "W/\(etag)", "*"] {
            let reply = get("/en/credits", ["If-None-Match": header])
            #expect(reply.status == 304, "\(header)")
            #expect(reply.header("ETag") == etag)
            #expect(reply.response.bodyCount == 0)
        }
        #expect(get("/en/credits", ["If-None-Match": "\"nope\""]).status == 200)
    }

    @Test func gzipOnlyWhenAccepted() {
        let plain = get("/en/")
        let zipped = get("/en/", ["Accept-Encoding": "gzip, deflate"])
        #expect(plain.header("Content-Encoding") == nil)
        #expect(zipped.header("Content-Encoding") == "gzip")
        #expect(zipped.response.body.starts(with: [0x1F, 0x8B]))
        #expect(zipped.response.bodyCount < plain.response.bodyCount)
        #expect(get("/en/", ["Accept-Encoding": "gzip;q=0"]).header("Content-Encoding") == nil)
        #expect(get("/en/", ["Accept-Encoding": "identity"]).header("Content-Encoding") == nil)
        #expect(get("/en/", ["Accept-Encoding": "*"]).header("Content-Encoding") == "gzip")
        // Images and films are not gzipped: they do not shrink.
        let film = get(Fixture.film, ["Accept-Encoding": "gzip"])
        #expect(film.status == 200 && film.header("Content-Encoding") == nil && film.header("Content-Type") == "video/webm")
    }

    @Test func singleByteRanges() {
        let path = Fixture.film
        let whole = get(path).response.body
        let first = get(path, ["Range": "bytes=0-9"])
        #expect(first.status == 206)
        #expect(first.response.body == Array(whole[0...9]))
        #expect(first.header("Content-Range") == "bytes 0-9/\(whole.count)")
        let suffix = get(path, ["Range": "bytes=-5"])
        #expect(suffix.status == 206 && suffix.response.body == Array(whole.suffix(5)))
        let open = get(path, ["Range": "bytes=600-"])
        #expect(open.status == 206 && open.response.body == Array(whole[600...]))
        let beyond = get(path, ["Range": "bytes=99999-"])
        #expect(beyond.status == 416)
        #expect(beyond.header("Content-Range") == "bytes */\(whole.count)")
        #expect(get(path, ["Range": "bytes=0-1,5-6"]).status == 200)  // several ranges: the whole body
        #expect(get(path, ["Range": "lines=1-2"]).status == 200)
        #expect(get(path, ["Range": "bytes=0-9", "If-Range": "\"stale\""]).status == 200)
    }

    @Test func methodsOtherThanGetAndHead() {
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "BREW"] {
            let reply = get("/en/", method: method)
            #expect(reply.status == 405, "\(method)")
            #expect(reply.header("Allow") == "GET, HEAD")
        }
        #expect(get("/en/", method: "HEAD").status == 200)
    }

    @Test func notFoundUsesTheSnapshotsPageInTheRightLanguage() {
        let english = get("/en/events/nothing")
        #expect(english.status == 404)
        #expect(english.text.contains("Page not found"))
        let arabic = get("/ar/nothing")
        #expect(arabic.status == 404 && arabic.text.contains("الصفحة غير موجودة"))
        #expect(get("/favicon.ico").status == 404)
        // A 404 is not turned into a 304 or a range.
        #expect(get("/zz", ["If-None-Match": "*"]).status == 404)
    }

    @Test func malformedAndOverlongTargets() {
        #expect(get("no-slash").status == 400)
        let long = responder.respond(to: PlainRequest("GET", "/en/", targetLength: 8 << 10 + 1))
        #expect(long.status == 414)
    }

    @Test func healthReportsTheSnapshot() throws {
        let reply = get("/healthz")
        #expect(reply.status == 200 && reply.header("Content-Type") == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(reply.response.body)) as? [String: Any])
        #expect(json["exhibit"] as? String == "fixture-good")
        #expect(json["schema_version"] as? Int == Int(SnapshotSchema.version))
        #expect(json["events"] as? Int == 3)
        #expect(json["content_hash"] as? String == responder.site.contentHash)
        #expect((json["loaded_at"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
    }

    @Test func apiDocumentsFromTheBuild() throws {
        let events = try #require(try JSONSerialization.jsonObject(with: Data(get("/api/events").response.body)) as? [[String: Any]])
        #expect(events.map { $0["id"] as? String } == ["ancient", "2007-range", "a-day"])
        let first = events[1]
        #expect((first["title"] as? [String: String])?["ar"] == "مدى زمني")
        #expect((first["start"] as? [String: String]) == ["date": "2007-01", "precision": "month"])
        #expect((first["url"] as? [String: String])?["en"] == "/en/events/2007-range")
        let exhibit = try #require(try JSONSerialization.jsonObject(with: Data(get("/api/exhibit").response.body)) as? [String: Any])
        #expect(exhibit["id"] as? String == "fixture-good")
        #expect((exhibit["places"] as? [[String: Any]])?.first?["latitude"] as? Double == 30.508)
    }

    @Test func searchPageSplicesCardsAndEscapesTheQuery() {
        let reply = get("/search", query: ["q": "ancient", "lang": "en"])
        #expect(reply.status == 200)
        #expect(reply.header("Content-Security-Policy") != nil)
        #expect(reply.text.contains("href=\"/en/events/ancient\""))
        #expect(reply.text.contains("value=\"ancient\""))
        let hostile = get("/search", query: ["q": "\"><script>alert(1)</script>", "lang": "en"])
        #expect(hostile.status == 200)
        #expect(!hostile.text.contains("<script>alert"))
        #expect(hostile.text.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
        #expect(get("/search", query: ["q": "zzzzqqq"]).text.contains("no-results"))
        #expect(!get("/search").text.contains("no-results"))
        let arabic = get("/search", query: ["q": "يوم", "lang": "ar"])
        #expect(arabic.text.contains("href=\"/ar/events/a-day\"") && arabic.text.contains("lang=\"ar\""))
        #expect(get("/search", query: ["q": "ancient", "lang": "xx"]).text.contains("/en/events/ancient"))
    }

    @Test func hostileSearchesNeverFail() throws {
        let queries = ["\"", "*", "NEAR(", "a OR b", "title:ancient", "^x", "(((", "\"unclosed", "-", "AND", "NOT x",
                       String(repeating: "x", count: 10_000), String(repeating: "a ", count: 2_000), "\u{0}", "' OR 1=1 --"]
        for q in queries {
            for path in ["/search", "/api/search"] {
                let reply = get(path, query: ["q": q])
                // Longer than the target limit: 414; anything else is answered.
                #expect(reply.status == (q.utf8.count > 8_000 ? 414 : 200), "\(path) \(q.prefix(20))")
            }
            let json = get("/api/search", query: ["q": String(q.prefix(4_000))]).response.body
            #expect((try? JSONSerialization.jsonObject(with: Data(json))) != nil, "\(q.prefix(20))")
        }
    }

    @Test func searchAPI() throws {
        let body = get("/api/search", query: ["q": "Anc", "lang": "en"]).response.body
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.map { $0["id"] as? String } == ["ancient"])  // the last word is a prefix
        #expect((results.first?["url"] as? [String: String])?["en"] == "/en/events/ancient")
        #expect(json["content_hash"] as? String == responder.site.contentHash)
    }

    @Test func searchResultsHaveExactlyTheShapeOfTheEventsAPI() throws {
        // The same bytes: the builder writes each event's item once, /api/events joins them.
        let events = get("/api/events").text
        let body = get("/api/search", query: ["q": "Anc", "lang": "en"]).text
        let item = try #require(body.firstMatch(of: /"results":\[(\{.*\})\]\}$/)?.1)
        #expect(events.contains(String(item)))
        #expect(events.hasPrefix("[" + item + ","))
    }

    @Test func searchStepLimitInterruptsLongQueries() throws {
        // A budget of a few steps cannot finish any search; if the limit were not installed
        // the search would answer.
        var options = SiteOptions()
        options.searchStepLimit = 5
        let tight = Responder(site: try Site(path: Fixture.snapshot, options: options))
        let site = tight.site
        guard case .failed(let reason) = site.search.search("ancient", lang: "en", readers: site.readers) else {
            Issue.record("the step limit did not interrupt the search")
            return
        }
        #expect(reason.contains("interrupt"))
        guard case .results(let hits) = responder.site.search.search("ancient", lang: "en", readers: responder.site.readers)
        else { Issue.record("the default limit interrupted a small search"); return }
        #expect(hits.map(\.eventID) == ["ancient"])
        // The visitor sees an empty answer, not an error.
        #expect(get("/api/search", query: ["q": "ancient"], using: tight).status == 200)
    }

    @Test func svgIsSentUnderItsOwnPolicy() throws {
        let pages = ["ancient", "2007-range", "a-day"].map { get("/en/events/\($0)").text }.joined()
        let svg = try #require(pages.firstMatch(of: /(\/media\/[^"]+\.svg)"/)?.1)
        let reply = get(String(svg))
        #expect(reply.header("Content-Type") == "image/svg+xml")
        #expect(reply.header("Content-Security-Policy") == "default-src 'none'; style-src 'unsafe-inline'")
    }

    @Test func swapAnswersTheNextRequestFromTheNewSiteAndFreesTheOld() throws {
        let responder = Responder(site: try Site(path: Fixture.snapshot))
        weak var first = responder.site
        let held = get("/en/", using: responder).response  // a response the old site built
        let before = held.body
        responder.swap(to: try Site(path: Fixture.snapshot))
        #expect(first == nil, "the old site is gone once nothing uses it")
        #expect(held.body == before, "its responses live on in libmicrohttpd's hands")
        #expect(get("/en/", using: responder).response !== held)
    }

    @Test func readsPerRequestBeyondTheCacheBudget() {
        let uncached = Fixture.uncached
        _ = get("/en/", using: uncached)
        #expect(uncached.site.cache.usage.count == 0)
        for (path, headers) in [("/en/", [:]), ("/en/", ["Accept-Encoding": "gzip"]), ("/ar/404", [:]),
                                (Fixture.film, ["Range": "bytes=5-9"])] as [(String, [String: String])] {
            let a = get(path, headers), b = get(path, headers, using: uncached)
            #expect(a.status == b.status && a.response.body == b.response.body, "\(path)")
            #expect(a.response.headers.map(\.name) == b.response.headers.map(\.name), "\(path)")
        }
        #expect(get("/zz", using: uncached).status == 404)
    }
}

@Suite struct HeaderSemanticsTests {
    @Test func byteRanges() {
        #expect(ByteRange.parse("bytes=0-0", size: 10) == .bytes(0, 0))
        #expect(ByteRange.parse("bytes=2-100", size: 10) == .bytes(2, 9))
        #expect(ByteRange.parse("bytes=-100", size: 10) == .bytes(0, 9))
        #expect(ByteRange.parse("bytes=10-", size: 10) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=-0", size: 10) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=5-2", size: 10) == .ignored)
        #expect(ByteRange.parse("bytes=a-b", size: 10) == .ignored)
        #expect(ByteRange.parse("bytes=-", size: 10) == .ignored)
        #expect(ByteRange.parse("bytes=99999999999999999999-", size: 10) == .ignored)
    }

    @Test func searchExpressionsAreQuotedWords() {
        #expect(SearchEngine.expression(for: "surge") == "\"surge\"*")
        #expect(SearchEngine.expression(for: "Basra surge") == "\"Basra\" \"surge\"*")
        #expect(SearchEngine.expression(for: "NEAR(a b) OR \"c\" *") == "\"NEAR\" \"a\" \"b\" \"OR\" \"c\"*")
        #expect(SearchEngine.expression(for: "\"*()^:") == nil)
        #expect(SearchEngine.expression(for: "") == nil)
        #expect(SearchEngine.expression(for: "البصرةِ") == "\"البصرةِ\"*")
        let many = SearchEngine.expression(for: (1...20).map { "w\($0)" }.joined(separator: " "))!
        #expect(many.split(separator: " ").count == SearchEngine.maxTerms)
    }

    @Test func listenAddresses() throws {
        #expect(try ListenAddress("127.0.0.1:8080") == ListenAddress("localhost:8080"))
        #expect(try ListenAddress("[::1]:0").isIPv6)
        #expect(throws: ServerError.self) { try ListenAddress("8080") }
        #expect(throws: ServerError.self) { try ListenAddress("example.org:80") }
        #expect(throws: ServerError.self) { try ListenAddress("127.0.0.1:99999") }
    }

    @Test func refusesBadSnapshotsWithOneLine() {
        #expect(throws: ServerError.self) { try Site(path: "/nonexistent/snapshot.db") }
        do {
            _ = try Site(path: "/nonexistent/snapshot.db")
        } catch {
            #expect(error.description == "/nonexistent/snapshot.db: no such file")
        }
    }
}

@Suite struct ServerArgumentsTests {
    @Test func defaultsAndEveryOption() throws {
        guard case .serve(let plain) = ServerArguments.parse(["--snapshot", "x.db"]) else { Issue.record("refused"); return }
        // Built outside #expect: Swift 6.0's macro cannot take a `try` inside an operand.
        let defaults = ServerConfiguration(listen: try ListenAddress("127.0.0.1:8080"))
        #expect(plain.server == defaults)
        #expect(plain.site == SiteOptions() && plain.responder == ResponderOptions() && !plain.check)
        let all = ServerArguments.parse([
            "--snapshot=s.db", "--listen", "127.0.0.1:0", "--check", "--connection-limit", "10",
            "--per-ip-limit", "5", "--timeout", "7", "--connection-memory", "8192", "--max-uri-bytes", "2048",
            "--cache-mb", "0", "--access-log",
        ])
        var expected = ServerArguments()
        expected.snapshot = "s.db"; expected.server.listen = try ListenAddress("127.0.0.1:0"); expected.check = true
        expected.server.connectionLimit = 10; expected.server.perIPLimit = 5; expected.server.timeoutSeconds = 7
        expected.server.connectionMemory = 8192; expected.responder.maxTargetBytes = 2048; expected.site.cacheBytes = 0
        expected.server.accessLog = true
        #expect(all == .serve(expected))
    }

    @Test func helpPrintsTheDefaultsOfTheConfigurationTypes() {
        let help = ServerArguments.help
        let server = ServerArguments().server
        #expect(help.contains("(default \(server.connectionLimit))") && help.contains("(default \(server.perIPLimit))"))
        #expect(help.contains("(default \(SiteOptions().cacheBytes >> 20))"))
        #expect(help.contains("(default \(ResponderOptions().maxTargetBytes))"))
        #expect(help.contains(ServerConfiguration.defaultListen))
    }

    @Test func mistakesAreNamed() {
        #expect(ServerArguments.parse([]) == .usage("missing --snapshot FILE"))
        #expect(ServerArguments.parse(["--snapshot"]) == .usage("--snapshot needs a file"))
        #expect(ServerArguments.parse(["--snapshot", "x", "--timeout", "0"]) == .usage("--timeout needs a whole number from 1 to 86400"))
        #expect(ServerArguments.parse(["--snapshot", "x", "--cache-mb", "many"]) == .usage("--cache-mb needs a whole number from 0 to 65536"))
        #expect(ServerArguments.parse(["--snapshot", "x", "--port", "1"]) == .usage("unknown option '--port'"))
        #expect(ServerArguments.parse(["--snapshot", "x", "--check=yes"]) == .usage("--check takes no value"))
        #expect(ServerArguments.parse(["--snapshot", "x", "--listen", "8080"])
                == .usage("--listen wants HOST:PORT, e.g. 127.0.0.1:8080, not '8080'"))
        #expect(ServerArguments.parse(["--snapshot", "x", "--listen", "kiosk:80"]) == .usage("--listen: 'kiosk' is not an IP address"))
        #expect(ServerArguments.parse(["--help"]) == .help)
        #expect(ServerArguments.parse(["--snapshot", "x", "-h"]) == .help)
    }
}

/// systemd's variables, decided without a process.
@Suite struct SystemdProtocolTests {
    @Test func socketActivationTakesOneListeningSocketMeantForThisProcess() {
        func check(_ pid: String?, _ fds: String?, _ names: String? = nil, listening: Bool = true) -> SocketActivation {
            SocketActivation.check(pid: pid, fds: fds, names: names, ownPID: 42, isListeningSocket: { _ in listening })
        }
        #expect(check(nil, nil) == .none)
        #expect(check("42", "1") == .socket(3))
        #expect(check("42", "1", "http") == .socket(3))
        guard case .ignored = check("41", "1") else { Issue.record("another process's sockets were used"); return }
        guard case .ignored = check(nil, "1") else { Issue.record("LISTEN_FDS without LISTEN_PID was used"); return }
        guard case .refused = check("42", "2") else { Issue.record("two sockets accepted"); return }
        guard case .refused = check("42", "0") else { Issue.record("zero sockets accepted"); return }
        guard case .refused = check("42", "x") else { Issue.record("a non-number accepted"); return }
        guard case .refused = check("42", "1", "a:b") else { Issue.record("names and count disagree"); return }
        guard case .refused = check("42", "1", listening: false) else { Issue.record("a non-listening fd 3 used"); return }
    }

    @Test func watchdogIntervalIsHalfOfWhatSystemdAsks() {
        #expect(Watchdog(usec: "2000000", pid: nil, ownPID: 7)?.interval == 1.0)
        #expect(Watchdog(usec: "2000000", pid: "7", ownPID: 7)?.interval == 1.0)
        #expect(Watchdog(usec: "2000000", pid: "8", ownPID: 7) == nil)
        #expect(Watchdog(usec: "0", pid: nil, ownPID: 7) == nil)
        #expect(Watchdog(usec: nil, pid: nil, ownPID: 7) == nil)
    }

    @Test func journalPrioritiesOnlyWhenStderrIsTheJournal() {
        var info = stat()
        fstat(2, &info)
        #expect(Log.stderrIsTheJournal("\(info.st_dev):\(info.st_ino)"))
        // Inherited by a command whose stderr is something else (a pipe, a terminal).
        #expect(!Log.stderrIsTheJournal("\(info.st_dev):\(info.st_ino + 1)"))
        #expect(!Log.stderrIsTheJournal("nonsense") && !Log.stderrIsTheJournal(nil))
    }

    @Test func notifySocketAddresses() {
        #expect(SystemdNotifier(environment: "/run/systemd/notify").isActive)
        #expect(SystemdNotifier(environment: "@abstract").isActive)
        #expect(!SystemdNotifier(environment: "relative").isActive)
        #expect(!SystemdNotifier(environment: nil).isActive)
        #expect(!SystemdNotifier(environment: "/" + String(repeating: "x", count: 200)).isActive)
    }
}

/// The request line and framing headers, decided before libmicrohttpd waits for a body.
@Suite struct FramingTests {
    func status(_ version: String = "HTTP/1.1", nul: Bool = false, lengths: [String] = [], codings: [String] = []) -> UInt32? {
        Framing.decide(version: version, badTarget: nul, contentLengths: lengths, transferEncodings: codings)?.status
    }

    @Test func versionsCodingsLengthsAndNUL() {
        #expect(status() == nil && status("HTTP/1.0") == nil)
        #expect(status("HTTP/1.2") == 505 && status("HTTP/0.9") == 505 && status("") == 505)
        #expect(status(nul: true) == 400)
        #expect(Framing.decide(method: "POST", version: "HTTP/1.1", badTarget: false, contentLengths: [], transferEncodings: [])?.status == 405)
        // Nothing takes a body: announcing one is refused (a trickled body could hold the connection).
        #expect(status(codings: ["chunked"]) == 400 && status(codings: ["Chunked "]) == 400)
        for coding in ["gzip", "identity", "foo", "gzip, chunked", "chunked, chunked"] {
            #expect(status(codings: [coding]) == 501, "\(coding)")
        }
        #expect(status(lengths: ["5"], codings: ["chunked"]) == 400)
        #expect(status(lengths: ["0"]) == nil && status(lengths: ["0", "0"]) == nil)
        #expect(status(lengths: ["5"]) == 400 && status(lengths: ["5", "5"]) == 400 && status(lengths: ["5, 5"]) == 400)
        #expect(status(lengths: ["5", "6"]) == 400 && status(lengths: ["-1"]) == 400 && status(lengths: ["5, 6"]) == 400)
    }

    @Test func hostAndTargetBytes() {
        #expect(Framing.decide(version: "HTTP/1.1", host: false, badTarget: false, contentLengths: [], transferEncodings: [])?.status == 400)
        #expect(Framing.decide(version: "HTTP/1.0", host: false, badTarget: false, contentLengths: [], transferEncodings: []) == nil)
        func bad(_ target: String) -> Bool { Array(target.utf8).withUnsafeBytes(Framing.targetIsBad) }
        for target in ["/", "/en/search?q=a%20b", "/%0", "/%", "/x%0"] {
            #expect(!bad(target), "\(target)")
        }
        for target in ["/a b", "/a\tb", "/a\u{7F}", "/x%00", "%00", "/x%000", "/\u{1B}[31m", "/a\r"] {
            #expect(bad(target), "\(target.debugDescription)")
        }
    }

    @Test func logLinesEscapeControlCharacters() {
        #expect(Escape.log("/a\u{1B}[31m\u{07}\\b\n") == "/a\\x1B[31m\\x07\\x5Cb\\x0A")
        #expect(Escape.log("/ar/البصرة") == "/ar/البصرة")
    }
}
