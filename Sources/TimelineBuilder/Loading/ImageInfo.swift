/// Type and pixel size of a medium, read from the file's own header.
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

    /// Reads the size from `bytes`, expecting `format`; throws a curator-readable reason.
    public static func read(_ bytes: [UInt8], as format: Format) throws(MediaError) -> ImageInfo {
        let size: (Int, Int)
        switch format {
        case .png: size = try png(bytes)
        case .jpeg: size = try jpeg(bytes)
        case .webp: size = try webp(bytes)
        case .tiff, .heif: throw MediaError("\(format.rawValue.uppercased()) is read by libvips (RasterImage)")
        case .svg: size = try svg(bytes)
        }
        guard size.0 > 0, size.1 > 0 else { throw MediaError("the image has no size (\(size.0)×\(size.1))") }
        return ImageInfo(format: format, width: size.0, height: size.1)
    }

    // MARK: Raster headers

    private static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    private static func be32(_ b: [UInt8], _ i: Int) -> Int { be16(b, i) << 16 | be16(b, i + 2) }
    private static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func le24(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | Int(b[i + 2]) << 16 }

    /// The IHDR chunk always comes first.
    static func png(_ b: [UInt8]) throws(MediaError) -> (Int, Int) {
        guard b.count >= 24, b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
              b[12..<16].elementsEqual("IHDR".utf8)
        else { throw MediaError("not a PNG file") }
        return (be32(b, 16), be32(b, 20))
    }

    /// Walks the marker segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC).
    static func jpeg(_ b: [UInt8]) throws(MediaError) -> (Int, Int) {
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { throw MediaError("not a JPEG file") }
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { throw MediaError("damaged JPEG: no marker at byte \(i)") }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = be16(b, i + 2)
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard i + 9 <= b.count else { break }
                return (be16(b, i + 7), be16(b, i + 5))
            }
            guard length >= 2 else { throw MediaError("damaged JPEG: bad segment length") }
            i += 2 + length
        }
        throw MediaError("damaged JPEG: no frame header")
    }

    /// RIFF container with a VP8 (lossy), VP8L (lossless) or VP8X (extended) first chunk.
    static func webp(_ b: [UInt8]) throws(MediaError) -> (Int, Int) {
        guard b.count >= 30, b[0..<4].elementsEqual("RIFF".utf8), b[8..<12].elementsEqual("WEBP".utf8)
        else { throw MediaError("not a WebP file") }
        let chunk = String(decoding: b[12..<16], as: UTF8.self)
        switch chunk {
        case "VP8 ":
            guard b[23] == 0x9D, b[24] == 0x01, b[25] == 0x2A else { throw MediaError("damaged WebP (VP8)") }
            return (le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF)
        case "VP8L":
            guard b[20] == 0x2F else { throw MediaError("damaged WebP (VP8L)") }
            let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            return (le24(b, 24) + 1, le24(b, 27) + 1)
        default:
            throw MediaError("unknown WebP chunk '\(chunk)'")
        }
    }

    // MARK: SVG

    /// Width and height from the root element's attributes, else from its viewBox.
    /// Anything that could run or fetch is refused (`SVGCheck`): a medium must be a picture.
    static func svg(_ b: [UInt8]) throws(MediaError) -> (Int, Int) {
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
