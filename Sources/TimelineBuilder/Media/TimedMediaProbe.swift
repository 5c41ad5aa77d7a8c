/// What an audio or video file is, read from its container's own headers: no decoder, no
/// external program. Enough to store the duration and the picture size, and to refuse a
/// file that is not what its name says.
public struct TimedMediaInfo: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case mp4, webm, mp3, m4a, ogg

        public var contentType: String {
            switch self {
            case .mp4: return "video/mp4"
            case .webm: return "video/webm"
            case .mp3: return "audio/mpeg"
            case .m4a: return "audio/mp4"
            case .ogg: return "audio/ogg"
            }
        }

        /// By file extension, case-insensitive: `.opus` and `.oga` are Ogg too.
        public init?(fileExtension: String) {
            switch fileExtension.lowercased() {
            case "mp4", "m4v": self = .mp4
            case "webm": self = .webm
            case "mp3": self = .mp3
            case "m4a", "aac": self = .m4a
            case "ogg", "oga", "opus": self = .ogg
            default: return nil
            }
        }
    }

    public let format: Format
    /// Milliseconds, rounded.
    public let durationMs: Int
    /// The picture's size; nil for sound only.
    public let width: Int?
    public let height: Int?

    public var isVideo: Bool { width != nil }

    /// Reads the headers of `bytes`, named as `format`; throws a curator-readable reason.
    public static func read(_ bytes: [UInt8], as format: Format) throws(MediaError) -> TimedMediaInfo {
        var info: TimedMediaInfo
        switch format {
        case .mp4, .m4a: info = try MP4Reader(bytes).read(format)
        case .webm: info = try WebMReader(bytes).read()
        case .mp3: info = try MP3Reader.read(bytes)
        case .ogg: info = try OggReader.read(bytes)
        }
        guard info.durationMs > 0 else {
            throw MediaError("the \(format.rawValue) file states no usable duration (none, or more than a day)")
        }
        if format == .m4a, info.isVideo { throw MediaError("the file holds video; name it .mp4") }
        if format == .mp4, !info.isVideo { info = TimedMediaInfo(format: .m4a, durationMs: info.durationMs, width: nil, height: nil) }
        return info
    }
}

// MARK: - Bytes

struct ByteCursor {
    let bytes: [UInt8]

    func be(_ offset: Int, _ count: Int) -> UInt64? {
        guard offset >= 0, count <= 8, offset + count <= bytes.count else { return nil }
        var value: UInt64 = 0
        for i in 0..<count { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    func le(_ offset: Int, _ count: Int) -> UInt64? {
        guard offset >= 0, count <= 8, offset + count <= bytes.count else { return nil }
        var value: UInt64 = 0
        for i in (0..<count).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    func text(_ offset: Int, _ count: Int) -> String {
        guard offset >= 0, offset + count <= bytes.count else { return "" }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }
}

/// Milliseconds, or 0 (refused as "no duration") when the header's figures make no sense:
/// a negative, infinite or absurd length (over a day).
func milliseconds(_ units: Double, perSecond: Double) -> Int {
    guard perSecond > 0, units.isFinite, units >= 0 else { return 0 }
    let value = (units / perSecond * 1000).rounded()
    return value <= 86_400_000 ? Int(value) : 0
}

// MARK: - MP4 (ISO base media file format)

/// Boxes: `moov/mvhd` gives the duration, each `trak/tkhd` a size, `mdia/hdlr` its kind.
struct MP4Reader {
    let c: ByteCursor
    init(_ bytes: [UInt8]) { c = ByteCursor(bytes: bytes) }

    /// The boxes directly inside `start..<end`: type, body start, body end.
    func boxes(_ start: Int, _ end: Int) throws(MediaError) -> [(String, Int, Int)] {
        var result: [(String, Int, Int)] = []
        var at = start
        while at + 8 <= end {
            guard var size = c.be(at, 4).map(Int.init) else { break }
            let type = c.text(at + 4, 4)
            var header = 8
            if size == 1 {
                guard let large = c.be(at + 8, 8), large < UInt64(Int.max) else { throw MediaError("damaged MP4: box size") }
                size = Int(large)
                header = 16
            } else if size == 0 {
                size = end - at
            }
            guard size >= header, size <= end - at else { throw MediaError("damaged MP4: box '\(type)' runs past the file") }
            result.append((type, at + header, at + size))
            at += size
        }
        return result
    }

    func read(_ format: TimedMediaInfo.Format) throws(MediaError) -> TimedMediaInfo {
        let top = try boxes(0, c.bytes.count)
        guard top.first?.0 == "ftyp" else { throw MediaError("not an MP4 file: no 'ftyp' box first") }
        guard let moov = top.first(where: { $0.0 == "moov" }) else {
            throw MediaError("the MP4 file has no 'moov' box (an unfinished recording?)")
        }
        var durationMs = 0
        var size: (Int, Int)?
        for (type, start, end) in try boxes(moov.1, moov.2) {
            if type == "mvhd" {
                guard start < end else { throw MediaError("damaged MP4: empty 'mvhd'") }
                let version = c.bytes[start]
                let (scaleAt, durationAt, durationBytes) = version == 1 ? (start + 20, start + 24, 8) : (start + 12, start + 16, 4)
                guard let scale = c.be(scaleAt, 4), let duration = c.be(durationAt, durationBytes) else {
                    throw MediaError("damaged MP4: short 'mvhd'")
                }
                durationMs = milliseconds(Double(duration), perSecond: Double(scale))
            } else if type == "trak" {
                var handler = "", trackSize: (Int, Int) = (0, 0)
                for (inner, s, e) in try boxes(start, end) {
                    if inner == "tkhd" {
                        guard s < e else { throw MediaError("damaged MP4: empty 'tkhd'") }
                        let at = c.bytes[s] == 1 ? s + 88 : s + 76
                        guard at + 8 <= e, let w = c.be(at, 4), let h = c.be(at + 4, 4) else {
                            throw MediaError("damaged MP4: short 'tkhd'")
                        }
                        trackSize = (Int(w >> 16), Int(h >> 16))
                    } else if inner == "mdia" {
                        for (box, hs, _) in try boxes(s, e) where box == "hdlr" { handler = c.text(hs + 8, 4) }
                    }
                }
                if handler == "vide", trackSize.0 > 0, trackSize.1 > 0, size == nil { size = trackSize }
            }
        }
        return TimedMediaInfo(format: format, durationMs: durationMs, width: size?.0, height: size?.1)
    }
}

// MARK: - WebM (Matroska)

/// EBML elements: Segment › Info (TimecodeScale, Duration) and Tracks › TrackEntry › Video
/// (PixelWidth, PixelHeight).
struct WebMReader {
    let c: ByteCursor
    init(_ bytes: [UInt8]) { c = ByteCursor(bytes: bytes) }

    /// A variable-length integer at `at`: its value (marker kept for IDs) and length.
    func vint(_ at: Int, keepMarker: Bool) -> (value: UInt64, length: Int, unknown: Bool)? {
        guard at < c.bytes.count else { return nil }
        let first = c.bytes[at]
        guard first != 0 else { return nil }
        let length = first.leadingZeroBitCount + 1
        guard at + length <= c.bytes.count else { return nil }
        var value = UInt64(keepMarker ? first : first & (0xFF >> length))
        var allOnes = value == UInt64(0xFF >> length)
        for i in 1..<length {
            value = value << 8 | UInt64(c.bytes[at + i])
            allOnes = allOnes && c.bytes[at + i] == 0xFF
        }
        return (value, length, allOnes && !keepMarker)
    }

    /// The elements directly inside `start..<end`: id, body start, body end.
    func elements(_ start: Int, _ end: Int) throws(MediaError) -> [(UInt64, Int, Int)] {
        var result: [(UInt64, Int, Int)] = []
        var at = start
        while at < end {
            guard let id = vint(at, keepMarker: true), let size = vint(at + id.length, keepMarker: false) else {
                throw MediaError("damaged WebM: bad element header at byte \(at)")
            }
            let body = at + id.length + size.length
            // A live recording's Segment or Cluster may not know its size: it runs to the end.
            guard size.unknown || (body <= end && size.value <= UInt64(end - body)) else {
                throw MediaError("damaged WebM: an element runs past the file")
            }
            let bodyEnd = size.unknown ? end : body + Int(size.value)
            result.append((id.value, body, min(bodyEnd, end)))
            at = bodyEnd
        }
        return result
    }

    func read() throws(MediaError) -> TimedMediaInfo {
        let top = try elements(0, c.bytes.count)
        guard let header = top.first, header.0 == 0x1A45DFA3 else { throw MediaError("not a WebM file: no EBML header") }
        for (id, s, e) in try elements(header.1, header.2) where id == 0x4282 {
            let docType = c.text(s, e - s)
            guard docType == "webm" || docType == "matroska" else { throw MediaError("not a WebM file: '\(docType)'") }
        }
        guard let segment = top.first(where: { $0.0 == 0x18538067 }) else { throw MediaError("damaged WebM: no Segment") }
        var scale = 1_000_000.0, duration: Double?
        var size: (Int, Int)?
        for (id, s, e) in try elements(segment.1, segment.2) {
            if id == 0x1549A966 {  // Info
                for (field, fs, fe) in try elements(s, e) {
                    if field == 0x2AD7B1, let value = c.be(fs, fe - fs) { scale = Double(value) }
                    if field == 0x4489 {
                        if fe - fs == 4, let bits = c.be(fs, 4) { duration = Double(Float(bitPattern: UInt32(bits))) }
                        if fe - fs == 8, let bits = c.be(fs, 8) { duration = Double(bitPattern: bits) }
                    }
                }
            } else if id == 0x1654AE6B {  // Tracks
                for (entry, es, ee) in try elements(s, e) where entry == 0xAE {
                    for (field, fs, fe) in try elements(es, ee) where field == 0xE0 && size == nil {
                        var w = 0, h = 0
                        for (v, vs, ve) in try elements(fs, fe) {
                            // Sizes beyond 65535 are not a picture: read as 0, refused below.
                            if v == 0xB0 { w = c.be(vs, ve - vs).flatMap { $0 <= 65535 ? Int($0) : nil } ?? 0 }
                            if v == 0xBA { h = c.be(vs, ve - vs).flatMap { $0 <= 65535 ? Int($0) : nil } ?? 0 }
                        }
                        if w > 0, h > 0 { size = (w, h) }
                    }
                }
            } else if id == 0x1F43B675 {  // Cluster: Info and Tracks come before the first
                break
            }
        }
        guard let duration else { throw MediaError("the WebM file does not state its duration (a live recording? remux it)") }
        return TimedMediaInfo(format: .webm, durationMs: milliseconds(duration * scale, perSecond: 1e9),
                              width: size?.0, height: size?.1)
    }
}

// MARK: - MP3

/// Skips ID3v2, then reads the first frame header; the Xing/Info or VBRI header gives the
/// frame count, else the bit rate gives the duration of a constant-rate file.
enum MP3Reader {
    static let bitrates: [[Int]] = [  // kbit/s by [MPEG-1 ? 0 : 1][index], layer III
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ]
    static let sampleRates = [[44100, 48000, 32000], [22050, 24000, 16000], [11025, 12000, 8000]]

    static func read(_ bytes: [UInt8]) throws(MediaError) -> TimedMediaInfo {
        let c = ByteCursor(bytes: bytes)
        var at = 0
        if c.text(0, 3) == "ID3", bytes.count >= 10 {
            let size = (0..<4).reduce(0) { $0 << 7 | Int(bytes[6 + $1] & 0x7F) }
            at = 10 + size + (bytes[5] & 0x10 != 0 ? 10 : 0)
        }
        // The first frame sync within a few kilobytes of padding.
        var found = false
        let limit = min(bytes.count - 4, at + 64 << 10)
        while at < limit {
            if bytes[at] == 0xFF, bytes[at + 1] & 0xE0 == 0xE0 { found = true; break }
            at += 1
        }
        guard found else { throw MediaError("not an MP3 file: no frame header") }
        let b1 = bytes[at + 1], b2 = bytes[at + 2], b3 = bytes[at + 3]
        let versionBits = (b1 >> 3) & 3, layerBits = (b1 >> 1) & 3
        guard versionBits != 1, layerBits == 1 else { throw MediaError("not an MP3 file: not MPEG audio layer III") }
        let version = versionBits == 3 ? 0 : versionBits == 2 ? 1 : 2  // MPEG-1, 2, 2.5
        let bitrateIndex = Int(b2 >> 4), rateIndex = Int((b2 >> 2) & 3)
        guard bitrateIndex > 0, bitrateIndex < 15, rateIndex < 3 else { throw MediaError("damaged MP3: bad frame header") }
        let sampleRate = sampleRates[version][rateIndex]
        let bitrate = bitrates[version == 0 ? 0 : 1][bitrateIndex] * 1000
        let samplesPerFrame = version == 0 ? 1152 : 576
        let mono = (b3 >> 6) == 3
        let sideInfo = version == 0 ? (mono ? 17 : 32) : (mono ? 9 : 17)
        let xing = at + 4 + sideInfo
        let tag = c.text(xing, 4)
        if tag == "Xing" || tag == "Info", let flags = c.be(xing + 4, 4), flags & 1 != 0, let frames = c.be(xing + 8, 4) {
            return TimedMediaInfo(format: .mp3, durationMs: milliseconds(Double(frames) * Double(samplesPerFrame),
                                                                      perSecond: Double(sampleRate)),
                                  width: nil, height: nil)
        }
        if c.text(at + 36, 4) == "VBRI", let frames = c.be(at + 36 + 14, 4) {
            return TimedMediaInfo(format: .mp3, durationMs: milliseconds(Double(frames) * Double(samplesPerFrame),
                                                                      perSecond: Double(sampleRate)),
                                  width: nil, height: nil)
        }
        let audioBytes = bytes.count - at - (c.text(bytes.count - 128, 3) == "TAG" ? 128 : 0)
        return TimedMediaInfo(format: .mp3, durationMs: milliseconds(Double(audioBytes) * 8, perSecond: Double(bitrate)),
                              width: nil, height: nil)
    }
}

// MARK: - Ogg (Opus, Vorbis)

/// The first packet names the codec and its clock; the last page's granule position is the
/// sample count.
enum OggReader {
    static func read(_ bytes: [UInt8]) throws(MediaError) -> TimedMediaInfo {
        let c = ByteCursor(bytes: bytes)
        guard c.text(0, 4) == "OggS", bytes.count >= 28 else { throw MediaError("not an Ogg file") }
        let segments = Int(bytes[26])
        let packet = 27 + segments
        var rate = 0.0, preSkip = 0.0
        if c.text(packet, 8) == "OpusHead" {
            rate = 48000  // Opus granules count at 48 kHz whatever the input rate
            preSkip = Double(c.le(packet + 10, 2) ?? 0)
        } else if c.text(packet, 7) == "\u{01}vorbis" {
            rate = Double(c.le(packet + 12, 4) ?? 0)
        } else {
            throw MediaError("the Ogg file holds neither Opus nor Vorbis")
        }
        // The last page: search back from the end for its capture pattern.
        var at = bytes.count - 27
        while at >= 0 {
            if bytes[at] == 0x4F, c.text(at, 4) == "OggS", let granule = c.le(at + 6, 8), granule != UInt64.max {
                return TimedMediaInfo(format: .ogg, durationMs: milliseconds(Double(granule) - preSkip, perSecond: rate),
                                      width: nil, height: nil)
            }
            at -= 1
        }
        throw MediaError("damaged Ogg file: no last page")
    }
}
