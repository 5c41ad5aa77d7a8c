import Yams

/// Reads YAML nodes into model values, reporting each problem at its node's position.
///
/// One per YAML document (a whole `exhibit.yaml`, or one front matter block). The line
/// offset maps a front matter block back to its Markdown file's lines.
struct YAMLReader {
    let path: String
    let lineOffset: Int
    let languages: [String]
    let diagnostics: Diagnostics

    var defaultLanguage: String { languages.first ?? "en" }

    // MARK: Parsing

    /// Parses `text`; a syntax error becomes a diagnostic and nil.
    static func parse(_ text: String, path: String, lineOffset: Int, diagnostics: Diagnostics) -> Node? {
        func at(_ mark: Mark) -> SourcePosition {
            SourcePosition(path: path, line: mark.line + lineOffset, column: mark.column)
        }
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                 let .composer(context, problem, mark, _):
                var message = "invalid YAML: \(problem)"
                if let context { message += " (\(context.text) at line \(context.mark.line + lineOffset))" }
                diagnostics.error(at(mark), message)
            case let .duplicatedKeysInMapping(duplicates, context):
                let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                diagnostics.error(at(context.mark), "duplicate key \(keys) in a mapping")
            case let .reader(problem, offset, _, yaml):
                let (line, column) = offset.map { Self.lineAndColumn(of: $0, in: yaml) } ?? (1, 1)
                diagnostics.error(SourcePosition(path: path, line: line + lineOffset, column: column),
                                  "invalid YAML: \(problem)")
            default:
                diagnostics.error(.file(path), "invalid YAML: \(error)")
            }
            return nil
        } catch {
            diagnostics.error(.file(path), "invalid YAML: \(error)")
            return nil
        }
    }

    static func lineAndColumn(of offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index >= offset { break }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    // MARK: Positions

    func position(_ node: Node?) -> SourcePosition {
        guard let mark = node?.mark else { return .file(path) }
        return SourcePosition(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    func error(_ node: Node?, _ message: String) { diagnostics.error(position(node), message) }
    func warning(_ node: Node?, _ message: String) { diagnostics.warning(position(node), message) }

    // MARK: Mappings

    /// The node as a mapping with only `allowed` keys; unknown keys are reported.
    func fields(_ node: Node, _ what: String, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a mapping of keys to values")
            return nil
        }
        var values: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error(key, "keys must be plain words")
                continue
            }
            guard allowed.contains(name) else {
                error(key, "unknown key '\(name)' in \(what)" + Suggestions.hint(for: name, in: allowed))
                continue
            }
            values[name] = (key, value)
        }
        return Fields(node: node, what: what, values: values, reader: self)
    }

    /// The keys of one mapping, read once each.
    struct Fields {
        let node: Node
        let what: String
        let values: [String: (key: Node, value: Node)]
        let reader: YAMLReader

        /// The value, or nil when absent or null.
        subscript(key: String) -> Node? {
            guard let value = values[key]?.value else { return nil }
            if case .scalar = value, value.null != nil { return nil }
            return value
        }

        func has(_ key: String) -> Bool { self[key] != nil }

        /// Reports a missing required key at the mapping's position.
        func require(_ key: String) -> Node? {
            if let value = self[key] { return value }
            reader.error(values[key]?.key ?? node, "missing required key '\(key)' in \(what)")
            return nil
        }

        func string(_ key: String, required: Bool = false) -> Located<String>? {
            guard let node = required ? require(key) : self[key] else { return nil }
            return reader.string(node, key)
        }

        func date(_ key: String, required: Bool = false) -> Located<ExhibitDate>? {
            guard let node = required ? require(key) : self[key] else { return nil }
            return reader.date(node, key)
        }

        func bool(_ key: String) -> Bool? {
            guard let node = self[key] else { return nil }
            guard case .scalar = node, let value = node.bool else {
                reader.error(node, "'\(key)' must be true or false")
                return nil
            }
            return value
        }

        func number(_ key: String, required: Bool = false, in range: ClosedRange<Double>) -> Double? {
            guard let node = required ? require(key) : self[key] else { return nil }
            guard case .scalar = node, let value = node.float, value.isFinite else {
                reader.error(node, "'\(key)' must be a number")
                return nil
            }
            guard range.contains(value) else {
                reader.error(node, "'\(key)' must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), not \(Self.format(value))")
                return nil
            }
            return value
        }

        func localized(_ key: String, required: Bool = false) -> Located<LocalizedText>? {
            guard let node = required ? require(key) : self[key] else { return nil }
            return reader.localized(node, key)
        }

        /// A list of ids (`[a, b]`, or one bare id).
        func ids(_ key: String) -> [Located<String>] {
            guard let node = self[key] else { return [] }
            switch node {
            case .sequence(let sequence):
                return sequence.compactMap { reader.string($0, key) }
            case .scalar:
                return reader.string(node, key).map { [$0] } ?? []
            default:
                reader.error(node, "'\(key)' must be a list of ids")
                return []
            }
        }

        /// A list of mappings.
        func list(_ key: String) -> [Node] {
            guard let node = self[key] else { return [] }
            guard case .sequence(let sequence) = node else {
                reader.error(node, "'\(key)' must be a list")
                return []
            }
            return Array(sequence)
        }

        private static func format(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
    }

    // MARK: Scalars

    func string(_ node: Node, _ key: String) -> Located<String>? {
        guard case .scalar(let scalar) = node else {
            error(node, "'\(key)' must be text, not a \(node.kindName)")
            return nil
        }
        // An unquoted 123, 1.5, true or null is YAML's number, boolean or null, not text: a
        // typo (a missing title) as often as a choice. Quotes make it text.
        if scalar.style == .plain, node.int != nil || node.float != nil || node.bool != nil || node.null != nil {
            error(node, "'\(key)' must be text, not the \(node.bool != nil ? "boolean" : node.null != nil ? "null" : "number") "
                  + "\(scalar.string); write \"\(scalar.string)\" in quotes if that is the text")
            return nil
        }
        return Located(value: scalar.string, position: position(node))
    }

    func date(_ node: Node, _ key: String) -> Located<ExhibitDate>? {
        guard case .scalar(let scalar) = node else {
            error(node, "'\(key)' must be a date, not a \(node.kindName)")
            return nil
        }
        do {
            return Located(value: try ExhibitDate.parse(scalar.string), position: position(node))
        } catch {
            self.error(node, "invalid date '\(scalar.string)' for '\(key)': \(error)")
            return nil
        }
    }

    /// Plain text (the default language) or a mapping from declared language to text.
    func localized(_ node: Node, _ key: String) -> Located<LocalizedText>? {
        switch node {
        case .scalar(let scalar):
            return Located(value: LocalizedText([defaultLanguage: scalar.string]), position: position(node))
        case .mapping(let mapping):
            var values: [String: String] = [:]
            for (languageNode, textNode) in mapping {
                guard let language = languageNode.scalar?.string else { continue }
                guard languages.contains(language) else {
                    error(languageNode, "language '\(language)' in '\(key)' is not declared in exhibit.yaml"
                          + Suggestions.hint(for: language, in: languages))
                    continue
                }
                guard case .scalar(let text) = textNode else {
                    error(textNode, "'\(key).\(language)' must be text")
                    continue
                }
                values[language] = text.string
            }
            return Located(value: LocalizedText(values), position: position(node))
        default:
            error(node, "'\(key)' must be text or a mapping from language to text")
            return nil
        }
    }

    /// Warns about each declared language that `text` lacks.
    func checkLanguages(_ text: Located<LocalizedText>?, _ what: String) {
        guard let text else { return }
        for language in languages where (text.value[language] ?? "").isEmpty {
            diagnostics.warning(text.position, "\(what) has no '\(language)' text")
        }
    }
}

extension Node {
    var kindName: String {
        switch self {
        case .scalar: return "single value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }
}
