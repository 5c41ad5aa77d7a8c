import Foundation
import Testing
@testable import TimelineBuilder

/// `timeline-build import`: TimelineJS JSON and Sheets CSV as exhibit folders that build.
@Suite struct ImportTests {
    static let fixtures = Tree.fixtures + "/timelinejs/"

    func importAndCheck(_ name: String) throws -> (TimelineJSImport.Outcome, TemporaryFolder, BuildReport) {
        let outcome = try TimelineJSImport(path: Self.fixtures + name).read()
        let folder = TemporaryFolder()
        try TimelineJSImport.write(outcome, into: folder.path)
        let report = try Builder.build(BuildOptions(exhibit: folder.path, output: nil, theme: Tree.theme))
        return (outcome, folder, report)
    }

    func warnings(_ outcome: TimelineJSImport.Outcome) -> [String] {
        outcome.warnings.map { $0.description.replacingOccurrences(of: Self.fixtures, with: "") }
    }

    @Test func jsonBecomesAnExhibitThatBuilds() throws {
        let (outcome, folder, report) = try importAndCheck("harbour.json")
        #expect(report.events == 5 && report.diagnostics.isEmpty)
        #expect(outcome.events == 5)
        let lines = warnings(outcome)
        for expected in [
            "harbour.json:2:1: warning: the title slide's media (https://example.org/harbour-panorama.jpg) is not carried over",
            "harbour.json:15:1: warning: online media https://www.youtube.com/watch?v=abcdefghijk is not carried over: listed in media/TO-FETCH.txt",
            "harbour.json:22:1: warning: the slide's background is not carried over: the theme sets the look",
            "harbour.json:24:1: warning: the time of day is not carried over: an exhibit's dates are days",
            "harbour.json:24:1: warning: HTML not carried over: <iframe> (the text inside is kept, but for script, style and embedded frames)",
            "harbour.json:29:1: warning: no headline: the date is used as the title",
            "harbour.json:36:1: warning: date 1925-06-31 does not exist: only the year is kept",
            "harbour.json:36:1: warning: link 'javascript:alert(1)' is not carried over (only http, https and mailto)",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)\nin \(lines.joined(separator: "\n"))")
        }
        let foundation = try String(contentsOfFile: folder.file("events/foundation.md"), encoding: .utf8)
        #expect(foundation.contains("date: 1890-04-12\neras: [paraffin-years]\nthemes: [building]\n"))
        #expect(foundation.contains("The **harbour board** lays the first stone on the north mole. Work is *slow* through the wet spring."))
        #expect(foundation.contains("See the [board minutes](https://example.org/minutes)."))
        #expect(FileManager.default.fileExists(atPath: folder.file("media/keeper.jpg")))
        let lamp = try String(contentsOfFile: folder.file("events/the-lamp-arrives.md"), encoding: .utf8)
        #expect(lamp.contains("end: 1892-02\ndisplay_date: \"Winter 1891\""))
        #expect(lamp.contains("- A first-order lens\n- Paraffin burner\n\nShipped in sixty crates."))
        let fetch = try String(contentsOfFile: folder.file("media/TO-FETCH.txt"), encoding: .utf8)
        #expect(fetch.contains("harbour.json:15  https://www.youtube.com/watch?v=abcdefghijk"))
        let yaml = try String(contentsOfFile: folder.file("exhibit.yaml"), encoding: .utf8)
        #expect(yaml.contains("title: \"The Harbour Light 1890–1925\""))
    }

    @Test func sheetCSVBecomesAnExhibitThatBuilds() throws {
        let (outcome, folder, report) = try importAndCheck("harbour.csv")
        #expect(report.events == 4 && report.diagnostics.isEmpty)
        let lines = warnings(outcome)
        #expect(lines.contains("harbour.csv:4:1: warning: Media Thumbnail is not carried over (the builder makes every size itself)"))
        #expect(lines.contains("harbour.csv:6:1: warning: Background is not carried over: the theme sets the look"))
        #expect(lines.contains("harbour.csv:7:1: warning: the time of day is not carried over: an exhibit's dates are days"))
        // The record on line 4 runs over two lines; the next record starts on line 6.
        #expect(lines.contains("harbour.csv:8:1: warning: online media https://example.org/relit.jpg is not carried over: listed in media/TO-FETCH.txt"))
        let foundation = try String(contentsOfFile: folder.file("events/foundation-stone-laid.md"), encoding: .utf8)
        #expect(foundation.contains("Work is \"slow\" through the wet spring."))
        let yaml = try String(contentsOfFile: folder.file("exhibit.yaml"), encoding: .utf8)
        #expect(yaml.contains("  - id: paraffin-years\n    title: \"Paraffin years\"\n    start: 1890\n    end: 1915\n"))
    }

    @Test func brokenInputIsRefusedWithItsPlace() throws {
        let folder = TemporaryFolder()
        folder.write(["bad.json": "{\n  \"events\": [\n    {\"start_date\": {\"year\": 1900},}\n  ]\n}\n",
                      "notes.csv": "Name,Date\nx,1900\n",
                      "none.json": "{\"events\": [{\"text\": {\"headline\": \"No date\"}}]}"])
        #expect(throws: ImportError.self) { try TimelineJSImport(path: folder.file("bad.json")).read() }
        do { _ = try TimelineJSImport(path: folder.file("bad.json")).read() } catch {
            #expect(error.description == folder.file("bad.json") + ":3:35: error: expected a key in quotes")
        }
        do { _ = try TimelineJSImport(path: folder.file("notes.csv")).read() } catch {
            #expect(error.description.hasPrefix(folder.file("notes.csv") + ":1:1: error: no Year and Headline columns"))
        }
        do { _ = try TimelineJSImport(path: folder.file("none.json")).read() } catch {
            #expect(error.description.hasSuffix("error: no event with a start year to import"))
        }
        // Never into a folder with something in it.
        let outcome = try TimelineJSImport(path: Self.fixtures + "harbour.json").read()
        #expect(throws: ImportError.self) { try TimelineJSImport.write(outcome, into: folder.path) }
    }

    @Test func htmlBecomesMarkdown() {
        let converted = HTMLText.markdown("<h2>Title</h2><p>A *star* &amp; <em>an</em> [x]</p><ol><li>one</li><li>two</li></ol>"
                                              + "<blockquote>Quoted</blockquote><script>alert(1)</script><p>End</p>")
        #expect(converted.markdown == "### Title\n\nA \\*star\\* \\& *an* \\[x\\]\n\n1. one\n2. two\n\n> Quoted\n\nEnd")
        // Plain text never turns into Markdown structure, and entities stay text.
        let plain = HTMLText.markdown("<p>1914. War</p><p># Not a heading</p><p>- not a list</p><p>AT&amp;amp;T ~~~</p>")
        #expect(Markdown.html(plain.markdown)
                    == "<p>1914. War</p>\n<p># Not a heading</p>\n<p>- not a list</p>\n<p>AT&amp;amp;T ~~~</p>\n")
        // A '<' with no '>' after it is text, and many of them take linear time.
        let many = String(repeating: "<a", count: 50_000)
        #expect(HTMLText.markdown(many).markdown.count == 150_000)
        #expect(converted.dropped == ["script"])
        #expect(HTMLText.plain("<p>Caf&eacute;&#233; &#x263A;</p>  <br> x") == "Caf&eacute;é ☺ x")
        #expect(HTMLText.firstSentence("One. Two.") == "One. Two.")
        #expect(HTMLText.firstSentence("This is the first sentence. And a second.") == "This is the first sentence.")
    }

    @Test func csvFollowsTheRFC() throws {
        let table = try CSVTable.parse("A,B\r\n\"1,2\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\r\n,\r\nlast,row")
        #expect(table.header == ["A", "B"])
        #expect(table.records.map(\.fields) == [["1,2", "say \"hi\""], ["multi\nline", "x"], ["", ""], ["last", "row"]])
        #expect(table.records.map(\.line) == [2, 3, 5, 6])
        #expect(throws: CSVTable.ParseError.self) { try CSVTable.parse("A\n\"open") }
    }

    @Test func jsonKeepsLines() throws {
        let json = try PositionedJSON.parse("{\n \"a\": [1,\n  {\"b\": \"\\u00e9\\ud83d\\ude00\"}],\n \"c\": null}")
        #expect(json["a"]?.line == 2)
        #expect(json["a"]?.array?[1].line == 3)
        #expect(json["a"]?.array?[1]["b"]?.text == "é😀")
        #expect(json["c"] == .null(line: 4))
    }
}
