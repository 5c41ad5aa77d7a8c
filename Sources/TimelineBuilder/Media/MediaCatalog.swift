import TimelineSnapshot
import Foundation

/// Where each medium is served, decided before any file is made: pages are rendered with
/// these URLs, and the image variants are encoded afterwards, one source at a time, straight
/// into the snapshot.
struct MediaCatalog: Sendable {
    struct Entry: Sendable {
        let file: ExhibitLoader.MediaFile
        /// What a page shows first: an SVG, captions or a film itself, an image's largest JPEG.
        let url: String
        /// The variants of a raster image; nil for what is served as it is.
        let plan: ImagePlan?
        /// The type of what `url` serves.
        let contentType: String
    }

    /// By path, sorted: the order files are written in, so the snapshot is the same twice.
    let entries: [Entry]

    init(_ media: [String: ExhibitLoader.MediaFile], settings: SiteTheme.Settings, avif: Bool) {
        entries = media.values.sorted { $0.path < $1.path }.map { file in
            let stem = Self.urlStem(file.path)
            let ext = (file.path as NSString).pathExtension.lowercased()
            let asItIs = "\(stem)\(file.digest.sha256.prefix(10)).\(ext)"
            switch file.kind {
            case .captions:
                return Entry(file: file, url: asItIs, plan: nil, contentType: "text/vtt; charset=utf-8")
            case .timed(let info):
                return Entry(file: file, url: asItIs, plan: nil, contentType: info.format.contentType)
            case .image(let info) where !info.isRaster:
                return Entry(file: file, url: asItIs, plan: nil, contentType: info.format.contentType)
            case .image(let info):
                // The URLs change with the source, the encoder's recipe and the screen they are for.
                let recipe = "\(ImagePlan.recipe)\0\(file.digest.sha256)\0\(settings.longestSide)\0\(avif)"
                let plan = ImagePlan(size: (info.width, info.height), longestSide: settings.longestSide,
                                     stem: stem, fingerprint: String(Digest.sha256Hex(Array(recipe.utf8)).prefix(10)),
                                     avif: avif)
                return Entry(file: file, url: plan.fallback.url, plan: plan, contentType: ImagePlan.Format.jpeg.contentType)
            }
        }
    }

    var urls: [String: String] { Dictionary(uniqueKeysWithValues: entries.map { ($0.file.path, $0.url) }) }
    var plans: [String: ImagePlan] {
        Dictionary(uniqueKeysWithValues: entries.compactMap { e in e.plan.map { (e.file.path, $0) } })
    }
    var sizes: [String: ImageInfo] {
        Dictionary(uniqueKeysWithValues: entries.compactMap { e in e.file.image.map { (e.file.path, $0) } })
    }
    var timed: [String: TimedMediaInfo] {
        Dictionary(uniqueKeysWithValues: entries.compactMap { e in e.file.timed.map { (e.file.path, $0) } })
    }

    /// `media/photos/bridge.jpg` → `/media/photos/bridge.`: the fingerprint and extension follow.
    static func urlStem(_ path: String) -> String {
        var relative = path
        if relative.hasPrefix("media/") { relative.removeFirst("media/".count) }
        return SiteURL.mediaPrefix + (relative as NSString).deletingPathExtension + "."
    }
}
