import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Refuses SVG files that could do more than draw, by parsing them as XML (`XMLParser`):
/// scripts, event-handler attributes (`on…`), `<foreignObject>` (HTML inside a picture),
/// entity declarations, malformed XML, references to anything outside the file (`href`, `url(…)`
/// not starting with `#`, CSS's other fetching functions), animations that rewrite a reference
/// or a handler (`<set attributeName="href">`), and CSS escapes (`\75 rl(` spells `url(`).
/// The server also sends every SVG under a policy that forbids scripts; this catches the file
/// before it reaches a kiosk.
enum SVGCheck {
    /// Throws the first problem, with its line and column in the file.
    static func check(_ bytes: [UInt8]) throws(MediaError) {
        let parser = XMLParser(data: Data(bytes))
        let delegate = Delegate()
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        // swift-corelibs' XMLParser reports neither entity declarations nor their use (it
        // drops `&x;`), so declarations are refused before parsing: a picture needs none.
        if bytes.firstRange(of: Array("<!ENTITY".utf8)) != nil {
            throw MediaError("the SVG declares entities (<!ENTITY …>); entities are not allowed")
        }
        let parsed = parser.parse()
        if let problem = delegate.problem { throw MediaError(problem) }
        // corelibs may return true and still set parserError.
        guard parsed, parser.parserError == nil else {
            let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "unknown error"
            throw MediaError("line \(parser.lineNumber), column \(parser.columnNumber): the SVG is not well-formed XML (\(reason))")
        }
        guard delegate.sawRoot else { throw MediaError("not an SVG file: no <svg> element") }
    }

    /// `@unchecked Sendable`: used by one parse on one thread.
    private final class Delegate: NSObject, XMLParserDelegate, @unchecked Sendable {
        var problem: String?
        var sawRoot = false
        /// The text of the `<style>` being read, which the parser may deliver in pieces.
        private var style: String?

        private func refuse(_ parser: XMLParser, _ message: String) {
            guard problem == nil else { return }
            problem = "line \(parser.lineNumber), column \(parser.columnNumber): \(message)"
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let name = Self.localName(elementName)
            if !sawRoot {
                guard name == "svg" else { return refuse(parser, "not an SVG file: the root element is <\(elementName)>") }
                sawRoot = true
            }
            switch name {
            case "script": return refuse(parser, "the SVG contains a <script>; a picture must not run code")
            case "foreignobject": return refuse(parser, "the SVG contains <foreignObject>; only SVG drawing is allowed")
            case "style": style = ""
            case "set", "animate", "animatetransform", "animatemotion":
                let target = attributes.first { Self.localName($0.key) == "attributename" }.map { Self.localName($0.value) } ?? ""
                if target == "href" || target == "src" || target.hasPrefix("on") {
                    return refuse(parser, "<\(elementName)> changes '\(target)'; a picture must not rewrite references or handlers")
                }
            default: break
            }
            for (attribute, value) in attributes.sorted(by: { $0.key < $1.key }) {
                let local = Self.localName(attribute)
                if local.hasPrefix("on") {
                    return refuse(parser, "<\(elementName)> has the event handler '\(attribute)'; a picture must not run code")
                }
                if local == "href" || local == "src", !value.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                    return refuse(parser, "<\(elementName)> refers to '\(value.prefix(60))' outside the file; "
                                  + "embed it or draw it instead (only '#id' references are allowed)")
                }
                if let outside = Self.externalURL(in: value) {
                    return refuse(parser, "<\(elementName)> \(attribute) refers to '\(outside)' outside the file")
                }
                if local == "style", let problem = Self.cssProblem(value) {
                    return refuse(parser, "<\(elementName)> style \(problem)")
                }
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard Self.localName(elementName) == "style", let text = style else { return }
            style = nil
            if text.lowercased().contains("@import") {
                return refuse(parser, "the SVG's <style> imports another file")
            }
            if let outside = Self.externalURL(in: text) {
                return refuse(parser, "the SVG's <style> refers to '\(outside)' outside the file")
            }
            if let problem = Self.cssProblem(text) { return refuse(parser, "the SVG's <style> \(problem)") }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            style? += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            let code = (parseError as NSError).code
            refuse(parser, "the SVG is not well-formed XML (libxml2 error \(code))")
        }

        /// `svg:script` and `script` alike, compared in lower case.
        static func localName(_ name: String) -> String {
            (name.split(separator: ":").last.map(String.init) ?? name).lowercased()
        }

        /// CSS that could fetch without `url(…)`, or hide a word behind an escape.
        static func cssProblem(_ css: String) -> String? {
            if css.contains("\\") { return "uses a CSS escape (\\…); write the text plainly" }
            let lower = css.lowercased()
            for function in ["image-set(", "image(", "src(", "cross-fade(", "element("] where lower.contains(function) {
                return "uses \(function)…); only url(#id) may refer to anything"
            }
            return nil
        }

        /// The first `url(…)` in CSS or an attribute that does not point inside the file.
        static func externalURL(in text: String) -> String? {
            var rest = Substring(text)
            while let start = rest.range(of: "url(", options: .caseInsensitive) {
                let inside = rest[start.upperBound...].drop { $0 == " " || $0 == "\"" || $0 == "'" }
                if !inside.hasPrefix("#") { return String(inside.prefix { $0 != ")" }.prefix(60)) }
                rest = inside
            }
            return nil
        }
    }
}
