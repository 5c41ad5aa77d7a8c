import Testing
@testable import TimelineBuilder

/// Each check of the exhibit, with the exact position and words a curator sees.
@Suite struct ValidationTests {
    func expectOnly(_ overrides: [String: String], _ expected: [String],
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let folder = MiniExhibit.folder(overrides)
        #expect(MiniExhibit.diagnostics(folder) == expected, sourceLocation: sourceLocation)
    }

    @Test func theMiniExhibitIsClean() {
        expectOnly([:], [])
    }

    @Test func badYAML() {
        expectOnly(["events/an-event.md": MiniExhibit.event("title: \"unclosed\nsummary: x")],
                   ["events/an-event.md:3:11: error: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 2)"])
        expectOnly(["exhibit.yaml": "id: [unclosed\n"],
                   ["exhibit.yaml:2:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1)"])
    }

    @Test func duplicateKey() {
        expectOnly(["events/an-event.md": MiniExhibit.event("title: A\ntitle: B\nsummary: S\ndate: 2007")],
                   ["events/an-event.md:2:1: error: duplicate key 'title' in a mapping"])
    }

    @Test func unknownKeyWithSuggestion() {
        let text = MiniExhibit.goodEvent.replacingOccurrences(of: "people:", with: "poeple:")
        expectOnly(["events/an-event.md": text],
                   ["events/an-event.md:8:1: error: unknown key 'poeple' in an event's front matter; did you mean 'people'?"])
        let yaml = MiniExhibit.exhibitYAML.replacingOccurrences(of: "    title: Politics", with: "    titel: Politics")
        expectOnly(["exhibit.yaml": yaml], [
            "exhibit.yaml:14:5: error: missing required key 'title' in a theme",
            "exhibit.yaml:15:5: error: unknown key 'titel' in a theme; did you mean 'title'?",
        ])
    }

    @Test func missingRequiredField() {
        let text = MiniExhibit.goodEvent.replacingOccurrences(of: "summary: A summary.\n", with: "")
        expectOnly(["events/an-event.md": text],
                   ["events/an-event.md:2:1: error: missing required key 'summary' in an event's front matter"])
    }

    @Test func invalidAndImpossibleDates() {
        let impossible = MiniExhibit.goodEvent.replacingOccurrences(of: "2007-08-29", with: "2007-02-30")
        expectOnly(["events/an-event.md": impossible],
                   ["events/an-event.md:4:7: error: invalid date '2007-02-30' for 'date': day 30 does not exist in February 2007, which has 28 days"])
        let malformed = MiniExhibit.goodEvent.replacingOccurrences(of: "2007-08-29", with: "29/08/2007")
        expectOnly(["events/an-event.md": malformed],
                   ["events/an-event.md:4:7: error: invalid date '29/08/2007' for 'date': expected a date as YYYY, YYYY-MM or YYYY-MM-DD (a negative year for BCE)"])
    }

    @Test func endBeforeStart() {
        let text = MiniExhibit.goodEvent.replacingOccurrences(of: "date: 2007-08-29\n", with: "date: 2007-08-29\nend: 2007-08-28\n")
        expectOnly(["events/an-event.md": text],
                   ["events/an-event.md:5:6: error: end 2007-08-28 is before the start 2007-08-29"])
        // An end of lower precision that still covers the start is fine.
        let covering = MiniExhibit.goodEvent.replacingOccurrences(of: "date: 2007-08-29\n", with: "date: 2007-08-29\nend: 2007\n")
        expectOnly(["events/an-event.md": covering], [])
        let era = MiniExhibit.exhibitYAML.replacingOccurrences(of: "end: 2014", with: "end: 2002")
        expectOnly(["exhibit.yaml": era], ["exhibit.yaml:11:10: error: end 2002 is before the start 2003"])
    }

    @Test func unknownReferences() {
        let text = MiniExhibit.goodEvent
            .replacingOccurrences(of: "eras: [one]", with: "eras: [onne]")
            .replacingOccurrences(of: "themes: [politics]", with: "themes: [politcs]")
            .replacingOccurrences(of: "places: [basra]", with: "places: [mosul]")
            .replacingOccurrences(of: "people: [someone]", with: "people: [someon]")
            .replacingOccurrences(of: "sources: [notes]", with: "sources: [note]")
        expectOnly(["events/an-event.md": text], [
            "events/an-event.md:5:8: error: unknown era 'onne'; did you mean 'one'?",
            "events/an-event.md:6:10: error: unknown theme 'politcs'; did you mean 'politics'?",
            "events/an-event.md:7:10: error: unknown place 'mosul'",
            "events/an-event.md:8:10: error: unknown person 'someon'; did you mean 'someone'?",
            "events/an-event.md:9:11: error: unknown source 'note'; did you mean 'notes'?",
        ])
    }

    @Test func duplicateIDs() {
        let yaml = MiniExhibit.exhibitYAML + "\n  - id: someone\n    name: Again\n    role: Again"
        expectOnly(["exhibit.yaml": yaml],
                   ["exhibit.yaml:25:9: error: duplicate person id 'someone'; first declared at exhibit.yaml:22:9"])
    }

    @Test func duplicateEventIDs() {
        let folder = MiniExhibit.folder([
            "events/other.md": MiniExhibit.goodEvent.replacingOccurrences(of: "title: An event", with: "id: an-event\ntitle: Other"),
        ])
        let lines = MiniExhibit.diagnostics(folder)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("events/other.md:2:5: error: duplicate event id 'an-event'; first used at ") == true)
    }

    @Test func mediaProblems() {
        let media = """
        media:
          - file: media/missing.jpg
            alt: A picture
            credit: Someone
          - file: media/photo.png
            credit: Someone
          - file: media/photo.png
            alt: Again
          - file: ../outside.png
            alt: Outside
            credit: Someone
        """
        let text = MiniExhibit.goodEvent.replacingOccurrences(of: "sources: [notes]", with: "sources: [notes]\n" + media)
        let folder = MiniExhibit.folder(["events/an-event.md": text])
        folder.write("media/photo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
                     + Array("IHDR".utf8) + [0, 0, 0, 4, 0, 0, 0, 3, 8, 2, 0, 0, 0])
        // A PNG header with no pixels after it; libvips 8.14 gives no reason, 8.16 does.
        let lines = MiniExhibit.diagnostics(folder).map {
            $0.hasPrefix("events/an-event.md:14:11: error: media file 'media/photo.png': damaged or incomplete image")
                ? "events/an-event.md:14:11: error: media file 'media/photo.png': damaged or incomplete image" : $0
        }
        #expect(lines == [
            "events/an-event.md:11:11: error: media file 'media/missing.jpg' not found in \(folder.path)",
            "events/an-event.md:14:5: error: missing alt text: add 'alt', a description for visitors who cannot see the image",
            "events/an-event.md:14:11: error: media file 'media/photo.png': damaged or incomplete image",
            "events/an-event.md:16:5: error: missing 'credit': say who made the image or holds its rights",
            "events/an-event.md:16:11: error: media file 'media/photo.png' is listed twice",
            "events/an-event.md:18:11: error: media file '../outside.png' must be a path inside the exhibit folder",
        ])
    }

    @Test func invalidUTF8() {
        let folder = MiniExhibit.folder()
        folder.write("events/an-event.md", Array("---\ntitle: caf".utf8) + [0xE9] + Array("\nsummary: x\ndate: 2007\n---\n".utf8))
        #expect(MiniExhibit.diagnostics(folder) == ["events/an-event.md:2:11: error: invalid UTF-8; save the file as UTF-8"])
    }

    @Test func declaredLanguageWithoutText() {
        let yaml = MiniExhibit.exhibitYAML.replacingOccurrences(of: "languages: [en]", with: "languages: [en, ar]")
        let folder = MiniExhibit.folder(["exhibit.yaml": yaml])
        let lines = MiniExhibit.diagnostics(folder)
        #expect(lines.contains("events/an-event.md:1:1: warning: event 'an-event' has no 'ar' text; add events/an-event.ar.md"))
        #expect(lines.contains("exhibit.yaml:2:8: warning: the exhibit title has no 'ar' text"))
        #expect(lines.allSatisfy { $0.contains(": warning: ") })
    }

    @Test func undeclaredLanguage() {
        let yaml = MiniExhibit.exhibitYAML.replacingOccurrences(of: "title: Mini", with: "title: {en: Mini, fr: Mini}")
        expectOnly(["exhibit.yaml": yaml], ["exhibit.yaml:2:19: error: language 'fr' in 'title' is not declared in exhibit.yaml"])
        expectOnly(["events/an-event.fr.md": "---\ntitle: T\nsummary: S\n---\n"],
                   ["events/an-event.fr.md:1:1: error: language 'fr' is not declared in exhibit.yaml"])
    }

    @Test func translationOfMissingEvent() {
        let yaml = MiniExhibit.exhibitYAML.replacingOccurrences(of: "languages: [en]", with: "languages: [en, ar]")
        let folder = MiniExhibit.folder(["exhibit.yaml": yaml, "events/an-evnt.ar.md": "---\ntitle: T\nsummary: S\n---\n"])
        #expect(MiniExhibit.diagnostics(folder).contains(
            "events/an-evnt.ar.md:1:1: error: translation of an event that does not exist: no events/an-evnt.md; did you mean 'an-event'?"))
    }

    @Test func wrongTypes() {
        let text = MiniExhibit.goodEvent.replacingOccurrences(of: "title: An event", with: "title: [a, b]\nhighlight: maybe")
        expectOnly(["events/an-event.md": text], [
            "events/an-event.md:2:8: error: 'title' must be text, not a list",
            "events/an-event.md:3:12: error: 'highlight' must be true or false",
        ])
    }

    @Test func frontMatterMarkers() {
        expectOnly(["events/an-event.md": "title: no markers\n"],
                   ["events/an-event.md:1:1: error: expected front matter: the file must start with a line '---'"])
        expectOnly(["events/an-event.md": "---\ntitle: never closed\n"],
                   ["events/an-event.md:3:1: error: front matter is not closed: add a line '---' after it"])
    }

    @Test func missingExhibitFile() {
        let folder = TemporaryFolder()
        #expect(MiniExhibit.diagnostics(folder) == ["exhibit.yaml:1:1: error: missing exhibit.yaml: every exhibit folder needs one"])
    }

    @Test func yearsOutsideFourDigitsAreRefused() {
        let text = MiniExhibit.goodEvent.replacingOccurrences(of: "date: 2007-08-29", with: "date: 99999-01")
        expectOnly(["events/an-event.md": text],
                   ["events/an-event.md:4:7: error: invalid date '99999-01' for 'date': year 99999 is outside -9999…9999"])
        let far = MiniExhibit.goodEvent.replacingOccurrences(of: "date: 2007-08-29", with: "date: -10000")
        expectOnly(["events/an-event.md": far],
                   ["events/an-event.md:4:7: error: invalid date '-10000' for 'date': year -10000 is outside -9999…9999"])
    }

    @Test func numbersAndBooleansAreNotText() {
        let number = MiniExhibit.goodEvent.replacingOccurrences(of: "title: An event", with: "title: 123")
        expectOnly(["events/an-event.md": number],
                   ["events/an-event.md:2:8: error: 'title' must be text, not the number 123; write \"123\" in quotes if that is the text"])
        let boolean = MiniExhibit.goodEvent.replacingOccurrences(of: "summary: A summary.", with: "summary: yes")
        expectOnly(["events/an-event.md": boolean],
                   ["events/an-event.md:3:10: error: 'summary' must be text, not the boolean yes; write \"yes\" in quotes if that is the text"])
        // Quoted, it is the text.
        let quoted = MiniExhibit.goodEvent.replacingOccurrences(of: "title: An event", with: "title: \"1968\"")
        expectOnly(["events/an-event.md": quoted], [])
    }

    @Test func aBareIdIsAOneElementList() {
        // Documented in EXHIBIT_FORMAT.md: `eras: one` is `eras: [one]`.
        let bare = MiniExhibit.goodEvent.replacingOccurrences(of: "eras: [one]", with: "eras: one")
        expectOnly(["events/an-event.md": bare], [])
        let unknown = MiniExhibit.goodEvent.replacingOccurrences(of: "eras: [one]", with: "eras: civil-war")
        #expect(MiniExhibit.diagnostics(MiniExhibit.folder(["events/an-event.md": unknown])).first?
                    .hasPrefix("events/an-event.md:5:7: error: unknown era 'civil-war'") == true)
    }

    @Test func filesOverTheirLimitsAreRefusedBeforeTheyAreRead() {
        let folder = MiniExhibit.folder()
        folder.write("events/huge.md", Array(String(repeating: "x", count: 300 << 10).utf8))
        var limits = ExhibitLoader.Limits()
        func diagnostics() -> [String] {
            let diagnostics = Diagnostics()
            _ = ExhibitLoader(root: folder.path, limits: limits).load(diagnostics: diagnostics)
            return diagnostics.sorted.map { $0.description.replacingOccurrences(of: folder.path + "/", with: "") }
        }
        #expect(diagnostics() == ["events/huge.md:1:1: error: the file is 300 KiB; the limit is 256 KiB (--max-text-kb)"])
        limits.textFileBytes = 1 << 20
        limits.exhibitBytes = 100 << 10
        #expect(diagnostics().contains("events/huge.md:1:1: error: the exhibit passes 100 KiB with this file (--max-exhibit-mb)"))
    }
}
