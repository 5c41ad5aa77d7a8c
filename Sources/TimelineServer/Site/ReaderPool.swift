import TimelineSnapshot

/// Readers of one snapshot file, all opened when the site is loaded (later the path may
/// name another file), lent to one thread at a time; a caller waits when all are lent.
///
/// `@unchecked Sendable`: a `SnapshotReader` is handed to one caller at a time under the
/// lock and given back afterwards; no connection is ever used by two threads at once.
final class ReaderPool: @unchecked Sendable {
    private let available: Condition
    private var idle: [SnapshotReader]

    /// One serving thread uses one reader at a time; the second is for a test or tool
    /// thread asking at the same moment.
    static let size = 2

    init(_ readers: [SnapshotReader]) {
        idle = readers
        available = Condition()
    }

    /// Runs `body` with a reader of its own, given back afterwards (its statements reset).
    func with<T>(_ body: (SnapshotReader) throws -> T) throws -> T {
        let reader = available.withLock { wait in
            while idle.isEmpty { wait() }
            return idle.removeLast()
        }
        defer {
            available.withLock { _ in idle.append(reader) }
            available.signal()
        }
        return try body(reader)
    }
}
