import ArgumentParser
import Foundation
import TimelineBuilder

/// `timeline-build`: argument parsing and printing; the work is in TimelineBuilder.
@main
struct TimelineBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline-build",
        abstract: "Compile exhibit folders into Kiosk Timeline snapshots, import TimelineJS timelines, export snapshots.",
        usage: """
        timeline-build EXHIBIT (--output FILE | --check) [options]   (see: timeline-build build --help)
        timeline-build import FILE --into DIR [--language CODE]
        timeline-build export SNAPSHOT DIR
        """,
        version: Builder.version,
        subcommands: [Build.self, Import.self, Export.self],
        defaultSubcommand: Build.self)
}

/// `timeline-build EXHIBIT --output FILE` (the default subcommand).
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Check an exhibit folder and compile it into a Kiosk Timeline snapshot.",
        discussion: """
        Problems are printed as path:line:column: error: message. With any error the exit \
        status is 1 and nothing is written; an existing snapshot at --output is left as it was.
        """)

    @Argument(help: "The exhibit folder (exhibit.yaml, events/, media/).")
    var exhibit: String

    @Option(name: .shortAndLong, help: "The snapshot file to write.")
    var output: String?

    @Flag(help: "Check the exhibit only; write nothing.")
    var check = false

    @Option(help: "The theme folder (templates, static, strings). Default: the installed or source-tree theme.")
    var theme: String?

    @Flag(help: "Treat warnings (such as a language without text) as errors.")
    var warningsAsErrors = false

    @Option(help: "Largest exhibit.yaml, event or translation file, in KiB (default \(ExhibitLoader.Limits().textFileBytes >> 10)).")
    var maxTextKb: Int?

    @Option(help: "Largest media file, in MiB (default \(ExhibitLoader.Limits().mediaFileBytes >> 20)).")
    var maxMediaMb: Int?

    @Option(help: "Largest audio or video file, in MiB (default \(ExhibitLoader.Limits().timedMediaFileBytes >> 20)).")
    var maxAvMb: Int?

    @Option(help: "Largest image, in megapixels (default \(ExhibitLoader.Limits().imagePixels / 1_000_000)).")
    var maxImageMp: Int?

    @Option(help: "Largest exhibit, all files together, in MiB (default \(ExhibitLoader.Limits().exhibitBytes >> 20)).")
    var maxExhibitMb: Int?

    @Flag(name: .shortAndLong, help: "Print only errors and warnings.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print each step and the content hash.")
    var verbose = false

    func validate() throws {
        if !check && output == nil { throw ValidationError("give --output FILE, or --check to write nothing") }
        if check && output != nil { throw ValidationError("--check writes nothing; leave out --output") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
        for (name, value) in [("--max-text-kb", maxTextKb), ("--max-media-mb", maxMediaMb), ("--max-av-mb", maxAvMb),
                              ("--max-image-mp", maxImageMp), ("--max-exhibit-mb", maxExhibitMb)] {
            if let value, !(1...1_048_576).contains(value) { throw ValidationError("\(name) must be from 1 to 1048576") }
        }
    }

    func run() throws {
        guard let themePath = theme ?? ThemeLocator.defaultTheme(executable: CommandLine.arguments[0]) else {
            printError("error: no theme found; give --theme DIR or set TIMELINE_THEME")
            throw ExitCode(2)
        }
        var options = BuildOptions(exhibit: exhibit, output: check ? nil : output, theme: themePath)
        options.warningsAsErrors = warningsAsErrors
        if let maxTextKb { options.limits.textFileBytes = maxTextKb << 10 }
        if let maxMediaMb { options.limits.mediaFileBytes = maxMediaMb << 20 }
        if let maxExhibitMb { options.limits.exhibitBytes = maxExhibitMb << 20 }
        if let maxAvMb { options.limits.timedMediaFileBytes = maxAvMb << 20 }
        if let maxImageMp { options.limits.imagePixels = min(maxImageMp, 1000) * 1_000_000 }
        options.sourceDateEpoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int($0) }

        let progress = Progress(enabled: !quiet && isatty(STDERR_FILENO) == 1, verbose: verbose)
        do {
            let report = try Builder.build(options, progress: progress.step)
            progress.finish()
            for diagnostic in report.diagnostics { printError(diagnostic.description) }
            guard !quiet else { return }
            let warnings = report.diagnostics.count
            let tail = warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""
            if let output = report.output {
                print("wrote \(output): \(report.events) events, \(report.pages) pages, \(report.resources) resources\(tail)")
            } else {
                print("\(exhibit): ok, \(report.events) events, \(report.pages) pages\(tail)")
            }
            if verbose { print("content hash \(report.contentHash)") }
        } catch {
            progress.finish()
            switch error {
            case .invalidExhibit(_, _, let diagnostics):
                for diagnostic in diagnostics { printError(diagnostic.description) }
                printError(error.description)
                throw ExitCode(1)
            case .io, .snapshot:
                printError(error.description)
                throw ExitCode(2)
            }
        }
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// One status line on a terminal, redrawn in place: the step, and for the long ones a bar
/// with n of N and the item being worked on; every step on its own line with --verbose.
///
/// `@unchecked Sendable`: used from the build's one calling thread only; the lock keeps
/// that true should a step ever report from another.
final class Progress: @unchecked Sendable {
    let enabled: Bool
    let verbose: Bool
    private let lock = NSLock()
    private var lastTask = ""
    private var lastDraw: UInt64 = 0

    init(enabled: Bool, verbose: Bool) {
        self.enabled = enabled
        self.verbose = verbose
    }

    func step(_ progress: BuildProgress) {
        lock.withLock {
            if verbose {
                // A line per step, not per item.
                if progress.task != lastTask { printError("timeline-build: \(progress.task)") }
                lastTask = progress.task
                return
            }
            guard enabled else { return }
            // At most 20 redraws a second: a terminal is slow next to the build.
            let now = DispatchTime.now().uptimeNanoseconds
            if progress.task == lastTask, progress.done != progress.total, now - lastDraw < 50_000_000 { return }
            lastTask = progress.task
            lastDraw = now
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.line(progress, width: Self.terminalWidth())).utf8))
        }
    }

    /// `rendering pages  [########------------]  4200/20000  events/x.md`, cut to `width`.
    static func line(_ p: BuildProgress, width: Int) -> String {
        var line = p.task
        if p.total > 0 {
            let done = min(p.done, p.total)
            let cells = 20, filled = done * cells / p.total
            line += "  [" + String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled) + "]"
            line += "  \(done)/\(p.total)"
        } else {
            line += "…"
        }
        if !p.item.isEmpty { line += "  " + p.item }
        return line.count < width ? line : String(line.prefix(max(10, width - 2))) + "…"
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    func finish() {
        if enabled && !verbose { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// `timeline-build import FILE --into DIR`: a TimelineJS timeline as an exhibit folder.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a TimelineJS timeline (JSON, or its Google Sheet exported as CSV) into an exhibit folder.",
        discussion: """
        What TimelineJS has and an exhibit does not is reported as FILE:LINE: warning: …; online \
        media are listed in DIR/media/TO-FETCH.txt, since a kiosk is offline. The new folder is \
        checked as timeline-build --check would.
        """)

    @Argument(help: "The TimelineJS file: timeline.json, or a .csv of the sheet.")
    var file: String

    @Option(help: "The new exhibit folder (must not exist, or be empty).")
    var into: String

    @Option(help: "The language the timeline is written in (a code such as en or ar).")
    var language = "en"

    @Option(help: "The theme folder to check the result with.")
    var theme: String?

    func validate() throws {
        if language.wholeMatch(of: /[a-z]{2,3}(-[A-Za-z0-9]{2,8})?/) == nil {
            throw ValidationError("--language must be a code such as en or ar")
        }
    }

    func run() throws {
        let outcome: TimelineJSImport.Outcome
        do {
            outcome = try TimelineJSImport(path: file, language: language).read()
            try TimelineJSImport.write(outcome, into: into)
        } catch {
            printError(error.description)
            throw ExitCode(error.isIO ? 2 : 1)
        }
        for warning in outcome.warnings { printError(warning.description) }
        print("imported \(outcome.events) events into \(into)"
                  + (outcome.toFetch.isEmpty ? "" : "; \(outcome.toFetch.count) online media to fetch: see \(into)/media/TO-FETCH.txt"))
        guard let themePath = theme ?? ThemeLocator.defaultTheme(executable: CommandLine.arguments[0]) else { return }
        do {
            let report = try Builder.build(BuildOptions(exhibit: into, output: nil, theme: themePath))
            for diagnostic in report.diagnostics { printError(diagnostic.description) }
            print("\(into): ok, \(report.events) events, \(report.pages) pages")
        } catch {
            if case .invalidExhibit(_, _, let diagnostics) = error { for d in diagnostics { printError(d.description) } }
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

extension ImportError {
    var isIO: Bool { if case .io = self { true } else { false } }
}

/// `timeline-build export SNAPSHOT DIR`: the snapshot as plain files for a web server.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a snapshot as static files (with .gz beside them) and an nginx server block, for a website or CDN.",
        discussion: """
        Every page, document, asset and medium becomes a file under DIR; DIR/nginx/timeline.conf \
        serves them with the kiosk's headers. Search needs the kiosk's server: the exported search \
        page says so.
        """)

    @Argument(help: "The snapshot file.")
    var snapshot: String

    @Argument(help: "The folder to write (must not exist, or be empty).")
    var folder: String

    func run() throws {
        do {
            let report = try StaticExport(snapshot: snapshot, folder: folder).run()
            print("exported \(report.files) files (\(report.bytes >> 10) KiB) and \(report.gzipFiles) .gz files to \(folder); "
                      + "nginx: \(folder)/nginx/timeline.conf")
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}
