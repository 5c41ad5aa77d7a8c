import Foundation
import Testing
import TimelineSnapshot
@testable import TimelineBuilder

/// Photographs, films and recordings: what the builder reads from them, what it makes of
/// them, and what it refuses.
@Suite struct MediaTests {
    static let exhibit = Tree.fixtures + "/media"
    static let files = exhibit + "/media/"

    func file(_ name: String) -> [UInt8] { Array(FileManager.default.contents(atPath: Self.files + name) ?? Data()) }

    func build(_ exhibit: String = MediaTests.exhibit, to output: String?,
               limits: ExhibitLoader.Limits = .init()) throws -> BuildReport {
        var options = BuildOptions(exhibit: exhibit, output: output, theme: Tree.theme)
        options.limits = limits
        return try Builder.build(options)
    }

    /// Every resource of a snapshot by path.
    func resources(_ snapshot: String) throws -> [String: [UInt8]] {
        let database = try SnapshotFile(path: snapshot).database
        let statement = try database.prepare("SELECT path, body FROM resources")
        var result: [String: [UInt8]] = [:]
        while try statement.step() { result[statement.text(0) ?? ""] = statement.blob(1) ?? [] }
        return result
    }

    func messages(_ error: any Error) -> [String] {
        guard case .invalidExhibit(_, _, let diagnostics) = error as? BuildError else { return ["\(error)"] }
        return diagnostics.map(\.description)
    }

    // MARK: Audio and video headers

    @Test func containersGiveDurationAndSize() throws {
        // ffprobe 5.1 read: clip.webm 2.008 s, clip.mp4 2.000 s, interview.mp3 3.030 s.
        let webm = try TimedMediaInfo.read(file("clip.webm"), as: .webm)
        #expect(webm == TimedMediaInfo(format: .webm, durationMs: 2008, width: 320, height: 180))
        let mp4 = try TimedMediaInfo.read(file("clip.mp4"), as: .mp4)
        #expect(mp4 == TimedMediaInfo(format: .mp4, durationMs: 2000, width: 320, height: 180))
        let mp3 = try TimedMediaInfo.read(file("interview.mp3"), as: .mp3)
        #expect(mp3.durationMs == 3030 && !mp3.isVideo)
        let opus = try TimedMediaInfo.read(file("interview.opus"), as: .ogg)
        #expect(opus.durationMs == 3000 && !opus.isVideo)  // 144312 granules less 312 of pre-skip, at 48 kHz
    }

    @Test func misnamedOrDamagedContainersAreRefused() {
        #expect(throws: MediaError.self) { try TimedMediaInfo.read(file("interview.mp3"), as: .webm) }
        #expect(throws: MediaError.self) { try TimedMediaInfo.read(file("clip.webm"), as: .mp4) }
        #expect(throws: MediaError.self) { try TimedMediaInfo.read(file("clip.mp4"), as: .ogg) }
        #expect(throws: MediaError.self) { try TimedMediaInfo.read(Array(file("clip.mp4").prefix(600)), as: .mp4) }
        #expect(throws: MediaError.self) { try TimedMediaInfo.read(file("clip.mp4"), as: .m4a) }  // video named as sound
        #expect(throws: MediaError.self) { try TimedMediaInfo.read([], as: .mp3) }
        // Every prefix fails cleanly or reads: no crash on a file cut short anywhere.
        let webm = file("clip.webm")
        for length in stride(from: 0, to: 600, by: 7) { _ = try? TimedMediaInfo.read(Array(webm.prefix(length)), as: .webm) }
    }

    @Test func captionsAreCheckedLineByLine() {
        let diagnostics = Diagnostics()
        let good = WebVTT.check("WEBVTT\n\n00:00.000 --> 00:01.500\nHello\n\n1\n01:00:02.000 --> 01:00:03.000 align:start\nBye\n",
                                path: "c.vtt", diagnostics: diagnostics)
        #expect(good == WebVTT.Summary(cues: 2, endMs: 3_603_000))
        #expect(diagnostics.errorCount == 0)
        for (text, expected) in [
            ("VTT\n", "c.vtt:1:1: error: a captions file must start with the line WEBVTT"),
            ("WEBVTT\n\n00:00.000 -> 00:01.000\nx\n", "c.vtt:3:1: error: expected a cue timing line"),
            ("WEBVTT\n\n00:00.000 --> 00:61.000\nx\n", "c.vtt:3:1: error: cue timing must read START --> END"),
            ("WEBVTT\n\n00:02.000 --> 00:01.000\nx\n", "c.vtt:3:15: error: the cue ends (00:01.000) before it starts"),
            ("WEBVTT\n", "c.vtt:1:1: error: the captions file has no cues"),
        ] {
            let diagnostics = Diagnostics()
            #expect(WebVTT.check(text, path: "c.vtt", diagnostics: diagnostics) == nil)
            #expect(diagnostics.sorted.first?.description.hasPrefix(expected) == true, "\(diagnostics.sorted)")
        }
    }

    // MARK: Image variants

    @Test func ladderFitsTheScreensAndNeverEnlarges() {
        func widths(_ w: Int, _ h: Int, longest: Int = 3840) -> [Int] {
            ImagePlan(size: (w, h), longestSide: longest, stem: "/media/x.", fingerprint: "f", avif: false).widths
        }
        #expect(widths(6000, 4000) == [3840, 2560, 1920, 1280, 800, 480])
        #expect(widths(6000, 4000, longest: 1920) == [1920, 1280, 800, 480])
        #expect(widths(1300, 900) == [1300, 800, 480])  // 1280 is within 10% of 1300: not worth a file
        #expect(widths(300, 200) == [300])
        let camera = ImagePlan(size: (6000, 4000), longestSide: 3840, stem: "/media/c.", fingerprint: "f", avif: true)
        #expect(camera.srcset(.avif).hasSuffix("/media/c.f.2560.avif 2560w"))  // libaom's memory at 3840: see avifMaxWidth
        #expect(camera.srcset(.webp).hasSuffix("/media/c.f.3840.webp 3840w"))
        let plan = ImagePlan(size: (1000, 700), longestSide: 3840, stem: "/media/scan.", fingerprint: "abc", avif: true)
        #expect(plan.srcset(.webp) == "/media/scan.abc.480.webp 480w, /media/scan.abc.800.webp 800w, /media/scan.abc.1000.webp 1000w")
        #expect(plan.fallback.url == "/media/scan.abc.1000.jpeg")
        #expect(plan.variants.map(\.height).prefix(3) == [700, 700, 700])
        #expect(plan.variants.last?.height == 336)
    }

    @Test func variantsAreUprightStrippedAndTheSameTwice() throws {
        let folder = TemporaryFolder()
        _ = try build(to: folder.file("a.db"))
        _ = try build(to: folder.file("b.db"))
        let a = Array(FileManager.default.contents(atPath: folder.file("a.db"))!)
        #expect(a == Array(FileManager.default.contents(atPath: folder.file("b.db"))!))

        let all = try resources(folder.file("a.db"))
        let photos = all.filter { $0.key.hasPrefix("/media/camera-photo.") }
        #expect(Set(photos.keys.map { ($0 as NSString).pathExtension }) == (RasterImage.canWriteAVIF
            ? ["avif", "webp", "jpeg"] : ["webp", "jpeg"]))
        for (path, bytes) in photos {
            // Upright: the stored 640×480 picture turned a quarter clockwise.
            let (info, orientation) = try RasterImage.inspect(bytes)
            #expect(info.width == 480 && info.height == 640 && orientation == 1, "\(path)")
            // The red half of the stored picture (its top) is now on the right.
            if path.hasSuffix(".jpeg") || path.hasSuffix(".webp") {
                let right = try #require(RasterImage.pixel(bytes, x: 440, y: 320))
                let left = try #require(RasterImage.pixel(bytes, x: 40, y: 320))
                #expect(right[0] > 180 && right[2] < 90, "\(path) right \(right)")
                #expect(left[2] > 150 && left[0] < 90, "\(path) left \(left)")
            }
            // Nothing of the camera's metadata leaves the workstation.
            for marker in ["Exif", "GPS", "FixtureCam", "Model GPS-1"] {
                #expect(bytes.firstRange(of: Array(marker.utf8)) == nil, "\(path) holds \(marker)")
            }
        }
        // The source file itself is not in the snapshot.
        let source = file("camera-photo.jpg")
        #expect(!all.values.contains(source))

        // Transparency: kept in WebP, flattened onto white in JPEG.
        let webp = try #require(all.first { $0.key.hasPrefix("/media/transparent.") && $0.key.hasSuffix(".webp") }?.value)
        let jpeg = try #require(all.first { $0.key.hasPrefix("/media/transparent.") && $0.key.hasSuffix(".jpeg") }?.value)
        #expect(RasterImage.pixel(webp, x: 20, y: 20)?.last == 0)
        #expect(RasterImage.pixel(jpeg, x: 20, y: 20)?.allSatisfy { $0 > 245 } == true)
        #expect(RasterImage.pixel(jpeg, x: 300, y: 150)?[1] ?? 0 > 120)
    }

    @Test func pagesOfferEveryFormatAndPlayWithCaptions() throws {
        let folder = TemporaryFolder()
        _ = try build(to: folder.file("m.db"))
        let all = try resources(folder.file("m.db"))
        let photos = String(decoding: try #require(all[SiteURL.event("en", "photos")]), as: UTF8.self)
        #expect(photos.contains(#"<source type="image/webp" srcset="/media/scan."#))
        #expect(photos.contains(#".480.webp 480w, /media/scan."#))
        #expect(photos.contains(#"alt="A grey gradient" width="1000" height="700""#))
        #expect(photos.contains(#"width="480" height="640""#))  // the camera photograph, upright

        let film = String(decoding: try #require(all[SiteURL.event("en", "film")]), as: UTF8.self)
        #expect(film.contains(#"<source src="/media/clip.412d127cd2.webm" type="video/webm">"#))
        #expect(film.contains(#"poster="/media/clip-poster."#))
        #expect(film.contains(#"srclang="en" label="English" default>"#))
        #expect(film.contains(#"srclang="ar" label="العربية">"#))
        let filmAR = String(decoding: try #require(all[SiteURL.event("ar", "film")]), as: UTF8.self)
        #expect(filmAR.contains(#"srclang="ar" label="العربية" default>"#))
        let interview = String(decoding: try #require(all[SiteURL.event("en", "interview")]), as: UTF8.self)
        #expect(interview.contains(#"<div class="player audio">"#))
        #expect(interview.contains("0:03"))
        // Every URL a page names is in the snapshot.
        for page in [photos, film, interview] {
            for match in page.matches(of: /\/media\/[^" ,]+/) {
                #expect(all[String(match.output)] != nil, "missing \(match.output)")
            }
        }
        // The model: kinds, durations, the poster, a captions file per language.
        let database = try SnapshotFile(path: folder.file("m.db")).database
        let rows = try database.prepare("SELECT id, kind, duration_ms, poster FROM media ORDER BY id")
        var kinds: [String] = []
        while try rows.step() {
            kinds.append([rows.text(0), rows.text(1), rows.text(2), rows.text(3)].map { $0 ?? "-" }.joined(separator: " "))
        }
        #expect(kinds == ["media/camera-photo.jpg image - -", "media/clip-poster.jpg image - -",
                          "media/clip.webm video 2008 media/clip-poster.jpg", "media/interview.mp3 audio 3030 -",
                          "media/scan.tif image - -", "media/transparent.png image - -"])
        #expect(try database.scalarInt("SELECT count(*) FROM media_files WHERE role = 'captions'") == 4)
    }

    @Test func theThemeNamesTheLargestScreen() throws {
        let folder = TemporaryFolder()
        let theme = folder.file("theme")
        try FileManager.default.copyItem(atPath: Tree.theme, toPath: theme)
        try "# a fleet of small screens\nlargest_screen: 800x480\n".write(toFile: theme + "/theme.yaml", atomically: true, encoding: .utf8)
        var options = BuildOptions(exhibit: Self.exhibit, output: folder.file("small.db"), theme: theme)
        _ = try Builder.build(options)
        let widths = Set(try resources(folder.file("small.db")).keys.filter { $0.hasPrefix("/media/scan.") }
            .map { $0.split(separator: ".")[2] })
        #expect(widths == ["800", "480"])
        for (text, message) in [("largest_screen: big\n", "theme.yaml:1:1: error: largest_screen must be WIDTHxHEIGHT"),
                                ("\nscreen: 800x480\n", "theme.yaml:2:1: error: unknown key 'screen'")] {
            try text.write(toFile: theme + "/theme.yaml", atomically: true, encoding: .utf8)
            options.output = nil
            #expect(throws: BuildError.self) { try Builder.build(options) }
            do { _ = try Builder.build(options) } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    // MARK: Refusals

    /// The media fixture copied, with `change` applied to its film event's front matter.
    func withFilm(_ change: (String) -> String) throws -> TemporaryFolder {
        let folder = TemporaryFolder()
        try FileManager.default.removeItem(atPath: folder.path)
        try FileManager.default.copyItem(atPath: Self.exhibit, toPath: folder.path)
        let path = folder.file("events/film.md")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try change(text).write(toFile: path, atomically: true, encoding: .utf8)
        return folder
    }

    func errors(_ folder: TemporaryFolder, limits: ExhibitLoader.Limits = .init()) -> [String] {
        do {
            _ = try build(folder.path, to: nil, limits: limits)
            return []
        } catch {
            return messages(error).map { $0.replacingOccurrences(of: folder.path + "/", with: "") }
        }
    }

    @Test func missingCaptionsOrPosterAreErrors() throws {
        let noArabic = try withFilm { $0.replacingOccurrences(of: ", ar: media/clip.ar.vtt", with: "") }
        #expect(errors(noArabic) == ["events/film.md:7:11: error: 'media/clip.webm' has no 'ar' captions: add captions: "
                                         + "{ar: media/clip.ar.vtt}; every language needs a WebVTT file, as every image needs alt text"])
        let noPoster = try withFilm { $0.replacingOccurrences(of: "    poster: media/clip-poster.jpg\n", with: "") }
        #expect(errors(noPoster).first?.contains("video 'media/clip.webm' has no poster") == true)
        let badCaptions = try withFilm { $0 }
        try "WEBVTT\n\n00:00.000 --> soon\nx\n".write(toFile: badCaptions.file("media/clip.en.vtt"), atomically: true, encoding: .utf8)
        #expect(errors(badCaptions) == ["media/clip.en.vtt:3:1: error: cue timing must read START --> END with times as [hh:]mm:ss.ttt"])
        let posterOnImage = try withFilm {
            $0.replacingOccurrences(of: "file: media/clip.webm", with: "file: media/scan.tif")
        }
        #expect(errors(posterOnImage).contains { $0.contains("'captions' belong to audio and video") })
        let tooLong = try withFilm { $0 }
        var limits = ExhibitLoader.Limits()
        limits.timedMediaFileBytes = 10_000
        #expect(errors(tooLong, limits: limits) == [
            "events/film.md:7:11: error: media file 'media/clip.webm': the file is 41 KiB; the limit is 9 KiB (--max-av-mb)",
            "events/interview.md:7:11: error: media file 'media/interview.mp3': the file is 23 KiB; the limit is 9 KiB (--max-av-mb)",
        ])
    }

    @Test func imagesBeyondTheLimitOrMisnamedAreErrors() throws {
        let folder = try withFilm { $0 }
        var limits = ExhibitLoader.Limits()
        limits.imagePixels = 500_000
        #expect(errors(folder, limits: limits) == [
            "events/photos.md:13:11: error: media file 'media/scan.tif': the image is 1000×700 (0.7 megapixels); the limit "
                + "is 0.5 megapixels (--max-image-mp): scale it down first",
        ])
        try FileManager.default.copyItem(atPath: folder.file("media/transparent.png"), toPath: folder.file("media/green.jpg"))
        let photos = try String(contentsOfFile: folder.file("events/photos.md"), encoding: .utf8)
        try photos.replacingOccurrences(of: "media/transparent.png", with: "media/green.jpg")
            .write(toFile: folder.file("events/photos.md"), atomically: true, encoding: .utf8)
        #expect(errors(folder) == ["events/photos.md:10:11: error: media file 'media/green.jpg': the file holds a PNG image; "
                                       + "rename it to .png"])
    }

    @Test func anImageThatWillNotDecodeIsAnErrorAndKeepsTheOldSnapshot() throws {
        let folder = try withFilm { $0 }
        let output = folder.file("out.db")
        _ = try build(folder.path, to: output)
        let before = FileManager.default.contents(atPath: output)
        // Its header reads; its pixels stop a third of the way.
        try FileManager.default.removeItem(atPath: folder.file("media/camera-photo.jpg"))
        try FileManager.default.copyItem(atPath: folder.file("media/truncated.jpg"), toPath: folder.file("media/camera-photo.jpg"))
        // libjpeg's words differ between Debian 12 and 13.
        let found = errors(folder)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("events/photos.md:7:11: error: media file 'media/camera-photo.jpg': cannot decode the "
                                           + "image: ") == true, "\(found)")
        #expect(found.first?.lowercased().contains("premature end") == true)
        #expect(throws: BuildError.self) { try build(folder.path, to: output) }
        #expect(FileManager.default.contents(atPath: output) == before)
    }
}
