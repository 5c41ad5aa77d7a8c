/// The files one raster image becomes: a few widths that fit the screens the theme builds
/// for, each in every format the browser may choose from, under URLs known before encoding.
public struct ImagePlan: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case avif, webp, jpeg

        public var contentType: String { "image/" + rawValue }
    }

    public struct Variant: Sendable, Equatable {
        public let width: Int
        public let height: Int
        public let format: Format
        public let url: String
    }

    /// Widths the ladder may use: one step per common screen or half screen, so a browser
    /// never fetches much more than it shows.
    static let ladder = [480, 800, 1280, 1920, 2560, 3840]
    static let quality = (jpeg: 82, webp: 80, avif: 55)
    /// libaom's speed (0 slowest … 9): 4 is libvips's default and most of the build's time
    /// for photographs, so lower it before adding widths.
    static let avifEffort = 2
    /// AVIF stops here: libaom takes about 200 MB more to encode a 3840-pixel picture than a
    /// 2560 one, and only a 4K screen showing a picture across its whole width would choose
    /// it (it gets WebP there).
    static let avifMaxWidth = 2560
    /// Bump when the encoding changes, so derived URLs change with it.
    static let recipe = "kt-image-2"

    /// Largest first.
    public let widths: [Int]
    /// Every width in every format: for each width, AVIF (when written, up to
    /// `avifMaxWidth`), WebP, then JPEG.
    public let variants: [Variant]

    /// - Parameters:
    ///   - size: the source's size, upright.
    ///   - longestSide: the longest side of the largest screen the theme builds for; no
    ///     image is made wider than that, nor wider than the source.
    ///   - stem: the URL path without extension (`/media/photos/bridge.`) and fingerprint.
    public init(size: (width: Int, height: Int), longestSide: Int, stem: String, fingerprint: String, avif: Bool) {
        let cap = min(size.width, longestSide)
        let widths = [cap] + Self.ladder.filter { $0 < cap && $0 * 10 < cap * 9 }.reversed()
        self.widths = widths
        var variants: [Variant] = []
        for width in widths {
            let height = max(1, Int((Double(size.height) * Double(width) / Double(size.width)).rounded()))
            let formats: [Format] = avif && width <= Self.avifMaxWidth ? [.avif, .webp, .jpeg] : [.webp, .jpeg]
            for format in formats {
                variants.append(Variant(width: width, height: height, format: format,
                                        url: "\(stem)\(fingerprint).\(width).\(format.rawValue)"))
            }
        }
        self.variants = variants
    }

    /// `url 480w, url 800w, …` for one format, smallest first.
    public func srcset(_ format: Format) -> String {
        variants.filter { $0.format == format }.reversed().map { "\($0.url) \($0.width)w" }.joined(separator: ", ")
    }

    /// The largest JPEG: what a browser that reads no `srcset` shows.
    public var fallback: Variant { variants.first { $0.format == .jpeg }! }

    public var formats: [Format] { Format.allCases.filter { f in variants.contains { $0.format == f } } }
}
