/// A date as a curator writes it: a year, a month or a day, BCE as a negative year.
///
/// `2007`, `2007-08`, `2007-08-29`, `-539`. There is no year zero: `-1` is 1 BCE.
public struct ExhibitDate: Sendable, Hashable, CustomStringConvertible {
    public enum Precision: String, Sendable, Hashable {
        case year, month, day
    }

    public let year: Int
    public let month: Int?
    public let day: Int?

    public var precision: Precision {
        day != nil ? .day : month != nil ? .month : .year
    }

    /// Checks the parts; use `parse` for text.
    public init(year: Int, month: Int? = nil, day: Int? = nil) throws(DateError) {
        guard year != 0 else { throw .yearZero }
        if let month {
            guard (1...12).contains(month) else { throw .month(month) }
            if let day {
                let last = Self.daysIn(month: month, year: year)
                guard (1...last).contains(day) else { throw .day(day, month: month, year: year, last: last) }
            }
        } else if day != nil {
            throw .malformed
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Years an exhibit may use: four digits either side of the common era.
    public static let years = -9999...9999

    /// Parses `[-]YYYY[-MM[-DD]]`; years may have 1 to 4 digits.
    public static func parse(_ text: String) throws(DateError) -> ExhibitDate {
        var body = Substring(text)
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count),
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              (1...8).contains(parts[0].count),
              parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let year = Int(parts[0])
        else { throw .malformed }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        let signed = negative ? -year : year
        guard years.contains(signed) else { throw .yearOutOfRange(signed) }
        return try ExhibitDate(year: signed, month: month, day: day)
    }

    /// Orders dates by their first day: 2007 < 2007-01 < 2007-01-01 < 2007-01-02.
    public var startKey: Int64 {
        Int64(year) * 10_000 + Int64(month ?? 0) * 100 + Int64(day ?? 0)
    }

    /// The key of the first day the date covers: 2007 → 2007-01-01. Unlike `startKey`, a
    /// year and its January compare equal, which is what containment in a span needs.
    public var firstDayKey: Int64 {
        Int64(year) * 10_000 + Int64(month ?? 1) * 100 + Int64(day ?? 1)
    }

    /// The key of the last day the date covers: 2007 → 2007-12-31.
    public var endKey: Int64 {
        let m = month ?? 12
        let d = day ?? Self.daysIn(month: m, year: year)
        return Int64(year) * 10_000 + Int64(m) * 100 + Int64(d)
    }

    /// As written, normalized: `2007-08-29`, `-539`.
    public var description: String {
        var text = String(year)
        if let month { text += "-" + Self.twoDigits(month) }
        if let day { text += "-" + Self.twoDigits(day) }
        return text
    }

    // MARK: Calendar (proleptic Gregorian; 1 BCE is the astronomical year 0)

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isLeap(_ year: Int) -> Bool {
        let y = year < 0 ? year + 1 : year
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

/// Why a date was refused, in words for a curator.
public enum DateError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed
    case yearZero
    case month(Int)
    case day(Int, month: Int, year: Int, last: Int)
    case yearOutOfRange(Int)

    public var description: String {
        switch self {
        case .malformed:
            return "expected a date as YYYY, YYYY-MM or YYYY-MM-DD (a negative year for BCE)"
        case .yearZero:
            return "there is no year 0: 1 BCE is -1"
        case .month(let m):
            return "month \(m) does not exist (1 to 12)"
        case .yearOutOfRange(let year):
            return "year \(year) is outside \(ExhibitDate.years.lowerBound)…\(ExhibitDate.years.upperBound)"
        case let .day(d, month, year, last):
            return "day \(d) does not exist in \(ExhibitDate.monthName(month)) \(year), which has \(last) days"
        }
    }
}

extension ExhibitDate {
    static func monthName(_ month: Int) -> String {
        ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"][month - 1]
    }
}
