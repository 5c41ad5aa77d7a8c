/// A JSON value that remembers the line it starts on, so an importer can say where in a
/// file something could not be carried over. Foundation's parser gives no positions.
indirect enum PositionedJSON: Sendable, Equatable {
    case object([String: PositionedJSON], line: Int)
    case array([PositionedJSON], line: Int)
    case string(String, line: Int)
    case number(Double, line: Int)
    case bool(Bool, line: Int)
    case null(line: Int)

    var line: Int {
        switch self {
        case .object(_, let line), .array(_, let line), .string(_, let line), .number(_, let line),
             .bool(_, let line), .null(let line): return line
        }
    }

    subscript(key: String) -> PositionedJSON? {
        if case .object(let fields, _) = self { return fields[key] }
        return nil
    }

    var array: [PositionedJSON]? { if case .array(let items, _) = self { items } else { nil } }
    var object: [String: PositionedJSON]? { if case .object(let fields, _) = self { fields } else { nil } }

    /// Text of a string, or a number written as text (TimelineJS accepts `"year": 1900` and
    /// `"year": "1900"` alike); nil for anything else or an empty string.
    var text: String? {
        switch self {
        case .string(let s, _): return s.isEmpty ? nil : s
        case .number(let n, _): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        default: return nil
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let column: Int
        let message: String
        var description: String { "\(line):\(column): \(message)" }
    }

    static func parse(_ text: String) throws(ParseError) -> PositionedJSON {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw parser.error("text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0
        var line = 1
        var lineStart = 0

        func error(_ message: String) -> ParseError {
            ParseError(line: line, column: at - lineStart + 1, message: message)
        }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x0A: line += 1; at += 1; lineStart = at
                case 0x20, 0x09, 0x0D: at += 1
                default: return
                }
            }
        }

        mutating func expect(_ word: String) throws(ParseError) {
            let w = Array(word.utf8)
            guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else { throw error("expected \(word)") }
            at += w.count
        }

        mutating func value(depth: Int) throws(ParseError) -> PositionedJSON {
            guard depth < 200 else { throw error("nested too deeply") }
            guard at < bytes.count else { throw error("unexpected end of the file") }
            let startLine = line
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var fields: [String: PositionedJSON] = [:]
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(fields, line: startLine) }
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    fields[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard at < bytes.count else { throw error("unexpected end of the file in an object") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(fields, line: startLine) }
                    throw error("expected , or } in an object")
                }
            case UInt8(ascii: "["):
                at += 1
                var items: [PositionedJSON] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items, line: startLine) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard at < bytes.count else { throw error("unexpected end of the file in a list") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items, line: startLine) }
                    throw error("expected , or ] in a list")
                }
            case UInt8(ascii: "\""): return .string(try string(), line: startLine)
            case UInt8(ascii: "t"): try expect("true"); return .bool(true, line: startLine)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false, line: startLine)
            case UInt8(ascii: "n"): try expect("null"); return .null(line: startLine)
            default:
                let start = at
                while at < bytes.count, "+-0123456789.eE".utf8.contains(bytes[at]) { at += 1 }
                guard at > start, let number = Double(String(decoding: bytes[start..<at], as: UTF8.self)) else {
                    throw error("unexpected character")
                }
                return .number(number, line: startLine)
            }
        }

        mutating func string() throws(ParseError) -> String {
            at += 1  // the opening quote
            var out: [UInt8] = []
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") { at += 1; return String(decoding: out, as: UTF8.self) }
                if byte == 0x0A { throw error("a line break inside a string") }
                if byte != UInt8(ascii: "\\") { out.append(byte); at += 1; continue }
                guard at + 1 < bytes.count else { break }
                let escape = bytes[at + 1]
                at += 2
                switch escape {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"),
                       bytes[at + 1] == UInt8(ascii: "u") {
                        at += 2
                        let low = try hex4()
                        // A high surrogate pairs only with a low one; anything else is replaced.
                        scalar = (0xDC00...0xDFFF).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                    }
                    out += Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default: out.append(escape)  // \" \\ \/
                }
            }
            throw error("a string with no closing quote")
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard at + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
            else { throw error("bad \\u escape") }
            at += 4
            return value
        }
    }
}
