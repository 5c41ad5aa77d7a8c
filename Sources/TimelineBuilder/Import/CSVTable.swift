/// A CSV file as Google Sheets exports it (RFC 4180: commas, double quotes doubled inside
/// quoted fields, line breaks allowed inside them), each record with the line it starts on.
struct CSVTable: Sendable {
    struct Record: Sendable {
        let line: Int
        let fields: [String]
    }

    let header: [String]
    let records: [Record]

    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "\(line):1: \(message)" }
    }

    static func parse(_ text: String) throws(ParseError) -> CSVTable {
        var rows: [Record] = []
        var field = ""
        var fields: [String] = []
        var quoted = false, wasQuoted = false
        var line = 1, recordLine = 1
        var chars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { rows.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            wasQuoted = false
        }
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = chars.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true; wasQuoted = true
            case ",": fields.append(field); field = ""; wasQuoted = false
            case "\r":
                let next = chars.next()
                if next != "\n" { pending = next }
                endRecord(); line += 1; recordLine = line
            case "\n": endRecord(); line += 1; recordLine = line
            default: field.unicodeScalars.append(c)
            }
        }
        if quoted { throw ParseError(line: recordLine, message: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = rows.first else { throw ParseError(line: 1, message: "the file is empty") }
        let header = first.fields.map { $0.trimmingCharacters(in: " ") }
        return CSVTable(header: header, records: Array(rows.dropFirst()))
    }

    /// The value of `column` (matched without regard to case or spaces) in `record`, trimmed;
    /// nil when the column is absent or the cell empty.
    func value(_ column: String, in record: Record) -> String? {
        let key = Self.key(column)
        guard let index = header.firstIndex(where: { Self.key($0) == key }), index < record.fields.count else { return nil }
        let value = record.fields[index].trimmingCharacters(in: " ")
        return value.isEmpty ? nil : value
    }

    static func key(_ name: String) -> String { name.lowercased().filter { $0.isLetter || $0.isNumber } }
}
