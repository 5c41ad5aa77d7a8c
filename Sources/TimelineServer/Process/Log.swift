#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line per event on stderr. Under systemd (JOURNAL_STREAM set) each line starts with a
/// `<N>` syslog priority so the journal files it at the right level.
public struct Log: Sendable {
    public let journal: Bool

    public init(journal: Bool = getenv("JOURNAL_STREAM") != nil) {
        self.journal = journal
    }

    public func info(_ message: String) { write(6, message) }
    public func warning(_ message: String) { write(4, message) }
    public func error(_ message: String) { write(3, message) }

    func write(_ priority: Int, _ message: String) {
        let line = (journal ? "<\(priority)>" : "") + message.replacingNewlines() + "\n"
        // One write(2) per line (short lines go whole): lines from several threads never interleave.
        Output.write(2, line)
    }
}

extension String {
    /// One event, one line: a message must not forge further journal lines.
    func replacingNewlines() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }
}
