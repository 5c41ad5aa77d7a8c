import Foundation

/// Reading exhibit files as UTF-8 text, and splitting Markdown front matter.
enum SourceText {
    /// The file's text, or nil with a diagnostic (unreadable, or invalid UTF-8 at its position).
    static func read(_ url: URL, display: String, diagnostics: Diagnostics) -> String? {
        guard let data = try? Data(contentsOf: url) else {
            diagnostics.error(.file(display), "cannot read the file")
            return nil
        }
        return decode(Array(data), display: display, diagnostics: diagnostics)
    }

    static func decode(_ bytes: [UInt8], display: String, diagnostics: Diagnostics) -> String? {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        diagnostics.error(firstInvalidByte(bytes, path: display), "invalid UTF-8; save the file as UTF-8")
        return nil
    }

    /// Line and column (in characters) of the first byte that is not valid UTF-8.
    static func firstInvalidByte(_ bytes: ArraySlice<UInt8>, path: String) -> SourcePosition {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var line = 1, column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == UInt8(ascii: "\n") {
                    line += 1; column = 1
                } else {
                    column += 1
                }
            case .emptyInput, .error:
                return SourcePosition(path: path, line: line, column: column)
            }
        }
    }

    /// The lines of `text`, whatever ends them: LF, CRLF (Windows) or CR. In Swift "\r\n" is
    /// one Character, so splitting on "\n" alone never splits a Windows file.
    static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    }

    /// A Markdown file split into its YAML front matter and body.
    struct FrontMatter {
        let yaml: String
        /// Lines before the YAML's first line (the opening `---`).
        let yamlLineOffset: Int
        let body: String
    }

    /// Splits `---\nYAML\n---\nbody`; nil with a diagnostic when the markers are missing.
    static func frontMatter(_ text: String, path: String, diagnostics: Diagnostics) -> FrontMatter? {
        let lines = Self.lines(text)
        guard let first = lines.first, first == "---" else {
            diagnostics.error(.file(path), "expected front matter: the file must start with a line '---'")
            return nil
        }
        guard let close = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) else {
            diagnostics.error(SourcePosition(path: path, line: lines.count, column: 1),
                              "front matter is not closed: add a line '---' after it")
            return nil
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n")
        return FrontMatter(yaml: yaml, yamlLineOffset: 1, body: body)
    }
}
