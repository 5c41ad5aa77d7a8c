import Foundation

// MARK: - events/*.md

extension ExhibitLoader {
    /// What events/ gave: the events read without errors, and what they refer to.
    struct LoadedEvents {
        var events: [Event] = []
        /// Where each event's `after` was written.
        var afterPositions: [String: SourcePosition] = [:]
        var media: [Located<MediaUse>] = []
        var references: [(kind: Reference, id: Located<String>)] = []
    }

    /// Every `events/NAME.md` with its translations `events/NAME.LANG.md`.
    func loadEvents(_ files: InputFiles, languages: [String], diagnostics: Diagnostics) -> LoadedEvents {
        var loaded = LoadedEvents()
        var eventPositions: [String: Located<String>] = [:]
        let names = eventFiles(diagnostics: diagnostics)
        for stem in names.main {
            let relative = "events/\(stem).md"
            guard let text = files.text(relative),
                  let parsed = readEvent(text, stem: stem, relative: relative, languages: languages,
                                         diagnostics: diagnostics)
            else { continue }
            loaded.references += parsed.references
            loaded.media += parsed.media
            guard var event = parsed.event else { continue }
            if let after = parsed.afterPosition { loaded.afterPositions[event.id] = after }
            if let earlier = eventPositions[event.id] {
                diagnostics.error(parsed.idPosition, "duplicate event id '\(event.id)'; first used at \(earlier.position)")
            } else {
                eventPositions[event.id] = Located(value: event.id, position: parsed.idPosition)
            }
            for language in languages.dropFirst() {
                let siblingPath = "events/\(stem).\(language).md"
                guard names.siblings.contains(where: { $0.stem == stem && $0.language == language }) else {
                    diagnostics.warning(.file(display(relative)),
                                        "event '\(event.id)' has no '\(language)' text; add \(siblingPath)")
                    continue
                }
                guard let siblingText = files.text(siblingPath),
                      let translation = readTranslation(siblingText, relative: siblingPath, languages: languages,
                                                        diagnostics: diagnostics)
                else { continue }
                event.text[language] = translation
            }
            loaded.events.append(event)
        }
        checkSiblings(names, languages: languages, diagnostics: diagnostics)
        return loaded
    }

    /// A translation names a declared language other than the default, and an event that exists.
    func checkSiblings(_ names: EventFiles, languages: [String], diagnostics: Diagnostics) {
        let mainStems = Set(names.main)
        for sibling in names.siblings {
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
    }

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
            guard let m = reader.fields(item, "a medium", allowed: ["file", "alt", "credit", "caption", "captions", "poster"])
            else { continue }
            let file = m.string("file", required: true)
            let alt = m.localized("alt")
            if alt == nil { reader.error(item, "missing alt text: add 'alt', a description for visitors who cannot see the image") }
            reader.checkLanguages(alt, "the alt text")
            let credit = m.localized("credit")
            if credit == nil { reader.error(item, "missing 'credit': say who made the image or holds its rights") }
            reader.checkLanguages(credit, "the credit")
            let caption = m.localized("caption")
            reader.checkLanguages(caption, "the caption")
            // Per language, checked against the file's kind once it is known (loadMedia).
            let captions = m.localized("captions")
            let poster = m.string("poster")
            guard let file else { continue }
            var use = MediaUse(file: file.value, alt: alt?.value ?? LocalizedText(), credit: credit?.value ?? LocalizedText(),
                               caption: caption?.value ?? LocalizedText())
            use.captions = captions?.value ?? LocalizedText()
            use.poster = poster?.value
            media.append(Located(value: use, position: file.position))
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
