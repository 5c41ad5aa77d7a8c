import Foundation
import Testing
import TimelineSnapshot

/// The real `timeline-build` binary, run as a curator would run it.
@Suite struct BuildCommandTests {
    let work = Binaries.temporaryFolder("timeline-e2e")

    func run(_ arguments: [String]) throws -> Binaries.Run {
        try Binaries.run(Binaries.build, arguments)
    }

    func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    @Test func buildsAGoodExhibit() throws {
        let output = work + "/good.db"
        let result = try run(["Tests/Fixtures/good", "--output", output])
        #expect(result.status == 0)
        // Page and resource counts follow the theme; the line's shape and the event count do not.
        #expect(result.stdout.wholeMatch(of: /wrote (.+): 3 events, \d+ pages, \d+ resources\n/)?.1 == output[...])
        #expect(result.stderr.isEmpty, "no progress when stderr is not a terminal")
        let file = try SnapshotFile(path: output)
        #expect(file.meta["exhibit_id"] == "fixture-good")
    }

    @Test func refusesABrokenExhibitAndKeepsTheOldSnapshot() throws {
        let output = work + "/exhibit.db"
        #expect(try run(["Tests/Fixtures/good", "-o", output, "--quiet"]).status == 0)
        let before = try sha256(output)
        let result = try run(["Tests/Fixtures/broken", "-o", output])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderrLines
        for expected in [
            "Tests/Fixtures/broken/exhibit.yaml:4:1: error: unknown key 'colour' in exhibit.yaml",
            "Tests/Fixtures/broken/exhibit.yaml:9:10: error: end 2001 is before the start 2003",
            "Tests/Fixtures/broken/exhibit.yaml:13:12: error: invalid date '2003-02-30' for 'start': day 30 does not exist in February 2003, which has 28 days",
            "Tests/Fixtures/broken/events/bad-refs.md:5:8: error: unknown era 'eraly'; did you mean 'early'?",
            "Tests/Fixtures/broken/events/bad-refs.md:12:11: error: media file 'media/missing.jpg' not found in Tests/Fixtures/broken",
            "Tests/Fixtures/broken/events/bad-yaml.md:3:11: error: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 2)",
            "Tests/Fixtures/broken/events/latin1.md:2:19: error: invalid UTF-8; save the file as UTF-8",
            "Tests/Fixtures/broken/exhibit.yaml:2:8: warning: the exhibit title has no 'ar' text",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        #expect(lines.last == "24 errors and 7 warnings; no snapshot written")
        // Every line but the count reads path:line:column: severity: message.
        for line in lines.dropLast() {
            #expect(line.wholeMatch(of: /[^:]+:\d+:\d+: (error|warning): .+/) != nil, "\(line)")
        }
        #expect(try sha256(output) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work) == ["exhibit.db"])
    }

    @Test func checkWritesNothing() throws {
        let result = try run(["Tests/Fixtures/good", "--check"])
        #expect(result.status == 0)
        #expect(result.stdout.wholeMatch(of: /Tests\/Fixtures\/good: ok, 3 events, \d+ pages\n/) != nil)
        let broken = try run(["Tests/Fixtures/broken", "--check", "--quiet"])
        #expect(broken.status == 1)
        #expect(broken.stderrLines.last == "24 errors and 7 warnings; no snapshot written")
    }

    @Test func defaultExhibitIsReproducible() throws {
        let a = work + "/a.db", b = work + "/b.db"
        #expect(try run(["Assets/exhibit", "-o", a, "-q"]).status == 0)
        #expect(try run(["Assets/exhibit", "-o", b, "-q"]).status == 0)
        #expect(try sha256(a) == sha256(b))
    }

    @Test func usageProblemsAreExplained() throws {
        let none = try run([])
        #expect(none.status == 64)
        #expect(none.stderr.contains("Missing expected argument '<exhibit>'"))
        let noOutput = try run(["Tests/Fixtures/good"])
        #expect(noOutput.status == 64)
        #expect(noOutput.stderr.contains("give --output FILE, or --check to write nothing"))
        let help = try run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: timeline-build EXHIBIT (--output FILE | --check)"))
        #expect(help.stdout.contains("timeline-build import FILE --into DIR"))
        let buildHelp = try run(["build", "--help"])
        #expect(buildHelp.status == 0 && buildHelp.stdout.contains("USAGE: timeline-build build <exhibit>"))
    }

    @Test func environmentProblemsExitTwo() throws {
        let missing = try run([work + "/nowhere", "--check"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("\(work)/nowhere:1:1: error: no exhibit folder here\n"))
        let unwritable = try run(["Tests/Fixtures/good", "-o", "/proc/timeline/x.db"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.hasPrefix("error: cannot create the folder /proc/timeline"))
        let theme = try run(["Tests/Fixtures/good", "--check", "--theme", work])
        #expect(theme.status == 2)
        #expect(theme.stderr.contains("error: theme: \(work)/templates: missing folder"))
    }
}
