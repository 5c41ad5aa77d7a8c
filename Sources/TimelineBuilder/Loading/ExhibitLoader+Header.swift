import Yams

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
        let languages = readLanguages(node, path: path, diagnostics: diagnostics)
        let reader = YAMLReader(path: path, lineOffset: 0, languages: languages.isEmpty ? ["en"] : languages,
                                diagnostics: diagnostics)
        guard let fields = reader.fields(node, "exhibit.yaml", allowed: Self.headerKeys) else { return nil }
        _ = fields.require("languages")
        let id = fields.string("id", required: true)
        if let id { checkID(id, "exhibit", reader) }
        var header = Header(id: id?.value ?? "", title: fields.text("title", required: true, "the exhibit title"),
                            subtitle: fields.text("subtitle", "the exhibit subtitle"), languages: reader.languages)
        header.credits = fields.text("credits", "the credits")

        var ids = IDRegistry()
        var list = DeclarationList(fields: fields, reader: reader)
        header.sources = list.read("sources", "source", allowed: ["title", "author", "publication", "publisher", "date",
                                                                  "url", "note"], &ids) { f, id in
            Source(id: id, title: f.text("title", required: true, "source '\(id)'"),
                   author: f.string("author")?.value, publisher: f.string("publisher")?.value,
                   publication: f.string("publication")?.value, date: f.date("date")?.value,
                   url: f.string("url")?.value, note: f.text("note", "the note of source '\(id)'"))
        }
        header.eras = list.read("eras", "era", allowed: ["title", "description", "start", "end", "colour"], &ids) { f, id in
            let title = f.text("title", required: true, "era '\(id)'")
            let description = f.text("description", "the description of era '\(id)'")
            let start = f.date("start", required: true)
            let end = f.date("end", required: true)
            if let start, let end { checkRange(start, end, reader) }
            let colour = f.string("colour", required: true)
            if let colour, colour.value.wholeMatch(of: Self.colourPattern) == nil {
                diagnostics.error(colour.position, "colour '\(colour.value)' must be #rrggbb, e.g. #8a3b12")
            }
            guard let start, let end, let colour else { return nil }
            return Era(id: id, title: title, description: description, start: start.value, end: end.value,
                       colour: colour.value.lowercased())
        }
        header.themes = list.read("themes", "theme", allowed: ["title", "description"], &ids) { f, id in
            Theme(id: id, title: f.text("title", required: true, "theme '\(id)'"),
                  description: f.text("description", "the description of theme '\(id)'"))
        }
        var placeMaps: [(place: String, map: Located<String>)] = []
        header.places = list.read("places", "place", allowed: ["name", "latitude", "longitude", "description", "pin",
                                                               "map"], &ids) { f, id in
            readPlace(f, id: id, reader, placeMaps: &placeMaps)
        }
        header.people = list.read("people", "person", allowed: ["name", "role"], &ids) { f, id in
            Person(id: id, name: f.text("name", required: true, "person '\(id)'"),
                   role: f.text("role", required: true, "the role of person '\(id)'"))
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
        checkPlaceMaps(placeMaps, header: header, diagnostics: diagnostics)
        if let settingsNode = fields["settings"],
           let f = reader.fields(settingsNode, "settings", allowed: ["idle_timeout", "attract_loop"]) {
            if let timeout = f.number("idle_timeout", in: 10...3600) { header.settings.idleTimeout = Int(timeout) }
            if let loop = f.bool("attract_loop") { header.settings.attractLoop = loop }
        }
        header.declared = ids.declared
        return header
    }

    /// `languages: [en, ar]`: codes, each once; the first is the default.
    func readLanguages(_ node: Node, path: String, diagnostics: Diagnostics) -> [String] {
        guard case .mapping(let mapping) = node, let languagesNode = mapping["languages"] else { return [] }
        let probe = YAMLReader(path: path, lineOffset: 0, languages: ["en"], diagnostics: diagnostics)
        guard case .sequence(let list) = languagesNode else {
            probe.error(languagesNode, "'languages' must be a list such as [en, ar]")
            return []
        }
        var languages: [String] = []
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
        return languages
    }

    /// One entry of `places`: a point with both coordinates, or a region with neither.
    func readPlace(_ f: YAMLReader.Fields, id: String, _ reader: YAMLReader,
                   placeMaps: inout [(place: String, map: Located<String>)]) -> Place? {
        let diagnostics = reader.diagnostics
        let name = f.text("name", required: true, "place '\(id)'")
        let description = f.text("description", "the description of place '\(id)'")
        let hasLatitude = f.has("latitude"), hasLongitude = f.has("longitude")
        if hasLatitude != hasLongitude {
            reader.error(f.node, "place '\(id)' has \(hasLatitude ? "a latitude but no longitude" : "a longitude but no latitude"); "
                             + "give both, or neither for a region without a pin")
        }
        let latitude = f.number("latitude", in: -90...90)
        let longitude = f.number("longitude", in: -180...180)
        if (hasLatitude && latitude == nil) || (hasLongitude && longitude == nil) { return nil }
        let pin = f.bool("pin") ?? true
        let map = f.string("map")
        if let map {
            if !pin {
                diagnostics.error(map.position, "place '\(id)' has 'pin: false', so it is on no map; remove 'map'")
            } else if !hasLatitude && !hasLongitude {
                diagnostics.error(map.position, "place '\(id)' has no coordinates to pin on map '\(map.value)'")
            } else if hasLatitude && hasLongitude {
                placeMaps.append((id, map))
            }
        }
        return Place(id: id, name: name, latitude: latitude, longitude: longitude, description: description,
                     pin: pin, map: map?.value)
    }

    /// A place's `map` names a declared inset, and the place lies within the inset's edges.
    func checkPlaceMaps(_ placeMaps: [(place: String, map: Located<String>)], header: Header, diagnostics: Diagnostics) {
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
        let credit = f.text("credit", "the credit of \(what)")
        let west = f.number("west", required: true, in: -180...180), east = f.number("east", required: true, in: -180...180)
        let north = f.number("north", required: true, in: -90...90), south = f.number("south", required: true, in: -90...90)
        if let west, let east, west >= east { reader.error(node, "the west edge of \(what) must be less than its east edge") }
        if let north, let south, south >= north { reader.error(node, "the south edge of \(what) must be less than its north edge") }
        guard let file, let alt, let west, let east, let north, let south, !inset || (id != nil && title != nil)
        else { return nil }
        var map = ExhibitMap(file: file.value, alt: alt.value, west: west, east: east, north: north, south: south)
        map.credit = credit
        if let id, let title {
            map.id = id.value
            map.title = title.value
        }
        return (map, id?.position ?? file.position)
    }

    /// A list of declarations in exhibit.yaml (`sources`, `eras`, …): each item a mapping
    /// whose `id` is checked and registered before the rest of it is read.
    struct DeclarationList {
        let fields: YAMLReader.Fields
        let reader: YAMLReader

        /// The items of `key` that `read` turns into values; `allowed` excludes `id`.
        mutating func read<T>(_ key: String, _ kind: String, allowed: [String], _ ids: inout IDRegistry,
                              _ read: (YAMLReader.Fields, String) -> T?) -> [T] {
            var result: [T] = []
            let article = "aeiou".contains(kind.first!) ? "an" : "a"
            for item in fields.list(key) {
                guard let f = reader.fields(item, "\(article) \(kind)", allowed: ["id"] + allowed),
                      let id = f.string("id", required: true) else { continue }
                ExhibitLoader.checkID(id, kind, reader)
                ids.register(id, kind, reader.diagnostics)
                if let value = read(f, id.value) { result.append(value) }
            }
            return result
        }
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
        Self.checkID(id, kind, reader)
    }

    static func checkID(_ id: Located<String>, _ kind: String, _ reader: YAMLReader) {
        if id.value.wholeMatch(of: idPattern) == nil {
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

extension YAMLReader.Fields {
    /// A localized text, its languages checked against the exhibit's (`what` names it in
    /// the message); empty when missing or invalid.
    func text(_ key: String, required: Bool = false, _ what: String) -> LocalizedText {
        let value = localized(key, required: required)
        reader.checkLanguages(value, what)
        return value?.value ?? LocalizedText()
    }
}
