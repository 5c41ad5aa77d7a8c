#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line per event on stderr. When stderr is the journal each line starts with a `<N>`
/// syslog priority so the journal files it at the right level.
public struct Log: Sendable {
    public let journal: Bool

    public init(journal: Bool = Log.stderrIsTheJournal()) {
        self.journal = journal
    }

    /// `JOURNAL_STREAM` names the journal's stream as "DEVICE:INODE"; it is inherited by
    /// children whose stderr may be something else (a command run by a script under
    /// systemd), so it counts only if stderr is that very stream (systemd.exec(5)).
    public static func stderrIsTheJournal(_ stream: String? = getenv("JOURNAL_STREAM").map { String(cString: $0) }) -> Bool {
        guard let value = stream else { return false }
        let parts = value.split(separator: ":")
        var info = stat()
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
              fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
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
