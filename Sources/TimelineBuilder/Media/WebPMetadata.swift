/// Removes the EXIF, XMP and ICC chunks from a WebP file.
///
/// libvips 8.14's WebP saver writes an EXIF chunk (resolution, orientation) even with
/// `strip`; the pixels are sRGB and upright already, so every metadata chunk can go.
enum WebPMetadata {
    static let dropped: Set<String> = ["EXIF", "XMP ", "ICCP"]

    static func strip(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8)
        else { return bytes }
        var out: [UInt8] = Array(bytes[0..<12])
        var at = 12
        while at + 8 <= bytes.count {
            let name = String(decoding: bytes[at..<at + 4], as: UTF8.self)
            let size = Int(bytes[at + 4]) | Int(bytes[at + 5]) << 8 | Int(bytes[at + 6]) << 16 | Int(bytes[at + 7]) << 24
            let end = at + 8 + size + (size & 1)  // chunks are padded to an even length
            guard end <= bytes.count || at + 8 + size == bytes.count else { return bytes }  // damaged: leave it
            if !dropped.contains(name) {
                var chunk = Array(bytes[at..<min(end, bytes.count)])
                // VP8X flags: ICC 0x20, EXIF 0x08, XMP 0x04.
                if name == "VP8X", chunk.count > 8 { chunk[8] &= ~UInt8(0x20 | 0x08 | 0x04) }
                out += chunk
            }
            at = end
        }
        let riff = out.count - 8
        out[4] = UInt8(riff & 0xFF); out[5] = UInt8(riff >> 8 & 0xFF)
        out[6] = UInt8(riff >> 16 & 0xFF); out[7] = UInt8(riff >> 24 & 0xFF)
        return out
    }
}
