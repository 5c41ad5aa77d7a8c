/// Type and pixel size of an image.
public struct ImageInfo: Sendable, Equatable {
    public enum Format: String, Sendable {
        case jpeg, png, webp, tiff, heif, svg

        public var contentType: String {
            switch self {
            case .jpeg: return "image/jpeg"
            case .png: return "image/png"
            case .webp: return "image/webp"
            case .tiff: return "image/tiff"
            case .heif: return "image/heif"
            case .svg: return "image/svg+xml"
            }
        }

        /// By file extension, case-insensitive.
        public init?(fileExtension: String) {
            switch fileExtension.lowercased() {
            case "jpg", "jpeg": self = .jpeg
            case "png": self = .png
            case "webp": self = .webp
            case "tif", "tiff": self = .tiff
            // A phone's HEIC photograph, or an AVIF: read by libvips through libheif.
            case "heic", "heif", "avif": self = .heif
            case "svg": self = .svg
            default: return nil
            }
        }
    }

    public let format: Format
    /// Pixels, upright (after the EXIF orientation) for raster images.
    public let width: Int
    public let height: Int

    public var isRaster: Bool { format != .svg }

    /// An SVG's size, from its root element; a raster image's comes from libvips
    /// (`RasterImage.inspect`), which also reads its EXIF orientation.
    public static func svg(_ bytes: [UInt8]) throws(MediaError) -> ImageInfo {
        let size = try svgSize(bytes)
        guard size.0 > 0, size.1 > 0 else { throw MediaError("the image has no size (\(size.0)×\(size.1))") }
        return ImageInfo(format: .svg, width: size.0, height: size.1)
    }

    // MARK: SVG

    /// Width and height from the root element's attributes, else from its viewBox.
    /// Anything that could run or fetch is refused (`SVGCheck`): a medium must be a picture.
    static func svgSize(_ b: [UInt8]) throws(MediaError) -> (Int, Int) {
        guard let text = String(validating: b, as: UTF8.self) else { throw MediaError("an SVG file must be UTF-8") }
        try SVGCheck.check(b)
        guard let start = text.range(of: "<svg"), let end = text[start.upperBound...].firstIndex(of: ">") else {
            throw MediaError("not an SVG file: no <svg> element")
        }
        let tag = String(text[start.upperBound..<end])
        let attributes = svgAttributes(tag)
        if let w = attributes["width"].flatMap(svgLength), let h = attributes["height"].flatMap(svgLength) {
            return (w, h)
        }
        if let box = attributes["viewBox"] {
            let numbers = box.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
            if numbers.count == 4 { return (Int(numbers[2].rounded()), Int(numbers[3].rounded())) }
        }
        throw MediaError("the SVG has neither width and height in pixels nor a viewBox")
    }

    private static func svgAttributes(_ tag: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(tag)
        while let eq = rest.firstIndex(of: "=") {
            let name = rest[..<eq].split(whereSeparator: \.isWhitespace).last.map(String.init) ?? ""
            var after = rest[rest.index(after: eq)...].drop(while: \.isWhitespace)
            guard let quote = after.first, quote == "\"" || quote == "'" else { break }
            after = after.dropFirst()
            guard let close = after.firstIndex(of: quote) else { break }
            result[name] = String(after[..<close])
            rest = after[after.index(after: close)...]
        }
        return result
    }

    private static func svgLength(_ value: String) -> Int? {
        var number = value.trimmingCharacters(in: " ")
        if number.hasSuffix("px") { number.removeLast(2) }
        return Double(number).map { Int($0.rounded()) }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop(while: { $0 == set }).reversed().drop(while: { $0 == set }).reversed())
    }
}

/// Why a media file could not be used.
public struct MediaError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
