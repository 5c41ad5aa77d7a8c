import Foundation
import TimelineSnapshot

/// `/api/exhibit` and `/api/events`: JSON rendered at build time, keys sorted so the bytes
/// are reproducible.
struct APIDocuments {
    let exhibit: Exhibit
    let renderer: PageRenderer

    struct DateJSON: Encodable {
        let date: String
        let precision: String
        init(_ date: ExhibitDate) {
            self.date = date.description
            self.precision = date.precision.rawValue
        }
    }

    struct EventJSON: Encodable {
        let id: String
        let title: [String: String]
        let summary: [String: String]
        let date: [String: String]
        let start: DateJSON
        let end: DateJSON?
        /// The curator's ordering: a `sort` date, or the id of the event this one follows.
        var sort: DateJSON? = nil
        var after: String? = nil
        let circa: Bool
        let highlight: Bool
        let eras, themes, places, people, sources: [String]
        let url: [String: String]

        func encode(to encoder: Encoder) throws {
            // Written out so that a missing end is `null`, not an absent key.
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(id, forKey: .id); try c.encode(title, forKey: .title)
            try c.encode(summary, forKey: .summary); try c.encode(date, forKey: .date)
            try c.encode(start, forKey: .start); try c.encode(end, forKey: .end)
            try c.encode(sort, forKey: .sort); try c.encode(after, forKey: .after)
            try c.encode(circa, forKey: .circa); try c.encode(highlight, forKey: .highlight)
            try c.encode(eras, forKey: .eras); try c.encode(themes, forKey: .themes)
            try c.encode(places, forKey: .places); try c.encode(people, forKey: .people)
            try c.encode(sources, forKey: .sources); try c.encode(url, forKey: .url)
        }

        enum Keys: String, CodingKey {
            case id, title, summary, date, start, end, sort, after, circa, highlight, eras, themes, places, people, sources, url
        }
    }

    struct Item: Encodable {
        let id: String
        var title: [String: String]? = nil
        var name: [String: String]? = nil
        var role: [String: String]? = nil
        var start: DateJSON? = nil
        var end: DateJSON? = nil
        var colour: String? = nil
        var latitude: Double? = nil
        var longitude: Double? = nil
        /// Places: whether the place has a pin, and the id of the map it is on.
        var pin: Bool? = nil
        var map: String? = nil
        /// Sources: the citation's parts and the curator's note.
        var author: String? = nil
        var publication: String? = nil
        var publisher: String? = nil
        var date: DateJSON? = nil
        var note: [String: String]? = nil
        var url: [String: String]
    }

    struct Language: Encodable {
        let code: String
        let name: String
        let dir: String
    }

    struct ExhibitJSON: Encodable {
        let id: String
        let title: [String: String]
        let subtitle: [String: String]
        let defaultLanguage: String
        let languages: [Language]
        let eras, themes, places, people, sources: [Item]
        let maps: [MapJSON]
        let settings: [String: Int]
        let eventCount: Int

        enum CodingKeys: String, CodingKey {
            case id, title, subtitle, languages, eras, themes, places, people, sources, maps, settings
            case defaultLanguage = "default_language", eventCount = "event_count"
        }
    }

    func localized(_ text: LocalizedText) -> [String: String] {
        Dictionary(uniqueKeysWithValues: exhibit.languages.map { ($0, renderer.text(text, $0)) })
    }

    func urls(_ make: (String) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: exhibit.languages.map { ($0, make($0)) })
    }

    /// Each event as one element of `/api/events`, by id: the search API splices the same
    /// bytes, so an event has one JSON shape wherever it appears.
    func eventItems() throws -> [(id: String, json: String)] {
        try exhibit.events.map { e in
            EventJSON(
                id: e.id,
                title: Dictionary(uniqueKeysWithValues: exhibit.languages.map { ($0, renderer.eventText(e, $0).title) }),
                summary: Dictionary(uniqueKeysWithValues: exhibit.languages.map { ($0, renderer.eventText(e, $0).summary) }),
                date: Dictionary(uniqueKeysWithValues: exhibit.languages.map { ($0, renderer.dateLine(e, $0)) }),
                start: DateJSON(e.start), end: e.end.map(DateJSON.init), sort: e.sort.map(DateJSON.init), after: e.after,
                circa: e.circa, highlight: e.highlight,
                eras: e.eras, themes: e.themes, places: e.places, people: e.people, sources: e.sources,
                url: urls { SiteURL.event($0, e.id) })
        }.map { (id: $0.id, json: String(decoding: try Self.encode($0), as: UTF8.self)) }
    }

    /// `/api/events`: the items in timeline order.
    static func events(_ items: [(id: String, json: String)]) -> [UInt8] {
        Array(("[" + items.map(\.json).joined(separator: ",") + "]").utf8)
    }

    func exhibitDocument(languages: [Language]) throws -> [UInt8] {
        let document = ExhibitJSON(
            id: exhibit.id, title: localized(exhibit.title), subtitle: localized(exhibit.subtitle),
            defaultLanguage: exhibit.defaultLanguage, languages: languages,
            eras: exhibit.eras.map { era in
                Item(id: era.id, title: localized(era.title), start: DateJSON(era.start), end: DateJSON(era.end),
                     colour: era.colour, url: urls { SiteURL.era($0, era.id) })
            },
            themes: exhibit.themes.map { theme in
                Item(id: theme.id, title: localized(theme.title), url: urls { SiteURL.theme($0, theme.id) })
            },
            places: exhibit.places.map { place in
                Item(id: place.id, name: localized(place.name), latitude: place.latitude, longitude: place.longitude,
                     pin: exhibit.pinMap(for: place) != nil, map: exhibit.pinMap(for: place)?.id,
                     url: urls { SiteURL.place($0, place.id) })
            },
            people: exhibit.people.map { person in
                Item(id: person.id, name: localized(person.name), role: localized(person.role),
                     url: urls { SiteURL.person($0, person.id) })
            },
            sources: exhibit.sources.map {
                Item(id: $0.id, title: localized($0.title), author: $0.author, publication: $0.publication,
                     publisher: $0.publisher, date: $0.date.map(DateJSON.init), note: localized($0.note),
                     url: urls(SiteURL.credits))
            },
            maps: mapDocuments(),
            settings: ["idle_timeout": exhibit.settings.idleTimeout, "attract_loop": exhibit.settings.attractLoop ? 1 : 0],
            eventCount: exhibit.events.count)
        return try Self.encode(document)
    }

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
