import Foundation
import TimelineSnapshot

/// The touch timeline's data, per language: a small overview the first screen needs
/// (`/api/LANG/timeline`) and one document per year with events (`/api/LANG/timeline/YEAR`).
///
/// The overview's size follows the number of years and filters, not of events, so the first
/// view stays light at 10,000 events; the interface fetches a year when it comes into view.
/// Times are day numbers (days since 1970-01-01, proleptic Gregorian) so the browser needs
/// no calendar of its own.
struct AxisDocuments {
    let exhibit: Exhibit
    let renderer: PageRenderer

    struct Named: Encodable {
        let id: String
        let name: String
    }

    struct EraJSON: Encodable {
        let id, name: String
        let start, end: Int
        /// Stacking row: overlapping eras sit on different rows, computed here once.
        let row: Int
        let url: String
    }


    struct LanguageJSON: Encodable {
        let code, name, dir, home: String
    }

    struct Overview: Encodable {
        let lang, dir, digits: String
        let months: [String]
        let range: [Int]
        let eras: [EraJSON]
        let themes, places, people: [Named]
        /// `[year, events]` for each year with events; its document is at `yearURL` with
        /// `{year}` filled in.
        let years: [[Int]]
        let yearURL: String
        /// Highlighted events as `[id, year]`, in time order: the attract loop's tour (at most
        /// `tourLength`, spread over the exhibit, so the overview stays small).
        let highlights: [[String]]
        /// The first years' events, as `[year, events]`, so the first screen needs no second
        /// request (whole years, up to `initialEvents` events, at least one year).
        let initial: [InitialYear]
        let languages: [LanguageJSON]
        let t: [String: String]
        let search: String
        let events: Int

        enum CodingKeys: String, CodingKey {
            case lang, dir, digits, months, range, eras, themes, places, people, years, highlights, initial, languages, t, search, events
            case yearURL = "year_url"
        }
    }

    static let tourLength = 60
    static let initialEvents = 60

    struct InitialYear: Encodable {
        let year: Int
        let events: [EventJSON]

        func encode(to encoder: Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(year)
            try c.encode(events)
        }
    }

    struct EventJSON: Encodable {
        let id, title, date, url: String
        /// Where the card stands, its first and last day, and the precision of its date.
        let at, start, end: Int
        let precision: String
        let highlight: Bool
        let eras, themes, places, people: [String]
    }

    // MARK: Documents

    func overview(_ lang: String, strings: UIStrings, languages: [LanguageJSON], positions: [String: Int]) throws -> [UInt8] {
        var initial: [InitialYear] = []
        var count = 0
        for (year, events) in years() where initial.isEmpty || count + events.count <= Self.initialEvents {
            initial.append(InitialYear(year: year, events: eventJSON(lang, events, positions: positions)))
            count += events.count
        }
        let days = exhibit.events.map { Self.span($0) }
        let first = min(days.map(\.start).min() ?? 0, exhibit.eras.map { Self.day($0.start) }.min() ?? Int.max)
        let last = max(days.map(\.end).max() ?? 0, exhibit.eras.map { Self.lastDay($0.end) }.max() ?? Int.min)
        let overview = Overview(
            lang: lang, dir: strings.dir, digits: String(strings.digits), months: strings.months,
            range: [first, last],
            eras: eraRows().map { era, row in
                EraJSON(id: era.id, name: renderer.text(era.title, lang), start: Self.day(era.start),
                        end: Self.lastDay(era.end), row: row, url: SiteURL.era(lang, era.id))
            },
            themes: exhibit.themes.map { Named(id: $0.id, name: renderer.text($0.title, lang)) },
            places: exhibit.places.map { Named(id: $0.id, name: renderer.text($0.name, lang)) },
            people: exhibit.people.map { Named(id: $0.id, name: renderer.text($0.name, lang)) },
            years: years().map { [$0.0, $0.1.count] },
            yearURL: SiteURL.timelineYearPattern(lang),
            highlights: Self.spread(exhibit.events.filter(\.highlight), Self.tourLength).map { [$0.id, String($0.start.year)] },
            initial: initial,
            languages: languages, t: strings.labels, search: SiteURL.searchAPI(lang),
            events: exhibit.events.count)
        return try APIDocuments.encode(overview)
    }

    func year(_ lang: String, _ events: [Event], positions: [String: Int]) throws -> [UInt8] {
        try APIDocuments.encode(eventJSON(lang, events, positions: positions))
    }

    func eventJSON(_ lang: String, _ events: [Event], positions: [String: Int]) -> [EventJSON] {
        events.map { event in
            let span = Self.span(event)
            return EventJSON(id: event.id, title: renderer.eventText(event, lang).title,
                             date: renderer.dateLine(event, lang), url: SiteURL.event(lang, event.id),
                             at: positions[event.id] ?? span.start, start: span.start, end: span.end,
                             precision: event.start.precision.rawValue, highlight: event.highlight,
                             eras: event.eras, themes: event.themes, places: event.places, people: event.people)
        }
    }

    /// Where each card stands: its `sort` date or its start, but never before the event it
    /// follows in the exhibit's order (`after`, or a year-precision event the curator placed
    /// after a dated one), so the axis shows the curator's order.
    func positions() -> [String: Int] {
        var positions: [String: Int] = [:]
        var last = Int.min
        for event in exhibit.events {
            last = max(last, Self.day(event.sort ?? event.start))
            positions[event.id] = last
        }
        return positions
    }

    /// At most `count` of `items`, evenly spread, first and order kept.
    static func spread<T>(_ items: [T], _ count: Int) -> [T] {
        guard items.count > count, count > 0 else { return items }
        return (0..<count).map { items[$0 * items.count / count] }
    }

    /// Events grouped by start year, in exhibit order.
    func years() -> [(Int, [Event])] {
        var groups: [(Int, [Event])] = []
        for event in exhibit.events {
            if groups.last?.0 == event.start.year { groups[groups.count - 1].1.append(event) }
            else if let index = groups.firstIndex(where: { $0.0 == event.start.year }) { groups[index].1.append(event) }
            else { groups.append((event.start.year, [event])) }
        }
        return groups.sorted { $0.0 < $1.0 }
    }

    /// Each era with the first row on which it overlaps no earlier era.
    func eraRows() -> [(Era, Int)] {
        var rowEnds: [Int] = []
        return exhibit.eras.sorted { Self.day($0.start) < Self.day($1.start) }.map { era in
            let start = Self.day(era.start), end = Self.lastDay(era.end)
            let row = rowEnds.firstIndex { $0 < start } ?? rowEnds.count
            if row == rowEnds.count { rowEnds.append(end) } else { rowEnds[row] = end }
            return (era, row)
        }
    }

    // MARK: Day numbers

    static func span(_ event: Event) -> (start: Int, end: Int) {
        (day(event.start), lastDay(event.end ?? event.start))
    }

    /// The first day a date covers.
    static func day(_ date: ExhibitDate) -> Int {
        days(year: date.year, month: date.month ?? 1, day: date.day ?? 1)
    }

    /// The last day a date covers: 2007 → 31 December 2007.
    static func lastDay(_ date: ExhibitDate) -> Int {
        let month = date.month ?? 12
        return days(year: date.year, month: month, day: date.day ?? ExhibitDate.daysIn(month: month, year: date.year))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date; BCE years count from the
    /// astronomical year 0 (1 BCE). Eras of 400 years repeat exactly, which keeps this exact.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let astronomical = year < 0 ? year + 1 : year
        let y = month <= 2 ? astronomical - 1 : astronomical
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
