import Foundation

// MARK: - media/

extension ExhibitLoader {
    /// Each medium named by an event or a map, read once and checked, with the captions and
    /// poster an audio or video medium brings.
    func loadMedia(_ uses: [Located<MediaUse>], _ files: InputFiles, languages: [String]) -> [String: MediaFile] {
        var media: [String: MediaFile] = [:]
        var tried = Set<String>()  // a broken file is reported once, however often it is used
        for use in uses {
            let file = use.value.file
            if tried.insert(file).inserted, let loaded = loadMedium(file, at: use.position, files) { media[file] = loaded }
            guard let medium = media[file] else { continue }
            checkCompanions(use, medium, files, languages: languages, into: &media)
        }
        return media
    }

    /// A medium's file: an image, or audio or video.
    func loadMedium(_ file: String, at position: SourcePosition, _ files: InputFiles,
                    expect: String? = nil) -> MediaFile? {
        let diagnostics = files.diagnostics
        guard Self.isSafeRelativePath(file) else {
            diagnostics.error(position, "media file '\(file)' must be a path inside the exhibit folder")
            return nil
        }
        let ext = (file as NSString).pathExtension
        let image = ImageInfo.Format(fileExtension: ext)
        let timed = image == nil ? TimedMediaInfo.Format(fileExtension: ext) : nil
        guard image != nil || timed != nil, expect == nil || (expect == "image" && image != nil && image != .svg) else {
            diagnostics.error(position, expect == "image"
                ? "poster '\(file)' must be a JPEG, PNG, WebP, TIFF or HEIF image"
                : "media file '\(file)' is not an image (JPEG, PNG, WebP, TIFF, HEIF, SVG), a video (MP4, WebM) "
                    + "or a sound (MP3, M4A, Ogg/Opus)")
            return nil
        }
        var refused = false
        let limit = timed == nil ? limits.mediaFileBytes : limits.timedMediaFileBytes
        let read = files.bytes(file, limit: limit, option: timed == nil ? "--max-media-mb" : "--max-av-mb") {
            diagnostics.error(position, "media file '\(file)': \($0)")
            refused = true
        }
        guard let bytes = read else {
            if !refused { diagnostics.error(position, "media file '\(file)' not found in \(root)") }
            return nil
        }
        do throws(MediaError) {
            if let timed {
                let info = try TimedMediaInfo.read(bytes, as: timed)
                return MediaFile(path: file, kind: .timed(info), digest: InputDigest(bytes), bytes: nil)
            }
            let info = try image == .svg ? ImageInfo.svg(bytes) : checkRaster(bytes, named: image!)
            return MediaFile(path: file, kind: .image(info), digest: InputDigest(bytes), bytes: info.isRaster ? nil : bytes)
        } catch {
            diagnostics.error(position, "media file '\(file)': \(error)")
            return nil
        }
    }

    /// Audio and video need captions in every language, and video a poster; an image needs
    /// neither.
    func checkCompanions(_ use: Located<MediaUse>, _ medium: MediaFile, _ files: InputFiles, languages: [String],
                         into media: inout [String: MediaFile]) {
        let diagnostics = files.diagnostics
        let file = use.value.file
        guard let timed = medium.timed else {
            if !use.value.captions.values.isEmpty { diagnostics.error(use.position, "'captions' belong to audio and video; '\(file)' is an image") }
            if use.value.poster != nil { diagnostics.error(use.position, "'poster' belongs to a video; '\(file)' is an image") }
            return
        }
        for language in languages {
            guard let path = use.value.captions[language], !path.isEmpty else {
                let example = (file as NSString).deletingPathExtension + ".\(language).vtt"
                diagnostics.error(use.position, "'\(file)' has no '\(language)' captions: add captions: {\(language): \(example)}; "
                                      + "every language needs a WebVTT file, as every image needs alt text")
                continue
            }
            guard path.lowercased().hasSuffix(".vtt"), Self.isSafeRelativePath(path) else {
                diagnostics.error(use.position, "captions '\(path)' must be a .vtt file inside the exhibit folder")
                continue
            }
            if let known = media[path] {
                if case .captions = known.kind { continue }
                diagnostics.error(use.position, "captions '\(path)' are used as a medium too; give the captions their own file")
                continue
            }
            guard let text = files.text(path) else { continue }
            guard let summary = WebVTT.check(text, path: display(path), diagnostics: diagnostics) else { continue }
            if summary.endMs > timed.durationMs + 500 {
                diagnostics.warning(.file(display(path)), "the captions run to \(summary.endMs / 1000) s, past the end of "
                                        + "'\(file)' (\(timed.durationMs / 1000) s)")
            }
            media[path] = MediaFile(path: path, kind: .captions(language: language), digest: InputDigest(Array(text.utf8)),
                                    bytes: Array(text.utf8))
        }
        if let poster = use.value.poster {
            if !timed.isVideo {
                diagnostics.error(use.position, "'\(file)' is a sound; 'poster' belongs to a video")
            } else if let known = media[poster] {
                if known.image?.isRaster != true {
                    diagnostics.error(use.position, "poster '\(poster)' must be a JPEG, PNG, WebP, TIFF or HEIF image")
                }
            } else if let image = loadMedium(poster, at: use.position, files, expect: "image") {
                media[poster] = image
            }
        } else if timed.isVideo {
            diagnostics.error(use.position, "video '\(file)' has no poster: add poster: media/NAME.jpg, the picture shown "
                                  + "before it plays")
        }
    }

    /// A photograph or scan: its header read by libvips, its content matching its name, its
    /// pixels within the limit.
    func checkRaster(_ bytes: [UInt8], named: ImageInfo.Format) throws(MediaError) -> ImageInfo {
        let (info, _) = try RasterImage.inspect(bytes)
        guard info.format == named else {
            throw MediaError("the file holds a \(info.format.rawValue.uppercased()) image; "
                                 + "rename it to .\(info.format.rawValue)")
        }
        let pixels = info.width * info.height
        guard pixels <= limits.imagePixels else {
            throw MediaError("the image is \(info.width)×\(info.height) (\(Self.megapixels(pixels)) megapixels); "
                                 + "the limit is \(Self.megapixels(limits.imagePixels)) megapixels (--max-image-mp): "
                                 + "scale it down first")
        }
        try RasterImage.checkDecodes(bytes)
        return info
    }

    /// 12345678 → "12.3".
    static func megapixels(_ pixels: Int) -> String {
        let tenths = (pixels + 50_000) / 100_000
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}
