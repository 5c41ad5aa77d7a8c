import CVips

/// A libvips image, released when the last reference goes.
///
/// Not `Sendable`: libvips images may be shared between threads, but each of these is made
/// and dropped within one derivation.
final class VipsImageRef {
    let pointer: UnsafeMutablePointer<VipsImage>

    init?(_ pointer: UnsafeMutablePointer<VipsImage>?) {
        guard let pointer else { return nil }
        self.pointer = pointer
    }

    deinit { g_object_unref(pointer) }

    var width: Int { Int(vips_image_get_width(pointer)) }
    var height: Int { Int(vips_image_get_height(pointer)) }
}

/// Raster images through libvips: what a source file is, and the files made from it.
public enum RasterImage {
    /// libvips starts once per process; nil when it could not (the reason is in `startError`).
    private static let started: Bool = cvips_start("timeline-build") == 0

    /// What libvips reported for the last failed call on this thread, on one line.
    static func lastError() -> String {
        let text = String(cString: vips_error_buffer())
        vips_error_clear()
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "no reason given"
        // "VipsJpeg: Premature end of input file" → "Premature end of input file"
        return line.replacing(#/^Vips[A-Za-z]*: /#, with: "")
    }

    /// Source formats a curator may use: the camera's, the scanner's and the web's.
    /// Keyed by libvips's loader class without `VipsForeignLoad` and `Buffer`, lower-cased.
    static let loaders: [String: ImageInfo.Format] = ["jpeg": .jpeg, "png": .png, "webp": .webp, "tiff": .tiff,
                                                      "heif": .heif]

    /// A source's format and its size once turned upright by its EXIF orientation; only the
    /// header is read.
    static func inspect(_ bytes: [UInt8]) throws(MediaError) -> (info: ImageInfo, orientation: Int) {
        guard started else { throw MediaError("libvips did not start: \(lastError())") }
        let result: Result<(ImageInfo, Int), MediaError> = bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress, count = buffer.count
            // "VipsForeignLoadJpegBuffer" → "jpeg"
            guard let loader = cvips_loader(base, count).map({ String(cString: $0) }) else {
                vips_error_clear()
                return .failure(MediaError("not an image libvips can read"))
            }
            let name = loader.replacingOccurrences(of: "VipsForeignLoad", with: "")
                .replacingOccurrences(of: "Buffer", with: "").lowercased()
            guard let format = loaders[name] else {
                return .failure(MediaError("not a JPEG, PNG, WebP, TIFF or HEIF image"))
            }
            guard let image = VipsImageRef(cvips_header(base, count)) else {
                let reason = lastError()
                return .failure(MediaError("damaged or incomplete image" + (reason == "no reason given" ? "" : ": \(reason)")))
            }
            let orientation = Int(cvips_orientation(image.pointer))
            // Orientations 5 to 8 turn the picture a quarter: width and height swap.
            let (w, h) = (5...8).contains(orientation) ? (image.height, image.width) : (image.width, image.height)
            return .success((ImageInfo(format: format, width: w, height: h), orientation))
        }
        return try result.get()
    }

    /// Decodes the whole image at a small size (JPEG shrinks while it decodes), so a file cut
    /// short or damaged is found when the exhibit is checked, not first when it is built.
    static func checkDecodes(_ bytes: [UInt8]) throws(MediaError) {
        guard started else { throw MediaError("libvips did not start: \(lastError())") }
        guard VipsImageRef(bytes.withUnsafeBytes { cvips_upright($0.baseAddress, $0.count, 64) }) != nil else {
            throw MediaError("cannot decode the image: \(lastError())")
        }
    }

    /// Files made from one source, largest first, in the order of `plan.variants`.
    static func derive(_ bytes: [UInt8], plan: ImagePlan) throws(MediaError) -> [[UInt8]] {
        guard started else { throw MediaError("libvips did not start: \(lastError())") }
        guard let largest = plan.widths.first else { return [] }
        let upright = VipsImageRef(bytes.withUnsafeBytes { cvips_upright($0.baseAddress, $0.count, Int32(largest)) })
        guard let upright else { throw MediaError("cannot decode the image: \(lastError())") }
        var files: [[UInt8]] = []
        // One width at a time, each encoded in every format, then let go: only the upright
        // source and one smaller copy are in memory at once.
        for width in plan.widths {
            guard let image = width == largest ? upright : VipsImageRef(cvips_resize(upright.pointer, Int32(width))) else {
                throw MediaError("cannot resize the image to \(width) pixels: \(lastError())")
            }
            for variant in plan.variants where variant.width == width {
                files.append(try encode(image, variant))
            }
        }
        return files
    }

    /// One pixel's values (R, G, B and alpha when there is one) of an encoded image: what
    /// the tests look at.
    static func pixel(_ bytes: [UInt8], x: Int, y: Int) -> [Double]? {
        guard started else { return nil }
        var values = [Double](repeating: 0, count: 4)
        var bands: Int32 = 0
        let status = bytes.withUnsafeBytes { buffer in
            values.withUnsafeMutableBufferPointer {
                cvips_pixel(buffer.baseAddress, buffer.count, Int32(x), Int32(y), $0.baseAddress, &bands)
            }
        }
        vips_error_clear()
        return status == 0 ? Array(values.prefix(Int(bands))) : nil
    }

    /// One variant's bytes. JPEG has no transparency: it is flattened onto white.
    private static func encode(_ image: VipsImageRef, _ variant: ImagePlan.Variant) throws(MediaError) -> [UInt8] {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let status: Int32
        switch variant.format {
        case .jpeg:
            guard let flat = VipsImageRef(cvips_flatten(image.pointer, 255, 255, 255)) else {
                throw MediaError("cannot flatten the image: \(lastError())")
            }
            status = cvips_jpeg(flat.pointer, Int32(ImagePlan.quality.jpeg), &buffer, &length)
        case .webp: status = cvips_webp(image.pointer, Int32(ImagePlan.quality.webp), &buffer, &length)
        case .avif: status = cvips_avif(image.pointer, Int32(ImagePlan.quality.avif), Int32(ImagePlan.avifEffort),
                                        &buffer, &length)
        }
        guard status == 0, let buffer else {
            throw MediaError("cannot write \(variant.format.rawValue.uppercased()) at \(variant.width) pixels: \(lastError())")
        }
        let encoded = Array(UnsafeRawBufferPointer(start: buffer, count: length))
        g_free(buffer)
        return variant.format == .webp ? WebPMetadata.strip(encoded) : encoded
    }

    /// Gives freed memory back to the system (after each batch of sources).
    static func releaseMemory() { cvips_release_memory() }

    /// Whether this libvips can write AVIF (libheif with an AV1 encoder): tried once on a
    /// tiny image, since Debian 13 ships the encoder as a separate plugin.
    static let canWriteAVIF: Bool = {
        guard started, let black = VipsImageRef(cvips_black(16, 16, 3)) else { return false }
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let ok = cvips_avif(black.pointer, 50, 0, &buffer, &length) == 0 && buffer != nil
        g_free(buffer)
        vips_error_clear()
        return ok
    }()
}
