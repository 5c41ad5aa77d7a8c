import Foundation
import Testing
import TimelineSnapshot
@testable import TimelineBuilder

/// The touch timeline's data: day numbers, era rows, the per-language overview and year
/// documents, and a first view whose weight does not grow with the exhibit.
@Suite struct TimelineDataTests {
    @Test func dayNumbersMatchTheCalendar() {
        #expect(AxisDocuments.days(year: 1970, month: 1, day: 1) == 0)
        #expect(AxisDocuments.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(AxisDocuments.days(year: 2007, month: 8, day: 29) == 13_754)
        #expect(AxisDocuments.days(year: 1969, month: 12, day: 31) == -1)
        // 1 BCE is the astronomical year 0, a leap year: 1 BCE-03-01 minus 1 BCE-02-28 is 2 days.
        #expect(AxisDocuments.days(year: -1, month: 3, day: 1) - AxisDocuments.days(year: -1, month: 2, day: 28) == 2)
        #expect(AxisDocuments.days(year: 1, month: 1, day: 1) - AxisDocuments.days(year: -1, month: 1, day: 1) == 366)
        let year = try! ExhibitDate.parse("2007")
        #expect(AxisDocuments.lastDay(year) - AxisDocuments.day(year) == 364)
    }

    func json(_ snapshot: String, _ path: String) throws -> Any {
        let file = try SnapshotFile(path: snapshot)
        let statement = try file.database.prepare("SELECT body FROM resources WHERE path = ?")
        try statement.bind(1, path)
        try #require(try statement.step(), "no resource \(path)")
        return try JSONSerialization.jsonObject(with: Data(statement.blob(0) ?? []))
    }

    @Test func overviewAndYearsOfTheDefaultExhibit() throws {
        let folder = TemporaryFolder()
        let output = folder.file("x.db")
        _ = try Builder.build(BuildOptions(exhibit: Tree.defaultExhibit, output: output, theme: Tree.theme))
        let overview = try #require(try json(output, "/api/ar/timeline") as? [String: Any])
        #expect(overview["dir"] as? String == "rtl")
        #expect(overview["digits"] as? String == "٠١٢٣٤٥٦٧٨٩")
        let years = try #require(overview["years"] as? [[Int]])
        #expect(years.map { $0[1] }.reduce(0, +) == overview["events"] as? Int)
        let yearURL = try #require(overview["year_url"] as? String)
        // Overlapping eras never share a row.
        let eras = try #require(overview["eras"] as? [[String: Any]])
        for a in eras {
            for b in eras where (a["id"] as! String) < (b["id"] as! String) && a["row"] as! Int == b["row"] as! Int {
                let overlap = (a["start"] as! Int) <= (b["end"] as! Int) && (b["start"] as! Int) <= (a["end"] as! Int)
                #expect(!overlap, "\(a["id"]!) and \(b["id"]!) overlap on one row")
            }
        }
        // Every year document holds that year's events, placed in the exhibit's order.
        var positions: [Int] = []
        for year in years {
            let events = try #require(try json(output, yearURL.replacingOccurrences(of: "{year}", with: String(year[0]))) as? [[String: Any]])
            #expect(events.count == year[1])
            for event in events {
                #expect((event["url"] as! String).hasPrefix("/ar/events/"))
                #expect((event["start"] as! Int) <= (event["end"] as! Int))
                #expect(!(event["title"] as! String).contains(where: { $0.isASCII && $0.isNumber }),
                        "Arabic titles use Arabic-Indic digits: \(event["title"]!)")
            }
            positions += events.map { $0["at"] as! Int }
        }
        #expect(positions == positions.sorted(), "cards stand in the exhibit's order")
    }

    /// Builds a synthetic exhibit of `count` events with the generator `make bench` uses.
    func synthetic(_ count: Int, in folder: TemporaryFolder) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Tree.root.path + "/Tests/Benchmarks/synthetic_exhibit.py", String(count), folder.file("exhibit")]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let output = folder.file("x.db")
        _ = try Builder.build(BuildOptions(exhibit: folder.file("exhibit"), output: output, theme: Tree.theme))
        return output
    }

    /// Bytes on the wire (gzip where the snapshot has it) of the home page and everything
    /// it loads before the first event shows, fonts aside: stylesheets, modules, overview.
    func firstView(_ snapshot: String) throws -> (total: Int, parts: [String: Int]) {
        let file = try SnapshotFile(path: snapshot)
        let body = try file.database.prepare("SELECT body FROM resources WHERE path = '/en/'")
        try #require(try body.step())
        let home = String(decoding: body.blob(0) ?? [], as: UTF8.self)
        var paths = ["/en/", "/api/en/timeline"]
        paths += home.matches(of: /(?:href|src)="(\/assets\/[^"]+\.(?:css|js))"/).map { String($0.1) }
        var parts: [String: Int] = [:]
        let statement = try file.database.prepare("SELECT length(coalesce(gzip, body)) FROM resources WHERE path = ?")
        for path in Set(paths) {
            statement.reset()
            try statement.bind(1, path)
            try #require(try statement.step(), "no resource \(path)")
            parts[path] = Int(statement.int(0))
        }
        return (parts.values.reduce(0, +), parts)
    }

    @Test func firstViewStaysUnder40KBAsTheExhibitGrows() throws {
        let folder = TemporaryFolder()
        let small = folder.file("default.db")
        _ = try Builder.build(BuildOptions(exhibit: Tree.defaultExhibit, output: small, theme: Tree.theme))
        let base = try firstView(small)
        #expect(base.total <= 40 * 1024, "default exhibit: \(base.parts)")
        // 10,000 events over 250 years: the home page and the overview grow with the years
        // (one link and one pair each), not with the events.
        let large = try firstView(try synthetic(10_000, in: folder))
        #expect(large.total <= 40 * 1024, "10,000 events: \(large.parts)")
        print("first view, gzip bytes: 45 events \(base.total), 10,000 events \(large.total)")
    }
}
