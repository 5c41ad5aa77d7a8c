import Foundation
import Yams

/// Reads an exhibit folder into an `Exhibit`, reporting every problem it finds.
///
/// Checks as much as it can in one pass: a broken event does not hide the next one's errors.
public struct ExhibitLoader {
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
        /// Each media file.
        public var mediaFileBytes = 32 << 20
        /// Everything read, together.
        public var exhibitBytes = 1 << 30

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

    /// Reads `relative` unless it is larger than `limit` or would take the exhibit past its
    /// total; the size is looked up before anything is read.
    func readLimited(_ relative: String, limit: Int, option: String, total: inout Int,
                     report: (String) -> Void) -> Data? {
        let url = rootURL.appendingPathComponent(relative)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int else {
            return try? Data(contentsOf: url)  // the caller reports the missing file
        }
        guard size <= limit else {
            report("the file is \(Limits.describe(size)); the limit is \(Limits.describe(limit)) (\(option))")
            return nil
        }
        guard total + size <= limits.exhibitBytes else {
            report("the exhibit passes \(Limits.describe(limits.exhibitBytes)) with this file (--max-exhibit-mb)")
            return nil
        }
        total += size
        return try? Data(contentsOf: url)
    }

    /// What loading produced: the exhibit when it had no errors, and the files it read.
    public struct Result {
        public let exhibit: Exhibit?
        /// Every file read, by path relative to the exhibit folder, for the content hash.
        public let inputs: [String: [UInt8]]
        /// Media files by relative path, with their sizes.
        public let media: [String: MediaFile]
    }

    public struct MediaFile: Sendable {
        public let path: String
        public let bytes: [UInt8]
        public let info: ImageInfo
    }

    func display(_ relative: String) -> String {
        root.hasSuffix("/") ? root + relative : root + "/" + relative
    }

    // MARK: Loading

    public func load(diagnostics: Diagnostics) -> Result {
        var inputs: [String: [UInt8]] = [:]
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.error(.file(root), "no exhibit folder here")
            return Result(exhibit: nil, inputs: [:], media: [:])
        }

        var total = 0
        func readText(_ relative: String) -> String? {
            var refused = false
            let data = readLimited(relative, limit: limits.textFileBytes, option: "--max-text-kb", total: &total) {
                diagnostics.error(.file(display(relative)), $0)
                refused = true
            }
            guard let data else {
                if !refused { diagnostics.error(.file(display(relative)), "cannot read the file") }
                return nil
            }
            inputs[relative] = Array(data)
            return SourceText.decode(Array(data), display: display(relative), diagnostics: diagnostics)
        }

        // exhibit.yaml
        guard FileManager.default.fileExists(atPath: rootURL.appendingPathComponent("exhibit.yaml").path) else {
            diagnostics.error(.file(display("exhibit.yaml")), "missing exhibit.yaml: every exhibit folder needs one")
            return Result(exhibit: nil, inputs: inputs, media: [:])
        }
        var header: Header?
        if let text = readText("exhibit.yaml"),
           let node = YAMLReader.parse(text, path: display("exhibit.yaml"), lineOffset: 0, diagnostics: diagnostics) {
            header = readHeader(node, diagnostics: diagnostics)
        }
        let languages = header?.languages ?? ["en"]

        // events/
        var events: [Event] = []
        var eventPositions: [String: Located<String>] = [:]
        var afterPositions: [String: SourcePosition] = [:]
        var mediaUses: [Located<MediaUse>] = []
        var references: [(kind: Reference, id: Located<String>)] = []
        let files = eventFiles(diagnostics: diagnostics)
        let mainStems = Set(files.main)
        for stem in files.main {
            let relative = "events/\(stem).md"
            guard let text = readText(relative) else { continue }
            guard let parsed = readEvent(text, stem: stem, relative: relative, languages: languages,
                                         diagnostics: diagnostics)
            else { continue }
            references += parsed.references
            mediaUses += parsed.media
            guard var event = parsed.event else { continue }
            if let after = parsed.afterPosition { afterPositions[event.id] = after }
            if let earlier = eventPositions[event.id] {
                diagnostics.error(parsed.idPosition, "duplicate event id '\(event.id)'; first used at \(earlier.position)")
            } else {
                eventPositions[event.id] = Located(value: event.id, position: parsed.idPosition)
            }
            for language in languages.dropFirst() {
                let siblingPath = "events/\(stem).\(language).md"
                guard files.siblings.contains(where: { $0.stem == stem && $0.language == language }) else {
                    diagnostics.warning(.file(display(relative)),
                                        "event '\(event.id)' has no '\(language)' text; add \(siblingPath)")
                    continue
                }
                guard let siblingText = readText(siblingPath),
                      let translation = readTranslation(siblingText, relative: siblingPath, languages: languages,
                                                        diagnostics: diagnostics)
                else { continue }
                event.text[language] = translation
            }
            events.append(event)
        }
        for sibling in files.siblings {
            let relative = "events/\(sibling.stem).\(sibling.language).md"
            if !languages.contains(sibling.language) {
                diagnostics.error(.file(display(relative)),
                                  "language '\(sibling.language)' is not declared in exhibit.yaml"
                                      + Suggestions.hint(for: sibling.language, in: languages))
            } else if !mainStems.contains(sibling.stem) {
                diagnostics.error(.file(display(relative)),
                                  "translation of an event that does not exist: no events/\(sibling.stem).md"
                                      + Suggestions.hint(for: sibling.stem, in: mainStems))
            } else if sibling.language == languages.first {
                diagnostics.error(.file(display(relative)),
                                  "'\(sibling.language)' is the default language: its text belongs in events/\(sibling.stem).md")
            }
        }

        // References from events to exhibit.yaml
        if let header {
            // Ids declared with other errors still count, so one mistake is reported once.
            for (kind, id) in references where !header.declared[kind.rawValue, default: []].contains(id.value) {
                diagnostics.error(id.position, "unknown \(kind.rawValue) '\(id.value)'"
                                      + Suggestions.hint(for: id.value, in: header.declared[kind.rawValue, default: []]))
            }
        }

        // The maps are media too: checked and served like the events' images.
        for (map, position) in header?.mapPositions ?? [] {
            mediaUses.append(Located(value: MediaUse(file: map.file, alt: map.alt, credit: map.credit,
                                                     caption: LocalizedText()), position: position))
        }

        // media/
        var media: [String: MediaFile] = [:]
        for use in mediaUses {
            let file = use.value.file
            if media[file] != nil { continue }
            guard Self.isSafeRelativePath(file) else {
                diagnostics.error(use.position, "media file '\(file)' must be a path inside the exhibit folder")
                continue
            }
            let ext = (file as NSString).pathExtension
            guard let format = ImageInfo.Format(fileExtension: ext) else {
                diagnostics.error(use.position, "media file '\(file)' is not JPEG, PNG, WebP or SVG")
                continue
            }
            var refused = false
            let read = readLimited(file, limit: limits.mediaFileBytes, option: "--max-media-mb", total: &total) {
                diagnostics.error(use.position, "media file '\(file)': \($0)")
                refused = true
            }
            guard let data = read else {
                if !refused { diagnostics.error(use.position, "media file '\(file)' not found in \(root)") }
                continue
            }
            do {
                let info = try ImageInfo.read(Array(data), as: format)
                media[file] = MediaFile(path: file, bytes: Array(data), info: info)
                inputs[file] = Array(data)
            } catch {
                diagnostics.error(use.position, "media file '\(file)': \(error)")
            }
        }

        // `after`: an existing event, not itself, not after an event that starts once it is over.
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
        events = EventOrder.order(events, afterPositions: afterPositions, diagnostics: diagnostics)

        guard let header, diagnostics.errorCount == 0 else {
            return Result(exhibit: nil, inputs: inputs, media: media)
        }
        var exhibit = Exhibit(
            id: header.id, title: header.title, subtitle: header.subtitle, languages: header.languages,
            sources: header.sources, credits: header.credits, eras: header.eras, themes: header.themes,
            places: header.places, people: header.people, settings: header.settings, map: header.map, events: events)
        exhibit.insets = header.insets
        return Result(exhibit: exhibit, inputs: inputs, media: media)
    }

    enum Reference: String {
        case era, theme, place, person, source
    }

    static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
            && !path.contains("\\") && !path.contains("\0")
    }

    // MARK: Files

    struct EventFiles {
        var main: [String] = []
        var siblings: [(stem: String, language: String)] = []
    }

    /// `events/*.md`, sorted by name: `x.md` is an event, `x.LANG.md` a translation of it.
    func eventFiles(diagnostics: Diagnostics) -> EventFiles {
        var files = EventFiles()
        let directory = rootURL.appendingPathComponent("events")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            diagnostics.error(.file(display("events")), "missing events/ folder: an exhibit needs at least one event")
            return files
        }
        for name in names.sorted() where name.hasSuffix(".md") && !name.hasPrefix(".") {
            let stem = String(name.dropLast(3))
            if let dot = stem.lastIndex(of: ".") {
                files.siblings.append((String(stem[..<dot]), String(stem[stem.index(after: dot)...])))
            } else {
                files.main.append(stem)
            }
        }
        if files.main.isEmpty {
            diagnostics.error(.file(display("events")), "no events: add events/NAME.md files")
        }
        return files
    }
}

// MARK: - exhibit.yaml

extension ExhibitLoader {
    /// What `exhibit.yaml` declares.
    struct Header {
        var id: String
        var title: LocalizedText
        var subtitle: LocalizedText
        var languages: [String]
        var sources: [Source] = []
        var credits = LocalizedText()
        var eras: [Era] = []
        var themes: [Theme] = []
        var places: [Place] = []
        var people: [Person] = []
        var settings = Exhibit.Settings()
        var map: ExhibitMap?
        var insets: [ExhibitMap] = []
        /// Every map's file and where it was named, to check it as a medium.
        var mapPositions: [(ExhibitMap, SourcePosition)] = []
        /// Every id declared, by kind ("era", "place", …), valid or not.
        var declared: [String: [String]] = [:]
    }

    static let headerKeys = ["id", "title", "subtitle", "languages", "sources", "credits", "eras", "themes",
                             "places", "people", "map", "insets", "settings"]

    func readHeader(_ node: Node, diagnostics: Diagnostics) -> Header? {
        let path = display("exhibit.yaml")
        // Languages first: every localized text is read against them.
        var languages: [String] = []
        if case .mapping(let mapping) = node, let languagesNode = mapping["languages"] {
            let probe = YAMLReader(path: path, lineOffset: 0, languages: ["en"], diagnostics: diagnostics)
            if case .sequence(let list) = languagesNode {
                for item in list {
                    guard let code = probe.string(item, "languages") else { continue }
                    if code.value.wholeMatch(of: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/) == nil {
                        probe.error(item, "'\(code.value)' is not a language code such as en or ar")
                    } else if languages.contains(code.value) {
                        probe.error(item, "language '\(code.value)' is declared twice")
                    } else {
                        languages.append(code.value)
                    }
                }
                if list.isEmpty { probe.error(languagesNode, "'languages' must name at least one language") }
            } else {
                probe.error(languagesNode, "'languages' must be a list such as [en, ar]")
            }
        }
        let reader = YAMLReader(path: path, lineOffset: 0, languages: languages.isEmpty ? ["en"] : languages,
                                diagnostics: diagnostics)
        guard let fields = reader.fields(node, "exhibit.yaml", allowed: Self.headerKeys) else { return nil }
        _ = fields.require("languages")
        let id = fields.string("id", required: true)
        if let id { checkID(id, "exhibit", reader) }
        let title = fields.localized("title", required: true)
        reader.checkLanguages(title, "the exhibit title")
        let subtitle = fields.localized("subtitle")
        reader.checkLanguages(subtitle, "the exhibit subtitle")
        var header = Header(id: id?.value ?? "", title: title?.value ?? LocalizedText(),
                            subtitle: subtitle?.value ?? LocalizedText(), languages: reader.languages)
        if let credits = fields.localized("credits") {
            reader.checkLanguages(credits, "the credits")
            header.credits = credits.value
        }

        var ids = IDRegistry()
        for item in fields.list("sources") {
            guard let f = reader.fields(item, "a source", allowed: ["id", "title", "author", "publication", "publisher",
                                                                    "date", "url", "note"]),
                  let id = f.string("id", required: true) else { continue }
            checkID(id, "source", reader)
            ids.register(id, "source", diagnostics)
            let title = f.localized("title", required: true)
            reader.checkLanguages(title, "source '\(id.value)'")
            let note = f.localized("note")
            reader.checkLanguages(note, "the note of source '\(id.value)'")
            header.sources.append(Source(id: id.value, title: title?.value ?? LocalizedText(),
                                         author: f.string("author")?.value, publisher: f.string("publisher")?.value,
                                         publication: f.string("publication")?.value,
                                         date: f.date("date")?.value, url: f.string("url")?.value,
                                         note: note?.value ?? LocalizedText()))
        }
        for item in fields.list("eras") {
            guard let f = reader.fields(item, "an era", allowed: ["id", "title", "description", "start", "end", "colour"]),
                  let id = f.string("id", required: true) else { continue }
            checkID(id, "era", reader)
            ids.register(id, "era", diagnostics)
            let title = f.localized("title", required: true)
            reader.checkLanguages(title, "era '\(id.value)'")
            let description = f.localized("description")
            reader.checkLanguages(description, "the description of era '\(id.value)'")
            let start = f.date("start", required: true)
            let end = f.date("end", required: true)
            if let start, let end { checkRange(start, end, reader) }
            let colour = f.string("colour", required: true)
            if let colour, colour.value.wholeMatch(of: Self.colourPattern) == nil {
                diagnostics.error(colour.position, "colour '\(colour.value)' must be #rrggbb, e.g. #8a3b12")
            }
            guard let start, let end, let colour else { continue }
            header.eras.append(Era(id: id.value, title: title?.value ?? LocalizedText(),
                                   description: description?.value ?? LocalizedText(),
                                   start: start.value, end: end.value, colour: colour.value.lowercased()))
        }
        for item in fields.list("themes") {
            guard let f = reader.fields(item, "a theme", allowed: ["id", "title", "description"]),
                  let id = f.string("id", required: true) else { continue }
            checkID(id, "theme", reader)
            ids.register(id, "theme", diagnostics)
            let title = f.localized("title", required: true)
            reader.checkLanguages(title, "theme '\(id.value)'")
            let description = f.localized("description")
            reader.checkLanguages(description, "the description of theme '\(id.value)'")
            header.themes.append(Theme(id: id.value, title: title?.value ?? LocalizedText(),
                                       description: description?.value ?? LocalizedText()))
        }
        var placeMaps: [(place: String, map: Located<String>)] = []
        for item in fields.list("places") {
            guard let f = reader.fields(item, "a place", allowed: ["id", "name", "latitude", "longitude", "description",
                                                                   "pin", "map"]),
                  let id = f.string("id", required: true) else { continue }
            checkID(id, "place", reader)
            ids.register(id, "place", diagnostics)
            let name = f.localized("name", required: true)
            reader.checkLanguages(name, "place '\(id.value)'")
            let description = f.localized("description")
            reader.checkLanguages(description, "the description of place '\(id.value)'")
            // A region may have no coordinates at all; a point needs both.
            let hasLatitude = f.has("latitude"), hasLongitude = f.has("longitude")
            if hasLatitude != hasLongitude {
                reader.error(item, "place '\(id.value)' has \(hasLatitude ? "a latitude but no longitude" : "a longitude but no latitude"); "
                                 + "give both, or neither for a region without a pin")
            }
            let latitude = f.number("latitude", in: -90...90)
            let longitude = f.number("longitude", in: -180...180)
            if (hasLatitude && latitude == nil) || (hasLongitude && longitude == nil) { continue }
            let pin = f.bool("pin") ?? true
            let map = f.string("map")
            if let map {
                if !pin {
                    diagnostics.error(map.position, "place '\(id.value)' has 'pin: false', so it is on no map; remove 'map'")
                } else if !hasLatitude && !hasLongitude {
                    diagnostics.error(map.position, "place '\(id.value)' has no coordinates to pin on map '\(map.value)'")
                } else if hasLatitude && hasLongitude {
                    placeMaps.append((id.value, map))
                }
            }
            header.places.append(Place(id: id.value, name: name?.value ?? LocalizedText(), latitude: latitude,
                                       longitude: longitude, description: description?.value ?? LocalizedText(),
                                       pin: pin, map: map?.value))
        }
        for item in fields.list("people") {
            guard let f = reader.fields(item, "a person", allowed: ["id", "name", "role"]),
                  let id = f.string("id", required: true) else { continue }
            checkID(id, "person", reader)
            ids.register(id, "person", diagnostics)
            let name = f.localized("name", required: true)
            reader.checkLanguages(name, "person '\(id.value)'")
            let role = f.localized("role", required: true)
            reader.checkLanguages(role, "the role of person '\(id.value)'")
            header.people.append(Person(id: id.value, name: name?.value ?? LocalizedText(),
                                        role: role?.value ?? LocalizedText()))
        }
        if let mapNode = fields["map"], let (map, position) = readMap(mapNode, inset: false, reader) {
            header.map = map
            header.mapPositions.append((map, position))
        }
        for item in fields.list("insets") {
            guard let (inset, position) = readMap(item, inset: true, reader) else { continue }
            ids.register(Located(value: inset.id, position: position), "inset", diagnostics)
            if inset.id == ExhibitMap.mainID {
                diagnostics.error(position, "'\(ExhibitMap.mainID)' is the main map's id; name the inset after what it shows")
            }
            header.insets.append(inset)
            header.mapPositions.append((inset, position))
        }
        for (placeID, map) in placeMaps {
            guard let inset = header.insets.first(where: { $0.id == map.value }) else {
                diagnostics.error(map.position, "unknown inset '\(map.value)' for place '\(placeID)'"
                                      + Suggestions.hint(for: map.value, in: header.insets.map(\.id)))
                continue
            }
            if let place = header.places.first(where: { $0.id == placeID }), let at = place.coordinates,
               inset.position(latitude: at.latitude, longitude: at.longitude) == nil {
                diagnostics.error(map.position, "place '\(placeID)' (\(at.latitude), \(at.longitude)) lies outside "
                                      + "the edges of inset '\(inset.id)'")
            }
        }
        if let settingsNode = fields["settings"],
           let f = reader.fields(settingsNode, "settings", allowed: ["idle_timeout", "attract_loop"]) {
            if let timeout = f.number("idle_timeout", in: 10...3600) { header.settings.idleTimeout = Int(timeout) }
            if let loop = f.bool("attract_loop") { header.settings.attractLoop = loop }
        }
        header.declared = ids.declared
        return header
    }

    /// The main map (`inset: false`) or an inset: an image and the edges it shows.
    func readMap(_ node: Node, inset: Bool, _ reader: YAMLReader) -> (ExhibitMap, SourcePosition)? {
        let what = inset ? "an inset" : "the map"
        let keys = ["file", "alt", "credit", "west", "east", "north", "south"] + (inset ? ["id", "title"] : [])
        guard let f = reader.fields(node, what, allowed: keys) else { return nil }
        var id: Located<String>?
        var title: Located<LocalizedText>?
        if inset {
            id = f.string("id", required: true)
            if let id { checkID(id, "inset", reader) }
            title = f.localized("title", required: true)
            reader.checkLanguages(title, "the title of inset '\(id?.value ?? "")'")
        }
        let file = f.string("file", required: true)
        let alt = f.localized("alt", required: true)
        reader.checkLanguages(alt, "the alt text of \(what)")
        let credit = f.localized("credit")
        reader.checkLanguages(credit, "the credit of \(what)")
        let west = f.number("west", required: true, in: -180...180), east = f.number("east", required: true, in: -180...180)
        let north = f.number("north", required: true, in: -90...90), south = f.number("south", required: true, in: -90...90)
        if let west, let east, west >= east { reader.error(node, "the west edge of \(what) must be less than its east edge") }
        if let north, let south, south >= north { reader.error(node, "the south edge of \(what) must be less than its north edge") }
        guard let file, let alt, let west, let east, let north, let south, !inset || (id != nil && title != nil)
        else { return nil }
        var map = ExhibitMap(file: file.value, alt: alt.value, west: west, east: east, north: north, south: south)
        map.credit = credit?.value ?? LocalizedText()
        if let id, let title {
            map.id = id.value
            map.title = title.value
        }
        return (map, id?.position ?? file.position)
    }

    /// Ids are unique per kind.
    struct IDRegistry {
        var seen: [String: SourcePosition] = [:]
        var declared: [String: [String]] = [:]

        mutating func register(_ id: Located<String>, _ kind: String, _ diagnostics: Diagnostics) {
            let key = kind + "\u{0}" + id.value
            declared[kind, default: []].append(id.value)
            if let first = seen[key] {
                diagnostics.error(id.position, "duplicate \(kind) id '\(id.value)'; first declared at \(first)")
            } else {
                seen[key] = id.position
            }
        }
    }

    func checkID(_ id: Located<String>, _ kind: String, _ reader: YAMLReader) {
        if id.value.wholeMatch(of: Self.idPattern) == nil {
            reader.diagnostics.error(id.position,
                                     "\(kind) id '\(id.value)' may hold only lower-case letters, digits and '-'")
        }
    }

    func checkRange(_ start: Located<ExhibitDate>, _ end: Located<ExhibitDate>, _ reader: YAMLReader) {
        if end.value.endKey < start.value.startKey {
            reader.diagnostics.error(end.position, "end \(end.value) is before the start \(start.value)")
        }
    }
}

// MARK: - events/*.md

extension ExhibitLoader {
    static let eventKeys = ["id", "title", "summary", "date", "end", "sort", "after", "circa", "display_date", "eras",
                            "themes", "places", "people", "media", "sources", "highlight"]
    static let translationKeys = ["title", "summary", "display_date"]

    struct ParsedEvent {
        /// Nil when a required field is missing or invalid; references are still checked.
        var event: Event?
        var idPosition: SourcePosition
        /// Where `after` was written, to point at it when it names no event or makes a cycle.
        var afterPosition: SourcePosition?
        var references: [(kind: Reference, id: Located<String>)]
        var media: [Located<MediaUse>]
    }

    /// The front matter's fields (only `allowed` keys) and the Markdown body of an event file.
    func frontMatter(_ text: String, relative: String, what: String, allowed: [String], languages: [String],
                     diagnostics: Diagnostics) -> (fields: YAMLReader.Fields, reader: YAMLReader, body: String)? {
        let path = display(relative)
        guard let split = SourceText.frontMatter(text, path: path, diagnostics: diagnostics),
              let node = YAMLReader.parse(split.yaml, path: path, lineOffset: split.yamlLineOffset,
                                          diagnostics: diagnostics)
        else { return nil }
        let reader = YAMLReader(path: path, lineOffset: split.yamlLineOffset, languages: languages,
                                diagnostics: diagnostics)
        guard let fields = reader.fields(node, what, allowed: allowed) else { return nil }
        return (fields, reader, split.body)
    }

    /// Checks one event file's bytes as an event and as a translation (English and Arabic
    /// declared): the loader's text path without a folder, for fuzzing (`make fuzz`).
    public static func checkEventFile(_ bytes: [UInt8]) -> [Diagnostic] {
        let diagnostics = Diagnostics()
        let loader = ExhibitLoader(root: "fuzz")
        if let text = SourceText.decode(bytes, display: "fuzz/events/e.md", diagnostics: diagnostics) {
            _ = loader.readEvent(text, stem: "e", relative: "events/e.md", languages: ["en", "ar"], diagnostics: diagnostics)
            _ = loader.readTranslation(text, relative: "events/e.ar.md", languages: ["en", "ar"], diagnostics: diagnostics)
        }
        return diagnostics.sorted
    }

    func readEvent(_ text: String, stem: String, relative: String, languages: [String],
                   diagnostics: Diagnostics) -> ParsedEvent? {
        let path = display(relative)
        guard let (f, reader, body) = frontMatter(text, relative: relative, what: "an event's front matter",
                                                  allowed: Self.eventKeys, languages: languages,
                                                  diagnostics: diagnostics)
        else { return nil }

        let explicitID = f.string("id")
        let id = explicitID ?? Located(value: stem, position: .file(path))
        checkID(id, "event", reader)
        let title = f.string("title", required: true)
        let summary = f.string("summary", required: true)
        for field in [title, summary].compactMap({ $0 }) where field.value.trimmingCharacters(in: " ").isEmpty {
            diagnostics.error(field.position, "text must not be empty")
        }
        let start = f.date("date", required: true)
        let end = f.date("end")
        if let start, let end { checkRange(start, end, reader) }
        // `sort` places the event within its own dates; `after` places it behind another event.
        let sort = f.date("sort")
        let after = f.string("after")
        if let after { checkID(after, "event", reader) }
        if let sort, after != nil {
            diagnostics.error(sort.position, "give either 'sort' or 'after', not both")
        }
        if let sort, let start {
            let last = end?.value ?? start.value
            if sort.value.startKey < start.value.startKey || sort.value.endKey > last.endKey {
                let span = end.map { "\(start.value) – \($0.value)" } ?? "\(start.value)"
                diagnostics.error(sort.position, "sort date \(sort.value) lies outside the event's dates (\(span))")
            }
        }

        var references: [(Reference, Located<String>)] = []
        let eras = f.ids("eras"), themes = f.ids("themes"), places = f.ids("places")
        let people = f.ids("people"), sources = f.ids("sources")
        for (kind, list) in [(Reference.era, eras), (.theme, themes), (.place, places), (.person, people),
                             (.source, sources)] {
            var seen = Set<String>()
            for item in list {
                if !seen.insert(item.value).inserted {
                    diagnostics.error(item.position, "\(kind.rawValue) '\(item.value)' is listed twice")
                }
                references.append((kind, item))
            }
        }

        var media: [Located<MediaUse>] = []
        for item in f.list("media") {
            guard let m = reader.fields(item, "a medium", allowed: ["file", "alt", "credit", "caption"]) else { continue }
            let file = m.string("file", required: true)
            let alt = m.localized("alt")
            if alt == nil { reader.error(item, "missing alt text: add 'alt', a description for visitors who cannot see the image") }
            reader.checkLanguages(alt, "the alt text")
            let credit = m.localized("credit")
            if credit == nil { reader.error(item, "missing 'credit': say who made the image or holds its rights") }
            reader.checkLanguages(credit, "the credit")
            let caption = m.localized("caption")
            reader.checkLanguages(caption, "the caption")
            guard let file else { continue }
            media.append(Located(value: MediaUse(file: file.value, alt: alt?.value ?? LocalizedText(),
                                                 credit: credit?.value ?? LocalizedText(),
                                                 caption: caption?.value ?? LocalizedText()),
                                 position: file.position))
        }
        var seenFiles = Set<String>()
        for use in media where !seenFiles.insert(use.value.file).inserted {
            diagnostics.error(use.position, "media file '\(use.value.file)' is listed twice")
        }

        let circa = f.bool("circa") ?? false
        let highlight = f.bool("highlight") ?? false
        let displayDate = f.string("display_date")?.value
        guard let title, let summary, let start else {
            return ParsedEvent(event: nil, idPosition: explicitID?.position ?? .file(path),
                               afterPosition: after?.position, references: references, media: media)
        }
        let event = Event(
            id: id.value, path: relative, start: start.value, end: end?.value, sort: sort?.value, after: after?.value,
            circa: circa, highlight: highlight,
            eras: eras.map(\.value), themes: themes.map(\.value), places: places.map(\.value),
            people: people.map(\.value), sources: sources.map(\.value), media: media.map(\.value),
            text: [languages[0]: EventText(title: title.value, summary: summary.value, displayDate: displayDate,
                                           body: body)])
        return ParsedEvent(event: event, idPosition: explicitID?.position ?? .file(path),
                           afterPosition: after?.position, references: references, media: media)
    }

    func readTranslation(_ text: String, relative: String, languages: [String],
                         diagnostics: Diagnostics) -> EventText? {
        guard let (f, _, body) = frontMatter(text, relative: relative,
                                             what: "a translation's front matter (only title, summary, display_date)",
                                             allowed: Self.translationKeys, languages: languages,
                                             diagnostics: diagnostics)
        else { return nil }
        let title = f.string("title", required: true)
        let summary = f.string("summary", required: true)
        guard let title, let summary else { return nil }
        return EventText(title: title.value, summary: summary.value, displayDate: f.string("display_date")?.value,
                         body: body)
    }
}
