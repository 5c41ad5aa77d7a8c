import Foundation
import TimelineSnapshot

/// Writes a snapshot as plain files for any web server or CDN: every resource under its URL
/// path, its gzip body beside it as `.gz` (what the kiosk sends to a browser that accepts
/// gzip), a search page per language that says search needs the kiosk, and an nginx server
/// block that sends the kiosk's headers.
public struct StaticExport: Sendable {
    public let snapshot: String
    public let folder: String

    public init(snapshot: String, folder: String) {
        self.snapshot = snapshot
        self.folder = folder
    }

    public struct Report: Sendable {
        public var files = 0
        public var gzipFiles = 0
        public var bytes = 0
    }

    /// The file a URL path is written to: `/` and `/en/` → `index.html` in that folder; a
    /// page or document without an extension gets `.html` or `.json`, so that any server
    /// finds its type from the name.
    public static func file(for path: String, contentType: String) -> String? {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains(".."), !path.contains("\\"), !path.contains("\0"),
              !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }), !path.hasPrefix("/nginx/")
        else { return nil }
        var relative = String(path.dropFirst())
        if relative.isEmpty || relative.hasSuffix("/") { return relative + "index.html" }
        let last = relative.split(separator: "/").last.map(String.init) ?? relative
        if !last.contains(".") {
            if contentType.hasPrefix("text/html") { relative += ".html" }
            else if contentType.hasPrefix("application/json") { relative += ".json" }
        }
        return relative
    }

    public func run() throws(ExportError) -> Report {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .io("\(folder): a file is there; export into a new folder") }
            if let existing = try? fm.contentsOfDirectory(atPath: folder), !existing.isEmpty {
                throw .io("\(folder): the folder is not empty; export into a new folder")
            }
        }
        let file: SnapshotFile
        do { file = try SnapshotFile(path: snapshot) } catch { throw .snapshot("\(error)") }
        let meta = file.meta
        try Self.checkForNginx(meta, folder: folder)
        // Written beside the folder and renamed into place at the end: a snapshot found
        // damaged halfway leaves nothing behind.
        let partial = StaticExport(snapshot: snapshot, folder: folder + ".partial-\(getpid())")
        try? fm.removeItem(atPath: partial.folder)
        var report = Report()
        do {
            try fm.createDirectory(atPath: partial.folder, withIntermediateDirectories: true)
            report = try partial.fill(file, meta: meta, servedFrom: folder)
            try? fm.removeItem(atPath: folder)  // empty, checked above
            try fm.moveItem(atPath: partial.folder, toPath: folder)
        } catch let error as ExportError {
            try? fm.removeItem(atPath: partial.folder)
            throw error
        } catch {
            try? fm.removeItem(atPath: partial.folder)
            throw .io("\(folder): \((error as NSError).localizedDescription)")
        }
        return report
    }

    /// What goes into nginx's configuration must not be able to change it: a snapshot is
    /// checked, but its text is still data.
    static func checkForNginx(_ meta: [String: String], folder: String) throws(ExportError) {
        for key in [SnapshotSchema.Meta.pagePolicy, SnapshotSchema.Meta.svgPolicy] {
            // Inside nginx's double quotes only these change the meaning.
            if let value = meta[key], value.contains(where: { "\"\\$\n\r".contains($0) }) {
                throw .snapshot("the snapshot's \(key) holds characters an nginx configuration cannot carry")
            }
        }
        if let lang = meta[SnapshotSchema.Meta.defaultLanguage], lang.wholeMatch(of: /[a-z]{2,3}(-[A-Za-z0-9]{2,8})?/) == nil {
            throw .snapshot("the snapshot's default language '\(lang)' is not a language code")
        }
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        if root.contains(where: { "\"\\$\n\r".contains($0) }) {
            throw .io("\(folder): nginx cannot name a folder with \", \\ or $; choose another")
        }
    }

    /// Writes every file into `folder` (new and empty); nginx's root names `servedFrom`.
    func fill(_ file: SnapshotFile, meta: [String: String], servedFrom: String) throws -> Report {
        var report = Report()
        do {
            let rows = try file.database.prepare("SELECT path, content_type, body, gzip FROM resources ORDER BY path")
            while try rows.step() {
                let path = rows.text(0) ?? "", type = rows.text(1) ?? ""
                guard let relative = Self.file(for: path, contentType: type) else {
                    throw ExportError.snapshot("\(snapshot): resource path '\(path)' cannot be a file")
                }
                let body = rows.blob(2) ?? []
                try write(relative, body)
                report.files += 1
                report.bytes += body.count
                if let gzip = rows.blob(3) {
                    try write(relative + ".gz", gzip)
                    report.gzipFiles += 1
                }
            }
            try writeSearchPages(file, meta: meta, &report)
            try write("nginx/timeline.conf", Array(nginxConfig(meta: meta, root: servedFrom).utf8))
        } catch let error as SnapshotError {
            throw ExportError.snapshot("\(error)")
        } catch let error as SQLiteError {
            throw ExportError.snapshot("\(snapshot): \(error)")
        }
        return report
    }

    func write(_ relative: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// `search-LANG.html`: the kiosk's search page with no query, saying that search needs
    /// the kiosk's server (the words come from the theme, through the timeline document).
    func writeSearchPages(_ file: SnapshotFile, meta: [String: String], _ report: inout Report) throws {
        let pages = try file.database.prepare("SELECT lang, head, middle, tail FROM search_pages ORDER BY lang")
        let timeline = try file.database.prepare("SELECT body FROM resources WHERE path = ?")
        while try pages.step() {
            let lang = pages.text(0) ?? ""
            guard lang.wholeMatch(of: /[a-z]{2,3}(-[A-Za-z0-9]{2,8})?/) != nil else {
                throw ExportError.snapshot("\(snapshot): search page language '\(lang)' is not a language code")
            }
            try timeline.reset()
            try timeline.bind(1, SiteURL.timeline(lang))
            var message = "Search needs the kiosk's server. Browse the timeline instead."
            if try timeline.step(), let json = try? JSONSerialization.jsonObject(with: Data(timeline.blob(0) ?? [])) as? [String: Any],
               let labels = json["t"] as? [String: Any], let text = labels["search_static"] as? String {
                message = text
            }
            let html = (pages.text(1) ?? "") + (pages.text(2) ?? "") + "<p class=\"no-results\">\(Self.escape(message))</p>"
                + (pages.text(3) ?? "")
            try write("search-\(lang).html", Array(html.utf8))
            report.files += 1
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A server block (with the maps it needs) for nginx's conf.d: the kiosk's headers,
    /// `gzip_static` for the `.gz` files, a year's immutable caching for fingerprinted paths.
    func nginxConfig(meta: [String: String], root folder: String) -> String {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        let page = meta[SnapshotSchema.Meta.pagePolicy] ?? "default-src 'self'"
        let svg = meta[SnapshotSchema.Meta.svgPolicy] ?? "default-src 'none'"
        let lang = meta[SnapshotSchema.Meta.defaultLanguage] ?? "en"
        let headers = """
                add_header X-Content-Type-Options "nosniff" always;
                add_header Content-Security-Policy $kiosk_timeline_csp always;
                add_header Referrer-Policy $kiosk_timeline_referrer always;
        """
        return """
        # Kiosk Timeline, exported by timeline-build export: "\(meta[SnapshotSchema.Meta.exhibitID] ?? "")", content
        # hash \(meta[SnapshotSchema.Meta.contentHash] ?? ""). Put this file in /etc/nginx/conf.d/ (it belongs in the
        # http block: it holds two maps and a server), set server_name and listen, and keep
        # root pointing at the exported folder. The same headers as the kiosk's server.

        map $sent_http_content_type $kiosk_timeline_csp {
            ~^text/html      "\(page)";
            ~^image/svg\\+xml "\(svg)";
            default          "";
        }
        map $sent_http_content_type $kiosk_timeline_referrer {
            ~^text/html "no-referrer";
            default     "";
        }

        server {
            listen 80;
            server_name _;
            root "\(root)";
            index index.html;
            # Each file's .gz beside it, for browsers that accept gzip.
            gzip_static on;
            types {
                text/html html;
                text/css css;
                text/javascript js;
                application/json json;
                image/svg+xml svg;
                image/png png;
                image/jpeg jpeg jpg;
                image/webp webp;
                image/avif avif;
                image/x-icon ico;
                font/woff2 woff2;
                text/vtt vtt;
                text/plain txt;
                video/mp4 mp4 m4v;
                video/webm webm;
                audio/mpeg mp3;
                audio/mp4 m4a aac;
                audio/ogg ogg oga opus;
                application/gzip gz;
            }
            charset utf-8;
            charset_types text/css text/javascript text/vtt text/plain;

            # This file and the folder's other workings are not part of the site.
            location ^~ /nginx/ {
                return 404;
            }

            # Fingerprinted: the name changes when the bytes do.
            location /assets/ {
                add_header Cache-Control "public, max-age=31536000, immutable" always;
        \(headers)
            }
            location /media/ {
                add_header Cache-Control "public, max-age=31536000, immutable" always;
        \(headers)
            }
            # Search needs the kiosk's server: this page says so, in the page's language.
            location = /search {
                add_header Cache-Control "no-cache" always;
        \(headers)
                try_files /search-$arg_lang.html /search-\(lang).html =404;
            }
            location / {
                add_header Cache-Control "no-cache" always;
        \(headers)
                try_files $uri $uri.html $uri.json $uri/index.html =404;
            }
            error_page 404 /\(lang)/404.html;
        }

        """
    }
}

public enum ExportError: Error, Sendable, CustomStringConvertible {
    case io(String)
    case snapshot(String)

    public var description: String {
        switch self {
        case .io(let message): return "error: \(message)"
        case .snapshot(let message): return "error: \(message)"
        }
    }
}
