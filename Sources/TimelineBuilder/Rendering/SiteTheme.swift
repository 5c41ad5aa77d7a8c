import Foundation
import TimelineSnapshot
import Mustache
import Yams

/// The look and words of the pages: Mustache templates, static assets and interface strings.
///
/// A folder a designer edits (`Assets/theme`): `templates/*.mustache`, `static/*`
/// (CSS, JS, icons: served under fingerprinted URLs) and `strings/LANG.yaml`.
public struct SiteTheme: Sendable {
    public let directory: String
    let library: MustacheLibrary
    public let strings: [String: UIStrings]
    public let assets: [Asset]
    /// `/assets/HASH/`: the URL of the static folder, fingerprinted as a whole.
    public let assetBase: String
    /// Every file read, keyed `theme/RELATIVE`, for the content hash.
    public let inputs: [String: [UInt8]]
    /// `theme.yaml`: what the theme builds for.
    public let settings: Settings

    /// `theme.yaml`, optional: every key has a default.
    public struct Settings: Sendable, Equatable {
        /// The largest screen images are made for (`largest_screen: 3840x2160`): no image
        /// variant is wider than its longest side. A kiosk fleet of 1080p screens saves
        /// build time and snapshot size with `1920x1080`.
        public var largestScreen = (width: 3840, height: 2160)

        public var longestSide: Int { max(largestScreen.width, largestScreen.height) }

        public static func == (a: Settings, b: Settings) -> Bool { a.largestScreen == b.largestScreen }

        public init() {}

        static let keys = ["largest_screen"]

        /// Reads `theme.yaml`'s text; errors name the file, line and column.
        init(yaml text: String, path: String) throws(ThemeError) {
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch {
                throw ThemeError("\(path): invalid YAML: \(error)")
            }
            guard let node else { return }
            guard case .mapping(let mapping) = node else { throw ThemeError("\(path): expected keys such as largest_screen") }
            for (key, value) in mapping {
                let at = "\(path):\(key.mark.map { "\($0.line):\($0.column)" } ?? "1:1")"
                switch key.string {
                case "largest_screen":
                    guard let text = value.string,
                          let match = text.wholeMatch(of: /([1-9][0-9]{2,4})x([1-9][0-9]{2,4})/),
                          let w = Int(match.1), let h = Int(match.2), (320...16384).contains(w), (320...16384).contains(h)
                    else { throw ThemeError("\(at): error: largest_screen must be WIDTHxHEIGHT in pixels, e.g. 1920x1080") }
                    largestScreen = (w, h)
                default:
                    throw ThemeError("\(at): error: unknown key '\(key.string ?? "")'; theme.yaml knows \(Self.keys.joined(separator: ", "))")
                }
            }
        }
    }

    /// A static file under its fingerprinted URL.
    public struct Asset: Sendable {
        public let name: String
        public let url: String
        public let contentType: String
        public let bytes: [UInt8]

        /// `js/app.js` → `js_app_js`: how templates name it (`{{assets.js_app_js}}`).
        public var key: String {
            name.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
                .replacingOccurrences(of: "/", with: "_")
        }
    }

    /// The policy every page is sent with (stored in the snapshot's meta): the theme has no
    /// inline script or style and loads nothing from elsewhere.
    public static let pagePolicy =
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    /// The policy every SVG is sent with: opened on its own it may style itself, nothing more.
    public static let svgPolicy = "default-src 'none'; style-src 'unsafe-inline'"

    public static let requiredTemplates = ["layout", "home", "event", "era", "theme", "place", "person",
                                           "credits", "not-found", "card", "list", "search", "search-empty", "places", "map", "year"]

    public init(directory: String) throws(ThemeError) {
        self.directory = directory
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        var inputs: [String: [UInt8]] = [:]

        func files(_ sub: String) throws(ThemeError) -> [(name: String, bytes: [UInt8])] {
            let folder = root.appendingPathComponent(sub)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
                throw ThemeError("\(directory)/\(sub): missing folder")
            }
            var result: [(String, [UInt8])] = []
            for name in names.sorted() where !name.hasPrefix(".") {
                guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else {
                    throw ThemeError("\(directory)/\(sub)/\(name): cannot read")
                }
                inputs["theme/\(sub)/\(name)"] = Array(data)
                result.append((name, Array(data)))
            }
            return result
        }

        var library = MustacheLibrary()
        for file in try files("templates") where file.name.hasSuffix(".mustache") {
            let name = String(file.name.dropLast(".mustache".count))
            guard let text = String(validating: file.bytes, as: UTF8.self) else {
                throw ThemeError("\(directory)/templates/\(file.name): invalid UTF-8")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw ThemeError("\(directory)/templates/\(file.name): template error: \(error)")
            }
        }
        let missing = Self.requiredTemplates.filter { library.getTemplate(named: $0) == nil }
        guard missing.isEmpty else {
            throw ThemeError("\(directory)/templates: missing \(missing.map { $0 + ".mustache" }.joined(separator: ", "))")
        }
        self.library = library

        var strings: [String: UIStrings] = [:]
        for file in try files("strings") where file.name.hasSuffix(".yaml") {
            let language = String(file.name.dropLast(".yaml".count))
            do {
                strings[language] = try UIStrings.parse(String(decoding: file.bytes, as: UTF8.self), language: language)
            } catch {
                throw ThemeError("\(directory)/strings/\(file.name): \(error)")
            }
        }
        self.strings = strings

        let settingsURL = root.appendingPathComponent("theme.yaml")
        if let data = try? Data(contentsOf: settingsURL) {
            inputs["theme/theme.yaml"] = Array(data)
            settings = try Settings(yaml: String(decoding: data, as: UTF8.self), path: "\(directory)/theme.yaml")
        } else {
            settings = Settings()
        }

        // The static tree gets one fingerprint, so that ES modules import each other by
        // relative URL and the stylesheet finds its fonts: `/assets/HASH/js/app.js`.
        let tree = try Self.staticTree(root.appendingPathComponent("static"), directory: directory)
        var whole: [UInt8] = []
        for file in tree {
            inputs["theme/static/\(file.path)"] = file.bytes
            whole += Array(file.path.utf8) + [0] + Array(String(file.bytes.count).utf8) + [0] + file.bytes
        }
        let base = SiteURL.assetsPrefix + "\(Digest.sha256Hex(whole).prefix(10))/"
        var assets: [Asset] = []
        for file in tree {
            let ext = (file.path as NSString).pathExtension
            guard let type = Self.staticTypes[ext] else {
                throw ThemeError("\(directory)/static/\(file.path): unsupported file type '.\(ext)'")
            }
            assets.append(Asset(name: file.path, url: base + file.path, contentType: type, bytes: file.bytes))
        }
        self.assetBase = base
        self.assets = assets
        self.inputs = inputs
    }

    /// Every file under `static/`, by relative path in sorted order; hidden files skipped.
    static func staticTree(_ folder: URL, directory: String) throws(ThemeError) -> [(path: String, bytes: [UInt8])] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw ThemeError("\(directory)/static: missing folder")
        }
        var files: [(path: String, bytes: [UInt8])] = []
        let prefix = folder.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(prefix.count))
            guard let data = try? Data(contentsOf: url) else { throw ThemeError("\(directory)/static/\(path): cannot read") }
            files.append((path, Array(data)))
        }
        guard !files.isEmpty || FileManager.default.fileExists(atPath: folder.path) else {
            throw ThemeError("\(directory)/static: missing folder")
        }
        return files.sorted { $0.path < $1.path }
    }

    static let staticTypes = [
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml",
        "png": "image/png", "ico": "image/x-icon", "woff2": "font/woff2", "json": "application/json",
        "txt": "text/plain; charset=utf-8",
    ]

    /// Checks that every interface label of the first language exists in `language` too.
    func checkStrings(for languages: [String]) throws(ThemeError) {
        for language in languages where strings[language] == nil {
            throw ThemeError("\(directory)/strings: no interface strings for language '\(language)'; add \(language).yaml")
        }
        guard let reference = strings[languages[0]] else { return }
        for language in languages.dropFirst() {
            let missing = reference.labels.keys.filter { strings[language]!.labels[$0] == nil }.sorted()
            if !missing.isEmpty {
                throw ThemeError("\(directory)/strings/\(language).yaml: missing ui labels \(missing.joined(separator: ", "))")
            }
        }
    }

    /// Renders a template; a missing one was refused at load.
    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }
}
