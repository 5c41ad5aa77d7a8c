import Foundation
import Testing
@testable import TimelineBuilder

/// The second measure of borrowed phrasing (issue 11, second reading). The six-word test
/// catches copied runs; it does not catch a source sentence retold with a word or two swapped
/// for a synonym ("toward" → "towards", "vehicle" → "car"), nor a label that follows the
/// source sentence by sentence. These two checks compare *content words* instead of runs:
///
/// 1. **Sentence**: an exhibit sentence of 8 or more content words of which two thirds or
///    more appear in one single source sentence is a near-copy.
/// 2. **Passage**: three consecutive exhibit sentences of 14 or more content words together,
///    70 % or more of which appear within four consecutive source sentences, follow the
///    source sentence by sentence.
///
/// Content words are lower-cased words without stop words (function words, and the
/// attribution verbs and names of the sources that a label adds: "says", "the reporter",
/// "Newsweek"), crudely stemmed (-s, -es, -ed, -ing, -ly stripped) and folded through a short
/// table of synonyms and irregular forms, so that a swapped synonym still counts as the
/// source's word. The thresholds were tuned on the exhibit as the second reader found it:
/// they flagged every one of the fifteen passages that reader called strong near-copies.
@Suite struct DefaultExhibitNearCopyTests {
    var exhibit: Exhibit { DefaultExhibitTests.loaded.exhibit! }

    static let sentenceMinimum = 8
    static let sentenceShare = 2.0 / 3.0
    static let passageSentences = 3
    static let passageMinimum = 14
    static let passageWindow = 4
    static let passageShare = 0.70

    /// Exhibit sentences allowed to pass although they match a source sentence: an event id,
    /// the start of the sentence, and why. Keep it short; the test fails for an entry that no
    /// longer matches anything.
    static let allowed: [(event: String, sentence: String, reason: String)] = [
    ]

    static let stopWords: Set<String> = Set("""
    a an the and or but if of to in on at by for with from into onto as than then that this these those there here
    it its he him his she her hers they them their theirs we us our you your i me my mine who whom whose which what when where why how
    is are was were be been being am do does did done has have had having not no nor so too very can could would should will shall may might must
    all any some each every both either neither own same other such only also just even still yet again about over under after before while
    up down out off one two because though although until since during within without between among against through
    more most much many few several s al dr
    reporter newsweek according writes wrote write adds added add notes noted note recalled recalls recall says said say tells told tell calls called call later
    """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Each line: the word every member is counted as, then its synonyms and forms.
    static let families: [String] = [
        "us american americans america united",
        "shia shias shiite shiites",
        "sunni sunnis",
        "mahdi jam",
        "militia militias militiaman militiamen fighter fighters",
        "attack attacks assault assaults offensive offensives",
        "ceasefire truce",
        "area areas community communities neighborhood neighborhoods neighbourhood neighbourhoods district districts",
        "view views viewed see saw seen regard regarded consider considered",
        "wall walls barrier barriers",
        "build built construct constructed erect erected",
        "force forces troop troops soldier soldiers",
        "house houses home homes",
        "kill killed killing killings murder murdered murders slay slain slaughter slaughtered",
        "flee fled escape escaped",
        "child children kid kids",
        "large big",
        "main primary chief",
        "seize seized capture captured confiscate confiscated",
        "protect protected defend defended guard guarded",
        "help helped aid aided assist assisted backup",
        "stop stopped halt halted stem stemmed",
        "begin began begun start started",
        "expel expelled oust ousted drive drove driven",
        "arrest arrested detain detained",
        "car cars vehicle vehicles",
        "lose lost", "take took taken", "go went gone", "become became", "hold held", "find found", "send sent",
        "think thought believe believed",
    ]

    static let synonyms: [String: String] = {
        var map: [String: String] = [:]
        for family in families {
            let words = family.split(separator: " ").map(String.init)
            for word in words { map[word] = words[0] }
        }
        return map
    }()

    static func stem(_ word: String) -> String {
        if let head = synonyms[word] { return head }
        for suffix in ["ing", "edly", "ed", "ly", "es", "s"] where word.hasSuffix(suffix) && word.count - suffix.count >= 3 {
            let base = String(word.dropLast(suffix.count))
            return synonyms[base] ?? base
        }
        return word
    }

    static func contentWords(_ text: String) -> Set<String> {
        let folded = text.lowercased().replacingOccurrences(of: "’", with: "").replacingOccurrences(of: "'", with: "")
        let words = folded.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
        return Set(words.filter { !stopWords.contains($0) }.map(stem))
    }

    /// Sentences: text split after . ! ? ; or : (and a closing quotation mark), and at dashes.
    static func sentences(_ text: String) -> [String] {
        let chars = Array(text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        var result: [String] = [], current = ""
        var i = 0
        func flush() {
            let s = current.trimmingCharacters(in: .whitespaces)
            if !s.isEmpty { result.append(s) }
            current = ""
        }
        while i < chars.count {
            let c = chars[i]
            if c == "—" { flush(); i += 1; continue }
            if c == "–", i > 0, chars[i - 1] == " ", i + 1 < chars.count, chars[i + 1] == " " { flush(); i += 1; continue }
            current.append(c)
            if ".!?;:".contains(c) {
                var j = i + 1
                if j < chars.count, "\"”’'".contains(chars[j]) { current.append(chars[j]); j += 1 }
                if j < chars.count, chars[j] == " " { flush(); i = j + 1; continue }
                i = j; continue
            }
            i += 1
        }
        flush()
        return result
    }

    struct Source { var sentences: [Set<String>]; var text: [String] }

    static let sources: [Source] = {
        let seeds = Tree.root.deletingLastPathComponent().appendingPathComponent("shared/seeds")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? []).sorted()
        return names.compactMap { try? String(contentsOf: seeds.appendingPathComponent($0), encoding: .utf8) }.map { text in
            let split = sentences(text)
            return Source(sentences: split.map(contentWords), text: split)
        }
    }()

    /// The share of `words` found in the best single source sentence, and that sentence.
    static func bestSentence(_ words: Set<String>) -> (share: Double, source: String) {
        var best = (0.0, "")
        for source in sources {
            for (index, sentence) in source.sentences.enumerated() {
                let share = Double(words.intersection(sentence).count) / Double(words.count)
                if share > best.0 { best = (share, source.text[index]) }
            }
        }
        return best
    }

    static func bestWindow(_ words: Set<String>) -> Double {
        var best = 0.0
        for source in sources {
            for start in source.sentences.indices {
                let window = source.sentences[start..<min(start + passageWindow, source.sentences.count)].reduce(into: Set<String>()) { $0.formUnion($1) }
                best = max(best, Double(words.intersection(window).count) / Double(words.count))
            }
        }
        return best
    }

    /// The English a visitor reads of each event, sentence by sentence: summary, then body
    /// (a title is too short to measure).
    func englishSentences() -> [(event: String, sentences: [String])] {
        exhibit.events.compactMap { event in
            guard let text = event.text["en"] else { return nil }
            return (event.id, Self.sentences(text.summary) + Self.sentences(text.body))
        }
    }

    static func isAllowed(_ event: String, _ sentence: String) -> Bool {
        allowed.contains { $0.event == event && sentence.hasPrefix($0.sentence) }
    }

    /// Near-copied sentences of the exhibit: (event, share, sentence, source sentence).
    func nearCopiedSentences() -> [(String, Double, String, String)] {
        var found: [(String, Double, String, String)] = []
        for (event, sentences) in englishSentences() {
            for sentence in sentences {
                let words = Self.contentWords(sentence)
                guard words.count >= Self.sentenceMinimum, !Self.isAllowed(event, sentence) else { continue }
                let best = Self.bestSentence(words)
                if best.share >= Self.sentenceShare { found.append((event, best.share, sentence, best.source)) }
            }
        }
        return found
    }

    /// Passages that follow the sources sentence by sentence: (event, share, first sentence).
    func sentenceBySentencePassages() -> [(String, Double, String)] {
        var found: [(String, Double, String)] = []
        for (event, sentences) in englishSentences() where sentences.count >= Self.passageSentences {
            var worst: (Double, String)?
            for start in 0...(sentences.count - Self.passageSentences) {
                let passage = sentences[start..<start + Self.passageSentences]
                if passage.contains(where: { Self.isAllowed(event, $0) }) { continue }
                let words = passage.reduce(into: Set<String>()) { $0.formUnion(Self.contentWords($1)) }
                guard words.count >= Self.passageMinimum else { continue }
                let share = Self.bestWindow(words)
                if share >= Self.passageShare, share > (worst?.0 ?? 0) { worst = (share, passage.first!) }
            }
            if let worst { found.append((event, worst.0, worst.1)) }
        }
        return found
    }

    @Test func noSentenceIsANearCopyOfASourceSentence() throws {
        #expect(Self.sources.count >= 2 && Self.sources.allSatisfy { $0.sentences.count > 30 })
        let found = nearCopiedSentences()
        let report = found.map { "\($0.0) (\(Int($0.1 * 100))%): “\($0.2)” ~ “\($0.3.prefix(160))”" }
        #expect(found.count == 0, "near-copied sentences:\n\(report.joined(separator: "\n"))")
    }

    @Test func noPassageFollowsTheSourcesSentenceBySentence() throws {
        let found = sentenceBySentencePassages()
        let report = found.map { "\($0.0) (\(Int($0.1 * 100))%) from “\($0.2)”" }
        #expect(found.count == 0, "passages that follow the sources:\n\(report.joined(separator: "\n"))")
    }

    @Test func everyAllowedSentenceIsStillNeeded() {
        for entry in Self.allowed {
            #expect(!entry.reason.isEmpty)
            let used = englishSentences().contains { $0.event == entry.event && $0.sentences.contains { $0.hasPrefix(entry.sentence) } }
            #expect(used, "allowed sentence no longer in \(entry.event): \(entry.sentence)")
        }
    }

    /// The measure sees through a synonym swap, and lets a retelling pass.
    @Test func theMeasureCatchesSynonymSwaps() {
        let source = Self.contentWords("It grew notorious even among other Mahdi Army units for its brutality toward Sunnis and disobedient Shias as well as its gang criminality.")
        let swapped = Self.contentWords("Even other Mahdi Army units, the reporter says, knew it for brutality towards Sunnis and disobedient Shias, and for gang crime.")
        #expect(swapped.count >= Self.sentenceMinimum)
        #expect(Double(swapped.intersection(source).count) / Double(swapped.count) >= Self.sentenceShare)
        let retold = Self.contentWords("The reporter heard that the Washash militia beat Sunnis and punished Shias who crossed it; its own allies in the movement despised it.")
        #expect(Double(retold.intersection(source).count) / Double(retold.count) < Self.sentenceShare)
        #expect(Self.stem("vehicles") == "car" && Self.stem("towards") == "toward" && Self.stem("killings") == "kill")
        #expect(Self.sentences("He said: “No.” Then he left — quickly. Done") == ["He said:", "“No.”", "Then he left", "quickly.", "Done"])
    }
}
