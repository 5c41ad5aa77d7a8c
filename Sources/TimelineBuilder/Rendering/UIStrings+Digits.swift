/// One digit system per language: an exhibit written with ASCII digits shows them in the
/// language's own digits everywhere (titles, dates, counts, body text), never mixed.
extension UIStrings {
    /// Whether this language writes digits other than ASCII.
    var hasOwnDigits: Bool { digits.first != "0" }

    /// `markdown` with ASCII digits in its prose made local. Link destinations (`](…)`),
    /// autolinks and tags (`<…>`), entities (`&…;`), code spans and bare URLs keep theirs,
    /// since changing them would break what they point to.
    func localizingDigits(markdown: String) -> String {
        guard hasOwnDigits, markdown.contains(where: { $0.isASCII && $0.isNumber }) else { return markdown }
        var out = ""
        out.reserveCapacity(markdown.utf8.count)
        var keepUntil: Character? = nil
        var previous: Character = " "
        var index = markdown.startIndex
        while index < markdown.endIndex {
            let c = markdown[index]
            if let end = keepUntil {
                out.append(c)
                if c == end || (end == " " && c.isWhitespace) { keepUntil = nil }
            } else if c == "(" && previous == "]" {
                keepUntil = ")"; out.append(c)
            } else if c == "<" {
                keepUntil = ">"; out.append(c)
            } else if c == "`" {
                keepUntil = "`"; out.append(c)
            } else if c == "&" {
                keepUntil = ";"; out.append(c)
            } else if (c == "h" || c == "w") && (previous.isWhitespace || previous == "(")
                        && (markdown[index...].hasPrefix("http://") || markdown[index...].hasPrefix("https://")
                            || markdown[index...].hasPrefix("www.")) {
                keepUntil = " "; out.append(c)
            } else if c.isASCII && c.isNumber {
                out.append(digits[Int(String(c))!])
            } else {
                out.append(c)
            }
            previous = c
            index = markdown.index(after: index)
        }
        return out
    }

    /// Plain text (a title, a name, a date line) with local digits.
    func localizingDigits(text: String) -> String {
        guard hasOwnDigits else { return text }
        return String(text.map { $0.isASCII && $0.isNumber ? digits[Int(String($0))!] : $0 })
    }
}
