import CCmark
import Foundation

/// CommonMark to HTML through cmark (`cmark_markdown_to_html`).
public enum Markdown {
    /// Raw HTML and `javascript:` links are dropped (cmark's safe default); quotes and dashes
    /// become typographic.
    public static func html(_ markdown: String) -> String {
        let options = CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8
        guard let pointer = markdown.withCString({ cmark_markdown_to_html($0, strlen($0), options) }) else {
            return ""
        }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
