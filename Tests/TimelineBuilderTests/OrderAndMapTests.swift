import Foundation
import Testing
import TimelineSnapshot
@testable import TimelineBuilder

/// The curator's ordering (`sort`, `after`), places without pins, inset maps and source
/// citations: how they are checked, and what reaches the snapshot.
@Suite struct OrderAndMapTests {
    // MARK: Helpers

    /// An event file of the mini exhibit, with extra front matter lines.
    static func event(_ title: String, _ date: String, _ extra: String = "") -> String {
        MiniExhibit.event("""
        title: \(title)
        summary: S.
        date: \(date)
        eras: [one]
        themes: [politics]
        places: [basra]
        sources: [notes]\(extra.isEmpty ? "" : "\n" + extra)
        """)
    }

    func expectOnly(_ overrides: [String: String], _ expected: [String],
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let folder = MiniExhibit.folder(overrides)
        #expect(MiniExhibit.diagnostics(folder) == expected, sourceLocation: sourceLocation)
    }

    func order(_ overrides: [String: String]) -> [String] {
        let folder = MiniExhibit.folder(overrides)
        let diagnostics = Diagnostics()
        let exhibit = ExhibitLoader(root: folder.path).load(diagnostics: diagnostics).exhibit
        #expect(diagnostics.sorted.isEmpty, "\(diagnostics.sorted)")
        return exhibit?.events.map(\.id) ?? []
    }

    // MARK: Ordering

    @Test func yearEventsSortToTheirFirstDayUnlessTheCuratorSaysOtherwise() {
        let files = [
            "events/an-event.md": Self.event("March", "2008-03"),
            "events/year.md": Self.event("Some time in 2008", "2008"),
        ]
        #expect(order(files) == ["year", "an-event"])
        var sorted = files
        sorted["events/year.md"] = Self.event("Some time in 2008", "2008", "sort: 2008-05")
        #expect(order(sorted) == ["an-event", "year"])
        var after = files
        after["events/year.md"] = Self.event("Some time in 2008", "2008", "after: an-event")
        #expect(order(after) == ["an-event", "year"])
    }

    @Test func afterPlacesAnEventDirectlyBehindAnother() {
        // Same month: without `after` the ids decide ("a-city" before "b-airport").
        let files = [
            "events/an-event.md": Self.event("Earlier", "2008-11"),
            "events/b-airport.md": Self.event("Arrival", "2008-12"),
            "events/a-city.md": Self.event("The city", "2008-12", "after: b-airport"),
            "events/c-later.md": Self.event("Later", "2009"),
            "events/d-chain.md": Self.event("Chain", "2008", "after: a-city"),
        ]
        #expect(order(files) == ["an-event", "b-airport", "a-city", "d-chain", "c-later"])
    }

    @Test func afterIsChecked() {
        expectOnly(["events/x.md": Self.event("X", "2008", "after: an-evnt")],
                   ["events/x.md:9:8: error: unknown event 'an-evnt' in 'after'; did you mean 'an-event'?"])
        expectOnly(["events/x.md": Self.event("X", "2008", "after: x")],
                   ["events/x.md:9:8: error: event 'x' cannot come after itself"])
        // An event cannot follow one that starts after it is over.
        expectOnly(["events/x.md": Self.event("X", "2007-05", "after: an-event")],
                   ["events/x.md:9:8: error: event 'x' (2007-05) cannot come after 'an-event', which starts later (2007-08-29)"])
        expectOnly(["events/x.md": Self.event("X", "2007", "after: an-event\nsort: 2007-09")],
                   ["events/x.md:10:7: error: give either 'sort' or 'after', not both"])
    }

    @Test func afterCyclesAreReported() {
        expectOnly([
            "events/a.md": Self.event("A", "2007", "after: b"),
            "events/b.md": Self.event("B", "2007", "after: c"),
            "events/c.md": Self.event("C", "2007", "after: a"),
            "events/d.md": Self.event("D", "2007", "after: c"),
        ], ["events/a.md:9:8: error: events follow each other in a circle ('a' → 'b' → 'c' → 'a'); remove one 'after'"])
    }

    @Test func sortMustLieWithinTheEventsDates() {
        expectOnly(["events/x.md": Self.event("X", "2008", "sort: 2009-01")],
                   ["events/x.md:9:7: error: sort date 2009-01 lies outside the event's dates (2008)"])
        expectOnly(["events/x.md": Self.event("X", "2008-02", "end: 2008-06\nsort: 2008-07")],
                   ["events/x.md:10:7: error: sort date 2008-07 lies outside the event's dates (2008-02 – 2008-06)"])
        expectOnly(["events/x.md": Self.event("X", "2008-02", "end: 2008-06\nsort: 2008-06-30")], [])
    }

    // MARK: Places and maps

    static let svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100"/>"#

    static func exhibit(places: String, maps: String) -> String {
        MiniExhibit.exhibitYAML.replacingOccurrences(of: """
        places:
          - id: basra
            name: Basra
            latitude: 30.5
            longitude: 47.8
        """, with: places) + "\n" + maps
    }

    static let maps = """
    map:
      file: media/main.svg
      alt: Main
      west: 40
      east: 50
      north: 35
      south: 25
    insets:
      - id: city
        title: The city
        file: media/city.svg
        alt: City
        credit: Drawn for the tests
        west: 47
        east: 48
        north: 31
        south: 30
    """

    static let places = """
    places:
      - id: basra
        name: Basra
        latitude: 30.5
        longitude: 47.8
        map: city
      - id: region
        name: A region
      - id: hidden
        name: Unpinned
        latitude: 33
        longitude: 44
        pin: false
      - id: town
        name: Town
        latitude: 33
        longitude: 44
    """

    func mapFolder(places: String = places, maps: String = maps) -> TemporaryFolder {
        let folder = MiniExhibit.folder(["exhibit.yaml": Self.exhibit(places: places, maps: maps)])
        folder.write(["media/main.svg": Self.svg, "media/city.svg": Self.svg])
        return folder
    }

    @Test func eachPlaceIsPinnedOnOneMapAtMost() throws {
        let folder = mapFolder()
        #expect(MiniExhibit.diagnostics(folder) == [])
        let exhibit = try #require(ExhibitLoader(root: folder.path).load(diagnostics: Diagnostics()).exhibit)
        let pinned = exhibit.places.map { "\($0.id):\(exhibit.pinMap(for: $0)?.id ?? "-")" }
        #expect(pinned == ["basra:city", "region:-", "hidden:-", "town:main"])
        #expect(exhibit.pinnedPlaces(on: "main").map(\.id) == ["town"])
        let at = try #require(exhibit.pinPosition(for: exhibit.places[0]))
        #expect(abs(at.x - 0.8) < 1e-9 && abs(at.y - 0.5) < 1e-9)
    }

    @Test func placeAndInsetProblems() {
        let half = Self.places.replacingOccurrences(of: "    latitude: 30.5\n", with: "")
        #expect(MiniExhibit.diagnostics(mapFolder(places: half)) == [
            "exhibit.yaml:17:5: error: place 'basra' has a longitude but no latitude; give both, or neither for a region without a pin",
        ])
        let unknown = Self.places.replacingOccurrences(of: "map: city", with: "map: cty")
        #expect(MiniExhibit.diagnostics(mapFolder(places: unknown)) == [
            "exhibit.yaml:21:10: error: unknown inset 'cty' for place 'basra'; did you mean 'city'?",
        ])
        let outside = Self.places.replacingOccurrences(of: "longitude: 47.8", with: "longitude: 46.8")
        #expect(MiniExhibit.diagnostics(mapFolder(places: outside)) == [
            "exhibit.yaml:21:10: error: place 'basra' (30.5, 46.8) lies outside the edges of inset 'city'",
        ])
        let contradiction = Self.places.replacingOccurrences(of: "    pin: false", with: "    pin: false\n    map: city")
        #expect(MiniExhibit.diagnostics(mapFolder(places: contradiction)) == [
            "exhibit.yaml:29:10: error: place 'hidden' has 'pin: false', so it is on no map; remove 'map'",
        ])
        let regionOnMap = Self.places.replacingOccurrences(of: "    name: A region", with: "    name: A region\n    map: city")
        #expect(MiniExhibit.diagnostics(mapFolder(places: regionOnMap)) == [
            "exhibit.yaml:24:10: error: place 'region' has no coordinates to pin on map 'city'",
        ])
        let mainID = Self.maps.replacingOccurrences(of: "id: city", with: "id: main")
            .replacingOccurrences(of: "map: city", with: "map: main")
        #expect(MiniExhibit.diagnostics(mapFolder(places: Self.places.replacingOccurrences(of: "map: city", with: "map: main"),
                                                  maps: mainID)) == [
            "exhibit.yaml:45:9: error: 'main' is the main map's id; name the inset after what it shows",
        ])
    }

    // MARK: What a build writes

    @Test func buildCarriesMapsPinsOrderAndCitations() throws {
        let folder = mapFolder()
        folder.write([
            "events/year.md": Self.event("Year", "2007", "after: an-event"),
        ])
        let yaml = try String(contentsOfFile: folder.file("exhibit.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    title: Notes\n", with: """
                title: Notes
                author: A. Writer
                publication: The Review
                date: 2009-11
                note: What the notes are.

            """)
        folder.write(["exhibit.yaml": yaml])
        var options = BuildOptions(exhibit: folder.path, output: folder.file("x.db"), theme: Tree.theme)
        options.warningsAsErrors = false
        _ = try Builder.build(options)
        let file = try SnapshotFile(path: folder.file("x.db"))
        func resource(_ path: String) throws -> String {
            try #require(try file.database.scalarText("SELECT CAST(body AS TEXT) FROM resources WHERE path = '\(path)'"))
        }

        let api = try #require(try JSONSerialization.jsonObject(with: Data(resource("/api/exhibit").utf8)) as? [String: Any])
        let maps = try #require(api["maps"] as? [[String: Any]])
        #expect(maps.map { $0["id"] as? String } == ["main", "city"])
        #expect(maps.map { $0["inset"] as? Bool } == [false, true])
        let cityPins = try #require(maps[1]["pins"] as? [[String: Any]])
        #expect(cityPins.count == 1 && cityPins[0]["place"] as? String == "basra" && cityPins[0]["x"] as? Double == 0.8)
        #expect((maps[1]["bounds"] as? [String: Double])?["west"] == 47)
        #expect((maps[1]["image"] as? String)?.hasPrefix("/media/city.") == true)
        let places = try #require(api["places"] as? [[String: Any]])
        #expect(places.map { $0["map"] as? String } == ["city", nil, nil, "main"])
        #expect(places.map { $0["pin"] as? Bool } == [true, false, false, true])
        #expect(places[1]["latitude"] == nil)
        let source = try #require((api["sources"] as? [[String: Any]])?.first)
        #expect(source["publication"] as? String == "The Review" && source["author"] as? String == "A. Writer")

        let events = try #require(try JSONSerialization.jsonObject(with: Data(resource("/api/events").utf8)) as? [[String: Any]])
        #expect(events.map { $0["id"] as? String } == ["an-event", "year"])
        #expect(events[1]["after"] as? String == "an-event")
        #expect(events[0]["after"] is NSNull && events[0]["sort"] is NSNull)

        let css = try #require(try file.database.scalarText("SELECT CAST(body AS TEXT) FROM resources WHERE path LIKE '/assets/exhibit.%.css'"))
        #expect(css.contains(".pin-basra { left: 80.00%; top: 50.00%; }"))
        #expect(css.contains(".pin-town { left: 40.00%; top: 20.00%; }"))
        #expect(!css.contains(".pin-region") && !css.contains(".pin-hidden"))

        let placesPage = try resource("/en/places/")
        #expect(placesPage.components(separatedBy: "<figure class=\"map\">").count == 3, "main map and inset")
        #expect(placesPage.contains("The city") && placesPage.contains("Drawn for the tests"))
        #expect(try resource("/en/places/basra").contains("class=\"pin pin-basra\""))
        let region = try resource("/en/places/region")
        #expect(!region.contains("<figure class=\"map\">"))

        let event = try resource("/en/events/an-event")
        #expect(event.contains("Source: <cite>Notes</cite>, The Review, November 2009"), "\(event)")
        let credits = try resource("/en/credits")
        #expect(credits.contains("<cite>Notes</cite>, A. Writer, The Review, November 2009"))
        #expect(credits.contains("<p>What the notes are.</p>"))
        let sourceRow = try #require(try file.database.scalarText("SELECT publication FROM sources WHERE id = 'notes'"))
        #expect(sourceRow == "The Review")
        #expect(try file.database.scalarText("SELECT map FROM places WHERE id = 'basra'") == "city")
    }
}
