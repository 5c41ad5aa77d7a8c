import Testing
@testable import TimelineBuilder

@Suite struct ExhibitDateTests {
    @Test func parsesEachPrecision() throws {
        let year = try ExhibitDate.parse("2007")
        #expect(year.precision == .year && year.year == 2007 && year.month == nil)
        let month = try ExhibitDate.parse("2007-08")
        #expect(month.precision == .month && month.month == 8)
        let day = try ExhibitDate.parse("2007-08-29")
        #expect(day.precision == .day && day.day == 29)
        #expect(day.description == "2007-08-29")
    }

    @Test func parsesBCE() throws {
        let date = try ExhibitDate.parse("-539-10-12")
        #expect(date.year == -539 && date.month == 10 && date.day == 12)
        #expect(date.description == "-539-10-12")
        #expect(try ExhibitDate.parse("-539").startKey < ExhibitDate.parse("-1").startKey)
        #expect(try ExhibitDate.parse("-1").startKey < ExhibitDate.parse("1").startKey)
    }

    @Test func refusesImpossibleDates() {
        #expect(throws: DateError.day(30, month: 2, year: 2007, last: 28)) { try ExhibitDate.parse("2007-02-30") }
        #expect(throws: DateError.day(29, month: 2, year: 1900, last: 28)) { try ExhibitDate.parse("1900-02-29") }
        #expect(throws: DateError.month(13)) { try ExhibitDate.parse("2007-13") }
        #expect(throws: DateError.yearZero) { try ExhibitDate.parse("0") }
        for text in ["", "07-1", "2007-1", "2007-01-1", "2007/01", "2007-01-01-01", "abc", "2007-", "−2007", "٢٠٠٧"] {
            #expect(throws: DateError.malformed, "\(text)") { try ExhibitDate.parse(text) }
        }
    }

    @Test func knowsLeapYears() throws {
        _ = try ExhibitDate.parse("2004-02-29")
        _ = try ExhibitDate.parse("2000-02-29")
        _ = try ExhibitDate.parse("-1-02-29")  // 1 BCE is astronomical year 0, a leap year
        #expect(throws: DateError.self) { try ExhibitDate.parse("-2-02-29") }
    }

    @Test func ordersByFirstAndLastDay() throws {
        let year = try ExhibitDate.parse("2007"), january = try ExhibitDate.parse("2007-01")
        let first = try ExhibitDate.parse("2007-01-01"), december = try ExhibitDate.parse("2007-12")
        #expect(year.startKey < january.startKey && january.startKey < first.startKey)
        #expect(year.endKey == 2007_12_31)
        #expect(december.endKey == 2007_12_31)
        #expect(try ExhibitDate.parse("2008-02").endKey == 2008_02_29)
    }

    @Test func formatsInEachLanguage() throws {
        let theme = try SiteTheme(directory: Tree.theme)
        let en = try #require(theme.strings["en"]), ar = try #require(theme.strings["ar"])
        let day = try ExhibitDate.parse("2007-08-29"), month = try ExhibitDate.parse("2014-06")
        #expect(en.format(day) == "29 August 2007")
        #expect(en.format(month) == "June 2014")
        let bce = try ExhibitDate.parse("-539")
        #expect(en.format(bce) == "539 BCE")
        #expect(en.format(start: month, end: try ExhibitDate.parse("2014-07"), circa: true) == "c. June 2014 – July 2014")
        #expect(ar.format(day) == "٢٩ آب ٢٠٠٧")
        #expect(ar.format(start: month, end: nil, circa: true) == "نحو حزيران ٢٠١٤")
    }
}
