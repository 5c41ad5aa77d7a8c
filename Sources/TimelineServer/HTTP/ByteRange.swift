/// A single `Range: bytes=…` request (RFC 9110 §14.1.2).
enum ByteRange: Equatable {
    /// Satisfiable: first and last byte, inclusive.
    case bytes(Int, Int)
    /// Syntactically valid but outside the body: 416.
    case unsatisfiable
    /// Not a single bytes range we serve (several ranges, other units, garbage): send it all.
    case ignored

    static func parse(_ header: String, size: Int) -> ByteRange {
        guard header.hasPrefix("bytes=") else { return .ignored }
        let spec = header.dropFirst(6).trimmingSpaces()
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .ignored }
        let first = spec[..<dash].trimmingSpaces(), last = spec[spec.index(after: dash)...].trimmingSpaces()
        guard first.allSatisfy(\.isASCIIDigit), last.allSatisfy(\.isASCIIDigit), first.count <= 18, last.count <= 18
        else { return .ignored }
        switch (Int(first), Int(last)) {
        case let (start?, end?):
            guard start <= end else { return .ignored }
            guard start < size else { return .unsatisfiable }
            return .bytes(start, min(end, size - 1))
        case let (start?, nil):
            guard start < size else { return .unsatisfiable }
            return .bytes(start, size - 1)
        case let (nil, suffix?):
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .bytes(max(0, size - suffix), size - 1)
        default:
            return .ignored
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    func trimmingSpaces() -> SubSequence {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
