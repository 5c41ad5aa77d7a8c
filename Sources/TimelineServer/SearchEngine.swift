import TimelineSnapshot

/// Full-text search over the snapshot's FTS5 index, answered by splicing fragments
/// rendered at build time. Visitor text never reaches FTS5 as syntax.
final class SearchEngine: Sendable {
    struct Shell: Sendable {
        let head: String, middle: String, tail: String, empty: String
    }

    let pool: ConnectionPool
    let languages: [String]
    let defaultLanguage: String
    let shells: [String: Shell]
    /// Result card HTML by language, then event id.
    let cards: [String: [String: String]]
    /// One JSON object per language and event, for /api/search.
    let json: [String: [String: String]]
    let maxResults: Int

    static let maxQueryCharacters = 200
    static let maxTerms = 8
    static let maxTermCharacters = 64

    init(snapshot: SnapshotFile, pool: ConnectionPool, languages: [String], defaultLanguage: String,
         maxResults: Int) throws(SQLiteError) {
        self.pool = pool
        self.languages = languages
        self.defaultLanguage = defaultLanguage
        self.maxResults = maxResults
        let database = snapshot.database
        var shells: [String: Shell] = [:]
        let shellRows = try database.prepare("SELECT lang, head, middle, tail, empty FROM search_pages")
        while try shellRows.step() {
            shells[shellRows.text(0) ?? ""] = Shell(head: shellRows.text(1) ?? "", middle: shellRows.text(2) ?? "",
                                                   tail: shellRows.text(3) ?? "", empty: shellRows.text(4) ?? "")
        }
        var cards: [String: [String: String]] = [:]
        var json: [String: [String: String]] = [:]
        let rows = try database.prepare("""
            SELECT t.event_id, t.lang, t.card_html, t.title, t.summary, t.display_date, e.start, e.url
            FROM event_text t JOIN events e ON e.id = t.event_id
            """)
        while try rows.step() {
            let id = rows.text(0) ?? "", lang = rows.text(1) ?? ""
            cards[lang, default: [:]][id] = rows.text(2) ?? ""
            let url = SiteURL.event(lang, id)
            json[lang, default: [:]][id] = "{\"id\":\(Escape.json(id)),\"lang\":\(Escape.json(lang)),"
                + "\"title\":\(Escape.json(rows.text(3) ?? "")),\"summary\":\(Escape.json(rows.text(4) ?? "")),"
                + "\"date\":\(Escape.json(rows.text(5) ?? "")),\"start\":\(Escape.json(rows.text(6) ?? "")),"
                + "\"url\":\(Escape.json(url))}"
        }
        self.shells = shells
        self.cards = cards
        self.json = json
    }

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
        case results([String])
        /// The query took too long or failed; the visitor sees no results, the log says why.
        case failed(String)
    }

    /// Event ids matching `query` in `lang`, best first, at most `maxResults`.
    func search(_ query: String, lang: String) -> Outcome {
        guard let expression = Self.expression(for: query) else { return .results([]) }
        do {
            return .results(try pool.with { database in
                let statement = try database.prepare(
                    "SELECT event_id FROM search WHERE search MATCH ?1 AND lang = ?2 ORDER BY rank LIMIT ?3")
                try statement.bind([.text(expression), .text(lang), .int(Int64(maxResults))])
                var ids: [String] = []
                while try statement.step() { if let id = statement.text(0) { ids.append(id) } }
                return ids
            })
        } catch {
            return .failed("\(error)")
        }
    }

    func language(_ requested: String?) -> String {
        guard let requested, languages.contains(requested) else { return defaultLanguage }
        return requested
    }

    // MARK: Answers

    func page(query: String, lang: String, ids: [String]) -> String {
        let shell = shells[lang] ?? shells[defaultLanguage]!
        let shown = Escape.html(String(query.prefix(Self.maxQueryCharacters)))
        let results: String
        if ids.isEmpty {
            results = Self.expression(for: query) == nil ? "" : shell.empty
        } else {
            results = ids.compactMap { cards[lang]?[$0] }.joined()
        }
        return shell.head + shown + shell.middle + results + shell.tail
    }

    func api(query: String, lang: String, ids: [String]) -> String {
        "{\"query\":\(Escape.json(String(query.prefix(Self.maxQueryCharacters)))),\"lang\":\(Escape.json(lang)),"
            + "\"results\":[" + ids.compactMap { json[lang]?[$0] }.joined(separator: ",") + "]}"
    }
}
