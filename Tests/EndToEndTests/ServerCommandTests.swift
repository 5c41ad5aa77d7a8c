import Foundation
import Testing
import TimelineSnapshot
#if canImport(Glibc)
import Glibc
#endif

/// The real `timeline-server` on port 0, spoken to over real TCP.
@Suite(.serialized) struct ServerCommandTests {
    let snapshot = Binaries.fixtureSnapshot

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try ServerProcess(snapshot: snapshot)
        let connection = try RawHTTPConnection(port: server.port)
        for path in ["/en/", "/ar/", "/en/events/a-day", "/healthz", "/nope"] {
            let response = try connection.request("GET", path)
            #expect([200, 404].contains(response.status), "\(path)")
            #expect(response.header("Connection")?.lowercased() != "close", "\(path)")
        }
        // Pipelined: two requests sent at once, two answers in order.
        connection.send("GET /en/credits HTTP/1.1\r\nHost: x\r\n\r\nGET /ar/credits HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.read().text.contains("lang=\"en\""))
        #expect(try connection.read().text.contains("lang=\"ar\""))
        #expect(server.stop().status == 0)
    }

    @Test func headHasHeadersButNoBody() throws {
        let server = try ServerProcess(snapshot: snapshot)
        let connection = try RawHTTPConnection(port: server.port)
        let get = try connection.request("GET", "/en/")
        let head = try connection.request("HEAD", "/en/")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(head.header("Content-Length") == String(get.body.count))
        #expect(head.header("ETag") == get.header("ETag"))
        // The connection is still in step: no stray body bytes arrived.
        #expect(try connection.request("GET", "/healthz").status == 200)
    }

    @Test func conditionalGzipAndRanges() throws {
        let server = try ServerProcess(snapshot: snapshot)
        let connection = try RawHTTPConnection(port: server.port)
        let page = try connection.request("GET", "/en/credits")
        let etag = try #require(page.header("ETag"))
        let revalidated = try connection.request("GET", "/en/credits", ["If-None-Match": etag])
        #expect(revalidated.status == 304 && revalidated.body.isEmpty)

        let zipped = try connection.request("GET", "/en/credits", ["Accept-Encoding": "gzip"])
        #expect(zipped.header("Content-Encoding") == "gzip" && zipped.header("Vary") == "Accept-Encoding")
        #expect(zipped.body.count < page.body.count && zipped.body.starts(with: [0x1F, 0x8B]))

        let media = try connection.request("GET", "/media/clip.412d127cd2.webm")
        let part = try connection.request("GET", "/media/clip.412d127cd2.webm", ["Range": "bytes=100-199"])
        #expect(part.status == 206 && part.body == Array(media.body[100...199]))
        #expect(part.header("Content-Range") == "bytes 100-199/\(media.body.count)")
        let outside = try connection.request("GET", "/media/clip.412d127cd2.webm", ["Range": "bytes=100000-"])
        #expect(outside.status == 416)
        #expect(try connection.request("GET", "/healthz").status == 200)
    }

    @Test func refusalsAndSecurityHeaders() throws {
        let server = try ServerProcess(snapshot: snapshot)
        let connection = try RawHTTPConnection(port: server.port)
        let page = try connection.request("GET", "/en/")
        #expect(page.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
        #expect(page.header("X-Content-Type-Options") == "nosniff")
        #expect(page.header("Referrer-Policy") == "no-referrer")
        let post = try connection.request("POST", "/en/", ["Content-Length": "0"])
        #expect(post.status == 405 && post.header("Allow") == "GET, HEAD")
        let missing = try RawHTTPConnection(port: server.port).request("GET", "/en/no-such-page")
        #expect(missing.status == 404 && missing.text.contains("Page not found"))

        // Over the server's own limit: 414 from the responder.
        let long = try RawHTTPConnection(port: server.port).request("GET", "/search?q=" + String(repeating: "a", count: 7_000))
        #expect(long.status == 200)
        let longer = try RawHTTPConnection(port: server.port).request("GET", "/search?q=" + String(repeating: "a", count: 8_500))
        #expect(longer.status == 414)
        // Over the connection's memory: libmicrohttpd's own refusal, never a crash.
        let huge = try RawHTTPConnection(port: server.port).request("GET", "/" + String(repeating: "b", count: 200_000))
        #expect([414, 431, 400].contains(huge.status))
        // Garbage: libmicrohttpd 0.9 answers 400; 1.0 closes at once what does not look like
        // HTTP at all (an unknown method and no version), without an answer.
        let garbage = try RawHTTPConnection(port: server.port)
        garbage.send("THIS IS NOT HTTP\r\n\r\n")
        if Binaries.libmicrohttpdVersion.hasPrefix("0.") {
            #expect(try garbage.read().status == 400)
        } else {
            let start = Date()
            #expect(throws: (any Error).self) { try garbage.read() }
            #expect(Date().timeIntervalSince(start) < 2)
        }
        #expect(try RawHTTPConnection(port: server.port).request("GET", "/healthz").status == 200)
        #expect(server.stop().status == 0)
    }

    @Test func hostileSearchesNeverFail() throws {
        let server = try ServerProcess(snapshot: snapshot)
        let connection = try RawHTTPConnection(port: server.port)
        let queries = ["%22", "*", "NEAR(", "a%20OR%20b", "%22%29%28*", String(repeating: "x", count: 4_000),
                       "%3Cscript%3E", "%FF%FE", "title%3Aancient"]  // %00: 400 (HostileRequestTests)
        for q in queries {
            for path in ["/search", "/api/search"] {
                let response = try connection.request("GET", "\(path)?q=\(q)&lang=en")
                #expect(response.status == 200, "\(path) \(q.prefix(20))")
            }
        }
        // A 10 KB query is over the target limit: refused with 414, and the server carries on.
        let tenKB = try RawHTTPConnection(port: server.port).request("GET", "/search?q=" + String(repeating: "q", count: 10_240))
        #expect(tenKB.status == 414)
        let found = try connection.request("GET", "/api/search?q=ancient")
        #expect(found.text.contains("\"id\":\"ancient\""))
        let page = try connection.request("GET", "/search?q=%3Cscript%3E&lang=en")
        #expect(!page.text.contains("<script>") && page.text.contains("&lt;script&gt;"))
        #expect(server.stop().status == 0)
    }

    @Test func requestBodiesAndTheAccessLog() throws {
        let server = try ServerProcess(snapshot: snapshot, arguments: ["--access-log"])
        for _ in 0..<6 {
            #expect(try RawHTTPConnection(port: server.port).request("GET", "/api/search?q=day").text.contains("a-day"))
        }
        let upload = try RawHTTPConnection(port: server.port)
        upload.send("POST /en/ HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world")
        #expect(try upload.read().status == 405)
        #expect(try RawHTTPConnection(port: server.port).request("GET", "/healthz").status == 200)
        let (status, log) = server.stop()
        #expect(status == 0)
        #expect(log.contains("GET /api/search 200") && log.contains("POST /en/ 405"))
    }

    @Test func sigtermFinishesAndExitsZero() throws {
        let server = try ServerProcess(snapshot: snapshot)
        let idle = try RawHTTPConnection(port: server.port)
        #expect(try idle.request("GET", "/en/").status == 200)
        let (status, log) = server.stop()
        #expect(status == 0)
        #expect(log.contains("SIGTERM: stopping"))
        #expect(log.contains("stopped"))
        #expect(idle.isClosedByServer())
    }

    @Test func usageMistakesExit64() throws {
        let none = try run([])
        #expect(none.status == 64 && none.stderr.hasPrefix("timeline-server: missing --snapshot FILE\n"))
        let listen = try run(["--snapshot", snapshot, "--listen", "example.org:80"])
        #expect(listen.status == 64 && listen.stderr.contains("'example.org' is not an IP address"))
        // A usage mistake is found before the snapshot is opened.
        let both = try run(["--snapshot", "/nonexistent.db", "--listen", "127.0.0.1"])
        #expect(both.status == 64 && both.stderr.contains("--listen wants HOST:PORT"), "\(both.stderr)")
        let number = try run(["--snapshot", "/nonexistent.db", "--cache-mb", "-1"])
        #expect(number.status == 64 && number.stderr.contains("--cache-mb needs a whole number"))
        let help = try run(["--help"])
        #expect(help.status == 0 && help.stdout.hasPrefix("USAGE: timeline-server --snapshot FILE"))
    }

    @Test func checkPrintsIdentityAndCounts() throws {
        let result = try run(["--snapshot", snapshot, "--check"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("\(snapshot): ok, exhibit fixture-good, 3 events, "))
    }

    @Test func badSnapshotsExitTwoWithOneMessage() throws {
        let folder = Binaries.temporaryFolder("bad-snapshots")
        let good = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        var generator = SystemRandomNumberGenerator()
        let cases: [(String, Data?, String)] = [
            ("missing.db", nil, "no such file"),
            ("empty.db", Data(), "the file is empty"),
            ("truncated.db", good.prefix(good.count / 3), "damaged"),
            ("random.db", Data((0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) }), "not an SQLite database"),
        ]
        for (name, bytes, words) in cases {
            let path = folder + "/" + name
            if let bytes { _ = FileManager.default.createFile(atPath: path, contents: bytes) }
            for extra in [["--check"], []] {
                let result = try run(["--snapshot", path, "--listen", "127.0.0.1:0"] + extra)
                #expect(result.status == 2, "\(name)")
                #expect(result.stderr.hasPrefix("timeline-server: \(path): "), "\(name): \(result.stderr)")
                #expect(result.stderr.contains(words), "\(name): \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(name): one line")
                #expect(result.stdout.isEmpty)
            }
        }
        // One byte changed inside a page: --check names the resource; the server answers 503.
        var flipped = good
        let marker = Data("<h1>A single day</h1>".utf8)
        let at = try #require(flipped.range(of: marker)).lowerBound + 5
        flipped[at] ^= 0x20
        let damaged = folder + "/flipped.db"
        _ = FileManager.default.createFile(atPath: damaged, contents: flipped)
        let check = try run(["--snapshot", damaged, "--check"])
        #expect(check.status == 2 && check.stderr.contains("resource /") && check.stderr.contains("is damaged"), "\(check.stderr)")
        let server = try ServerProcess(snapshot: damaged)
        let connection = try RawHTTPConnection(port: server.port)
        let first = try connection.request("GET", "/en/events/a-day")
        #expect(first.status == 503 && !first.text.contains("A single day"))
        #expect(try connection.request("GET", "/en/events/a-day").status == 503)
        #expect(try connection.request("GET", "/en/").status == 200, "the rest is still served")
        let log = server.stop().log
        #expect(log.split(separator: "\n").filter { $0.contains("is damaged") }.count == 1, "one line per damaged path: \(log)")

        // Another SQLite database, and a snapshot from a newer schema.
        let other = folder + "/other.db"
        try Database(path: other, mode: .create).execute("CREATE TABLE notes (x)")
        let newer = folder + "/newer.db"
        try FileManager.default.copyItem(atPath: snapshot, toPath: newer)
        try Database(path: newer, mode: .create).execute("PRAGMA user_version = \(SnapshotSchema.version + 1)")
        for (path, words) in [(other, "not a Kiosk Timeline snapshot"), (newer, "newer than this program reads")] {
            let result = try run(["--snapshot", path, "--check"])
            #expect(result.status == 2 && result.stderr.contains(words), "\(result.stderr)")
        }
    }

    func run(_ arguments: [String]) throws -> Binaries.Run {
        try Binaries.run(Binaries.server, arguments)
    }

    /// `update`: a sound file replaces the target whole; a damaged one is refused with one
    /// line and the target keeps every byte; the drop folder installs and rejects the same way.
    @Test func updateInstallsOrRefusesAndChangesNothing() throws {
        let folder = Binaries.temporaryFolder("update")
        let target = folder + "/current.db"
        let good = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        let installed = try Binaries.run(Binaries.server, ["update", snapshot, "--target", target, "--no-reload"])
        #expect(installed.status == 0 && installed.stdout.hasPrefix("updated \(target): exhibit "), "\(installed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == good)

        let cut = folder + "/cut.db"
        _ = FileManager.default.createFile(atPath: cut, contents: good.prefix(good.count / 2))
        let refused = try Binaries.run(Binaries.server, ["update", cut, "--target", target, "--no-reload"])
        #expect(refused.status == 2 && refused.stderrLines.count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("update refused: \(cut): ") && refused.stderr.contains("unchanged"))
        #expect(!refused.stderr.contains(".incoming"), "names the technician's file, not the copy")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == good)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["current.db", "cut.db"])

        let drop = folder + "/incoming"
        try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: cut, toPath: drop + "/bad.db")
        _ = FileManager.default.createFile(atPath: drop + "/.arriving.db", contents: Data([1, 2, 3]))
        try? FileManager.default.removeItem(atPath: target)
        // Old enough not to be waited for.
        let old = Date(timeIntervalSinceNow: -10)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: drop + "/bad.db")
        try FileManager.default.copyItem(atPath: snapshot, toPath: drop + "/good.db")
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: drop + "/good.db")
        let swept = try Binaries.run(Binaries.server, ["update", "--from-folder", drop, "--target", target, "--no-reload"])
        #expect(swept.status == 2, "one file was refused")
        #expect(try FileManager.default.contentsOfDirectory(atPath: drop).sorted() == [".arriving.db", "rejected"])
        #expect(FileManager.default.fileExists(atPath: drop + "/rejected/bad.db"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == good)
        #expect(try Binaries.run(Binaries.server, ["update"]).status == 64)

        // Installed, but the service could not be reloaded (no such unit, or no systemd here):
        // the line says the file is in place and the old snapshot still serves; exit 1.
        try FileManager.default.removeItem(atPath: target)
        let unreloaded = try Binaries.run(Binaries.server, ["update", snapshot, "--target", target,
                                                            "--service", "no-such-unit.service"])
        #expect(unreloaded.status == 1 && unreloaded.stdout.contains("but the reload failed"), "\(unreloaded.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == good)
    }
}
