import Foundation
import Testing
@testable import TimelineBuilder

/// Damaged exhibits, made by mutating the fixture's files at random (seeded, so a failure
/// can be replayed): each build either succeeds or fails with `path:line:col:` messages,
/// never crashes, and a failed build leaves the previous snapshot as it was.
@Suite struct MutatedExhibitTests {
    static let fixture = Tree.fixtures + "/good"
    static let files = ["exhibit.yaml", "events/ancient.md", "events/ancient.ar.md", "events/day.md",
                        "events/2007-range.md", "events/2007-range.ar.md", "media/diagram.svg"]

    /// A small deterministic generator.
    struct Mix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
        }
    }

    static func mutate(_ bytes: [UInt8], _ random: inout Mix) -> [UInt8] {
        var out = bytes
        let interesting: [[UInt8]] = [[0], [0xFF], Array(":".utf8), Array("\n".utf8), Array("---".utf8), Array("[".utf8),
                                      Array("{".utf8), Array("\"".utf8), Array("&a".utf8), Array("*a".utf8),
                                      Array("<".utf8), Array("- ".utf8), Array("\t".utf8), [0xC3], [0xE2, 0x80]]
        for _ in 0..<(1 + random.next(4)) {
            guard !out.isEmpty else { break }
            let at = random.next(out.count)
            switch random.next(4) {
            case 0: out[at] ^= UInt8(1 << random.next(8))
            case 1: out.remove(at: at)
            case 2: out.insert(contentsOf: interesting[random.next(interesting.count)], at: at)
            default:  // duplicate a slice elsewhere
                let end = min(out.count, at + random.next(40))
                out.insert(contentsOf: out[at..<end], at: random.next(out.count))
            }
        }
        return out
    }

    @Test func mutatedExhibitsFailCleanlyAndKeepTheOldSnapshot() throws {
        let folder = TemporaryFolder()
        let output = folder.path + "/out.db"
        let copy = folder.path + "/exhibit"
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: copy)
        var options = BuildOptions(exhibit: copy, output: output, theme: Tree.theme)
        _ = try Builder.build(options)
        let sound = try Data(contentsOf: URL(fileURLWithPath: output))
        var random = Mix(state: 2026)
        var failed = 0, passed = 0
        for n in 0..<150 {
            let file = Self.files[random.next(Self.files.count)]
            let path = copy + "/" + file
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            let mutated = Self.mutate(Array(original), &random)
            _ = FileManager.default.createFile(atPath: path, contents: Data(mutated))
            // Every tenth writes (and must not touch the old snapshot when it fails).
            options.output = n % 10 == 0 ? output : nil
            do {
                _ = try Builder.build(options)
                passed += 1
                if options.output != nil {
                    // It built: put the sound snapshot back for the next comparison.
                    _ = FileManager.default.createFile(atPath: output, contents: sound)
                }
            } catch {
                failed += 1
                guard case .invalidExhibit(_, _, let diagnostics) = error else {
                    Issue.record("mutation \(n) of \(file): not an exhibit error: \(error)")
                    continue
                }
                #expect(!diagnostics.isEmpty)
                for diagnostic in diagnostics where diagnostic.description.wholeMatch(of: /.+:\d+:\d+: (error|warning): .+/) == nil {
                    Issue.record("mutation \(n) of \(file): not a compiler-style message: \(diagnostic.description)")
                }
                #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == sound, "mutation \(n): old snapshot touched")
            }
            _ = FileManager.default.createFile(atPath: path, contents: original)
        }
        print("mutated exhibits: \(failed) refused with positions, \(passed) built")
        #expect(failed > 50)
    }
}
