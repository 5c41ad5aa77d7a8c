import Foundation
import TimelineSnapshot
/// Renders every page of an exhibit, in every language, through the theme's templates.
///
/// Templates get plain dictionaries; every value a template prints with `{{…}}` is escaped
/// by Mustache. Only HTML this builder made (Markdown output, rendered cards) is passed
/// with `{{{…}}}`.
struct PageRenderer: Sendable {
    let exhibit: Exhibit
    let theme: SiteTheme
    /// Media URL by exhibit-relative path.
    let mediaURLs: [String: String]
    /// Pixel sizes by exhibit-relative path, for `width`/`height` on images.
    let mediaSizes: [String: ImageInfo]
    /// The variants of each raster image, for `srcset`.
    let imagePlans: [String: ImagePlan]
    /// Audio and video by exhibit-relative path.
    var timedMedia: [String: TimedMediaInfo] = [:]
    /// URL of the stylesheet made from the exhibit (era colours).
    let exhibitCSS: String

    /// Era colours as classes: pages carry no `style` attribute, which a strict
    /// Content-Security-Policy would block.
    static func stylesheet(for exhibit: Exhibit) -> String {
        var css = exhibit.eras.map { ".era-\($0.id) { --era: \($0.colour); }\n" }.joined()
        // Map pins: physical left/top, since a map is not mirrored in right-to-left pages.
        // Each place is pinned on one map at most (its inset, else the main map).
        for place in exhibit.places {
            guard let at = exhibit.pinPosition(for: place) else { continue }
            css += ".pin-\(place.id) { left: \(percent(at.x)); top: \(percent(at.y)); }\n"
        }
        return css
    }

    static func percent(_ fraction: Double) -> String {
        let hundredths = Int((fraction * 10_000).rounded())
        let tail = hundredths % 100
        return "\(hundredths / 100).\(tail < 10 ? "0" : "")\(tail)%"
    }

    /// A page or document to store, keyed by URL path.
    struct Page: Sendable {
        let path: String
        let html: String
    }

    // MARK: Rendering

    /// Search-result cards per event and language, also used on list pages.
    func cards() -> [String: [String: String]] {
        let events = exhibit.events, languages = exhibit.languages
        let rendered = Parallel.map(events.count) { index in
            languages.map { theme.render("card", cardContext(events[index], $0)) }
        }
        var cards: [String: [String: String]] = [:]
        for (event, html) in zip(events, rendered) {
            cards[event.id] = Dictionary(uniqueKeysWithValues: zip(languages, html))
        }
        return cards
    }

    /// Every page in every language, in a stable order.
    /// `progress` hears the pages done of about how many, every 100 events.
    func pages(cards: [String: [String: String]], progress: (BuildProgress) -> Void) -> [Page] {
        var pages: [Page] = []
        let expected = exhibit.languages.count * (exhibit.events.count + exhibit.eras.count + exhibit.themes.count
            + exhibit.places.count + exhibit.people.count + 8)
        for lang in exhibit.languages {
            progress(.init("rendering pages", done: pages.count, of: expected, item: lang))
            let card = { (event: Event) in cards[event.id]?[lang] ?? "" }
            let cardList = { (events: [Event]) in events.map { ["card_html": card($0)] } }

            // The home page lists years, not events, so it weighs the same at 45 or 10,000
            // events; each year has a page of its own.
            let yearGroups = AxisDocuments(exhibit: exhibit, renderer: self).years()
            pages.append(Page(path: SiteURL.home(lang), html: render("home", lang, path: { SiteURL.home($0) }, [
                "page_title": text(exhibit.title, lang),
                "is_home": true,
                "eras": exhibit.eras.map { eraSummary($0, lang) },
                "themes": exhibit.themes.map { ["title": text($0.title, lang), "url": SiteURL.theme(lang, $0.id)] },
                "people": exhibit.people.map { ["name": text($0.name, lang), "url": SiteURL.person(lang, $0.id)] },
                "years": yearGroups.map { year, events in
                    ["year": yearName(year, lang), "url": SiteURL.year(lang, year),
                     "count": theme.strings[lang]!.number(events.count)]
                },
                "highlights": cardList(exhibit.events.filter(\.highlight).prefix(12).map { $0 }),
            ])))
            for (index, (year, events)) in yearGroups.enumerated() {
                var context: [String: Any] = ["page_title": yearName(year, lang), "events": cardList(events)]
                if index > 0 {
                    let previous = yearGroups[index - 1].0
                    context["previous"] = ["url": SiteURL.year(lang, previous), "title": yearName(previous, lang)]
                }
                if index + 1 < yearGroups.count {
                    let next = yearGroups[index + 1].0
                    context["next"] = ["url": SiteURL.year(lang, next), "title": yearName(next, lang)]
                }
                pages.append(Page(path: SiteURL.year(lang, year), html: render("year", lang, path: { SiteURL.year($0, year) }, context)))
            }
            progress(.init("rendering pages", done: pages.count, of: expected, item: "events (\(lang))"))
            let events = exhibit.events
            pages += Parallel.map(events.count) { index in
                let event = events[index]
                var context = eventContext(event, lang)
                if index > 0 { context["previous"] = link(events[index - 1], lang) }
                if index + 1 < events.count { context["next"] = link(events[index + 1], lang) }
                return Page(path: SiteURL.event(lang, event.id),
                            html: render("event", lang, path: { SiteURL.event($0, event.id) }, context))
            }
            for era in exhibit.eras {
                var context = eraSummary(era, lang)
                context["page_title"] = text(era.title, lang)
                context["description_html"] = Markdown.html(text(era.description, lang))
                context["events"] = cardList(exhibit.events.filter { $0.eras.contains(era.id) })
                pages.append(Page(path: SiteURL.era(lang, era.id), html: render("era", lang, path: { SiteURL.era($0, era.id) }, context)))
            }
            for theme in exhibit.themes {
                pages.append(Page(path: SiteURL.theme(lang, theme.id), html: render("theme", lang, path: { SiteURL.theme($0, theme.id) }, [
                    "page_title": text(theme.title, lang),
                    "description_html": Markdown.html(text(theme.description, lang)),
                    "events": cardList(exhibit.events.filter { $0.themes.contains(theme.id) }),
                ])))
            }
            pages.append(Page(path: SiteURL.places(lang), html: render("places", lang, path: { SiteURL.places($0) }, withMap([
                "page_title": label("places", lang),
                "places": exhibit.places.map { place in
                    ["name": text(place.name, lang), "url": SiteURL.place(lang, place.id),
                     "count": theme.strings[lang]!.number(exhibit.events.count { $0.places.contains(place.id) })]
                },
                // Detail maps (a city's districts) below the main map, each with its own pins.
                "insets": exhibit.insets.compactMap { inset in
                    mapContext(lang, pins: exhibit.places, on: inset).map { ["map": $0] }
                },
            ], mapContext(lang, pins: exhibit.places)))))
            for place in exhibit.places {
                pages.append(Page(path: SiteURL.place(lang, place.id), html: render("place", lang, path: { SiteURL.place($0, place.id) }, withMap([
                    "page_title": text(place.name, lang),
                    "description_html": Markdown.html(text(place.description, lang)),
                    "coordinates": place.coordinates.map { coordinates($0, lang) } ?? "",
                    "latitude": place.latitude.map { String($0) } ?? "",
                    "longitude": place.longitude.map { String($0) } ?? "",
                    "events": cardList(exhibit.events.filter { $0.places.contains(place.id) }),
                ], mapContext(lang, pins: [place], on: exhibit.pinMap(for: place))))))
            }
            for person in exhibit.people {
                pages.append(Page(path: SiteURL.person(lang, person.id), html: render("person", lang, path: { SiteURL.person($0, person.id) }, [
                    "page_title": text(person.name, lang),
                    "role": text(person.role, lang),
                    "events": cardList(exhibit.events.filter { $0.people.contains(person.id) }),
                ])))
            }
            pages.append(Page(path: SiteURL.credits(lang), html: render("credits", lang, path: { SiteURL.credits($0) }, [
                "page_title": label("credits", lang),
                "credits_html": Markdown.html(text(exhibit.credits, lang)),
                "sources": exhibit.sources.map { sourceContext($0, lang) },
                "media": mediaCredits(lang),
            ])))
            pages.append(Page(path: SiteURL.notFound(lang), html: render("not-found", lang, path: { SiteURL.notFound($0) }, [
                "page_title": label("not_found_title", lang),
            ])))
        }
        return pages
    }

    /// The search page cut where the server splices the visitor's query (escaped) and the
    /// result cards: `head + query + middle + results + tail`.
    struct SearchShell {
        let head, middle, tail, empty: String
    }

    func searchShell(_ lang: String) -> SearchShell? {
        // Control characters never occur in rendered text, so they mark the cuts safely.
        let page = render("search", lang, path: { SiteURL.search($0) }, [
            "page_title": label("search", lang), "query_marker": "\u{1}", "results_marker": "\u{2}",
        ])
        let first = page.split(separator: "\u{1}", omittingEmptySubsequences: false)
        let second = first.count == 2 ? first[1].split(separator: "\u{2}", omittingEmptySubsequences: false) : []
        guard second.count == 2 else { return nil }
        return SearchShell(head: String(first[0]), middle: String(second[0]), tail: String(second[1]),
                           empty: render("search-empty", lang, path: { SiteURL.search($0) }, [:]))
    }

    // MARK: Contexts

    /// Wraps a page's own context with what every page has, and renders it.
    private func render(_ template: String, _ lang: String, path: (String) -> String,
                        _ context: [String: Any]) -> String {
        let strings = theme.strings[lang]!
        var full = context
        full["lang"] = lang
        full["dir"] = strings.dir
        full["t"] = strings.labels
        full["exhibit_title"] = text(exhibit.title, lang)
        full["exhibit_subtitle"] = text(exhibit.subtitle, lang)
        full["home_url"] = SiteURL.home(lang)
        full["search_url"] = SiteURL.search(lang)
        full["places_url"] = SiteURL.places(lang)
        full["exhibit_css"] = exhibitCSS
        full["credits_url"] = SiteURL.credits(lang)
        full["assets"] = Dictionary(uniqueKeysWithValues: theme.assets.map { ($0.key, $0.url) })
        full["languages"] = exhibit.languages.map { other -> [String: Any] in
            let otherStrings = theme.strings[other]!
            return ["code": other, "name": otherStrings.name, "dir": otherStrings.dir, "url": path(other),
                    "current": other == lang]
        }
        full["has_languages"] = exhibit.languages.count > 1
        full["idle_timeout"] = String(exhibit.settings.idleTimeout)
        full["timeline_data"] = SiteURL.timeline(lang)
        // The touch timeline's pages fetch its overview first thing: ask for it with the page.
        full["is_app"] = template == "home" || template == "event"
        full["default_home"] = SiteURL.home(exhibit.defaultLanguage)
        // Modules every page needs are preloaded; those under js/pages/ load when a page asks.
        full["modules"] = theme.assets.filter {
            $0.name.hasPrefix("js/") && !$0.name.hasPrefix("js/pages/") && $0.name.hasSuffix(".js")
        }.map(\.url)
        full["fonts"] = theme.assets.filter { $0.name.hasSuffix(".woff2") && !$0.name.contains("-bold") }.map(\.url)
        full["attract_loop"] = exhibit.settings.attractLoop ? "on" : "off"
        return theme.render(template, full)
    }

    private func cardContext(_ event: Event, _ lang: String) -> [String: Any] {
        let words = eventText(event, lang)
        return [
            "url": SiteURL.event(lang, event.id), "title": words.title, "summary": words.summary,
            "date": dateLine(event, lang), "datetime": event.start.description, "highlight": event.highlight,
            "era": event.eras.first ?? "",
            "lang": lang,
        ]
    }

    private func eventContext(_ event: Event, _ lang: String) -> [String: Any] {
        let words = eventText(event, lang)
        // Every event with pinned places shows them on a small map: the map most of them are
        // pinned on. When the exhibit's map is among the event's media, its words are used.
        let mapUse = event.media.first { $0.file == exhibit.map?.file }
        let eventPlaces = exhibit.places.filter { event.places.contains($0.id) }
        let onMaps = eventPlaces.compactMap { exhibit.pinMap(for: $0)?.id }
        let mostUsed = Set(onMaps).max { a, b in
            (onMaps.count { $0 == a }, b) < (onMaps.count { $0 == b }, a)
        }
        var map = mapContext(lang, pins: eventPlaces, on: exhibit.maps.first { $0.id == mostUsed })
        if let use = mapUse, map != nil, mostUsed == exhibit.map?.id {
            map!["alt"] = text(use.alt, lang)
            map!["caption"] = text(use.caption, lang)
            map!["credit"] = text(use.credit, lang)
        }
        let context: [String: Any] = [
            "page_title": words.title, "title": words.title, "summary": words.summary,
            "date": dateLine(event, lang), "datetime": event.start.description,
            "body_html": Markdown.html(words.body),
            "media": event.media.filter { map == nil || $0.file != mapUse?.file }.map { use -> [String: Any] in
                medium(use, lang)
            },
            "eras": event.eras.compactMap { id in exhibit.eras.first { $0.id == id }.map { eraSummary($0, lang) } },
            "themes": event.themes.compactMap { id in
                exhibit.themes.first { $0.id == id }.map { ["title": text($0.title, lang), "url": SiteURL.theme(lang, $0.id)] }
            },
            "places": event.places.compactMap { id in
                exhibit.places.first { $0.id == id }.map { ["name": text($0.name, lang), "url": SiteURL.place(lang, $0.id)] }
            },
            "people": event.people.compactMap { id in
                exhibit.people.first { $0.id == id }.map {
                    ["name": text($0.name, lang), "role": text($0.role, lang), "url": SiteURL.person(lang, $0.id)]
                }
            },
            "sources": event.sources.compactMap { id in exhibit.sources.first { $0.id == id }.map { sourceContext($0, lang) } },
        ]
        return withMap(context, map)
    }

    /// `context` with a "map" key only when there is a map: Mustache takes a nil wrapped in
    /// `Any` for a value and would render an empty figure.
    private func withMap(_ context: [String: Any], _ map: [String: Any]?) -> [String: Any] {
        guard let map else { return context }
        var context = context
        context["map"] = map
        return context
    }

    private func eraSummary(_ era: Era, _ lang: String) -> [String: Any] {
        let strings = theme.strings[lang]!
        return ["id": era.id, "title": text(era.title, lang), "url": SiteURL.era(lang, era.id), "colour": era.colour,
                "dates": strings.format(start: era.start, end: era.end, circa: false)]
    }

    /// A map (the main one unless `chosen`) with pins for those of `pins` pinned on it; nil
    /// without a map or with no pin on it.
    private func mapContext(_ lang: String, pins: [Place], on chosen: ExhibitMap? = nil) -> [String: Any]? {
        guard let map = chosen ?? exhibit.map else { return nil }
        let shown = pins.filter { exhibit.pinMap(for: $0)?.id == map.id }
        guard !shown.isEmpty else { return nil }
        var inset: [String: Any] = [:]
        if map.isInset {
            inset = ["caption": text(map.title, lang), "credit": text(map.credit, lang)]
        }
        return inset.merging(picture(map.file), uniquingKeysWith: { _, new in new }).merging(["alt": text(map.alt, lang),
                "pins": shown.map { ["id": $0.id, "name": text($0.name, lang), "url": SiteURL.place(lang, $0.id)] }],
                uniquingKeysWith: { _, new in new })
    }

    /// A medium in an event: `alt`, `caption`, `credit`, and one of `image` (`picture`),
    /// `video` or `audio` (`player`).
    func medium(_ use: MediaUse, _ lang: String) -> [String: Any] {
        var context: [String: Any] = ["alt": text(use.alt, lang), "caption": text(use.caption, lang),
                                      "credit": text(use.credit, lang)]
        if let timed = timedMedia[use.file] {
            context[timed.isVideo ? "video" : "audio"] = player(use, timed, lang)
        } else {
            context["image"] = picture(use.file)
        }
        return context
    }

    /// A film or recording for the templates: `url`, `type`, `width`, `height`, `duration`
    /// (m:ss), `poster` (a variant near 1280 pixels wide) and `tracks` (`src`, `lang`,
    /// `label`, `default`: the page's language first and on).
    func player(_ use: MediaUse, _ timed: TimedMediaInfo, _ lang: String) -> [String: Any] {
        let seconds = (timed.durationMs + 500) / 1000
        var context: [String: Any] = [
            "url": mediaURLs[use.file] ?? "", "type": timed.format.contentType,
            "width": timed.width ?? 0, "height": timed.height ?? 0,
            "duration": "\(seconds / 60):\(seconds % 60 < 10 ? "0" : "")\(seconds % 60)",
            "duration_seconds": seconds,
        ]
        if let poster = use.poster, let plan = imagePlans[poster] {
            let variant = plan.variants.first { $0.format == .webp && $0.width <= 1280 } ?? plan.fallback
            context["poster"] = variant.url
        }
        let languages = [lang] + exhibit.languages.filter { $0 != lang }
        context["tracks"] = languages.compactMap { code -> [String: Any]? in
            guard let path = use.captions[code], let url = mediaURLs[path] else { return nil }
            return ["src": url, "lang": code, "label": theme.strings[code]?.name ?? code, "default": code == lang]
        }
        return context
    }

    /// An image for the templates: `url`, `width` and `height` (upright), and for a raster
    /// image `srcset` (JPEG) and `sources` (`type`, `srcset`: AVIF, WebP) for `<picture>`.
    func picture(_ file: String) -> [String: Any] {
        let size = mediaSizes[file]
        var context: [String: Any] = ["url": mediaURLs[file] ?? "", "width": size?.width ?? 0, "height": size?.height ?? 0]
        if let plan = imagePlans[file] {
            context["srcset"] = plan.srcset(.jpeg)
            context["sources"] = plan.formats.filter { $0 != .jpeg }.map { ["type": $0.contentType, "srcset": plan.srcset($0)] }
        }
        return context
    }

    private func sourceContext(_ source: Source, _ lang: String) -> [String: Any] {
        var context: [String: Any] = ["title": text(source.title, lang)]
        if let author = source.author { context["author"] = author }
        if let publisher = source.publisher { context["publisher"] = publisher }
        if let publication = source.publication { context["publication"] = publication }
        if let date = source.date { context["date"] = theme.strings[lang]!.format(date) }
        let note = text(source.note, lang)
        if !note.isEmpty { context["note_html"] = Markdown.html(note) }
        if let url = source.url { context["url"] = url }
        return context
    }

    private func mediaCredits(_ lang: String) -> [[String: Any]] {
        var seen = Set<String>()
        var result: [[String: Any]] = []
        for event in exhibit.events {
            for use in event.media where seen.insert(use.file).inserted {
                result.append(["alt": text(use.alt, lang), "credit": text(use.credit, lang),
                               "url": mediaURLs[use.file] ?? ""])
            }
        }
        // Maps not shown as an event's medium (insets) are credited too.
        for map in exhibit.maps where !text(map.credit, lang).isEmpty && seen.insert(map.file).inserted {
            result.append(["alt": text(map.alt, lang), "credit": text(map.credit, lang), "url": mediaURLs[map.file] ?? ""])
        }
        return result
    }

    private func yearName(_ year: Int, _ lang: String) -> String {
        theme.strings[lang]!.format(try! ExhibitDate(year: year))
    }

    private func link(_ event: Event, _ lang: String) -> [String: Any] {
        ["url": SiteURL.event(lang, event.id), "title": eventText(event, lang).title]
    }

    private func coordinates(_ place: (latitude: Double, longitude: Double), _ lang: String) -> String {
        let strings = theme.strings[lang]!
        func part(_ value: Double, _ positive: String, _ negative: String) -> String {
            let rounded = (abs(value) * 1000).rounded() / 1000
            return "\(strings.digits(String(rounded)))° \(label(value >= 0 ? positive : negative, lang))"
        }
        return part(place.latitude, "north", "south") + label("comma", lang) + part(place.longitude, "east", "west")
    }

    // MARK: Text

    /// A localized text in `lang`, with the language's own digits (Markdown-aware, since
    /// several of these texts are Markdown).
    func text(_ localized: LocalizedText, _ lang: String) -> String {
        let words = localized.text(lang, fallback: exhibit.defaultLanguage)
        return theme.strings[lang]?.localizingDigits(markdown: words) ?? words
    }

    func label(_ key: String, _ lang: String) -> String {
        theme.strings[lang]?.labels[key] ?? theme.strings[exhibit.defaultLanguage]?.labels[key] ?? key
    }

    func eventText(_ event: Event, _ lang: String) -> EventText {
        var words = event.text[lang] ?? event.text[exhibit.defaultLanguage]!
        guard let strings = theme.strings[lang], strings.hasOwnDigits else { return words }
        words.title = strings.localizingDigits(text: words.title)
        words.summary = strings.localizingDigits(text: words.summary)
        words.displayDate = words.displayDate.map { strings.localizingDigits(text: $0) }
        words.body = strings.localizingDigits(markdown: words.body)
        return words
    }

    func dateLine(_ event: Event, _ lang: String) -> String {
        let strings = theme.strings[lang]!
        // Only the display date: localizing the whole body for it cost a large build seconds.
        let words = event.text[lang] ?? event.text[exhibit.defaultLanguage]!
        return words.displayDate.map { strings.localizingDigits(text: $0) }
            ?? strings.format(start: event.start, end: event.end, circa: event.circa)
    }
}
