import Foundation
@testable import TimelineBuilder

/// Paths in this source tree, found from this file's own location.
enum Tree {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures").path
    static let theme = root.appendingPathComponent("Assets/theme").path
    static let defaultExhibit = root.appendingPathComponent("Assets/exhibit").path
}

/// A temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "timeline-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes files given as relative path → text (or bytes).
    func write(_ files: [String: String]) {
        for (relative, text) in files { write(relative, Array(text.utf8)) }
    }

    func write(_ relative: String, _ bytes: [UInt8]) {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: url)
    }

    func file(_ relative: String) -> String { path + "/" + relative }
}

/// A minimal valid exhibit, one language, as files; tests replace or add files to break it.
enum MiniExhibit {
    static let exhibitYAML = """
    id: mini
    title: Mini
    languages: [en]
    sources:
      - id: notes
        title: Notes
    eras:
      - id: one
        title: One
        start: 2003
        end: 2014
        colour: "#123456"
    themes:
      - id: politics
        title: Politics
    places:
      - id: basra
        name: Basra
        latitude: 30.5
        longitude: 47.8
    people:
      - id: someone
        name: Some One
        role: A role
    """

    static func event(_ frontMatter: String, body: String = "Body.") -> String {
        "---\n" + frontMatter + "\n---\n" + body + "\n"
    }

    static let goodEvent = event("""
    title: An event
    summary: A summary.
    date: 2007-08-29
    eras: [one]
    themes: [politics]
    places: [basra]
    people: [someone]
    sources: [notes]
    """)

    /// The mini exhibit with `overrides` applied, in a new temporary folder.
    static func folder(_ overrides: [String: String] = [:]) -> TemporaryFolder {
        let folder = TemporaryFolder()
        var files = ["exhibit.yaml": exhibitYAML, "events/an-event.md": goodEvent]
        for (key, value) in overrides { files[key] = value }
        folder.write(files)
        return folder
    }

    /// Loads a folder and returns the diagnostics as printed lines, paths relative to it.
    static func diagnostics(_ folder: TemporaryFolder) -> [String] {
        let diagnostics = Diagnostics()
        _ = ExhibitLoader(root: folder.path).load(diagnostics: diagnostics)
        return diagnostics.sorted.map { $0.description.replacingOccurrences(of: folder.path + "/", with: "") }
    }
}
