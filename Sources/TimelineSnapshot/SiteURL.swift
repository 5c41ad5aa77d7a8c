/// The URL scheme of a snapshot's site, in one place: the builder writes pages and documents
/// at these paths and the server routes by them, so a path is never typed twice.
///
/// Pages are per language (`/en/…`); the API documents, search and health are not.
public enum SiteURL {
    // MARK: Pages

    public static func home(_ lang: String) -> String { "/\(lang)/" }
    public static func event(_ lang: String, _ id: String) -> String { "/\(lang)/events/\(id)" }
    public static func era(_ lang: String, _ id: String) -> String { "/\(lang)/eras/\(id)" }
    public static func theme(_ lang: String, _ id: String) -> String { "/\(lang)/themes/\(id)" }
    public static func place(_ lang: String, _ id: String) -> String { "/\(lang)/places/\(id)" }
    public static func places(_ lang: String) -> String { "/\(lang)/places/" }
    public static func person(_ lang: String, _ id: String) -> String { "/\(lang)/people/\(id)" }
    public static func credits(_ lang: String) -> String { "/\(lang)/credits" }
    /// Sent with status 404 for any path the site does not have.
    public static func notFound(_ lang: String) -> String { "/\(lang)/404" }
    /// A year's events on a page of their own, for browsers without JavaScript.
    public static func year(_ lang: String, _ year: Int) -> String { "/\(lang)/years/\(year)" }
    /// The bare root: the default language's home page.
    public static let root = "/"

    // MARK: Search (answered by the server from prebuilt fragments)

    /// The search page; `lang` and `q` in the query.
    public static let searchPage = "/search"
    /// The same results as JSON.
    public static let searchAPI = "/api/search"
    public static func search(_ lang: String) -> String { "\(searchPage)?lang=\(lang)" }
    public static func searchAPI(_ lang: String) -> String { "\(searchAPI)?lang=\(lang)" }

    // MARK: Documents

    public static let exhibitAPI = "/api/exhibit"
    public static let eventsAPI = "/api/events"
    /// The touch timeline's overview of one language, and its per-year documents.
    public static func timeline(_ lang: String) -> String { "/api/\(lang)/timeline" }
    public static func timelineYear(_ lang: String, _ year: Int) -> String { "/api/\(lang)/timeline/\(year)" }
    /// The per-year path with `{year}` for the browser to fill in.
    public static func timelineYearPattern(_ lang: String) -> String { "/api/\(lang)/timeline/{year}" }

    // MARK: The server's own

    public static let health = "/healthz"

    // MARK: Files (fingerprinted, cached forever)

    public static let assetsPrefix = "/assets/"
    public static let mediaPrefix = "/media/"
}
