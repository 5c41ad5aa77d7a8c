import Foundation

/// Turns a TimelineJS timeline (its JSON, or the CSV a Google Sheet made from the TimelineJS
/// template exports) into an exhibit folder: exhibit.yaml, events/*.md, media/.
///
/// What TimelineJS has and an exhibit does not (times of day, backgrounds, thumbnails,
/// online media) is reported as `file:line: warning:`, so the curator knows what to look
/// at; online media are listed for fetching by hand, since a kiosk is offline.
public struct TimelineJSImport: Sendable {
    /// One slide of the timeline, from either format.
    struct Slide {
        enum Kind { case title, event, era }
        var kind: Kind
        var line: Int
        var start: Moment?
        var end: Moment?
        var displayDate: String?
        var headline = ""
        var text = ""
        var media: Media?
        var group: String?
        var uniqueID: String?
    }

    struct Moment {
        var year: String
        var month: String?
        var day: String?
        /// Hour, minute, second or millisecond was given: not carried over.
        var time: String?
    }

    struct Media {
        var url: String
        var credit: String?
        var caption: String?
        var alt: String?
    }

    /// What the import makes: files by path in the new folder, media to copy into it, and
    /// what could not be carried over.
    public struct Outcome: Sendable {
        /// Relative path → text.
        public var files: [String: String] = [:]
        /// Relative path in the new folder → the file to copy there.
        public var copies: [String: String] = [:]
        /// Online media to fetch by hand, with the line that names them.
        public var toFetch: [(line: Int, url: String, note: String)] = []
        public var warnings: [Diagnostic] = []
        public var events = 0
    }

    public let path: String
    public let language: String

    public init(path: String, language: String = "en") {
        self.path = path
        self.language = language
    }

    public static let csvColumns = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
                                    "Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
                                    "Media Thumbnail", "Type", "Group", "Background", "Alt Text"]

    // MARK: Reading

    public func read() throws(ImportError) -> Outcome {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io("\(path): cannot read the file") }
        guard let text = String(validating: Array(data), as: UTF8.self) else {
            throw .io("\(path): not UTF-8 text; export the sheet or file again as UTF-8")
        }
        let trimmed = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        var outcome = Outcome()
        let slides: [Slide]
        if let first = trimmed.drop(while: \.isWhitespace).first, first == "{" || first == "[" {
            slides = try readJSON(trimmed, &outcome)
        } else {
            slides = try readCSV(trimmed, &outcome)
        }
        try convert(slides, &outcome)
        outcome.warnings.sort { $0.position < $1.position }
        return outcome
    }

    func warn(_ line: Int, _ message: String, _ outcome: inout Outcome) {
        outcome.warnings.append(Diagnostic(.warning, SourcePosition(path: path, line: line, column: 1), Self.oneLine(message)))
    }

    /// Text from the timeline as it goes into a message or a list: one line, no control characters.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }

    func readJSON(_ text: String, _ outcome: inout Outcome) throws(ImportError) -> [Slide] {
        let root: PositionedJSON
        do { root = try PositionedJSON.parse(text) } catch { throw .invalid("\(path):\(error.line):\(error.column): error: \(error.message)") }
        guard let top = root.object else { throw .invalid("\(path):1:1: error: a TimelineJS file is a JSON object with 'events'") }
        guard let events = root["events"]?.array else {
            throw .invalid("\(path):\(root.line):1: error: no 'events' list: is this a TimelineJS file?")
        }
        for key in top.keys.sorted() where !["title", "events", "eras", "scale"].contains(key) {
            warn(top[key]!.line, "'\(key)' is not carried over", &outcome)
        }
        if let scale = root["scale"]?.text, scale != "human" {
            warn(root["scale"]!.line, "scale '\(scale)': an exhibit's years run from -9999 to 9999", &outcome)
        }
        var slides: [Slide] = []
        if let title = root["title"] { slides.append(slide(title, kind: .title, &outcome)) }
        for event in events { slides.append(slide(event, kind: .event, &outcome)) }
        for era in root["eras"]?.array ?? [] { slides.append(slide(era, kind: .era, &outcome)) }
        return slides
    }

    static let slideKeys = ["start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink",
                            "unique_id"]

    func slide(_ json: PositionedJSON, kind: Slide.Kind, _ outcome: inout Outcome) -> Slide {
        var slide = Slide(kind: kind, line: json.line)
        for (key, value) in (json.object ?? [:]).sorted(by: { $0.key < $1.key }) where !Self.slideKeys.contains(key) {
            warn(value.line, "'\(key)' is not carried over", &outcome)
        }
        slide.start = json["start_date"].flatMap { moment($0, &outcome) }
        slide.end = json["end_date"].flatMap { moment($0, &outcome) }
        slide.displayDate = json["display_date"]?.text ?? json["start_date"]?["display_date"]?.text
        slide.headline = json["text"]?["headline"]?.text ?? ""
        slide.text = json["text"]?["text"]?.text ?? ""
        if let media = json["media"], let url = media["url"]?.text {
            slide.media = Media(url: url, credit: media["credit"]?.text, caption: media["caption"]?.text,
                                alt: media["alt"]?.text)
            for key in ["thumbnail", "link", "title"] where media[key]?.text != nil {
                warn(media[key]!.line, "media '\(key)' is not carried over (the builder makes every size itself)", &outcome)
            }
        }
        slide.group = json["group"]?.text
        slide.uniqueID = json["unique_id"]?.text
        if let background = json["background"], background.object?.isEmpty == false {
            warn(background.line, "the slide's background is not carried over: the theme sets the look", &outcome)
        }
        return slide
    }

    func moment(_ json: PositionedJSON, _ outcome: inout Outcome) -> Moment? {
        guard let year = json["year"]?.text else { return nil }
        let time = ["hour", "minute", "second", "millisecond"].compactMap { json[$0]?.text }.joined(separator: ":")
        return Moment(year: year, month: json["month"]?.text, day: json["day"]?.text, time: time.isEmpty ? nil : time)
    }

    func readCSV(_ text: String, _ outcome: inout Outcome) throws(ImportError) -> [Slide] {
        let table: CSVTable
        do { table = try CSVTable.parse(text) } catch { throw .invalid("\(path):\(error.line):1: error: \(error.message)") }
        let known = Set(Self.csvColumns.map(CSVTable.key))
        guard table.header.contains(where: { CSVTable.key($0) == "year" }),
              table.header.contains(where: { CSVTable.key($0) == "headline" }) else {
            throw .invalid("\(path):1:1: error: no Year and Headline columns: export the sheet made from the TimelineJS "
                               + "template as CSV (File › Download › Comma-separated values)")
        }
        for column in table.header where !column.isEmpty && !known.contains(CSVTable.key(column)) {
            warn(1, "column '\(column)' is not carried over", &outcome)
        }
        var slides: [Slide] = []
        for record in table.records {
            func value(_ column: String) -> String? { table.value(column, in: record) }
            let type = value("Type")?.lowercased()
            var slide = Slide(kind: type == "title" ? .title : type == "era" ? .era : .event, line: record.line)
            if let type, !["title", "era", "event", ""].contains(type) { warn(record.line, "type '\(type)' is read as an event", &outcome) }
            if let year = value("Year") {
                slide.start = Moment(year: year, month: value("Month"), day: value("Day"), time: value("Time"))
            }
            if let year = value("End Year") {
                slide.end = Moment(year: year, month: value("End Month"), day: value("End Day"), time: value("End Time"))
            }
            slide.displayDate = value("Display Date")
            slide.headline = value("Headline") ?? ""
            slide.text = value("Text") ?? ""
            if let url = value("Media") {
                slide.media = Media(url: url, credit: value("Media Credit"), caption: value("Media Caption"),
                                    alt: value("Alt Text"))
            }
            if value("Media Thumbnail") != nil {
                warn(record.line, "Media Thumbnail is not carried over (the builder makes every size itself)", &outcome)
            }
            if value("Background") != nil {
                warn(record.line, "Background is not carried over: the theme sets the look", &outcome)
            }
            slide.group = value("Group")
            if slide.start == nil && slide.headline.isEmpty && slide.text.isEmpty { continue }  // an empty row
            slides.append(slide)
        }
        return slides
    }

    // MARK: Converting

    static let palette = ["#8a3b12", "#2f5d7c", "#5b6b2f", "#7a2f5d", "#3b6f6a", "#8a6d12", "#4b4b8a", "#6b4f3a"]

    func convert(_ slides: [Slide], _ outcome: inout Outcome) throws(ImportError) {
        let folder = (path as NSString).deletingLastPathComponent
        var usedIDs = Set<String>()
        func uniqueID(_ wanted: String, fallback: String) -> String {
            var base = Self.slug(wanted)
            if base.isEmpty { base = fallback }
            var id = base, n = 2
            while !usedIDs.insert(id).inserted { id = "\(base)-\(n)"; n += 1 }
            return id
        }

        // The title slide: the exhibit's title and subtitle.
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let titleSlide = slides.first { $0.kind == .title }
        let title = titleSlide.map { HTMLText.plain($0.headline) }.flatMap { $0.isEmpty ? nil : $0 } ?? stem
        let subtitle = titleSlide.map { HTMLText.firstSentence(HTMLText.plain($0.text)) } ?? ""
        if let media = titleSlide?.media { warn(titleSlide!.line, "the title slide's media (\(media.url)) is not carried over", &outcome) }

        // Eras, with colours from a palette; events are placed in the eras their start falls in.
        var eras: [(id: String, title: String, description: String, start: String, end: String, startKey: Int64, endKey: Int64)] = []
        for slide in slides where slide.kind == .era {
            guard let start = slide.start, let startDate = date(start, slide.line, &outcome) else {
                warn(slide.line, "an era without a start year is left out", &outcome)
                continue
            }
            var endDate = slide.end.flatMap { date($0, slide.line, &outcome) }
            if endDate == nil { warn(slide.line, "an era needs an end: its start is used; set 'end' in exhibit.yaml", &outcome) }
            if let e = endDate, let s = Self.exhibitDate(startDate), let en = Self.exhibitDate(e), en.endKey < s.startKey {
                warn(slide.line, "the era ends before it starts: its start is used as its end", &outcome)
                endDate = nil
            }
            let name = HTMLText.plain(slide.headline)
            let end = endDate ?? startDate
            eras.append((uniqueID(name, fallback: "era-\(eras.count + 1)"), name.isEmpty ? "Era \(eras.count + 1)" : name,
                         HTMLText.plain(slide.text), startDate, end,
                         Self.exhibitDate(startDate)!.startKey, Self.exhibitDate(end)!.endKey))
        }

        var themes: [(id: String, title: String)] = []
        var events = 0
        for (index, slide) in slides.enumerated() where slide.kind == .event {
            guard let startMoment = slide.start, let start = date(startMoment, slide.line, &outcome) else {
                warn(slide.line, "an event without a valid start year is left out", &outcome)
                continue
            }
            var end = slide.end.flatMap { date($0, slide.line, &outcome) }
            if let e = end, let s = Self.exhibitDate(start), let en = Self.exhibitDate(e), en.endKey < s.startKey {
                warn(slide.line, "the end date is before the start: left out", &outcome)
                end = nil
            }
            if startMoment.time != nil || slide.end?.time != nil {
                warn(slide.line, "the time of day is not carried over: an exhibit's dates are days", &outcome)
            }
            var headline = HTMLText.plain(slide.headline)
            if headline.isEmpty {
                headline = slide.displayDate ?? start
                warn(slide.line, "no headline: the date is used as the title", &outcome)
            }
            let id = uniqueID(slide.uniqueID ?? headline, fallback: "event-\(index + 1)")
            let converted = HTMLText.markdown(slide.text)
            if !converted.dropped.isEmpty {
                warn(slide.line, "HTML not carried over: <\(converted.dropped.sorted().joined(separator: ">, <"))>"
                         + " (the text inside is kept, but for script, style and embedded frames)", &outcome)
            }
            for link in converted.droppedLinks { warn(slide.line, "link '\(link)' is not carried over (only http, https and mailto)", &outcome) }
            var summary = HTMLText.firstSentence(HTMLText.plain(slide.text))
            if summary.isEmpty { summary = headline }
            var body = converted.markdown

            var themeID: String?
            if let group = slide.group {
                let groupTitle = HTMLText.plain(group)
                if let known = themes.first(where: { $0.title == groupTitle }) { themeID = known.id } else {
                    let tid = uniqueID(groupTitle, fallback: "group-\(themes.count + 1)")
                    themes.append((tid, groupTitle))
                    themeID = tid
                }
            }
            let key = Self.exhibitDate(start)!.startKey
            let eraIDs = eras.filter { $0.startKey <= key && key <= $0.endKey }.map(\.id)

            var mediaYAML = ""
            if let media = slide.media {
                mediaYAML = medium(media, slide: slide, headline: headline, folder: folder, body: &body, &outcome)
            }
            var front = "---\n"
            front += "title: \(Self.yaml(headline))\n"
            front += "summary: \(Self.yaml(summary))\n"
            front += "date: \(start)\n"
            if let end { front += "end: \(end)\n" }
            if let display = slide.displayDate.map(HTMLText.plain), !display.isEmpty {
                front += "display_date: \(Self.yaml(display))\n"
            }
            if !eraIDs.isEmpty { front += "eras: [\(eraIDs.joined(separator: ", "))]\n" }
            if let themeID { front += "themes: [\(themeID)]\n" }
            front += mediaYAML
            front += "---\n"
            outcome.files["events/\(id).md"] = front + (body.isEmpty ? "" : body + "\n")
            events += 1
        }
        guard events > 0 else { throw .invalid("\(path): error: no event with a start year to import") }
        outcome.events = events

        var yaml = "# Imported from \((path as NSString).lastPathComponent) by timeline-build import.\n"
        yaml += "id: \(Self.slug(title).isEmpty ? "imported" : Self.slug(title))\n"
        yaml += "title: \(Self.yaml(title))\n"
        if !subtitle.isEmpty { yaml += "subtitle: \(Self.yaml(subtitle))\n" }
        yaml += "languages: [\(language)]\n"
        if !eras.isEmpty {
            yaml += "eras:\n"
            for (n, era) in eras.enumerated() {
                yaml += "  - id: \(era.id)\n    title: \(Self.yaml(era.title))\n"
                if !era.description.isEmpty { yaml += "    description: \(Self.yaml(era.description))\n" }
                yaml += "    start: \(era.start)\n    end: \(era.end)\n    colour: \"\(Self.palette[n % Self.palette.count])\"\n"
            }
        }
        if !themes.isEmpty {
            yaml += "themes:\n"
            for theme in themes { yaml += "  - id: \(theme.id)\n    title: \(Self.yaml(theme.title))\n" }
        }
        outcome.files["exhibit.yaml"] = yaml
        if !outcome.toFetch.isEmpty {
            var list = "Media the TimelineJS timeline named online. A kiosk is offline: fetch each one\n"
                + "(where its licence allows), put it in this folder and add it to the event named.\n\n"
            for item in outcome.toFetch { list += "\((path as NSString).lastPathComponent):\(item.line)  \(item.url)\n    \(item.note)\n" }
            outcome.files["media/TO-FETCH.txt"] = list
        }
    }

    /// A slide's medium as front matter, or a note: online media are listed to fetch, a
    /// quotation goes into the text, a local image is copied.
    func medium(_ media: Media, slide: Slide, headline: String, folder: String, body: inout String,
                _ outcome: inout Outcome) -> String {
        let url = media.url.trimmingCharacters(in: " ")
        if url.hasPrefix("<blockquote") {
            body += (body.isEmpty ? "" : "\n\n") + HTMLText.markdown(url).markdown
            warn(slide.line, "the quotation given as media is added to the text", &outcome)
            return ""
        }
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("//") {
            let onlineOnly = ["youtube.com", "youtu.be", "vimeo.com", "twitter.com", "x.com", "instagram.com", "soundcloud.com",
                              "spotify.com", "google.com/maps", "wikipedia.org", "dailymotion.com", "flickr.com/photos"]
            let note = onlineOnly.contains(where: { lower.contains($0) })
                ? "an online service's page: download the film, picture or recording itself, with the rights to show it"
                : "for the event \"\(headline)\""
            outcome.toFetch.append((slide.line, Self.oneLine(url), note))
            warn(slide.line, "online media \(url) is not carried over: listed in media/TO-FETCH.txt", &outcome)
            return ""
        }
        // Only files in the timeline's own folder or below: an import never copies a file
        // from elsewhere on the workstation.
        guard ExhibitLoader.isSafeRelativePath(url), !url.hasPrefix("~") else {
            warn(slide.line, "media \(url) is not a path inside the timeline's folder: left out", &outcome)
            return ""
        }
        let source = (folder as NSString).appendingPathComponent(url)
        var isDirectory: ObjCBool = false
        let real = URL(fileURLWithPath: source).resolvingSymlinksInPath().path
        let home = URL(fileURLWithPath: folder.isEmpty ? "." : folder).resolvingSymlinksInPath().path
        guard real.hasPrefix(home.hasSuffix("/") ? home : home + "/") else {
            warn(slide.line, "media \(url) leads outside the timeline's folder (a link): left out", &outcome)
            return ""
        }
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue else {
            warn(slide.line, "media file \(url) not found beside the timeline: left out", &outcome)
            return ""
        }
        let ext = (url as NSString).pathExtension.lowercased()
        let name = Self.mediaName(for: url, taken: Set(outcome.copies.keys), copies: outcome.copies)
        guard ImageInfo.Format(fileExtension: ext) != nil else {
            warn(slide.line, "media file \(url) is copied to media/ but not added: a film or recording needs captions "
                     + "in every language (see EXHIBIT_FORMAT.md)", &outcome)
            outcome.copies[name] = source
            return ""
        }
        outcome.copies[name] = source
        let caption = media.caption.map(HTMLText.plain) ?? ""
        var alt = media.alt.map(HTMLText.plain) ?? ""
        if alt.isEmpty {
            alt = caption.isEmpty ? headline : caption
            warn(slide.line, "no alt text for \(url): the \(caption.isEmpty ? "headline" : "caption") is used; describe the picture", &outcome)
        }
        var credit = media.credit.map(HTMLText.plain) ?? ""
        if credit.isEmpty {
            credit = "Credit to be added"
            warn(slide.line, "no credit for \(url): say who made it or holds its rights", &outcome)
        }
        var yaml = "media:\n  - file: \(Self.yaml(name))\n    alt: \(Self.yaml(alt))\n    credit: \(Self.yaml(credit))\n"
        if !caption.isEmpty { yaml += "    caption: \(Self.yaml(caption))\n" }
        return yaml
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from TimelineJS's parts, or nil with a warning.
    func date(_ moment: Moment, _ line: Int, _ outcome: inout Outcome) -> String? {
        guard let year = Int(moment.year.trimmingCharacters(in: " ")), year != 0, (-9999...9999).contains(year) else {
            warn(line, "year '\(moment.year)' cannot be carried over: years run from -9999 to 9999, without 0", &outcome)
            return nil
        }
        var text = year < 0 ? "-" + String(format: "%04d", -year) : String(format: "%04d", year)
        if let month = moment.month.flatMap({ Int($0) }), (1...12).contains(month) {
            text += String(format: "-%02d", month)
            if let day = moment.day.flatMap({ Int($0) }), (1...31).contains(day) {
                text += String(format: "-%02d", day)
            } else if moment.day != nil {
                warn(line, "day '\(moment.day!)' is left out: days run from 1 to 31", &outcome)
            }
        } else if let month = moment.month {
            warn(line, "month '\(month)' is left out: months run from 1 to 12", &outcome)
        } else if moment.day != nil {
            warn(line, "a day without a month is left out", &outcome)
        }
        guard Self.exhibitDate(text) != nil else {
            warn(line, "date \(text) does not exist: only the year is kept", &outcome)
            return year < 0 ? "-" + String(format: "%04d", -year) : String(format: "%04d", year)
        }
        return text
    }

    static func exhibitDate(_ text: String) -> ExhibitDate? { try? ExhibitDate.parse(text) }

    /// `media/NAME` for a file copied from `url`: the same file keeps its name, another
    /// file with the same name gets `-2`, `-3` … before its extension.
    static func mediaName(for url: String, taken: Set<String>, copies: [String: String]) -> String {
        let base = (url as NSString).lastPathComponent
        let stem = (base as NSString).deletingPathExtension, ext = (base as NSString).pathExtension
        var name = "media/" + base, n = 2
        while taken.contains(name), !(copies[name]?.hasSuffix("/" + url) ?? false) {
            name = "media/\(stem)-\(n)" + (ext.isEmpty ? "" : "." + ext)
            n += 1
        }
        return name
    }

    /// A lower-case id of letters, digits and hyphens from ASCII letters and digits.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) { out.unicodeScalars.append(scalar) }
            else if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
            if out.count >= 48 { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// A YAML double-quoted string.
    static func yaml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                // YAML's printable set leaves out C0 and C1 controls, DEL, the BOM and FFFE/FFFF.
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF {
                    out += String(format: "\\u%04X", v)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: Writing

    /// Writes the outcome into `folder`, which must not exist yet or be empty: an import
    /// never overwrites a curator's work.
    public static func write(_ outcome: Outcome, into folder: String) throws(ImportError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw .io("\(folder): a file is there; import into a new folder")
        }
        if let existing = try? fm.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            throw .io("\(folder): the folder is not empty; import into a new folder")
        }
        do {
            for (relative, text) in outcome.files.sorted(by: { $0.key < $1.key }) {
                let url = URL(fileURLWithPath: folder).appendingPathComponent(relative)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            for (relative, source) in outcome.copies.sorted(by: { $0.key < $1.key }) {
                let url = URL(fileURLWithPath: folder).appendingPathComponent(relative)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                if !fm.fileExists(atPath: url.path) { try fm.copyItem(atPath: source, toPath: url.path) }
            }
        } catch {
            throw .io("\(folder): \((error as NSError).localizedDescription)")
        }
    }
}

/// Why an import could not be done at all.
public enum ImportError: Error, Sendable, CustomStringConvertible {
    case io(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .io(let message): return "error: \(message)"
        case .invalid(let message): return message
        }
    }
}
