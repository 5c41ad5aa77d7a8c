/// One digit system per language: an exhibit written with ASCII digits shows them in the
/// language's own digits everywhere (titles, dates, counts, body text), never mixed.
extension UIStrings {
    /// Whether this language writes digits other than ASCII.
    var hasOwnDigits: Bool { digits.first != "0" }

    /// `markdown` with ASCII digits in its prose made local. Link destinations (`](…)`),
    /// autolinks and tags (`<…>`), entities (`&…;`), code spans and bare URLs keep theirs,
    /// since changing them would break what they point to.
    func localizingDigits(markdown: String) -> String {
        guard hasOwnDigits, markdown.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return markdown }
        // Byte by byte: every character that matters here is ASCII, and comparing
        // Characters (grapheme clusters) made this a tenth of a large build.
        let local = digits.map { Array(String($0).utf8) }
        let bytes = Array(markdown.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var keepUntil: UInt8? = nil  // 0x20: until any white space
        var previous: UInt8 = 0x20
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
        func startsURL(_ at: Int) -> Bool {
            for prefix in ["http://", "https://", "www."] where bytes[at...].starts(with: prefix.utf8) { return true }
            return false
        }
        for (index, c) in bytes.enumerated() {
            if let end = keepUntil {
                out.append(c)
                if c == end || (end == 0x20 && isSpace(c)) { keepUntil = nil }
            } else if c == UInt8(ascii: "(") && previous == UInt8(ascii: "]") {
                keepUntil = UInt8(ascii: ")"); out.append(c)
            } else if c == UInt8(ascii: "<") {
                keepUntil = UInt8(ascii: ">"); out.append(c)
            } else if c == UInt8(ascii: "`") {
                keepUntil = UInt8(ascii: "`"); out.append(c)
            } else if c == UInt8(ascii: "&") {
                keepUntil = UInt8(ascii: ";"); out.append(c)
            } else if (c == UInt8(ascii: "h") || c == UInt8(ascii: "w")) && (isSpace(previous) || previous == UInt8(ascii: "("))
                        && startsURL(index) {
                keepUntil = 0x20; out.append(c)
            } else if c >= 0x30 && c <= 0x39 {
                out += local[Int(c - 0x30)]
            } else {
                out.append(c)
            }
            previous = c
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Plain text (a title, a name, a date line) with local digits.
    func localizingDigits(text: String) -> String {
        guard hasOwnDigits else { return text }
        return String(text.map { $0.isASCII && $0.isNumber ? digits[Int(String($0))!] : $0 })
    }
}
