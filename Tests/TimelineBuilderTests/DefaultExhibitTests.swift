import Foundation
import Testing
@testable import TimelineBuilder

/// The default exhibit, "Iraq 2003–2014": complete in both languages, labelled museum-style,
/// and written in its own words.
@Suite struct DefaultExhibitTests {
    static let loaded: (exhibit: Exhibit?, diagnostics: [Diagnostic]) = {
        let diagnostics = Diagnostics()
        let result = ExhibitLoader(root: Tree.defaultExhibit).load(diagnostics: diagnostics)
        return (result.exhibit, diagnostics.sorted)
    }()

    var exhibit: Exhibit { Self.loaded.exhibit! }

    /// Words as a reader counts them: runs of letters and digits (apostrophes and hyphens inside).
    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’" || $0 == "-") }
            .map(String.init).filter { $0.contains { $0.isLetter || $0.isNumber } }
    }

    /// Markdown to plain sentences: markup dropped, split after . ! ? (and Arabic ؟).
    static func sentences(_ markdown: String) -> [String] {
        let plain = markdown.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "_", with: " ")
        var result: [String] = [], current = ""
        for character in plain {
            current.append(character)
            if ".!?؟".contains(character) {
                result.append(current)
                current = ""
            }
        }
        if !words(current).isEmpty { result.append(current) }
        return result.filter { !words($0).isEmpty }
    }

    @Test func buildsWithoutWarningsInBothLanguages() throws {
        #expect(Self.loaded.diagnostics.map(\.description) == [])
        #expect(exhibit.languages == ["en", "ar"])
        var options = BuildOptions(exhibit: Tree.defaultExhibit, output: nil, theme: Tree.theme)
        options.warningsAsErrors = true
        let report = try Builder.build(options)
        #expect(report.diagnostics.isEmpty)
    }

    @Test func hasTheExpectedShape() {
        #expect((35...50).contains(exhibit.events.count), "\(exhibit.events.count) events")
        let highlights = exhibit.events.count { $0.highlight }
        #expect((8...12).contains(highlights), "\(highlights) highlights")
        #expect(exhibit.eras.count >= 3 && exhibit.themes.count >= 4)
        let placeIDs = Set(exhibit.places.map(\.id))
        for required in ["basra", "samarra", "fallujah", "mosul", "tal-afar", "tikrit", "kirkuk", "karbala", "washash"] {
            #expect(placeIDs.contains(required), "place \(required)")
        }
        #expect(exhibit.events.first!.start.year == 2003 && exhibit.events.last!.start.year == 2014)
        #expect(exhibit.map != nil)
    }

    @Test func everyEventHasPlaceEraThemeAndSource() {
        for event in exhibit.events {
            #expect(!event.places.isEmpty, "\(event.id) has no place")
            #expect(!event.eras.isEmpty, "\(event.id) has no era")
            #expect(!event.themes.isEmpty, "\(event.id) has no theme")
            #expect(!event.sources.isEmpty, "\(event.id) has no source")
            for language in exhibit.languages {
                let text = event.text[language]
                #expect(text != nil && !(text!.body.isEmpty), "\(event.id) has no \(language) body")
            }
        }
    }

    @Test func labelsFollowMuseumLengths() {
        for event in exhibit.events {
            for language in exhibit.languages {
                guard let text = event.text[language] else { continue }
                let where_ = "\(event.id) (\(language))"
                #expect(Self.words(text.title).count <= 8, "title of \(where_): \(Self.words(text.title).count) words")
                #expect(Self.words(text.summary).count <= 30, "summary of \(where_): \(Self.words(text.summary).count) words")
                #expect(Self.words(text.body).count <= 100, "body of \(where_): \(Self.words(text.body).count) words")
                for sentence in Self.sentences(text.body) {
                    #expect(Self.words(sentence).count <= 25, "sentence in \(where_): \(sentence)")
                }
            }
        }
    }

    @Test func everyPlaceIsOnAMapOrSaysWhyNot() throws {
        _ = try #require(exhibit.map)
        // A place with a point is pinned; only places abroad fall outside the maps of Iraq.
        let off = exhibit.places.filter { $0.coordinates != nil && $0.pin && exhibit.pinMap(for: $0) == nil }
        #expect(off.map(\.id) == ["vienna"], "\(off.map(\.id))")
    }

    @Test func theSentenceCheckerCountsLikeAReader() {
        #expect(Self.words("The Surge, in early 2007 — a US plan.") == ["The", "Surge", "in", "early", "2007", "a", "US", "plan"])
        #expect(Self.sentences("One. Two words? Three *bold* words!").count == 3)
    }
}
