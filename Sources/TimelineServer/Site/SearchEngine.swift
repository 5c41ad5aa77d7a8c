import TimelineSnapshot

/// Full-text search over a snapshot's FTS5 index, answered by splicing what the builder
/// rendered: result cards into the search page, `/api/events` items into the JSON.
/// Visitor text never reaches FTS5 as syntax.
struct SearchEngine: Sendable {
    let shells: [String: SnapshotReader.SearchShell]
    let languages: [String]
    let defaultLanguage: String
    let maxResults: Int
    /// SQLite virtual-machine steps one search may take.
    let stepLimit: Int32

    static let maxQueryCharacters = 200
    static let maxTerms = 8
    static let maxTermCharacters = 64

    // MARK: Query

    /// The visitor's words as an FTS5 expression: each word a quoted string (so `"`, `*`,
    /// `NEAR(`, `OR` are plain words), all required, the last one also as a prefix.
    static func expression(for query: String) -> String? {
        var terms: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty, terms.count < maxTerms { terms.append(String(current.prefix(maxTermCharacters))) }
            current = ""
        }
        for character in query.prefix(maxQueryCharacters) {
            // A letter keeps its combining marks: they are part of the same Character.
            if character.isLetter || character.isNumber {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        guard !terms.isEmpty else { return nil }
        // Terms hold only letters, digits and marks, so no quote can occur inside one.
        let quoted = terms.map { "\"\($0)\"" }
        return quoted.dropLast().joined(separator: " ") + (terms.count > 1 ? " " : "") + quoted.last! + "*"
    }

    enum Outcome: Equatable {
        case results([SnapshotReader.SearchHit])
        /// The query took too long or failed; the visitor sees no results, the log says why.
        case failed(String)
        /// A stored card or item failed its digest: nothing of it is sent.
        case damaged(String)
    }

    /// Events matching `query` in `lang`, best first, at most `maxResults`.
    func search(_ query: String, lang: String, readers: ReaderPool) -> Outcome {
        guard let expression = Self.expression(for: query) else { return .results([]) }
        do {
            return .results(try readers.with { try $0.search(expression, lang: lang, limit: maxResults, stepLimit: stepLimit) })
        } catch let error as SnapshotError where error.kind == .damaged {
            return .damaged(error.description)
        } catch let error as SQLiteError where error.isDamage {
            return .damaged("the snapshot is damaged: \(error)")
        } catch {
            return .failed("\(error)")
        }
    }

    func language(_ requested: String?) -> String {
        guard let requested, languages.contains(requested) else { return defaultLanguage }
        return requested
    }

    // MARK: Answers

    func page(query: String, lang: String, hits: [SnapshotReader.SearchHit]) -> String {
        let shell = shells[lang] ?? shells[defaultLanguage]!
        let shown = Escape.html(String(query.prefix(Self.maxQueryCharacters)))
        let results: String
        if hits.isEmpty {
            results = Self.expression(for: query) == nil ? "" : shell.empty
        } else {
            results = hits.map(\.cardHTML).joined()
        }
        return shell.head + shown + shell.middle + results + shell.tail
    }

    /// `results` holds each event exactly as `/api/events` does; `content_hash` names the
    /// snapshot that answered.
    func api(query: String, lang: String, hits: [SnapshotReader.SearchHit], contentHash: String) -> String {
        "{\"query\":\(Escape.json(String(query.prefix(Self.maxQueryCharacters)))),\"lang\":\(Escape.json(lang)),"
            + "\"content_hash\":\(Escape.json(contentHash)),"
            + "\"results\":[" + hits.map(\.itemJSON).joined(separator: ",") + "]}"
    }
}
