/// Checks a WebVTT captions file: the `WEBVTT` signature, then cues whose timings parse and
/// run forwards. Problems are reported at their line, like the rest of the exhibit.
enum WebVTT {
    struct Summary: Equatable {
        var cues = 0
        /// Where the last cue ends, in milliseconds.
        var endMs = 0
    }

    static func check(_ text: String, path: String, diagnostics: Diagnostics) -> Summary? {
        var lines = SourceText.lines(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        if lines.last == "" { lines.removeLast() }
        func at(_ line: Int, _ column: Int = 1) -> SourcePosition {
            SourcePosition(path: path, line: line, column: column)
        }
        guard let first = lines.first, first == "WEBVTT" || first.hasPrefix("WEBVTT ") || first.hasPrefix("WEBVTT\t") else {
            diagnostics.error(at(1), "a captions file must start with the line WEBVTT")
            return nil
        }
        var summary = Summary()
        var errors = 0
        var index = 1
        var previousStart = -1
        while index < lines.count {
            // Blocks are separated by blank lines; NOTE, STYLE and REGION blocks carry no cue.
            while index < lines.count, lines[index].allSatisfy({ $0 == " " || $0 == "\t" }) { index += 1 }
            guard index < lines.count else { break }
            let blockStart = index
            var end = index
            while end < lines.count, !lines[end].allSatisfy({ $0 == " " || $0 == "\t" }) { end += 1 }
            defer { index = end }
            let head = lines[blockStart]
            if head.hasPrefix("NOTE") || head == "STYLE" || head == "REGION" { continue }
            // An optional cue identifier comes before the timing line.
            var timing = blockStart
            if !head.contains("-->") { timing += 1 }
            guard timing < end, lines[timing].contains("-->") else {
                diagnostics.error(at(blockStart + 1), "expected a cue timing line such as 00:00:01.000 --> 00:00:04.000")
                errors += 1
                continue
            }
            let parts = lines[timing].split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 3, parts[1] == "-->", let start = milliseconds(parts[0]), let stop = milliseconds(parts[2])
            else {
                diagnostics.error(at(timing + 1), "cue timing must read START --> END with times as [hh:]mm:ss.ttt")
                errors += 1
                continue
            }
            if stop <= start {
                diagnostics.error(at(timing + 1, Int(parts[0].count) + 6), "the cue ends (\(parts[2])) before it starts (\(parts[0]))")
                errors += 1
            }
            if start < previousStart {
                diagnostics.error(at(timing + 1), "cues must be in order of their start time")
                errors += 1
            }
            if timing + 1 >= end {
                diagnostics.warning(at(timing + 1), "this cue has no text")
            }
            previousStart = start
            summary.cues += 1
            summary.endMs = max(summary.endMs, stop)
        }
        if summary.cues == 0 && errors == 0 {
            diagnostics.error(at(1), "the captions file has no cues")
            return nil
        }
        return errors == 0 ? summary : nil
    }

    /// `01:02.500` or `1:01:02.500` → milliseconds.
    static func milliseconds(_ text: Substring) -> Int? {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2 || pieces.count == 3, let last = pieces.last else { return nil }
        let secondParts = last.split(separator: ".", omittingEmptySubsequences: false)
        guard secondParts.count == 2, secondParts[0].count == 2, secondParts[1].count == 3,
              secondParts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              pieces.allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } }),
              let seconds = Int(secondParts[0]), let thousandths = Int(secondParts[1]), seconds < 60,
              let minutes = Int(pieces[pieces.count - 2]), pieces[pieces.count - 2].count == 2, minutes < 60
        else { return nil }
        var hours = 0
        if pieces.count == 3 {
            guard pieces[0].count >= 2, pieces[0].count <= 4, let h = Int(pieces[0]), h >= 0 else { return nil }
            hours = h
        }
        return ((hours * 60 + minutes) * 60 + seconds) * 1000 + thousandths
    }
}
