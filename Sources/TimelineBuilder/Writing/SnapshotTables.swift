import TimelineSnapshot

/// Fills the snapshot's tables from a checked exhibit, in a stable order.
struct SnapshotTables {
    let database: Database
    let exhibit: Exhibit
    let renderer: PageRenderer
    let cards: [String: [String: String]]
    let theme: SiteTheme
    /// Each event's `/api/events` element, by id.
    let eventItems: [String: String]

    typealias Meta = SnapshotSchema.Meta

    func writeMeta(contentHash: String, builderVersion: String, builtAt: String?) throws {
        var rows: [(String, String)] = [
            (Meta.exhibitID, exhibit.id),
            (Meta.contentHash, contentHash),
            (Meta.builderVersion, builderVersion),
            (Meta.schemaVersion, String(SnapshotSchema.version)),
            (Meta.defaultLanguage, exhibit.defaultLanguage),
            (Meta.languages, exhibit.languages.joined(separator: ",")),
            (Meta.eventCount, String(exhibit.events.count)),
            (Meta.idleTimeout, String(exhibit.settings.idleTimeout)),
            (Meta.attractLoop, exhibit.settings.attractLoop ? "1" : "0"),
            (Meta.pagePolicy, SiteTheme.pagePolicy),
            (Meta.svgPolicy, SiteTheme.svgPolicy),
        ]
        if let builtAt { rows.append((Meta.builtAt, builtAt)) }
        let insert = try database.prepare("INSERT INTO meta (key, value) VALUES (?, ?)")
        for (key, value) in rows { try insert.run([.text(key), .text(value)]) }

        let language = try database.prepare("INSERT INTO languages (code, position, dir, name) VALUES (?, ?, ?, ?)")
        for (position, code) in exhibit.languages.enumerated() {
            let strings = theme.strings[code]!
            try language.run([.text(code), SQLValue(position), .text(strings.dir), .text(strings.name)])
        }
    }

    func writeModel(media: MediaCatalog) throws {
        let languages = exhibit.languages
        func text(_ localized: LocalizedText, _ lang: String) -> SQLValue { .text(renderer.text(localized, lang)) }
        func html(_ localized: LocalizedText, _ lang: String) -> SQLValue {
            .text(Markdown.html(renderer.text(localized, lang)))
        }

        let source = try database.prepare("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)")
        let sourceText = try database.prepare("INSERT INTO source_text VALUES (?, ?, ?, ?)")
        for (position, s) in exhibit.sources.enumerated() {
            try source.run([.text(s.id), SQLValue(position), SQLValue(s.author), SQLValue(s.publisher),
                            SQLValue(s.date?.description), SQLValue(s.url), SQLValue(s.publication)])
            for lang in languages {
                try sourceText.run([.text(s.id), .text(lang), text(s.title, lang), html(s.note, lang)])
            }
        }

        let era = try database.prepare("INSERT INTO eras VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let eraText = try database.prepare("INSERT INTO era_text VALUES (?, ?, ?, ?)")
        for (position, e) in exhibit.eras.enumerated() {
            try era.run([.text(e.id), SQLValue(position),
                         .text(e.start.description), .text(e.start.precision.rawValue), .int(e.start.startKey),
                         .text(e.end.description), .text(e.end.precision.rawValue), .int(e.end.endKey),
                         .text(e.colour)])
            for lang in languages {
                try eraText.run([.text(e.id), .text(lang), text(e.title, lang), html(e.description, lang)])
            }
        }

        let themeRow = try database.prepare("INSERT INTO themes VALUES (?, ?)")
        let themeText = try database.prepare("INSERT INTO theme_text VALUES (?, ?, ?, ?)")
        for (position, t) in exhibit.themes.enumerated() {
            try themeRow.run([.text(t.id), SQLValue(position)])
            for lang in languages {
                try themeText.run([.text(t.id), .text(lang), text(t.title, lang), html(t.description, lang)])
            }
        }

        let place = try database.prepare("INSERT INTO places VALUES (?, ?, ?, ?, ?)")
        let placeText = try database.prepare("INSERT INTO place_text VALUES (?, ?, ?, ?)")
        for (position, p) in exhibit.places.enumerated() {
            try place.run([.text(p.id), SQLValue(position), p.latitude.map(SQLValue.double) ?? .null,
                           p.longitude.map(SQLValue.double) ?? .null, SQLValue(exhibit.pinMap(for: p)?.id)])
            for lang in languages {
                try placeText.run([.text(p.id), .text(lang), text(p.name, lang), html(p.description, lang)])
            }
        }

        let person = try database.prepare("INSERT INTO people VALUES (?, ?)")
        let personText = try database.prepare("INSERT INTO person_text VALUES (?, ?, ?, ?)")
        for (position, p) in exhibit.people.enumerated() {
            try person.run([.text(p.id), SQLValue(position)])
            for lang in languages {
                try personText.run([.text(p.id), .text(lang), text(p.name, lang), text(p.role, lang)])
            }
        }

        let mediaRow = try database.prepare("INSERT INTO media VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        var posters: [String: String] = [:]
        for use in exhibit.events.flatMap(\.media) { if let poster = use.poster { posters[use.file] = poster } }
        let mediaFile = try database.prepare("INSERT INTO media_files VALUES (?, ?, ?, ?, ?, ?, ?)")
        for entry in media.entries {
            let file = entry.file
            let kind: String, width: Int, height: Int, duration: Int?
            switch file.kind {
            case .image(let info): (kind, width, height, duration) = ("image", info.width, info.height, nil)
            case .timed(let info):
                (kind, width, height, duration) = (info.isVideo ? "video" : "audio", info.width ?? 0, info.height ?? 0,
                                                   info.durationMs)
            case .captions: continue
            }
            try mediaRow.run([.text(file.path), .text(kind), .text(entry.url), .text(entry.contentType), SQLValue(width),
                              SQLValue(height), SQLValue(duration), SQLValue(posters[file.path]), SQLValue(file.digest.size),
                              .text(file.digest.sha256)])
            for variant in entry.plan?.variants ?? [] {
                try mediaFile.run([.text(variant.url), .text(file.path), .text("variant"), .null,
                                   .text(variant.format.contentType), SQLValue(variant.width), SQLValue(variant.height)])
            }
        }
        // Captions, by the medium that uses them.
        var companions = Set<String>()
        for event in exhibit.events {
            for use in event.media {
                for (lang, path) in use.captions.values.sorted(by: { $0.key < $1.key }) where companions.insert(path).inserted {
                    guard let url = media.urls[path] else { continue }
                    try mediaFile.run([.text(url), .text(use.file), .text("captions"), .text(lang),
                                       .text("text/vtt; charset=utf-8"), .null, .null])
                }
            }
        }
        // Alt text, caption and credit as first given for a file.
        let mediaText = try database.prepare("INSERT OR IGNORE INTO media_text VALUES (?, ?, ?, ?, ?)")

        let event = try database.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let eventText = try database.prepare("INSERT INTO event_text VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        let search = try database.prepare(
            "INSERT INTO search (title, summary, body, event_id, lang) VALUES (?, ?, ?, ?, ?)")
        let links = [
            ("event_eras", \Event.eras), ("event_themes", \Event.themes), ("event_places", \Event.places),
            ("event_people", \Event.people), ("event_sources", \Event.sources),
        ]
        let linkStatements = try links.map { try database.prepare("INSERT INTO \($0.0) VALUES (?, ?)") }
        let eventMedia = try database.prepare("INSERT INTO event_media VALUES (?, ?, ?)")
        for (position, e) in exhibit.events.enumerated() {
            try event.run([.text(e.id), SQLValue(position),
                           .text(e.start.description), .text(e.start.precision.rawValue), .int(e.start.startKey),
                           SQLValue(e.end?.description), SQLValue(e.end?.precision.rawValue),
                           e.end.map { .int($0.endKey) } ?? .null,
                           SQLValue(e.circa), SQLValue(e.highlight),
                           .text(SiteURL.event(exhibit.defaultLanguage, e.id)), .text(eventItems[e.id] ?? "{}"),
                           .text(Self.digest(eventItems[e.id] ?? "{}"))])
            for lang in languages {
                let words = renderer.eventText(e, lang)
                let body = Markdown.html(words.body)
                try eventText.run([.text(e.id), .text(lang), .text(words.title), .text(words.summary), .text(body),
                                   .text(renderer.dateLine(e, lang)), .text(cards[e.id]?[lang] ?? ""),
                                   .text(Self.digest(cards[e.id]?[lang] ?? ""))])
                try search.run([.text(words.title), .text(words.summary), .text(Self.plainText(words.body)),
                                .text(e.id), .text(lang)])
            }
            for ((_, keyPath), statement) in zip(links, linkStatements) {
                for id in e[keyPath: keyPath] { try statement.run([.text(e.id), .text(id)]) }
            }
            for (index, use) in e.media.enumerated() {
                try eventMedia.run([.text(e.id), .text(use.file), SQLValue(index)])
                for lang in languages {
                    try mediaText.run([.text(use.file), .text(lang), text(use.alt, lang), text(use.caption, lang),
                                       text(use.credit, lang)])
                }
            }
        }
    }

    func writeSearchPages(_ shells: [(String, PageRenderer.SearchShell)]) throws {
        let insert = try database.prepare("INSERT INTO search_pages VALUES (?, ?, ?, ?, ?, ?)")
        for (lang, shell) in shells {
            let digest = Self.digest([shell.head, shell.middle, shell.tail, shell.empty].joined(separator: "\u{0}"))
            try insert.run([.text(lang), .text(shell.head), .text(shell.middle), .text(shell.tail), .text(shell.empty),
                            .text(digest)])
        }
    }

    /// `progress` hears how many are written, every 200.
    func writeResources(_ resources: [SnapshotWriter.Resource], progress: (Int) -> Void = { _ in }) throws {
        let sorted = resources.sorted(by: { $0.path < $1.path })
        // Compressed on every processor first, then inserted in order.
        let gzipped = Parallel.map(sorted.count) { index in
            SnapshotWriter.gzipIfSmaller(sorted[index].body, contentType: sorted[index].contentType)
        }
        progress(sorted.count / 2)
        let insert = try database.prepare("INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?)")
        for (index, resource) in sorted.enumerated() {
            if index % 500 == 0 { progress(sorted.count / 2 + index / 2) }
            try insertResource(insert, resource, gzip: gzipped[index])
        }
    }

    private func insertResource(_ insert: Statement, _ resource: SnapshotWriter.Resource, gzip: [UInt8]?) throws {
        try insert.run([.text(resource.path), .text(resource.contentType), .text(SnapshotWriter.etag(resource.body)),
                        .text(resource.cache.rawValue), .blob(resource.body), gzip.map(SQLValue.blob) ?? .null,
                        gzip.map { .text(Self.digest($0)) } ?? .null])
    }

    /// Writes one resource at a time through one prepared statement.
    func resourceWriter() throws -> (SnapshotWriter.Resource) throws -> Void {
        let insert = try database.prepare("INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?)")
        return { resource in
            try insertResource(insert, resource, gzip: SnapshotWriter.gzipIfSmaller(resource.body, contentType: resource.contentType))
        }
    }

    /// The snapshot's digest (SnapshotSchema.digest), computed with OpenSSL.
    static func digest(_ bytes: [UInt8]) -> String { String(Digest.sha256Hex(bytes).prefix(32)) }
    static func digest(_ text: String) -> String { digest(Array(text.utf8)) }

    /// Markdown reduced to words for the search index: markup characters become spaces.
    static func plainText(_ markdown: String) -> String {
        String(markdown.map { "*_#>`[]()|~".contains($0) ? " " : $0 })
    }
}
