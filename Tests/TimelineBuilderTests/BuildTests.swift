import Foundation
import Testing
import TimelineSnapshot
@testable import TimelineBuilder

/// Whole builds: what lands in the snapshot, and what does not when the build fails.
@Suite struct BuildTests {
    let good = Tree.fixtures + "/good"
    let broken = Tree.fixtures + "/broken"

    func build(_ exhibit: String, to output: String?, epoch: Int? = nil) throws -> BuildReport {
        var options = BuildOptions(exhibit: exhibit, output: output, theme: Tree.theme)
        options.sourceDateEpoch = epoch
        return try Builder.build(options)
    }

    func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    func page(_ snapshot: String, _ path: String) throws -> String {
        let file = try SnapshotFile(path: snapshot)
        let statement = try file.database.prepare("SELECT body FROM resources WHERE path = ?")
        try statement.bind(1, path)
        #expect(try statement.step(), "no resource \(path)")
        return String(decoding: statement.blob(0) ?? [], as: UTF8.self)
    }

    @Test func sameExhibitGivesSameBytes() throws {
        let folder = TemporaryFolder()
        _ = try build(good, to: folder.file("a.db"))
        _ = try build(good, to: folder.file("b.db"))
        // The same exhibit from another folder, under another name.
        let copy = folder.file("copy-of-exhibit")
        try FileManager.default.copyItem(atPath: good, toPath: copy)
        _ = try build(copy, to: folder.file("c.db"))
        let a = bytes(folder.file("a.db"))
        #expect(!a.isEmpty)
        #expect(a == bytes(folder.file("b.db")))
        #expect(a == bytes(folder.file("c.db")))
    }

    @Test func sourceDateEpochIsTheOnlyTimeRecorded() throws {
        let folder = TemporaryFolder()
        _ = try build(good, to: folder.file("plain.db"))
        _ = try build(good, to: folder.file("dated.db"), epoch: 1_234_567_890)
        #expect(try SnapshotFile(path: folder.file("plain.db")).meta[SnapshotSchema.Meta.builtAt] == nil)
        #expect(try SnapshotFile(path: folder.file("dated.db")).meta[SnapshotSchema.Meta.builtAt] == "2009-02-13T23:31:30Z")
    }

    @Test func failedBuildLeavesTheOldSnapshot() throws {
        let folder = TemporaryFolder()
        let output = folder.file("exhibit.db")
        _ = try build(good, to: output)
        let before = bytes(output)
        #expect(throws: BuildError.self) { try build(broken, to: output) }
        #expect(bytes(output) == before)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["exhibit.db"])
    }

    @Test func failedBuildWritesNothingNew() throws {
        let folder = TemporaryFolder()
        do {
            _ = try build(broken, to: folder.file("new.db"))
            Issue.record("the broken exhibit built")
        } catch let error as BuildError {
            guard case let .invalidExhibit(errors, _, diagnostics) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(errors > 10)
            #expect(diagnostics.count >= errors)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func warningsAsErrorsRefusesToWrite() throws {
        let yaml = MiniExhibit.exhibitYAML.replacingOccurrences(of: "languages: [en]", with: "languages: [en, ar]")
        let exhibit = MiniExhibit.folder(["exhibit.yaml": yaml])
        let out = TemporaryFolder()
        let report = try build(exhibit.path, to: out.file("ok.db"))
        #expect(report.diagnostics.count > 0 && report.diagnostics.allSatisfy { $0.severity == .warning })
        var options = BuildOptions(exhibit: exhibit.path, output: out.file("strict.db"), theme: Tree.theme)
        options.warningsAsErrors = true
        #expect(throws: BuildError.self) { try Builder.build(options) }
        #expect(!FileManager.default.fileExists(atPath: out.file("strict.db")))
    }

    @Test func checkOnlyWritesNothing() throws {
        let report = try build(good, to: nil)
        #expect(report.events == 3 && report.output == nil)
    }

    @Test func escapesEverythingItPrints() throws {
        let folder = TemporaryFolder()
        _ = try build(good, to: folder.file("x.db"))
        let html = try page(folder.file("x.db"), "/en/events/2007-range")
        #expect(html.contains("<h1>A range &lt;with&gt; markup &amp; quotes &quot;here&quot;</h1>"))
        #expect(html.contains("Fixture &lt;Exhibit&gt; &amp; Co"))
        #expect(!html.contains("<with>"))
        let ancient = try page(folder.file("x.db"), "/en/events/ancient")
        // Raw HTML in Markdown is dropped by cmark, never passed through.
        #expect(!ancient.contains("<script>alert"))
        #expect(ancient.contains("<em>emphasis</em>"))
        // Pages carry no inline script or event handler: they run under a strict CSP.
        for text in [html, ancient] {
            #expect(text.ranges(of: /<script(?![^>]*\ssrc=)/).isEmpty)
            #expect(text.ranges(of: /\son[a-z]+\s*=/).isEmpty)
        }
    }

    @Test func pagesInEveryLanguage() throws {
        let folder = TemporaryFolder()
        let report = try build(good, to: folder.file("x.db"))
        let file = try SnapshotFile(path: folder.file("x.db"))
        let expected = ["/", "/en/", "/ar/", "/en/events/a-day", "/ar/events/a-day", "/en/eras/early", "/ar/themes/second-theme",
                        "/en/places/basra", "/ar/people/someone", "/en/credits", "/ar/credits", "/en/404", "/ar/404"]
        for path in expected { _ = try page(folder.file("x.db"), path) }
        #expect(try file.count("resources") == report.resources)
        let arabic = try page(folder.file("x.db"), "/ar/events/2007-range")
        #expect(arabic.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(arabic.contains("أوائل ٢٠٠٧"))  // the translation's own display date, in its own digits
        #expect(try page(folder.file("x.db"), "/ar/events/ancient").contains("١٢ تشرين الأول ٥٣٩ ق.م"))
    }

    @Test func resourcesAreReadyToSend() throws {
        let folder = TemporaryFolder()
        _ = try build(good, to: folder.file("x.db"))
        let file = try SnapshotFile(path: folder.file("x.db"))
        let rows = try file.database.prepare("SELECT path, content_type, etag, cache, body, gzip FROM resources")
        var sawAsset = false, sawMedia = false
        var treeFingerprints = Set<String>()
        // Each variant carries the fingerprint of its medium's first URL (its largest JPEG).
        var variantFingerprints: [String: String] = [:]
        let variantRows = try file.database.prepare(
            "SELECT f.url, m.url FROM media_files f JOIN media m ON m.id = f.media_id WHERE f.role = 'variant'")
        while try variantRows.step() {
            let parts = variantRows.text(1)!.split(separator: ".")
            variantFingerprints[variantRows.text(0)!] = String(parts[parts.count - 3])
        }
        let variants = Set(variantFingerprints.keys)
        #expect(variants.count >= 10)
        while try rows.step() {
            let path = rows.text(0)!, type = rows.text(1)!, etag = rows.text(2)!, cache = rows.text(3)!
            let body = rows.blob(4)!
            #expect(etag == SnapshotWriter.etag(body), "\(path)")
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count == 34)
            if let gzip = rows.blob(5) {
                #expect(gzip.count < body.count)
                #expect(gunzip(gzip) == body, "\(path)")
            }
            if path.hasPrefix("/assets/") || path.hasPrefix("/media/") {
                #expect(cache == "immutable")
                // The theme's static tree has one fingerprint for all its files (relative
                // imports and font URLs keep working); everything else has its own.
                let folder = path.split(separator: "/").dropFirst().first.map(String.init) ?? ""
                if path.hasPrefix("/assets/"), folder.count == 10, folder.allSatisfy(\.isHexDigit) {
                    treeFingerprints.insert(folder)
                } else if variants.contains(path) {
                    // An image variant is named by its source and recipe, known before it is encoded.
                    #expect(path.contains(".\(variantFingerprints[path]!)."), "fingerprint in \(path)")
                } else {
                    #expect(path.contains(String(Digest.sha256Hex(body).prefix(10))), "fingerprint in \(path)")
                }
                sawAsset = sawAsset || path.hasPrefix("/assets/")
                sawMedia = sawMedia || path.hasPrefix("/media/")
            } else if path.hasPrefix("/api/") {
                #expect(cache == "revalidate" && type == "application/json", "\(path)")
                #expect((try? JSONSerialization.jsonObject(with: Data(body))) != nil, "\(path) is JSON")
            } else {
                #expect(cache == "revalidate" && type == "text/html; charset=utf-8", "\(path)")
            }
        }
        #expect(sawAsset && sawMedia)
        #expect(treeFingerprints.count == 1, "one fingerprint for the theme's static tree: \(treeFingerprints)")
        let media = try file.database.prepare("SELECT id, width, height, content_type FROM media ORDER BY id")
        var sizes: [String: String] = [:]
        while try media.step() { sizes[media.text(0)!] = "\(media.int(1))x\(media.int(2)) \(media.text(3)!)" }
        #expect(sizes == ["media/diagram.svg": "120x80 image/svg+xml", "media/icon.png": "16x12 image/jpeg",
                          "media/lossless.webp": "21x11 image/jpeg", "media/lossy.webp": "20x10 image/jpeg",
                          "media/photo.jpg": "40x30 image/jpeg", "media/clip-poster.jpg": "320x180 image/jpeg",
                          "media/clip.webm": "320x180 video/webm"])
    }

    @Test func placesArePinnedOnTheMap() throws {
        let folder = TemporaryFolder()
        _ = try build(good, to: folder.file("x.db"))
        let file = try SnapshotFile(path: folder.file("x.db"))
        let css = try #require(try file.database.scalarText("SELECT CAST(body AS TEXT) FROM resources WHERE path LIKE '/assets/exhibit.%.css'"))
        // Basra, 30.508 N 47.783 E, on a map spanning 40–50 E and 25–35 N.
        #expect(css.contains(".pin-basra { left: 77.83%; top: 44.92%; }"))
        #expect(css.contains(".era-late { --era: #2f5d7c; }"))
        let place = try page(folder.file("x.db"), "/ar/places/basra")
        #expect(place.contains("<a class=\"pin pin-basra\" href=\"/ar/places/basra\">"))
        #expect(try page(folder.file("x.db"), "/en/places/").contains("class=\"pin pin-basra\""))
        // No page carries a style attribute: the CSP would block it.
        let all = try file.database.prepare("SELECT path, CAST(body AS TEXT) FROM resources WHERE content_type LIKE 'text/html%'")
        while try all.step() { #expect(!(all.text(1) ?? "").contains(" style="), "\(all.text(0) ?? "")") }
    }

    @Test func searchPageIsCutForSplicing() throws {
        let folder = TemporaryFolder()
        _ = try build(good, to: folder.file("x.db"))
        let file = try SnapshotFile(path: folder.file("x.db"))
        let rows = try file.database.prepare("SELECT lang, head, middle, tail, empty FROM search_pages ORDER BY lang")
        var languages: [String] = []
        while try rows.step() {
            languages.append(rows.text(0)!)
            #expect(rows.text(1)!.hasSuffix("value=\""))
            #expect(rows.text(2)!.hasPrefix("\" maxlength="))
            #expect(rows.text(3)!.hasSuffix("</html>\n"))
            #expect(rows.text(4)!.contains("no-results"))
        }
        #expect(languages == ["ar", "en"])
    }

    @Test func searchIndexPerLanguage() throws {
        let folder = TemporaryFolder()
        _ = try build(good, to: folder.file("x.db"))
        let file = try SnapshotFile(path: folder.file("x.db"))
        let query = try file.database.prepare("SELECT event_id FROM search WHERE search MATCH ? AND lang = ? ORDER BY rank")
        try query.bind(1, "ancient")
        try query.bind(2, "en")
        #expect(try query.step() && query.text(0) == "ancient")
        query.reset()
        try query.bind(1, "يوم")
        try query.bind(2, "ar")
        #expect(try query.step() && query.text(0) == "a-day")
    }

    @Test func defaultExhibitBuildsAndOpensReadOnly() throws {
        let folder = TemporaryFolder()
        let report = try build(Tree.defaultExhibit, to: folder.file("default.db"))
        #expect(report.events >= 10)
        let file = try SnapshotFile(path: folder.file("default.db"))
        #expect(file.meta[SnapshotSchema.Meta.exhibitID] == "iraq-2003-2014")
        #expect(file.meta[SnapshotSchema.Meta.languages] == "en,ar")
        for table in SnapshotSchema.requiredTables { _ = try file.count(table) }
        #expect(try file.count("events") == report.events)
        #expect(try file.count("event_text") == report.events * 2)
        #expect(try file.count("places") > 3 && file.count("eras") > 1)
        // Immutable and read-only: writing fails.
        #expect(throws: SQLiteError.self) { try file.database.execute("DELETE FROM meta") }
    }

    /// Inflates with the system's gzip, an independent decoder.
    func gunzip(_ bytes: [UInt8]) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try! process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try! input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}
