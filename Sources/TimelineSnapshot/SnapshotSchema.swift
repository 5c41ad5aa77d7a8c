/// The snapshot's layout: identity pragmas, tables and the metadata keys.
///
/// One SQLite file holds the whole exhibit: normalized tables for the API and search, and
/// every resource (page, asset, medium) keyed by its URL path, ready to send.
public enum SnapshotSchema {
    /// `PRAGMA application_id`: "KTLS" in ASCII, so a foreign SQLite file is recognised.
    public static let applicationID: Int32 = 0x4B54_4C53
    /// `PRAGMA user_version`. Bump on any change a server of an older version could misread.
    public static let version: Int32 = 4

    /// Tables a valid snapshot must have.
    public static let requiredTables: [String] = [
        "meta", "languages", "sources", "source_text", "eras", "era_text", "themes", "theme_text",
        "places", "place_text", "people", "person_text", "media", "media_files", "media_text",
        "events", "event_text", "event_eras", "event_themes", "event_places", "event_people",
        "event_media", "event_sources", "search", "search_pages", "resources",
    ]

    /// Keys of the `meta` table.
    public enum Meta {
        public static let exhibitID = "exhibit_id"
        public static let contentHash = "content_hash"
        public static let builderVersion = "builder_version"
        public static let schemaVersion = "schema_version"
        public static let defaultLanguage = "default_language"
        public static let languages = "languages"
        public static let eventCount = "event_count"
        /// Present only when the build had SOURCE_DATE_EPOCH set, so builds stay reproducible.
        public static let builtAt = "built_at"
        /// Seconds without a touch before the interface resets, and whether it then tours
        /// the highlights ("1" or "0").
        public static let idleTimeout = "idle_timeout"
        public static let attractLoop = "attract_loop"
        /// The theme's Content-Security-Policy for pages, and the stricter one every SVG is
        /// sent with (an SVG opened on its own is a document that could run script).
        public static let pagePolicy = "content_security_policy"
        public static let svgPolicy = "svg_content_security_policy"

        /// Keys without which a snapshot is refused.
        public static let required = [exhibitID, contentHash, schemaVersion, defaultLanguage, languages,
                                       eventCount, pagePolicy, svgPolicy]
    }

    /// `resources.cache`: how a resource may be cached by a client.
    public enum CachePolicy: String, Sendable {
        /// Fingerprinted URL: the bytes never change, cache for a year.
        case immutable
        /// Page or API document: revalidate with the ETag every time.
        case revalidate
    }

    /// A body's digest as the snapshot records it: the first 32 hex digits (128 bits) of its
    /// SHA-256. A resource's strong ETag is this digest in quotes.
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> String { String(SHA256.hex(bytes).prefix(32)) }
    public static func digest(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { digest(UnsafeRawBufferPointer($0)) }
    }
    public static func etag(digest: String) -> String { "\"" + digest + "\"" }

    /// The DDL, run once on an empty file.
    public static let ddl = """
    PRAGMA page_size = 4096;
    PRAGMA application_id = \(applicationID);
    PRAGMA user_version = \(version);

    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE languages (
        code TEXT PRIMARY KEY, position INTEGER NOT NULL, dir TEXT NOT NULL CHECK (dir IN ('ltr','rtl')),
        name TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE sources (id TEXT PRIMARY KEY, position INTEGER NOT NULL, author TEXT, publisher TEXT,
        date TEXT, url TEXT, publication TEXT) WITHOUT ROWID;
    CREATE TABLE source_text (source_id TEXT NOT NULL REFERENCES sources(id), lang TEXT NOT NULL,
        title TEXT NOT NULL, note_html TEXT NOT NULL, PRIMARY KEY (source_id, lang)) WITHOUT ROWID;

    CREATE TABLE eras (id TEXT PRIMARY KEY, position INTEGER NOT NULL,
        start TEXT NOT NULL, start_precision TEXT NOT NULL, start_key INTEGER NOT NULL,
        "end" TEXT NOT NULL, end_precision TEXT NOT NULL, end_key INTEGER NOT NULL,
        colour TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE era_text (era_id TEXT NOT NULL REFERENCES eras(id), lang TEXT NOT NULL,
        title TEXT NOT NULL, description_html TEXT NOT NULL, PRIMARY KEY (era_id, lang)) WITHOUT ROWID;

    CREATE TABLE themes (id TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE theme_text (theme_id TEXT NOT NULL REFERENCES themes(id), lang TEXT NOT NULL,
        title TEXT NOT NULL, description_html TEXT NOT NULL, PRIMARY KEY (theme_id, lang)) WITHOUT ROWID;

    CREATE TABLE places (id TEXT PRIMARY KEY, position INTEGER NOT NULL,
        latitude REAL, longitude REAL, map TEXT) WITHOUT ROWID;
    CREATE TABLE place_text (place_id TEXT NOT NULL REFERENCES places(id), lang TEXT NOT NULL,
        name TEXT NOT NULL, description_html TEXT NOT NULL, PRIMARY KEY (place_id, lang)) WITHOUT ROWID;

    CREATE TABLE people (id TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE person_text (person_id TEXT NOT NULL REFERENCES people(id), lang TEXT NOT NULL,
        name TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (person_id, lang)) WITHOUT ROWID;

    -- A medium as the curator gave it: id is its path in the exhibit folder; width, height
    -- (upright), bytes and sha256 are the source file's; url is what a page shows first
    -- (an image's largest JPEG, the video itself). duration_ms for audio and video only;
    -- poster: the image (a row of its own) a video shows before it plays.
    CREATE TABLE media (id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('image','audio','video')),
        url TEXT NOT NULL UNIQUE, content_type TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
        duration_ms INTEGER, poster TEXT REFERENCES media(id), bytes INTEGER NOT NULL, sha256 TEXT NOT NULL) WITHOUT ROWID;
    -- Every other file served for a medium: an image's variants (role 'variant', by width
    -- and format), a caption track per language (role 'captions', lang).
    CREATE TABLE media_files (url TEXT PRIMARY KEY, media_id TEXT NOT NULL REFERENCES media(id),
        role TEXT NOT NULL CHECK (role IN ('variant','captions')), lang TEXT,
        content_type TEXT NOT NULL, width INTEGER, height INTEGER) WITHOUT ROWID;
    CREATE TABLE media_text (media_id TEXT NOT NULL REFERENCES media(id), lang TEXT NOT NULL,
        alt TEXT NOT NULL, caption TEXT NOT NULL, credit TEXT NOT NULL, PRIMARY KEY (media_id, lang)) WITHOUT ROWID;

    -- item_json: the event exactly as one element of /api/events, spliced into search answers.
    CREATE TABLE events (id TEXT PRIMARY KEY, position INTEGER NOT NULL UNIQUE,
        start TEXT NOT NULL, start_precision TEXT NOT NULL, start_key INTEGER NOT NULL,
        "end" TEXT, end_precision TEXT, end_key INTEGER,
        circa INTEGER NOT NULL, highlight INTEGER NOT NULL, url TEXT NOT NULL,
        item_json TEXT NOT NULL, item_digest TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE event_text (event_id TEXT NOT NULL REFERENCES events(id), lang TEXT NOT NULL,
        title TEXT NOT NULL, summary TEXT NOT NULL, body_html TEXT NOT NULL, display_date TEXT NOT NULL,
        card_html TEXT NOT NULL, card_digest TEXT NOT NULL, PRIMARY KEY (event_id, lang)) WITHOUT ROWID;
    CREATE TABLE event_eras (event_id TEXT NOT NULL, era_id TEXT NOT NULL, PRIMARY KEY (event_id, era_id)) WITHOUT ROWID;
    CREATE TABLE event_themes (event_id TEXT NOT NULL, theme_id TEXT NOT NULL, PRIMARY KEY (event_id, theme_id)) WITHOUT ROWID;
    CREATE TABLE event_places (event_id TEXT NOT NULL, place_id TEXT NOT NULL, PRIMARY KEY (event_id, place_id)) WITHOUT ROWID;
    CREATE TABLE event_people (event_id TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (event_id, person_id)) WITHOUT ROWID;
    CREATE TABLE event_sources (event_id TEXT NOT NULL, source_id TEXT NOT NULL, PRIMARY KEY (event_id, source_id)) WITHOUT ROWID;
    CREATE TABLE event_media (event_id TEXT NOT NULL, media_id TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (event_id, media_id)) WITHOUT ROWID;

    -- Event text per language; `lang` narrows a search to one language.
    CREATE VIRTUAL TABLE search USING fts5(
        title, summary, body, event_id UNINDEXED, lang UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2'
    );

    -- The search page per language, cut where the server splices the escaped query and the
    -- result cards (event_text.card_html): head + query + middle + (cards or empty) + tail.
    -- digest: of head, middle, tail and empty joined by NUL characters.
    CREATE TABLE search_pages (lang TEXT PRIMARY KEY, head TEXT NOT NULL, middle TEXT NOT NULL,
        tail TEXT NOT NULL, empty TEXT NOT NULL, digest TEXT NOT NULL) WITHOUT ROWID;

    -- Everything the server sends, keyed by URL path. `gzip` only where it is smaller. Every
    -- sent byte has a digest (the ETag is the body's), checked before it is first sent:
    -- SQLite's own checks do not read blob contents.
    CREATE TABLE resources (path TEXT PRIMARY KEY, content_type TEXT NOT NULL, etag TEXT NOT NULL,
        cache TEXT NOT NULL CHECK (cache IN ('immutable','revalidate')),
        body BLOB NOT NULL, gzip BLOB, gzip_digest TEXT);
    """
}
