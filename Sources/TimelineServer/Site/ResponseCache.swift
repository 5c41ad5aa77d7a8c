/// The resources a `Site` keeps built, within a byte budget; the least recently used go
/// first when it is full.
///
/// `@unchecked Sendable`: every access is under `lock`.
final class ResponseCache: @unchecked Sendable {
    private final class Entry {
        let resource: Resource
        var lastUse: UInt64
        init(_ resource: Resource, _ lastUse: UInt64) {
            self.resource = resource
            self.lastUse = lastUse
        }
    }

    let budget: Int
    private let lock = Lock()
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    private var held = 0
    /// Paths whose bytes failed their digest: answered 503 without reading them again.
    private var damaged = Set<String>()

    init(budget: Int) { self.budget = budget }

    func resource(_ path: String) -> Resource? {
        lock.withLock {
            guard let entry = entries[path] else { return nil }
            clock += 1
            entry.lastUse = clock
            return entry.resource
        }
    }

    /// Keeps `resource` if it fits the budget at all; returns what is kept for its path
    /// (an equal resource another thread put there first wins).
    @discardableResult
    func keep(_ resource: Resource) -> Resource {
        guard resource.bytes <= budget else { return resource }
        return lock.withLock {
            if let existing = entries[resource.path] { return existing.resource }
            if held + resource.bytes > budget { evict(toFit: resource.bytes) }
            clock += 1
            entries[resource.path] = Entry(resource, clock)
            held += resource.bytes
            return resource
        }
    }

    /// Drops the least recently used until `bytes` fit with a quarter of the budget free,
    /// so that a full cache does not sort on every insertion.
    private func evict(toFit bytes: Int) {
        let target = max(0, budget - budget / 4 - bytes)
        for (path, entry) in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            if held <= target { break }
            entries[path] = nil
            held -= entry.resource.bytes
        }
    }

    func markDamaged(_ path: String) { lock.withLock { _ = damaged.insert(path) } }
    func isDamaged(_ path: String) -> Bool { lock.withLock { damaged.contains(path) } }

    /// Bytes of bodies held, and how many resources.
    var usage: (bytes: Int, count: Int) { lock.withLock { (held, entries.count) } }
}
