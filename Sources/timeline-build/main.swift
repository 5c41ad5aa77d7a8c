import ArgumentParser
import Foundation
import TimelineBuilder

/// `timeline-build`: argument parsing and printing; the work is in TimelineBuilder.
@main
struct TimelineBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline-build",
        abstract: "Check an exhibit folder and compile it into a Kiosk Timeline snapshot.",
        discussion: """
        Problems are printed as path:line:column: error: message. With any error the exit \
        status is 1 and nothing is written; an existing snapshot at --output is left as it was.
        """,
        version: Builder.version)

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

/// One status line on a terminal, rewritten in place; every step on its own line with --verbose.
final class Progress: Sendable {
    let enabled: Bool
    let verbose: Bool

    init(enabled: Bool, verbose: Bool) {
        self.enabled = enabled
        self.verbose = verbose
    }

    func step(_ name: String) {
        if verbose { printError("timeline-build: \(name)") }
        else if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K\(name)…".utf8)) }
    }

    func finish() {
        if enabled && !verbose { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
