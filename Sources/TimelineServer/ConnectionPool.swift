import TimelineSnapshot

/// Read-only connections to the snapshot, one per thread that needs one at a time.
///
/// `@unchecked Sendable`: a `Database` is handed to one caller at a time under the lock
/// and given back afterwards; no connection is ever used by two threads at once.
final class ConnectionPool: @unchecked Sendable {
    let path: String
    private let lock = Lock()
    private var idle: [Database] = []
    /// Virtual-machine steps a statement may take before it is interrupted.
    let stepLimit: Int32

    init(path: String, stepLimit: Int32) {
        self.path = path
        self.stepLimit = stepLimit
    }

    /// Runs `body` with a connection of its own; a connection that failed is not reused.
    func with<T>(_ body: (Database) throws -> T) throws -> T {
        let database = try lock.withLock { idle.popLast() } ?? open()
        let result = try body(database)
        lock.withLock { idle.append(database) }
        return result
    }

    private func open() throws -> Database {
        let database = try Database(path: path, mode: .readOnlyImmutable)
        database.limitSteps(stepLimit)
        return database
    }
}
