import Foundation
import Testing
import TimelineSnapshot
@testable import TimelineServer

/// Copies of a snapshot with one byte flipped, a page zeroed or the end cut: `--check`'s
/// verification may refuse them, and whatever it lets through, no altered byte is served.
@Suite struct DamagedSnapshotTests {
    /// What the sound snapshot sends: path → (status, ETag, body), and some searches.
    struct Answers: Equatable {
        var pages: [String: [UInt8]] = [:]
        var searches: [String: [UInt8]] = [:]
    }

    static let paths: [String] = {
        let file = try! SnapshotFile(path: Fixture.snapshot)
        let rows = try! file.database.prepare("SELECT path FROM resources ORDER BY path")
        var paths: [String] = []
        while try! rows.step() { paths.append(rows.text(0)!) }
        return paths
    }()
    static let queries = ["ancient", "day", "يوم", "range"]

    /// Every answer of a responder; nil entries for 503s and 404s (refused, never altered).
    static func answers(_ responder: Responder) -> [String: [UInt8]?] {
        var out: [String: [UInt8]?] = [:]
        for path in paths {
            for gzip in [false, true] {
                let reply = responder.respond(to: PlainRequest("GET", path, headers: gzip ? ["Accept-Encoding": "gzip"] : [:]))
                let key = path + (gzip ? " gz" : "")
                // 503, or 404 for a path the sound file has (a damaged index hides it): refused,
                // not altered.
                out[key] = reply.status == 503 || reply.status == 404 ? .some(nil)
                    : .some([UInt8]("\(reply.status) \(reply.header("ETag") ?? "")\n".utf8) + reply.response.body)
            }
        }
        for q in queries {
            for path in ["/api/search", "/search"] {
                let reply = responder.respond(to: PlainRequest("GET", path, query: ["q": q, "lang": q == "يوم" ? "ar" : "en"]))
                var body = reply.response.body
                if reply.status == 200, path == "/api/search" {  // the answering snapshot's hash is the same file's
                    body = Array(String(decoding: body, as: UTF8.self).replacing(/"content_hash":"[0-9a-f]+"/, with: "").utf8)
                }
                out["\(path)?\(q)"] = reply.status == 503 ? .some(nil) : .some(body)
            }
        }
        return out
    }

    static let sound = answers(Responder(site: try! Site(path: Fixture.snapshot)))

    /// Opens `copy` as the server would and compares every answer with the sound file's.
    /// Returns whether `--check`'s full verification refused it.
    func examine(_ copy: String, _ label: String) -> Bool {
        var refusedByCheck = false
        do {
            let full = try Site(path: copy, verification: .full)
            try full.verifyEverything()
        } catch {
            refusedByCheck = true
        }
        guard let site = try? Site(path: copy, verification: .structure) else { return refusedByCheck }
        let got = Self.answers(Responder(site: site, log: Log(journal: false)))
        for (key, original) in Self.sound {
            guard let answer = got[key], let bytes = answer else { continue }  // 503: refused, fine
            if bytes != original! {
                Issue.record("\(label): \(key) served altered bytes")
                return refusedByCheck
            }
        }
        if !refusedByCheck {
            // Let through: then every answer must be whole.
            #expect(!got.values.contains { $0 == nil }, "\(label): check passed but something answered 503")
        }
        return refusedByCheck
    }

    @Test func flippedBytesZeroedPagesAndCutFilesNeverServeAlteredBytes() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixture.snapshot))
        let folder = NSTemporaryDirectory() + "damaged-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var generator = SplitMix(seed: 2026)
        var refused = 0, total = 0
        func variant(_ label: String, _ bytes: Data) {
            let path = folder + "/copy.db"
            _ = FileManager.default.createFile(atPath: path, contents: bytes)
            total += 1
            if examine(path, label) { refused += 1 }
        }
        for n in 0..<200 {
            var bytes = original
            let offset = Int(generator.next() % UInt64(bytes.count))
            bytes[offset] ^= UInt8(1 << (n % 8))
            variant("flip at \(offset)", bytes)
        }
        let pages = original.count / 4096
        for n in 0..<20 {
            var bytes = original
            let page = 1 + Int(generator.next() % UInt64(pages - 1))
            bytes.replaceSubrange(page * 4096..<(page + 1) * 4096, with: Data(count: 4096))
            variant("page \(page) zeroed (\(n))", bytes)
        }
        for cut in [1, 4096, original.count / 2] {
            let bytes = original.prefix(original.count - cut)
            #expect(examine({ _ = FileManager.default.createFile(atPath: folder + "/cut.db", contents: bytes); return folder + "/cut.db" }(),
                            "cut by \(cut)"), "a file cut by \(cut) bytes is refused")
        }
        // Most damage is found by --check; the rest changes nothing that is sent.
        print("damaged copies: \(refused) of \(total) refused by --check, none served altered bytes")
        #expect(refused > total / 2)
    }
}

/// A small deterministic generator, so a failure can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
