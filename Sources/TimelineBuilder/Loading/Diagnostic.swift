/// A place in an exhibit file: the path as the curator gave it, 1-based line and column.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// The file as a whole, before its first line: for problems with no better place.
    public static func file(_ path: String) -> SourcePosition {
        SourcePosition(path: path, line: 1, column: 1)
    }

    public var description: String { "\(path):\(line):\(column)" }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }
}

/// One problem found in an exhibit, printed like a compiler's: `path:line:col: error: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public let severity: Severity
    public let position: SourcePosition
    public let message: String

    public init(_ severity: Severity, _ position: SourcePosition, _ message: String) {
        self.severity = severity
        self.position = position
        self.message = message
    }

    public var description: String { "\(position): \(severity.rawValue): \(message)" }
}

/// Collects diagnostics during one build. Not `Sendable`: one build, one thread.
public final class Diagnostics {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public func error(_ position: SourcePosition, _ message: String) {
        all.append(Diagnostic(.error, position, message))
    }

    public func warning(_ position: SourcePosition, _ message: String) {
        all.append(Diagnostic(.warning, position, message))
    }

    public var errorCount: Int { all.count { $0.severity == .error } }
    public var warningCount: Int { all.count { $0.severity == .warning } }

    /// In file order, then line and column; ties keep the order they were found in.
    public var sorted: [Diagnostic] {
        all.enumerated().sorted { a, b in
            a.element.position == b.element.position ? a.offset < b.offset : a.element.position < b.element.position
        }.map(\.element)
    }
}

@available(*, unavailable, message: "collects the diagnostics of one build on one thread")
extension Diagnostics: Sendable {}

/// Why a build did not write a snapshot.
public enum BuildError: Error, Sendable, CustomStringConvertible {
    /// The exhibit has errors; they are in the diagnostics.
    case invalidExhibit(errors: Int, warnings: Int, diagnostics: [Diagnostic])
    /// The exhibit folder, the theme or the output could not be used.
    case io(String)
    /// Writing the snapshot failed.
    case snapshot(String)

    public var description: String {
        switch self {
        case let .invalidExhibit(errors, warnings, _):
            return Self.count(errors, "error") + (warnings > 0 ? " and " + Self.count(warnings, "warning") : "")
                + "; no snapshot written"
        case .io(let message): return "error: \(message)"
        case .snapshot(let message): return "error: cannot write the snapshot: \(message)"
        }
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
