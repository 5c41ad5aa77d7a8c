import Foundation
import TimelineSnapshot

/// What the builder should do.
public struct BuildOptions: Sendable {
    public var exhibit: String
    /// Nil: check only, write nothing.
    public var output: String?
    public var theme: String
    public var warningsAsErrors = false
    /// SOURCE_DATE_EPOCH: the only time a snapshot may record.
    public var sourceDateEpoch: Int?
    /// Largest files and exhibit the loader reads.
    public var limits = ExhibitLoader.Limits()

    public init(exhibit: String, output: String?, theme: String) {
        self.exhibit = exhibit
        self.output = output
        self.theme = theme
    }
}

/// How far a build has come: the task, and for the long ones how many of how many items
/// are done and which one is being worked on.
public struct BuildProgress: Sendable, Equatable {
    public let task: String
    public let done: Int
    /// 0 for a step that is not counted.
    public let total: Int
    public let item: String

    public init(_ task: String, done: Int = 0, of total: Int = 0, item: String = "") {
        self.task = task
        self.done = done
        self.total = total
        self.item = item
    }
}

/// What a successful build did.
public struct BuildReport: Sendable {
    public let exhibitID: String
    public let diagnostics: [Diagnostic]
    public let events: Int
    public let pages: Int
    public let resources: Int
    public let contentHash: String
    public let output: String?
}

/// Compiles an exhibit folder into a snapshot: load and check, render, write.
public enum Builder {
    public static let version = Release.version

    /// Runs a build. `progress` hears each step, and n of N through the long ones (the CLI
    /// draws a bar on a terminal).
    public static func build(_ options: BuildOptions,
                             progress: (BuildProgress) -> Void = { _ in }) throws(BuildError) -> BuildReport {
        progress(.init("reading the theme"))
        let theme: SiteTheme
        do { theme = try SiteTheme(directory: options.theme) } catch { throw .io("theme: \(error)") }

        progress(.init("checking the exhibit"))
        let diagnostics = Diagnostics()
        let loaded = ExhibitLoader(root: options.exhibit, limits: options.limits).load(diagnostics: diagnostics)
        let failed = diagnostics.errorCount > 0 || (options.warningsAsErrors && diagnostics.warningCount > 0)
        guard let exhibit = loaded.exhibit, !failed else {
            throw .invalidExhibit(errors: diagnostics.errorCount, warnings: diagnostics.warningCount,
                                  diagnostics: diagnostics.sorted)
        }
        do { try theme.checkStrings(for: exhibit.languages) } catch { throw .io("theme: \(error)") }

        var inputs = theme.inputs.mapValues(InputDigest.init)
        for (path, digest) in loaded.inputs { inputs["exhibit/" + path] = digest }
        let contentHash = Self.contentHash(inputs)

        let catalog = MediaCatalog(loaded.media, settings: theme.settings, avif: RasterImage.canWriteAVIF)
        let mediaURLs = catalog.urls

        let exhibitCSS = Array(PageRenderer.stylesheet(for: exhibit).utf8)
        let exhibitCSSURL = SiteURL.assetsPrefix + "exhibit.\(Digest.sha256Hex(exhibitCSS).prefix(10)).css"
        var renderer = PageRenderer(exhibit: exhibit, theme: theme, mediaURLs: mediaURLs, mediaSizes: catalog.sizes,
                                    imagePlans: catalog.plans, exhibitCSS: exhibitCSSURL)
        renderer.timedMedia = catalog.timed
        progress(.init("rendering cards"))
        let cards = renderer.cards()
        let pages = renderer.pages(cards: cards, progress: progress)

        var resources: [SnapshotWriter.Resource] = []
        for page in pages {
            resources.append(.init(path: page.path, contentType: "text/html; charset=utf-8", cache: .revalidate,
                                   body: Array(page.html.utf8)))
        }
        // The bare root shows the default language's home page.
        if let home = pages.first(where: { $0.path == SiteURL.home(exhibit.defaultLanguage) }) {
            resources.append(.init(path: SiteURL.root, contentType: "text/html; charset=utf-8", cache: .revalidate,
                                   body: Array(home.html.utf8)))
        }
        var shells: [(String, PageRenderer.SearchShell)] = []
        for lang in exhibit.languages {
            guard let shell = renderer.searchShell(lang) else {
                throw .io("theme: search.mustache must use {{{query_marker}}} and {{{results_marker}}} once each, in that order")
            }
            shells.append((lang, shell))
        }
        let api = APIDocuments(exhibit: exhibit, renderer: renderer)
        var eventItems: [(id: String, json: String)] = []
        do {
            eventItems = try api.eventItems()
            let languages = exhibit.languages.map {
                APIDocuments.Language(code: $0, name: theme.strings[$0]!.name, dir: theme.strings[$0]!.dir)
            }
            resources.append(.init(path: SiteURL.exhibitAPI, contentType: "application/json", cache: .revalidate,
                                   body: try api.exhibitDocument(languages: languages)))
            resources.append(.init(path: SiteURL.eventsAPI, contentType: "application/json", cache: .revalidate,
                                   body: APIDocuments.events(eventItems)))
            let axis = AxisDocuments(exhibit: exhibit, renderer: renderer)
            let axisLanguages = exhibit.languages.map {
                AxisDocuments.LanguageJSON(code: $0, name: theme.strings[$0]!.name, dir: theme.strings[$0]!.dir,
                                           home: SiteURL.home($0))
            }
            let years = axis.years()
            let positions = axis.positions()
            for lang in exhibit.languages {
                resources.append(.init(path: SiteURL.timeline(lang), contentType: "application/json", cache: .revalidate,
                                       body: try axis.overview(lang, strings: theme.strings[lang]!, languages: axisLanguages,
                                                              positions: positions)))
                for (year, events) in years {
                    resources.append(.init(path: SiteURL.timelineYear(lang, year), contentType: "application/json",
                                           cache: .revalidate, body: try axis.year(lang, events, positions: positions)))
                }
            }
        } catch {
            throw .snapshot("cannot encode the API documents: \(error)")
        }
        resources.append(.init(path: exhibitCSSURL, contentType: "text/css; charset=utf-8", cache: .immutable,
                               body: exhibitCSS))
        for asset in theme.assets {
            resources.append(.init(path: asset.url, contentType: asset.contentType, cache: .immutable, body: asset.bytes))
        }
        for entry in catalog.entries {
            guard let bytes = entry.file.bytes else { continue }  // images, audio, video: written last
            resources.append(.init(path: entry.url, contentType: entry.contentType, cache: .immutable, body: bytes))
        }
        let report = BuildReport(exhibitID: exhibit.id, diagnostics: diagnostics.sorted, events: exhibit.events.count,
                                 pages: pages.count + 1, resources: resources.count + catalog.entries.reduce(0) {
                                     $0 + ($1.file.bytes != nil ? 0 : $1.plan?.variants.count ?? 1) },
                                 contentHash: contentHash,
                                 output: options.output)
        guard let output = options.output else { return report }

        progress(.init("writing the snapshot"))
        let writer = SnapshotWriter(output: output)
        try writer.write { database in
            let tables = SnapshotTables(database: database, exhibit: exhibit, renderer: renderer, cards: cards,
                                        theme: theme, eventItems: Dictionary(uniqueKeysWithValues: eventItems))
            try tables.writeMeta(contentHash: contentHash, builderVersion: version,
                                 builtAt: options.sourceDateEpoch.map(Self.iso8601))
            try tables.writeModel(media: catalog)
            try tables.writeSearchPages(shells)
            try tables.writeResources(resources) { done in
                progress(.init("compressing resources", done: done, of: resources.count))
            }
            try writeLargeMedia(catalog, exhibitRoot: options.exhibit, tables: tables, progress: progress)
        }
        return report
    }

    /// SHA-256 over every input's path, size and SHA-256, in path order.
    static func contentHash(_ inputs: [String: InputDigest]) -> String {
        var all: [UInt8] = []
        for path in inputs.keys.sorted() {
            let input = inputs[path]!
            all += Array("\(path)\0\(input.size)\0\(input.sha256)\n".utf8)
        }
        return Digest.sha256Hex(all)
    }

    /// Writes the media that were not kept in memory: each raster image's variants, and
    /// audio and video as they are. Each source is read again and must still be what was
    /// checked. Images are encoded a few at a time, one per processor, and written in order,
    /// so the snapshot is the same whatever finishes first.
    static func writeLargeMedia(_ catalog: MediaCatalog, exhibitRoot: String, tables: SnapshotTables,
                                progress: (BuildProgress) -> Void) throws {
        let large = catalog.entries.filter { $0.file.bytes == nil }
        let loader = ExhibitLoader(root: exhibitRoot)
        let write = try tables.resourceWriter()
        let batch = max(1, ProcessInfo.processInfo.activeProcessorCount)
        for start in stride(from: 0, to: large.count, by: batch) {
            let group = Array(large[start..<min(start + batch, large.count)])
            progress(.init("making image sizes", done: start, of: large.count,
                           item: group.map { ($0.file.path as NSString).lastPathComponent }.joined(separator: ", ")))
            let made = Slots<Result<[[UInt8]], MediaError>>(count: group.count)
            DispatchQueue.concurrentPerform(iterations: group.count) { index in
                made[index] = Self.make(group[index], loader: loader)
            }
            RasterImage.releaseMemory()
            for (index, entry) in group.enumerated() {
                let files: [[UInt8]]
                switch made[index]! {
                case .success(let bytes): files = bytes
                case .failure(let error):
                    throw BuildError.invalidExhibit(errors: 1, warnings: 0, diagnostics: [
                        Diagnostic(.error, .file(loader.display(entry.file.path)), error.description),
                    ])
                }
                if let plan = entry.plan {
                    for (variant, body) in zip(plan.variants, files) {
                        try write(.init(path: variant.url, contentType: variant.format.contentType, cache: .immutable,
                                        body: body))
                    }
                } else {
                    try write(.init(path: entry.url, contentType: entry.contentType, cache: .immutable, body: files[0]))
                }
            }
        }
        if !large.isEmpty { progress(.init("making image sizes", done: large.count, of: large.count)) }
    }

    /// One large medium's files: an image's variants, or the film or recording itself.
    static func make(_ entry: MediaCatalog.Entry, loader: ExhibitLoader) -> Result<[[UInt8]], MediaError> {
        guard let data = try? Data(contentsOf: loader.rootURL.appendingPathComponent(entry.file.path)),
              InputDigest(Array(data)) == entry.file.digest
        else { return .failure(MediaError("the file changed while the exhibit was being built; build again")) }
        guard let plan = entry.plan else { return .success([Array(data)]) }
        do { return .success(try RasterImage.derive(Array(data), plan: plan)) } catch { return .failure(error) }
    }

    static func iso8601(_ epoch: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }
}
