/// A value and where it was written, so later checks can point at it.
public struct Located<Value: Sendable>: Sendable {
    public let value: Value
    public let position: SourcePosition
}

extension Located: Equatable where Value: Equatable {}

/// Text per language code. Missing languages are reported when the exhibit is checked.
public struct LocalizedText: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public subscript(language: String) -> String? { values[language] }

    /// The text in `language`, else in `fallback` (the default language), else "".
    public func text(_ language: String, fallback: String) -> String {
        values[language] ?? values[fallback] ?? ""
    }
}

/// A whole exhibit, checked: every reference resolves, every date is valid.
public struct Exhibit: Sendable {
    public var id: String
    public var title: LocalizedText
    public var subtitle: LocalizedText
    /// Declared languages; the first is the default.
    public var languages: [String]
    public var sources: [Source]
    public var credits: LocalizedText
    public var eras: [Era]
    public var themes: [Theme]
    public var places: [Place]
    public var people: [Person]
    public var settings: Settings
    /// The map places are pinned on, when the exhibit has one.
    public var map: ExhibitMap?
    /// Detail maps with their own bounds (a city and its districts), in the order written.
    public var insets: [ExhibitMap] = []
    /// In timeline order: by date (or the curator's `sort` date), an `after` event right
    /// behind the event it names; see `EventOrder`.
    public var events: [Event]

    public var defaultLanguage: String { languages[0] }

    public struct Settings: Sendable, Equatable {
        public var idleTimeout: Int = 120
        public var attractLoop: Bool = true
    }
}

/// A map image in an equirectangular projection: longitude and latitude map linearly onto
/// its width and height between the given edges, so places can be pinned without tiles.
public struct ExhibitMap: Sendable {
    /// The main map is `main`; an inset has the id written in `insets`.
    public var id: String = ExhibitMap.mainID
    /// Shown above an inset ("Baghdad"); empty for the main map.
    public var title = LocalizedText()
    public var file: String
    public var alt: LocalizedText
    public var west: Double
    public var east: Double
    public var north: Double
    public var south: Double
    /// Who drew the map; an inset's credit is listed on the credits page.
    public var credit = LocalizedText()

    public static let mainID = "main"
    public var isInset: Bool { id != Self.mainID }

    /// Position on the map as fractions of its width and height (0…1 from the top left),
    /// or nil when the place lies outside it.
    public func position(latitude: Double, longitude: Double) -> (x: Double, y: Double)? {
        let x = (longitude - west) / (east - west), y = (north - latitude) / (north - south)
        guard (0...1).contains(x), (0...1).contains(y) else { return nil }
        return (x, y)
    }
}

public struct Source: Sendable {
    public var id: String
    public var title: LocalizedText
    public var author: String?
    public var publisher: String?
    /// The periodical or outlet the text appeared in ("Newsweek").
    public var publication: String?
    public var date: ExhibitDate?
    public var url: String?
    /// What the source is and how the exhibit uses it, for the credits page.
    public var note = LocalizedText()
}

public struct Era: Sendable {
    public var id: String
    public var title: LocalizedText
    public var description: LocalizedText
    public var start: ExhibitDate
    public var end: ExhibitDate
    public var colour: String
}

public struct Theme: Sendable {
    public var id: String
    public var title: LocalizedText
    public var description: LocalizedText
}

public struct Place: Sendable {
    public var id: String
    public var name: LocalizedText
    /// Nil for a region without a point (a whole country, a province): no pin.
    public var latitude: Double?
    public var longitude: Double?
    public var description: LocalizedText
    /// False: never pinned, even with coordinates (`pin: false`).
    public var pin: Bool = true
    /// The inset the place is pinned on; nil for the main map.
    public var map: String?

    /// Where the place is, when it has coordinates.
    public var coordinates: (latitude: Double, longitude: Double)? {
        guard let latitude, let longitude else { return nil }
        return (latitude, longitude)
    }
}

public struct Person: Sendable {
    public var id: String
    public var name: LocalizedText
    public var role: LocalizedText
}

public struct Event: Sendable {
    public var id: String
    /// The event's main file, relative to the exhibit folder.
    public var path: String
    public var start: ExhibitDate
    public var end: ExhibitDate?
    /// Where the curator places an event that the date alone would misplace (a year-precision
    /// event that belongs after March): used for ordering only, never shown.
    public var sort: ExhibitDate? = nil
    /// Id of the event this one follows directly on the timeline.
    public var after: String? = nil
    public var circa: Bool
    public var highlight: Bool
    public var eras: [String]
    public var themes: [String]
    public var places: [String]
    public var people: [String]
    public var sources: [String]
    public var media: [MediaUse]
    /// Per language: title, summary, optional display date and Markdown body.
    public var text: [String: EventText]
}

public struct EventText: Sendable {
    public var title: String
    public var summary: String
    public var displayDate: String?
    public var body: String
}

/// A medium as an event uses it: the file plus the words that go with it.
public struct MediaUse: Sendable {
    /// Path relative to the exhibit folder, e.g. `media/map.svg`.
    public var file: String
    public var alt: LocalizedText
    public var credit: LocalizedText
    public var caption: LocalizedText
    /// Audio and video: a WebVTT file per exhibit language (required, like alt text).
    public var captions = LocalizedText()
    /// Video: the picture shown before it plays (required).
    public var poster: String? = nil
}
