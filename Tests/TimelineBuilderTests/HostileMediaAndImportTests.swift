import Foundation
import Testing
@testable import TimelineBuilder

/// Inputs a hostile tester made against the media readers, the importer and the exporter:
/// each once crashed, hung, escaped its folder or wrote something that did not build.
@Suite struct HostileMediaAndImportTests {
    // MARK: Containers: clear errors, never a trap

    func box(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let size = UInt32(8 + body.count)
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + Array(type.utf8) + body
    }

    func element(_ id: [UInt8], _ body: [UInt8]) -> [UInt8] { id + [0x80 | UInt8(body.count)] + body }

    func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(value >> (8 * UInt64($0)) & 0xFF) } }

    @Test func damagedContainersAreErrors() {
        let ftyp = box("ftyp", Array("isom".utf8) + [0, 0, 0, 0])
        let cases: [([UInt8], TimedMediaInfo.Format, String)] = [
            (ftyp + box("moov", box("mvhd", [])), .mp4, "damaged MP4: empty 'mvhd'"),
            (ftyp + box("moov", box("trak", box("tkhd", []))), .mp4, "damaged MP4: empty 'tkhd'"),
            (ftyp + [0, 0, 0, 1] + Array("free".utf8) + bigEndian(0x7FFF_FFFF_FFFF_FFF0), .mp4, "runs past the file"),
            // Version 1 mvhd: timescale 1, duration 2^64 - 1.
            (ftyp + box("moov", box("mvhd", [1, 0, 0, 0] + [UInt8](repeating: 0, count: 16) + [0, 0, 0, 1]
                                       + [UInt8](repeating: 0xFF, count: 8))), .mp4, "no usable duration"),
            (element([0x1A, 0x45, 0xDF, 0xA3], element([0x42, 0x82], Array("webm".utf8)))
                + element([0x18, 0x53, 0x80, 0x67], element([0x15, 0x49, 0xA9, 0x66],
                                                            element([0x44, 0x89], bigEndian((1e300).bitPattern)))),
             .webm, "no usable duration"),
        ]
        for (bytes, format, expected) in cases {
            do {
                _ = try TimedMediaInfo.read(bytes, as: format)
                Issue.record("accepted: \(expected)")
            } catch {
                #expect(error.description.contains(expected), "\(error)")
            }
        }
        // A picture 2^64 - 1 pixels wide is no picture: read as sound, no trap.
        let wide = element([0x1A, 0x45, 0xDF, 0xA3], element([0x42, 0x82], Array("webm".utf8)))
            + element([0x18, 0x53, 0x80, 0x67],
                      element([0x15, 0x49, 0xA9, 0x66], element([0x44, 0x89], bigEndian((2000.0).bitPattern)))
                      + element([0x16, 0x54, 0xAE, 0x6B], element([0xAE], element([0xE0],
                          element([0xB0], [UInt8](repeating: 0xFF, count: 8)) + element([0xBA], [10])))))
        #expect((try? TimedMediaInfo.read(wide, as: .webm))?.isVideo == false)
    }

    @Test func captionTimesCannotOverflow() {
        let diagnostics = Diagnostics()
        #expect(WebVTT.check("WEBVTT\n\n9999999999999:00:00.000 --> 9999999999999:00:01.000\nx\n", path: "c.vtt",
                             diagnostics: diagnostics) == nil)
        #expect(WebVTT.check("WEBVTT\n\n+1:00.000 --> 00:02.000\nx\n", path: "c.vtt", diagnostics: Diagnostics()) == nil)
        // Windows and old Mac line endings, and a byte-order mark.
        for text in ["WEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\nHi\r\n", "WEBVTT\r\r00:00.000 --> 00:01.000\rHi\r",
                     "\u{FEFF}WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"] {
            #expect(WebVTT.check(text, path: "c.vtt", diagnostics: Diagnostics())?.cues == 1, "\(text.debugDescription)")
        }
    }

    @Test func windowsLineEndingsInEventFiles() {
        let event = MiniExhibit.goodEvent.replacingOccurrences(of: "\n", with: "\r\n")
        let folder = MiniExhibit.folder(["events/an-event.md": event])
        #expect(MiniExhibit.diagnostics(folder) == [])
    }

    // MARK: Import

    func importing(_ json: String, files: [String: [UInt8]] = [:]) throws -> (TimelineJSImport.Outcome, TemporaryFolder) {
        let folder = TemporaryFolder()
        folder.write(["timeline/t.json": json])
        for (path, bytes) in files { folder.write(path, bytes) }
        return (try TimelineJSImport(path: folder.file("timeline/t.json")).read(), folder)
    }

    @Test func importCopiesNothingFromOutsideTheTimelinesFolder() throws {
        let jpeg = Array(FileManager.default.contents(atPath: Tree.fixtures + "/timelinejs/images/keeper.jpg")!)
        let events = ["/etc/hostname", "../outside.jpg", "images", "link.jpg"].enumerated().map { n, url in
            "{\"start_date\": {\"year\": \"\(1900 + n)\"}, \"text\": {\"headline\": \"E\(n)\"}, \"media\": {\"url\": \"\(url)\", \"credit\": \"c\"}}"
        }
        let (outcome, folder) = try importing("{\"events\": [\(events.joined(separator: ","))]}",
                                              files: ["outside.jpg": jpeg, "timeline/images/a.jpg": jpeg])
        try FileManager.default.createSymbolicLink(atPath: folder.file("timeline/link.jpg"), withDestinationPath: folder.file("outside.jpg"))
        // The link is made after the first read; read again.
        let again = try TimelineJSImport(path: folder.file("timeline/t.json")).read()
        #expect(outcome.copies.isEmpty && again.copies.isEmpty, "\(again.copies)")
        let lines = again.warnings.map(\.message)
        #expect(lines.contains("media /etc/hostname is not a path inside the timeline's folder: left out"))
        #expect(lines.contains("media ../outside.jpg is not a path inside the timeline's folder: left out"))
        #expect(lines.contains("media file images not found beside the timeline: left out"))
        #expect(lines.contains("media link.jpg leads outside the timeline's folder (a link): left out"))
    }

    @Test func importedTextAlwaysBuilds() throws {
        let jpeg = Array(FileManager.default.contents(atPath: Tree.fixtures + "/timelinejs/images/keeper.jpg")!)
        let json = """
        {"events": [
          {"start_date": {"year": "1900", "month": 4294967297, "day": 3}, "text": {"headline": "C1 \\u0085 BOM \\ufeff \\uffff \\ud800\\u0041", "text": "x"},
           "media": {"url": "a/pic #1: b.jpg", "credit": "c"}},
          {"start_date": {"year": "1901"}, "text": {"headline": "Same name"}, "media": {"url": "b/pic #1: b.jpg", "credit": "c"}},
          {"start_date": {"year": "1902"}, "text": {"headline": "1914. # - x", "text": "<p>1914. War</p><p>---</p><p>~~~</p>"}}
        ]}
        """
        let (outcome, folder) = try importing(json, files: ["timeline/a/pic #1: b.jpg": jpeg, "timeline/b/pic #1: b.jpg": jpeg])
        #expect(Set(outcome.copies.keys) == ["media/pic #1: b.jpg", "media/pic #1: b-2.jpg"])
        let target = folder.file("exhibit")
        try TimelineJSImport.write(outcome, into: target)
        let report = try Builder.build(BuildOptions(exhibit: target, output: nil, theme: Tree.theme))
        #expect(report.events == 3)
        #expect(outcome.warnings.contains { $0.message == "month '4294967297' is left out: months run from 1 to 12" })
    }

    // MARK: Export

    @Test func exportRefusesFoldersNginxCannotNameAndLeavesNothingHalfDone() throws {
        let folder = TemporaryFolder()
        let snapshot = folder.file("good.db")
        _ = try Builder.build(BuildOptions(exhibit: Tree.fixtures + "/good", output: snapshot, theme: Tree.theme))
        #expect(throws: ExportError.self) { try StaticExport(snapshot: snapshot, folder: folder.file("cost$1")).run() }
        #expect(throws: ExportError.self) { try StaticExport(snapshot: snapshot, folder: snapshot).run() }
        // A damaged copy found halfway: no folder, no partial one.
        var bytes = Array(FileManager.default.contents(atPath: snapshot)!)
        for i in stride(from: bytes.count / 2, to: bytes.count, by: 997) { bytes[i] ^= 0x5A }
        folder.write("damaged.db", bytes)
        _ = try? StaticExport(snapshot: folder.file("damaged.db"), folder: folder.file("out")).run()
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("out") }
        #expect(left.isEmpty || left == ["out"], "\(left)")
        // A folder with a space and a semicolon is quoted in the server block.
        let odd = folder.file("my site;x")
        _ = try StaticExport(snapshot: snapshot, folder: odd).run()
        let conf = try String(contentsOfFile: odd + "/nginx/timeline.conf", encoding: .utf8)
        #expect(conf.contains("root \"\(URL(fileURLWithPath: odd).standardizedFileURL.path)\";"))
    }
}
