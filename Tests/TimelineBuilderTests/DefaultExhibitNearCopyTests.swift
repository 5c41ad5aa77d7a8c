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
        // Added with the third measure, from the pairs the third reader quoted.
        "rally rallied mobilise mobilised mobilize mobilized",
        "provide provided offer offered",
        "marginal marginalized marginalised",
        "struggle struggled flounder floundered",
        "rescue rescued",
        "remain remained linger lingered",
        "escalate escalated mount mounted",
        "innocent blameless",
        "feeling sentiment",
        "ease comfort",
        "ignore ignored",
        "lineage line",
        "crime criminality criminal",
        "brutality cruelty",
        "resistance opposition",
        "earlier sooner",
        "fierce fiercer great greater",
        "imprison imprisoned jail jailed hold held",
        "home homes house houses",
        "wipe destroy",
        "mostly largely",
        "danger threat",
        "obey obeyed obedient loyal",
        "rank ranking",
        "suggestion suggested",
        "resident residents local locals",
        "first initially",
        "foot feet",
        "tall high",
        "seal close",
        "cover covered",
        "curb stem",
        "shield shielded",
        "bring provide provided",
        "struck surprised surprise",
        "show showing express expressing expressed",
        "prediction forecast",
        "darkest gloomiest",
        "critics skeptics",
        "total outright",
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

    static func contentWords(_ text: String) -> Set<String> { Set(contentSequence(text)) }

    /// The content words of `text` in the order they come.
    static func contentSequence(_ text: String) -> [String] {
        let folded = text.lowercased().replacingOccurrences(of: "’", with: "").replacingOccurrences(of: "'", with: "")
        let words = folded.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
        return words.filter { !stopWords.contains($0) }.map(stem)
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

    struct Source { var sentences: [Set<String>]; var sequences: [[String]]; var text: [String] }

    static let sources: [Source] = {
        let seeds = Tree.root.deletingLastPathComponent().appendingPathComponent("shared/seeds")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? []).sorted()
        return names.compactMap { try? String(contentsOf: seeds.appendingPathComponent($0), encoding: .utf8) }.map { text in
            let split = sentences(text)
            return Source(sentences: split.map(contentWords), sequences: split.map(contentSequence), text: split)
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
    func nearCopiedSentences(includingPending: Bool = false) -> [(String, Double, String, String)] {
        var found: [(String, Double, String, String)] = []
        for (event, sentences) in englishSentences() where includingPending || !Self.pendingRewrite.contains(event) {
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
    func sentenceBySentencePassages(includingPending: Bool = false) -> [(String, Double, String)] {
        var found: [(String, Double, String)] = []
        for (event, sentences) in englishSentences() where sentences.count >= Self.passageSentences
            && (includingPending || !Self.pendingRewrite.contains(event)) {
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

    // MARK: Third measure: the source's order

    /// The third reader found labels that retell a source passage sentence by sentence, in
    /// the source's order, with synonyms swapped, below both thresholds above. This measure
    /// looks at order instead of counts. For each paragraph a visitor reads (the summary, and
    /// each paragraph of the body), with words in quotation marks left out (a short quotation
    /// is the sanctioned way to use a witness's words, and the six-word test limits its length),
    /// it takes the content words in order and finds the window of consecutive source
    /// sentences (the paragraph's sentence count plus two, at least three) whose content words
    /// share the **longest common subsequence** with them. A paragraph is flagged when that
    /// subsequence is `orderRun` (10) words or longer, or `orderMinimum` (7) words or longer and
    /// covers `orderShare` (half) or more of the paragraph's content words. Names recur in any
    /// retelling, but a retelling that leads with what matters and merges details does not keep
    /// ten of the source's words in the source's order.
    static let orderRun = 10
    static let orderMinimum = 7
    static let orderShare = 0.5

    /// Events not yet rewritten in the third pass, which the three measures still flag: the
    /// exhibit tests skip them, and fail for one listed here that no measure flags any more
    /// (take it off the list). The list must end empty.
    static let pendingRewrite: Set<String> = []

    static func withoutQuotations(_ text: String) -> String {
        var result = "", inQuote = false, straight = false
        for c in text {
            if c == "“" { inQuote = true; continue }
            if c == "”" { inQuote = false; continue }
            if c == "\"" { straight.toggle(); inQuote = straight; continue }
            if !inQuote { result.append(c) }
        }
        return result
    }

    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var current = [0]
            current.reserveCapacity(b.count + 1)
            for (j, y) in b.enumerated() {
                current.append(x == y ? previous[j] + 1 : max(previous[j + 1], current[j]))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The longest run of a paragraph's content words, in order, within any window of source
    /// sentences; the number of content words; and the first source sentence of the window.
    static func orderMatch(_ paragraph: String) -> (run: Int, words: Int, source: String) {
        let text = withoutQuotations(paragraph)
        let sequence = contentSequence(text)
        let window = max(3, sentences(text).count + 2)
        var best = (0, sequence.count, "")
        guard sequence.count >= orderMinimum else { return best }
        for source in sources {
            for start in source.sequences.indices {
                let words = Array(source.sequences[start..<min(start + window, source.sequences.count)].joined())
                let vocabulary = Set(words)
                guard sequence.count(where: { vocabulary.contains($0) }) > best.0 else { continue }
                let run = longestCommonSubsequence(sequence, words)
                if run > best.0 { best = (run, sequence.count, source.text[start]) }
            }
        }
        return best
    }

    static func followsTheSourceOrder(_ paragraph: String) -> Bool {
        let match = orderMatch(paragraph)
        return match.run >= orderRun || (match.run >= orderMinimum && Double(match.run) >= orderShare * Double(match.words))
    }

    /// Paragraphs of the English that keep the source's words in the source's order.
    func paragraphsInTheSourceOrder() -> [(event: String, run: Int, words: Int, paragraph: String, source: String)] {
        var found: [(String, Int, Int, String, String)] = []
        for event in exhibit.events {
            guard let text = event.text["en"] else { continue }
            let paragraphs = [text.summary] + text.body.components(separatedBy: "\n\n")
            for paragraph in paragraphs where !paragraph.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                let match = Self.orderMatch(paragraph)
                if match.run >= Self.orderRun || (match.run >= Self.orderMinimum && Double(match.run) >= Self.orderShare * Double(match.words)) {
                    found.append((event.id, match.run, match.words, paragraph, match.source))
                }
            }
        }
        return found
    }

    @Test func noParagraphFollowsTheSourceOrder() {
        let found = paragraphsInTheSourceOrder()
        let events = Set(found.map(\.event))
        let report = found.filter { !Self.pendingRewrite.contains($0.event) }
            .map { "\($0.event) (\($0.run) of \($0.words) words in order): “\($0.paragraph.prefix(120))…” ~ “\($0.source.prefix(100))…”" }
        #expect(report.isEmpty, "paragraphs in the source's order:\n\(report.joined(separator: "\n"))")
        let stillFlagged = events.union(nearCopiedSentences(includingPending: true).map(\.0))
            .union(sentenceBySentencePassages(includingPending: true).map(\.0))
        let done = Self.pendingRewrite.subtracting(stillFlagged)
        #expect(done.isEmpty, "no longer flagged, remove from pendingRewrite: \(done.sorted())")
    }

    /// Paragraphs the third reader quoted as near-copies, as the exhibit had them before the
    /// third rewrite (commit dd91420): the three measures together must flag every one. Eight
    /// other paragraphs that reader quoted (in 2003-04-washash-killings-turn-sectarian,
    /// 2007-07-joint-outpost-near-washash, 2007-08-joint-raids-mansur-washash,
    /// 2007-mahdi-army-targets-mushtaq, 2007-the-surge, 2008-12-basra-airport-police,
    /// 2008-mushtaq-pursues-hakami, 2014-06-sistani-calls-shias-to-arms) keep too few of the
    /// source's words for any of the measures: a reader still has to look.
    static let quotedNearCopies: [String] = [
        "He mobilised marginal Shias against the occupation. His movement offered social services. Its armed wing, the Mahdi Army (JAM), fought US troops and shielded Shias from Sunni extremists.",  // 2003-04-sadrists-take-control
        "Attacks on Sunnis mounted, the reporter writes, and mostly Shia police often chose to ignore them.",  // 2006-02-samarra-shrine-bombing
        "Major General Pete Chiarelli, second in rank among US officers in Iraq, pressed for the meeting with a British counterpart. A deputy of Chiarelli's unrolled the map. The aim, Newsweek says, was to show the killing spiralling and its control as the government's most urgent task.",  // 2006-07-maliki-warned
        "His wife and their three children came with him. Their first stop, Ghazaliya, was itself torn by fighting; Abu Ghraib was the next. Joining the police there lasted three months. What ended it was the sight of a beheaded policeman, the head left on a wall.",  // 2006-11-muhamad-ismael-flees
        "Among the finds were two lists. One named nearly 70 homes whose Sunni families had been driven out; the other named 'good' families to be spared. Beside threatening letters to Sunnis lay Mahdi Army DVDs showing houses blown up.",  // 2006-washash-cleansing-evidence
        "With the Surge under way, American commanders were coming to rank the Mahdi Army above every other danger to Iraq. They drew a line, though, between men who obeyed Muqtada al-Sadr and those who behaved like criminal gangs.",  // 2007-06-militiamen-from-huriya
        "It did not end the fighting. Muqtada never told his men to disarm. To some of his former fighters the truce was a betrayal; they kept up their attacks on the Americans.",  // 2007-08-sadr-ceasefire
        "His death was followed by worse violence against the district's Sunnis. Hundreds fled Washash. Whole families were among the many dead.",  // 2007-09-naji-assassinated
        "This one stood about six feet (1.8 metres) high. The Americans hoped it would close Washash off and curb the violence. Posters and graffiti soon covered it.",  // 2007-10-march-against-the-wall
        "Those experiences, and working every day beside his junior leaders, gave them confidence, Wilhite said. He also built a habit with Mushtaq: breakfasts after late patrols, where talk ran from families and politics to targets.",  // 2007-11-iraqi-soldiers-gain-confidence
        "One man compared Washash to Palestine. Behind a gap in the barriers stood an Iraqi Army checkpoint. When a soldier saw the reporter filming and started toward him, a resident boasted that he would not dare come in, and threatened him.",  // 2008-01-anger-at-the-checkpoint
        "It was a surprise, the reporter writes, from a government that had given the militias its silent backing throughout the civil war. The Iraqi forces struggled until American support came to their rescue and pushed the militias out. Al-Maliki called it a victory anyway.",  // 2008-03-charge-of-the-knights
        "Both communities warmed to the government after Basra: Sunnis first, then Shias who had been chastened. A senior American military official thought al-Maliki was growing into the job. He also spoke of a \"seminal moment\": the death in Basra of the prime minister's bodyguard, killed by a Sadrist round. He understood the two had been close.",  // 2008-04-maliki-tribal-support-councils
        "A rebuilding conference, Shia in tone, thanked Iraqi forces and welcomed the end of the militias and \"criminals\"; nobody mentioned the British or Americans. Four Mahdi Army men spoke to him in a slum close by. They accused soldiers of looting homes, yet pledged support to al-Maliki.",  // 2008-12-basra-after-the-militias
        "In the Interior Ministry, the lobby televisions showed Shia channels, and police car radios played Shia music. Banners hung on ministries, flags flew above the Oil Ministry, and a Baghdad Council mural showed pilgrims bound for Karbala.",  // 2008-shia-banners-over-the-ministries
        "Since 2003, he writes, millions have lost homes and hundreds of thousands their lives; the Americans have held tens of thousands. He ranks the government with the most corrupt anywhere and sees it turning authoritarian. Nothing threatens it for now, and being strong earns it a measure of legitimacy, Sunnis included. An ugly peace, he suggests, may hold.",  // 2009-03-uneasy-peace-in-washash
        "American forces had fought in Iraq for eight years. The darkest prediction among the war's critics, Newsweek recalls, was a slide into total civil war once Saddam Hussein's lid on sectarian forces was lifted. That was avoided, it judged in 2014, if barely. The reporter, writing after his 2009 visit, describes a civil war from about 2004.",  // 2011-last-us-troops-leave
        "Towns large and small fell, Newsweek reports, from Fallujah to Mosul, Iraq's second city, and Tal Afar, close to Syria. Government troops in Tikrit came under attack. Many US-trained soldiers abandoned their uniforms and fled south among the refugees.",  // 2014-06-isis-offensive
        "The charges were fabricated, he told the reporter: he was accused of killing Shias. His release came, he said, after a $30,000 payment to the dead man's family. Several months without active duty followed, and he took that as a second punishment.",  // 2008-mushtaq-jailed
        "On his first patrol the streets were nearly empty and stank of sewage in 105-degree heat. Pictures of Muqtada al-Sadr and graffiti about Naji covered the district, and young men in track suits kept watch on the soldiers. He called it \"a nightmare\" and also \"an opportunity\".",  // 2007-05-wilhite-first-patrol
    ]

    static func hasNearCopiedSentence(_ text: String) -> Bool {
        sentences(text).contains { sentence in
            let words = contentWords(sentence)
            return words.count >= sentenceMinimum && bestSentence(words).share >= sentenceShare
        }
    }

    static func hasSentenceBySentencePassage(_ text: String) -> Bool {
        let split = sentences(text)
        guard split.count >= passageSentences else { return false }
        return (0...(split.count - passageSentences)).contains { start in
            let words = split[start..<start + passageSentences].reduce(into: Set<String>()) { $0.formUnion(contentWords($1)) }
            return words.count >= passageMinimum && bestWindow(words) >= passageShare
        }
    }

    /// The order measure flags every passage the third reader quoted, and passes a retelling
    /// of the same facts that leads with what matters in its own order.
    @Test func theOrderMeasureCatchesTheQuotedNearCopies() {
        for passage in Self.quotedNearCopies {
            let match = Self.orderMatch(passage)
            let flagged = Self.followsTheSourceOrder(passage) || Self.hasNearCopiedSentence(passage) || Self.hasSentenceBySentencePassage(passage)
            #expect(flagged, "not flagged (\(match.run) of \(match.words)): \(passage)")
        }
        // A synonym-swapped passage in the source's order is flagged...
        #expect(Self.followsTheSourceOrder("Violence against Sunnis mounted once Naji was murdered, though nobody knew who killed him. Hundreds escaped Washash, and many died, whole families among them."))
        // ...and a retelling that merges and reorders the same facts passes.
        #expect(!Self.followsTheSourceOrder("Whole families were among the dead after Naji's assassination, and hundreds left the district. His killers were never identified."))
        #expect(Self.withoutQuotations("He said “not this” and \"nor that\" twice") == "He said  and  twice")
        #expect(Self.longestCommonSubsequence(["a", "b", "c", "d"], ["b", "x", "d", "a"]) == 2)
    }
}
