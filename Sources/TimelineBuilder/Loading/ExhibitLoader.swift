import Foundation
import Yams

/// Reads an exhibit folder into an `Exhibit`, reporting every problem it finds.
///
/// Checks as much as it can in one pass: a broken event does not hide the next one's errors.
/// The parts: exhibit.yaml (`+Header`), events/*.md (`+Events`), media/ (`+Media`).
public struct ExhibitLoader: Sendable {
    /// The folder as the curator named it; diagnostics show paths under it.
    public let root: String
    let rootURL: URL

    static var idPattern: Regex<Substring> { /^[a-z0-9][a-z0-9-]*$/ }
    static var colourPattern: Regex<Substring> { /^#[0-9a-fA-F]{6}$/ }

    /// Largest files the loader reads: a mistake (a video named .md, a camera's raw file)
    /// gets an error with the limit instead of gigabytes of memory.
    public struct Limits: Sendable, Equatable {
        /// exhibit.yaml and each event or translation file.
        public var textFileBytes = 256 << 10
        /// Each image file.
        public var mediaFileBytes = 32 << 20
        /// Each audio or video file. The kiosk's server keeps what it sends in a 64 MiB
        /// cache; a larger file would be read from the snapshot for every range request.
        public var timedMediaFileBytes = 48 << 20
        /// Everything read, together.
        public var exhibitBytes = 1 << 30
        /// Pixels of a raster image (width × height): 100 megapixels is a large scan; a
        /// kiosk shows at most 8 (3840×2160).
        public var imagePixels = 100_000_000

        public init() {}

        static func describe(_ bytes: Int) -> String {
            bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : bytes >= 1 << 10 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
        }
    }

    public let limits: Limits

    public init(root: String, limits: Limits = Limits()) {
        self.root = root
        self.rootURL = URL(fileURLWithPath: root, isDirectory: true)
        self.limits = limits
    }

    /// What loading produced: the exhibit when it had no errors, and the files it read.
    public struct Result {
        public let exhibit: Exhibit?
        /// Every file read, by path relative to the exhibit folder, for the content hash.
        public let inputs: [String: InputDigest]
        /// Media files by relative path, with their sizes.
        public let media: [String: MediaFile]
    }

    /// A medium as checked: its kind and size, and the digest of the bytes it had then.
    public struct MediaFile: Sendable {
        public enum Kind: Sendable {
            case image(ImageInfo)
            case timed(TimedMediaInfo)
            /// A WebVTT file for an audio or video medium, in one language.
            case captions(language: String)
        }

        public let path: String
        public let kind: Kind
        public let digest: InputDigest
        /// The file itself, kept only when it is served as it is and small (SVG, captions);
        /// photographs and films are read again when written, so a hundred of them are
        /// never all in memory at once.
        public let bytes: [UInt8]?

        public var image: ImageInfo? { if case .image(let info) = kind { info } else { nil } }
        public var timed: TimedMediaInfo? { if case .timed(let info) = kind { info } else { nil } }
    }

    func display(_ relative: String) -> String {
        root.hasSuffix("/") ? root + relative : root + "/" + relative
    }

    static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
            && !path.contains("\\") && !path.contains("\0")
    }

    enum Reference: String {
        case era, theme, place, person, source
    }

    // MARK: Loading

    public func load(diagnostics: Diagnostics) -> Result {
        let files = InputFiles(loader: self, diagnostics: diagnostics)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.error(.file(root), "no exhibit folder here")
            return Result(exhibit: nil, inputs: [:], media: [:])
        }
        guard FileManager.default.fileExists(atPath: rootURL.appendingPathComponent("exhibit.yaml").path) else {
            diagnostics.error(.file(display("exhibit.yaml")), "missing exhibit.yaml: every exhibit folder needs one")
            return Result(exhibit: nil, inputs: files.read, media: [:])
        }
        var header: Header?
        if let text = files.text("exhibit.yaml"),
           let node = YAMLReader.parse(text, path: display("exhibit.yaml"), lineOffset: 0, diagnostics: diagnostics) {
            header = readHeader(node, diagnostics: diagnostics)
        }
        let languages = header?.languages ?? ["en"]

        var loaded = loadEvents(files, languages: languages, diagnostics: diagnostics)
        if let header {
            // Ids declared with other errors still count, so one mistake is reported once.
            for (kind, id) in loaded.references where !header.declared[kind.rawValue, default: []].contains(id.value) {
                diagnostics.error(id.position, "unknown \(kind.rawValue) '\(id.value)'"
                                      + Suggestions.hint(for: id.value, in: header.declared[kind.rawValue, default: []]))
            }
        }
        // The maps are media too: checked and served like the events' images.
        for (map, position) in header?.mapPositions ?? [] {
            loaded.media.append(Located(value: MediaUse(file: map.file, alt: map.alt, credit: map.credit,
                                                        caption: LocalizedText()), position: position))
        }
        let media = loadMedia(loaded.media, files, languages: header?.languages ?? languages)
        checkAfter(loaded.events, afterPositions: loaded.afterPositions, diagnostics: diagnostics)
        let events = EventOrder.order(loaded.events, afterPositions: loaded.afterPositions, diagnostics: diagnostics)

        guard let header, diagnostics.errorCount == 0 else {
            return Result(exhibit: nil, inputs: files.read, media: media)
        }
        var exhibit = Exhibit(
            id: header.id, title: header.title, subtitle: header.subtitle, languages: header.languages,
            sources: header.sources, credits: header.credits, eras: header.eras, themes: header.themes,
            places: header.places, people: header.people, settings: header.settings, map: header.map, events: events)
        exhibit.insets = header.insets
        return Result(exhibit: exhibit, inputs: files.read, media: media)
    }

    /// `after`: an existing event, not itself, not after an event that starts once it is over.
    func checkAfter(_ events: [Event], afterPositions: [String: SourcePosition], diagnostics: Diagnostics) {
        let eventsByID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for event in events {
            guard let anchor = event.after, let position = afterPositions[event.id] else { continue }
            if anchor == event.id {
                diagnostics.error(position, "event '\(event.id)' cannot come after itself")
            } else if let other = eventsByID[anchor] {
                let last = event.end ?? event.start
                if other.start.startKey > last.endKey {
                    diagnostics.error(position, "event '\(event.id)' (\(last)) cannot come after '\(anchor)', "
                                          + "which starts later (\(other.start))")
                }
            } else {
                diagnostics.error(position, "unknown event '\(anchor)' in 'after'"
                                      + Suggestions.hint(for: anchor, in: eventsByID.keys.sorted()))
            }
        }
    }
}

/// The files one load reads, within the loader's limits, kept for the content hash.
///
/// Not `Sendable`: one load's scratch state, used on one thread.
final class InputFiles {
    let loader: ExhibitLoader
    let diagnostics: Diagnostics
    /// Every file read, by path relative to the exhibit folder.
    private(set) var read: [String: InputDigest] = [:]
    /// Bytes read so far, against `Limits.exhibitBytes`.
    private var total = 0

    init(loader: ExhibitLoader, diagnostics: Diagnostics) {
        self.loader = loader
        self.diagnostics = diagnostics
    }

    /// A text file as a string, or nil with the problem reported at the file.
    func text(_ relative: String) -> String? {
        let display = loader.display(relative)
        var refused = false
        let data = bytes(relative, limit: loader.limits.textFileBytes, option: "--max-text-kb") {
            diagnostics.error(.file(display), $0)
            refused = true
        }
        guard let data else {
            if !refused { diagnostics.error(.file(display), "cannot read the file") }
            return nil
        }
        return SourceText.decode(data, display: display, diagnostics: diagnostics)
    }

    /// Reads `relative` unless it is larger than `limit` or would take the exhibit past its
    /// total (`refuse` hears why); the size is looked up before anything is read. Nil
    /// without a call to `refuse` when the file is missing or unreadable.
    func bytes(_ relative: String, limit: Int, option: String, refuse: (String) -> Void) -> [UInt8]? {
        let url = loader.rootURL.appendingPathComponent(relative)
        let limits = loader.limits
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int {
            guard size <= limit else {
                refuse("the file is \(ExhibitLoader.Limits.describe(size)); the limit is "
                           + "\(ExhibitLoader.Limits.describe(limit)) (\(option))")
                return nil
            }
            guard total + size <= limits.exhibitBytes else {
                refuse("the exhibit passes \(ExhibitLoader.Limits.describe(limits.exhibitBytes)) with this file "
                           + "(--max-exhibit-mb)")
                return nil
            }
        }
        guard let data = try? Data(contentsOf: url) else { return nil }
        total += data.count
        let bytes = Array(data)
        read[relative] = InputDigest(bytes)
        return bytes
    }
}

/// A file's size and SHA-256: what the content hash covers.
public struct InputDigest: Sendable, Equatable {
    public let size: Int
    public let sha256: String

    public init(_ bytes: [UInt8]) {
        size = bytes.count
        sha256 = Digest.sha256Hex(bytes)
    }
}
