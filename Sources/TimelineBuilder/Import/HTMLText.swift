/// The HTML TimelineJS allows in its text (paragraphs, line breaks, bold, italic, links,
/// lists, headings, quotes) as CommonMark, and as plain text for titles.
///
/// Not a browser's parser: tags are read one by one, unknown ones are dropped with their
/// text kept, and what was dropped is reported so the curator can look.
enum HTMLText {
    struct Converted: Equatable {
        var markdown: String
        /// Tags not carried over (their text is kept unless noted), by name.
        var dropped: Set<String> = []
        /// Links not carried over because they were not http, https or mailto.
        var droppedLinks: [String] = []
    }

    /// Plain text: tags removed, entities decoded, white space collapsed.
    static func plain(_ html: String) -> String {
        var text = ""
        for token in tokens(html) {
            switch token {
            case .text(let t): text += t
            case .tag(let name, _, _) where ["br", "p", "li", "div"].contains(name): text += " "
            case .tag: break
            }
        }
        return collapse(decode(text))
    }

    static func markdown(_ html: String) -> Converted {
        var result = Converted(markdown: "")
        var out = ""
        var lists: [(ordered: Bool, count: Int)] = []
        var link: String?
        var skipping: String?  // inside <script> or <style>: drop until its end
        var quote = false
        func newBlock() {
            while out.hasSuffix(" ") { out.removeLast() }
            if !out.isEmpty && !out.hasSuffix("\n\n") { out += out.hasSuffix("\n") ? "\n" : "\n\n" }
            if quote { out += "> " }
        }
        for token in tokens(html) {
            if let name = skipping {
                if case .tag(name, true, _) = token { skipping = nil }
                continue
            }
            switch token {
            case .text(let raw):
                var text = escape(collapse(decode(raw), keepEdges: true))
                if out.isEmpty || out.hasSuffix("\n") || out.hasSuffix("> ") {
                    text = escapeLineStart(String(text.drop(while: { $0 == " " })))
                }
                out += text
            case .tag(let name, let closing, let attributes):
                switch name {
                case "p", "div":
                    newBlock()
                    if name == "div" && !closing { result.dropped.insert("div") }
                case "br": out += "\\\n"
                case "b", "strong": out += "**"
                case "i", "em": out += "*"
                case "h1", "h2", "h3", "h4", "h5", "h6":
                    newBlock()
                    if !closing { out += "### " }
                case "blockquote":
                    quote = !closing
                    newBlock()
                case "ul", "ol":
                    if closing { _ = lists.popLast() } else { lists.append((name == "ol", 0)) }
                    newBlock()
                case "li" where !closing:
                    if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
                    let depth = max(0, lists.count - 1)
                    out += String(repeating: "   ", count: depth)
                    if lists.isEmpty { out += "- " } else {
                        lists[lists.count - 1].count += 1
                        out += lists[lists.count - 1].ordered ? "\(lists[lists.count - 1].count). " : "- "
                    }
                case "li": break
                case "a":
                    if closing {
                        if let href = link { out += "](\(href))" }
                        link = nil
                    } else if let href = attributes["href"].map(decode),
                              href.hasPrefix("http://") || href.hasPrefix("https://") || href.hasPrefix("mailto:") {
                        link = href.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: ")", with: "%29")
                        out += "["
                    } else if let href = attributes["href"] {
                        result.droppedLinks.append(href)
                    }
                case "script", "style", "iframe", "object", "embed", "img", "video", "audio":
                    result.dropped.insert(name)
                    if !closing, ["script", "style", "iframe", "object"].contains(name) { skipping = name }
                default:
                    result.dropped.insert(name)
                }
            }
        }
        while out.hasSuffix("\n") || out.hasSuffix(" ") || out.hasSuffix("> ") { out.removeLast() }
        result.markdown = out
        return result
    }

    /// The first sentence of plain text, for a summary (at most about 200 characters).
    static func firstSentence(_ text: String) -> String {
        var sentence = ""
        for character in text {
            sentence.append(character)
            if ".!?؟".contains(character), sentence.count >= 20 { break }
            if sentence.count >= 200 {
                if let space = sentence.lastIndex(of: " ") { sentence = String(sentence[..<space]) }
                sentence += "…"
                break
            }
        }
        return sentence.trimmingCharacters(in: " ")
    }

    // MARK: Tokens

    enum Token: Equatable {
        case text(String)
        case tag(String, closing: Bool, attributes: [String: String])
    }

    static func tokens(_ html: String) -> [Token] {
        var result: [Token] = []
        var rest = Substring(html)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "<") else { result.append(.text(String(rest))); break }
            if open > rest.startIndex { result.append(.text(String(rest[..<open]))) }
            let after = rest[rest.index(after: open)...]
            if after.hasPrefix("!--") {
                rest = after.range(of: "-->").map { after[$0.upperBound...] } ?? ""
                continue
            }
            guard let first = after.first, first.isLetter || first == "/" || first == "!" else {
                result.append(.text("<"))
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: ">") else {
                // No '>' anywhere after: the rest is text (and searching again from each
                // later '<' would take quadratic time).
                result.append(.text(String(rest[open...])))
                break
            }
            var inside = after[..<close]
            rest = after[after.index(after: close)...]
            let closing = inside.hasPrefix("/")
            if closing { inside = inside.dropFirst() }
            if inside.hasSuffix("/") { inside = inside.dropLast() }
            let name = String(inside.prefix(while: { $0.isLetter || $0.isNumber })).lowercased()
            result.append(.tag(name, closing: closing, attributes: attributes(inside.dropFirst(name.count))))
        }
        return result
    }

    static func attributes(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text
        while let eq = rest.firstIndex(of: "=") {
            let name = rest[..<eq].split(whereSeparator: \.isWhitespace).last.map { $0.lowercased() } ?? ""
            var value = rest[rest.index(after: eq)...].drop(while: \.isWhitespace)
            if let quote = value.first, quote == "\"" || quote == "'" {
                value = value.dropFirst()
                let end = value.firstIndex(of: quote) ?? value.endIndex
                result[name] = String(value[..<end])
                rest = end < value.endIndex ? value[value.index(after: end)...] : ""
            } else {
                let end = value.firstIndex(where: \.isWhitespace) ?? value.endIndex
                result[name] = String(value[..<end])
                rest = value[end...]
            }
        }
        return result
    }

    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "ndash": "–", "mdash": "—",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "hellip": "…", "copy": "©",
    ]

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(10).firstIndex(of: ";") {
                let name = String(after[..<semi])
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else {
                    replacement = entities[name]
                }
                if let replacement {
                    out += replacement
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        return out + rest
    }

    static func collapse(_ text: String, keepEdges: Bool = false) -> String {
        var out = ""
        var space = false
        for c in text {
            if c.isWhitespace { space = true; continue }
            if space && (!out.isEmpty || keepEdges) { out += " " }
            space = false
            out.append(c)
        }
        if space && keepEdges && !out.isEmpty { out += " " }
        if space && keepEdges && out.isEmpty { out = " " }
        return out
    }

    /// Characters that would start Markdown syntax anywhere in a line are escaped in text.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\`*_[]<>&~|".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Text that starts a line must not start a heading (`#`), a list (`-`, `+`, `1.`,
    /// `1)`), a rule or a setext underline (`---`, `===`) or a quotation (`>`, escaped
    /// already).
    static func escapeLineStart(_ text: String) -> String {
        guard let first = text.first else { return text }
        if "#-+=".contains(first) { return "\\" + text }
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, digits.count <= 9, let mark = text.dropFirst(digits.count).first, mark == "." || mark == ")" {
            return digits + "\\" + text.dropFirst(digits.count)
        }
        return text
    }
}
