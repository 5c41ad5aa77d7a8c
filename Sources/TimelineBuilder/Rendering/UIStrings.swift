import Yams

/// The interface's words in one language, from the theme's `strings/LANG.yaml`.
public struct UIStrings: Sendable {
    public let language: String
    public let name: String
    public let dir: String
    /// Ten characters for 0–9 (e.g. Arabic-Indic digits).
    public let digits: [Character]
    public let months: [String]
    /// Date patterns with `{day}`, `{month}`, `{year}`, `{date}`, `{start}`, `{end}`.
    public let formats: [String: String]
    /// Labels for templates, exposed to them as `t.KEY`.
    public let labels: [String: String]

    static let formatKeys = ["day", "month", "year", "bce", "circa", "range"]

    /// Parses one strings file; throws a message naming the problem.
    static func parse(_ text: String, language: String) throws(ThemeError) -> UIStrings {
        let object: Any?
        do { object = try Yams.load(yaml: text) } catch { throw ThemeError("invalid YAML: \(error)") }
        guard let root = object as? [String: Any],
              let name = root["name"] as? String,
              let dir = root["dir"] as? String, dir == "ltr" || dir == "rtl",
              let digits = root["digits"] as? String, digits.count == 10,
              let months = root["months"] as? [String], months.count == 12,
              let formats = root["date"] as? [String: String],
              let labels = root["ui"] as? [String: Any]
        else {
            throw ThemeError("expected name, dir (ltr or rtl), digits (10 characters), months (12), date and ui")
        }
        let missing = formatKeys.filter { formats[$0] == nil }
        guard missing.isEmpty else { throw ThemeError("date lacks \(missing.joined(separator: ", "))") }
        return UIStrings(language: language, name: name, dir: dir, digits: Array(digits), months: months,
                         formats: formats, labels: labels.mapValues { "\($0)" })
    }

    // MARK: Formatting

    public func number(_ n: Int) -> String { digits(String(n)) }

    /// `text` with its ASCII digits in this language's digits (and its decimal point).
    public func digits(_ text: String) -> String {
        String(text.map { $0.isASCII && $0.isNumber ? digits[Int(String($0))!] : $0 == "." ? decimalPoint : $0 })
    }

    /// "." or the Arabic decimal separator "٫" when the digits are Arabic-Indic.
    var decimalPoint: Character { digits.first == "0" ? "." : "٫" }

    /// A date in words at its own precision: "29 August 2007", "August 2007", "539 BCE".
    public func format(_ date: ExhibitDate) -> String {
        var year = number(abs(date.year))
        if date.year < 0 { year = fill(formats["bce"]!, ["year": year]) }
        switch (date.month, date.day) {
        case let (month?, day?):
            return fill(formats["day"]!, ["day": number(day), "month": months[month - 1], "year": year])
        case let (month?, nil):
            return fill(formats["month"]!, ["month": months[month - 1], "year": year])
        default:
            return fill(formats["year"]!, ["year": year])
        }
    }

    /// An event's date line: a range when it has an end, "c." when circa.
    public func format(start: ExhibitDate, end: ExhibitDate?, circa: Bool) -> String {
        var text = format(start)
        if let end, end != start { text = fill(formats["range"]!, ["start": text, "end": format(end)]) }
        return circa ? fill(formats["circa"]!, ["date": text]) : text
    }

    func fill(_ pattern: String, _ values: [String: String]) -> String {
        var out = pattern
        for key in values.keys.sorted() { out = out.replacingOccurrences(of: "{\(key)}", with: values[key]!) }
        return out
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// A theme that cannot be used: a broken template, strings file or missing asset.
public struct ThemeError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
