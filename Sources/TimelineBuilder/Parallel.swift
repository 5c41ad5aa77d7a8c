import Foundation

/// Work spread over every processor, with results kept in a fixed order so the snapshot
/// is the same whatever finishes first.
enum Parallel {
    /// `make(0..<count)` on every processor, results in order: pages, cards and gzip
    /// bodies are independent of each other and most of a large build.
    static func map<T: Sendable>(_ count: Int, _ make: @Sendable (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        let chunk = 64
        DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
            for index in part * chunk..<min(count, part * chunk + chunk) { slots[index] = make(index) }
        }
        return (0..<count).map { slots[$0]! }
    }
}

/// A fixed number of slots that concurrent work fills, one slot per task.
///
/// `@unchecked Sendable`: every access is under `lock`.
final class Slots<Value: Sendable>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.withLock { values[index] } }
        set { lock.withLock { values[index] = newValue } }
    }
}
